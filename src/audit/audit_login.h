/*
 * audit_login.h: the one login of `ward audit DOMAIN --account NAME`, for
 * the rules only a logged-in client can see. A blocking session of its own
 * (never ward's core: no presence, no roster, no OMEMO, no database): the
 * audit's probe connection to the audited target, the certificate verified
 * (PKIX, or DANE when the target publishes SECURE TLSA records), SCRAM
 * with the strongest mechanism and channel binding offered (scram.c,
 * cbpin.c, the server's signature and XEP-0474 checked), the password
 * taken as a session takes it (password.c), a resource bound by the
 * server; then iq gets only.
 */
#ifndef WARD_AUDIT_LOGIN_H
#define WARD_AUDIT_LOGIN_H

#include "audit_io.h"

struct account_config;

struct alogin {
	struct aprobe p;
	xmpp_ctx_t *xctx;
	const char *domain;
	unsigned seq;     /* iq ids: ward-audit-N */
	char mech[32];    /* "SCRAM-SHA-256-PLUS" */
	char cb[24];      /* the binding used, "none" */
	char version[16]; /* "TLSv1.3" */
};

/* Logs ac in on au's probe target (ac's JID must be on au->domain).
 * 0, or -1 with why (nothing to free then). The password lives only
 * inside this call and is wiped. */
int alogin_open(struct alogin *l, const struct audit *au,
		const struct account_config *ac, char *why, size_t whylen);
/* Sends <iq type=TYPE to=TO> around payload (taken over) and waits for
 * its answer: the result or error stanza (caller releases), or NULL with
 * why (no answer within the timeout, the stream closed). Answers with
 * another id, or from another address than TO, are skipped. */
xmpp_stanza_t *alogin_iq(struct alogin *l, const char *type, const char *to,
			 xmpp_stanza_t *payload, char *why, size_t whylen);
/* Ends the stream cleanly and frees the session. */
void alogin_close(struct alogin *l);

#endif
