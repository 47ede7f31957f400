/*
 * omemo_db.c: the OMEMO tables (omemo_*, one row set per account) in the
 * caller's SQLite database: schema, prepared statements made on first use,
 * the savepoint that makes each library call all-or-nothing, small rows.
 */
#include <string.h>

#include "omemo_int.h"

/* Version 1. A later change adds a migration step keyed on this number. */
static const char omemo_schema_sql[] =
    "CREATE TABLE IF NOT EXISTS omemo_schema ("
    " version INTEGER NOT NULL) STRICT;"
    "INSERT INTO omemo_schema (version)"
    " SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM omemo_schema);"
    "CREATE TABLE IF NOT EXISTS omemo_account ("
    " account TEXT PRIMARY KEY,"
    " device_id INTEGER NOT NULL,"
    " identity_pub BLOB NOT NULL,"
    " identity_priv BLOB NOT NULL,"
    " next_prekey_id INTEGER NOT NULL"
    ") STRICT, WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS omemo_prekey ("
    " account TEXT NOT NULL,"
    " id INTEGER NOT NULL,"
    " pub BLOB NOT NULL,"
    " record BLOB NOT NULL,"
    " PRIMARY KEY (account, id)"
    ") STRICT, WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS omemo_signed_prekey ("
    " account TEXT NOT NULL,"
    " id INTEGER NOT NULL,"
    " record BLOB NOT NULL,"
    " PRIMARY KEY (account, id)"
    ") STRICT, WITHOUT ROWID;"
    /* session records grow to kilobytes: a rowid table suits them */
    "CREATE TABLE IF NOT EXISTS omemo_session ("
    " account TEXT NOT NULL,"
    " jid TEXT NOT NULL,"
    " device INTEGER NOT NULL,"
    " record BLOB NOT NULL,"
    " UNIQUE (account, jid, device)"
    ") STRICT;"
    "CREATE TABLE IF NOT EXISTS omemo_identity ("
    " account TEXT NOT NULL,"
    " jid TEXT NOT NULL,"
    " device INTEGER NOT NULL,"
    " key BLOB NOT NULL,"
    " trust INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY (account, jid, device)"
    ") STRICT, WITHOUT ROWID;";

