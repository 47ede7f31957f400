/*
 * omemo_dev.c: OMEMO devices for an account (see omemo_im.h): opens the
 * OMEMO state in ward.db, keeps our device in our PEP device list and our
 * bundle published (open to everyone: strangers must be able to write to
 * us encrypted), fetches other people's device lists and bundles and starts
 * sessions from them, believes device-list pushes only from the JID whose
 * list it is, and asks the user about new devices of verified contacts.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "core.h"
#include "event.h"
#include "jid.h"
#include "loop.h"
#include "omemo_im.h"
#include "omemo_priv.h"
#include "omemo_xml.h"
#include "policy.h"
#include "prompt.h"
#include "stanza.h"
#include "store.h"
#include "ward.h"

#define NS_PUBSUB "http://jabber.org/protocol/pubsub"
#define NS_PUBSUB_OWNER NS_PUBSUB "#owner"
#define NS_PUBSUB_EVENT NS_PUBSUB "#event"
#define NS_PUBSUB_ERRORS NS_PUBSUB "#errors"
#define NS_DATA "jabber:x:data"

/* A prompt about a new device of a verified contact. */
struct omemo_ask {
	struct account *a;
	char *jid;
	uint32_t device;
	struct omemo_ask *next;
};

/* The account's OMEMO state (struct account's `omemo`). */
struct omemo_acct {
	struct omemo *o;
	int open_failed;
	struct omemo_contact *contacts; /* ours included */
	struct omemo_ask *asks;
	uint64_t republish_timer;
	int publish_refused; /* told the user once (this process) */
};

/* What an IQ reply callback needs to find its contact and device again. */
struct dev_req {
	char *jid;
	uint32_t device;
	xmpp_stanza_t *payload; /* a publish: the item's payload */
	char *node;
	int retried; /* a publish already reconfigured the node */
};

static struct dev_req *
dev_req_new(const char *jid, uint32_t device)
{
	struct dev_req *r = xcalloc(1, sizeof(*r));

	r->jid = jid ? xstrdup(jid) : NULL;
	r->device = device;
	return r;
}

static void
dev_req_free(struct dev_req *r)
{
	if (r->payload != NULL)
		xmpp_stanza_release(r->payload);
	free(r->node);
	free(r->jid);
	free(r);
}

static struct omemo_acct *
dev_acct(struct account *a)
{
	if (a->omemo == NULL)
		a->omemo = xcalloc(1, sizeof(*a->omemo));
	return a->omemo;
}

