/*
 * im.c: an established session: presence, carbons and 1:1 messages
 * in and out. Outgoing messages go through the durable outbox and leave it
 * only when the server has acknowledged them (XEP-0198 <a/>, or a ping
 * answered after them when the server has no stream management); one
 * promised OMEMO goes out encrypted (omemo_send.c) or not at all. Incoming
 * <encrypted/> is decrypted (omemo_recv.c) before anything is shown.
 * The handlers here run from the table in handlers.c, which checks who
 * sent the stanza first (carbons: only our own bare JID).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "bounce.h"
#include "core.h"
#include "event.h"
#include "files.h"
#include "jid.h"
#include "msgedit.h"
#include "omemo_im.h"
#include "policy.h"
#include "stanza.h"
#include "store.h"
#include "store_edit.h"
#include "store_page.h"
#include "ward.h"

#define NS_CARBONS "urn:xmpp:carbons:2"
#define NS_FORWARD "urn:xmpp:forward:0"
#define NS_SID "urn:xmpp:sid:0"
#define NS_PING "urn:xmpp:ping"
#define NS_MUC_USER "http://jabber.org/protocol/muc#user"
#define IM_MAX_BODY 65536

static xmpp_stanza_t *
im_child(xmpp_stanza_t *parent, const char *name, const char *ns)
{
	return xmpp_stanza_get_child_by_name_and_ns(parent, name, ns);
}


static void
im_carbons_result(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	const char *type = reply ? xmpp_stanza_get_type(reply) : NULL;

	(void)arg;
	a->carbons = type != NULL && strcmp(type, "result") == 0;
}

/* HOOK_ONLINE: XEP-0280 carbons. */
void
im_carbons_online(struct account *a)
{
	char *id = account_new_id(a);
	xmpp_stanza_t *iq = xmpp_iq_new(a->w->ctx, "set", id), *en;

	free(id);
	en = stanza_elem(a->w->ctx, "enable", NS_CARBONS);
	xmpp_stanza_add_child(iq, en);
	xmpp_stanza_release(en);
	account_send_iq(a, iq, im_carbons_result, NULL);
	xmpp_stanza_release(iq);
}

/* HOOK_ONLINE: our first presence, with our caps (disco.c). */
void
im_presence_online(struct account *a)
{
	xmpp_stanza_t *pres = xmpp_presence_new(a->w->ctx);

	presence_fill(a, pres); /* /status, kept across logins */
	a->presence_ms = wall_ms(); /* offline messages are older */
	disco_caps(a, pres);
	account_send(a, pres);
	xmpp_stanza_release(pres);
}

/* HOOK_DOWN: carbons end with the connection. */
void
im_down(struct account *a)
{
	a->carbons = 0;
}

/* ---- outgoing messages ---- */

static void
im_unacked_add(struct account *a, int64_t outbox_id, const char *origin_id,
    const char *to)
{
	struct unacked *u;

	if (a->nunacked == a->capunacked) {
		a->capunacked = a->capunacked ? a->capunacked * 2 : 16;
		a->unacked = xrealloc(a->unacked,
		    a->capunacked * sizeof(*a->unacked));
	}
	u = &a->unacked[a->nunacked++];
	u->seq = a->out_seq;
	u->outbox_id = outbox_id;
	u->origin_id = xstrdup(origin_id);
	u->to = xstrdup(to);
}

static int
im_is_unacked(struct account *a, int64_t outbox_id)
{
	size_t i;

	for (i = 0; i < a->nunacked; i++)
		if (a->unacked[i].outbox_id == outbox_id)
			return 1;
	return 0;
}

