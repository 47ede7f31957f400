/*
 * store_msg.c: the store's rows: message history (with dedupe by server
 * stanza-id and by origin-id), the outbox, pins and settings. The
 * connection, batches and statement helpers are in store.c.
 */
#include <stdlib.h>
#include <string.h>

#include "store_priv.h"
#include "ward.h"

static const char *const store_dir_names[] = {"in", "out"};
static const char *const store_type_names[] = {"chat", "groupchat"};
static const char *const store_enc_names[] = {"none", "omemo"};

/* ---- history ---- */

int
store_history_add(struct store *st, const struct store_msg *m, int *duplicate)
{
	int rc, changes = 0;

	if (duplicate != NULL)
		*duplicate = 0;
	STORE_NEED(st);
	STORE_NEED(m);
	STORE_NEED(m->account);
	STORE_NEED(m->peer);
	STORE_NEED(m->body);
	if ((unsigned)m->dir > STORE_DIR_OUT ||
	    (unsigned)m->type > STORE_TYPE_GROUPCHAT ||
	    (unsigned)m->enc > STORE_ENC_OMEMO)
		return WARD_ERR_INVAL;
	if ((rc = store_batch_check(st)) != WARD_OK)
		return rc;
	if ((rc = store_op_begin(st)) != WARD_OK)
		return rc;
	rc = store_run(
	    st, SQL_HIST_ADD, &changes, "tttttttttttiit", m->account, m->peer,
	    store_dir_names[m->dir], store_type_names[m->type], m->from_jid,
	    m->stanza_id, m->origin_id, m->server_id, m->server_id_by, m->body,
	    store_enc_names[m->enc], m->ts != 0 ? m->ts : wall_ms(),
	    (int64_t)(m->delayed != 0), m->occupant_id);
	if (rc == WARD_OK && changes == 0 && duplicate != NULL)
		*duplicate = 1;
	if (rc == WARD_OK && changes != 0)
		store_fts_pending(st, sqlite3_last_insert_rowid(st->db));
	return store_op_end(st, rc);
}

int
store_history_last_stanza_id(struct store *st, const char *account,
			     const char *peer, const char *by, char **id)
{
	sqlite3_stmt *s;
	int rc, row;

	if (id != NULL)
		*id = NULL;
	STORE_NEED(st);
	STORE_NEED(account);
	STORE_NEED(id);
	if (peer != NULL)
		rc = store_query(st, SQL_HIST_LAST_PEER, &s, &row, "ttt",
				 account, peer, by);
	else
		rc = store_query(st, SQL_HIST_LAST_ANY, &s, &row, "tt", account,
				 by);
	if (rc != WARD_OK)
		return rc;
	rc = row ? store_col_dup(s, 0, id) : WARD_ERR_NOTFOUND;
	store_done(s);
	return rc;
}

int
store_history_stanza_id_before(struct store *st, const char *account,
			       const char *by, const char *than, char **id)
{
	sqlite3_stmt *s;
	int rc, row;

	if (id != NULL)
		*id = NULL;
	STORE_NEED(st);
	STORE_NEED(account);
	STORE_NEED(by);
	STORE_NEED(than);
	STORE_NEED(id);
	rc = store_query(st, SQL_HIST_SID_BEFORE, &s, &row, "ttt", account, by,
			 than);
	if (rc != WARD_OK)
		return rc;
	rc = row ? store_col_dup(s, 0, id) : WARD_ERR_NOTFOUND;
	store_done(s);
	return rc;
}

/* Runs a count(*) statement into *n. */
static int
store_count(struct store *st, enum store_stmt id, const char *account,
	    const char *peer, int64_t *n)
{
	sqlite3_stmt *s;
	int rc, row;

	rc = id == SQL_HIST_COUNT
		 ? store_query(st, id, &s, &row, "tt", account, peer)
		 : store_query(st, id, &s, &row, "t", account);
	if (rc != WARD_OK)
		return rc;
	if (row)
		*n = sqlite3_column_int64(s, 0);
	store_done(s);
	return row ? WARD_OK : WARD_ERR_IO;
}

int
store_history_count(struct store *st, const char *account, const char *peer,
		    int64_t *n)
{
	if (n != NULL)
		*n = 0;
	STORE_NEED(st);
	STORE_NEED(account);
	STORE_NEED(n);
	return store_count(st, SQL_HIST_COUNT, account, peer, n);
}

