/*
 * sasl.h: SASL for one account's connection: SCRAM(-PLUS) with the
 * strongest channel binding both sides allow, XEP-0440 and XEP-0474, the
 * pins of the strongest mechanism and binding ever used, and the prompt
 * that a weaker offer needs before anything is sent.
 */
#ifndef WARD_SASL_H
#define WARD_SASL_H

#include <strophe.h>

struct account;

#define NS_SASL "urn:ietf:params:xml:ns:xmpp-sasl"
#define NS_SASL_CB "urn:xmpp:sasl-cb:0"

/* Store kinds of the pins (per account). */
#define PIN_SASL_MECH "sasl-mech"
#define PIN_CB_TYPE "cb-type"
#define PIN_CB_ADVERTISED "cb-types-advertised"

/* The stream features before authentication: choose, check the pins,
 * then send <auth/> or ask the user (prompt kind "sasl-downgrade"). */
void sasl_features(struct account *a, xmpp_stanza_t *features);
/* A top-level element in the SASL namespace. */
void sasl_element(struct account *a, xmpp_stanza_t *st);
/* The connection is going: forget the exchange, drop an open prompt. */
void sasl_end(struct account *a);

/* session.c: (re)arms or stops the login timeout (TLS up -> online). */
void session_login_timer(struct account *a, int on);

#endif