void
im_acked(struct account *a, uint32_t h)
{
	struct store_ack ack = { a->full_jid, NULL, NULL, NULL };
	struct event ev;
	size_t i, keep = 0;

	for (i = 0; i < a->nunacked; i++) {
		struct unacked *u = &a->unacked[i];
		/* serial-number comparison (XEP-0198 counters wrap) */
		if ((int32_t)(h - u->seq) >= 0) {
			char *to_bare = jid_bare(u->to);
			const char *nick = to_bare ? muc_nick(a, to_bare) :
			    NULL;
			char *room_from = NULL;
			/* in a room (and to its occupants) we speak as
			 * room/nick: the reflection of our message then
			 * matches this history row */
			if (nick != NULL)
				xasprintf(&room_from, "%s/%s", to_bare, nick);
			free(to_bare);
			ack.from_jid = room_from ? room_from : a->full_jid;
			ack.occupant_id = room_from ? muc_own_occupant_id(a,
			    room_from) : NULL;
			ward_txn(a->w);
			if (!msgedit_acked(a, u->outbox_id, u->origin_id,
			    u->to, &ack) &&
			    store_outbox_ack(a->w->store, u->outbox_id, &ack) !=
			    WARD_OK)
				log_warn("%s: cannot mark message acked",
				    a->name);
			event_init(&ev, EV_ACKED, a->name);
			event_str(&ev, "id", u->origin_id);
			event_str(&ev, "to", u->to);
			event_emit(&ev);
			free(room_from);
			free(u->origin_id);
			free(u->to);
		} else {
			a->unacked[keep++] = *u;
		}
	}
	a->nunacked = keep;
}

void
im_offline(struct account *a)
{
	size_t i;

	for (i = 0; i < a->nunacked; i++) {
		free(a->unacked[i].origin_id);
		free(a->unacked[i].to);
	}
	a->nunacked = 0;
}

static void
im_barrier_reply(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	uint32_t seq = (uint32_t)(uintptr_t)arg;

	if (reply != NULL)
		im_acked(a, seq);
}

/* Without stream management: a ping answered proves the server has
 * everything sent before it (a stream is processed in order). */
static void
im_send_barrier(struct account *a)
{
	char *id = account_new_id(a);
	xmpp_stanza_t *iq = xmpp_iq_new(a->w->ctx, "get", id), *p;
	uint32_t seq = a->out_seq;

	free(id);
	p = stanza_elem(a->w->ctx, "ping", NS_PING);
	xmpp_stanza_add_child(iq, p);
	xmpp_stanza_release(p);
	account_send_iq(a, iq, im_barrier_reply, (void *)(uintptr_t)seq);
	xmpp_stanza_release(iq);
}

/* One flush of the outbox: conversations held back in this pass (a
 * message waiting for OMEMO keys holds the later ones to the same peer,
 * so that nothing overtakes it). */
struct im_flush {
	struct account *a;
	char **held;
	size_t nheld;
};

static int
im_is_held(const struct im_flush *f, const char *to)
{
	size_t i;

	for (i = 0; i < f->nheld; i++)
		if (strcmp(f->held[i], to) == 0)
			return 1;
	return 0;
}

static void
im_hold(struct im_flush *f, const char *to)
{
	f->held = xrealloc(f->held, (f->nheld + 1) * sizeof(*f->held));
	f->held[f->nheld++] = xstrdup(to);
}

/* The plaintext stanza of an item promised no encryption. */
static xmpp_stanza_t *
im_plain_stanza(struct account *a, const struct store_outbox_item *it)
{
	xmpp_stanza_t *m, *oid, *x;
	char *occupant = it->type == STORE_TYPE_CHAT ?
	    muc_occupant(a, it->to) : NULL;

	m = xmpp_message_new(a->w->ctx, it->type == STORE_TYPE_GROUPCHAT ?
	    "groupchat" : "chat", it->to, it->origin_id);
	if (it->body[0] != '\0')	/* a plaintext reaction has none */
		stanza_add_text_child(m, "body", it->body);
	if (occupant != NULL) {
		/* XEP-0045 7.5: a private message to an occupant */
		x = stanza_elem(a->w->ctx, "x", NS_MUC_USER);
		xmpp_stanza_add_child(m, x);
		xmpp_stanza_release(x);
		free(occupant);
	}
	if (files_link_is_ours(a->w, it->body)) {
		/* XEP-0066: the link of a file we uploaded */
		x = stanza_elem(a->w->ctx, "x", "jabber:x:oob");
		stanza_add_text_child(x, "url", it->body);
		stanza_adopt(m, x);
	}
	oid = stanza_elem(a->w->ctx, "origin-id", NS_SID);
	xmpp_stanza_set_attribute(oid, "id", it->origin_id);
	xmpp_stanza_add_child(m, oid);
	xmpp_stanza_release(oid);
	return m;
}

