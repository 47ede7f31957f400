/*
 * test_page.h: the history paging tests (test_page.c, src/store/store_page.c),
 * run by test_store.c's main as a group of their own.
 */
#ifndef WARD_TEST_STORE_PAGE_H
#define WARD_TEST_STORE_PAGE_H

int run_page_tests(void);

#endif
