/*
 * test_editor.c: the line editor on multibyte text (combining marks, CJK,
 * ZWJ emoji, flags): normalised insertion, cluster moves and deletes, word
 * moves, kill ring and yank-pop, transpose, grouped undo, multi-line input
 * and the view (sideways scrolling, wrapping, escaped glyphs).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "input/editor.h"
#include "tests.h"
#include "text/width.h"

#define E_ACUTE "e\xcc\x81"              /* e + U+0301 */
#define NIHON "\xe6\x97\xa5\xe6\x9c\xac" /* two CJK, 2 columns each */
#define FAMILY                                                                 \
	"\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91" \
	"\xa7"
#define FLAG_FR "\xf0\x9f\x87\xab\xf0\x9f\x87\xb7"

/* Types s one code point at a time, as keys would. */
static void
type(struct editor *ed, const char *s)
{
	size_t len = strlen(s);

	for (size_t i = 0; i < len;) {
		uint32_t cp;

		i += uw_decode(s + i, len - i, &cp);
		assert_int_equal(editor_type(ed, cp), 0);
	}
}

static void
check(const struct editor *ed, const char *want, size_t cursor)
{
	size_t len;
	const char *t = editor_text(ed, &len);

	assert_int_equal(len, strlen(want));
	assert_string_equal(t, want);
	assert_int_equal(editor_cursor(ed), cursor);
}

static void
act(struct editor *ed, enum keymap_action a)
{
	assert_int_equal(editor_action(ed, a), 1);
}

static void
test_insert_normalises(void **state)
{
	struct editor *ed = editor_new();

	(void)state;
	static const char in[] = "a\r\nb\rc\x01\x1b[31md\x7f\xc2\x9b"
				 "e\tf\xff\xc0\xaf\x00g";

	assert_int_equal(editor_insert(ed, in, sizeof(in) - 1), 0);
	check(ed, "a\nb\nc[31mde\tfg", 14);
	/* Controls typed are refused. */
	assert_int_equal(editor_type(ed, 0x1b), 0);
	assert_int_equal(editor_type(ed, 0x9b), 0);
	check(ed, "a\nb\nc[31mde\tfg", 14);
	/* Not an editor action: left to the caller. */
	assert_int_equal(editor_action(ed, KEYMAP_NEXT_WINDOW), 0);
	editor_free(ed);
}

static void
test_cluster_moves(void **state)
{
	struct editor *ed = editor_new();
	const char *all = E_ACUTE NIHON FAMILY FLAG_FR "x";
	size_t stops[] = {strlen(all) - 1,       strlen(all) - 1 - 8,
			  strlen(E_ACUTE NIHON), strlen(E_ACUTE) + 3,
			  strlen(E_ACUTE),       0};

	(void)state;
	type(ed, all);
	check(ed, all, strlen(all));
	for (size_t i = 0; i < sizeof(stops) / sizeof(stops[0]); i++) {
		act(ed, KEYMAP_BACK_CHAR);
		assert_int_equal(editor_cursor(ed), stops[i]);
	}
	act(ed, KEYMAP_BACK_CHAR);
	assert_int_equal(editor_cursor(ed), 0);
	act(ed, KEYMAP_FWD_CHAR);
	assert_int_equal(editor_cursor(ed), 3);
	/* C-d deletes the whole é; BSpace at the end the whole flag. */
	act(ed, KEYMAP_BOL);
	act(ed, KEYMAP_DEL_CHAR);
	check(ed, NIHON FAMILY FLAG_FR "x", 0);
	act(ed, KEYMAP_EOL);
	act(ed, KEYMAP_BACK_CHAR);
	act(ed, KEYMAP_BACK_DEL_CHAR);
	check(ed, NIHON FAMILY "x", strlen(NIHON FAMILY));
	act(ed, KEYMAP_BACK_DEL_CHAR);
	check(ed, NIHON "x", strlen(NIHON));
	/* Typing a mark after a base joins its cluster: the cursor stays
	 * on a boundary. */
	act(ed, KEYMAP_BOL);
	type(ed, "a");
	type(ed, "\xcc\x88");
	check(ed, "a\xcc\x88" NIHON "x", 3);
	act(ed, KEYMAP_BACK_CHAR);
	assert_int_equal(editor_cursor(ed), 0);
	/* Deleting what stood between two regional indicators joins them
	 * into a flag: the cursor moves off its middle (found by fuzzing). */
	editor_clear(ed);
	type(ed, "\xf0\x9f\x87\xab"
		 "x"
		 "\xf0\x9f\x87\xab");
	act(ed, KEYMAP_BACK_CHAR);
	act(ed, KEYMAP_BACK_DEL_CHAR);
	check(ed, "\xf0\x9f\x87\xab\xf0\x9f\x87\xab", 8);
	editor_free(ed);
}

