/*
 * test_omemo.c: unit tests for crypto/'s OMEMO library: accounts on their
 * own databases exchange bundles and messages both ways, out of order and
 * across restarts; prekeys are replaced; tampering, replays, bad bundles,
 * changed identity keys and hostile input fail without changing the store.
 */
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

#include "peer.h"
#include "test_spk.h"
#include "vectors.h"

#define ALICE "alice@example.test"
#define BOB "bob@example.test"
#define CAROL "carol@example.test"

struct world {
	char dir[64];
	struct peer alice, bob, carol;
};

static int
setup(void **state)
{
	struct world *w = calloc(1, sizeof(*w));
	char path[128];

	if (w == NULL)
		return -1;
	snprintf(w->dir, sizeof(w->dir), "/tmp/ward-omemo-XXXXXX");
	if (mkdtemp(w->dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/alice.db", w->dir);
	peer_open(&w->alice, ALICE, path);
	snprintf(path, sizeof(path), "%s/bob.db", w->dir);
	peer_open(&w->bob, BOB, path);
	peer_open(&w->carol, CAROL, NULL);
	*state = w;
	return 0;
}

static int
teardown(void **state)
{
	struct world *w = *state;
	char path[128];
	const char *const files[] = {"alice.db", "alice.db-wal", "alice.db-shm",
				     "bob.db",   "bob.db-wal",   "bob.db-shm"};
	size_t i;

	peer_close(&w->alice);
	peer_close(&w->bob);
	peer_close(&w->carol);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", w->dir, files[i]);
		unlink(path);
	}
	rmdir(w->dir);
	free(w);
	return 0;
}

static void expect_fail(struct world *w, struct omemo_message *m, int want);

/* Alice and Bob with a confirmed session (one message each way). */
static void
establish(struct world *w)
{
	assert_int_equal(peer_start(&w->alice, &w->bob), OMEMO_OK);
	peer_roundtrip(&w->alice, &w->bob, "hello bob");
	peer_roundtrip(&w->bob, &w->alice, "hello alice");
}

/* A copy of B's bundle's prekey ids, sorted as given (ascending). */
static size_t
bundle_ids(struct peer *b, uint32_t ids[OMEMO_PREKEYS])
{
	struct omemo_bundle bundle;
	size_t i;

	assert_int_equal(omemo_own_bundle(b->o, &bundle), OMEMO_OK);
	for (i = 0; i < bundle.n_prekeys; i++) {
		ids[i] = bundle.prekeys[i].id;
		if (i > 0)
			assert_true(ids[i] > ids[i - 1]); /* unique */
	}
	return bundle.n_prekeys;
}

static bool
has_id(const uint32_t *ids, size_t n, uint32_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

static void
test_open_fresh(void **state)
{
	struct world *w = *state;
	struct omemo_bundle b;
	struct omemo *other;
	char f1[OMEMO_FPR_HEX + 1], f2[OMEMO_FPR_HEX + 1];
	uint32_t ids[OMEMO_PREKEYS];
	uint32_t dev = peer_dev(&w->alice);

	assert_true(dev >= 1 && dev <= 0x7fffffffu);
	assert_int_equal(omemo_own_bundle(w->alice.o, &b), OMEMO_OK);
	assert_int_equal(b.identity_key[0], 0x05);
	assert_int_equal(b.signed_prekey[0], 0x05);
	assert_int_equal(bundle_ids(&w->alice, ids), OMEMO_PREKEYS);
	for (size_t i = 0; i < b.n_prekeys; i++)
		assert_int_equal(b.prekeys[i].pub[0], 0x05);

	/* a second account in the same database is another device */
	assert_int_equal(omemo_open(w->alice.db, "second", &other), OMEMO_OK);
	assert_int_not_equal(omemo_device_id(other), dev);
	assert_int_equal(omemo_fingerprint_own(w->alice.o, f1), OMEMO_OK);
	assert_int_equal(omemo_fingerprint_own(other, f2), OMEMO_OK);
	assert_string_not_equal(f1, f2);
	omemo_close(other);

	/* reopening finds the same keys */
	peer_reopen(&w->alice);
	assert_int_equal(peer_dev(&w->alice), dev);
	assert_int_equal(omemo_fingerprint_own(w->alice.o, f2), OMEMO_OK);
	assert_string_equal(f1, f2);

	assert_int_equal(omemo_open(NULL, "x", &other), OMEMO_ERR_INVAL);
	assert_null(other);
	assert_int_equal(omemo_open(w->alice.db, "", &other), OMEMO_ERR_INVAL);
	assert_int_equal(omemo_open(w->alice.db, NULL, &other),
			 OMEMO_ERR_INVAL);
	assert_int_equal(omemo_open(w->alice.db, "x", NULL), OMEMO_ERR_INVAL);
	omemo_close(NULL);
}

static void
test_first_exchange(void **state)
{
	struct world *w = *state;
	struct omemo_message m;
	uint32_t before[OMEMO_PREKEYS], after[OMEMO_PREKEYS], gone = 0;
	size_t i, n_gone = 0, n_new = 0;
	char *plain;
	bool changed;

	assert_false(omemo_has_session(w->alice.o, BOB, peer_dev(&w->bob)));
	assert_int_equal(bundle_ids(&w->bob, before), OMEMO_PREKEYS);
	assert_int_equal(peer_start(&w->alice, &w->bob), OMEMO_OK);
	assert_true(omemo_has_session(w->alice.o, BOB, peer_dev(&w->bob)));

	peer_send(&w->alice, &w->bob, "first", &m);
	assert_true(m.keys[0].prekey);
	assert_int_equal(m.payload_len, 5);
	assert_int_equal(peer_recv(&w->bob, &w->alice, &m, &plain, &changed),
			 OMEMO_OK);
	assert_string_equal(plain, "first");
	assert_true(changed);
	free(plain);
	omemo_message_free(&m);
	assert_true(omemo_has_session(w->bob.o, ALICE, peer_dev(&w->alice)));

	/* one prekey used up, one new id above all earlier ones */
	assert_int_equal(bundle_ids(&w->bob, after), OMEMO_PREKEYS);
	for (i = 0; i < OMEMO_PREKEYS; i++) {
		if (!has_id(after, OMEMO_PREKEYS, before[i])) {
			n_gone++;
			gone = before[i];
		}
		if (!has_id(before, OMEMO_PREKEYS, after[i])) {
			n_new++;
			assert_true(after[i] > before[OMEMO_PREKEYS - 1]);
		}
	}
	assert_int_equal(n_gone, 1);
	assert_int_equal(n_new, 1);
	assert_true(gone != 0);

	/* Bob's answer is a plain SignalMessage and confirms the session */
	peer_send(&w->bob, &w->alice, "reply", &m);
	assert_false(m.keys[0].prekey);
	assert_int_equal(peer_recv(&w->alice, &w->bob, &m, &plain, &changed),
			 OMEMO_OK);
	assert_false(changed);
	assert_string_equal(plain, "reply");
	free(plain);
	omemo_message_free(&m);

	peer_send(&w->alice, &w->bob, "third", &m);
	assert_false(m.keys[0].prekey);
	omemo_message_free(&m);
}

/* Alice writes three times before Bob is online: three prekey messages
 * on one base key, read out of order; only the first read uses a prekey. */
static void
test_several_prekey_messages(void **state)
{
	struct world *w = *state;
	struct omemo_message m[3];
	static const int order[3] = {2, 0, 1};
	char text[32], *plain;
	bool changed;
	int i;

	assert_int_equal(peer_start(&w->alice, &w->bob), OMEMO_OK);
	for (i = 0; i < 3; i++) {
		snprintf(text, sizeof(text), "offline %d", i);
		peer_send(&w->alice, &w->bob, text, &m[i]);
		assert_true(m[i].keys[0].prekey);
	}
	for (i = 0; i < 3; i++) {
		snprintf(text, sizeof(text), "offline %d", order[i]);
		assert_int_equal(peer_recv(&w->bob, &w->alice, &m[order[i]],
					   &plain, &changed),
				 OMEMO_OK);
		assert_string_equal(plain, text);
		assert_true(changed == (i == 0));
		free(plain);
	}
	for (i = 0; i < 3; i++) {
		expect_fail(w, &m[i], OMEMO_ERR_DUPLICATE);
		omemo_message_free(&m[i]);
	}
	peer_roundtrip(&w->bob, &w->alice, "back online");
	peer_roundtrip(&w->alice, &w->bob, "good");
}

/* Alice starts a new session while messages of the old one are still on
 * their way: Bob reads the new one, then the old ones (archived state). */
static void
test_session_restart(void **state)
{
	struct world *w = *state;
	struct omemo_message old, fresh;
	char *plain;
	bool changed;

	establish(w);
	peer_send(&w->alice, &w->bob, "old session", &old);
	assert_int_equal(peer_start(&w->alice, &w->bob), OMEMO_OK);
	peer_send(&w->alice, &w->bob, "new session", &fresh);
	assert_true(fresh.keys[0].prekey);
	assert_int_equal(
	    peer_recv(&w->bob, &w->alice, &fresh, &plain, &changed), OMEMO_OK);
	assert_string_equal(plain, "new session");
	assert_true(changed);
	free(plain);
	assert_int_equal(peer_recv(&w->bob, &w->alice, &old, &plain, NULL),
			 OMEMO_OK);
	assert_string_equal(plain, "old session");
	free(plain);
	omemo_message_free(&old);
	omemo_message_free(&fresh);
	peer_roundtrip(&w->bob, &w->alice, "on the new one");
	peer_roundtrip(&w->alice, &w->bob, "yes");
}

static void
test_many_messages(void **state)
{
	struct world *w = *state;
	char text[128];
	int i, k;

	establish(w);
	for (i = 0; i < 300; i++) {
		snprintf(text, sizeof(text), "message %d from alice", i);
		peer_roundtrip(&w->alice, &w->bob, text);
		if (i % 3 == 0) {
			/* a burst the other way: the ratchet turns */
			for (k = 0; k < 4; k++) {
				snprintf(text, sizeof(text), "bob %d.%d", i, k);
				peer_roundtrip(&w->bob, &w->alice, text);
			}
		}
	}
}

static void
test_out_of_order(void **state)
{
	struct world *w = *state;
	enum { N = 25 };
	static const int order[N] = {24, 0,  12, 5,  6,  23, 1,  2,  3,
				     4,  7,  8,  22, 9,  10, 11, 13, 21,
				     14, 15, 16, 20, 17, 19, 18};
	struct omemo_message m[N];
	char text[32], *plain;
	int i;

	establish(w);
	for (i = 0; i < N; i++) {
		snprintf(text, sizeof(text), "ooo %d", i);
		peer_send(&w->alice, &w->bob, text, &m[i]);
	}
	for (i = 0; i < N; i++) {
		snprintf(text, sizeof(text), "ooo %d", order[i]);
		assert_int_equal(
		    peer_recv(&w->bob, &w->alice, &m[order[i]], &plain, NULL),
		    OMEMO_OK);
		assert_string_equal(plain, text);
		free(plain);
	}
	/* each again: a replay */
	for (i = 0; i < N; i++) {
		assert_int_equal(
		    peer_recv(&w->bob, &w->alice, &m[i], &plain, NULL),
		    OMEMO_ERR_DUPLICATE);
		omemo_message_free(&m[i]);
	}
	peer_roundtrip(&w->bob, &w->alice, "still fine");
}

/* Sends N messages Alice -> Bob that Bob never sees. */
static void
lose(struct world *w, int n)
{
	struct omemo_message m;

	while (n-- > 0) {
		peer_send(&w->alice, &w->bob, "lost", &m);
		omemo_message_free(&m);
	}
}

static void
test_skip_window(void **state)
{
	struct world *w = *state;
	struct omemo_message m;
	char *plain, *snap;

	establish(w);
	/* 1,000 lost messages: the next one still decrypts */
	lose(w, 1000);
	peer_roundtrip(&w->alice, &w->bob, "after a gap");
	/* more than libsignal's 2,000 skipped keys: refused, nothing kept */
	lose(w, 2001);
	peer_send(&w->alice, &w->bob, "too far", &m);
	snap = peer_snapshot(&w->bob);
	assert_int_not_equal(peer_recv(&w->bob, &w->alice, &m, &plain, NULL),
			     OMEMO_OK);
	assert_unchanged(&w->bob, snap);
	omemo_message_free(&m);
}

static void
test_key_transport(void **state)
{
	struct world *w = *state;
	struct omemo_message m;
	char *plain = (char *)"x";
	bool changed;

	/* the usual way to start a session: an empty key transport */
	assert_int_equal(peer_start(&w->alice, &w->bob), OMEMO_OK);
	peer_send(&w->alice, &w->bob, NULL, &m);
	assert_null(m.payload);
	assert_int_equal(m.payload_len, 0);
	assert_true(m.keys[0].prekey);
	assert_int_equal(peer_recv(&w->bob, &w->alice, &m, &plain, &changed),
			 OMEMO_OK);
	assert_null(plain);
	assert_true(changed);
	omemo_message_free(&m);
	peer_roundtrip(&w->bob, &w->alice, "got your key");
	peer_send(&w->alice, &w->bob, NULL, &m);
	assert_false(m.keys[0].prekey);
	assert_int_equal(peer_recv(&w->bob, &w->alice, &m, &plain, &changed),
			 OMEMO_OK);
	assert_null(plain);
	assert_false(changed);
	omemo_message_free(&m);
}

static void
test_prekey_replacement(void **state)
{
	struct world *w = *state;
	enum { PEERS = 6 };
	static const char *const jids[PEERS] = {
	    "p0@example.test", "p1@example.test", "p2@example.test",
	    "p3@example.test", "p4@example.test", "p5@example.test"};
	struct peer p[PEERS];
	uint32_t ever[OMEMO_PREKEYS + 2 * PEERS], ids[OMEMO_PREKEYS];
	size_t n_ever, i, k;
	struct omemo_message m;
	char *plain;
	bool changed;

	n_ever = bundle_ids(&w->bob, ever);
	for (i = 0; i < PEERS; i++) {
		peer_open(&p[i], jids[i], NULL);
		assert_int_equal(peer_start(&p[i], &w->bob), OMEMO_OK);
		peer_send(&p[i], &w->bob, "hi", &m);
		assert_int_equal(
		    peer_recv(&w->bob, &p[i], &m, &plain, &changed), OMEMO_OK);
		assert_true(changed);
		free(plain);
		omemo_message_free(&m);
		if (i == PEERS / 2)
			peer_reopen(&w->bob); /* ids go on after a restart */
		assert_int_equal(bundle_ids(&w->bob, ids), OMEMO_PREKEYS);
		/* exactly one id we never saw: the new one */
		for (k = 0; k < OMEMO_PREKEYS; k++)
			if (!has_id(ever, n_ever, ids[k]))
				ever[n_ever++] = ids[k];
		assert_int_equal(n_ever, OMEMO_PREKEYS + i + 1);
	}
	for (i = 0; i < PEERS; i++)
		peer_close(&p[i]);
}

static void
test_persistence(void **state)
{
	struct world *w = *state;
	struct omemo_message m;
	char fa[OMEMO_FPR_HEX + 1], fb[OMEMO_FPR_HEX + 1];
	char fa2[OMEMO_FPR_HEX + 1], fb2[OMEMO_FPR_HEX + 1];
	uint32_t da = peer_dev(&w->alice), db = peer_dev(&w->bob);
	char *plain;

	establish(w);
	peer_send(&w->alice, &w->bob, "in flight over a restart", &m);
	assert_int_equal(omemo_fingerprint_own(w->alice.o, fa), OMEMO_OK);
	assert_int_equal(omemo_fingerprint_peer(w->bob.o, ALICE, da, fb),
			 OMEMO_OK);
	peer_reopen(&w->alice);
	peer_reopen(&w->bob);
	assert_int_equal(peer_dev(&w->alice), da);
	assert_int_equal(peer_dev(&w->bob), db);
	assert_int_equal(omemo_fingerprint_own(w->alice.o, fa2), OMEMO_OK);
	assert_int_equal(omemo_fingerprint_peer(w->bob.o, ALICE, da, fb2),
			 OMEMO_OK);
	assert_string_equal(fa, fa2);
	assert_string_equal(fb, fb2);
	assert_true(omemo_has_session(w->alice.o, BOB, db));
	assert_int_equal(peer_recv(&w->bob, &w->alice, &m, &plain, NULL),
			 OMEMO_OK);
	assert_string_equal(plain, "in flight over a restart");
	free(plain);
	omemo_message_free(&m);
	peer_roundtrip(&w->bob, &w->alice, "after restart");
	peer_roundtrip(&w->alice, &w->bob, "after restart too");
}

/* Decrypts M at B after CHANGE; expects an error WANT (0: any error) and
 * an unchanged store. */
static void
expect_fail(struct world *w, struct omemo_message *m, int want)
{
	char *snap = peer_snapshot(&w->bob), *plain = (char *)"x";
	int rc = peer_recv(&w->bob, &w->alice, m, &plain, NULL);

	if (want != 0)
		assert_int_equal(rc, want);
	else
		assert_true(rc < 0);
	assert_null(plain);
	assert_unchanged(&w->bob, snap);
}

/* Flips bit BIT of byte I of BUF, runs expect_fail, flips it back. */
static void
flip_fail(struct world *w, struct omemo_message *m, uint8_t *buf, size_t i,
	  int bit, int want)
{
	buf[i] ^= (uint8_t)(1u << bit);
	expect_fail(w, m, want);
	buf[i] ^= (uint8_t)(1u << bit);
}

/*
 * Every kind of tampering with M fails and changes nothing; then the
 * genuine M decrypts. A PreKeySignalMessage carries fields outside the
 * MAC (the registration id, unused by OMEMO), so only its middle byte is
 * flipped; a SignalMessage is flipped and truncated everywhere.
 */
static void
tamper_all(struct world *w, struct omemo_message *m)
{
	struct omemo_key *k = &m->keys[0];
	char *plain;
	size_t i, len;

	flip_fail(w, m, m->payload, 0, 0, OMEMO_ERR_AUTH);
	flip_fail(w, m, m->payload, m->payload_len - 1, 7, OMEMO_ERR_AUTH);
	flip_fail(w, m, m->iv, 3, 2, OMEMO_ERR_AUTH);
	/* a shorter payload */
	m->payload_len--;
	expect_fail(w, m, OMEMO_ERR_AUTH);
	m->payload_len++;
	flip_fail(w, m, k->data, k->len / 2, 3, 0);
	if (k->prekey)
		goto genuine;
	/* the last 8 bytes of a SignalMessage are its MAC */
	flip_fail(w, m, k->data, k->len - 1, 0, OMEMO_ERR_AUTH);
	flip_fail(w, m, k->data, k->len - 8, 4, OMEMO_ERR_AUTH);
	/* any byte of the key message: some error, never success */
	for (i = 0; i < k->len; i++)
		flip_fail(w, m, k->data, i, (int)(i % 8), 0);
	/* truncated key message */
	len = k->len;
	for (k->len = 0; k->len < len; k->len += 7)
		expect_fail(w, m, 0);
	k->len = len;
genuine:
	assert_int_equal(peer_recv(&w->bob, &w->alice, m, &plain, NULL),
			 OMEMO_OK);
	assert_string_equal(plain, "tamper with me");
	free(plain);
}

static void
test_tamper(void **state)
{
	struct world *w = *state;
	struct omemo_message m;

	establish(w);
	peer_send(&w->alice, &w->bob, "tamper with me", &m);
	tamper_all(w, &m);
	expect_fail(w, &m, OMEMO_ERR_DUPLICATE);
	omemo_message_free(&m);
	peer_roundtrip(&w->alice, &w->bob, "next");
}

/* The first message, a PreKeySignalMessage: a tampered copy must not
 * leave a session, an identity or a used-up prekey behind. */
static void
test_tamper_prekey_message(void **state)
{
	struct world *w = *state;
	struct omemo_message m;
	enum omemo_trust t;

	assert_int_equal(peer_start(&w->alice, &w->bob), OMEMO_OK);
	peer_send(&w->alice, &w->bob, "tamper with me", &m);
	assert_true(m.keys[0].prekey);
	tamper_all(w, &m);
	assert_int_equal(
	    omemo_trust_get(w->bob.o, ALICE, peer_dev(&w->alice), &t),
	    OMEMO_OK);
	expect_fail(w, &m, OMEMO_ERR_DUPLICATE);
	omemo_message_free(&m);
	peer_roundtrip(&w->bob, &w->alice, "answer");
}

static void
test_replay(void **state)
{
	struct world *w = *state;
	struct omemo_message first, later;
	char *plain;

	assert_int_equal(peer_start(&w->alice, &w->bob), OMEMO_OK);
	peer_send(&w->alice, &w->bob, "first", &first);
	assert_int_equal(peer_recv(&w->bob, &w->alice, &first, &plain, NULL),
			 OMEMO_OK);
	free(plain);
	expect_fail(w, &first, OMEMO_ERR_DUPLICATE);
	peer_roundtrip(&w->bob, &w->alice, "confirm");
	peer_send(&w->alice, &w->bob, "later", &later);
	assert_int_equal(peer_recv(&w->bob, &w->alice, &later, &plain, NULL),
			 OMEMO_OK);
	free(plain);
	expect_fail(w, &later, OMEMO_ERR_DUPLICATE);
	expect_fail(w, &first, OMEMO_ERR_DUPLICATE);
	omemo_message_free(&first);
	omemo_message_free(&later);
}

static void
test_bad_signature(void **state)
{
	struct world *w = *state;
	struct omemo_bundle b;
	char *snap;

	assert_int_equal(omemo_own_bundle(w->bob.o, &b), OMEMO_OK);
	snap = peer_snapshot(&w->alice);
	b.signed_prekey_sig[10] ^= 0x20;
	assert_int_equal(
	    omemo_session_start(w->alice.o, BOB, peer_dev(&w->bob), &b),
	    OMEMO_ERR_AUTH);
	b.signed_prekey_sig[10] ^= 0x20;
	b.signed_prekey[7] ^= 0x01;
	assert_int_equal(
	    omemo_session_start(w->alice.o, BOB, peer_dev(&w->bob), &b),
	    OMEMO_ERR_AUTH);
	b.signed_prekey[7] ^= 0x01;
	/* another identity key than the one that signed */
	b.identity_key[31] ^= 0x40;
	assert_int_equal(
	    omemo_session_start(w->alice.o, BOB, peer_dev(&w->bob), &b),
	    OMEMO_ERR_AUTH);
	b.identity_key[31] ^= 0x40;
	assert_unchanged(&w->alice, snap);
	assert_false(omemo_has_session(w->alice.o, BOB, peer_dev(&w->bob)));
	assert_int_equal(
	    omemo_session_start(w->alice.o, BOB, peer_dev(&w->bob), &b),
	    OMEMO_OK);
}

static void
test_identity_change(void **state)
{
	struct world *w = *state;
	struct omemo_bundle carols;
	struct omemo_message m;
	uint32_t db = peer_dev(&w->bob);
	enum omemo_trust t;
	char *snap, *plain;

	establish(w);
	assert_int_equal(
	    omemo_trust_set(w->alice.o, BOB, db, OMEMO_TRUST_VERIFIED),
	    OMEMO_OK);
	/* Bob's device id now comes with Carol's keys */
	assert_int_equal(omemo_own_bundle(w->carol.o, &carols), OMEMO_OK);
	snap = peer_snapshot(&w->alice);
	assert_int_equal(omemo_session_start(w->alice.o, BOB, db, &carols),
			 OMEMO_ERR_UNTRUSTED);
	assert_unchanged(&w->alice, snap);

	/* a prekey message claiming to be Bob's device, with Carol's key */
	assert_int_equal(peer_start(&w->carol, &w->alice), OMEMO_OK);
	peer_send(&w->carol, &w->alice, "i am bob", &m);
	m.sid = db;
	snap = peer_snapshot(&w->alice);
	assert_int_equal(peer_recv(&w->alice, &w->bob, &m, &plain, NULL),
			 OMEMO_ERR_UNTRUSTED);
	assert_unchanged(&w->alice, snap);
	omemo_message_free(&m);
	peer_roundtrip(&w->bob, &w->alice, "the real bob");

	/* accepting the change: forget the device, then it is new */
	assert_int_equal(omemo_forget_device(w->alice.o, BOB, db), OMEMO_OK);
	assert_false(omemo_has_session(w->alice.o, BOB, db));
	assert_int_equal(omemo_trust_get(w->alice.o, BOB, db, &t),
			 OMEMO_ERR_NOSESSION);
	assert_int_equal(omemo_session_start(w->alice.o, BOB, db, &carols),
			 OMEMO_OK);
	assert_int_equal(omemo_trust_get(w->alice.o, BOB, db, &t), OMEMO_OK);
	assert_int_equal(t, OMEMO_TRUST_UNDECIDED);
}

static void
test_trust(void **state)
{
	struct world *w = *state;
	uint32_t db = peer_dev(&w->bob), *ids;
	enum omemo_trust t;
	size_t n;

	assert_int_equal(omemo_trust_get(w->alice.o, BOB, db, &t),
			 OMEMO_ERR_NOSESSION);
	assert_int_equal(
	    omemo_trust_set(w->alice.o, BOB, db, OMEMO_TRUST_BLIND),
	    OMEMO_ERR_NOSESSION);
	assert_int_equal(omemo_known_devices(w->alice.o, BOB, &ids, &n),
			 OMEMO_OK);
	assert_int_equal(n, 0);
	assert_null(ids);

	establish(w);
	/* both sides saw the other: undecided */
	assert_int_equal(omemo_trust_get(w->alice.o, BOB, db, &t), OMEMO_OK);
	assert_int_equal(t, OMEMO_TRUST_UNDECIDED);
	assert_int_equal(
	    omemo_trust_get(w->bob.o, ALICE, peer_dev(&w->alice), &t),
	    OMEMO_OK);
	assert_int_equal(t, OMEMO_TRUST_UNDECIDED);
	for (int v = OMEMO_TRUST_BLIND; v <= OMEMO_TRUST_UNTRUSTED; v++) {
		assert_int_equal(
		    omemo_trust_set(w->alice.o, BOB, db, (enum omemo_trust)v),
		    OMEMO_OK);
		assert_int_equal(omemo_trust_get(w->alice.o, BOB, db, &t),
				 OMEMO_OK);
		assert_int_equal(t, v);
	}
	assert_int_equal(
	    omemo_trust_set(w->alice.o, BOB, db, OMEMO_TRUST_VERIFIED),
	    OMEMO_OK);
	assert_int_equal(
	    omemo_trust_set(w->alice.o, BOB, db, (enum omemo_trust)7),
	    OMEMO_ERR_INVAL);
	assert_int_equal(
	    omemo_trust_set(w->alice.o, BOB, db, (enum omemo_trust) - 1),
	    OMEMO_ERR_INVAL);
	assert_int_equal(omemo_trust_get(w->alice.o, BOB, 0, &t),
			 OMEMO_ERR_INVAL);
	/* kept across a restart, and a session restart keeps it */
	peer_reopen(&w->alice);
	assert_int_equal(omemo_trust_get(w->alice.o, BOB, db, &t), OMEMO_OK);
	assert_int_equal(t, OMEMO_TRUST_VERIFIED);
	assert_int_equal(peer_start(&w->alice, &w->bob), OMEMO_OK);
	assert_int_equal(omemo_trust_get(w->alice.o, BOB, db, &t), OMEMO_OK);
	assert_int_equal(t, OMEMO_TRUST_VERIFIED);
	assert_int_equal(omemo_known_devices(w->alice.o, BOB, &ids, &n),
			 OMEMO_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], db);
	free(ids);
}

static void
test_fingerprints(void **state)
{
	struct world *w = *state;
	struct omemo_bundle b;
	char own[OMEMO_FPR_HEX + 1], seen[OMEMO_FPR_HEX + 1];
	char mine[OMEMO_FPR_HEX + 1];
	size_t i;

	assert_int_equal(
	    omemo_fingerprint_peer(w->alice.o, BOB, peer_dev(&w->bob), seen),
	    OMEMO_ERR_NOSESSION);
	establish(w);
	assert_int_equal(omemo_fingerprint_own(w->bob.o, own), OMEMO_OK);
	assert_int_equal(
	    omemo_fingerprint_peer(w->alice.o, BOB, peer_dev(&w->bob), seen),
	    OMEMO_OK);
	assert_int_equal(strlen(own), OMEMO_FPR_HEX);
	assert_string_equal(own, seen);
	for (i = 0; i < OMEMO_FPR_HEX; i++)
		assert_non_null(strchr("0123456789abcdef", own[i]));
	/* the hex of the identity key without its 0x05 */
	assert_int_equal(omemo_own_bundle(w->bob.o, &b), OMEMO_OK);
	for (i = 0; i < 32; i++)
		snprintf(mine + 2 * i, 3, "%02x", b.identity_key[i + 1]);
	assert_string_equal(own, mine);
	assert_int_equal(
	    omemo_fingerprint_peer(w->bob.o, ALICE, peer_dev(&w->alice), seen),
	    OMEMO_OK);
	assert_int_equal(omemo_fingerprint_own(w->alice.o, own), OMEMO_OK);
	assert_string_equal(own, seen);
	assert_string_not_equal(own, mine);
}

static void
test_three_devices(void **state)
{
	struct world *w = *state;
	struct peer bob2, *to[3];
	struct omemo_message m;
	uint32_t *ids;
	size_t n, i;
	char *plain;

	peer_open(&bob2, BOB, NULL); /* Bob's second device */
	to[0] = &w->bob;
	to[1] = &bob2;
	to[2] = &w->carol;
	for (i = 0; i < 3; i++)
		assert_int_equal(peer_start(&w->alice, to[i]), OMEMO_OK);
	for (i = 0; i < 3; i++) {
		peer_send_many(&w->alice, to, 3, "to all three", &m);
		for (size_t k = 0; k < 3; k++) {
			assert_int_equal(
			    peer_recv(to[k], &w->alice, &m, &plain, NULL),
			    OMEMO_OK);
			assert_string_equal(plain, "to all three");
			free(plain);
		}
		omemo_message_free(&m);
	}
	assert_int_equal(omemo_known_devices(w->alice.o, BOB, &ids, &n),
			 OMEMO_OK);
	assert_int_equal(n, 2);
	assert_true(ids[0] < ids[1]);
	assert_true(has_id(ids, n, peer_dev(&w->bob)));
	assert_true(has_id(ids, n, peer_dev(&bob2)));
	free(ids);
	peer_close(&bob2);
}

static void
test_encrypt_skips(void **state)
{
	struct world *w = *state;
	struct omemo_addr to[3] = {{CAROL, peer_dev(&w->carol)},
				   {BOB, peer_dev(&w->bob)},
				   {"nobody@example.test", 42}};
	struct omemo_message m;
	char *snap;

	assert_int_equal(peer_start(&w->alice, &w->bob), OMEMO_OK);
	assert_int_equal(
	    omemo_encrypt(w->alice.o, (const uint8_t *)"x", 1, to, 3, &m),
	    OMEMO_OK);
	assert_int_equal(m.n_keys, 1);
	assert_string_equal(m.keys[0].jid, BOB);
	omemo_message_free(&m);
	/* a device listed twice gets one key */
	to[0] = to[1];
	assert_int_equal(
	    omemo_encrypt(w->alice.o, (const uint8_t *)"x", 1, to, 2, &m),
	    OMEMO_OK);
	assert_int_equal(m.n_keys, 1);
	omemo_message_free(&m);
	to[0] = (struct omemo_addr){CAROL, peer_dev(&w->carol)};

	snap = peer_snapshot(&w->alice);
	assert_int_equal(
	    omemo_encrypt(w->alice.o, (const uint8_t *)"x", 1, to, 1, &m),
	    OMEMO_ERR_NOSESSION);
	assert_int_equal(m.n_keys, 0);
	assert_null(m.keys);
	assert_null(m.payload);
	assert_int_equal(
	    omemo_encrypt(w->alice.o, (const uint8_t *)"x", 1, to, 0, &m),
	    OMEMO_ERR_INVAL);
	assert_int_equal(omemo_encrypt(w->alice.o, NULL, 3, to, 2, &m),
			 OMEMO_ERR_INVAL);
	assert_int_equal(omemo_encrypt(w->alice.o, (const uint8_t *)"x",
				       OMEMO_PAYLOAD_MAX + 1, to, 2, &m),
			 OMEMO_ERR_INVAL);
	to[2].device = 0;
	assert_int_equal(
	    omemo_encrypt(w->alice.o, (const uint8_t *)"x", 1, to, 3, &m),
	    OMEMO_ERR_INVAL);
	to[2].device = 0x80000000u;
	assert_int_equal(
	    omemo_encrypt(w->alice.o, (const uint8_t *)"x", 1, to, 3, &m),
	    OMEMO_ERR_INVAL);
	to[2].jid = NULL;
	to[2].device = 1;
	assert_int_equal(
	    omemo_encrypt(w->alice.o, (const uint8_t *)"x", 1, to, 3, &m),
	    OMEMO_ERR_INVAL);
	assert_int_equal(
	    omemo_encrypt(NULL, (const uint8_t *)"x", 1, to, 1, &m),
	    OMEMO_ERR_INVAL);
	assert_int_equal(
	    omemo_encrypt(w->alice.o, (const uint8_t *)"x", 1, to, 1, NULL),
	    OMEMO_ERR_INVAL);
	assert_unchanged(&w->alice, snap);

	/* an empty chat message is not a key transport */
	assert_int_equal(
	    omemo_encrypt(w->alice.o, (const uint8_t *)"", 0, &to[1], 1, &m),
	    OMEMO_OK);
	assert_non_null(m.payload);
	assert_int_equal(m.payload_len, 0);
	omemo_message_free(&m);
}

/* Old senders: 16 bytes of key material, the tag at the payload's end. */
static void
test_tag_in_payload(void **state)
{
	struct world *w = *state;
	struct vec_msg v;
	char *snap, *plain;
	int rc;

	establish(w);
	vec_legacy_message(w->alice.o, BOB, peer_dev(&w->bob),
			   "from an old client", false, 16, &v);
	snap = peer_snapshot(&w->bob);
	v.payload[v.payload_len - 1] ^= 1; /* the tag */
	assert_int_equal(vec_deliver(w->bob.o, ALICE, &v, &plain),
			 OMEMO_ERR_AUTH);
	v.payload[v.payload_len - 1] ^= 1;
	v.payload[0] ^= 1;
	assert_int_equal(vec_deliver(w->bob.o, ALICE, &v, &plain),
			 OMEMO_ERR_AUTH);
	v.payload[0] ^= 1;
	v.payload_len = 15; /* shorter than a tag */
	assert_int_equal(vec_deliver(w->bob.o, ALICE, &v, &plain),
			 OMEMO_ERR_INVAL);
	v.payload_len = v.payload_cap;
	assert_unchanged(&w->bob, snap);
	rc = vec_deliver(w->bob.o, ALICE, &v, &plain);
	assert_int_equal(rc, OMEMO_OK);
	assert_string_equal(plain, "from an old client");
	free(plain);
	vec_msg_free(&v);

	/* and a 16-byte IV */
	vec_legacy_message(w->alice.o, BOB, peer_dev(&w->bob), "long iv", false,
			   16, &v);
	v.iv_len = 16;
	vec_legacy_reencrypt(&v, "long iv");
	assert_int_equal(vec_deliver(w->bob.o, ALICE, &v, &plain), OMEMO_OK);
	assert_string_equal(plain, "long iv");
	free(plain);
	vec_msg_free(&v);

	/* 32 bytes whose tag half is wrong */
	vec_legacy_message(w->alice.o, BOB, peer_dev(&w->bob), "bad tag", true,
			   32, &v);
	snap = peer_snapshot(&w->bob);
	assert_int_equal(vec_deliver(w->bob.o, ALICE, &v, &plain),
			 OMEMO_ERR_AUTH);
	assert_unchanged(&w->bob, snap);
	vec_msg_free(&v);
	/* key material of another length */
	vec_legacy_message(w->alice.o, BOB, peer_dev(&w->bob), "odd", false, 24,
			   &v);
	snap = peer_snapshot(&w->bob);
	assert_int_equal(vec_deliver(w->bob.o, ALICE, &v, &plain),
			 OMEMO_ERR_INVAL);
	assert_unchanged(&w->bob, snap);
	vec_msg_free(&v);
	peer_roundtrip(&w->alice, &w->bob, "still in step");
}

/* Decrypts IN at Bob and checks the error and the unchanged store. */
static void
hostile(struct world *w, const struct omemo_received *in, int want)
{
	char *snap = peer_snapshot(&w->bob);
	uint8_t *plain = (uint8_t *)"x";
	size_t len = 9;
	bool changed = true;
	int rc = omemo_decrypt(w->bob.o, in, &plain, &len, &changed);

	if (want != 0)
		assert_int_equal(rc, want);
	else
		assert_true(rc < 0);
	assert_null(plain);
	assert_int_equal(len, 0);
	assert_false(changed);
	assert_unchanged(&w->bob, snap);
}

static void
test_hostile_decrypt(void **state)
{
	struct world *w = *state;
	struct omemo_message m;
	struct omemo_received in;
	uint8_t junk[600], *plain;
	size_t i, len;

	establish(w);
	peer_send(&w->alice, &w->bob, "hostile", &m);
	in = (struct omemo_received){ALICE,         m.sid,     m.keys[0].data,
				     m.keys[0].len, false,     m.iv,
				     OMEMO_IV_LEN,  m.payload, m.payload_len};
	in.key = NULL;
	hostile(w, &in, OMEMO_ERR_NOKEY);
	in.key = m.keys[0].data;
	in.key_len = 0;
	hostile(w, &in, OMEMO_ERR_NOKEY);
	in.key_len = m.keys[0].len;
	for (len = 0; len <= 20; len++) {
		if (len == 12 || len == 16)
			continue;
		in.iv_len = len;
		hostile(w, &in, OMEMO_ERR_INVAL);
	}
	in.iv_len = OMEMO_IV_LEN;
	in.iv = NULL;
	hostile(w, &in, OMEMO_ERR_INVAL);
	in.iv = m.iv;
	in.payload_len = OMEMO_PAYLOAD_MAX + 17; /* never read: refused */
	hostile(w, &in, OMEMO_ERR_INVAL);
	in.payload_len = m.payload_len;
	in.sid = 0;
	hostile(w, &in, OMEMO_ERR_INVAL);
	in.sid = 0x80000000u;
	hostile(w, &in, OMEMO_ERR_INVAL);
	in.sid = m.sid + 1; /* a device we have no session with */
	hostile(w, &in, OMEMO_ERR_NOSESSION);
	in.sid = m.sid;
	in.from_jid = "";
	hostile(w, &in, OMEMO_ERR_INVAL);
	in.from_jid = CAROL;
	hostile(w, &in, OMEMO_ERR_NOSESSION);
	in.from_jid = ALICE;
	in.prekey = true; /* a SignalMessage said to be a prekey message */
	hostile(w, &in, 0);
	in.prekey = false;

	/* junk as key material, both kinds */
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)(i * 37 + 11);
	in.key = junk;
	for (len = 1; len < sizeof(junk); len += 53) {
		in.key_len = len;
		in.prekey = false;
		hostile(w, &in, 0);
		in.prekey = true;
		hostile(w, &in, 0);
	}
	in.key_len = 1025;
	hostile(w, &in, OMEMO_ERR_INVAL);
	/* the right version byte, then junk */
	junk[0] = 0x33;
	in.key_len = 100;
	hostile(w, &in, 0);
	in.prekey = false;
	hostile(w, &in, 0);

	assert_int_equal(omemo_decrypt(NULL, &in, &plain, &len, NULL),
			 OMEMO_ERR_INVAL);
	assert_int_equal(omemo_decrypt(w->bob.o, NULL, &plain, &len, NULL),
			 OMEMO_ERR_INVAL);
	assert_int_equal(omemo_decrypt(w->bob.o, &in, NULL, &len, NULL),
			 OMEMO_ERR_INVAL);
	assert_int_equal(omemo_decrypt(w->bob.o, &in, &plain, NULL, NULL),
			 OMEMO_ERR_INVAL);

	/* after all that, the genuine message */
	in = (struct omemo_received){ALICE,         m.sid,     m.keys[0].data,
				     m.keys[0].len, false,     m.iv,
				     OMEMO_IV_LEN,  m.payload, m.payload_len};
	assert_int_equal(omemo_decrypt(w->bob.o, &in, &plain, &len, NULL),
			 OMEMO_OK);
	assert_string_equal((char *)plain, "hostile");
	free(plain);
	omemo_message_free(&m);
}

