/*
 * winhist.c: one input history per window beside the global one, and the
 * Up/Down walk that goes through the window's own lines, then the global
 * lines it does not hold.
 */
#include <stdlib.h>
#include <string.h>

#include "input/winhist.h"

struct winhist_slot {
	char *key;
	struct history *h;
};

struct winhist {
	struct history *global;
	struct winhist_slot slot[WINHIST_MAX_WINDOWS];
	size_t n;
	/* the walk: 0 none; else in the window's (own) or the global
	 * history at index idx (0 the newest) */
	int walking, in_global;
	size_t idx;
	struct history *own;
	char *kept;
	size_t kept_len;
};

struct winhist *
winhist_new(struct history *global)
{
	struct winhist *wh = calloc(1, sizeof(*wh));

	if (wh != NULL)
		wh->global = global;
	return wh;
}

void
winhist_reset(struct winhist *wh)
{
	free(wh->kept);
	wh->kept = NULL;
	wh->kept_len = 0;
	wh->walking = 0;
	wh->own = NULL;
}

void
winhist_free(struct winhist *wh)
{
	if (wh == NULL)
		return;
	winhist_reset(wh);
	for (size_t i = 0; i < wh->n; i++) {
		free(wh->slot[i].key);
		history_free(wh->slot[i].h);
	}
	free(wh);
}

struct history *
winhist_of(struct winhist *wh, const char *key)
{
	struct winhist_slot *s;

	for (size_t i = 0; i < wh->n; i++)
		if (strcmp(wh->slot[i].key, key) == 0)
			return wh->slot[i].h;
	if (wh->n == WINHIST_MAX_WINDOWS) {
		/* the oldest made goes (never the one being walked) */
		size_t drop = wh->slot[0].h == wh->own ? 1 : 0;
		free(wh->slot[drop].key);
		history_free(wh->slot[drop].h);
		memmove(&wh->slot[drop], &wh->slot[drop + 1],
			(wh->n - drop - 1) * sizeof(wh->slot[0]));
		wh->n--;
	}
	s = &wh->slot[wh->n];
	if ((s->key = strdup(key)) == NULL)
		return NULL;
	if ((s->h = history_new(WINHIST_LINES)) == NULL) {
		free(s->key);
		return NULL;
	}
	wh->n++;
	return s->h;
}

int
winhist_add(struct winhist *wh, const char *key, const char *line, size_t len)
{
	struct history *own = winhist_of(wh, key);
	int r = history_add(wh->global, line, len);

	winhist_reset(wh);
	if (own == NULL)
		return -1;
	return history_add(own, line, len) == 0 && r == 0 ? 0 : -1;
}

/* Whether own holds that line. */
static int
winhist_holds(const struct history *own, const char *s, size_t len)
{
	size_t n = history_count(own), l;

	for (size_t i = 0; i < n; i++) {
		const char *e = history_get(own, i, &l);
		if (l == len && memcmp(e, s, len) == 0)
			return 1;
	}
	return 0;
}

/* The first global index from i on (dir +1: older, -1: newer, stopping
 * below 0) whose line own does not hold; -1 when none. */
static long
winhist_global_from(const struct winhist *wh, long i, int dir)
{
	size_t n = history_count(wh->global), len;

	for (; i >= 0 && (size_t)i < n; i += dir) {
		const char *s = history_get(wh->global, (size_t)i, &len);
		if (!winhist_holds(wh->own, s, len))
			return i;
	}
	return -1;
}

int
winhist_prev(struct winhist *wh, const char *key, const char *cur,
	     size_t curlen, const char **out, size_t *outlen)
{
	struct history *own = winhist_of(wh, key);
	long j;

	if (own == NULL)
		return 0;
	if (wh->walking && wh->own != own)
		winhist_reset(wh);
	if (!wh->walking) {
		wh->own = own;
		if (history_count(own) > 0) {
			wh->in_global = 0;
			wh->idx = 0;
		} else if ((j = winhist_global_from(wh, 0, 1)) >= 0) {
			wh->in_global = 1;
			wh->idx = (size_t)j;
		} else {
			wh->own = NULL;
			return 0;
		}
		free(wh->kept);
		if ((wh->kept = malloc(curlen + 1)) == NULL) {
			wh->own = NULL;
			return 0;
		}
		memcpy(wh->kept, cur, curlen);
		wh->kept[curlen] = '\0';
		wh->kept_len = curlen;
		wh->walking = 1;
	} else if (!wh->in_global && wh->idx + 1 < history_count(own)) {
		wh->idx++;
	} else {
		j = winhist_global_from(
		    wh, wh->in_global ? (long)wh->idx + 1 : 0, 1);
		if (j < 0)
			return 0;
		wh->in_global = 1;
		wh->idx = (size_t)j;
	}
	*out = history_get(wh->in_global ? wh->global : own, wh->idx, outlen);
	return 1;
}

int
winhist_next(struct winhist *wh, const char **out, size_t *outlen)
{
	long j;

	if (!wh->walking)
		return 0;
	if (wh->in_global) {
		j = winhist_global_from(wh, (long)wh->idx - 1, -1);
		if (j >= 0) {
			wh->idx = (size_t)j;
		} else if (history_count(wh->own) > 0) {
			wh->in_global = 0;
			wh->idx = history_count(wh->own) - 1;
		} else {
			goto kept;
		}
		*out = history_get(wh->in_global ? wh->global : wh->own,
				   wh->idx, outlen);
		return 1;
	}
	if (wh->idx > 0) {
		wh->idx--;
		*out = history_get(wh->own, wh->idx, outlen);
		return 1;
	}
kept:
	/* back past the newest: the kept line, until the next walk */
	wh->walking = 0;
	wh->own = NULL;
	*out = wh->kept;
	*outlen = wh->kept_len;
	return 1;
}
