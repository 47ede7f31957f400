/*
 * draw.c: the one file that writes cell text to the terminal (a check in
 * tests/integration/layers.sh holds it). It keeps a copy of what the
 * terminal shows and, each frame, sends only the cells of dirty rows that
 * differ from it, in one write(). The cells hold only sanitised display
 * text (grid.c); a control byte that got there anyway goes out as '?'.
 * Every sequence comes from the terminfo entry, expanded once (padding
 * included) and kept: a frame costs no terminfo parsing. Each style maps
 * to the theme's colours and looks; text ward escaped (GA_ESC) gets a
 * distinct look of its own.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <unistd.h>

#include "view/draw.h"
#include "view/grid.h"

/* a sequence expanded by tputs (padding included) */
struct seq {
	char s[48];
	uint8_t n;
};

static struct {
	struct seq sgr0, op, bold, dim, uline, rev, civis, cnorm, clear,
	    smcup, rmcup, rmkx;
	int colours;     /* setaf's colours; 0: none */
	/* cup of the common form PREFIX "%i%p1%d;%p2%dH" (PREFIX from the
	 * entry, with no parameters): formatted here, not by tiparm */
	char cup_prefix[8];
	int cup_fast;
	int skip_corner; /* auto margins without xenl: the bottom-right cell
			    would scroll the screen */
	int can_scroll; /* csr and ind: lines moved up by the terminal */
	int ready;
} caps;

static struct {
	int fg, bg;
	unsigned looks;
	int colour_done;  /* colour sequence worked out */
	struct seq colour; /* setaf/setab, or nothing */
} style[GS_COUNT];

/* What the terminal shows, a cell in 8 bytes: its style, attributes,
 * width and length, and up to 4 bytes of text exactly (every single code
 * point). A longer cluster is kept as "long", which equals nothing: it is
 * sent again whenever its row is repainted, so a cell is never wrongly
 * taken as shown. */
static uint64_t *shown;
static int shown_rows, shown_cols;
/* the terminal's state as sent so far: cursor (-1: not known), look */
static int at_row = -1, at_col = -1, cursor_on = -1;
static unsigned cur_key = ~0u;
static int cur_coloured;
/* some style has a colour (none: no colour sequence is ever sent, not even
 * a reset, as NO_COLOR and the monochrome theme promise) */
static int colour_used;

/* the frame being written */
static char *out;
static size_t out_len, out_cap;
static int out_failed;

static void
out_grow(size_t more)
{
	size_t ncap;
	char *n;

	if (out_failed || out_len + more <= out_cap)
		return;
	ncap = out_cap ? out_cap : 16384;
	while (ncap < out_len + more)
		ncap *= 2;
	if ((n = realloc(out, ncap)) == NULL) {
		out_failed = 1;
		return;
	}
	out = n;
	out_cap = ncap;
}

static void
out_bytes(const char *s, size_t n)
{
	out_grow(n);
	if (out_failed)
		return;
	memcpy(out + out_len, s, n);
	out_len += n;
}

static void
out_seq(const struct seq *q)
{
	if (q->n > 0)
		out_bytes(q->s, q->n);
}

/* Writes the frame, whole, to the terminal; what cannot be written (the
 * terminal went away) is dropped. */
static void
out_flush(void)
{
	size_t o = 0;

	while (!out_failed && o < out_len) {
		ssize_t w = write(1, out + o, out_len - o);
		if (w <= 0)
			break;
		o += (size_t)w;
	}
	out_len = 0;
	out_failed = 0;
}

/* tputs' output goes into the sequence being expanded */
static struct seq *expand_to;

static int
expand_putc(int ch)
{
	if (expand_to->n < sizeof(expand_to->s))
		expand_to->s[expand_to->n++] = (char)ch;
	else
		expand_to->n = 0xff; /* too long: marked, then dropped */
	return ch;
}

/* Whether the entry has the string capability s (tigetstr's NULL: absent,
 * -1: not a string capability). */
static int
cap_has(const char *s)
{
	return s != NULL && s != (const char *)-1;
}

/* Expands a terminfo string (NULL, or absent: nothing). A sequence too
 * long for the cache is left empty: no terminal needs one. */
static void
expand(struct seq *q, const char *cap)
{
	q->n = 0;
	if (!cap_has(cap))
		return;
	expand_to = q;
	tputs(cap, 1, expand_putc);
	if (q->n > sizeof(q->s))
		q->n = 0;
}