static void
test_hostile_bundle(void **state)
{
	struct world *w = *state;
	struct omemo_bundle b, good;
	uint32_t db = peer_dev(&w->bob);
	char *snap = peer_snapshot(&w->alice);
	size_t i;

	assert_int_equal(omemo_own_bundle(w->bob.o, &good), OMEMO_OK);
	b = good;
	b.identity_key[0] = 0x06;
	assert_int_equal(omemo_session_start(w->alice.o, BOB, db, &b),
			 OMEMO_ERR_INVAL);
	b = good;
	b.signed_prekey[0] = 0x00;
	assert_int_equal(omemo_session_start(w->alice.o, BOB, db, &b),
			 OMEMO_ERR_INVAL);
	b = good;
	for (i = 0; i < b.n_prekeys; i++)
		b.prekeys[i].pub[0] = 0xff;
	assert_int_equal(omemo_session_start(w->alice.o, BOB, db, &b),
			 OMEMO_ERR_INVAL);
	b = good;
	b.n_prekeys = 0;
	assert_int_equal(omemo_session_start(w->alice.o, BOB, db, &b),
			 OMEMO_ERR_INVAL);
	b.n_prekeys = OMEMO_PREKEYS + 1;
	assert_int_equal(omemo_session_start(w->alice.o, BOB, db, &b),
			 OMEMO_ERR_INVAL);
	b.n_prekeys = (size_t)-1;
	assert_int_equal(omemo_session_start(w->alice.o, BOB, db, &b),
			 OMEMO_ERR_INVAL);
	assert_int_equal(omemo_session_start(w->alice.o, NULL, db, &good),
			 OMEMO_ERR_INVAL);
	assert_int_equal(omemo_session_start(w->alice.o, BOB, 0, &good),
			 OMEMO_ERR_INVAL);
	assert_int_equal(omemo_session_start(w->alice.o, BOB, db, NULL),
			 OMEMO_ERR_INVAL);
	assert_int_equal(omemo_session_start(NULL, BOB, db, &good),
			 OMEMO_ERR_INVAL);
	/* all-zero keys: a low-order point, signature cannot verify */
	memset(&b, 0, sizeof(b));
	b.identity_key[0] = b.signed_prekey[0] = 0x05;
	b.n_prekeys = 1;
	b.prekeys[0].pub[0] = 0x05;
	assert_true(omemo_session_start(w->alice.o, BOB, db, &b) < 0);
	assert_unchanged(&w->alice, snap);
	assert_int_equal(omemo_session_start(w->alice.o, BOB, db, &good),
			 OMEMO_OK);
}