int
store_collect(struct store *st, enum store_stmt id, int row, size_t size,
	      store_read_fn readrow, void **out, size_t *n)
{
	sqlite3_stmt *s = st->stmt[id];
	unsigned char *rows = NULL, *nrows;
	size_t cap = 0;
	int rc = WARD_OK;

	*n = 0;
	while (row) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((nrows = reallocarray(rows, cap, size)) == NULL) {
				rc = WARD_ERR_NOMEM;
				break;
			}
			rows = nrows;
		}
		if ((rc = readrow(s, rows + *n * size)) != WARD_OK)
			break;
		(*n)++;
		rc = sqlite3_step(s);
		row = rc == SQLITE_ROW;
		rc =
		    row || rc == SQLITE_DONE ? WARD_OK : store_fail(st, rc, id);
		if (rc != WARD_OK)
			break;
	}
	store_done(s);
	*out = rows;
	return rc;
}

/* Frees the strings of a history row read by store_history_read. */
void
store_msg_free(struct store_msg *m)
{
	free((char *)m->account);
	free((char *)m->peer);
	free((char *)m->from_jid);
	free((char *)m->stanza_id);
	free((char *)m->origin_id);
	free((char *)m->server_id);
	free((char *)m->server_id_by);
	free((char *)m->body);
	free((char *)m->occupant_id);
	memset(m, 0, sizeof(*m));
}

/* Reads the current SQL_HIST_RECENT row into *m (strings: malloc). */
int
store_history_read(sqlite3_stmt *s, void *elem)
{
	struct store_msg *m = elem;
	char *t[9];
	int i, rc = WARD_OK, dir, type, enc;
	static const int cols[9] = {1, 2, 5, 6, 7, 8, 9, 10, 14};

	memset(m, 0, sizeof(*m));
	for (i = 0; i < 9; i++)
		if (store_col_dup(s, cols[i], &t[i]) != WARD_OK)
			rc = WARD_ERR_NOMEM;
	m->account = t[0];
	m->peer = t[1];
	m->from_jid = t[2];
	m->stanza_id = t[3];
	m->origin_id = t[4];
	m->server_id = t[5];
	m->server_id_by = t[6];
	m->body = t[7];
	m->occupant_id = t[8];
	m->id = sqlite3_column_int64(s, 0);
	m->ts = sqlite3_column_int64(s, 12);
	m->delayed = sqlite3_column_int(s, 13) != 0;
	dir = store_col_enum(s, 3, STORE_NAMES(store_dir_names));
	type = store_col_enum(s, 4, STORE_NAMES(store_type_names));
	enc = store_col_enum(s, 11, STORE_NAMES(store_enc_names));
	if (rc == WARD_OK &&
	    (dir < 0 || type < 0 || enc < 0 || m->account == NULL ||
	     m->peer == NULL || m->body == NULL))
		rc = WARD_ERR_PARSE;
	m->dir = (enum store_dir)(dir < 0 ? 0 : dir);
	m->type = (enum store_type)(type < 0 ? 0 : type);
	m->enc = (enum store_enc)(enc < 0 ? 0 : enc);
	if (rc != WARD_OK)
		store_msg_free(m);
	return rc;
}

int
store_history_recent(struct store *st, const char *account, const char *peer,
		     int limit, store_history_cb cb, void *arg)
{
	struct store_msg *rows;
	sqlite3_stmt *s;
	void *v = NULL;
	size_t n = 0, i;
	int rc, row;

	STORE_NEED(st);
	STORE_NEED(account);
	STORE_NEED(peer);
	STORE_NEED(cb);
	if (limit < 0)
		return WARD_ERR_INVAL;
	rc = store_query(st, SQL_HIST_RECENT, &s, &row, "tti", account, peer,
			 (int64_t)limit);
	if (rc != WARD_OK)
		return rc;
	/* Read everything first: cb may use the store (and this statement). */
	rc = store_collect(st, SQL_HIST_RECENT, row, sizeof(*rows),
			   store_history_read, &v, &n);
	rows = v;
	for (i = 0; i < n && rc == WARD_OK; i++)
		rc = cb(&rows[i], arg);
	for (i = 0; i < n; i++)
		store_msg_free(&rows[i]);
	free(rows);
	return rc;
}