static void
test_words_and_lines(void **state)
{
	struct editor *ed = editor_new();

	(void)state;
	type(ed, "hello, w\xc3\xb6rld  " NIHON "!");
	act(ed, KEYMAP_BACK_WORD);
	assert_int_equal(editor_cursor(ed), strlen("hello, w\xc3\xb6rld  "));
	act(ed, KEYMAP_BACK_WORD);
	assert_int_equal(editor_cursor(ed), strlen("hello, "));
	act(ed, KEYMAP_BACK_WORD);
	assert_int_equal(editor_cursor(ed), 0);
	act(ed, KEYMAP_FWD_WORD);
	assert_int_equal(editor_cursor(ed), 5);
	act(ed, KEYMAP_FWD_WORD);
	assert_int_equal(editor_cursor(ed), strlen("hello, w\xc3\xb6rld"));
	/* M-d and M-BSpace kill words; C-w back to whitespace. */
	act(ed, KEYMAP_BOL);
	act(ed, KEYMAP_KILL_WORD);
	check(ed, ", w\xc3\xb6rld  " NIHON "!", 0);
	act(ed, KEYMAP_EOL);
	act(ed, KEYMAP_KILL_WORD_WS);
	check(ed, ", w\xc3\xb6rld  ", strlen(", w\xc3\xb6rld  "));
	act(ed, KEYMAP_BACK_KILL_WORD);
	check(ed, ", ", 2);
	editor_free(ed);
}

static void
test_kill_ring(void **state)
{
	struct editor *ed = editor_new();

	(void)state;
	type(ed, "one two three");
	/* Two backward kills in a row make one entry. */
	act(ed, KEYMAP_BACK_KILL_WORD);
	act(ed, KEYMAP_BACK_KILL_WORD);
	check(ed, "one ", 4);
	act(ed, KEYMAP_YANK);
	check(ed, "one two three", 13);
	/* A move ends a run of kills: each kill below is its own entry. */
	act(ed, KEYMAP_BACK_WORD);
	act(ed, KEYMAP_KILL_LINE);
	check(ed, "one two ", 8);
	act(ed, KEYMAP_BOL);
	act(ed, KEYMAP_FWD_WORD);
	act(ed, KEYMAP_KILL_LINE);
	check(ed, "one", 3);
	act(ed, KEYMAP_EOL);
	act(ed, KEYMAP_KILL_BOL);
	check(ed, "", 0);
	act(ed, KEYMAP_YANK);
	check(ed, "one", 3);
	act(ed, KEYMAP_YANK_POP);
	check(ed, " two ", 5);
	act(ed, KEYMAP_YANK_POP);
	check(ed, "three", 5);
	act(ed, KEYMAP_YANK_POP);
	check(ed, "two three", 9);
	act(ed, KEYMAP_YANK_POP);
	check(ed, "one", 3);
	/* A yank that joins the text after it (a base before a lone mark)
	 * is still replaced exactly by yank-pop. */
	editor_clear(ed);
	assert_int_equal(editor_insert(ed, "\xcc\x81", 2), 0);
	act(ed, KEYMAP_BOL);
	act(ed, KEYMAP_YANK);
	check(ed, "one\xcc\x81", 5);
	act(ed, KEYMAP_YANK_POP);
	check(ed, " two \xcc\x81", 7); /* the mark joins the space */
	act(ed, KEYMAP_UNDO);
	act(ed, KEYMAP_UNDO);
	check(ed, "\xcc\x81", 0);
	act(ed, KEYMAP_EOL);
	act(ed, KEYMAP_YANK);
	check(ed, "\xcc\x81one", 5);
	/* yank-pop not after a yank does nothing. */
	act(ed, KEYMAP_BOL);
	act(ed, KEYMAP_YANK_POP);
	check(ed, "\xcc\x81one", 0);
	editor_free(ed);
}

