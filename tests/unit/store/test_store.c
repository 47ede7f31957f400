/*
 * test_store.c: unit tests for src/store/store.c: file modes and refusals on
 * open, the outbox life cycle and its atomicity, dedupe, accounts, pins,
 * settings, batches, a kill -9 in the middle, and insert timings.
 */
#include <errno.h>
#include <ftw.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store.h"
#include "test_page.h"
#include "ward.h"

/* Per-test scratch: a private base dir and the data dir inside it. */
struct fixture {
	char base[64];
	char data[128];
	struct store *st;
};

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	snprintf(f->base, sizeof(f->base), "/tmp/ward-store-XXXXXX");
	if (mkdtemp(f->base) == NULL)
		return -1;
	snprintf(f->data, sizeof(f->data), "%s/data", f->base);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->st);
	nftw(f->base, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

/* Opens f->data into f->st, failing the test on error. */
static void
open_ok(struct fixture *f)
{
	char *why = NULL;
	int rc = store_open(f->data, &f->st, &why);

	if (rc != WARD_OK)
		fail_msg("store_open: %s: %s", ward_strerror(rc),
			 why ? why : "(no reason)");
	assert_null(why);
}

static void
reopen(struct fixture *f)
{
	store_close(f->st);
	f->st = NULL;
	open_ok(f);
}

/* Runs SQL on the database through a second, plain connection. */
static void
raw_sql(struct fixture *f, const char *sql)
{
	char path[192], *err = NULL;
	sqlite3 *db;

	snprintf(path, sizeof(path), "%s/ward.db", f->data);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 2000);
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
	sqlite3_close(db);
}

static unsigned
file_mode(const char *dir, const char *name)
{
	char path[256];
	struct stat sb;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (lstat(path, &sb) == -1)
		fail_msg("%s: %s", path, strerror(errno));
	return (unsigned)(sb.st_mode & 07777);
}

static int64_t
hist_count(struct store *st, const char *account, const char *peer)
{
	int64_t n = -1;

	assert_int_equal(store_history_count(st, account, peer, &n), WARD_OK);
	return n;
}

static int64_t
out_count(struct store *st, const char *account)
{
	int64_t n = -1;

	assert_int_equal(store_outbox_count(st, account, &n), WARD_OK);
	return n;
}

/* An incoming chat message from bob with the given ids. */
static struct store_msg
msg_in(const char *account, const char *from, const char *server_id,
       const char *origin_id, const char *body, int64_t ts)
{
	struct store_msg m = {
	    .account = account,
	    .peer = "bob@example.test",
	    .dir = STORE_DIR_IN,
	    .type = STORE_TYPE_CHAT,
	    .from_jid = from,
	    .stanza_id = "s1",
	    .origin_id = origin_id,
	    .server_id = server_id,
	    .server_id_by = "alice@example.test",
	    .body = body,
	    .enc = STORE_ENC_OMEMO,
	    .ts = ts,
	};
	return m;
}

static int
add_in(struct store *st, const struct store_msg *m)
{
	int dup = -1;

	assert_int_equal(store_history_add(st, m, &dup), WARD_OK);
	assert_true(dup == 0 || dup == 1);
	return dup;
}

/* Collects history rows (copies of id, body, dir, ids) for checks. */
struct hist_rows {
	int n;
	struct store_msg m[8];
	char bodies[8][64], origin[8][64], server[8][64], from[8][64];
};

static int
hist_collect(const struct store_msg *m, void *arg)
{
	struct hist_rows *r = arg;

	if (r->n == 8)
		return -100;
	r->m[r->n] = *m;
	snprintf(r->bodies[r->n], 64, "%s", m->body);
	snprintf(r->origin[r->n], 64, "%s", m->origin_id ? m->origin_id : "-");
	snprintf(r->server[r->n], 64, "%s", m->server_id ? m->server_id : "-");
	snprintf(r->from[r->n], 64, "%s", m->from_jid ? m->from_jid : "-");
	r->n++;
	return 0;
}

/* Collects pending outbox rows; marks the second one sent from inside. */
struct out_rows {
	struct store *st;
	int n;
	int64_t id[8], sent_at[8];
	char body[8][64], origin[8][64];
	enum store_enc enc[8];
};

static int
out_collect(const struct store_outbox_item *it, void *arg)
{
	struct out_rows *r = arg;

	if (r->n == 8)
		return -100;
	r->id[r->n] = it->id;
	r->sent_at[r->n] = it->sent_at;
	r->enc[r->n] = it->enc;
	snprintf(r->body[r->n], 64, "%s", it->body);
	snprintf(r->origin[r->n], 64, "%s", it->origin_id);
	r->n++;
	return 0;
}

static int
out_mark_inside(const struct store_outbox_item *it, void *arg)
{
	struct out_rows *r = arg;

	/* The store is usable from a callback (rows were read before). */
	if (store_outbox_mark_sent(r->st, it->id, 1000 + it->id) != WARD_OK)
		return -101;
	return out_collect(it, arg);
}

/* ---- opening ---- */

static void
test_open_modes(void **state)
{
	struct fixture *f = *state;
	struct store_msg m =
	    msg_in("a", "bob@example.test/x", "S1", "O1", "hi", 1);
	struct stat sb;
	char path[192];
	mode_t old = umask(022); /* a usual umask: store must not rely on it */

	open_ok(f);
	assert_int_equal(lstat(f->data, &sb), 0);
	assert_true(S_ISDIR(sb.st_mode));
	assert_int_equal(sb.st_mode & 07777, 0700);
	assert_int_equal(file_mode(f->data, "ward.db"), 0600);
	add_in(f->st, &m);
	assert_int_equal(file_mode(f->data, "ward.db-wal"), 0600);
	assert_int_equal(file_mode(f->data, "ward.db-shm"), 0600);

	/* A too-open database file (say, a restored copy) is repaired. */
	store_close(f->st);
	f->st = NULL;
	snprintf(path, sizeof(path), "%s/ward.db", f->data);
	assert_int_equal(chmod(path, 0644), 0);
	open_ok(f);
	assert_int_equal(file_mode(f->data, "ward.db"), 0600);
	assert_int_equal(hist_count(f->st, "a", NULL), 1);
	umask(old);
}

