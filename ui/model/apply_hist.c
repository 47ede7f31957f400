/*
 * apply_hist.c: history pages and occupants. A /history page (history
 * events, oldest first, then history-end) is collected and put in front of
 * the window's oldest line at its end, newest first, so the view does not
 * move; rows the window already shows (this session's) are left out.
 * Occupant events keep a room's list for the pane and say who came and
 * went.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "event.h"
#include "model/apply_priv.h"
#include "model/model.h"
#include "model/roomsig.h"

long long
model_field_int(const struct event *ev, const char *key)
{
	size_t i;

	for (i = 0; i < ev->n; i++)
		if (strcmp(ev->f[i].key, key) == 0 && ev->f[i].type == EF_INT)
			return ev->f[i].i;
	return 0;
}

static struct uiwin *
history_window(struct model *m, const struct event *ev)
{
	const char *with = model_field(ev, "with");
	const char *type = model_field(ev, "type");
	struct uiwin *w;

	if (with == NULL)
		return NULL;
	w = winlist_find(&m->wl, WK_ROOM, ev->account, with);
	if (w == NULL && (type == NULL || strcmp(type, "groupchat") != 0))
		w = winlist_find(&m->wl, WK_CHAT, ev->account, with);
	return w;
}

/* A stored row's text as a line shows it (apply_edit.c): the tombstone
 * of a retracted one; a reply's quote above, reactions below (malloc). */
static char *
history_text(const struct event *ev, const char *body, struct line *l)
{
	const char *quote = model_field(ev, "quote");
	const char *react = model_field(ev, "reactions");
	char *out;

	if (model_field_bool(ev, "retracted")) {
		l->flags |= LF_RETRACTED;
		l->kind = LK_MSG;
		return strdup("(message retracted)");
	}
	if (model_field_bool(ev, "edited"))
		l->flags |= LF_EDITED;
	if (quote != NULL && (quote[0] == '\0' || strchr(quote, '\n')))
		quote = NULL;
	if (react != NULL && (react[0] == '\0' || strchr(react, '\n')))
		react = NULL;
	if (asprintf(&out, "%s%s%s%s%s", quote ? "> " : "", quote ? quote : "",
		     quote ? "\n" : "", body, react ? "\n" : "") < 0)
		return NULL;
	if (react != NULL) {
		char *o2;
		if (asprintf(&o2, "%s%s", out, react) < 0) {
			free(out);
			return NULL;
		}
		free(out);
		out = o2;
	}
	if (quote)
		l->flags |= LF_QUOTE;
	if (react)
		l->flags |= LF_REACT;
	return out;
}

void
model_history(struct model *m, const struct event *ev)
{
	struct uiwin *w = history_window(m, ev);
	const char *body = model_field(ev, "body");
	const char *from = model_field(ev, "from");
	const char *type = model_field(ev, "type");
	const char *enc = model_field(ev, "encryption");
	const char *id = model_field(ev, "id");
	int out = model_field_bool(ev, "outgoing");
	struct hpage *p, *n;
	char b[1024];

	if (w == NULL || body == NULL || w->npage >= WIN_PAGE_MAX)
		return;
	if ((n = realloc(w->page, (w->npage + 1) * sizeof(*n))) == NULL)
		return;
	w->page = n;
	p = &w->page[w->npage];
	memset(p, 0, sizeof(*p));
	p->l.time = model_field_int(ev, "ts");
	if (model_field_bool(ev, "delayed"))
		p->l.flags2 |= LF2_DELAYED;
	p->l.kind = LK_MSG;
	if (strncmp(body, "/me ", 4) == 0) {
		p->l.kind = LK_ME;
		body += 4;
	}
	if (enc != NULL && strcmp(enc, "omemo") == 0)
		p->l.flags |= LF_OMEMO;
	p->l.trust = model_trust(model_field(ev, "trust"));
	if (out) {
		const char *d = model_field(ev, "delivery");
		p->l.flags |= LF_OUT;
		p->l.state = d == NULL			    ? LS_ACKED
			     : strcmp(d, "queued") == 0    ? LS_QUEUED
			     : strcmp(d, "delivered") == 0 ? LS_DELIVERED
			     : strcmp(d, "read") == 0	    ? LS_READ
							    : LS_ACKED;
	}
	if (type != NULL && strcmp(type, "groupchat") == 0)
		p->sender = strdup(model_resource(from));
	else if (out)
		p->sender = strdup("me");
	else {
		char *at;
		model_bare(from, b, sizeof(b));
		if ((at = strchr(b, '@')) != NULL && at != b)
			*at = '\0';
		p->sender = strdup(b);
	}
	p->body = history_text(ev, body, &p->l);
	p->id = id ? strdup(id) : NULL;
	p->cursor = model_field(ev, "cursor")
			? strdup(model_field(ev, "cursor"))
			: NULL;
	if (p->sender == NULL || p->body == NULL) {
		free(p->sender);
		free(p->body);
		free(p->id);
		free(p->cursor);
		return;
	}
	w->npage++;
}

