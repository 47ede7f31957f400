/*
 * omemo_pep.c: OMEMO's publish-subscribe requests (XEP-0060, XEP-0163):
 * fetching items, and publishing our device list and bundle open to
 * everyone (publish-options; a node created otherwise by another client is
 * reconfigured once), again whenever a prekey was used.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "core.h"
#include "event.h"
#include "loop.h"
#include "omemo_im.h"
#include "omemo_priv.h"
#include "omemo_xml.h"
#include "stanza.h"
#include "store.h"
#include "ward.h"

#define NS_PUBSUB "http://jabber.org/protocol/pubsub"
#define NS_PUBSUB_OWNER NS_PUBSUB "#owner"
#define NS_PUBSUB_ERRORS NS_PUBSUB "#errors"
#define NS_DATA "jabber:x:data"

struct omemo_req *
omemo_pep_req_new(const char *jid, uint32_t device)
{
	struct omemo_req *r = xcalloc(1, sizeof(*r));

	r->jid = jid ? xstrdup(jid) : NULL;
	r->device = device;
	return r;
}

void
omemo_pep_req_free(struct omemo_req *r)
{
	if (r->payload != NULL)
		xmpp_stanza_release(r->payload);
	free(r->node);
	free(r->jid);
	free(r);
}

/* <iq type=TYPE [to=TO] id=new><pubsub xmlns=NS/></iq>; *PS is the
 * pubsub element (held by the iq) for the caller to fill. */
static xmpp_stanza_t *
pep_iq(struct account *a, const char *type, const char *to, const char *ns,
       xmpp_stanza_t **ps)
{
	char *id = account_new_id(a);
	xmpp_stanza_t *iq = xmpp_iq_new(a->w->ctx, type, id);

	free(id);
	if (to != NULL)
		xmpp_stanza_set_to(iq, to);
	*ps = stanza_elem(a->w->ctx, "pubsub", ns);
	stanza_adopt(iq, *ps);
	return iq;
}

/* <iq type=get [to]><pubsub><items node [max_items=1]/></pubsub></iq> */
xmpp_stanza_t *
omemo_pep_items_iq(struct account *a, const char *to, const char *node, int one)
{
	xmpp_stanza_t *ps, *iq = pep_iq(a, "get", to, NS_PUBSUB, &ps), *items;

	items = stanza_elem(a->w->ctx, "items", NULL);
	xmpp_stanza_set_attribute(items, "node", node);
	if (one)
		xmpp_stanza_set_attribute(items, "max_items", "1");
	stanza_adopt(ps, items);
	return iq;
}

static void
pep_subscribe_reply(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	struct omemo_req *r = arg;

	/* refused (no list yet, or not allowed): the lists are fetched
	 * again on use after every login anyway */
	if (reply != NULL && !omemo_pep_is_result(reply))
		log_info("%s: no pushes of the device list of %s", a->name,
			 r->jid ? r->jid : a->jid);
	omemo_pep_req_free(r);
}

void
omemo_pep_subscribe_list(struct account *a, const char *to)
{
	xmpp_stanza_t *ps, *iq = pep_iq(a, "set", to, NS_PUBSUB, &ps), *sub;
	struct omemo_req *r = omemo_pep_req_new(to, 0);

	sub = stanza_elem(a->w->ctx, "subscribe", NULL);
	xmpp_stanza_set_attribute(sub, "node", OMEMO_XML_NODE_DEVICELIST);
	xmpp_stanza_set_attribute(sub, "jid", a->jid);
	stanza_adopt(ps, sub);
	if (account_send_iq(a, iq, pep_subscribe_reply, r) != WARD_OK)
		omemo_pep_req_free(r);
	xmpp_stanza_release(iq);
}

