/*
 * keymap.c: the table of key actions and a small open-addressing hash from
 * keys to actions, filled with emacs-style defaults and overridden line by
 * line from ward.conf's [keys] section.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/keymap.h"
#include "input/keyname.h"

static const struct {
	const char *name;
	const char *help;
} keymap_actions[KEYMAP_NACTIONS] = {
    [KEYMAP_NONE] = {"none", "Nothing (unbinds the key)"},
    [KEYMAP_BOL] = {"beginning-of-line", "Move to the start of the line"},
    [KEYMAP_EOL] = {"end-of-line", "Move to the end of the line"},
    [KEYMAP_BACK_CHAR] = {"backward-char", "Move back one character"},
    [KEYMAP_FWD_CHAR] = {"forward-char", "Move forward one character"},
    [KEYMAP_BACK_WORD] = {"backward-word", "Move back one word"},
    [KEYMAP_FWD_WORD] = {"forward-word", "Move forward one word"},
    [KEYMAP_DEL_CHAR] = {"delete-char",
			 "Delete the character under the cursor"},
    [KEYMAP_BACK_DEL_CHAR] = {"backward-delete-char",
			      "Delete the character before the cursor"},
    [KEYMAP_KILL_LINE] = {"kill-line",
			  "Cut from the cursor to the end of the line"},
    [KEYMAP_KILL_BOL] = {"unix-line-discard",
			 "Cut from the start of the line to the cursor"},
    [KEYMAP_KILL_WORD_WS] = {"unix-word-rubout",
			     "Cut back to the previous whitespace"},
    [KEYMAP_KILL_WORD] = {"kill-word", "Cut to the end of the word"},
    [KEYMAP_BACK_KILL_WORD] = {"backward-kill-word",
			       "Cut to the start of the word"},
    [KEYMAP_YANK] = {"yank", "Paste the last cut text"},
    [KEYMAP_YANK_POP] = {"yank-pop",
			 "Replace the pasted text with an older cut"},
    [KEYMAP_TRANSPOSE] = {"transpose-chars",
			  "Swap the two characters at the cursor"},
    [KEYMAP_UNDO] = {"undo", "Undo the last change to the line"},
    [KEYMAP_NEWLINE] = {"newline", "Start a new line in the same message"},
    [KEYMAP_ACCEPT] = {"accept-line", "Send the message or command"},
    [KEYMAP_HISTORY_PREV] = {"previous-history",
			     "Recall the previous input line"},
    [KEYMAP_HISTORY_NEXT] = {"next-history", "Recall the next input line"},
    [KEYMAP_HISTORY_SEARCH] = {"reverse-search-history",
			       "Search back through input history"},
    [KEYMAP_COMPLETE] = {"complete", "Complete the word at the cursor"},
    [KEYMAP_COMPLETE_BACK] = {"complete-backward",
			      "Cycle completions backwards"},
    [KEYMAP_EXTERNAL_EDITOR] = {"edit-in-editor",
				"Write the message in $EDITOR"},
    [KEYMAP_CANCEL] = {"cancel", "Cancel a search, completion or overlay"},
    [KEYMAP_NEXT_WINDOW] = {"next-window", "Go to the next window"},
    [KEYMAP_PREV_WINDOW] = {"previous-window", "Go to the previous window"},
    [KEYMAP_WINDOW_1] = {"window-1", "Go to window 1"},
    [KEYMAP_WINDOW_1 + 1] = {"window-2", "Go to window 2"},
    [KEYMAP_WINDOW_1 + 2] = {"window-3", "Go to window 3"},
    [KEYMAP_WINDOW_1 + 3] = {"window-4", "Go to window 4"},
    [KEYMAP_WINDOW_1 + 4] = {"window-5", "Go to window 5"},
    [KEYMAP_WINDOW_1 + 5] = {"window-6", "Go to window 6"},
    [KEYMAP_WINDOW_1 + 6] = {"window-7", "Go to window 7"},
    [KEYMAP_WINDOW_1 + 7] = {"window-8", "Go to window 8"},
    [KEYMAP_WINDOW_1 + 8] = {"window-9", "Go to window 9"},
    [KEYMAP_WINDOW_10] = {"window-10", "Go to window 10"},
    [KEYMAP_NEXT_ACTIVITY] = {"next-activity",
			      "Go to the next window with activity "
			      "(highlights first)"},
    [KEYMAP_SCROLL_UP] = {"scroll-up", "Scroll back one page"},
    [KEYMAP_SCROLL_DOWN] = {"scroll-down", "Scroll forward one page"},
    [KEYMAP_SCROLL_TOP] = {"scroll-top", "Scroll to the oldest message"},
    [KEYMAP_SCROLL_BOTTOM] = {"scroll-bottom", "Scroll to the newest message"},
    [KEYMAP_SCROLL_LINE_UP] = {"scroll-line-up", "Scroll back a few lines"},
    [KEYMAP_SCROLL_LINE_DOWN] = {"scroll-line-down",
				 "Scroll forward a few lines"},
    [KEYMAP_TOGGLE_PANE] = {"toggle-pane",
			    "Show or hide the contacts/occupants pane"},
    [KEYMAP_KEY_HELP] = {"key-help", "Show the key bindings"},
    [KEYMAP_REDRAW] = {"redraw", "Redraw the screen"},
    [KEYMAP_FIND] = {"find-in-window", "Find text in this window"},
    [KEYMAP_EDIT_LAST] = {"edit-last",
			  "Put your last message here into the input to "
			  "correct it"},
};

/* The default bindings (emacs-style; UI.md and issue 12 fix the window
 * keys). Scrollback top/bottom take M-Home/M-End and C-Home/C-End, so
 * Home/End stay on the line. */
