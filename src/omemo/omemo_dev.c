/*
 * omemo_dev.c: OMEMO devices for an account (see omemo_im.h): opens the
 * OMEMO state in ward.db, caches the device lists of the people we write
 * to (and ours), fetches them and their bundles and starts sessions from
 * them, and believes device-list pushes only from the JID whose list it
 * is. Publishing is in omemo_pep.c, the user's decisions in omemo_ask.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "chatsec.h"
#include "core.h"
#include "event.h"
#include "jid.h"
#include "loop.h"
#include "omemo_im.h"
#include "omemo_priv.h"
#include "omemo_xml.h"
#include "policy.h"
#include "store.h"
#include "ward.h"

struct omemo_acct *
omemo_dev_acct(struct account *a)
{
	if (a->omemo == NULL)
		a->omemo = xcalloc(1, sizeof(*a->omemo));
	return a->omemo;
}

struct omemo *
omemo_dev_crypto(struct account *a)
{
	struct omemo_acct *oa = omemo_dev_acct(a);
	int r;

	if (oa->o != NULL || oa->open_failed)
		return oa->o;
	ward_txn(a->w);
	r = omemo_open(store_db(a->w->store), a->name, &oa->o);
	/* a new identity is on disk before anyone can see it published */
	if (ward_txn_commit(a->w) != WARD_OK && r == OMEMO_OK) {
		omemo_close(oa->o);
		r = OMEMO_ERR_DB;
	}
	if (r != OMEMO_OK) {
		log_error("%s: cannot open the OMEMO state: %s", a->name,
			  omemo_strerror(r));
		oa->o = NULL;
		oa->open_failed = 1;
		return NULL;
	}
	log_info("%s: OMEMO device %u", a->name, omemo_device_id(oa->o));
	return oa->o;
}

int
omemo_dev_is_own(struct account *a, const char *jid)
{
	return jid_bare_equal(jid, a->jid);
}

struct omemo_contact *
omemo_dev_contact(struct account *a, const char *jid, int create)
{
	struct omemo_acct *oa = omemo_dev_acct(a);
	struct omemo_contact *c;

	for (c = oa->contacts; c != NULL; c = c->next)
		if (jid_bare_equal(c->jid, jid))
			return c;
	if (!create)
		return NULL;
	c = xcalloc(1, sizeof(*c));
	c->jid = jid_bare(jid);
	if (c->jid == NULL) {
		free(c);
		return NULL;
	}
	c->next = oa->contacts;
	oa->contacts = c;
	return c;
}

/* Replaces C's device ids, keeping the state of the ids that stay.
 * Returns how many ids are new. */
size_t
omemo_dev_set_list(struct omemo_contact *c, uint32_t *ids, size_t n)
{
	unsigned char *state = n ? xcalloc(n, 1) : NULL;
	size_t i, j, fresh = 0;

	for (i = 0; i < n; i++) {
		for (j = 0; j < c->n && c->ids[j] != ids[i]; j++)
			;
		if (j < c->n)
			state[i] = c->state[j];
		else
			fresh++;
	}
	free(c->ids);
	free(c->state);
	c->ids = ids; /* transferred */
	c->state = state;
	c->n = n;
	c->list = OL_KNOWN;
	c->known_at = now_ms();
	return fresh;
}

int
omemo_dev_list_stale(const struct omemo_contact *c)
{
	int64_t age = now_ms() - c->known_at;

	if (c->list == OL_MISSING)
		return age > OMEMO_EMPTY_LIST_MAX_AGE_MS;
	return c->list == OL_KNOWN &&
	       age > (c->n == 0 ? OMEMO_EMPTY_LIST_MAX_AGE_MS
				: OMEMO_LIST_MAX_AGE_MS);
}

size_t
omemo_dev_index(const struct omemo_contact *c, uint32_t device)
{
	size_t i;

	for (i = 0; i < c->n && c->ids[i] != device; i++)
		;
	return i;
}

void
omemo_dev_seen(struct account *a, const char *jid, uint32_t device)
{
	struct omemo_contact *c = omemo_dev_contact(a, jid, 0);

	if (c != NULL && c->list == OL_KNOWN &&
	    omemo_dev_index(c, device) == c->n)
		c->list = OL_UNKNOWN;
}

