/*
 * gen_omemo.c: makes the OMEMO fuzz harness's fixed state and seed corpus
 * (run by gen.sh): Bob's store as SQL in state.h, and real messages to
 * Bob from Alice and Carol plus real bundles, in fuzz_omemo.c's format.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <session_cipher.h>
#include <protocol.h>

#include "omemo_int.h"

#define ALICE "alice@example.test"
#define BOB "bob@example.test"
#define CAROL "carol@example.test"

static const char *outdir;

static void
die(const char *what, int rc)
{
	fprintf(stderr, "gen_omemo: %s: %d\n", what, rc);
	exit(1);
}

static struct omemo *
account(const char *name, sqlite3 **db)
{
	struct omemo *o;
	int rc;

	if (sqlite3_open(":memory:", db) != SQLITE_OK)
		die("sqlite3_open", 0);
	if ((rc = omemo_open(*db, name, &o)) != OMEMO_OK)
		die("omemo_open", rc);
	return o;
}

static void
start(struct omemo *a, struct omemo *b, const char *bjid)
{
	struct omemo_bundle bundle;
	int rc;

	if ((rc = omemo_own_bundle(b, &bundle)) != OMEMO_OK ||
	    (rc = omemo_session_start(a, bjid, omemo_device_id(b), &bundle)) !=
		OMEMO_OK)
		die("session_start", rc);
}

/* A sends TEXT to B; B reads it when DELIVER. Returns the message. */
static void
sendto(struct omemo *a, const char *ajid, struct omemo *b, const char *bjid,
       const char *text, int deliver, struct omemo_message *m)
{
	struct omemo_addr to = {bjid, omemo_device_id(b)};
	struct omemo_received in;
	uint8_t *plain;
	size_t len;
	int rc;

	rc = omemo_encrypt(a, (const uint8_t *)text, text ? strlen(text) : 0,
			   &to, 1, m);
	if (rc != OMEMO_OK)
		die("encrypt", rc);
	if (!deliver)
		return;
	in = (struct omemo_received){ajid,
				     m->sid,
				     m->keys[0].data,
				     m->keys[0].len,
				     m->keys[0].prekey,
				     m->iv,
				     OMEMO_IV_LEN,
				     m->payload,
				     m->payload_len};
	if ((rc = omemo_decrypt(b, &in, &plain, &len, NULL)) != OMEMO_OK)
		die("decrypt", rc);
	free(plain);
	omemo_message_free(m);
}

static FILE *
out(const char *name)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", outdir, name);
	if ((f = fopen(path, "wb")) == NULL)
		die(path, 0);
	return f;
}

/* One decrypt-mode corpus file (format: see fuzz_omemo.c). */
static void
write_msg(const char *name, int from_carol, const uint8_t *key, size_t klen,
	  int prekey, const uint8_t *iv, size_t ivlen, const uint8_t *payload,
	  size_t plen)
{
	FILE *f = out(name);
	uint8_t flags = (uint8_t)((prekey ? 1 : 0) | (payload ? 2 : 0) |
				  (from_carol ? 4 : 0));

	fputc(0, f);
	fputc(flags, f);
	fputc((int)(klen >> 8), f);
	fputc((int)(klen & 255), f);
	fwrite(key, 1, klen, f);
	fputc((int)ivlen, f);
	fwrite(iv, 1, ivlen, f);
	if (payload != NULL)
		fwrite(payload, 1, plen, f);
	fclose(f);
}

static void
write_message(const char *name, int from_carol, const struct omemo_message *m)
{
	write_msg(name, from_carol, m->keys[0].data, m->keys[0].len,
		  m->keys[0].prekey, m->iv, OMEMO_IV_LEN, m->payload,
		  m->payload_len);
}

