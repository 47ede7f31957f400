/*
 * audit_slots.c: two XEP-0363 upload slots, asked for with the same file
 * name, judged for the manifesto's upload rules: the paths MUST hold a
 * sufficiently random part (two slots whose paths differ in a long,
 * mostly different segment; the same path twice, or paths that differ in
 * a few characters like a counter or a clock, fail) and SHOULD NOT hold
 * the owner's username (the localpart found in both paths at the same
 * place, or as a whole segment of both). Two samples cannot prove
 * randomness: "random-looking" is what the evidence claims. The slot URLs
 * are capabilities: the evidence describes their shape (host, segment
 * lengths, which segment differs and by how much) and never holds a part
 * that differs between the slots, a query string or user information.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "audit.h"

#define SLOT_PATH_MAX 2048
#define SLOT_SEGS_MAX 32
#define SLOT_RANDOM_MIN 16 /* characters of a random-looking segment */

struct slot_url {
	int ok;
	int https;
	char hostport[256];       /* without user information */
	char path[SLOT_PATH_MAX]; /* percent-decoded, NUL-free */
	size_t pathlen;
	size_t querylen; /* 0: none */
	const char *seg[SLOT_SEGS_MAX];
	size_t seglen[SLOT_SEGS_MAX];
	size_t nseg;
};

static int
hexval(int c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

/* Splits url; u->ok = 0 for something that is not scheme://authority. */
static void
slot_parse(const char *url, struct slot_url *u)
{
	const char *p, *auth, *end, *at;
	size_t i;

	memset(u, 0, sizeof(*u));
	if (url == NULL || (p = strstr(url, "://")) == NULL || p == url)
		return;
	u->https = (size_t)(p - url) == 5 && strncasecmp(url, "https", 5) == 0;
	auth = p + 3;
	end = auth + strcspn(auth, "/?#");
	/* user information (a secret, if any) is never shown */
	at = memchr(auth, '@', (size_t)(end - auth));
	if (at != NULL)
		auth = at + 1;
	snprintf(u->hostport, sizeof(u->hostport), "%.*s", (int)(end - auth),
		 auth);
	for (p = end; *p != '\0' && *p != '?' && *p != '#' &&
		      u->pathlen + 1 < sizeof(u->path);
	     p++) {
		int hi, lo;
		char c = *p;
		if (c == '%' && (hi = hexval(p[1])) >= 0 &&
		    (lo = hexval(p[2])) >= 0 && (hi || lo)) {
			c = (char)(hi * 16 + lo);
			p += 2;
		}
		u->path[u->pathlen++] = c;
	}
	u->path[u->pathlen] = '\0';
	if (*p == '?')
		u->querylen = strcspn(p + 1, "#");
	for (i = 0; i < u->pathlen && u->nseg < SLOT_SEGS_MAX; i++) {
		if (u->path[i] == '/')
			continue;
		u->seg[u->nseg] = u->path + i;
		u->seglen[u->nseg] = strcspn(u->path + i, "/");
		i += u->seglen[u->nseg];
		u->nseg++;
	}
	u->ok = 1;
}

/* Characters that differ between two strings (position by position, and
 * the length difference). */
static size_t
differ(const char *a, size_t la, const char *b, size_t lb)
{
	size_t i, n = la > lb ? la - lb : lb - la;

	for (i = 0; i < la && i < lb; i++)
		n += a[i] != b[i];
	return n;
}

/* The localpart (lower case) at offset off of s, ignoring case. */
static int
has_at(const char *s, size_t len, size_t off, const char *local, size_t ll)
{
	size_t i;

	if (off + ll > len)
		return 0;
	for (i = 0; i < ll; i++)
		if (tolower((unsigned char)s[off + i]) != local[i])
			return 0;
	return 1;
}

/* 1 when local is in both paths at the same offset or as a whole segment
 * of each; *seg gets that segment's index (from 1) or 0. Our own file
 * name's segment does not count (the localpart could be in it). */
static int
slot_has_user(const struct slot_url *a, const struct slot_url *b,
	      const char *local, const char *filename, size_t *seg)
{
	size_t ll = strlen(local), fl = strlen(filename), i, j, off;

	*seg = 0;
	if (ll == 0)
		return 0;
	for (i = 0; i < a->nseg; i++) {
		if (a->seglen[i] == fl && strncmp(a->seg[i], filename, fl) == 0)
			continue;
		off = (size_t)(a->seg[i] - a->path);
		for (j = 0; j + ll <= a->seglen[i]; j++)
			if (has_at(a->path, a->pathlen, off + j, local, ll) &&
			    has_at(b->path, b->pathlen, off + j, local, ll)) {
				*seg = i + 1;
				return 1;
			}
		if (a->seglen[i] == ll &&
		    has_at(a->path, a->pathlen, off, local, ll))
			for (j = 0; j < b->nseg; j++)
				if (b->seglen[j] == ll &&
				    has_at(b->path, b->pathlen,
					   (size_t)(b->seg[j] - b->path), local,
					   ll)) {
					*seg = i + 1;
					return 1;
				}
	}
	return 0;
}

/* A segment the same in both slots that may be shown: short, letters and
 * '_', '-', '.' only (a name like "upload", never a token). */
static int
slot_word(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > 16)
		return 0;
	for (i = 0; i < len; i++)
		if (!isalpha((unsigned char)s[i]) &&
		    strchr("_-.", s[i]) == NULL)
			return 0;
	return 1;
}

