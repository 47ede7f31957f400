/*
 * audit_tls.c: the TLS rules of `ward audit`, each probed on its own
 * connection with its own OpenSSL context (never ward's session context):
 * TLS 1.3 and 1.2 accepted, 1.0/1.1 refused (offered at security level 0),
 * SSL 3 (not built into Debian's OpenSSL: unknown, with that reason), only
 * forward-secret suites (RSA key exchange alone offered under TLS 1.2), the
 * certificate (chain, name, expiry) and DANE per SRV target (dane.c). The
 * version and suite probes run on every target, STARTTLS and XEP-0368
 * direct TLS alike, and a rule's evidence names each target when they
 * differ. Each probe does the XMPP STARTTLS dance, or direct TLS (with
 * ALPN xmpp-client) for an xmpps target, and never logs in.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "audit.h"
#include "audit_io.h"
#include "dane.h"
#include "ward.h"

/* A client context for one probe: exactly [minv, maxv], at seclevel, with
 * ciphers for TLS <= 1.2 (NULL: OpenSSL's default). */
static SSL_CTX *
probe_ctx(int minv, int maxv, int seclevel, const char *ciphers)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (ctx == NULL)
		return NULL;
	SSL_CTX_set_security_level(ctx, seclevel);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	if (!SSL_CTX_set_min_proto_version(ctx, minv) ||
	    !SSL_CTX_set_max_proto_version(ctx, maxv) ||
	    (ciphers != NULL && !SSL_CTX_set_cipher_list(ctx, ciphers))) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

/* The same place: family, address, port and how TLS starts. */
static int
same_endpoint(const struct audit_target *a, const struct audit_target *b)
{
	const struct sockaddr_storage *x = &a->addr, *y = &b->addr;

	if (a->direct_tls != b->direct_tls || x->ss_family != y->ss_family)
		return 0;
	if (x->ss_family == AF_INET) {
		const struct sockaddr_in *p = (const void *)x,
					 *q = (const void *)y;
		return p->sin_port == q->sin_port &&
		       p->sin_addr.s_addr == q->sin_addr.s_addr;
	}
	if (x->ss_family == AF_INET6) {
		const struct sockaddr_in6 *p = (const void *)x,
					  *q = (const void *)y;
		return p->sin6_port == q->sin6_port &&
		       memcmp(&p->sin6_addr, &q->sin6_addr,
			      sizeof(p->sin6_addr)) == 0;
	}
	return 0;
}

/* The targets the version and suite probes use: every one with an
 * address, once per endpoint, the STARTTLS ones first (XEP-0368 direct
 * TLS targets are where clients go too, so they are probed as well).
 * Returns how many went into out. */
static size_t
probe_targets(const struct audit *au, const struct audit_target **out)
{
	size_t i, j, n = 0;
	int pass;

	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < au->ntargets; i++) {
			const struct audit_target *t = &au->targets[i];
			if (!t->have_addr || t->direct_tls != (pass == 1))
				continue;
			for (j = 0; j < n && !same_endpoint(out[j], t); j++)
				;
			if (j == n)
				out[n++] = t;
		}
	return n;
}

/* Offers ALPN "xmpp-client" on a direct TLS target, as clients do
 * (XEP-0368): a server that routes by ALPN sees the probe as a client. */
static void
probe_alpn(SSL_CTX *ctx, const struct audit_target *t)
{
	static const unsigned char alpn[] = "\x0bxmpp-client";

	if (t->direct_tls)
		SSL_CTX_set_alpn_protos(ctx, alpn, sizeof(alpn) - 1);
}

/* 1 accepted, 0 refused, -1 could not get as far as the handshake or
 * could not offer what ctx asks for (then nothing is known). why gets the
 * reason; *neg the negotiated cipher when accepted. */
static int
probe(struct audit *au, const struct audit_target *t, SSL_CTX *ctx, char *why,
      size_t whylen, char *neg, size_t neglen)
{
	xmpp_ctx_t *xctx = xmpp_ctx_new(NULL, NULL);
	struct aprobe p;
	int r;

	if (neg != NULL)
		neg[0] = '\0';
	if (aprobe_to_tls(&p, xctx, au->domain, t, au->timeout_ms, NULL, why,
			  whylen) != 0) {
		xmpp_ctx_free(xctx);
		return -1;
	}
	r = aprobe_tls(&p, ctx, au->domain, why, whylen);
	r = r == 0 ? 1 : r == -2 ? -1 : 0;
	if (r == 1 && neg != NULL)
		snprintf(neg, neglen, "%s %s", SSL_get_version(p.ssl),
			 SSL_get_cipher_name(p.ssl));
	aprobe_close(&p);
	xmpp_ctx_free(xctx);
	return r;
}