static void
test_kill_ring_bounded(void **state)
{
	struct editor *ed = editor_new();
	char word[8];

	(void)state;
	for (int i = 0; i < EDITOR_KILL_RING + 5; i++) {
		word[0] = (char)('a' + i);
		word[1] = '\0';
		type(ed, word);
		act(ed, KEYMAP_BACK_DEL_CHAR); /* not a kill */
		type(ed, word);
		act(ed, KEYMAP_KILL_BOL);
		act(ed, KEYMAP_FWD_CHAR); /* ends the kill run */
	}
	act(ed, KEYMAP_YANK);
	check(ed, "u", 1);
	for (int i = 1; i < EDITOR_KILL_RING; i++)
		act(ed, KEYMAP_YANK_POP);
	check(ed, "f", 1);
	act(ed, KEYMAP_YANK_POP);
	check(ed, "u", 1);
	editor_free(ed);
}

static void
test_transpose(void **state)
{
	struct editor *ed = editor_new();

	(void)state;
	type(ed, "abc");
	act(ed, KEYMAP_BACK_CHAR);
	act(ed, KEYMAP_TRANSPOSE);
	check(ed, "acb", 3);
	act(ed, KEYMAP_TRANSPOSE);
	check(ed, "abc", 3);
	editor_clear(ed);
	type(ed, NIHON E_ACUTE);
	act(ed, KEYMAP_TRANSPOSE);
	check(ed, "\xe6\x97\xa5" E_ACUTE "\xe6\x9c\xac", strlen(NIHON E_ACUTE));
	/* At the start of the line: nothing to swap. */
	act(ed, KEYMAP_BOL);
	act(ed, KEYMAP_TRANSPOSE);
	check(ed, "\xe6\x97\xa5" E_ACUTE "\xe6\x9c\xac", 0);
	editor_free(ed);
}

static void
test_undo(void **state)
{
	struct editor *ed = editor_new();

	(void)state;
	type(ed, "hello world");
	act(ed, KEYMAP_BACK_CHAR);
	type(ed, "xy");
	check(ed, "hello worlxyd", 12);
	act(ed, KEYMAP_KILL_WORD_WS);
	check(ed, "hello d", 6);
	assert_int_equal(editor_insert(ed, "PASTE", 5), 0);
	check(ed, "hello PASTEd", 11);
	act(ed, KEYMAP_UNDO);
	check(ed, "hello d", 6);
	act(ed, KEYMAP_UNDO);
	check(ed, "hello worlxyd", 12);
	/* The two typed characters are one step. */
	act(ed, KEYMAP_UNDO);
	check(ed, "hello world", 10);
	/* And the eleven before them another. */
	act(ed, KEYMAP_UNDO);
	check(ed, "", 0);
	act(ed, KEYMAP_UNDO);
	check(ed, "", 0);
	/* editor_clear forgets the history. */
	type(ed, "abc");
	editor_clear(ed);
	act(ed, KEYMAP_UNDO);
	check(ed, "", 0);
	editor_free(ed);
}

static void
test_undo_bounded(void **state)
{
	struct editor *ed = editor_new();

	(void)state;
	for (int i = 0; i < EDITOR_UNDO_STEPS + 20; i++) {
		type(ed, "a");
		act(ed, KEYMAP_BOL); /* breaks the group */
		act(ed, KEYMAP_EOL);
	}
	for (int i = 0; i < EDITOR_UNDO_STEPS + 20; i++)
		act(ed, KEYMAP_UNDO);
	/* The oldest steps were dropped: 20 characters stay. */
	assert_int_equal(editor_cursor(ed), 20);
	editor_free(ed);
}

