/*
 * wrap.h: breaking a display string into screen rows with a hanging
 * indent. Nothing is allocated: the view wraps only the lines it shows,
 * each frame, row by row (wrap_next) or into its own array (wrap_rows).
 */
#ifndef WARD_UI_WRAP_H
#define WARD_UI_WRAP_H

#include <stddef.h>

/* One screen row: bytes [start, end) of the display string, taking cols
 * columns. A row never starts or ends inside a grapheme cluster or an
 * escape unit (DSTR_ESC_ON ... DSTR_ESC_OFF); the spaces a row was broken
 * at and the '\n' that ended it are in no row. */
struct wrap_row {
	size_t start;
	size_t end;
	size_t cols;
};

/* The row of at most width columns that starts at byte pos (< len) of a
 * display string: fills *row and returns where the next row starts
 * (> pos; len after the last row). Breaks after a run of spaces or next
 * to a wide (CJK) character when it can, inside a word when a word is
 * longer than the row, always at '\n'. A row holds at least one cluster,
 * so a cluster wider than width (a CJK character at width 1) is a row of
 * its own that is wider than width. */
size_t wrap_next(const char *s, size_t len, size_t pos, size_t width,
		 struct wrap_row *row);

/* Wraps a whole display string: the first row is first columns wide,
 * every later row cont columns (the hanging indent is the caller's).
 * Stores up to max rows in rows (which may be NULL when max is 0) and
 * returns how many rows the string needs, which may be more than max.
 * An empty string is one empty row; a final '\n' adds no row. */
size_t wrap_rows(const char *s, size_t len, size_t first, size_t cont,
		 struct wrap_row *rows, size_t max);

/* How many rows wrap_rows() would return, storing nothing. */
size_t wrap_count(const char *s, size_t len, size_t first, size_t cont);

/* Bytes of the longest prefix of a display string that fits in cols
 * columns, never cutting a cluster or an escape unit (uw_fit() would cut
 * an escape and leave DSTR_ESC_ON unmatched); *used (may be NULL) gets
 * its columns. For names truncated to a column: the caller draws its own
 * ellipsis in what is left. Stops at '\n'. */
size_t wrap_fit(const char *s, size_t len, size_t cols, size_t *used);

#endif