static int
im_send_item(const struct store_outbox_item *it, void *arg)
{
	struct im_flush *f = arg;
	struct account *a = f->a;
	xmpp_stanza_t *m = NULL;

	if (im_is_unacked(a, it->id) || im_is_held(f, it->to))
		return 0;
	/* never weaker than promised: OMEMO or nothing */
	if (it->enc == STORE_ENC_OMEMO) {
		switch (omemo_send_build(a, it, &m)) {
		case OMEMO_SEND_READY:
			break;
		case OMEMO_SEND_WAIT:
			im_hold(f, it->to);
			return 0;
		case OMEMO_SEND_DROPPED:
			return 0;
		}
	} else {
		m = im_plain_stanza(a, it);
	}
	/* chat state, receipt request, markable: only as the policy allows */
	signals_decorate(a, it->to, it->type == STORE_TYPE_GROUPCHAT, m);
	msgedit_decorate(a, it, m);	/* a correction, reply... */
	if (account_send(a, m) == WARD_OK) {
		im_unacked_add(a, it->id, it->origin_id, it->to);
		store_outbox_mark_sent(a->w->store, it->id, 0);
	}
	xmpp_stanza_release(m);
	return 0;
}

void
im_flush_outbox(struct account *a)
{
	struct im_flush f = { a, NULL, 0 };
	size_t before = a->nunacked, i;

	if (a->state != AS_ONLINE || a->conn == NULL || a->sm_pending)
		return;
	ward_txn(a->w);
	store_outbox_pending(a->w->store, a->name, im_send_item, &f);
	for (i = 0; i < f.nheld; i++)
		free(f.held[i]);
	free(f.held);
	if (a->nunacked == before)
		return;
	if (a->sm_enabled)
		session_request_ack(a);
	else
		im_send_barrier(a);
}

/* A private message to an occupant that would go in plaintext without
 * the user having said so (policy.c). */
static void
im_pm_refused(struct account *a, const char *occupant)
{
	char *text;

	xasprintf(&text, "not sent: a private message to %s cannot be "
	    "OMEMO-encrypted (the room does not tell ward the occupant's "
	    "address). To send it in plaintext, /omemo off %s first",
	    occupant, occupant);
	event_error(a->name, "muc-pm-unencrypted", text);
	free(text);
}

/* A message to a room that was private and is public now (policy.c):
 * refused rather than sent in plaintext. */
static void
im_room_refused(struct account *a, const char *room)
{
	struct event ev;
	char *text;

	xasprintf(&text, "not sent: %s is no longer private (not both "
	    "members-only and non-anonymous), so OMEMO stopped there and ward "
	    "does not send in plaintext what was encrypted before. To write "
	    "there unencrypted, /omemo off %s first", room, room);
	event_init(&ev, EV_ERROR, a->name);
	event_str(&ev, "code", "room-not-private");
	event_str(&ev, "text", text);
	event_str(&ev, "room", room);
	event_emit(&ev);
	free(text);
}

int
im_send_message(struct account *a, const char *to, const char *body)
{
	return im_send_change(a, to, body, NULL, NULL);
}

int
im_send_change(struct account *a, const char *to, const char *body,
    const struct im_change *ch, char **origin_out)
{
	char *bare, *origin;
	int64_t id;
	struct event ev;
	enum store_enc enc;
	int r, groupchat, pm;

	/* ROOM/NICK: a private message to that occupant, its own
	 * conversation; anything else goes to the bare JID */
	bare = muc_occupant(a, to);
	pm = bare != NULL;
	if (bare == NULL)
		bare = jid_bare(to);
	if (bare == NULL) {
		event_error(a->name, "invalid-jid", "not a valid JID");
		return WARD_ERR_INVAL;
	}
	if (strlen(body) > IM_MAX_BODY) {
		free(bare);
		event_error(a->name, "too-long", "message longer than 64 KiB");
		return WARD_ERR_LIMIT;
	}
	if (pm && !policy_room_pm_allowed(a, bare)) {
		im_pm_refused(a, bare);
		free(bare);
		return WARD_ERR_POLICY;
	}
	groupchat = !pm && muc_is_room(a, bare);
	if (groupchat && policy_room_send_refused(a, bare)) {
		im_room_refused(a, bare);
		free(bare);
		return WARD_ERR_POLICY;
	}
	origin = account_new_id(a);
	if (!pm && !groupchat) {
		ward_txn(a->w);
		policy_set_accepted(a, bare); /* we started it: no request */
	}
	enc = pm ? STORE_ENC_NONE : policy_chat_encryption(a, bare, groupchat);
	/* a plaintext reaction travels without a body (XEP-0444) */
	if (ch != NULL && strcmp(ch->kind, "react") == 0 &&
	    enc == STORE_ENC_NONE)
		body = "";
	r = store_outbox_add(a->w->store, a->name, bare,
	    groupchat ? STORE_TYPE_GROUPCHAT : STORE_TYPE_CHAT, enc, body,
	    origin, &id);
	if (r == WARD_OK && ch != NULL)
		r = store_change_set(a->w->store, id, ch->kind, ch->ref,
		    ch->extra);
	/* durable before the user is told it is queued */
	ward_txn_commit(a->w);
	if (r != WARD_OK) {
		event_error(a->name, "storage", "cannot queue the message");
		free(bare);
		free(origin);
		return r;
	}
	event_init(&ev, EV_QUEUED, a->name);
	event_str(&ev, "id", origin);
	event_str(&ev, "to", bare);
	event_str(&ev, "encryption", enc == STORE_ENC_OMEMO ? "omemo" : "none");
	/* the text as queued, so every frontend (a UI fed by the pipe too)
	 * can show the line with its delivery state; for a change, what it
	 * shows (msgedit.c) */
	if (ch != NULL) {
		event_str(&ev, "change", ch->kind);
		event_str(&ev, "ref", ch->ref);
		event_str(&ev, "body", ch->show);
	} else
		event_str(&ev, "body", body);
	event_emit(&ev);
	im_flush_outbox(a);
	free(bare);
	if (origin_out != NULL)
		*origin_out = origin;
	else
		free(origin);
	return WARD_OK;
}

