/*
 * store.c: ward's SQLite state (see store.h): opening ward.db safely, the
 * schema and its migrations, batching, and the history, outbox, pins and
 * settings tables. Library tier: returns ward_err codes, never prints.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store.h"
#include "store_priv.h"
#include "ward.h"

#define STORE_DB_NAME "ward.db"
#define STORE_BUSY_MS 5000 /* another ward process holds the lock */
#define STORE_MAX_LEN (4 * 1024 * 1024) /* longest string or row, bytes */

/*
 * Schema migrations: entry i takes the database from version i to i + 1.
 * Append only; never edit an entry that has shipped.
 */
static const char *const store_migrations[] = {
    /* 0 -> 1 */
    "CREATE TABLE history ("
    " id INTEGER PRIMARY KEY,"
    " account TEXT NOT NULL,"
    " peer TEXT NOT NULL,"
    " direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),"
    " type TEXT NOT NULL CHECK (type IN ('chat', 'groupchat')),"
    " from_jid TEXT,"
    " stanza_id TEXT,"
    " origin_id TEXT,"
    " server_id TEXT,"
    " server_id_by TEXT,"
    " body TEXT NOT NULL,"
    " encryption TEXT NOT NULL CHECK (encryption IN ('none', 'omemo')),"
    " ts INTEGER NOT NULL"
    ") STRICT;"
    "CREATE INDEX history_peer_ts ON history (account, peer, ts);"
    "CREATE UNIQUE INDEX history_server_id ON history"
    " (account, peer, server_id) WHERE server_id IS NOT NULL;"
    "CREATE UNIQUE INDEX history_origin_id ON history"
    " (account, peer, from_jid, origin_id)"
    " WHERE origin_id IS NOT NULL AND from_jid IS NOT NULL;"
    "CREATE INDEX history_server_id_ts ON history (account, ts)"
    " WHERE server_id IS NOT NULL;"
    "CREATE TABLE outbox ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " account TEXT NOT NULL,"
    " peer TEXT NOT NULL,"
    " type TEXT NOT NULL CHECK (type IN ('chat', 'groupchat')),"
    " encryption TEXT NOT NULL CHECK (encryption IN ('none', 'omemo')),"
    " body TEXT NOT NULL,"
    " origin_id TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " sent_at INTEGER,"
    " UNIQUE (account, origin_id)"
    ") STRICT;"
    "CREATE TABLE pins ("
    " account TEXT NOT NULL,"
    " kind TEXT NOT NULL,"
    " value TEXT NOT NULL,"
    " first_seen INTEGER NOT NULL,"
    " last_seen INTEGER NOT NULL,"
    " PRIMARY KEY (account, kind)"
    ") STRICT, WITHOUT ROWID;"
    "CREATE TABLE kv ("
    " account TEXT NOT NULL,"
    " key TEXT NOT NULL,"
    " value TEXT NOT NULL,"
    " PRIMARY KEY (account, key)"
    ") STRICT, WITHOUT ROWID;",
    /* 1 -> 2: the roster as last received, for RFC 6121 2.6 versioning */
    "CREATE TABLE roster ("
    " account TEXT NOT NULL,"
    " jid TEXT NOT NULL,"
    " name TEXT,"
    " subscription TEXT NOT NULL,"
    " PRIMARY KEY (account, jid)"
    ") STRICT, WITHOUT ROWID;",
    /* 2 -> 3: the roster groups of each contact, names joined by '\n' */
    "ALTER TABLE roster ADD COLUMN groups TEXT;",
    /* 3 -> 4: /search, a full-text index of the bodies (FTS5 over the
     * history table, no second copy of the text), filled from the rows
     * already stored. Kept in step by store_search.c (rows indexed in
     * bulk at rest and before a search; edits in their savepoint), not by
     * triggers: with
     * SQLITE_DBCONFIG_TRUSTED_SCHEMA off (store_connect) SQLite refuses
     * a virtual table inside a trigger ("unsafe use of virtual table") */
    "CREATE VIRTUAL TABLE IF NOT EXISTS history_fts USING fts5(body,"
    " content='history',"
    " content_rowid='id', tokenize='unicode61 remove_diacritics 2');"
    "INSERT INTO history_fts (history_fts) VALUES ('rebuild');",
    /* +1: corrections (XEP-0308), retractions (XEP-0424), reactions
     * (XEP-0444) and replies (XEP-0461): who sent a room message (its
     * XEP-0421 occupant-id, its presence session), the flags, the
     * earlier versions and the reactions (store_edit.c) */
    "ALTER TABLE history ADD COLUMN occupant_id TEXT;"
    "ALTER TABLE history ADD COLUMN room_session INTEGER;"
    "ALTER TABLE history ADD COLUMN edited INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE history ADD COLUMN retracted INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE history ADD COLUMN reply_to TEXT;"
    "CREATE INDEX history_ref_stanza ON history (account, peer, stanza_id)"
    " WHERE stanza_id IS NOT NULL;"
    "CREATE INDEX history_ref_origin ON history (account, peer, origin_id)"
    " WHERE origin_id IS NOT NULL;"
    "CREATE TABLE history_versions ("
    " id INTEGER PRIMARY KEY,"
    " msg INTEGER NOT NULL,"
    " body TEXT NOT NULL,"
    " encryption TEXT NOT NULL CHECK (encryption IN ('none', 'omemo')),"
    " ts INTEGER NOT NULL,"
    " replaced_at INTEGER NOT NULL"
    ") STRICT;"
    "CREATE INDEX history_versions_msg ON history_versions (msg);"
    "CREATE TABLE reactions ("
    " msg INTEGER NOT NULL,"
    " sender TEXT NOT NULL,"
    " emojis TEXT NOT NULL,"
    " ts INTEGER NOT NULL,"
    " PRIMARY KEY (msg, sender)"
    ") STRICT, WITHOUT ROWID;"
    "CREATE TABLE outbox_change ("
    " outbox_id INTEGER PRIMARY KEY,"
    " kind TEXT NOT NULL CHECK (kind IN ('correct', 'retract', 'react',"
    " 'reply')),"
    " ref TEXT NOT NULL,"
    " extra TEXT"
    ") STRICT;",
    /* XEP-0203: ts is the sender's time (a believed <delay/>), not the
     * time of receipt */
    "ALTER TABLE history ADD COLUMN delayed INTEGER NOT NULL DEFAULT 0;",
    /* +1: delivery receipts and read markers of our messages (XEP-0184,
     * XEP-0333): state 1 delivered, 2 read; never goes back */
    "CREATE TABLE IF NOT EXISTS delivery ("
    " account TEXT NOT NULL,"
    " peer TEXT NOT NULL,"
    " origin_id TEXT NOT NULL,"
    " state INTEGER NOT NULL,"
    " PRIMARY KEY (account, peer, origin_id)"
    ") STRICT, WITHOUT ROWID;",
};
#define STORE_SCHEMA_VERSION                                                   \
	((int)(sizeof(store_migrations) / sizeof(store_migrations[0])))

