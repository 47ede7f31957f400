/*
 * dane.c: TLSA record helpers (see dane.h): RFC 7671's usability rules,
 * readable forms for reports, and association-data matching, used to
 * filter what goes to OpenSSL's DANE code and to cross-check its answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "dane.h"
#include "ward.h"

/* Full data (matching type 0) must be exactly one DER object of its kind. */
static int
dane_full_parses(const struct dns_tlsa *r)
{
	const unsigned char *p = r->data;
	X509 *cert;
	EVP_PKEY *key;
	int ok = 0;

	if (r->len > 65535)
		return 0;
	if (r->selector == DANE_SEL_CERT) {
		cert = d2i_X509(NULL, &p, (long)r->len);
		ok = cert != NULL && p == r->data + r->len;
		X509_free(cert);
	} else {
		key = d2i_PUBKEY(NULL, &p, (long)r->len);
		ok = key != NULL && p == r->data + r->len;
		EVP_PKEY_free(key);
	}
	return ok;
}

int
dane_record_usable(const struct dns_tlsa *r, const char **why)
{
	const char *dummy;

	if (why == NULL)
		why = &dummy;
	*why = NULL;
	if (r->usage > DANE_DANE_EE) {
		*why = "unknown certificate usage";
		return 0;
	}
	if (r->selector > DANE_SEL_SPKI) {
		*why = "unknown selector";
		return 0;
	}
	if (r->data == NULL || r->len == 0) {
		*why = "no association data";
		return 0;
	}
	switch (r->mtype) {
	case DANE_MT_SHA256:
		if (r->len != 32) {
			*why = "SHA2-256 data is not 32 bytes";
			return 0;
		}
		return 1;
	case DANE_MT_SHA512:
		if (r->len != 64) {
			*why = "SHA2-512 data is not 64 bytes";
			return 0;
		}
		return 1;
	case DANE_MT_FULL:
		if (!dane_full_parses(r)) {
			*why = r->selector == DANE_SEL_CERT ?
			    "full data is not a DER certificate" :
			    "full data is not a DER public key";
			return 0;
		}
		return 1;
	default:
		*why = "unknown matching type";
		return 0;
	}
}

const char *
dane_usage_name(uint8_t usage)
{
	static const char *const names[] = {
		"PKIX-TA", "PKIX-EE", "DANE-TA", "DANE-EE"
	};

	return usage <= DANE_DANE_EE ? names[usage] : "unknown";
}

void
dane_record_text(const struct dns_tlsa *r, char *out, size_t outlen)
{
	size_t i, n;
	int w;

	w = snprintf(out, outlen, "%u %u %u ", r->usage, r->selector,
	    r->mtype);
	if (w < 0 || (size_t)w >= outlen)
		return;
	n = (size_t)w;
	for (i = 0; i < r->len && i < 8 && n + 3 <= outlen; i++, n += 2)
		snprintf(out + n, 3, "%02x", r->data[i]);
	if (r->len > 8 && n + 4 <= outlen)
		snprintf(out + n, 4, "...");
}

int
dane_assoc_data(X509 *cert, uint8_t selector, uint8_t mtype,
    unsigned char **out, size_t *len)
{
	unsigned char *der = NULL, md[EVP_MAX_MD_SIZE];
	unsigned int mdlen;
	const EVP_MD *alg;
	int derlen;

	*out = NULL;
	*len = 0;
	if (selector > DANE_SEL_SPKI || mtype > DANE_MT_SHA512)
		return WARD_ERR_INVAL;
	derlen = selector == DANE_SEL_CERT ? i2d_X509(cert, &der) :
	    i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
	if (derlen <= 0)
		return WARD_ERR_CRYPTO;
	if (mtype == DANE_MT_FULL) {
		if ((*out = malloc((size_t)derlen)) == NULL) {
			OPENSSL_free(der);
			return WARD_ERR_NOMEM;
		}
		memcpy(*out, der, (size_t)derlen);
		*len = (size_t)derlen;
		OPENSSL_free(der);
		return WARD_OK;
	}
	alg = mtype == DANE_MT_SHA256 ? EVP_sha256() : EVP_sha512();
	if (!EVP_Digest(der, (size_t)derlen, md, &mdlen, alg, NULL)) {
		OPENSSL_free(der);
		return WARD_ERR_CRYPTO;
	}
	OPENSSL_free(der);
	if ((*out = malloc(mdlen)) == NULL)
		return WARD_ERR_NOMEM;
	memcpy(*out, md, mdlen);
	*len = mdlen;
	return WARD_OK;
}

int
dane_record_matches(const struct dns_tlsa *r, X509 *cert)
{
	unsigned char *data;
	size_t len;
	int match;

	if (cert == NULL || !dane_record_usable(r, NULL))
		return 0;
	if (dane_assoc_data(cert, r->selector, r->mtype, &data, &len) !=
	    WARD_OK)
		return 0;
	match = len == r->len && CRYPTO_memcmp(data, r->data, len) == 0;
	free(data);
	return match;
}