/* A data form that sets pubsub#access_model to open. */
static xmpp_stanza_t *
pep_open_form(struct account *a, const char *form_type)
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
xmpp_stanza_t *
omemo_pep_result_item(xmpp_stanza_t *reply)
{
	xmpp_stanza_t *ps, *items, *it, *first = NULL;
	const char *id;

	ps = xmpp_stanza_get_child_by_name_and_ns(reply, "pubsub", NS_PUBSUB);
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

int
omemo_pep_is_result(xmpp_stanza_t *reply)
{
	const char *type = xmpp_stanza_get_type(reply);

	return type != NULL && strcmp(type, "result") == 0;
}

int
omemo_pep_error_is(xmpp_stanza_t *reply, const char *cond)
{
	const char *type = xmpp_stanza_get_type(reply);
	xmpp_stanza_t *err;

	if (type == NULL || strcmp(type, "error") != 0 ||
	    (err = xmpp_stanza_get_child_by_name(reply, "error")) == NULL)
		return 0;
	return xmpp_stanza_get_child_by_name_and_ns(
		   err, cond, "urn:ietf:params:xml:ns:xmpp-stanzas") != NULL;
}

static void pep_publish(struct account *a, struct omemo_req *r);

/* Answer to a node reconfiguration: publish once more. */
static void
pep_configured(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	struct omemo_req *r = arg;

	if (reply != NULL && omemo_pep_is_result(reply)) {
		pep_publish(a, r); /* transferred */
		return;
	}
	if (reply != NULL)
		log_warn("%s: cannot open PEP node %s to everyone", a->name,
			 r->node);
	omemo_pep_req_free(r);
}

/* Makes an existing node readable by everyone (it was created with
 * another access model, e.g. by another client). */
static void
pep_configure(struct account *a, struct omemo_req *r)
{
	xmpp_stanza_t *ps, *iq = pep_iq(a, "set", NULL, NS_PUBSUB_OWNER, &ps),
			   *cf;

	cf = stanza_elem(a->w->ctx, "configure", NULL);
	xmpp_stanza_set_attribute(cf, "node", r->node);
	stanza_adopt(cf, pep_open_form(a, NS_PUBSUB "#node_config"));
	stanza_adopt(ps, cf);
	r->retried = 1;
	if (account_send_iq(a, iq, pep_configured, r) != WARD_OK)
		omemo_pep_req_free(r);
	xmpp_stanza_release(iq);
}

static void
pep_published(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	struct omemo_req *r = arg;
	xmpp_stanza_t *err;

	if (reply == NULL || omemo_pep_is_result(reply)) {
		if (reply != NULL)
			log_info("%s: published %s", a->name, r->node);
		omemo_pep_req_free(r);
		return;
	}
	err = xmpp_stanza_get_child_by_name(reply, "error");
	if (!r->retried && err != NULL &&
	    xmpp_stanza_get_child_by_name_and_ns(err, "precondition-not-met",
						 NS_PUBSUB_ERRORS) != NULL) {
		pep_configure(a, r); /* transferred */
		return;
	}
	log_warn("%s: cannot publish %s", a->name, r->node);
	if (!omemo_dev_acct(a)->publish_refused) /* not at every login */
		event_error(a->name, "omemo-publish",
			    "the server refused to publish our OMEMO device or "
			    "keys (no PEP?): others cannot write to us "
			    "encrypted");
	omemo_dev_acct(a)->publish_refused = 1;
	omemo_pep_req_free(r);
}

/* Publishes r->payload as item "current" of r->node, open to everyone.
 * Takes r. */
static void
pep_publish(struct account *a, struct omemo_req *r)
{
	xmpp_stanza_t *ps, *iq = pep_iq(a, "set", NULL, NS_PUBSUB, &ps), *pub,
			   *it, *po;

	pub = stanza_elem(a->w->ctx, "publish", NULL);
	xmpp_stanza_set_attribute(pub, "node", r->node);
	it = stanza_elem(a->w->ctx, "item", NULL);
	xmpp_stanza_set_id(it, "current");
	stanza_adopt(it, xmpp_stanza_copy(r->payload)); /* r keeps its own */
	stanza_adopt(pub, it);
	stanza_adopt(ps, pub);
	po = stanza_elem(a->w->ctx, "publish-options", NULL);
	stanza_adopt(po, pep_open_form(a, NS_PUBSUB "#publish-options"));
	stanza_adopt(ps, po);
	if (account_send_iq(a, iq, pep_published, r) != WARD_OK)
		omemo_pep_req_free(r);
	xmpp_stanza_release(iq);
}

static void
pep_publish_payload(struct account *a, const char *node, xmpp_stanza_t *p)
{
	struct omemo_req *r = omemo_pep_req_new(NULL, 0);

	r->node = xstrdup(node);
	r->payload = p; /* transferred */
	pep_publish(a, r);
}

/* Our bundle as it is now (prekeys used up are replaced). */
void
omemo_pep_publish_bundle(struct account *a)
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
	pep_publish_payload(a, node, x);
}