static void
test_strerror(void **state)
{
	int e;

	for (e = OMEMO_ERR_NOPREKEY; e <= OMEMO_OK; e++) {
		assert_non_null(omemo_strerror(e));
		if (e != OMEMO_OK)
			assert_string_not_equal(omemo_strerror(e),
						omemo_strerror(e + 1));
	}
	assert_string_equal(omemo_strerror(-1000), "unknown OMEMO error");
}

#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vector_gcm),
	    cmocka_unit_test(test_vector_provider),
	    cmocka_unit_test(test_strerror),
	    T(test_open_fresh),
	    T(test_first_exchange),
	    T(test_several_prekey_messages),
	    T(test_session_restart),
	    T(test_many_messages),
	    T(test_out_of_order),
	    T(test_skip_window),
	    T(test_key_transport),
	    T(test_prekey_replacement),
	    T(test_persistence),
	    T(test_tamper),
	    T(test_tamper_prekey_message),
	    T(test_replay),
	    T(test_bad_signature),
	    T(test_identity_change),
	    T(test_trust),
	    T(test_fingerprints),
	    T(test_three_devices),
	    T(test_encrypt_skips),
	    T(test_tag_in_payload),
	    T(test_hostile_decrypt),
	    T(test_hostile_bundle),
	};

	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	return failed + run_spk_tests();
}
