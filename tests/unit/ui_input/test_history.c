/*
 * test_history.c: input history bounds and duplicates, the Up/Down walk
 * that gives back the edited line, and Ctrl-R search (query, older
 * matches, failing, backspace, cancel).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "input/history.h"
#include "input/winhist.h"
#include "tests.h"

#define ADD(h, s) assert_int_equal(history_add(h, s, strlen(s)), 0)

static void
test_add_bounds(void **state)
{
	struct history *h = history_new(3);
	size_t len;

	(void)state;
	ADD(h, "a");
	ADD(h, "a"); /* a duplicate of the newest */
	ADD(h, "");  /* empty */
	assert_int_equal(history_count(h), 1);
	ADD(h, "b");
	ADD(h, "a"); /* not in a row: kept */
	ADD(h, "c");
	assert_int_equal(history_count(h), 3);
	assert_string_equal(history_get(h, 0, &len), "c");
	assert_int_equal(len, 1);
	assert_string_equal(history_get(h, 2, NULL), "b");
	assert_null(history_get(h, 3, NULL));
	history_free(h);

	h = history_new(0);
	for (int i = 0; i < HISTORY_MAX + 10; i++) {
		char line[16];

		snprintf(line, sizeof(line), "l%d", i);
		ADD(h, line);
	}
	assert_int_equal(history_count(h), HISTORY_MAX);
	assert_string_equal(history_get(h, HISTORY_MAX - 1, NULL), "l10");
	history_free(h);
}

static void
test_walk(void **state)
{
	struct history *h = history_new(0);
	const char *out = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(history_prev(h, "x", 1, &out, &len), 0);
	assert_int_equal(history_next(h, &out, &len), 0);
	ADD(h, "one");
	ADD(h, "two");
	assert_int_equal(history_prev(h, "draft", 5, &out, &len), 1);
	assert_string_equal(out, "two");
	/* The line passed on later steps (the recalled one) is not kept. */
	assert_int_equal(history_prev(h, "two!", 4, &out, &len), 1);
	assert_string_equal(out, "one");
	assert_int_equal(history_prev(h, "one", 3, &out, &len), 0);
	assert_string_equal(out, "one");
	assert_int_equal(history_next(h, &out, &len), 1);
	assert_string_equal(out, "two");
	assert_int_equal(history_next(h, &out, &len), 1);
	assert_string_equal(out, "draft");
	assert_int_equal(len, 5);
	assert_int_equal(history_next(h, &out, &len), 0);
	/* A new walk keeps the new line; adding ends it. */
	assert_int_equal(history_prev(h, "new", 3, &out, &len), 1);
	ADD(h, "three");
	assert_int_equal(history_next(h, &out, &len), 0);
	assert_int_equal(history_prev(h, "", 0, &out, &len), 1);
	assert_string_equal(out, "three");
	history_reset(h);
	assert_int_equal(history_next(h, &out, &len), 0);
	history_free(h);
}

static void
test_search(void **state)
{
	struct history *h = history_new(0);
	struct history_search *s;
	const char *m;
	size_t len, at;

	(void)state;
	ADD(h, "/join dev@rooms.example");
	ADD(h, "hello bob");
	ADD(h, "/msg bob@example.org hi");
	ADD(h, "h\xc3\xa9llo");
	s = history_search_start(h, "draft", 5);
	assert_non_null(s);
	/* No query yet: the kept line. */
	m = history_search_match(s, &len, &at);
	assert_string_equal(m, "draft");
	history_search_type(s, "b", 1);
	m = history_search_match(s, &len, &at);
	assert_string_equal(m, "/msg bob@example.org hi");
	assert_int_equal(at, 7); /* the last occurrence, as readline */
	history_search_type(s, "ob", 2);
	assert_string_equal(history_search_query(s, NULL), "bob");
	assert_string_equal(history_search_match(s, NULL, NULL),
			    "/msg bob@example.org hi");
	assert_int_equal(history_search_again(s), 1);
	m = history_search_match(s, &len, &at);
	assert_string_equal(m, "hello bob");
	assert_int_equal(at, 6);
	/* No older match: failing, the match stays. */
	assert_int_equal(history_search_again(s), 0);
	assert_true(history_search_failing(s));
	assert_string_equal(history_search_match(s, NULL, NULL), "hello bob");
	/* A query that matches nothing. */
	history_search_type(s, "zz", 2);
	assert_true(history_search_failing(s));
	history_search_bspace(s);
	history_search_bspace(s);
	assert_false(history_search_failing(s));
	assert_string_equal(history_search_query(s, NULL), "bob");
	assert_string_equal(history_search_match(s, NULL, NULL),
			    "/msg bob@example.org hi");
	/* Backspace removes a whole character. */
	history_search_bspace(s);
	history_search_bspace(s);
	history_search_bspace(s);
	history_search_type(s, "\xc3\xa9", 2);
	assert_string_equal(history_search_match(s, NULL, &at), "h\xc3\xa9llo");
	assert_int_equal(at, 1);
	history_search_bspace(s);
	assert_string_equal(history_search_query(s, &len), "");
	assert_int_equal(len, 0);
	assert_string_equal(history_search_saved(s, &len), "draft");
	history_search_free(s);
	history_free(h);
}

