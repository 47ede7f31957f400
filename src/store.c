/*
 * store.c: ward's SQLite state (see store.h): opening ward.db safely, the
 * schema and its migrations, batching, and the history, outbox, pins and
 * settings tables. Library tier: returns ward_err codes, never prints.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store.h"
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
};
#define STORE_SCHEMA_VERSION                                                   \
	((int)(sizeof(store_migrations) / sizeof(store_migrations[0])))

#define STORE_HISTORY_COLS                                                     \
	"account, peer, direction, type, from_jid, stanza_id, origin_id,"      \
	" server_id, server_id_by, body, encryption, ts"

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
	SQL_HIST_RECENT,
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
	SQL_COUNT
};

static const char *const store_sql[SQL_COUNT] = {
    [SQL_BEGIN] = "BEGIN IMMEDIATE",
    [SQL_COMMIT] = "COMMIT",
    [SQL_ROLLBACK] = "ROLLBACK",
    [SQL_SAVEPOINT] = "SAVEPOINT store_op",
    [SQL_RELEASE] = "RELEASE store_op",
    [SQL_ROLLBACK_TO] = "ROLLBACK TO store_op",
    [SQL_HIST_ADD] = "INSERT INTO history (" STORE_HISTORY_COLS ")"
		     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
		     " ?11, ?12) ON CONFLICT DO NOTHING",
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
    [SQL_HIST_RECENT] =
	"SELECT id, " STORE_HISTORY_COLS " FROM (SELECT * FROM history"
	" WHERE account = ?1 AND peer = ?2 ORDER BY ts DESC, id DESC"
	" LIMIT ?3) ORDER BY ts, id",
    [SQL_OUT_ADD] = "INSERT INTO outbox (account, peer, type, encryption,"
		    " body, origin_id, created_at)"
		    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [SQL_OUT_SENT] = "UPDATE outbox SET sent_at = ?2 WHERE id = ?1",
    [SQL_OUT_FIND] = "SELECT id FROM outbox WHERE account = ?1"
		     " AND origin_id = ?2",
    [SQL_OUT_TO_HIST] =
	"INSERT INTO history (" STORE_HISTORY_COLS ")"
	" SELECT account, peer, 'out', type, ?2, origin_id, origin_id,"
	" ?3, ?4, body, encryption, created_at FROM outbox WHERE id = ?1"
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
};

/* Text forms of the enums, indexed by value, as stored in the tables. */
static const char *const store_dir_names[] = {"in", "out"};
static const char *const store_type_names[] = {"chat", "groupchat"};
static const char *const store_enc_names[] = {"none", "omemo"};
#define STORE_NAMES(a) (a), (sizeof(a) / sizeof((a)[0]))

struct store {
	sqlite3 *db;
	sqlite3_stmt *stmt[SQL_COUNT];
	int depth; /* store_begin nesting */
	int in_tx; /* we opened the batch transaction and did not end it */
	int lost;  /* SQLite rolled back part of the batch (store_commit fails)
		    */
};

/* Wall-clock time in ms since the epoch. */
static int64_t
store_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

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
static int
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
static void
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
static int
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
static int
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
static int
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
static int
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
static int
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
static int
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
static int
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
static int
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

/* Checks that a text argument is present. */
#define STORE_NEED(p)                                                          \
	do {                                                                   \
		if ((p) == NULL)                                               \
			return WARD_ERR_INVAL;                                 \
	} while (0)

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
	for (i = 0; i < SQL_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	if (st->db != NULL && sqlite3_close(st->db) != SQLITE_OK)
		log_warn("close: %s", sqlite3_errmsg(st->db));
	free(st);
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
	rc = store_run(
	    st, SQL_HIST_ADD, &changes, "ttttttttttti", m->account, m->peer,
	    store_dir_names[m->dir], store_type_names[m->type], m->from_jid,
	    m->stanza_id, m->origin_id, m->server_id, m->server_id_by, m->body,
	    store_enc_names[m->enc], m->ts != 0 ? m->ts : store_now());
	if (rc == WARD_OK && changes == 0 && duplicate != NULL)
		*duplicate = 1;
	return rc;
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

/* Reads one row of s into the element at elem (strings: malloc). */
typedef int (*store_read_fn)(sqlite3_stmt *s, void *elem);

/*
 * Reads every row of cached statement id (bound and stepped once by
 * store_query; row says whether a row is ready) into *out, a malloc'ed
 * array of elements of size bytes, and resets the statement. *n counts the
 * complete elements; the caller frees their strings and the array, also
 * on error.
 */
static int
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
static void
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
	memset(m, 0, sizeof(*m));
}

/* Reads the current SQL_HIST_RECENT row into *m (strings: malloc). */
static int
store_history_read(sqlite3_stmt *s, void *elem)
{
	struct store_msg *m = elem;
	char *t[8];
	int i, rc = WARD_OK, dir, type, enc;
	static const int cols[8] = {1, 2, 5, 6, 7, 8, 9, 10};

	memset(m, 0, sizeof(*m));
	for (i = 0; i < 8; i++)
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
	m->id = sqlite3_column_int64(s, 0);
	m->ts = sqlite3_column_int64(s, 12);
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
		       origin_id, store_now());
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
	rc = store_run(st, SQL_OUT_TO_HIST, NULL, "ittt", id, ack->from_jid,
		       ack->server_id, ack->server_id_by);
	if (rc == WARD_OK)
		rc = store_run(st, SQL_OUT_DEL, &changes, "i", id);
	if (rc == WARD_OK && changes == 0)
		rc = WARD_ERR_NOTFOUND;
	return store_op_end(st, rc);
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
	int rc;

	STORE_NEED(st);
	STORE_NEED(account);
	STORE_NEED(key);
	STORE_NEED(value);
	if ((rc = store_batch_check(st)) != WARD_OK)
		return rc;
	rc = store_run(st, SQL_KV_SET, NULL, "ttt", account, key, value);
	return rc == WARD_OK ? store_flush(st) : rc;
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
