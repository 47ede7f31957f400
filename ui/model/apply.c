/*
 * apply.c: turns core events (src/event.h, docs/events.md) into changes of
 * the UI model. Every string is taken as untrusted and only copied; it is
 * sanitised when drawn.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "event.h"
#include "model/apply_priv.h"
#include "model/model.h"
#include "model/roomsig.h"

const char *
model_field(const struct event *ev, const char *key)
{
	size_t i;

	for (i = 0; i < ev->n; i++)
		if (strcmp(ev->f[i].key, key) == 0 && ev->f[i].type == EF_STR)
			return ev->f[i].s;
	return NULL;
}

int
model_field_bool(const struct event *ev, const char *key)
{
	size_t i;

	for (i = 0; i < ev->n; i++)
		if (strcmp(ev->f[i].key, key) == 0 && ev->f[i].type != EF_STR)
			return ev->f[i].i != 0;
	return 0;
}

void
model_set(char **dst, const char *s)
{
	free(*dst);
	*dst = s ? strndup(s, 4096) : NULL;
}

/* The bare part of a JID, in buf (cut to size). */
const char *
model_bare(const char *jid, char *buf, size_t size)
{
	size_t n;
	const char *slash;

	if (jid == NULL)
		return "";
	slash = strchr(jid, '/');
	n = slash ? (size_t)(slash - jid) : strlen(jid);
	if (n >= size)
		n = size - 1;
	memcpy(buf, jid, n);
	buf[n] = '\0';
	return buf;
}

const char *
model_resource(const char *jid)
{
	const char *slash = jid ? strchr(jid, '/') : NULL;

	return slash ? slash + 1 : "";
}

void
model_init(struct model *m, const char *account, const char *own_jid,
	   size_t max_lines)
{
	memset(m, 0, sizeof(*m));
	winlist_init(&m->wl, max_lines);
	m->account = account ? strdup(account) : NULL;
	m->own_jid = own_jid ? strdup(own_jid) : NULL;
	m->conn.state = strdup("offline");
	m->dirty = MD_ALL;
}

static void
conn_clear(struct model_conn *c)
{
	model_set(&c->jid, NULL);
	model_set(&c->tls, NULL);
	model_set(&c->cipher, NULL);
	model_set(&c->dnssec, NULL);
	model_set(&c->dane, NULL);
	model_set(&c->sasl, NULL);
	model_set(&c->cb, NULL);
	model_set(&c->auth_by, NULL);
	model_set(&c->key_pin, NULL);
}

void
model_free(struct model *m)
{
	winlist_free(&m->wl);
	people_free(&m->contacts);
	prompts_free(&m->pq);
	conn_clear(&m->conn);
	free(m->conn.state);
	free(m->account);
	free(m->own_jid);
	free(m->switch_to);
	while (m->nreq_seen > 0)
		free(m->req_seen[--m->nreq_seen]);
	free(m->req_seen);
	model_search_clear(m);
	memset(m, 0, sizeof(*m));
}

static int
is_current(struct model *m, struct uiwin *w)
{
	return winlist_current(&m->wl) == w;
}

/* Adds a line to w and marks the regions it changes. */
static uint64_t
add(struct model *m, struct uiwin *w, const struct line *l, const char *sender,
    const char *text, const char *id)
{
	int vis = is_current(m, w);
	unsigned before = w->unread;
	uint64_t seq;

	seq = win_add(w, vis, l, sender, text, text ? strlen(text) : 0, id);
	if (vis)
		m->dirty |= MD_CHAT;
	if (w->unread != before)
		m->dirty |= MD_TOP;
	return seq;
}

void
model_note(struct model *m, struct uiwin *w, enum line_kind kind,
	   const char *text)
{
	struct line l;

	memset(&l, 0, sizeof(l));
	l.time = m->now;
	l.kind = (uint8_t)kind;
	if (w == NULL)
		w = winlist_current(&m->wl);
	if (w != NULL)
		add(m, w, &l, NULL, text, NULL);
}

void
model_select(struct model *m, size_t i)
{
	if (winlist_select(&m->wl, i) == 0)
		m->dirty = MD_ALL;
}

