/*
 * audit_login.c: the login of `ward audit --account NAME` (audit_login.h):
 * STARTTLS or direct TLS to the audited target, the certificate checked
 * before anything of the account is sent, one SCRAM attempt, resource
 * binding, then iq gets. Nothing else is ever sent: no presence, no
 * message, no roster, no registration.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "audit_login.h"
#include "base64.h"
#include "cbpin.h"
#include "config.h"
#include "jid.h"
#include "password.h"
#include "scram.h"
#include "stanza.h"
#include "tls.h"
#include "ward.h"
#include "xmlstream.h"

#define NS_BIND "urn:ietf:params:xml:ns:xmpp-bind"
#define NS_SASL_CB "urn:xmpp:sasl-cb:0"
#define LOGIN_MAX_MECHS 32
#define LOGIN_MAX_CBTYPES 16
#define LOGIN_CBDATA_MAX 64

/* The client context: the account's lowest TLS version, the system's
 * anchors and ca_file, the domain as the reference identity. */
static SSL_CTX *
login_ctx(const struct audit *au, const struct account_config *ac,
	  int direct_tls)
{
	static const unsigned char alpn[] = "\x0bxmpp-client";
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (ctx == NULL)
		return NULL;
	if (!SSL_CTX_set_min_proto_version(
		ctx, ac->tls_min == 12 ? TLS1_2_VERSION : TLS1_3_VERSION) ||
	    SSL_CTX_set_default_verify_paths(ctx) != 1 ||
	    (au->ca_file != NULL &&
	     SSL_CTX_load_verify_locations(ctx, au->ca_file, NULL) != 1) ||
	    X509_VERIFY_PARAM_set1_host(SSL_CTX_get0_param(ctx), au->domain,
					0) != 1 ||
	    (direct_tls &&
	     SSL_CTX_set_alpn_protos(ctx, alpn, sizeof(alpn) - 1) != 0)) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	/* verified after the handshake, to say why it failed */
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	return ctx;
}

/* TLS up and the server proven: PKIX for the domain, or DANE where the
 * target publishes SECURE TLSA records (the session's rule). */
static int
login_tls(struct alogin *l, const struct audit *au,
	  const struct account_config *ac, const struct audit_target *t,
	  char *why, size_t whylen)
{
	SSL_CTX *ctx = login_ctx(au, ac, t->direct_tls);
	char rec[64];
	long vr;
	int r, dane;

	if (ctx == NULL) {
		snprintf(why, whylen,
			 "OpenSSL cannot set up the login's "
			 "TLS context (check ca_file)");
		return -1;
	}
	r = aprobe_tls(&l->p, ctx, au->domain, why, whylen);
	SSL_CTX_free(ctx); /* the session keeps its reference */
	if (r != 0)
		return -1;
	snprintf(l->version, sizeof(l->version), "%s",
		 SSL_get_version(l->p.ssl));
	vr = SSL_get_verify_result(l->p.ssl);
	dane = audit_dane_match(t, l->p.ssl, rec, sizeof(rec));
	if (dane == 0) {
		snprintf(why, whylen,
			 "%s:%u: the certificate matches none of the TLSA "
			 "records: no login",
			 t->host, t->port);
		return -1;
	}
	if (dane < 0 && vr != X509_V_OK) {
		snprintf(why, whylen,
			 "%s:%u: certificate not valid for %s (%s): no login",
			 t->host, t->port, au->domain,
			 X509_verify_cert_error_string(vr));
		return -1;
	}
	return 0;
}

/* The text of an element's first child, or NULL. */
static const char *
first_text(xmpp_stanza_t *st)
{
	xmpp_stanza_t *c = xmpp_stanza_get_children(st);

	return c != NULL && xmpp_stanza_is_text(c) ? xmpp_stanza_get_text_ptr(c)
						   : NULL;
}

/* Reads the SASL offer of features; *ssdp gets the XEP-0474 string. 0,
 * or -1 with why. */