#define STORE_HISTORY_COLS                                                     \
	"account, peer, direction, type, from_jid, stanza_id, origin_id,"      \
	" server_id, server_id_by, body, encryption, ts, delayed, occupant_id"


static const char *const store_sql[SQL_COUNT] = {
    [SQL_BEGIN] = "BEGIN IMMEDIATE",
    [SQL_COMMIT] = "COMMIT",
    [SQL_ROLLBACK] = "ROLLBACK",
    [SQL_SAVEPOINT] = "SAVEPOINT store_op",
    [SQL_RELEASE] = "RELEASE store_op",
    [SQL_ROLLBACK_TO] = "ROLLBACK TO store_op",
    [SQL_HIST_ADD] = "INSERT INTO history (" STORE_HISTORY_COLS ")"
		     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
		     " ?11, ?12, ?13, ?14) ON CONFLICT DO NOTHING",
    [SQL_HIST_COUNT] = "SELECT count(*) FROM history WHERE account = ?1"
		       " AND (?2 IS NULL OR peer = ?2)",
    [SQL_HIST_LAST_PEER] =
	"SELECT server_id FROM history WHERE account = ?1 AND peer = ?2"
	" AND server_id IS NOT NULL AND (?3 IS NULL OR server_id_by = ?3)"
	" ORDER BY ts DESC, id DESC LIMIT 1",
    [SQL_HIST_LAST_ANY] =
	"SELECT server_id FROM history WHERE account = ?1"
	" AND server_id IS NOT NULL AND (?2 IS NULL OR server_id_by = ?2)"
	" ORDER BY ts DESC, id DESC LIMIT 1",
    [SQL_HIST_SID_BEFORE] =
	"SELECT h.server_id FROM history h, (SELECT ts, id FROM history"
	" WHERE account = ?1 AND server_id_by = ?2 AND server_id = ?3"
	" ORDER BY ts, id LIMIT 1) t WHERE h.account = ?1"
	" AND h.server_id IS NOT NULL AND h.server_id_by = ?2"
	" AND (h.ts < t.ts OR (h.ts = t.ts AND h.id < t.id))"
	" ORDER BY h.ts DESC, h.id DESC LIMIT 1",
    [SQL_HIST_RECENT] =
	"SELECT id, " STORE_HISTORY_COLS " FROM (SELECT * FROM history"
	" WHERE account = ?1 AND peer = ?2 ORDER BY ts DESC, id DESC"
	" LIMIT ?3) ORDER BY ts, id",
    [SQL_OWN_ORIGIN] =
	"SELECT 1 FROM outbox WHERE account = ?1 AND peer = ?2"
	" AND origin_id = ?3 UNION ALL SELECT 1 FROM history"
	" WHERE account = ?1 AND peer = ?2 AND direction = 'out'"
	" AND origin_id = ?3 LIMIT 1",
    /* a room's marker may name our message by the room's stanza-id */
    [SQL_OWN_ANY_ID] =
	"SELECT origin_id FROM outbox WHERE account = ?1 AND peer = ?2"
	" AND origin_id = ?3 UNION ALL SELECT origin_id FROM history"
	" WHERE account = ?1 AND peer = ?2 AND direction = 'out'"
	" AND origin_id = ?3 UNION ALL SELECT origin_id FROM history"
	" WHERE account = ?1 AND peer = ?2 AND direction = 'out'"
	" AND server_id = ?3 AND origin_id IS NOT NULL LIMIT 1",
    [SQL_OUT_ADD] = "INSERT INTO outbox (account, peer, type, encryption,"
		    " body, origin_id, created_at)"
		    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [SQL_OUT_SENT] = "UPDATE outbox SET sent_at = ?2 WHERE id = ?1",
    [SQL_OUT_FIND] = "SELECT id FROM outbox WHERE account = ?1"
		     " AND origin_id = ?2",
    [SQL_OUT_TO_HIST] =
	"INSERT INTO history (" STORE_HISTORY_COLS ")"
	" SELECT account, peer, 'out', type, ?2, origin_id, origin_id,"
	" ?3, ?4, body, encryption, created_at, 0, ?5 FROM outbox WHERE id = ?1"
	" ON CONFLICT DO NOTHING",
    [SQL_OUT_DEL] = "DELETE FROM outbox WHERE id = ?1",
    [SQL_OUT_PENDING] = "SELECT id, account, peer, type, encryption, body,"
			" origin_id, created_at, sent_at FROM outbox"
			" WHERE account = ?1 ORDER BY id",
    [SQL_OUT_COUNT] = "SELECT count(*) FROM outbox WHERE account = ?1",
    [SQL_PIN_GET] = "SELECT value, first_seen, last_seen FROM pins"
		    " WHERE account = ?1 AND kind = ?2",
    [SQL_PIN_SET] =
	"INSERT INTO pins (account, kind, value, first_seen, last_seen)"
	" VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT (account, kind)"
	" DO UPDATE SET value = excluded.value, last_seen = excluded.last_seen,"
	" first_seen = CASE WHEN value = excluded.value THEN first_seen"
	" ELSE excluded.first_seen END",
    [SQL_KV_GET] = "SELECT value FROM kv WHERE account = ?1 AND key = ?2",
    [SQL_KV_SET] = "INSERT INTO kv (account, key, value) VALUES (?1, ?2, ?3)"
		   " ON CONFLICT (account, key) DO UPDATE"
		   " SET value = excluded.value",
    [SQL_KV_DEL] = "DELETE FROM kv WHERE account = ?1 AND key = ?2",
    [SQL_ROSTER_SET] = "INSERT INTO roster (account, jid, name, subscription,"
		       " groups) VALUES (?1, ?2, ?3, ?4, ?5)"
		       " ON CONFLICT (account, jid)"
		       " DO UPDATE SET name = excluded.name,"
		       " subscription = excluded.subscription,"
		       " groups = excluded.groups",
    [SQL_ROSTER_DEL] = "DELETE FROM roster WHERE account = ?1 AND jid = ?2",
    [SQL_ROSTER_CLEAR] = "DELETE FROM roster WHERE account = ?1",
    [SQL_ROSTER_ALL] = "SELECT jid, name, subscription, groups FROM roster"
		       " WHERE account = ?1 ORDER BY jid",
    [SQL_ROSTER_SUB] = "SELECT subscription FROM roster"
		       " WHERE account = ?1 AND jid = ?2",
    /* store_page.c: through history_peer_ts, never more rows than asked */
    [SQL_PAGE_BEFORE] =
	"SELECT * FROM (SELECT id, " STORE_HISTORY_COLS " FROM history"
	" WHERE account = ?1 AND peer = ?2 AND ts <= ?3 AND (ts < ?3 OR"
	" id < ?4) ORDER BY ts DESC, id DESC LIMIT ?5) ORDER BY ts, id",
    [SQL_PAGE_ROW] = "SELECT id, " STORE_HISTORY_COLS " FROM history"
		     " WHERE id = ?3 AND account = ?1 AND peer = ?2",
    [SQL_PAGE_HAS_SID] = "SELECT ts FROM history WHERE account = ?1 AND"
			 " peer = ?2 AND server_id = ?3",
    [SQL_PAGE_HAS_ORIGIN] = "SELECT 1 FROM history WHERE account = ?1 AND"
			    " peer = ?2 AND from_jid = ?3 AND origin_id = ?4",
    /* store_search.c: ?1 an FTS5 query built by store_search_query */
    [SQL_FTS_ADD] = "INSERT INTO history_fts (rowid, body)"
		    " SELECT id, body FROM history WHERE id = ?1",
    /* rows stored since the last fill, indexed in one statement */
    [SQL_FTS_FILL] = "INSERT INTO history_fts (rowid, body)"
		     " SELECT id, body FROM history WHERE id > ?1 AND id <= ?2",
    [SQL_FTS_HIGH] = "SELECT coalesce(max(id), 0) FROM history_fts_docsize",
    [SQL_HIST_HIGH] = "SELECT coalesce(max(id), 0) FROM history",
    [SQL_FTS_CHECK] = "SELECT (SELECT count(*) FROM history) ="
		      " (SELECT count(*) FROM history_fts_docsize)",
    [SQL_SEARCH] = "SELECT id, " STORE_HISTORY_COLS " FROM (SELECT rowid AS hit"
		   " FROM history_fts WHERE history_fts MATCH ?1)"
		   " CROSS JOIN history ON history.id = hit"
		   " WHERE account = ?2 AND (?3 IS NULL OR peer = ?3)"
		   " ORDER BY ts DESC, id DESC LIMIT ?4",
    [SQL_DELIVERY_SET] = "INSERT INTO delivery (account, peer, origin_id,"
			 " state) VALUES (?1, ?2, ?3, ?4)"
			 " ON CONFLICT (account, peer, origin_id) DO UPDATE"
			 " SET state = max(state, excluded.state)",
    [SQL_DELIVERY_GET] = "SELECT state FROM delivery WHERE account = ?1"
			 " AND peer = ?2 AND origin_id = ?3",
    /* store_edit.c */
    [SQL_REF_FIND] =
	"SELECT id, direction, type, from_jid, occupant_id, room_session,"
	" encryption, body, coalesce(stanza_id, origin_id), server_id,"
	" retracted, origin_id, ts FROM history WHERE account = ?1"
	" AND peer = ?2 AND (stanza_id = ?3 OR origin_id = ?3"
	" OR server_id = ?3) ORDER BY ts DESC, id DESC LIMIT 8",
    [SQL_REF_LAST_OWN] =
	"SELECT id, direction, type, from_jid, occupant_id, room_session,"
	" encryption, body, coalesce(stanza_id, origin_id), server_id,"
	" retracted, origin_id, ts FROM history WHERE account = ?1"
	" AND peer = ?2 AND direction = ?3 AND retracted = 0"
	" ORDER BY ts DESC, id DESC LIMIT 1",
    [SQL_REF_ROW] =
	"SELECT id, direction, type, from_jid, occupant_id, room_session,"
	" encryption, body, coalesce(stanza_id, origin_id), server_id,"
	" retracted, origin_id, ts FROM history WHERE id = ?1",
    [SQL_EDIT_KEEP] = "INSERT INTO history_versions (msg, body, encryption,"
		      " ts, replaced_at) SELECT id, body, encryption, ts, ?2"
		      " FROM history WHERE id = ?1",
    [SQL_EDIT_SET] = "UPDATE history SET body = ?2, edited = 1 WHERE id = ?1",
    [SQL_RETRACT_SET] = "UPDATE history SET body = '', retracted = 1"
			" WHERE id = ?1",
    [SQL_VERSIONS_DEL] = "DELETE FROM history_versions WHERE msg = ?1",
    [SQL_VERSIONS] = "SELECT body, encryption, ts, replaced_at FROM"
		     " history_versions WHERE msg = ?1 ORDER BY id",
    [SQL_REACT_SET] = "INSERT INTO reactions (msg, sender, emojis, ts)"
		      " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (msg, sender)"
		      " DO UPDATE SET emojis = excluded.emojis, ts = excluded.ts",
    [SQL_REACT_DEL] = "DELETE FROM reactions WHERE msg = ?1 AND"
		      " (?2 IS NULL OR sender = ?2)",
    [SQL_REACT_ALL] = "SELECT emojis FROM reactions WHERE msg = ?1"
		      " ORDER BY ts, sender",
    [SQL_MSG_META] = "UPDATE history SET occupant_id = ?2, room_session = ?3,"
		     " reply_to = ?4 WHERE id = ?1",
    [SQL_REPLY_OUT] = "UPDATE history SET reply_to = ?2,"
		      " body = substr(body, instr(body, char(10)) + 1)"
		      " WHERE id = ?1",
    [SQL_OWN_SID] = "UPDATE history SET server_id = ?4, server_id_by = ?5"
		    " WHERE account = ?1 AND peer = ?2 AND origin_id = ?3"
		    " AND direction = 'out' AND server_id IS NULL",
    [SQL_FLAGS] = "SELECT edited, retracted, reply_to FROM history"
		  " WHERE id = ?1",
    [SQL_CHANGE_SET] = "INSERT INTO outbox_change (outbox_id, kind, ref,"
		       " extra) VALUES (?1, ?2, ?3, ?4)",
    [SQL_CHANGE_GET] = "SELECT kind, ref, extra FROM outbox_change"
		       " WHERE outbox_id = ?1",
    [SQL_CHANGE_DEL] = "DELETE FROM outbox_change WHERE outbox_id = ?1",
    /* the search index (history_fts, external content) forgets a body
     * before it changes, and takes the new one after (store_edit.c) */
    [SQL_FTS_DEL] = "INSERT INTO history_fts (history_fts, rowid, body)"
		    " SELECT 'delete', id, body FROM history WHERE id = ?1",
    [SQL_REPLY_OUT_ROW] = "SELECT id FROM history WHERE account = ?1"
			  " AND peer = ?2 AND origin_id = ?3"
			  " AND direction = 'out' AND reply_to IS NULL",
};

