/*
 * bars.c: the one-line regions: the top line (account, presence,
 * connection security in words, the window list with activity), the
 * conversation security line, the input line, and the contacts/occupants
 * pane.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "model/model.h"
#include "model/roomsig.h"
#include "text/display.h"
#include "skeleton.h"
#include "text/width.h"
#include "text/wrap.h"
#include "view/grid.h"
#include "view/view.h"

/* Appends a word at *col in style; returns 0 when it did not fit. */
static int
word(struct grid *g, int row, int *col, int end, const char *s, uint16_t style,
     uint8_t attr)
{
	int w = (int)uw_str_width(s, strlen(s));

	if (*col + w + 1 > end)
		return 0;
	*col += grid_text(g, row, *col, end - *col, s, style, attr);
	*col += 1;
	return 1;
}

/* Like word(), but cut to what fits rather than left out. */
static void
clip(struct grid *g, int row, int *col, int end, const char *s, uint16_t style,
     uint8_t attr)
{
	if (*col >= end)
		return;
	*col += grid_text(g, row, *col, end - *col, s, style, attr);
	*col += 1;
}

void
view_win_name(const struct uiwin *w, char *buf, size_t size)
{
	const char *j = w->jid ? w->jid : "";
	const char *at = strchr(j, '@'), *slash = strchr(j, '/');

	switch (w->kind) {
	case WK_CONSOLE:
		snprintf(buf, size, "console");
		break;
	case WK_CHAT:
		snprintf(buf, size, "%.*s",
			 at && at != j ? (int)(at - j) : (int)strlen(j), j);
		break;
	case WK_ROOM:
		snprintf(buf, size, "#%.*s",
			 at ? (int)(at - j) : (int)strlen(j), j);
		break;
	case WK_PRIV:
		snprintf(buf, size, "%s", slash ? slash + 1 : j);
		break;
	}
}

/* The connection part of the top line, in words. */
static void
top_security(struct grid *g, struct model *m, int row, int *col, int end)
{
	const struct model_conn *c = &m->conn;
	char buf[96];

	if (strcmp(c->state, "online") != 0) {
		word(g, row, col, end, c->state, GS_WARN, GA_BOLD);
		return;
	}
	if (c->tls != NULL) {
		snprintf(buf, sizeof(buf), "%s", c->tls);
		if (strncmp(buf, "TLSv", 4) == 0)
			memmove(buf + 3, buf + 4, strlen(buf + 4) + 1);
		word(g, row, col, end, buf,
		     strcmp(c->tls, "TLSv1.3") == 0 ? GS_GOOD : GS_WARN, 0);
	}
	if (c->dnssec != NULL) {
		snprintf(buf, sizeof(buf), "DNSSEC %s", c->dnssec);
		word(g, row, col, end, buf,
		     strcmp(c->dnssec, "secure") == 0 ? GS_GOOD : GS_WARN, 0);
	}
	if (c->dane != NULL)
		word(g, row, col, end,
		     strcmp(c->dane, "match") == 0 ? "DANE match" : "no DANE",
		     strcmp(c->dane, "match") == 0 ? GS_GOOD : GS_WARN, 0);
	if (c->sasl != NULL)
		word(g, row, col, end, c->sasl,
		     strstr(c->sasl, "-PLUS") ? GS_GOOD : GS_WARN, 0);
	if (c->cb != NULL)
		word(g, row, col, end,
		     strcmp(c->cb, "none") == 0 ? "no channel binding" : c->cb,
		     strcmp(c->cb, "none") == 0 ? GS_BAD : GS_GOOD,
		     strcmp(c->cb, "none") == 0 ? GA_BOLD : 0);
	if (c->auth_by != NULL && strcmp(c->auth_by, "pin") == 0)
		word(g, row, col, end, "key pinned by you", GS_WARN, 0);
}

/* The window list, right-aligned; windows without activity are left out
 * first when it does not fit. */
