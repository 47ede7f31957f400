/*
 * audit_target.c: which of the audited server's targets a single-connection
 * check uses, and DANE on a TLS session with one (the login's check before
 * the password is used; audit_tls.c's certificate check uses the same
 * match on every target).
 */
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "audit.h"
#include "audit_io.h"
#include "dane.h"

const struct audit_target *
audit_probe_target(const struct audit *au)
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

int
audit_dane_match(const struct audit_target *t, SSL *ssl, char *rec,
		 size_t reclen)
{
	STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
	X509 *leaf = SSL_get0_peer_certificate(ssl);
	const struct dns_tlsa_result *r = t->tlsa;
	size_t i;
	int j, hit = 0;

	if (reclen > 0)
		rec[0] = '\0';
	if (r == NULL || r->sec != DNS_SEC_SECURE || r->nrecords == 0)
		return -1;
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
			dane_record_text(rr, rec, reclen);
	}
	if (!hit)
		dane_record_text(&r->records[0], rec, reclen);
	return hit;
}