/* Text forms of the enums, indexed by value, as stored in the tables. */



/* Sets *why (if wanted) to a formatted reason; the caller frees it. */
static void __attribute__((format(printf, 2, 3)))
store_why(char **why, const char *fmt, ...)
{
	va_list ap;

	if (why == NULL)
		return;
	free(*why);
	*why = NULL;
	va_start(ap, fmt);
	if (vasprintf(why, fmt, ap) < 0)
		*why = NULL;
	va_end(ap);
}

/* Logs a failed SQLite call (no values: SQLite's text names only columns). */
int
store_fail(struct store *st, int rc, enum store_stmt id)
{
	log_warn("statement %d: %s", (int)id, sqlite3_errmsg(st->db));
	switch (rc & 0xff) {
	case SQLITE_NOMEM:
		return WARD_ERR_NOMEM;
	case SQLITE_TOOBIG:
		return WARD_ERR_LIMIT;
	case SQLITE_CONSTRAINT:
	case SQLITE_MISMATCH:
	case SQLITE_RANGE:
		return WARD_ERR_INVAL;
	default:
		return WARD_ERR_IO;
	}
}

/*
 * Binds arguments to s from parameter 1 on, one per character of fmt:
 * 't' a string (NULL binds NULL; not copied: the caller keeps it alive
 * until store_done), 'i' an int64_t.
 */