/* ---- outbox ---- */

int
store_outbox_add(struct store *st, const char *account, const char *to,
		 enum store_type type, enum store_enc enc, const char *body,
		 const char *origin_id, int64_t *id)
{
	int rc;

	if (id != NULL)
		*id = 0;
	STORE_NEED(st);
	STORE_NEED(account);
	STORE_NEED(to);
	STORE_NEED(body);
	STORE_NEED(origin_id);
	STORE_NEED(id);
	if ((unsigned)type > STORE_TYPE_GROUPCHAT ||
	    (unsigned)enc > STORE_ENC_OMEMO)
		return WARD_ERR_INVAL;
	if ((rc = store_batch_check(st)) != WARD_OK)
		return rc;
	rc = store_run(st, SQL_OUT_ADD, NULL, "tttttti", account, to,
		       store_type_names[type], store_enc_names[enc], body,
		       origin_id, wall_ms());
	if (rc != WARD_OK)
		return rc;
	*id = sqlite3_last_insert_rowid(st->db);
	if ((rc = store_flush(st)) != WARD_OK)
		*id = 0;
	return rc;
}

int
store_outbox_mark_sent(struct store *st, int64_t id, int64_t sent_at)
{
	int rc, changes = 0;

	STORE_NEED(st);
	if ((rc = store_batch_check(st)) != WARD_OK)
		return rc;
	rc = store_run(st, SQL_OUT_SENT, &changes, "ii", id, sent_at);
	if (rc == WARD_OK && changes == 0)
		rc = WARD_ERR_NOTFOUND;
	return rc;
}

int
store_outbox_ack(struct store *st, int64_t id, const struct store_ack *ack)
{
	static const struct store_ack none;
	int rc, changes = 0;

	STORE_NEED(st);
	if (ack == NULL)
		ack = &none;
	if ((rc = store_op_begin(st)) != WARD_OK)
		return rc;
	rc = store_run(st, SQL_OUT_TO_HIST, &changes, "itttt", id,
		       ack->from_jid, ack->server_id, ack->server_id_by,
		       ack->occupant_id);
	if (rc == WARD_OK && changes != 0)
		store_fts_pending(st, sqlite3_last_insert_rowid(st->db));
	changes = 0;
	if (rc == WARD_OK)
		rc = store_run(st, SQL_OUT_DEL, &changes, "i", id);
	if (rc == WARD_OK && changes == 0)
		rc = WARD_ERR_NOTFOUND;
	return store_op_end(st, rc);
}

int
store_outbox_drop(struct store *st, int64_t id)
{
	int rc, changes = 0;

	STORE_NEED(st);
	if ((rc = store_batch_check(st)) != WARD_OK)
		return rc;
	rc = store_run(st, SQL_OUT_DEL, &changes, "i", id);
	if (rc == WARD_OK && changes == 0)
		rc = WARD_ERR_NOTFOUND;
	if (rc == WARD_OK)
		rc = store_flush(st);
	return rc;
}

int
store_outbox_ack_origin(struct store *st, const char *account,
			const char *origin_id, const struct store_ack *ack)
{
	sqlite3_stmt *s;
	int64_t id;
	int rc, row;

	STORE_NEED(st);
	STORE_NEED(account);
	STORE_NEED(origin_id);
	rc = store_query(st, SQL_OUT_FIND, &s, &row, "tt", account, origin_id);
	if (rc != WARD_OK)
		return rc;
	id = row ? sqlite3_column_int64(s, 0) : 0;
	store_done(s);
	return row ? store_outbox_ack(st, id, ack) : WARD_ERR_NOTFOUND;
}

int
store_origin_is_own(struct store *st, const char *account, const char *peer,
		    const char *origin_id, int *own)
{
	sqlite3_stmt *s;
	int rc, row;

	if (own != NULL)
		*own = 0;
	STORE_NEED(st);
	STORE_NEED(account);
	STORE_NEED(peer);
	STORE_NEED(origin_id);
	STORE_NEED(own);
	rc = store_query(st, SQL_OWN_ORIGIN, &s, &row, "ttt", account, peer,
			 origin_id);
	if (rc != WARD_OK)
		return rc;
	*own = row;
	store_done(s);
	return WARD_OK;
}