/* ?1 is always the account. */
static const char *const omemo_sql[OSQL_COUNT] = {
    [OSQL_SAVEPOINT] = "SAVEPOINT omemo_op",
    [OSQL_RELEASE] = "RELEASE omemo_op",
    [OSQL_ROLLBACK_TO] = "ROLLBACK TO omemo_op",
    [OSQL_ACCOUNT_GET] =
	"SELECT device_id, identity_pub, identity_priv,"
	" next_prekey_id FROM omemo_account WHERE account = ?1",
    [OSQL_ACCOUNT_ADD] = "INSERT INTO omemo_account (account, device_id,"
			 " identity_pub, identity_priv, next_prekey_id)"
			 " VALUES (?1, ?2, ?3, ?4, ?5)",
    [OSQL_NEXT_PREKEY_SET] = "UPDATE omemo_account SET next_prekey_id = ?2"
			     " WHERE account = ?1",
    [OSQL_PREKEY_GET] = "SELECT record FROM omemo_prekey"
			" WHERE account = ?1 AND id = ?2",
    [OSQL_PREKEY_PUT] = "INSERT OR REPLACE INTO omemo_prekey"
			" (account, id, pub, record) VALUES (?1, ?2, ?3, ?4)",
    [OSQL_PREKEY_DEL] = "DELETE FROM omemo_prekey"
			" WHERE account = ?1 AND id = ?2",
    [OSQL_PREKEY_COUNT] = "SELECT count(*) FROM omemo_prekey"
			  " WHERE account = ?1",
    [OSQL_PREKEY_ALL] = "SELECT id, pub FROM omemo_prekey WHERE account = ?1"
			" ORDER BY id LIMIT ?2",
    [OSQL_SPK_GET] = "SELECT record FROM omemo_signed_prekey"
		     " WHERE account = ?1 AND id = ?2",
    [OSQL_SPK_PUT] = "INSERT OR REPLACE INTO omemo_signed_prekey"
		     " (account, id, record) VALUES (?1, ?2, ?3)",
    [OSQL_SPK_DEL] = "DELETE FROM omemo_signed_prekey"
		     " WHERE account = ?1 AND id = ?2",
    [OSQL_SPK_DEL_BELOW] = "DELETE FROM omemo_signed_prekey"
			   " WHERE account = ?1 AND id < ?2",
    [OSQL_SPK_ALL] = "SELECT id, record FROM omemo_signed_prekey"
		     " WHERE account = ?1 ORDER BY id DESC LIMIT ?2",
    [OSQL_SPK_NEWEST] = "SELECT max(id) FROM omemo_signed_prekey"
			" WHERE account = ?1",
    [OSQL_SESSION_GET] = "SELECT record FROM omemo_session"
			 " WHERE account = ?1 AND jid = ?2 AND device = ?3",
    [OSQL_SESSION_PUT] = "INSERT INTO omemo_session (account, jid, device,"
			 " record) VALUES (?1, ?2, ?3, ?4)"
			 " ON CONFLICT (account, jid, device)"
			 " DO UPDATE SET record = excluded.record",
    [OSQL_SESSION_DEL] = "DELETE FROM omemo_session"
			 " WHERE account = ?1 AND jid = ?2 AND device = ?3",
    [OSQL_SESSION_DEL_ALL] = "DELETE FROM omemo_session"
			     " WHERE account = ?1 AND jid = ?2",
    [OSQL_SESSION_DEVICES] = "SELECT device FROM omemo_session"
			     " WHERE account = ?1 AND jid = ?2 ORDER BY device",
    [OSQL_IDENT_GET] = "SELECT key, trust FROM omemo_identity"
		       " WHERE account = ?1 AND jid = ?2 AND device = ?3",
    /* a changed key (only after omemo_forget_device) starts undecided */
    [OSQL_IDENT_PUT] = "INSERT INTO omemo_identity (account, jid, device,"
		       " key, trust) VALUES (?1, ?2, ?3, ?4, 0)"
		       " ON CONFLICT (account, jid, device) DO UPDATE"
		       " SET trust = CASE WHEN key = excluded.key THEN trust"
		       " ELSE 0 END, key = excluded.key",
    [OSQL_IDENT_TRUST] = "UPDATE omemo_identity SET trust = ?4"
			 " WHERE account = ?1 AND jid = ?2 AND device = ?3",
    [OSQL_IDENT_DEL] = "DELETE FROM omemo_identity"
		       " WHERE account = ?1 AND jid = ?2 AND device = ?3",
    [OSQL_IDENT_DEVICES] = "SELECT device FROM omemo_identity"
			   " WHERE account = ?1 AND jid = ?2 ORDER BY device",
};

/* Creates the tables if missing (inside the caller's savepoint). */
int
omemo_db_schema(struct omemo *o)
{
	return sqlite3_exec(o->db, omemo_schema_sql, NULL, NULL, NULL) ==
		       SQLITE_OK
		   ? OMEMO_OK
		   : OMEMO_ERR_DB;
}

/*
 * The statement ID, prepared on first use, reset, with ?1 bound to the
 * account when it has parameters. NULL on failure. The caller resets it
 * when done (sqlite3_reset) so that no read stays open.
 */