/* ---- fetching device lists and bundles ---- */

/*
 * A message waits for these: a list or bundle not there by then counts as
 * unreadable (the message then goes to the devices that are usable, or is
 * refused with omemo-unavailable), instead of waiting for the session's end.
 */
#define OMEMO_FETCH_TIMEOUT_MS 30000

static void
dev_list_reply(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	struct omemo_req *r = arg;
	struct omemo_contact *c = omemo_dev_contact(a, r->jid, 0);
	xmpp_stanza_t *item, *list;
	uint32_t *ids = NULL;
	size_t n = 0;
	int pr;

	if (c == NULL || reply == NULL) {
		if (c != NULL)
			c->list = OL_UNKNOWN; /* the session ended */
		omemo_pep_req_free(r);
		return;
	}
	item = omemo_pep_is_result(reply) ? omemo_pep_result_item(reply) : NULL;
	list = item ? xmpp_stanza_get_child_by_name_and_ns(item, "list",
							   OMEMO_XML_NS)
		    : NULL;
	if ((omemo_pep_is_result(reply) && item == NULL) ||
	    omemo_pep_error_is(reply, "item-not-found")) {
		omemo_dev_set_list(c, NULL, 0); /* no device at all */
	} else if (list == NULL) {
		/* unreadable (forbidden, or the server failed): for our own
		 * list, never publish over devices we could not see */
		c->list = OL_MISSING;
		c->known_at = now_ms();
		log_info("%s: OMEMO device list of %s not readable", a->name,
			 c->jid);
	} else if ((pr = omemo_xml_parse_devicelist(list, &ids, &n)) !=
		   WARD_OK) {
		c->list = OL_MISSING;
		c->known_at = now_ms();
		log_warn("%s: device list of %s refused: %s", a->name, c->jid,
			 ward_strerror(pr));
	} else {
		omemo_dev_set_list(c, ids, n); /* transferred */
	}
	if (omemo_dev_is_own(a, c->jid) && c->list == OL_KNOWN)
		omemo_pep_own_check(a, c);
	omemo_pep_req_free(r);
	chatsec_changed(a, c->jid); /* a chat-security event if it changed */
	chatsec_rooms_changed(a);
	im_flush_outbox(a);
}

void
omemo_dev_fetch_list(struct account *a, struct omemo_contact *c)
{
	/* our own list is asked of our account: no to= */
	const char *to = omemo_dev_is_own(a, c->jid) ? NULL : c->jid;
	xmpp_stanza_t *iq;
	struct omemo_req *r;

	if (c->list == OL_FETCHING || a->state != AS_ONLINE)
		return;
	/* first the subscription, then the fetch: a change in between is
	 * pushed, not lost */
	if (!c->subscribed) {
		omemo_pep_subscribe_list(a, to);
		c->subscribed = 1;
	}
	c->list = OL_FETCHING;
	iq = omemo_pep_items_iq(a, to, OMEMO_XML_NODE_DEVICELIST, 0);
	r = omemo_pep_req_new(c->jid, 0);
	if (account_send_iq_timeout(a, iq, dev_list_reply, r,
				    OMEMO_FETCH_TIMEOUT_MS) != WARD_OK) {
		c->list = OL_UNKNOWN;
		omemo_pep_req_free(r);
	}
	xmpp_stanza_release(iq);
}

/* A session started with JID's DEVICE: BTBV decides (or asks). */
static void
dev_new_session(struct account *a, const char *jid, uint32_t device)
{
	if (policy_omemo_device(omemo_dev_crypto(a), jid, device) ==
	    POLICY_DEVICE_ASK)
		omemo_ask(a, jid, device);
}

static void
dev_session_failed(struct account *a, const char *jid, uint32_t device, int err)
{
	char *text;

	log_warn("%s: no session with %s device %u: %s", a->name, jid, device,
		 omemo_strerror(err));
	if (err != OMEMO_ERR_UNTRUSTED)
		return;
	xasprintf(&text,
		  "device %u of %s now shows another identity key; it gets "
		  "no messages from ward",
		  device, jid);
	event_error(a->name, "omemo-key-changed", text);
	free(text);
}

