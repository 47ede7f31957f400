/*
 * msgedit.c: corrections (XEP-0308), retractions (XEP-0424), reactions
 * (XEP-0444) and replies (XEP-0461, XEP-0428 fallback). An incoming change
 * is matched to a stored message of the same conversation by any of its
 * ids, and applied only when msgrule.c says its sender may make it;
 * otherwise it is dropped and logged (the sender escaped). Our own changes
 * are queued durably in the outbox (im.c) and applied locally at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "core.h"
#include "event.h"
#include "jid.h"
#include "msgedit.h"
#include "msgrule.h"
#include "muc_occ.h"
#include "stanza.h"
#include "store_edit.h"
#include "store_page.h"
#include "ward.h"

#define NS_CORRECT "urn:xmpp:message-correct:0"
#define NS_RETRACT "urn:xmpp:message-retract:1"
#define NS_REACTIONS "urn:xmpp:reactions:0"
#define NS_REPLY "urn:xmpp:reply:0"
#define NS_FALLBACK "urn:xmpp:fallback:0"
#define NS_HINTS "urn:xmpp:hints"
#define NS_OCCUPANT_ID "urn:xmpp:occupant-id:0"
#define NS_DELAY "urn:xmpp:delay"
#define NS_SID "urn:xmpp:sid:0"

#define MSGEDIT_MAX_REACTIONS 16
#define MSGEDIT_MAX_REACTION 32 /* bytes of one reaction */
#define MSGEDIT_QUOTE_MAX 120   /* bytes of a quoted line */
#define MSGEDIT_SENT_RING 32

/* Origin-ids of the changes we sent lately: a room reflects them, and
 * once the outbox has forgotten them muc_is_own could not tell. */
static char *msgedit_sent[MSGEDIT_SENT_RING];
static size_t msgedit_sent_next;

static void
msgedit_remember(const char *origin_id)
{
	free(msgedit_sent[msgedit_sent_next]);
	msgedit_sent[msgedit_sent_next] = xstrdup(origin_id);
	msgedit_sent_next = (msgedit_sent_next + 1) % MSGEDIT_SENT_RING;
}

static int
msgedit_is_sent(const char *origin_id)
{
	size_t i;

	for (i = 0; origin_id != NULL && i < MSGEDIT_SENT_RING; i++)
		if (msgedit_sent[i] && strcmp(msgedit_sent[i], origin_id) == 0)
			return 1;
	return 0;
}

static char *msgedit_quote(const char *body, int retracted);

static void
msgedit_dropped(struct account *a, const char *what, const char *from,
		const char *why)
{
	/* log_msg escapes the sender's JID (sanitize_for_log, T45) */
	log_warn("%s: %s from %s dropped (%s)", a->name, what,
		 from ? from : "(none)", why);
}

static xmpp_stanza_t *
msgedit_child(xmpp_stanza_t *m, const char *name, const char *ns)
{
	return xmpp_stanza_get_child_by_name_and_ns(m, name, ns);
}

/* The conversation of a message: ROOM/NICK for a room's private one, else
 * the bare JID of the peer (the room for group chat). */
static char *
msgedit_peer(struct account *a, const char *from, const char *to, int outgoing,
	     int groupchat)
{
	char *peer = groupchat ? NULL : muc_occupant(a, outgoing ? to : from);

	if (peer == NULL)
		peer = jid_bare(outgoing && !groupchat ? to : from);
	return peer;
}

/* The presence session of the occupant FROM (ROOM/NICK) of ROOM now; 0
 * when unknown. */
static int64_t
msgedit_occ_session(struct account *a, const char *room, const char *from)
{
	const char *slash = strchr(from, '/');

	return slash ? muc_occ_session(a, room, slash + 1) : 0;
}

/* For a room message or a private one (PEER is ROOM/NICK): whether the
 * room advertises occupant-ids, and the presence session of the occupant
 * FROM now. 0 for a 1:1 chat. */
static int
msgedit_occupant_ctx(struct account *a, const char *peer, const char *from,
		     int groupchat, int *oids, int64_t *session)
{
	char *room;

	*oids = 0;
	*session = 0;
	if (!groupchat && strchr(peer, '/') == NULL)
		return 0;
	if ((room = jid_bare(peer)) == NULL)
		return 0;
	*oids = muc_has_occupant_ids(a, room);
	*session = msgedit_occ_session(a, room, from);
	free(room);
	return 1;
}