int
draw_init(const char **why)
{
	const char *cup = cursor_address;

	memset(&caps, 0, sizeof(caps));
	if (!cap_has(cup) || !cap_has(clear_screen)) {
		*why = "the terminal cannot move its cursor or clear its "
		       "screen (is TERM right?)";
		return -1;
	}
	{
		const char *form = strstr(cup, "%i%p1%d;%p2%dH");
		size_t n = form != NULL ? (size_t)(form - cup) : 0;
		if (form != NULL && form[14] == '\0' && n > 0 &&
		    n < sizeof(caps.cup_prefix) && memchr(cup, '%', n) == NULL &&
		    memchr(cup, '$', n) == NULL) {
			memcpy(caps.cup_prefix, cup, n);
			caps.cup_prefix[n] = '\0';
			caps.cup_fast = 1;
		}
	}
	expand(&caps.sgr0, exit_attribute_mode);
	expand(&caps.op, orig_pair);
	expand(&caps.bold, enter_bold_mode);
	expand(&caps.dim, enter_dim_mode);
	expand(&caps.uline, enter_underline_mode);
	expand(&caps.rev, enter_reverse_mode);
	if (caps.rev.n == 0)
		expand(&caps.rev, enter_standout_mode);
	expand(&caps.civis, cursor_invisible);
	expand(&caps.cnorm, cursor_normal);
	expand(&caps.clear, clear_screen);
	expand(&caps.smcup, enter_ca_mode);
	expand(&caps.rmcup, exit_ca_mode);
	expand(&caps.rmkx, keypad_local);
	caps.skip_corner = auto_right_margin && !eat_newline_glitch;
	caps.can_scroll =
	    cap_has(change_scroll_region) && cap_has(scroll_forward);
	caps.colours = 0;
	if (cap_has(set_a_foreground) && max_colors > 0)
		caps.colours = max_colors;
	caps.ready = 1;
	return 0;
}

int
draw_colour_count(void)
{
	return caps.colours;
}

void
draw_set_style(int s, int fg, int bg, unsigned looks)
{
	if (s < 0 || s >= GS_COUNT)
		return;
	style[s].fg = caps.colours ? fg : -1;
	style[s].bg = caps.colours ? bg : -1;
	style[s].looks = looks;
	style[s].colour_done = 0;
	if (style[s].fg >= 0 || style[s].bg >= 0)
		colour_used = 1;
	cur_key = ~0u; /* the theme may have changed the look in use */
}

/* setaf/setab of a style, worked out on its first use */
static const struct seq *
style_colour(unsigned s)
{
	if (!style[s].colour_done) {
		struct seq *q = &style[s].colour, part;
		q->n = 0;
		if (style[s].fg >= 0) {
			expand(&part, tiparm(set_a_foreground, style[s].fg));
			memcpy(q->s, part.s, part.n);
			q->n = part.n;
		}
		if (style[s].bg >= 0 && cap_has(set_a_background)) {
			expand(&part, tiparm(set_a_background, style[s].bg));
			if (q->n + part.n <= sizeof(q->s)) {
				memcpy(q->s + q->n, part.s, part.n);
				q->n = (uint8_t)(q->n + part.n);
			}
		}
		style[s].colour_done = 1;
	}
	return &style[s].colour;
}

/* A cell's look as one number: its style (or none for escaped text, which
 * has no colour) and its looks. */
static unsigned
look_key(const struct gslot *c)
{
	unsigned s = c->style < GS_COUNT ? c->style : GS_NORMAL;
	unsigned looks = style[s].looks;

	if (c->attr & GA_BOLD)
		looks |= DRAW_BOLD;
	if (c->attr & GA_ULINE)
		looks |= DRAW_ULINE;
	if (c->attr & GA_REV)
		looks ^= DRAW_REV;
	if (c->attr & GA_ESC)
		return (0xffffu << 4) | DRAW_REV | DRAW_DIM;
	return (s << 4) | looks;
}

/* Attributes and colours off: the terminal's default look, which the
 * next set_look() changes whatever it is. */
static void
reset_look(void)
{
	out_seq(&caps.sgr0);
	if (cur_coloured)
		out_seq(&caps.op);
	cur_key = ~0u;
	cur_coloured = 0;
}

/* Sends the look of key unless it is the one in use: attributes off, then
 * each look, then the colours (reset first if the last look had any). */
static void
set_look(unsigned key)
{
	unsigned s = key >> 4, looks = key & 0xf;
	int coloured = 0;
	const struct seq *col = NULL;

	if (key == cur_key)
		return;
	out_seq(&caps.sgr0);
	if (cur_coloured)
		out_seq(&caps.op);
	if (looks & DRAW_BOLD)
		out_seq(&caps.bold);
	if (looks & DRAW_DIM)
		out_seq(&caps.dim);
	if (looks & DRAW_ULINE)
		out_seq(&caps.uline);
	if (looks & DRAW_REV)
		out_seq(&caps.rev);
	if (s < GS_COUNT) {
		col = style_colour(s);
		coloured = col->n > 0;
		out_seq(col);
	}
	cur_key = key;
	cur_coloured = coloured;
}