static void
test_refuse_open_dir(void **state)
{
	struct fixture *f = *state;
	struct store *st = NULL;
	char *why = NULL;
	char path[192];

	assert_int_equal(mkdir(f->data, 0700), 0);
	assert_int_equal(chmod(f->data, 0755), 0);
	assert_int_equal(store_open(f->data, &st, &why), WARD_ERR_POLICY);
	assert_null(st);
	assert_non_null(why);
	assert_non_null(strstr(why, "0755"));
	free(why);
	why = NULL;
	snprintf(path, sizeof(path), "%s/ward.db", f->data);
	assert_int_equal(access(path, F_OK), -1); /* nothing created */

	/* Group access alone is refused too. */
	assert_int_equal(chmod(f->data, 0750), 0);
	assert_int_equal(store_open(f->data, &st, NULL), WARD_ERR_POLICY);
	assert_null(st);
}

static void
test_refuse_symlink(void **state)
{
	struct fixture *f = *state;
	struct store *st = NULL;
	char real[128], slash[160], *why = NULL;

	snprintf(real, sizeof(real), "%s/real", f->base);
	assert_int_equal(mkdir(real, 0700), 0);
	assert_int_equal(symlink(real, f->data), 0);
	assert_int_equal(store_open(f->data, &st, &why), WARD_ERR_POLICY);
	assert_null(st);
	assert_non_null(why);
	assert_non_null(strstr(why, "symbolic link"));
	free(why);
	/* A trailing slash must not make the link followed. */
	snprintf(slash, sizeof(slash), "%s//", f->data);
	assert_int_equal(store_open(slash, &st, NULL), WARD_ERR_POLICY);
	assert_null(st);
	/* The target itself is fine. */
	assert_int_equal(store_open(real, &st, NULL), WARD_OK);
	store_close(st);
}

static void
test_refuse_bad_files(void **state)
{
	struct fixture *f = *state;
	struct store *st = NULL;
	char path[192], other[192], *why = NULL;

	assert_int_equal(mkdir(f->data, 0700), 0);
	snprintf(path, sizeof(path), "%s/ward.db", f->data);
	snprintf(other, sizeof(other), "%s/elsewhere.db", f->base);
	/* ward.db as a symlink (to a database elsewhere) is refused. */
	assert_int_equal(symlink(other, path), 0);
	assert_int_equal(store_open(f->data, &st, &why), WARD_ERR_POLICY);
	assert_null(st);
	assert_non_null(why);
	free(why);
	why = NULL;
	assert_int_equal(unlink(path), 0);
	/* ... and so is one with a second hard link. */
	open_ok(f);
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(link(path, other), 0);
	assert_int_equal(store_open(f->data, &st, &why), WARD_ERR_POLICY);
	assert_non_null(strstr(why, "links"));
	free(why);
}

static void
test_refuse_foreign_owner(void **state)
{
	struct fixture *f = *state;
	struct store *st = NULL;
	char *why = NULL;

	if (geteuid() != 0)
		skip(); /* only root can give a directory away */
	assert_int_equal(mkdir(f->data, 0700), 0);
	assert_int_equal(chown(f->data, 65534, 65534), 0);
	assert_int_equal(store_open(f->data, &st, &why), WARD_ERR_POLICY);
	assert_null(st);
	assert_non_null(strstr(why, "owned by"));
	free(why);
}

static void
test_refuse_newer_schema(void **state)
{
	struct fixture *f = *state;
	struct store *st = NULL;
	char *why = NULL;

	open_ok(f);
	store_close(f->st);
	f->st = NULL;
	raw_sql(f, "UPDATE schema_version SET version = 99");
	assert_int_equal(store_open(f->data, &st, &why), WARD_ERR_POLICY);
	assert_null(st);
	assert_non_null(strstr(why, "newer"));
	free(why);
}

/* ---- outbox ---- */

static void
test_outbox_ack(void **state)
{
	struct fixture *f = *state;
	struct store_ack ack = {.from_jid = "alice@example.test/ward",
				.server_id = "SRV-9",
				.server_id_by = "alice@example.test"};
	struct out_rows out = {0};
	struct hist_rows h = {0};
	int64_t id = 0;

	open_ok(f);
	assert_int_equal(store_outbox_add(f->st, "a", "bob@example.test",
					  STORE_TYPE_CHAT, STORE_ENC_OMEMO,
					  "hello bob", "orig-1", &id),
			 WARD_OK);
	assert_true(id > 0);
	assert_int_equal(out_count(f->st, "a"), 1);
	assert_int_equal(store_outbox_pending(f->st, "a", out_collect, &out),
			 WARD_OK);
	assert_int_equal(out.n, 1);
	assert_int_equal(out.id[0], id);
	assert_string_equal(out.body[0], "hello bob");
	assert_string_equal(out.origin[0], "orig-1");
	assert_int_equal(out.enc[0], STORE_ENC_OMEMO);
	assert_int_equal(out.sent_at[0], 0);
	assert_int_equal(hist_count(f->st, "a", NULL), 0);

	assert_int_equal(store_outbox_mark_sent(f->st, id, 12345), WARD_OK);
	assert_int_equal(store_outbox_ack(f->st, id, &ack), WARD_OK);
	assert_int_equal(out_count(f->st, "a"), 0);
	assert_int_equal(hist_count(f->st, "a", "bob@example.test"), 1);
	assert_int_equal(store_history_recent(f->st, "a", "bob@example.test",
					      10, hist_collect, &h),
			 WARD_OK);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.m[0].dir, STORE_DIR_OUT);
	assert_int_equal(h.m[0].enc, STORE_ENC_OMEMO);
	assert_string_equal(h.bodies[0], "hello bob");
	assert_string_equal(h.origin[0], "orig-1");
	assert_string_equal(h.server[0], "SRV-9");
	assert_string_equal(h.from[0], "alice@example.test/ward");
	/* Acknowledged once: a second ack finds nothing. */
	assert_int_equal(store_outbox_ack(f->st, id, &ack), WARD_ERR_NOTFOUND);
	assert_int_equal(store_outbox_mark_sent(f->st, id, 1),
			 WARD_ERR_NOTFOUND);
	assert_int_equal(hist_count(f->st, "a", NULL), 1);

	/* By origin id, with no extra data; ids are never reused. */
	int64_t id2 = 0;
	assert_int_equal(store_outbox_add(f->st, "a", "bob@example.test",
					  STORE_TYPE_CHAT, STORE_ENC_NONE,
					  "second", "orig-2", &id2),
			 WARD_OK);
	assert_true(id2 > id);
	assert_int_equal(store_outbox_ack_origin(f->st, "b", "orig-2", NULL),
			 WARD_ERR_NOTFOUND);
	assert_int_equal(store_outbox_ack_origin(f->st, "a", "orig-2", NULL),
			 WARD_OK);
	assert_int_equal(out_count(f->st, "a"), 0);
	assert_int_equal(hist_count(f->st, "a", NULL), 2);
}