int
store_own_origin_of(struct store *st, const char *account, const char *peer,
		    const char *id, char **origin_id)
{
	sqlite3_stmt *s;
	int rc, row;

	if (origin_id != NULL)
		*origin_id = NULL;
	STORE_NEED(st);
	STORE_NEED(account);
	STORE_NEED(peer);
	STORE_NEED(id);
	STORE_NEED(origin_id);
	rc =
	    store_query(st, SQL_OWN_ANY_ID, &s, &row, "ttt", account, peer, id);
	if (rc != WARD_OK)
		return rc;
	rc = row ? store_col_dup(s, 0, origin_id) : WARD_ERR_NOTFOUND;
	if (rc == WARD_OK && *origin_id == NULL)
		rc = WARD_ERR_NOTFOUND;
	store_done(s);
	return rc;
}

/* Frees the strings of an outbox row read by store_outbox_read. */
static void
store_item_free(struct store_outbox_item *it)
{
	free((char *)it->account);
	free((char *)it->to);
	free((char *)it->body);
	free((char *)it->origin_id);
	memset(it, 0, sizeof(*it));
}

/* Reads the current SQL_OUT_PENDING row into *it (strings: malloc). */
static int
store_outbox_read(sqlite3_stmt *s, void *elem)
{
	struct store_outbox_item *it = elem;
	char *account, *to, *body, *origin_id;
	int rc = WARD_OK, type, enc;

	memset(it, 0, sizeof(*it));
	if (store_col_dup(s, 1, &account) != WARD_OK)
		rc = WARD_ERR_NOMEM;
	if (store_col_dup(s, 2, &to) != WARD_OK)
		rc = WARD_ERR_NOMEM;
	if (store_col_dup(s, 5, &body) != WARD_OK)
		rc = WARD_ERR_NOMEM;
	if (store_col_dup(s, 6, &origin_id) != WARD_OK)
		rc = WARD_ERR_NOMEM;
	it->account = account;
	it->to = to;
	it->body = body;
	it->origin_id = origin_id;
	it->id = sqlite3_column_int64(s, 0);
	it->created_at = sqlite3_column_int64(s, 7);
	it->sent_at = sqlite3_column_int64(s, 8); /* NULL reads as 0 */
	type = store_col_enum(s, 3, STORE_NAMES(store_type_names));
	enc = store_col_enum(s, 4, STORE_NAMES(store_enc_names));
	if (rc == WARD_OK && (type < 0 || enc < 0 || account == NULL ||
			      to == NULL || body == NULL || origin_id == NULL))
		rc = WARD_ERR_PARSE;
	it->type = (enum store_type)(type < 0 ? 0 : type);
	it->enc = (enum store_enc)(enc < 0 ? 0 : enc);
	if (rc != WARD_OK)
		store_item_free(it);
	return rc;
}

int
store_outbox_pending(struct store *st, const char *account, store_outbox_cb cb,
		     void *arg)
{
	struct store_outbox_item *rows;
	sqlite3_stmt *s;
	void *v = NULL;
	size_t n = 0, i;
	int rc, row;

	STORE_NEED(st);
	STORE_NEED(account);
	STORE_NEED(cb);
	rc = store_query(st, SQL_OUT_PENDING, &s, &row, "t", account);
	if (rc != WARD_OK)
		return rc;
	/* Read everything first: cb may use the store (and this statement). */
	rc = store_collect(st, SQL_OUT_PENDING, row, sizeof(*rows),
			   store_outbox_read, &v, &n);
	rows = v;
	for (i = 0; i < n && rc == WARD_OK; i++)
		rc = cb(&rows[i], arg);
	for (i = 0; i < n; i++)
		store_item_free(&rows[i]);
	free(rows);
	return rc;
}

int
store_outbox_count(struct store *st, const char *account, int64_t *n)
{
	if (n != NULL)
		*n = 0;
	STORE_NEED(st);
	STORE_NEED(account);
	STORE_NEED(n);
	return store_count(st, SQL_OUT_COUNT, account, NULL, n);
}

/* ---- pins ---- */