struct omemo *
omemo_dev_crypto(struct account *a)
{
	struct omemo_acct *oa = dev_acct(a);
	int r;

	if (oa->o != NULL || oa->open_failed)
		return oa->o;
	ward_txn(a->w);
	r = omemo_open(store_db(a->w->store), a->name, &oa->o);
	/* a new identity is on disk before anyone can see it published */
	ward_txn_commit(a->w);
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

static int
dev_is_own(struct account *a, const char *jid)
{
	return jid_bare_equal(jid, a->jid);
}

struct omemo_contact *
omemo_dev_contact(struct account *a, const char *jid, int create)
{
	struct omemo_acct *oa = dev_acct(a);
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
static size_t
dev_set_list(struct omemo_contact *c, uint32_t *ids, size_t n)
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

static size_t
dev_index(const struct omemo_contact *c, uint32_t device)
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

	if (c != NULL && c->list == OL_KNOWN && dev_index(c, device) == c->n)
		c->list = OL_UNKNOWN;
}

/* ---- pubsub requests ---- */

/* <iq type=get [to]><pubsub><items node [max_items=1]/></pubsub></iq> */
static xmpp_stanza_t *
dev_items_iq(struct account *a, const char *to, const char *node, int one)
{
	char *id = account_new_id(a);
	xmpp_stanza_t *iq = xmpp_iq_new(a->w->ctx, "get", id), *ps, *items;

	free(id);
	if (to != NULL)
		xmpp_stanza_set_to(iq, to);
	ps = stanza_elem(a->w->ctx, "pubsub", NS_PUBSUB);
	items = stanza_elem(a->w->ctx, "items", NULL);
	xmpp_stanza_set_attribute(items, "node", node);
	if (one)
		xmpp_stanza_set_attribute(items, "max_items", "1");
	stanza_adopt(ps, items);
	stanza_adopt(iq, ps);
	return iq;
}

/* A data form that sets pubsub#access_model to open. */
static xmpp_stanza_t *
dev_open_form(struct account *a, const char *form_type)
{
	xmpp_stanza_t *x = stanza_elem(a->w->ctx, "x", NS_DATA), *f;

	xmpp_stanza_set_type(x, "submit");
	f = stanza_elem(a->w->ctx, "field", NULL);
	xmpp_stanza_set_attribute(f, "var", "FORM_TYPE");
	xmpp_stanza_set_type(f, "hidden");
	stanza_add_text_child(f, "value", form_type);
	stanza_adopt(x, f);
	f = stanza_elem(a->w->ctx, "field", NULL);
	xmpp_stanza_set_attribute(f, "var", "pubsub#access_model");
	stanza_add_text_child(f, "value", "open");
	stanza_adopt(x, f);
	return x;
}

/* The first item of a pubsub items result (the one called "current"
 * when there are several), or NULL. */
static xmpp_stanza_t *
dev_result_item(xmpp_stanza_t *reply, const char *ns)
{
	xmpp_stanza_t *ps, *items, *it, *first = NULL;
	const char *id;

	ps = xmpp_stanza_get_child_by_name_and_ns(reply, "pubsub", ns);
	items = ps ? xmpp_stanza_get_child_by_name(ps, "items") : NULL;
	if (items == NULL)
		return NULL;
	for (it = xmpp_stanza_get_children(items); it != NULL;
	     it = xmpp_stanza_get_next(it)) {
		if (!xmpp_stanza_is_tag(it) ||
		    strcmp(xmpp_stanza_get_name(it), "item") != 0)
			continue;
		id = xmpp_stanza_get_id(it);
		if (id != NULL && strcmp(id, "current") == 0)
			return it;
		if (first == NULL)
			first = it;
	}
	return first;
}

static int
dev_is_result(xmpp_stanza_t *reply)
{
	const char *type = xmpp_stanza_get_type(reply);

	return type != NULL && strcmp(type, "result") == 0;
}

/* 1 when REPLY is an error with the stanza error condition COND. */
static int
dev_error_is(xmpp_stanza_t *reply, const char *cond)
{
	const char *type = xmpp_stanza_get_type(reply);
	xmpp_stanza_t *err;

	if (type == NULL || strcmp(type, "error") != 0 ||
	    (err = xmpp_stanza_get_child_by_name(reply, "error")) == NULL)
		return 0;
	return xmpp_stanza_get_child_by_name_and_ns(
		   err, cond, "urn:ietf:params:xml:ns:xmpp-stanzas") != NULL;
}

static void dev_publish(struct account *a, struct dev_req *r);

/* Answer to a node reconfiguration: publish once more. */
static void
dev_configured(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	struct dev_req *r = arg;

	if (reply != NULL && dev_is_result(reply)) {
		dev_publish(a, r); /* transferred */
		return;
	}
	if (reply != NULL)
		log_warn("%s: cannot open PEP node %s to everyone", a->name,
			 r->node);
	dev_req_free(r);
}

/* Makes an existing node readable by everyone (it was created with
 * another access model, e.g. by another client). */
static void
dev_configure(struct account *a, struct dev_req *r)
{
	char *id = account_new_id(a);
	xmpp_stanza_t *iq = xmpp_iq_new(a->w->ctx, "set", id), *ps, *cf;

	free(id);
	ps = stanza_elem(a->w->ctx, "pubsub", NS_PUBSUB_OWNER);
	cf = stanza_elem(a->w->ctx, "configure", NULL);
	xmpp_stanza_set_attribute(cf, "node", r->node);
	stanza_adopt(cf, dev_open_form(a, NS_PUBSUB "#node_config"));
	stanza_adopt(ps, cf);
	stanza_adopt(iq, ps);
	r->retried = 1;
	if (account_send_iq(a, iq, dev_configured, r) != WARD_OK)
		dev_req_free(r);
	xmpp_stanza_release(iq);
}

static void
dev_published(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	struct dev_req *r = arg;
	xmpp_stanza_t *err;

	if (reply == NULL || dev_is_result(reply)) {
		if (reply != NULL)
			log_info("%s: published %s", a->name, r->node);
		dev_req_free(r);
		return;
	}
	err = xmpp_stanza_get_child_by_name(reply, "error");
	if (!r->retried && err != NULL &&
	    xmpp_stanza_get_child_by_name_and_ns(err, "precondition-not-met",
						 NS_PUBSUB_ERRORS) != NULL) {
		dev_configure(a, r); /* transferred */
		return;
	}
	log_warn("%s: cannot publish %s", a->name, r->node);
	if (!dev_acct(a)->publish_refused) /* not at every login */
		event_error(a->name, "omemo-publish",
			    "the server refused to publish our OMEMO device or "
			    "keys (no PEP?): others cannot write to us "
			    "encrypted");
	dev_acct(a)->publish_refused = 1;
	dev_req_free(r);
}

/* Publishes r->payload as item "current" of r->node, open to everyone.
 * Takes r. */
static void
dev_publish(struct account *a, struct dev_req *r)
{
	char *id = account_new_id(a);
	xmpp_stanza_t *iq = xmpp_iq_new(a->w->ctx, "set", id), *ps, *pub, *it,
		      *po;

	free(id);
	ps = stanza_elem(a->w->ctx, "pubsub", NS_PUBSUB);
	pub = stanza_elem(a->w->ctx, "publish", NULL);
	xmpp_stanza_set_attribute(pub, "node", r->node);
	it = stanza_elem(a->w->ctx, "item", NULL);
	xmpp_stanza_set_id(it, "current");
	stanza_adopt(it, xmpp_stanza_copy(r->payload)); /* r keeps its own */
	stanza_adopt(pub, it);
	stanza_adopt(ps, pub);
	po = stanza_elem(a->w->ctx, "publish-options", NULL);
	stanza_adopt(po, dev_open_form(a, NS_PUBSUB "#publish-options"));
	stanza_adopt(ps, po);
	stanza_adopt(iq, ps);
	if (account_send_iq(a, iq, dev_published, r) != WARD_OK)
		dev_req_free(r);
	xmpp_stanza_release(iq);
}

static void
dev_publish_payload(struct account *a, const char *node, xmpp_stanza_t *p)
{
	struct dev_req *r = dev_req_new(NULL, 0);

	r->node = xstrdup(node);
	r->payload = p; /* transferred */
	dev_publish(a, r);
}

/* Our bundle as it is now (prekeys used up are replaced). */
static void
dev_publish_bundle(struct account *a)
{
	struct omemo *o = omemo_dev_crypto(a);
	struct omemo_bundle b;
	xmpp_stanza_t *x;
	char node[64];
	int r;

	if (o == NULL)
		return;
	ward_txn(a->w);
	r = omemo_own_bundle(o, &b);
	ward_txn_commit(a->w);
	if (r != OMEMO_OK) {
		log_error("%s: no bundle to publish: %s", a->name,
			  omemo_strerror(r));
		return;
	}
	if ((x = omemo_xml_build_bundle(a->w->ctx, &b)) == NULL)
		return;
	snprintf(node, sizeof(node), OMEMO_XML_NODE_BUNDLES "%u",
		 omemo_device_id(o));
	dev_publish_payload(a, node, x);
}

static void
dev_republish_fire(void *arg)
{
	struct account *a = arg;

	a->omemo->republish_timer = 0;
	if (a->state == AS_ONLINE)
		dev_publish_bundle(a);
	/* else: published again at the next login anyway */
}

void
omemo_dev_bundle_changed(struct account *a)
{
	struct omemo_acct *oa = dev_acct(a);

	/* once per loop turn, however many prekeys a burst used */
	if (oa->republish_timer == 0)
		oa->republish_timer =
		    loop_timer_add(a->w->loop, 0, dev_republish_fire, a);
}

/* Our device must be in our list: publishes the list with it added
 * (every other device kept) when it is not. */
static void
dev_own_check(struct account *a, struct omemo_contact *own)
{
	struct omemo *o = omemo_dev_crypto(a);
	uint32_t me, *ids;
	size_t i, n;

	if (o == NULL)
		return;
	me = omemo_device_id(o);
	if (dev_index(own, me) < own->n)
		return;
	if (own->n >= OMEMO_XML_MAX_DEVICES) {
		log_warn("%s: own device list full", a->name);
		return;
	}
	n = own->n + 1;
	ids = xmalloc(n * sizeof(*ids));
	for (i = 0; i < own->n; i++)
		ids[i] = own->ids[i];
	ids[own->n] = me;
	dev_publish_payload(a, OMEMO_XML_NODE_DEVICELIST,
			    omemo_xml_build_devicelist(a->w->ctx, ids, n));
	/* ascending order is kept in the cache */
	for (i = n - 1; i > 0 && ids[i - 1] > ids[i]; i--) {
		uint32_t t = ids[i];
		ids[i] = ids[i - 1];
		ids[i - 1] = t;
	}
	dev_set_list(own, ids, n);
}

/* ---- fetching device lists and bundles ---- */

static void
dev_list_reply(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	struct dev_req *r = arg;
	struct omemo_contact *c = omemo_dev_contact(a, r->jid, 0);
	xmpp_stanza_t *item, *list;
	uint32_t *ids = NULL;
	size_t n = 0;
	int pr;

	if (c == NULL || reply == NULL) {
		if (c != NULL)
			c->list = OL_UNKNOWN; /* the session ended */
		dev_req_free(r);
		return;
	}
	item = dev_is_result(reply) ? dev_result_item(reply, NS_PUBSUB) : NULL;
	list = item ? xmpp_stanza_get_child_by_name_and_ns(item, "list",
							   OMEMO_XML_NS)
		    : NULL;
	if ((dev_is_result(reply) && item == NULL) ||
	    dev_error_is(reply, "item-not-found")) {
		dev_set_list(c, NULL, 0); /* no device at all */
	} else if (list == NULL) {
		/* unreadable (forbidden, or the server failed): for our own
		 * list, never publish over devices we could not see */
		c->list = OL_MISSING;
		log_info("%s: OMEMO device list of %s not readable", a->name,
			 c->jid);
	} else if ((pr = omemo_xml_parse_devicelist(list, &ids, &n)) !=
		   WARD_OK) {
		c->list = OL_MISSING;
		log_warn("%s: device list of %s refused: %s", a->name, c->jid,
			 ward_strerror(pr));
	} else {
		dev_set_list(c, ids, n); /* transferred */
	}
	if (dev_is_own(a, c->jid) && c->list == OL_KNOWN)
		dev_own_check(a, c);
	dev_req_free(r);
	im_flush_outbox(a);
}

void
omemo_dev_fetch_list(struct account *a, struct omemo_contact *c)
{
	xmpp_stanza_t *iq;
	struct dev_req *r;

	if (c->list == OL_FETCHING || a->state != AS_ONLINE)
		return;
	c->list = OL_FETCHING;
	iq = dev_items_iq(a, dev_is_own(a, c->jid) ? NULL : c->jid,
			  OMEMO_XML_NODE_DEVICELIST, 0);
	r = dev_req_new(c->jid, 0);
	if (account_send_iq(a, iq, dev_list_reply, r) != WARD_OK) {
		c->list = OL_UNKNOWN;
		dev_req_free(r);
	}
	xmpp_stanza_release(iq);
}

/* A session started with JID's DEVICE: BTBV decides (or asks). */
static void
dev_new_session(struct account *a, const char *jid, uint32_t device)
{
	if (policy_omemo_device(omemo_dev_crypto(a), jid, device) ==
	    POLICY_DEVICE_ASK)
		omemo_dev_ask(a, jid, device);
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
	struct dev_req *r = arg;
	struct omemo_contact *c = omemo_dev_contact(a, r->jid, 0);
	struct omemo *o = omemo_dev_crypto(a);
	struct omemo_bundle b;
	xmpp_stanza_t *item, *bx;
	size_t i;
	int err;

	i = c ? dev_index(c, r->device) : 0;
	if (c == NULL || i == c->n || o == NULL || reply == NULL) {
		if (c != NULL && i < c->n)
			c->state[i] = OD_IDLE; /* the session ended */
		dev_req_free(r);
		return;
	}
	item = dev_is_result(reply) ? dev_result_item(reply, NS_PUBSUB) : NULL;
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
	dev_req_free(r);
	im_flush_outbox(a);
}

void
omemo_dev_fetch_bundle(struct account *a, struct omemo_contact *c, size_t i)
{
	xmpp_stanza_t *iq;
	struct dev_req *r;
	char node[64];

	if (i >= c->n || c->state[i] != OD_IDLE || a->state != AS_ONLINE)
		return;
	snprintf(node, sizeof(node), OMEMO_XML_NODE_BUNDLES "%u", c->ids[i]);
	iq = dev_items_iq(a, dev_is_own(a, c->jid) ? NULL : c->jid, node, 1);
	r = dev_req_new(c->jid, c->ids[i]);
	c->state[i] = OD_FETCHING;
	if (account_send_iq(a, iq, dev_bundle_reply, r) != WARD_OK) {
		c->state[i] = OD_IDLE;
		dev_req_free(r);
	}
	xmpp_stanza_release(iq);
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
		for (i = 0; i < c->n; i++)
			c->state[i] = OD_IDLE;
	}
	omemo_dev_fetch_list(a, omemo_dev_contact(a, a->jid, 1));
	dev_publish_bundle(a);
}

