/*
 * test_roomsig.c: a room's occupants typing and reading (ui/model/roomsig.c)
 * as the UI shows them: who is typing on the conversation line ("alice is
 * typing", "alice, bob are typing", "3 people are typing"), a hostile nick
 * escaped and cut, ended by paused, a message, leaving, leaving the room,
 * the connection's end and a timeout (1:1 too), bounded; our messages in a
 * room marked read with "read by N", N the occupants that read at least
 * that far, never counted twice.
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
#include "model/roomsig.h"
#include "view/grid.h"
#include "view/view.h"

#include "tests.h"

#define ROOM "dev@rooms.good.test"
#define T0 1700000000000LL

static void
room_joined(struct model *m)
{
	struct event ev;

	event_init(&ev, EV_ROOM, "home");
	event_str(&ev, "room", ROOM);
	event_str(&ev, "nick", "alice");
	event_str(&ev, "state", "joined");
	model_event(m, &ev);
}

static void
chatstate(struct model *m, const char *from, const char *state,
	  const char *type)
{
	struct event ev;

	event_init(&ev, EV_CHATSTATE, "home");
	event_str(&ev, "from", from);
	event_str(&ev, "state", state);
	event_str(&ev, "type", type);
	model_event(m, &ev);
}

static void
read_by(struct model *m, const char *nick, const char *id)
{
	struct event ev;
	char from[256];

	snprintf(from, sizeof(from), ROOM "/%s", nick);
	event_init(&ev, EV_DELIVERY, "home");
	event_str(&ev, "from", from);
	event_str(&ev, "id", id);
	event_str(&ev, "state", "read");
	event_str(&ev, "type", "groupchat");
	model_event(m, &ev);
}

static void
queued(struct model *m, const char *id, const char *body)
{
	struct event ev;

	event_init(&ev, EV_QUEUED, "home");
	event_str(&ev, "id", id);
	event_str(&ev, "to", ROOM);
	event_str(&ev, "encryption", "none");
	event_str(&ev, "body", body);
	model_event(m, &ev);
	event_init(&ev, EV_ACKED, "home");
	event_str(&ev, "id", id);
	event_str(&ev, "to", ROOM);
	model_event(m, &ev);
}

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

/* The painted screen as one string, rows joined by '\n'. */
static char *
screen(struct model *m, int rows, int cols)
{
	static char all[64 * 1024];
	struct grid g = {0};
	struct view_opts o = {0};
	struct view_input in = {"", 0, 0, NULL};
	char row[4096];
	size_t n = 0;
	int r, c;

	assert_int_equal(grid_resize(&g, rows, cols), 0);
	view_paint(&g, m, &o, &in, 1);
	for (r = 0; r < g.rows; r++) {
		/* nothing but printable text in any cell */
		for (c = 0; c < g.cols; c++) {
			const struct gcell *x = grid_cell(&g, r, c);
			for (uint8_t i = 0; i < x->len; i++)
				assert_true((unsigned char)x->b[i] >= 0x20 &&
					    (unsigned char)x->b[i] != 0x7f);
		}
		row_text(&g, r, row, sizeof(row));
		n += (size_t)snprintf(all + n, sizeof(all) - n, "%s\n", row);
	}
	grid_free(&g);
	return all;
}

static struct uiwin *
room_window(struct model *m)
{
	struct uiwin *w = winlist_find(&m->wl, WK_ROOM, "home", ROOM);

	assert_non_null(w);
	model_select(m, winlist_index(&m->wl, w));
	return w;
}