/* A dropped message leaves the queue without a history row, durably. */
static void
test_outbox_drop(void **state)
{
	struct fixture *f = *state;
	int64_t id = 0;

	open_ok(f);
	assert_int_equal(store_outbox_add(f->st, "a", "bob@example.test",
					  STORE_TYPE_CHAT, STORE_ENC_OMEMO,
					  "never weaker", "orig-1", &id),
			 WARD_OK);
	assert_int_equal(store_begin(f->st), WARD_OK);
	assert_int_equal(store_outbox_drop(f->st, id), WARD_OK);
	assert_int_equal(out_count(f->st, "a"), 0);
	assert_int_equal(hist_count(f->st, "a", NULL), 0);
	assert_int_equal(store_outbox_drop(f->st, id), WARD_ERR_NOTFOUND);
	assert_int_equal(store_commit(f->st), WARD_OK);
	assert_non_null(store_db(f->st));
}

/* The delete and the history insert of an ack happen together or not at all. */
static void
test_outbox_ack_atomic(void **state)
{
	struct fixture *f = *state;
	struct store_msg m =
	    msg_in("a", "bob@example.test/x", "S1", NULL, "in batch", 5);
	int64_t id = 0;

	open_ok(f);
	assert_int_equal(store_outbox_add(f->st, "a", "bob@example.test",
					  STORE_TYPE_CHAT, STORE_ENC_NONE, "x",
					  "orig-1", &id),
			 WARD_OK);
	/* Make the delete (which runs after the history insert) fail. */
	raw_sql(f, "CREATE TRIGGER no_del BEFORE DELETE ON outbox"
		   " BEGIN SELECT RAISE(ABORT, 'no'); END");
	assert_true(store_outbox_ack(f->st, id, NULL) < 0);
	assert_int_equal(out_count(f->st, "a"), 1);
	assert_int_equal(hist_count(f->st, "a", NULL), 0);

	/* Inside a batch, only the failed ack is undone. */
	assert_int_equal(store_begin(f->st), WARD_OK);
	add_in(f->st, &m);
	assert_true(store_outbox_ack(f->st, id, NULL) < 0);
	assert_int_equal(store_commit(f->st), WARD_OK);
	assert_int_equal(out_count(f->st, "a"), 1);
	assert_int_equal(hist_count(f->st, "a", NULL), 1);

	raw_sql(f, "DROP TRIGGER no_del");
	assert_int_equal(store_outbox_ack(f->st, id, NULL), WARD_OK);
	assert_int_equal(out_count(f->st, "a"), 0);
	assert_int_equal(hist_count(f->st, "a", NULL), 2);
}

static void
test_outbox_order(void **state)
{
	struct fixture *f = *state;
	struct out_rows out = {.st = NULL};
	const char *bodies[] = {"one", "two", "three", "four"};
	char origin[16];
	int64_t id[4], other;
	int i;

	open_ok(f);
	for (i = 0; i < 4; i++) {
		snprintf(origin, sizeof(origin), "o%d", 9 - i); /* not sorted */
		assert_int_equal(
		    store_outbox_add(f->st, "a", "bob@example.test",
				     STORE_TYPE_CHAT, STORE_ENC_OMEMO,
				     bodies[i], origin, &id[i]),
		    WARD_OK);
		if (i == 1)
			assert_int_equal(
			    store_outbox_add(f->st, "b", "x@y", STORE_TYPE_CHAT,
					     STORE_ENC_NONE, "other", "o1",
					     &other),
			    WARD_OK);
	}
	assert_int_equal(store_outbox_ack(f->st, id[1], NULL), WARD_OK);
	out.st = f->st;
	assert_int_equal(
	    store_outbox_pending(f->st, "a", out_mark_inside, &out), WARD_OK);
	assert_int_equal(out.n, 3);
	assert_string_equal(out.body[0], "one");
	assert_string_equal(out.body[1], "three");
	assert_string_equal(out.body[2], "four");
	/* The marks made from inside the callback are stored. */
	memset(&out, 0, sizeof(out));
	assert_int_equal(store_outbox_pending(f->st, "a", out_collect, &out),
			 WARD_OK);
	assert_int_equal(out.sent_at[1], 1000 + id[2]);
	/* A non-zero callback return stops and is passed back. */
	assert_int_equal(store_outbox_pending(f->st, "a", out_collect,
					      &(struct out_rows){.n = 8}),
			 -100);
}

