/*
 * test_sanitize.c: the terminal sanitiser turns escape sequences, bidi
 * tricks and broken UTF-8 into visible, harmless text; and the shared UTF-8
 * decoder finds maximal subparts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "sanitize.h"
#include "ward.h"

/* Runs the one-line sanitiser on len bytes and compares with want. */
static void
check_line(const char *in, size_t len, const char *want)
{
	size_t outlen = 99;
	char *out = sanitize_for_terminal(in, len, &outlen);

	assert_non_null(out);
	assert_string_equal(out, want);
	assert_int_equal(outlen, strlen(want));
	free(out);
}

static void
check_multi(const char *in, size_t len, const char *want)
{
	size_t outlen = 99;
	char *out = sanitize_multiline(in, len, &outlen);

	assert_non_null(out);
	assert_string_equal(out, want);
	assert_int_equal(outlen, strlen(want));
	free(out);
}

static void
check_log(const char *in, size_t len, const char *want)
{
	size_t outlen = 99;
	char *out = sanitize_for_log(in, len, &outlen);

	assert_non_null(out);
	assert_string_equal(out, want);
	assert_int_equal(outlen, strlen(want));
	free(out);
}

#define LOG(in, want) check_log(in, sizeof(in) - 1, want)
#define LINE(in, want) check_line(in, sizeof(in) - 1, want)
#define MULTI(in, want) check_multi(in, sizeof(in) - 1, want)

static void
test_plain_text_unchanged(void **state)
{
	(void)state;
	LINE("hello, world", "hello, world");
	LINE("", "");
	/* Non-ASCII, 2-, 3- and 4-byte sequences pass through. */
	LINE("gr\xc3\xbc\xc3\x9f \xe2\x82\xac \xf0\x9f\x98\x80",
	     "gr\xc3\xbc\xc3\x9f \xe2\x82\xac \xf0\x9f\x98\x80");
	/* Highest code point and U+FFFD itself. */
	LINE("\xf4\x8f\xbf\xbf\xef\xbf\xbd", "\xf4\x8f\xbf\xbf\xef\xbf\xbd");
}

static void
test_clear_screen_escape(void **state)
{
	(void)state;
	LINE("\x1b[2Jgone", "^[[2Jgone");
}

static void
test_osc52_clipboard(void **state)
{
	(void)state;
	LINE("\x1b]52;c;cm0gLXJmIH4=\x07", "^[]52;c;cm0gLXJmIH4=^G");
}

static void
test_c0_and_del(void **state)
{
	(void)state;
	LINE("a\0b", "a^@b");
	LINE("\x01\x1f\x7f", "^A^_^?");
	LINE("a\rb", "a^Mb");
	LINE("a\tb", "a b");
	LINE("a\nb", "a^Jb");
	LINE("a\r\nb", "a^M^Jb");
}

static void
test_eight_bit_csi(void **state)
{
	(void)state;
	/* A raw 0x9b byte is not UTF-8: U+FFFD. */
	LINE("\x9b"
	     "2J",
	     "\xef\xbf\xbd"
	     "2J");
	/* U+009B encoded in UTF-8 is a C1 control: shown by number. */
	LINE("\xc2\x9b"
	     "2J",
	     "<U+009B>2J");
	LINE("\xc2\x80\xc2\x85\xc2\x9f", "<U+0080><U+0085><U+009F>");
	/* U+00A0 (first after C1) passes. */
	LINE("\xc2\xa0", "\xc2\xa0");
}

static void
test_bidi_shown(void **state)
{
	(void)state;
	/* "Trojan source": U+202E right-to-left override. */
	LINE("abc\xe2\x80\xae"
	     "fdp.exe",
	     "abc<U+202E>fdp.exe");
	LINE("\xd8\x9c\xe2\x80\x8e\xe2\x80\x8f", "<U+061C><U+200E><U+200F>");
	LINE("\xe2\x80\xaa\xe2\x80\xac", "<U+202A><U+202C>");
	LINE("\xe2\x81\xa6\xe2\x81\xa9", "<U+2066><U+2069>");
	LINE("\xe2\x80\xa8\xe2\x80\xa9", "<U+2028><U+2029>");
	/* Neighbours that are not controls pass through. */
	LINE("\xe2\x80\x8d\xe2\x80\xaf\xe2\x81\xa5",
	     "\xe2\x80\x8d\xe2\x80\xaf\xe2\x81\xa5");
}