static void
top_windows(struct grid *g, struct model *m, int row, int start, int end)
{
	char items[WIN_MAX][96], name[48];
	uint8_t styles[WIN_MAX];
	int widths[WIN_MAX], total = 0, col;
	size_t i, n = m->wl.n;
	struct uiwin *w;
	int pass;

	for (i = 0; i < n; i++) {
		struct dstr d;
		w = m->wl.w[i];
		view_win_name(w, name, sizeof(name));
		if (w->unread)
			snprintf(items[i], sizeof(items[i]), "[%zu %s+%u%s]",
				 (i + 1) % 100, name, w->unread,
				 w->highlight ? "!" : "");
		else
			snprintf(items[i], sizeof(items[i]), "[%zu %s]",
				 (i + 1) % 100, name);
		styles[i] = i == m->wl.cur ? GS_BAR_CUR
			    : w->highlight ? GS_BAR_HI
			    : w->unread    ? GS_BAR_ACT
					   : GS_BAR;
		widths[i] = 0;
		if (dstr_from_cstr(&d, items[i], DSTR_NAME) == 0) {
			widths[i] = (int)uw_str_width(d.s, d.len);
			dstr_free(&d);
		}
		total += widths[i] + 1;
	}
	for (pass = 0; pass < 2 && total > end - start; pass++)
		for (i = 0; i < n && total > end - start; i++) {
			w = m->wl.w[i];
			if (i == m->wl.cur || widths[i] < 0)
				continue;
			if (pass == 0 && (w->unread || w->highlight))
				continue;
			total -= widths[i] + 1;
			widths[i] = -1;
		}
	col = end - total;
	if (col < start)
		col = start;
	for (i = 0; i < n; i++) {
		if (widths[i] < 0 || col >= end)
			continue;
		col += grid_text(g, row, col, end - col, items[i], styles[i],
				 styles[i] == GS_BAR_CUR ? GA_BOLD : 0);
		col++;
	}
}

void
bars_top(struct grid *g, struct model *m, const struct view_geom *vg)
{
	int row = vg->top, col = 0, end = g->cols, split;
	const char *who = m->conn.jid ? m->conn.jid : m->own_jid;

	grid_blank(g, row, 0, g->cols, GS_BAR);
	word(g, row, &col, end, "ward", GS_BAR, GA_BOLD);
	col++;
	/* narrow: the connection's words matter more than the account (the
	 * console's line names it) */
	if (who != NULL && g->cols >= 100) {
		char b[512];
		const char *slash = strchr(who, '/');
		snprintf(b, sizeof(b), "%.*s",
			 slash ? (int)(slash - who) : (int)strlen(who), who);
		word(g, row, &col, end, b, GS_BAR, 0);
	}
	split = end;
	top_security(g, m, row, &col, split);
	top_windows(g, m, row, col + 1, end);
}

/* The OMEMO state of a chat in words: devices and their trust, and what
 * would stop a message. */
