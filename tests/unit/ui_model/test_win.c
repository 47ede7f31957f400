/*
 * test_win.c: ui/model/win.c and prompts.c: unread and highlight counts,
 * the "new since you last looked" marker, the activity order of Alt-A, the
 * scroll lock's "N new" counter, delivery states, closing windows; the
 * prompt rules (a key before the box never answers, Enter never accepts).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "model/people.h"
#include "model/prompts.h"
#include "skeleton.h"
#include "model/win.h"

#include "tests.h"

static struct line
msg(int flags)
{
	struct line l;

	memset(&l, 0, sizeof(l));
	l.kind = LK_MSG;
	l.flags = (uint8_t)flags;
	return l;
}

void
test_win_activity(void **state)
{
	struct winlist wl;
	struct uiwin *bob, *dev;
	struct line l = msg(0), h = msg(LF_HILITE);
	uint64_t s;

	(void)state;
	winlist_init(&wl, 100);
	bob = winlist_open(&wl, WK_CHAT, "a", "bob@x");
	dev = winlist_open(&wl, WK_ROOM, "a", "dev@rooms.x");
	assert_ptr_equal(winlist_open(&wl, WK_CHAT, "a", "BOB@x"), bob);
	assert_int_equal(wl.n, 3);
	s = win_add(bob, 0, &l, "bob", "hi", 2, NULL);
	win_add(bob, 0, &l, "bob", "there", 5, NULL);
	win_add(dev, 0, &h, "carol", "alice: ping", 11, NULL);
	assert_int_equal(bob->unread, 2);
	assert_int_equal(bob->marker, s);
	assert_int_equal(dev->highlight, 1);
	assert_int_equal(winlist_unread_total(&wl), 3);
	/* our own lines are not unread */
	l.flags = LF_OUT;
	win_add(bob, 0, &l, "me", "x", 1, NULL);
	assert_int_equal(bob->unread, 2);
	/* looking at it clears the counts; leaving sets the marker */
	winlist_select(&wl, 1);
	assert_int_equal(bob->unread, 0);
	assert_int_equal(bob->marker, s);
	winlist_select(&wl, 0);
	assert_int_equal(bob->marker, lstore_end(bob->lines));
	winlist_free(&wl);
}

void
test_win_next_active(void **state)
{
	struct winlist wl;
	struct uiwin *a, *b, *c;
	struct line l = msg(0), h = msg(LF_HILITE);

	(void)state;
	winlist_init(&wl, 100);
	a = winlist_open(&wl, WK_CHAT, "x", "a@x");
	b = winlist_open(&wl, WK_CHAT, "x", "b@x");
	c = winlist_open(&wl, WK_CHAT, "x", "c@x");
	assert_int_equal(winlist_next_active(&wl), -1);
	win_add(a, 0, &l, "a", "1", 1, NULL);
	win_add(c, 0, &h, "c", "2", 1, NULL);
	/* highlights first, even when further away */
	assert_int_equal(winlist_next_active(&wl), 3);
	winlist_select(&wl, 3);
	assert_int_equal(winlist_next_active(&wl), 1);
	(void)b;
	winlist_free(&wl);
}

void
test_win_scroll_lock(void **state)
{
	struct winlist wl;
	struct uiwin *w;
	struct line l = msg(0);
	int i;

	(void)state;
	winlist_init(&wl, 100);
	w = winlist_open(&wl, WK_CHAT, "a", "bob@x");
	for (i = 0; i < 10; i++)
		win_add(w, 1, &l, "bob", "x", 1, NULL);
	w->bottom = lstore_first(w->lines) + 3; /* reading older lines */
	for (i = 0; i < 4; i++)
		win_add(w, 1, &l, "bob", "y", 1, NULL);
	assert_int_equal(w->newcount, 4);
	assert_int_equal(w->bottom, lstore_first(w->lines) + 3);
	win_scroll_bottom(w);
	assert_int_equal(w->newcount, 0);
	assert_int_equal(w->bottom, 0);
	/* following the bottom counts nothing */
	win_add(w, 1, &l, "bob", "z", 1, NULL);
	assert_int_equal(w->newcount, 0);
	winlist_free(&wl);
}