/* The time of the oldest message the window holds (0: none). */
static int64_t
oldest_message(struct uiwin *w)
{
	uint64_t s;
	struct line *l;

	for (s = lstore_first(w->lines); s < lstore_end(w->lines); s++) {
		l = lstore_get(w->lines, s, NULL);
		if (l != NULL && (l->kind == LK_MSG || l->kind == LK_ME))
			return l->time;
	}
	return 0;
}

/* Whether a message of time t with this body is held. */
static int
held_at(struct uiwin *w, int64_t t, const char *body)
{
	uint64_t s;
	struct line *l;
	const char *text;
	size_t n = strlen(body);

	for (s = lstore_first(w->lines); s < lstore_end(w->lines); s++) {
		l = lstore_get(w->lines, s, &text);
		if (l == NULL || l->time > t)
			break;
		if (l->time == t && l->len == n && memcmp(text, body, n) == 0)
			return 1;
	}
	return 0;
}

void
model_history_end(struct model *m, const struct event *ev)
{
	struct uiwin *w = history_window(m, ev);
	const char *cursor = model_field(ev, "cursor");
	int complete = model_field_bool(ev, "complete");
	int64_t oldest;
	size_t i, added = 0;
	int stopped = 0;

	if (w == NULL)
		return;
	if (w->page_stale) {
		/* asked for before lines were dropped: read again from the
		 * newest instead (win_dropped) */
		win_page_clear(w);
		w->page_stale = 0;
		w->history_asked = 0;
		w->want_older = 1;
		if (winlist_current(&m->wl) == w)
			m->dirty |= MD_CHAT;
		return;
	}
	oldest = oldest_message(w);
	for (i = w->npage; i-- > 0;) {
		struct hpage *p = &w->page[i];
		/* this session's messages are shown already: everything
		 * newer than the oldest message held is held; at the same
		 * millisecond, only the same text is */
		if (oldest != 0 &&
		    (p->l.time > oldest ||
		     (p->l.time == oldest && held_at(w, oldest, p->body))))
			continue;
		/* only lines that arrived this session can repeat a row
		 * (rows put in front came from older pages): the search
		 * does not grow with what was paged in */
		if (p->id != NULL &&
		    lstore_find_id(w->lines, p->id,
				   lstore_appended(w->lines)) != 0)
			continue;
		if (win_add_old(w, &p->l, p->sender, p->body, strlen(p->body),
				p->id) == 0) {
			/* the window holds all it may (twice its bound):
			 * XXX older lines are not paged in past that; the
			 * cursor stays after the last row put in */
			stopped = 1;
			if (i + 1 < w->npage && w->page[i + 1].cursor != NULL)
				model_set(&w->hist_cursor,
					  w->page[i + 1].cursor);
			break;
		}
		added++;
	}
	win_page_clear(w);
	if (!stopped)
		model_set(&w->hist_cursor, cursor);
	w->history_asked = 0;
	if (complete || cursor == NULL || stopped)
		w->history_done = 1;
	else if (added == 0)
		w->want_older = 1; /* all shown already: the next page */
	model_seek(m, w); /* /goto: the hit may be held now */
	/* a page put above what the view shows (prefetched) changes
	 * nothing on screen: no repaint */
	if (winlist_current(&m->wl) == w && (w->top_shown || added == 0))
		m->dirty |= MD_CHAT;
}