/* ---- device-list pushes (XEP-0163) ---- */

/* 1 when S is a valid JID without a resource. */
static int
dev_bare_jid(const char *s)
{
	struct jid j;
	int bare;

	if (jid_parse(s, &j) != WARD_OK)
		return 0;
	bare = j.resource == NULL;
	jid_clear(&j);
	return bare;
}

int
omemo_dev_event(struct account *a, xmpp_stanza_t *m)
{
	xmpp_stanza_t *ev, *items, *item, *list;
	const char *from = xmpp_stanza_get_from(m), *node;
	struct omemo_contact *c;
	uint32_t *ids = NULL;
	size_t n = 0, i;
	int own, pr;

	ev = xmpp_stanza_get_child_by_name_and_ns(m, "event", NS_PUBSUB_EVENT);
	if (ev == NULL)
		return 0;
	items = xmpp_stanza_get_child_by_name(ev, "items");
	node = items ? xmpp_stanza_get_attribute(items, "node") : NULL;
	if (node == NULL || strcmp(node, OMEMO_XML_NODE_DEVICELIST) != 0)
		return 1; /* other PEP nodes: nothing ward uses */
	/* a PEP push comes from the bare JID that owns the list (none: our
	 * own account); a full JID is some client speaking for itself */
	if (from != NULL && !dev_bare_jid(from)) {
		log_warn("%s: device-list push from %s dropped (PEP comes from "
			 "a bare JID)",
			 a->name, from);
		return 1;
	}
	own = from == NULL || dev_is_own(a, from);
	/* only lists ward already uses: a stranger's pushes cost nothing */
	c = omemo_dev_contact(a, own ? a->jid : from, own);
	if (c == NULL || omemo_dev_crypto(a) == NULL)
		return 1;
	item = xmpp_stanza_get_child_by_name(items, "item");
	list = item ? xmpp_stanza_get_child_by_name_and_ns(item, "list",
							   OMEMO_XML_NS)
		    : NULL;
	if (list == NULL)
		return 1; /* a retraction or purge: the next fetch tells */
	if ((pr = omemo_xml_parse_devicelist(list, &ids, &n)) != WARD_OK) {
		log_warn("%s: pushed device list of %s refused: %s", a->name,
			 c->jid, ward_strerror(pr));
		return 1;
	}
	if (dev_set_list(c, ids, n) > 0) { /* ids transferred */
		/* new devices: their bundles now, so that a new device of a
		 * verified contact is asked about before anything is sent */
		for (i = 0; i < c->n; i++)
			if (!(own &&
			      c->ids[i] == omemo_device_id(a->omemo->o)) &&
			    !omemo_has_session(a->omemo->o, c->jid, c->ids[i]))
				omemo_dev_fetch_bundle(a, c, i);
	}
	if (own)
		dev_own_check(a, c);
	im_flush_outbox(a);
	return 1;
}