static int
store_bindv(sqlite3_stmt *s, const char *fmt, va_list ap)
{
	const char *v;
	int i, rc = SQLITE_OK;

	for (i = 0; fmt[i] != '\0' && rc == SQLITE_OK; i++) {
		if (fmt[i] == 'i') {
			rc = sqlite3_bind_int64(s, i + 1, va_arg(ap, int64_t));
			continue;
		}
		v = va_arg(ap, const char *);
		if (v == NULL)
			rc = sqlite3_bind_null(s, i + 1);
		else
			rc = sqlite3_bind_text(s, i + 1, v, -1, SQLITE_STATIC);
	}
	return rc;
}

/* Makes a cached statement ready for its next use. */
void
store_done(sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

/*
 * Binds the arguments to cached statement id and takes the first step.
 * On WARD_OK *s is the statement and *row tells whether a row is ready;
 * the caller reads it and calls store_done(*s).
 */
int
store_query(struct store *st, enum store_stmt id, sqlite3_stmt **s, int *row,
	    const char *fmt, ...)
{
	va_list ap;
	int rc;

	*s = st->stmt[id];
	va_start(ap, fmt);
	rc = store_bindv(*s, fmt, ap);
	va_end(ap);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(*s);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
		*row = rc == SQLITE_ROW;
		return WARD_OK;
	}
	rc = store_fail(st, rc, id);
	store_done(*s);
	return rc;
}