/* ---- incoming changes ---- */

static void
msgedit_event_base(struct event *ev, enum event_kind kind, struct account *a,
		   const char *peer, const struct store_ref *r)
{
	event_init(ev, kind, a->name);
	event_str(ev, "with", peer);
	event_str(ev, "id", r->id);
}

static void
msgedit_emit_edited(struct account *a, const char *peer,
		    const struct store_ref *r, const char *from,
		    const char *body, int encrypted)
{
	struct event ev;

	msgedit_event_base(&ev, EV_MESSAGE_EDITED, a, peer, r);
	event_str(&ev, "from", from);
	event_str(&ev, "body", body);
	event_str(&ev, "encryption", encrypted ? "omemo" : "none");
	event_emit(&ev);
}

static void
msgedit_emit_retracted(struct account *a, const char *peer,
		       const struct store_ref *r, const char *from)
{
	struct event ev;

	msgedit_event_base(&ev, EV_MESSAGE_RETRACTED, a, peer, r);
	event_str(&ev, "from", from);
	event_emit(&ev);
}

/* "E n, F m": each reaction and how many reactors chose it, in order of
 * first appearance; from the store's per-reactor lines. */
static char *
msgedit_summary(const char *all)
{
	char *copy = xstrdup(all), *tok, *save = NULL, *out;
	const char *names[64];
	int counts[64];
	size_t n = 0, i, len = 1;

	for (tok = strtok_r(copy, " \n", &save); tok != NULL;
	     tok = strtok_r(NULL, " \n", &save)) {
		for (i = 0; i < n && strcmp(names[i], tok) != 0; i++)
			;
		if (i == n && n < 64) {
			names[n] = tok;
			counts[n++] = 0;
		}
		if (i < n)
			counts[i]++;
	}
	for (i = 0; i < n; i++)
		len += strlen(names[i]) + 16;
	out = xmalloc(len);
	out[0] = '\0';
	for (i = 0; i < n; i++)
		sprintf(out + strlen(out), "%s%s %d", i ? ", " : "", names[i],
			counts[i]);
	free(copy);
	return out;
}

static void
msgedit_emit_reactions(struct account *a, const char *peer,
		       const struct store_ref *r, const char *from)
{
	struct event ev;
	char *all = NULL, *sum;

	if (store_react_all(a->w->store, r->row, &all) != WARD_OK)
		return;
	sum = msgedit_summary(all);
	msgedit_event_base(&ev, EV_REACTIONS, a, peer, r);
	event_str(&ev, "from", from);
	event_str(&ev, "reactions", sum);
	event_emit(&ev);
	free(sum);
	free(all);
}

/* 1 when the space-separated LIST holds the word T. */
static int
msgedit_has_token(const char *list, const char *t)
{
	size_t n = strlen(t);
	const char *p = list;

	while ((p = strstr(p, t)) != NULL) {
		if ((p == list || p[-1] == ' ') &&
		    (p[n] == ' ' || p[n] == '\0'))
			return 1;
		p++;
	}
	return 0;
}

/* The reactions of <reactions/> as "E1 E2" (malloc), or NULL when one is
 * not a plausible emoji: too long, too many, spaces, controls, commas. */
static char *
msgedit_reaction_list(xmpp_stanza_t *rs)
{
	xmpp_stanza_t *c;
	char *out = xstrdup(""), *t;
	size_t n = 0, i;

	for (c = xmpp_stanza_get_children(rs); c != NULL;
	     c = xmpp_stanza_get_next(c)) {
		if (!xmpp_stanza_is_tag(c) ||
		    strcmp(xmpp_stanza_get_name(c), "reaction") != 0)
			continue;
		t = xmpp_stanza_get_text(c);
		if (t == NULL || t[0] == '\0' ||
		    strlen(t) > MSGEDIT_MAX_REACTION ||
		    ++n > MSGEDIT_MAX_REACTIONS)
			goto bad;
		for (i = 0; t[i] != '\0'; i++) {
			unsigned char ch = (unsigned char)t[i];
			if (ch <= 0x20 || ch == 0x7f || ch == ',' ||
			    (ch == 0xc2 && (unsigned char)t[i + 1] < 0xa0))
				goto bad;
		}
		if (!msgedit_has_token(out, t)) {
			char *joined;
			xasprintf(&joined, "%s%s%s", out, out[0] ? " " : "", t);
			free(out);
			out = joined;
		}
		xmpp_free(xmpp_stanza_get_context(rs), t);
		continue;
	bad:
		if (t != NULL)
			xmpp_free(xmpp_stanza_get_context(rs), t);
		free(out);
		return NULL;
	}
	return out;
}

