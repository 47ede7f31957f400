/*
 * omemo_lib.c: the library's life cycle (open, close, the libsignal
 * context with its crypto provider and lock), error texts, and sessions
 * started from a peer's bundle.
 */
#include <stdlib.h>
#include <string.h>

#include <session_builder.h>
#include <session_pre_key.h>

#include "omemo_int.h"

const char *
omemo_strerror(int err)
{
	switch (err) {
	case OMEMO_OK:
		return "success";
	case OMEMO_ERR_INVAL:
		return "invalid argument or malformed input";
	case OMEMO_ERR_NOMEM:
		return "out of memory";
	case OMEMO_ERR_DB:
		return "OMEMO store (SQLite) failure";
	case OMEMO_ERR_CRYPTO:
		return "cryptographic failure";
	case OMEMO_ERR_NOSESSION:
		return "no OMEMO session with that device";
	case OMEMO_ERR_NOKEY:
		return "the message has no key for this device";
	case OMEMO_ERR_AUTH:
		return "authentication failed: tampered or not for us";
	case OMEMO_ERR_DUPLICATE:
		return "message already decrypted (replay)";
	case OMEMO_ERR_UNTRUSTED:
		return "the device's identity key changed";
	case OMEMO_ERR_NOPREKEY:
		return "the message uses a prekey we do not have";
	default:
		return "unknown OMEMO error";
	}
}

/* A libsignal return code (negative) as an omemo_err. */
int
omemo_from_sg(int sg)
{
	if (sg >= 0)
		return OMEMO_OK;
	switch (sg) {
	case SG_ERR_NOMEM:
		return OMEMO_ERR_NOMEM;
	case OMEMO_SG_ERR_DB:
		return OMEMO_ERR_DB;
	case SG_ERR_INVALID_MAC:
		return OMEMO_ERR_AUTH;
	case SG_ERR_DUPLICATE_MESSAGE:
		return OMEMO_ERR_DUPLICATE;
	case SG_ERR_UNTRUSTED_IDENTITY:
		return OMEMO_ERR_UNTRUSTED;
	case SG_ERR_NO_SESSION:
		return OMEMO_ERR_NOSESSION;
	case SG_ERR_INVALID_KEY_ID:
		return OMEMO_ERR_NOPREKEY;
	case SG_ERR_INVAL:
	case SG_ERR_INVALID_KEY:
	case SG_ERR_INVALID_MESSAGE:
	case SG_ERR_INVALID_VERSION:
	case SG_ERR_LEGACY_MESSAGE:
	case SG_ERR_STALE_KEY_EXCHANGE:
	case SG_ERR_INVALID_PROTO_BUF:
		return OMEMO_ERR_INVAL;
	default:
		return OMEMO_ERR_CRYPTO;
	}
}

/* A peer address libsignal can hold: a bare JID and a device id that fits
 * its int32_t. */
int
omemo_check_addr(const char *jid, uint32_t device)
{
	if (jid == NULL || *jid == '\0' || device == 0 || device > INT32_MAX)
		return OMEMO_ERR_INVAL;
	return OMEMO_OK;
}

/*
 * libsignal's lock. ward is single-threaded and a struct omemo (like the
 * SQLite handle under it) belongs to one thread, so there is nothing to
 * exclude; the callbacks still count the depth (libsignal nests them) and
 * stop the process on an unbalanced unlock, a bug in the caller's use.
 */
static void
lib_lock(void *user)
{
	((struct omemo *)user)->lock_depth++;
}

static void
lib_unlock(void *user)
{
	struct omemo *o = user;

	if (o->lock_depth <= 0)
		abort();
	o->lock_depth--;
}

