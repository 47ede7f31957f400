/*
 * test_page.c: unit tests for src/store/store_page.c: paging backwards through a
 * conversation of 10,000 rows reads each row once with bounded work per
 * page, positions stay valid while rows are added, and rooms, chats and
 * accounts never mix.
 */
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store.h"
#include "store_page.h"
#include "test_page.h"
#include "ward.h"

#define PAGE_ROWS 10000

struct page_fx {
	char base[64];
	char data[128];
	struct store *st;
};

/* What a page callback saw. */
struct page_seen {
	int64_t ts[STORE_PAGE_MAX];
	int64_t id[STORE_PAGE_MAX];
	char body[STORE_PAGE_MAX][32];
	char peer[STORE_PAGE_MAX][64];
	size_t n;
};

static int
page_rm(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
page_setup(void **state)
{
	struct page_fx *f = calloc(1, sizeof(*f));
	char *why = NULL;

	if (f == NULL)
		return -1;
	snprintf(f->base, sizeof(f->base), "/tmp/ward-page-XXXXXX");
	if (mkdtemp(f->base) == NULL)
		return -1;
	snprintf(f->data, sizeof(f->data), "%s/data", f->base);
	if (store_open(f->data, &f->st, &why) != WARD_OK)
		return -1;
	*state = f;
	return 0;
}

static int
page_teardown(void **state)
{
	struct page_fx *f = *state;

	store_close(f->st);
	nftw(f->base, page_rm, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

static void
page_add(struct page_fx *f, const char *account, const char *peer,
	 enum store_type type, int64_t ts, const char *body, const char *sid)
{
	struct store_msg m;
	int dup = -1;

	memset(&m, 0, sizeof(m));
	m.account = account;
	m.peer = peer;
	m.dir = STORE_DIR_IN;
	m.type = type;
	m.from_jid = peer;
	m.server_id = sid;
	m.server_id_by = sid != NULL ? "me@example.test" : NULL;
	m.body = body;
	m.ts = ts;
	assert_int_equal(store_history_add(f->st, &m, &dup), WARD_OK);
	assert_int_equal(dup, 0);
}

static int
page_cb(const struct store_msg *m, void *arg)
{
	struct page_seen *s = arg;

	assert_true(s->n < STORE_PAGE_MAX);
	s->ts[s->n] = m->ts;
	s->id[s->n] = m->id;
	snprintf(s->body[s->n], sizeof(s->body[0]), "%s", m->body);
	snprintf(s->peer[s->n], sizeof(s->peer[0]), "%s", m->peer);
	s->n++;
	return 0;
}

/* Virtual-machine steps run by every prepared statement since the last
 * call (SQLite's own counter): the work a query really did. */
static int64_t
page_vm_steps(struct store *st)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *s = NULL;
	int64_t sum = 0;

	while ((s = sqlite3_next_stmt(db, s)) != NULL)
		sum += sqlite3_stmt_status(s, SQLITE_STMTSTATUS_VM_STEP, 1);
	return sum;
}

static int64_t
page_fullscan(struct store *st)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *s = NULL;
	int64_t sum = 0;

	while ((s = sqlite3_next_stmt(db, s)) != NULL)
		sum +=
		    sqlite3_stmt_status(s, SQLITE_STMTSTATUS_FULLSCAN_STEP, 1);
	return sum;
}

/* 10,000 rows of one chat among other conversations: paging back 50 at a
 * time returns every row once, newest page first, each page oldest first,
 * and no page costs more than a bounded number of steps. */
static void
test_page_bounded(void **state)
{
	struct page_fx *f = *state;
	struct page_seen *s = calloc(1, sizeof(*s));
	int64_t ts = STORE_PAGE_NEWEST, id = STORE_PAGE_NEWEST, expect;
	int64_t steps, maxsteps = 0, first_page_steps = 0;
	char body[32];
	size_t pages = 0, total = 0, i;
	int k;

	assert_non_null(s);
	assert_int_equal(store_begin(f->st), WARD_OK);
	for (k = 0; k < PAGE_ROWS; k++) {
		snprintf(body, sizeof(body), "m%d", k);
		/* pairs of rows share a millisecond: the id breaks the tie */
		page_add(f, "home", "bob@example.test", STORE_TYPE_CHAT,
			 1000000 + k / 2, body, NULL);
		page_add(f, "home", "carol@example.test", STORE_TYPE_CHAT,
			 1000000 + k, "other", NULL);
	}
	assert_int_equal(store_commit(f->st), WARD_OK);
	expect = PAGE_ROWS - 1;
	page_vm_steps(f->st);
	page_fullscan(f->st);
	for (;;) {
		memset(s, 0, sizeof(*s));
		assert_int_equal(store_page_before(f->st, "home",
						   "bob@example.test", ts, id,
						   50, page_cb, s, &i),
				 WARD_OK);
		assert_int_equal(i, s->n);
		steps = page_vm_steps(f->st);
		assert_int_equal(page_fullscan(f->st), 0);
		if (pages == 0)
			first_page_steps = steps;
		if (steps > maxsteps)
			maxsteps = steps;
		if (s->n == 0)
			break;
		pages++;
		/* oldest first within the page, and continuing downwards */
		for (i = s->n; i-- > 0;) {
			snprintf(body, sizeof(body), "m%lld",
				 (long long)expect);
			assert_string_equal(s->body[i], body);
			assert_string_equal(s->peer[i], "bob@example.test");
			expect--;
			total++;
		}
		for (i = 1; i < s->n; i++)
			assert_true(s->ts[i - 1] < s->ts[i] ||
				    (s->ts[i - 1] == s->ts[i] &&
				     s->id[i - 1] < s->id[i]));
		ts = s->ts[0];
		id = s->id[0];
	}
	assert_int_equal(total, PAGE_ROWS);
	assert_int_equal(pages, PAGE_ROWS / 50);
	assert_int_equal(expect, -1);
	/* the last page costs about what the first did: no page reads the
	 * rows it skips (20,000 rows in the table) */
	assert_true(first_page_steps > 0);
	if (maxsteps > 2 * first_page_steps + 200)
		fail_msg("pages took %lld steps, the first %lld",
			 (long long)maxsteps, (long long)first_page_steps);
	if (maxsteps >= 5000)
		fail_msg("a page took %lld steps", (long long)maxsteps);
	free(s);
}

/* A position stays valid while newer and older rows arrive: the page
 * before it is the same rows plus, at most, the older ones added. */
static void
test_page_cursor_stable(void **state)
{
	struct page_fx *f = *state;
	struct page_seen a, b;
	int64_t ts, id;
	char body[32];
	int k;

	for (k = 0; k < 30; k++) {
		snprintf(body, sizeof(body), "m%d", k);
		page_add(f, "home", "bob@example.test", STORE_TYPE_CHAT,
			 5000 + k * 10, body, NULL);
	}
	memset(&a, 0, sizeof(a));
	assert_int_equal(store_page_before(f->st, "home", "bob@example.test",
					   STORE_PAGE_NEWEST, STORE_PAGE_NEWEST,
					   10, page_cb, &a, NULL),
			 WARD_OK);
	assert_int_equal(a.n, 10);
	assert_string_equal(a.body[0], "m20");
	assert_string_equal(a.body[9], "m29");
	ts = a.ts[0];
	id = a.id[0];
	memset(&a, 0, sizeof(a));
	assert_int_equal(store_page_before(f->st, "home", "bob@example.test",
					   ts, id, 10, page_cb, &a, NULL),
			 WARD_OK);
	/* newer rows, and a row at the very same ms as the position but
	 * added later (a higher id: it sorts after the position) */
	page_add(f, "home", "bob@example.test", STORE_TYPE_CHAT, 9000, "new",
		 NULL);
	page_add(f, "home", "bob@example.test", STORE_TYPE_CHAT, ts, "same",
		 NULL);
	memset(&b, 0, sizeof(b));
	assert_int_equal(store_page_before(f->st, "home", "bob@example.test",
					   ts, id, 10, page_cb, &b, NULL),
			 WARD_OK);
	assert_memory_equal(&a, &b, sizeof(a));
	assert_string_equal(b.body[0], "m10");
	assert_string_equal(b.body[9], "m19");
	/* an older row from the archive joins the next page down */
	page_add(f, "home", "bob@example.test", STORE_TYPE_CHAT, 5001,
		 "archived", "arch-1");
	memset(&b, 0, sizeof(b));
	assert_int_equal(store_page_before(f->st, "home", "bob@example.test",
					   a.ts[0], a.id[0], 10, page_cb, &b,
					   NULL),
			 WARD_OK);
	assert_int_equal(b.n, 10);
	assert_string_equal(b.body[0], "archived");
	assert_string_equal(b.body[1], "m1");
	assert_string_equal(b.body[9], "m9");
	/* the row a position names can be read back by its id */
	memset(&b, 0, sizeof(b));
	assert_int_equal(
	    store_page_row(f->st, "home", "bob@example.test", id, page_cb, &b),
	    WARD_OK);
	assert_int_equal(b.n, 1);
	assert_string_equal(b.body[0], "m20");
	assert_int_equal(store_page_row(f->st, "home", "carol@example.test", id,
					page_cb, &b),
			 WARD_ERR_NOTFOUND);
	assert_int_equal(
	    store_page_row(f->st, "work", "bob@example.test", id, page_cb, &b),
	    WARD_ERR_NOTFOUND);
}

/* A room and a chat with the same JID text, and two accounts with the
 * same peer, never share a page. */
static void
test_page_separated(void **state)
{
	struct page_fx *f = *state;
	struct page_seen s;
	size_t i;

	page_add(f, "home", "dev@rooms.example.test", STORE_TYPE_GROUPCHAT, 100,
		 "room-home", NULL);
	page_add(f, "home", "bob@example.test", STORE_TYPE_CHAT, 101,
		 "chat-home", NULL);
	page_add(f, "work", "dev@rooms.example.test", STORE_TYPE_GROUPCHAT, 102,
		 "room-work", NULL);
	page_add(f, "work", "bob@example.test", STORE_TYPE_CHAT, 103,
		 "chat-work", "sid-1");
	memset(&s, 0, sizeof(s));
	assert_int_equal(store_page_before(f->st, "home",
					   "dev@rooms.example.test",
					   STORE_PAGE_NEWEST, STORE_PAGE_NEWEST,
					   STORE_PAGE_MAX, page_cb, &s, &i),
			 WARD_OK);
	assert_int_equal(i, 1);
	assert_string_equal(s.body[0], "room-home");
	memset(&s, 0, sizeof(s));
	assert_int_equal(store_page_before(f->st, "work", "bob@example.test",
					   STORE_PAGE_NEWEST, STORE_PAGE_NEWEST,
					   STORE_PAGE_MAX, page_cb, &s, &i),
			 WARD_OK);
	assert_int_equal(i, 1);
	assert_string_equal(s.body[0], "chat-work");
	memset(&s, 0, sizeof(s));
	assert_int_equal(store_page_before(f->st, "other", "bob@example.test",
					   STORE_PAGE_NEWEST, STORE_PAGE_NEWEST,
					   5, page_cb, &s, &i),
			 WARD_OK);
	assert_int_equal(i, 0);
	/* the duplicate check is per account and conversation */
	assert_int_equal(store_page_has(f->st, "work", "bob@example.test",
					"sid-1", NULL, NULL, (int *)&i),
			 WARD_OK);
	assert_int_equal(i, 1);
	assert_int_equal(store_page_has(f->st, "home", "bob@example.test",
					"sid-1", NULL, NULL, (int *)&i),
			 WARD_OK);
	assert_int_equal(i, 0);
}

/* Bad arguments are refused, not guessed at. */
static void
test_page_invalid(void **state)
{
	struct page_fx *f = *state;
	struct page_seen s;
	int found = 0;

	memset(&s, 0, sizeof(s));
	assert_int_equal(store_page_before(f->st, "home", "bob@example.test",
					   STORE_PAGE_NEWEST, STORE_PAGE_NEWEST,
					   0, page_cb, &s, NULL),
			 WARD_ERR_INVAL);
	assert_int_equal(store_page_before(f->st, "home", "bob@example.test",
					   STORE_PAGE_NEWEST, STORE_PAGE_NEWEST,
					   STORE_PAGE_MAX + 1, page_cb, &s,
					   NULL),
			 WARD_ERR_INVAL);
	assert_int_equal(store_page_before(f->st, NULL, "bob@example.test", 1,
					   1, 5, page_cb, &s, NULL),
			 WARD_ERR_INVAL);
	assert_int_equal(store_page_has(f->st, "home", "bob@example.test", NULL,
					"bob@example.test/x", "o1", &found),
			 WARD_OK);
	assert_int_equal(found, 0);
}

/* The origin-id half of the duplicate check. */
static void
test_page_has_origin(void **state)
{
	struct page_fx *f = *state;
	struct store_msg m;
	int found = 0;

	memset(&m, 0, sizeof(m));
	m.account = "home";
	m.peer = "bob@example.test";
	m.dir = STORE_DIR_OUT;
	m.type = STORE_TYPE_CHAT;
	m.from_jid = "me@example.test/ward";
	m.origin_id = "o-1";
	m.body = "hi";
	assert_int_equal(store_history_add(f->st, &m, NULL), WARD_OK);
	assert_int_equal(store_page_last_id(f->st) > 0, 1);
	assert_int_equal(store_page_has(f->st, "home", "bob@example.test",
					"nope", "me@example.test/ward", "o-1",
					&found),
			 WARD_OK);
	assert_int_equal(found, 1);
	assert_int_equal(store_page_has(f->st, "home", "bob@example.test", NULL,
					"me@example.test/other", "o-1", &found),
			 WARD_OK);
	assert_int_equal(found, 0);
}

int
run_page_tests(void)
{
#define T(t) cmocka_unit_test_setup_teardown(t, page_setup, page_teardown)
	const struct CMUnitTest tests[] = {
	    T(test_page_bounded),    T(test_page_cursor_stable),
	    T(test_page_separated),  T(test_page_invalid),
	    T(test_page_has_origin),
	};
#undef T

	return cmocka_run_group_tests_name("store_page", tests, NULL, NULL);
}
