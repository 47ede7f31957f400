/*
 * store_search.c: /search over the history's full-text index (see
 * store_search.h). The user's words never reach FTS5 as syntax: each
 * becomes a quoted string. The index (history_fts) is kept in step here,
 * in bulk: rows stored are indexed together once ward is at rest (a second
 * after the last write), before any search, and at open and close, so a
 * flood of messages costs one index update instead of one per commit (the
 * index's writes were most of a message's cost); an edit or retraction of
 * a row not indexed yet leaves the index alone, the fill takes its current
 * body. An index that does not hold every row after the fill (an older
 * program writing to ward.db) is rebuilt at open.
 */
#include <stdlib.h>
#include <string.h>

#include "store_priv.h"
#include "store_search.h"
#include "ward.h"

void
store_fts_pending(struct store *st, int64_t id)
{
	if (id > st->hist_high)
		st->hist_high = id;
}

int
store_fts_del(struct store *st, int64_t id)
{
	return id > st->fts_high ? WARD_OK
				 : store_run(st, SQL_FTS_DEL, NULL, "i", id);
}

int
store_fts_add(struct store *st, int64_t id)
{
	return id > st->fts_high ? WARD_OK
				 : store_run(st, SQL_FTS_ADD, NULL, "i", id);
}

static int
store_high(struct store *st, enum store_stmt id, int64_t *out)
{
	sqlite3_stmt *s;
	int rc, row;

	if ((rc = store_query(st, id, &s, &row, "")) != WARD_OK)
		return rc;
	*out = row ? sqlite3_column_int64(s, 0) : 0;
	store_done(s);
	return WARD_OK;
}

int
store_fts_flush(struct store *st)
{
	int rc;

	if (st == NULL || st->hist_high <= st->fts_high)
		return WARD_OK;
	if ((rc = store_op_begin(st)) != WARD_OK)
		return rc;
	rc = store_run(st, SQL_FTS_FILL, NULL, "ii", st->fts_high,
		       st->hist_high);
	rc = store_op_end(st, rc);
	if (rc == WARD_OK)
		st->fts_high = st->hist_high;
	return rc;
}

int
store_fts_open(struct store *st)
{
	int rc;

	if ((rc = store_high(st, SQL_FTS_HIGH, &st->fts_high)) != WARD_OK ||
	    (rc = store_high(st, SQL_HIST_HIGH, &st->hist_high)) != WARD_OK)
		return rc;
	if (st->hist_high < st->fts_high)
		st->hist_high = st->fts_high;
	/* rows a ward that ended without its last fill left behind */
	if ((rc = store_fts_flush(st)) != WARD_OK)
		return rc;
	return store_fts_check(st);
}

int
store_fts_check(struct store *st)
{
	sqlite3_stmt *s;
	int rc, row, same = 0;
	char *err = NULL;

	rc = store_query(st, SQL_FTS_CHECK, &s, &row, "");
	if (rc != WARD_OK)
		return rc;
	if (row)
		same = sqlite3_column_int(s, 0);
	store_done(s);
	if (same)
		return WARD_OK;
	log_warn("ward.db: the search index missed rows; rebuilding it");
	if (sqlite3_exec(st->db,
			 "INSERT INTO history_fts (history_fts)"
			 " VALUES ('rebuild')",
			 NULL, NULL, &err) != SQLITE_OK) {
		log_warn("ward.db: cannot rebuild the search index: %s",
			 err ? err : sqlite3_errmsg(st->db));
		sqlite3_free(err);
		return WARD_ERR_IO;
	}
	return WARD_OK;
}

int
store_search_query(const char *text, char **out)
{
	size_t len, i, words = 0, o = 0;
	char *q;

	*out = NULL;
	if (text == NULL)
		return WARD_ERR_INVAL;
	len = strlen(text);
	if (len > STORE_SEARCH_MAX_TEXT)
		return WARD_ERR_LIMIT;
	/* worst case: every byte a '"' doubled, 4 bytes around each word */
	if ((q = malloc(2 * len + 4 * (len / 2 + 1) + 1)) == NULL)
		return WARD_ERR_NOMEM;
	for (i = 0; i < len;) {
		size_t start, end, j;
		int prefix;

		if (text[i] == ' ' || text[i] == '\t') {
			i++;
			continue;
		}
		if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f) {
			free(q);
			return WARD_ERR_INVAL;
		}
		start = i;
		while (i < len && text[i] != ' ' && text[i] != '\t') {
			if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f) {
				free(q);
				return WARD_ERR_INVAL;
			}
			i++;
		}
		end = i;
		prefix = end - start > 1 && text[end - 1] == '*';
		if (prefix)
			end--;
		if (++words > STORE_SEARCH_MAX_WORDS) {
			free(q);
			return WARD_ERR_LIMIT;
		}
		if (o > 0)
			q[o++] = ' ';
		q[o++] = '"';
		for (j = start; j < end; j++) {
			if (text[j] == '"')
				q[o++] = '"';
			q[o++] = text[j];
		}
		q[o++] = '"';
		if (prefix)
			q[o++] = '*';
	}
	if (words == 0) {
		free(q);
		return WARD_ERR_INVAL;
	}
	q[o] = '\0';
	*out = q;
	return WARD_OK;
}

int
store_search(struct store *st, const char *account, const char *peer,
	     const char *text, int limit, store_history_cb cb, void *arg,
	     size_t *n)
{
	sqlite3_stmt *s;
	char *query;
	int rc, row;

	if (n != NULL)
		*n = 0;
	STORE_NEED(st);
	STORE_NEED(account);
	STORE_NEED(cb);
	if (limit < 1 || limit > STORE_SEARCH_MAX)
		return WARD_ERR_INVAL;
	if ((rc = store_search_query(text, &query)) != WARD_OK)
		return rc;
	/* what was stored since the last fill is searched too */
	if ((rc = store_fts_flush(st)) != WARD_OK) {
		free(query);
		return rc;
	}
	rc = store_query(st, SQL_SEARCH, &s, &row, "ttti", query, account, peer,
			 (int64_t)limit);
	if (rc == WARD_OK)
		rc = store_history_emit(st, SQL_SEARCH, row, cb, arg, n);
	free(query);
	return rc;
}