static void
sec_omemo(struct grid *g, const struct uiwin *w, int row, int *col, int end)
{
	char buf[160];
	const char *why = w->sec_why;

	if (why != NULL) {
		snprintf(buf, sizeof(buf), "OMEMO: NOTHING CAN BE SENT: %s",
			 strcmp(why, "room-not-private") == 0
			     ? "the room is no longer private (/omemo off "
			       "ROOM for plaintext)"
			 : strcmp(why, "no-devices") == 0 && w->kind == WK_ROOM
			     ? "a member has no usable OMEMO device"
			 : strcmp(why, "no-devices") == 0
			     ? "no OMEMO device (/omemo off JID for plaintext)"
			 : strcmp(why, "devices-untrusted") == 0
			     ? "you refused every device"
			 : strcmp(why, "devices-undecided") == 0
			     ? "every device waits for your decision"
			     : "ward's OMEMO state cannot be opened");
		clip(g, row, col, end, buf, GS_BAD, GA_BOLD);
		return;
	}
	if (w->devices <= 0) {
		word(g, row, col, end,
		     w->device_list && strcmp(w->device_list, "fetching") == 0
			 ? "OMEMO \xc2\xb7 fetching the devices"
			 : "OMEMO",
		     GS_GOOD, GA_BOLD);
		return;
	}
	if (w->kind == WK_ROOM)
		snprintf(buf, sizeof(buf),
			 "OMEMO \xc2\xb7 %d member%s, %d device%s, %d verified",
			 w->members, w->members == 1 ? "" : "s", w->devices,
			 w->devices == 1 ? "" : "s",
			 w->verified < 0 ? 0 : w->verified);
	else
		snprintf(buf, sizeof(buf),
			 "OMEMO \xc2\xb7 %d device%s, %d verified", w->devices,
			 w->devices == 1 ? "" : "s",
			 w->verified < 0 ? 0 : w->verified);
	word(g, row, col, end, buf,
	     w->verified > 0 && w->verified + w->untrusted >= w->devices
		 ? GS_GOOD
		 : GS_WARN,
	     GA_BOLD);
	if (w->blind > 0) {
		snprintf(buf, sizeof(buf), "\xc2\xb7 %d trusted unverified",
			 w->blind);
		word(g, row, col, end, buf, GS_WARN, 0);
	}
	if (w->undecided > 0) {
		snprintf(buf, sizeof(buf),
			 "\xc2\xb7 %d new device%s wait%s for your decision",
			 w->undecided, w->undecided == 1 ? "" : "s",
			 w->undecided == 1 ? "s" : "");
		word(g, row, col, end, buf, GS_BAD, GA_BOLD);
	}
	if (w->untrusted > 0) {
		snprintf(buf, sizeof(buf), "\xc2\xb7 %d refused", w->untrusted);
		word(g, row, col, end, buf, GS_WARN, 0);
	}
}

/* Columns a typing nick may take (longer ones are cut, with an
 * ellipsis). */
#define BARS_TYPER_COLS 24

/* One typing nick, sanitised and cut to BARS_TYPER_COLS. */
static void
sec_typer(struct grid *g, int row, int *col, int end, const char *nick)
{
	struct dstr d;
	size_t n, used = 0;
	int maxc = end - *col;

	if (maxc <= 0 || dstr_make(&d, nick, strlen(nick), DSTR_NAME) != 0)
		return;
	if (maxc > BARS_TYPER_COLS)
		maxc = BARS_TYPER_COLS;
	n = d.len;
	if (uw_str_width(d.s, d.len) > (size_t)maxc)
		n = wrap_fit(d.s, d.len, (size_t)(maxc - 1), &used);
	*col += grid_put(g, row, *col, maxc, &d, 0, n, GS_INFO, GA_BOLD, NULL);
	if (n < d.len)
		*col += grid_text(g, row, *col, end - *col, "\xe2\x80\xa6",
				  GS_INFO, GA_BOLD);
	dstr_free(&d);
}

/* Who is typing in a room: "alice is typing...", "alice, bob are
 * typing...", from three on "3 people are typing..." (nicks are the
 * occupants' own text: escaped and cut). */
static void
sec_room_typing(struct grid *g, const struct uiwin *w, int row, int *col,
		int end)
{
	size_t n = roomsig_ntyping(w), i;
	char buf[64];

	if (n == 0 || *col + 8 > end)
		return;
	if (n > 2) {
		snprintf(buf, sizeof(buf),
			 "\xc2\xb7 %zu people are typing\xe2\x80\xa6", n);
		word(g, row, col, end, buf, GS_INFO, 0);
		return;
	}
	*col += grid_text(g, row, *col, end - *col, "\xc2\xb7 ", GS_INFO, 0);
	for (i = 0; i < n; i++) {
		if (i > 0)
			*col += grid_text(g, row, *col, end - *col, ", ",
					  GS_INFO, 0);
		sec_typer(g, row, col, end, roomsig_typer(w, i));
	}
	if (*col < end)
		*col += grid_text(g, row, *col, end - *col,
				  n == 1 ? " is typing\xe2\x80\xa6"
					 : " are typing\xe2\x80\xa6",
				  GS_INFO, 0) +
			1;
}

