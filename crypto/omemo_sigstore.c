/*
 * omemo_sigstore.c: libsignal's store callbacks (sessions, prekeys, the
 * signed prekey, our identity, peers' identities) on the omemo_* tables.
 * Sender keys (group sessions) are refused: OMEMO 0.3 does not use them.
 */
#include <string.h>

#include "omemo_int.h"

/* Binds ?2 = jid, ?3 = device of a libsignal address. */
static int
bind_addr(sqlite3_stmt *s, const signal_protocol_address *a)
{
	if (a == NULL || a->name == NULL || a->device_id < 0)
		return SQLITE_MISUSE;
	if (sqlite3_bind_text(s, 2, a->name, (int)a->name_len, SQLITE_STATIC) !=
	    SQLITE_OK)
		return SQLITE_MISUSE;
	return sqlite3_bind_int64(s, 3, a->device_id);
}

/*
 * Runs S (fully bound) for at most one row whose column 0 is a blob, put in
 * *OUT. Returns 1 with a row, 0 without, OMEMO_SG_ERR_DB on failure.
 */
static int
load_blob(sqlite3_stmt *s, int bind_rc, signal_buffer **out)
{
	int r = OMEMO_SG_ERR_DB, st;

	if (bind_rc != SQLITE_OK)
		goto out;
	st = sqlite3_step(s);
	if (st == SQLITE_DONE) {
		r = 0;
	} else if (st == SQLITE_ROW) {
		const void *p = sqlite3_column_blob(s, 0);
		int n = sqlite3_column_bytes(s, 0);

		if (p == NULL || n <= 0)
			goto out;
		*out = signal_buffer_create(p, (size_t)n);
		r = *out == NULL ? SG_ERR_NOMEM : 1;
	}
out:
	sqlite3_reset(s);
	return r;
}

/* Steps S (bound with BIND_RC) to its end: 0, or OMEMO_SG_ERR_DB. */
static int
run(sqlite3_stmt *s, int bind_rc)
{
	int st = bind_rc == SQLITE_OK ? sqlite3_step(s) : bind_rc;

	sqlite3_reset(s);
	return st == SQLITE_DONE ? 0 : OMEMO_SG_ERR_DB;
}

/* --- sessions --- */

static int
ss_load(signal_buffer **record, signal_buffer **user_record,
	const signal_protocol_address *a, void *user)
{
	sqlite3_stmt *s = omemo_db_stmt(user, OSQL_SESSION_GET);

	if (s == NULL)
		return OMEMO_SG_ERR_DB;
	return load_blob(s, bind_addr(s, a), record);
}

static int
ss_devices(signal_int_list **out, const char *name, size_t name_len, void *user)
{
	sqlite3_stmt *s = omemo_db_stmt(user, OSQL_SESSION_DEVICES);
	signal_int_list *l;
	int st, r = OMEMO_SG_ERR_DB;

	if (s == NULL || name_len > INT32_MAX ||
	    sqlite3_bind_text(s, 2, name, (int)name_len, SQLITE_STATIC) !=
		SQLITE_OK)
		return OMEMO_SG_ERR_DB;
	if ((l = signal_int_list_alloc()) == NULL) {
		sqlite3_reset(s);
		return SG_ERR_NOMEM;
	}
	while ((st = sqlite3_step(s)) == SQLITE_ROW)
		if (signal_int_list_push_back(l, sqlite3_column_int(s, 0)) < 0)
			break;
	if (st == SQLITE_DONE) {
		*out = l;
		r = (int)signal_int_list_size(l);
	} else {
		signal_int_list_free(l);
	}
	sqlite3_reset(s);
	return r;
}

static int
ss_store(const signal_protocol_address *a, uint8_t *record, size_t len,
	 uint8_t *user_record, size_t user_len, void *user)
{
	sqlite3_stmt *s = omemo_db_stmt(user, OSQL_SESSION_PUT);
	int b;

	if (s == NULL)
		return OMEMO_SG_ERR_DB;
	b = bind_addr(s, a);
	if (b == SQLITE_OK)
		b = sqlite3_bind_blob64(s, 4, record, len, SQLITE_STATIC);
	return run(s, b);
}

static int
ss_contains(const signal_protocol_address *a, void *user)
{
	signal_buffer *b = NULL;
	int r = ss_load(&b, NULL, a, user);

	signal_buffer_bzero_free(b);
	return r == 1 ? 1 : 0;
}

static int
ss_delete(const signal_protocol_address *a, void *user)
{
	sqlite3_stmt *s = omemo_db_stmt(user, OSQL_SESSION_DEL);
	int r;

	if (s == NULL)
		return OMEMO_SG_ERR_DB;
	r = run(s, bind_addr(s, a));
	return r < 0 ? r : sqlite3_changes(((struct omemo *)user)->db) > 0;
}