void
omemo_dev_error(struct account *a, const char *code, const char *text,
		const char *jid, const char *id)
{
	struct event ev;

	event_init(&ev, EV_ERROR, a->name);
	event_str(&ev, "code", code);
	event_str(&ev, "text", text);
	event_str(&ev, "jid", jid);
	event_str(&ev, "id", id);
	event_emit(&ev);
}

/* ---- asking the user ---- */

static void
dev_ask_unlink(struct account *a, struct omemo_ask *q)
{
	struct omemo_ask **pp;

	for (pp = &a->omemo->asks; *pp != NULL; pp = &(*pp)->next)
		if (*pp == q) {
			*pp = q->next;
			return;
		}
}

static void
dev_ask_answer(void *arg, int accepted)
{
	struct omemo_ask *q = arg;
	struct account *a = q->a;
	struct omemo *o = omemo_dev_crypto(a);
	char *text;

	dev_ask_unlink(a, q);
	ward_txn(a->w);
	/* accepted is trusted, not verified: only a fingerprint comparison
	 * (/omemo verify) makes a device verified */
	if (o != NULL &&
	    omemo_trust_set(o, q->jid, q->device,
			    accepted ? OMEMO_TRUST_BLIND
				     : OMEMO_TRUST_UNTRUSTED) == OMEMO_OK) {
		xasprintf(&text, "device %u of %s %s", q->device, q->jid,
			  accepted ? "trusted: it gets our messages"
				   : "refused: it gets nothing from ward");
		event_info(a->name, text);
		free(text);
	}
	free(q->jid);
	free(q);
	im_flush_outbox(a);
}

