/*
 * test_search.c: /search (src/store/store_search.c, src/feat/search.c):
 * the FTS5 query built from what the user typed holds none of the user's
 * FTS5 syntax; the "in JID" split; and searches against a real ward.db:
 * words in any order, case and accents ignored, prefixes, one
 * conversation or all, one account only, newest first, every stored row
 * indexed once (received, archived, sent), an index missing rows rebuilt
 * at open, and rows stored before the migration found.
 */
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "search.h"
#include "store.h"
#include "store_edit.h"
#include "store_search.h"
#include "ward.h"

static void
query_is(const char *text, const char *want)
{
	char *q = NULL;

	assert_int_equal(store_search_query(text, &q), WARD_OK);
	assert_string_equal(q, want);
	free(q);
}

static void
query_fails(const char *text, int want)
{
	char *q = (char *)1;

	assert_int_equal(store_search_query(text, &q), want);
	assert_null(q);
}

static void
test_query_building(void **state)
{
	char big[STORE_SEARCH_MAX_TEXT + 2];

	(void)state;
	query_is("hello", "\"hello\"");
	query_is("  two\twords ", "\"two\" \"words\"");
	/* quotes doubled: FTS5 reads them as text */
	query_is("say \"hi\"", "\"say\" \"\"\"hi\"\"\"");
	query_is("a\"", "\"a\"\"\"");
	/* a word ending in '*' is a prefix; '*' alone is text */
	query_is("caf*", "\"caf\"*");
	query_is("*", "\"*\"");
	query_is("a**", "\"a*\"*");
	/* FTS5 operators and syntax are plain words */
	query_is("x OR y NOT z", "\"x\" \"OR\" \"y\" \"NOT\" \"z\"");
	query_is("NEAR(a b) body:x ^c -d +e",
		 "\"NEAR(a\" \"b)\" \"body:x\" \"^c\" \"-d\" \"+e\"");
	query_is("caf\xc3\xa9", "\"caf\xc3\xa9\"");
	query_fails("", WARD_ERR_INVAL);
	query_fails(" \t ", WARD_ERR_INVAL);
	query_fails("a\nb", WARD_ERR_INVAL);
	query_fails("a\x1b[2J", WARD_ERR_INVAL);
	query_fails("\x7f", WARD_ERR_INVAL);
	query_fails(NULL, WARD_ERR_INVAL);
	query_fails("1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17",
		    WARD_ERR_LIMIT);
	query_is("1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16",
		 "\"1\" \"2\" \"3\" \"4\" \"5\" \"6\" \"7\" \"8\" \"9\" "
		 "\"10\" \"11\" \"12\" \"13\" \"14\" \"15\" \"16\"");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	query_fails(big, WARD_ERR_LIMIT);
	big[STORE_SEARCH_MAX_TEXT] = '\0';
	{
		char *q = NULL;
		assert_int_equal(store_search_query(big, &q), WARD_OK);
		free(q);
	}
}

static void
parse_is(const char *line, const char *text, const char *with)
{
	char *t, *w;

	assert_int_equal(search_parse(line, &t, &w), WARD_OK);
	assert_string_equal(t, text);
	if (with == NULL)
		assert_null(w);
	else
		assert_string_equal(w, with);
	free(t);
	free(w);
}

static void
test_parse_in(void **state)
{
	char *t, *w;

	(void)state;
	parse_is("lunch", "lunch", NULL);
	parse_is("lunch in bob@good.test", "lunch", "bob@good.test");
	parse_is("lunch tomorrow  in  bob@good.test/phone ", "lunch tomorrow",
		 "bob@good.test");
	parse_is("plans in lobby@rooms.good.test", "plans",
		 "lobby@rooms.good.test");
	/* "in" followed by a word that is no JID is text */
	parse_is("log in", "log in", NULL);
	parse_is("sign in please", "sign in please", NULL);
	parse_is("in bob@good.test", "in bob@good.test", NULL);
	parse_is("main bob@good.test", "main bob@good.test", NULL);
	assert_int_equal(search_parse("x in @", &t, &w), WARD_ERR_INVAL);
	assert_null(t);
	assert_null(w);
}

