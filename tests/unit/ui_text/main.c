/*
 * main.c: runs the ui_text unit tests (widths, display strings, wrapping,
 * skeletons, colours).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tests.h"

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_decode),
	    cmocka_unit_test(test_encode),
	    cmocka_unit_test(test_cp_width),
	    cmocka_unit_test(test_clusters),
	    cmocka_unit_test(test_zalgo_and_width),
	    cmocka_unit_test(test_fit),
	    cmocka_unit_test(test_grapheme_conformance),
	    cmocka_unit_test(test_ambiguous),
	    cmocka_unit_test(test_display_plain),
	    cmocka_unit_test(test_display_controls),
	    cmocka_unit_test(test_display_newline_tab),
	    cmocka_unit_test(test_display_bidi_invisible),
	    cmocka_unit_test(test_display_invalid_utf8),
	    cmocka_unit_test(test_display_combining),
	    cmocka_unit_test(test_display_cap),
	    cmocka_unit_test(test_display_strip_marks),
	    cmocka_unit_test(test_wrap_spaces),
	    cmocka_unit_test(test_wrap_hanging),
	    cmocka_unit_test(test_wrap_long_words),
	    cmocka_unit_test(test_wrap_cjk),
	    cmocka_unit_test(test_wrap_newlines_escapes),
	    cmocka_unit_test(test_wrap_fit),
	    cmocka_unit_test(test_skeleton_make),
	    cmocka_unit_test(test_skeleton_collide),
	    cmocka_unit_test(test_skeleton_mixed),
	    cmocka_unit_test(test_skeleton_check),
	    cmocka_unit_test(test_colour_xep0392),
	    cmocka_unit_test(test_colour_palette),
	    cmocka_unit_test(test_colour_terminal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
