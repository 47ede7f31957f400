/*
 * display.c: builds display strings (display.h) from untrusted text in
 * one pass: controls, invalid bytes, bidi and invisible characters become
 * marked escapes, Zalgo runs are capped, the result is capped in size.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text/display.h"
#include "text/width.h"
#include "text/width_table.h"

/* Most output bytes one input byte can make: an invalid byte becomes
 * ON "\xNN" OFF. */
#define DSTR_GROWTH 6
/* The mark that ends a cut string: ON "..." OFF. */
#define DSTR_TAIL "\001...\002"
#define DSTR_TAIL_LEN 5
/* Longest unit written at once: ON "<U+XXXXX>" OFF, or a TAB's spaces. */
#define DSTR_UNIT_MAX 12
/* ZWJs kept in one emoji sequence (RGI sequences use at most 3). */
#define DSTR_MAX_ZWJ 4
/* Tag characters kept after U+1F3F4 (RGI subdivision flags use 5). */
#define DSTR_MAX_TAGS 8
#define DSTR_TAB 4

struct dstr_st {
	char *o;
	size_t pos;
	size_t col;    /* column in the current line, for TAB */
	int base;      /* something visible that marks may attach to */
	int ncomb;     /* marks kept on the current base */
	uint16_t prev; /* attributes of the last code point kept */
	int pict;      /* ExtPict base, then only Extend so far */
	int zwjs;      /* ZWJs kept in this emoji sequence */
	int after_zwj; /* the last code point kept was a kept ZWJ */
	int tags;      /* tags kept after U+1F3F4, or -1 */
};

static const char dstr_hex[] = "0123456789ABCDEF";

static void
dstr_esc_caret(struct dstr_st *st, unsigned char c)
{
	char *o = st->o + st->pos;

	o[0] = DSTR_ESC_ON;
	o[1] = '^';
	o[2] = c == 0x7F ? '?' : (char)(c ^ 0x40);
	o[3] = DSTR_ESC_OFF;
	st->pos += 4;
	st->col += 2;
}

static void
dstr_esc_byte(struct dstr_st *st, unsigned char c)
{
	char *o = st->o + st->pos;

	o[0] = DSTR_ESC_ON;
	o[1] = '\\';
	o[2] = 'x';
	o[3] = dstr_hex[c >> 4];
	o[4] = dstr_hex[c & 15];
	o[5] = DSTR_ESC_OFF;
	st->pos += 6;
	st->col += 4;
}

static void
dstr_esc_cp(struct dstr_st *st, uint32_t cp)
{
	char *o = st->o + st->pos;
	size_t n = 0;
	int digits = cp > 0xFFFF ? 5 : 4;

	if (cp > 0xFFFFF)
		digits = 6;
	o[n++] = DSTR_ESC_ON;
	o[n++] = '<';
	o[n++] = 'U';
	o[n++] = '+';
	for (int d = digits - 1; d >= 0; d--)
		o[n++] = dstr_hex[(cp >> (4 * d)) & 15];
	o[n++] = '>';
	o[n++] = DSTR_ESC_OFF;
	st->pos += n;
	st->col += n - 2;
}

/* After an escape or at a line start nothing may combine with what
 * precedes: a stray mark there is escaped too. */
static void
dstr_after_escape(struct dstr_st *st)
{
	st->base = 0;
	st->ncomb = 0;
	st->pict = 0;
	st->zwjs = 0;
	st->after_zwj = 0;
	st->tags = -1;
	st->prev = 0;
}

/* Attributes of the code point at s (or 0 at the end or a bad byte). */
static uint16_t
dstr_peek(const char *s, size_t len, uint32_t *cp)
{
	*cp = UW_INVALID;
	if (len == 0)
		return 0;
	uw_decode(s, len, cp);
	return *cp == UW_INVALID ? 0 : uwt_attr(*cp);
}

