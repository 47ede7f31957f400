/*
 * omemo_int.h: what the files of crypto/'s OMEMO library share and nobody
 * else sees: struct omemo, the SQLite statements of the store, and the
 * helpers each file offers the others. Not for src/ (use omemo.h).
 */
#ifndef WARD_CRYPTO_OMEMO_INT_H
#define WARD_CRYPTO_OMEMO_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>
#include <signal_protocol.h>

#include "omemo.h"

/* Largest serialised SignalMessage/PreKeySignalMessage we look at. */
#define OMEMO_KEY_MSG_MAX 1024
/* AES-128-GCM: key and tag lengths. */
#define OMEMO_GCM_KEY 16
#define OMEMO_GCM_TAG 16
/* What a store callback returns when SQLite failed (below libsignal's). */
#define OMEMO_SG_ERR_DB (SG_ERR_MINIMUM - 1)
/* Prekey ids are 1..OMEMO_PREKEY_ID_MAX; libsignal never removes 0xFFFFFF. */
#define OMEMO_PREKEY_ID_MAX 0xFFFFFEu

/* Prepared statements, made on first use (omemo_db.c). */
enum omemo_sql {
	OSQL_SAVEPOINT,
	OSQL_RELEASE,
	OSQL_ROLLBACK_TO,
	OSQL_ACCOUNT_GET,
	OSQL_ACCOUNT_ADD,
	OSQL_NEXT_PREKEY_SET,
	OSQL_PREKEY_GET,
	OSQL_PREKEY_PUT,
	OSQL_PREKEY_DEL,
	OSQL_PREKEY_COUNT,
	OSQL_PREKEY_ALL,
	OSQL_SPK_GET,
	OSQL_SPK_PUT,
	OSQL_SPK_DEL,
	OSQL_SPK_DEL_BELOW,
	OSQL_SPK_ALL,
	OSQL_SPK_NEWEST,
	OSQL_SESSION_GET,
	OSQL_SESSION_PUT,
	OSQL_SESSION_DEL,
	OSQL_SESSION_DEL_ALL,
	OSQL_SESSION_DEVICES,
	OSQL_IDENT_GET,
	OSQL_IDENT_PUT,
	OSQL_IDENT_TRUST,
	OSQL_IDENT_DEL,
	OSQL_IDENT_DEVICES,
	OSQL_COUNT
};

struct omemo {
	struct sqlite3 *db; /* the caller's */
	char *account;
	uint32_t device_id;
	uint32_t next_prekey_id;
	uint8_t identity_pub[OMEMO_KEY_PUB_LEN];
	signal_context *sctx;
	signal_protocol_store_context *store;
	sqlite3_stmt *stmt[OSQL_COUNT];
	int lock_depth;      /* libsignal's lock, see omemo_lib.c */
	bool prekey_removed; /* set by the store when libsignal used one up */
};

/* gcry_provider.c */
int omemo_gcry_init(void);
void omemo_gcry_provider(signal_crypto_provider *p);
void omemo_random(void *buf, size_t len);

/* omemo_gcm.c: AES-128-GCM with a 16-byte tag; IV of any length >= 1. */
int omemo_gcm_encrypt(const uint8_t key[OMEMO_GCM_KEY], const uint8_t *iv,
		      size_t iv_len, const uint8_t *plain, size_t len,
		      uint8_t *out, uint8_t tag[OMEMO_GCM_TAG]);
int omemo_gcm_decrypt(const uint8_t key[OMEMO_GCM_KEY], const uint8_t *iv,
		      size_t iv_len, const uint8_t *ct, size_t len,
		      const uint8_t tag[OMEMO_GCM_TAG], uint8_t *out);

/* omemo_db.c: schema, statements, savepoints, typed rows. */
int omemo_db_schema(struct omemo *o);
sqlite3_stmt *omemo_db_stmt(struct omemo *o, enum omemo_sql id);
void omemo_db_finalize(struct omemo *o);
int omemo_db_exec(struct omemo *o, enum omemo_sql id);
int omemo_db_run_int(struct omemo *o, enum omemo_sql id, int64_t v);
int omemo_db_begin(struct omemo *o);
int omemo_db_end(struct omemo *o, int rc);
int omemo_db_set_next_prekey(struct omemo *o, uint32_t next);
int omemo_db_prekey_put(struct omemo *o, uint32_t id, const uint8_t *pub,
			const uint8_t *rec, size_t rec_len);
int omemo_db_prekey_count(struct omemo *o, size_t *n);
int omemo_db_ident_get(struct omemo *o, const char *jid, uint32_t device,
		       uint8_t key[OMEMO_KEY_PUB_LEN], int *trust);

/* omemo_sigstore.c: the libsignal store callbacks on top of omemo_db.c. */
int omemo_sigstore_attach(struct omemo *o);

/* omemo_keys.c: key generation, prekey refill, our bundle. */
int omemo_keys_create(struct omemo *o);
int omemo_keys_refill(struct omemo *o, bool *changed);

/* omemo_spk.c: the signed prekey: the first (id 1, with the account) and
 * the id of the newest, the one the bundle carries. */
int omemo_spk_first(struct omemo *o, uint64_t now_ms);
int omemo_spk_current(struct omemo *o, uint32_t *id);

/* omemo_lib.c: a libsignal return code as an omemo_err. */
int omemo_from_sg(int sg);
int omemo_check_addr(const char *jid, uint32_t device);

#endif