/* Runs a cached statement that returns no rows; *changes may be NULL. */
int
store_run(struct store *st, enum store_stmt id, int *changes, const char *fmt,
	  ...)
{
	sqlite3_stmt *s = st->stmt[id];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = store_bindv(s, fmt, ap);
	va_end(ap);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc == SQLITE_DONE && changes != NULL)
		*changes = sqlite3_changes(st->db);
	rc = rc == SQLITE_DONE ? WARD_OK : store_fail(st, rc, id);
	store_done(s);
	return rc;
}

/* Copies text column i into *out (malloc); NULL only for an SQL NULL. */
int
store_col_dup(sqlite3_stmt *s, int i, char **out)
{
	const unsigned char *v = sqlite3_column_text(s, i);

	*out = NULL;
	if (v == NULL)
		return sqlite3_column_type(s, i) == SQLITE_NULL
			   ? WARD_OK
			   : WARD_ERR_NOMEM;
	*out = strdup((const char *)v);
	return *out == NULL ? WARD_ERR_NOMEM : WARD_OK;
}

/* The index of text column i in names, or -1. */
int
store_col_enum(sqlite3_stmt *s, int i, const char *const *names, size_t n)
{
	const char *v = (const char *)sqlite3_column_text(s, i);
	size_t k;

	for (k = 0; v != NULL && k < n; k++)
		if (strcmp(v, names[k]) == 0)
			return (int)k;
	return -1;
}

/* Opens the batch transaction. */
static int
store_tx_open(struct store *st)
{
	int rc = store_run(st, SQL_BEGIN, NULL, "");

	st->in_tx = rc == WARD_OK;
	return rc;
}

/*
 * Commits the batch transaction if one is open. A failed commit is rolled
 * back and counts as lost. If SQLite already rolled the transaction back by
 * itself (it does on disk full and some I/O errors), that counts as lost.
 */
static int
store_tx_commit(struct store *st)
{
	int rc = WARD_OK;

	if (st->in_tx && sqlite3_get_autocommit(st->db)) {
		log_warn("the database rolled the batch back");
		st->lost = 1;
		rc = WARD_ERR_IO;
	} else if (st->in_tx &&
		   (rc = store_run(st, SQL_COMMIT, NULL, "")) != WARD_OK) {
		st->lost = 1;
		if (!sqlite3_get_autocommit(st->db))
			(void)store_run(st, SQL_ROLLBACK, NULL, "");
	}
	st->in_tx = 0;
	return rc;
}

/*
 * Inside a batch, before a write: notices a batch that SQLite rolled back
 * (see store_tx_commit) and makes sure a batch transaction is open, so
 * that the batch lasts until the outermost store_commit.
 */
