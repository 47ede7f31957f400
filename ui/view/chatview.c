/*
 * chatview.c: the message area. Lines are laid out from the bottom up and
 * only those on screen are sanitised and wrapped: time, delivery mark,
 * sender (coloured), the body with a hanging indent, and the encryption
 * and trust of every message at the right; day separators and the "new
 * since you last looked" marker are drawn, not stored. Scrolling moves an
 * anchor (the line at the bottom and its rows hidden below).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "model/model.h"
#include "text/display.h"
#include "text/width.h"
#include "text/wrap.h"
#include "view/grid.h"
#include "view/view.h"

/* Older lines are asked for once the view is fewer than this many
 * screens' worth of lines from the oldest one held. */
#define CHATVIEW_PREFETCH_PAGES 3

/* The time column of the frame being laid out (set from the geometry by
 * chatview_paint and view_scroll). */
static const char *chatview_tfmt = "%H:%M";
static int chatview_tcols = 5;

static void
chatview_time(const struct view_geom *vg)
{
	if (vg->time_format != NULL && vg->time_cols > 0 &&
	    vg->time_cols < 20) {
		chatview_tfmt = vg->time_format;
		chatview_tcols = vg->time_cols;
	}
}

struct seg {
	uint32_t from, to;
	uint8_t esc; /* escape mark state at from */
};

struct linelay {
	struct line *l;
	const char *sender;
	struct dstr body;
	struct seg *segs;
	size_t nsegs, cap;
	int day, marker; /* extra rows above the body */
	int bodycol, bodyw, nickw, timew, tagw;
};

static void
seg_push(struct linelay *ll, size_t from, size_t to, int esc)
{
	struct seg *n;

	if (ll->nsegs == ll->cap) {
		size_t nc = ll->cap ? ll->cap * 2 : 8;
		if ((n = realloc(ll->segs, nc * sizeof(*n))) == NULL)
			return;
		ll->segs = n;
		ll->cap = nc;
	}
	ll->segs[ll->nsegs].from = (uint32_t)from;
	ll->segs[ll->nsegs].to = (uint32_t)to;
	ll->segs[ll->nsegs].esc = (uint8_t)esc;
	ll->nsegs++;
}

/* Whether s is printable ASCII only: then its display string is itself,
 * one column a byte, and it is one row when it fits (most lines). */
static int
plain_ascii(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
			return 0;
	return 1;
}

/* Splits the body into rows of at most width columns with the one
 * wrapping of ui/text/wrap.c: at spaces or next to wide characters when
 * it can, always at '\n', never inside a cluster or an escape unit (so
 * every row starts outside an escape). */
static void
wrap(struct linelay *ll, int width)
{
	const struct dstr *d = &ll->body;
	struct wrap_row r;
	size_t pos = 0;

	if (width < 1)
		width = 1;
	if (d->len == 0 ||
	    (d->len <= (size_t)width && plain_ascii(d->s, d->len))) {
		seg_push(ll, 0, d->len, 0);
		return;
	}
	while (pos < d->len) {
		pos = wrap_next(d->s, d->len, pos, (size_t)width, &r);
		seg_push(ll, r.start, r.end, 0);
	}
}

static int
same_day(int64_t a, int64_t b)
{
	time_t ta = (time_t)(a / 1000), tb = (time_t)(b / 1000);
	struct tm x, y;

	localtime_r(&ta, &x);
	localtime_r(&tb, &y);
	return x.tm_year == y.tm_year && x.tm_yday == y.tm_yday;
}

static void
lay_free(struct linelay *ll)
{
	dstr_free(&ll->body);
	free(ll->segs);
	memset(ll, 0, sizeof(*ll));
}

/* The geometry of line seq of w for a view cols wide, and its text; the
 * body is not made yet. -1 when not held. */
static int
lay_head(struct uiwin *w, uint64_t seq, int cols, int tcols,
	 struct linelay *ll, const char **textp)
{
	const char *text;
	struct line *l = lstore_get(w->lines, seq, &text), *prev;

