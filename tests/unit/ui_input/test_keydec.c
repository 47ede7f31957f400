/*
 * test_keydec.c: the key decoder turns every sequence family into the right
 * keys whether input comes whole or byte by byte, holds a lone ESC until a
 * timeout, delivers bracketed pastes whole (and capped), and never turns a
 * terminal reply or garbage into keystrokes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "input/keydec.h"
#include "input/keyname.h"
#include "tests.h"

struct collect {
	char out[4096];
	size_t len;
	size_t paste_len;
	unsigned paste_flags;
	char *paste; /* copy of the last paste */
	int col, row;
};

static void
collect_cb(const struct keydec_event *ev, void *arg)
{
	struct collect *c = arg;
	char name[KEYNAME_MAX];

	if (c->len > 0 && c->len < sizeof(c->out) - 1)
		c->out[c->len++] = ' ';
	if (ev->type == KEYDEC_EV_PASTE) {
		free(c->paste);
		c->paste = malloc(ev->paste_len + 1);
		assert_non_null(c->paste);
		memcpy(c->paste, ev->paste, ev->paste_len);
		c->paste[ev->paste_len] = '\0';
		c->paste_len = ev->paste_len;
		c->paste_flags = ev->paste_flags;
		snprintf(name, sizeof(name), "PASTE");
	} else {
		assert_true(keyname_format(&ev->key, name, sizeof(name)) > 0);
		c->col = ev->mouse_col;
		c->row = ev->mouse_row;
	}
	c->len += (size_t)snprintf(c->out + c->len, sizeof(c->out) - c->len,
				   "%s", name);
	assert_true(c->len < sizeof(c->out));
}

/* Decodes in whole, then byte by byte and in pairs, and checks that all
 * three give want; a timeout follows when flush is set. */
static void
check_keys(const char *in, size_t len, int flush, const char *want)
{
	for (size_t step = 0; step < 3; step++) {
		struct keydec *kd = keydec_new();
		struct collect c;
		size_t chunk = step == 0 ? len : step;

		assert_non_null(kd);
		memset(&c, 0, sizeof(c));
		for (size_t i = 0; i < len; i += chunk)
			keydec_feed(kd, in + i,
				    len - i < chunk ? len - i : chunk,
				    collect_cb, &c);
		if (flush)
			keydec_timeout(kd, collect_cb, &c);
		assert_int_equal(keydec_timeout_ms(kd), 0);
		c.out[c.len] = '\0';
		assert_string_equal(c.out, want);
		free(c.paste);
		keydec_free(kd);
	}
}

#define KEYS(in, want) check_keys(in, sizeof(in) - 1, 0, want)
#define KEYS_T(in, want) check_keys(in, sizeof(in) - 1, 1, want)

static void
test_plain_and_utf8(void **state)
{
	(void)state;
	KEYS("ab Z", "a b Space Z");
	/* é, €, CJK, an emoji: one key each. */
	KEYS("\xc3\xa9\xe2\x82\xac\xe6\x97\xa5\xf0\x9f\x98\x80",
	     "\xc3\xa9 \xe2\x82\xac \xe6\x97\xa5 \xf0\x9f\x98\x80");
	/* Invalid bytes are dropped, never keys: a stray continuation, an
	 * overlong, a surrogate, a cut-short character, 0xff, C1 as UTF-8. */
	KEYS("a\x80"
	     "b\xc0\xaf"
	     "c\xed\xa0\x80"
	     "d\xe2\x82"
	     "e\xff"
	     "f"
	     "\xc2\x9b",
	     "a b c d e f");
}

static void
test_controls(void **state)
{
	(void)state;
	KEYS("\x01\x1a\x00\x1f\x1c", "C-a C-z C-Space C-_ C-\\");
	KEYS("\r\n\t\x7f\x08", "Enter Enter Tab BSpace BSpace");
}

static void
test_meta(void **state)
{
	(void)state;
	KEYS("\x1bx\x1bX\x1b\x01", "M-x M-X M-C-a");
	KEYS("\x1b\r\x1b\x7f\x1b\xc3\xa9", "M-Enter M-BSpace M-\xc3\xa9");
	KEYS("\x1b"
	     "1\x1b"
	     "0",
	     "M-1 M-0");
	/* rxvt sends M-Up as ESC ESC [ A. */
	KEYS("\x1b\x1b[A", "M-Up");
}

