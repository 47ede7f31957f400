/*
 * test_json.c: the event writer produces exact, valid JSON lines, escapes
 * every control, bidi control and broken UTF-8, and fails cleanly at its
 * limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "json.h"
#include "ward.h"

/* Writes {"v": <len bytes of s>} and compares the line with want. */
static void
check_value(const char *s, size_t len, const char *want)
{
	struct json j;
	size_t n = 99;
	char *line;

	json_begin(&j);
	json_strn(&j, "v", s, len);
	line = json_end(&j, &n);
	assert_non_null(line);
	assert_string_equal(line, want);
	assert_int_equal(n, strlen(want));
	free(line);
}

#define VALUE(in, want)                                                        \
	check_value(in, sizeof(in) - 1, "{\"v\":\"" want "\"}\n")

static void
test_event_line(void **state)
{
	struct json j;
	size_t n;
	char *line;

	(void)state;
	json_begin(&j);
	json_str(&j, "event", "message");
	json_str(&j, "account", "alice");
	json_str(&j, "id", NULL);
	json_int(&j, "code", -42);
	json_bool(&j, "ok", 1);
	json_bool(&j, "bad", 0);
	json_null(&j, "none");
	line = json_end(&j, &n);
	assert_non_null(line);
	assert_string_equal(
	    line, "{\"event\":\"message\",\"account\":\"alice\",\"id\":null,"
		  "\"code\":-42,\"ok\":true,\"bad\":false,\"none\":null}\n");
	assert_int_equal(n, strlen(line));
	free(line);
}

static void
test_empty_object(void **state)
{
	struct json j;
	char *line;

	(void)state;
	json_begin(&j);
	line = json_end(&j, NULL);
	assert_string_equal(line, "{}\n");
	free(line);
}

static void
test_quote_backslash_slash(void **state)
{
	(void)state;
	VALUE("a\"b\\c/d", "a\\\"b\\\\c/d");
}

static void
test_c0_del_escaped(void **state)
{
	(void)state;
	VALUE("\x1b[2J", "\\u001b[2J");
	VALUE("a\nb\r\tc", "a\\u000ab\\u000d\\u0009c");
	VALUE("\x00\x01\x1f\x7f", "\\u0000\\u0001\\u001f\\u007f");
	VALUE("\x1b]52;c;YQ==\x07", "\\u001b]52;c;YQ==\\u0007");
}

static void
test_c1_escaped(void **state)
{
	(void)state;
	VALUE("\xc2\x80\xc2\x85\xc2\x9b\xc2\x9f",
	      "\\u0080\\u0085\\u009b\\u009f");
	/* U+00A0 is not a control. */
	VALUE("\xc2\xa0", "\xc2\xa0");
}

static void
test_bidi_escaped(void **state)
{
	(void)state;
	VALUE("\xd8\x9c", "\\u061c");
	VALUE("\xe2\x80\x8e\xe2\x80\x8f", "\\u200e\\u200f");
	VALUE("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad\xe2\x80\xae",
	      "\\u202a\\u202b\\u202c\\u202d\\u202e");
	VALUE("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9",
	      "\\u2066\\u2067\\u2068\\u2069");
	VALUE("\xe2\x80\xa8\xe2\x80\xa9", "\\u2028\\u2029");
}

/* Zero-width characters are escaped like the bidi controls (losslessly: a
 * JSON decoder gets them back), so a JID or body that hides one cannot
 * look like another in the raw stream. */
static void
test_zero_width_escaped(void **state)
{
	(void)state;
	VALUE("a\xe2\x80\x8b" "b", "a\\u200b" "b");
	VALUE("\xe2\x80\x8c\xe2\x80\x8d", "\\u200c\\u200d");
	VALUE("\xe2\x81\xa0\xe2\x81\xa4", "\\u2060\\u2064");
	VALUE("\xef\xbb\xbf\xe1\xa0\x8e", "\\ufeff\\u180e");
	/* their neighbours are not */
	VALUE("\xe2\x80\x8a\xe2\x81\xa5", "\xe2\x80\x8a\xe2\x81\xa5");
}

static void
test_valid_utf8_lossless(void **state)
{
	(void)state;
	VALUE(
	    "gr\xc3\xbc\xc3\x9f \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf",
	    "gr\xc3\xbc\xc3\x9f \xe2\x82\xac \xf0\x9f\x98\x80 "
	    "\xf4\x8f\xbf\xbf");
	/* U+FFFD itself is plain text. */
	VALUE("\xef\xbf\xbd", "\xef\xbf\xbd");
}

static void
test_invalid_utf8_replaced(void **state)
{
	(void)state;
	/* One \ufffd per maximal subpart. */
	VALUE("a\x80z", "a\\ufffdz");
	VALUE("\xc0\xaf", "\\ufffd\\ufffd");
	VALUE("\xed\xa0\x80", "\\ufffd\\ufffd\\ufffd");
	VALUE("\xf4\x90\x80\x80", "\\ufffd\\ufffd\\ufffd\\ufffd");
	VALUE("\xe2\x82", "\\ufffd");
	VALUE("\xf0\x9f\x98!", "\\ufffd!");
	VALUE("\xff\xfe", "\\ufffd\\ufffd");
	/* A quote right after a bad lead byte is still escaped. */
	VALUE("\xe2\"", "\\ufffd\\\"");
}