static void
test_search_query_bounded(void **state)
{
	struct history *h = history_new(0);
	struct history_search *s = history_search_start(h, "", 0);
	char big[HISTORY_QUERY_MAX + 50];
	size_t len;

	(void)state;
	memset(big, 'q', sizeof(big));
	/* A 3-byte character across the bound is not cut. */
	memcpy(big + HISTORY_QUERY_MAX - 1, "\xe6\x97\xa5", 3);
	history_search_type(s, big, sizeof(big));
	history_search_query(s, &len);
	assert_int_equal(len, HISTORY_QUERY_MAX - 1);
	history_search_type(s, "x", 1);
	history_search_type(s, "y", 1);
	history_search_query(s, &len);
	assert_int_equal(len, HISTORY_QUERY_MAX);
	assert_true(history_search_failing(s));
	history_search_free(s);
	history_free(h);
}

/* Up walks the window's own lines first, then the global lines it does
 * not hold; Down comes back the same way to the line being edited; each
 * window has its own; C-r sees the global history. */
static void
test_window_history(void **state)
{
	struct history *g = history_new(0);
	struct winhist *wh = winhist_new(g);
	struct history_search *s;
	const char *out;
	size_t len, at;

	(void)state;
	assert_int_equal(winhist_add(wh, "a", "a1", 2), 0);
	assert_int_equal(winhist_add(wh, "b", "b1", 2), 0);
	assert_int_equal(winhist_add(wh, "a", "a2", 2), 0);
	assert_int_equal(winhist_add(wh, "b", "a1", 2), 0); /* in both */
	assert_int_equal(winhist_add(wh, "b", "b2", 2), 0);
	assert_int_equal(history_count(g), 5);
	assert_int_equal(history_count(winhist_of(wh, "a")), 2);

	/* window a: a2, a1 (its own), then b2, b1 (global, a1 skipped) */
	assert_int_equal(winhist_prev(wh, "a", "typing", 6, &out, &len), 1);
	assert_string_equal(out, "a2");
	assert_int_equal(winhist_prev(wh, "a", "", 0, &out, &len), 1);
	assert_string_equal(out, "a1");
	assert_int_equal(winhist_prev(wh, "a", "", 0, &out, &len), 1);
	assert_string_equal(out, "b2");
	assert_int_equal(winhist_prev(wh, "a", "", 0, &out, &len), 1);
	assert_string_equal(out, "b1");
	assert_int_equal(winhist_prev(wh, "a", "", 0, &out, &len), 0);
	assert_string_equal(out, "b1");
	/* and back down */
	assert_int_equal(winhist_next(wh, &out, &len), 1);
	assert_string_equal(out, "b2");
	assert_int_equal(winhist_next(wh, &out, &len), 1);
	assert_string_equal(out, "a1");
	assert_int_equal(winhist_next(wh, &out, &len), 1);
	assert_string_equal(out, "a2");
	assert_int_equal(winhist_next(wh, &out, &len), 1);
	assert_string_equal(out, "typing");
	assert_int_equal(len, 6);
	assert_int_equal(winhist_next(wh, &out, &len), 0);

	/* window b: b2, a1, b1, then a2 */
	assert_int_equal(winhist_prev(wh, "b", "", 0, &out, &len), 1);
	assert_string_equal(out, "b2");
	assert_int_equal(winhist_prev(wh, "b", "", 0, &out, &len), 1);
	assert_string_equal(out, "a1");
	assert_int_equal(winhist_prev(wh, "b", "", 0, &out, &len), 1);
	assert_string_equal(out, "b1");
	assert_int_equal(winhist_prev(wh, "b", "", 0, &out, &len), 1);
	assert_string_equal(out, "a2");
	/* a walk begun elsewhere ends when another window walks */
	assert_int_equal(winhist_prev(wh, "a", "x", 1, &out, &len), 1);
	assert_string_equal(out, "a2");
	winhist_reset(wh);

	/* a new window has no lines of its own: the global ones, newest
	 * first */
	assert_int_equal(winhist_prev(wh, "c", "", 0, &out, &len), 1);
	assert_string_equal(out, "b2");
	assert_int_equal(winhist_next(wh, &out, &len), 1);
	assert_string_equal(out, "");
	assert_int_equal(winhist_next(wh, &out, &len), 0);

	/* Ctrl-R searches everything typed in any window */
	s = history_search_start(g, "", 0);
	history_search_type(s, "a2", 2);
	assert_false(history_search_failing(s));
	assert_string_equal(history_search_match(s, &len, &at), "a2");
	history_search_free(s);

	winhist_free(wh);
	history_free(g);
}

/* Histories of many windows stay bounded. */
static void
test_window_history_bounded(void **state)
{
	struct history *g = history_new(0);
	struct winhist *wh = winhist_new(g);
	char key[16];
	const char *out;
	size_t len;

	(void)state;
	for (int i = 0; i < WINHIST_MAX_WINDOWS + 10; i++) {
		snprintf(key, sizeof(key), "w%d", i);
		assert_int_equal(winhist_add(wh, key, key, strlen(key)), 0);
	}
	/* the first windows' own lines went; the global ones stay */
	assert_int_equal(winhist_prev(wh, "w0", "", 0, &out, &len), 1);
	snprintf(key, sizeof(key), "w%d", WINHIST_MAX_WINDOWS + 9);
	assert_string_equal(out, key);
	winhist_free(wh);
	history_free(g);
}

int
history_tests(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_add_bounds),
	    cmocka_unit_test(test_walk),
	    cmocka_unit_test(test_search),
	    cmocka_unit_test(test_search_query_bounded),
	    cmocka_unit_test(test_window_history),
	    cmocka_unit_test(test_window_history_bounded),
	};

	return cmocka_run_group_tests_name("history", tests, NULL, NULL);
}
