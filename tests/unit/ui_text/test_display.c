/*
 * test_display.c: ui/text/display.c: every escape of the display string
 * sanitiser in each mode (CR, BS, ESC sequences, 8-bit CSI, OSC 52, bidi,
 * zero-width, NUL, invalid UTF-8), Zalgo capping, the size cap, the marks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "text/display.h"
#include "text/width.h"

#include "tests.h"

/* An escape unit as the drawing file receives it. */
#define E(x) "\001" x "\002"

static void
check(enum dstr_mode mode, const char *in, size_t len, const char *want)
{
	struct dstr d;

	assert_int_equal(dstr_make(&d, in, len, mode), 0);
	assert_non_null(d.s);
	assert_string_equal(d.s, want);
	assert_int_equal(d.len, strlen(want));
	dstr_free(&d);
	assert_null(d.s);
}

#define BODY(in, want) check(DSTR_BODY, in, sizeof(in) - 1, want)
#define LINE(in, want) check(DSTR_LINE, in, sizeof(in) - 1, want)
#define NAME(in, want) check(DSTR_NAME, in, sizeof(in) - 1, want)
#define ALL(in, want)                                                          \
	do {                                                                   \
		BODY(in, want);                                                \
		LINE(in, want);                                                \
		NAME(in, want);                                                \
	} while (0)

void
test_display_plain(void **state)
{
	(void)state;
	ALL("", "");
	ALL("hello, world", "hello, world");
	ALL("gr\xc3\xbc\xc3\x9f \xe2\x82\xac \xe4\xb8\xad",
	    "gr\xc3\xbc\xc3\x9f \xe2\x82\xac \xe4\xb8\xad");
	/* Emoji: VS16, a ZWJ family, a flag, a skin tone survive. */
	ALL("\xe2\x9d\xa4\xef\xb8\x8f", "\xe2\x9d\xa4\xef\xb8\x8f");
	ALL("\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f"
	    "\x91\xa7",
	    "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f"
	    "\x91\xa7");
	ALL("\xf0\x9f\x87\xa9\xf0\x9f\x87\xaa",
	    "\xf0\x9f\x87\xa9\xf0\x9f\x87\xaa");
	ALL("\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd",
	    "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd");
	/* Flag of Scotland: black flag, tags g b s c t, cancel tag. */
	ALL("\xf0\x9f\x8f\xb4\xf3\xa0\x81\xa7\xf3\xa0\x81\xa2\xf3\xa0\x81\xb3"
	    "\xf3\xa0\x81\xa3\xf3\xa0\x81\xb4\xf3\xa0\x81\xbf",
	    "\xf0\x9f\x8f\xb4\xf3\xa0\x81\xa7\xf3\xa0\x81\xa2\xf3\xa0\x81\xb3"
	    "\xf3\xa0\x81\xa3\xf3\xa0\x81\xb4\xf3\xa0\x81\xbf");
	/* A combining accent on a letter. */
	ALL("e\xcc\x81", "e\xcc\x81");
}

void
test_display_controls(void **state)
{
	(void)state;
	/* CR cannot move the cursor back to forge a sender. */
	ALL("hi\r12:00 bob: pay me", "hi" E("^M") "12:00 bob: pay me");
	ALL("abc\b\b\bxyz", "abc" E("^H") E("^H") E("^H") "xyz");
	/* ESC, BEL, NUL, DEL, and a CSI sequence left harmless. */
	ALL("\x1b[2J\x1b[H", E("^[") "[2J" E("^[") "[H");
	ALL("a\x07", "a" E("^G"));
	check(DSTR_BODY, "a\0b", 3, "a" E("^@") "b");
	check(DSTR_NAME, "a\0b", 3, "a" E("^@") "b");
	ALL("x\x7fy", "x" E("^?") "y");
	ALL("\x01\x02", E("^A") E("^B"));
	/* OSC 52 (set the clipboard): nothing of the escape survives. */
	ALL("\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07",
	    E("^[") "]52;c;Y3VybCBldmlsLnNoIHwgc2g=" E("^G"));
	ALL("\x1b]52;c;AAAA\x1b\\", E("^[") "]52;c;AAAA" E("^[") "\\");
	/* C1 controls as code points: 8-bit CSI, OSC, NEL. */
	ALL("\xc2\x9b"
	    "2J",
	    E("<U+009B>") "2J");
	ALL("\xc2\x9d"
	    "52;c;x\xc2\x9c",
	    E("<U+009D>") "52;c;x" E("<U+009C>"));
	ALL("\xc2\x85", E("<U+0085>"));
	/* A raw 0x9B byte is not UTF-8: shown as a byte. */
	ALL("\x9b"
	    "2J",
	    E("\\x9B") "2J");
}