void
test_room_typing(void **state)
{
	struct model m;
	struct uiwin *w;
	struct event ev;
	char nick[64], from[128];
	int i;

	(void)state;
	model_init(&m, "home", "alice@good.test", 100);
	m.now = T0;
	room_joined(&m);
	w = room_window(&m);
	assert_null(strstr(screen(&m, 24, 160), "typing"));

	chatstate(&m, ROOM "/bob", "composing", "groupchat");
	assert_int_equal(roomsig_ntyping(w), 1);
	assert_non_null(strstr(screen(&m, 24, 160), "bob is typing"));
	/* the same again renews it, it is not listed twice */
	chatstate(&m, ROOM "/bob", "composing", "groupchat");
	assert_int_equal(roomsig_ntyping(w), 1);
	/* a hostile nick: escaped, in its own cells, cut */
	chatstate(&m, ROOM "/x\x1b[2J\xe2\x80\xae", "composing", "groupchat");
	assert_non_null(
	    strstr(screen(&m, 24, 160), "bob, x^[[2J<U+202E> are typing"));
	chatstate(&m, ROOM "/carol", "composing", "groupchat");
	assert_non_null(strstr(screen(&m, 24, 160), "3 people are typing"));
	assert_null(strstr(screen(&m, 24, 160), "carol"));

	/* paused, a message, leaving: each ends that one */
	chatstate(&m, ROOM "/bob", "paused", "groupchat");
	assert_int_equal(roomsig_ntyping(w), 2);
	event_init(&ev, EV_MESSAGE, "home");
	event_str(&ev, "from", ROOM "/carol");
	event_str(&ev, "to", "alice@good.test/ward");
	event_str(&ev, "type", "groupchat");
	event_str(&ev, "id", "c1");
	event_str(&ev, "body", "all done");
	event_str(&ev, "encryption", "none");
	model_event(&m, &ev);
	assert_int_equal(roomsig_ntyping(w), 1);
	assert_string_equal(roomsig_typer(w, 0), "x\x1b[2J\xe2\x80\xae");
	event_init(&ev, EV_OCCUPANT, "home");
	event_str(&ev, "room", ROOM);
	event_str(&ev, "nick", "x\x1b[2J\xe2\x80\xae");
	event_str(&ev, "status", "left");
	model_event(&m, &ev);
	assert_int_equal(roomsig_ntyping(w), 0);
	assert_null(strstr(screen(&m, 24, 160), "typing"));

	/* a long nick is cut with an ellipsis, the words stay */
	chatstate(&m, ROOM "/averyveryverylongnicknamethatgoeson", "composing",
		  "groupchat");
	assert_non_null(strstr(screen(&m, 24, 160),
			       "averyveryverylongnickna\xe2\x80\xa6 is typing"));
	chatstate(&m, ROOM "/averyveryverylongnicknamethatgoeson", "active",
		  "groupchat");

	/* bounded: past ROOMSIG_TYPERS_MAX the quietest is dropped */
	for (i = 0; i < ROOMSIG_TYPERS_MAX + 8; i++) {
		snprintf(nick, sizeof(nick), "n%d", i);
		snprintf(from, sizeof(from), ROOM "/%s", nick);
		chatstate(&m, from, "composing", "groupchat");
	}
	assert_int_equal(roomsig_ntyping(w), ROOMSIG_TYPERS_MAX);
	assert_string_equal(roomsig_typer(w, 0), "n8");
	/* leaving the room ends them all */
	event_init(&ev, EV_ROOM, "home");
	event_str(&ev, "room", ROOM);
	event_str(&ev, "state", "left");
	model_event(&m, &ev);
	assert_int_equal(roomsig_ntyping(w), 0);

	/* a timeout: a notice not renewed goes stale, 1:1 and room alike */
	room_joined(&m);
	event_init(&ev, EV_QUEUED, "home");
	event_str(&ev, "id", "c0");
	event_str(&ev, "to", "carol@good.test");
	event_str(&ev, "encryption", "omemo");
	event_str(&ev, "body", "hi carol");
	model_event(&m, &ev);
	chatstate(&m, ROOM "/bob", "composing", "groupchat");
	m.now = T0 + 1000;
	chatstate(&m, "carol@good.test/phone", "composing", "chat");
	m.now = T0 + MODEL_TYPING_STALE_MS - 1;
	assert_int_equal(model_typing_expire(&m), T0 + MODEL_TYPING_STALE_MS);
	assert_int_equal(roomsig_ntyping(w), 1);
	m.now = T0 + MODEL_TYPING_STALE_MS;
	assert_int_equal(model_typing_expire(&m),
			 T0 + 1000 + MODEL_TYPING_STALE_MS);
	assert_int_equal(roomsig_ntyping(w), 0);
	w = winlist_find(&m.wl, WK_CHAT, "home", "carol@good.test");
	assert_non_null(w);
	assert_string_equal(w->typing, "composing");
	m.now = T0 + 1000 + MODEL_TYPING_STALE_MS;
	assert_int_equal(model_typing_expire(&m), 0);
	assert_string_equal(w->typing, "");

	/* the connection's end: nobody is typing any more */
	chatstate(&m, "carol@good.test/phone", "composing", "chat");
	chatstate(&m, ROOM "/bob", "composing", "groupchat");
	event_init(&ev, EV_DISCONNECTED, "home");
	event_str(&ev, "reason", "gone");
	model_event(&m, &ev);
	assert_string_equal(w->typing, "");
	assert_int_equal(roomsig_ntyping(room_window(&m)), 0);

	/* a room's chat state never opens or touches a chat window */
	chatstate(&m, "other@rooms.good.test/x", "composing", "groupchat");
	assert_null(
	    winlist_find(&m.wl, WK_CHAT, "home", "other@rooms.good.test"));
	model_free(&m);
}