int
store_batch_check(struct store *st)
{
	if (st->depth == 0)
		return WARD_OK;
	if (st->in_tx && sqlite3_get_autocommit(st->db)) {
		log_warn("the database rolled the batch back");
		st->lost = 1;
		st->in_tx = 0;
	}
	return st->in_tx ? WARD_OK : store_tx_open(st);
}

/*
 * Starts an atomic unit for one store call: its own transaction, or a
 * savepoint inside the open batch. Ended by store_op_end.
 */
int
store_op_begin(struct store *st)
{
	int rc;

	if (st->depth == 0)
		return store_run(st, SQL_BEGIN, NULL, "");
	if ((rc = store_batch_check(st)) != WARD_OK)
		return rc;
	return store_run(st, SQL_SAVEPOINT, NULL, "");
}

/* Ends a unit from store_op_begin: kept if rc is WARD_OK, else undone. */
int
store_op_end(struct store *st, int rc)
{
	int r;

	if (rc == WARD_OK) {
		r = store_run(st, st->depth == 0 ? SQL_COMMIT : SQL_RELEASE,
			      NULL, "");
		if (r == WARD_OK)
			return WARD_OK;
		rc = r;
	}
	if (st->depth == 0) {
		if (!sqlite3_get_autocommit(st->db))
			(void)store_run(st, SQL_ROLLBACK, NULL, "");
	} else if (!sqlite3_get_autocommit(st->db)) {
		(void)store_run(st, SQL_ROLLBACK_TO, NULL, "");
		(void)store_run(st, SQL_RELEASE, NULL, "");
	} else
		(void)store_batch_check(st);
	return rc;
}

/*
 * Makes everything written so far durable: inside a batch, commits it and
 * opens the next one. Outside a batch there is nothing to do.
 */
int
store_flush(struct store *st)
{
	int rc;

	if (st->depth == 0)
		return WARD_OK;
	if ((rc = store_batch_check(st)) != WARD_OK)
		return rc;
	rc = store_tx_commit(st);
	(void)store_tx_open(st); /* else store_batch_check retries */
	return rc;
}


/* ---- opening ---- */

/*
 * Makes sure dir exists as a private directory of ours (creating only the
 * last component, mode 0700) and opens it into *fd.
 */
static int
store_open_dir(const char *dir, int *fd, char **why)
{
	struct stat sb;

	*fd = -1;
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		store_why(why, "cannot create %s: %s", dir, strerror(errno));
		return WARD_ERR_SYSTEM;
	}
	if (lstat(dir, &sb) == -1) {
		store_why(why, "%s: %s", dir, strerror(errno));
		return WARD_ERR_SYSTEM;
	}
	if (S_ISLNK(sb.st_mode)) {
		store_why(why, "%s is a symbolic link", dir);
		return WARD_ERR_POLICY;
	}
	/* Check the directory we opened, not the name (it could change). */
	*fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (*fd == -1 || fstat(*fd, &sb) == -1) {
		store_why(why, "%s: %s", dir, strerror(errno));
		return WARD_ERR_SYSTEM;
	}
	if (sb.st_uid != geteuid()) {
		store_why(why, "%s is owned by uid %lu, not by us (uid %lu)",
			  dir, (unsigned long)sb.st_uid,
			  (unsigned long)geteuid());
		return WARD_ERR_POLICY;
	}
	if ((sb.st_mode & 077) != 0) {
		store_why(
		    why,
		    "%s has mode %04o: group and others must have no access "
		    "(chmod 700 %s)",
		    dir, (unsigned)(sb.st_mode & 07777), dir);
		return WARD_ERR_POLICY;
	}
	return WARD_OK;
}

/*
 * Checks ward.db and its -wal and -shm files in the directory dfd, where
 * they exist: regular files of ours with one link. Group/other bits are
 * removed (path-based: opening and closing the database file here would
 * drop SQLite's POSIX locks).
 */
static int
store_check_files(int dfd, const char *dir, char **why)
{
	static const char *const names[] = {STORE_DB_NAME, STORE_DB_NAME "-wal",
					    STORE_DB_NAME "-shm"};
	struct stat sb;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (fstatat(dfd, names[i], &sb, AT_SYMLINK_NOFOLLOW) == -1) {
			if (errno == ENOENT)
				continue;
			store_why(why, "%s/%s: %s", dir, names[i],
				  strerror(errno));
			return WARD_ERR_SYSTEM;
		}
		if (!S_ISREG(sb.st_mode)) {
			store_why(why, "%s/%s is not a regular file", dir,
				  names[i]);
			return WARD_ERR_POLICY;
		}
		if (sb.st_uid != geteuid() || sb.st_nlink != 1) {
			store_why(why,
				  "%s/%s is not ours alone (uid %lu, %lu "
				  "links)",
				  dir, names[i], (unsigned long)sb.st_uid,
				  (unsigned long)sb.st_nlink);
			return WARD_ERR_POLICY;
		}
		if ((sb.st_mode & 077) == 0)
			continue;
		log_warn("%s/%s had mode %04o; now 0600", dir, names[i],
			 (unsigned)(sb.st_mode & 07777));
		if (fchmodat(dfd, names[i], 0600, 0) == -1) {
			store_why(why, "cannot chmod %s/%s: %s", dir, names[i],
				  strerror(errno));
			return WARD_ERR_SYSTEM;
		}
	}
	return WARD_OK;
}

