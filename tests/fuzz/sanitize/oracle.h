/*
 * oracle.h: an independent UTF-8 and "safe text" check for the fuzz
 * harnesses (sanitize, json, cmdparse). Written differently from
 * sanitize_utf8_next() on purpose, so that one cannot hide the other's bug.
 */
#ifndef WARD_FUZZ_ORACLE_H
#define WARD_FUZZ_ORACLE_H

#include <stddef.h>
#include <stdint.h>

/* Decodes by bit pattern, then rejects overlongs, surrogates and
 * values above U+10FFFF. Returns bytes used, 0 if ill-formed. */
static inline size_t
oracle_next(const unsigned char *s, size_t len, uint32_t *cp)
{
	static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
	size_t n, i;
	uint32_t v;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		v = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		v = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		v = s[0] & 0x07;
	} else
		return 0;
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min[n] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

/* C0, DEL, C1, bidi controls, U+2028/U+2029. */
static inline int
oracle_unsafe(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c ||
	       cp == 0x200e || cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/* 1 for the zero-width and invisible code points that JSON events and
 * ward.log also escape (U+180E, U+200B-U+200D, U+2060-U+2064, U+FEFF):
 * written out here again, not taken from sanitize.c. */
static inline int
oracle_invisible(uint32_t cp)
{
	return cp == 0x180e || cp == 0x200b || cp == 0x200c || cp == 0x200d ||
	       (cp >= 0x2060 && cp <= 0x2064) || cp == 0xfeff;
}

/* 1 if s is valid UTF-8. */
static inline int
oracle_valid(const unsigned char *s, size_t len)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		if ((n = oracle_next(s + i, len - i, &cp)) == 0)
			return 0;
		i += n;
	}
	return 1;
}

/* 1 if valid UTF-8 holding no unsafe code point ('\n' allowed when
 * allow_nl, tab when allow_tab). */
static inline int
oracle_safe(const unsigned char *s, size_t len, int allow_nl, int allow_tab)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		if ((n = oracle_next(s + i, len - i, &cp)) == 0)
			return 0;
		if (oracle_unsafe(cp) && !(allow_nl && cp == '\n') &&
		    !(allow_tab && cp == '\t'))
			return 0;
		i += n;
	}
	return 1;
}

/* 1 if valid UTF-8 without C0, DEL or C1 controls other than tab (what
 * the command parser accepts: bidi controls may be in message text). */
static inline int
oracle_command_text(const unsigned char *s, size_t len)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		if ((n = oracle_next(s + i, len - i, &cp)) == 0)
			return 0;
		if (cp != '\t' && (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)))
			return 0;
		i += n;
	}
	return 1;
}

#endif
