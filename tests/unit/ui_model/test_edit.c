/*
 * test_edit.c: corrections, retractions, reactions and replies in the
 * model (ui/model/apply_edit.c): a line's text keeps its quote, body and
 * reactions apart; an edit replaces only the body, a retraction the whole
 * text with the tombstone; events for another chat or an unknown id change
 * nothing; a quote or reactions with a line break are not taken.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "event.h"
#include "model/model.h"

#include "tests.h"

#define BOB "bob@good.test"

static void
msg(struct model *m, const char *id, const char *body, const char *quote)
{
	struct event ev;

	event_init(&ev, EV_MESSAGE, "home");
	event_str(&ev, "from", BOB "/phone");
	event_str(&ev, "to", "alice@good.test/ward");
	event_str(&ev, "type", "chat");
	event_str(&ev, "id", id);
	event_str(&ev, "body", body);
	event_str(&ev, "encryption", "none");
	event_str(&ev, "trust", "none");
	if (quote != NULL) {
		event_str(&ev, "reply_to", "m1");
		event_str(&ev, "quote", quote);
	}
	m->now = 1700000000000;
	model_event(m, &ev);
}

static void
change(struct model *m, enum event_kind k, const char *with, const char *id,
       const char *key, const char *val)
{
	struct event ev;

	event_init(&ev, k, "home");
	event_str(&ev, "with", with);
	event_str(&ev, "id", id);
	event_str(&ev, "from", BOB "/phone");
	if (key != NULL)
		event_str(&ev, key, val);
	model_event(m, &ev);
}

/* The text and flags of the line with ID in bob's window. */
static int
line_of(struct model *m, const char *id, char *out, size_t size)
{
	struct uiwin *w = model_window_for(m, "home", BOB, 0, 0);
	const char *text;
	struct line *l;
	uint64_t seq;

	assert_non_null(w);
	seq = lstore_find_id(w->lines, id, 100);
	assert_true(seq != 0);
	l = lstore_get(w->lines, seq, &text);
	assert_non_null(l);
	assert_true(l->len < size);
	memcpy(out, text, l->len);
	out[l->len] = '\0';
	return l->flags;
}

void
test_edit_parts(void **state)
{
	struct model m;
	char t[256];
	int fl;

	(void)state;
	model_init(&m, "home", "alice@good.test", 50);
	msg(&m, "m1", "hello wrold", NULL);
	change(&m, EV_REACTIONS, BOB, "m1", "reactions", "\xf0\x9f\x91\x8d 1");
	fl = line_of(&m, "m1", t, sizeof(t));
	assert_string_equal(t, "hello wrold\n\xf0\x9f\x91\x8d 1");
	assert_true(fl & LF_REACT);
	change(&m, EV_MESSAGE_EDITED, BOB, "m1", "body", "hello world");
	fl = line_of(&m, "m1", t, sizeof(t));
	assert_string_equal(t, "hello world\n\xf0\x9f\x91\x8d 1");
	assert_true((fl & LF_EDITED) && (fl & LF_REACT));
	change(&m, EV_REACTIONS, BOB, "m1", "reactions", "");
	fl = line_of(&m, "m1", t, sizeof(t));
	assert_string_equal(t, "hello world");
	assert_false(fl & LF_REACT);

	/* a reply: the quote stays through an edit and reactions */
	msg(&m, "m2", "yes", "hello world");
	fl = line_of(&m, "m2", t, sizeof(t));
	assert_string_equal(t, "> hello world\nyes");
	assert_true(fl & LF_QUOTE);
	change(&m, EV_REACTIONS, BOB, "m2", "reactions", "A 1, B 2");
	change(&m, EV_MESSAGE_EDITED, BOB, "m2", "body", "yes\nindeed");
	fl = line_of(&m, "m2", t, sizeof(t));
	assert_string_equal(t, "> hello world\nyes\nindeed\nA 1, B 2");
	assert_true((fl & LF_QUOTE) && (fl & LF_REACT) && (fl & LF_EDITED));

	/* a retraction: ward's tombstone, nothing of the text left */
	change(&m, EV_MESSAGE_RETRACTED, BOB, "m2", NULL, NULL);
	fl = line_of(&m, "m2", t, sizeof(t));
	assert_string_equal(t, "(message retracted)");
	assert_true(fl & LF_RETRACTED);
	assert_false(fl & (LF_QUOTE | LF_REACT | LF_EDITED));
	/* ... and it stays one */
	change(&m, EV_MESSAGE_EDITED, BOB, "m2", "body", "back again");
	change(&m, EV_REACTIONS, BOB, "m2", "reactions", "C 1");
	line_of(&m, "m2", t, sizeof(t));
	assert_string_equal(t, "(message retracted)");
	model_free(&m);
}

void
test_edit_refused(void **state)
{
	struct model m;
	char t[256];
	int fl;

	(void)state;
	model_init(&m, "home", "alice@good.test", 50);
	msg(&m, "m1", "hello", NULL);
	/* another chat's event, an unknown id, a missing field */
	change(&m, EV_MESSAGE_EDITED, "carol@good.test", "m1", "body", "X");
	change(&m, EV_MESSAGE_EDITED, BOB, "nosuch", "body", "X");
	change(&m, EV_MESSAGE_EDITED, BOB, "m1", NULL, NULL);
	change(&m, EV_MESSAGE_RETRACTED, "carol@good.test", "m1", NULL, NULL);
	fl = line_of(&m, "m1", t, sizeof(t));
	assert_string_equal(t, "hello");
	assert_int_equal(fl & (LF_EDITED | LF_RETRACTED), 0);
	/* a quote with a line break is no one-line quote */
	msg(&m, "m3", "body", "two\nlines");
	fl = line_of(&m, "m3", t, sizeof(t));
	assert_string_equal(t, "body");
	assert_false(fl & LF_QUOTE);
	model_free(&m);
}