static const struct {
	const char *key;
	enum keymap_action action;
} keymap_defaults[] = {
    {"C-a", KEYMAP_BOL},
    {"Home", KEYMAP_BOL},
    {"C-e", KEYMAP_EOL},
    {"End", KEYMAP_EOL},
    {"C-b", KEYMAP_BACK_CHAR},
    {"Left", KEYMAP_BACK_CHAR},
    {"C-f", KEYMAP_FWD_CHAR},
    {"Right", KEYMAP_FWD_CHAR},
    {"M-b", KEYMAP_BACK_WORD},
    {"C-Left", KEYMAP_BACK_WORD},
    {"M-f", KEYMAP_FWD_WORD},
    {"C-Right", KEYMAP_FWD_WORD},
    {"C-d", KEYMAP_DEL_CHAR},
    {"Del", KEYMAP_DEL_CHAR},
    {"BSpace", KEYMAP_BACK_DEL_CHAR},
    {"C-k", KEYMAP_KILL_LINE},
    {"C-u", KEYMAP_KILL_BOL},
    {"C-w", KEYMAP_KILL_WORD_WS},
    {"M-d", KEYMAP_KILL_WORD},
    {"M-BSpace", KEYMAP_BACK_KILL_WORD},
    {"C-y", KEYMAP_YANK},
    {"M-y", KEYMAP_YANK_POP},
    {"C-t", KEYMAP_TRANSPOSE},
    {"C-_", KEYMAP_UNDO},
    {"M-Enter", KEYMAP_NEWLINE},
    {"Enter", KEYMAP_ACCEPT},
    {"Up", KEYMAP_HISTORY_PREV},
    {"Down", KEYMAP_HISTORY_NEXT},
    {"C-r", KEYMAP_HISTORY_SEARCH},
    {"Tab", KEYMAP_COMPLETE},
    {"S-Tab", KEYMAP_COMPLETE_BACK},
    {"M-e", KEYMAP_EXTERNAL_EDITOR},
    {"C-g", KEYMAP_CANCEL},
    {"C-n", KEYMAP_NEXT_WINDOW},
    {"M-Right", KEYMAP_NEXT_WINDOW},
    {"C-p", KEYMAP_PREV_WINDOW},
    {"M-Left", KEYMAP_PREV_WINDOW},
    {"M-1", KEYMAP_WINDOW_1},
    {"M-2", KEYMAP_WINDOW_1 + 1},
    {"M-3", KEYMAP_WINDOW_1 + 2},
    {"M-4", KEYMAP_WINDOW_1 + 3},
    {"M-5", KEYMAP_WINDOW_1 + 4},
    {"M-6", KEYMAP_WINDOW_1 + 5},
    {"M-7", KEYMAP_WINDOW_1 + 6},
    {"M-8", KEYMAP_WINDOW_1 + 7},
    {"M-9", KEYMAP_WINDOW_1 + 8},
    {"M-0", KEYMAP_WINDOW_10},
    {"M-a", KEYMAP_NEXT_ACTIVITY},
    {"PgUp", KEYMAP_SCROLL_UP},
    {"PgDn", KEYMAP_SCROLL_DOWN},
    {"M-Home", KEYMAP_SCROLL_TOP},
    {"C-Home", KEYMAP_SCROLL_TOP},
    {"M-End", KEYMAP_SCROLL_BOTTOM},
    {"C-End", KEYMAP_SCROLL_BOTTOM},
    {"WheelUp", KEYMAP_SCROLL_LINE_UP},
    {"WheelDown", KEYMAP_SCROLL_LINE_DOWN},
    {"F2", KEYMAP_TOGGLE_PANE},
    {"F1", KEYMAP_KEY_HELP},
    {"C-l", KEYMAP_REDRAW},
    {"C-s", KEYMAP_FIND},
    {"M-/", KEYMAP_FIND},
    {"M-Up", KEYMAP_EDIT_LAST},
};

