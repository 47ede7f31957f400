/*
 * store_priv.h: what the store's files share and nobody else sees: the
 * connection with its cached statements, and the statement helpers.
 * store.c opens, migrates and batches; store_msg.c holds history, outbox,
 * pins and settings; store_roster.c the roster cache.
 */
#ifndef WARD_STORE_PRIV_H
#define WARD_STORE_PRIV_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* The cached statements: an id, and its SQL in store_sql[]. */
enum store_stmt {
	SQL_BEGIN,
	SQL_COMMIT,
	SQL_ROLLBACK,
	SQL_SAVEPOINT,
	SQL_RELEASE,
	SQL_ROLLBACK_TO,
	SQL_HIST_ADD,
	SQL_HIST_COUNT,
	SQL_HIST_LAST_PEER,
	SQL_HIST_LAST_ANY,
	SQL_HIST_SID_BEFORE,
	SQL_HIST_RECENT,
	SQL_OWN_ORIGIN,
	SQL_OWN_ANY_ID,
	SQL_OUT_ADD,
	SQL_OUT_SENT,
	SQL_OUT_FIND,
	SQL_OUT_TO_HIST,
	SQL_OUT_DEL,
	SQL_OUT_PENDING,
	SQL_OUT_COUNT,
	SQL_PIN_GET,
	SQL_PIN_SET,
	SQL_KV_GET,
	SQL_KV_SET,
	SQL_KV_DEL,
	SQL_ROSTER_SET,
	SQL_ROSTER_DEL,
	SQL_ROSTER_CLEAR,
	SQL_ROSTER_ALL,
	SQL_ROSTER_SUB,
	SQL_PAGE_BEFORE, /* store_page.c */
	SQL_PAGE_ROW,
	SQL_PAGE_HAS_SID,
	SQL_PAGE_HAS_ORIGIN,
	SQL_DELIVERY_SET, /* store_msg.c: receipts and markers */
	SQL_DELIVERY_GET,
	SQL_SEARCH, /* store_search.c */
	SQL_FTS_ADD,
	SQL_FTS_FILL,
	SQL_FTS_HIGH,
	SQL_HIST_HIGH,
	SQL_FTS_CHECK,
	SQL_REF_FIND, /* store_edit.c */
	SQL_REF_LAST_OWN,
	SQL_REF_ROW,
	SQL_EDIT_KEEP,
	SQL_EDIT_SET,
	SQL_RETRACT_SET,
	SQL_VERSIONS_DEL,
	SQL_VERSIONS,
	SQL_REACT_SET,
	SQL_REACT_DEL,
	SQL_REACT_ALL,
	SQL_MSG_META,
	SQL_REPLY_OUT,
	SQL_OWN_SID,
	SQL_FLAGS,
	SQL_CHANGE_SET,
	SQL_CHANGE_GET,
	SQL_CHANGE_DEL,
	SQL_FTS_DEL,
	SQL_REPLY_OUT_ROW,
	SQL_COUNT
};

struct store {
	sqlite3 *db;
	sqlite3_stmt *stmt[SQL_COUNT];
	int depth; /* store_begin nesting */
	int in_tx; /* we opened the batch transaction and did not end it */
	int lost;  /* SQLite rolled back part of the batch (store_commit fails)
		    */
	sqlite3_int64 changes_at_release; /* sqlite3_total_changes64 then */
	/* the search index is filled in bulk (store_fts_flush): rows above
	 * fts_high are stored but not indexed yet; hist_high is the newest
	 * row stored */
	int64_t fts_high, hist_high;
};

/* Checks that a text argument is present. */
#define STORE_NEED(p)                                                          \
	do {                                                                   \
		if ((p) == NULL)                                               \
			return WARD_ERR_INVAL;                                 \
	} while (0)

#define STORE_NAMES(a) (a), (sizeof(a) / sizeof((a)[0]))

int store_fail(struct store *st, int rc, enum store_stmt id);
void store_done(sqlite3_stmt *s);
int store_query(struct store *st, enum store_stmt id, sqlite3_stmt **s,
		int *row, const char *fmt, ...);
int store_run(struct store *st, enum store_stmt id, int *changes,
	      const char *fmt, ...);
int store_col_dup(sqlite3_stmt *s, int i, char **out);
/* Reads one row of s into the element at elem (strings: malloc). */
typedef int (*store_read_fn)(sqlite3_stmt *s, void *elem);
/*
 * Reads every row of cached statement id (bound and stepped once by
 * store_query; row says whether a row is ready) into *out, a malloc'ed
 * array of elements of size bytes, and resets the statement. *n counts the
 * complete elements; the caller frees their strings and the array, also
 * on error. Callers read everything first because their callbacks may use
 * the store (and the statement).
 */
int store_collect(struct store *st, enum store_stmt id, int row, size_t size,
		  store_read_fn readrow, void **out, size_t *n);
/* A history row (id, then STORE_HISTORY_COLS) into the store_msg at elem,
 * and its strings freed (store_msg.c). */
int store_history_read(sqlite3_stmt *s, void *elem);
/* Reads every history row of the stepped statement ID (store_collect),
 * then hands them to CB in that order; *COUNT (may be NULL) counts them
 * (store_page.c). */
int store_history_emit(struct store *st, enum store_stmt id, int row,
		       store_history_cb cb, void *arg, size_t *count);
void store_msg_free(struct store_msg *m);
int store_col_enum(sqlite3_stmt *s, int i, const char *const *names, size_t n);
/* store_search.c: indexes history row ID for /search (call in the
 * savepoint that inserted it); at open, rebuilds the index when it does
 * not hold as many rows as the history. */
/* A history row was stored: it waits for store_fts_flush. */
void store_fts_pending(struct store *st, int64_t id);
/* The search index forgets row id's body before it changes (no-op for a
 * row not indexed yet), and takes the new one after (store_fts_add). */
int store_fts_del(struct store *st, int64_t id);
int store_fts_add(struct store *st, int64_t id);
int store_fts_check(struct store *st);
/* At open: where the index stands, the rows left to index filled, then
 * store_fts_check. */
int store_fts_open(struct store *st);
int store_op_begin(struct store *st);
int store_op_end(struct store *st, int rc);
int store_flush(struct store *st);
int store_batch_check(struct store *st);

#endif
