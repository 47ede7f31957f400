/*
 * serverpin.h: the one place that decides whether a server's TLS session
 * may carry a login: DANE, a CA and the key pinned for the account (SPKI
 * SHA-256, first seen wins), with a cert-changed prompt when the key moves.
 */
#ifndef WARD_SERVERPIN_H
#define WARD_SERVERPIN_H

#include "conn.h"

/* The store's pin kind, followed by the JID domain ("tls-spki:D"). */
#define SERVERPIN_KIND "tls-spki"

enum serverpin_action {
	SERVERPIN_ACCEPT,	/* go on with the login */
	SERVERPIN_ASK,		/* the pinned key changed: the user decides */
	SERVERPIN_REFUSE,	/* never: code and reason say why */
};

/* What is known once the handshake is done. Strings are borrowed. */
struct serverpin_facts {
	enum conn_dane dane;	/* secure TLSA: none, match or mismatch */
	int ca_valid;		/* a trusted CA vouches for the JID domain */
	const char *spki;	/* hex SHA-256 of the presented key ("" none) */
	const char *pinned;	/* the account's pin, NULL when none yet */
};

/* The decision. Every string is static. */
struct serverpin_verdict {
	enum serverpin_action action;
	const char *auth_by;	/* ACCEPT: "dane", "ca" or "pin" */
	const char *pin_state;	/* ACCEPT: "first-use", "match" or
				   "changed-dane"; ASK: "changed" */
	int store_pin;		/* ACCEPT: record spki as the new pin */
	const char *vouched_by;	/* ASK: "ca" or "none" */
	const char *code;	/* REFUSE: contract error code */
	const char *reason;	/* REFUSE: for people */
};

/*
 * The rules, without I/O (tests/unit/serverpin):
 *  - no certificate: refuse (cert-untrusted);
 *  - DANE mismatch: refuse (dane-mismatch), whatever a CA or the pin say;
 *  - DANE match: accept ("dane"); a key other than the pinned one is
 *    pinned instead and only reported (changed-dane);
 *  - the pinned key: accept ("ca" when a CA vouches too, else "pin");
 *  - no pin yet: accept and pin when a CA vouches, else refuse
 *    (cert-untrusted): nothing is trusted on first use alone;
 *  - another key than the pinned one: ask (vouched_by "ca" or "none").
 */
void serverpin_decide(const struct serverpin_facts *f,
    struct serverpin_verdict *v);

struct account;

/*
 * conn_cbs.verify for an account (arg): reads the pin, decides, stores a
 * new pin, reports a DANE-vouched change (an info event) and asks with a
 * cert-changed prompt: /accept pins the new key and resumes the
 * connection, /reject ends it with error cert-changed.
 */
enum conn_verdict serverpin_verify(void *arg, const struct conn_report *r,
    struct conn_refusal *why);
/* The connection ended: an open prompt is withdrawn, the state freed. */
void serverpin_end(struct account *a);
/* For the report: "dane", "ca", "pin" (or "none" before a decision). */
const char *serverpin_auth_by(const struct account *a);
/* "first-use", "match", "changed-dane", "accepted" (or "none"). */
const char *serverpin_pin_state(const struct account *a);

#endif
