/*
 * test_keymap.c: the default bindings, lookups, overrides from config
 * lines with their error texts, and the listing for the key overlay.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "input/keymap.h"
#include "input/keyname.h"
#include "tests.h"

static enum keymap_action
lookup(const struct keymap *km, const char *name)
{
	struct keydec_key k;

	assert_int_equal(keyname_parse(name, &k), 0);
	return keymap_lookup(km, &k);
}

static void
test_defaults(void **state)
{
	struct keymap *km = keymap_new();

	(void)state;
	assert_non_null(km);
	assert_int_equal(lookup(km, "C-a"), KEYMAP_BOL);
	assert_int_equal(lookup(km, "Home"), KEYMAP_BOL);
	assert_int_equal(lookup(km, "C-n"), KEYMAP_NEXT_WINDOW);
	assert_int_equal(lookup(km, "M-Right"), KEYMAP_NEXT_WINDOW);
	assert_int_equal(lookup(km, "M-Left"), KEYMAP_PREV_WINDOW);
	assert_int_equal(lookup(km, "M-1"), KEYMAP_WINDOW_1);
	assert_int_equal(lookup(km, "M-0"), KEYMAP_WINDOW_10);
	assert_int_equal(lookup(km, "C-/"), KEYMAP_UNDO);
	assert_int_equal(lookup(km, "M-Enter"), KEYMAP_NEWLINE);
	assert_int_equal(lookup(km, "S-Tab"), KEYMAP_COMPLETE_BACK);
	assert_int_equal(lookup(km, "M-Home"), KEYMAP_SCROLL_TOP);
	assert_int_equal(lookup(km, "F1"), KEYMAP_KEY_HELP);
	/* Plain characters are typed, not bound. */
	assert_int_equal(lookup(km, "a"), KEYMAP_NONE);
	assert_int_equal(lookup(km, "M-z"), KEYMAP_NONE);
	/* Every action but none has a distinct name and a help line. */
	for (int a = 0; a < KEYMAP_NACTIONS; a++) {
		assert_true(strlen(keymap_action_name(a)) > 0);
		assert_true(strlen(keymap_action_help(a)) > 0);
		assert_int_equal(keymap_action_parse(keymap_action_name(a)), a);
	}
	assert_string_equal(keymap_action_name(KEYMAP_NACTIONS), "");
	keymap_free(km);
}

static void
test_bind(void **state)
{
	struct keymap *km = keymap_new();
	char *err;

	(void)state;
	assert_int_equal(keymap_bind(km, 3, "C-o", "next-window", &err), 0);
	assert_null(err);
	assert_int_equal(lookup(km, "C-o"), KEYMAP_NEXT_WINDOW);
	assert_int_equal(keymap_bind(km, 4, "C-n", "none", &err), 0);
	assert_null(err);
	assert_int_equal(lookup(km, "C-n"), KEYMAP_NONE);
	assert_int_equal(keymap_bind(km, 4, "c-N", "scroll-up", &err), 0);
	assert_null(err);
	assert_int_equal(lookup(km, "C-n"), KEYMAP_SCROLL_UP);

	assert_int_equal(keymap_bind(km, 7, "C-Foo", "next-window", &err), -1);
	assert_string_equal(err, "line 7: unknown key 'C-Foo'");
	free(err);
	assert_int_equal(keymap_bind(km, 8, "C-o", "fly", &err), -1);
	assert_string_equal(err, "line 8: unknown action 'fly'");
	free(err);
	assert_int_equal(lookup(km, "C-o"), KEYMAP_NEXT_WINDOW);
	assert_int_equal(keymap_bind(km, 0, "a\x1b[2J", "x", &err), -1);
	assert_string_equal(err, "unknown key 'a?[2J'");
	free(err);
	keymap_free(km);
}