struct uiwin *
model_window_for(struct model *m, const char *account, const char *jid,
		 int groupchat, int open)
{
	char b[1024];
	const char *room = model_bare(jid, b, sizeof(b));
	struct uiwin *w;

	if (jid == NULL || jid[0] == '\0')
		return NULL;
	w = winlist_find(&m->wl, WK_ROOM, account, room);
	if (groupchat || (w != NULL && model_resource(jid)[0] == '\0')) {
		if (w == NULL && open) {
			w = winlist_open(&m->wl, WK_ROOM, account, room);
			m->dirty |= MD_TOP;
		}
		return w;
	}
	if (w != NULL) {
		/* a private chat with a room occupant */
		struct uiwin *p = winlist_find(&m->wl, WK_PRIV, account, jid);
		if (p == NULL && open) {
			p = winlist_open(&m->wl, WK_PRIV, account, jid);
			m->dirty |= MD_TOP;
		}
		return p;
	}
	w = winlist_find(&m->wl, WK_CHAT, account, room);
	if (w == NULL && open) {
		w = winlist_open(&m->wl, WK_CHAT, account, room);
		m->dirty |= MD_TOP;
	}
	return w;
}

uint8_t
model_trust(const char *t)
{
	if (t == NULL)
		return LT_NONE;
	if (strcmp(t, "verified") == 0)
		return LT_VERIFIED;
	if (strcmp(t, "blind") == 0)
		return LT_BLIND;
	if (strcmp(t, "untrusted") == 0 || strcmp(t, "undecided") == 0)
		return LT_UNTRUSTED;
	return LT_NONE;
}