static void append(char *out, size_t outlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
append(char *out, size_t outlen, const char *fmt, ...)
{
	size_t len = strlen(out);
	va_list ap;

	if (len + 1 >= outlen)
		return;
	va_start(ap, fmt);
	vsnprintf(out + len, outlen - len, fmt, ap);
	va_end(ap);
}

/* The shape of a's path next to b's: words and our file name shown, the
 * localpart as <localpart>, every other segment as its length. *random is
 * 1 when a segment of at least SLOT_RANDOM_MIN characters differs in at
 * least half of them, -1 when the paths have different numbers of
 * segments (nothing to compare), else 0; *mostdiff the most characters a
 * segment (or the whole path) differs in. */
static void
slot_shape(const struct slot_url *a, const struct slot_url *b,
	   const char *filename, size_t userseg, char *out, size_t outlen,
	   int *random, size_t *mostdiff)
{
	size_t i, fl = strlen(filename);

	out[0] = '\0';
	*random = 0;
	*mostdiff = 0;
	if (a->nseg != b->nseg) {
		size_t d = differ(a->path, a->pathlen, b->path, b->pathlen);
		*mostdiff = d;
		*random = -1; /* no segment to compare with its twin */
		append(out, outlen, "/[%zu and %zu segments]", a->nseg,
		       b->nseg);
		return;
	}
	for (i = 0; i < a->nseg; i++) {
		const char *s = a->seg[i];
		size_t la = a->seglen[i], lb = b->seglen[i];
		size_t d = differ(s, la, b->seg[i], lb);
		size_t l = la > lb ? la : lb;

		if (d > *mostdiff)
			*mostdiff = d;
		if (d > 0 && l >= SLOT_RANDOM_MIN && 2 * d >= l)
			*random = 1;
		if (userseg == i + 1)
			append(out, outlen, "/<localpart>");
		else if (d > 0)
			append(out, outlen, "/[%zu chars, %zu differ]", l, d);
		else if ((la == fl && strncmp(s, filename, fl) == 0) ||
			 slot_word(s, la))
			append(out, outlen, "/%.*s", (int)la, s);
		else
			append(out, outlen, "/[%zu chars, the same in both]",
			       la);
	}
	if (a->nseg == 0)
		append(out, outlen, "/");
}

void
audit_slots_judge(const char *get1, const char *put1, const char *get2,
		  const char *put2, const char *filename, const char *localpart,
		  struct audit_slot_verdict *v)
{
	struct slot_url g1, g2, p1, p2;
	char local[256], shape[300], putnote[64];
	size_t i, userseg = 0, useg2 = 0, mostdiff;
	int random, user;

	memset(v, 0, sizeof(*v));
	slot_parse(get1, &g1);
	slot_parse(get2, &g2);
	slot_parse(put1, &p1);
	slot_parse(put2, &p2);
	if (!g1.ok || !g2.ok || !p1.ok || !p2.ok) {
		v->random = v->username = AUDIT_UNKNOWN;
		snprintf(v->random_why, sizeof(v->random_why),
			 "a slot URL cannot be read");
		snprintf(v->username_why, sizeof(v->username_why),
			 "a slot URL cannot be read");
		return;
	}
	for (i = 0; localpart[i] != '\0' && i + 1 < sizeof(local); i++)
		local[i] = (char)tolower((unsigned char)localpart[i]);
	local[i] = '\0';
	user = slot_has_user(&g1, &g2, local, filename, &userseg) ||
	       slot_has_user(&p1, &p2, local, filename, &useg2);
	slot_shape(&g1, &g2, filename, userseg, shape, sizeof(shape), &random,
		   &mostdiff);
	if (strcmp(get1, put1) == 0 && strcmp(get2, put2) == 0)
		snprintf(putnote, sizeof(putnote), "PUT the same URL");
	else
		snprintf(putnote, sizeof(putnote),
			 "PUT another URL (%zu-char path%s)", p1.pathlen,
			 p1.querylen ? ", a query" : "");
	if (g1.pathlen == g2.pathlen &&
	    memcmp(g1.path, g2.path, g1.pathlen) == 0) {
		v->random = AUDIT_FAIL;
		snprintf(v->random_why, sizeof(v->random_why),
			 "both slots have the same path: it follows from the "
			 "file name, anyone can guess it%s",
			 g1.querylen || g2.querylen
			     ? " (only the query strings could differ)"
			     : "");
	} else if (random < 0) {
		v->random = AUDIT_UNKNOWN;
		snprintf(v->random_why, sizeof(v->random_why),
			 "the two paths have different shapes: no segment to "
			 "compare with its twin");
	} else if (!random) {
		v->random = AUDIT_FAIL;
		snprintf(v->random_why, sizeof(v->random_why),
			 "the paths differ in at most %zu character%s and no "
			 "segment of %d or more is random-looking: "
			 "guessable (a counter or a clock?)",
			 mostdiff, mostdiff == 1 ? "" : "s", SLOT_RANDOM_MIN);
	} else {
		v->random = AUDIT_PASS;
		snprintf(v->random_why, sizeof(v->random_why),
			 "a random-looking segment differs between the two "
			 "slots");
	}
	v->username = user ? AUDIT_FAIL : AUDIT_PASS;
	if (user)
		snprintf(v->username_why, sizeof(v->username_why),
			 "the account's localpart is in the %s paths (segment "
			 "%zu)",
			 userseg ? "GET" : "PUT", userseg ? userseg : useg2);
	else
		snprintf(v->username_why, sizeof(v->username_why),
			 "the account's localpart is in neither path");
	snprintf(v->shape, sizeof(v->shape), "GET %s://%.80s%.200s%s; %s",
		 g1.https ? "https" : "NOT-https", g1.hostport, shape,
		 g1.querylen ? "?[query]" : "", putnote);
}