/* ---- incoming ---- */

/* Stores and reports one chat message. from/to are as on the wire. 1 when
 * it was new and shown as a chat (not held as a request). */
int
im_deliver(struct account *a, xmpp_stanza_t *m, const char *from,
    const char *to, const struct im_in *in)
{
	int outgoing = in->outgoing;
	const char *body = stanza_child_text(m, "body");
	const char *type = xmpp_stanza_get_type(m);
	const char *trust = "none";
	xmpp_stanza_t *sid = NULL, *oid, *c;
	struct store_msg sm;
	struct msgedit_in ein;
	struct msgedit_reply rp;
	struct event ev;
	char *peer, *plain = NULL;
	int dup = 0, groupchat, pm, request;

	groupchat = type != NULL && strcmp(type, "groupchat") == 0;
	/* an encrypted message's <body/> is a fallback: never shown */
	switch (omemo_recv(a, m, from, groupchat, &plain, &trust)) {
	case OMEMO_RECV_PLAIN:
		break;
	case OMEMO_RECV_OK:
		body = plain;
		break;
	case OMEMO_RECV_NOTHING:
		return 0;
	}
	memset(&ein, 0, sizeof(ein));
	ein.from = from;
	ein.to = to;
	ein.outgoing = outgoing;
	ein.own = in->own;
	ein.groupchat = groupchat;
	ein.encrypted = plain != NULL;
	ein.archived = in->archive_id != NULL;
	ein.body = body;
	/* corrections, retractions, reactions: changes, not messages */
	if (msgedit_incoming(a, m, &ein)) {
		freezero_str(plain);
		return 0;
	}
	if (body == NULL)
		return 0;	/* chat states, receipts: nothing to show */
	/* a room's private message (to or from room/nick of a room we
	 * are in) is its own conversation, never the room's */
	peer = groupchat ? NULL : muc_occupant(a, outgoing ? to : from);
	pm = peer != NULL;
	if (peer == NULL)
		peer = jid_bare(outgoing && !groupchat ? to : from);
	outgoing = outgoing || in->own;
	if (peer == NULL) {
		freezero_str(plain);
		return 0;
	}
	/* a stranger's message is held as a request (requests.c) */
	request = !outgoing && !groupchat && !pm && policy_is_request(a, from);
	/* a stanza-id counts only when our own server (or the room)
	 * stamped it, and says in disco#info that it stamps them (mam.c,
	 * muc.c): else anyone could make up the id we catch up from */
	for (c = xmpp_stanza_get_children(m); c != NULL;
	    c = xmpp_stanza_get_next(c)) {
		const char *ns = xmpp_stanza_get_ns(c), *by;
		if (!xmpp_stanza_is_tag(c) || ns == NULL ||
		    strcmp(ns, NS_SID) != 0 ||
		    strcmp(xmpp_stanza_get_name(c), "stanza-id") != 0)
			continue;
		by = xmpp_stanza_get_attribute(c, "by");
		if (by == NULL || !jid_bare_equal(by, groupchat ? peer : a->jid))
			continue;
		if (groupchat ? muc_stamps_ids(a, peer) : a->archive_sid)
			sid = c;
		else
			log_info("%s: stanza-id by %s ignored (no %s or MAM in "
			    "its disco#info)", a->name, by, NS_SID);
	}
	oid = im_child(m, "origin-id", NS_SID);
	/* a reply: its quote is the stored original, not the fallback */
	msgedit_reply_in(a, m, peer, body, &rp);
	if (rp.body != NULL)
		body = rp.body;
	memset(&sm, 0, sizeof(sm));
	sm.account = a->name;
	sm.peer = peer;
	sm.dir = outgoing ? STORE_DIR_OUT : STORE_DIR_IN;
	sm.type = groupchat ? STORE_TYPE_GROUPCHAT : STORE_TYPE_CHAT;
	sm.from_jid = from;
	sm.stanza_id = xmpp_stanza_get_id(m);
	sm.origin_id = oid ? xmpp_stanza_get_attribute(oid, "id") : NULL;
	sm.server_id = sid ? xmpp_stanza_get_attribute(sid, "id") : NULL;
	sm.server_id_by = sid ? xmpp_stanza_get_attribute(sid, "by") : NULL;
	if (in->archive_id != NULL && in->archive_by != NULL &&
	    (!groupchat || jid_bare_equal(in->archive_by, peer))) {
		sm.server_id = in->archive_id;	/* MAM result id = stanza-id */
		sm.server_id_by = in->archive_by;
	}
	sm.body = body;
	sm.enc = plain != NULL ? STORE_ENC_OMEMO : STORE_ENC_NONE;
	sm.ts = in->ts > 0 ? in->ts : wall_ms();
	if (groupchat)
		sm.occupant_id = muc_occupant_id_of(a, m, from);
	sm.delayed = in->delayed;
	ward_txn(a->w);
	if (store_history_add(a->w->store, &sm, &dup) != WARD_OK)
		log_warn("%s: cannot store a message", a->name);
	else if (!dup)
		msgedit_stored(a, m, store_page_last_id(a->w->store), &ein,
		    peer, rp.reply_to);
	else if (groupchat && outgoing && sm.server_id && sm.origin_id &&
	    store_own_server_id(a->w->store, a->name, peer, sm.origin_id,
	    sm.server_id, sm.server_id_by) != WARD_OK)
		log_warn("%s: cannot store a room's id for our message",
		    a->name);
	if (!dup) {
		event_init(&ev, EV_MESSAGE, a->name);
		event_str(&ev, "from", from);
		event_str(&ev, "to", to);
		event_str(&ev, "type", groupchat ? "groupchat" : "chat");
		event_str(&ev, "id", xmpp_stanza_get_id(m));
		event_str(&ev, "body", body);
		event_str(&ev, "encryption", plain != NULL ? "omemo" : "none");
		event_str(&ev, "trust", trust);
		if (outgoing)
			event_bool(&ev, "outgoing", 1);
		if (pm)
			event_bool(&ev, "private", 1);
		event_int(&ev, "ts", sm.ts);
		event_bool(&ev, "delayed", in->delayed);
		if (groupchat)
			event_str(&ev, "occupant_id", sm.occupant_id);
		if (request)
			event_bool(&ev, "request", 1);
		if (rp.reply_to != NULL) {
			event_str(&ev, "reply_to", rp.reply_to);
			event_str(&ev, "quote", rp.quote);
		}
		event_emit(&ev);
		if (request)
			requests_note(a, from);
		if (!outgoing)	/* a link is an offer, never a fetch */
			files_offer_scan(a, m, peer, from, body, plain != NULL);
	}
	msgedit_reply_clear(&rp);
	free(peer);
	freezero_str(plain);	/* decrypted text: wiped */
	return !dup && !request;
}