/* Whether body names nick as a word (case-insensitive). */
static int
mentions(const char *body, const char *nick)
{
	size_t n = nick ? strlen(nick) : 0;
	const char *p = body;

	if (n == 0 || body == NULL)
		return 0;
	while ((p = strcasestr(p, nick)) != NULL) {
		int before = p == body || !((p[-1] >= 'a' && p[-1] <= 'z') ||
					    (p[-1] >= 'A' && p[-1] <= 'Z') ||
					    (p[-1] >= '0' && p[-1] <= '9'));
		char c = p[n];
		int after = !((c >= 'a' && c <= 'z') ||
			      (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
		if (before && after)
			return 1;
		p += n;
	}
	return 0;
}

static void
on_message(struct model *m, const struct event *ev)
{
	const char *from = model_field(ev, "from"), *to = model_field(ev, "to");
	const char *type = model_field(ev, "type"),
		   *body = model_field(ev, "body");
	const char *id = model_field(ev, "id"),
		   *enc = model_field(ev, "encryption");
	int out = model_field_bool(ev, "outgoing");
	int gc = type != NULL && strcmp(type, "groupchat") == 0;
	struct uiwin *w;
	struct line l;
	const char *sender;
	char b[1024], *quoted;

	if (from == NULL || body == NULL)
		return;
	/* a stranger's message is held: no window, no bell (apply_req.c) */
	if (model_field_bool(ev, "request"))
		return;
	w = model_window_for(m, ev->account, out && !gc ? to : from, gc, 1);
	if (w == NULL)
		return;
	if (out && id != NULL &&
	    win_set_state(w, id, gc ? LS_DELIVERED : LS_ACKED)) {
		/* our own message coming back (room reflection, archive) */
		if (is_current(m, w))
			m->dirty |= MD_CHAT;
		return;
	}
	memset(&l, 0, sizeof(l));
	/* the sender's time when it came late (XEP-0203), else now */
	l.time = model_field_bool(ev, "delayed") && model_field_int(ev, "ts") > 0
		     ? model_field_int(ev, "ts")
		     : m->now;
	if (model_field_bool(ev, "delayed"))
		l.flags2 |= LF2_DELAYED;
	l.kind = LK_MSG;
	if (strncmp(body, "/me ", 4) == 0) {
		l.kind = LK_ME;
		body += 4;
	}
	if (enc != NULL && strcmp(enc, "omemo") == 0)
		l.flags |= LF_OMEMO;
	l.trust = model_trust(model_field(ev, "trust"));
	if (out) {
		l.flags |= LF_OUT;
		l.state = LS_ACKED;
	}
	if (gc || w->kind == WK_PRIV)
		sender = model_resource(from);
	else if (out)
		sender = "me";
	else {
		struct person *p =
		    people_find(&m->contacts, model_bare(from, b, sizeof(b)));
		sender =
		    p && p->name ? p->name : model_bare(from, b, sizeof(b));
		if (!p || !p->name) {
			char *at = strchr(b, '@');
			if (at != NULL && at != b)
				*at = '\0';
			sender = b;
		}
	}
	if (!out && ((!gc) || mentions(body, w->nick))) {
		l.flags |= LF_HILITE;
		m->bell = 1;
	}
	if (!out) {
		/* a message ends the typing (in a room, its sender's); it
		 * waits for /read */
		if (gc)
			roomsig_stop(w, sender);
		else
			w->typing[0] = '\0';
		w->to_mark = 1;
		if (is_current(m, w))
			m->dirty |= MD_SEC;
	}
	if (!gc && w->kind == WK_CHAT && !out) {
		if (l.flags & LF_OMEMO)
			w->enc = WE_OMEMO;
		else if (w->enc != WE_PLAIN_OFF)
			w->enc = WE_PLAIN_PEER;
		if (is_current(m, w))
			m->dirty |= MD_SEC;
	}
	/* an XEP-0454 link carries the file's key: never on the screen */
	if (strncasecmp(body, "aesgcm://", 9) == 0 &&
	    strpbrk(body, " \t\n") == NULL)
		body = "(an encrypted file; its key is not shown: see the "
		       "offer line)";
	quoted = model_with_quote(model_field(ev, "quote"), body, &l.flags);
	add(m, w, &l, sender, quoted ? quoted : body, id);
	free(quoted);
}

static void
on_queued(struct model *m, const struct event *ev)
{
	const char *to = model_field(ev, "to"), *id = model_field(ev, "id");
	const char *enc = model_field(ev, "encryption"),
		   *body = model_field(ev, "body");
	const char *change = model_field(ev, "change");
	struct uiwin *w;
	struct line l;

	/* a correction, retraction or reaction changes a line (its own
	 * events); a reply is a message */
	if (change != NULL && strcmp(change, "reply") != 0)
		return;
	if ((w = model_window_for(m, ev->account, to, 0, 1)) == NULL)
		return;
	memset(&l, 0, sizeof(l));
	l.time = m->now;
	l.kind = LK_MSG;
	l.flags = LF_OUT;
	l.state = LS_QUEUED;
	if (body != NULL && strncmp(body, "/me ", 4) == 0) {
		l.kind = LK_ME;
		body += 4;
	}
	if (enc != NULL && strcmp(enc, "omemo") == 0) {
		l.flags |= LF_OMEMO;
		if (w->kind == WK_CHAT)
			w->enc = WE_OMEMO;
	} else if (w->kind == WK_CHAT) {
		w->enc = WE_PLAIN_OFF;
	}
	add(m, w, &l, w->kind == WK_ROOM && w->nick ? w->nick : "me",
	    body ? body : "", id);
	if (is_current(m, w))
		m->dirty |= MD_SEC;
}

static void
on_acked(struct model *m, const struct event *ev)
{
	const char *to = model_field(ev, "to"), *id = model_field(ev, "id");
	struct uiwin *w = model_window_for(m, ev->account, to, 0, 0);

	if (w != NULL && id != NULL && win_set_state(w, id, LS_ACKED) &&
	    is_current(m, w))
		m->dirty |= MD_CHAT;
}

static int
is_groupchat(const struct event *ev)
{
	const char *type = model_field(ev, "type");

	return type != NULL && strcmp(type, "groupchat") == 0;
}

/* XEP-0184/0333: our message ID arrived at the peer, or was read; in a
 * room, an occupant (from ROOM/NICK) read it (roomsig.c counts them). */
static void
on_delivery(struct model *m, const struct event *ev)
{
	const char *from = model_field(ev, "from"), *id = model_field(ev, "id");
	const char *state = model_field(ev, "state");
	int gc = is_groupchat(ev);
	struct uiwin *w = model_window_for(m, ev->account, from, gc, 0);
	int changed;

	if (w == NULL || id == NULL || state == NULL)
		return;
	if (gc)
		changed = w->kind == WK_ROOM &&
			  roomsig_read(w, model_resource(from), id);
	else
		changed = win_set_state(
		    w, id, strcmp(state, "read") == 0 ? LS_READ : LS_DELIVERED);
	if (changed && is_current(m, w))
		m->dirty |= MD_CHAT;
}

/* XEP-0085: the peer is typing, paused... (shown on the security line);
 * in a room, who is typing. */
static void
on_chatstate(struct model *m, const struct event *ev)
{
	const char *state = model_field(ev, "state"),
		   *from = model_field(ev, "from");
	int gc = is_groupchat(ev);
	struct uiwin *w = model_window_for(m, ev->account, from, gc, 0);

	if (w == NULL || state == NULL)
		return;
	if (gc) {
		if (w->kind == WK_ROOM &&
		    roomsig_chatstate(w, model_resource(from), state, m->now) &&
		    is_current(m, w))
			m->dirty |= MD_SEC;
		return;
	}
	snprintf(w->typing, sizeof(w->typing), "%s", state);
	w->typing_at = m->now;
	if (is_current(m, w))
		m->dirty |= MD_SEC;
}

static void
on_error(struct model *m, const struct event *ev)
{
	const char *code = model_field(ev, "code"),
		   *text = model_field(ev, "text");
	const char *id = model_field(ev, "id"), *jid = model_field(ev, "jid");
	const char *room = model_field(ev, "room");
	struct uiwin *w = NULL, *cur = winlist_current(&m->wl);
	char *line = NULL;
	size_t n;

	n = strlen(code ? code : "") + strlen(text ? text : "") + 8;
	if ((line = malloc(n)) == NULL)
		return;
	snprintf(line, n, "%s: %s", code ? code : "error", text ? text : "");
	if (id != NULL && jid != NULL &&
	    (w = model_window_for(m, ev->account, jid, 0, 0)) != NULL) {
		if (win_set_state(w, id, LS_FAILED) && is_current(m, w))
			m->dirty |= MD_CHAT;
		model_note(m, w, LK_ERROR, line);
	} else if (room != NULL &&
		   (w = winlist_find(&m->wl, WK_ROOM, ev->account, room)) !=
		       NULL) {
		model_note(m, w, LK_ERROR, line); /* in the room's window */
	}
	model_note(m, m->wl.w[0], LK_ERROR, line);
	if (cur != m->wl.w[0] && cur != w)
		model_note(m, cur, LK_ERROR, line);
	free(line);
}

static void
on_connected(struct model *m, const struct event *ev)
{
	struct model_conn *c = &m->conn;
	char *line;

	if (ev->kind == EV_SECURITY && model_field(ev, "state") != NULL) {
		model_set(&c->state, model_field(ev, "state"));
		m->dirty |= MD_TOP;
		return;
	}
	model_set(&c->state, "online");
	model_set(&c->jid, model_field(ev, "jid"));
	model_set(&c->tls, model_field(ev, "tls"));
	model_set(&c->cipher, model_field(ev, "cipher"));
	model_set(&c->dnssec, model_field(ev, "dnssec"));
	model_set(&c->dane, model_field(ev, "dane"));
	model_set(&c->sasl, model_field(ev, "sasl"));
	model_set(&c->cb, model_field(ev, "channel_binding"));
	model_set(&c->auth_by, model_field(ev, "authenticated_by"));
	model_set(&c->key_pin, model_field(ev, "key_pin"));
	m->dirty |= MD_TOP;
	if (ev->kind != EV_CONNECTED)
		return;
	if (asprintf(&line,
		     "connected as %s: %s %s, DNSSEC %s, DANE %s, "
		     "server vouched for by %s, %s with channel binding %s",
		     c->jid ? c->jid : "?", c->tls ? c->tls : "?",
		     c->cipher ? c->cipher : "?", c->dnssec ? c->dnssec : "?",
		     c->dane ? c->dane : "?", c->auth_by ? c->auth_by : "?",
		     c->sasl ? c->sasl : "?", c->cb ? c->cb : "?") >= 0) {
		model_note(m, m->wl.w[0], LK_INFO, line);
		free(line);
	}
}

static void
on_presence(struct model *m, const struct event *ev)
{
	const char *from = model_field(ev, "from"),
		   *type = model_field(ev, "type");
	const char *room = model_field(ev, "room"),
		   *nick = model_field(ev, "nick");
	struct person *p;
	struct uiwin *w;
	char b[1024];

	if (from == NULL)
		return;
	if (room != NULL && nick != NULL) {
		w = winlist_find(&m->wl, WK_ROOM, ev->account, room);
		if (w == NULL)
			return;
		if ((p = people_get(&w->occ, nick)) == NULL)
			return;
		people_presence(p, "", type, model_field(ev, "show"));
		/* remote text, kept raw: sanitised where it is drawn */
		model_set(&p->status, model_field(ev, "status"));
		if (model_field(ev, "role"))
			model_set(&p->name, model_field(ev, "role"));
		if (model_field(ev, "affiliation"))
			model_set(&p->extra, model_field(ev, "affiliation"));
		if (model_field(ev, "jid"))
			model_set(&p->real, model_field(ev, "jid"));
		if (type && strcmp(type, "unavailable") == 0)
			people_remove(&w->occ, nick);
		people_touch(&w->occ);
		if (is_current(m, w))
			m->dirty |= MD_PANE;
		return;
	}
	if (m->own_jid != NULL &&
	    strcasecmp(model_bare(from, b, sizeof(b)), m->own_jid) == 0)
		return; /* our own resources are not contacts */
	if ((p = people_get(&m->contacts, model_bare(from, b, sizeof(b)))) ==
	    NULL)
		return;
	people_presence(p, model_resource(from), type, model_field(ev, "show"));
	/* the last presence's status text (remote: sanitised when drawn) */
	model_set(&p->status, model_field(ev, "status"));
	people_touch(&m->contacts);
	m->dirty |= MD_PANE;
}

static void
on_roster(struct model *m, const struct event *ev)
{
	const char *jid = model_field(ev, "jid"),
		   *sub = model_field(ev, "subscription");
	struct person *p;

	if (jid == NULL)
		return;
	if (sub != NULL && strcmp(sub, "remove") == 0) {
		people_remove(&m->contacts, jid);
	} else if ((p = people_get(&m->contacts, jid)) != NULL) {
		model_set(&p->name, model_field(ev, "name"));
		model_set(&p->extra, sub);
		p->in_roster = 1;
		people_touch(&m->contacts);
	}
	m->dirty |= MD_PANE;
}

static void
on_room(struct model *m, const struct event *ev)
{
	const char *room = model_field(ev, "room"),
		   *state = model_field(ev, "state");
	const char *text = model_field(ev, "text"),
		   *nick = model_field(ev, "nick");
	struct uiwin *w;
	char *line;

	if (room == NULL || state == NULL)
		return;
	w = winlist_find(&m->wl, WK_ROOM, ev->account, room);
	if (w == NULL &&
	    (strcmp(state, "joined") == 0 || strcmp(state, "joining") == 0)) {
		w = winlist_open(&m->wl, WK_ROOM, ev->account, room);
		m->dirty |= MD_TOP;
	}
	if (w == NULL) {
		w = m->wl.w[0];
	} else {
		if (nick)
			model_set(&w->nick, nick);
		if (strcmp(state, "joined") == 0)
			w->joined = 1;
		else if (strcmp(state, "subject") != 0 &&
			 strcmp(state, "joining") != 0) {
			w->joined = 0;
			roomsig_clear_typing(w); /* out of the room */
		}
	}
	if (w != m->wl.w[0] && m->switch_to != NULL &&
	    strcasecmp(m->switch_to, room) == 0) {
		model_set(&m->switch_to, NULL);
		model_select(m, winlist_index(&m->wl, w));
	}
	if (strcmp(state, "subject") == 0) {
		const char *by = model_field(ev, "by");
		if (text != NULL && text[0] == '\0')
			text = "(none)";
		if (w != m->wl.w[0])
			model_set(&w->subject, text);
		if (asprintf(&line, "subject%s%s: %s", by ? " set by " : "",
			     by ? by : "", text ? text : "") < 0)
			return;
	} else if (asprintf(&line, "%s %s%s%s%s%s", room, state,
			    nick ? " as " : "", nick ? nick : "",
			    text ? ": " : "", text ? text : "") < 0) {
		return;
	}
	model_note(m, w, LK_STATUS, line);
	free(line);
	m->dirty |= MD_SEC | MD_TOP;
}

static void
on_prompt(struct model *m, const struct event *ev)
{
	struct uiprompt *p =
	    prompts_add(&m->pq, ev->account, model_field(ev, "id"),
			model_field(ev, "kind"), model_field(ev, "text"));
	size_t i;
	char *line;

	if (p == NULL)
		return;
	for (i = 0; i < ev->n; i++) {
		const struct event_field *f = &ev->f[i];
		char num[32];
		if (!strcmp(f->key, "id") || !strcmp(f->key, "kind") ||
		    !strcmp(f->key, "text"))
			continue;
		if (f->type == EF_STR)
			prompts_field(p, f->key, f->s ? f->s : "none");
		else if (f->type == EF_BOOL)
			prompts_field(p, f->key, f->i ? "yes" : "no");
		else {
			snprintf(num, sizeof(num), "%lld", f->i);
			prompts_field(p, f->key, num);
		}
	}
	if (asprintf(&line, "decision %s (%s) waits: /accept %s or /reject %s",
		     p->id, p->kind, p->id, p->id) >= 0) {
		model_note(m, m->wl.w[0], LK_INFO, line);
		free(line);
	}
	m->bell = 1;
	m->dirty |= MD_PROMPT | MD_ALL;
}

/* A bookmarked room (XEP-0402): a line in the status window. */
static void
on_bookmark(struct model *m, const struct event *ev)
{
	const char *jid = model_field(ev, "jid"), *st = model_field(ev, "status");
	const char *name = model_field(ev, "name"), *nick = model_field(ev, "nick");
	char *line;

	if (jid == NULL || st == NULL)
		return;
	if (strcmp(st, "removed") == 0) {
		if (asprintf(&line, "bookmark removed: %s", jid) < 0)
			return;
	} else if (asprintf(&line, "bookmark%s%s: %s%s%s%s%s%s",
			    strcmp(st, "listed") == 0 ? "" : " ",
			    strcmp(st, "listed") == 0 ? "" : st, jid,
			    name ? " \"" : "", name ? name : "",
			    name ? "\"" : "", nick ? " as " : "",
			    nick ? nick : "") < 0) {
		return;
	}
	if (model_field_bool(ev, "autojoin")) {
		char *more;
		if (asprintf(&more, "%s (autojoin)", line) >= 0) {
			free(line);
			line = more;
		}
	}
	model_note(m, m->wl.w[0], LK_INFO, line);
	free(line);
}

static void
on_info(struct model *m, const struct event *ev)
{
	const char *text = model_field(ev, "text"),
		   *jid = model_field(ev, "jid");
	const char *enc = model_field(ev, "encryption");
	struct uiwin *w;

	if (jid != NULL && enc != NULL &&
	    (w = model_window_for(m, ev->account, jid, 0, 1)) != NULL) {
		w->enc = strcmp(enc, "omemo") == 0 ? WE_OMEMO : WE_PLAIN_OFF;
		m->dirty |= MD_SEC;
		model_note(m, w, LK_INFO,
			   strcmp(enc, "omemo") == 0
			       ? "OMEMO is on for this chat"
			       : "OMEMO is off for this chat: new messages go "
				 "in plaintext");
	}
	if (text != NULL) {
		if (strcmp(text, "connecting") == 0 ||
		    strcmp(text, "reconnecting") == 0) {
			model_set(&m->conn.state, text);
			m->dirty |= MD_TOP;
		}
		model_note(m, m->wl.w[0], LK_INFO, text);
		if (model_field(ev, "room") != NULL &&
		    (w = winlist_find(&m->wl, WK_ROOM, ev->account,
				      model_field(ev, "room"))) != NULL)
			model_note(m, w, LK_INFO, text); /* and the room's */
	}
}

/* /audit: one console line per rule, then the outcome. A failed rule is
 * drawn as an error line. */
static void
on_audit(struct model *m, const struct event *ev)
{
	const char *dom = model_field(ev, "domain"), *verdict;
	char line[1024];

	if (ev->kind == EV_AUDIT_END) {
		snprintf(line, sizeof(line), "audit %s: %s", dom ? dom : "?",
		    !model_field_bool(ev, "complete")
			? "did not complete"
		    : model_field_bool(ev, "ok")
			? "done, every MUST observed held"
			: "done, a MUST observed failed");
		model_note(m, NULL, LK_INFO, line);
		return;
	}
	verdict = model_field(ev, "verdict");
	snprintf(line, sizeof(line), "audit %s: %-14s %s (%s): %s",
	    dom ? dom : "?", verdict ? verdict : "?",
	    model_field(ev, "id") ? model_field(ev, "id") : "?",
	    model_field(ev, "level") ? model_field(ev, "level") : "?",
	    model_field(ev, "evidence") ? model_field(ev, "evidence") : "");
	model_note(m, NULL,
	    verdict && strcmp(verdict, "fail") == 0 ? LK_ERROR : LK_INFO,
	    line);
}

static void
on_lines(struct model *m, struct uiwin *w, enum line_kind kind,
	 const char *text)
{
	const char *p = text, *nl;
	char *one;

	while (p != NULL && *p != '\0') {
		nl = strchr(p, '\n');
		one = strndup(p, nl ? (size_t)(nl - p) : strlen(p));
		if (one == NULL)
			return;
		model_note(m, w, kind, one);
		free(one);
		p = nl ? nl + 1 : NULL;
	}
}

static void
on_fingerprint(struct model *m, const struct event *ev)
{
	const char *jid = model_field(ev, "jid"),
		   *fp = model_field(ev, "fingerprint");
	const char *trust = model_field(ev, "trust");
	long long dev = 0;
	char grouped[128], *line;
	size_t i, o = 0;

	for (i = 0; i < ev->n; i++)
		if (strcmp(ev->f[i].key, "device") == 0)
			dev = ev->f[i].i;
	for (i = 0; fp != NULL && fp[i] != '\0' && o + 2 < sizeof(grouped);
	     i++) {
		if (i > 0 && i % 8 == 0)
			grouped[o++] = ' ';
		grouped[o++] = fp[i];
	}
	grouped[o] = '\0';
	if (asprintf(&line, "%s device %lld: %s (%s)", jid ? jid : "?", dev,
		     grouped, trust ? trust : "?") >= 0) {
		model_note(m, NULL, LK_INFO, line);
		free(line);
	}
}

void
model_event(struct model *m, const struct event *ev)
{
	switch (ev->kind) {
	case EV_CONNECTED:
	case EV_SECURITY:
		on_connected(m, ev);
		break;
	case EV_DISCONNECTED: {
		char *line;
		model_set(&m->conn.state, "offline");
		conn_clear(&m->conn);
		model_typing_clear_account(m, ev->account);
		m->dirty |= MD_TOP;
		if (asprintf(&line, "disconnected: %s",
			     model_field(ev, "reason")
				 ? model_field(ev, "reason")
				 : "") >= 0) {
			model_note(m, m->wl.w[0], LK_INFO, line);
			free(line);
		}
		break;
	}
	case EV_MESSAGE:
		on_message(m, ev);
		break;
	case EV_QUEUED:
		on_queued(m, ev);
		break;
	case EV_ACKED:
		on_acked(m, ev);
		break;
	case EV_ERROR:
		on_error(m, ev);
		break;
	case EV_PRESENCE:
		on_presence(m, ev);
		break;
	case EV_ROSTER:
		on_roster(m, ev);
		break;
	case EV_ROOM:
		on_room(m, ev);
		break;
	case EV_PROMPT:
		on_prompt(m, ev);
		break;
	case EV_INFO:
		on_info(m, ev);
		break;
	case EV_HELP:
		on_lines(m, NULL, LK_INFO, model_field(ev, "text"));
		break;
	case EV_FINGERPRINT:
		on_fingerprint(m, ev);
		break;
	case EV_HISTORY:
		model_history(m, ev);
		break;
	case EV_HISTORY_END:
		model_history_end(m, ev);
		break;
	case EV_OCCUPANT:
		model_occupant(m, ev);
		break;
	case EV_CHAT_SECURITY:
		model_chat_security(m, ev);
		break;
	case EV_DELIVERY:
		on_delivery(m, ev);
		break;
	case EV_CHATSTATE:
		on_chatstate(m, ev);
		break;
	case EV_REQUEST:
		model_request(m, ev);
		break;
	case EV_BLOCK:
		model_block(m, ev);
		break;
	case EV_ROOM_CONFIG:
		model_room_config(m, ev);
		break;
	case EV_BOOKMARK:
		on_bookmark(m, ev);
		break;
	case EV_FILE_OFFER:
		model_file_offer(m, ev);
		break;
	case EV_TRANSFER:
		model_transfer(m, ev);
		break;
	case EV_SEARCH_RESULT:
		model_search_result(m, ev);
		break;
	case EV_SEARCH_END:
		model_search_end(m, ev);
		break;
	case EV_MESSAGE_EDITED:
		model_edited(m, ev);
		break;
	case EV_MESSAGE_RETRACTED:
		model_retracted(m, ev);
		break;
	case EV_REACTIONS:
		model_reactions(m, ev);
		break;
	case EV_MESSAGE_VERSION:
		model_version(m, ev);
		break;
	case EV_AUDIT:
	case EV_AUDIT_END:
		on_audit(m, ev);
		break;
	}
}