/* Runs a pragma (or any SQL with at most one row) and checks its result. */
static int
store_pragma(struct store *st, const char *sql, const char *want, char **why)
{
	sqlite3_stmt *s = NULL;
	const char *got = NULL;
	int rc;

	rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		got = (const char *)sqlite3_column_text(s, 0);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_why(why, "%s: %s", sql, sqlite3_errmsg(st->db));
		rc = WARD_ERR_IO;
	} else if (want != NULL && (got == NULL || strcmp(got, want) != 0)) {
		store_why(why, "%s: got %s, need %s", sql,
			  got ? got : "nothing", want);
		rc = WARD_ERR_IO;
	} else
		rc = WARD_OK;
	sqlite3_finalize(s);
	return rc;
}

/* Opens the database file and sets ward's connection options. */
static int
store_open_db(struct store *st, const char *path, char **why)
{
	static const struct {
		const char *sql, *want;
	} pragmas[] = {
	    {"PRAGMA journal_mode = WAL", "wal"},
	    {"PRAGMA synchronous = FULL", NULL},
	    {"PRAGMA synchronous", "2"},
	    {"PRAGMA foreign_keys = ON", NULL},
	    {"PRAGMA foreign_keys", "1"},
	    {"PRAGMA secure_delete = ON", "1"},
	    /* 512 KiB of page cache: ward writes far more than it reads */
	    {"PRAGMA cache_size = -512", NULL},
	    {"PRAGMA temp_store = MEMORY", NULL},
	};
	size_t i;
	int rc;

	rc = sqlite3_open_v2(path, &st->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				 SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_EXRESCODE,
			     NULL);
	if (rc != SQLITE_OK) {
		store_why(why, "cannot open %s: %s", path,
			  st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
		return rc == SQLITE_NOMEM ? WARD_ERR_NOMEM : WARD_ERR_IO;
	}
	/* Hardening: no schema tricks, no double-quoted string literals. */
	sqlite3_db_config(st->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(st->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(st->db, SQLITE_DBCONFIG_DQS_DML, 0, NULL);
	sqlite3_db_config(st->db, SQLITE_DBCONFIG_DQS_DDL, 0, NULL);
	sqlite3_limit(st->db, SQLITE_LIMIT_LENGTH, STORE_MAX_LEN);
	sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
	for (i = 0; i < sizeof(pragmas) / sizeof(pragmas[0]); i++) {
		rc = store_pragma(st, pragmas[i].sql, pragmas[i].want, why);
		if (rc != WARD_OK)
			return rc;
	}
	return WARD_OK;
}

/* Runs SQL text (several statements) outside the statement cache. */
static int
store_exec(struct store *st, const char *sql, char **why)
{
	char *err = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &err) == SQLITE_OK)
		return WARD_OK;
	store_why(why, "database: %s", err ? err : sqlite3_errmsg(st->db));
	sqlite3_free(err);
	return WARD_ERR_IO;
}

/* Brings the schema to STORE_SCHEMA_VERSION in one transaction. */
static int
store_migrate(struct store *st, char **why)
{
	sqlite3_stmt *s = NULL;
	char *sql = NULL;
	int v = -1, rc;

	rc = store_exec(st,
			"BEGIN IMMEDIATE;"
			"CREATE TABLE IF NOT EXISTS schema_version ("
			" id INTEGER PRIMARY KEY CHECK (id = 1),"
			" version INTEGER NOT NULL) STRICT;"
			"INSERT OR IGNORE INTO schema_version VALUES (1, 0);",
			why);
	if (rc != WARD_OK)
		goto out;
	if (sqlite3_prepare_v2(st->db, "SELECT version FROM schema_version", -1,
			       &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (v < 0) {
		store_why(why, "ward.db: cannot read the schema version");
		rc = WARD_ERR_IO;
		goto out;
	}
	if (v > STORE_SCHEMA_VERSION) {
		store_why(why,
			  "ward.db has a schema newer than version %d: "
			  "it was written by a newer ward",
			  STORE_SCHEMA_VERSION);
		rc = WARD_ERR_POLICY;
		goto out;
	}
	for (; v < STORE_SCHEMA_VERSION; v++) {
		if ((rc = store_exec(st, store_migrations[v], why)) != WARD_OK)
			goto out;
		log_info("ward.db: schema %d -> %d", v, v + 1);
	}
	if (asprintf(&sql, "UPDATE schema_version SET version = %d; COMMIT",
		     STORE_SCHEMA_VERSION) < 0) {
		sql = NULL;
		rc = WARD_ERR_NOMEM;
		goto out;
	}
	rc = store_exec(st, sql, why);
out:
	free(sql);
	if (rc != WARD_OK && !sqlite3_get_autocommit(st->db))
		(void)store_exec(st, "ROLLBACK", NULL);
	return rc;
}

/* Prepares every cached statement. */
static int
store_prepare(struct store *st, char **why)
{
	int i, rc;

	for (i = 0; i < SQL_COUNT; i++) {
		rc = sqlite3_prepare_v3(st->db, store_sql[i], -1,
					SQLITE_PREPARE_PERSISTENT, &st->stmt[i],
					NULL);
		if (rc != SQLITE_OK) {
			store_why(why, "database: %s", sqlite3_errmsg(st->db));
			return rc == SQLITE_NOMEM ? WARD_ERR_NOMEM
						  : WARD_ERR_IO;
		}
	}
	return WARD_OK;
}

/* Creates the database in dir (opened as dfd) under umask 077. */
static int
store_open_in(struct store *st, const char *dir, int dfd, char **why)
{
	struct stat before, after;
	char *path = NULL;
	mode_t mask;
	int rc;

	if ((rc = store_check_files(dfd, dir, why)) != WARD_OK)
		return rc;
	if (asprintf(&path, "%s/%s", dir, STORE_DB_NAME) < 0)
		return WARD_ERR_NOMEM;
	mask = umask(077);
	rc = store_open_db(st, path, why);
	if (rc == WARD_OK)
		rc = store_migrate(st, why);
	umask(mask);
	free(path);
	/* Now -wal and -shm exist: check them, and that dir is still dfd. */
	if (rc == WARD_OK)
		rc = store_check_files(dfd, dir, why);
	if (rc == WARD_OK &&
	    (fstat(dfd, &before) == -1 || lstat(dir, &after) == -1 ||
	     before.st_dev != after.st_dev || before.st_ino != after.st_ino)) {
		store_why(why, "%s was replaced while opening it", dir);
		rc = WARD_ERR_POLICY;
	}
	if (rc == WARD_OK)
		rc = store_prepare(st, why);
	if (rc == WARD_OK && store_fts_open(st) != WARD_OK)
		store_why(why, "ward.db: the search index is damaged");
	return rc;
}

int
store_open(const char *datadir, struct store **out, char **why)
{
	struct store *st = NULL;
	char *dir = NULL;
	size_t len;
	int dfd = -1, rc;

	if (out != NULL)
		*out = NULL;
	if (why != NULL)
		*why = NULL;
	if (datadir == NULL || *datadir == '\0' || out == NULL)
		return WARD_ERR_INVAL;
	/* "dir/" would follow a symlink named dir: drop trailing slashes. */
	if ((dir = strdup(datadir)) == NULL)
		return WARD_ERR_NOMEM;
	for (len = strlen(dir); len > 1 && dir[len - 1] == '/'; len--)
		dir[len - 1] = '\0';
	if ((rc = store_open_dir(dir, &dfd, why)) != WARD_OK)
		goto out;
	if ((st = calloc(1, sizeof(*st))) == NULL) {
		rc = WARD_ERR_NOMEM;
		goto out;
	}
	if ((rc = store_open_in(st, dir, dfd, why)) != WARD_OK)
		goto out;
	*out = st; /* transferred */
	st = NULL;
out:
	store_close(st);
	if (dfd != -1)
		close(dfd);
	free(dir);
	return rc;
}

void
store_close(struct store *st)
{
	int i;

	if (st == NULL)
		return;
	if (st->depth > 0 && st->stmt[SQL_COMMIT] != NULL) {
		log_warn("closing with a batch open; committing it");
		st->depth = 1;
		(void)store_commit(st);
	}
	if (st->stmt[SQL_FTS_FILL] != NULL && store_fts_flush(st) != WARD_OK)
		log_warn("close: the search index could not take the newest "
			 "rows (the next start adds them)");
	for (i = 0; i < SQL_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	if (st->db != NULL && sqlite3_close(st->db) != SQLITE_OK)
		log_warn("close: %s", sqlite3_errmsg(st->db));
	free(st);
}

struct sqlite3 *
store_db(struct store *st)
{
	return st != NULL ? st->db : NULL;
}

/* ---- batches ---- */

int
store_begin(struct store *st)
{
	int rc;

	STORE_NEED(st);
	if (st->depth == INT_MAX)
		return WARD_ERR_LIMIT;
	if (st->depth == 0 && (rc = store_tx_open(st)) != WARD_OK)
		return rc;
	st->depth++;
	return WARD_OK;
}

int
store_commit(struct store *st)
{
	int rc = WARD_OK;

	STORE_NEED(st);
	if (st->depth == 0)
		return WARD_ERR_INVAL;
	if (--st->depth > 0)
		return WARD_OK;
	rc = store_tx_commit(st); /* also what was written after a loss */
	if (st->lost && rc == WARD_OK)
		rc = WARD_ERR_IO;
	st->lost = 0;
	return rc;
}

int
store_dirty_since_release(struct store *st)
{
	return st != NULL &&
	       sqlite3_total_changes64(st->db) != st->changes_at_release;
}

void
store_release_memory(struct store *st)
{
	if (st == NULL || st->depth > 0)
		return; /* not in the middle of a batch */
	sqlite3_db_release_memory(st->db);
	st->changes_at_release = sqlite3_total_changes64(st->db);
	malloc_trim(0); /* glibc keeps freed pages otherwise */
}