void
test_win_delivery(void **state)
{
	struct winlist wl;
	struct uiwin *w;
	struct line l = msg(LF_OUT), *got;
	uint64_t s;

	(void)state;
	winlist_init(&wl, 100);
	w = winlist_open(&wl, WK_CHAT, "a", "bob@x");
	l.state = LS_QUEUED;
	s = win_add(w, 1, &l, "me", "hello", 5, "m-1");
	assert_true(win_set_state(w, "m-1", LS_ACKED));
	got = lstore_get(w->lines, s, NULL);
	assert_int_equal(got->state, LS_ACKED);
	/* never backwards (a late duplicate ack after delivery) */
	assert_true(win_set_state(w, "m-1", LS_DELIVERED));
	assert_true(win_set_state(w, "m-1", LS_ACKED));
	assert_int_equal(got->state, LS_DELIVERED);
	assert_true(win_set_state(w, "m-1", LS_FAILED));
	assert_int_equal(got->state, LS_FAILED);
	assert_false(win_set_state(w, "m-2", LS_ACKED));
	winlist_free(&wl);
}

void
test_win_close(void **state)
{
	struct winlist wl;

	(void)state;
	winlist_init(&wl, 100);
	winlist_open(&wl, WK_CHAT, "a", "a@x");
	winlist_open(&wl, WK_CHAT, "a", "b@x");
	winlist_select(&wl, 2);
	assert_int_equal(winlist_close(&wl, 0), -1); /* the console */
	assert_int_equal(winlist_close(&wl, 2), 0);
	assert_int_equal(wl.n, 2);
	assert_int_equal(wl.cur, 1);
	assert_int_equal(winlist_close(&wl, 5), -1);
	winlist_free(&wl);
}

void
test_prompts_guard(void **state)
{
	struct prompts pq;

	(void)state;
	memset(&pq, 0, sizeof(pq));
	assert_non_null(prompts_add(&pq, "a", "1", "cert-changed", "t"));
	/* not drawn yet: no key answers */
	assert_int_equal(prompts_key(&pq, 'y', 1000), PA_NONE);
	prompts_shown(&pq, 1000);
	/* typed right after it appeared: ignored */
	assert_int_equal(prompts_key(&pq, 'y', 1000), PA_NONE);
	assert_int_equal(prompts_key(&pq, 'y', 1000 + PROMPTS_GUARD_MS - 1),
			 PA_NONE);
	/* Enter alone never accepts, nor any other key */
	assert_int_equal(prompts_key(&pq, '\r', 5000), PA_NONE);
	assert_int_equal(prompts_key(&pq, '\n', 5000), PA_NONE);
	assert_int_equal(prompts_key(&pq, ' ', 5000), PA_NONE);
	assert_int_equal(prompts_key(&pq, 'y', 5000), PA_ACCEPT);
	assert_int_equal(prompts_key(&pq, 'N', 5000), PA_REJECT);
	prompts_free(&pq);
}

void
test_prompts_queue(void **state)
{
	struct prompts pq;
	int i;
	char id[16];

	(void)state;
	memset(&pq, 0, sizeof(pq));
	prompts_add(&pq, "a", "1", "k", "first");
	prompts_add(&pq, "a", "2", "k", "second");
	prompts_shown(&pq, 10);
	prompts_remove(&pq, "1");
	assert_string_equal(prompts_head(&pq)->id, "2");
	/* the next one was never shown: its guard starts when it is */
	assert_int_equal(prompts_head(&pq)->shown_at, 0);
	assert_int_equal(prompts_key(&pq, 'y', 100000), PA_NONE);
	for (i = 0; i < PROMPTS_MAX + 5; i++) {
		snprintf(id, sizeof(id), "x%d", i);
		prompts_add(&pq, "a", id, "k", "t");
	}
	assert_int_equal(pq.n, PROMPTS_MAX);
	assert_string_equal(prompts_head(&pq)->id, "2");
	assert_null(prompts_add(&pq, "a", NULL, "k", "t"));
	prompts_free(&pq);
	assert_null(prompts_head(&pq));
}

void
test_people_lookalike(void **state)
{
	struct people pl;

	(void)state;
	memset(&pl, 0, sizeof(pl));
	people_get(&pl, "alice@good.test");
	people_get(&pl, "bob@good.test");
	people_sort(&pl);
	assert_int_equal(people_find(&pl, "alice@good.test")->flags, 0);
	/* a Cyrillic a (U+0430) */
	people_get(&pl, "\xd0\xb0lice@good.test");
	people_sort(&pl);
	assert_true(people_find(&pl, "alice@good.test")->flags &
		    SKELETON_LOOKALIKE);
	assert_true(people_find(&pl, "\xd0\xb0lice@good.test")->flags &
		    SKELETON_LOOKALIKE);
	assert_false(people_find(&pl, "bob@good.test")->flags &
		     SKELETON_LOOKALIKE);
	assert_true(people_lookalike(&pl, "\xd0\xb0lice@good.test"));
	assert_false(people_lookalike(&pl, "carol@good.test"));
	/* the same name in another case is the same contact */
	assert_false(people_lookalike(&pl, "bob@GOOD.test"));
	people_free(&pl);
	/* the model marks the list on each event (people_touch) and it is
	 * sorted and flagged once, when read (people_ready) */
	people_get(&pl, "zed@good.test");
	people_get(&pl, "\xd0\xb0lice@good.test");
	people_get(&pl, "alice@good.test");
	people_presence(people_find(&pl, "zed@good.test"), "r", "available",
			NULL);
	people_touch(&pl);
	people_ready(&pl);
	assert_string_equal(pl.p[0].key, "zed@good.test"); /* online first */
	assert_string_equal(pl.p[1].key, "alice@good.test");
	assert_true(pl.p[1].flags & SKELETON_LOOKALIKE);
	assert_int_equal(pl.unsorted, 0);
	people_free(&pl);
}