/* ---- durability ---- */

static void
test_persist(void **state)
{
	struct fixture *f = *state;
	struct store_msg m =
	    msg_in("a", "bob@example.test/x", "S1", "O1", "kept", 7);
	struct out_rows out = {0};
	char *v = NULL;
	int64_t id = 0, first = 0;

	open_ok(f);
	add_in(f->st, &m);
	assert_int_equal(store_outbox_add(f->st, "a", "bob@example.test",
					  STORE_TYPE_GROUPCHAT, STORE_ENC_NONE,
					  "queued", "q1", &id),
			 WARD_OK);
	assert_int_equal(
	    store_pin_set(f->st, "a", "sasl-mech", "SCRAM-SHA-256-PLUS", 100),
	    WARD_OK);
	assert_int_equal(store_kv_set(f->st, "a", "omemo:bob", "off"), WARD_OK);
	reopen(f);
	assert_int_equal(hist_count(f->st, "a", "bob@example.test"), 1);
	assert_int_equal(store_outbox_pending(f->st, "a", out_collect, &out),
			 WARD_OK);
	assert_int_equal(out.n, 1);
	assert_int_equal(out.id[0], id);
	assert_string_equal(out.body[0], "queued");
	assert_int_equal(
	    store_pin_get(f->st, "a", "sasl-mech", &v, &first, NULL), WARD_OK);
	assert_string_equal(v, "SCRAM-SHA-256-PLUS");
	assert_int_equal(first, 100);
	free(v);
	assert_int_equal(store_kv_get(f->st, "a", "omemo:bob", &v), WARD_OK);
	assert_string_equal(v, "off");
	free(v);
	/* The dedupe survives too. */
	assert_int_equal(add_in(f->st, &m), 1);
}

/* A child queues a message and is killed -9 right after; nothing is lost. */
static void
crash_child(struct fixture *f, int in_batch)
{
	struct store_msg m =
	    msg_in("a", "bob@example.test/x", "S1", NULL, "before", 1);
	struct store *st = NULL;
	int64_t id;
	pid_t pid;
	int status;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (store_open(f->data, &st, NULL) != WARD_OK)
			_exit(2);
		/* In a batch the add must still be on disk when it returns. */
		if (in_batch && (store_begin(st) != WARD_OK ||
				 store_history_add(st, &m, NULL) != WARD_OK))
			_exit(3);
		if (store_outbox_add(
			st, "a", "bob@example.test", STORE_TYPE_CHAT,
			STORE_ENC_OMEMO, "typed then crashed",
			in_batch ? "crash-2" : "crash-1", &id) != WARD_OK)
			_exit(4);
		kill(getpid(), SIGKILL);
		_exit(5);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
}

static void
test_crash(void **state)
{
	struct fixture *f = *state;
	struct out_rows out = {0};

	crash_child(f, 0);
	crash_child(f, 1);
	open_ok(f);
	assert_int_equal(store_outbox_pending(f->st, "a", out_collect, &out),
			 WARD_OK);
	assert_int_equal(out.n, 2);
	assert_string_equal(out.origin[0], "crash-1");
	assert_string_equal(out.origin[1], "crash-2");
	assert_string_equal(out.body[1], "typed then crashed");
	/* What was batched before it was committed with it. */
	assert_int_equal(hist_count(f->st, "a", NULL), 1);
}

/* ---- history ---- */

static void
test_dedupe(void **state)
{
	struct fixture *f = *state;
	struct store_msg m;

	open_ok(f);
	m = msg_in("a", "bob@example.test/x", "S1", "O1", "one", 1);
	assert_int_equal(add_in(f->st, &m), 0);
	/* Same server stanza-id (say, from MAM, without origin-id). */
	m = msg_in("a", "bob@example.test/y", "S1", NULL, "one", 1);
	assert_int_equal(add_in(f->st, &m), 1);
	/* Same sender and origin-id, different (or no) server id. */
	m = msg_in("a", "bob@example.test/x", "S2", "O1", "one", 1);
	assert_int_equal(add_in(f->st, &m), 1);
	m = msg_in("a", "bob@example.test/x", NULL, "O1", "one", 1);
	assert_int_equal(add_in(f->st, &m), 1);
	assert_int_equal(hist_count(f->st, "a", NULL), 1);
	/* Another sender may use the same origin-id. */
	m = msg_in("a", "mallory@example.test/x", "S3", "O1", "two", 2);
	assert_int_equal(add_in(f->st, &m), 0);
	/* Another conversation may repeat a server id. */
	m = msg_in("a", "bob@example.test/x", "S1", "O9", "three", 3);
	m.peer = "room@muc.example.test";
	assert_int_equal(add_in(f->st, &m), 0);
	/* Without any ids nothing is deduplicated. */
	m = msg_in("a", "bob@example.test/x", NULL, NULL, "four", 4);
	assert_int_equal(add_in(f->st, &m), 0);
	assert_int_equal(add_in(f->st, &m), 0);
	assert_int_equal(hist_count(f->st, "a", NULL), 5);
	assert_int_equal(hist_count(f->st, "a", "bob@example.test"), 4);
	/* duplicate may be NULL. */
	assert_int_equal(store_history_add(f->st, &m, NULL), WARD_OK);
}

