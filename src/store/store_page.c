/*
 * store_page.c: history a page at a time for /history (see store_page.h):
 * pages before a (ts, id) position through the history_peer_ts index, one
 * row by id, and the duplicate check an archive page needs before it
 * decrypts anything.
 */
#include <stdlib.h>

#include "store_page.h"
#include "store_priv.h"
#include "ward.h"

int
store_history_emit(struct store *st, enum store_stmt id, int row,
		   store_history_cb cb, void *arg, size_t *count)
{
	struct store_msg *rows;
	void *v = NULL;
	size_t n = 0, i;
	int rc;

	/* everything first: cb may use the store (and this statement) */
	rc = store_collect(st, id, row, sizeof(*rows), store_history_read, &v,
			   &n);
	rows = v;
	if (count != NULL)
		*count = rc == WARD_OK ? n : 0;
	for (i = 0; i < n && rc == WARD_OK; i++)
		rc = cb(&rows[i], arg);
	for (i = 0; i < n; i++)
		store_msg_free(&rows[i]);
	free(rows);
	return rc;
}

int
store_page_before(struct store *st, const char *account, const char *peer,
		  int64_t ts, int64_t id, int limit, store_history_cb cb,
		  void *arg, size_t *n)
{
	sqlite3_stmt *s;
	int rc, row;

	if (n != NULL)
		*n = 0;
	STORE_NEED(st);
	STORE_NEED(account);
	STORE_NEED(peer);
	STORE_NEED(cb);
	if (limit < 1 || limit > STORE_PAGE_MAX)
		return WARD_ERR_INVAL;
	rc = store_query(st, SQL_PAGE_BEFORE, &s, &row, "ttiii", account, peer,
			 ts, id, (int64_t)limit);
	if (rc != WARD_OK)
		return rc;
	return store_history_emit(st, SQL_PAGE_BEFORE, row, cb, arg, n);
}

int
store_page_row(struct store *st, const char *account, const char *peer,
	       int64_t id, store_history_cb cb, void *arg)
{
	sqlite3_stmt *s;
	size_t n = 0;
	int rc, row;

	STORE_NEED(st);
	STORE_NEED(account);
	STORE_NEED(peer);
	STORE_NEED(cb);
	rc = store_query(st, SQL_PAGE_ROW, &s, &row, "tti", account, peer, id);
	if (rc != WARD_OK)
		return rc;
	rc = store_history_emit(st, SQL_PAGE_ROW, row, cb, arg, &n);
	return rc == WARD_OK && n == 0 ? WARD_ERR_NOTFOUND : rc;
}

int
store_page_sid_ts(struct store *st, const char *account, const char *peer,
		  const char *server_id, int64_t *ts)
{
	sqlite3_stmt *s;
	int rc, row = 0;

	STORE_NEED(st);
	STORE_NEED(account);
	STORE_NEED(peer);
	STORE_NEED(server_id);
	STORE_NEED(ts);
	rc = store_query(st, SQL_PAGE_HAS_SID, &s, &row, "ttt", account, peer,
			 server_id);
	if (rc != WARD_OK)
		return rc;
	if (row)
		*ts = sqlite3_column_int64(s, 0);
	store_done(s);
	return row ? WARD_OK : WARD_ERR_NOTFOUND;
}

int
store_page_has(struct store *st, const char *account, const char *peer,
	       const char *server_id, const char *from_jid,
	       const char *origin_id, int *found)
{
	sqlite3_stmt *s;
	int rc = WARD_OK, row = 0;

	if (found != NULL)
		*found = 0;
	STORE_NEED(st);
	STORE_NEED(account);
	STORE_NEED(peer);
	STORE_NEED(found);
	if (server_id != NULL) {
		rc = store_query(st, SQL_PAGE_HAS_SID, &s, &row, "ttt", account,
				 peer, server_id);
		if (rc == WARD_OK)
			store_done(s);
	}
	if (rc == WARD_OK && !row && from_jid != NULL && origin_id != NULL) {
		rc = store_query(st, SQL_PAGE_HAS_ORIGIN, &s, &row, "tttt",
				 account, peer, from_jid, origin_id);
		if (rc == WARD_OK)
			store_done(s);
	}
	if (rc == WARD_OK)
		*found = row;
	return rc;
}

int64_t
store_page_last_id(struct store *st)
{
	return st != NULL ? sqlite3_last_insert_rowid(st->db) : 0;
}
