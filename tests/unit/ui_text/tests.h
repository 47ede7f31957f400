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

#endif
