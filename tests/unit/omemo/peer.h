/*
 * peer.h: test helpers for crypto/'s OMEMO library: an account with its
 * own SQLite database, sessions from bundles, messages sent and delivered,
 * and a snapshot of the omemo_* tables to prove a failure changed nothing.
 */
#ifndef WARD_TEST_OMEMO_PEER_H
#define WARD_TEST_OMEMO_PEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "omemo.h"

struct peer {
	struct sqlite3 *db;
	struct omemo *o;
	const char *jid;
	const char *account;
	char path[256]; /* "" for an in-memory database */
};

/* Opens P (PATH NULL: in memory). Fails the test on error. */
void peer_open(struct peer *p, const char *jid, const char *path);
void peer_close(struct peer *p);
/* Closes and opens P's database again (file databases only). */
void peer_reopen(struct peer *p);
uint32_t peer_dev(const struct peer *p);

/* A starts a session with B from B's current bundle; returns the rc. */
int peer_start(struct peer *a, struct peer *b);

/* A encrypts TEXT (NULL: key transport) for B; fails the test on error. */
void peer_send(struct peer *a, struct peer *b, const char *text,
	       struct omemo_message *m);
/* A encrypts TEXT for the N peers in TO. */
void peer_send_many(struct peer *a, struct peer **to, size_t n,
		    const char *text, struct omemo_message *m);
/* The key of M for B's device, or NULL. */
const struct omemo_key *peer_key_for(const struct omemo_message *m,
				     const struct peer *b);
/* B decrypts M from A (its key for B); the rc, *plain set on success. */
int peer_recv(struct peer *b, struct peer *a, const struct omemo_message *m,
	      char **plain, bool *changed);
/* Sends TEXT from A to B and checks that B reads exactly TEXT. */
void peer_roundtrip(struct peer *a, struct peer *b, const char *text);

/* Every row of every omemo_* table of P's account, as one string. */
char *peer_snapshot(struct peer *p);
/* Asserts that P's store equals BEFORE, a peer_snapshot (and frees it). */
void assert_unchanged(struct peer *p, char *before);

#endif
