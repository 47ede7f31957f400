/*
 * test_wrap.c: ui/text/wrap.c: rows at spaces, hanging indents, long
 * words broken hard, CJK at the row's edge, '\n' breaks, escape units and
 * clusters kept whole.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "text/display.h"
#include "text/width.h"
#include "text/wrap.h"

#include "tests.h"

/* Wraps s and compares the rows, given as "row|row|row". */
static void
check_wrap(const char *s, size_t first, size_t cont, const char *want)
{
	struct wrap_row rows[64];
	char got[1024];
	size_t n, len = strlen(s), o = 0;

	n = wrap_rows(s, len, first, cont, rows, 64);
	assert_true(n <= 64);
	assert_int_equal(wrap_count(s, len, first, cont), n);
	for (size_t i = 0; i < n; i++) {
		size_t rl = rows[i].end - rows[i].start;

		if (i > 0) {
			assert_true(rows[i].start > rows[i - 1].start);
			assert_true(rows[i].start >= rows[i - 1].end);
			got[o++] = '|';
		}
		assert_true(rows[i].end >= rows[i].start);
		assert_int_equal(rows[i].cols,
				 uw_str_width(s + rows[i].start, rl));
		memcpy(got + o, s + rows[i].start, rl);
		o += rl;
	}
	got[o] = '\0';
	assert_string_equal(got, want);
}

void
test_wrap_spaces(void **state)
{
	(void)state;
	check_wrap("hello world", 80, 80, "hello world");
	check_wrap("hello world", 5, 5, "hello|world");
	check_wrap("hello world", 8, 8, "hello|world");
	check_wrap("the quick brown fox jumps", 10, 10,
		   "the quick|brown fox|jumps");
	/* Several spaces at the break vanish; inside a row they stay. */
	check_wrap("aa   bb   cc", 4, 4, "aa|bb|cc");
	check_wrap("aa  bb cc", 6, 6, "aa  bb|cc");
	/* Leading spaces of the text are kept. */
	check_wrap("  indented text", 10, 10, "  indented|text");
	check_wrap("", 10, 10, "");
	assert_int_equal(wrap_count("", 0, 10, 10), 1);
}

void
test_wrap_hanging(void **state)
{
	(void)state;
	/* A 20-column screen with "12:00 bob " (10 columns) before the
	 * first row and a 10-column hanging indent on the rest. */
	check_wrap("one two three four five six", 10, 10,
		   "one two|three four|five six");
	check_wrap("one two three four five six", 4, 15,
		   "one|two three four|five six");
	check_wrap("abcdefghij klm", 3, 20, "abc|defghij klm");
}

void
test_wrap_long_words(void **state)
{
	(void)state;
	check_wrap("abcdefghijkl", 5, 5, "abcde|fghij|kl");
	check_wrap("hi abcdefghijkl", 5, 5, "hi|abcde|fghij|kl");
	check_wrap("https://example.org/a/very/long/path", 12, 12,
		   "https://exam|ple.org/a/ve|ry/long/path");
	/* Width 0 or 1 still makes progress, one cluster a row. */
	check_wrap("abc", 0, 0, "a|b|c");
	check_wrap("ab", 1, 1, "a|b");
}

void
test_wrap_cjk(void **state)
{
	/* 中文字符 is four 2-column characters. */
	const char *cjk = "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97\xe7\xac\xa6";

	(void)state;
	check_wrap(cjk, 4, 4,
		   "\xe4\xb8\xad\xe6\x96\x87|\xe5\xad\x97\xe7\xac\xa6");
	/* 5 columns: a wide character never sticks out of the row. */
	check_wrap(cjk, 5, 5,
		   "\xe4\xb8\xad\xe6\x96\x87|\xe5\xad\x97\xe7\xac\xa6");
	/* Width 1: a wide character alone on a row. */
	check_wrap("\xe4\xb8\xad"
		   "a",
		   1, 1, "\xe4\xb8\xad|a");
	/* Breaks next to a wide character before breaking a word. */
	check_wrap("abc\xe4\xb8\xad"
		   "def",
		   6, 6, "abc\xe4\xb8\xad|def");
	/* An emoji family and a flag are never split. */
	check_wrap("ab\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xf0\x9f\x87"
		   "\xa9\xf0\x9f\x87\xaa",
		   3, 3,
		   "ab|\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9|"
		   "\xf0\x9f\x87\xa9\xf0\x9f\x87\xaa");
	/* Combining marks stay with their base. */
	check_wrap("abe\xcc\x81"
		   "f",
		   3, 3, "abe\xcc\x81|f");
}

void
test_wrap_newlines_escapes(void **state)
{
	struct dstr d;
	struct wrap_row r;
	size_t next;

	(void)state;
	check_wrap("one\ntwo", 80, 80, "one|two");
	check_wrap("one\n\ntwo\n", 80, 80, "one||two");
	check_wrap("a b c\nd", 3, 3, "a b|c|d");
	/* An escape unit is never split: "^[" moves to the next row. */
	assert_int_equal(dstr_make(&d, "abc\x1b[2J", 7, DSTR_BODY), 0);
	check_wrap(d.s, 4, 5, "abc|\001^[\002[2J");
	dstr_free(&d);
	assert_int_equal(dstr_make(&d,
				   "x\xe2\x80\xae"
				   "y",
				   5, DSTR_BODY),
			 0);
	check_wrap(d.s, 5, 5, "x|\001<U+202E>\002|y");
	dstr_free(&d);
	/* Row by row from the middle, as the view does. */
	next = wrap_next("aaa bbb ccc", 11, 4, 3, &r);
	assert_int_equal(r.start, 4);
	assert_int_equal(r.end, 7);
	assert_int_equal(r.cols, 3);
	assert_int_equal(next, 8);
}

void
test_wrap_fit(void **state)
{
	struct dstr d;
	size_t used = 99;

	(void)state;
	assert_int_equal(dstr_make(&d,
				   "ab\xe2\x80\xae"
				   "cd",
				   7, DSTR_NAME),
			 0);
	/* "ab" + ON "<U+202E>" OFF + "cd": the escape fits whole or not. */
	assert_int_equal(wrap_fit(d.s, d.len, 5, &used), 2);
	assert_int_equal(used, 2);
	assert_int_equal(wrap_fit(d.s, d.len, 10, &used), 12);
	assert_int_equal(used, 10);
	assert_int_equal(wrap_fit(d.s, d.len, 100, &used), d.len);
	assert_int_equal(used, 12);
	dstr_free(&d);
	/* Wide characters and clusters are never cut; '\n' ends. */
	assert_int_equal(wrap_fit("a\xe4\xb8\xad", 4, 2, &used), 1);
	assert_int_equal(used, 1);
	assert_int_equal(wrap_fit("xe\xcc\x81y", 5, 2, NULL), 4);
	assert_int_equal(wrap_fit("ab\ncd", 5, 10, &used), 2);
	assert_int_equal(wrap_fit("abc", 3, 0, &used), 0);
	assert_int_equal(used, 0);
}