void
bars_sec(struct grid *g, struct model *m, const struct view_geom *vg)
{
	struct uiwin *w = winlist_current(&m->wl);
	int row = vg->sec_row, col = 0, end = g->cols;
	char buf[512];
	struct dstr d;

	if (row < 0 || w == NULL)
		return;
	grid_blank(g, row, 0, g->cols, GS_BAR);
	if (w->kind == WK_CONSOLE) {
		snprintf(buf, sizeof(buf), "[console%s%s] %s",
			 m->account ? " " : "", m->account ? m->account : "",
			 "/help for commands \xc2\xb7 F1 for keys");
		grid_text(g, row, 0, end, buf, GS_BAR, 0);
		return;
	}
	if (m->show_accounts && w->account != NULL)
		/* several accounts: the window says which one it is */
		snprintf(buf, sizeof(buf), "[%s: %s]", w->account, w->jid);
	else
		snprintf(buf, sizeof(buf), "[%s]", w->jid);
	if (dstr_make(&d, buf, strlen(buf), DSTR_NAME) == 0) {
		col += grid_put(g, row, 0, end, &d, 0, d.len, GS_BAR, GA_BOLD,
				NULL) +
		       1;
		dstr_free(&d);
	}
	switch (w->enc) {
	case WE_OMEMO:
		sec_omemo(g, w, row, &col, end);
		break;
	case WE_UNKNOWN:
		word(g, row, &col, end,
		     w->kind == WK_CHAT ? "OMEMO (by default; nothing sent yet)"
					: "room security not known yet",
		     w->kind == WK_CHAT ? GS_GOOD : GS_BAD, 0);
		break;
	case WE_PLAIN_OFF:
		word(g, row, &col, end,
		     "PLAINTEXT: you turned OMEMO off "
		     "(/omemo on JID)",
		     GS_BAD, GA_BOLD);
		break;
	case WE_PLAIN_ROOM:
		word(g, row, &col, end,
		     w->sec_why != NULL &&
			     strcmp(w->sec_why, "not-in-room") == 0
			 ? "PLAINTEXT: not in the room"
			 : "PLAINTEXT: public room (not both members-only and "
			   "non-anonymous)",
		     GS_BAD, GA_BOLD);
		break;
	case WE_PLAIN_PEER:
		word(g, row, &col, end,
		     "PLAINTEXT received: the peer did not "
		     "encrypt",
		     GS_BAD, GA_BOLD);
		break;
	}
	if (w->kind == WK_ROOM)
		sec_room_typing(g, w, row, &col, end);
	else if (strcmp(w->typing, "composing") == 0)
		word(g, row, &col, end, "\xc2\xb7 typing\xe2\x80\xa6", GS_INFO,
		     0);
	else if (strcmp(w->typing, "paused") == 0)
		word(g, row, &col, end, "\xc2\xb7 stopped typing", GS_DIM, 0);
	if (w->kind == WK_CHAT && people_lookalike(&m->contacts, w->jid))
		clip(g, row, &col, end,
		     "\xc2\xb7 LOOKS LIKE ANOTHER CONTACT: check the address",
		     GS_BAD, GA_BOLD);
	if (w->kind == WK_ROOM) {
		snprintf(buf, sizeof(buf), "\xc2\xb7 %s%s \xc2\xb7 %zu here",
			 w->joined ? "joined as " : "not joined",
			 w->joined && w->nick ? w->nick : "", w->occ.n);
		if (dstr_make(&d, buf, strlen(buf), DSTR_NAME) == 0) {
			col += grid_put(g, row, col, end - col, &d, 0, d.len,
					GS_BAR, 0, NULL) +
			       1;
			dstr_free(&d);
		}
		if (w->subject != NULL && col + 4 < end &&
		    dstr_make(&d, w->subject, strlen(w->subject), DSTR_LINE) ==
			0) {
			col += grid_text(g, row, col, end - col, "\xc2\xb7 ",
					 GS_BAR, 0);
			grid_put(g, row, col, end - col, &d, 0, d.len, GS_BAR,
				 0, NULL);
			dstr_free(&d);
		}
	}
}