/* Who reacted, as the key of its set: "self", a bare JID (1:1), or the
 * occupant by occupant-id or (full JID, room session). */
static char *
msgedit_reactor(struct account *a, xmpp_stanza_t *m,
		const struct msgedit_in *in, int own, int oids, int64_t session)
{
	xmpp_stanza_t *o;
	const char *oid;
	char *key;

	if (own)
		return xstrdup("self");
	if (!in->groupchat)
		return jid_bare(in->from);
	o = msgedit_child(m, "occupant-id", NS_OCCUPANT_ID);
	oid = o ? xmpp_stanza_get_attribute(o, "id") : NULL;
	if (oids && oid != NULL && oid[0] != '\0')
		xasprintf(&key, "occupant:%s", oid);
	else
		xasprintf(&key, "nick:%s#%lld", in->from, (long long)session);
	(void)a;
	return key;
}

int
msgedit_incoming(struct account *a, xmpp_stanza_t *m,
		 const struct msgedit_in *in)
{
	xmpp_stanza_t *ch, *oidc, *origin;
	enum msgrule_kind kind;
	const char *what, *ref, *why = "no such message in the conversation";
	struct msgrule_change c;
	struct store_ref *rows = NULL;
	size_t n = 0, i;
	char *peer, *emojis = NULL;
	int oids = 0, own, applied = 0, pm;
	int64_t session = 0;

	if ((ch = msgedit_child(m, "replace", NS_CORRECT)) != NULL) {
		kind = MSGRULE_CORRECT;
		what = "correction";
	} else if ((ch = msgedit_child(m, "retract", NS_RETRACT)) != NULL) {
		kind = MSGRULE_RETRACT;
		what = "retraction";
	} else if ((ch = msgedit_child(m, "reactions", NS_REACTIONS)) != NULL) {
		kind = MSGRULE_REACT;
		what = "reactions";
	} else {
		return 0;
	}
	ref = xmpp_stanza_get_attribute(ch, "id");
	peer = msgedit_peer(a, in->from, in->to, in->outgoing, in->groupchat);
	if (ref == NULL || peer == NULL) {
		msgedit_dropped(a, what, in->from, "no id or conversation");
		free(peer);
		return 1;
	}
	origin = msgedit_child(m, "origin-id", NS_SID);
	if (in->groupchat && origin != NULL &&
	    msgedit_is_sent(xmpp_stanza_get_attribute(origin, "id"))) {
		free(peer); /* our own change reflected: applied already */
		return 1;
	}
	if (kind == MSGRULE_CORRECT && in->body == NULL) {
		msgedit_dropped(a, what, in->from, "no body");
		free(peer);
		return 1;
	}
	if (kind == MSGRULE_REACT &&
	    (emojis = msgedit_reaction_list(ch)) == NULL) {
		msgedit_dropped(a, what, in->from, "not reactions");
		free(peer);
		return 1;
	}
	pm = msgedit_occupant_ctx(a, peer, in->from, in->groupchat, &oids,
				  &session) &&
	     !in->groupchat;
	/* ours: in a room by what the room says (muc_is_own), in a private
	 * chat only a copy of what we sent */
	own = in->groupchat ? in->own
	      : pm          ? in->outgoing
			    : in->outgoing || jid_bare_equal(in->from, a->jid);
	memset(&c, 0, sizeof(c));
	c.account = a->jid;
	c.from = in->from;
	c.own = own;
	c.room_occupant_ids = oids;
	oidc = msgedit_child(m, "occupant-id", NS_OCCUPANT_ID);
	c.occupant_id =
	    oids && oidc ? xmpp_stanza_get_attribute(oidc, "id") : NULL;
	c.room_session = in->archived ? 0 : session;
	c.encrypted = in->encrypted;
	ward_txn(a->w);
	if (store_ref_find(a->w->store, a->name, peer, ref, &rows, &n) !=
	    WARD_OK)
		n = 0;
	for (i = 0; i < n && !applied; i++) {
		struct store_ref *r = &rows[i];
		struct msgrule_orig o = {peer,
					 r->type == STORE_TYPE_GROUPCHAT,
					 r->dir == STORE_DIR_OUT,
					 r->from_jid,
					 r->occupant_id,
					 r->room_session,
					 r->enc == STORE_ENC_OMEMO,
					 r->retracted,
					 pm};
		if (kind == MSGRULE_RETRACT && r->retracted && own) {
			applied = 1; /* our own retraction again */
			break;
		}
		if ((why = msgrule_check(kind, &o, &c)) != NULL)
			continue;
		applied = 1;
		if (kind == MSGRULE_CORRECT) {
			if (strcmp(r->body, in->body) == 0)
				break; /* our own, or a repeat */
			if (store_edit_apply(a->w->store, r->row, in->body,
					     wall_ms()) == WARD_OK)
				msgedit_emit_edited(a, peer, r, in->from,
						    in->body, in->encrypted);
		} else if (kind == MSGRULE_RETRACT) {
			if (store_retract(a->w->store, r->row) == WARD_OK)
				msgedit_emit_retracted(a, peer, r, in->from);
		} else {
			char *key = msgedit_reactor(a, m, in, own, oids,
						    c.room_session);
			if (store_react_set(a->w->store, r->row, key, emojis,
					    wall_ms()) == WARD_OK)
				msgedit_emit_reactions(a, peer, r, in->from);
			free(key);
		}
	}
	if (!applied)
		msgedit_dropped(a, what, in->from, why);
	store_refs_free(rows, n);
	free(emojis);
	free(peer);
	return 1;
}

