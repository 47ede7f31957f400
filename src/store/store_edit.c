/*
 * store_edit.c: corrections, retractions, reactions and replies of stored
 * messages (store_edit.h). A correction keeps the replaced text in
 * history_versions; a retraction erases text, versions and reactions but
 * keeps the row as a tombstone.
 */
#include <stdlib.h>
#include <string.h>

#include "store_edit.h"
#include "store_priv.h"
#include "ward.h"

void
store_ref_clear(struct store_ref *r)
{
	free(r->from_jid);
	free(r->occupant_id);
	free(r->body);
	free(r->id);
	free(r->server_id);
	free(r->origin_id);
	memset(r, 0, sizeof(*r));
}

void
store_refs_free(struct store_ref *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		store_ref_clear(&v[i]);
	free(v);
}

/* One SQL_REF_* row into the store_ref at elem (store_read_fn). */
static int
ref_read(sqlite3_stmt *s, void *elem)
{
	struct store_ref *r = elem;
	const char *dir = (const char *)sqlite3_column_text(s, 1);
	const char *type = (const char *)sqlite3_column_text(s, 2);
	const char *enc = (const char *)sqlite3_column_text(s, 6);
	int rc = WARD_OK;

	memset(r, 0, sizeof(*r));
	r->row = sqlite3_column_int64(s, 0);
	r->dir = dir && strcmp(dir, "out") == 0 ? STORE_DIR_OUT : STORE_DIR_IN;
	r->type = type && strcmp(type, "groupchat") == 0 ? STORE_TYPE_GROUPCHAT
							 : STORE_TYPE_CHAT;
	r->enc =
	    enc && strcmp(enc, "omemo") == 0 ? STORE_ENC_OMEMO : STORE_ENC_NONE;
	r->room_session = sqlite3_column_int64(s, 5);
	r->retracted = sqlite3_column_int(s, 10);
	r->ts = sqlite3_column_int64(s, 12);
	if (store_col_dup(s, 3, &r->from_jid) != WARD_OK ||
	    store_col_dup(s, 4, &r->occupant_id) != WARD_OK ||
	    store_col_dup(s, 7, &r->body) != WARD_OK ||
	    store_col_dup(s, 8, &r->id) != WARD_OK ||
	    store_col_dup(s, 9, &r->server_id) != WARD_OK ||
	    store_col_dup(s, 11, &r->origin_id) != WARD_OK)
		rc = WARD_ERR_NOMEM;
	if (rc == WARD_OK && r->body == NULL)
		rc = WARD_ERR_IO;
	if (rc != WARD_OK)
		store_ref_clear(r);
	return rc;
}

int
store_ref_find(struct store *st, const char *account, const char *peer,
	       const char *id, struct store_ref **v, size_t *n)
{
	sqlite3_stmt *s;
	void *out = NULL;
	int rc, row;

	*v = NULL;
	*n = 0;
	STORE_NEED(st);
	STORE_NEED(account);
	STORE_NEED(peer);
	STORE_NEED(id);
	rc = store_query(st, SQL_REF_FIND, &s, &row, "ttt", account, peer, id);
	if (rc != WARD_OK)
		return rc;
	rc = store_collect(st, SQL_REF_FIND, row, sizeof(**v), ref_read, &out,
			   n);
	*v = out;
	if (rc != WARD_OK) {
		store_refs_free(*v, *n);
		*v = NULL;
		*n = 0;
	}
	return rc;
}

/* The one row of statement ID into *OUT; WARD_ERR_NOTFOUND. */
static int
ref_one(struct store *st, enum store_stmt id, sqlite3_stmt *s, int row,
	struct store_ref *out)
{
	int rc;

	if (!row) {
		store_done(s);
		return WARD_ERR_NOTFOUND;
	}
	rc = ref_read(s, out);
	store_done(s);
	(void)st;
	(void)id;
	return rc;
}

int
store_ref_last(struct store *st, const char *account, const char *peer,
	       enum store_dir dir, struct store_ref *out)
{
	sqlite3_stmt *s;
	int rc, row;

	memset(out, 0, sizeof(*out));
	STORE_NEED(st);
	STORE_NEED(account);
	STORE_NEED(peer);
	rc = store_query(st, SQL_REF_LAST_OWN, &s, &row, "ttt", account, peer,
			 dir == STORE_DIR_OUT ? "out" : "in");
	if (rc != WARD_OK)
		return rc;
	return ref_one(st, SQL_REF_LAST_OWN, s, row, out);
}

