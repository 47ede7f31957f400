/*
 * omemo_send.c: an outbox item promised OMEMO becomes an encrypted message
 * (see omemo_im.h), or waits for device lists, bundles or the user, or is
 * dropped with an error. It is never sent in plaintext. Each (re)send is
 * encrypted afresh from the plaintext the outbox keeps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "core.h"
#include "jid.h"
#include "omemo_im.h"
#include "omemo_priv.h"
#include "omemo_xml.h"
#include "policy.h"
#include "stanza.h"
#include "ward.h"

#define NS_SID "urn:xmpp:sid:0"
#define SEND_FALLBACK                                                          \
	"[This message is OMEMO-encrypted; your client cannot show it.]"

static void
send_to_add(struct omemo_send_to *t, const char *jid, uint32_t device)
{
	size_t i;

	for (i = 0; i < t->n; i++) /* writing to oneself: lists overlap */
		if (t->addr[i].device == device &&
		    strcmp(t->addr[i].jid, jid) == 0)
			return;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 8;
		t->addr = xrealloc(t->addr, t->cap * sizeof(*t->addr));
	}
	t->addr[t->n].jid = jid;
	t->addr[t->n].device = device;
	t->n++;
}

enum omemo_send_status
omemo_send_drop(struct account *a, const struct store_outbox_item *it,
		const char *code, const char *why)
{
	char *text;

	xasprintf(&text,
		  "message to %s not sent: %s. ward never sends it "
		  "unencrypted; /omemo off %s makes that chat plaintext "
		  "(for new messages)",
		  it->to, why, it->to);
	/* the text goes back with the error: it is kept nowhere else */
	omemo_dev_error(a, code, text, it->to, it->origin_id, it->body);
	free(text);
	if (store_outbox_drop(a->w->store, it->id) != WARD_OK)
		log_warn("%s: cannot drop an outbox row", a->name);
	return OMEMO_SEND_DROPPED;
}

int
omemo_send_prepare(struct account *a, struct omemo *o, struct omemo_contact *c,
		   uint32_t me, int own)
{
	enum omemo_trust t;
	int waiting = 0;
	size_t i;

	if (!own && omemo_dev_list_stale(c))
		c->list = OL_UNKNOWN;
	if (c->list == OL_UNKNOWN)
		omemo_dev_fetch_list(a, c);
	if (c->list == OL_FETCHING || c->list == OL_UNKNOWN)
		return 1;
	for (i = 0; i < c->n; i++) {
		if ((own && c->ids[i] == me) ||
		    omemo_has_session(o, c->jid, c->ids[i]))
			continue;
		if (omemo_trust_get(o, c->jid, c->ids[i], &t) == OMEMO_OK &&
		    t == OMEMO_TRUST_UNTRUSTED)
			continue; /* refused: not worth a bundle */
		if (c->state[i] == OD_IDLE)
			omemo_dev_fetch_bundle(a, c, i);
		if (c->state[i] == OD_FETCHING)
			waiting = 1;
	}
	return waiting;
}

void
omemo_send_collect(struct account *a, struct omemo *o, struct omemo_contact *c,
		   uint32_t me, int own, struct omemo_send_to *t)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		if ((own && c->ids[i] == me) ||
		    !omemo_has_session(o, c->jid, c->ids[i]))
			continue;
		switch (policy_omemo_device(o, c->jid, c->ids[i])) {
		case POLICY_DEVICE_USE:
			send_to_add(t, c->jid, c->ids[i]);
			break;
		case POLICY_DEVICE_ASK:
			omemo_ask(a, c->jid, c->ids[i]);
			break;
		case POLICY_DEVICE_SKIP:
			break;
		}
	}
}

void
omemo_send_forget(struct omemo_contact *c)
{
	size_t i;

	c->list = OL_UNKNOWN;
	for (i = 0; i < c->n; i++)
		c->state[i] = OD_IDLE;
}