void
test_win_dropped(void **state)
{
	struct winlist wl;
	struct uiwin *w;
	struct line l = msg(0);
	int i;

	(void)state;
	winlist_init(&wl, 16);
	w = winlist_open(&wl, WK_CHAT, "a", "bob@x");
	for (i = 0; i < 16; i++)
		win_add(w, 1, &l, "bob", "x", 1, NULL);
	/* history read back to its start, then lines dropped at the bound:
	 * the cursor would leave a gap, so history starts again */
	w->hist_cursor = strdup("s:1:2");
	w->history_done = 1;
	win_add(w, 1, &l, "bob", "y", 1, NULL);
	assert_null(w->hist_cursor);
	assert_int_equal(w->history_done, 0);
	assert_int_equal(w->page_stale, 0);
	/* a page asked for before the drop is not used */
	w->hist_cursor = strdup("s:1:2");
	w->history_asked = 1;
	win_add(w, 1, &l, "bob", "z", 1, NULL);
	assert_int_equal(w->page_stale, 1);
	assert_null(w->hist_cursor);
	/* lines read back are kept while reading, given back at the end */
	w->page_stale = 0;
	w->history_asked = 0;
	for (i = 0; i < 10; i++)
		assert_true(win_add_old(w, &l, "bob", "old", 3, NULL) != 0);
	assert_int_equal(lstore_count(w->lines), 26);
	w->bottom = lstore_first(w->lines) + 2;
	win_add(w, 1, &l, "bob", "new", 3, NULL);
	assert_int_equal(lstore_count(w->lines), 27);
	win_scroll_bottom(w);
	assert_int_equal(lstore_count(w->lines), 16);
	winlist_free(&wl);
}

/* A window not shown holds WIN_BACKGROUND_LINES; the one shown and the
 * console hold the list's bound; leaving lowers it at the next line. */
void
test_win_background_bound(void **state)
{
	struct winlist wl;
	struct uiwin *w[20], *con;
	struct line l = msg(0);
	char name[32];
	size_t i, k;

	(void)state;
	winlist_init(&wl, 1000);
	con = winlist_current(&wl);
	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "c%zu@x", i);
		w[i] = winlist_open(&wl, WK_CHAT, "a", name);
		for (k = 0; k < 2000; k++)
			win_add(w[i], 0, &l, "c", "a line of text", 14, NULL);
		assert_int_equal(lstore_count(w[i]->lines),
				 WIN_BACKGROUND_LINES);
		assert_int_equal(w[i]->unread,
				 2000); /* counts are not bounded */
	}
	for (k = 0; k < 2000; k++)
		win_add(con, 1, &l, NULL, "ward says", 9, NULL);
	assert_int_equal(lstore_count(con->lines), 1000);
	/* shown: up to the full bound */
	winlist_select(&wl, 1);
	for (k = 0; k < 2000; k++)
		win_add(w[0], 1, &l, "c", "a line of text", 14, NULL);
	assert_int_equal(lstore_count(w[0]->lines), 1000);
	/* left: the console keeps 1000, the chat goes down at its next line */
	winlist_select(&wl, 0);
	assert_int_equal(lstore_count(w[0]->lines), 1000);
	win_add(w[0], 0, &l, "c", "one more", 8, NULL);
	assert_int_equal(lstore_count(w[0]->lines), WIN_BACKGROUND_LINES);
	win_add(con, 1, &l, NULL, "ward says", 9, NULL);
	assert_int_equal(lstore_count(con->lines), 1000);
	/* closing the shown window shows the one before at the full bound */
	winlist_select(&wl, 3);
	winlist_close(&wl, 3);
	assert_ptr_equal(winlist_current(&wl), w[1]);
	for (k = 0; k < 600; k++)
		win_add(w[1], 1, &l, "c", "x", 1, NULL);
	assert_int_equal(lstore_count(w[1]->lines), 800);
	winlist_free(&wl);
}