int
omemo_dev_asking(struct account *a, const char *jid)
{
	struct omemo_ask *q;

	for (q = dev_acct(a)->asks; q != NULL; q = q->next)
		if (jid_bare_equal(q->jid, jid))
			return 1;
	return 0;
}

void
omemo_dev_ask(struct account *a, const char *jid, uint32_t device)
{
	struct omemo *o = omemo_dev_crypto(a);
	struct event_field f[3];
	struct omemo_ask *q;
	char fpr[OMEMO_FPR_HEX + 1], dev[16];
	char *text;

	for (q = dev_acct(a)->asks; q != NULL; q = q->next)
		if (q->device == device && jid_bare_equal(q->jid, jid))
			return;
	if (o == NULL ||
	    omemo_fingerprint_peer(o, jid, device, fpr) != OMEMO_OK)
		return;
	q = xcalloc(1, sizeof(*q));
	q->a = a;
	q->jid = xstrdup(jid);
	q->device = device;
	q->next = a->omemo->asks;
	a->omemo->asks = q;
	snprintf(dev, sizeof(dev), "%u", device);
	xasprintf(&text,
		  "%s has a new OMEMO device %u with fingerprint %s. You "
		  "verified another device of %s, so this one gets nothing "
		  "until you decide: compare the fingerprint with %s (on a "
		  "device you trust), then /accept to trust it or /reject to "
		  "refuse it.",
		  jid, device, fpr, jid, jid);
	memset(f, 0, sizeof(f));
	f[0].key = "jid";
	f[0].type = EF_STR;
	f[0].s = jid;
	f[1].key = "device";
	f[1].type = EF_INT;
	f[1].i = device;
	f[2].key = "fingerprint";
	f[2].type = EF_STR;
	f[2].s = fpr;
	prompt_ask(a->w, a->name, "omemo-device", text, f, 3, dev_ask_answer,
		   q);
	free(text);
}

