/*
 * skeleton.c: Unicode TS #39 skeletons (confusable detection) and
 * mixed-script detection for nicks and JIDs, over the generated tables
 * skeleton_table.c, script_table.c and skeleton_ignorable.c. In the core
 * so that the core's prompts (a subscription request from a look-alike
 * of a contact) and the UI's panes use the same code.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "skeleton.h"
#include "skeleton_table.h"

/* Hangul syllables decompose by formula (Unicode 3.12). */
#define SK_SBASE 0xAC00
#define SK_LBASE 0x1100
#define SK_VBASE 0x1161
#define SK_TBASE 0x11A7
#define SK_VCOUNT 21
#define SK_TCOUNT 28
#define SK_SCOUNT 11172

/* One character of s: an ill-formed byte is U+FFFD and uses one byte. */
static size_t
sk_decode(const char *s, size_t len, uint32_t *cp)
{
	size_t n = sanitize_utf8_next((const unsigned char *)s, len, cp);

	if (*cp == SANITIZE_BAD_UTF8) {
		*cp = 0xFFFD;
		return 1;
	}
	return n;
}

/* cp (a scalar value) as UTF-8 into out (4 bytes room). */
static size_t
sk_encode(uint32_t cp, char *out)
{
	if (cp >= 0xD800 && (cp <= 0xDFFF || cp > 0x10FFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | cp >> 12);
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | cp >> 18);
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

struct sk_buf {
	uint32_t *v;
	size_t n, cap;
};

static int
sk_push(struct sk_buf *b, uint32_t cp)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		uint32_t *v = realloc(b->v, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		b->v = v;
		b->cap = cap;
	}
	b->v[b->n++] = cp;
	return 0;
}

static const struct skt_map *
sk_find(uint32_t cp)
{
	size_t lo = 0, hi = skt_nmaps;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (skt_maps[mid].cp == cp)
			return &skt_maps[mid];
		if (skt_maps[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int
sk_ccc(uint32_t cp)
{
	return cp < 0x300 ? 0 : unirun_find(skt_cccs, skt_nccc, cp);
}

/* Appends the skeleton of one (non-Hangul-syllable) code point. */
static int
sk_map(struct sk_buf *b, uint32_t cp)
{
	const struct skt_map *m = sk_find(cp);

	if (m == NULL)
		return sk_push(b, cp);
	for (size_t i = 0; i < m->len; i++)
		if (sk_push(b, skt_pool[m->off + i]) != 0)
			return -1;
	return 0;
}

/* Canonical ordering: marks in a run sorted by class, stably. */
static void
sk_reorder(uint32_t *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		int c = sk_ccc(v[i]);

		for (size_t j = i; j > 0 && c != 0; j--) {
			int p = sk_ccc(v[j - 1]);
			uint32_t t;

			if (p <= c)
				break;
			t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	}
}

char *
skeleton_make(const char *s, size_t len, size_t *outlen)
{
	struct sk_buf b = {NULL, 0, 0};
	size_t i = 0, o = 0;
	char *out;

	while (i < len) {
		uint32_t cp;
		int r = 0;

		i += sk_decode(s + i, len - i, &cp);
		if (unirun_find(skt_ignorable, skt_nignorable, cp))
			continue; /* default ignorable */
		if (cp >= SK_SBASE && cp < SK_SBASE + SK_SCOUNT) {
			uint32_t si = cp - SK_SBASE;
			uint32_t t = si % SK_TCOUNT;

			r |=
			    sk_map(&b, SK_LBASE + si / (SK_VCOUNT * SK_TCOUNT));
			r |= sk_map(&b,
				    SK_VBASE + (si % (SK_VCOUNT * SK_TCOUNT)) /
						   SK_TCOUNT);
			if (t != 0)
				r |= sk_map(&b, SK_TBASE + t);
		} else {
			r = sk_map(&b, cp);
		}
		if (r != 0) {
			free(b.v);
			return NULL;
		}
	}
	sk_reorder(b.v, b.n);
	out = malloc(b.n * 4 + 1);
	if (out == NULL) {
		free(b.v);
		return NULL;
	}
	for (size_t k = 0; k < b.n; k++)
		o += sk_encode(b.v[k], out + o);
	out[o] = '\0';
	free(b.v);
	if (outlen != NULL)
		*outlen = o;
	return out;
}

int
skeleton_collide(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t la, lb;
	char *sa, *sb;
	int r;

	if (alen == blen && memcmp(a, b, alen) == 0)
		return 0;
	sa = skeleton_make(a, alen, &la);
	sb = skeleton_make(b, blen, &lb);
	if (sa == NULL || sb == NULL) {
		free(sa);
		free(sb);
		return -1;
	}
	r = la == lb && memcmp(sa, sb, la) == 0;
	free(sa);
	free(sb);
	return r;
}

static uint16_t
sk_script_set(uint32_t cp)
{
	return unirun_find(skt_scripts, skt_nscripts, cp);
}

static const char *
sk_first_name(const uint64_t *set)
{
	for (int w = 0; w < SKT_SET_WORDS; w++)
		for (int bit = 0; bit < 64; bit++)
			if (set[w] & ((uint64_t)1 << bit))
				return skt_script_names[w * 64 + bit];
	return NULL;
}

int
skeleton_mixed(const char *s, size_t len, const char **first,
	       const char **second)
{
	uint64_t all[SKT_SET_WORDS];
	size_t i = 0;
	int any = 0;

	while (i < len) {
		uint32_t cp;
		uint16_t k;
		uint64_t next[SKT_SET_WORDS], none = 0;

		i += sk_decode(s + i, len - i, &cp);
		if (cp == 0xFFFD)
			continue;
		k = sk_script_set(cp);
		if (k == 0)
			continue;
		for (int w = 0; w < SKT_SET_WORDS; w++) {
			next[w] =
			    any ? all[w] & skt_sets[k][w] : skt_sets[k][w];
			none |= next[w];
		}
		if (any && none == 0) {
			if (first != NULL)
				*first = sk_first_name(all);
			if (second != NULL)
				*second = sk_first_name(skt_sets[k]);
			return 1;
		}
		memcpy(all, next, sizeof(all));
		any = 1;
	}
	return 0;
}

int
skeleton_check(const char *name, size_t len, const char *const *others,
	       const size_t *olens, size_t n, size_t *like)
{
	int flags = 0;
	size_t sl;
	char *sk;

	if (skeleton_mixed(name, len, NULL, NULL))
		flags |= SKELETON_MIXED;
	sk = skeleton_make(name, len, &sl);
	if (sk == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		size_t ol;
		char *osk;

		if (olens[i] == len && memcmp(others[i], name, len) == 0)
			continue;
		osk = skeleton_make(others[i], olens[i], &ol);
		if (osk == NULL) {
			free(sk);
			return -1;
		}
		if (ol == sl && memcmp(osk, sk, sl) == 0) {
			flags |= SKELETON_LOOKALIKE;
			if (like != NULL)
				*like = i;
			free(osk);
			break;
		}
		free(osk);
	}
	free(sk);
	return flags;
}