static void
test_lone_esc_timeout(void **state)
{
	struct keydec *kd = keydec_new();
	struct collect c;

	(void)state;
	memset(&c, 0, sizeof(c));
	keydec_feed(kd, "\x1b", 1, collect_cb, &c);
	assert_int_equal(c.len, 0);
	assert_int_equal(keydec_timeout_ms(kd), KEYDEC_TIMEOUT_MS);
	keydec_timeout(kd, collect_cb, &c);
	c.out[c.len] = '\0';
	assert_string_equal(c.out, "Esc");
	assert_int_equal(keydec_timeout_ms(kd), 0);
	keydec_free(kd);

	KEYS_T("\x1b", "Esc");
	KEYS_T("\x1b\x1b", "M-Esc");
	/* ESC [ and ESC O typed alone are M-[ and M-O. */
	KEYS_T("\x1b[", "M-[");
	KEYS_T("\x1bO", "M-O");
	KEYS_T("\x1b]", "M-]");
	/* A CSI cut short after its parameters is a reply cut short. */
	KEYS_T("\x1b[12;4", "");
	KEYS_T("a\x1b]52;c;aGk=", "a");
	KEYS_T("\xe2\x82", "");
	/* Nothing pending: a timeout does nothing. */
	KEYS_T("x", "x");
}

static void
test_csi_keys(void **state)
{
	(void)state;
	/* xterm normal and application cursor keys. */
	KEYS("\x1b[A\x1b[B\x1b[C\x1b[D\x1b[H\x1b[F",
	     "Up Down Right Left Home End");
	KEYS("\x1bOA\x1bOB\x1bOC\x1bOD\x1bOH\x1bOF",
	     "Up Down Right Left Home End");
	/* Modifiers. */
	KEYS("\x1b[1;3C\x1b[1;3D\x1b[1;5A\x1b[1;2B\x1b[1;7H\x1b[1;6F",
	     "M-Right M-Left C-Up S-Down M-C-Home C-S-End");
	KEYS("\x1b[Z", "S-Tab");
	/* vt220 forms, tmux/screen (1~ 4~), rxvt (7~ 8~). */
	KEYS("\x1b[1~\x1b[2~\x1b[3~\x1b[4~\x1b[5~\x1b[6~\x1b[7~\x1b[8~",
	     "Home Ins Del End PgUp PgDn Home End");
	KEYS("\x1b[3;5~\x1b[5;3~\x1b[3^\x1b[3$\x1b[3@",
	     "C-Del M-PgUp C-Del S-Del C-S-Del");
	/* Function keys: SS3, vt220, xterm modified, linux console. */
	KEYS("\x1bOP\x1bOQ\x1bOR\x1bOS", "F1 F2 F3 F4");
	KEYS("\x1b[11~\x1b[15~\x1b[17~\x1b[21~\x1b[23~\x1b[24~",
	     "F1 F5 F6 F10 F11 F12");
	KEYS("\x1b[1;5P\x1b[15;2~", "C-F1 S-F5");
	KEYS("\x1b[[A\x1b[[E", "F1 F5");
	/* rxvt shifted and control arrows. */
	KEYS("\x1b[a\x1bOd", "S-Up C-Left");
	/* Keypad in application mode. */
	KEYS("\x1bOM\x1bOk\x1bOp", "Enter + 0");
	/* CSI u and modifyOtherKeys. */
	KEYS("\x1b[13;3u\x1b[97;5u\x1b[27;5;105~", "M-Enter C-a C-i");
	KEYS("\x1b[65;2u\x1b[65;6u\x1b[9;2u", "A C-a S-Tab");
}

static void
test_mouse_wheel(void **state)
{
	struct collect c;
	struct keydec *kd = keydec_new();

	(void)state;
	KEYS("\x1b[<64;10;5M\x1b[<65;1;1M", "WheelUp WheelDown");
	/* Clicks and releases are dropped. */
	KEYS("\x1b[<0;10;5M\x1b[<0;10;5m\x1b[<35;3;3M", "");
	/* X10 form: its three raw bytes never leak. */
	KEYS("\x1b[M`!!\x1b[M !!x", "WheelUp x");
	memset(&c, 0, sizeof(c));
	keydec_feed(kd, "\x1b[<65;12;7M", 11, collect_cb, &c);
	assert_int_equal(c.col, 12);
	assert_int_equal(c.row, 7);
	keydec_free(kd);
}

static void
test_replies_dropped(void **state)
{
	(void)state;
	/* Cursor position reports, including ones that look like F3. */
	KEYS("a\x1b[12;40Rb\x1b[1;5R", "a b");
	/* DA1, DA2, DECRPM, kitty keyboard flags reply. */
	KEYS("\x1b[?62;22c\x1b[>1;10;0c\x1b[?2004;2$y\x1b[?1u", "");
	/* Focus in and out. */
	KEYS("\x1b[I\x1b[Ox", "x");
	/* OSC 52 clipboard reply ended by BEL and by ST, OSC 11 colour. */
	KEYS("\x1b]52;c;cm0gLXJmIH4K\x07q", "q");
	KEYS("\x1b]11;rgb:0000/0000/0000\x1b\\q", "q");
	/* DCS (XTGETTCAP, DECRQSS) and APC replies. */
	KEYS("\x1bP1+r6b6275=1b4f41\x1b\\\x1bP1$r0m\x1b\\\x1b_Gi=1;OK\x1b\\z",
	     "z");
	/* A DCS holding what looks like keys. */
	KEYS("\x1bPx\x01[A\r\x1b\\", "");
	/* Unknown CSI sequences are dropped whole. */
	KEYS("\x1b[38;5;1mA\x1b[?1049hB\x1b[ qC\x1b[12tD", "A B C D");
}