void
msgedit_history_fields(struct account *a, const struct store_msg *m,
		       struct event *ev, struct msgedit_hist *keep)
{
	struct store_ref *rows = NULL;
	char *all = NULL;
	int edited = 0, retracted = 0;
	size_t n = 0;

	memset(keep, 0, sizeof(*keep));
	if (m->id <= 0 ||
	    store_msg_flags(a->w->store, m->id, &edited, &retracted,
			    &keep->reply_to) != WARD_OK)
		return;
	if (edited)
		event_bool(ev, "edited", 1);
	if (retracted)
		event_bool(ev, "retracted", 1);
	if (keep->reply_to != NULL) {
		event_str(ev, "reply_to", keep->reply_to);
		if (store_ref_find(a->w->store, a->name, m->peer,
				   keep->reply_to, &rows, &n) == WARD_OK &&
		    n > 0) {
			keep->quote =
			    msgedit_quote(rows[0].body, rows[0].retracted);
			event_str(ev, "quote", keep->quote);
		}
		store_refs_free(rows, n);
	}
	if (store_react_all(a->w->store, m->id, &all) == WARD_OK &&
	    all[0] != '\0') {
		keep->reactions = msgedit_summary(all);
		event_str(ev, "reactions", keep->reactions);
	}
	free(all);
}

void
msgedit_hist_clear(struct msgedit_hist *keep)
{
	free(keep->reply_to);
	free(keep->quote);
	free(keep->reactions);
	memset(keep, 0, sizeof(*keep));
}

/* ---- replies ---- */

void
msgedit_reply_clear(struct msgedit_reply *r)
{
	free(r->body);
	free(r->reply_to);
	free(r->quote);
	memset(r, 0, sizeof(*r));
}

/* Byte offset of code point CP in S (XEP-0426 counts code points), or
 * (size_t)-1 past the end. */