	memset(ll, 0, sizeof(*ll));
	if (l == NULL)
		return -1;
	*textp = text;
	ll->l = l;
	ll->sender = win_sender_name(w, l->sender);
	prev = lstore_get(w->lines, seq - 1, NULL);
	ll->day = prev == NULL
		      ? (l->time != 0)
		      : (!same_day(prev->time, l->time) && l->time != 0);
	ll->marker = w->marker != 0 && seq == w->marker;
	if (cols >= 40) {
		ll->timew = tcols + 1;
		ll->nickw = cols >= 100 ? 12 : cols >= 60 ? 10 : 8;
		ll->tagw = cols >= 50 ? 9 : 0;
	} else {
		ll->timew = 0;
		ll->nickw = 6;
		ll->tagw = 0;
	}
	if (l->kind == LK_MSG || l->kind == LK_ME)
		ll->bodycol = ll->timew + 3 + ll->nickw + 1;
	else
		ll->bodycol = ll->timew + 4;
	ll->bodyw = cols - ll->bodycol - ll->tagw;
	if (ll->bodyw < 4) {
		ll->bodycol = 0;
		ll->bodyw = cols;
	}
	return 0;
}

/* Lays out line seq of w for a view cols wide. -1 when not held. */
static int
lay(struct uiwin *w, uint64_t seq, int cols, int tcols, struct linelay *ll)
{
	const char *text;

	if (lay_head(w, seq, cols, tcols, ll, &text) < 0 ||
	    dstr_make(&ll->body, text, ll->l->len, DSTR_BODY) != 0)
		return -1;
	wrap(ll, ll->bodyw);
	return 0;
}

static int
lay_rows(const struct linelay *ll)
{
	return ll->day + ll->marker + (int)(ll->nsegs ? ll->nsegs : 1);
}

int
chatview_line_rows(struct uiwin *w, uint64_t seq, int cols)
{
	struct linelay ll;
	const char *text;
	int r;

	if (lay_head(w, seq, cols, chatview_tcols, &ll, &text) < 0)
		return 0;
	/* most lines: one row, known without making the body */
	if (ll.l->len <= (size_t)ll.bodyw && plain_ascii(text, ll.l->len))
		return ll.day + ll.marker + 1;
	if (dstr_make(&ll.body, text, ll.l->len, DSTR_BODY) != 0)
		return 0;
	wrap(&ll, ll.bodyw);
	r = lay_rows(&ll);
	lay_free(&ll);
	return r;
}

static const char *
mark_of(const struct line *l, uint16_t *style)
{
	*style = GS_DIM;
	if (!(l->flags & LF_OUT))
		return "  ";
	switch (l->state) {
	case LS_QUEUED:
		*style = GS_WARN;
		return "~ ";
	case LS_ACKED:
		*style = GS_GOOD;
		return "\xe2\x9c\x93 ";
	case LS_DELIVERED:
		*style = GS_GOOD;
		return "\xe2\x9c\x93\xe2\x9c\x93";
	case LS_READ:
		*style = GS_INFO; /* read: another colour than delivered */
		return "\xe2\x9c\x93\xe2\x9c\x93";
	case LS_FAILED:
		*style = GS_BAD;
		return "\xe2\x9c\x97 ";
	default:
		return "  ";
	}
}

static const char *
tag_of(const struct uiwin *w, const struct line *l, uint16_t *style)
{
	if (l->kind != LK_MSG && l->kind != LK_ME)
		return NULL;
	if (!(l->flags & LF_OMEMO)) {
		*style = w->kind == WK_ROOM ? GS_WARN : GS_BAD;
		return "PLAIN";
	}
	switch (l->trust) {
	case LT_VERIFIED:
		*style = GS_GOOD;
		return "omemo \xe2\x9c\x94";
	case LT_UNTRUSTED:
		*style = GS_BAD;
		return "omemo \xe2\x9c\x97";
	default:
		*style = GS_WARN;
		return "omemo ?";
	}
}

static void
paint_sep(struct grid *g, int row, const struct view_geom *vg, const char *text)
{
	int tw = (int)strlen(text), left;

	grid_fill(g, row, 0, vg->chat_cols, '-', GS_SEP, 0);
	left = (vg->chat_cols - tw - 2) / 2;
	if (left < 0)
		left = 0;
	grid_blank(g, row, left, 1, GS_SEP);
	grid_text(g, row, left + 1, vg->chat_cols - left - 1, text, GS_SEP,
		  GA_BOLD);
	if (left + 1 + tw < vg->chat_cols)
		grid_blank(g, row, left + 1 + tw, 1, GS_SEP);
}