static void
pep_republish_fire(void *arg)
{
	struct account *a = arg;

	a->omemo->republish_timer = 0;
	if (a->state == AS_ONLINE)
		omemo_pep_publish_bundle(a);
	/* else: published again at the next login anyway */
}

void
omemo_pep_bundle_changed(struct account *a)
{
	struct omemo_acct *oa = omemo_dev_acct(a);

	/* once per loop turn, however many prekeys a burst used */
	if (oa->republish_timer == 0)
		oa->republish_timer =
		    loop_timer_add(a->w->loop, 0, pep_republish_fire, a);
}

/* How often an online account looks at its signed prekey's age. */
#define PEP_SPK_CHECK_MS (24 * 3600 * 1000)

/* Rotates when due; 1 when a new signed prekey is on disk. */
static int
pep_spk_rotate(struct account *a)
{
	struct omemo *o = omemo_dev_crypto(a);
	struct omemo_spk_change c;
	int r;

	if (o == NULL)
		return 0;
	ward_txn(a->w);
	r = omemo_spk_rotate(o, (uint64_t)wall_ms(), &c);
	/* on disk before it is published */
	if (ward_txn_commit(a->w) != WARD_OK && r == OMEMO_OK)
		return 0;
	if (r != OMEMO_OK) {
		log_error("%s: cannot replace the OMEMO signed prekey: %s",
			  a->name, omemo_strerror(r));
		return 0;
	}
	if (c.made != 0 || c.deleted != 0)
		log_info("%s: OMEMO signed prekey %u made, %zu old deleted",
			 a->name, c.made, c.deleted);
	return c.made != 0;
}

static void
pep_spk_fire(void *arg)
{
	struct account *a = arg;

	a->omemo->spk_timer = 0;
	if (a->state == AS_ONLINE && pep_spk_rotate(a))
		omemo_pep_bundle_changed(a);
	if (a->state == AS_ONLINE)
		a->omemo->spk_timer = loop_timer_add(
		    a->w->loop, PEP_SPK_CHECK_MS, pep_spk_fire, a);
	/* else: armed again when the account is back online */
}

void
omemo_pep_spk_check(struct account *a)
{
	struct omemo_acct *oa = omemo_dev_acct(a);

	(void)pep_spk_rotate(a); /* the caller publishes the bundle */
	if (oa->spk_timer == 0)
		oa->spk_timer = loop_timer_add(a->w->loop, PEP_SPK_CHECK_MS,
					       pep_spk_fire, a);
}

/* Our device must be in our list: publishes the list with it added
 * (every other device kept) when it is not. */
void
omemo_pep_own_check(struct account *a, struct omemo_contact *own)
{
	struct omemo *o = omemo_dev_crypto(a);
	uint32_t me, *ids;
	size_t i, n;

	if (o == NULL)
		return;
	me = omemo_device_id(o);
	if (omemo_dev_index(own, me) < own->n)
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
	pep_publish_payload(a, OMEMO_XML_NODE_DEVICELIST,
			    omemo_xml_build_devicelist(a->w->ctx, ids, n));
	/* ascending order is kept in the cache */
	for (i = n - 1; i > 0 && ids[i - 1] > ids[i]; i--) {
		uint32_t t = ids[i];
		ids[i] = ids[i - 1];
		ids[i - 1] = t;
	}
	omemo_dev_set_list(own, ids, n);
}