static void
test_garbage_bounded(void **state)
{
	char *in;
	size_t n = 100000;

	(void)state;
	/* A CSI far longer than the sequence buffer is skipped to its end. */
	in = malloc(n + 8);
	assert_non_null(in);
	memcpy(in, "\x1b[", 2);
	memset(in + 2, '1', n);
	memcpy(in + 2 + n, "Ax", 2);
	check_keys(in, n + 4, 0, "x");
	/* A 100 kB OSC. */
	in[1] = ']';
	in[n + 2] = '\x07';
	check_keys(in, n + 4, 0, "x");
	free(in);
	/* CAN cancels a sequence; a control inside one restarts. */
	KEYS("\x1b[12\x18x\x1b[1\x1b[Ay", "x Up y");
}

static void
test_paste(void **state)
{
	struct collect c;
	struct keydec *kd = keydec_new();
	const char p[] = "a\x1b[200~line 1\r\nline 2\x1b[A\x1b[20x\x1b[201~b";

	(void)state;
	KEYS("\x1b[200~hi\x1b[201~", "PASTE");
	/* Split byte by byte: still one paste, with its bytes exact. */
	for (size_t chunk = 1; chunk <= sizeof(p) - 1; chunk++) {
		memset(&c, 0, sizeof(c));
		for (size_t i = 0; i < sizeof(p) - 1; i += chunk)
			keydec_feed(kd, p + i,
				    sizeof(p) - 1 - i < chunk
					? sizeof(p) - 1 - i
					: chunk,
				    collect_cb, &c);
		c.out[c.len] = '\0';
		assert_string_equal(c.out, "a PASTE b");
		assert_string_equal(c.paste, "line 1\r\nline 2\x1b[A\x1b[20x");
		assert_int_equal(c.paste_flags, 0);
		free(c.paste);
	}
	/* An empty paste is still one event. */
	memset(&c, 0, sizeof(c));
	keydec_feed(kd, "\x1b[200~\x1b[201~", 12, collect_cb, &c);
	assert_int_equal(c.paste_len, 0);
	assert_int_equal(c.len, 5);
	free(c.paste);
	/* A stray paste end is dropped. */
	KEYS("\x1b[201~x", "x");
	keydec_free(kd);
}

static void
test_paste_oversize_and_unended(void **state)
{
	struct collect c;
	struct keydec *kd = keydec_new();
	size_t n = KEYDEC_PASTE_MAX + 5000;
	char *big = malloc(n);

	(void)state;
	assert_non_null(big);
	memset(big, 'x', n);
	memset(&c, 0, sizeof(c));
	keydec_feed(kd, "\x1b[200~", 6, collect_cb, &c);
	for (size_t i = 0; i < n; i += 4096)
		keydec_feed(kd, big, n - i < 4096 ? n - i : 4096, collect_cb,
			    &c);
	assert_int_equal(c.len, 0);
	assert_int_equal(keydec_timeout_ms(kd), KEYDEC_STRING_TIMEOUT_MS);
	keydec_feed(kd, "\x1b[201~z", 7, collect_cb, &c);
	c.out[c.len] = '\0';
	assert_string_equal(c.out, "PASTE z");
	assert_int_equal(c.paste_len, KEYDEC_PASTE_MAX);
	assert_int_equal(c.paste_flags, KEYDEC_PASTE_TRUNCATED);
	free(c.paste);
	free(big);

	/* A paste whose end never comes is delivered on the timeout. */
	memset(&c, 0, sizeof(c));
	keydec_feed(kd, "\x1b[200~abc\x1b[20", 14, collect_cb, &c);
	keydec_timeout(kd, collect_cb, &c);
	assert_string_equal(c.paste, "abc\x1b[20");
	assert_int_equal(c.paste_flags, KEYDEC_PASTE_UNENDED);
	free(c.paste);
	keydec_free(kd);
}

int
keydec_tests(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain_and_utf8),
	    cmocka_unit_test(test_controls),
	    cmocka_unit_test(test_meta),
	    cmocka_unit_test(test_lone_esc_timeout),
	    cmocka_unit_test(test_csi_keys),
	    cmocka_unit_test(test_mouse_wheel),
	    cmocka_unit_test(test_replies_dropped),
	    cmocka_unit_test(test_garbage_bounded),
	    cmocka_unit_test(test_paste),
	    cmocka_unit_test(test_paste_oversize_and_unended),
	};

	return cmocka_run_group_tests_name("keydec", tests, NULL, NULL);
}
