/*
 * omemo_spk.c: the signed prekey's life. The first one is made with the
 * account; a new one replaces it every OMEMO_SPK_ROTATE_S; a replaced one
 * is kept for OMEMO_SPK_KEEP_S after its successor was made, because a
 * contact may have fetched the old bundle and its first message can
 * arrive that much later (offline delivery, the archive), and is deleted
 * after that, so that a stolen database does not open old key exchanges.
 * Ids count up from 1 and are never reused.
 */
#include <key_helper.h>

#include "omemo_int.h"

/* libsignal's signed prekey ids are 24-bit. */
#define SPK_ID_MAX 0xFFFFFFu
/* Rows looked at; weekly rotation with a 30-day keep leaves about 6. */
#define SPK_ROWS_MAX 64u

struct spk_row {
	uint32_t id;
	uint64_t made_ms;
};

/*
 * The newest SPK_ROWS_MAX signed prekeys of the account by ascending id,
 * with their creation times; *MORE tells whether older ones exist.
 * OMEMO_ERR_CRYPTO for a record that does not parse.
 */
static int
spk_list(struct omemo *o, struct spk_row *rows, size_t *n, bool *more)
{
	sqlite3_stmt *s = omemo_db_stmt(o, OSQL_SPK_ALL);
	session_signed_pre_key *spk = NULL;
	struct spk_row tmp;
	sqlite3_int64 id;
	size_t i;
	int st, rc = OMEMO_OK;

	*n = 0;
	*more = false;
	if (s == NULL)
		return OMEMO_ERR_DB;
	if (sqlite3_bind_int64(s, 2, SPK_ROWS_MAX + 1) != SQLITE_OK) {
		sqlite3_reset(s);
		return OMEMO_ERR_DB;
	}
	/* newest first */
	while ((st = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == SPK_ROWS_MAX) {
			*more = true;
			break;
		}
		id = sqlite3_column_int64(s, 0);
		if (id <= 0 || id > SPK_ID_MAX ||
		    session_signed_pre_key_deserialize(
			&spk, sqlite3_column_blob(s, 1),
			(size_t)sqlite3_column_bytes(s, 1), o->sctx) < 0) {
			rc = OMEMO_ERR_CRYPTO;
			break;
		}
		rows[*n].id = (uint32_t)id;
		rows[*n].made_ms = session_signed_pre_key_get_timestamp(spk);
		(*n)++;
		SIGNAL_UNREF(spk);
	}
	sqlite3_reset(s);
	if (rc == OMEMO_OK && st != SQLITE_ROW && st != SQLITE_DONE)
		rc = OMEMO_ERR_DB;
	for (i = 0; i < *n / 2; i++) {
		tmp = rows[i];
		rows[i] = rows[*n - 1 - i];
		rows[*n - 1 - i] = tmp;
	}
	return rc;
}

/* Makes signed prekey ID at NOW_MS, signed by the account's identity
 * key, and stores it. */
static int
spk_make(struct omemo *o, uint32_t id, uint64_t now_ms)
{
	ratchet_identity_key_pair *kp = NULL;
	session_signed_pre_key *spk = NULL;
	int rc = OMEMO_ERR_DB;

	if (signal_protocol_identity_get_key_pair(o->store, &kp) < 0)
		goto out;
	rc = OMEMO_ERR_CRYPTO;
	if (signal_protocol_key_helper_generate_signed_pre_key(
		&spk, kp, id, now_ms, o->sctx) < 0)
		goto out;
	rc = OMEMO_ERR_DB;
	if (signal_protocol_signed_pre_key_store_key(o->store, spk) < 0)
		goto out;
	rc = OMEMO_OK;
out:
	SIGNAL_UNREF(spk);
	SIGNAL_UNREF(kp);
	return rc;
}

int
omemo_spk_first(struct omemo *o, uint64_t now_ms)
{
	return spk_make(o, 1, now_ms);
}

int
omemo_spk_current(struct omemo *o, uint32_t *id)
{
	sqlite3_stmt *s = omemo_db_stmt(o, OSQL_SPK_NEWEST);
	sqlite3_int64 v;
	int st, rc = OMEMO_ERR_DB;

	if (s == NULL)
		return rc;
	if ((st = sqlite3_step(s)) == SQLITE_ROW) {
		v = sqlite3_column_int64(s, 0);
		if (v > 0 && v <= SPK_ID_MAX) {
			*id = (uint32_t)v;
			rc = OMEMO_OK;
		}
	}
	sqlite3_reset(s);
	return rc;
}

/* Deletes every signed prekey whose successor is OMEMO_SPK_KEEP_S old at
 * NOW_MS, and those older than ROWS when MORE; the newest is never
 * deleted. *GONE counts them. */
static int
spk_prune(struct omemo *o, const struct spk_row *rows, size_t n, bool more,
	  uint64_t now_ms, size_t *gone)
{
	const uint64_t keep_ms = (uint64_t)OMEMO_SPK_KEEP_S * 1000u;
	size_t i;
	int rc;

	/* below the newest SPK_ROWS_MAX: at least 63 rotations old */
	if (more) {
		rc = omemo_db_run_int(o, OSQL_SPK_DEL_BELOW, rows[0].id);
		if (rc != OMEMO_OK)
			return rc;
		*gone += (size_t)sqlite3_changes(o->db);
	}
	for (i = 0; i + 1 < n; i++) {
		if (rows[i + 1].made_ms > now_ms ||
		    now_ms - rows[i + 1].made_ms < keep_ms)
			continue;
		if ((rc = omemo_db_run_int(o, OSQL_SPK_DEL, rows[i].id)) !=
		    OMEMO_OK)
			return rc;
		(*gone)++;
	}
	return OMEMO_OK;
}

static int
spk_rotate(struct omemo *o, uint64_t now_ms, struct omemo_spk_change *c)
{
	const uint64_t every_ms = (uint64_t)OMEMO_SPK_ROTATE_S * 1000u;
	struct spk_row rows[SPK_ROWS_MAX + 1];
	struct spk_row *newest;
	size_t n;
	bool more;
	int rc;

	if ((rc = spk_list(o, rows, &n, &more)) != OMEMO_OK)
		return rc;
	if (n == 0)
		return OMEMO_ERR_DB; /* made with the account: a damaged store
				      */
	newest = &rows[n - 1];
	/* a clock that went back makes none until it has caught up */
	if (newest->made_ms <= now_ms && now_ms - newest->made_ms >= every_ms) {
		if (newest->id == SPK_ID_MAX)
			return OMEMO_ERR_CRYPTO; /* 16.7 million rotations */
		rows[n].id = newest->id + 1;
		rows[n].made_ms = now_ms;
		if ((rc = spk_make(o, rows[n].id, now_ms)) != OMEMO_OK)
			return rc;
		c->made = rows[n].id;
		n++;
	}
	return spk_prune(o, rows, n, more, now_ms, &c->deleted);
}

int
omemo_spk_rotate(struct omemo *o, uint64_t now_ms, struct omemo_spk_change *c)
{
	struct omemo_spk_change ignored;
	int rc;

	if (c == NULL)
		c = &ignored;
	c->made = 0;
	c->deleted = 0;
	if (o == NULL)
		return OMEMO_ERR_INVAL;
	if ((rc = omemo_db_begin(o)) != OMEMO_OK)
		return rc;
	rc = omemo_db_end(o, spk_rotate(o, now_ms, c));
	if (rc != OMEMO_OK) {
		c->made = 0;
		c->deleted = 0;
	}
	return rc;
}
