/*
 * tests.h: the test functions of the ui_text unit test binary, one file
 * per ui/text module; main.c runs them all.
 */
#ifndef WARD_TEST_UI_TEXT_H
#define WARD_TEST_UI_TEXT_H

void test_decode(void **state);
void test_encode(void **state);
void test_cp_width(void **state);
void test_clusters(void **state);
void test_zalgo_and_width(void **state);
void test_fit(void **state);
void test_grapheme_conformance(void **state);
void test_ambiguous(void **state);

void test_display_plain(void **state);
void test_display_controls(void **state);
void test_display_newline_tab(void **state);
void test_display_bidi_invisible(void **state);
void test_display_invalid_utf8(void **state);
void test_display_combining(void **state);
void test_display_cap(void **state);
void test_display_strip_marks(void **state);
void test_wrap_spaces(void **state);
void test_wrap_hanging(void **state);
void test_wrap_long_words(void **state);
void test_wrap_cjk(void **state);
void test_wrap_newlines_escapes(void **state);
void test_wrap_fit(void **state);
void test_skeleton_make(void **state);
void test_skeleton_collide(void **state);
void test_skeleton_mixed(void **state);
void test_skeleton_check(void **state);
void test_colour_xep0392(void **state);
void test_colour_palette(void **state);
void test_colour_terminal(void **state);

#endif
