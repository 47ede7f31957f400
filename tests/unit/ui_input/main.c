/*
 * main.c: runs every group of the ui_input unit tests (key decoder, key
 * names, key map, editor, history, completion); fails if any fails.
 */
#include "tests.h"

int
main(void)
{
	int fails = 0;

	fails += keydec_tests();
	fails += keyname_tests();
	fails += keymap_tests();
	fails += editor_tests();
	fails += history_tests();
	fails += complete_tests();
	return fails != 0;
}
