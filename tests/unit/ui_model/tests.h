/*
 * tests.h: the ui_model unit tests (line store, windows, prompts, window
 * persistence, the view painted onto the in-memory grid).
 */
#ifndef WARD_TEST_UI_MODEL_H
#define WARD_TEST_UI_MODEL_H

void test_lines_append_get(void **state);
void test_lines_drop_oldest(void **state);
void test_lines_prepend(void **state);
void test_lines_memory(void **state);
void test_lines_find_id(void **state);
void test_win_activity(void **state);
void test_win_background_bound(void **state);
void test_win_next_active(void **state);
void test_win_scroll_lock(void **state);
void test_win_delivery(void **state);
void test_win_close(void **state);
void test_win_dropped(void **state);
void test_prompts_guard(void **state);
void test_prompts_queue(void **state);
void test_winstate_roundtrip(void **state);
void test_winstate_hostile(void **state);
void test_view_hostile_text(void **state);
void test_view_scroll_stable(void **state);
void test_view_tiny(void **state);
void test_grid_long_clusters(void **state);
void test_view_escapes_whole(void **state);
void test_view_prompt_box(void **state);
void test_model_events(void **state);
void test_people_lookalike(void **state);
void test_history_page(void **state);
void test_view_delayed_bookmark(void **state);
void test_search_goto(void **state);
void test_edit_parts(void **state);
void test_edit_refused(void **state);
void test_room_typing(void **state);
void test_room_read_marks(void **state);

#endif
