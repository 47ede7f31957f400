/*
 * grid.c: the in-memory screen (grid.h). Keeps wide clusters whole: writing
 * over half of one blanks the other half.
 */
#include <stdlib.h>
#include <string.h>

#include "text/display.h"
#include "text/width.h"
#include "view/grid.h"

static const struct gslot blank_slot = {{' ', 0, 0, 0}, GS_NORMAL, 0,
					 1 << 2 | 1};

int
grid_resize(struct grid *g, int rows, int cols)
{
	struct gslot *c;
	char(**l)[GRID_CELL_BYTES];
	unsigned char *d;
	int i;

	if (rows < 1)
		rows = 1;
	if (cols < 1)
		cols = 1;
	if (rows > GRID_MAX_ROWS)
		rows = GRID_MAX_ROWS;
	if (cols > GRID_MAX_COLS)
		cols = GRID_MAX_COLS;
	c = malloc((size_t)rows * (size_t)cols * sizeof(*c));
	l = calloc((size_t)rows, sizeof(*l));
	d = malloc((size_t)rows);
	if (c == NULL || l == NULL || d == NULL) {
		free(c);
		free(l);
		free(d);
		return -1;
	}
	grid_free(g);
	g->s = c;
	g->longs = l;
	g->dirty = d;
	g->rows = rows;
	g->cols = cols;
	g->cur_row = g->cur_col = -1;
	memset(d, 1, (size_t)rows);
	for (i = 0; i < rows * cols; i++)
		c[i] = blank_slot;
	return 0;
}

void
grid_free(struct grid *g)
{
	int r;

	if (g->longs != NULL)
		for (r = 0; r < g->rows; r++)
			free(g->longs[r]);
	free(g->longs);
	free(g->s);
	free(g->dirty);
	memset(g, 0, sizeof(*g));
}

static struct gslot *
at(struct grid *g, int row, int col)
{
	return &g->s[(size_t)row * (size_t)g->cols + (size_t)col];
}

const char *
grid_slot_text(const struct grid *g, int row, int col)
{
	const struct gslot *s =
	    &g->s[(size_t)row * (size_t)g->cols + (size_t)col];

	if (GSLOT_LEN(s) <= GSLOT_INLINE)
		return s->t;
	return g->longs[row][col];
}

/* Makes cell row/col safe to overwrite: a wide cluster it belongs to is
 * blanked whole. */
static void
unsplit(struct grid *g, int row, int col)
{
	struct gslot *c = at(g, row, col);

	if (GSLOT_WIDTH(c) == 0 && col > 0) {
		struct gslot *l = at(g, row, col - 1);
		l->t[0] = ' ';
		l->lw = 1 << 2 | 1;
	}
	if (GSLOT_WIDTH(c) == 2 && col + 1 < g->cols) {
		struct gslot *r = at(g, row, col + 1);
		r->t[0] = ' ';
		r->lw = 1 << 2 | 1;
	}
}

static void
setcell(struct grid *g, int row, int col, const char *b, size_t len, int width,
	uint16_t style, uint8_t attr)
{
	struct gslot *c;
	uint8_t lw;

	if (len > GRID_CELL_BYTES)
		return; /* grid_put keeps these out */
	lw = (uint8_t)(len << 2 | (size_t)width);
	c = at(g, row, col);
	/* the same cell again (most of a repaint): the row stays clean, so
	 * draw.c looks only at the rows that changed */
	if (c->lw == lw && c->style == style && c->attr == attr &&
	    c->t[0] == b[0] &&
	    (len == 1 ||
	     memcmp(grid_slot_text(g, row, col), b, len) == 0) &&
	    (width == 1 ||
	     (col + 1 < g->cols && GSLOT_WIDTH(at(g, row, col + 1)) == 0)))
		return;
	if (len > GSLOT_INLINE && g->longs[row] == NULL &&
	    (g->longs[row] = malloc((size_t)g->cols * GRID_CELL_BYTES)) ==
		NULL) {
		/* no room for a long cluster: its width, marked */
		b = "?";
		len = 1;
		attr |= GA_ESC;
		lw = (uint8_t)(1 << 2 | (size_t)width);
	}
	if (GSLOT_WIDTH(c) != 1)
		unsplit(g, row, col);
	if (width == 2)
		unsplit(g, row, col + 1);
	if (len == 1)
		c->t[0] = b[0];
	else if (len <= GSLOT_INLINE)
		memcpy(c->t, b, len);
	else {
		memcpy(c->t, b, GSLOT_INLINE);
		memcpy(g->longs[row][col], b, len);
	}
	c->lw = lw;
	c->style = style;
	c->attr = attr;
	if (width == 2) {
		c = at(g, row, col + 1);
		c->lw = 0;
		c->style = style;
		c->attr = attr;
	}
	g->dirty[row] = 1;
}