static void
test_keys_escaped(void **state)
{
	struct json j;
	char *line;

	(void)state;
	json_begin(&j);
	json_str(&j, "k\"\x1b", "v");
	line = json_end(&j, NULL);
	assert_string_equal(line, "{\"k\\\"\\u001b\":\"v\"}\n");
	free(line);
}

static void
test_strn_ignores_nul_terminator(void **state)
{
	(void)state;
	check_value("ab\0cd", 5, "{\"v\":\"ab\\u0000cd\"}\n");
	check_value("abcd", 2, "{\"v\":\"ab\"}\n");
}

static void
test_nesting(void **state)
{
	struct json j;
	char *line;

	(void)state;
	json_begin(&j);
	json_str(&j, "event", "roster");
	json_arr_open(&j, "items");
	json_obj_open(&j, NULL);
	json_str(&j, "jid", "bob@x");
	json_arr_open(&j, "groups");
	json_str(&j, NULL, "a");
	json_str(&j, NULL, "b");
	json_arr_close(&j);
	json_obj_close(&j);
	json_int(&j, NULL, 7);
	json_arr_close(&j);
	json_obj_open(&j, "empty");
	json_obj_close(&j);
	line = json_end(&j, NULL);
	assert_non_null(line);
	assert_string_equal(
	    line, "{\"event\":\"roster\",\"items\":[{\"jid\":\"bob@x\","
		  "\"groups\":[\"a\",\"b\"]},7],\"empty\":{}}\n");
	free(line);
}

static void
test_misuse_is_an_error(void **state)
{
	struct json j;

	(void)state;
	/* A member without a key in an object. */
	json_begin(&j);
	json_str(&j, NULL, "x");
	assert_int_equal(json_error(&j), WARD_ERR_INVAL);
	assert_null(json_end(&j, NULL));
	assert_int_equal(json_error(&j), WARD_ERR_INVAL);

	/* A key inside an array. */
	json_begin(&j);
	json_arr_open(&j, "a");
	json_int(&j, "k", 1);
	assert_null(json_end(&j, NULL));

	/* Still open at the end. */
	json_begin(&j);
	json_obj_open(&j, "o");
	assert_null(json_end(&j, NULL));
	assert_int_equal(json_error(&j), WARD_ERR_INVAL);

	/* Wrong closer, and closing the outer object early. */
	json_begin(&j);
	json_obj_open(&j, "o");
	json_arr_close(&j);
	assert_null(json_end(&j, NULL));
	json_begin(&j);
	json_obj_close(&j);
	assert_null(json_end(&j, NULL));
}

static void
test_depth_limit(void **state)
{
	struct json j;
	int i;

	(void)state;
	json_begin(&j);
	for (i = 1; i < JSON_MAX_DEPTH; i++)
		json_arr_open(&j, i == 1 ? "a" : NULL);
	assert_int_equal(json_error(&j), WARD_OK);
	json_arr_open(&j, NULL);
	assert_int_equal(json_error(&j), WARD_ERR_LIMIT);
	json_abort(&j);
}

static void
test_size_limit(void **state)
{
	size_t n = JSON_MAX_LINE / 6 + 1;
	char *big = calloc(1, n); /* NULs: each becomes six bytes */
	struct json j;
	size_t len = 1;

	(void)state;
	assert_non_null(big);
	json_begin(&j);
	json_strn(&j, "v", big, n);
	assert_int_equal(json_error(&j), WARD_ERR_LIMIT);
	/* Later calls do nothing; the end reports the failure. */
	json_str(&j, "w", "x");
	assert_null(json_end(&j, &len));
	assert_int_equal(len, 0);
	assert_int_equal(json_error(&j), WARD_ERR_LIMIT);
	free(big);
}

static void
test_reuse_after_end(void **state)
{
	struct json j;
	char *a, *b;

	(void)state;
	json_begin(&j);
	json_int(&j, "n", 1);
	a = json_end(&j, NULL);
	json_begin(&j);
	json_int(&j, "n", 2);
	b = json_end(&j, NULL);
	assert_string_equal(a, "{\"n\":1}\n");
	assert_string_equal(b, "{\"n\":2}\n");
	free(a);
	free(b);
}

static void
test_int_extremes(void **state)
{
	struct json j;
	char *line;

	(void)state;
	json_begin(&j);
	json_int(&j, "min", -9223372036854775807LL - 1);
	json_int(&j, "max", 9223372036854775807LL);
	line = json_end(&j, NULL);
	assert_string_equal(line, "{\"min\":-9223372036854775808,"
				  "\"max\":9223372036854775807}\n");
	free(line);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_event_line),
	    cmocka_unit_test(test_empty_object),
	    cmocka_unit_test(test_quote_backslash_slash),
	    cmocka_unit_test(test_c0_del_escaped),
	    cmocka_unit_test(test_c1_escaped),
	    cmocka_unit_test(test_bidi_escaped),
	    cmocka_unit_test(test_zero_width_escaped),
	    cmocka_unit_test(test_valid_utf8_lossless),
	    cmocka_unit_test(test_invalid_utf8_replaced),
	    cmocka_unit_test(test_keys_escaped),
	    cmocka_unit_test(test_strn_ignores_nul_terminator),
	    cmocka_unit_test(test_nesting),
	    cmocka_unit_test(test_misuse_is_an_error),
	    cmocka_unit_test(test_depth_limit),
	    cmocka_unit_test(test_size_limit),
	    cmocka_unit_test(test_reuse_after_end),
	    cmocka_unit_test(test_int_extremes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
