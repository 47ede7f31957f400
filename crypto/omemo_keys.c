/*
 * omemo_keys.c: our keys: the identity key pair, device id, signed prekey
 * (omemo_spk.c keeps it fresh) and prekeys made on first use, the prekey refill
 * after one is used up (new ids, never reused), and the bundle to publish.
 */
#include <string.h>
#include <time.h>

#include <key_helper.h>
#include <session_pre_key.h>

#include "omemo_int.h"

/* A random device id in 1..2^31-1. */
static uint32_t
keys_device_id(void)
{
	uint32_t id = 0;

	while (id == 0) {
		omemo_random(&id, sizeof(id));
		id &= 0x7fffffffu;
	}
	return id;
}

/* Serialises public key K into OUT (OMEMO_KEY_PUB_LEN bytes). */
static int
keys_pub(const ec_public_key *k, uint8_t out[OMEMO_KEY_PUB_LEN])
{
	signal_buffer *b = NULL;
	int rc = OMEMO_ERR_CRYPTO;

	if (ec_public_key_serialize(&b, k) >= 0 &&
	    signal_buffer_len(b) == OMEMO_KEY_PUB_LEN) {
		memcpy(out, signal_buffer_data(b), OMEMO_KEY_PUB_LEN);
		rc = OMEMO_OK;
	}
	signal_buffer_free(b);
	return rc;
}

/* Makes and stores prekey ID. */
static int
keys_prekey(struct omemo *o, uint32_t id)
{
	ec_key_pair *kp = NULL;
	session_pre_key *pk = NULL;
	signal_buffer *rec = NULL;
	uint8_t pub[OMEMO_KEY_PUB_LEN];
	int rc = OMEMO_ERR_CRYPTO;

	if (curve_generate_key_pair(o->sctx, &kp) < 0 ||
	    session_pre_key_create(&pk, id, kp) < 0 ||
	    session_pre_key_serialize(&rec, pk) < 0)
		goto out;
	if ((rc = keys_pub(ec_key_pair_get_public(kp), pub)) != OMEMO_OK)
		goto out;
	rc = omemo_db_prekey_put(o, id, pub, signal_buffer_data(rec),
				 signal_buffer_len(rec));
out:
	signal_buffer_bzero_free(rec);
	SIGNAL_UNREF(pk);
	SIGNAL_UNREF(kp);
	return rc;
}

/*
 * Tops the prekeys up to OMEMO_PREKEYS with ids from next_prekey_id on.
 * *CHANGED (may be NULL) tells whether any was made.
 */
int
omemo_keys_refill(struct omemo *o, bool *changed)
{
	uint32_t id = o->next_prekey_id;
	size_t n;
	int rc;

	if (changed != NULL)
		*changed = false;
	if ((rc = omemo_db_prekey_count(o, &n)) != OMEMO_OK)
		return rc;
	for (; n < OMEMO_PREKEYS; n++, id++) {
		/* XXX 16.7 million sessions started with us; not before. */
		if (id == 0 || id > OMEMO_PREKEY_ID_MAX)
			return OMEMO_ERR_CRYPTO;
		if ((rc = keys_prekey(o, id)) != OMEMO_OK)
			return rc;
	}
	if (id == o->next_prekey_id)
		return OMEMO_OK;
	if (changed != NULL)
		*changed = true;
	return omemo_db_set_next_prekey(o, id);
}

/* Inserts the account row: identity key pair and a new device id. */
static int
keys_account(struct omemo *o, ratchet_identity_key_pair *kp)
{
	signal_buffer *priv = NULL;
	sqlite3_stmt *s;
	int rc, b;

	if ((rc = keys_pub(ratchet_identity_key_pair_get_public(kp),
			   o->identity_pub)) != OMEMO_OK)
		return rc;
	if (ec_private_key_serialize(
		&priv, ratchet_identity_key_pair_get_private(kp)) < 0)
		return OMEMO_ERR_CRYPTO;
	o->device_id = keys_device_id();
	o->next_prekey_id = 1;
	rc = OMEMO_ERR_DB;
	if ((s = omemo_db_stmt(o, OSQL_ACCOUNT_ADD)) == NULL)
		goto out;
	b = sqlite3_bind_int64(s, 2, o->device_id);
	if (b == SQLITE_OK)
		b = sqlite3_bind_blob(s, 3, o->identity_pub, OMEMO_KEY_PUB_LEN,
				      SQLITE_STATIC);
	if (b == SQLITE_OK)
		b = sqlite3_bind_blob(s, 4, signal_buffer_data(priv),
				      (int)signal_buffer_len(priv),
				      SQLITE_STATIC);
	if (b == SQLITE_OK)
		b = sqlite3_bind_int64(s, 5, o->next_prekey_id);
	if (b == SQLITE_OK && sqlite3_step(s) == SQLITE_DONE)
		rc = OMEMO_OK;
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
out:
	signal_buffer_bzero_free(priv);
	return rc;
}