static void
test_full(void **state)
{
	struct keymap *km = keymap_new();
	struct keydec_key k = {0, KEYDEC_MOD_META | KEYDEC_MOD_CTRL};
	int ok = 0, full = 0;
	char *err;

	(void)state;
	for (uint32_t cp = 0x4e00; cp < 0x4e00 + KEYMAP_MAX_BINDINGS; cp++) {
		k.code = cp;
		if (keymap_set(km, &k, KEYMAP_REDRAW) == 0)
			ok++;
		else
			full++;
	}
	assert_true(full > 0);
	assert_true(ok > 100);
	assert_int_equal(keymap_bind(km, 9, "M-C-q", "redraw", &err), -1);
	assert_string_equal(err, "line 9: too many key bindings at 'M-C-q'");
	free(err);
	/* Rebinding a bound key still works when full. */
	assert_int_equal(keymap_bind(km, 10, "C-a", "redraw", &err), 0);
	assert_null(err);
	assert_int_equal(lookup(km, "C-a"), KEYMAP_REDRAW);
	keymap_free(km);
}

static void
test_keys_for(void **state)
{
	struct keymap *km = keymap_new();
	char out[64];
	char *err;

	(void)state;
	assert_int_equal(
	    keymap_keys_for(km, KEYMAP_NEXT_WINDOW, out, sizeof(out)),
	    strlen("C-n, M-Right"));
	assert_string_equal(out, "C-n, M-Right");
	keymap_keys_for(km, KEYMAP_FIND, out, sizeof(out));
	assert_string_equal(out, "C-s, M-/");
	/* Cut at a whole name. */
	keymap_keys_for(km, KEYMAP_NEXT_WINDOW, out, 8);
	assert_string_equal(out, "C-n");
	assert_int_equal(keymap_bind(km, 1, "C-n", "none", &err), 0);
	assert_null(err);
	assert_int_equal(keymap_bind(km, 1, "M-Right", "none", &err), 0);
	assert_null(err);
	assert_int_equal(
	    keymap_keys_for(km, KEYMAP_NEXT_WINDOW, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	keymap_free(km);
}

static void
test_help_text(void **state)
{
	struct keymap *km = keymap_new();
	char *t, *err;

	(void)state;
	t = keymap_help_text(km);
	assert_non_null(t);
	assert_non_null(strstr(t, "C-n, M-Right       next-window              "
				  "Go to the next window\n"));
	assert_non_null(strstr(t, "F1                 key-help"));
	assert_null(strstr(t, "none"));
	assert_int_equal(t[strlen(t) - 1], '\n');
	free(t);
	/* An unbound action is left out; a new key shows. */
	assert_int_equal(keymap_bind(km, 1, "F1", "none", &err), 0);
	assert_int_equal(keymap_bind(km, 2, "C-o", "redraw", &err), 0);
	t = keymap_help_text(km);
	assert_null(strstr(t, "key-help"));
	assert_non_null(strstr(t, "C-l, C-o "));
	free(t);
	keymap_free(km);
}

static void
test_man_section(void **state)
{
	struct keymap *km = keymap_new();
	char *t, *err;

	(void)state;
	assert_int_equal(keymap_bind(km, 1, "M-\\", "redraw", &err), 0);
	t = keymap_man_section(km);
	assert_non_null(t);
	assert_non_null(strstr(t, ".TP\n\\fBC\\-n\\fR, \\fBM\\-Right\\fR\n"
				  "Go to the next window "
				  "(\\fBnext\\-window\\fR).\n"));
	assert_non_null(strstr(t, "\\fBM\\-\\e\\fR"));
	assert_null(strstr(t, "none"));
	assert_int_equal(t[strlen(t) - 1], '\n');
	free(t);
	keymap_free(km);
}

int
keymap_tests(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_bind),
	    cmocka_unit_test(test_full),
	    cmocka_unit_test(test_keys_for),
	    cmocka_unit_test(test_help_text),
	    cmocka_unit_test(test_man_section),
	};

	return cmocka_run_group_tests_name("keymap", tests, NULL, NULL);
}