/* A bundle-mode corpus file. */
static void
write_bundle(const char *name, int as_alice, const struct omemo_bundle *b)
{
	FILE *f = out(name);
	uint8_t id[4];
	size_t i;

	fputc(1, f);
	fputc(as_alice ? 1 : 0, f);
	fwrite(b->identity_key, 1, OMEMO_KEY_PUB_LEN, f);
	id[0] = (uint8_t)(b->signed_prekey_id >> 24);
	id[1] = (uint8_t)(b->signed_prekey_id >> 16);
	id[2] = (uint8_t)(b->signed_prekey_id >> 8);
	id[3] = (uint8_t)b->signed_prekey_id;
	fwrite(id, 1, 4, f);
	fwrite(b->signed_prekey, 1, OMEMO_KEY_PUB_LEN, f);
	fwrite(b->signed_prekey_sig, 1, OMEMO_SIG_LEN, f);
	fputc(3, f); /* three prekeys keep the file small */
	for (i = 0; i < 3; i++) {
		id[0] = (uint8_t)(b->prekeys[i].id >> 24);
		id[1] = (uint8_t)(b->prekeys[i].id >> 16);
		id[2] = (uint8_t)(b->prekeys[i].id >> 8);
		id[3] = (uint8_t)b->prekeys[i].id;
		fwrite(id, 1, 4, f);
		fwrite(b->prekeys[i].pub, 1, OMEMO_KEY_PUB_LEN, f);
	}
	fclose(f);
}

/* An old sender's message: 16 bytes of key, the tag after the payload. */
static void
write_legacy(struct omemo *a, struct omemo *b, const char *name, size_t ivlen)
{
	signal_protocol_address addr = {BOB, strlen(BOB),
					(int32_t)omemo_device_id(b)};
	uint8_t key[16], iv[16], payload[64], tag[16];
	const char *text = "from an old client";
	size_t len = strlen(text);
	session_cipher *c = NULL;
	ciphertext_message *msg = NULL;
	signal_buffer *ser;

	omemo_random(key, sizeof(key));
	omemo_random(iv, sizeof(iv));
	if (omemo_gcm_encrypt(key, iv, ivlen, (const uint8_t *)text, len,
			      payload, tag) != OMEMO_OK)
		die("gcm", 0);
	memcpy(payload + len, tag, 16);
	if (session_cipher_create(&c, a->store, &addr, a->sctx) < 0 ||
	    session_cipher_encrypt(c, key, 16, &msg) < 0)
		die("legacy encrypt", 0);
	ser = ciphertext_message_get_serialized(msg);
	write_msg(name, 0, signal_buffer_data(ser), signal_buffer_len(ser),
		  ciphertext_message_get_type(msg) == CIPHERTEXT_PREKEY_TYPE,
		  iv, ivlen, payload, len + 16);
	SIGNAL_UNREF(msg);
	session_cipher_free(c);
}

/* Writes one SQL line as a C string literal. */
static void
c_line(FILE *f, const char *s)
{
	fputs("    \"", f);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputs("\\n\"\n", f);
}