static void
test_accounts(void **state)
{
	struct fixture *f = *state;
	struct store_msg m;
	char *v = NULL;
	int64_t id;

	open_ok(f);
	m = msg_in("a", "bob@example.test/x", "S1", "O1", "to a", 1);
	assert_int_equal(add_in(f->st, &m), 0);
	m = msg_in("b", "bob@example.test/x", "S1", "O1", "to b", 1);
	assert_int_equal(add_in(f->st, &m), 0);
	assert_int_equal(hist_count(f->st, "a", NULL), 1);
	assert_int_equal(hist_count(f->st, "b", NULL), 1);
	assert_int_equal(hist_count(f->st, "c", NULL), 0);
	/* The same origin id may be queued by two accounts. */
	assert_int_equal(store_outbox_add(f->st, "a", "x@y", STORE_TYPE_CHAT,
					  STORE_ENC_NONE, "m", "same", &id),
			 WARD_OK);
	assert_int_equal(store_outbox_add(f->st, "b", "x@y", STORE_TYPE_CHAT,
					  STORE_ENC_NONE, "m", "same", &id),
			 WARD_OK);
	assert_int_equal(store_outbox_ack_origin(f->st, "b", "same", NULL),
			 WARD_OK);
	assert_int_equal(out_count(f->st, "a"), 1);
	assert_int_equal(out_count(f->st, "b"), 0);
	assert_int_equal(
	    store_pin_set(f->st, "a", "cb-type", "tls-exporter", 1), WARD_OK);
	assert_int_equal(store_pin_get(f->st, "b", "cb-type", &v, NULL, NULL),
			 WARD_ERR_NOTFOUND);
	assert_null(v);
	assert_int_equal(store_kv_set(f->st, "b", "k", "vb"), WARD_OK);
	assert_int_equal(store_kv_get(f->st, "a", "k", &v), WARD_ERR_NOTFOUND);
	assert_int_equal(store_kv_set(f->st, "a", "k", "va"), WARD_OK);
	assert_int_equal(store_kv_get(f->st, "b", "k", &v), WARD_OK);
	assert_string_equal(v, "vb");
	free(v);
}

static void
test_last_stanza_id(void **state)
{
	struct fixture *f = *state;
	struct store_msg m;
	char *id = NULL;

	open_ok(f);
	assert_int_equal(
	    store_history_last_stanza_id(f->st, "a", NULL, NULL, &id),
	    WARD_ERR_NOTFOUND);
	m = msg_in("a", "bob@example.test/x", "S-new", NULL, "1", 300);
	add_in(f->st, &m);
	m = msg_in("a", "bob@example.test/x", "S-old", NULL, "2", 100);
	add_in(f->st, &m); /* arrives later, but is older */
	m = msg_in("a", "bob@example.test/x", NULL, NULL, "3", 400);
	add_in(f->st, &m); /* no server id */
	m = msg_in("a", "room@muc/x", "R-1", NULL, "4", 350);
	m.peer = "room@muc";
	m.server_id_by = "room@muc";
	add_in(f->st, &m);
	m = msg_in("b", "bob@example.test/x", "B-1", NULL, "5", 999);
	add_in(f->st, &m);

	assert_int_equal(store_history_last_stanza_id(
			     f->st, "a", "bob@example.test", NULL, &id),
			 WARD_OK);
	assert_string_equal(id, "S-new");
	free(id);
	assert_int_equal(
	    store_history_last_stanza_id(f->st, "a", NULL, NULL, &id), WARD_OK);
	assert_string_equal(id, "R-1");
	free(id);
	assert_int_equal(store_history_last_stanza_id(
			     f->st, "a", NULL, "alice@example.test", &id),
			 WARD_OK);
	assert_string_equal(id, "S-new");
	free(id);
	assert_int_equal(store_history_last_stanza_id(
			     f->st, "a", "room@muc", "alice@example.test", &id),
			 WARD_ERR_NOTFOUND);
	assert_null(id);
}

static void
test_pins_kv(void **state)
{
	struct fixture *f = *state;
	char *v = NULL;
	int64_t first = 0, last = 0;

	open_ok(f);
	assert_int_equal(
	    store_pin_get(f->st, "a", "tls-spki:h", &v, &first, &last),
	    WARD_ERR_NOTFOUND);
	assert_int_equal(store_pin_set(f->st, "a", "tls-spki:h", "AAA", 10),
			 WARD_OK);
	assert_int_equal(store_pin_set(f->st, "a", "tls-spki:h", "AAA", 20),
			 WARD_OK);
	assert_int_equal(
	    store_pin_get(f->st, "a", "tls-spki:h", &v, &first, &last),
	    WARD_OK);
	assert_string_equal(v, "AAA");
	assert_int_equal(first, 10);
	assert_int_equal(last, 20);
	free(v);
	assert_int_equal(store_pin_set(f->st, "a", "tls-spki:h", "BBB", 30),
			 WARD_OK);
	assert_int_equal(
	    store_pin_get(f->st, "a", "tls-spki:h", &v, &first, &last),
	    WARD_OK);
	assert_string_equal(v, "BBB");
	assert_int_equal(first, 30);
	assert_int_equal(last, 30);
	free(v);

	assert_int_equal(store_kv_get(f->st, "", "theme", &v),
			 WARD_ERR_NOTFOUND);
	assert_int_equal(store_kv_set(f->st, "", "theme", "dark"), WARD_OK);
	assert_int_equal(store_kv_set(f->st, "", "theme", "light"), WARD_OK);
	assert_int_equal(store_kv_get(f->st, "", "theme", &v), WARD_OK);
	assert_string_equal(v, "light");
	free(v);
	assert_int_equal(store_kv_del(f->st, "", "theme"), WARD_OK);
	assert_int_equal(store_kv_del(f->st, "", "theme"), WARD_OK);
	assert_int_equal(store_kv_get(f->st, "", "theme", &v),
			 WARD_ERR_NOTFOUND);
	assert_null(v);
}