/*
 * First use of an account: identity key pair, device id, the signed
 * prekey and OMEMO_PREKEYS prekeys, all stored (inside the caller's
 * savepoint).
 */
int
omemo_keys_create(struct omemo *o)
{
	ratchet_identity_key_pair *kp = NULL;
	struct timespec ts;
	uint64_t now_ms;
	int rc = OMEMO_ERR_CRYPTO;

	clock_gettime(CLOCK_REALTIME, &ts);
	now_ms = (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
	if (signal_protocol_key_helper_generate_identity_key_pair(&kp,
								  o->sctx) < 0)
		goto out;
	if ((rc = keys_account(o, kp)) != OMEMO_OK)
		goto out;
	if ((rc = omemo_spk_first(o, now_ms)) != OMEMO_OK)
		goto out;
	rc = omemo_keys_refill(o, NULL);
out:
	SIGNAL_UNREF(kp);
	return rc;
}

/* Fills OUT's signed prekey part from the store: the newest. */
static int
keys_bundle_spk(struct omemo *o, struct omemo_bundle *out)
{
	session_signed_pre_key *spk = NULL;
	uint32_t id = 0;
	int rc;

	if ((rc = omemo_spk_current(o, &id)) != OMEMO_OK)
		return rc;
	rc = OMEMO_ERR_DB;
	if (signal_protocol_signed_pre_key_load_key(o->store, &spk, id) < 0)
		goto out;
	rc = OMEMO_ERR_CRYPTO;
	if (session_signed_pre_key_get_signature_len(spk) != OMEMO_SIG_LEN)
		goto out;
	if ((rc = keys_pub(ec_key_pair_get_public(
			       session_signed_pre_key_get_key_pair(spk)),
			   out->signed_prekey)) != OMEMO_OK)
		goto out;
	memcpy(out->signed_prekey_sig,
	       session_signed_pre_key_get_signature(spk), OMEMO_SIG_LEN);
	out->signed_prekey_id = session_signed_pre_key_get_id(spk);
out:
	SIGNAL_UNREF(spk);
	return rc;
}

int
omemo_own_bundle(struct omemo *o, struct omemo_bundle *out)
{
	sqlite3_stmt *s;
	int rc, st;

	if (out == NULL)
		return OMEMO_ERR_INVAL;
	memset(out, 0, sizeof(*out));
	if (o == NULL)
		return OMEMO_ERR_INVAL;
	memcpy(out->identity_key, o->identity_pub, OMEMO_KEY_PUB_LEN);
	if ((rc = keys_bundle_spk(o, out)) != OMEMO_OK)
		goto fail;
	rc = OMEMO_ERR_DB;
	if ((s = omemo_db_stmt(o, OSQL_PREKEY_ALL)) == NULL ||
	    sqlite3_bind_int(s, 2, OMEMO_PREKEYS) != SQLITE_OK)
		goto fail;
	while ((st = sqlite3_step(s)) == SQLITE_ROW) {
		struct omemo_prekey_pub *p = &out->prekeys[out->n_prekeys];

		if (sqlite3_column_bytes(s, 1) != OMEMO_KEY_PUB_LEN)
			break;
		p->id = (uint32_t)sqlite3_column_int64(s, 0);
		memcpy(p->pub, sqlite3_column_blob(s, 1), OMEMO_KEY_PUB_LEN);
		out->n_prekeys++;
	}
	sqlite3_reset(s);
	if (st == SQLITE_DONE)
		return OMEMO_OK;
fail:
	memset(out, 0, sizeof(*out));
	return rc;
}
