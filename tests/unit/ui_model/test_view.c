/*
 * test_view.c: the view painted onto the in-memory grid (no curses):
 * hostile text (CR, BS, ESC/CSI/OSC 52, C1, bidi, zero-width) never puts a
 * control byte in a cell, is shown escaped in the distinct attribute and
 * cannot move text to another row; scrolling up holds the view still while
 * lines arrive; tiny terminals do not crash; events update the model.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "event.h"
#include "model/model.h"
#include "view/grid.h"
#include "view/view.h"

#include "tests.h"

static void
message(struct model *m, const char *from, const char *body)
{
	struct event ev;

	event_init(&ev, EV_MESSAGE, "home");
	event_str(&ev, "from", from);
	event_str(&ev, "to", "alice@good.test/ward");
	event_str(&ev, "type", "chat");
	event_str(&ev, "id", "x");
	event_str(&ev, "body", body);
	event_str(&ev, "encryption", "none");
	event_str(&ev, "trust", "none");
	m->now = 1700000000000;
	model_event(m, &ev);
}

/* Row r of the grid as UTF-8 (cells joined). */
static void
row_text(const struct grid *g, int r, char *out, size_t size)
{
	size_t o = 0;
	int c;

	for (c = 0; c < g->cols; c++) {
		const struct gcell *x = grid_cell(g, r, c);
		if (x->len && o + x->len + 1 < size) {
			memcpy(out + o, x->b, x->len);
			o += x->len;
		}
	}
	out[o] = '\0';
}

static int
find_row(const struct grid *g, const char *s)
{
	char buf[4096];
	int r;

	for (r = 0; r < g->rows; r++) {
		row_text(g, r, buf, sizeof(buf));
		if (strstr(buf, s) != NULL)
			return r;
	}
	return -1;
}

static void
assert_clean(const struct grid *g)
{
	int r, c;
	uint8_t i;

	for (r = 0; r < g->rows; r++)
		for (c = 0; c < g->cols; c++) {
			const struct gcell *x = grid_cell(g, r, c);
			for (i = 0; i < x->len; i++) {
				unsigned char b = (unsigned char)x->b[i];
				assert_true(b >= 0x20 && b != 0x7f);
				/* no C1 (U+0080-009F is c2 80..c2 9f) */
				if (b == 0xc2 && i + 1 < x->len)
					assert_true(
					    (unsigned char)x->b[i + 1] >= 0xa0);
			}
			/* no bidi control U+202A-202E (e2 80 aa..ae) */
			if (x->len == 3 && (unsigned char)x->b[0] == 0xe2 &&
			    (unsigned char)x->b[1] == 0x80)
				assert_false((unsigned char)x->b[2] >= 0xaa &&
					     (unsigned char)x->b[2] <= 0xae);
		}
}

static void
paint(struct grid *g, struct model *m, int rows, int cols)
{
	struct view_opts o = {0};
	struct view_input in = {"", 0, 0, NULL};

	assert_int_equal(grid_resize(g, rows, cols), 0);
	view_paint(g, m, &o, &in, 1);
}

void
test_view_hostile_text(void **state)
{
	struct model m;
	struct grid g = {0};
	char buf[4096];
	int r, c, esc_seen = 0;

	(void)state;
	model_init(&m, "home", "alice@good.test", 100);
	message(&m, "mallory@evil.test/x", "hi\r12:00 bob: pay me");
	message(&m, "mallory@evil.test/x",
		"a\x1b]52;c;aGVsbG8=\x07 b\x08\x08\x08 c\xc2\x9b"
		"31m d");
	message(&m, "mal\xe2\x80\xaelory@evil.test/x",
		"look \xe2\x80\xae"
		"exe.txt and zero\xe2\x80\x8bwidth");
	model_select(&m, 1);
	paint(&g, &m, 24, 100);
	assert_clean(&g);
	if (getenv("UI_TEST_DUMP") != NULL)
		for (r = 0; r < g.rows; r++) {
			row_text(&g, r, buf, sizeof(buf));
			printf("|%s|\n", buf);
		}
	/* the CR is shown, and what follows it stays on the same row */
	r = find_row(&g, "hi^M12:00 bob: pay me");
	assert_true(r >= 0);
	for (c = 0; c < g.cols; c++)
		if (grid_cell(&g, r, c)->attr & GA_ESC)
			esc_seen = 1;
	assert_true(esc_seen);
	assert_true(find_row(&g, "^[]52;c;aGVsbG8=^G") >= 0);
	/* the window of a bidi-spoofed JID shows the control in its name */
	model_select(&m, 2);
	paint(&g, &m, 24, 100);
	assert_clean(&g);
	assert_true(find_row(&g, "<U+202E>exe.txt") >= 0);
	row_text(&g, g.rows - 2, buf, sizeof(buf));
	assert_non_null(strstr(buf, "<U+202E>"));
	grid_free(&g);
	model_free(&m);
}

