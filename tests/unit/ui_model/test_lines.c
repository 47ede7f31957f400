/*
 * test_lines.c: ui/model/lines.c: append and read back, the bound (oldest
 * dropped, sequence numbers kept), paging older lines in front, the memory
 * per line, finding an outgoing message by id.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "model/lines.h"

#include "tests.h"

static struct line
tmpl(int64_t t)
{
	struct line l;

	memset(&l, 0, sizeof(l));
	l.time = t;
	l.kind = LK_MSG;
	return l;
}

void
test_lines_append_get(void **state)
{
	struct lstore *ls = lstore_new(100);
	struct line t = tmpl(5), *l;
	const char *text;
	uint64_t a, b;

	(void)state;
	a = lstore_append(ls, &t, "hello", 5, "id-1");
	b = lstore_append(ls, &t, "world!", 6, NULL);
	assert_int_equal(b, a + 1);
	assert_int_equal(lstore_count(ls), 2);
	l = lstore_get(ls, a, &text);
	assert_non_null(l);
	assert_int_equal(l->len, 5);
	assert_memory_equal(text, "hello", 5);
	/* the id is kept as a hash, for matching */
	assert_true(l->idhash != 0);
	assert_int_equal(lstore_find_id(ls, "id-1", 10), a);
	l = lstore_get(ls, b, &text);
	assert_int_equal(l->idhash, 0);
	assert_memory_equal(text, "world!", 6);
	assert_null(lstore_get(ls, b + 1, NULL));
	assert_null(lstore_get(ls, a - 1, NULL));
	lstore_free(ls);
}

void
test_lines_drop_oldest(void **state)
{
	struct lstore *ls = lstore_new(16);
	struct line t = tmpl(1);
	const char *text;
	char buf[32];
	uint64_t first = 0, seq = 0;
	int i;

	(void)state;
	for (i = 0; i < 1000; i++) {
		snprintf(buf, sizeof(buf), "line %d", i);
		seq = lstore_append(ls, &t, buf, strlen(buf), NULL);
		if (i == 0)
			first = seq;
	}
	assert_int_equal(lstore_count(ls), 16);
	assert_int_equal(lstore_first(ls), first + 1000 - 16);
	assert_int_equal(lstore_end(ls), seq + 1);
	assert_non_null(lstore_get(ls, seq, &text));
	assert_memory_equal(text, "line 999", 8);
	assert_non_null(lstore_get(ls, lstore_first(ls), &text));
	assert_memory_equal(text, "line 984", 8);
	/* dropped text does not pile up in the arena */
	assert_true(lstore_bytes(ls) < 16 * 1024);
	lstore_free(ls);
	/* empty lines only (the arena may never be allocated): the fuzzer's
	 * first find */
	ls = lstore_new(16);
	for (i = 0; i < 100; i++)
		assert_true(lstore_append(ls, &t, "", 0, NULL) != 0);
	assert_int_equal(lstore_count(ls), 16);
	lstore_free(ls);
}

void
test_lines_prepend(void **state)
{
	struct lstore *ls = lstore_new(16);
	struct line t = tmpl(1);
	const char *text;
	uint64_t a, old;
	int i;

	(void)state;
	a = lstore_append(ls, &t, "newest", 6, NULL);
	old = lstore_prepend(ls, &t, "older", 5, NULL);
	assert_int_equal(old, a - 1);
	assert_int_equal(lstore_first(ls), old);
	assert_non_null(lstore_get(ls, old, &text));
	assert_memory_equal(text, "older", 5);
	/* the line numbered a is still the same line */
	assert_non_null(lstore_get(ls, a, &text));
	assert_memory_equal(text, "newest", 6);
	/* lines read back are held beyond the bound, and a new line does
	 * not drop them while they may be on screen */
	for (i = 0; i < 100; i++)
		lstore_prepend(ls, &t, "x", 1, NULL);
	assert_int_equal(lstore_count(ls), 102);
	assert_true(lstore_append(ls, &t, "new", 3, NULL) != 0);
	assert_int_equal(lstore_count(ls), 103);
	assert_int_equal(lstore_first(ls), old - 100);
	/* back at the bottom: trimmed to the bound, newest kept */
	assert_int_equal(lstore_trim(ls), 103 - 16);
	assert_int_equal(lstore_count(ls), 16);
	assert_non_null(lstore_get(ls, lstore_end(ls) - 1, &text));
	assert_memory_equal(text, "new", 3);
	assert_non_null(lstore_get(ls, a, &text));
	assert_memory_equal(text, "newest", 6);
	assert_true(lstore_bytes(ls) < 16 * 1024);
	/* and appending drops the oldest again at the bound */
	lstore_append(ls, &t, "newer", 5, NULL);
	assert_int_equal(lstore_count(ls), 16);
	/* reading back stops at max + LINES_PAGED_MAX */
	for (i = 0; i < LINES_PAGED_MAX + 10; i++)
		if (lstore_prepend(ls, &t, "x", 1, NULL) == 0)
			break;
	assert_int_equal(lstore_count(ls), 16 + LINES_PAGED_MAX);
	assert_int_equal(lstore_prepend(ls, &t, "x", 1, NULL), 0);
	lstore_free(ls);
}

void
test_lines_memory(void **state)
{
	struct lstore *ls = lstore_new(100000);
	struct line t = tmpl(1);
	char body[40], id[40];
	size_t i, text = 0, per;

	(void)state;
	assert_true(sizeof(struct line) <= 48);
	for (i = 0; i < 100000; i++) {
		snprintf(body, sizeof(body), "message number %zu here", i);
		/* a UUID-sized id, as most clients send */
		snprintf(id, sizeof(id), "5f0c1d2e-3a4b-4c5d-8e9f-%012zu", i);
		lstore_append(ls, &t, body, strlen(body), id);
		text += strlen(body);
	}
	/* beyond its text, a line costs its record plus the ring's and
	 * arena's slack, whatever its id: at most 48 bytes */
	per = (lstore_bytes(ls) - text) / 100000;
	assert_true(per <= 48);
	lstore_free(ls);
}

void
test_lines_find_id(void **state)
{
	struct lstore *ls = lstore_new(100);
	struct line t = tmpl(1);
	uint64_t a;

	(void)state;
	lstore_append(ls, &t, "a", 1, "abc");
	a = lstore_append(ls, &t, "b", 1, "abcd");
	lstore_append(ls, &t, "c", 1, NULL);
	assert_int_equal(lstore_find_id(ls, "abcd", 10), a);
	assert_int_equal(lstore_find_id(ls, "ab", 10), 0);
	assert_int_equal(lstore_find_id(ls, "", 10), 0);
	assert_int_equal(lstore_find_id(ls, "abc", 1), 0); /* beyond limit */
	lstore_free(ls);
}
