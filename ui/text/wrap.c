/*
 * wrap.c: breaks display strings into rows of a given width, at spaces
 * or next to wide characters where it can, never inside a grapheme
 * cluster or an escape unit.
 */
#include <stdint.h>
#include <string.h>

#include "text/display.h"
#include "text/width.h"
#include "text/width_table.h"
#include "text/wrap.h"

/* The unit at s: an escape unit ON ... OFF, or a grapheme cluster. Sets
 * *cols, *space (a space separator) and *wide (a wide character). */
static size_t
wrap_unit(const char *s, size_t len, int *cols, int *space, int *wide)
{
	const unsigned char c = (const unsigned char)s[0];
	size_t n;

	*space = c == ' ';
	*wide = 0;
	if (c == DSTR_ESC_ON) {
		const char *off = memchr(s, DSTR_ESC_OFF, len);

		if (off != NULL) {
			n = (size_t)(off - s) + 1;
			*cols = (int)uw_str_width(s + 1, n - 2);
			return n;
		}
	}
	n = uw_cluster(s, len, cols);
	if (c >= 0x80) {
		uint32_t cp;

		uw_decode(s, len, &cp);
		*space = cp != UW_INVALID && (uwt_attr(cp) & UWT_SPACE);
		*wide = *cols >= 2;
	}
	return n;
}

size_t
wrap_next(const char *s, size_t len, size_t pos, size_t width,
	  struct wrap_row *row)
{
	size_t i = pos, cols = 0;
	size_t b_end = pos, b_next = pos, b_cols = 0;
	int prev_space = 0, prev_wide = 0;

	row->start = pos;
	while (i < len) {
		int w, space, wide;
		size_t n;

		if (s[i] == '\n') {
			row->end = i;
			row->cols = cols;
			return i + 1;
		}
		if ((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7F &&
		    (i + 1 == len || (unsigned char)s[i + 1] < 0x80)) {
			/* Printable ASCII before ASCII: a cluster of its own.
			 */
			n = 1;
			w = 1;
			space = s[i] == ' ';
			wide = 0;
		} else {
			n = wrap_unit(s + i, len - i, &w, &space, &wide);
		}
		if (i > pos && !prev_space && (space || wide || prev_wide)) {
			/* A break opportunity: the row may end here, and the
			 * next one start after this run of spaces. */
			b_end = i;
			b_cols = cols;
			b_next = i;
			if (space) {
				int w2, sp2, wd2;

				while (b_next < len && s[b_next] != '\n') {
					size_t m =
					    wrap_unit(s + b_next, len - b_next,
						      &w2, &sp2, &wd2);
					if (!sp2)
						break;
					b_next += m;
				}
			}
		}
		if (cols + (size_t)w > width) {
			if (i == pos) {
				/* One cluster wider than the row: alone. */
				cols += (size_t)w;
				i += n;
			} else if (b_end > pos) {
				row->end = b_end;
				row->cols = b_cols;
				return b_next;
			}
			row->end = i;
			row->cols = cols;
			return i;
		}
		cols += (size_t)w;
		i += n;
		prev_space = space;
		prev_wide = wide;
	}
	row->end = len;
	row->cols = cols;
	return len;
}

size_t
wrap_rows(const char *s, size_t len, size_t first, size_t cont,
	  struct wrap_row *rows, size_t max)
{
	size_t pos = 0, count = 0;
	struct wrap_row r;

	if (len == 0) {
		if (max > 0) {
			rows[0].start = rows[0].end = rows[0].cols = 0;
		}
		return 1;
	}
	while (pos < len) {
		pos = wrap_next(s, len, pos, count == 0 ? first : cont, &r);
		if (count < max)
			rows[count] = r;
		count++;
	}
	return count;
}

size_t
wrap_count(const char *s, size_t len, size_t first, size_t cont)
{
	return wrap_rows(s, len, first, cont, NULL, 0);
}

size_t
wrap_fit(const char *s, size_t len, size_t cols, size_t *used)
{
	size_t i = 0, w = 0;

	while (i < len && s[i] != '\n') {
		int c, space, wide;
		size_t n = wrap_unit(s + i, len - i, &c, &space, &wide);

		if (w + (size_t)c > cols)
			break;
		w += (size_t)c;
		i += n;
	}
	if (used != NULL)
		*used = w;
	return i;
}