static struct line *
line_of(struct uiwin *w, const char *id)
{
	uint64_t seq = lstore_find_id(w->lines, id, 100);

	assert_true(seq != 0);
	return lstore_get(w->lines, seq, NULL);
}

void
test_room_read_marks(void **state)
{
	struct model m;
	struct uiwin *w;
	struct event ev;
	char nick[32];
	int i;

	(void)state;
	model_init(&m, "home", "alice@good.test", 100);
	m.now = T0;
	room_joined(&m);
	w = room_window(&m);
	queued(&m, "q1", "first words");
	queued(&m, "q2", "second words");
	/* another occupant's message between ours */
	event_init(&ev, EV_MESSAGE, "home");
	event_str(&ev, "from", ROOM "/bob");
	event_str(&ev, "to", "alice@good.test/ward");
	event_str(&ev, "type", "groupchat");
	event_str(&ev, "id", "b1");
	event_str(&ev, "body", "bob's words");
	event_str(&ev, "encryption", "none");
	model_event(&m, &ev);
	queued(&m, "q3", "third words");
	assert_int_equal(line_of(w, "q1")->state, LS_ACKED);

	/* bob read up to q2: q1 and q2 read by 1, q3 not */
	read_by(&m, "bob", "q2");
	assert_int_equal(line_of(w, "q1")->state, LS_READ);
	assert_int_equal(line_of(w, "q1")->readers, 1);
	assert_int_equal(line_of(w, "q2")->readers, 1);
	assert_int_equal(line_of(w, "q3")->readers, 0);
	assert_int_equal(line_of(w, "q3")->state, LS_ACKED);
	assert_int_equal(line_of(w, "b1")->readers, 0);
	/* carol read everything */
	read_by(&m, "carol", "q3");
	assert_int_equal(line_of(w, "q1")->readers, 2);
	assert_int_equal(line_of(w, "q3")->readers, 1);
	assert_int_equal(line_of(w, "q3")->state, LS_READ);
	/* an older marker of bob's, or the same again: nothing counted */
	read_by(&m, "bob", "q1");
	read_by(&m, "carol", "q3");
	assert_int_equal(line_of(w, "q1")->readers, 2);
	assert_int_equal(line_of(w, "q3")->readers, 1);
	/* a marker for a line that is not ours: nothing */
	read_by(&m, "carol", "b1");
	assert_int_equal(line_of(w, "b1")->readers, 0);
	/* a new nick keeps what it read */
	event_init(&ev, EV_OCCUPANT, "home");
	event_str(&ev, "room", ROOM);
	event_str(&ev, "nick", "bob");
	event_str(&ev, "status", "nick-changed");
	event_str(&ev, "new_nick", "bobby");
	model_event(&m, &ev);
	read_by(&m, "bobby", "q3");
	assert_int_equal(line_of(w, "q1")->readers, 2);
	assert_int_equal(line_of(w, "q2")->readers, 2);
	assert_int_equal(line_of(w, "q3")->readers, 2);
	{
		const char *s = screen(&m, 24, 160);
		assert_non_null(strstr(s, "first words (read by 2)"));
		assert_non_null(strstr(s, "third words (read by 2)"));
		assert_null(strstr(s, "bob's words (read"));
	}
	/* bounded: occupants past ROOMSIG_READERS_MAX are not counted */
	for (i = 0; i < ROOMSIG_READERS_MAX + 10; i++) {
		snprintf(nick, sizeof(nick), "r%d", i);
		read_by(&m, nick, "q3");
	}
	assert_int_equal(line_of(w, "q3")->readers, ROOMSIG_READERS_MAX);
	assert_int_equal(line_of(w, "q3")->state, LS_READ);
	/* a 1:1 read mark is no room's: no count */
	event_init(&ev, EV_QUEUED, "home");
	event_str(&ev, "id", "p1");
	event_str(&ev, "to", "bob@good.test");
	event_str(&ev, "encryption", "omemo");
	event_str(&ev, "body", "to bob");
	model_event(&m, &ev);
	event_init(&ev, EV_DELIVERY, "home");
	event_str(&ev, "from", "bob@good.test/phone");
	event_str(&ev, "id", "p1");
	event_str(&ev, "state", "read");
	event_str(&ev, "type", "chat");
	model_event(&m, &ev);
	w = winlist_find(&m.wl, WK_CHAT, "home", "bob@good.test");
	assert_int_equal(line_of(w, "p1")->state, LS_READ);
	assert_int_equal(line_of(w, "p1")->readers, 0);
	model_free(&m);
}