static void
move_to(int row, int col)
{
	char b[32];
	int n = 0;

	if (row == at_row && col == at_col)
		return;
	if (caps.cup_fast) {
		/* PREFIX row;col H, 1-based, without tiparm's parsing */
		char d[12];
		int k, v;
		for (k = 0; caps.cup_prefix[k] != '\0'; k++)
			b[n++] = caps.cup_prefix[k];
		for (v = row + 1, k = 0; k == 0 || v > 0; v /= 10)
			d[k++] = (char)('0' + v % 10);
		while (k > 0)
			b[n++] = d[--k];
		b[n++] = ';';
		for (v = col + 1, k = 0; k == 0 || v > 0; v /= 10)
			d[k++] = (char)('0' + v % 10);
		while (k > 0)
			b[n++] = d[--k];
		b[n++] = 'H';
		out_bytes(b, (size_t)n);
	} else {
		struct seq q;
		expand(&q, tiparm(cursor_address, row, col));
		out_seq(&q);
	}
	at_row = row;
	at_col = col;
}

/* A slot as the terminal would show it; SHOWN_LONG for a cluster longer
 * than a slot holds (never equal to what is shown). */
#define SHOWN_LONG 0xffffffffffffffffull
static uint64_t
shown_pack(const struct gslot *c)
{
	unsigned len = GSLOT_LEN(c);
	uint32_t t = 0;

	if (len > GSLOT_INLINE)
		return SHOWN_LONG;
	memcpy(&t, c->t, len);
	return (uint64_t)c->style << 48 | (uint64_t)c->attr << 40 |
	       (uint64_t)c->lw << 32 | t;
}

/* a blank cell of the normal style, as a cleared screen has */
static const uint64_t shown_blank =
    (uint64_t)GS_NORMAL << 48 | (uint64_t)(1 << 2 | 1) << 32 | ' ';

/* Makes the copy of the screen the grid's size; 0, 1 when it was made
 * anew (the frame is then painted in full, which blanks it), or -1 when out
 * of memory (the frame is then not drawn). */
static int
shown_fit(const struct grid *g)
{
	size_t n = (size_t)g->rows * (size_t)g->cols;
	uint64_t *c;

	if (shown != NULL && shown_rows == g->rows && shown_cols == g->cols)
		return 0;
	if ((c = realloc(shown, n * sizeof(*c))) == NULL)
		return -1;
	shown = c;
	shown_rows = g->rows;
	shown_cols = g->cols;
	return 1;
}

/* One cell to the terminal; the cursor is after it (not known after a
 * cluster that is not ASCII, whose width the terminal may see otherwise,
 * or at the right margin, where a wrap may be pending). */
static void
put_cell(int row, int col, int cols, const struct gslot *c, const char *text)
{
	unsigned len = GSLOT_LEN(c);

	move_to(row, col);
	set_look(look_key(c));
	if (len == 1 && (unsigned char)text[0] < 0x80) {
		char ch = text[0];
		/* grid.c keeps controls out of cells: never send one */
		if ((unsigned char)ch < 0x20 || ch == 0x7f)
			ch = '?';
		out_bytes(&ch, 1);
		at_col = col + 1;
	} else {
		out_bytes(text, len);
		at_row = -1;
	}
	if (at_col >= cols)
		at_row = -1;
}

/* Whether row r of the grid is what the terminal shows on row t. */
static int
row_shown_at(const struct grid *g, int r, int t)
{
	const struct gslot *c = grid_row(g, r);
	const uint64_t *was = &shown[(size_t)t * (size_t)g->cols];
	int col;

	for (col = 0; col < g->cols; col++) {
		uint64_t v = shown_pack(&c[col]);
		if (v == SHOWN_LONG || v != was[col])
			return 0;
	}
	return 1;
}

/* When lines came in at the bottom, the rows above hold what the terminal
 * shows a few rows lower: it moves them up itself (a scroll region and
 * as many line feeds), and only the rows that are new are sent, as curses
 * did (a new message in the open window is a few hundred bytes, not the
 * whole view again). Whole rows only: a pane beside the chat that differs
 * row by row stops it. */
