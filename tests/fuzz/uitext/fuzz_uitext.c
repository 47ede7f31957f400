/*
 * fuzz_uitext.c: libFuzzer harness for ui/text: display strings in every
 * mode, then wrapping at widths taken from the input. Asserts what the
 * drawing file relies on: valid UTF-8, no control but the marks (and '\n'
 * in bodies), no DEL, C1, bidi or zero-width character outside what the
 * rules keep, balanced marks, rows within width and strictly increasing;
 * uw_fit never cuts a cluster; skeletons are valid UTF-8 and a name never
 * collides with itself; colours stay in their palettes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text/colour.h"
#include "text/display.h"
#include "skeleton.h"
#include "text/width.h"
#include "text/wrap.h"

#define FUZZ_ROWS 256

static int
fuzz_bidi(uint32_t cp)
{
	return cp == 0x061C || cp == 0x200E || cp == 0x200F ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Invisible characters no mode keeps anywhere (ZWJ, ZWNJ and tags have
 * exceptions inside emoji sequences and scripts). */
static int
fuzz_invisible(uint32_t cp)
{
	return cp == 0x200B || (cp >= 0x2060 && cp <= 0x2064) || cp == 0xFEFF ||
	       cp == 0x00AD || cp == 0x180E || cp == 0x2028 || cp == 0x2029 ||
	       cp == 0x3164 || cp == 0x115F || cp == 0x034F;
}

static void
fuzz_check_dstr(const struct dstr *d, enum dstr_mode mode)
{
	size_t i = 0;
	int in_esc = 0;

	if (d->s == NULL || d->len > DSTR_MAX || strlen(d->s) != d->len)
		abort();
	while (i < d->len) {
		const unsigned char c = (const unsigned char)d->s[i];
		uint32_t cp;
		size_t n;

		if (c == DSTR_ESC_ON || c == DSTR_ESC_OFF) {
			/* Marks alternate, ON first. */
			if ((c == DSTR_ESC_ON) == in_esc)
				abort();
			in_esc = c == DSTR_ESC_ON;
			i++;
			continue;
		}
		if (in_esc && (c < 0x20 || c > 0x7E))
			abort(); /* escapes are printable ASCII */
		if (c == '\n') {
			if (mode != DSTR_BODY || in_esc)
				abort();
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7F)
			abort();
		n = uw_decode(d->s + i, d->len - i, &cp);
		if (cp == UW_INVALID || (cp >= 0x80 && cp < 0xA0) ||
		    fuzz_bidi(cp) || fuzz_invisible(cp))
			abort();
		if (mode == DSTR_NAME && cp == 0x200C)
			abort();
		i += n;
	}
	if (in_esc)
		abort();
}

/* Bytes of the one unit (escape or cluster) at s. */
static size_t
fuzz_unit(const char *s, size_t len)
{
	int cols;

	if (s[0] == DSTR_ESC_ON) {
		const char *off = memchr(s, DSTR_ESC_OFF, len);

		if (off != NULL)
			return (size_t)(off - s) + 1;
	}
	return uw_cluster(s, len, &cols);
}

static void
fuzz_check_wrap(const struct dstr *d, size_t first, size_t cont)
{
	static struct wrap_row rows[FUZZ_ROWS];
	size_t n = wrap_rows(d->s, d->len, first, cont, rows, FUZZ_ROWS);

	if (n == 0 || n != wrap_count(d->s, d->len, first, cont))
		abort();
	for (size_t i = 0; i < n && i < FUZZ_ROWS; i++) {
		const struct wrap_row *r = &rows[i];
		size_t w = i == 0 ? first : cont;

		if (r->end < r->start || r->end > d->len)
			abort();
		if (i > 0 && (r->start <= rows[i - 1].start ||
			      r->start < rows[i - 1].end))
			abort();
		if (r->cols != uw_str_width(d->s + r->start, r->end - r->start))
			abort();
		/* Wider than the row only as one unit. */
		if (r->cols > w &&
		    fuzz_unit(d->s + r->start, d->len - r->start) !=
			r->end - r->start)
			abort();
		/* A row never begins inside an escape unit. */
		if (d->s[r->start] == DSTR_ESC_OFF)
			abort();
		for (size_t j = r->start; j < r->end; j++)
			if (d->s[j] == '\n')
				abort();
	}
}

/* uw_fit's prefix ends on a cluster boundary and fits. */
static void
fuzz_check_fit(const char *s, size_t len, size_t cols)
{
	size_t used, p = uw_fit(s, len, cols, &used), i = 0, w = 0;

	if (p > len || used > cols)
		abort();
	while (i < p) {
		int c;

		i += uw_cluster(s + i, len - i, &c);
		w += (size_t)c;
	}
	if (i != p || w != used)
		abort();
}

/* wrap_fit's prefix of a display string fits and holds whole escapes. */
static void
fuzz_check_wrap_fit(const struct dstr *d, size_t cols)
{
	size_t used, p = wrap_fit(d->s, d->len, cols, &used);
	int open = 0;

	if (p > d->len || used > cols || used != uw_str_width(d->s, p))
		abort();
	for (size_t i = 0; i < p; i++) {
		if (d->s[i] == DSTR_ESC_ON)
			open++;
		else if (d->s[i] == DSTR_ESC_OFF)
			open--;
		else if (d->s[i] == '\n')
			abort();
	}
	if (open != 0)
		abort();
}

static void
fuzz_check_names(const char *s, size_t len)
{
	size_t n, i = 0;
	char *sk = skeleton_make(s, len, &n);
	const char *a = NULL, *b = NULL;
	int x;

	if (sk == NULL || sk[n] != '\0')
		abort();
	while (i < n) {
		uint32_t cp;

		i += uw_decode(sk + i, n - i, &cp);
		if (cp == UW_INVALID)
			abort();
	}
	free(sk);
	if (skeleton_collide(s, len, s, len) != 0)
		abort();
	if (skeleton_mixed(s, len, &a, &b) && (a == NULL || b == NULL))
		abort();
	x = colour_xterm256(s, len, COLOUR_CVD_NONE, COLOUR_BG_DARK);
	if (x < 16 || x > 231)
		abort();
	x = colour_ansi16(s, len, COLOUR_CVD_BLUE, COLOUR_BG_LIGHT);
	if (x < 1 || x > 6)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum dstr_mode modes[] = {DSTR_BODY, DSTR_LINE, DSTR_NAME};
	size_t first = 1, cont = 1;
	int clean = 1;

	if (size >= 2) {
		first = data[0] % 100;
		cont = data[1] % 100;
		data += 2;
		size -= 2;
	}
	for (size_t i = 0; i < size; i++)
		if (data[i] < 0x20 || data[i] > 0x7E)
			clean = 0;
	for (size_t m = 0; m < 3; m++) {
		struct dstr d;

		if (dstr_make(&d, (const char *)data, size, modes[m]) != 0)
			abort();
		fuzz_check_dstr(&d, modes[m]);
		/* Printable ASCII passes unchanged. */
		if (clean && (d.len != size || memcmp(d.s, data, size) != 0))
			abort();
		fuzz_check_wrap(&d, first, cont);
		fuzz_check_fit(d.s, d.len, first);
		fuzz_check_wrap_fit(&d, cont);
		dstr_strip_marks(&d);
		for (size_t i = 0; i < d.len; i++)
			if ((unsigned char)d.s[i] < 0x20 || d.s[i] == 0x7F)
				abort();
		dstr_free(&d);
	}
	fuzz_check_fit((const char *)data, size, cont);
	if (size <= 1024)
		fuzz_check_names((const char *)data, size);
	return 0;
}
