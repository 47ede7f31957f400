/*
 * editor_view.c: how the input buffer is drawn: glyphs (a grapheme cluster
 * as the text it is, or escaped when it is invisible or a TAB) and the
 * view (byte ranges per row and the cursor's cell) for a width and a
 * number of rows: one row scrolls sideways, more rows wrap.
 */
#include <stdio.h>
#include <string.h>

#include "sanitize.h"

#include "input/editor_int.h"
#include "text/width.h"

/* Characters the user would not see but the message would carry. */
static int
editor_invisible(uint32_t cp)
{
	return sanitize_is_format(cp) || (cp >= 0x200b && cp <= 0x200d) ||
	       (cp >= 0x2060 && cp <= 0x2064) || cp == 0xfeff || cp == 0xad ||
	       cp == 0x180e || (cp >= 0xe0000 && cp <= 0xe007f);
}

size_t
editor_glyph(const char *s, size_t len, struct editor_glyph *g)
{
	uint32_t cp;
	int cols;

	memset(g, 0, sizeof(*g));
	uw_decode(s, len, &cp);
	if (cp == '\t') {
		g->len = 1;
		g->escaped = 1;
		memcpy(g->esc, "^I", 3);
		g->cols = 2;
		return 1;
	}
	g->len = uw_cluster(s, len, &cols);
	if (cp == UW_INVALID || editor_invisible(cp) || cols <= 0) {
		/* A mark with no base is shown too: it would draw on
		 * nothing, or on the prompt. */
		g->escaped = 1;
		snprintf(g->esc, sizeof(g->esc), "<U+%04X>",
			 cp == UW_INVALID ? 0xfffdu : (unsigned)cp);
		g->cols = (int)strlen(g->esc);
	} else
		g->cols = cols;
	return g->len;
}

/* Columns of [from, to) on one line. */
static size_t
editor_span_cols(const struct editor *ed, size_t from, size_t to)
{
	struct editor_glyph g;
	size_t cols = 0;

	while (from < to) {
		from += editor_glyph(ed->buf + from, to - from, &g);
		cols += (size_t)g.cols;
	}
	return cols;
}

/* One row scrolled sideways over the cursor's line. */
static void
editor_view_hscroll(struct editor *ed, size_t width, struct editor_view *v)
{
	size_t ls = editor_line_start(ed, ed->cursor);
	size_t le = editor_line_end(ed, ed->cursor);
	size_t start = ls, p, cols = 0;
	struct editor_glyph g;

	/* The last boundary not past the old start. */
	if (ed->hscroll > ls && ed->hscroll <= le)
		for (p = ls; p <= ed->hscroll && p < le; p = editor_next(ed, p))
			start = p;
	if (ed->cursor < start) {
		/* Scrolled left past the start: show a third of context. */
		size_t back = 0;

		start = ed->cursor;
		while (start > ls && back < width / 3) {
			p = editor_prev(ed, start);
			editor_glyph(ed->buf + p, start - p, &g);
			back += (size_t)g.cols;
			start = p;
		}
	}
	/* Then forward until the cursor's cell fits. */
	cols = editor_span_cols(ed, start, ed->cursor);
	while (start < ed->cursor && cols + 1 > width) {
		start += editor_glyph(ed->buf + start, le - start, &g);
		cols -= (size_t)g.cols;
	}
	cols = 0;
	for (p = start; p < le;) {
		size_t n = editor_glyph(ed->buf + p, le - p, &g);

		if (cols + (size_t)g.cols > width && p > start)
			break;
		cols += (size_t)g.cols;
		p += n;
	}
	ed->hscroll = start;
	v->nrows = 1;
	v->row[0].start = start;
	v->row[0].end = p;
	v->cur_row = 0;
	v->cur_col = (int)editor_span_cols(ed, start, ed->cursor);
	v->more_left = start > ls;
	v->more_right = p < le;
	v->more_above = ls > 0;
	v->more_below = le < ed->len;
}

/*
 * Walks the wrapped rows of the whole buffer: stores rows first ..
 * first + v->nrows - 1 into v (when v is not NULL) and returns the number
 * of rows, with the cursor's row and column in *crow, *ccol.
 */
static size_t
editor_wrap(const struct editor *ed, size_t width, size_t first, size_t max,
	    struct editor_view *v, size_t *crow, size_t *ccol)
{
	size_t idx = 0, ls = 0;
	struct editor_glyph g;

	for (;;) {
		size_t le = editor_line_end(ed, ls), p = ls;
		size_t rs, cols;

		do {
			rs = p;
			cols = 0;
			while (p < le) {
				size_t n;

				if (p == ed->cursor) {
					*crow = idx;
					*ccol = cols;
				}
				n = editor_glyph(ed->buf + p, le - p, &g);
				if (cols + (size_t)g.cols > width && p > rs)
					break;
				cols += (size_t)g.cols;
				p += n;
			}
			if (v != NULL && idx >= first && idx - first < max) {
				v->row[idx - first].start = rs;
				v->row[idx - first].end = p;
				v->nrows = (int)(idx - first + 1);
			}
			if (p == le && ed->cursor == le) {
				*crow = idx;
				*ccol = cols;
				if (cols >= width) {
					/* The cursor after a full row needs a
					 * row of its own. */
					idx++;
					*crow = idx;
					*ccol = 0;
					if (v != NULL && idx >= first &&
					    idx - first < max) {
						v->row[idx - first].start = le;
						v->row[idx - first].end = le;
						v->nrows =
						    (int)(idx - first + 1);
					}
				}
			}
			idx++;
		} while (p < le);
		if (le >= ed->len)
			break;
		ls = le + 1;
	}
	return idx;
}

void
editor_view(struct editor *ed, int width, int rows, struct editor_view *v)
{
	size_t w = width < 1 ? 1 : (size_t)width;
	size_t r = rows < 1                      ? 1
		   : rows > EDITOR_VIEW_MAX_ROWS ? EDITOR_VIEW_MAX_ROWS
						 : (size_t)rows;
	size_t total, crow = 0, ccol = 0, first;

	memset(v, 0, sizeof(*v));
	if (r == 1) {
		editor_view_hscroll(ed, w, v);
		return;
	}
	total = editor_wrap(ed, w, 0, 0, NULL, &crow, &ccol);
	first = ed->vscroll;
	if (crow < first)
		first = crow;
	if (crow >= first + r)
		first = crow - r + 1;
	if (total >= r && first > total - r)
		first = total - r;
	if (total < r)
		first = 0;
	ed->vscroll = first;
	editor_wrap(ed, w, first, r, v, &crow, &ccol);
	v->cur_row = (int)(crow - first);
	v->cur_col = (int)ccol;
	v->more_above = first > 0;
	v->more_below = first + r < total;
}