int
store_pin_get(struct store *st, const char *account, const char *kind,
	      char **value, int64_t *first_seen, int64_t *last_seen)
{
	sqlite3_stmt *s;
	int rc, row;

	if (value != NULL)
		*value = NULL;
	if (first_seen != NULL)
		*first_seen = 0;
	if (last_seen != NULL)
		*last_seen = 0;
	STORE_NEED(st);
	STORE_NEED(account);
	STORE_NEED(kind);
	STORE_NEED(value);
	rc = store_query(st, SQL_PIN_GET, &s, &row, "tt", account, kind);
	if (rc != WARD_OK)
		return rc;
	rc = row ? store_col_dup(s, 0, value) : WARD_ERR_NOTFOUND;
	if (rc == WARD_OK && *value == NULL)
		rc = WARD_ERR_PARSE;
	if (rc == WARD_OK && first_seen != NULL)
		*first_seen = sqlite3_column_int64(s, 1);
	if (rc == WARD_OK && last_seen != NULL)
		*last_seen = sqlite3_column_int64(s, 2);
	store_done(s);
	return rc;
}

int
store_pin_set(struct store *st, const char *account, const char *kind,
	      const char *value, int64_t seen_at)
{
	int rc;

	STORE_NEED(st);
	STORE_NEED(account);
	STORE_NEED(kind);
	STORE_NEED(value);
	if ((rc = store_batch_check(st)) != WARD_OK)
		return rc;
	rc = store_run(st, SQL_PIN_SET, NULL, "ttti", account, kind, value,
		       seen_at);
	return rc == WARD_OK ? store_flush(st) : rc;
}

/* ---- settings ---- */

int
store_kv_get(struct store *st, const char *account, const char *key,
	     char **value)
{
	sqlite3_stmt *s;
	int rc, row;

	if (value != NULL)
		*value = NULL;
	STORE_NEED(st);
	STORE_NEED(account);
	STORE_NEED(key);
	STORE_NEED(value);
	rc = store_query(st, SQL_KV_GET, &s, &row, "tt", account, key);
	if (rc != WARD_OK)
		return rc;
	rc = row ? store_col_dup(s, 0, value) : WARD_ERR_NOTFOUND;
	if (rc == WARD_OK && *value == NULL)
		rc = WARD_ERR_PARSE;
	store_done(s);
	return rc;
}

int
store_kv_set(struct store *st, const char *account, const char *key,
	     const char *value)
{
	int rc = store_kv_stage(st, account, key, value);

	return rc == WARD_OK ? store_flush(st) : rc;
}

int
store_kv_stage(struct store *st, const char *account, const char *key,
	       const char *value)
{
	int rc;

	STORE_NEED(st);
	STORE_NEED(account);
	STORE_NEED(key);
	STORE_NEED(value);
	if ((rc = store_batch_check(st)) != WARD_OK)
		return rc;
	return store_run(st, SQL_KV_SET, NULL, "ttt", account, key, value);
}

int
store_kv_del(struct store *st, const char *account, const char *key)
{
	int rc;

	STORE_NEED(st);
	STORE_NEED(account);
	STORE_NEED(key);
	if ((rc = store_batch_check(st)) != WARD_OK)
		return rc;
	rc = store_run(st, SQL_KV_DEL, NULL, "tt", account, key);
	return rc == WARD_OK ? store_flush(st) : rc;
}

int
store_delivery_set(struct store *st, const char *account, const char *peer,
		   const char *origin_id, int state)
{
	int rc;

	STORE_NEED(st);
	STORE_NEED(account);
	STORE_NEED(peer);
	STORE_NEED(origin_id);
	if ((rc = store_batch_check(st)) != WARD_OK)
		return rc;
	rc = store_run(st, SQL_DELIVERY_SET, NULL, "ttti", account, peer,
		       origin_id, (int64_t)state);
	return rc == WARD_OK ? store_flush(st) : rc;
}

int
store_delivery_get(struct store *st, const char *account, const char *peer,
		   const char *origin_id, int *state)
{
	sqlite3_stmt *s;
	int rc, row;

	STORE_NEED(state);
	*state = 0;
	STORE_NEED(st);
	STORE_NEED(account);
	STORE_NEED(peer);
	STORE_NEED(origin_id);
	rc = store_query(st, SQL_DELIVERY_GET, &s, &row, "ttt", account, peer,
			 origin_id);
	if (rc != WARD_OK)
		return rc;
	if (row)
		*state = sqlite3_column_int(s, 0);
	store_done(s);
	return WARD_OK;
}