static int
ss_delete_all(const char *name, size_t name_len, void *user)
{
	sqlite3_stmt *s = omemo_db_stmt(user, OSQL_SESSION_DEL_ALL);
	int r;

	if (s == NULL || name_len > INT32_MAX)
		return OMEMO_SG_ERR_DB;
	r = run(s, sqlite3_bind_text(s, 2, name, (int)name_len, SQLITE_STATIC));
	return r < 0 ? r : sqlite3_changes(((struct omemo *)user)->db);
}

/* --- prekeys --- */

static int
pk_load(signal_buffer **record, uint32_t id, void *user)
{
	sqlite3_stmt *s = omemo_db_stmt(user, OSQL_PREKEY_GET);
	int r;

	if (s == NULL)
		return OMEMO_SG_ERR_DB;
	r = load_blob(s, sqlite3_bind_int64(s, 2, id), record);
	return r == 1 ? SG_SUCCESS : r == 0 ? SG_ERR_INVALID_KEY_ID : r;
}

/* libsignal itself never stores prekeys; this is for completeness. */
static int
pk_store(uint32_t id, uint8_t *record, size_t len, void *user)
{
	struct omemo *o = user;
	session_pre_key *pk = NULL;
	signal_buffer *pub = NULL;
	int r;

	r = session_pre_key_deserialize(&pk, record, len, o->sctx);
	if (r < 0)
		return r;
	r = ec_public_key_serialize(
	    &pub, ec_key_pair_get_public(session_pre_key_get_key_pair(pk)));
	if (r >= 0 && signal_buffer_len(pub) != OMEMO_KEY_PUB_LEN)
		r = SG_ERR_INVALID_KEY;
	if (r >= 0 && omemo_db_prekey_put(o, id, signal_buffer_data(pub),
					  record, len) != OMEMO_OK)
		r = OMEMO_SG_ERR_DB;
	signal_buffer_free(pub);
	SIGNAL_UNREF(pk);
	return r < 0 ? r : 0;
}

static int
pk_contains(uint32_t id, void *user)
{
	signal_buffer *b = NULL;
	int r = pk_load(&b, id, user);

	signal_buffer_bzero_free(b);
	return r == SG_SUCCESS;
}

/* A used-up prekey: gone for good; omemo_decrypt refills the bundle. */
static int
pk_remove(uint32_t id, void *user)
{
	struct omemo *o = user;
	sqlite3_stmt *s = omemo_db_stmt(o, OSQL_PREKEY_DEL);
	int r;

	if (s == NULL)
		return OMEMO_SG_ERR_DB;
	r = run(s, sqlite3_bind_int64(s, 2, id));
	if (r == 0 && sqlite3_changes(o->db) > 0)
		o->prekey_removed = true;
	return r;
}

/* --- signed prekeys --- */

static int
spk_load(signal_buffer **record, uint32_t id, void *user)
{
	sqlite3_stmt *s = omemo_db_stmt(user, OSQL_SPK_GET);
	int r;

	if (s == NULL)
		return OMEMO_SG_ERR_DB;
	r = load_blob(s, sqlite3_bind_int64(s, 2, id), record);
	return r == 1 ? SG_SUCCESS : r == 0 ? SG_ERR_INVALID_KEY_ID : r;
}

static int
spk_store(uint32_t id, uint8_t *record, size_t len, void *user)
{
	sqlite3_stmt *s = omemo_db_stmt(user, OSQL_SPK_PUT);
	int b;

	if (s == NULL)
		return OMEMO_SG_ERR_DB;
	b = sqlite3_bind_int64(s, 2, id);
	if (b == SQLITE_OK)
		b = sqlite3_bind_blob64(s, 3, record, len, SQLITE_STATIC);
	return run(s, b);
}

static int
spk_contains(uint32_t id, void *user)
{
	signal_buffer *b = NULL;
	int r = spk_load(&b, id, user);

	signal_buffer_bzero_free(b);
	return r == SG_SUCCESS;
}

static int
spk_remove(uint32_t id, void *user)
{
	sqlite3_stmt *s = omemo_db_stmt(user, OSQL_SPK_DEL);

	if (s == NULL)
		return OMEMO_SG_ERR_DB;
	return run(s, sqlite3_bind_int64(s, 2, id));
}

/* --- identities --- */

/* Our key pair, read from the store each time (not kept in memory). */
static int
id_key_pair(signal_buffer **pub, signal_buffer **priv, void *user)
{
	sqlite3_stmt *s = omemo_db_stmt(user, OSQL_ACCOUNT_GET);
	int r = OMEMO_SG_ERR_DB;

	if (s == NULL)
		return r;
	if (sqlite3_step(s) == SQLITE_ROW &&
	    sqlite3_column_bytes(s, 1) == OMEMO_KEY_PUB_LEN &&
	    sqlite3_column_bytes(s, 2) > 0) {
		*pub = signal_buffer_create(sqlite3_column_blob(s, 1),
					    OMEMO_KEY_PUB_LEN);
		*priv =
		    signal_buffer_create(sqlite3_column_blob(s, 2),
					 (size_t)sqlite3_column_bytes(s, 2));
		r = 0;
		if (*pub == NULL || *priv == NULL) {
			signal_buffer_free(*pub);
			signal_buffer_bzero_free(*priv);
			*pub = *priv = NULL;
			r = SG_ERR_NOMEM;
		}
	}
	sqlite3_reset(s);
	return r;
}