int
store_ref_row(struct store *st, int64_t id, struct store_ref *out)
{
	sqlite3_stmt *s;
	int rc, row;

	memset(out, 0, sizeof(*out));
	STORE_NEED(st);
	rc = store_query(st, SQL_REF_ROW, &s, &row, "i", id);
	if (rc != WARD_OK)
		return rc;
	return ref_one(st, SQL_REF_ROW, s, row, out);
}

int
store_edit_apply(struct store *st, int64_t row, const char *body, int64_t at)
{
	int rc;

	STORE_NEED(st);
	STORE_NEED(body);
	if ((rc = store_op_begin(st)) != WARD_OK)
		return rc;
	rc = store_run(st, SQL_EDIT_KEEP, NULL, "ii", row, at);
	if (rc == WARD_OK)
		rc = store_fts_del(st, row);
	if (rc == WARD_OK)
		rc = store_run(st, SQL_EDIT_SET, NULL, "it", row, body);
	if (rc == WARD_OK)
		rc = store_fts_add(st, row);
	return store_op_end(st, rc);
}

int
store_retract(struct store *st, int64_t row)
{
	int rc;

	STORE_NEED(st);
	if ((rc = store_op_begin(st)) != WARD_OK)
		return rc;
	/* the search index must not find the text either */
	rc = store_fts_del(st, row);
	if (rc == WARD_OK)
		rc = store_run(st, SQL_RETRACT_SET, NULL, "i", row);
	if (rc == WARD_OK)
		rc = store_fts_add(st, row);
	if (rc == WARD_OK)
		rc = store_run(st, SQL_VERSIONS_DEL, NULL, "i", row);
	if (rc == WARD_OK)
		rc = store_run(st, SQL_REACT_DEL, NULL, "it", row, NULL);
	return store_op_end(st, rc);
}

struct version_row {
	char *body;
	int enc;
	int64_t ts, replaced_at;
};

static int
version_read(sqlite3_stmt *s, void *elem)
{
	struct version_row *v = elem;
	const char *enc = (const char *)sqlite3_column_text(s, 1);

	v->enc = enc && strcmp(enc, "omemo") == 0;
	v->ts = sqlite3_column_int64(s, 2);
	v->replaced_at = sqlite3_column_int64(s, 3);
	return store_col_dup(s, 0, &v->body) == WARD_OK && v->body != NULL
		   ? WARD_OK
		   : WARD_ERR_NOMEM;
}

int
store_versions(struct store *st, int64_t row, store_version_cb cb, void *arg)
{
	sqlite3_stmt *s;
	struct version_row *v;
	void *out = NULL;
	size_t n = 0, i;
	int rc, has;

	STORE_NEED(st);
	STORE_NEED(cb);
	rc = store_query(st, SQL_VERSIONS, &s, &has, "i", row);
	if (rc != WARD_OK)
		return rc;
	rc = store_collect(st, SQL_VERSIONS, has, sizeof(*v), version_read,
			   &out, &n);
	v = out;
	for (i = 0; i < n && rc == WARD_OK; i++)
		rc = cb(v[i].body, v[i].enc ? STORE_ENC_OMEMO : STORE_ENC_NONE,
			v[i].ts, v[i].replaced_at, arg);
	for (i = 0; i < n; i++)
		free(v[i].body);
	free(v);
	return rc;
}

int
store_react_set(struct store *st, int64_t row, const char *sender,
		const char *emojis, int64_t at)
{
	STORE_NEED(st);
	STORE_NEED(sender);
	STORE_NEED(emojis);
	if (emojis[0] == '\0')
		return store_run(st, SQL_REACT_DEL, NULL, "it", row, sender);
	return store_run(st, SQL_REACT_SET, NULL, "itti", row, sender, emojis,
			 at);
}

static int
react_read(sqlite3_stmt *s, void *elem)
{
	char **e = elem;

	return store_col_dup(s, 0, e) == WARD_OK && *e != NULL ? WARD_OK
							       : WARD_ERR_NOMEM;
}

int
store_react_all(struct store *st, int64_t row, char **out)
{
	sqlite3_stmt *s;
	void *v = NULL;
	char **e;
	size_t n = 0, i, len = 1;
	int rc, has;

	*out = NULL;
	STORE_NEED(st);
	rc = store_query(st, SQL_REACT_ALL, &s, &has, "i", row);
	if (rc != WARD_OK)
		return rc;
	rc = store_collect(st, SQL_REACT_ALL, has, sizeof(char *), react_read,
			   &v, &n);
	e = v;
	for (i = 0; i < n; i++)
		len += strlen(e[i]) + 1;
	if (rc == WARD_OK && (*out = malloc(len)) == NULL)
		rc = WARD_ERR_NOMEM;
	if (rc == WARD_OK) {
		(*out)[0] = '\0';
		for (i = 0; i < n; i++) {
			if (i > 0)
				strcat(*out, "\n");
			strcat(*out, e[i]);
		}
	}
	for (i = 0; i < n; i++)
		free(e[i]);
	free(e);
	return rc;
}

