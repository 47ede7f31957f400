/*
 * store_page.h: one conversation's history a page at a time, newest first,
 * for /history: a page is read through the (account, peer, ts) index and
 * never loads more rows than it returns. Positions are (ts, row id) pairs,
 * stable while rows are added.
 */
#ifndef WARD_STORE_PAGE_H
#define WARD_STORE_PAGE_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* The position before every row: the newest page. */
#define STORE_PAGE_NEWEST INT64_MAX

/*
 * Calls CB, oldest first, for the newest LIMIT (1..STORE_PAGE_MAX) rows of
 * ACCOUNT's conversation with PEER that sort strictly before (TS, ID) by
 * (ts, id); TS = ID = STORE_PAGE_NEWEST for the newest page. *N (may be
 * NULL) counts the rows. Rows are read completely before the first call,
 * so CB may use the store. A non-zero CB return stops and is returned.
 */
#define STORE_PAGE_MAX 500
int store_page_before(struct store *st, const char *account, const char *peer,
		      int64_t ts, int64_t id, int limit, store_history_cb cb,
		      void *arg, size_t *n);

/*
 * The row of ACCOUNT's conversation with PEER at ID, through CB;
 * WARD_ERR_NOTFOUND when there is none.
 */
int store_page_row(struct store *st, const char *account, const char *peer,
		   int64_t id, store_history_cb cb, void *arg);

/* The ts of PEER's row with SERVER_ID into *TS; WARD_ERR_NOTFOUND when
 * there is none. */
int store_page_sid_ts(struct store *st, const char *account, const char *peer,
		      const char *server_id, int64_t *ts);

/*
 * 1 in *FOUND when ACCOUNT's conversation with PEER holds a row with
 * SERVER_ID (when not NULL), or with FROM_JID and ORIGIN_ID (both not
 * NULL): the same rows store_history_add treats as duplicates.
 */
int store_page_has(struct store *st, const char *account, const char *peer,
		   const char *server_id, const char *from_jid,
		   const char *origin_id, int *found);

/* The row id store_history_add gave the row it last inserted. */
int64_t store_page_last_id(struct store *st);

#endif