/* One probe with a fresh context for [minv, maxv] at seclevel offering
 * ciphers (TLS <= 1.2; NULL: OpenSSL's default): as probe(). */
static int
probe_with(struct audit *au, const struct audit_target *t, int minv, int maxv,
	   int seclevel, const char *ciphers, char *why, size_t whylen,
	   char *neg, size_t neglen)
{
	SSL_CTX *ctx = probe_ctx(minv, maxv, seclevel, ciphers);
	int r;

	if (ctx == NULL) {
		snprintf(why, whylen, "this OpenSSL cannot offer it");
		return -1;
	}
	probe_alpn(ctx, t);
	r = probe(au, t, ctx, why, whylen, neg, neglen);
	SSL_CTX_free(ctx);
	return r;
}

/* One version or suite rule, probed on every target. */
struct vrule {
	const char *id, *rule, *progress;
	enum audit_level level;
	int minv, maxv, seclevel;
	const char *ciphers;         /* TLS <= 1.2; NULL: OpenSSL's default */
	enum audit_verdict accepted; /* the verdict when the server accepts */
	enum audit_verdict refused;
	const char *what;     /* evidence before the targets, or "" */
	const char *acc_word; /* before the negotiated suite */
	const char *ref_word; /* before the reason of a refusal */
};

static const struct vrule vrules[] = {
    {"tls.v13", "TLS 1.3 accepted", "TLS 1.3", AUDIT_MUST, TLS1_3_VERSION,
     TLS1_3_VERSION, 1, NULL, AUDIT_PASS, AUDIT_FAIL, "", "", ""},
    {"tls.v12", "TLS 1.2 should be disabled", "TLS 1.2", AUDIT_SHOULD,
     TLS1_2_VERSION, TLS1_2_VERSION, 1, NULL, AUDIT_PARTIAL, AUDIT_PASS, "",
     "accepted: ", "refused: "},
    /* security level 0: this OpenSSL offers 1.0/1.1 at all only there
     * (SHA-1 signatures) */
    {"tls.v11-refused", "TLS 1.1 refused", "TLS 1.1 refused", AUDIT_MUST,
     TLS1_1_VERSION, TLS1_1_VERSION, 0, "ALL:@SECLEVEL=0", AUDIT_FAIL,
     AUDIT_PASS, "", "accepted: ", ""},
    {"tls.v10-refused", "TLS 1.0 refused", "TLS 1.0 refused", AUDIT_MUST,
     TLS1_VERSION, TLS1_VERSION, 0, "ALL:@SECLEVEL=0", AUDIT_FAIL, AUDIT_PASS,
     "", "accepted: ", ""},
#ifndef OPENSSL_NO_SSL3
    {"tls.ssl3-refused", "SSL 3 refused", "SSL 3 refused", AUDIT_MUST,
     SSL3_VERSION, SSL3_VERSION, 0, "ALL:@SECLEVEL=0", AUDIT_FAIL, AUDIT_PASS,
     "", "", ""},
#endif
    /* forward secrecy: only static-RSA key exchange offered, TLS 1.2
     * (every TLS 1.3 suite is forward-secret) */
    {"tls.forward-secrecy", "only forward-secret suites",
     "non-forward-secret suites", AUDIT_MUST, TLS1_2_VERSION, TLS1_2_VERSION, 0,
     "kRSA:@SECLEVEL=0", AUDIT_FAIL, AUDIT_PASS,
     "RSA key exchange offered alone under TLS 1.2: ", "accepted, ",
     "refused, "},
};

/* How bad a verdict is when targets are combined: a fail anywhere is the
 * rule's fail; a target not seen keeps the others' pass from counting. */
static int
verdict_rank(enum audit_verdict v)
{
	return v == AUDIT_FAIL      ? 3
	       : v == AUDIT_PARTIAL ? 2
	       : v == AUDIT_PASS    ? 0
				    : 1;
}

/* "host:port", with " (direct TLS)" for an XEP-0368 target. */
static void
target_name(const struct audit_target *t, char *out, size_t outlen)
{
	snprintf(out, outlen, "%s:%u%s", t->host, t->port,
		 t->direct_tls ? " (direct TLS)" : "");
}

#define VTEXT_MAX 300 /* a reason (why, 256) and its word */

/* Records rule vr from what each of the n targets gave: one line with
 * every target named when they agree, else each target with its own. */