/* XEP-0280 (handlers.c: only our own bare JID may send carbons). WRAP is
 * the <received/> or <sent/>. The wrapper's sender is not enough: a
 * <sent/> copy must be a message from our account and a <received/> copy
 * one to our account (XEP-0280 section 11), else a misbehaving server
 * could show a stranger's text as ours or a conversation between two
 * other people as one with us. */
void
im_carbon(struct account *a, xmpp_stanza_t *m, xmpp_stanza_t *wrap)
{
	xmpp_stanza_t *fwd, *inner;
	const char *from, *to;
	struct im_in in;

	(void)m;
	/* a carbon is a copy made now: its <delay/>, if any, is not
	 * believed (our server does not stamp carbons) */
	memset(&in, 0, sizeof(in));
	in.outgoing = strcmp(xmpp_stanza_get_name(wrap), "sent") == 0;
	fwd = im_child(wrap, "forwarded", NS_FORWARD);
	inner = fwd ? xmpp_stanza_get_child_by_name(fwd, "message") : NULL;
	if (inner == NULL)
		return;
	from = xmpp_stanza_get_from(inner);
	to = xmpp_stanza_get_to(inner);
	if (from == NULL || to == NULL)
		return;
	if (!jid_bare_equal(in.outgoing ? from : to, a->jid)) {
		log_warn("%s: %s carbon of a message %s %s dropped (not our "
		    "account)", a->name, in.outgoing ? "sent" : "received",
		    in.outgoing ? "from" : "to", in.outgoing ? from : to);
		return;
	}
	im_deliver(a, inner, from, to, &in);
}