/* Which part of a composed text (apply_edit.c) segment S shows: -1 the
 * quoted line of a reply, 1 the reactions, 0 the body; *BEND is where the
 * body ends. */
static int
body_part(const struct linelay *ll, const struct seg *s, uint32_t *bend)
{
	const struct dstr *d = &ll->body;
	const char *nl;
	size_t i;

	*bend = (uint32_t)d->len;
	if (ll->l->flags & LF_REACT) {
		for (i = d->len; i > 0 && d->s[i - 1] != '\n'; i--)
			;
		if (i > 0) {
			*bend = (uint32_t)(i - 1);
			if (s->from >= i)
				return 1;
		}
	}
	if ((ll->l->flags & LF_QUOTE) &&
	    (nl = memchr(d->s, '\n', d->len)) != NULL &&
	    s->to <= (uint32_t)(nl - d->s))
		return -1;
	return 0;
}

/* After the last row of a body, what ward says of it, as far as it fits:
 * "(edited)", and for ours in a room "(read by N)" (roomsig.c). */
static void
paint_marks(struct grid *g, const struct uiwin *w, const struct linelay *ll,
	    int r, int row)
{
	const struct line *l = ll->l;
	char rb[32];
	const char *mk[2];
	size_t used = 0, n = 0, i;
	int col;

	if (l->flags & LF_EDITED)
		mk[n++] = "(edited)";
	if (w->kind == WK_ROOM && (l->flags & LF_OUT) && l->readers > 0) {
		snprintf(rb, sizeof(rb), "(read by %u%s)", l->readers,
			 l->readers == UINT8_MAX ? "+" : "");
		mk[n++] = rb;
	}
	if (n == 0)
		return;
	wrap_fit(ll->body.s + ll->segs[r].from,
		 ll->segs[r].to - ll->segs[r].from, (size_t)-1, &used);
	col = ll->bodycol + (int)used + 1;
	for (i = 0; i < n; i++) {
		int need = (int)strlen(mk[i]);
		if (col + need + 1 > ll->bodycol + ll->bodyw)
			return;
		grid_text(g, row, col, need, mk[i],
			  mk[i] == rb ? GS_INFO : GS_DIM, 0);
		col += need + 1;
	}
}