static void
add_per_target(struct audit *au, const struct vrule *vr,
	       const struct audit_target *const *ts, size_t n,
	       const enum audit_verdict *v, char (*text)[VTEXT_MAX])
{
	char ev[AUDIT_EVIDENCE_MAX * 2] = "", name[DNS_NAME_MAX + 32];
	enum audit_verdict worst = v[0];
	size_t i, len;
	int same = 1;

	for (i = 1; i < n; i++) {
		if (v[i] != v[0] || strcmp(text[i], text[0]) != 0)
			same = 0;
		if (verdict_rank(v[i]) > verdict_rank(worst))
			worst = v[i];
	}
	for (i = 0; i < n; i++) {
		len = strlen(ev);
		target_name(ts[i], name, sizeof(name));
		if (snprintf(ev + len, sizeof(ev) - len, "%s%s%s%s",
			     i == 0 ? ""
			     : same ? ", "
				    : "; ",
			     name, same && i + 1 < n ? "" : ": ",
			     same && i + 1 < n ? "" : text[i]) >=
		    (int)(sizeof(ev) - len))
			break; /* audit_add cuts it shorter anyway */
	}
	audit_add(au, vr->id, vr->rule, vr->level, worst, "%s%s", vr->what, ev);
}

static void
check_versions(struct audit *au, const struct audit_target *const *ts, size_t n)
{
	char why[256], neg[128], text[AUDIT_MAX_TARGETS][VTEXT_MAX];
	enum audit_verdict v[AUDIT_MAX_TARGETS];
	size_t i, k;
	int r;

	for (k = 0; k < sizeof(vrules) / sizeof(vrules[0]); k++) {
		const struct vrule *vr = &vrules[k];
		audit_progress(au, vr->progress);
		for (i = 0; i < n; i++) {
			r = probe_with(au, ts[i], vr->minv, vr->maxv,
				       vr->seclevel, vr->ciphers, why,
				       sizeof(why), neg, sizeof(neg));
			v[i] = r == 1   ? vr->accepted
			       : r == 0 ? vr->refused
					: AUDIT_UNKNOWN;
			snprintf(text[i], sizeof(text[i]), "%s%s",
				 r == 1   ? vr->acc_word
				 : r == 0 ? vr->ref_word
					  : "",
				 r == 1 ? neg : why);
		}
		add_per_target(au, vr, ts, n, v, text);
	}
#ifdef OPENSSL_NO_SSL3
	audit_add(au, "tls.ssl3-refused", "SSL 3 refused", AUDIT_MUST,
		  AUDIT_UNKNOWN,
		  "SSL 3 is not built into this OpenSSL (OPENSSL_NO_SSL3): "
		  "cannot be offered, so not probed");
#endif
}

/* notAfter as text and whole days from now (negative: expired). */
static void
expiry(X509 *cert, char *out, size_t outlen, int *days)
{
	const ASN1_TIME *na = X509_get0_notAfter(cert);
	struct tm tm;
	int d = 0, s = 0;

	out[0] = '\0';
	*days = 0;
	if (na == NULL || ASN1_TIME_to_tm(na, &tm) != 1)
		return;
	strftime(out, outlen, "%Y-%m-%d %H:%M:%SZ", &tm);
	if (ASN1_TIME_diff(&d, &s, NULL, na) == 1)
		*days = d;
}

/* DANE: does any usable secure TLSA record of t match the chain? (the
 * match is audit_target.c's, which the login uses too) */
static void
dane_check(const struct audit_target *t, SSL *ssl, char *note, size_t notelen,
	   int *checked, int *matched)
{
	size_t len = strlen(note);
	char rec[64] = "";
	int hit = audit_dane_match(t, ssl, rec, sizeof(rec));

	if (hit < 0)
		return; /* no secure TLSA record */
	(*checked)++;
	if (hit)
		(*matched)++;
	snprintf(note + len, notelen - len, "%s%s:%u %s %s", len ? "; " : "",
		 t->host, t->port, hit ? "matches" : "no record matches, e.g.",
		 rec);
}

/* The certificate and DANE on each target with an address (every one:
 * TLSA is per name, even when two names share an endpoint). */