/* A message we sent bounced (type error, from anyone). */
void
im_message_error(struct account *a, xmpp_stanza_t *m, xmpp_stanza_t *child)
{
	(void)child;
	bounce_report(a, m);	/* with the id of ours it answers */
}

/* A room's message (handlers.c: only from a room we are in). */
void
im_groupchat(struct account *a, xmpp_stanza_t *m, xmpp_stanza_t *child)
{
	const char *from = xmpp_stanza_get_from(m);
	struct im_in in;
	char *room;

	(void)child;
	if (from == NULL || muc_nick(a, from) == NULL)
		return;		/* the table's rule: cannot happen */
	if (muc_subject(a, m, from) || muc_room_notice(a, m, from))
		return;
	memset(&in, 0, sizeof(in));
	/* our own message reflected by the room counts as sent: known by
	 * what we sent, not by the nick (muc.c) */
	in.own = muc_is_own(a, m, from);
	/* the room's history (XEP-0045 7.2.14): the time the room stamped */
	room = jid_bare(from);
	in.delayed = room != NULL && muc_history_expected(a, room) &&
	    delay_stamp(m, room, &in.ts);
	if (in.delayed)
		in.ts = muc_history_order(a, room, in.ts);
	else
		in.ts = 0;
	free(room);
	if (im_deliver(a, m, from, xmpp_stanza_get_to(m) ?
	    xmpp_stanza_get_to(m) : a->full_jid, &in) && !in.own)
		signals_incoming(a, m, from, 1);
	room = jid_bare(from);
	if (room != NULL)
		muc_mam_live(a, m, room);
	free(room);
}

/* A 1:1 message, the default route of messages. */
void
im_chat(struct account *a, xmpp_stanza_t *m, xmpp_stanza_t *child)
{
	const char *from = xmpp_stanza_get_from(m);
	struct im_in in;

	(void)child;
	if (from == NULL)
		return;		/* nobody to show it from */
	if (muc_room_notice(a, m, from))
		return;		/* a room's status change, no body */
	memset(&in, 0, sizeof(in));
	/* offline storage (XEP-0160): only our server's stamp counts */
	in.delayed = delay_stamp(m, a->domain, &in.ts) &&
	    a->presence_ms > 0 && in.ts <= a->presence_ms;
	if (!in.delayed)
		in.ts = 0;
	if (im_deliver(a, m, from, xmpp_stanza_get_to(m) ?
	    xmpp_stanza_get_to(m) : a->full_jid, &in))
		signals_incoming(a, m, from, 0);
}

/* A presence not from a room we are in (handlers.c). */
void
im_presence(struct account *a, xmpp_stanza_t *p, xmpp_stanza_t *child)
{
	struct event ev;
	const char *type = xmpp_stanza_get_type(p);

	(void)child;
	if (xmpp_stanza_get_from(p) == NULL)
		return;
	event_init(&ev, EV_PRESENCE, a->name);
	event_str(&ev, "from", xmpp_stanza_get_from(p));
	event_str(&ev, "type", type ? type : "available");
	event_str(&ev, "show", stanza_child_text(p, "show"));
	event_str(&ev, "status", stanza_child_text(p, "status"));
	event_emit(&ev);
}
