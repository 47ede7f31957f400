/*
 * complete.h: Tab completion of the word before the cursor. Candidates
 * come from the command table (command names, and the sub-words and
 * placeholders of each command's usage string) and from providers the
 * frontend supplies (roster JIDs and rooms, room nicks with the most
 * recent speakers first, account names), plus file paths read here. The
 * first Tab inserts the candidates' common prefix (or the only one); the
 * next ones cycle through them, S-Tab backwards.
 */
#ifndef WARD_UI_COMPLETE_H
#define WARD_UI_COMPLETE_H

#include <stddef.h>

#include "cmd/cmd.h"

#define COMPLETE_MAX 1000      /* candidates kept */
#define COMPLETE_WORD_MAX 4096 /* longest word completed */

/* What a provider adds candidates to. */
struct complete_list;

/* Adds one candidate (copied). Empty words, words with a control
 * character or a space, ill-formed UTF-8, duplicates and any past
 * COMPLETE_MAX are ignored; words not starting with the prefix being
 * completed are filtered out later, so a provider may add them all. */
void complete_add(struct complete_list *l, const char *word, size_t len);

/* The frontend's providers; any may be NULL. Each gets the word being
 * completed so it can filter early. */
typedef void complete_fn(void *arg, const char *prefix, size_t len,
			 struct complete_list *out);
struct complete_sources {
	const struct cmd_entry *table; /* NULL: the core's cmd_table */
	size_t ntable;
	complete_fn *jids;     /* contacts' and rooms' bare JIDs */
	complete_fn *nicks;    /* this room's nicks, recent speakers first */
	complete_fn *accounts; /* account names */
	void *arg;
};

/* An edit to apply to the input: replace bytes [start, end) of the line
 * with text (the completer's memory, valid until its next call), e.g.
 * editor_replace(ed, e.start, e.end, e.text, e.len). */
struct complete_edit {
	size_t start, end;
	const char *text;
	size_t len;
};

struct complete; /* opaque */

struct complete *complete_new(void);
void complete_free(struct complete *c);

/*
 * Tab (dir > 0) or S-Tab (dir < 0) on line (len bytes) with the cursor at
 * byte cursor. Continues the cycle when the line still holds what the
 * last step inserted with the cursor after it; otherwise starts anew on
 * the word before the cursor. Returns 1 with *out set, or 0 when there is
 * nothing to complete (or out of memory).
 */
int complete_step(struct complete *c, const struct complete_sources *src,
		  const char *line, size_t len, size_t cursor, int dir,
		  struct complete_edit *out);

/* Forgets the cycle (any other key was pressed). */
void complete_reset(struct complete *c);

/* The candidates of the current cycle, for a list shown under the input. */
size_t complete_count(const struct complete *c);
const char *complete_candidate(const struct complete *c, size_t i);

#endif
