/*
 * tests.h: the groups of the ui_input unit test binary (one per module
 * of ui/input/), run in turn by main.c.
 */
#ifndef WARD_TEST_UI_INPUT_H
#define WARD_TEST_UI_INPUT_H

int keydec_tests(void);
int keyname_tests(void);
int keymap_tests(void);
int editor_tests(void);
int history_tests(void);
int complete_tests(void);

#endif