static void
test_multiline(void **state)
{
	struct editor *ed = editor_new();

	(void)state;
	type(ed, "first");
	act(ed, KEYMAP_NEWLINE);
	type(ed, NIHON "x");
	check(ed, "first\n" NIHON "x", 13);
	act(ed, KEYMAP_BOL);
	assert_int_equal(editor_cursor(ed), 6);
	act(ed, KEYMAP_BACK_CHAR);
	assert_int_equal(editor_cursor(ed), 5);
	act(ed, KEYMAP_FWD_CHAR);
	act(ed, KEYMAP_EOL);
	/* Up keeps the column: after 日本x (5 columns) -> end of "first". */
	assert_int_equal(editor_line_up(ed), 1);
	assert_int_equal(editor_cursor(ed), 5);
	assert_int_equal(editor_line_up(ed), 0);
	act(ed, KEYMAP_BACK_CHAR);
	act(ed, KEYMAP_BACK_CHAR);
	/* Column 3 lands after 日 (2 columns), not inside 本. */
	assert_int_equal(editor_line_down(ed), 1);
	assert_int_equal(editor_cursor(ed), 9);
	assert_int_equal(editor_line_down(ed), 0);
	/* C-k at the end of a line joins the next. */
	act(ed, KEYMAP_BOL);
	assert_int_equal(editor_line_up(ed), 1);
	act(ed, KEYMAP_EOL);
	act(ed, KEYMAP_KILL_LINE);
	check(ed, "first" NIHON "x", 5);
	/* A paste keeps its line breaks. */
	assert_int_equal(editor_insert(ed, "1\r\n2\n", 5), 0);
	check(ed, "first1\n2\n" NIHON "x", 9);
	editor_free(ed);
}

static void
test_bounded_and_replace(void **state)
{
	struct editor *ed = editor_new();
	char *big = malloc(EDITOR_MAX + 10);
	size_t len;

	(void)state;
	memset(big, 'a', EDITOR_MAX + 10);
	/* A character that would cross the limit is not cut in half. */
	memcpy(big + EDITOR_MAX - 1, "\xe6\x97\xa5", 3);
	assert_int_equal(editor_insert(ed, big, EDITOR_MAX + 10), -1);
	editor_text(ed, &len);
	assert_int_equal(len, EDITOR_MAX - 1);
	type(ed, "b");
	editor_text(ed, &len);
	assert_int_equal(len, EDITOR_MAX);
	assert_int_equal(editor_type(ed, 'c'), -1);
	editor_text(ed, &len);
	assert_int_equal(len, EDITOR_MAX);
	free(big);

	assert_int_equal(editor_set(ed, "/om", 3), 0);
	check(ed, "/om", 3);
	assert_int_equal(editor_replace(ed, 0, 3, "/omemo ", 7), 0);
	check(ed, "/omemo ", 7);
	act(ed, KEYMAP_UNDO);
	check(ed, "/om", 3);
	editor_free(ed);
}

static void
test_glyphs(void **state)
{
	struct editor_glyph g;

	(void)state;
	assert_int_equal(editor_glyph("\t", 1, &g), 1);
	assert_true(g.escaped);
	assert_string_equal(g.esc, "^I");
	assert_int_equal(g.cols, 2);
	assert_int_equal(editor_glyph("\xe2\x80\xae"
				      "abc",
				      6, &g),
			 3);
	assert_true(g.escaped);
	assert_string_equal(g.esc, "<U+202E>");
	assert_int_equal(g.cols, 8);
	assert_int_equal(editor_glyph("\xe2\x80\x8b", 3, &g), 3);
	assert_string_equal(g.esc, "<U+200B>");
	/* A mark with no base. */
	assert_int_equal(editor_glyph("\xcc\x81", 2, &g), 2);
	assert_string_equal(g.esc, "<U+0301>");
	assert_int_equal(editor_glyph(FAMILY "x", strlen(FAMILY) + 1, &g),
			 strlen(FAMILY));
	assert_false(g.escaped);
	assert_int_equal(g.cols, 2);
	assert_int_equal(editor_glyph(E_ACUTE, 3, &g), 3);
	assert_int_equal(g.cols, 1);
}

