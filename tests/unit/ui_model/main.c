/*
 * main.c: runs the ui_model unit tests (no curses: the view paints onto the
 * in-memory grid).
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
	    cmocka_unit_test(test_lines_append_get),
	    cmocka_unit_test(test_lines_drop_oldest),
	    cmocka_unit_test(test_lines_prepend),
	    cmocka_unit_test(test_lines_memory),
	    cmocka_unit_test(test_lines_find_id),
	    cmocka_unit_test(test_win_activity),
	    cmocka_unit_test(test_win_next_active),
	    cmocka_unit_test(test_win_scroll_lock),
	    cmocka_unit_test(test_win_delivery),
	    cmocka_unit_test(test_win_close),
	    cmocka_unit_test(test_win_dropped),
	    cmocka_unit_test(test_win_background_bound),
	    cmocka_unit_test(test_prompts_guard),
	    cmocka_unit_test(test_prompts_queue),
	    cmocka_unit_test(test_winstate_roundtrip),
	    cmocka_unit_test(test_winstate_hostile),
	    cmocka_unit_test(test_view_hostile_text),
	    cmocka_unit_test(test_view_scroll_stable),
	    cmocka_unit_test(test_view_tiny),
	    cmocka_unit_test(test_grid_long_clusters),
	    cmocka_unit_test(test_view_escapes_whole),
	    cmocka_unit_test(test_view_prompt_box),
	    cmocka_unit_test(test_model_events),
	    cmocka_unit_test(test_people_lookalike),
	    cmocka_unit_test(test_history_page),
	    cmocka_unit_test(test_view_delayed_bookmark),
	    cmocka_unit_test(test_search_goto),
	    cmocka_unit_test(test_edit_parts),
	    cmocka_unit_test(test_edit_refused),
	    cmocka_unit_test(test_room_typing),
	    cmocka_unit_test(test_room_read_marks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
