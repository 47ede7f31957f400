/*
 * winhist.h: per-window input history. Each window (by a key the frontend
 * gives, e.g. its account and JID) has its own history beside the global
 * one; a line sent goes into both. Up/Down walk the window's own lines
 * first, newest first, then the global lines the window does not have;
 * Ctrl-R searches the global history (history.h).
 */
#ifndef WARD_UI_WINHIST_H
#define WARD_UI_WINHIST_H

#include <stddef.h>

#include "input/history.h"

#define WINHIST_MAX_WINDOWS 256 /* histories kept; the oldest made goes */
#define WINHIST_LINES 200       /* lines per window */

struct winhist; /* opaque */

/* Per-window histories over global (not owned: it must outlive them);
 * NULL when out of memory. */
struct winhist *winhist_new(struct history *global);
void winhist_free(struct winhist *wh);

/* The history of the window key (made when new); NULL when out of
 * memory. */
struct history *winhist_of(struct winhist *wh, const char *key);

/* A line sent from window key: added to its history and the global one;
 * ends any walk. 0, or -1 when out of memory. */
int winhist_add(struct winhist *wh, const char *key, const char *line,
		size_t len);

/*
 * Up in window key: the next older line into *out (the histories'
 * memory, valid until the next add): the window's own, then the global
 * ones it does not hold. The first step keeps cur (copied) for Down past
 * the newest. Returns 1, or 0 at the oldest (*out untouched). A walk
 * begun in another window is ended first.
 */
int winhist_prev(struct winhist *wh, const char *key, const char *cur,
		 size_t curlen, const char **out, size_t *outlen);
/* Down: the next newer line, or the kept line after the newest (which
 * ends the walk). Returns 1, or 0 when not walking. */
int winhist_next(struct winhist *wh, const char **out, size_t *outlen);
/* Ends a walk. */
void winhist_reset(struct winhist *wh);

#endif