/* ---- fingerprints and verification ---- */

static const char *
dev_trust_word(struct omemo *o, const char *jid, uint32_t device)
{
	enum omemo_trust t;

	if (omemo_trust_get(o, jid, device, &t) != OMEMO_OK)
		return "unknown";
	return t == OMEMO_TRUST_UNDECIDED ? "undecided" : policy_trust_name(t);
}

static void
dev_fpr_event(struct account *a, const char *jid, uint32_t device,
	      const char *fpr, const char *trust, int own, int active)
{
	struct event ev;

	event_init(&ev, EV_FINGERPRINT, a->name);
	event_str(&ev, "jid", jid);
	event_int(&ev, "device", device);
	event_str(&ev, "fingerprint", fpr);
	event_str(&ev, "trust", trust);
	event_bool(&ev, "own", own);
	event_bool(&ev, "active", active);
	event_emit(&ev);
}

/* Every known device of JID (ours excepted). */
static void
dev_fpr_jid(struct account *a, struct omemo *o, const char *jid)
{
	struct omemo_contact *c = omemo_dev_contact(a, jid, 0);
	char fpr[OMEMO_FPR_HEX + 1];
	uint32_t *ids = NULL, me = omemo_device_id(o);
	size_t n = 0, i;

	if (omemo_known_devices(o, jid, &ids, &n) != OMEMO_OK)
		return;
	for (i = 0; i < n; i++) {
		if (dev_is_own(a, jid) && ids[i] == me)
			continue;
		if (omemo_fingerprint_peer(o, jid, ids[i], fpr) != OMEMO_OK)
			continue;
		dev_fpr_event(a, jid, ids[i], fpr,
			      dev_trust_word(o, jid, ids[i]), 0,
			      c != NULL && c->list == OL_KNOWN &&
				  dev_index(c, ids[i]) < c->n);
	}
	free(ids);
}

