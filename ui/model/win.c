/*
 * win.c: the window list and each window's activity (win.h).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/roomsig.h"
#include "model/win.h"

static char *
dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int
same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcasecmp(a, b) == 0;
}

static struct uiwin *
win_new(enum win_kind kind, const char *account, const char *jid,
	size_t max_lines)
{
	struct uiwin *w = calloc(1, sizeof(*w));

	if (w == NULL)
		return NULL;
	w->kind = kind;
	w->account = dup_or_null(account);
	w->jid = dup_or_null(jid);
	w->lines = lstore_new(max_lines);
	w->senders = calloc(1, sizeof(char *));
	if (w->senders != NULL && (w->senders[0] = strdup("")) != NULL)
		w->nsenders = 1;
	w->devices = w->verified = -1;
	w->enc = kind == WK_ROOM ? WE_PLAIN_ROOM : WE_UNKNOWN;
	if (w->lines == NULL || w->nsenders == 0 || (account && !w->account) ||
	    (jid && !w->jid)) {
		lstore_free(w->lines);
		if (w->senders)
			free(w->senders[0]);
		free(w->senders);
		free(w->account);
		free(w->jid);
		free(w);
		return NULL;
	}
	return w;
}

void
win_page_clear(struct uiwin *w)
{
	size_t i;

	for (i = 0; i < w->npage; i++) {
		free(w->page[i].sender);
		free(w->page[i].body);
		free(w->page[i].id);
		free(w->page[i].cursor);
	}
	free(w->page);
	w->page = NULL;
	w->npage = 0;
}

static void
win_free(struct uiwin *w)
{
	size_t i;

	if (w == NULL)
		return;
	lstore_free(w->lines);
	for (i = 0; i < w->nsenders; i++)
		free(w->senders[i]);
	free(w->senders);
	free(w->account);
	free(w->jid);
	free(w->nick);
	free(w->subject);
	people_free(&w->occ);
	win_page_clear(w);
	free(w->hist_cursor);
	free(w->seek_body);
	free(w->seek_id);
	free(w->sec_why);
	free(w->device_list);
	roomsig_free(w);
	free(w);
}

void
winlist_init(struct winlist *wl, size_t max_lines)
{
	memset(wl, 0, sizeof(*wl));
	wl->max_lines = max_lines;
	wl->bg_lines =
	    max_lines < WIN_BACKGROUND_LINES ? max_lines : WIN_BACKGROUND_LINES;
	winlist_open(wl, WK_CONSOLE, NULL, NULL);
}

void
winlist_free(struct winlist *wl)
{
	size_t i;

	for (i = 0; i < wl->n; i++)
		win_free(wl->w[i]);
	free(wl->w);
	memset(wl, 0, sizeof(*wl));
}

struct uiwin *
winlist_find(struct winlist *wl, enum win_kind kind, const char *account,
	     const char *jid)
{
	size_t i;

	for (i = 0; i < wl->n; i++)
		if (wl->w[i]->kind == kind && same(wl->w[i]->jid, jid) &&
		    (kind == WK_CONSOLE || same(wl->w[i]->account, account)))
			return wl->w[i];
	return NULL;
}

struct uiwin *
winlist_open(struct winlist *wl, enum win_kind kind, const char *account,
	     const char *jid)
{
	struct uiwin *w, **n;

	if ((w = winlist_find(wl, kind, account, jid)) != NULL)
		return w;
	if (wl->n >= WIN_MAX)
		return NULL;
	if ((n = realloc(wl->w, (wl->n + 1) * sizeof(*n))) == NULL)
		return NULL;
	wl->w = n;
	/* the console (the first) keeps its bound: its lines are nowhere
	 * else; a new window opens behind the one shown */
	if ((w = win_new(kind, account, jid,
			 kind == WK_CONSOLE ? wl->max_lines : wl->bg_lines)) ==
	    NULL)
		return NULL;
	wl->w[wl->n++] = w;
	return w;
}

size_t
winlist_index(const struct winlist *wl, const struct uiwin *w)
{
	size_t i;

	for (i = 0; i < wl->n; i++)
		if (wl->w[i] == w)
			return i;
	return 0;
}

struct uiwin *
winlist_current(struct winlist *wl)
{
	return wl->n ? wl->w[wl->cur] : NULL;
}

/* The line bound of w, shown or not (the console's never changes). */
static void
win_bound(const struct winlist *wl, struct uiwin *w, int shown)
{
	if (w->kind != WK_CONSOLE)
		lstore_set_max(w->lines, shown ? wl->max_lines : wl->bg_lines);
}

int
winlist_select(struct winlist *wl, size_t i)
{
	struct uiwin *old, *w;

	if (i >= wl->n)
		return -1;
	old = wl->w[wl->cur];
	if (i == wl->cur)
		return 0;
	/* what arrives from now on is "new since you last looked" */
	old->marker = lstore_end(old->lines);
	win_bound(wl, old, 0);
	wl->cur = i;
	w = wl->w[i];
	win_bound(wl, w, 1);
	if (w->unread == 0)
		w->marker = 0;
	w->unread = 0;
	w->highlight = 0;
	return 0;
}

