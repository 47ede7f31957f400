/*
 * keydec.c: a byte-at-a-time state machine from terminal input to keys, in
 * the spirit of tmux's tty-keys.c but without a terminfo tree: the forms
 * xterm, rxvt, the Linux console and tmux/screen send are decoded directly,
 * and everything else that starts like a sequence is parsed to its end and
 * dropped, so a terminal reply can never be typed into a chat.
 */
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"

#include "input/keydec.h"

enum keydec_state {
	KD_GROUND,
	KD_UTF8,     /* inside a multibyte character */
	KD_ESC,      /* after ESC */
	KD_CSI,      /* after ESC [ */
	KD_CSI_DROP, /* a CSI too long to keep: skip to its final byte */
	KD_SS3,      /* after ESC O */
	KD_LINUXF,   /* after ESC [ [ (Linux console F1-F5) */
	KD_STRING,   /* OSC, DCS or APC body, up to BEL or ST */
	KD_X10,      /* the three bytes of an X10 mouse report */
	KD_PASTE,    /* between ESC[200~ and ESC[201~ */
};

#define KD_MAX_PARAMS 8
static const char keydec_paste_end[] = "\x1b[201~";
#define KD_PASTE_END_LEN (sizeof(keydec_paste_end) - 1)

struct keydec {
	enum keydec_state state;
	unsigned meta; /* KEYDEC_MOD_META from an ESC prefix */
	unsigned char seq[KEYDEC_SEQ_MAX];
	size_t seqlen;       /* bytes in seq (sequence or UTF-8) */
	size_t need;         /* UTF-8 bytes or X10 bytes still to come */
	unsigned char intro; /* ']' 'P' '_' for KD_STRING */
	int str_esc;         /* KD_STRING: last byte was ESC */
	size_t str_len;      /* KD_STRING: body bytes seen */
	char *paste;
	size_t paste_len, paste_cap;
	unsigned paste_flags;
	size_t paste_match; /* bytes of keydec_paste_end matched */
};

struct keydec *
keydec_new(void)
{
	return calloc(1, sizeof(struct keydec));
}

void
keydec_free(struct keydec *kd)
{
	if (kd == NULL)
		return;
	free(kd->paste);
	free(kd);
}

/* Delivers one key, with a pending ESC prefix added. */
static void
keydec_emit(struct keydec *kd, uint32_t code, unsigned mods, keydec_cb *cb,
	    void *arg)
{
	struct keydec_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = KEYDEC_EV_KEY;
	ev.key.code = code;
	ev.key.mods = mods | kd->meta;
	kd->meta = 0;
	cb(&ev, arg);
}

/* Delivers a wheel step at a cell (1-based; 0 when unknown). */
static void
keydec_wheel(struct keydec *kd, int down, unsigned mods, int col, int row,
	     keydec_cb *cb, void *arg)
{
	struct keydec_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = KEYDEC_EV_KEY;
	ev.key.code = down ? KEYDEC_WHEEL_DOWN : KEYDEC_WHEEL_UP;
	ev.key.mods = mods | kd->meta;
	ev.mouse_col = col > 0 ? col : 0;
	ev.mouse_row = row > 0 ? row : 0;
	kd->meta = 0;
	cb(&ev, arg);
}

static void
keydec_reset(struct keydec *kd)
{
	kd->state = KD_GROUND;
	kd->meta = 0;
	kd->seqlen = 0;
	kd->need = 0;
}

/* An xterm modifier parameter (1 + bits) as KEYDEC_MOD_* bits. */
static unsigned
keydec_xmods(int p)
{
	unsigned m = 0;

	if (p < 2)
		return 0;
	p--;
	if (p & 1)
		m |= KEYDEC_MOD_SHIFT;
	if (p & (2 | 8))
		m |= KEYDEC_MOD_META;
	if (p & 4)
		m |= KEYDEC_MOD_CTRL;
	return m;
}