void
test_display_newline_tab(void **state)
{
	(void)state;
	BODY("one\ntwo", "one\ntwo");
	LINE("one\ntwo", "one" E("^J") "two");
	NAME("one\ntwo", "one" E("^J") "two");
	/* CRLF is one break in a body; a lone CR always shows. */
	BODY("a\r\nb", "a\nb");
	BODY("a\r\r\nb\r", "a" E("^M") "\nb" E("^M"));
	LINE("a\r\nb", "a" E("^M") E("^J") "b");
	NAME("a\r\nb", "a" E("^M") E("^J") "b");
	BODY("\tx", "    x");
	BODY("ab\tx", "ab  x");
	BODY("abcd\tx", "abcd    x");
	BODY("a\nb\tx", "a\nb   x");
	LINE("ab\tx", "ab  x");
	NAME("ab\tx", "ab" E("^I") "x");
	/* Wide characters count two columns before a TAB. */
	BODY("\xe4\xb8\xad\tx", "\xe4\xb8\xad  x");
}

void
test_display_bidi_invisible(void **state)
{
	(void)state;
	/* "exe.txt" spelled backwards by an override; isolates; marks. */
	ALL("look \xe2\x80\xae"
	    "txt.exe",
	    "look " E("<U+202E>") "txt.exe");
	ALL("\xe2\x81\xa6x\xe2\x81\xa9", E("<U+2066>") "x" E("<U+2069>"));
	ALL("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c",
	    E("<U+200E>") E("<U+200F>") E("<U+061C>"));
	ALL("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad",
	    E("<U+202A>") E("<U+202B>") E("<U+202C>") E("<U+202D>"));
	/* Zero-width space, joiner between letters, word joiner, BOM, soft
	 * hyphen, Mongolian vowel separator, Hangul filler. */
	ALL("pay\xe2\x80\x8bpal", "pay" E("<U+200B>") "pal");
	ALL("a\xe2\x80\x8d"
	    "b",
	    "a" E("<U+200D>") "b");
	ALL("a\xe2\x80\x8c"
	    "b",
	    "a" E("<U+200C>") "b");
	ALL("a\xe2\x81\xa0\xef\xbb\xbf\xc2\xad",
	    "a" E("<U+2060>") E("<U+FEFF>") E("<U+00AD>"));
	ALL("\xe1\xa0\x8e\xe3\x85\xa4", E("<U+180E>") E("<U+3164>"));
	ALL("a\xe2\x80\xa8"
	    "b",
	    "a" E("<U+2028>") "b");
	/* Tags outside a flag. */
	ALL("a\xf3\xa0\x81\xa1", "a" E("<U+E0061>"));
	/* A ZWJ after an emoji but not before one. */
	ALL("\xf0\x9f\x98\x80\xe2\x80\x8d"
	    "a",
	    "\xf0\x9f\x98\x80" E("<U+200D>") "a");
	/* ZWNJ inside a Persian word stays in a body, not in a name. */
	BODY("\xd9\x85\xdb\x8c\xe2\x80\x8c\xd8\xb4\xd9\x88\xd9\x85",
	     "\xd9\x85\xdb\x8c\xe2\x80\x8c\xd8\xb4\xd9\x88\xd9\x85");
	NAME("\xd9\x85\xdb\x8c\xe2\x80\x8c\xd8\xb4",
	     "\xd9\x85\xdb\x8c" E("<U+200C>") "\xd8\xb4");
	/* A variation selector in a name only after an emoji. */
	NAME("a\xef\xb8\x8f", "a" E("<U+FE0F>"));
	BODY("a\xef\xb8\x8f", "a\xef\xb8\x8f");
	/* Five ZWJs in one sequence: the fifth is escaped. */
	ALL("\xf0\x9f\x98\x80\xe2\x80\x8d\xf0\x9f\x98\x80\xe2\x80\x8d\xf0\x9f"
	    "\x98\x80\xe2\x80\x8d\xf0\x9f\x98\x80\xe2\x80\x8d\xf0\x9f\x98\x80"
	    "\xe2\x80\x8d\xf0\x9f\x98\x80",
	    "\xf0\x9f\x98\x80\xe2\x80\x8d\xf0\x9f\x98\x80\xe2\x80\x8d\xf0\x9f"
	    "\x98\x80\xe2\x80\x8d\xf0\x9f\x98\x80\xe2\x80\x8d\xf0\x9f\x98"
	    "\x80" E("<U+200D>") "\xf0\x9f\x98\x80");
}