/* Nested batches commit once, at the outermost store_commit. */
static void
test_batch_nesting(void **state)
{
	struct fixture *f = *state;
	struct store *other = NULL;
	struct store_msg m =
	    msg_in("a", "bob@example.test/x", NULL, NULL, "b", 1);

	open_ok(f);
	assert_int_equal(store_open(f->data, &other, NULL), WARD_OK);
	assert_int_equal(store_commit(f->st), WARD_ERR_INVAL);
	assert_int_equal(store_begin(f->st), WARD_OK);
	assert_int_equal(store_begin(f->st), WARD_OK);
	add_in(f->st, &m);
	assert_int_equal(store_commit(f->st), WARD_OK);
	assert_int_equal(hist_count(f->st, "a", NULL), 1);
	assert_int_equal(hist_count(other, "a", NULL), 0); /* not yet */
	add_in(f->st, &m);
	assert_int_equal(store_commit(f->st), WARD_OK);
	assert_int_equal(hist_count(other, "a", NULL), 2);
	assert_int_equal(store_commit(f->st), WARD_ERR_INVAL);
	/* A DURABLE call inside a batch publishes the batch so far. */
	assert_int_equal(store_begin(f->st), WARD_OK);
	add_in(f->st, &m);
	assert_int_equal(store_kv_set(f->st, "a", "k", "v"), WARD_OK);
	assert_int_equal(hist_count(other, "a", NULL), 3);
	add_in(f->st, &m);
	assert_int_equal(hist_count(other, "a", NULL), 3);
	store_close(f->st); /* commits the open batch, with a warning */
	f->st = NULL;
	assert_int_equal(hist_count(other, "a", NULL), 4);
	store_close(other);
}

/* A batch that SQLite rolls back by itself (disk full, ...) is reported. */
static void
test_batch_lost(void **state)
{
	struct fixture *f = *state;
	struct store_msg m =
	    msg_in("a", "bob@example.test/x", NULL, NULL, "early", 1);
	struct store *other = NULL;

	open_ok(f);
	assert_int_equal(store_open(f->data, &other, NULL), WARD_OK);
	raw_sql(f, "CREATE TRIGGER boom BEFORE INSERT ON history"
		   " WHEN NEW.body = 'boom' BEGIN SELECT RAISE(ROLLBACK, 'x');"
		   " END");
	assert_int_equal(store_begin(f->st), WARD_OK);
	add_in(f->st, &m);
	m.body = "boom";
	assert_true(store_history_add(f->st, &m, NULL) < 0);
	m.body = "late";
	add_in(f->st, &m); /* the batch goes on: not committed yet */
	assert_int_equal(hist_count(other, "a", NULL), 0);
	assert_int_equal(store_commit(f->st), WARD_ERR_IO);
	assert_int_equal(hist_count(other, "a", NULL), 1);
	store_close(other);
	assert_int_equal(hist_count(f->st, "a", NULL), 1); /* "late" only */
	/* The next batch starts clean. */
	assert_int_equal(store_begin(f->st), WARD_OK);
	add_in(f->st, &m);
	assert_int_equal(store_commit(f->st), WARD_OK);
	assert_int_equal(hist_count(f->st, "a", NULL), 2);
}

static void
test_invalid(void **state)
{
	struct fixture *f = *state;
	struct store_msg m = msg_in("a", "b@c/d", NULL, NULL, "x", 1);
	char *big;
	int64_t id = 7;
	int dup = 7;

	assert_int_equal(store_open(NULL, &f->st, NULL), WARD_ERR_INVAL);
	assert_int_equal(store_open("", &f->st, NULL), WARD_ERR_INVAL);
	open_ok(f);
	m.body = NULL;
	assert_int_equal(store_history_add(f->st, &m, &dup), WARD_ERR_INVAL);
	assert_int_equal(dup, 0);
	m.body = "x";
	m.dir = (enum store_dir)7;
	assert_int_equal(store_history_add(f->st, &m, NULL), WARD_ERR_INVAL);
	assert_int_equal(store_outbox_add(f->st, "a", "x@y", STORE_TYPE_CHAT,
					  STORE_ENC_NONE, "m", NULL, &id),
			 WARD_ERR_INVAL);
	assert_int_equal(id, 0);
	assert_int_equal(store_outbox_add(f->st, "a", "x@y", STORE_TYPE_CHAT,
					  STORE_ENC_NONE, "m", "o", &id),
			 WARD_OK);
	assert_int_equal(store_outbox_add(f->st, "a", "x@y", STORE_TYPE_CHAT,
					  STORE_ENC_NONE, "m", "o", &id),
			 WARD_ERR_INVAL);
	assert_int_equal(id, 0);
	big = malloc(5 * 1024 * 1024);
	assert_non_null(big);
	memset(big, 'x', 5 * 1024 * 1024 - 1);
	big[5 * 1024 * 1024 - 1] = '\0';
	assert_int_equal(store_kv_set(f->st, "a", "k", big), WARD_ERR_LIMIT);
	free(big);
	assert_int_equal(out_count(f->st, "a"), 1);
	assert_int_equal(hist_count(f->st, "a", NULL), 0);
}

/* ---- timing (printed, not asserted) ---- */