static size_t
msgedit_cp_offset(const char *s, unsigned long cp)
{
	size_t i = 0;
	unsigned long k = 0;

	while (k < cp) {
		if (s[i] == '\0')
			return (size_t)-1;
		i++;
		while (((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
		k++;
	}
	return i;
}

/* The first line of BODY, at most MSGEDIT_QUOTE_MAX bytes, cut on a
 * character boundary (malloc). */
static char *
msgedit_quote(const char *body, int retracted)
{
	size_t n = strcspn(body, "\n");

	if (retracted)
		return xstrdup("(retracted)");
	if (n > MSGEDIT_QUOTE_MAX) {
		n = MSGEDIT_QUOTE_MAX;
		while (n > 0 && ((unsigned char)body[n] & 0xc0) == 0x80)
			n--;
	}
	return xstrndup(body, n);
}

void
msgedit_reply_in(struct account *a, xmpp_stanza_t *m, const char *peer,
		 const char *body, struct msgedit_reply *r)
{
	xmpp_stanza_t *rep = msgedit_child(m, "reply", NS_REPLY), *fb, *c;
	struct store_ref *rows = NULL;
	const char *id;
	size_t n = 0;

	memset(r, 0, sizeof(*r));
	if (rep == NULL || body == NULL ||
	    (id = xmpp_stanza_get_attribute(rep, "id")) == NULL)
		return;
	if (store_ref_find(a->w->store, a->name, peer, id, &rows, &n) !=
		WARD_OK ||
	    n == 0) {
		/* unknown original: the body stays whole, fallback and all */
		r->reply_to = xstrdup(id);
		return;
	}
	r->reply_to = xstrdup(rows[0].id ? rows[0].id : id);
	r->quote = msgedit_quote(rows[0].body, rows[0].retracted);
	store_refs_free(rows, n);
	/* the quote is ours, from the store: the fallback is cut off */
	for (fb = xmpp_stanza_get_children(m); fb != NULL;
	     fb = xmpp_stanza_get_next(fb)) {
		const char *ns = xmpp_stanza_get_ns(fb), *f, *s, *e;
		if (!xmpp_stanza_is_tag(fb) || ns == NULL ||
		    strcmp(ns, NS_FALLBACK) != 0 ||
		    strcmp(xmpp_stanza_get_name(fb), "fallback") != 0)
			continue;
		f = xmpp_stanza_get_attribute(fb, "for");
		c = xmpp_stanza_get_child_by_name(fb, "body");
		if (f == NULL || strcmp(f, NS_REPLY) != 0 || c == NULL)
			continue;
		s = xmpp_stanza_get_attribute(c, "start");
		e = xmpp_stanza_get_attribute(c, "end");
		if (s != NULL && e != NULL && strcmp(s, "0") == 0) {
			size_t off =
			    msgedit_cp_offset(body, strtoul(e, NULL, 10));
			if (off != (size_t)-1)
				r->body = xstrdup(body + off);
		}
		break;
	}
}

void
msgedit_stored(struct account *a, xmpp_stanza_t *m, int64_t row,
	       const struct msgedit_in *in, const char *peer,
	       const char *reply_to)
{
	const char *oid = NULL;
	xmpp_stanza_t *o;
	int oids = 0;
	int64_t session = 0;

	if (!in->outgoing &&
	    msgedit_occupant_ctx(a, peer, in->from, in->groupchat, &oids,
				 &session)) {
		o = msgedit_child(m, "occupant-id", NS_OCCUPANT_ID);
		oid = oids && o ? xmpp_stanza_get_attribute(o, "id") : NULL;
		/* the room's history (delayed) or the archive: the nick
		 * may have been another's then */
		if (in->archived || msgedit_child(m, "delay", NS_DELAY))
			session = 0;
	}
	if (oid == NULL && session == 0 && reply_to == NULL)
		return;
	if (store_msg_meta(a->w->store, row, oid, session, reply_to) != WARD_OK)
		log_warn("%s: cannot store who sent a message", a->name);
}

/* ---- outgoing ---- */

static void
msgedit_add(xmpp_stanza_t *m, xmpp_stanza_t *c)
{
	xmpp_stanza_add_child(m, c);
	xmpp_stanza_release(c);
}

void
msgedit_decorate(struct account *a, const struct store_outbox_item *it,
		 xmpp_stanza_t *m)
{
	xmpp_ctx_t *ctx = a->w->ctx;
	char *kind, *ref, *extra;
	xmpp_stanza_t *c, *b;

	if (store_change_get(a->w->store, it->id, &kind, &ref, &extra) !=
	    WARD_OK)
		return;
	if (strcmp(kind, "correct") == 0) {
		c = stanza_elem(ctx, "replace", NS_CORRECT);
		xmpp_stanza_set_attribute(c, "id", ref);
		msgedit_add(m, c);
	} else if (strcmp(kind, "retract") == 0) {
		c = stanza_elem(ctx, "retract", NS_RETRACT);
		xmpp_stanza_set_attribute(c, "id", ref);
		msgedit_add(m, c);
		c = stanza_elem(ctx, "fallback", NS_FALLBACK);
		xmpp_stanza_set_attribute(c, "for", NS_RETRACT);
		msgedit_add(m, c);
		msgedit_add(m, stanza_elem(ctx, "store", NS_HINTS));
	} else if (strcmp(kind, "react") == 0) {
		char *copy = xstrdup(extra ? extra : ""), *t, *save = NULL;
		c = stanza_elem(ctx, "reactions", NS_REACTIONS);
		xmpp_stanza_set_attribute(c, "id", ref);
		for (t = strtok_r(copy, " ", &save); t != NULL;
		     t = strtok_r(NULL, " ", &save))
			stanza_add_text_child(c, "reaction", t);
		free(copy);
		msgedit_add(m, c);
		msgedit_add(m, stanza_elem(ctx, "store", NS_HINTS));
	} else if (strcmp(kind, "reply") == 0) {
		/* extra: the fallback's length in code points, a tab, the
		 * original's sender */
		char *tab = extra ? strchr(extra, '\t') : NULL;
		c = stanza_elem(ctx, "reply", NS_REPLY);
		xmpp_stanza_set_attribute(c, "id", ref);
		if (tab != NULL && tab[1] != '\0')
			xmpp_stanza_set_attribute(c, "to", tab + 1);
		if (tab != NULL)
			*tab = '\0';
		msgedit_add(m, c);
		c = stanza_elem(ctx, "fallback", NS_FALLBACK);
		xmpp_stanza_set_attribute(c, "for", NS_REPLY);
		b = xmpp_stanza_new(ctx);
		xmpp_stanza_set_name(b, "body");
		xmpp_stanza_set_attribute(b, "start", "0");
		xmpp_stanza_set_attribute(b, "end", extra ? extra : "0");
		msgedit_add(c, b);
		msgedit_add(m, c);
	}
	free(kind);
	free(ref);
	free(extra);
}

int
msgedit_acked(struct account *a, int64_t outbox_id, const char *origin_id,
	      const char *to, const struct store_ack *ack)
{
	char *kind, *ref, *extra;
	int r;

	if (store_change_get(a->w->store, outbox_id, &kind, &ref, &extra) !=
	    WARD_OK)
		return 0;
	if (strcmp(kind, "reply") == 0) {
		r = store_outbox_ack(a->w->store, outbox_id, ack);
		if (r == WARD_OK)
			r = store_reply_out(a->w->store, a->name, to, origin_id,
					    ref);
	} else {
		/* applied when queued; nothing more to keep */
		r = store_outbox_drop(a->w->store, outbox_id);
	}
	if (r != WARD_OK)
		log_warn("%s: cannot record a sent change", a->name);
	(void)store_change_del(a->w->store, outbox_id);
	free(kind);
	free(ref);
	free(extra);
	return 1;
}

/* The conversation TO names, for a command: ROOM/NICK of a room we are
 * in, else the bare JID. NULL (error reported) when not a JID. */
static char *
msgedit_cmd_peer(struct account *a, const char *to)
{
	char *peer = muc_occupant(a, to);

	if (peer == NULL)
		peer = jid_bare(to);
	if (peer == NULL)
		event_error(a->name, "invalid-jid", "not a valid JID");
	return peer;
}

/* The message ID of PEER (ID NULL: our last one; "^": the last one we
 * received), into *R. OWN: it must be ours. 0 (error reported) when
 * there is none. */
static int
msgedit_target(struct account *a, const char *peer, const char *id, int own,
	       struct store_ref *r)
{
	struct store_ref *rows = NULL;
	size_t n = 0, i;
	int found = 0;

	memset(r, 0, sizeof(*r));
	ward_txn(a->w);
	if (id == NULL || strcmp(id, "^") == 0) {
		/* none: our last message; "^": the last one we received */
		found =
		    store_ref_last(a->w->store, a->name, peer,
				   id == NULL ? STORE_DIR_OUT : STORE_DIR_IN,
				   r) == WARD_OK;
		if (found && own && r->dir != STORE_DIR_OUT) {
			store_ref_clear(r);
			found = 0;
		}
	} else if (store_ref_find(a->w->store, a->name, peer, id, &rows, &n) ==
		   WARD_OK) {
		for (i = 0; i < n && !found; i++) {
			if (own && rows[i].dir != STORE_DIR_OUT)
				continue;
			*r = rows[i];
			memset(&rows[i], 0, sizeof(rows[i]));
			found = 1;
		}
		store_refs_free(rows, n);
	}
	if (!found) {
		event_error(a->name, "no-such-message",
			    own ? "no message of yours with that id in this "
				  "chat"
				: "no message with that id in this chat");
		return 0;
	}
	if (r->retracted) {
		event_error(a->name, "retracted", "that message was retracted");
		store_ref_clear(r);
		return 0;
	}
	return 1;
}

/* The id a change of R names on the wire: in a room the room's stanza-id
 * where XEP-0424/0444/0461 want it, else the original stanza's id. */
static const char *
msgedit_wire_id(const struct store_ref *r, int room_id)
{
	if (room_id && r->type == STORE_TYPE_GROUPCHAT && r->server_id)
		return r->server_id;
	return r->origin_id ? r->origin_id : r->id;
}

static int
msgedit_queue(struct account *a, const char *to, const char *body,
	      const char *kind, const char *ref, const char *extra,
	      const char *show)
{
	struct im_change ch = {kind, ref, extra, show};
	char *origin = NULL;
	int r = im_send_change(a, to, body, &ch, &origin);

	if (r == WARD_OK && origin != NULL)
		msgedit_remember(origin);
	free(origin);
	return r;
}

int
msgedit_correct(struct account *a, const char *to, const char *id,
		const char *text)
{
	struct store_ref r;
	char *peer = msgedit_cmd_peer(a, to);
	int rc = WARD_ERR_NOTFOUND;

	if (peer == NULL)
		return WARD_ERR_INVAL;
	if (msgedit_target(a, peer, id, 1, &r)) {
		rc = msgedit_queue(a, to, text, "correct",
				   msgedit_wire_id(&r, 0), NULL, NULL);
		if (rc == WARD_OK && strcmp(r.body, text) != 0 &&
		    store_edit_apply(a->w->store, r.row, text, wall_ms()) ==
			WARD_OK)
			msgedit_emit_edited(a, peer, &r, a->jid, text,
					    r.enc == STORE_ENC_OMEMO);
		store_ref_clear(&r);
	}
	free(peer);
	return rc;
}

int
msgedit_retract(struct account *a, const char *to, const char *id)
{
	struct store_ref r;
	char *peer = msgedit_cmd_peer(a, to);
	int rc = WARD_ERR_NOTFOUND;

	if (peer == NULL)
		return WARD_ERR_INVAL;
	if (msgedit_target(a, peer, id, 1, &r)) {
		rc = msgedit_queue(a, to,
				   "/me retracted a message (your client "
				   "cannot show retractions)",
				   "retract", msgedit_wire_id(&r, 1), NULL,
				   NULL);
		if (rc == WARD_OK &&
		    store_retract(a->w->store, r.row) == WARD_OK)
			msgedit_emit_retracted(a, peer, &r, a->jid);
		store_ref_clear(&r);
	}
	free(peer);
	return rc;
}

int
msgedit_react(struct account *a, const char *to, const char *id,
	      const char *emojis)
{
	struct store_ref r;
	char *peer = msgedit_cmd_peer(a, to), *list, *t, *save = NULL, *copy;
	int rc = WARD_ERR_NOTFOUND;
	size_t n = 0;

	if (peer == NULL)
		return WARD_ERR_INVAL;
	/* one space between reactions, nothing else */
	list = xstrdup("");
	copy = xstrdup(emojis ? emojis : "");
	for (t = strtok_r(copy, " ", &save); t != NULL;
	     t = strtok_r(NULL, " ", &save)) {
		char *j;
		if (strlen(t) > MSGEDIT_MAX_REACTION ||
		    ++n > MSGEDIT_MAX_REACTIONS)
			break;
		xasprintf(&j, "%s%s%s", list, list[0] ? " " : "", t);
		free(list);
		list = j;
	}
	free(copy);
	if (msgedit_target(a, peer, id, 0, &r)) {
		rc = msgedit_queue(a, to, list[0] ? list : "(no reaction)",
				   "react", msgedit_wire_id(&r, 1), list, NULL);
		if (rc == WARD_OK &&
		    store_react_set(a->w->store, r.row, "self", list,
				    wall_ms()) == WARD_OK)
			msgedit_emit_reactions(a, peer, &r, a->jid);
		store_ref_clear(&r);
	}
	free(list);
	free(peer);
	return rc;
}

int
msgedit_reply(struct account *a, const char *to, const char *id,
	      const char *text)
{
	struct store_ref r;
	char *peer = msgedit_cmd_peer(a, to), *quote, *body, *extra;
	const char *p;
	size_t cps = 0;
	int rc = WARD_ERR_NOTFOUND;

	if (peer == NULL)
		return WARD_ERR_INVAL;
	if (msgedit_target(a, peer, id, 0, &r)) {
		quote = msgedit_quote(r.body, 0);
		xasprintf(&body, "> %s\n%s", quote, text);
		for (p = body; *p != '\0' && p < body + strlen(quote) + 3; p++)
			cps += ((unsigned char)*p & 0xc0) != 0x80;
		xasprintf(&extra, "%zu\t%s", cps,
			  r.type == STORE_TYPE_GROUPCHAT || r.from_jid == NULL
			      ? (r.from_jid ? r.from_jid : "")
			  : r.dir == STORE_DIR_OUT ? a->jid
						   : peer);
		rc = msgedit_queue(a, to, body, "reply", msgedit_wire_id(&r, 1),
				   extra, text);
		free(quote);
		free(body);
		free(extra);
		store_ref_clear(&r);
	}
	free(peer);
	return rc;
}

struct msgedit_versions {
	struct account *a;
	const char *peer;
	const struct store_ref *r;
	int n;
};

static void
msgedit_version_event(struct msgedit_versions *v, const char *body,
		      enum store_enc enc, int64_t ts, int64_t replaced,
		      int current)
{
	struct event ev;

	msgedit_event_base(&ev, EV_MESSAGE_VERSION, v->a, v->peer, v->r);
	event_int(&ev, "version", v->n++);
	event_str(&ev, "body", body);
	event_str(&ev, "encryption", enc == STORE_ENC_OMEMO ? "omemo" : "none");
	event_int(&ev, "ts", ts);
	if (current)
		event_bool(&ev, "current", 1);
	else
		event_int(&ev, "replaced_ts", replaced);
	event_emit(&ev);
}

static int
msgedit_version_cb(const char *body, enum store_enc enc, int64_t ts,
		   int64_t replaced_at, void *arg)
{
	msgedit_version_event(arg, body, enc, ts, replaced_at, 0);
	return 0;
}

int
msgedit_versions(struct account *a, const char *to, const char *id)
{
	struct msgedit_versions v;
	struct store_ref r;
	char *peer = msgedit_cmd_peer(a, to);

	if (peer == NULL)
		return WARD_ERR_INVAL;
	if (!msgedit_target(a, peer, id, 0, &r)) {
		free(peer);
		return WARD_ERR_NOTFOUND;
	}
	v.a = a;
	v.peer = peer;
	v.r = &r;
	v.n = 0;
	store_versions(a->w->store, r.row, msgedit_version_cb, &v);
	msgedit_version_event(&v, r.body, r.enc, r.ts, 0, 1);
	store_ref_clear(&r);
	free(peer);
	return WARD_OK;
}