int
store_msg_meta(struct store *st, int64_t row, const char *occupant_id,
	       int64_t room_session, const char *reply_to)
{
	STORE_NEED(st);
	return store_run(st, SQL_MSG_META, NULL, "itit", row, occupant_id,
			 room_session, reply_to);
}

int
store_reply_out(struct store *st, const char *account, const char *peer,
		const char *origin_id, const char *reply_to)
{
	sqlite3_stmt *s;
	int64_t row;
	int rc, has;

	STORE_NEED(st);
	STORE_NEED(account);
	STORE_NEED(peer);
	STORE_NEED(origin_id);
	STORE_NEED(reply_to);
	rc = store_query(st, SQL_REPLY_OUT_ROW, &s, &has, "ttt", account, peer,
			 origin_id);
	if (rc != WARD_OK)
		return rc;
	row = has ? sqlite3_column_int64(s, 0) : 0;
	store_done(s);
	if (!has)
		return WARD_ERR_NOTFOUND;
	if ((rc = store_op_begin(st)) != WARD_OK)
		return rc;
	rc = store_fts_del(st, row);
	if (rc == WARD_OK)
		rc = store_run(st, SQL_REPLY_OUT, NULL, "it", row, reply_to);
	if (rc == WARD_OK)
		rc = store_fts_add(st, row);
	return store_op_end(st, rc);
}

int
store_own_server_id(struct store *st, const char *account, const char *peer,
		    const char *origin_id, const char *server_id,
		    const char *by)
{
	STORE_NEED(st);
	STORE_NEED(account);
	STORE_NEED(peer);
	STORE_NEED(origin_id);
	STORE_NEED(server_id);
	return store_run(st, SQL_OWN_SID, NULL, "ttttt", account, peer,
			 origin_id, server_id, by);
}

int
store_msg_flags(struct store *st, int64_t row, int *edited, int *retracted,
		char **reply_to)
{
	sqlite3_stmt *s;
	int rc, has;

	*edited = *retracted = 0;
	*reply_to = NULL;
	STORE_NEED(st);
	rc = store_query(st, SQL_FLAGS, &s, &has, "i", row);
	if (rc != WARD_OK)
		return rc;
	if (!has) {
		store_done(s);
		return WARD_ERR_NOTFOUND;
	}
	*edited = sqlite3_column_int(s, 0);
	*retracted = sqlite3_column_int(s, 1);
	rc = store_col_dup(s, 2, reply_to);
	store_done(s);
	return rc;
}

int
store_change_set(struct store *st, int64_t outbox_id, const char *kind,
		 const char *ref, const char *extra)
{
	int rc;

	STORE_NEED(st);
	STORE_NEED(kind);
	STORE_NEED(ref);
	if ((rc = store_batch_check(st)) != WARD_OK)
		return rc;
	rc = store_run(st, SQL_CHANGE_SET, NULL, "ittt", outbox_id, kind, ref,
		       extra);
	return rc == WARD_OK ? store_flush(st) : rc;
}

int
store_change_get(struct store *st, int64_t outbox_id, char **kind, char **ref,
		 char **extra)
{
	sqlite3_stmt *s;
	int rc, has;

	*kind = *ref = *extra = NULL;
	STORE_NEED(st);
	rc = store_query(st, SQL_CHANGE_GET, &s, &has, "i", outbox_id);
	if (rc != WARD_OK)
		return rc;
	if (!has) {
		store_done(s);
		return WARD_ERR_NOTFOUND;
	}
	if (store_col_dup(s, 0, kind) != WARD_OK ||
	    store_col_dup(s, 1, ref) != WARD_OK ||
	    store_col_dup(s, 2, extra) != WARD_OK) {
		free(*kind);
		free(*ref);
		free(*extra);
		*kind = *ref = *extra = NULL;
		rc = WARD_ERR_NOMEM;
	}
	store_done(s);
	return rc;
}

int
store_change_del(struct store *st, int64_t outbox_id)
{
	STORE_NEED(st);
	return store_run(st, SQL_CHANGE_DEL, NULL, "i", outbox_id);
}
