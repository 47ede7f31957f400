/*
 * peer.c: test helpers for crypto/'s OMEMO library (see peer.h): accounts
 * on their own databases, bundles, sending, delivering, store snapshots.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "peer.h"

static void
peer_db(struct peer *p)
{
	const char *name = p->path[0] != '\0' ? p->path : ":memory:";

	assert_int_equal(sqlite3_open(name, &p->db), SQLITE_OK);
	if (p->path[0] != '\0')
		assert_int_equal(sqlite3_exec(p->db,
					      "PRAGMA journal_mode = WAL;"
					      "PRAGMA synchronous = OFF;"
					      "PRAGMA secure_delete = ON",
					      NULL, NULL, NULL),
				 SQLITE_OK);
	assert_int_equal(omemo_open(p->db, p->account, &p->o), OMEMO_OK);
	assert_non_null(p->o);
}

void
peer_open(struct peer *p, const char *jid, const char *path)
{
	memset(p, 0, sizeof(*p));
	p->jid = jid;
	p->account = jid;
	if (path != NULL)
		snprintf(p->path, sizeof(p->path), "%s", path);
	peer_db(p);
}

void
peer_close(struct peer *p)
{
	omemo_close(p->o);
	p->o = NULL;
	if (p->db != NULL)
		assert_int_equal(sqlite3_close(p->db), SQLITE_OK);
	p->db = NULL;
}

void
peer_reopen(struct peer *p)
{
	assert_true(p->path[0] != '\0');
	peer_close(p);
	peer_db(p);
}

uint32_t
peer_dev(const struct peer *p)
{
	return omemo_device_id(p->o);
}

int
peer_start(struct peer *a, struct peer *b)
{
	struct omemo_bundle bundle;

	assert_int_equal(omemo_own_bundle(b->o, &bundle), OMEMO_OK);
	return omemo_session_start(a->o, b->jid, peer_dev(b), &bundle);
}

void
peer_send_many(struct peer *a, struct peer **to, size_t n, const char *text,
	       struct omemo_message *m)
{
	struct omemo_addr addr[8];
	size_t i;

	assert_true(n <= 8);
	for (i = 0; i < n; i++) {
		addr[i].jid = to[i]->jid;
		addr[i].device = peer_dev(to[i]);
	}
	assert_int_equal(omemo_encrypt(a->o, (const uint8_t *)text,
				       text != NULL ? strlen(text) : 0, addr, n,
				       m),
			 OMEMO_OK);
	assert_int_equal(m->sid, peer_dev(a));
	assert_int_equal(m->n_keys, n);
}

void
peer_send(struct peer *a, struct peer *b, const char *text,
	  struct omemo_message *m)
{
	peer_send_many(a, &b, 1, text, m);
}

const struct omemo_key *
peer_key_for(const struct omemo_message *m, const struct peer *b)
{
	size_t i;

	for (i = 0; i < m->n_keys; i++)
		if (m->keys[i].device == peer_dev(b) &&
		    strcmp(m->keys[i].jid, b->jid) == 0)
			return &m->keys[i];
	return NULL;
}

int
peer_recv(struct peer *b, struct peer *a, const struct omemo_message *m,
	  char **plain, bool *changed)
{
	const struct omemo_key *k = peer_key_for(m, b);
	struct omemo_received in = {
	    .from_jid = a->jid,
	    .sid = m->sid,
	    .iv = m->iv,
	    .iv_len = OMEMO_IV_LEN,
	    .payload = m->payload,
	    .payload_len = m->payload_len,
	};
	uint8_t *p = NULL;
	size_t len = 0;
	int rc;

	assert_non_null(k);
	in.key = k->data;
	in.key_len = k->len;
	in.prekey = k->prekey;
	rc = omemo_decrypt(b->o, &in, &p, &len, changed);
	if (rc == OMEMO_OK && p != NULL)
		assert_int_equal(strlen((char *)p), len);
	if (rc != OMEMO_OK)
		assert_null(p);
	*plain = (char *)p;
	return rc;
}

void
peer_roundtrip(struct peer *a, struct peer *b, const char *text)
{
	struct omemo_message m;
	char *plain;

	peer_send(a, b, text, &m);
	assert_int_equal(peer_recv(b, a, &m, &plain, NULL), OMEMO_OK);
	assert_string_equal(plain, text);
	free(plain);
	omemo_message_free(&m);
}

/* A growing string. */
struct sbuf {
	char *p;
	size_t len, cap;
};

/* Appends N bytes of S. */
static void
cat(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		while (b->len + n + 1 > b->cap)
			b->cap = b->cap == 0 ? 4096 : b->cap * 2;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* Appends every row of TABLE. */
static void
dump_table(sqlite3 *db, const char *table, struct sbuf *b)
{
	static const char hex[] = "0123456789abcdef";
	char sql[128], num[32], h[2];
	sqlite3_stmt *s;
	int i, k;

	snprintf(sql, sizeof(sql), "SELECT * FROM %s", table);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	cat(b, table, strlen(table));
	while (sqlite3_step(s) == SQLITE_ROW) {
		cat(b, "\n", 1);
		for (i = 0; i < sqlite3_column_count(s); i++) {
			const uint8_t *v;

			switch (sqlite3_column_type(s, i)) {
			case SQLITE_BLOB:
				v = sqlite3_column_blob(s, i);
				for (k = 0; k < sqlite3_column_bytes(s, i);
				     k++) {
					h[0] = hex[v[k] >> 4];
					h[1] = hex[v[k] & 15];
					cat(b, h, 2);
				}
				break;
			case SQLITE_INTEGER:
				snprintf(num, sizeof(num), "%lld",
					 sqlite3_column_int64(s, i));
				cat(b, num, strlen(num));
				break;
			default:
				if (sqlite3_column_text(s, i) != NULL)
					cat(b,
					    (const char *)sqlite3_column_text(
						s, i),
					    (size_t)sqlite3_column_bytes(s, i));
			}
			cat(b, "|", 1);
		}
	}
	sqlite3_finalize(s);
	cat(b, "\n", 1);
}

char *
peer_snapshot(struct peer *p)
{
	static const char *const tables[] = {
	    "omemo_schema",        "omemo_account", "omemo_prekey",
	    "omemo_signed_prekey", "omemo_session", "omemo_identity"};
	struct sbuf b = {NULL, 0, 0};
	size_t i;

	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		dump_table(p->db, tables[i], &b);
	return b.p;
}

void
assert_unchanged(struct peer *p, char *before)
{
	char *now = peer_snapshot(p);

	assert_string_equal(now, before);
	free(now);
	free(before);
}
