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

/* Every run of escaped cells on every row is made of whole escapes
 * (<U+XXXX>, ^X, \xNN): a row break or a cut never splits one. */
static void
assert_escapes_whole(const struct grid *g)
{
	char run[512];
	size_t n, i;
	int r, c;

	for (r = 0; r < g->rows; r++) {
		for (c = 0; c < g->cols;) {
			if (!(grid_cell(g, r, c)->attr & GA_ESC)) {
				c++;
				continue;
			}
			n = 0;
			while (c < g->cols &&
			       (grid_cell(g, r, c)->attr & GA_ESC)) {
				const struct gcell *x = grid_cell(g, r, c);
				if (x->len && n + x->len < sizeof(run)) {
					memcpy(run + n, x->b, x->len);
					n += x->len;
				}
				c++;
			}
			run[n] = '\0';
			for (i = 0; i < n;) {
				if (run[i] == '^') {
					assert_true(i + 1 < n);
					i += 2;
				} else if (run[i] == '\\') {
					assert_true(i + 3 < n + 1 &&
						    run[i + 1] == 'x');
					i += 4;
				} else if (run[i] == '<') {
					char *end = strchr(run + i, '>');
					if (end == NULL ||
					    strncmp(run + i, "<U+", 3))
						fail_msg("a cut escape on row "
							 "%d: %s",
							 r, run);
					i = (size_t)(end - run) + 1;
				} else if (run[i] == '.') {
					i++; /* the "..." of a cut string */
				} else {
					fail_msg("a cut escape on row %d: %s",
						 r, run);
				}
			}
		}
	}
}

/* Bodies and a prompt made of escapes, at widths that fall inside them:
 * the chat view and the prompt box wrap with ui/text/wrap.c and never
 * split one. */
void
test_view_escapes_whole(void **state)
{
	struct model m;
	struct grid g = {0};
	struct event ev;
	char body[600];
	size_t o = 0;
	int cols;

	(void)state;
	model_init(&m, "home", "alice@good.test", 100);
	while (o + 16 < sizeof(body)) {
		memcpy(body + o, "\xe2\x80\xae\x1b\xc2\x9bx\x01", 9);
		o += 9;
	}
	body[o] = '\0';
	message(&m, "mallory@evil.test/x", body);
	model_select(&m, 1);
	for (cols = 20; cols <= 61; cols += 7) {
		paint(&g, &m, 30, cols);
		assert_clean(&g);
		assert_escapes_whole(&g);
	}
	event_init(&ev, EV_PROMPT, "home");
	event_str(&ev, "id", "9");
	event_str(&ev, "kind", "subscription");
	event_str(&ev, "text", body);
	model_event(&m, &ev);
	assert_non_null(prompts_head(&m.pq));
	for (cols = 20; cols <= 61; cols += 7) {
		paint(&g, &m, 30, cols);
		assert_clean(&g);
		assert_escapes_whole(&g);
	}
	grid_free(&g);
	model_free(&m);
}

/* The prompt box states the stakes: the old and new keys grouped in
 * blocks of 8 digits, who vouches, how to answer (Enter does not). */
