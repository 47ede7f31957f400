/*
 * test_width.c: ui/text/width.c: strict UTF-8 decoding and encoding,
 * code point widths and grapheme clusters (CJK, emoji with VS16, ZWJ
 * families, flags, skin tones, combining marks, Hangul jamo).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "text/width.h"

#include "tests.h"

/* Bytes and columns of the first cluster of a literal. */
static void
check_cluster(const char *s, size_t want_bytes, int want_cols)
{
	int cols = -99;

	assert_int_equal(uw_cluster(s, strlen(s), &cols), want_bytes);
	assert_int_equal(cols, want_cols);
}

#define WIDTH(s) uw_str_width(s, strlen(s))

void
test_decode(void **state)
{
	uint32_t cp;

	(void)state;
	assert_int_equal(uw_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(uw_decode("\xc3\xa9", 2, &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(uw_decode("\xe2\x82\xac", 3, &cp), 3);
	assert_int_equal(cp, 0x20AC);
	assert_int_equal(uw_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1F600);
	assert_int_equal(uw_decode("\xf4\x8f\xbf\xbf", 4, &cp), 4);
	assert_int_equal(cp, 0x10FFFF);
	/* Past U+10FFFF, overlong, surrogate, stray continuation, cut short,
	 * 0xFF: one byte each, invalid. */
	static const char *const bad[] = {
	    "\xf4\x90\x80\x80", "\xc0\xaf",     "\xe0\x80\xaf",
	    "\xf0\x80\x80\xaf", "\xed\xa0\x80", "\x80",
	    "\xe2\x82",         "\xff",         "\xc1\xbf",
	    "\xf5\x80\x80\x80"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cp = 0;
		assert_int_equal(uw_decode(bad[i], strlen(bad[i]), &cp), 1);
		assert_int_equal(cp, UW_INVALID);
	}
	/* A valid sequence cut by len is invalid too. */
	assert_int_equal(uw_decode("\xc3\xa9", 1, &cp), 1);
	assert_int_equal(cp, UW_INVALID);
	assert_int_equal(uw_decode("", 0, &cp), 0);
}

void
test_encode(void **state)
{
	static const uint32_t cps[] = {0,       0x7F,    0x80,    0x7FF,
				       0x800,   0xD7FF,  0xE000,  0xFFFF,
				       0x10000, 0x1F600, 0x10FFFF};
	char buf[4];
	uint32_t back;

	(void)state;
	for (size_t i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		size_t n = uw_encode(cps[i], buf);

		assert_int_equal(uw_decode(buf, n, &back), n);
		assert_int_equal(back, cps[i]);
	}
	/* Surrogates and values past U+10FFFF come out as U+FFFD. */
	assert_int_equal(uw_encode(0xD800, buf), 3);
	assert_memory_equal(buf, "\xef\xbf\xbd", 3);
	assert_int_equal(uw_encode(0x110000, buf), 3);
	assert_memory_equal(buf, "\xef\xbf\xbd", 3);
}

void
test_cp_width(void **state)
{
	(void)state;
	assert_int_equal(uw_cp_width('a'), 1);
	assert_int_equal(uw_cp_width(' '), 1);
	assert_int_equal(uw_cp_width(0), -1);
	assert_int_equal(uw_cp_width(0x1B), -1);
	assert_int_equal(uw_cp_width(0x7F), -1);
	assert_int_equal(uw_cp_width(0x9B), -1);
	assert_int_equal(uw_cp_width(0xE9), 1);
	assert_int_equal(uw_cp_width(0x4E2D), 2);  /* 中 */
	assert_int_equal(uw_cp_width(0xFF21), 2);  /* fullwidth A */
	assert_int_equal(uw_cp_width(0xAC00), 2);  /* 가 */
	assert_int_equal(uw_cp_width(0x3000), 2);  /* ideographic space */
	assert_int_equal(uw_cp_width(0x20000), 2); /* CJK ext B */
	assert_int_equal(uw_cp_width(0x2FFF0), 2); /* unassigned plane 2 */
	assert_int_equal(uw_cp_width(0x1F600), 2); /* 😀 */
	assert_int_equal(uw_cp_width(0x2764), 1);  /* ❤ text default */
	assert_int_equal(uw_cp_width(0x0301), 0);  /* combining acute */
	assert_int_equal(uw_cp_width(0xFE0F), 0);
	assert_int_equal(uw_cp_width(0x200B), 0);
	assert_int_equal(uw_cp_width(0x200D), 0);
	assert_int_equal(uw_cp_width(0x1160), 0); /* Hangul jungseong */
	assert_int_equal(uw_cp_width(0x110000), -1);
	/* A regional indicator alone, a Hangul filler, an Arabic number sign
	 * and a soft hyphen: as glibc's wcwidth draws them. */
	assert_int_equal(uw_cp_width(0x1F1E9), 1);
	assert_int_equal(uw_cp_width(0x3164), 2);
	assert_int_equal(uw_cp_width(0x0600), 1);
	assert_int_equal(uw_cp_width(0x00AD), 1);
	assert_int_equal(uw_cp_width(UW_INVALID), -1);
}

void
test_clusters(void **state)
{
	(void)state;
	check_cluster("ab", 1, 1);
	check_cluster("\xe4\xb8\xad\xe6\x96\x87", 3, 2); /* 中文 */
	/* e + combining acute: one cluster, one column. */
	check_cluster("e\xcc\x81x", 3, 1);
	/* ❤ alone is narrow; ❤ + VS16 is a 2-column emoji. */
	check_cluster("\xe2\x9d\xa4", 3, 1);
	check_cluster("\xe2\x9d\xa4\xef\xb8\x8f!", 6, 2);
	/* VS15 changes nothing. */
	check_cluster("\xf0\x9f\x98\x80\xef\xb8\x8e", 7, 2);
	/* Family: man ZWJ woman ZWJ girl ZWJ boy, one cluster of 2. */
	check_cluster("\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80"
		      "\x8d\xf0\x9f\x91\xa7\xe2\x80\x8d\xf0\x9f\x91\xa6z",
		      25, 2);
	/* Flag of Germany (D E), then a third regional indicator alone. */
	check_cluster("\xf0\x9f\x87\xa9", 4, 1);
	check_cluster("\xf0\x9f\x87\xa9\xf0\x9f\x87\xaa\xf0\x9f\x87\xa9", 8, 2);
	assert_int_equal(WIDTH("\xf0\x9f\x87\xa9\xf0\x9f\x87\xaa\xf0\x9f"
			       "\x87\xa9\xf0\x9f\x87\xaa"),
			 4);
	/* Thumbs up + skin tone: one 2-column cluster. */
	check_cluster("\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd", 8, 2);
	/* A skin tone after a letter is drawn as its own swatch. */
	check_cluster("a\xf0\x9f\x8f\xbd", 5, 3);
	/* Woman astronaut with a skin tone: woman tone ZWJ rocket. */
	check_cluster("\xf0\x9f\x91\xa9\xf0\x9f\x8f\xbd\xe2\x80\x8d\xf0\x9f"
		      "\x9a\x80",
		      15, 2);
	/* ZWJ between letters does not join them. */
	check_cluster("a\xe2\x80\x8d"
		      "b",
		      4, 1);
	/* Hangul jamo L V T: one cluster of 2. */
	check_cluster("\xe1\x84\x80\xe1\x85\xa1\xe1\x86\xa8", 9, 2);
	/* CR LF is one cluster; controls take no column. */
	check_cluster("\r\nx", 2, 0);
	check_cluster("\001x", 1, 0);
	/* An invalid byte is a cluster of one column. */
	check_cluster("\xff\xcc\x81", 1, 1);
	check_cluster("", 0, 0);
}

void
test_zalgo_and_width(void **state)
{
	char buf[2 + 200 * 2];
	size_t n = 0;
	int cols;

	(void)state;
	assert_int_equal(WIDTH("hello"), 5);
	assert_int_equal(WIDTH("\xe4\xb8\xad\xe6\x96\x87"
			       "ab"),
			 6);
	assert_int_equal(WIDTH(""), 0);
	/* A base with 200 combining marks is one 1-column cluster. */
	buf[n++] = 'Z';
	for (int i = 0; i < 200; i++) {
		buf[n++] = '\xcd';
		buf[n++] = '\x82';
	}
	assert_int_equal(uw_cluster(buf, n, &cols), n);
	assert_int_equal(cols, 1);
	assert_int_equal(uw_str_width(buf, n), 1);
}

void
test_fit(void **state)
{
	const char *s = "ab\xe4\xb8\xad"
			"c";
	size_t used = 99;

	(void)state;
	assert_int_equal(uw_fit(s, strlen(s), 2, &used), 2);
	assert_int_equal(used, 2);
	/* 中 does not fit in one column left: never half a wide char. */
	assert_int_equal(uw_fit(s, strlen(s), 3, &used), 2);
	assert_int_equal(used, 2);
	assert_int_equal(uw_fit(s, strlen(s), 4, &used), 5);
	assert_int_equal(used, 4);
	assert_int_equal(uw_fit(s, strlen(s), 100, NULL), strlen(s));
	/* e + acute is never cut after the e. */
	assert_int_equal(uw_fit("xe\xcc\x81", 4, 2, &used), 4);
	assert_int_equal(uw_fit("xe\xcc\x81", 4, 1, &used), 1);
	assert_int_equal(uw_fit("abc", 3, 0, &used), 0);
	assert_int_equal(used, 0);
}

/* UAX #29's conformance cases (GraphemeBreakTest.txt, made into gbtest.inc
 * by gen_tables.py): uw_cluster finds exactly the listed boundaries. */
struct gb_case {
	const char *s;
	size_t len;
	size_t cuts[16];
	size_t ncuts;
};

static const struct gb_case gb_cases[] = {
#include "gbtest.inc"
};

void
test_grapheme_conformance(void **state)
{
	size_t failed = 0;

	(void)state;
	assert_true(sizeof(gb_cases) / sizeof(gb_cases[0]) > 500);
	for (size_t i = 0; i < sizeof(gb_cases) / sizeof(gb_cases[0]); i++) {
		const struct gb_case *c = &gb_cases[i];
		size_t pos = 0, k = 0;
		int ok = 1;

		while (pos < c->len) {
			int cols;

			pos += uw_cluster(c->s + pos, c->len - pos, &cols);
			if (k >= c->ncuts || c->cuts[k] != pos)
				ok = 0;
			k++;
		}
		if (!ok || k != c->ncuts) {
			print_error("grapheme case %zu differs\n", i);
			failed++;
		}
	}
	assert_int_equal(failed, 0);
}

void
test_ambiguous(void **state)
{
	int cols;

	(void)state;
	/* Greek alpha and a box-drawing line are East Asian Ambiguous. */
	assert_int_equal(uw_cp_width(0x03B1), 1);
	assert_int_equal(uw_cp_width(0x2500), 1);
	uw_set_ambiguous_wide(1);
	assert_int_equal(uw_cp_width(0x03B1), 2);
	assert_int_equal(uw_cp_width(0x2500), 2);
	assert_int_equal(uw_cluster("\xce\xb1\xcc\x81", 4, &cols), 4);
	assert_int_equal(cols, 2);
	/* Neither ASCII nor wide characters nor marks change. */
	assert_int_equal(uw_cp_width('a'), 1);
	assert_int_equal(uw_cp_width(0x4E2D), 2);
	assert_int_equal(uw_cp_width(0x0301), 0);
	assert_int_equal(uw_str_width("a\xce\xb1", 3), 3);
	uw_set_ambiguous_wide(0);
	assert_int_equal(uw_cp_width(0x03B1), 1);
	assert_int_equal(uw_str_width("a\xce\xb1", 3), 2);
}