void
grid_blank(struct grid *g, int row, int col, int n, uint16_t style)
{
	grid_fill(g, row, col, n, ' ', style, 0);
}

void
grid_fill(struct grid *g, int row, int col, int n, char ch, uint16_t style,
	  uint8_t attr)
{
	int i;

	if (row < 0 || row >= g->rows || col < 0)
		return;
	if ((unsigned char)ch < 0x20 || (unsigned char)ch >= 0x7f)
		ch = '?';
	for (i = 0; i < n && col + i < g->cols; i++) {
		struct gslot *c = at(g, row, col + i);
		if (GSLOT_WIDTH(c) != 1) {
			/* half of a wide cluster: blanked whole */
			setcell(g, row, col + i, &ch, 1, 1, style, attr);
			continue;
		}
		/* a narrow cell: set in place (most of a repaint) */
		if (c->t[0] == ch && c->lw == (1 << 2 | 1) &&
		    c->style == style && c->attr == attr)
			continue;
		c->t[0] = ch;
		c->lw = 1 << 2 | 1;
		c->style = style;
		c->attr = attr;
		g->dirty[row] = 1;
	}
}

int
grid_put(struct grid *g, int row, int col, int maxcols, const struct dstr *d,
	 size_t from, size_t to, uint16_t style, uint8_t attr, int *esc)
{
	size_t i = from, n;
	int used = 0, w, e = esc ? *esc : 0;
	unsigned char ch;

	if (row < 0 || row >= g->rows || col < 0 || col >= g->cols)
		return 0;
	if (to > d->len)
		to = d->len;
	if (col + maxcols > g->cols)
		maxcols = g->cols - col;
	while (i < to) {
		ch = (unsigned char)d->s[i];
		if (ch == DSTR_ESC_ON || ch == DSTR_ESC_OFF) {
			e = ch == DSTR_ESC_ON;
			i++;
			continue;
		}
		if (ch == '\n')
			break;
		if (ch >= 0x20 && ch < 0x7f &&
		    (i + 1 == to || (unsigned char)d->s[i + 1] < 0x80)) {
			/* printable ASCII before ASCII: a cluster of its own,
			 * one column (no decoding) */
			if (used + 1 > maxcols)
				break;
			setcell(g, row, col + used, d->s + i, 1, 1, style,
				(uint8_t)(attr | (e ? GA_ESC : 0)));
			used++;
			i++;
			continue;
		}
		n = uw_cluster(d->s + i, to - i, &w);
		if (n == 0)
			break;
		/* defence in depth: a display string holds no control, but
		 * a cell must never hold one whatever the caller did */
		if (ch < 0x20 || ch == 0x7f) {
			i++;
			continue;
		}
		if (w < 1)
			w = 1;
		if (used + w > maxcols)
			break;
		if (n > GRID_CELL_BYTES ||
		    (ch == 0xc2 && (unsigned char)d->s[i + 1] < 0xa0)) {
			/* too long to keep (or a C1): keep the width */
			setcell(g, row, col + used, "?", 1, 1, style,
				attr | GA_ESC);
			if (w == 2)
				setcell(g, row, col + used + 1, "?", 1, 1,
					style, attr | GA_ESC);
		} else {
			setcell(g, row, col + used, d->s + i, n, w, style,
				(uint8_t)(attr | (e ? GA_ESC : 0)));
		}
		used += w;
		i += n;
	}
	if (esc != NULL)
		*esc = e;
	return used;
}

int
grid_text(struct grid *g, int row, int col, int maxcols, const char *s,
	  uint16_t style, uint8_t attr)
{
	struct dstr d;
	int used;

	if (dstr_from_cstr(&d, s, DSTR_LINE) != 0)
		return 0;
	used = grid_put(g, row, col, maxcols, &d, 0, d.len, style, attr, NULL);
	dstr_free(&d);
	return used;
}

const struct gcell *
grid_cell(const struct grid *g, int row, int col)
{
	static struct gcell ring[8];
	static unsigned next;
	const struct gslot *s;
	struct gcell *c;

	if (row < 0 || row >= g->rows || col < 0 || col >= g->cols)
		return NULL;
	s = &g->s[(size_t)row * (size_t)g->cols + (size_t)col];
	c = &ring[next++ % 8];
	memset(c, 0, sizeof(*c));
	c->len = (uint8_t)GSLOT_LEN(s);
	c->width = (uint8_t)GSLOT_WIDTH(s);
	c->style = s->style;
	c->attr = s->attr;
	memcpy(c->b, grid_slot_text(g, row, col), c->len);
	return c;
}

const struct gslot *
grid_row(const struct grid *g, int row)
{
	if (row < 0 || row >= g->rows)
		return NULL;
	return &g->s[(size_t)row * (size_t)g->cols];
}