static void
dev_bundle_reply(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	struct omemo_req *r = arg;
	struct omemo_contact *c = omemo_dev_contact(a, r->jid, 0);
	struct omemo *o = omemo_dev_crypto(a);
	struct omemo_bundle b;
	xmpp_stanza_t *item, *bx;
	size_t i;
	int err;

	i = c ? omemo_dev_index(c, r->device) : 0;
	if (c == NULL || i == c->n || o == NULL || reply == NULL) {
		if (c != NULL && i < c->n)
			c->state[i] = OD_IDLE; /* the session ended */
		omemo_pep_req_free(r);
		return;
	}
	item = omemo_pep_is_result(reply) ? omemo_pep_result_item(reply) : NULL;
	bx = item ? xmpp_stanza_get_child_by_name_and_ns(item, "bundle",
							 OMEMO_XML_NS)
		  : NULL;
	c->state[i] = OD_FAILED;
	if (bx == NULL || omemo_xml_parse_bundle(bx, &b) != WARD_OK) {
		log_warn("%s: no usable bundle for %s device %u", a->name,
			 c->jid, r->device);
	} else {
		ward_txn(a->w);
		err = omemo_session_start(o, c->jid, r->device, &b);
		if (err == OMEMO_OK) {
			c->state[i] = OD_IDLE;
			dev_new_session(a, c->jid, r->device);
		} else {
			dev_session_failed(a, c->jid, r->device, err);
		}
	}
	omemo_pep_req_free(r);
	im_flush_outbox(a);
}

void
omemo_dev_fetch_bundle(struct account *a, struct omemo_contact *c, size_t i)
{
	xmpp_stanza_t *iq;
	struct omemo_req *r;
	char node[64];

	if (i >= c->n || c->state[i] != OD_IDLE || a->state != AS_ONLINE)
		return;
	snprintf(node, sizeof(node), OMEMO_XML_NODE_BUNDLES "%u", c->ids[i]);
	iq = omemo_pep_items_iq(a, omemo_dev_is_own(a, c->jid) ? NULL : c->jid,
				node, 1);
	r = omemo_pep_req_new(c->jid, c->ids[i]);
	c->state[i] = OD_FETCHING;
	if (account_send_iq_timeout(a, iq, dev_bundle_reply, r,
				    OMEMO_FETCH_TIMEOUT_MS) != WARD_OK) {
		c->state[i] = OD_IDLE;
		omemo_pep_req_free(r);
	}
	xmpp_stanza_release(iq);
}

int
omemo_dev_accept_key(struct account *a, const char *jid, uint32_t device)
{
	struct omemo *o = omemo_dev_crypto(a);
	struct omemo_contact *c;
	enum omemo_trust t;
	size_t i;
	int err;

	if (o == NULL)
		return WARD_ERR_SYSTEM;
	/* a device whose identity key ward never saw has no trust either */
	if (omemo_trust_get(o, jid, device, &t) != OMEMO_OK)
		return WARD_ERR_NOTFOUND;
	ward_txn(a->w);
	err = omemo_forget_device(o, jid, device);
	if (ward_txn_commit(a->w) != WARD_OK || err != OMEMO_OK)
		return WARD_ERR_SYSTEM;
	log_info("%s: %s device %u forgotten at the user's word; its current "
		 "key is taken at the next session",
		 a->name, jid, device);
	/* a session with whatever key it publishes now: blind trust or,
	 * once the contact was verified, the omemo-device prompt decides */
	c = omemo_dev_contact(a, jid, 0);
	if (c != NULL && (i = omemo_dev_index(c, device)) < c->n) {
		c->state[i] = OD_IDLE;
		omemo_dev_fetch_bundle(a, c, i);
	}
	return WARD_OK;
}

