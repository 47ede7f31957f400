/*
 * fuzz_omemo.c: libFuzzer harness for OMEMO message decoding (crypto/).
 * Bob's store (state.h, with sessions from Alice and a bundle Carol used)
 * is loaded once; every input runs in a transaction rolled back after it,
 * so each sees the same state. Input, first byte even = a message:
 *   flags (1: prekey, 2: has payload, 4: from Carol, 8: sid follows),
 *   [sid u32], key length u16, key, iv length u8, iv, payload = the rest;
 * first byte odd = a bundle for omemo_session_start: jid selector (1:
 *   Alice's device, else a new one), identity 33, signed prekey id u32,
 *   signed prekey 33, signature 64, prekey count u8, (id u32, key 33)...
 * Integers are big-endian; lengths past the end are cut to what is left.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "omemo.h"
#include "state.h"

#define ALICE "alice@example.test"
#define BOB "bob@example.test"
#define CAROL "carol@example.test"

static sqlite3 *fuzz_db;
static struct omemo *fuzz_bob;

/* A cursor over the input. */
struct rd {
	const uint8_t *p;
	size_t left;
};

static size_t
rd_take(struct rd *r, size_t want, const uint8_t **out)
{
	size_t n = want < r->left ? want : r->left;

	*out = r->p;
	r->p += n;
	r->left -= n;
	return n;
}

static uint32_t
rd_u(struct rd *r, size_t bytes)
{
	const uint8_t *p;
	size_t n = rd_take(r, bytes, &p), i;
	uint32_t v = 0;

	for (i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* An exact-size heap copy (NULL for NULL), so ASan sees any overread. */
static uint8_t *
dup_exact(const uint8_t *p, size_t len)
{
	uint8_t *c;

	if (p == NULL)
		return NULL;
	if ((c = malloc(len == 0 ? 1 : len)) == NULL)
		abort();
	if (len != 0)
		memcpy(c, p, len);
	return c;
}

static void
fuzz_init(void)
{
	if (sqlite3_open(":memory:", &fuzz_db) != SQLITE_OK ||
	    sqlite3_exec(fuzz_db, fuzz_state_sql, NULL, NULL, NULL) !=
		SQLITE_OK) {
		fprintf(stderr, "fuzz_omemo: cannot load state.h\n");
		abort();
	}
	if (omemo_open(fuzz_db, BOB, &fuzz_bob) != OMEMO_OK) {
		fprintf(stderr, "fuzz_omemo: omemo_open failed\n");
		abort();
	}
}

static int
valid_rc(int rc)
{
	return rc <= OMEMO_OK && rc >= OMEMO_ERR_NOPREKEY;
}

static void
fuzz_message(struct rd *r)
{
	uint8_t flags = (uint8_t)rd_u(r, 1);
	struct omemo_received in = {0};
	const uint8_t *key, *iv, *payload;
	uint8_t *kc, *ivc, *pc, *plain = NULL;
	size_t klen, ivlen, plen, plain_len = 0;
	bool changed = false;
	int rc;

	in.from_jid = flags & 4 ? CAROL : ALICE;
	in.sid = flags & 4 ? FUZZ_CAROL_DEV : FUZZ_ALICE_DEV;
	if (flags & 8)
		in.sid = rd_u(r, 4);
	in.prekey = flags & 1;
	klen = rd_take(r, rd_u(r, 2), &key);
	ivlen = rd_take(r, rd_u(r, 1), &iv);
	plen = rd_take(r, r->left, &payload);
	in.key = kc = dup_exact(key, klen);
	in.key_len = klen;
	in.iv = ivc = dup_exact(iv, ivlen);
	in.iv_len = ivlen;
	in.payload = pc = flags & 2 ? dup_exact(payload, plen) : NULL;
	in.payload_len = flags & 2 ? plen : 0;

	rc = omemo_decrypt(fuzz_bob, &in, &plain, &plain_len, &changed);
	if (!valid_rc(rc))
		abort();
	if (rc == OMEMO_OK) {
		/* a plaintext is never longer than its payload, and is a
		 * NUL-terminated copy; a key transport has none */
		if ((plain == NULL) != (in.payload == NULL))
			abort();
		if (plain != NULL &&
		    (plain_len > in.payload_len || plain[plain_len] != '\0'))
			abort();
		/* only a prekey message can use up a prekey */
		if (changed && !in.prekey)
			abort();
	} else if (plain != NULL || plain_len != 0 || changed) {
		abort();
	}
	free(plain);
	free(kc);
	free(ivc);
	free(pc);
}

/* Copies up to LEN input bytes into OUT (the rest stays zero). */
static void
rd_copy(struct rd *r, uint8_t *out, size_t len)
{
	const uint8_t *p;
	size_t n = rd_take(r, len, &p);

	if (n != 0)
		memcpy(out, p, n);
}

static void
fuzz_bundle(struct rd *r)
{
	struct omemo_bundle *b = calloc(1, sizeof(*b));
	uint8_t sel = (uint8_t)rd_u(r, 1);
	size_t i;
	int rc;

	if (b == NULL)
		abort();
	rd_copy(r, b->identity_key, OMEMO_KEY_PUB_LEN);
	b->signed_prekey_id = rd_u(r, 4);
	rd_copy(r, b->signed_prekey, OMEMO_KEY_PUB_LEN);
	rd_copy(r, b->signed_prekey_sig, OMEMO_SIG_LEN);
	b->n_prekeys = rd_u(r, 1);
	for (i = 0; i < b->n_prekeys && i < OMEMO_PREKEYS && r->left > 0; i++) {
		b->prekeys[i].id = rd_u(r, 4);
		rd_copy(r, b->prekeys[i].pub, OMEMO_KEY_PUB_LEN);
	}
	rc =
	    omemo_session_start(fuzz_bob, sel & 1 ? ALICE : "dave@example.test",
				sel & 1 ? FUZZ_ALICE_DEV : 1234, b);
	if (!valid_rc(rc))
		abort();
	free(b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rd r = {data, size};
	uint8_t mode;

	if (fuzz_bob == NULL)
		fuzz_init();
	if (size == 0)
		return 0;
	mode = (uint8_t)rd_u(&r, 1);
	if (sqlite3_exec(fuzz_db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		abort();
	if (mode & 1)
		fuzz_bundle(&r);
	else
		fuzz_message(&r);
	/* the library must leave the caller's transaction open */
	if (sqlite3_get_autocommit(fuzz_db))
		abort();
	if (sqlite3_exec(fuzz_db, "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK)
		abort();
	return 0;
}