void
test_view_scroll_stable(void **state)
{
	struct model m;
	struct grid g = {0};
	struct view_opts o = {0};
	struct view_input in = {"", 0, 0, NULL};
	struct view_geom vg;
	char top[4096], again[4096], body[64];
	int i;

	(void)state;
	model_init(&m, "home", "alice@good.test", 1000);
	for (i = 0; i < 200; i++) {
		snprintf(body, sizeof(body), "message %d", i);
		message(&m, "bob@good.test/p", body);
	}
	model_select(&m, 1);
	paint(&g, &m, 24, 80);
	view_geom(&g, &o, &in, &vg);
	assert_true(find_row(&g, "message 199") >= 0);
	view_scroll(&m, &vg, vg.chat_rows / 2);
	view_paint(&g, &m, &o, &in, 1);
	assert_true(find_row(&g, "message 199") < 0);
	row_text(&g, vg.chat_top + 2, top, sizeof(top));
	for (i = 0; i < 5; i++)
		message(&m, "bob@good.test/p", "arrived while reading");
	view_paint(&g, &m, &o, &in, 0);
	row_text(&g, vg.chat_top + 2, again, sizeof(again));
	assert_string_equal(top, again);
	assert_true(find_row(&g, "5 new below") >= 0);
	/* to the top: the oldest held line is on the first chat row */
	view_scroll_top(&m, &vg);
	view_paint(&g, &m, &o, &in, 1);
	assert_true(find_row(&g, "message 0") >= 0);
	/* down again past the end follows the bottom */
	view_scroll(&m, &vg, -100000);
	view_paint(&g, &m, &o, &in, 1);
	assert_true(find_row(&g, "arrived while reading") >= 0);
	assert_int_equal(m.wl.w[1]->newcount, 0);
	grid_free(&g);
	model_free(&m);
}

void
test_view_tiny(void **state)
{
	struct model m;
	struct grid g = {0};
	int r, c;

	(void)state;
	model_init(&m, "home", "alice@good.test", 100);
	message(&m, "bob@good.test/p",
		"a fairly long message to wrap "
		"\xe4\xbd\xa0\xe5\xa5\xbd\xe4\xb8\x96\xe7\x95\x8c wide");
	model_select(&m, 1);
	for (r = 1; r <= 8; r++)
		for (c = 1; c <= 30; c++) {
			paint(&g, &m, r, c);
			assert_clean(&g);
		}
	paint(&g, &m, 5, 30);
	assert_true(find_row(&g, "terminal too small") == 0);
	paint(&g, &m, 6, 20);
	assert_true(find_row(&g, "terminal too small") < 0);
	grid_free(&g);
	model_free(&m);
}