void
bars_input(struct grid *g, const struct view_geom *vg,
	   const struct view_input *in)
{
	struct dstr d, pre;
	const char *label = in->label ? in->label : "> ";
	int lw, row, i, avail, curcol, nrows = vg->input_rows;
	size_t k, start, rowstart[64];
	int nr = 0, esc = 0;

	for (i = 0; i < nrows; i++)
		grid_blank(g, vg->input_row + i, 0, g->cols, GS_INPUT);
	lw = grid_text(g, vg->input_row, 0, g->cols / 2, label, GS_INPUT,
		       GA_BOLD);
	avail = g->cols - lw - 1;
	if (avail < 1 ||
	    dstr_make(&d, in->text ? in->text : "", in->len, DSTR_BODY) != 0)
		return;
	if (dstr_make(&pre, in->text ? in->text : "", in->cursor, DSTR_BODY) !=
	    0) {
		dstr_free(&d);
		return;
	}
	/* the rows of a multi-line input; the cursor is in pre's last row */
	rowstart[nr++] = 0;
	for (k = 0; k < d.len && nr < 64; k++)
		if (d.s[k] == '\n')
			rowstart[nr++] = k + 1;
	{
		size_t crow = 0, cstart = 0;
		for (k = 0; k < pre.len; k++)
			if (pre.s[k] == '\n') {
				crow++;
				cstart = k + 1;
			}
		curcol = (int)uw_str_width(pre.s + cstart, pre.len - cstart);
		for (k = cstart; k < pre.len; k++)
			if (pre.s[k] == DSTR_ESC_ON || pre.s[k] == DSTR_ESC_OFF)
				curcol--;
		/* show the rows up to the cursor's, the last nrows of them */
		int first =
		    (int)crow - nrows + 1 < 0 ? 0 : (int)crow - nrows + 1;
		for (i = 0; i < nrows && first + i < nr; i++) {
			size_t s0 = rowstart[first + i];
			size_t s1 = first + i + 1 < nr
					? rowstart[first + i + 1] - 1
					: d.len;
			start = s0;
			if ((size_t)(first + i) == crow && curcol >= avail) {
				/* scroll horizontally to keep the cursor in */
				int drop = curcol - avail + 1;
				while (drop > 0 && start < s1) {
					int w;
					unsigned char c =
					    (unsigned char)d.s[start];
					if (c == DSTR_ESC_ON ||
					    c == DSTR_ESC_OFF) {
						start++;
						continue;
					}
					start += uw_cluster(d.s + start,
							    s1 - start, &w);
					drop -= w < 1 ? 1 : w;
					curcol -= w < 1 ? 1 : w;
				}
			}
			esc = 0;
			grid_put(g, vg->input_row + i, lw, avail, &d, start, s1,
				 GS_INPUT, 0, &esc);
			if ((size_t)(first + i) == crow) {
				g->cur_row = vg->input_row + i;
				g->cur_col = lw + curcol;
			}
		}
	}
	row = 0;
	(void)row;
	dstr_free(&d);
	dstr_free(&pre);
}

static const char *
show_mark(enum pshow s)
{
	switch (s) {
	case PS_ONLINE:
	case PS_CHAT:
		return "\xe2\x97\x8f";
	case PS_AWAY:
	case PS_XA:
	case PS_DND:
		return "\xe2\x97\x90";
	default:
		return "\xe2\x97\x8b";
	}
}