/* A C0 byte, DEL or printable ASCII as a key (ground state). */
static void
keydec_ascii(struct keydec *kd, unsigned char c, keydec_cb *cb, void *arg)
{
	if (c == '\r' || c == '\n')
		keydec_emit(kd, KEYDEC_ENTER, 0, cb, arg);
	else if (c == '\t')
		keydec_emit(kd, KEYDEC_TAB, 0, cb, arg);
	else if (c == 0x08 || c == 0x7f)
		keydec_emit(kd, KEYDEC_BSPACE, 0, cb, arg);
	else if (c == 0)
		keydec_emit(kd, ' ', KEYDEC_MOD_CTRL, cb, arg);
	else if (c < 0x1b)
		keydec_emit(kd, 'a' + c - 1, KEYDEC_MOD_CTRL, cb, arg);
	else if (c > 0x1b && c < 0x20)
		keydec_emit(kd, "\\]^_"[c - 0x1c], KEYDEC_MOD_CTRL, cb, arg);
	else
		keydec_emit(kd, c, 0, cb, arg);
}

/* Length of the UTF-8 sequence a lead byte starts, 0 if it starts none. */
static size_t
keydec_utf8_len(unsigned char c)
{
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

/* Parses CSI parameters "n;n;n" from seq[from..seqlen); returns the count. */
static int
keydec_params(const struct keydec *kd, size_t from, int *p)
{
	int n = 0;

	p[0] = 0;
	for (size_t i = from; i < kd->seqlen; i++) {
		unsigned char c = kd->seq[i];

		if (c >= '0' && c <= '9') {
			if (n == 0)
				n = 1;
			if (p[n - 1] < 100000)
				p[n - 1] = p[n - 1] * 10 + (c - '0');
		} else if (c == ';' || c == ':') {
			if (n == 0)
				n = 1;
			if (n == KD_MAX_PARAMS)
				break;
			p[n++] = 0;
		}
	}
	return n;
}

static void
keydec_paste_add(struct keydec *kd, const char *s, size_t n)
{
	if (kd->paste_len + n > KEYDEC_PASTE_MAX) {
		kd->paste_flags |= KEYDEC_PASTE_TRUNCATED;
		n = KEYDEC_PASTE_MAX - kd->paste_len;
	}
	if (n == 0)
		return;
	if (kd->paste_len + n > kd->paste_cap) {
		size_t cap = kd->paste_cap ? kd->paste_cap : 4096;
		char *p;

		while (cap < kd->paste_len + n)
			cap *= 2;
		if (cap > KEYDEC_PASTE_MAX)
			cap = KEYDEC_PASTE_MAX;
		if ((p = realloc(kd->paste, cap)) == NULL) {
			kd->paste_flags |= KEYDEC_PASTE_TRUNCATED;
			return;
		}
		kd->paste = p;
		kd->paste_cap = cap;
	}
	memcpy(kd->paste + kd->paste_len, s, n);
	kd->paste_len += n;
}

static void
keydec_paste_done(struct keydec *kd, keydec_cb *cb, void *arg)
{
	struct keydec_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = KEYDEC_EV_PASTE;
	ev.paste = kd->paste_len ? kd->paste : "";
	ev.paste_len = kd->paste_len;
	ev.paste_flags = kd->paste_flags;
	cb(&ev, arg);
	kd->paste_len = 0;
	kd->paste_flags = 0;
	kd->paste_match = 0;
	/* A big paste's buffer is not kept around. */
	if (kd->paste_cap > 65536) {
		free(kd->paste);
		kd->paste = NULL;
		kd->paste_cap = 0;
	}
	keydec_reset(kd);
}

/* The key of "CSI n ~" (and rxvt's ^ $ @ forms), 0 for none. */
static uint32_t
keydec_tilde(int n)
{
	static const uint32_t map[] = {
	    [1] = KEYDEC_HOME,     [2] = KEYDEC_INS,      [3] = KEYDEC_DEL,
	    [4] = KEYDEC_END,      [5] = KEYDEC_PGUP,     [6] = KEYDEC_PGDN,
	    [7] = KEYDEC_HOME,     [8] = KEYDEC_END,      [11] = KEYDEC_F1,
	    [12] = KEYDEC_F1 + 1,  [13] = KEYDEC_F1 + 2,  [14] = KEYDEC_F1 + 3,
	    [15] = KEYDEC_F1 + 4,  [17] = KEYDEC_F1 + 5,  [18] = KEYDEC_F1 + 6,
	    [19] = KEYDEC_F1 + 7,  [20] = KEYDEC_F1 + 8,  [21] = KEYDEC_F1 + 9,
	    [23] = KEYDEC_F1 + 10, [24] = KEYDEC_F1 + 11,
	};

	if (n < 0 || (size_t)n >= sizeof(map) / sizeof(map[0]))
		return 0;
	return map[n];
}

/* A code point from CSI u / modifyOtherKeys as a key; 0 for none. */
static uint32_t
keydec_codepoint_key(int cp, unsigned *mods)
{
	if (cp == 13)
		return KEYDEC_ENTER;
	if (cp == 9)
		return KEYDEC_TAB;
	if (cp == 127 || cp == 8)
		return KEYDEC_BSPACE;
	if (cp == 27)
		return KEYDEC_ESC;
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	if ((*mods & KEYDEC_MOD_CTRL) && cp >= 'A' && cp <= 'Z')
		cp += 'a' - 'A';
	/* A character already says its shift ("A", not "S-a"). */
	*mods &= ~(unsigned)KEYDEC_MOD_SHIFT;
	return (uint32_t)cp;
}

/* A finished CSI sequence (final byte f): a key, a paste start, or
 * nothing (replies and unknown sequences are dropped here). */
static void
keydec_csi(struct keydec *kd, unsigned char f, keydec_cb *cb, void *arg)
{
	int p[KD_MAX_PARAMS];
	int n;
	unsigned mods;
	uint32_t key = 0;

	kd->state = KD_GROUND;
	if (kd->seqlen > 0 && kd->seq[0] == '<') {
		/* SGR mouse: only the wheel is a key. */
		n = keydec_params(kd, 1, p);
		if (f == 'M' && n >= 3 && (p[0] & ~(4 | 8 | 16 | 32)) >= 64 &&
		    (p[0] & ~(4 | 8 | 16 | 32)) <= 65) {
			unsigned m = 0;

			if (p[0] & 4)
				m |= KEYDEC_MOD_SHIFT;
			if (p[0] & 8)
				m |= KEYDEC_MOD_META;
			if (p[0] & 16)
				m |= KEYDEC_MOD_CTRL;
			keydec_wheel(kd, p[0] & 1, m, p[1], p[2], cb, arg);
		}
		goto drop;
	}
	/* Private forms (DA, DECRPM, kitty replies) and intermediates. */
	for (size_t i = 0; i < kd->seqlen; i++) {
		unsigned char c = kd->seq[i];

		if (c < '0' || c > ';')
			goto drop;
	}
	n = keydec_params(kd, 0, p);
	mods = n >= 2 ? keydec_xmods(p[1]) : 0;
	switch (f) {
	case 'A':
		key = KEYDEC_UP;
		break;
	case 'B':
		key = KEYDEC_DOWN;
		break;
	case 'C':
		key = KEYDEC_RIGHT;
		break;
	case 'D':
		key = KEYDEC_LEFT;
		break;
	case 'H':
		key = KEYDEC_HOME;
		break;
	case 'F':
		key = KEYDEC_END;
		break;
	case 'Z':
		key = KEYDEC_TAB;
		mods |= KEYDEC_MOD_SHIFT;
		break;
	case 'P':
		key = KEYDEC_F1;
		break;
	case 'Q':
		key = KEYDEC_F1 + 1;
		break;
	case 'S':
		key = KEYDEC_F1 + 3;
		break;
	/* 'R' is a cursor position report (and xterm's modified F3, which
	 * cannot be told from one): always dropped. */
	case 'a':
	case 'b':
	case 'c':
	case 'd':
		/* rxvt: shifted arrows (a bare "CSI c" only; DA replies have
		 * a '?' or '>' and were dropped above). */
		if (n == 0) {
			key = (uint32_t[]){KEYDEC_UP, KEYDEC_DOWN, KEYDEC_RIGHT,
					   KEYDEC_LEFT}[f - 'a'];
			mods = KEYDEC_MOD_SHIFT;
		}
		break;
	case 'M':
		if (n == 0) {
			kd->state = KD_X10;
			kd->need = 3;
			kd->seqlen = 0;
			return;
		}
		break;
	case 'u':
		if (n >= 1)
			key = keydec_codepoint_key(p[0], &mods);
		break;
	case '~':
	case '^':
	case '$':
	case '@':
		if (n == 0)
			break;
		/* Exactly ESC[200~ (not 200;5~ or 0200~) starts a paste. */
		if (f == '~' && kd->seqlen == 3 &&
		    memcmp(kd->seq, "200", 3) == 0) {
			kd->state = KD_PASTE;
			kd->paste_len = 0;
			kd->paste_flags = 0;
			kd->paste_match = 0;
			kd->meta = 0;
			kd->seqlen = 0;
			return;
		}
		if (f == '~' && p[0] == 27 && n >= 3) {
			/* xterm modifyOtherKeys: CSI 27 ; mods ; code ~ */
			key = keydec_codepoint_key(p[2], &mods);
			break;
		}
		key = keydec_tilde(p[0]);
		if (f == '^')
			mods = KEYDEC_MOD_CTRL;
		else if (f == '$')
			mods = KEYDEC_MOD_SHIFT;
		else if (f == '@')
			mods = KEYDEC_MOD_CTRL | KEYDEC_MOD_SHIFT;
		break;
	default:
		break;
	}
	if (key != 0) {
		kd->seqlen = 0;
		keydec_emit(kd, key, mods, cb, arg);
		return;
	}
drop:
	kd->meta = 0;
	kd->seqlen = 0;
}

/* The final byte of an SS3 sequence (ESC O [digits] f). */
static void
keydec_ss3(struct keydec *kd, unsigned char f, keydec_cb *cb, void *arg)
{
	int p[KD_MAX_PARAMS];
	int n = keydec_params(kd, 0, p);
	unsigned mods = n ? keydec_xmods(p[n - 1]) : 0;
	uint32_t key = 0;
	const char *s;
	static const char keypad[] = "jklmnopqrstuvwxy";

	kd->state = KD_GROUND;
	kd->seqlen = 0;
	if (f >= 'A' && f <= 'D')
		key = (uint32_t[]){KEYDEC_UP, KEYDEC_DOWN, KEYDEC_RIGHT,
				   KEYDEC_LEFT}[f - 'A'];
	else if (f == 'H')
		key = KEYDEC_HOME;
	else if (f == 'F')
		key = KEYDEC_END;
	else if (f >= 'P' && f <= 'S')
		key = KEYDEC_F1 + (f - 'P');
	else if (f == 'M')
		key = KEYDEC_ENTER;
	else if (f == 'X')
		key = '=';
	else if (f >= 'a' && f <= 'd') {
		/* rxvt: control arrows. */
		key = (uint32_t[]){KEYDEC_UP, KEYDEC_DOWN, KEYDEC_RIGHT,
				   KEYDEC_LEFT}[f - 'a'];
		mods = KEYDEC_MOD_CTRL;
	} else if (f != 0 && (s = strchr(keypad, f)) != NULL)
		key = (uint32_t) "*+,-./0123456789"[s - keypad];
	if (key != 0)
		keydec_emit(kd, key, mods, cb, arg);
	else
		kd->meta = 0;
}

static void keydec_byte(struct keydec *kd, unsigned char c, keydec_cb *cb,
			void *arg);

/* A byte in the ground state (also after an ESC prefix). */
static void
keydec_ground(struct keydec *kd, unsigned char c, keydec_cb *cb, void *arg)
{
	if (c == 0x1b) {
		kd->state = KD_ESC;
		return;
	}
	if (c < 0x80) {
		keydec_ascii(kd, c, cb, arg);
		return;
	}
	if ((kd->need = keydec_utf8_len(c)) == 0) {
		kd->meta = 0; /* a stray byte: dropped with its prefix */
		return;
	}
	kd->need--;
	kd->seq[0] = c;
	kd->seqlen = 1;
	kd->state = KD_UTF8;
}

static void
keydec_utf8(struct keydec *kd, unsigned char c, keydec_cb *cb, void *arg)
{
	uint32_t cp;

	if ((c & 0xc0) != 0x80) {
		/* Cut short: drop what came and read c afresh. */
		keydec_reset(kd);
		keydec_byte(kd, c, cb, arg);
		return;
	}
	kd->seq[kd->seqlen++] = c;
	if (--kd->need > 0)
		return;
	kd->state = KD_GROUND;
	if (sanitize_utf8_next(kd->seq, kd->seqlen, &cp) == kd->seqlen &&
	    cp != SANITIZE_BAD_UTF8 && cp >= 0xa0)
		keydec_emit(kd, cp, 0, cb, arg);
	else
		kd->meta = 0;
	kd->seqlen = 0;
}

static void
keydec_esc(struct keydec *kd, unsigned char c, keydec_cb *cb, void *arg)
{
	kd->seqlen = 0;
	switch (c) {
	case '[':
		kd->state = KD_CSI;
		return;
	case 'O':
		kd->state = KD_SS3;
		return;
	case ']':
	case 'P':
	case '_':
		kd->state = KD_STRING;
		kd->intro = c;
		kd->str_esc = 0;
		kd->str_len = 0;
		return;
	case 0x1b:
		if (kd->meta)
			keydec_emit(kd, KEYDEC_ESC, 0, cb, arg);
		else
			kd->meta = KEYDEC_MOD_META;
		return;
	default:
		kd->meta = KEYDEC_MOD_META;
		kd->state = KD_GROUND;
		keydec_ground(kd, c, cb, arg);
		return;
	}
}

static void
keydec_csi_byte(struct keydec *kd, unsigned char c, keydec_cb *cb, void *arg)
{
	if (kd->seqlen == 0 && c == '[' && kd->state == KD_CSI) {
		kd->state = KD_LINUXF;
		return;
	}
	if (c >= 0x20 && c <= 0x3f) {
		/* rxvt ends "CSI 3 $" with '$' (shift): a final here. */
		if (c == '$' && kd->state == KD_CSI && kd->seqlen > 0 &&
		    strspn((const char *)kd->seq, "0123456789") >= kd->seqlen) {
			keydec_csi(kd, c, cb, arg);
			return;
		}
		if (kd->seqlen < KEYDEC_SEQ_MAX - 1) {
			kd->seq[kd->seqlen++] = c;
			kd->seq[kd->seqlen] = 0;
		} else
			kd->state = KD_CSI_DROP;
		return;
	}
	if (c >= 0x40 && c <= 0x7e) {
		if (kd->state == KD_CSI)
			keydec_csi(kd, c, cb, arg);
		else
			keydec_reset(kd);
		return;
	}
	/* A control or a high byte inside a sequence cancels it. */
	keydec_reset(kd);
	if (c == 0x1b)
		kd->state = KD_ESC;
	else if (c != 0x18 && c != 0x1a)
		keydec_byte(kd, c, cb, arg);
}

static void
keydec_string(struct keydec *kd, unsigned char c, keydec_cb *cb, void *arg)
{
	if (kd->str_esc) {
		kd->str_esc = 0;
		keydec_reset(kd);
		if (c != '\\') {
			/* ESC ends the string and starts something new. */
			kd->state = KD_ESC;
			keydec_byte(kd, c, cb, arg);
		}
		return;
	}
	if (c == 0x07 || c == 0x18 || c == 0x1a) {
		keydec_reset(kd);
		return;
	}
	if (c == 0x1b)
		kd->str_esc = 1;
	kd->str_len++;
}

static void
keydec_x10(struct keydec *kd, unsigned char c, keydec_cb *cb, void *arg)
{
	kd->seq[kd->seqlen++] = c;
	if (--kd->need > 0)
		return;
	kd->state = KD_GROUND;
	kd->seqlen = 0;
	if (kd->seq[0] >= 32 + 64 && kd->seq[0] <= 32 + 65) {
		keydec_wheel(kd, kd->seq[0] & 1, 0, kd->seq[1] - 32,
			     kd->seq[2] - 32, cb, arg);
	} else
		kd->meta = 0;
}

static void
keydec_paste_byte(struct keydec *kd, unsigned char c, keydec_cb *cb, void *arg)
{
	if (c == (unsigned char)keydec_paste_end[kd->paste_match]) {
		if (++kd->paste_match == KD_PASTE_END_LEN)
			keydec_paste_done(kd, cb, arg);
		return;
	}
	/* Not the end after all: keep what was matched as text. ESC occurs
	 * only at the start of the end marker, so no other overlap exists. */
	keydec_paste_add(kd, keydec_paste_end, kd->paste_match);
	kd->paste_match = 0;
	if (c == 0x1b)
		kd->paste_match = 1;
	else
		keydec_paste_add(kd, (const char *)&c, 1);
}

static void
keydec_byte(struct keydec *kd, unsigned char c, keydec_cb *cb, void *arg)
{
	switch (kd->state) {
	case KD_GROUND:
		keydec_ground(kd, c, cb, arg);
		break;
	case KD_UTF8:
		keydec_utf8(kd, c, cb, arg);
		break;
	case KD_ESC:
		keydec_esc(kd, c, cb, arg);
		break;
	case KD_CSI:
	case KD_CSI_DROP:
		keydec_csi_byte(kd, c, cb, arg);
		break;
	case KD_SS3:
		if ((c >= '0' && c <= '9') || c == ';') {
			if (kd->seqlen < KEYDEC_SEQ_MAX - 1)
				kd->seq[kd->seqlen++] = c;
		} else if (c >= 0x20 && c <= 0x7e)
			keydec_ss3(kd, c, cb, arg);
		else {
			keydec_reset(kd);
			keydec_byte(kd, c, cb, arg);
		}
		break;
	case KD_LINUXF:
		kd->state = KD_GROUND;
		if (c >= 'A' && c <= 'E')
			keydec_emit(kd, KEYDEC_F1 + (c - 'A'), 0, cb, arg);
		else
			keydec_reset(kd);
		break;
	case KD_STRING:
		keydec_string(kd, c, cb, arg);
		break;
	case KD_X10:
		keydec_x10(kd, c, cb, arg);
		break;
	case KD_PASTE:
		keydec_paste_byte(kd, c, cb, arg);
		break;
	}
}

void
keydec_feed(struct keydec *kd, const char *buf, size_t len, keydec_cb *cb,
	    void *arg)
{
	for (size_t i = 0; i < len; i++) {
		/* The inside of a paste is copied in runs, not bytewise. */
		if (kd->state == KD_PASTE && kd->paste_match == 0) {
			const char *e = memchr(buf + i, 0x1b, len - i);
			size_t run = e ? (size_t)(e - (buf + i)) : len - i;

			if (run > 0) {
				keydec_paste_add(kd, buf + i, run);
				i += run - 1;
				continue;
			}
		}
		keydec_byte(kd, (unsigned char)buf[i], cb, arg);
	}
}

int
keydec_timeout_ms(const struct keydec *kd)
{
	switch (kd->state) {
	case KD_GROUND:
		return 0;
	case KD_STRING:
	case KD_PASTE:
		return KEYDEC_STRING_TIMEOUT_MS;
	default:
		return KEYDEC_TIMEOUT_MS;
	}
}

void
keydec_timeout(struct keydec *kd, keydec_cb *cb, void *arg)
{
	switch (kd->state) {
	case KD_ESC:
		/* ESC alone is Esc; ESC ESC (meta set) is M-Esc. */
		kd->state = KD_GROUND;
		keydec_emit(kd, KEYDEC_ESC, 0, cb, arg);
		break;
	case KD_CSI:
	case KD_SS3:
		if (kd->seqlen == 0)
			keydec_emit(kd, kd->state == KD_CSI ? '[' : 'O',
				    KEYDEC_MOD_META, cb, arg);
		break;
	case KD_STRING:
		if (kd->str_len == 0 && !kd->str_esc)
			keydec_emit(kd, kd->intro, KEYDEC_MOD_META, cb, arg);
		break;
	case KD_PASTE:
		keydec_paste_add(kd, keydec_paste_end, kd->paste_match);
		kd->paste_flags |= KEYDEC_PASTE_UNENDED;
		keydec_paste_done(kd, cb, arg);
		break;
	default:
		break;
	}
	keydec_reset(kd);
}
