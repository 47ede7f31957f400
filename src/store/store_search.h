/*
 * store_search.h: /search over every stored message: the words typed made
 * into an SQLite FTS5 query that holds no FTS5 syntax of the user's (each
 * word a quoted string, so AND, OR, NEAR, ':', '^', '(' and quotes are
 * text), and the matching rows, newest first, through the history_fts
 * index that triggers keep in step with the history table.
 */
#ifndef WARD_STORE_SEARCH_H
#define WARD_STORE_SEARCH_H

#include <stddef.h>

#include "store.h"

#define STORE_SEARCH_MAX_TEXT 256 /* bytes of search text */
#define STORE_SEARCH_MAX_WORDS 16
#define STORE_SEARCH_MAX 500 /* rows per search */

/*
 * Makes TEXT (UTF-8; words split at spaces and tabs) into an FTS5 query
 * in *OUT (malloc'd): every word as a quoted string, '"' doubled inside,
 * all of them required; a word ending in '*' (more than the '*') matches
 * as a prefix. WARD_ERR_INVAL when TEXT holds no word or a control
 * character, WARD_ERR_LIMIT past STORE_SEARCH_MAX_TEXT bytes or
 * STORE_SEARCH_MAX_WORDS words, WARD_ERR_NOMEM.
 */
int store_search_query(const char *text, char **out);

/*
 * Calls CB, newest first, for at most LIMIT (1..STORE_SEARCH_MAX) rows of
 * ACCOUNT's history (only the conversation with PEER unless it is NULL)
 * whose body holds every word of TEXT (case and diacritics ignored, as
 * store_search_query makes it). *N (may be NULL) counts them. Rows are
 * read completely before the first call, so CB may use the store.
 */
int store_search(struct store *st, const char *account, const char *peer,
		 const char *text, int limit, store_history_cb cb, void *arg,
		 size_t *n);

#endif