static void
pane_person(struct grid *g, int row, int col, int cols, const struct person *p,
	    int room)
{
	struct dstr d;
	enum pshow s = people_show(p);
	const char *label = (!room && p->name) ? p->name : p->key;
	const char *flag = (p->flags & SKELETON_LOOKALIKE) ? "look-alike"
			   : (p->flags & SKELETON_MIXED)   ? "mixed"
							   : NULL;
	int c = col + 1, flagw = flag ? (int)strlen(flag) + 1 : 0;

	grid_text(g, row, c, 1, show_mark(s),
		  s == PS_OFFLINE                  ? GS_DIM
		  : s == PS_ONLINE || s == PS_CHAT ? GS_GOOD
						   : GS_WARN,
		  0);
	c += 2;
	if (room && p->name && strcmp(p->name, "moderator") == 0)
		c += grid_text(g, row, c, 1, "@", GS_PANE, GA_BOLD);
	/* a look-alike shows its JID or nick, never only a roster name */
	if (flag != NULL)
		label = p->key;
	if (dstr_make(&d, label, strlen(label), DSTR_NAME) == 0) {
		c += grid_put(g, row, c, col + cols - c - 2 - flagw, &d, 0,
			      d.len,
			      s == PS_OFFLINE ? GS_DIM
			      : room          ? view_nick_style(p->key)
					      : GS_PANE,
			      0, NULL);
		dstr_free(&d);
	}
	/* the status text after the name, dim, cut to what is left: remote
	 * text, so a display string of one line like any subject */
	if (p->status != NULL && p->status[0] != '\0' && flag == NULL &&
	    col + cols - c - 3 > 1 &&
	    dstr_make(&d, p->status, strlen(p->status), DSTR_LINE) == 0) {
		int esc = 0;
		c++;
		c += grid_put(g, row, c, col + cols - c - 3, &d, 0, d.len,
			      GS_DIM, 0, &esc);
		dstr_free(&d);
	}
	if (flag != NULL)
		grid_text(g, row, c + 1, col + cols - c - 1, flag, GS_BAD,
			  GA_BOLD);
	else if (!room && p->trust >= 0)
		grid_text(g, row, col + cols - 2, 1,
			  p->trust == 1   ? "\xe2\x9c\x94"
			  : p->trust == 3 ? "\xe2\x9c\x97"
					  : "?",
			  p->trust == 1 ? GS_GOOD : GS_WARN, 0);
}

void
bars_pane(struct grid *g, struct model *m, const struct view_geom *vg)
{
	struct uiwin *w = winlist_current(&m->wl), *x;
	int row = vg->chat_top, end = vg->chat_top + vg->chat_rows;
	int col = vg->pane_col, cols = vg->pane_cols;
	size_t i;
	char buf[96], name[48];

	if (cols <= 0)
		return;
	for (i = 0; i < (size_t)vg->chat_rows; i++) {
		grid_blank(g, vg->chat_top + (int)i, col, cols, GS_PANE);
		grid_text(g, vg->chat_top + (int)i, col, 1, "|", GS_DIM, 0);
	}
	col++;
	cols--;
	if (w != NULL && w->kind == WK_ROOM) {
		people_ready(&w->occ);
		snprintf(buf, sizeof(buf), "Occupants (%zu)", w->occ.n);
		grid_text(g, row++, col, cols, buf, GS_PANE, GA_BOLD);
		for (i = 0; i < w->occ.n && row < end; i++)
			pane_person(g, row++, col, cols, &w->occ.p[i], 1);
		return;
	}
	people_ready(&m->contacts);
	grid_text(g, row++, col, cols, "Contacts", GS_PANE, GA_BOLD);
	for (i = 0; i < m->contacts.n && row < end - 2; i++)
		pane_person(g, row++, col, cols, &m->contacts.p[i], 0);
	if (row >= end)
		return;
	grid_text(g, row++, col, cols, "Rooms", GS_PANE, GA_BOLD);
	for (i = 0; i < m->wl.n && row < end; i++) {
		x = m->wl.w[i];
		if (x->kind != WK_ROOM)
			continue;
		view_win_name(x, name, sizeof(name));
		if (x->unread)
			snprintf(buf, sizeof(buf), " %s (%u)%s", name,
				 x->unread, x->highlight ? " !" : "");
		else
			snprintf(buf, sizeof(buf), " %s", name);
		grid_text(g, row++, col, cols, buf,
			  x->highlight ? GS_BAR_HI : GS_PANE, 0);
	}
}