#define KEYMAP_SLOTS (2 * KEYMAP_MAX_BINDINGS) /* a power of two */

struct keymap_slot {
	uint32_t code; /* 0: empty */
	unsigned mods;
	enum keymap_action action; /* KEYMAP_NONE: unbound, slot kept */
};

struct keymap {
	struct keymap_slot slot[KEYMAP_SLOTS];
	size_t used;
};

static size_t
keymap_hash(const struct keydec_key *key)
{
	uint32_t h = key->code * 2654435761u ^ key->mods * 40503u;

	return (h ^ (h >> 15)) & (KEYMAP_SLOTS - 1);
}

/* The slot of key, or the empty slot where it would go. */
static const struct keymap_slot *
keymap_find(const struct keymap *km, const struct keydec_key *key)
{
	size_t i = keymap_hash(key);

	/* used <= KEYMAP_SLOTS / 2, so an empty slot always ends the walk. */
	while (km->slot[i].code != 0 &&
	       (km->slot[i].code != key->code || km->slot[i].mods != key->mods))
		i = (i + 1) & (KEYMAP_SLOTS - 1);
	return &km->slot[i];
}

struct keymap *
keymap_new(void)
{
	struct keymap *km = calloc(1, sizeof(*km));
	struct keydec_key k;

	if (km == NULL)
		return NULL;
	for (size_t i = 0;
	     i < sizeof(keymap_defaults) / sizeof(keymap_defaults[0]); i++) {
		/* The default names are canonical: a failure is a bug. */
		if (keyname_parse(keymap_defaults[i].key, &k) != 0 ||
		    keymap_set(km, &k, keymap_defaults[i].action) != 0)
			abort();
	}
	return km;
}

void
keymap_free(struct keymap *km)
{
	free(km);
}

enum keymap_action
keymap_lookup(const struct keymap *km, const struct keydec_key *key)
{
	if (key->code == 0)
		return KEYMAP_NONE;
	return keymap_find(km, key)->action;
}

int
keymap_set(struct keymap *km, const struct keydec_key *key,
	   enum keymap_action a)
{
	struct keymap_slot *s;

	if (key->code == 0 || a < 0 || a >= KEYMAP_NACTIONS)
		return -1;
	s = (struct keymap_slot *)keymap_find(km, key);
	if (s->code == 0) {
		if (a == KEYMAP_NONE)
			return 0;
		if (km->used >= KEYMAP_MAX_BINDINGS)
			return -1;
		km->used++;
		s->code = key->code;
		s->mods = key->mods;
	}
	s->action = a;
	return 0;
}