/* Whether an invisible code point is kept here (a joiner inside an emoji
 * sequence or, in bodies, between letters of scripts that need it; the
 * tags of a subdivision flag). */
static int
dstr_keep_invisible(struct dstr_st *st, uint32_t cp, const char *next,
		    size_t nlen, enum dstr_mode mode)
{
	uint32_t ncp;
	uint16_t na = dstr_peek(next, nlen, &ncp);

	if (cp == 0x200D && st->pict && (na & UWT_EXTPICT) &&
	    st->zwjs < DSTR_MAX_ZWJ)
		return 1;
	if ((cp == 0x200D || cp == 0x200C) && mode == DSTR_BODY &&
	    (st->prev & UWT_JOINCTX) && (na & UWT_JOINCTX) &&
	    st->ncomb < UW_MAX_COMBINING)
		return 1;
	if (cp >= 0xE0020 && cp <= 0xE007E && st->tags >= 0 &&
	    st->tags < DSTR_MAX_TAGS)
		return 1;
	if (cp == 0xE007F && st->tags > 0)
		return 1;
	return 0;
}

/* Appends one valid code point (n bytes at s) by the mode's rules. */
static void
dstr_put_cp(struct dstr_st *st, const char *s, size_t n, uint32_t cp,
	    const char *next, size_t nlen, enum dstr_mode mode)
{
	uint16_t a = uwt_attr(cp);
	int g = UWT_GBP(a);
	int w = uwt_width(a);

	if (cp >= 0x80 && cp < 0xA0) {
		dstr_esc_cp(st, cp);
		dstr_after_escape(st);
		return;
	}
	if (a & UWT_BIDI) {
		dstr_esc_cp(st, cp);
		dstr_after_escape(st);
		return;
	}
	if (a & UWT_INVIS) {
		if (!st->base ||
		    !dstr_keep_invisible(st, cp, next, nlen, mode)) {
			dstr_esc_cp(st, cp);
			dstr_after_escape(st);
			return;
		}
		if (cp == 0x200D && st->pict) {
			st->zwjs++;
			st->after_zwj = 1;
		} else if (cp >= 0xE0020) {
			st->tags = cp == 0xE007F ? -1 : st->tags + 1;
		} else {
			st->ncomb++;
		}
		memcpy(st->o + st->pos, s, n);
		st->pos += n;
		st->prev = a;
		return;
	}
	/* A skin tone with nothing to modify is an emoji of its own. */
	if ((g == UWT_EXTEND || g == UWT_SPACINGMARK || g == UWT_ZWJ) &&
	    !(w == 2 && !st->base)) {
		/* A variation selector in a name only after an emoji. */
		if (!st->base ||
		    ((a & UWT_VS) && mode == DSTR_NAME &&
		     !(st->prev & (UWT_EXTPICT | UWT_EMOJI_TEXT)))) {
			dstr_esc_cp(st, cp);
			dstr_after_escape(st);
			return;
		}
		if (++st->ncomb > UW_MAX_COMBINING)
			return; /* dropped: a Zalgo run is cut short */
		memcpy(st->o + st->pos, s, n);
		st->pos += n;
		st->col += w == 3 ? 0 : (size_t)w;
		/* A mark keeps its base's emoji flags; a virama or another
		 * letter mark may precede a joiner. */
		st->prev = (st->prev & (UWT_EXTPICT | UWT_EMOJI_TEXT)) |
			   (a & UWT_JOINCTX);
		st->tags = -1;
		return;
	}
	/* A base character. */
	memcpy(st->o + st->pos, s, n);
	st->pos += n;
	st->col += w == 3 ? 0 : (size_t)w;
	st->base = 1;
	st->ncomb = 0;
	if (!st->after_zwj)
		st->zwjs = 0;
	st->after_zwj = 0;
	st->pict = (a & UWT_EXTPICT) != 0;
	st->tags = cp == 0x1F3F4 ? 0 : -1;
	st->prev = a;
}