void
test_display_invalid_utf8(void **state)
{
	(void)state;
	ALL("a\xff"
	    "b",
	    "a" E("\\xFF") "b");
	/* Overlong "/" and a surrogate: one escape per byte. */
	ALL("\xc0\xaf", E("\\xC0") E("\\xAF"));
	ALL("\xed\xa0\x80", E("\\xED") E("\\xA0") E("\\x80"));
	/* Cut short at the end. */
	ALL("x\xe2\x82", "x" E("\\xE2") E("\\x82"));
	ALL("\xf4\x90\x80\x80", E("\\xF4") E("\\x90") E("\\x80") E("\\x80"));
}

void
test_display_combining(void **state)
{
	char in[1 + 50 * 2 + 1], want[1 + UW_MAX_COMBINING * 2 + 2];
	size_t n = 0, m = 0;

	(void)state;
	in[n++] = 'Z';
	want[m++] = 'Z';
	for (int i = 0; i < 50; i++) {
		in[n++] = '\xcd';
		in[n++] = '\x82';
		if (i < UW_MAX_COMBINING) {
			want[m++] = '\xcd';
			want[m++] = '\x82';
		}
	}
	in[n++] = '!';
	want[m++] = '!';
	want[m] = '\0';
	check(DSTR_BODY, in, n, want);
	check(DSTR_NAME, in, n, want);
	/* A mark with no base, at the start, after a break or an escape. */
	ALL("\xcc\x81"
	    "a",
	    E("<U+0301>") "a");
	BODY("a\n\xcc\x81", "a\n" E("<U+0301>"));
	ALL("\x1b\xcc\x81", E("^[") E("<U+0301>"));
	/* A lone skin tone is an emoji of its own. */
	ALL("\xf0\x9f\x8f\xbd", "\xf0\x9f\x8f\xbd");
}

void
test_display_cap(void **state)
{
	size_t n = (size_t)DSTR_MAX * 2;
	char *in = malloc(n);
	struct dstr d;

	(void)state;
	assert_non_null(in);
	/* Plain text past the cap ends in the marked "...". */
	memset(in, 'a', n);
	assert_int_equal(dstr_make(&d, in, n, DSTR_BODY), 0);
	assert_true(d.len <= DSTR_MAX);
	assert_true(d.len > DSTR_MAX - 64);
	assert_memory_equal(d.s + d.len - 5, "\001...\002", 5);
	assert_int_equal(strlen(d.s), d.len);
	dstr_free(&d);
	/* All ESC: every output unit is whole, and still capped. */
	memset(in, 0x1b, n);
	assert_int_equal(dstr_make(&d, in, n, DSTR_NAME), 0);
	assert_true(d.len <= DSTR_MAX);
	assert_int_equal((d.len - 5) % 4, 0);
	assert_memory_equal(d.s + d.len - 9, "\001^[\002\001...\002", 9);
	dstr_free(&d);
	/* Invalid bytes, the largest growth. */
	memset(in, 0xff, n);
	assert_int_equal(dstr_make(&d, in, n / 7, DSTR_LINE), 0);
	assert_true(d.len <= DSTR_MAX);
	dstr_free(&d);
	/* Just under the cap: whole. */
	memset(in, 'b', n);
	assert_int_equal(dstr_make(&d, in, 1000, DSTR_BODY), 0);
	assert_int_equal(d.len, 1000);
	dstr_free(&d);
	free(in);
	/* NULL text and dstr_from_cstr. */
	assert_int_equal(dstr_make(&d, NULL, 5, DSTR_BODY), 0);
	assert_string_equal(d.s, "");
	dstr_free(&d);
	assert_int_equal(dstr_from_cstr(&d, "ok\x1b", DSTR_NAME), 0);
	assert_string_equal(d.s, "ok" E("^["));
	dstr_free(&d);
	dstr_free(NULL);
}

void
test_display_strip_marks(void **state)
{
	struct dstr d;

	(void)state;
	assert_int_equal(
	    dstr_make(&d, "hi\x1b]0;x\x07\nbob\xe2\x80\xae", 15, DSTR_BODY), 0);
	dstr_strip_marks(&d);
	assert_string_equal(d.s, "hi^[]0;x^G bob<U+202E>");
	assert_int_equal(d.len, strlen(d.s));
	for (size_t i = 0; i < d.len; i++)
		assert_true((unsigned char)d.s[i] >= 0x20);
	dstr_free(&d);
	dstr_strip_marks(NULL);
}