int
winlist_close(struct winlist *wl, size_t i)
{
	if (i == 0 || i >= wl->n)
		return -1;
	win_free(wl->w[i]);
	memmove(&wl->w[i], &wl->w[i + 1], (wl->n - i - 1) * sizeof(wl->w[0]));
	wl->n--;
	if (wl->cur == i) {
		wl->cur = i - 1;
		win_bound(wl, wl->w[wl->cur], 1);
	} else if (wl->cur > i)
		wl->cur--;
	return 0;
}

long
winlist_next_active(const struct winlist *wl)
{
	size_t k, i;

	for (k = 1; k < wl->n; k++) {
		i = (wl->cur + k) % wl->n;
		if (wl->w[i]->highlight)
			return (long)i;
	}
	for (k = 1; k < wl->n; k++) {
		i = (wl->cur + k) % wl->n;
		if (wl->w[i]->unread)
			return (long)i;
	}
	return -1;
}

unsigned
winlist_unread_total(const struct winlist *wl)
{
	unsigned t = 0;
	size_t i;

	for (i = 0; i < wl->n; i++)
		if (i != wl->cur)
			t += wl->w[i]->unread;
	return t;
}

uint16_t
win_sender(struct uiwin *w, const char *sender)
{
	size_t i;
	char **n;

	if (sender == NULL || sender[0] == '\0')
		return 0;
	for (i = w->nsenders; i-- > 1;)
		if (strcmp(w->senders[i], sender) == 0)
			return (uint16_t)i;
	if (w->nsenders >= WIN_SENDERS_MAX)
		return 0;
	if ((n = realloc(w->senders, (w->nsenders + 1) * sizeof(*n))) == NULL)
		return 0;
	w->senders = n;
	if ((n[w->nsenders] = strndup(sender, 1024)) == NULL)
		return 0;
	return (uint16_t)w->nsenders++;
}

const char *
win_sender_name(const struct uiwin *w, uint16_t i)
{
	return i < w->nsenders ? w->senders[i] : "";
}

uint64_t
win_add(struct uiwin *w, int visible, const struct line *tmpl,
	const char *sender, const char *text, size_t len, const char *id)
{
	struct line l = *tmpl;
	uint64_t seq;

	uint64_t first = lstore_first(w->lines);

	l.sender = win_sender(w, sender);
	if (w->bottom != 0)
		lstore_hold(w->lines); /* reading: nothing is pushed out */
	seq = lstore_append(w->lines, &l, text, len, id);
	if (seq == 0)
		return 0;
	if (lstore_first(w->lines) != first && lstore_count(w->lines) > 1)
		win_dropped(w);
	if (w->bottom != 0) {
		w->newcount++;
		if (w->bottom < lstore_first(w->lines)) {
			w->bottom = lstore_first(w->lines);
			w->bottom_skip = 0;
		}
	}
	if (!(l.flags & LF_OUT) && (l.kind == LK_MSG || l.kind == LK_ME)) {
		if (!visible) {
			w->unread++;
			if (l.flags & LF_HILITE)
				w->highlight++;
			if (w->marker == 0)
				w->marker = seq;
		}
	}
	if (w->marker != 0 && w->marker < lstore_first(w->lines))
		w->marker = lstore_first(w->lines);
	return seq;
}

uint64_t
win_add_old(struct uiwin *w, const struct line *tmpl, const char *sender,
	    const char *text, size_t len, const char *id)
{
	struct line l = *tmpl;

	l.sender = win_sender(w, sender);
	l.flags |= LF_OLD;
	return lstore_prepend(w->lines, &l, text, len, id);
}

int
win_set_state(struct uiwin *w, const char *id, enum line_state st)
{
	uint64_t seq = lstore_find_id(w->lines, id, 4096);
	struct line *l;

	if (seq == 0 || (l = lstore_get(w->lines, seq, NULL)) == NULL)
		return 0;
	/* states only move forward, except to failed */
	if (st == LS_FAILED || st > l->state)
		l->state = (uint8_t)st;
	return 1;
}

void
win_scroll_bottom(struct uiwin *w)
{
	w->bottom = 0;
	w->bottom_skip = 0;
	w->newcount = 0;
	if (lstore_trim(w->lines) > 0)
		win_dropped(w);
}

void
win_dropped(struct uiwin *w)
{
	if (w->hist_cursor == NULL && !w->history_done && !w->history_asked)
		return;
	free(w->hist_cursor);
	w->hist_cursor = NULL;
	w->history_done = 0;
	if (w->history_asked)
		w->page_stale = 1;
	if (w->marker != 0 && w->marker < lstore_first(w->lines))
		w->marker = lstore_first(w->lines);
}