void
omemo_dev_fingerprints(struct account *a, const char *jid)
{
	struct omemo *o = omemo_dev_crypto(a);
	char fpr[OMEMO_FPR_HEX + 1];

	if (o == NULL || omemo_fingerprint_own(o, fpr) != OMEMO_OK) {
		event_error(a->name, "omemo-unavailable",
			    "the OMEMO state cannot be opened (see the log)");
		return;
	}
	dev_fpr_event(a, a->jid, omemo_device_id(o), fpr, "self", 1, 1);
	dev_fpr_jid(a, o, a->jid);
	if (jid != NULL && !dev_is_own(a, jid))
		dev_fpr_jid(a, o, jid);
}

/* Lower-case hex without separators (spaces, ':'), 64 digits, or a
 * leading "05" type byte on 66. 0 when FPR is not a fingerprint. */
static int
dev_norm_fpr(const char *fpr, char *out)
{
	size_t n = 0;

	for (; *fpr != '\0'; fpr++) {
		if (*fpr == ' ' || *fpr == ':' || *fpr == '-')
			continue;
		if (!isxdigit((unsigned char)*fpr) || n == OMEMO_FPR_HEX + 2)
			return 0;
		out[n++] = (char)tolower((unsigned char)*fpr);
	}
	out[n] = '\0';
	if (n == OMEMO_FPR_HEX + 2 && out[0] == '0' && out[1] == '5') {
		memmove(out, out + 2, OMEMO_FPR_HEX + 1);
		n -= 2;
	}
	return n == OMEMO_FPR_HEX;
}

int
omemo_dev_verify(struct account *a, const char *jid, const char *fpr)
{
	struct omemo *o = omemo_dev_crypto(a);
	char want[OMEMO_FPR_HEX + 3], got[OMEMO_FPR_HEX + 1];
	uint32_t *ids = NULL;
	size_t n = 0, i;
	int r = WARD_ERR_NOTFOUND;

	if (o == NULL)
		return WARD_ERR_IO;
	if (!dev_norm_fpr(fpr, want))
		return WARD_ERR_INVAL;
	if (omemo_known_devices(o, jid, &ids, &n) != OMEMO_OK)
		return WARD_ERR_IO;
	for (i = 0; i < n && r == WARD_ERR_NOTFOUND; i++) {
		if (omemo_fingerprint_peer(o, jid, ids[i], got) != OMEMO_OK ||
		    strcmp(got, want) != 0)
			continue;
		ward_txn(a->w);
		r = omemo_trust_set(o, jid, ids[i], OMEMO_TRUST_VERIFIED) ==
			    OMEMO_OK
			? WARD_OK
			: WARD_ERR_IO;
		ward_txn_commit(a->w);
	}
	free(ids);
	if (r == WARD_OK)
		im_flush_outbox(a);
	return r;
}

void
omemo_dev_free(struct account *a)
{
	struct omemo_acct *oa = a->omemo;
	struct omemo_contact *c;
	struct omemo_ask *q;

	if (oa == NULL)
		return;
	while ((q = oa->asks) != NULL) {
		oa->asks = q->next;
		prompt_cancel_arg(a->w, q);
		free(q->jid);
		free(q);
	}
	while ((c = oa->contacts) != NULL) {
		oa->contacts = c->next;
		free(c->jid);
		free(c->ids);
		free(c->state);
		free(c);
	}
	if (oa->republish_timer != 0)
		loop_timer_cancel(a->w->loop, oa->republish_timer);
	if (oa->o != NULL)
		omemo_close(oa->o);
	free(oa);
	a->omemo = NULL;
}
