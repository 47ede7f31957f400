/*
 * search.h: /search TEXT over the current account's stored history
 * (search.c), newest first, as `search` events and one `search-end`.
 */
#ifndef WARD_SEARCH_H
#define WARD_SEARCH_H

struct account;

#define SEARCH_MAX 50       /* matches given at most */
#define SEARCH_TEXT_MAX 256 /* bytes of the text searched for */

/* Runs /search TEXT for account A (NULL: none configured). */
int search_command(struct account *a, const char *text);

#endif