/* Bob's whole store as SQL (schema and rows) in state.h. */
static void
write_state(sqlite3 *db, uint32_t alice_dev, uint32_t carol_dev)
{
	sqlite3_stmt *t, *r, *cols;
	FILE *f = out("state.h");
	char sql[1024];
	int rc;

	fputs("/*\n * state.h: Bob's OMEMO store for fuzz_omemo.c, made by "
	      "gen.sh\n * (gen_omemo.c) together with corpus/. Do not edit."
	      "\n */\n",
	      f);
	fprintf(f, "#define FUZZ_ALICE_DEV %uu\n#define FUZZ_CAROL_DEV %uu\n",
		alice_dev, carol_dev);
	fputs("static const char fuzz_state_sql[] =\n", f);
	rc = sqlite3_prepare_v2(db,
				"SELECT name, sql FROM sqlite_master WHERE "
				"type = 'table' AND name LIKE 'omemo_%'"
				" ORDER BY name",
				-1, &t, NULL);
	if (rc != SQLITE_OK)
		die("sqlite_master", rc);
	while (sqlite3_step(t) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(t, 0);
		char *expr = NULL;
		size_t elen = 0;

		snprintf(sql, sizeof(sql), "%s;",
			 (const char *)sqlite3_column_text(t, 1));
		c_line(f, sql);
		/* 'INSERT INTO t VALUES(' || quote(c1) || ',' || ... */
		snprintf(sql, sizeof(sql),
			 "SELECT name FROM pragma_table_info"
			 "('%s') ORDER BY cid",
			 name);
		if (sqlite3_prepare_v2(db, sql, -1, &cols, NULL) != SQLITE_OK)
			die("table_info", 0);
		while (sqlite3_step(cols) == SQLITE_ROW) {
			const char *c =
			    (const char *)sqlite3_column_text(cols, 0);
			expr = realloc(expr, elen + strlen(c) + 32);
			if (expr == NULL)
				die("realloc", 0);
			elen += (size_t)sprintf(expr + elen, "%squote(%s)",
						elen ? " || ',' || " : "", c);
		}
		sqlite3_finalize(cols);
		snprintf(
		    sql, sizeof(sql),
		    "SELECT 'INSERT INTO %s VALUES(' || %s || ');' FROM %s",
		    name, expr, name);
		free(expr);
		if (sqlite3_prepare_v2(db, sql, -1, &r, NULL) != SQLITE_OK)
			die("dump", 0);
		while (sqlite3_step(r) == SQLITE_ROW)
			c_line(f, (const char *)sqlite3_column_text(r, 0));
		sqlite3_finalize(r);
	}
	sqlite3_finalize(t);
	fputs("    ;\n", f);
	fclose(f);
}

int
main(int argc, char **argv)
{
	sqlite3 *adb, *bdb, *cdb;
	struct omemo *alice, *bob, *carol;
	struct omemo_message m;
	struct omemo_bundle bundle;
	char name[64];
	int i;

	if (argc != 2) {
		fprintf(stderr, "usage: gen_omemo OUTDIR\n");
		return 2;
	}
	outdir = argv[1];
	alice = account(ALICE, &adb);
	bob = account(BOB, &bdb);
	carol = account(CAROL, &cdb);

	/* Alice and Bob talk; then messages Bob has not read yet */
	start(alice, bob, BOB);
	sendto(alice, ALICE, bob, BOB, "hello bob", 1, &m);
	sendto(bob, BOB, alice, ALICE, "hello alice", 1, &m);
	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "msg-alice-%d", i);
		sendto(alice, ALICE, bob, BOB,
		       "a chat message of the usual size, "
		       "give or take a few words",
		       0, &m);
		write_message(name, 0, &m);
		omemo_message_free(&m);
	}
	sendto(alice, ALICE, bob, BOB, NULL, 0, &m);
	write_message("msg-key-transport", 0, &m);
	omemo_message_free(&m);
	write_legacy(alice, bob, "msg-tag-in-payload", 12);
	write_legacy(alice, bob, "msg-iv16", 16);
	/* Carol's first message: a PreKeySignalMessage using up a prekey */
	start(carol, bob, BOB);
	sendto(carol, CAROL, bob, BOB, "hi bob, carol here", 0, &m);
	write_message("msg-carol-prekey", 1, &m);
	omemo_message_free(&m);

	if (omemo_own_bundle(alice, &bundle) != OMEMO_OK)
		die("bundle", 0);
	write_bundle("bundle-alice", 1, &bundle);
	if (omemo_own_bundle(carol, &bundle) != OMEMO_OK)
		die("bundle", 0);
	write_bundle("bundle-new-device", 0, &bundle);

	write_state(bdb, omemo_device_id(alice), omemo_device_id(carol));
	omemo_close(alice);
	omemo_close(bob);
	omemo_close(carol);
	sqlite3_close(adb);
	sqlite3_close(bdb);
	sqlite3_close(cdb);
	return 0;
}
