/*
 * draw.c: the one file that calls curses output functions (a check in
 * tests/integration/layers.sh holds it). It copies the dirty rows of the
 * grid, whose cells hold only sanitised display text, to curses, maps each
 * style to the theme's attributes and text ward escaped (GA_ESC) to a
 * distinct look, then lets curses send the difference.
 */
#include <curses.h>
#include <string.h>

#include "view/draw.h"
#include "view/grid.h"

static attr_t draw_style[GS_COUNT];

void
draw_set_style(int style, unsigned long attr)
{
	if (style >= 0 && style < GS_COUNT)
		draw_style[style] = (attr_t)attr;
}

static attr_t
cell_attr(const struct gcell *c)
{
	attr_t a = c->style < GS_COUNT ? draw_style[c->style] : A_NORMAL;

	if (c->attr & GA_BOLD)
		a |= A_BOLD;
	if (c->attr & GA_ULINE)
		a |= A_UNDERLINE;
	if (c->attr & GA_REV)
		a ^= A_REVERSE;
	if (c->attr & GA_ESC)
		a = (a & ~A_COLOR) | A_REVERSE | A_DIM;
	return a;
}

static void
flush_run(int row, int col, attr_t a, const char *buf, size_t n)
{
	wmove(stdscr, row, col);
	wattrset(stdscr, a);
	waddnstr(stdscr, buf, (int)n);
}

void
draw_frame(struct grid *g, int full)
{
	char buf[4096];
	int row, col, start;
	size_t n;
	attr_t cur;

	if (full)
		clearok(curscr, TRUE);
	for (row = 0; row < g->rows; row++) {
		if (!g->dirty[row] && !full)
			continue;
		g->dirty[row] = 0;
		n = 0;
		cur = 0;
		start = 0;
		for (col = 0; col < g->cols; col++) {
			const struct gcell *c = grid_cell(g, row, col);
			attr_t a;
			if (c->width == 0)
				continue;
			a = cell_attr(c);
			/* a run of ASCII in one attribute goes at once; other
			 * clusters are placed one by one at their column, so
			 * a width curses disagrees with cannot shift a row */
			if (n > 0 && (a != cur || c->len != 1 ||
				      (unsigned char)c->b[0] >= 0x80 ||
				      n + c->len >= sizeof(buf))) {
				flush_run(row, start, cur, buf, n);
				n = 0;
			}
			if (n == 0)
				start = col;
			cur = a;
			memcpy(buf + n, c->b, c->len);
			n += c->len;
			if (c->len != 1 || (unsigned char)c->b[0] >= 0x80) {
				flush_run(row, start, cur, buf, n);
				n = 0;
			}
		}
		if (n > 0)
			flush_run(row, start, cur, buf, n);
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
