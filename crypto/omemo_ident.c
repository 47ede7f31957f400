/*
 * omemo_ident.c: peers' identity keys as remembered by the store: the
 * trust level the user gave each (device, key), the devices known for a
 * JID, and hex fingerprints of ours and theirs.
 */
#include <stdlib.h>
#include <string.h>

#include "omemo_int.h"

int
omemo_trust_get(struct omemo *o, const char *jid, uint32_t device,
		enum omemo_trust *out)
{
	uint8_t key[OMEMO_KEY_PUB_LEN];
	int rc, t;

	if (out != NULL)
		*out = OMEMO_TRUST_UNDECIDED;
	if (o == NULL || out == NULL ||
	    omemo_check_addr(jid, device) != OMEMO_OK)
		return OMEMO_ERR_INVAL;
	if ((rc = omemo_db_ident_get(o, jid, device, key, &t)) != OMEMO_OK)
		return rc;
	if (t < OMEMO_TRUST_UNDECIDED || t > OMEMO_TRUST_UNTRUSTED)
		return OMEMO_ERR_DB;
	*out = (enum omemo_trust)t;
	return OMEMO_OK;
}

int
omemo_trust_set(struct omemo *o, const char *jid, uint32_t device,
		enum omemo_trust t)
{
	sqlite3_stmt *s;
	int rc = OMEMO_ERR_DB;

	if (o == NULL || omemo_check_addr(jid, device) != OMEMO_OK ||
	    (int)t < OMEMO_TRUST_UNDECIDED || t > OMEMO_TRUST_UNTRUSTED)
		return OMEMO_ERR_INVAL;
	if ((s = omemo_db_stmt(o, OSQL_IDENT_TRUST)) == NULL)
		return rc;
	if (sqlite3_bind_text(s, 2, jid, -1, SQLITE_STATIC) == SQLITE_OK &&
	    sqlite3_bind_int64(s, 3, device) == SQLITE_OK &&
	    sqlite3_bind_int(s, 4, (int)t) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_DONE)
		rc =
		    sqlite3_changes(o->db) > 0 ? OMEMO_OK : OMEMO_ERR_NOSESSION;
	sqlite3_reset(s);
	return rc;
}

int
omemo_known_devices(struct omemo *o, const char *jid, uint32_t **ids, size_t *n)
{
	sqlite3_stmt *s;
	uint32_t *v = NULL, *nv;
	size_t cap = 0, k = 0;
	int rc = OMEMO_ERR_DB, st;

	if (ids != NULL)
		*ids = NULL;
	if (n != NULL)
		*n = 0;
	if (o == NULL || ids == NULL || n == NULL || jid == NULL ||
	    *jid == '\0')
		return OMEMO_ERR_INVAL;
	if ((s = omemo_db_stmt(o, OSQL_IDENT_DEVICES)) == NULL ||
	    sqlite3_bind_text(s, 2, jid, -1, SQLITE_STATIC) != SQLITE_OK)
		goto out;
	while ((st = sqlite3_step(s)) == SQLITE_ROW) {
		if (k == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL) {
				rc = OMEMO_ERR_NOMEM;
				goto out;
			}
			v = nv;
		}
		v[k++] = (uint32_t)sqlite3_column_int64(s, 0);
	}
	if (st == SQLITE_DONE) {
		*ids = v;
		*n = k;
		v = NULL;
		rc = OMEMO_OK;
	}
out:
	if (s != NULL)
		sqlite3_reset(s);
	free(v);
	return rc;
}

/* Lower-case hex of KEY without its type byte into OUT (65 bytes). */
static void
ident_hex(const uint8_t key[OMEMO_KEY_PUB_LEN], char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 1; i < OMEMO_KEY_PUB_LEN; i++) {
		out[2 * (i - 1)] = hex[key[i] >> 4];
		out[2 * (i - 1) + 1] = hex[key[i] & 15];
	}
	out[OMEMO_FPR_HEX] = '\0';
}

int
omemo_fingerprint_own(struct omemo *o, char *out)
{
	if (o == NULL || out == NULL)
		return OMEMO_ERR_INVAL;
	ident_hex(o->identity_pub, out);
	return OMEMO_OK;
}

int
omemo_fingerprint_peer(struct omemo *o, const char *jid, uint32_t device,
		       char *out)
{
	uint8_t key[OMEMO_KEY_PUB_LEN];
	int rc;

	if (out != NULL)
		*out = '\0';
	if (o == NULL || out == NULL ||
	    omemo_check_addr(jid, device) != OMEMO_OK)
		return OMEMO_ERR_INVAL;
	if ((rc = omemo_db_ident_get(o, jid, device, key, NULL)) != OMEMO_OK)
		return rc;
	ident_hex(key, out);
	return OMEMO_OK;
}
