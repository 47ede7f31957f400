/*
 * test_grid.c: the grid's 8-byte cells: clusters of up to 4 bytes kept in
 * the cell, longer ones (ZWJ sequences, flags, combining runs, VS16) in
 * their row's side table, all read back byte for byte; wide clusters stay
 * whole when half of one is overwritten; a repaint with the same text
 * leaves the row clean.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "text/display.h"
#include "view/grid.h"

#include "tests.h"

/* Puts s at row/col as a display string; the columns used. */
static int
put(struct grid *g, int row, int col, const char *s)
{
	struct dstr d;
	int used;

	assert_int_equal(dstr_make(&d, s, strlen(s), DSTR_BODY), 0);
	used = grid_put(g, row, col, g->cols - col, &d, 0, d.len, GS_NORMAL,
			0, NULL);
	dstr_free(&d);
	return used;
}

static void
assert_cell(const struct grid *g, int row, int col, const char *s, int width)
{
	const struct gcell *c = grid_cell(g, row, col);

	assert_non_null(c);
	assert_int_equal(c->len, strlen(s));
	assert_memory_equal(c->b, s, strlen(s));
	assert_int_equal(c->width, width);
}

void
test_grid_long_clusters(void **state)
{
	/* man, ZWJ, woman, ZWJ, girl, ZWJ, boy: 25 bytes, one cluster */
	static const char family[] =
	    "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d"
	    "\xf0\x9f\x91\xa7\xe2\x80\x8d\xf0\x9f\x91\xa6";
	static const char flag[] = "\xf0\x9f\x87\xab\xf0\x9f\x87\xb7"; /* FR */
	static const char heart[] = "\xe2\x9d\xa4\xef\xb8\x8f";        /* VS16 */
	static const char e_acute[] = "e\xcc\x81";
	static const char han[] = "\xe4\xb8\xad";
	struct grid g = {0};
	int col;

	(void)state;
	assert_int_equal(grid_resize(&g, 4, 40), 0);
	assert_int_equal(sizeof(struct gslot), 8);
	assert_null(g.longs[1]);
	col = put(&g, 1, 0, family);
	assert_int_equal(col, 2);
	col += put(&g, 1, col, flag);
	col += put(&g, 1, col, heart);
	col += put(&g, 1, col, e_acute);
	col += put(&g, 1, col, han);
	col += put(&g, 1, col, "x");
	assert_int_equal(col, 2 + 2 + 2 + 1 + 2 + 1);
	assert_cell(&g, 1, 0, family, 2);
	assert_cell(&g, 1, 1, "", 0);
	assert_cell(&g, 1, 2, flag, 2);
	assert_cell(&g, 1, 4, heart, 2);
	assert_cell(&g, 1, 6, e_acute, 1);
	assert_cell(&g, 1, 7, han, 2);
	assert_cell(&g, 1, 9, "x", 1);
	/* only the row with long clusters has a side table */
	assert_non_null(g.longs[1]);
	assert_null(g.longs[0]);
	assert_null(g.longs[2]);
	assert_string_equal(grid_slot_text(&g, 1, 9), "x");

	/* ASCII over the right half of the family: the whole cluster goes */
	g.dirty[1] = 0;
	assert_int_equal(put(&g, 1, 1, "a"), 1);
	assert_cell(&g, 1, 0, " ", 1);
	assert_cell(&g, 1, 1, "a", 1);
	assert_int_equal(g.dirty[1], 1);
	/* a long cluster where a short one was, and back */
	put(&g, 1, 0, heart);
	assert_cell(&g, 1, 0, heart, 2);
	put(&g, 1, 0, "bc");
	assert_cell(&g, 1, 0, "b", 1);
	assert_cell(&g, 1, 1, "c", 1);
	/* the same text again leaves the row clean */
	put(&g, 1, 2, flag);
	g.dirty[1] = 0;
	put(&g, 1, 2, flag);
	put(&g, 1, 0, "bc");
	assert_int_equal(g.dirty[1], 0);
	/* a different long cluster of the same length marks it */
	put(&g, 1, 2, "\xf0\x9f\x87\xa9\xf0\x9f\x87\xaa"); /* DE */
	assert_int_equal(g.dirty[1], 1);
	assert_cell(&g, 1, 2, "\xf0\x9f\x87\xa9\xf0\x9f\x87\xaa", 2);

	/* a resize blanks everything and drops the side tables */
	assert_int_equal(grid_resize(&g, 5, 30), 0);
	assert_null(g.longs[1]);
	assert_cell(&g, 1, 2, " ", 1);
	grid_free(&g);
}