/* A config word as it may be echoed: at most 40 bytes, controls as '?'. */
static void
keymap_echo(const char *s, char *out, size_t size)
{
	size_t n = strlen(s);

	if (n > 40)
		n = 40;
	if (n >= size)
		n = size - 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		out[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	out[n] = '\0';
}

static char *
keymap_error(int line, const char *what, const char *word)
{
	char echo[64];
	char *out;
	size_t size = 160;

	if ((out = malloc(size)) == NULL)
		return NULL;
	keymap_echo(word, echo, sizeof(echo));
	if (line > 0)
		snprintf(out, size, "line %d: %s '%s'", line, what, echo);
	else
		snprintf(out, size, "%s '%s'", what, echo);
	return out;
}

int
keymap_bind(struct keymap *km, int line, const char *keyname,
	    const char *action, char **why)
{
	struct keydec_key k;
	int a;

	*why = NULL;
	if (keyname_parse(keyname, &k) != 0) {
		*why = keymap_error(line, "unknown key", keyname);
		return -1;
	}
	if ((a = keymap_action_parse(action)) < 0) {
		*why = keymap_error(line, "unknown action", action);
		return -1;
	}
	if (keymap_set(km, &k, (enum keymap_action)a) != 0) {
		*why = keymap_error(line, "too many key bindings at", keyname);
		return -1;
	}
	return 0;
}

const char *
keymap_action_name(enum keymap_action a)
{
	if (a < 0 || a >= KEYMAP_NACTIONS)
		return "";
	return keymap_actions[a].name;
}

const char *
keymap_action_help(enum keymap_action a)
{
	if (a < 0 || a >= KEYMAP_NACTIONS)
		return "";
	return keymap_actions[a].help;
}

int
keymap_action_parse(const char *name)
{
	for (int a = 0; a < KEYMAP_NACTIONS; a++)
		if (strcmp(name, keymap_actions[a].name) == 0)
			return a;
	return -1;
}

static int
keymap_cmp(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

size_t
keymap_keys_for(const struct keymap *km, enum keymap_action a, char *out,
		size_t size)
{
	char names[KEYMAP_MAX_BINDINGS][KEYNAME_MAX];
	size_t n = 0, len = 0;

	if (size > 0)
		out[0] = '\0';
	if (a == KEYMAP_NONE || size == 0)
		return 0;
	for (size_t i = 0; i < KEYMAP_SLOTS; i++) {
		const struct keymap_slot *s = &km->slot[i];
		struct keydec_key k = {s->code, s->mods};

		if (s->code != 0 && s->action == a &&
		    keyname_format(&k, names[n], KEYNAME_MAX) > 0)
			n++;
	}
	qsort(names, n, KEYNAME_MAX, keymap_cmp);
	for (size_t i = 0; i < n; i++) {
		size_t need = strlen(names[i]) + (i ? 2 : 0);

		if (len + need >= size)
			break;
		len += (size_t)snprintf(out + len, size - len, "%s%s",
					i ? ", " : "", names[i]);
	}
	return len;
}

char *
keymap_help_text(const struct keymap *km)
{
	/* Each line is at most 64 + 2 + 24 + 2 + help + 1 bytes. */
	size_t size = 1, len = 0;
	char keys[64];
	char *out;

	for (int a = 1; a < KEYMAP_NACTIONS; a++)
		size += sizeof(keys) + 30 + strlen(keymap_actions[a].help);
	if ((out = malloc(size)) == NULL)
		return NULL;
	out[0] = '\0';
	for (int a = 1; a < KEYMAP_NACTIONS; a++) {
		if (keymap_keys_for(km, (enum keymap_action)a, keys,
				    sizeof(keys)) == 0)
			continue;
		len += (size_t)snprintf(
		    out + len, size - len, "%-18s %-24s %s\n", keys,
		    keymap_actions[a].name, keymap_actions[a].help);
	}
	return out;
}

/* Appends s to out with roff's escapes for '-' and '\\'. */
static size_t
keymap_roff(char *out, size_t len, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '-' || *s == '\\') {
			out[len++] = '\\';
			out[len++] = *s == '-' ? '-' : 'e';
		} else
			out[len++] = *s;
	}
	out[len] = '\0';
	return len;
}

char *
keymap_man_section(const struct keymap *km)
{
	char keys[KEYMAP_MAX_BINDINGS * (KEYNAME_MAX + 2)];
	size_t size = 1, len = 0;
	char *out;

	/* Every byte may double, plus the fixed text around each part. */
	for (int a = 1; a < KEYMAP_NACTIONS; a++) {
		size_t n = keymap_keys_for(km, (enum keymap_action)a, keys,
					   sizeof(keys));

		if (n > 0)
			size += 2 * n + 16 * (n / 3 + 1) + 40 +
				2 * strlen(keymap_actions[a].help) +
				2 * strlen(keymap_actions[a].name);
	}
	if ((out = malloc(size)) == NULL)
		return NULL;
	out[0] = '\0';
	for (int a = 1; a < KEYMAP_NACTIONS; a++) {
		char *k, *next;

		if (keymap_keys_for(km, (enum keymap_action)a, keys,
				    sizeof(keys)) == 0)
			continue;
		len = keymap_roff(out, len, ".TP\n");
		for (k = keys; k != NULL; k = next) {
			if ((next = strstr(k, ", ")) != NULL) {
				*next = '\0';
				next += 2;
			}
			memcpy(out + len, "\\fB", 3);
			len = keymap_roff(out, len + 3, k);
			memcpy(out + len, "\\fR", 3);
			len += 3;
			if (next != NULL) {
				memcpy(out + len, ", ", 2);
				len += 2;
			}
		}
		out[len++] = '\n';
		len = keymap_roff(out, len, keymap_actions[a].help);
		memcpy(out + len, " (\\fB", 5);
		len = keymap_roff(out, len + 5, keymap_actions[a].name);
		memcpy(out + len, "\\fR).\n", 6);
		len += 6;
		out[len] = '\0';
	}
	return out;
}
