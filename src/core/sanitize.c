/*
 * sanitize.c: makes hostile text safe for a terminal (no escape sequences,
 * no bidi tricks, always valid UTF-8) and holds the strict UTF-8 decoder
 * shared with the JSON writer and the command parser. Library tier.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "sanitize.h"
#include "ward.h"

/* Worst-case growth: a C1 control (2 bytes) becomes "<U+0085>" (8 bytes). */
#define SANITIZE_GROWTH 4

static const unsigned char sanitize_replacement[] = {0xef, 0xbf, 0xbd};

/*
 * The allowed range of the second byte after each lead byte (Unicode
 * Table 3-7); every later byte is 80..BF. Ranges that exclude overlongs,
 * surrogates and code points above U+10FFFF.
 */
static int
sanitize_lead(unsigned char c, size_t *need, unsigned char *lo,
	      unsigned char *hi)
{
	*lo = 0x80;
	*hi = 0xbf;
	if (c >= 0xc2 && c <= 0xdf)
		*need = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		*need = 3;
		if (c == 0xe0)
			*lo = 0xa0;
		else if (c == 0xed)
			*hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		*need = 4;
		if (c == 0xf0)
			*lo = 0x90;
		else if (c == 0xf4)
			*hi = 0x8f;
	} else
		return 0;
	return 1;
}

size_t
sanitize_utf8_next(const unsigned char *s, size_t len, uint32_t *cp)
{
	static const unsigned char lead_mask[] = {0, 0, 0x1f, 0x0f, 0x07};
	unsigned char lo, hi;
	size_t need, i;
	uint32_t v;

	*cp = SANITIZE_BAD_UTF8;
	if (len == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (!sanitize_lead(s[0], &need, &lo, &hi))
		return 1;
	v = s[0] & lead_mask[need];
	for (i = 1; i < need; i++) {
		if (i >= len || s[i] < lo || s[i] > hi)
			return i; /* the maximal subpart ends here */
		v = (v << 6) | (s[i] & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}
	*cp = v;
	return need;
}

int
sanitize_is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

int
sanitize_is_format(uint32_t cp)
{
	return cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	       (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

int
sanitize_is_invisible(uint32_t cp)
{
	return cp == 0x180e || (cp >= 0x200b && cp <= 0x200d) ||
	       (cp >= 0x2060 && cp <= 0x2064) || cp == 0xfeff;
}

/* Appends one C0 control or DEL in caret form ("^[", "^?"). */
static int
sanitize_put_caret(struct wbuf *out, uint32_t cp)
{
	char s[2];

	s[0] = '^';
	s[1] = cp == 0x7f ? '?' : (char)('@' + cp);
	return wbuf_put(out, s, sizeof(s));
}

/* Appends "<U+XXXX>". */
static int
sanitize_put_codepoint(struct wbuf *out, uint32_t cp)
{
	char s[16];
	int n;

	n = snprintf(s, sizeof(s), "<U+%04X>", (unsigned int)cp);
	if (n < 0 || (size_t)n >= sizeof(s))
		return WARD_ERR_INVAL;
	return wbuf_put(out, s, (size_t)n);
}

int
sanitize_append(struct wbuf *out, const char *in, size_t len, int flags)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, n;
	uint32_t cp;
	int r;

	while (i < len) {
		n = sanitize_utf8_next(s + i, len - i, &cp);
		if (cp == SANITIZE_BAD_UTF8)
			r = wbuf_put(out, sanitize_replacement,
				     sizeof(sanitize_replacement));
		else if (cp == '\t')
			r = wbuf_put(out, " ", 1);
		else if (cp == '\n' && (flags & SANITIZE_NEWLINES))
			r = wbuf_put(out, "\n", 1);
		else if (cp == '\r' && (flags & SANITIZE_NEWLINES) &&
			 i + 1 < len && s[i + 1] == '\n')
			r = WARD_OK; /* "\r\n": the '\n' comes next */
		else if (cp < 0x20 || cp == 0x7f)
			r = sanitize_put_caret(out, cp);
		else if (sanitize_is_control(cp) || sanitize_is_format(cp) ||
			 ((flags & SANITIZE_INVISIBLE) &&
			  sanitize_is_invisible(cp)))
			r = sanitize_put_codepoint(out, cp);
		else
			r = wbuf_put(out, s + i, n);
		if (r != WARD_OK)
			return r;
		i += n;
	}
	return WARD_OK;
}

/* Runs sanitize_append() into a fresh buffer sized for the worst case. */
static char *
sanitize_to_string(const char *in, size_t len, int flags, size_t *outlen)
{
	struct wbuf b;
	char *res = NULL;
	size_t n;

	if (outlen != NULL)
		*outlen = 0;
	if (len > (SIZE_MAX - 1) / SANITIZE_GROWTH)
		return NULL;
	wbuf_init(&b, len * SANITIZE_GROWTH + 1);
	if (sanitize_append(&b, in, len, flags) != WARD_OK)
		goto out;
	n = wbuf_avail(&b);
	if ((res = malloc(n + 1)) == NULL)
		goto out;
	if (n > 0)
		memcpy(res, wbuf_ptr(&b), n);
	res[n] = '\0';
	if (outlen != NULL)
		*outlen = n;
out:
	wbuf_free(&b);
	return res;
}

char *
sanitize_for_terminal(const char *in, size_t len, size_t *outlen)
{
	return sanitize_to_string(in, len, 0, outlen);
}

char *
sanitize_multiline(const char *in, size_t len, size_t *outlen)
{
	return sanitize_to_string(in, len, SANITIZE_NEWLINES, outlen);
}

char *
sanitize_for_log(const char *in, size_t len, size_t *outlen)
{
	return sanitize_to_string(in, len, SANITIZE_INVISIBLE, outlen);
}
