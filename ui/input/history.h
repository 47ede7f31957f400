/*
 * history.h: input history (one per window and one global, as the
 * frontend chooses), walked with Up/Down, and Ctrl-R incremental reverse
 * search over it. Bounded in entries and bytes; no duplicates in a row.
 */
#ifndef WARD_UI_HISTORY_H
#define WARD_UI_HISTORY_H

#include <stddef.h>

#define HISTORY_MAX 1000        /* entries kept by default */
#define HISTORY_BYTES (4 << 20) /* bytes kept, oldest dropped first */
#define HISTORY_QUERY_MAX 256   /* bytes of a search query */

struct history; /* opaque */

/* An empty history keeping at most max entries (0: HISTORY_MAX); NULL
 * when out of memory. */
struct history *history_new(size_t max);
void history_free(struct history *h);

/* Adds a line (copied) as the newest entry, unless it is empty or the
 * same as the newest; ends any walk. Returns 0, or -1 when out of memory
 * or longer than HISTORY_BYTES. */
int history_add(struct history *h, const char *line, size_t len);

/* Entries, 0 the newest; history_get returns NULL past the end. The
 * pointer is the history's, valid until the next history_add(). */
size_t history_count(const struct history *h);
const char *history_get(const struct history *h, size_t i, size_t *len);

/*
 * Up: the next older entry into *out (the history's memory). The first
 * step keeps cur (the line being edited, copied) so that walking back
 * down past the newest entry gives it back. Returns 1, or 0 at the oldest
 * entry (or on an empty history, or out of memory) with *out untouched.
 */
int history_prev(struct history *h, const char *cur, size_t curlen,
		 const char **out, size_t *outlen);

/* Down: the next newer entry, or the kept line after the newest (which
 * ends the walk). Returns 1, or 0 when not walking. */
int history_next(struct history *h, const char **out, size_t *outlen);

/* Ends a walk (the line was sent or abandoned). */
void history_reset(struct history *h);

/*
 * Ctrl-R. A search over h, which must outlive it and get no history_add()
 * while it runs. The line being edited is kept for cancelling.
 */
struct history_search; /* opaque */

/* Starts a search (empty query, no match yet); NULL when out of memory. */
struct history_search *history_search_start(const struct history *h,
					    const char *line, size_t len);
void history_search_free(struct history_search *s);

/* Adds typed text to the query (cut at HISTORY_QUERY_MAX) and finds the
 * newest entry, from the current match back, that contains it. */
void history_search_type(struct history_search *s, const char *text,
			 size_t len);
/* Removes the query's last character and searches again from the newest
 * entry. */
void history_search_bspace(struct history_search *s);
/* Ctrl-R again: the next older entry containing the query. Returns 1, or
 * 0 when there is none (the match stays; the search is then failing). */
int history_search_again(struct history_search *s);

/* The query. */
const char *history_search_query(const struct history_search *s, size_t *len);
/* The current match (the kept line while nothing matched yet) with the
 * query's offset in it in *at. What Enter accepts. */
const char *history_search_match(const struct history_search *s, size_t *len,
				 size_t *at);
/* Nonzero when the last search step found nothing ("failing"). */
int history_search_failing(const struct history_search *s);
/* The line kept at the start: what C-g restores. */
const char *history_search_saved(const struct history_search *s, size_t *len);

#endif