void
omemo_dev_online(struct account *a)
{
	struct omemo_contact *c;
	size_t i;

	if (omemo_dev_crypto(a) == NULL)
		return;
	/* pushes may have been missed while offline: fetch again on use */
	for (c = a->omemo->contacts; c != NULL; c = c->next) {
		c->list = OL_UNKNOWN;
		c->subscribed = 0;
		for (i = 0; i < c->n; i++)
			c->state[i] = OD_IDLE;
	}
	omemo_dev_fetch_list(a, omemo_dev_contact(a, a->jid, 1));
	omemo_pep_spk_check(a); /* before the bundle goes out */
	omemo_pep_publish_bundle(a);
}

/* ---- device-list pushes (XEP-0163) ---- */

void
omemo_dev_event(struct account *a, xmpp_stanza_t *m, xmpp_stanza_t *ev)
{
	xmpp_stanza_t *items, *item, *list;
	const char *from = xmpp_stanza_get_from(m), *node;
	struct omemo_contact *c;
	uint32_t *ids = NULL;
	size_t n = 0, i;
	int own, pr;

	items = xmpp_stanza_get_child_by_name(ev, "items");
	node = items ? xmpp_stanza_get_attribute(items, "node") : NULL;
	if (node == NULL || strcmp(node, OMEMO_XML_NODE_DEVICELIST) != 0)
		return; /* other PEP nodes: nothing ward uses */
	/* a PEP push comes from the bare JID that owns the list (none: our
	 * own account): the rule of its row in handlers.c; a full JID is
	 * some client speaking for itself, dropped before this */
	own = from == NULL || omemo_dev_is_own(a, from);
	/* only lists ward already uses: a stranger's pushes cost nothing */
	c = omemo_dev_contact(a, own ? a->jid : from, own);
	if (c == NULL || omemo_dev_crypto(a) == NULL)
		return;
	item = xmpp_stanza_get_child_by_name(items, "item");
	list = item ? xmpp_stanza_get_child_by_name_and_ns(item, "list",
							   OMEMO_XML_NS)
		    : NULL;
	if (list == NULL)
		return; /* a retraction or purge: the next fetch tells */
	if ((pr = omemo_xml_parse_devicelist(list, &ids, &n)) != WARD_OK) {
		log_warn("%s: pushed device list of %s refused: %s", a->name,
			 c->jid, ward_strerror(pr));
		return;
	}
	if (omemo_dev_set_list(c, ids, n) > 0) { /* ids transferred */
		/* new devices: their bundles now, so that a new device of a
		 * verified contact is asked about before anything is sent */
		for (i = 0; i < c->n; i++)
			if (!(own &&
			      c->ids[i] == omemo_device_id(a->omemo->o)) &&
			    !omemo_has_session(a->omemo->o, c->jid, c->ids[i]))
				omemo_dev_fetch_bundle(a, c, i);
	}
	if (own)
		omemo_pep_own_check(a, c);
	chatsec_changed(a, c->jid); /* a chat-security event if it changed */
	chatsec_rooms_changed(a);
	im_flush_outbox(a);
}

void
omemo_dev_error(struct account *a, const char *code, const char *text,
		const char *jid, const char *id, const char *body)
{
	struct event ev;

	event_init(&ev, EV_ERROR, a->name);
	event_str(&ev, "code", code);
	event_str(&ev, "text", text);
	event_str(&ev, "jid", jid);
	event_str(&ev, "id", id);
	if (body != NULL)
		event_str(&ev, "body", body);
	event_emit(&ev);
}

void
omemo_dev_free(struct account *a)
{
	struct omemo_acct *oa = a->omemo;
	struct omemo_contact *c;

	chatsec_forget(a);
	if (oa == NULL)
		return;
	omemo_ask_free(a);
	while ((c = oa->contacts) != NULL) {
		oa->contacts = c->next;
		free(c->jid);
		free(c->ids);
		free(c->state);
		free(c);
	}
	if (oa->republish_timer != 0)
		loop_timer_cancel(a->w->loop, oa->republish_timer);
	if (oa->spk_timer != 0)
		loop_timer_cancel(a->w->loop, oa->spk_timer);
	if (oa->o != NULL)
		omemo_close(oa->o);
	free(oa);
	a->omemo = NULL;
}
