/*
 * width.c: UTF-8 decoding and encoding, terminal column widths and
 * grapheme clusters (UAX #29 extended clusters) over the one generated
 * table, width_table.c.
 */
#include <stddef.h>
#include <stdint.h>

#include "sanitize.h"
#include "text/width.h"
#include "text/width_table.h"

static int uw_ambiguous_wide;

void
uw_set_ambiguous_wide(int wide)
{
	uw_ambiguous_wide = wide != 0;
}

int
uwt_width(uint16_t a)
{
	if (uw_ambiguous_wide && (a & UWT_AMBIG))
		return 2;
	return UWT_WIDTH(a);
}

uint16_t
uwt_attr(uint32_t cp)
{
	if (cp < UWT_LOW)
		return uw_low[cp];
	if (cp > 0x10FFFF)
		return 3 | (UWT_CONTROL << 2);
	return unirun_find(uw_rows, uw_nrows, cp);
}

size_t
uw_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n;

	if (len > 0 && u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	/* The shared strict decoder; an ill-formed sequence here uses one
	 * byte so that each bad byte can be shown as \xNN. */
	n = sanitize_utf8_next(u, len, cp);
	if (*cp == SANITIZE_BAD_UTF8) {
		*cp = UW_INVALID;
		return len > 0 ? 1 : 0;
	}
	return n;
}

size_t
uw_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;

	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

int
uw_cp_width(uint32_t cp)
{
	int w;

	if (cp >= 0x20 && cp < 0x7F)
		return 1;
	w = uwt_width(uwt_attr(cp));
	return w == 3 ? -1 : w;
}

/* Whether UAX #29 keeps a and b (classes, attributes) in one cluster,
 * given the GB11 and GB12/13 state kept by the caller. */
static int
uw_joins(int ga, int gb, uint16_t ab, int pict_zwj, int ris)
{
	if (ga == UWT_CR && gb == UWT_LF)
		return 1;
	if (ga == UWT_CR || ga == UWT_LF || ga == UWT_CONTROL || gb == UWT_CR ||
	    gb == UWT_LF || gb == UWT_CONTROL)
		return 0;
	if (ga == UWT_L &&
	    (gb == UWT_L || gb == UWT_V || gb == UWT_LV || gb == UWT_LVT))
		return 1;
	if ((ga == UWT_LV || ga == UWT_V) && (gb == UWT_V || gb == UWT_T))
		return 1;
	if ((ga == UWT_LVT || ga == UWT_T) && gb == UWT_T)
		return 1;
	if (gb == UWT_EXTEND || gb == UWT_ZWJ || gb == UWT_SPACINGMARK)
		return 1;
	if (ga == UWT_PREPEND)
		return 1;
	if (ga == UWT_ZWJ && pict_zwj && (ab & UWT_EXTPICT))
		return 1;
	if (ga == UWT_RI && gb == UWT_RI && ris % 2 == 1)
		return 1;
	return 0;
}

size_t
uw_cluster(const char *s, size_t len, int *cols)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t cp;
	uint16_t a, base;
	size_t n, i;
	int g, w, c, in_pict, pict_zwj, ris, based;

	*cols = 0;
	if (len == 0)
		return 0;
	/* Printable ASCII followed by ASCII (or the end) stands alone. */
	if (u[0] >= 0x20 && u[0] < 0x7F && (len == 1 || u[1] < 0x80)) {
		*cols = 1;
		return 1;
	}
	n = uw_decode(s, len, &cp);
	if (cp == UW_INVALID) {
		*cols = 1;
		return n;
	}
	a = base = uwt_attr(cp);
	g = UWT_GBP(a);
	w = uwt_width(a);
	/* Controls (and ward's marks in a display string) take no column:
	 * they never reach the terminal as themselves. */
	c = w == 3 ? 0 : w;
	based = g != UWT_PREPEND;
	in_pict = (a & UWT_EXTPICT) != 0;
	pict_zwj = 0;
	ris = g == UWT_RI;
	for (i = n; i < len; i += n) {
		uint16_t b;
		int gb, wb;

		n = uw_decode(s + i, len - i, &cp);
		if (cp == UW_INVALID)
			break;
		b = uwt_attr(cp);
		gb = UWT_GBP(b);
		if (!uw_joins(g, gb, b, pict_zwj, ris))
			break;
		wb = uwt_width(b) == 3 ? 0 : uwt_width(b);
		if (!based) {
			/* The first character after Prepend ones is the base.
			 */
			base = b;
			based = gb != UWT_PREPEND;
			c += wb;
		} else if (cp == 0xFE0F) {
			if ((base & UWT_EMOJI_TEXT) && c < 2)
				c = 2;
		} else if (gb == UWT_EXTEND) {
			/* A skin tone after something that is not an emoji is
			 * drawn as a swatch of its own. */
			if (wb == 2 && !(base & UWT_EXTPICT))
				c += 2;
		} else if (gb == UWT_SPACINGMARK || gb == UWT_V ||
			   gb == UWT_T || gb == UWT_L || gb == UWT_RI) {
			c += wb;
		}
		/* GB11: ExtPict Extend* ZWJ x ExtPict. */
		if (gb == UWT_ZWJ)
			pict_zwj = in_pict;
		else if (gb != UWT_EXTEND)
			pict_zwj = 0;
		if (b & UWT_EXTPICT)
			in_pict = 1;
		else if (gb != UWT_EXTEND)
			in_pict = 0;
		if (gb == UWT_RI)
			ris++;
		g = gb;
	}
	*cols = c;
	return i;
}

size_t
uw_str_width(const char *s, size_t len)
{
	size_t i = 0, w = 0;

	while (i < len) {
		const unsigned char b = (const unsigned char)s[i];
		int c;

		if (b >= 0x20 && b < 0x7F &&
		    (i + 1 == len || (unsigned char)s[i + 1] < 0x80)) {
			i++;
			w++;
			continue;
		}
		i += uw_cluster(s + i, len - i, &c);
		w += (size_t)c;
	}
	return w;
}

size_t
uw_fit(const char *s, size_t len, size_t cols, size_t *used)
{
	size_t i = 0, w = 0;

	while (i < len) {
		int c;
		size_t n = uw_cluster(s + i, len - i, &c);

		if (w + (size_t)c > cols)
			break;
		w += (size_t)c;
		i += n;
	}
	if (used != NULL)
		*used = w;
	return i;
}
