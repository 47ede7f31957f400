/*
 * editor_int.h: the editor's state, shared by editor.c (editing) and
 * editor_view.c (glyphs and the view) only; everyone else goes through
 * editor.h.
 */
#ifndef WARD_UI_EDITOR_INT_H
#define WARD_UI_EDITOR_INT_H

#include <stddef.h>
#include <stdint.h>

#include "input/editor.h"

struct editor_snap {
	char *buf;
	size_t len, cursor;
};

enum editor_last {
	EDITOR_LAST_OTHER,
	EDITOR_LAST_TYPE, /* typed characters group into one undo step */
	EDITOR_LAST_KILL, /* consecutive kills join one kill-ring entry */
	EDITOR_LAST_YANK, /* yank-pop may follow */
};

/* Cluster boundaries of one line, valid while gen matches the editor's. */
struct editor_bnd {
	uint32_t *v; /* ls = v[0] < ... < v[n - 1] = le */
	size_t n, cap;
	size_t ls, le;
	unsigned long gen;
};

struct editor {
	char *buf; /* NUL-terminated */
	size_t len, cap, cursor;
	enum editor_last last;
	char *kill[EDITOR_KILL_RING]; /* kill[0] is the newest */
	size_t kill_len[EDITOR_KILL_RING];
	size_t nkill;
	size_t yank_start, yank_end, yank_idx;
	struct editor_snap undo[EDITOR_UNDO_STEPS];
	size_t nundo, undo_bytes;
	size_t hscroll;    /* first byte shown when one row scrolls sideways */
	size_t vscroll;    /* first row shown when wrapped */
	unsigned long gen; /* bumped by every change of buf */
	struct editor_bnd *bnd; /* a cache, so const functions may fill it */
};

/* Cluster boundaries within the buffer (LF is a cluster of its own). */
size_t editor_line_start(const struct editor *ed, size_t pos);
size_t editor_line_end(const struct editor *ed, size_t pos);
size_t editor_next(const struct editor *ed, size_t pos);
size_t editor_prev(const struct editor *ed, size_t pos);

#endif