void
test_view_prompt_box(void **state)
{
	struct model m;
	struct grid g = {0};
	struct event ev;

	(void)state;
	model_init(&m, "home", "alice@good.test", 100);
	event_init(&ev, EV_PROMPT, "home");
	event_str(&ev, "id", "12");
	event_str(&ev, "kind", "cert-changed");
	event_str(&ev, "text", "The server's TLS key changed since last time.");
	event_str(&ev, "old_spki_sha256",
		  "00112233445566778899aabbccddeeff"
		  "00112233445566778899aabbccddeeff");
	event_str(&ev, "spki_sha256",
		  "ffeeddccbbaa99887766554433221100"
		  "ffeeddccbbaa99887766554433221100");
	event_str(&ev, "vouched_by", "ca");
	model_event(&m, &ev);
	paint(&g, &m, 30, 100);
	assert_clean(&g);
	assert_true(find_row(&g, "Decision needed (1 waiting): cert-changed") >=
		    0);
	assert_true(find_row(&g, "The server's TLS key changed") >= 0);
	assert_true(find_row(&g, "pinned key    00112233 44556677 8899aabb "
				 "ccddeeff 00112233") >= 0);
	assert_true(find_row(&g, "new key       ffeeddcc bbaa9988 77665544 "
				 "33221100 ffeeddcc") >= 0);
	assert_true(find_row(&g, "vouched for by ca") >= 0);
	assert_true(find_row(&g, "y accept") >= 0);
	assert_true(find_row(&g, "/reject 12") >= 0);
	assert_true(find_row(&g, "Enter does not answer") >= 0);
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
	event_init(&ev, EV_QUEUED, "home");
	event_str(&ev, "id", "q1");
	event_str(&ev, "to", "bob@good.test");
	event_str(&ev, "encryption", "omemo");
	event_str(&ev, "body", "hello from the queue");
	model_event(&m, &ev);
	w = winlist_find(&m.wl, WK_CHAT, "home", "bob@good.test");
	assert_non_null(w);
	assert_int_equal(w->enc, WE_OMEMO);
	{
		const char *text;
		l = lstore_get(w->lines, lstore_end(w->lines) - 1, &text);
		/* the queued event's body is the line's text */
		assert_int_equal(l->len, strlen("hello from the queue"));
		assert_memory_equal(text, "hello from the queue", l->len);
	}
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

/* XEP-0203: a delayed message shows the sender's time, marked with '~';
 * a bookmark event is a line in the status window. */
void
test_view_delayed_bookmark(void **state)
{
	struct model m;
	struct event ev;
	struct grid g = {0};
	struct uiwin *w;
	struct line *l;
	const char *text;
	char buf[4096];
	int r;

	(void)state;
	model_init(&m, "home", "alice@good.test", 100);
	m.now = 1700000000000;
	event_init(&ev, EV_MESSAGE, "home");
	event_str(&ev, "from", "bob@good.test/x");
	event_str(&ev, "to", "alice@good.test/ward");
	event_str(&ev, "type", "chat");
	event_str(&ev, "body", "sent while you were away");
	event_str(&ev, "encryption", "none");
	event_int(&ev, "ts", 1699990000000);
	event_bool(&ev, "delayed", 1);
	model_event(&m, &ev);
	w = winlist_find(&m.wl, WK_CHAT, "home", "bob@good.test");
	assert_non_null(w);
	l = lstore_get(w->lines, lstore_end(w->lines) - 1, NULL);
	assert_true(l->time == 1699990000000);
	assert_true(l->flags2 & LF2_DELAYED);
	for (size_t i = 0; i < m.wl.n; i++)
		if (m.wl.w[i] == w)
			winlist_select(&m.wl, i);
	paint(&g, &m, 24, 80);
	r = find_row(&g, "sent while you were away");
	assert_true(r >= 0);
	row_text(&g, r, buf, sizeof(buf));
	assert_non_null(strchr(buf, '~'));
	/* not delayed: the time of receipt, no mark */
	event_init(&ev, EV_MESSAGE, "home");
	event_str(&ev, "from", "bob@good.test/x");
	event_str(&ev, "to", "alice@good.test/ward");
	event_str(&ev, "type", "chat");
	event_str(&ev, "body", "live now");
	event_str(&ev, "encryption", "none");
	event_int(&ev, "ts", 1000);
	event_bool(&ev, "delayed", 0);
	model_event(&m, &ev);
	l = lstore_get(w->lines, lstore_end(w->lines) - 1, NULL);
	assert_true(l->time == 1700000000000);
	assert_false(l->flags2 & LF2_DELAYED);
	paint(&g, &m, 24, 80);
	row_text(&g, find_row(&g, "live now"), buf, sizeof(buf));
	assert_null(strchr(buf, '~'));
	/* a bookmark: a line in the status window */
	event_init(&ev, EV_BOOKMARK, "home");
	event_str(&ev, "jid", "lobby@rooms.good.test");
	event_str(&ev, "name", "Lobby");
	event_str(&ev, "nick", "ali");
	event_bool(&ev, "autojoin", 1);
	event_str(&ev, "status", "listed");
	model_event(&m, &ev);
	w = m.wl.w[0];
	lstore_get(w->lines, lstore_end(w->lines) - 1, &text);
	assert_non_null(text);
	assert_memory_equal(text, "bookmark: lobby@rooms.good.test \"Lobby\" as ali (autojoin)",
			    strlen("bookmark: lobby@rooms.good.test \"Lobby\" as ali (autojoin)"));
	grid_free(&g);
	model_free(&m);
}

static void
search_hit(struct model *m, const char *body, long long ts)
{
	struct event ev;

	event_init(&ev, EV_SEARCH_RESULT, "home");
	event_str(&ev, "with", "bob@good.test");
	event_str(&ev, "from", "bob@good.test/p");
	event_str(&ev, "to", "alice@good.test");
	event_str(&ev, "type", "chat");
	event_str(&ev, "body", body);
	event_bool(&ev, "outgoing", 0);
	event_int(&ev, "ts", ts);
	model_event(m, &ev);
}

static void
search_end(struct model *m, long long n)
{
	struct event ev;

	event_init(&ev, EV_SEARCH_END, "home");
	event_str(&ev, "text", "lunch");
	event_int(&ev, "count", n);
	event_bool(&ev, "more", 0);
	model_event(m, &ev);
}

/* /search results are listed (numbered, in the console) and /goto N opens
 * the chat and pages history in until the hit is the bottom line. */
void
test_search_goto(void **state)
{
	struct model m;
	struct uiwin *w;
	struct event ev;
	const char *text;
	struct line *l;

	(void)state;
	model_init(&m, "home", "alice@good.test", 100);
	message(&m, "bob@good.test/p", "held one"); /* time 1700000000000 */
	search_hit(&m, "lunch later?", 1690000000500);
	search_hit(&m, "old lunch", 1680000000000);
	search_end(&m, 2);
	assert_int_equal(m.nhits, 2);
	assert_int_equal(winlist_current(&m.wl), m.wl.w[0]);
	l = lstore_get(m.wl.w[0]->lines, lstore_end(m.wl.w[0]->lines) - 2,
		       &text);
	assert_non_null(l);
	assert_non_null(memmem(text, l->len, "[2] ", 4));
	assert_non_null(memmem(text, l->len, "old lunch", 9));
	assert_non_null(model_search_goto(&m, 3)); /* no such result */
	assert_null(model_search_goto(&m, 2));
	w = winlist_current(&m.wl);
	assert_int_equal(w->kind, WK_CHAT);
	assert_string_equal(w->jid, "bob@good.test");
	assert_true(w->want_older); /* not held yet: older lines asked for */
	/* the page in front of it: the hit is not there yet */
	hist_row(&m, "lunch later?", 1690000000500, "c2");
	event_init(&ev, EV_HISTORY_END, "home");
	event_str(&ev, "with", "bob@good.test");
	event_str(&ev, "cursor", "c2");
	event_str(&ev, "source", "store");
	event_bool(&ev, "complete", 0);
	model_event(&m, &ev);
	assert_non_null(w->seek_body);
	assert_true(w->want_older);
	/* the next older page holds it: the view's bottom line is the hit */
	w->want_older = 0;
	hist_row(&m, "old lunch", 1680000000000, "c1");
	hist_row(&m, "older still", 1679000000000, "c0");
	model_event(&m, &ev);
	assert_null(w->seek_body);
	assert_true(w->bottom != 0);
	l = lstore_get(w->lines, w->bottom, &text);
	assert_non_null(l);
	assert_memory_equal(text, "old lunch", 9);
	/* a new search replaces the results */
	search_hit(&m, "only one", 1600000000000);
	search_end(&m, 1);
	assert_int_equal(m.nhits, 1);
	search_end(&m, 0);
	assert_int_equal(m.nhits, 0);
	model_free(&m);
}
