/*
 * dane.h: TLSA records (RFC 6698, RFC 7671) as ward uses them: which ones a
 * client may use, how they read in a report, and whether one matches a
 * certificate. Pure helpers; OpenSSL's DANE code does the verification.
 */
#ifndef WARD_DANE_H
#define WARD_DANE_H

#include <stddef.h>
#include <stdint.h>

#include "dns.h"

/* Certificate usages, selectors and matching types (RFC 7218 names). */
#define DANE_PKIX_TA 0
#define DANE_PKIX_EE 1
#define DANE_DANE_TA 2
#define DANE_DANE_EE 3
#define DANE_SEL_CERT 0
#define DANE_SEL_SPKI 1
#define DANE_MT_FULL 0
#define DANE_MT_SHA256 1
#define DANE_MT_SHA512 2

/*
 * Whether a client can use r (RFC 7671 4.1: records with an unknown usage,
 * selector or matching type, a digest of the wrong length, or full data
 * that is not a DER certificate / SubjectPublicKeyInfo are unusable and
 * ignored). Returns 1 or 0; *why (may be NULL) gets a static reason for 0.
 */
int dane_record_usable(const struct dns_tlsa *r, const char **why);

/* "PKIX-TA", "PKIX-EE", "DANE-TA", "DANE-EE" or "unknown" (static). */
const char *dane_usage_name(uint8_t usage);

/*
 * "3 1 1" plus the first bytes of the data in hex ("3 1 1 9a41c0de..."),
 * for logs and reports; always NUL-terminated in out (outlen > 0).
 */
void dane_record_text(const struct dns_tlsa *r, char *out, size_t outlen);

struct x509_st;

/*
 * The association data of cert for a selector and matching type (RFC 6698
 * 2.1.2-2.1.3): *out is malloc'ed (caller frees), *len its length.
 * WARD_ERR_INVAL for an unknown selector or type, WARD_ERR_CRYPTO or
 * WARD_ERR_NOMEM when OpenSSL fails.
 */
int dane_assoc_data(struct x509_st *cert, uint8_t selector, uint8_t mtype,
    unsigned char **out, size_t *len);

/*
 * 1 when usable record r carries cert's association data for r's selector
 * and matching type (the usage is not looked at: which certificate of the
 * chain the caller passes decides that), 0 otherwise or on failure.
 */
int dane_record_matches(const struct dns_tlsa *r, struct x509_st *cert);

#endif