/* Draws row r (0 = first) of a laid-out line at screen row. */
static void
paint_row(struct grid *g, struct uiwin *w, struct linelay *ll, int r, int row,
	  const struct view_geom *vg, struct model *m)
{
	const struct line *l = ll->l;
	int cols = vg->chat_cols;
	uint16_t style, st;
	uint32_t bend;
	int esc, part;

	grid_blank(g, row, 0, cols, GS_NORMAL);
	if (r < ll->day) {
		char buf[64];
		time_t t = (time_t)(l->time / 1000);
		struct tm tm;
		localtime_r(&t, &tm);
		strftime(buf, sizeof(buf), "%A %e %B %Y", &tm);
		paint_sep(g, row, vg, buf);
		return;
	}
	r -= ll->day;
	if (r < ll->marker) {
		paint_sep(g, row, vg, "new since you last looked");
		return;
	}
	r -= ll->marker;
	style = l->kind == LK_ERROR    ? GS_ERROR
		: l->kind == LK_INFO   ? GS_INFO
		: l->kind == LK_STATUS ? GS_DIM
				       : GS_NORMAL;
	if (r == 0) {
		int col = 0;
		if (ll->timew) {
			char tb[16];
			time_t t = (time_t)(l->time / 1000);
			struct tm tm;
			localtime_r(&t, &tm);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
			strftime(tb, sizeof(tb), chatview_tfmt, &tm);
#pragma GCC diagnostic pop
			grid_text(g, row, 0, ll->timew - 1, tb, GS_DIM, 0);
			/* a delayed message: the sender's time, marked */
			if (l->flags2 & LF2_DELAYED)
				grid_text(g, row, ll->timew - 1, 1, "~",
					  GS_WARN, GA_BOLD);
			col = ll->timew;
		}
		if (l->kind == LK_MSG || l->kind == LK_ME) {
			const char *mk = mark_of(l, &st);
			struct dstr nd;
			uint16_t ns;
			grid_text(g, row, col, 2, mk, st, GA_BOLD);
			col += 3;
			ns = (l->flags & LF_OUT) ? GS_ME
						 : view_nick_style(ll->sender);
			if (l->kind == LK_ME)
				col += grid_text(g, row, col, 2, "* ", ns, 0);
			if (dstr_make(&nd, ll->sender, strlen(ll->sender),
				      DSTR_NAME) == 0) {
				grid_put(g, row, col, ll->bodycol - col - 1,
					 &nd, 0, nd.len, ns,
					 (l->flags & LF_HILITE) ? GA_BOLD : 0,
					 NULL);
				dstr_free(&nd);
			}
			if (ll->tagw) {
				const char *tag = tag_of(w, l, &st);
				if (tag != NULL)
					grid_text(
					    g, row,
					    cols - ll->tagw + 1 +
						(int)(8 -
						      (int)uw_str_width(
							  tag, strlen(tag))),
					    ll->tagw - 1, tag, st, 0);
			}
		} else if (ll->bodycol > 0) {
			grid_text(g, row, col, 3,
				  l->kind == LK_ERROR ? "!!" : "--", style,
				  GA_BOLD);
		}
	}
	if (ll->nsegs == 0)
		return;
	if ((size_t)r >= ll->nsegs)
		return;
	esc = ll->segs[r].esc;
	if ((l->flags & LF_HILITE) && !(l->flags & LF_OUT) &&
	    w->kind == WK_ROOM)
		style = GS_HILITE;
	part = body_part(ll, &ll->segs[r], &bend);
	if (part != 0 || (l->flags & LF_RETRACTED))
		style = part > 0 ? GS_INFO : GS_DIM;
	grid_put(g, row, ll->bodycol, ll->bodyw, &ll->body, ll->segs[r].from,
		 ll->segs[r].to, style, 0, &esc);
	/* ward's own marks, never the sender's text */
	if (part == 0 && ll->segs[r].to == bend)
		paint_marks(g, w, ll, r, row);
	(void)m;
}

void
chatview_paint(struct grid *g, struct model *m, const struct view_geom *vg)
{
	struct uiwin *w = winlist_current(&m->wl);
	int row, bottom = vg->chat_top + vg->chat_rows - 1, r, skip, i;
	uint64_t seq, first;
	struct linelay ll;

	if (w == NULL || vg->chat_rows <= 0)
		return;
	chatview_time(vg);
	first = lstore_first(w->lines);
	if (w->bottom != 0 && w->bottom >= lstore_end(w->lines))
		win_scroll_bottom(w);
	if (w->bottom != 0) {
		char buf[96];
		seq = w->bottom;
		skip = (int)w->bottom_skip;
		snprintf(buf, sizeof(buf),
			 "%u new below \xc2\xb7 End to "
			 "follow",
			 w->newcount);
		grid_blank(g, bottom, 0, vg->chat_cols, GS_NORMAL);
		paint_sep(g, bottom, vg,
			  w->newcount ? buf
				      : "scrolled up \xc2\xb7 End to follow");
		bottom--;
	} else {
		seq = lstore_end(w->lines) - 1;
		skip = 0;
	}
	row = bottom;
	while (row >= vg->chat_top && seq >= first && lstore_count(w->lines)) {
		if (lay(w, seq, vg->chat_cols, chatview_tcols, &ll) < 0)
			break;
		r = lay_rows(&ll) - 1 - skip;
		for (i = r; i >= 0 && row >= vg->chat_top; i--, row--)
			paint_row(g, w, &ll, i, row, vg, m);
		lay_free(&ll);
		skip = 0;
		if (seq == first)
			break;
		seq--;
	}
	/* the oldest line held is shown (a page arriving must repaint), or
	 * near: older lines are asked for a page ahead, so the key that
	 * reaches them finds them held instead of waiting for ward.db */
	w->top_shown = row >= vg->chat_top || seq == first;
	if (!w->history_done && w->kind != WK_CONSOLE &&
	    (row >= vg->chat_top ||
	     seq - first < (uint64_t)vg->chat_rows * CHATVIEW_PREFETCH_PAGES))
		w->want_older = 1;
	for (; row >= vg->chat_top; row--)
		grid_blank(g, row, 0, vg->chat_cols, GS_NORMAL);
}