/* Appends a C0 control or DEL by the mode's rules. */
static void
dstr_put_control(struct dstr_st *st, unsigned char c, enum dstr_mode mode)
{
	if (c == '\n' && mode == DSTR_BODY) {
		st->o[st->pos++] = '\n';
		st->col = 0;
		dstr_after_escape(st);
		return;
	}
	if (c == '\t' && mode != DSTR_NAME) {
		size_t sp = DSTR_TAB - st->col % DSTR_TAB;

		memset(st->o + st->pos, ' ', sp);
		st->pos += sp;
		st->col += sp;
		st->base = 1;
		st->ncomb = 0;
		st->prev = 0;
		st->pict = 0;
		st->tags = -1;
		return;
	}
	dstr_esc_caret(st, c);
	dstr_after_escape(st);
}

int
dstr_make(struct dstr *out, const char *raw, size_t len, enum dstr_mode mode)
{
	struct dstr_st st;
	size_t cap, i = 0;
	const size_t limit = DSTR_MAX - DSTR_TAIL_LEN;

	out->s = NULL;
	out->len = 0;
	if (raw == NULL)
		len = 0;
	cap = len < DSTR_MAX / DSTR_GROWTH ? len * DSTR_GROWTH : DSTR_MAX;
	cap += DSTR_TAIL_LEN + DSTR_UNIT_MAX + 1;
	memset(&st, 0, sizeof(st));
	st.tags = -1;
	st.o = malloc(cap);
	if (st.o == NULL)
		return -1;
	while (i < len) {
		const unsigned char c = (const unsigned char)raw[i];
		uint32_t cp;
		size_t n;

		if (st.pos + DSTR_UNIT_MAX > limit) {
			memcpy(st.o + st.pos, DSTR_TAIL, DSTR_TAIL_LEN);
			st.pos += DSTR_TAIL_LEN;
			break;
		}
		if (c >= 0x20 && c < 0x7F) {
			st.o[st.pos++] = (char)c;
			st.col++;
			st.base = 1;
			st.ncomb = 0;
			st.prev = 0;
			st.pict = 0;
			st.zwjs = 0;
			st.after_zwj = 0;
			st.tags = -1;
			i++;
			continue;
		}
		if (c == '\r' && mode == DSTR_BODY && i + 1 < len &&
		    raw[i + 1] == '\n') {
			i++; /* CRLF is a line break, as in sanitize.c */
			continue;
		}
		if (c < 0x20 || c == 0x7F) {
			dstr_put_control(&st, c, mode);
			i++;
			continue;
		}
		n = uw_decode(raw + i, len - i, &cp);
		if (cp == UW_INVALID) {
			dstr_esc_byte(&st, c);
			dstr_after_escape(&st);
		} else {
			dstr_put_cp(&st, raw + i, n, cp, raw + i + n,
				    len - i - n, mode);
		}
		i += n;
	}
	st.o[st.pos] = '\0';
	/* Give back what the worst case reserved, when it is worth it. */
	if (cap - st.pos > 4096) {
		char *t = realloc(st.o, st.pos + 1);

		if (t != NULL)
			st.o = t;
	}
	out->s = st.o;
	out->len = st.pos;
	return 0;
}

int
dstr_from_cstr(struct dstr *out, const char *s, enum dstr_mode mode)
{
	return dstr_make(out, s, s == NULL ? 0 : strlen(s), mode);
}

void
dstr_free(struct dstr *d)
{
	if (d == NULL)
		return;
	free(d->s);
	d->s = NULL;
	d->len = 0;
}

void
dstr_strip_marks(struct dstr *d)
{
	size_t o = 0;

	if (d == NULL || d->s == NULL)
		return;
	for (size_t i = 0; i < d->len; i++) {
		char c = d->s[i];

		if (c == DSTR_ESC_ON || c == DSTR_ESC_OFF)
			continue;
		d->s[o++] = c == '\n' ? ' ' : c;
	}
	d->s[o] = '\0';
	d->len = o;
}