/* <message type=chat id=origin> with <encrypted/>, markers, origin-id. */
static xmpp_stanza_t *
send_stanza(struct account *a, const struct store_outbox_item *it,
	    const struct omemo_message *om)
{
	xmpp_stanza_t *m, *enc, *oid;

	if ((enc = omemo_xml_build_encrypted(a->w->ctx, om)) == NULL)
		return NULL;
	m = xmpp_message_new(
	    a->w->ctx, it->type == STORE_TYPE_GROUPCHAT ? "groupchat" : "chat",
	    it->to, it->origin_id);
	stanza_adopt(m, enc);
	omemo_xml_add_markers(m, SEND_FALLBACK);
	oid = stanza_elem(a->w->ctx, "origin-id", NS_SID);
	xmpp_stanza_set_attribute(oid, "id", it->origin_id);
	stanza_adopt(m, oid);
	return m;
}

enum omemo_send_status
omemo_send_encrypt(struct account *a, struct omemo *o,
		   const struct store_outbox_item *it, struct omemo_send_to *t,
		   xmpp_stanza_t **out)
{
	struct omemo_message om;
	enum omemo_send_status st;
	char *why;
	int r;

	ward_txn(a->w);
	r = omemo_encrypt(o, (const uint8_t *)it->body, strlen(it->body),
			  t->addr, t->n, &om);
	free(t->addr);
	t->addr = NULL;
	if (r != OMEMO_OK) {
		ward_txn_commit(a->w);
		xasprintf(&why, "encryption failed (%s)", omemo_strerror(r));
		st = omemo_send_drop(a, it, "omemo-unavailable", why);
		free(why);
		return st;
	}
	*out = send_stanza(a, it, &om);
	omemo_message_free(&om);
	/* the ratchet's new state is on disk before the message leaves: sent
	 * from a state that was then lost, its keys would be used twice */
	if (ward_txn_commit(a->w) != WARD_OK) {
		if (*out != NULL)
			xmpp_stanza_release(*out);
		*out = NULL;
		return OMEMO_SEND_WAIT; /* stays queued; tried again later */
	}
	if (*out == NULL)
		return omemo_send_drop(a, it, "omemo-unavailable",
				       "out of memory");
	return OMEMO_SEND_READY;
}

enum omemo_send_status
omemo_send_build(struct account *a, const struct store_outbox_item *it,
		 xmpp_stanza_t **out)
{
	struct omemo *o = omemo_dev_crypto(a);
	struct omemo_contact *peer, *own;
	struct omemo_send_to to = {0};
	uint32_t me;
	int waiting;

	*out = NULL;
	if (it->type == STORE_TYPE_GROUPCHAT)
		return omemo_room_send_build(a, it, out);
	if (o == NULL)
		return omemo_send_drop(a, it, "omemo-unavailable",
				       "the OMEMO state cannot be opened");
	me = omemo_device_id(o);
	peer = omemo_dev_contact(a, it->to, 1);
	own = omemo_dev_contact(a, a->jid, 1);
	if (peer == NULL || own == NULL)
		return omemo_send_drop(a, it, "omemo-unavailable",
				       "not a valid JID");
	waiting = omemo_send_prepare(a, o, peer, me, peer == own);
	if (own != peer)
		waiting |= omemo_send_prepare(a, o, own, me, 1);
	if (waiting)
		return OMEMO_SEND_WAIT;
	if (peer->list != OL_KNOWN || peer->n == 0) {
		omemo_send_forget(peer);
		return omemo_send_drop(a, it, "omemo-unavailable",
				       "it has no OMEMO device (no device "
				       "list published, or not readable)");
	}
	omemo_send_collect(a, o, peer, me, peer == own, &to);
	to.n_peer = to.n;
	if (own != peer)
		omemo_send_collect(a, o, own, me, 1, &to);
	if (to.n_peer == 0) {
		free(to.addr);
		if (omemo_ask_pending(a, peer->jid))
			return OMEMO_SEND_WAIT; /* until /accept or /reject */
		omemo_send_forget(peer);
		return omemo_send_drop(
		    a, it, "omemo-unavailable",
		    "none of its OMEMO devices is usable (no "
		    "bundle, or refused)");
	}
	return omemo_send_encrypt(a, o, it, &to, out);
}