static double
seconds(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	       (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void
insert_many(struct store *st, const char *account, int n, int batched)
{
	char sid[32], oid[32], body[96];
	struct store_msg m;
	int i;

	if (batched)
		assert_int_equal(store_begin(st), WARD_OK);
	for (i = 0; i < n; i++) {
		snprintf(sid, sizeof(sid), "srv-%d", i);
		snprintf(oid, sizeof(oid), "org-%d", i);
		snprintf(body, sizeof(body),
			 "message number %d, with a body "
			 "of typical length for a chat line",
			 i);
		m = msg_in(account, "bob@example.test/phone", sid, oid, body,
			   1700000000000 + i);
		assert_int_equal(store_history_add(st, &m, NULL), WARD_OK);
	}
	if (batched)
		assert_int_equal(store_commit(st), WARD_OK);
}

/* Page cache given back at rest, and only after writes. */
static void
test_release_memory(void **state)
{
	struct fixture *f = *state;
	int used, hi;

	open_ok(f);
	store_release_memory(f->st);
	assert_int_equal(store_dirty_since_release(f->st), 0);
	insert_many(f->st, "rest", 2000, 1);
	assert_int_equal(store_dirty_since_release(f->st), 1);
	assert_int_equal(sqlite3_db_status(store_db(f->st),
					   SQLITE_DBSTATUS_CACHE_USED, &used,
					   &hi, 0),
			 SQLITE_OK);
	assert_true(used > 100 * 1024); /* the batch filled the cache */
	/* inside a batch nothing is released */
	assert_int_equal(store_begin(f->st), WARD_OK);
	store_release_memory(f->st);
	assert_int_equal(store_dirty_since_release(f->st), 1);
	assert_int_equal(store_commit(f->st), WARD_OK);
	store_release_memory(f->st);
	assert_int_equal(store_dirty_since_release(f->st), 0);
	assert_int_equal(sqlite3_db_status(store_db(f->st),
					   SQLITE_DBSTATUS_CACHE_USED, &used,
					   &hi, 0),
			 SQLITE_OK);
	assert_true(used < 32 * 1024);
	/* still all there, read back through the emptied cache */
	assert_int_equal(hist_count(f->st, "rest", NULL), 2000);
	assert_int_equal(store_dirty_since_release(f->st), 0); /* reads */
	store_release_memory(NULL);
	assert_int_equal(store_dirty_since_release(NULL), 0);
}

static void
test_bench(void **state)
{
	struct fixture *f = *state;
	struct timespec t0, t1;
	const char *env = getenv("WARD_STORE_BENCH_UNBATCHED");
	int unbatched = env ? atoi(env) : 200;
	double s;

	open_ok(f);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	insert_many(f->st, "batched", 5000, 1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = seconds(&t0, &t1);
	printf("store bench: 5000 history inserts, one batch: %.3f s "
	       "(%.1f us each)\n",
	       s, s * 1e6 / 5000);
	assert_int_equal(hist_count(f->st, "batched", NULL), 5000);
	if (unbatched <= 0)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	insert_many(f->st, "single", unbatched, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = seconds(&t0, &t1);
	printf("store bench: %d history inserts, one transaction each: %.3f s "
	       "(%.1f us each; 5000 would take ~%.1f s)\n",
	       unbatched, s, s * 1e6 / unbatched, s * 5000 / unbatched);
	assert_int_equal(hist_count(f->st, "single", NULL), unbatched);
}

/* ---- roster cache ---- */

struct roster_seen {
	char text[512];
	int stop_at; /* return an error at this item (0: never) */
	int n;
};

static int
roster_collect(void *arg, const struct store_roster_item *it)
{
	struct roster_seen *r = arg;
	size_t len = strlen(r->text);

	if (++r->n == r->stop_at)
		return WARD_ERR_LIMIT;
	snprintf(r->text + len, sizeof(r->text) - len, "%s%s=%s/%s%s%s%s",
		 len ? " " : "", it->jid, it->name ? it->name : "-",
		 it->subscription, it->groups ? "[" : "",
		 it->groups ? it->groups : "", it->groups ? "]" : "");
	return WARD_OK;
}

static void
roster_expect(struct fixture *f, const char *account, const char *want)
{
	struct roster_seen r = {.text = "", .stop_at = 0, .n = 0};
	size_t n = 99;

	assert_int_equal(store_roster_each(f->st, account, roster_collect,
					   &r, &n),
			 WARD_OK);
	assert_string_equal(r.text, want);
	assert_int_equal(n, (size_t)r.n);
}

static void
ver_expect(struct fixture *f, const char *account, const char *want)
{
	char *v = NULL;
	int rc = store_roster_ver(f->st, account, &v);

	if (want == NULL) {
		assert_int_equal(rc, WARD_ERR_NOTFOUND);
		assert_null(v);
		return;
	}
	assert_int_equal(rc, WARD_OK);
	assert_string_equal(v, want);
	free(v);
}

static void
test_roster(void **state)
{
	struct fixture *f = *state;
	const struct store_roster_item three[] = {
	    {"carol@example.test", NULL, "to", NULL},
	    {"bob@example.test", "Bob", "both", "Friends\nWork"},
	    {"dave@example.test", "Dave", "none", "Work"},
	};
	const struct store_roster_item bad[] = {
	    {"erin@example.test", NULL, "both", NULL},
	    {NULL, NULL, "both", NULL},
	};
	const struct store_roster_item bob2 = {"bob@example.test", "Robert",
					       "from", NULL};
	const struct store_roster_item gone = {"carol@example.test", NULL,
					       "remove", NULL};
	struct roster_seen r = {.text = "", .stop_at = 2, .n = 0};
	size_t n = 0;

	open_ok(f);
	roster_expect(f, "home", "");
	ver_expect(f, "home", NULL);

	assert_int_equal(store_roster_replace(f->st, "home", three, 3, "v1"),
			 WARD_OK);
	assert_int_equal(store_roster_replace(f->st, "work", three, 1, "w1"),
			 WARD_OK);
	roster_expect(f, "home",
		      "bob@example.test=Bob/both[Friends\nWork] "
		      "carol@example.test=-/to dave@example.test=Dave/none[Work]");
	ver_expect(f, "home", "v1");

	/* pushes: a change, then a removal, each with its version */
	assert_int_equal(store_roster_push(f->st, "home", &bob2, "v2"),
			 WARD_OK);
	assert_int_equal(store_roster_push(f->st, "home", &gone, "v3"),
			 WARD_OK);
	roster_expect(f, "home",
		      "bob@example.test=Robert/from dave@example.test=Dave/none[Work]");
	ver_expect(f, "home", "v3");

	/* a replacement that fails half-way changes nothing */
	assert_int_equal(store_roster_replace(f->st, "home", bad, 2, "v9"),
			 WARD_ERR_INVAL);
	roster_expect(f, "home",
		      "bob@example.test=Robert/from dave@example.test=Dave/none[Work]");
	ver_expect(f, "home", "v3");

	/* kept across a restart; the other account untouched */
	reopen(f);
	ver_expect(f, "home", "v3");
	roster_expect(f, "work", "carol@example.test=-/to");
	ver_expect(f, "work", "w1");

	/* a push without a version: the item is kept, the version dropped */
	assert_int_equal(store_roster_push(f->st, "home", &bad[0], NULL),
			 WARD_OK);
	ver_expect(f, "home", NULL);
	roster_expect(f, "home",
		      "bob@example.test=Robert/from dave@example.test=Dave/none[Work] "
		      "erin@example.test=-/both");

	/* the walk stops at the callback's error */
	assert_int_equal(store_roster_each(f->st, "home", roster_collect, &r,
					   &n),
			 WARD_ERR_LIMIT);
	assert_int_equal(n, 1);

	/* an empty roster without a version */
	assert_int_equal(store_roster_replace(f->st, "home", NULL, 0, NULL),
			 WARD_OK);
	roster_expect(f, "home", "");
	ver_expect(f, "home", NULL);
	assert_int_equal(store_roster_replace(f->st, "home", NULL, 1, "x"),
			 WARD_ERR_INVAL);
	assert_int_equal(store_roster_push(f->st, "home", NULL, "x"),
			 WARD_ERR_INVAL);
}

/* What the migrations after schema 3 added (store_edit.c's tables), undone
 * to make a database of an older schema. */
#define UNDO_EDIT_MIGRATION                                                    \
	"DROP TABLE history_versions; DROP TABLE reactions;"                   \
	" DROP TABLE outbox_change; DROP INDEX history_ref_stanza;"            \
	" DROP INDEX history_ref_origin;"                                      \
	" ALTER TABLE history DROP COLUMN occupant_id;"                        \
	" ALTER TABLE history DROP COLUMN room_session;"                       \
	" ALTER TABLE history DROP COLUMN edited;"                             \
	" ALTER TABLE history DROP COLUMN retracted;"                          \
	" ALTER TABLE history DROP COLUMN reply_to;"

/* A database of schema 1 (before the roster table), or 2 (before roster
 * groups), is brought up to date. */
/* The history column added by the XEP-0203 migration (after the edit
 * one). */
#define HISTORY_LATER_COLS_DROP " ALTER TABLE history DROP COLUMN delayed;"

static void
test_roster_migration(void **state)
{
	struct fixture *f = *state;
	const struct store_roster_item one = {"bob@example.test", NULL,
					      "both", "G"};

	open_ok(f);
	store_close(f->st);
	f->st = NULL;
	/* the later migrations' columns go too: they run again */
	raw_sql(f, UNDO_EDIT_MIGRATION HISTORY_LATER_COLS_DROP
		" DROP TABLE roster; UPDATE schema_version SET version = 1");
	open_ok(f);
	assert_int_equal(store_roster_replace(f->st, "home", &one, 1, "1"),
			 WARD_OK);
	roster_expect(f, "home", "bob@example.test=-/both[G]");

	/* schema 2 (no groups yet): its rows are kept, without groups */
	store_close(f->st);
	f->st = NULL;
	raw_sql(f, UNDO_EDIT_MIGRATION HISTORY_LATER_COLS_DROP
		   " ALTER TABLE roster DROP COLUMN groups;"
		   " UPDATE schema_version SET version = 2");
	open_ok(f);
	roster_expect(f, "home", "bob@example.test=-/both");
	assert_int_equal(store_roster_push(f->st, "home", &one, "2"), WARD_OK);
	roster_expect(f, "home", "bob@example.test=-/both[G]");
}

/* What a peer said of our message only moves forward (XEP-0184, 0333),
 * per account and peer. */
static void
test_delivery(void **state)
{
	struct fixture *f = *state;
	int st = -1;

	open_ok(f);
	assert_int_equal(store_delivery_get(f->st, "home", "bob@example.test",
					    "m1", &st),
			 WARD_OK);
	assert_int_equal(st, 0);
	assert_int_equal(store_delivery_set(f->st, "home", "bob@example.test",
					    "m1", STORE_DELIVERED),
			 WARD_OK);
	assert_int_equal(store_delivery_set(f->st, "home", "bob@example.test",
					    "m1", STORE_READ),
			 WARD_OK);
	/* a late receipt after the marker does not undo "read" */
	assert_int_equal(store_delivery_set(f->st, "home", "bob@example.test",
					    "m1", STORE_DELIVERED),
			 WARD_OK);
	store_delivery_get(f->st, "home", "bob@example.test", "m1", &st);
	assert_int_equal(st, STORE_READ);
	store_delivery_get(f->st, "home", "carol@example.test", "m1", &st);
	assert_int_equal(st, 0);
	store_delivery_get(f->st, "work", "bob@example.test", "m1", &st);
	assert_int_equal(st, 0);
	/* kept across a reopen */
	store_close(f->st);
	f->st = NULL;
	open_ok(f);
	store_delivery_get(f->st, "home", "bob@example.test", "m1", &st);
	assert_int_equal(st, STORE_READ);
}

int
main(void)
{
#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_open_modes),
	    T(test_refuse_open_dir),
	    T(test_refuse_symlink),
	    T(test_refuse_bad_files),
	    T(test_refuse_foreign_owner),
	    T(test_refuse_newer_schema),
	    T(test_outbox_ack),
	    T(test_outbox_ack_atomic),
	    T(test_outbox_drop),
	    T(test_outbox_order),
	    T(test_persist),
	    T(test_crash),
	    T(test_dedupe),
	    T(test_accounts),
	    T(test_last_stanza_id),
	    T(test_pins_kv),
	    T(test_roster),
	    T(test_roster_migration),
	    T(test_delivery),
	    T(test_batch_nesting),
	    T(test_batch_lost),
	    T(test_invalid),
	    T(test_release_memory),
	    T(test_bench),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL) + run_page_tests();
}
