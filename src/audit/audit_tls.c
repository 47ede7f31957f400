/*
 * audit_tls.c: the TLS rules of `ward audit`, each probed on its own
 * connection with its own OpenSSL context (never ward's session context):
 * TLS 1.3 and 1.2 accepted, 1.0/1.1 refused (offered at security level 0),
 * SSL 3 (not built into Debian's OpenSSL: unknown, with that reason), only
 * forward-secret suites (RSA key exchange alone offered under TLS 1.2), the
 * certificate (chain, name, expiry) and DANE per SRV target (dane.c). Each
 * probe does the XMPP STARTTLS dance, or direct TLS for an xmpps target,
 * and never logs in.
 */
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

/* The target the version probes use: the first STARTTLS one with an
 * address, else the first with an address. */
static const struct audit_target *
probe_target(const struct audit *au)
{
	size_t i;

	for (i = 0; i < au->ntargets; i++)
		if (au->targets[i].have_addr && !au->targets[i].direct_tls)
			return &au->targets[i];
	for (i = 0; i < au->ntargets; i++)
		if (au->targets[i].have_addr)
			return &au->targets[i];
	return NULL;
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
	r = probe(au, t, ctx, why, whylen, neg, neglen);
	SSL_CTX_free(ctx);
	return r;
}

static void
check_versions(struct audit *au, const struct audit_target *t)
{
	static const struct {
		const char *id, *rule;
		int version;
	} old[] = {
	    {"tls.v11-refused", "TLS 1.1 refused", TLS1_1_VERSION},
	    {"tls.v10-refused", "TLS 1.0 refused", TLS1_VERSION},
	};
	char why[256], neg[128];
	size_t i;
	int r;

	audit_progress(au, "TLS 1.3");
	r = probe_with(au, t, TLS1_3_VERSION, TLS1_3_VERSION, 1, NULL, why,
		       sizeof(why), neg, sizeof(neg));
	audit_add(au, "tls.v13", "TLS 1.3 accepted", AUDIT_MUST,
		  r == 1   ? AUDIT_PASS
		  : r == 0 ? AUDIT_FAIL
			   : AUDIT_UNKNOWN,
		  "%s:%u: %s", t->host, t->port, r == 1 ? neg : why);

	audit_progress(au, "TLS 1.2");
	r = probe_with(au, t, TLS1_2_VERSION, TLS1_2_VERSION, 1, NULL, why,
		       sizeof(why), neg, sizeof(neg));
	audit_add(au, "tls.v12", "TLS 1.2 should be disabled", AUDIT_SHOULD,
		  r == 1   ? AUDIT_PARTIAL
		  : r == 0 ? AUDIT_PASS
			   : AUDIT_UNKNOWN,
		  "%s:%u: %s%s", t->host, t->port,
		  r == 1   ? "accepted: "
		  : r == 0 ? "refused: "
			   : "",
		  r == 1 ? neg : why);

	for (i = 0; i < sizeof(old) / sizeof(old[0]); i++) {
		audit_progress(au, old[i].rule);
		/* security level 0: this OpenSSL offers 1.0/1.1 at all only
		 * there (SHA-1 signatures) */
		r = probe_with(au, t, old[i].version, old[i].version, 0,
			       "ALL:@SECLEVEL=0", why, sizeof(why), neg,
			       sizeof(neg));
		audit_add(au, old[i].id, old[i].rule, AUDIT_MUST,
			  r == 1   ? AUDIT_FAIL
			  : r == 0 ? AUDIT_PASS
				   : AUDIT_UNKNOWN,
			  "%s:%u: %s%s", t->host, t->port,
			  r == 1 ? "accepted: " : "", r == 1 ? neg : why);
	}
#ifdef OPENSSL_NO_SSL3
	audit_add(au, "tls.ssl3-refused", "SSL 3 refused", AUDIT_MUST,
		  AUDIT_UNKNOWN,
		  "SSL 3 is not built into this OpenSSL (OPENSSL_NO_SSL3): "
		  "cannot be offered, so not probed");
#else
	r = probe_with(au, t, SSL3_VERSION, SSL3_VERSION, 0, "ALL:@SECLEVEL=0",
		       why, sizeof(why), neg, sizeof(neg));
	audit_add(au, "tls.ssl3-refused", "SSL 3 refused", AUDIT_MUST,
		  r == 1   ? AUDIT_FAIL
		  : r == 0 ? AUDIT_PASS
			   : AUDIT_UNKNOWN,
		  "%s:%u: %s", t->host, t->port, r == 1 ? neg : why);
#endif

	/* forward secrecy: only static-RSA key exchange offered, TLS 1.2
	 * (every TLS 1.3 suite is forward-secret) */
	audit_progress(au, "non-forward-secret suites");
	r = probe_with(au, t, TLS1_2_VERSION, TLS1_2_VERSION, 0,
		       "kRSA:@SECLEVEL=0", why, sizeof(why), neg, sizeof(neg));
	audit_add(au, "tls.forward-secrecy", "only forward-secret suites",
		  AUDIT_MUST,
		  r == 1   ? AUDIT_FAIL
		  : r == 0 ? AUDIT_PASS
			   : AUDIT_UNKNOWN,
		  "%s:%u: RSA key exchange offered alone under TLS 1.2: %s%s",
		  t->host, t->port,
		  r == 1   ? "accepted, "
		  : r == 0 ? "refused, "
			   : "",
		  r == 1 ? neg : why);
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

/* DANE: does any usable secure TLSA record of t match the chain? */
static void
dane_check(struct audit *au, const struct audit_target *t, SSL *ssl, char *note,
	   size_t notelen, int *checked, int *matched)
{
	STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
	X509 *leaf = SSL_get0_peer_certificate(ssl);
	const struct dns_tlsa_result *r = t->tlsa;
	size_t i, len = strlen(note);
	int j, hit = 0;
	char rec[64] = "";

	if (r == NULL || r->sec != DNS_SEC_SECURE || r->nrecords == 0)
		return;
	(*checked)++;
	for (i = 0; i < r->nrecords && !hit; i++) {
		const struct dns_tlsa *rr = &r->records[i];
		if (!dane_record_usable(rr, NULL))
			continue;
		if (rr->usage == DANE_DANE_EE || rr->usage == DANE_PKIX_EE)
			hit = leaf != NULL && dane_record_matches(rr, leaf);
		else
			for (j = 0; chain && j < sk_X509_num(chain) && !hit;
			     j++)
				hit = dane_record_matches(
				    rr, sk_X509_value(chain, j));
		if (hit)
			dane_record_text(rr, rec, sizeof(rec));
	}
	if (hit)
		(*matched)++;
	else if (r->nrecords > 0)
		dane_record_text(&r->records[0], rec, sizeof(rec));
	snprintf(note + len, notelen - len, "%s%s:%u %s %s", len ? "; " : "",
		 t->host, t->port, hit ? "matches" : "no record matches, e.g.",
		 rec);
}

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
		dane_check(au, t, p.ssl, dnote, sizeof(dnote), &dchecked,
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
	const struct audit_target *t = probe_target(au);

	if (t == NULL) {
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
	check_versions(au, t);
	check_certificates(au);
}
