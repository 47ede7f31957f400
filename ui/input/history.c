/*
 * history.c: a bounded list of input lines (no duplicates in a row), the
 * Up/Down walk that gives back the line being edited, and the Ctrl-R
 * incremental reverse search.
 */
#include <stdlib.h>
#include <string.h>

#include "input/history.h"
#include "text/width.h"

struct history_entry {
	char *s;
	size_t len;
};

struct history {
	struct history_entry *e; /* e[0] the oldest, e[n - 1] the newest */
	size_t n, max, bytes;
	size_t walk; /* 0: not walking; k: showing the k-th newest */
	char *kept;  /* the line being edited when the walk began */
	size_t kept_len;
};

struct history *
history_new(size_t max)
{
	struct history *h = calloc(1, sizeof(*h));

	if (h == NULL)
		return NULL;
	h->max = max ? max : HISTORY_MAX;
	if ((h->e = calloc(h->max, sizeof(h->e[0]))) == NULL) {
		free(h);
		return NULL;
	}
	return h;
}

void
history_reset(struct history *h)
{
	free(h->kept);
	h->kept = NULL;
	h->kept_len = 0;
	h->walk = 0;
}

void
history_free(struct history *h)
{
	if (h == NULL)
		return;
	history_reset(h);
	for (size_t i = 0; i < h->n; i++)
		free(h->e[i].s);
	free(h->e);
	free(h);
}

static void
history_drop_oldest(struct history *h)
{
	h->bytes -= h->e[0].len;
	free(h->e[0].s);
	memmove(&h->e[0], &h->e[1], (h->n - 1) * sizeof(h->e[0]));
	h->n--;
}

int
history_add(struct history *h, const char *line, size_t len)
{
	char *s;

	history_reset(h);
	if (len == 0)
		return 0;
	if (len > HISTORY_BYTES)
		return -1;
	if (h->n > 0 && h->e[h->n - 1].len == len &&
	    memcmp(h->e[h->n - 1].s, line, len) == 0)
		return 0;
	if ((s = malloc(len + 1)) == NULL)
		return -1;
	memcpy(s, line, len);
	s[len] = '\0';
	while (h->n > 0 && (h->n == h->max || h->bytes + len > HISTORY_BYTES))
		history_drop_oldest(h);
	h->e[h->n].s = s;
	h->e[h->n].len = len;
	h->n++;
	h->bytes += len;
	return 0;
}

size_t
history_count(const struct history *h)
{
	return h->n;
}

const char *
history_get(const struct history *h, size_t i, size_t *len)
{
	if (i >= h->n)
		return NULL;
	if (len != NULL)
		*len = h->e[h->n - 1 - i].len;
	return h->e[h->n - 1 - i].s;
}

int
history_prev(struct history *h, const char *cur, size_t curlen,
	     const char **out, size_t *outlen)
{
	if (h->walk >= h->n)
		return 0;
	if (h->walk == 0) {
		free(h->kept);
		if ((h->kept = malloc(curlen + 1)) == NULL)
			return 0;
		memcpy(h->kept, cur, curlen);
		h->kept[curlen] = '\0';
		h->kept_len = curlen;
	}
	h->walk++;
	*out = history_get(h, h->walk - 1, outlen);
	return 1;
}

int
history_next(struct history *h, const char **out, size_t *outlen)
{
	if (h->walk == 0)
		return 0;
	if (--h->walk > 0) {
		*out = history_get(h, h->walk - 1, outlen);
		return 1;
	}
	/* Back past the newest: the kept line, until the next walk. */
	*out = h->kept;
	*outlen = h->kept_len;
	return 1;
}

struct history_search {
	const struct history *h;
	char query[HISTORY_QUERY_MAX + 1];
	size_t qlen;
	size_t idx; /* index (0 newest) of the match, valid when matched */
	size_t at;  /* the query's offset in it */
	int matched, failing;
	char *saved;
	size_t saved_len;
};

struct history_search *
history_search_start(const struct history *h, const char *line, size_t len)
{
	struct history_search *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	if ((s->saved = malloc(len + 1)) == NULL) {
		free(s);
		return NULL;
	}
	memcpy(s->saved, line, len);
	s->saved[len] = '\0';
	s->saved_len = len;
	s->h = h;
	return s;
}

void
history_search_free(struct history_search *s)
{
	if (s == NULL)
		return;
	free(s->saved);
	free(s);
}

/* Finds the newest entry from index from back that holds the query (the
 * last occurrence in it, as readline shows). */
static int
history_search_from(struct history_search *s, size_t from)
{
	for (size_t i = from; i < history_count(s->h); i++) {
		size_t len;
		const char *e = history_get(s->h, i, &len);

		if (s->qlen > len)
			continue;
		for (size_t at = len - s->qlen + 1; at-- > 0;) {
			if (memcmp(e + at, s->query, s->qlen) == 0) {
				s->idx = i;
				s->at = at;
				s->matched = 1;
				s->failing = 0;
				return 1;
			}
		}
	}
	s->failing = 1;
	return 0;
}

void
history_search_type(struct history_search *s, const char *text, size_t len)
{
	size_t n = 0;

	/* Whole characters only, within the bound. */
	while (n < len) {
		uint32_t cp;
		size_t k = uw_decode(text + n, len - n, &cp);

		if (s->qlen + n + k > HISTORY_QUERY_MAX)
			break;
		n += k;
	}
	memcpy(s->query + s->qlen, text, n);
	s->qlen += n;
	s->query[s->qlen] = '\0';
	history_search_from(s, s->matched ? s->idx : 0);
}

void
history_search_bspace(struct history_search *s)
{
	if (s->qlen == 0)
		return;
	/* Back over continuation bytes to the character's start. */
	do
		s->qlen--;
	while (s->qlen > 0 && (s->query[s->qlen] & 0xc0) == 0x80);
	s->query[s->qlen] = '\0';
	s->matched = 0;
	if (s->qlen > 0)
		history_search_from(s, 0);
	else
		s->failing = 0;
}

int
history_search_again(struct history_search *s)
{
	size_t idx = s->idx, at = s->at;

	if (s->qlen == 0 || !s->matched)
		return 0;
	if (history_search_from(s, idx + 1))
		return 1;
	s->idx = idx;
	s->at = at;
	return 0;
}

const char *
history_search_query(const struct history_search *s, size_t *len)
{
	if (len != NULL)
		*len = s->qlen;
	return s->query;
}

const char *
history_search_match(const struct history_search *s, size_t *len, size_t *at)
{
	if (at != NULL)
		*at = s->matched ? s->at : 0;
	if (!s->matched || s->idx >= history_count(s->h))
		return history_search_saved(s, len);
	return history_get(s->h, s->idx, len);
}

int
history_search_failing(const struct history_search *s)
{
	return s->failing;
}

const char *
history_search_saved(const struct history_search *s, size_t *len)
{
	if (len != NULL)
		*len = s->saved_len;
	return s->saved;
}