static int
login_offer(xmpp_stanza_t *features, int tls13, struct cbpin_offer *o,
	    char **ssdp, char *why, size_t whylen)
{
	const char *names[LOGIN_MAX_MECHS], *types[LOGIN_MAX_CBTYPES], *v;
	xmpp_stanza_t *m, *c;
	size_t n = 0, nt = 0;

	memset(o, 0, sizeof(*o));
	*ssdp = NULL;
	m = xmpp_stanza_get_child_by_name_and_ns(features, "mechanisms",
						 AUDIT_NS_SASL);
	for (c = m ? xmpp_stanza_get_children(m) : NULL; c != NULL;
	     c = xmpp_stanza_get_next(c)) {
		if (!xmpp_stanza_is_tag(c) ||
		    strcmp(xmpp_stanza_get_name(c), "mechanism") != 0 ||
		    (v = first_text(c)) == NULL)
			continue;
		if (n == LOGIN_MAX_MECHS) {
			snprintf(why, whylen, "the SASL offer is too long");
			return -1;
		}
		names[n++] = v;
		cbpin_offer_mech(o, v);
	}
	if (n == 0) {
		snprintf(why, whylen, "no SASL mechanisms offered after TLS");
		return -1;
	}
	m = xmpp_stanza_get_child_by_name_and_ns(
	    features, "sasl-channel-binding", NS_SASL_CB);
	if (m != NULL)
		o->xep0440 = 1;
	for (c = m ? xmpp_stanza_get_children(m) : NULL; c != NULL;
	     c = xmpp_stanza_get_next(c)) {
		if (!xmpp_stanza_is_tag(c) ||
		    strcmp(xmpp_stanza_get_name(c), "channel-binding") != 0 ||
		    (v = xmpp_stanza_get_attribute(c, "type")) == NULL)
			continue;
		if (nt == LOGIN_MAX_CBTYPES) {
			snprintf(why, whylen,
				 "the channel-binding offer is "
				 "too long");
			return -1;
		}
		types[nt++] = v;
		cbpin_offer_cb(o, v);
	}
	o->tls13 = tls13;
	*ssdp = cbpin_ssdp_string(names, n, types, nt);
	if (*ssdp == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	return 0;
}

/* Sends <NAME xmlns=SASL [mechanism=MECH]>base64(data)</NAME>; data is
 * wiped by the caller. */
static int
sasl_send(struct alogin *l, const char *name, const char *mech,
	  const char *data, size_t len)
{
	char *b64 = base64_encode(data, len), *text = NULL;
	int r;

	if (b64 == NULL)
		return -1;
	xasprintf(&text, "<%s xmlns='%s'%s%s%s>%s</%s>", name, AUDIT_NS_SASL,
		  mech ? " mechanism='" : "", mech ? mech : "", mech ? "'" : "",
		  b64, name);
	r = aprobe_send(&l->p, text);
	freezero_str(text);
	freezero_str(b64);
	return r;
}

/* The next SASL element: challenge, success or failure (caller
 * releases). NULL with why. */
static xmpp_stanza_t *
sasl_next(struct alogin *l, char *why, size_t whylen)
{
	xmpp_stanza_t *st = aprobe_next(&l->p);
	const char *ns;

	if (st == NULL) {
		snprintf(why, whylen, "SASL: %s",
			 l->p.timed_out ? "no answer within the timeout"
					: "the server closed the stream");
		return NULL;
	}
	ns = xmpp_stanza_get_ns(st);
	if (ns == NULL || strcmp(ns, AUDIT_NS_SASL) != 0) {
		snprintf(why, whylen, "SASL: unexpected <%.40s/>",
			 xmpp_stanza_get_name(st));
		xmpp_stanza_release(st);
		return NULL;
	}
	return st;
}

/* Decodes the base64 text of a SASL element. 0 or -1. */
static int
sasl_data(xmpp_stanza_t *st, unsigned char **out, size_t *len)
{
	const char *t = first_text(st);

	*out = NULL;
	*len = 0;
	if (t == NULL || *t == '\0' || strcmp(t, "=") == 0)
		return -1;
	return base64_decode(t, strlen(t), out, len) == WARD_OK ? 0 : -1;
}

/* One SCRAM exchange as chosen; 0 once the server's signature is
 * verified, else -1 with why. */
static int
login_scram(struct alogin *l, const struct cbpin_choice *ch, const char *local,
	    const char *password, const char *ssdp, char *why, size_t whylen)
{
	unsigned char cb[LOGIN_CBDATA_MAX], *data = NULL;
	const char *cbname = cb_type_name(ch->cb);
	char flag[48], *msg = NULL;
	struct scram *s = NULL;
	xmpp_stanza_t *st = NULL;
	size_t cblen = 0, len, dlen;
	int ok = -1, r;

	if (ch->plus) {
		if (tls_ssl_channel_binding(l->p.ssl, cbname, cb, sizeof(cb),
					    &cblen) != WARD_OK) {
			snprintf(why, whylen,
				 "cannot compute the %s binding "
				 "of this TLS session",
				 cbname);
			return -1;
		}
		snprintf(flag, sizeof(flag), "p=%s", cbname);
	} else {
		snprintf(flag, sizeof(flag), "y");
	}
	snprintf(l->mech, sizeof(l->mech), "%s",
		 scram_mech_name(ch->hash, ch->plus));
	snprintf(l->cb, sizeof(l->cb), "%s", ch->plus ? cbname : "none");
	r = scram_new(ch->hash, local, password, flag, cblen ? cb : NULL, cblen,
		      NULL, &s);
	explicit_bzero(cb, sizeof(cb));
	if (r != WARD_OK || scram_client_first(s, &msg, &len) != WARD_OK ||
	    sasl_send(l, "auth", l->mech, msg, len) != 0) {
		snprintf(why, whylen, "cannot start %s", l->mech);
		goto out;
	}
	free(msg);
	msg = NULL;
	if ((st = sasl_next(l, why, whylen)) == NULL)
		goto out;
	if (strcmp(xmpp_stanza_get_name(st), "challenge") != 0 ||
	    sasl_data(st, &data, &dlen) != 0)
		goto refused;
	r = scram_client_final(s, (const char *)data, dlen, &msg, &len);
	free(data);
	data = NULL;
	if (r != WARD_OK) {
		snprintf(why, whylen,
			 "the server's SCRAM challenge refused "
			 "(bad nonce, salt or iteration count)");
		goto out;
	}
	r = scram_ssdp_check(s, ssdp, strlen(ssdp));
	if (r != WARD_OK && r != WARD_ERR_NOTFOUND) {
		snprintf(why, whylen,
			 "the XEP-0474 hash does not match the "
			 "offer seen: someone changed it");
		goto out;
	}
	r = sasl_send(l, "response", NULL, msg, len);
	explicit_bzero(msg, len);
	if (r != 0) {
		snprintf(why, whylen, "cannot send the SCRAM response");
		goto out;
	}
	xmpp_stanza_release(st);
	if ((st = sasl_next(l, why, whylen)) == NULL)
		goto out;
	if (strcmp(xmpp_stanza_get_name(st), "success") != 0)
		goto refused;
	if (sasl_data(st, &data, &dlen) != 0 ||
	    scram_verify_server_final(s, (const char *)data, dlen) != WARD_OK) {
		snprintf(why, whylen,
			 "wrong or missing SCRAM server "
			 "signature: the server did not prove "
			 "it knows the password");
		goto out;
	}
	ok = 0;
	goto out;
refused:
	if (strcmp(xmpp_stanza_get_name(st), "failure") == 0) {
		xmpp_stanza_t *c = xmpp_stanza_get_children(st);
		while (c != NULL &&
		       (!xmpp_stanza_is_tag(c) ||
			strcmp(xmpp_stanza_get_name(c), "text") == 0))
			c = xmpp_stanza_get_next(c);
		snprintf(why, whylen, "authentication failed: %.60s",
			 c ? xmpp_stanza_get_name(c) : "no reason given");
	} else {
		snprintf(why, whylen, "SASL: malformed <%.40s/>",
			 xmpp_stanza_get_name(st));
	}
out:
	if (st != NULL)
		xmpp_stanza_release(st);
	free(data);
	if (msg != NULL)
		freezero_str(msg);
	scram_free(s);
	return ok;
}

/* The stream after SASL: a resource chosen by the server (never the
 * account's own, which would replace a running session). */
static int
login_bind(struct alogin *l, char *why, size_t whylen)
{
	xmpp_stanza_t *f = aprobe_stream(&l->p, l->domain), *res;
	int ok;

	if (f == NULL) {
		snprintf(why, whylen, "no stream features after SASL");
		return -1;
	}
	ok = xmpp_stanza_get_child_by_name_and_ns(f, "bind", NS_BIND) != NULL;
	xmpp_stanza_release(f);
	if (!ok) {
		snprintf(why, whylen, "no resource binding offered");
		return -1;
	}
	res = alogin_iq(l, "set", NULL, stanza_elem(l->xctx, "bind", NS_BIND),
			why, whylen);
	if (res == NULL)
		return -1;
	ok = strcmp(xmpp_stanza_get_type(res) ? xmpp_stanza_get_type(res) : "",
		    "result") == 0;
	xmpp_stanza_release(res);
	if (!ok)
		snprintf(why, whylen, "resource binding refused");
	return ok ? 0 : -1;
}

int
alogin_open(struct alogin *l, const struct audit *au,
	    const struct account_config *ac, char *why, size_t whylen)
{
	const struct audit_target *t = audit_probe_target(au);
	struct cbpin_offer offer;
	struct cbpin_choice choice;
	struct jid j;
	xmpp_stanza_t *f = NULL;
	char *ssdp = NULL, *pw = NULL;
	const char *pwhy;
	int r, ok = -1;

	memset(l, 0, sizeof(*l));
	memset(&j, 0, sizeof(j));
	l->p.fd = -1;
	l->domain = au->domain;
	if (jid_parse(ac->jid, &j) != WARD_OK || j.local == NULL) {
		snprintf(why, whylen, "the account's jid cannot be read");
		goto out;
	}
	if (t == NULL) {
		snprintf(why, whylen, "no server address usable");
		goto out;
	}
	if ((l->xctx = xmpp_ctx_new(NULL, NULL)) == NULL) {
		snprintf(why, whylen, "out of memory");
		goto out;
	}
	if (aprobe_to_tls(&l->p, l->xctx, au->domain, t, au->timeout_ms, NULL,
			  why, whylen) != 0)
		goto out;
	if (login_tls(l, au, ac, t, why, whylen) != 0)
		goto out;
	if ((f = aprobe_stream(&l->p, au->domain)) == NULL) {
		snprintf(why, whylen, "no stream features after TLS");
		goto out;
	}
	if (login_offer(f, SSL_version(l->p.ssl) == TLS1_3_VERSION, &offer,
			&ssdp, why, whylen) != 0)
		goto out;
	r = cbpin_choose(&offer, &choice);
	if (r == WARD_ERR_POLICY) {
		snprintf(why, whylen,
			 "SCRAM-PLUS offered only with a "
			 "channel binding unusable on %s: ward "
			 "will not drop the binding",
			 l->version);
		goto out;
	}
	if (r != WARD_OK) {
		snprintf(why, whylen,
			 "no SCRAM offered: ward never sends a "
			 "password otherwise");
		goto out;
	}
	/* only now, with the server proven and SCRAM agreed */
	if (password_of_account(ac, &pw, &pwhy) != WARD_OK) {
		snprintf(why, whylen, "%s", pwhy);
		goto out;
	}
	if (login_scram(l, &choice, j.local, pw, ssdp, why, whylen) != 0)
		goto out;
	xmlstream_reset(l->p.xs);
	if (login_bind(l, why, whylen) != 0)
		goto out;
	ok = 0;
out:
	if (pw != NULL)
		freezero_str(pw);
	free(ssdp);
	if (f != NULL)
		xmpp_stanza_release(f);
	jid_clear(&j);
	if (ok != 0)
		alogin_close(l);
	return ok;
}

xmpp_stanza_t *
alogin_iq(struct alogin *l, const char *type, const char *to,
	  xmpp_stanza_t *payload, char *why, size_t whylen)
{
	xmpp_stanza_t *iq, *st;
	char id[32];
	int r, stream_error = 0;

	snprintf(id, sizeof(id), "ward-audit-%u", ++l->seq);
	iq = xmpp_iq_new(l->xctx, type, id);
	if (to != NULL)
		xmpp_stanza_set_to(iq, to);
	stanza_adopt(iq, payload);
	r = aprobe_send_stanza(&l->p, iq);
	xmpp_stanza_release(iq);
	if (r != 0) {
		snprintf(why, whylen, "cannot send the iq");
		return NULL;
	}
	l->p.deadline = now_ms() + l->p.timeout_ms;
	while ((st = aprobe_next(&l->p)) != NULL) {
		const char *name = xmpp_stanza_get_name(st);
		const char *sid = xmpp_stanza_get_id(st);
		const char *from = xmpp_stanza_get_from(st);
		const char *styp = xmpp_stanza_get_type(st);

		if (strcmp(name, "error") == 0) {
			xmpp_stanza_t *c = xmpp_stanza_get_children(st);
			while (c != NULL && !xmpp_stanza_is_tag(c))
				c = xmpp_stanza_get_next(c);
			snprintf(why, whylen, "stream error %.60s",
				 c ? xmpp_stanza_get_name(c) : "?");
			xmpp_stanza_release(st);
			stream_error = 1;
			break;
		}
		if (strcmp(name, "iq") == 0 && sid != NULL &&
		    strcmp(sid, id) == 0 && styp != NULL &&
		    (strcmp(styp, "result") == 0 ||
		     strcmp(styp, "error") == 0) &&
		    (from == NULL || to == NULL || strcasecmp(from, to) == 0)) {
			l->p.deadline = 0;
			return st;
		}
		xmpp_stanza_release(st); /* not ours: a push, a forgery */
	}
	if (!stream_error)
		snprintf(why, whylen, "%s",
			 l->p.timed_out ? "no answer within the timeout"
					: "the server closed the stream");
	l->p.deadline = 0;
	return NULL;
}

void
alogin_close(struct alogin *l)
{
	if (l->xctx == NULL)
		return;
	aprobe_end(&l->p);
	aprobe_close(&l->p);
	xmpp_ctx_free(l->xctx);
	l->xctx = NULL;
}
