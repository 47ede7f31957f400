/*
 * keydec.h: ward's own key decoder (no readline, no curses keypad). Bytes
 * read from the terminal go in; key events and whole bracketed pastes come
 * out. Terminal replies (cursor reports, DA, DCS/OSC/APC strings, focus
 * events) and unknown sequences are swallowed whole: they never become keys.
 */
#ifndef WARD_UI_KEYDEC_H
#define WARD_UI_KEYDEC_H

#include <stddef.h>
#include <stdint.h>

/*
 * A key: a Unicode code point (a typed character, or the letter of a
 * control chord: C-a is code 'a' with KEYDEC_MOD_CTRL, C-Space is ' ' with
 * KEYDEC_MOD_CTRL, C-_ (also sent for C-/) is '_'), or one of the named
 * keys below (values past U+10FFFF). Uppercase letters with Meta stay
 * uppercase (M-X differs from M-x); control letters are always lowercase.
 */
struct keydec_key {
	uint32_t code;
	unsigned mods;
#define KEYDEC_MOD_SHIFT 0x1
#define KEYDEC_MOD_META 0x2 /* Alt, or an ESC prefix */
#define KEYDEC_MOD_CTRL 0x4
};

enum keydec_named {
	KEYDEC_ENTER = 0x110000, /* CR or LF (LF is C-j on no terminal) */
	KEYDEC_TAB,              /* S-Tab is KEYDEC_TAB with MOD_SHIFT */
	KEYDEC_BSPACE,           /* DEL or ^H */
	KEYDEC_ESC,              /* a lone ESC, flushed by keydec_timeout() */
	KEYDEC_UP,
	KEYDEC_DOWN,
	KEYDEC_LEFT,
	KEYDEC_RIGHT,
	KEYDEC_HOME,
	KEYDEC_END,
	KEYDEC_PGUP,
	KEYDEC_PGDN,
	KEYDEC_INS,
	KEYDEC_DEL,
	KEYDEC_F1, /* KEYDEC_F1 + n - 1 is Fn, n = 1..12 */
	KEYDEC_F12 = KEYDEC_F1 + 11,
	KEYDEC_WHEEL_UP, /* SGR (1006) or X10 mouse wheel */
	KEYDEC_WHEEL_DOWN,
	KEYDEC_NAMED_END /* one past the last named key */
};

/* Largest bracketed paste kept; the rest is counted and dropped. */
#define KEYDEC_PASTE_MAX (1024 * 1024)
/* Longest escape sequence kept for decoding (longer ones are dropped). */
#define KEYDEC_SEQ_MAX 64

/* How long to wait for the rest of a sequence (tmux uses a similar
 * escape-time): after it, a lone ESC is the Esc key. */
#define KEYDEC_TIMEOUT_MS 25
/* How long a started terminal string (OSC/DCS/APC) or a bracketed paste
 * may stall before it is given up (dropped, or delivered as a paste). */
#define KEYDEC_STRING_TIMEOUT_MS 5000

enum keydec_type {
	KEYDEC_EV_KEY = 1,
	KEYDEC_EV_PASTE,
};

struct keydec_event {
	enum keydec_type type;
	struct keydec_key key; /* KEYDEC_EV_KEY */
	/* KEYDEC_EV_PASTE: the pasted bytes as the terminal sent them (not
	 * validated: the editor normalises on insert). Owned by the decoder
	 * and valid only during the callback. */
	const char *paste;
	size_t paste_len;
	unsigned paste_flags;
#define KEYDEC_PASTE_TRUNCATED 0x1 /* more than KEYDEC_PASTE_MAX came */
#define KEYDEC_PASTE_UNENDED 0x2   /* timed out before ESC[201~ */
	/* KEYDEC_WHEEL_*: the 1-based cell, or 0 when unknown. */
	int mouse_col, mouse_row;
};

typedef void keydec_cb(const struct keydec_event *ev, void *arg);

struct keydec; /* opaque */

/* A new decoder in its ground state, or NULL when out of memory. */
struct keydec *keydec_new(void);
void keydec_free(struct keydec *kd);

/*
 * Decodes len bytes, calling cb(ev, arg) for each complete key or paste in
 * order. Input may be cut anywhere (even inside a UTF-8 character or a
 * sequence): what is incomplete is held for the next call. Ill-formed UTF-8
 * is dropped (never a control key).
 */
void keydec_feed(struct keydec *kd, const char *buf, size_t len, keydec_cb *cb,
		 void *arg);

/*
 * 0 when nothing is held; else the milliseconds to wait for more input
 * before calling keydec_timeout() (KEYDEC_TIMEOUT_MS for a held ESC or
 * sequence, KEYDEC_STRING_TIMEOUT_MS inside a terminal string or paste).
 */
int keydec_timeout_ms(const struct keydec *kd);

/*
 * No more input came in time. What is held is flushed as the keys typed:
 * ESC alone is Esc, ESC and one byte is M-<that key> (ESC ESC is M-Esc).
 * Anything longer (a CSI with parameters, a started OSC/DCS/APC string,
 * an unfinished UTF-8 character) could only be a reply cut short, so it is
 * dropped, never typed. An unended paste is delivered with
 * KEYDEC_PASTE_UNENDED.
 */
void keydec_timeout(struct keydec *kd, keydec_cb *cb, void *arg);

#endif