/* Loads the account row; OMEMO_ERR_NOSESSION when there is none yet. */
static int
lib_load_account(struct omemo *o)
{
	sqlite3_stmt *s = omemo_db_stmt(o, OSQL_ACCOUNT_GET);
	int rc = OMEMO_ERR_DB, st;
	sqlite3_int64 dev, next;

	if (s == NULL)
		return rc;
	st = sqlite3_step(s);
	if (st == SQLITE_DONE) {
		rc = OMEMO_ERR_NOSESSION;
	} else if (st == SQLITE_ROW &&
		   sqlite3_column_bytes(s, 1) == OMEMO_KEY_PUB_LEN) {
		dev = sqlite3_column_int64(s, 0);
		next = sqlite3_column_int64(s, 3);
		if (dev > 0 && dev <= INT32_MAX && next > 0 &&
		    next <= (sqlite3_int64)OMEMO_PREKEY_ID_MAX + 1) {
			o->device_id = (uint32_t)dev;
			o->next_prekey_id = (uint32_t)next;
			memcpy(o->identity_pub, sqlite3_column_blob(s, 1),
			       OMEMO_KEY_PUB_LEN);
			rc = OMEMO_OK;
		}
	}
	sqlite3_reset(s);
	return rc;
}

/* Tables, then our keys: loaded (and prekeys topped up) or made. */
static int
lib_setup(struct omemo *o)
{
	int rc;

	if ((rc = omemo_db_begin(o)) != OMEMO_OK)
		return rc;
	rc = omemo_db_schema(o);
	if (rc == OMEMO_OK)
		rc = lib_load_account(o);
	if (rc == OMEMO_OK)
		rc = omemo_keys_refill(o, NULL);
	else if (rc == OMEMO_ERR_NOSESSION)
		rc = omemo_keys_create(o);
	return omemo_db_end(o, rc);
}

int
omemo_open(struct sqlite3 *db, const char *account, struct omemo **out)
{
	signal_crypto_provider prov;
	struct omemo *o;
	int rc;

	if (out == NULL)
		return OMEMO_ERR_INVAL;
	*out = NULL;
	if (db == NULL || account == NULL || *account == '\0')
		return OMEMO_ERR_INVAL;
	if ((rc = omemo_gcry_init()) != OMEMO_OK)
		return rc;
	if ((o = calloc(1, sizeof(*o))) == NULL)
		return OMEMO_ERR_NOMEM;
	o->db = db;
	rc = OMEMO_ERR_NOMEM;
	if ((o->account = strdup(account)) == NULL ||
	    signal_context_create(&o->sctx, o) < 0)
		goto fail;
	omemo_gcry_provider(&prov);
	rc = OMEMO_ERR_CRYPTO;
	if (signal_context_set_crypto_provider(o->sctx, &prov) < 0 ||
	    signal_context_set_locking_functions(o->sctx, lib_lock,
						 lib_unlock) < 0)
		goto fail;
	if ((rc = omemo_sigstore_attach(o)) != OMEMO_OK ||
	    (rc = lib_setup(o)) != OMEMO_OK)
		goto fail;
	*out = o;
	return OMEMO_OK;
fail:
	omemo_close(o);
	return rc;
}

void
omemo_close(struct omemo *o)
{
	if (o == NULL)
		return;
	if (o->store != NULL)
		signal_protocol_store_context_destroy(o->store);
	if (o->sctx != NULL)
		signal_context_destroy(o->sctx);
	omemo_db_finalize(o);
	free(o->account);
	explicit_bzero(o, sizeof(*o));
	free(o);
}

uint32_t
omemo_device_id(const struct omemo *o)
{
	return o == NULL ? 0 : o->device_id;
}