void
test_model_events(void **state)
{
	struct model m;
	struct event ev;
	struct uiwin *w;
	struct line *l;

	(void)state;
	model_init(&m, "home", "alice@good.test", 100);
	m.pending_to = strdup("bob@good.test");
	m.pending_body = strdup("hello");
	event_init(&ev, EV_QUEUED, "home");
	event_str(&ev, "id", "q1");
	event_str(&ev, "to", "bob@good.test");
	event_str(&ev, "encryption", "omemo");
	model_event(&m, &ev);
	w = winlist_find(&m.wl, WK_CHAT, "home", "bob@good.test");
	assert_non_null(w);
	assert_int_equal(w->enc, WE_OMEMO);
	l = lstore_get(w->lines, lstore_end(w->lines) - 1, NULL);
	assert_int_equal(l->state, LS_QUEUED);
	event_init(&ev, EV_ACKED, "home");
	event_str(&ev, "id", "q1");
	event_str(&ev, "to", "bob@good.test");
	model_event(&m, &ev);
	assert_int_equal(l->state, LS_ACKED);
	/* a failure with its id marks the line and says why in the window */
	event_init(&ev, EV_ERROR, "home");
	event_str(&ev, "code", "omemo-unavailable");
	event_str(&ev, "text", "no device");
	event_str(&ev, "jid", "bob@good.test");
	event_str(&ev, "id", "q1");
	model_event(&m, &ev);
	assert_int_equal(l->state, LS_FAILED);
	/* a prompt queues */
	event_init(&ev, EV_PROMPT, "home");
	event_str(&ev, "id", "7");
	event_str(&ev, "kind", "cert-changed");
	event_str(&ev, "text", "The TLS key changed.");
	event_str(&ev, "spki_sha256",
		  "00112233445566778899aabbccddeeff"
		  "00112233445566778899aabbccddeeff");
	model_event(&m, &ev);
	assert_non_null(prompts_head(&m.pq));
	assert_string_equal(prompts_head(&m.pq)->id, "7");
	/* room join opens a room window; a groupchat message goes there */
	event_init(&ev, EV_ROOM, "home");
	event_str(&ev, "room", "dev@rooms.good.test");
	event_str(&ev, "nick", "alice");
	event_str(&ev, "state", "joined");
	model_event(&m, &ev);
	w = winlist_find(&m.wl, WK_ROOM, "home", "dev@rooms.good.test");
	assert_non_null(w);
	assert_true(w->joined);
	event_init(&ev, EV_MESSAGE, "home");
	event_str(&ev, "from", "dev@rooms.good.test/carol");
	event_str(&ev, "to", "alice@good.test/ward");
	event_str(&ev, "type", "groupchat");
	event_str(&ev, "body", "alice: look");
	event_str(&ev, "encryption", "none");
	model_event(&m, &ev);
	assert_int_equal(w->unread, 1);
	assert_int_equal(w->highlight, 1);
	/* a private message from an occupant opens its own window */
	event_init(&ev, EV_MESSAGE, "home");
	event_str(&ev, "from", "dev@rooms.good.test/carol");
	event_str(&ev, "to", "alice@good.test/ward");
	event_str(&ev, "type", "chat");
	event_str(&ev, "body", "psst");
	event_str(&ev, "encryption", "none");
	model_event(&m, &ev);
	assert_non_null(
	    winlist_find(&m.wl, WK_PRIV, "home", "dev@rooms.good.test/carol"));
	model_free(&m);
}

static void
hist_row(struct model *m, const char *body, long long ts, const char *cursor)
{
	struct event ev;

	event_init(&ev, EV_HISTORY, "home");
	event_str(&ev, "with", "bob@good.test");
	event_str(&ev, "from", "bob@good.test/p");
	event_str(&ev, "to", "alice@good.test");
	event_str(&ev, "type", "chat");
	event_str(&ev, "body", body);
	event_str(&ev, "encryption", "none");
	event_bool(&ev, "outgoing", 0);
	event_int(&ev, "ts", ts);
	event_str(&ev, "cursor", cursor);
	model_event(m, &ev);
}

void
test_history_page(void **state)
{
	struct model m;
	struct uiwin *w;
	struct event ev;
	const char *text;
	uint64_t s;

	(void)state;
	model_init(&m, "home", "alice@good.test", 100);
	message(&m, "bob@good.test/p", "held one"); /* time 1700000000000 */
	w = winlist_find(&m.wl, WK_CHAT, "home", "bob@good.test");
	assert_non_null(w);
	s = lstore_first(w->lines);
	/* a page, oldest first: two older rows, one at the same millisecond
	 * as the held line but another text, and the held line itself */
	hist_row(&m, "older 1", 1690000000000, "c1");
	hist_row(&m, "older 2", 1699999999999, "c2");
	hist_row(&m, "same ms, other text", 1700000000000, "c3");
	hist_row(&m, "held one", 1700000000000, "c4");
	hist_row(&m, "newer, held", 1700000000001, "c5");
	event_init(&ev, EV_HISTORY_END, "home");
	event_str(&ev, "with", "bob@good.test");
	event_str(&ev, "cursor", "c1");
	event_str(&ev, "source", "store");
	event_bool(&ev, "complete", 0);
	model_event(&m, &ev);
	assert_int_equal(lstore_count(w->lines), 4);
	/* the held line keeps its number; the old ones are above, in order */
	assert_non_null(lstore_get(w->lines, s, &text));
	assert_memory_equal(text, "held one", 8);
	lstore_get(w->lines, s - 1, &text);
	assert_memory_equal(text, "same ms, other text", 19);
	lstore_get(w->lines, s - 3, &text);
	assert_memory_equal(text, "older 1", 7);
	assert_string_equal(w->hist_cursor, "c1");
	assert_false(w->history_done);
	/* the end of the archive */
	event_init(&ev, EV_HISTORY_END, "home");
	event_str(&ev, "with", "bob@good.test");
	event_str(&ev, "cursor", NULL);
	event_str(&ev, "source", "archive");
	event_bool(&ev, "complete", 1);
	model_event(&m, &ev);
	assert_true(w->history_done);
	model_free(&m);
}