/* The registration id is the device id: one number for one device. */
static int
id_registration(void *user, uint32_t *id)
{
	*id = ((struct omemo *)user)->device_id;
	return 0;
}

/*
 * Remembers a peer's identity key (new, or the same again: libsignal asks
 * is_trusted first). KEY NULL asks to forget it after a failed decryption;
 * that is left to the savepoint, which undoes the whole call.
 */
static int
id_save(const signal_protocol_address *a, uint8_t *key, size_t len, void *user)
{
	sqlite3_stmt *s;
	int b;

	if (key == NULL)
		return 0;
	if (len != OMEMO_KEY_PUB_LEN)
		return SG_ERR_INVALID_KEY;
	if ((s = omemo_db_stmt(user, OSQL_IDENT_PUT)) == NULL)
		return OMEMO_SG_ERR_DB;
	b = bind_addr(s, a);
	if (b == SQLITE_OK)
		b = sqlite3_bind_blob(s, 4, key, (int)len, SQLITE_STATIC);
	return run(s, b);
}

/* Trusted = unknown device, or the key we know for it (TOFU on keys; what
 * the user decided is omemo_trust_*'s, for src/'s policy). */
static int
id_is_trusted(const signal_protocol_address *a, uint8_t *key, size_t len,
	      void *user)
{
	sqlite3_stmt *s = omemo_db_stmt(user, OSQL_IDENT_GET);
	int r = OMEMO_SG_ERR_DB, st;

	if (s == NULL)
		return r;
	if (bind_addr(s, a) != SQLITE_OK)
		goto out;
	st = sqlite3_step(s);
	if (st == SQLITE_DONE)
		r = 1;
	else if (st == SQLITE_ROW)
		r = (size_t)sqlite3_column_bytes(s, 0) == len &&
		    memcmp(sqlite3_column_blob(s, 0), key, len) == 0;
out:
	sqlite3_reset(s);
	return r;
}

/* --- sender keys: not in OMEMO 0.3 --- */

static int
sk_store(const signal_protocol_sender_key_name *n, uint8_t *record, size_t len,
	 uint8_t *user_record, size_t user_len, void *user)
{
	return SG_ERR_INVAL;
}

static int
sk_load(signal_buffer **record, signal_buffer **user_record,
	const signal_protocol_sender_key_name *n, void *user)
{
	return 0;
}

/* Creates O's store context with the callbacks above (user data = O). */
int
omemo_sigstore_attach(struct omemo *o)
{
	signal_protocol_session_store ss = {
	    .load_session_func = ss_load,
	    .get_sub_device_sessions_func = ss_devices,
	    .store_session_func = ss_store,
	    .contains_session_func = ss_contains,
	    .delete_session_func = ss_delete,
	    .delete_all_sessions_func = ss_delete_all,
	    .user_data = o,
	};
	signal_protocol_pre_key_store pk = {
	    .load_pre_key = pk_load,
	    .store_pre_key = pk_store,
	    .contains_pre_key = pk_contains,
	    .remove_pre_key = pk_remove,
	    .user_data = o,
	};
	signal_protocol_signed_pre_key_store spk = {
	    .load_signed_pre_key = spk_load,
	    .store_signed_pre_key = spk_store,
	    .contains_signed_pre_key = spk_contains,
	    .remove_signed_pre_key = spk_remove,
	    .user_data = o,
	};
	signal_protocol_identity_key_store id = {
	    .get_identity_key_pair = id_key_pair,
	    .get_local_registration_id = id_registration,
	    .save_identity = id_save,
	    .is_trusted_identity = id_is_trusted,
	    .user_data = o,
	};
	signal_protocol_sender_key_store sk = {
	    .store_sender_key = sk_store,
	    .load_sender_key = sk_load,
	    .user_data = o,
	};

	if (signal_protocol_store_context_create(&o->store, o->sctx) < 0)
		return OMEMO_ERR_NOMEM;
	if (signal_protocol_store_context_set_session_store(o->store, &ss) <
		0 ||
	    signal_protocol_store_context_set_pre_key_store(o->store, &pk) <
		0 ||
	    signal_protocol_store_context_set_signed_pre_key_store(o->store,
								   &spk) < 0 ||
	    signal_protocol_store_context_set_identity_key_store(o->store,
								 &id) < 0 ||
	    signal_protocol_store_context_set_sender_key_store(o->store, &sk) <
		0)
		return OMEMO_ERR_CRYPTO;
	return OMEMO_OK;
}
