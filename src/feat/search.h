/*
 * search.h: /search TEXT [in JID] over every stored message (the history
 * table's full-text index, store_search.c), as `search-result` events,
 * newest first, and one `search-end`.
 */
#ifndef WARD_SEARCH_H
#define WARD_SEARCH_H

struct account;

#define SEARCH_MAX_RESULTS 100

/*
 * LINE is everything after /search: the words to find, and optionally
 * " in JID" at its end (a word holding '@' or '.'), which keeps the
 * search to that conversation. Works offline.
 */
int search_command(struct account *a, const char *line);

/*
 * Splits LINE into the words (*TEXT, malloc'd) and the conversation
 * (*WITH, malloc'd bare JID, or NULL for all). WARD_ERR_INVAL when no
 * words are left or the JID is not one.
 */
int search_parse(const char *line, char **text, char **with);

#endif