static void
test_overlong_and_surrogates(void **state)
{
	(void)state;
	/* Overlong '/' (C0 AF): two bad bytes, two U+FFFD. */
	LINE("\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd");
	/* Overlong ESC would otherwise sneak a control through. */
	LINE("\xc0\x9b", "\xef\xbf\xbd\xef\xbf\xbd");
	LINE("\xe0\x80\xaf", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	LINE("\xf0\x80\x80\xaf",
	     "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	/* Surrogate U+D800. */
	LINE("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	/* Above U+10FFFF, and bytes that never occur. */
	LINE("\xf4\x90\x80\x80",
	     "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	LINE("\xf5\xfe\xff", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
}

static void
test_lone_continuation_and_truncated(void **state)
{
	(void)state;
	LINE("a\x80z", "a\xef\xbf\xbdz");
	LINE("\xbf\xbf", "\xef\xbf\xbd\xef\xbf\xbd");
	/* A cut-short sequence is one maximal subpart: one U+FFFD. */
	LINE("\xe2\x82", "\xef\xbf\xbd");
	LINE("\xe2\x82z", "\xef\xbf\xbdz");
	LINE("\xf0\x9f\x98", "\xef\xbf\xbd");
	/* A lead byte eating an ESC would hide it: the ESC stays visible. */
	LINE("\xe2\x1b[2J", "\xef\xbf\xbd^[[2J");
}

static void
test_multiline_keeps_newlines(void **state)
{
	(void)state;
	MULTI("one\ntwo", "one\ntwo");
	MULTI("one\r\ntwo\r", "one\ntwo^M");
	MULTI("a\rb", "a^Mb");
	MULTI("\x1b[31mred\n", "^[[31mred\n");
}

static void
test_outlen_optional_and_nul_safe(void **state)
{
	char *out;

	(void)state;
	out = sanitize_for_terminal("x\0y", 3, NULL);
	assert_non_null(out);
	assert_string_equal(out, "x^@y");
	free(out);
}

static void
test_append_respects_ceiling(void **state)
{
	struct wbuf b;

	(void)state;
	wbuf_init(&b, 4);
	assert_int_equal(sanitize_append(&b, "abcd", 4, 0), WARD_OK);
	assert_int_equal(sanitize_append(&b, "e", 1, 0), WARD_ERR_LIMIT);
	wbuf_free(&b);
	wbuf_init(&b, 64);
	assert_int_equal(sanitize_append(&b, "a\x1b", 2, 0), WARD_OK);
	assert_int_equal(wbuf_avail(&b), 3);
	assert_memory_equal(wbuf_ptr(&b), "a^[", 3);
	wbuf_free(&b);
}

/* The worst-case growth (C1: 2 bytes -> 8) fits the allocation. */
static void
test_worst_case_growth(void **state)
{
	size_t i, n = 1000, outlen;
	char *in = malloc(2 * n), *out;

	(void)state;
	assert_non_null(in);
	for (i = 0; i < n; i++) {
		in[2 * i] = (char)0xc2;
		in[2 * i + 1] = (char)0x85;
	}
	out = sanitize_for_terminal(in, 2 * n, &outlen);
	assert_non_null(out);
	assert_int_equal(outlen, 8 * n);
	assert_memory_equal(out, "<U+0085>", 8);
	free(out);
	free(in);
}

static void
check_decode(const char *s, size_t len, size_t want_n, uint32_t want_cp)
{
	uint32_t cp = 0;

	assert_int_equal(sanitize_utf8_next((const unsigned char *)s, len, &cp),
			 want_n);
	assert_int_equal(cp, want_cp);
}

static void
test_decoder(void **state)
{
	(void)state;
	check_decode("A", 1, 1, 'A');
	check_decode("\xc3\xa9", 2, 2, 0xe9);
	check_decode("\xe2\x82\xac", 3, 3, 0x20ac);
	check_decode("\xf0\x9f\x98\x80", 4, 4, 0x1f600);
	check_decode("\xf4\x8f\xbf\xbf", 4, 4, 0x10ffff);
	/* Maximal subparts: how many bytes each bad start eats. */
	check_decode("\xe2\x82", 2, 2, SANITIZE_BAD_UTF8);
	check_decode("\xe2\x82\x41", 3, 2, SANITIZE_BAD_UTF8);
	check_decode("\xf0\x9f\x98", 3, 3, SANITIZE_BAD_UTF8);
	check_decode("\xe0\x9f\x80", 3, 1, SANITIZE_BAD_UTF8);
	check_decode("\xed\xa0\x80", 3, 1, SANITIZE_BAD_UTF8);
	check_decode("\xf4\x90\x80\x80", 4, 1, SANITIZE_BAD_UTF8);
	check_decode("\xc1\xbf", 2, 1, SANITIZE_BAD_UTF8);
	check_decode("\x80", 1, 1, SANITIZE_BAD_UTF8);
	/* Length limits are respected: the 3-byte sequence is cut at 1. */
	check_decode("\xe2\x82\xac", 1, 1, SANITIZE_BAD_UTF8);
	assert_int_equal(
	    sanitize_utf8_next((const unsigned char *)"", 0, &(uint32_t){0}),
	    0);
}

static void
test_classes(void **state)
{
	(void)state;
	assert_true(sanitize_is_control(0x00));
	assert_true(sanitize_is_control(0x1b));
	assert_true(sanitize_is_control(0x7f));
	assert_true(sanitize_is_control(0x9f));
	assert_false(sanitize_is_control(0x20));
	assert_false(sanitize_is_control(0xa0));
	assert_true(sanitize_is_format(0x202e));
	assert_true(sanitize_is_format(0x2069));
	assert_false(sanitize_is_format(0x202f));
	assert_false(sanitize_is_format(0x2065));
	assert_false(sanitize_is_format(0x200d));
}

/* A ward.log entry: one line whatever it quotes; zero-width characters
 * (kept on the terminal, where the display string handles them) shown. */
static void
test_log_entry_one_line(void **state)
{
	(void)state;
	LOG("a@b/x\n1700000000.000 warn fake: y\r\n",
	    "a@b/x^J1700000000.000 warn fake: y^M^J");
	LOG("\x1b[2J\x07\x7f", "^[[2J^G^?");
	LOG("\xc2\x85\xc2\x9b", "<U+0085><U+009B>");
	LOG("\xe2\x80\xae\xe2\x80\xa8\xe2\x81\xa6", "<U+202E><U+2028><U+2066>");
	LOG("\xe2\x80\x8b\xe2\x80\x8d\xef\xbb\xbf", "<U+200B><U+200D><U+FEFF>");
	LOG("\xff", "\xef\xbf\xbd");
	LOG("caf\xc3\xa9 \xf0\x9f\x98\x80", "caf\xc3\xa9 \xf0\x9f\x98\x80");
	/* the terminal form keeps the zero-width ones */
	LINE("\xe2\x80\x8b", "\xe2\x80\x8b");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain_text_unchanged),
	    cmocka_unit_test(test_clear_screen_escape),
	    cmocka_unit_test(test_osc52_clipboard),
	    cmocka_unit_test(test_c0_and_del),
	    cmocka_unit_test(test_eight_bit_csi),
	    cmocka_unit_test(test_bidi_shown),
	    cmocka_unit_test(test_overlong_and_surrogates),
	    cmocka_unit_test(test_lone_continuation_and_truncated),
	    cmocka_unit_test(test_multiline_keeps_newlines),
	    cmocka_unit_test(test_outlen_optional_and_nul_safe),
	    cmocka_unit_test(test_append_respects_ceiling),
	    cmocka_unit_test(test_worst_case_growth),
	    cmocka_unit_test(test_decoder),
	    cmocka_unit_test(test_classes),
	    cmocka_unit_test(test_log_entry_one_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
