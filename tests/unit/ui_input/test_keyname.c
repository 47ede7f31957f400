/*
 * test_keyname.c: canonical key names parse to the keys the decoder
 * reports and format back to the same text; bad names are refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "input/keyname.h"
#include "tests.h"

/* name parses, and formats back to canon. */
static void
check_name(const char *name, const char *canon)
{
	struct keydec_key k, k2;
	char out[KEYNAME_MAX];

	assert_int_equal(keyname_parse(name, &k), 0);
	assert_int_equal(keyname_format(&k, out, sizeof(out)), strlen(canon));
	assert_string_equal(out, canon);
	assert_int_equal(keyname_parse(out, &k2), 0);
	assert_int_equal(k2.code, k.code);
	assert_int_equal(k2.mods, k.mods);
}

static void
test_round_trips(void **state)
{
	static const char *const canon[] = {
	    "C-x",      "M-x",
	    "M-C-x",    "M-Left",
	    "C-Up",     "S-Tab",
	    "F5",       "F12",
	    "PgUp",     "PgDn",
	    "Home",     "End",
	    "Enter",    "M-Enter",
	    "Space",    "C-Space",
	    "BSpace",   "M-BSpace",
	    "Tab",      "Esc",
	    "M-Esc",    "Ins",
	    "Del",      "C-Del",
	    "M-1",      "M-0",
	    "M-X",      "/",
	    "M-/",      "C-_",
	    "-",        "M--",
	    "\xc3\xa9", "M-\xe6\x97\xa5",
	    "WheelUp",  "M-C-S-WheelDown",
	    "C-S-F3",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(canon) / sizeof(canon[0]); i++)
		check_name(canon[i], canon[i]);
}

static void
test_aliases(void **state)
{
	(void)state;
	check_name("c-X", "C-x");
	check_name("C-M-x", "M-C-x");
	check_name("A-Right", "M-Right");
	check_name("s-tab", "S-Tab");
	check_name("pageup", "PgUp");
	check_name("Return", "Enter");
	check_name("Backspace", "BSpace");
	check_name("Escape", "Esc");
	check_name("Delete", "Del");
	check_name("f7", "F7");
	check_name("C-/", "C-_");
	check_name("C-@", "C-Space");
	check_name("C-i", "Tab");
	check_name("C-m", "Enter");
	check_name("C-[", "Esc");
	check_name("M-C-m", "M-Enter");
}

static void
test_errors(void **state)
{
	static const char *const bad[] = {
	    "",     "C-",     "X-a",  "ab",       "F0",
	    "F13",  "F123",   "S-a",  "S-Space",  "Foo",
	    "\x01", "C-\x7f", "\xc3", "\xc2\x9b", "M-",
	};
	struct keydec_key k;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		k.code = 5;
		assert_int_equal(keyname_parse(bad[i], &k), -1);
		assert_int_equal(k.code, 0);
	}
}

static void
test_format_limits(void **state)
{
	struct keydec_key k = {KEYDEC_WHEEL_DOWN, KEYDEC_MOD_META |
						      KEYDEC_MOD_CTRL |
						      KEYDEC_MOD_SHIFT};
	char out[KEYNAME_MAX];

	(void)state;
	assert_true(keyname_format(&k, out, sizeof(out)) < KEYNAME_MAX);
	assert_int_equal(keyname_format(&k, out, 5), 0);
	assert_string_equal(out, "");
	k.code = 0x1b;
	k.mods = 0;
	assert_int_equal(keyname_format(&k, out, sizeof(out)), 0);
	k.code = KEYDEC_NAMED_END;
	assert_int_equal(keyname_format(&k, out, sizeof(out)), 0);
}

int
keyname_tests(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trips),
	    cmocka_unit_test(test_aliases),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_format_limits),
	};

	return cmocka_run_group_tests_name("keyname", tests, NULL, NULL);
}
