/*
 * draw.c: the one file that calls curses output functions (a check in
 * tests/integration/layers.sh holds it). It copies the dirty rows of the
 * grid, whose cells hold only sanitised display text, to curses, maps each
 * style to the theme's attributes and text ward escaped (GA_ESC) to a
 * distinct look, then lets curses send the difference.
 */
#include <curses.h>

#include "view/draw.h"
#include "view/grid.h"

static attr_t draw_style[GS_COUNT];
/* a colour pair still to define before the style's first use */
static struct {
	int pair, fg, bg; /* fg, bg: colour values (direct colour too) */
} draw_pending[GS_COUNT];

void
draw_set_style(int style, unsigned long attr)
{
	if (style >= 0 && style < GS_COUNT) {
		draw_style[style] = (attr_t)attr;
		draw_pending[style].pair = 0;
	}
}

void
draw_set_style_pair(int style, unsigned long attr, int pair, int fg, int bg)
{
	if (style >= 0 && style < GS_COUNT && pair > 0) {
		draw_style[style] = (attr_t)attr;
		draw_pending[style].pair = pair;
		draw_pending[style].fg = fg;
		draw_pending[style].bg = bg;
	}
}

/* Defines the colour pair of a style before its first use. */
static void
style_ready(unsigned style)
{
	if (draw_pending[style].pair != 0) {
		init_extended_pair(draw_pending[style].pair,
				   draw_pending[style].fg,
				   draw_pending[style].bg);
		draw_pending[style].pair = 0;
	}
}

static attr_t
cell_attr_of(unsigned style, unsigned attr)
{
	attr_t a = A_NORMAL;

	if (style < GS_COUNT) {
		style_ready(style);
		a = draw_style[style];
	}
	if (attr & GA_BOLD)
		a |= A_BOLD;
	if (attr & GA_ULINE)
		a |= A_UNDERLINE;
	if (attr & GA_REV)
		a ^= A_REVERSE;
	if (attr & GA_ESC)
		a = (a & ~A_COLOR) | A_REVERSE | A_DIM;
	return a;
}

/* The attributes of c; neighbouring cells mostly share their style, so
 * the last answer is kept (reset at each frame: a theme may change). */
static unsigned last_style = ~0u, last_gattr;
static attr_t last_attr;

static attr_t
cell_attr(const struct gcell *c)
{
	if (c->style != last_style || c->attr != last_gattr) {
		last_style = c->style;
		last_gattr = c->attr;
		last_attr = cell_attr_of(c->style, c->attr);
	}
	return last_attr;
}

/* One cluster that is not ASCII, placed at its column (so a width curses
 * disagrees with cannot shift the rest of the row). */
static void
put_cluster(int row, int col, attr_t a, const struct gcell *c)
{
	wmove(stdscr, row, col);
	wattrset(stdscr, a);
	waddnstr(stdscr, c->b, (int)c->len);
}

void
draw_frame(struct grid *g, int full)
{
	/* a row's ASCII cells go to curses as characters with their
	 * attributes (waddchnstr: no decoding, no cursor motion), which
	 * costs a fraction of waddnstr's per-character path */
	chtype run[GRID_MAX_COLS];
	int row, col, start, n;

	if (full)
		clearok(curscr, TRUE);
	last_style = ~0u;
	for (row = 0; row < g->rows; row++) {
		const struct gcell *rowc;
		if (!g->dirty[row] && !full)
			continue;
		g->dirty[row] = 0;
		n = 0;
		start = 0;
		rowc = grid_cell(g, row, 0);
		for (col = 0; col < g->cols; col++) {
			const struct gcell *c = &rowc[col];
			if (c->width == 0)
				continue;
			if (c->len == 1 && (unsigned char)c->b[0] < 0x80) {
				unsigned char ch = (unsigned char)c->b[0];
				/* grid.c keeps controls out of cells; curses
				 * would send one here as it is, so never */
				if (ch < 0x20 || ch == 0x7f)
					ch = '?';
				if (n == 0)
					start = col;
				run[n++] = (chtype)ch | cell_attr(c);
				continue;
			}
			if (n > 0)
				mvwaddchnstr(stdscr, row, start, run, n);
			n = 0;
			put_cluster(row, col, cell_attr(c), c);
		}
		if (n > 0)
			mvwaddchnstr(stdscr, row, start, run, n);
	}
	wattrset(stdscr, A_NORMAL);
	if (g->cur_row >= 0 && g->cur_col >= 0 && g->cur_col < g->cols) {
		wmove(stdscr, g->cur_row, g->cur_col);
		curs_set(1);
	} else {
		curs_set(0);
	}
	wnoutrefresh(stdscr);
	doupdate();
}
