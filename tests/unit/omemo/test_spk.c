/*
 * test_spk.c: signed-prekey rotation (crypto/omemo_spk.c) with the clock
 * given: none before OMEMO_SPK_ROTATE_S or with a clock that went back, a
 * new one after, published in the bundle and usable by a new contact;
 * a first message built on the old bundle still opens within
 * OMEMO_SPK_KEEP_S and is refused, with nothing changed, once the old key
 * is deleted; rows beyond the newest 64 are deleted; all of it survives a
 * restart.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "peer.h"
#include "test_spk.h"

#define DAY_MS (24ull * 3600 * 1000)

struct spk_world {
	char dir[64];
	struct peer bob;
};

static int
spk_setup(void **state)
{
	struct spk_world *w = calloc(1, sizeof(*w));
	char path[128];

	if (w == NULL)
		return -1;
	snprintf(w->dir, sizeof(w->dir), "/tmp/ward-spk-XXXXXX");
	if (mkdtemp(w->dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/bob.db", w->dir);
	peer_open(&w->bob, "bob@example.test", path);
	*state = w;
	return 0;
}

static int
spk_teardown(void **state)
{
	struct spk_world *w = *state;
	const char *const files[] = {"bob.db", "bob.db-wal", "bob.db-shm"};
	char path[128];
	size_t i;

	peer_close(&w->bob);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", w->dir, files[i]);
		unlink(path);
	}
	rmdir(w->dir);
	free(w);
	return 0;
}

static uint64_t
wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static uint32_t
bundle_spk(struct peer *p, struct omemo_bundle *b)
{
	assert_int_equal(omemo_own_bundle(p->o, b), OMEMO_OK);
	return b->signed_prekey_id;
}

/* The ids in P's signed-prekey table, ascending, as "1,2,3". */
static void
spk_ids(struct peer *p, char *out, size_t len)
{
	sqlite3_stmt *s;
	size_t off = 0;

	out[0] = '\0';
	assert_int_equal(
	    sqlite3_prepare_v2(p->db,
			       "SELECT id FROM omemo_signed_prekey"
			       " WHERE account = ?1 ORDER BY id",
			       -1, &s, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(s, 1, p->account, -1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW && off + 12 < len)
		off += (size_t)snprintf(out + off, len - off, "%s%lld",
					off ? "," : "",
					sqlite3_column_int64(s, 0));
	sqlite3_finalize(s);
}

/* A new contact JID starts a session with P from bundle B and sends TEXT;
 * returns P's rc and checks the text when it is OMEMO_OK. */
static int
first_message(struct peer *p, const struct omemo_bundle *b, const char *jid,
	      const char *text)
{
	struct peer a;
	struct omemo_message m;
	char *plain = NULL;
	int rc;

	peer_open(&a, jid, NULL);
	assert_int_equal(omemo_session_start(a.o, p->jid, peer_dev(p), b),
			 OMEMO_OK);
	peer_send(&a, p, text, &m);
	assert_true(m.keys[0].prekey);
	rc = peer_recv(p, &a, &m, &plain, NULL);
	if (rc == OMEMO_OK)
		assert_string_equal(plain, text);
	free(plain);
	omemo_message_free(&m);
	peer_close(&a);
	return rc;
}

static void
test_spk_rotation(void **state)
{
	struct spk_world *w = *state;
	struct peer *bob = &w->bob;
	struct omemo_bundle first, second, now;
	struct omemo_spk_change c;
	uint64_t t0 = wall_ms(), t1;
	char ids[64], *before;

	assert_int_equal(bundle_spk(bob, &first), 1);

	/* not due yet, and a clock that went back makes nothing */
	assert_int_equal(omemo_spk_rotate(bob->o, t0 + DAY_MS, &c), OMEMO_OK);
	assert_int_equal(c.made, 0);
	assert_int_equal(c.deleted, 0);
	assert_int_equal(omemo_spk_rotate(bob->o, t0 - 400 * DAY_MS, &c),
			 OMEMO_OK);
	assert_int_equal(c.made, 0);
	assert_int_equal(omemo_spk_rotate(bob->o, 0, NULL), OMEMO_OK);
	assert_int_equal(bundle_spk(bob, &now), 1);

	/* due: a new one, in the bundle, signed by the same identity */
	t1 = t0 + (uint64_t)OMEMO_SPK_ROTATE_S * 1000u + 1000u;
	assert_int_equal(omemo_spk_rotate(bob->o, t1, &c), OMEMO_OK);
	assert_int_equal(c.made, 2);
	assert_int_equal(c.deleted, 0);
	assert_int_equal(bundle_spk(bob, &second), 2);
	assert_memory_not_equal(second.signed_prekey, first.signed_prekey,
				OMEMO_KEY_PUB_LEN);
	assert_memory_equal(second.identity_key, first.identity_key,
			    OMEMO_KEY_PUB_LEN);
	spk_ids(bob, ids, sizeof(ids));
	assert_string_equal(ids, "1,2");
	/* at once again: nothing more */
	assert_int_equal(omemo_spk_rotate(bob->o, t1, &c), OMEMO_OK);
	assert_int_equal(c.made, 0);

	/* a new contact uses the new bundle; one that fetched the old bundle
	 * before the rotation still gets through */
	assert_int_equal(first_message(bob, &second, "carol@example.test",
				       "on the new signed prekey"),
			 OMEMO_OK);
	assert_int_equal(first_message(bob, &first, "dave@example.test",
				       "on the old signed prekey"),
			 OMEMO_OK);

	/* 29 days later: 2 is due (3 made), 1 is kept: 2 replaced it 29
	 * days ago */
	assert_int_equal(omemo_spk_rotate(bob->o, t1 + 29 * DAY_MS, &c),
			 OMEMO_OK);
	assert_int_equal(c.made, 3);
	assert_int_equal(c.deleted, 0);
	spk_ids(bob, ids, sizeof(ids));
	assert_string_equal(ids, "1,2,3");

	/* 30 days after 2 was made: 1 goes; 2 stays (3 is a day old) */
	assert_int_equal(omemo_spk_rotate(bob->o,
					  t1 + (uint64_t)OMEMO_SPK_KEEP_S *
						   1000u,
					  &c),
			 OMEMO_OK);
	assert_int_equal(c.made, 0);
	assert_int_equal(c.deleted, 1);
	spk_ids(bob, ids, sizeof(ids));
	assert_string_equal(ids, "2,3");

	/* a first message on the deleted key is refused, nothing changed */
	before = peer_snapshot(bob);
	assert_int_equal(first_message(bob, &first, "erin@example.test",
				       "too late"),
			 OMEMO_ERR_NOPREKEY);
	assert_unchanged(bob, before);
	/* ... while one on the kept key 2 still opens */
	assert_int_equal(first_message(bob, &second, "frank@example.test",
				       "on the kept signed prekey"),
			 OMEMO_OK);

	/* it all survives a restart */
	peer_reopen(bob);
	assert_int_equal(bundle_spk(bob, &now), 3);
	spk_ids(bob, ids, sizeof(ids));
	assert_string_equal(ids, "2,3");
}

/* More than 64 signed prekeys (a clock that jumped about): the ones
 * below the newest 64 are deleted, the bundle is still made. */
static void
test_spk_many_rows(void **state)
{
	struct spk_world *w = *state;
	struct peer *bob = &w->bob;
	struct omemo_bundle b;
	struct omemo_spk_change c;
	char ids[64], *err = NULL;
	sqlite3_stmt *s;

	/* ids 2..70, each a copy of 1's record */
	assert_int_equal(
	    sqlite3_exec(bob->db,
			 "WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL"
			 " SELECT i + 1 FROM n WHERE i < 70)"
			 " INSERT INTO omemo_signed_prekey (account, id, record)"
			 " SELECT account, i, record FROM omemo_signed_prekey, n"
			 " WHERE id = 1",
			 NULL, NULL, &err),
	    SQLITE_OK);
	sqlite3_free(err);
	assert_int_equal(omemo_spk_rotate(bob->o, wall_ms() + DAY_MS, &c),
			 OMEMO_OK);
	assert_int_equal(c.made, 0);
	assert_int_equal(c.deleted, 6);
	assert_int_equal(sqlite3_prepare_v2(bob->db,
					    "SELECT count(*), min(id)"
					    " FROM omemo_signed_prekey",
					    -1, &s, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), 64);
	assert_int_equal(sqlite3_column_int(s, 1), 7);
	sqlite3_finalize(s);
	/* the copies carry id 1 inside: the bundle is made from row 70 */
	assert_int_equal(omemo_own_bundle(bob->o, &b), OMEMO_OK);
	spk_ids(bob, ids, sizeof(ids)); /* a long list is cut, not overrun */
}

/* A signed-prekey record that does not parse fails the rotation and
 * changes nothing; the bundle is refused rather than made without it. */
static void
test_spk_damaged(void **state)
{
	struct spk_world *w = *state;
	struct peer *bob = &w->bob;
	struct omemo_spk_change c;
	struct omemo_bundle b;
	char *before;

	assert_int_equal(sqlite3_exec(bob->db,
				      "UPDATE omemo_signed_prekey"
				      " SET record = x'0a0b0c'",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	before = peer_snapshot(bob);
	assert_int_equal(omemo_spk_rotate(bob->o,
					  wall_ms() + 400 * DAY_MS, &c),
			 OMEMO_ERR_CRYPTO);
	assert_int_equal(c.made, 0);
	assert_unchanged(bob, before);
	assert_int_not_equal(omemo_own_bundle(bob->o, &b), OMEMO_OK);
	assert_int_equal(omemo_spk_rotate(NULL, 0, &c), OMEMO_ERR_INVAL);
}

static const struct CMUnitTest spk_tests[] = {
    cmocka_unit_test_setup_teardown(test_spk_rotation, spk_setup,
				    spk_teardown),
    cmocka_unit_test_setup_teardown(test_spk_many_rows, spk_setup,
				    spk_teardown),
    cmocka_unit_test_setup_teardown(test_spk_damaged, spk_setup,
				    spk_teardown),
};

int
run_spk_tests(void)
{
	return cmocka_run_group_tests_name("omemo signed prekeys", spk_tests,
					   NULL, NULL);
}