sqlite3_stmt *
omemo_db_stmt(struct omemo *o, enum omemo_sql id)
{
	sqlite3_stmt *s = o->stmt[id];

	if (s == NULL) {
		if (sqlite3_prepare_v3(o->db, omemo_sql[id], -1,
				       SQLITE_PREPARE_PERSISTENT, &s,
				       NULL) != SQLITE_OK) {
			sqlite3_finalize(s);
			return NULL;
		}
		o->stmt[id] = s;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (sqlite3_bind_parameter_count(s) > 0 &&
	    sqlite3_bind_text(s, 1, o->account, -1, SQLITE_STATIC) != SQLITE_OK)
		return NULL;
	return s;
}

void
omemo_db_finalize(struct omemo *o)
{
	size_t i;

	for (i = 0; i < OSQL_COUNT; i++) {
		sqlite3_finalize(o->stmt[i]);
		o->stmt[i] = NULL;
	}
}

/* Steps S (bound by the caller) to its end and resets it. */
static int
db_finish(sqlite3_stmt *s, int bind_rc)
{
	int rc = bind_rc == SQLITE_OK ? sqlite3_step(s) : bind_rc;

	sqlite3_reset(s);
	return rc == SQLITE_DONE ? OMEMO_OK : OMEMO_ERR_DB;
}

/* Runs a statement with no parameter but the account and no rows. */
int
omemo_db_exec(struct omemo *o, enum omemo_sql id)
{
	sqlite3_stmt *s = omemo_db_stmt(o, id);

	return s == NULL ? OMEMO_ERR_DB : db_finish(s, SQLITE_OK);
}

/* Runs statement ID with ?2 bound to V; no rows. */
int
omemo_db_run_int(struct omemo *o, enum omemo_sql id, int64_t v)
{
	sqlite3_stmt *s = omemo_db_stmt(o, id);

	return s == NULL ? OMEMO_ERR_DB
			 : db_finish(s, sqlite3_bind_int64(s, 2, v));
}

/* Starts an all-or-nothing unit; ended by omemo_db_end. */
int
omemo_db_begin(struct omemo *o)
{
	return omemo_db_exec(o, OSQL_SAVEPOINT);
}

/* Ends the unit: kept if RC is OMEMO_OK, else undone. Returns RC or a
 * database error if keeping failed. */
int
omemo_db_end(struct omemo *o, int rc)
{
	if (rc == OMEMO_OK) {
		if (omemo_db_exec(o, OSQL_RELEASE) == OMEMO_OK)
			return OMEMO_OK;
		rc = OMEMO_ERR_DB;
	}
	(void)omemo_db_exec(o, OSQL_ROLLBACK_TO);
	(void)omemo_db_exec(o, OSQL_RELEASE);
	return rc;
}

int
omemo_db_set_next_prekey(struct omemo *o, uint32_t next)
{
	int rc = omemo_db_run_int(o, OSQL_NEXT_PREKEY_SET, next);

	if (rc == OMEMO_OK)
		o->next_prekey_id = next;
	return rc;
}

/* Stores prekey ID with its public key PUB and libsignal record REC. */
int
omemo_db_prekey_put(struct omemo *o, uint32_t id, const uint8_t *pub,
		    const uint8_t *rec, size_t rec_len)
{
	sqlite3_stmt *s = omemo_db_stmt(o, OSQL_PREKEY_PUT);
	int b;

	if (s == NULL)
		return OMEMO_ERR_DB;
	b = sqlite3_bind_int64(s, 2, id);
	if (b == SQLITE_OK)
		b = sqlite3_bind_blob(s, 3, pub, OMEMO_KEY_PUB_LEN,
				      SQLITE_STATIC);
	if (b == SQLITE_OK)
		b = sqlite3_bind_blob64(s, 4, rec, rec_len, SQLITE_STATIC);
	return db_finish(s, b);
}

int
omemo_db_prekey_count(struct omemo *o, size_t *n)
{
	sqlite3_stmt *s = omemo_db_stmt(o, OSQL_PREKEY_COUNT);
	int rc = OMEMO_ERR_DB;

	if (s == NULL)
		return rc;
	if (sqlite3_step(s) == SQLITE_ROW) {
		*n = (size_t)sqlite3_column_int64(s, 0);
		rc = OMEMO_OK;
	}
	sqlite3_reset(s);
	return rc;
}

/*
 * The identity key (and trust, when TRUST is not NULL) remembered for JID's
 * DEVICE. OMEMO_ERR_NOSESSION if none, OMEMO_ERR_DB on failure.
 */
int
omemo_db_ident_get(struct omemo *o, const char *jid, uint32_t device,
		   uint8_t key[OMEMO_KEY_PUB_LEN], int *trust)
{
	sqlite3_stmt *s = omemo_db_stmt(o, OSQL_IDENT_GET);
	int rc = OMEMO_ERR_DB, st;

	if (s == NULL)
		return rc;
	if (sqlite3_bind_text(s, 2, jid, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 3, device) != SQLITE_OK)
		goto out;
	st = sqlite3_step(s);
	if (st == SQLITE_DONE) {
		rc = OMEMO_ERR_NOSESSION;
	} else if (st == SQLITE_ROW &&
		   sqlite3_column_bytes(s, 0) == OMEMO_KEY_PUB_LEN) {
		memcpy(key, sqlite3_column_blob(s, 0), OMEMO_KEY_PUB_LEN);
		if (trust != NULL)
			*trust = sqlite3_column_int(s, 1);
		rc = OMEMO_OK;
	}
out:
	sqlite3_reset(s);
	return rc;
}
