/*
 * test_loop.c: the event loop's timers. Due timers fire earliest first and,
 * when equally due, in the order they were added, whatever a cancellation
 * did to the table; a deferred free added before the quit timer runs
 * before the loop ends.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "loop.h"

struct order {
	struct loop *l;
	char seen[32];
	size_t n;
};

static struct order *ord;

static void
fire(void *arg)
{
	ord->seen[ord->n++] = *(const char *)arg;
}

static void
fire_quit(void *arg)
{
	fire(arg);
	loop_quit(ord->l, 0);
}

static void
test_equal_due_in_added_order(void **state)
{
	static const char names[] = "abcdefgh";
	struct order o = {0};
	uint64_t ids[8];
	size_t i;

	(void)state;
	ord = &o;
	o.l = loop_new();
	for (i = 0; i < 8; i++)
		ids[i] = loop_timer_add(o.l, 0, fire, (void *)&names[i]);
	/* cancelling moves the last entries around in the table */
	loop_timer_cancel(o.l, ids[1]);
	loop_timer_cancel(o.l, ids[4]);
	loop_timer_add(o.l, 0, fire_quit, (void *)"q");
	assert_int_equal(loop_run(o.l), 0);
	o.seen[o.n] = '\0';
	assert_string_equal(o.seen, "acdfghq");
	loop_free(o.l);
}

static void
test_earlier_due_first(void **state)
{
	struct order o = {0};

	(void)state;
	ord = &o;
	o.l = loop_new();
	loop_timer_add(o.l, 30, fire_quit, (void *)"3");
	loop_timer_add(o.l, 20, fire, (void *)"2");
	loop_timer_add(o.l, 0, fire, (void *)"0");
	loop_timer_add(o.l, 10, fire, (void *)"1");
	assert_int_equal(loop_run(o.l), 0);
	o.seen[o.n] = '\0';
	assert_string_equal(o.seen, "0123");
	loop_free(o.l);
}

/* ward_quit's pattern: frees deferred to a 0 ms timer, then the quit. */
static void
test_deferred_free_before_quit(void **state)
{
	struct order o = {0};
	uint64_t a, b;

	(void)state;
	ord = &o;
	o.l = loop_new();
	a = loop_timer_add(o.l, 0, fire, (void *)"x");
	b = loop_timer_add(o.l, 0, fire, (void *)"y");
	loop_timer_add(o.l, 0, fire, (void *)"f");
	loop_timer_cancel(o.l, a); /* "f" moves to the front of the table */
	loop_timer_cancel(o.l, b);
	loop_timer_add(o.l, 0, fire, (void *)"g");
	loop_timer_add(o.l, 0, fire_quit, (void *)"q");
	assert_int_equal(loop_run(o.l), 0);
	o.seen[o.n] = '\0';
	assert_string_equal(o.seen, "fgq");
	loop_free(o.l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_equal_due_in_added_order),
	    cmocka_unit_test(test_earlier_due_first),
	    cmocka_unit_test(test_deferred_free_before_quit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