static void
check_certificates(struct audit *au)
{
	char cnote[700] = "", dnote[600] = "", why[256];
	int bad = 0, soon = 0, seen = 0, dchecked = 0, dmatched = 0;
	size_t i;

	for (i = 0; i < au->ntargets; i++) {
		const struct audit_target *t = &au->targets[i];
		xmpp_ctx_t *xctx;
		struct aprobe p;
		SSL_CTX *ctx;
		X509 *leaf;
		long vr;
		char until[40], subj[160] = "";
		int days;
		size_t len = strlen(cnote);

		if (!t->have_addr)
			continue;
		audit_progress(au, "certificate");
		ctx = probe_ctx(TLS1_2_VERSION, 0, 1, NULL);
		if (ctx == NULL)
			continue;
		probe_alpn(ctx, t);
		SSL_CTX_set_default_verify_paths(ctx);
		if (au->ca_file != NULL)
			SSL_CTX_load_verify_locations(ctx, au->ca_file, NULL);
		xctx = xmpp_ctx_new(NULL, NULL);
		if (aprobe_to_tls(&p, xctx, au->domain, t, au->timeout_ms, NULL,
				  why, sizeof(why)) != 0) {
			snprintf(cnote + len, sizeof(cnote) - len, "%s%s",
				 len ? "; " : "", why);
			xmpp_ctx_free(xctx);
			SSL_CTX_free(ctx);
			continue;
		}
		p.ssl = NULL;
		{
			SSL *ssl = SSL_new(ctx);
			SSL_set_fd(ssl, p.fd);
			SSL_set_tlsext_host_name(ssl, au->domain);
			SSL_set1_host(ssl, au->domain);
			ERR_clear_error();
			if (SSL_connect(ssl) != 1) {
				snprintf(cnote + len, sizeof(cnote) - len,
					 "%s%s:%u: handshake failed",
					 len ? "; " : "", t->host, t->port);
				SSL_free(ssl);
				aprobe_close(&p);
				xmpp_ctx_free(xctx);
				SSL_CTX_free(ctx);
				continue;
			}
			p.ssl = ssl;
		}
		seen++;
		leaf = SSL_get0_peer_certificate(p.ssl);
		vr = SSL_get_verify_result(p.ssl);
		expiry(leaf, until, sizeof(until), &days);
		if (leaf != NULL)
			X509_NAME_oneline(X509_get_subject_name(leaf), subj,
					  sizeof(subj));
		if (vr != X509_V_OK)
			bad++;
		else if (days < 14)
			soon++;
		snprintf(cnote + len, sizeof(cnote) - len,
			 "%s%s:%u: %s, %s; %s, expires %s (%d days)",
			 len ? "; " : "", t->host, t->port,
			 vr == X509_V_OK ? "valid for the domain" : "INVALID",
			 vr == X509_V_OK ? "chain trusted"
					 : X509_verify_cert_error_string(vr),
			 subj, until, days);
		dane_check(t, p.ssl, dnote, sizeof(dnote), &dchecked,
			   &dmatched);
		aprobe_close(&p);
		xmpp_ctx_free(xctx);
		SSL_CTX_free(ctx);
	}
	audit_add(au, "tls.certificate",
		  "certificate valid for the domain, not expired", AUDIT_MUST,
		  seen == 0 ? AUDIT_UNKNOWN
		  : bad     ? AUDIT_FAIL
		  : soon    ? AUDIT_PARTIAL
			    : AUDIT_PASS,
		  "%s", cnote[0] ? cnote : "no target reached");
	audit_add(
	    au, "dane.match",
	    "published TLSA matches the certificate presented", AUDIT_MUST,
	    dchecked == 0          ? AUDIT_UNKNOWN
	    : dmatched == dchecked ? AUDIT_PASS
				   : AUDIT_FAIL,
	    "%s", dchecked ? dnote : "no secure TLSA record to compare with");
}

void
audit_tls(struct audit *au)
{
	const struct audit_target *ts[AUDIT_MAX_TARGETS];
	size_t n = probe_targets(au, ts);

	if (n == 0) {
		static const struct {
			const char *id, *rule;
		} rules[] = {
		    {"tls.v13", "TLS 1.3 accepted"},
		    {"tls.v12", "TLS 1.2 should be disabled"},
		    {"tls.v11-refused", "TLS 1.1 refused"},
		    {"tls.v10-refused", "TLS 1.0 refused"},
		    {"tls.ssl3-refused", "SSL 3 refused"},
		    {"tls.forward-secrecy", "only forward-secret suites"},
		    {"tls.certificate",
		     "certificate valid for the domain, not expired"},
		    {"dane.match",
		     "published TLSA matches the certificate presented"},
		};
		size_t i;
		for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
			audit_add(au, rules[i].id, rules[i].rule,
				  i == 1 ? AUDIT_SHOULD : AUDIT_MUST,
				  AUDIT_UNKNOWN,
				  "no server address usable (see the DNS "
				  "checks)");
		return;
	}
	check_versions(au, ts, n);
	check_certificates(au);
}