static void
scroll_up_if_moved(struct grid *g)
{
	int k, r, dirty = 0, top, len, best_top = 0, best_len = 0;
	size_t cols = (size_t)g->cols;
	struct seq q;

	if (!caps.can_scroll || style[GS_NORMAL].looks != 0 ||
	    style[GS_NORMAL].fg >= 0 || style[GS_NORMAL].bg >= 0)
		return; /* lines the terminal opens must be shown_blank */
	for (r = 0; r < g->rows; r++)
		dirty += g->dirty[r];
	if (dirty < 4)
		return;
	for (k = 1; k <= 3 && best_len == 0; k++) {
		top = 0;
		len = 0;
		for (r = 0; r + k < g->rows; r++) {
			if (g->dirty[r] && row_shown_at(g, r, r + k)) {
				if (len++ == 0)
					top = r;
				if (len > best_len) {
					best_len = len;
					best_top = top;
				}
			} else {
				len = 0;
			}
		}
		if (best_len < 4)
			best_len = 0;
	}
	if (best_len == 0)
		return;
	k--;
	/* rows best_top + k .. bottom move up by k; k blank rows open at
	 * the bottom, in the default look */
	r = best_top + best_len + k - 1;
	reset_look();
	expand(&q, tiparm(change_scroll_region, best_top, r));
	out_seq(&q);
	at_row = -1;
	move_to(r, 0);
	expand(&q, scroll_forward);
	for (len = 0; len < k; len++)
		out_seq(&q);
	expand(&q, tiparm(change_scroll_region, 0, g->rows - 1));
	out_seq(&q);
	at_row = -1; /* csr leaves the cursor where the terminal likes */
	memmove(&shown[(size_t)best_top * cols],
		&shown[(size_t)(best_top + k) * cols],
		(size_t)best_len * cols * sizeof(*shown));
	for (len = 0; len < k; len++)
		for (size_t c = 0; c < cols; c++)
			shown[(size_t)(r - len) * cols + c] = shown_blank;
}

void
draw_frame(struct grid *g, int full)
{
	int row, col, fit;

	if (!caps.ready || (fit = shown_fit(g)) < 0)
		return;
	if (fit > 0)
		full = 1;
	if (full) {
		size_t i, n = (size_t)g->rows * (size_t)g->cols;
		reset_look();
		/* the default look is the normal style's when it has none */
		if (style[GS_NORMAL].looks == 0 &&
		    style_colour(GS_NORMAL)->n == 0)
			cur_key = (GS_NORMAL << 4) | style[GS_NORMAL].looks;
		out_seq(&caps.clear);
		at_row = at_col = 0;
		for (i = 0; i < n; i++)
			shown[i] = shown_blank;
	} else {
		scroll_up_if_moved(g);
	}
	for (row = 0; row < g->rows; row++) {
		const struct gslot *rowc;
		uint64_t *was;
		if (!g->dirty[row] && !full)
			continue;
		g->dirty[row] = 0;
		rowc = grid_row(g, row);
		was = &shown[(size_t)row * (size_t)g->cols];
		for (col = 0; col < g->cols; col++) {
			const struct gslot *c = &rowc[col];
			uint64_t v = shown_pack(c);
			if (v == was[col] && v != SHOWN_LONG)
				continue;
			if (GSLOT_WIDTH(c) == 0) {
				/* a wide cluster's right half: sent with
				 * its left half */
				was[col] = v;
				continue;
			}
			if (caps.skip_corner && row == g->rows - 1 &&
			    col == g->cols - 1)
				continue;
			put_cell(row, col, g->cols, c,
				 grid_slot_text(g, row, col));
			was[col] = v;
		}
	}
	if (g->cur_row >= 0 && g->cur_col >= 0 && g->cur_col < g->cols) {
		move_to(g->cur_row, g->cur_col);
		if (cursor_on != 1)
			out_seq(&caps.cnorm);
		cursor_on = 1;
	} else if (cursor_on != 0) {
		out_seq(&caps.civis);
		cursor_on = 0;
	}
	out_flush();
}

void
draw_enter(void)
{
	if (!caps.ready)
		return;
	out_seq(&caps.smcup);
	out_seq(&caps.sgr0);
	out_flush();
	cur_key = ~0u;
	/* not known: colours are reset at the first look */
	cur_coloured = colour_used;
	at_row = at_col = -1;
	cursor_on = -1;
	free(shown); /* the next frame is painted in full */
	shown = NULL;
}

void
draw_leave(void)
{
	if (!caps.ready)
		return;
	out_seq(&caps.sgr0);
	if (colour_used)
		out_seq(&caps.op);
	out_seq(&caps.cnorm);
	if (shown_rows > 0)
		move_to(shown_rows - 1, 0);
	out_seq(&caps.rmcup);
	out_seq(&caps.rmkx);
	out_flush();
	cur_key = ~0u;
	at_row = at_col = -1;
	cursor_on = -1;
}

void
draw_free(void)
{
	free(shown);
	shown = NULL;
	shown_rows = shown_cols = 0;
	free(out);
	out = NULL;
	out_len = out_cap = 0;
}