struct fx {
	char base[64];
	char data[128];
	struct store *st;
};

static int
rm_cb(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	snprintf(f->base, sizeof(f->base), "/tmp/ward-search-XXXXXX");
	if (mkdtemp(f->base) == NULL)
		return -1;
	snprintf(f->data, sizeof(f->data), "%s/data", f->base);
	char *why = NULL;

	if (store_open(f->data, &f->st, &why) != WARD_OK) {
		fprintf(stderr, "store_open: %s\n", why ? why : "?");
		free(why);
		return -1;
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	store_close(f->st);
	nftw(f->base, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

static void
add(struct store *st, const char *account, const char *peer, int64_t ts,
    const char *body)
{
	struct store_msg m;
	int dup = -1;

	memset(&m, 0, sizeof(m));
	m.account = account;
	m.peer = peer;
	m.dir = STORE_DIR_IN;
	m.type = STORE_TYPE_CHAT;
	m.from_jid = peer;
	m.body = body;
	m.ts = ts;
	assert_int_equal(store_history_add(st, &m, &dup), WARD_OK);
	assert_int_equal(dup, 0);
}

struct seen {
	char body[16][64];
	char peer[16][64];
	int64_t ts[16];
	size_t n;
};

static int
seen_cb(const struct store_msg *m, void *arg)
{
	struct seen *s = arg;

	assert_true(s->n < 16);
	snprintf(s->body[s->n], sizeof(s->body[0]), "%s", m->body);
	snprintf(s->peer[s->n], sizeof(s->peer[0]), "%s", m->peer);
	s->ts[s->n] = m->ts;
	s->n++;
	return 0;
}

static size_t
find(struct store *st, const char *account, const char *peer, const char *text,
     struct seen *s)
{
	size_t n = 99;

	memset(s, 0, sizeof(*s));
	assert_int_equal(
	    store_search(st, account, peer, text, 16, seen_cb, s, &n), WARD_OK);
	assert_int_equal(n, s->n);
	return n;
}

static void
fill(struct store *st)
{
	add(st, "a", "bob@x.test", 1000, "Lunch at the Café tomorrow?");
	add(st, "a", "bob@x.test", 2000, "the station, half past twelve");
	add(st, "a", "carol@x.test", 3000, "lunch was good");
	add(st, "a", "carol@x.test", 4000, "say \"NEAR(\" OR body:x");
	add(st, "b", "bob@x.test", 5000, "lunch for account b");
}

static void
test_search_store(void **state)
{
	struct fx *f = *state;
	struct seen s;

	fill(f->st);
	/* every account's conversations, newest first, one account */
	assert_int_equal(find(f->st, "a", NULL, "LUNCH", &s), 2);
	assert_string_equal(s.body[0], "lunch was good");
	assert_string_equal(s.body[1], "Lunch at the Café tomorrow?");
	/* one conversation */
	assert_int_equal(find(f->st, "a", "bob@x.test", "lunch", &s), 1);
	assert_string_equal(s.peer[0], "bob@x.test");
	/* accents and case ignored, every word required, any order */
	assert_int_equal(find(f->st, "a", NULL, "cafe", &s), 1);
	assert_int_equal(find(f->st, "a", NULL, "CAFÉ", &s), 1);
	assert_int_equal(find(f->st, "a", NULL, "tomorrow lunch", &s), 1);
	assert_int_equal(find(f->st, "a", NULL, "lunch station", &s), 0);
	/* prefixes */
	assert_int_equal(find(f->st, "a", NULL, "stat*", &s), 1);
	assert_int_equal(find(f->st, "a", NULL, "stat", &s), 0);
	/* FTS5 syntax is text: no error, found as words */
	assert_int_equal(find(f->st, "a", NULL, "\"NEAR(\" OR", &s), 1);
	assert_int_equal(find(f->st, "a", NULL, "body:x", &s), 1);
	assert_int_equal(find(f->st, "a", NULL, "NEAR(lunch", &s), 0);
	assert_int_equal(find(f->st, "b", NULL, "lunch", &s), 1);
	assert_int_equal(find(f->st, "c", NULL, "lunch", &s), 0);
	assert_int_equal(
	    store_search(f->st, "a", NULL, "x", 0, seen_cb, &s, NULL),
	    WARD_ERR_INVAL);
	assert_int_equal(
	    store_search(f->st, "a", NULL, "", 5, seen_cb, &s, NULL),
	    WARD_ERR_INVAL);
}

/* Rows stored by every path are indexed; an index that misses rows is
 * rebuilt at open. */
static void
test_index_in_step(void **state)
{
	struct fx *f = *state;
	sqlite3 *db = store_db(f->st);
	struct store_ack ack;
	struct seen s;
	int64_t id;

	fill(f->st);
	/* a duplicate is not indexed twice */
	{
		struct store_msg m;
		int dup = 0;
		memset(&m, 0, sizeof(m));
		m.account = "a";
		m.peer = "bob@x.test";
		m.from_jid = "bob@x.test";
		m.server_id = "s1";
		m.server_id_by = "a@x.test";
		m.body = "archived lunch";
		m.ts = 7000;
		assert_int_equal(store_history_add(f->st, &m, &dup), WARD_OK);
		assert_int_equal(store_history_add(f->st, &m, &dup), WARD_OK);
		assert_int_equal(dup, 1);
	}
	assert_int_equal(find(f->st, "a", NULL, "archived", &s), 1);
	/* a sent message, from the outbox into the history */
	assert_int_equal(store_outbox_add(f->st, "a", "bob@x.test",
					  STORE_TYPE_CHAT, STORE_ENC_NONE,
					  "outgoing noodles", "o-1", &id),
			 WARD_OK);
	assert_int_equal(find(f->st, "a", NULL, "noodles", &s), 0);
	memset(&ack, 0, sizeof(ack));
	assert_int_equal(store_outbox_ack(f->st, id, &ack), WARD_OK);
	assert_int_equal(find(f->st, "a", NULL, "noodles", &s), 1);
	assert_int_equal(sqlite3_exec(db,
				      "INSERT INTO history_fts (history_fts)"
				      " VALUES ('integrity-check')",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	/* a row written past the index (another program): rebuilt at open */
	assert_int_equal(
	    sqlite3_exec(db,
			 "INSERT INTO history (account, peer, direction, type,"
			 " body, encryption, ts) VALUES ('a', 'bob@x.test',"
			 " 'in', 'chat', 'unindexed pancakes', 'none', 8000)",
			 NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(find(f->st, "a", NULL, "pancakes", &s), 0);
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(store_open(f->data, &f->st, NULL), WARD_OK);
	assert_int_equal(find(f->st, "a", NULL, "pancakes", &s), 1);
}

static int64_t
count_of(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t n = -1;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* The index is filled in bulk (at rest, before a search, at open and
 * close): a row edited or retracted before it was indexed is indexed as it
 * is now, the old text never; an edit after indexing replaces the text in
 * the index; the index stays consistent throughout. */
static void
test_index_deferred(void **state)
{
	struct fx *f = *state;
	sqlite3 *db = store_db(f->st);
	struct seen s;
	int64_t first;

	add(f->st, "a", "bob@x.test", 1000, "original walrus");
	first = sqlite3_last_insert_rowid(db);
	add(f->st, "a", "bob@x.test", 2000, "secret narwhal");
	add(f->st, "a", "bob@x.test", 3000, "plain otter");
	/* nothing indexed yet: the rows wait for the fill */
	assert_int_equal(
	    count_of(db, "SELECT count(*) FROM history_fts_docsize"), 0);
	assert_int_equal(
	    store_edit_apply(f->st, first, "corrected beluga", 4000), WARD_OK);
	assert_int_equal(store_retract(f->st, first + 1), WARD_OK);
	/* a search fills the index first: the current texts only */
	assert_int_equal(find(f->st, "a", NULL, "beluga", &s), 1);
	assert_int_equal(find(f->st, "a", NULL, "walrus", &s), 0);
	assert_int_equal(find(f->st, "a", NULL, "narwhal", &s), 0);
	assert_int_equal(find(f->st, "a", NULL, "otter", &s), 1);
	/* indexed now: an edit takes the old words out of the index */
	assert_int_equal(store_edit_apply(f->st, first + 2, "plain seal", 5000),
			 WARD_OK);
	assert_int_equal(find(f->st, "a", NULL, "otter", &s), 0);
	assert_int_equal(find(f->st, "a", NULL, "seal", &s), 1);
	/* rows stored and not searched: the close fills them, and the next
	 * open finds the index whole (no rebuild needed) */
	add(f->st, "a", "bob@x.test", 6000, "late manatee");
	assert_int_equal(store_fts_flush(f->st), WARD_OK);
	add(f->st, "a", "bob@x.test", 7000, "closing dugong");
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(store_open(f->data, &f->st, NULL), WARD_OK);
	db = store_db(f->st);
	assert_int_equal(count_of(db, "SELECT count(*) FROM history"), 5);
	assert_int_equal(
	    count_of(db, "SELECT count(*) FROM history_fts_docsize"), 5);
	assert_int_equal(find(f->st, "a", NULL, "dugong", &s), 1);
	assert_int_equal(find(f->st, "a", NULL, "manatee", &s), 1);
	assert_int_equal(sqlite3_exec(db,
				      "INSERT INTO history_fts (history_fts)"
				      " VALUES ('integrity-check')",
				      NULL, NULL, NULL),
			 SQLITE_OK);
}

/* Rows stored before the FTS migration are found after it runs. */
static void
test_migration_fills_index(void **state)
{
	struct fx *f = *state;
	sqlite3 *db = store_db(f->st);
	struct seen s;

	fill(f->st);
	/* back to the schema before the migration, rows kept: the
	 * corrections migration (store_edit.c) and the XEP-0203 one
	 * (delayed), which came after it, undone too; the delivery table
	 * (receipts.c, after them) is created IF NOT EXISTS, so it stays */
	assert_int_equal(
	    sqlite3_exec(db,
			 "DROP TABLE history_fts;"
			 "DROP TABLE history_versions; DROP TABLE reactions;"
			 " DROP TABLE outbox_change;"
			 " DROP INDEX history_ref_stanza;"
			 " DROP INDEX history_ref_origin;"
			 " ALTER TABLE history DROP COLUMN occupant_id;"
			 " ALTER TABLE history DROP COLUMN room_session;"
			 " ALTER TABLE history DROP COLUMN edited;"
			 " ALTER TABLE history DROP COLUMN retracted;"
			 " ALTER TABLE history DROP COLUMN reply_to;"
			 " ALTER TABLE history DROP COLUMN delayed;"
			 "UPDATE schema_version SET version = version - 4;",
			 NULL, NULL, NULL),
	    SQLITE_OK);
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(store_open(f->data, &f->st, NULL), WARD_OK);
	assert_int_equal(find(f->st, "a", NULL, "lunch", &s), 2);
	assert_int_equal(find(f->st, "a", NULL, "twelve", &s), 1);
	add(f->st, "a", "bob@x.test", 6000, "lunch again");
	assert_int_equal(find(f->st, "a", NULL, "lunch", &s), 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_query_building),
	    cmocka_unit_test(test_parse_in),
	    cmocka_unit_test_setup_teardown(test_search_store, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_index_in_step, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_index_deferred, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_migration_fills_index, setup,
					    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