/* Rows from the top of what is held down to the anchor, at most limit. */
static int
rows_above(struct uiwin *w, uint64_t seq, int skip, int cols, int limit)
{
	uint64_t first = lstore_first(w->lines);
	int total = chatview_line_rows(w, seq, cols) - skip;

	while (total < limit && seq > first) {
		seq--;
		total += chatview_line_rows(w, seq, cols);
	}
	return total;
}

int
view_scroll(struct model *m, const struct view_geom *vg, int rows)
{
	struct uiwin *w = winlist_current(&m->wl);
	uint64_t seq, first, end;
	int skip, h, cols = vg->chat_cols, top = 0, view = vg->chat_rows - 1;

	if (w == NULL || lstore_count(w->lines) == 0 || view < 1)
		return 0;
	chatview_time(vg);
	first = lstore_first(w->lines);
	end = lstore_end(w->lines);
	if (w->bottom == 0) {
		seq = end - 1;
		skip = 0;
	} else {
		seq = w->bottom;
		skip = (int)w->bottom_skip;
	}
	if (rows > 0) {
		while (rows > 0) {
			h = chatview_line_rows(w, seq, cols);
			if (rows <= h - 1 - skip) {
				skip += rows;
				rows = 0;
			} else if (seq > first) {
				rows -= h - skip;
				seq--;
				skip = 0;
			} else {
				skip = h - 1;
				top = 1;
				break;
			}
		}
		/* never leave the screen half empty above the oldest line */
		if (rows_above(w, seq, skip, cols, view) < view) {
			uint64_t s = first;
			int acc = 0;
			top = 1;
			while (s < end) {
				h = chatview_line_rows(w, s, cols);
				if (acc + h >= view) {
					seq = s;
					skip = acc + h - view;
					break;
				}
				acc += h;
				s++;
			}
			if (s >= end) {
				win_scroll_bottom(w);
				m->dirty |= MD_CHAT;
				return top;
			}
		}
	} else {
		rows = -rows;
		skip -= rows;
		while (skip < 0) {
			if (seq + 1 >= end) {
				win_scroll_bottom(w);
				m->dirty |= MD_CHAT;
				return 0;
			}
			seq++;
			skip += chatview_line_rows(w, seq, cols);
		}
	}
	if (w->bottom == 0)
		w->newcount = 0;
	w->bottom = seq;
	w->bottom_skip = (unsigned)skip;
	m->dirty |= MD_CHAT;
	return top;
}

void
view_scroll_top(struct model *m, const struct view_geom *vg)
{
	struct uiwin *w = winlist_current(&m->wl);

	if (w == NULL || lstore_count(w->lines) == 0)
		return;
	w->bottom = lstore_first(w->lines);
	w->bottom_skip = 0;
	view_scroll(m, vg, 1);
	view_scroll(m, vg, -1);
}

int
chatview_find(struct model *m, const struct view_geom *vg, const char *text)
{
	struct uiwin *w = winlist_current(&m->wl);
	uint64_t seq, first;
	const char *body;
	struct line *l;

	if (w == NULL || text == NULL || text[0] == '\0' ||
	    lstore_count(w->lines) == 0)
		return 0;
	first = lstore_first(w->lines);
	seq = w->bottom ? w->bottom - 1 : lstore_end(w->lines) - 1;
	for (; seq >= first && seq != 0; seq--) {
		char *copy;
		int hit;
		if ((l = lstore_get(w->lines, seq, &body)) == NULL)
			break;
		if ((copy = strndup(body, l->len)) == NULL)
			break;
		hit = strcasestr(copy, text) != NULL;
		free(copy);
		if (hit) {
			w->bottom = seq;
			w->bottom_skip = 0;
			m->dirty |= MD_CHAT;
			(void)vg;
			return 1;
		}
		if (seq == first)
			break;
	}
	return 0;
}
