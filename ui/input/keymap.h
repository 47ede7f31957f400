/*
 * keymap.h: ward's key actions (one enum, each with a canonical name and a
 * one-line help for the F1 overlay and /help keys) and the bindings from
 * keys to actions: emacs-style defaults, overridden by ward.conf [keys]
 * lines such as "C-n = next-window".
 */
#ifndef WARD_UI_KEYMAP_H
#define WARD_UI_KEYMAP_H

#include <stddef.h>

#include "input/keydec.h"

enum keymap_action {
	KEYMAP_NONE = 0, /* unbound ("none" in ward.conf unbinds a key) */
	/* The line editor (editor_action() handles these). */
	KEYMAP_BOL,
	KEYMAP_EOL,
	KEYMAP_BACK_CHAR,
	KEYMAP_FWD_CHAR,
	KEYMAP_BACK_WORD,
	KEYMAP_FWD_WORD,
	KEYMAP_DEL_CHAR,
	KEYMAP_BACK_DEL_CHAR,
	KEYMAP_KILL_LINE,
	KEYMAP_KILL_BOL,
	KEYMAP_KILL_WORD_WS, /* C-w: back to whitespace */
	KEYMAP_KILL_WORD,
	KEYMAP_BACK_KILL_WORD,
	KEYMAP_YANK,
	KEYMAP_YANK_POP,
	KEYMAP_TRANSPOSE,
	KEYMAP_UNDO,
	KEYMAP_NEWLINE,
	/* The input line around the editor (the frontend handles these). */
	KEYMAP_ACCEPT,
	KEYMAP_HISTORY_PREV,
	KEYMAP_HISTORY_NEXT,
	KEYMAP_HISTORY_SEARCH,
	KEYMAP_COMPLETE,
	KEYMAP_COMPLETE_BACK,
	KEYMAP_EXTERNAL_EDITOR,
	KEYMAP_CANCEL,
	/* Windows and the screen. */
	KEYMAP_NEXT_WINDOW,
	KEYMAP_PREV_WINDOW,
	KEYMAP_WINDOW_1, /* KEYMAP_WINDOW_1 + n - 1 is window n, 1..10 */
	KEYMAP_WINDOW_10 = KEYMAP_WINDOW_1 + 9,
	KEYMAP_NEXT_ACTIVITY,
	KEYMAP_SCROLL_UP,
	KEYMAP_SCROLL_DOWN,
	KEYMAP_SCROLL_TOP,
	KEYMAP_SCROLL_BOTTOM,
	KEYMAP_SCROLL_LINE_UP,
	KEYMAP_SCROLL_LINE_DOWN,
	KEYMAP_TOGGLE_PANE,
	KEYMAP_KEY_HELP,
	KEYMAP_REDRAW,
	KEYMAP_FIND,
	KEYMAP_EDIT_LAST, /* our last message into the input, as /correct */
	KEYMAP_NACTIONS
};

/* Most bindings a key map holds. */
#define KEYMAP_MAX_BINDINGS 256

struct keymap; /* opaque */

/* A key map with the default (emacs-style) bindings; NULL when out of
 * memory. Free with keymap_free(). */
struct keymap *keymap_new(void);
void keymap_free(struct keymap *km);

/* The action bound to key, in constant time; KEYMAP_NONE when unbound (a
 * printable character without C- or M- is then typed). */
enum keymap_action keymap_lookup(const struct keymap *km,
				 const struct keydec_key *key);

/* Binds key to a (KEYMAP_NONE unbinds). 0, or -1 when the map is full. */
int keymap_set(struct keymap *km, const struct keydec_key *key,
	       enum keymap_action a);

/*
 * One ward.conf [keys] line, already split: binds the key named keyname
 * to the action named action ("none" unbinds). Returns 0, or -1 with a
 * malloc'd one-line *why (NULL when out of memory; the caller frees):
 * "line N: unknown key 'X'", "line N: unknown action 'Y'",
 * "line N: too many key bindings at 'X'" ('X' and 'Y' cut to 40 bytes,
 * controls shown as '?'). With line <= 0 the "line N: " part is left out.
 */
int keymap_bind(struct keymap *km, int line, const char *keyname,
		const char *action, char **why);

/* Canonical name ("next-window") and one-line help of an action; "" for
 * an out-of-range value. */
const char *keymap_action_name(enum keymap_action a);
const char *keymap_action_help(enum keymap_action a);
/* The action named name, or -1. */
int keymap_action_parse(const char *name);

/* The keys bound to a, formatted and joined by ", " ("C-n, M-Right") in
 * canonical order (sorted by name) into out (size bytes, cut at a whole
 * name). Returns the length; 0 when none. */
size_t keymap_keys_for(const struct keymap *km, enum keymap_action a, char *out,
		       size_t size);

/*
 * The key overlay (F1) and /help keys: one line per action that has a
 * key, in action order, "KEYS  ACTION  HELP" with the first two columns
 * padded ("C-n, M-Right      next-window        Go to the next window").
 * malloc'd, every line ending in '\n'; the caller frees. NULL when out
 * of memory.
 */
char *keymap_help_text(const struct keymap *km);

/*
 * The roff source of a KEYS section for docs/ward.1 (without the .SH
 * line), generated like cmdparse's cmd_man_section() so the page cannot
 * drift from the table. Per bound action:
 *	.TP
 *	\fBC\-n\fR, \fBM\-Right\fR
 *	Go to the next window (\fBnext\-window\fR).
 * with '-' written "\-" and '\' written "\e". malloc'd, caller frees;
 * NULL when out of memory.
 */
char *keymap_man_section(const struct keymap *km);

#endif