/* BUNDLE as libsignal's, with one of its prekeys picked at random. */
static int
lib_bundle(struct omemo *o, uint32_t device, const struct omemo_bundle *b,
	   session_pre_key_bundle **out)
{
	ec_public_key *ik = NULL, *spk = NULL, *pk = NULL;
	const struct omemo_prekey_pub *pick;
	uint32_t r;
	int rc = OMEMO_ERR_INVAL, v;

	omemo_random(&r, sizeof(r));
	pick = &b->prekeys[r % b->n_prekeys];
	if (curve_decode_point(&ik, b->identity_key, OMEMO_KEY_PUB_LEN,
			       o->sctx) < 0 ||
	    curve_decode_point(&spk, b->signed_prekey, OMEMO_KEY_PUB_LEN,
			       o->sctx) < 0 ||
	    curve_decode_point(&pk, pick->pub, OMEMO_KEY_PUB_LEN, o->sctx) < 0)
		goto out;
	/* libsignal checks it too, but answers a bad one with INVALID_KEY */
	v = curve_verify_signature(ik, b->signed_prekey, OMEMO_KEY_PUB_LEN,
				   b->signed_prekey_sig, OMEMO_SIG_LEN);
	if (v != 1) {
		rc = v == 0 ? OMEMO_ERR_AUTH : OMEMO_ERR_CRYPTO;
		goto out;
	}
	rc = omemo_from_sg(session_pre_key_bundle_create(
	    out, 0, (int)device, pick->id, pk, b->signed_prekey_id, spk,
	    b->signed_prekey_sig, OMEMO_SIG_LEN, ik));
out:
	SIGNAL_UNREF(pk);
	SIGNAL_UNREF(spk);
	SIGNAL_UNREF(ik);
	return rc;
}

int
omemo_session_start(struct omemo *o, const char *jid, uint32_t device,
		    const struct omemo_bundle *b)
{
	signal_protocol_address addr;
	session_pre_key_bundle *sb = NULL;
	session_builder *builder = NULL;
	int rc;

	if (o == NULL || b == NULL || b->n_prekeys == 0 ||
	    b->n_prekeys > OMEMO_PREKEYS ||
	    omemo_check_addr(jid, device) != OMEMO_OK)
		return OMEMO_ERR_INVAL;
	if ((rc = lib_bundle(o, device, b, &sb)) != OMEMO_OK)
		return rc;
	addr = (signal_protocol_address){jid, strlen(jid), (int32_t)device};
	if ((rc = omemo_db_begin(o)) != OMEMO_OK)
		goto out;
	rc = omemo_from_sg(
	    session_builder_create(&builder, o->store, &addr, o->sctx));
	if (rc == OMEMO_OK)
		rc = omemo_from_sg(
		    session_builder_process_pre_key_bundle(builder, sb));
	rc = omemo_db_end(o, rc);
out:
	session_builder_free(builder);
	SIGNAL_UNREF(sb);
	return rc;
}

bool
omemo_has_session(struct omemo *o, const char *jid, uint32_t device)
{
	signal_protocol_address addr;

	if (o == NULL || omemo_check_addr(jid, device) != OMEMO_OK)
		return false;
	addr = (signal_protocol_address){jid, strlen(jid), (int32_t)device};
	return signal_protocol_session_contains_session(o->store, &addr) == 1;
}

int
omemo_forget_device(struct omemo *o, const char *jid, uint32_t device)
{
	sqlite3_stmt *s;
	int rc, i;
	static const enum omemo_sql del[] = {OSQL_SESSION_DEL, OSQL_IDENT_DEL};

	if (o == NULL || omemo_check_addr(jid, device) != OMEMO_OK)
		return OMEMO_ERR_INVAL;
	if ((rc = omemo_db_begin(o)) != OMEMO_OK)
		return rc;
	for (i = 0; i < 2 && rc == OMEMO_OK; i++) {
		rc = OMEMO_ERR_DB;
		if ((s = omemo_db_stmt(o, del[i])) == NULL)
			break;
		if (sqlite3_bind_text(s, 2, jid, -1, SQLITE_STATIC) ==
			SQLITE_OK &&
		    sqlite3_bind_int64(s, 3, device) == SQLITE_OK &&
		    sqlite3_step(s) == SQLITE_DONE)
			rc = OMEMO_OK;
		sqlite3_reset(s);
	}
	return omemo_db_end(o, rc);
}
