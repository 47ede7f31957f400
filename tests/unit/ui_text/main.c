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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