void
model_occupant(struct model *m, const struct event *ev)
{
	const char *room = model_field(ev, "room");
	const char *nick = model_field(ev, "nick");
	const char *status = model_field(ev, "status");
	struct uiwin *w;
	struct person *p;
	char *line = NULL;

	if (room == NULL || nick == NULL || status == NULL)
		return;
	w = winlist_find(&m->wl, WK_ROOM, ev->account, room);
	if (w == NULL &&
	    (strcmp(status, "joined") == 0 || strcmp(status, "present") == 0)) {
		/* the room sends its occupants (ours last) before the core
		 * says the room is joined: its window opens with the first */
		w = winlist_open(&m->wl, WK_ROOM, ev->account, room);
		m->dirty |= MD_TOP;
	}
	if (w == NULL)
		return;
	if (strcmp(status, "left") == 0 || strcmp(status, "kicked") == 0 ||
	    strcmp(status, "banned") == 0) {
		const char *reason = model_field(ev, "reason");
		people_remove(&w->occ, nick);
		roomsig_stop(w, nick); /* gone: no longer typing */
		if (asprintf(&line, "%s %s%s%s", nick, status,
			     reason ? ": " : "", reason ? reason : "") < 0)
			line = NULL;
	} else if (strcmp(status, "nick-changed") == 0) {
		const char *nn = model_field(ev, "new_nick");
		roomsig_rename(w, nick, nn);
		p = people_find(&w->occ, nick);
		if (p != NULL && nn != NULL) {
			model_set(&p->key, nn);
			free(p->skel); /* made again for the new nick */
			p->skel = NULL;
		}
		if (nn != NULL && asprintf(&line, "%s is now %s", nick, nn) < 0)
			line = NULL;
	} else {
		if ((p = people_get(&w->occ, nick)) == NULL)
			return;
		if (p->nres == 0)
			people_presence(p, "", "available", NULL);
		model_set(&p->name, model_field(ev, "role"));
		model_set(&p->extra, model_field(ev, "affiliation"));
		model_set(&p->real, model_field(ev, "jid"));
		if (strcmp(status, "joined") == 0 && w->joined &&
		    !model_field_bool(ev, "self") &&
		    asprintf(&line, "%s joined", nick) < 0)
			line = NULL;
	}
	people_touch(&w->occ);
	if (line != NULL) {
		model_note(m, w, LK_STATUS, line);
		free(line);
	}
	if (winlist_current(&m->wl) == w)
		m->dirty |= MD_PANE | MD_SEC;
}

static int
count_field(const struct event *ev, const char *key)
{
	long long n = model_field_int(ev, key);

	return n < 0 ? 0 : n > 100000 ? 100000 : (int)n;
}

void
model_chat_security(struct model *m, const struct event *ev)
{
	const char *jid = model_field(ev, "jid");
	const char *enc = model_field(ev, "encryption");
	const char *why = model_field(ev, "why");
	struct uiwin *w;

	if (jid == NULL || enc == NULL)
		return;
	w = winlist_find(&m->wl, WK_ROOM, ev->account, jid);
	if (w == NULL)
		w = winlist_find(&m->wl, WK_CHAT, ev->account, jid);
	if (w == NULL)
		return;
	if (strcmp(enc, "omemo") == 0)
		w->enc = WE_OMEMO;
	else if (why != NULL && (strcmp(why, "public-room") == 0 ||
				 strcmp(why, "not-in-room") == 0))
		w->enc = WE_PLAIN_ROOM;
	else
		w->enc = WE_PLAIN_OFF;
	/* with OMEMO: what stops messages; a room's plaintext: why */
	model_set(&w->sec_why,
		  strcmp(enc, "omemo") == 0 || w->enc == WE_PLAIN_ROOM ? why
								       : NULL);
	w->members = count_field(ev, "members");
	model_set(&w->device_list, model_field(ev, "device_list"));
	w->devices = count_field(ev, "devices");
	w->verified = count_field(ev, "verified");
	w->blind = count_field(ev, "blind");
	w->untrusted = count_field(ev, "untrusted");
	w->undecided = count_field(ev, "undecided");
	w->sec_asked = 1;
	if (winlist_current(&m->wl) == w)
		m->dirty |= MD_SEC;
}