static void
test_view_hscroll(void **state)
{
	struct editor *ed = editor_new();
	struct editor_view v;

	(void)state;
	type(ed, "abcdefghij");
	editor_view(ed, 5, 1, &v);
	assert_int_equal(v.nrows, 1);
	/* The cursor cell at the end is visible: "ghij_". */
	assert_int_equal(v.row[0].start, 6);
	assert_int_equal(v.row[0].end, 10);
	assert_int_equal(v.cur_col, 4);
	assert_true(v.more_left);
	assert_false(v.more_right);
	/* Moving left inside the view does not scroll it. */
	act(ed, KEYMAP_BACK_CHAR);
	act(ed, KEYMAP_BACK_CHAR);
	editor_view(ed, 5, 1, &v);
	assert_int_equal(v.row[0].start, 6);
	assert_int_equal(v.cur_col, 2);
	/* Going home shows the start. */
	act(ed, KEYMAP_BOL);
	editor_view(ed, 5, 1, &v);
	assert_int_equal(v.row[0].start, 0);
	assert_int_equal(v.row[0].end, 5);
	assert_int_equal(v.cur_col, 0);
	assert_true(v.more_right);
	/* A wide character never splits across the edge. */
	editor_clear(ed);
	type(ed, "a" NIHON NIHON);
	editor_view(ed, 4, 1, &v);
	assert_int_equal(v.cur_col, 2);
	assert_int_equal(v.row[0].start, 1 + 6 + 3);
	act(ed, KEYMAP_BOL);
	editor_view(ed, 4, 1, &v);
	assert_int_equal(v.row[0].end, 4);
	editor_free(ed);
}

static void
test_view_wrap(void **state)
{
	struct editor *ed = editor_new();
	struct editor_view v;

	(void)state;
	/* "abc" + 日本 at width 4: "abc" then 日本 (the wide 日 does not fit
	 * in the one column left). */
	type(ed, "abc" NIHON);
	editor_view(ed, 4, 3, &v);
	assert_int_equal(v.nrows, 3);
	assert_int_equal(v.row[0].start, 0);
	assert_int_equal(v.row[0].end, 3);
	assert_int_equal(v.row[1].start, 3);
	assert_int_equal(v.row[1].end, 9);
	/* The cursor after a full row gets a row of its own. */
	assert_int_equal(v.row[2].start, 9);
	assert_int_equal(v.row[2].end, 9);
	assert_int_equal(v.cur_row, 2);
	assert_int_equal(v.cur_col, 0);
	/* Lines break at LF; an empty line is a row. */
	editor_clear(ed);
	assert_int_equal(editor_insert(ed, "ab\n\ncd", 6), 0);
	editor_view(ed, 10, 5, &v);
	assert_int_equal(v.nrows, 3);
	assert_int_equal(v.row[1].start, 3);
	assert_int_equal(v.row[1].end, 3);
	assert_int_equal(v.cur_row, 2);
	assert_int_equal(v.cur_col, 2);
	/* More rows than shown: the view follows the cursor. */
	editor_clear(ed);
	assert_int_equal(editor_insert(ed, "1\n2\n3\n4\n5\n6", 11), 0);
	editor_view(ed, 10, 3, &v);
	assert_int_equal(v.nrows, 3);
	assert_int_equal(v.row[0].start, 6);
	assert_int_equal(v.cur_row, 2);
	assert_true(v.more_above);
	assert_false(v.more_below);
	act(ed, KEYMAP_BOL);
	for (int i = 0; i < 5; i++)
		editor_line_up(ed);
	editor_view(ed, 10, 3, &v);
	assert_int_equal(v.row[0].start, 0);
	assert_int_equal(v.cur_row, 0);
	assert_true(v.more_below);
	/* One row on a multi-line buffer shows the cursor's line. */
	editor_view(ed, 10, 1, &v);
	assert_int_equal(v.row[0].start, 0);
	assert_int_equal(v.row[0].end, 1);
	assert_true(v.more_below);
	/* A glyph wider than the view still makes progress. */
	editor_clear(ed);
	type(ed, NIHON);
	editor_view(ed, 1, 4, &v);
	assert_int_equal(v.nrows, 3);
	editor_free(ed);
}

int
editor_tests(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_insert_normalises),
	    cmocka_unit_test(test_cluster_moves),
	    cmocka_unit_test(test_words_and_lines),
	    cmocka_unit_test(test_kill_ring),
	    cmocka_unit_test(test_kill_ring_bounded),
	    cmocka_unit_test(test_transpose),
	    cmocka_unit_test(test_undo),
	    cmocka_unit_test(test_undo_bounded),
	    cmocka_unit_test(test_multiline),
	    cmocka_unit_test(test_bounded_and_replace),
	    cmocka_unit_test(test_glyphs),
	    cmocka_unit_test(test_view_hscroll),
	    cmocka_unit_test(test_view_wrap),
	};

	return cmocka_run_group_tests_name("editor", tests, NULL, NULL);
}
