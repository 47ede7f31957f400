/*
 * test_dane.c: unit tests for src/net/dane.c: RFC 7671's usability rules for
 * TLSA records, their readable form, and association data and matching
 * against a fixed certificate whose values came from the openssl tool.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "dane.h"
#include "ward.h"

/* A self-signed P-256 certificate for dane.unit.test. */
static const char cert_pem[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBiTCCAS+gAwIBAgIUBXjW1VEUuyGAlMd1IOK2N9CsXEgwCgYIKoZIzj0EAwIw\n"
    "GTEXMBUGA1UEAwwOZGFuZS51bml0LnRlc3QwIBcNMjYxMTIxMjI1MTUyWhgPMjEy\n"
    "NjEwMjgyMjUxNTJaMBkxFzAVBgNVBAMMDmRhbmUudW5pdC50ZXN0MFkwEwYHKoZI\n"
    "zj0CAQYIKoZIzj0DAQcDQgAE6Xr3xZtk8VBOfcMyGqENLsOHG4QTqLK62WYZE9pV\n"
    "JXoxSXxvIGfkRFvP1lY1PhRJZ75MkscS9MNJtF4+1OXHYKNTMFEwHQYDVR0OBBYE\n"
    "FAH7A5DKSbFrSZGqjOy+Z3XXz/9dMB8GA1UdIwQYMBaAFAH7A5DKSbFrSZGqjOy+\n"
    "Z3XXz/9dMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIhAOSEOMag\n"
    "D3KtVHE4v7NGGoieRfdk0JUSGNUglrZsFkCMAiAgIlAubIliDKKRQn9K91DCpDBX\n"
    "lbW26Z0cWJoLnAwCcA==\n"
    "-----END CERTIFICATE-----\n";

/* openssl x509 -outform DER | openssl dgst -sha256 / -sha512, and the same
 * over openssl x509 -pubkey | openssl pkey -pubin -outform DER. */
static const char cert_sha256[] =
    "340f01cde181cc3f1ed90508878760479c1059596d5c6e7592c2ac63e6aa8c8d";
static const char cert_sha512[] =
    "4d03f46e6f6a346a7c6f4e6ba12d0d0e27780a9916ab73579f9bf34d692b7785"
    "840aea90967987e633ae340d4a53cad902d68825947c76a1dbdfe347f413c080";
static const char spki_sha256[] =
    "be88fdbd584c2d1865055147989ca210b5f402cb86fec412aedd69c0fc00df31";
static const char spki_sha512[] =
    "a7be56dac29ec876e7bb219e4ea9892c3b00727143fa4243a185605e7268c247"
    "27b502c90bbb8c78b4c30a71e94da3d5c2d13952663b431071f151e877a04a09";
/* The SubjectPublicKeyInfo itself (openssl pkey -pubin -outform DER). */
static const char spki_hex[] =
    "3059301306072a8648ce3d020106082a8648ce3d030107034200"
    "04e97af7c59b64f1504e7dc3321aa10d2ec3871b8413a8b2bad9661913da55257a"
    "31497c6f2067e4445bcfd656353e144967be4c92c712f4c349b45e3ed4e5c760";

static X509 *
load_cert(void)
{
	BIO *b = BIO_new_mem_buf(cert_pem, -1);
	X509 *x = PEM_read_bio_X509(b, NULL, NULL, NULL);

	BIO_free(b);
	assert_non_null(x);
	return x;
}

/* A record with data from hex (malloc'ed; free rec->data). */
static void
mkrec(struct dns_tlsa *r, uint8_t u, uint8_t s, uint8_t m, const char *hex)
{
	size_t i, n = strlen(hex) / 2;

	r->usage = u;
	r->selector = s;
	r->mtype = m;
	r->len = n;
	r->data = malloc(n ? n : 1);
	assert_non_null(r->data);
	for (i = 0; i < n; i++) {
		unsigned v;
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		r->data[i] = (unsigned char)v;
	}
}

/* Hex of bytes. */
static void
tohex(const unsigned char *p, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
	out[2 * n] = '\0';
}

static void
test_usable_digests(void **state)
{
	struct dns_tlsa r;
	const char *why;

	(void)state;
	mkrec(&r, 3, 1, 1, spki_sha256);
	assert_int_equal(dane_record_usable(&r, &why), 1);
	assert_null(why);
	r.len = 31;	/* a digest of the wrong length */
	assert_int_equal(dane_record_usable(&r, &why), 0);
	assert_non_null(why);
	r.mtype = 2;	/* SHA2-512 must be 64 bytes */
	r.len = 32;
	assert_int_equal(dane_record_usable(&r, NULL), 0);
	free(r.data);
	mkrec(&r, 2, 0, 2, cert_sha512);
	assert_int_equal(dane_record_usable(&r, NULL), 1);
	r.mtype = 1;	/* 64 bytes are not SHA2-256 */
	assert_int_equal(dane_record_usable(&r, NULL), 0);
	r.len = 0;
	assert_int_equal(dane_record_usable(&r, &why), 0);
	free(r.data);
}

static void
test_usable_fields(void **state)
{
	struct dns_tlsa r;
	uint8_t u;

	(void)state;
	mkrec(&r, 0, 1, 1, spki_sha256);
	for (u = 0; u <= 3; u++) {	/* every usage is fine with SRV */
		r.usage = u;
		assert_int_equal(dane_record_usable(&r, NULL), 1);
	}
	r.usage = 4;
	assert_int_equal(dane_record_usable(&r, NULL), 0);
	r.usage = 255;
	assert_int_equal(dane_record_usable(&r, NULL), 0);
	r.usage = 3;
	r.selector = 2;
	assert_int_equal(dane_record_usable(&r, NULL), 0);
	r.selector = 1;
	r.mtype = 3;
	assert_int_equal(dane_record_usable(&r, NULL), 0);
	r.mtype = 255;
	assert_int_equal(dane_record_usable(&r, NULL), 0);
	free(r.data);
}

static void
test_usable_full(void **state)
{
	X509 *x = load_cert();
	unsigned char *der = NULL;
	struct dns_tlsa r;
	int n;

	(void)state;
	/* 3 1 0: the SubjectPublicKeyInfo itself */
	mkrec(&r, 3, 1, 0, spki_hex);
	assert_int_equal(dane_record_usable(&r, NULL), 1);
	r.selector = 0;	/* not a certificate */
	assert_int_equal(dane_record_usable(&r, NULL), 0);
	r.selector = 1;
	r.len--;	/* cut short */
	assert_int_equal(dane_record_usable(&r, NULL), 0);
	free(r.data);
	mkrec(&r, 3, 1, 0, "00112233");
	assert_int_equal(dane_record_usable(&r, NULL), 0);
	free(r.data);
	/* 3 0 0: the certificate; trailing bytes make it unusable */
	n = i2d_X509(x, &der);
	assert_true(n > 0);
	r.usage = 3;
	r.selector = 0;
	r.mtype = 0;
	r.data = malloc((size_t)n + 1);
	memcpy(r.data, der, (size_t)n);
	r.data[n] = 0;
	r.len = (size_t)n;
	assert_int_equal(dane_record_usable(&r, NULL), 1);
	assert_int_equal(dane_record_matches(&r, x), 1);
	r.len = (size_t)n + 1;
	assert_int_equal(dane_record_usable(&r, NULL), 0);
	r.selector = 1;	/* a certificate is not an SPKI */
	r.len = (size_t)n;
	assert_int_equal(dane_record_usable(&r, NULL), 0);
	free(r.data);
	OPENSSL_free(der);
	X509_free(x);
}

static void
test_assoc_data(void **state)
{
	X509 *x = load_cert();
	unsigned char *d;
	size_t len;
	char hex[300];

	(void)state;
	assert_int_equal(dane_assoc_data(x, 0, 1, &d, &len), WARD_OK);
	assert_int_equal(len, 32);
	tohex(d, len, hex);
	assert_string_equal(hex, cert_sha256);
	free(d);
	assert_int_equal(dane_assoc_data(x, 0, 2, &d, &len), WARD_OK);
	tohex(d, len, hex);
	assert_string_equal(hex, cert_sha512);
	free(d);
	assert_int_equal(dane_assoc_data(x, 1, 1, &d, &len), WARD_OK);
	tohex(d, len, hex);
	assert_string_equal(hex, spki_sha256);
	free(d);
	assert_int_equal(dane_assoc_data(x, 1, 2, &d, &len), WARD_OK);
	tohex(d, len, hex);
	assert_string_equal(hex, spki_sha512);
	free(d);
	assert_int_equal(dane_assoc_data(x, 1, 0, &d, &len), WARD_OK);
	tohex(d, len, hex);
	assert_string_equal(hex, spki_hex);
	free(d);
	assert_int_equal(dane_assoc_data(x, 2, 1, &d, &len), WARD_ERR_INVAL);
	assert_null(d);
	assert_int_equal(len, 0);
	assert_int_equal(dane_assoc_data(x, 1, 3, &d, &len), WARD_ERR_INVAL);
	X509_free(x);
}

static void
test_matches(void **state)
{
	static const struct {
		uint8_t sel, mt;
		const char *hex;
	} ok[] = {
		{ 0, 1, cert_sha256 }, { 0, 2, cert_sha512 },
		{ 1, 1, spki_sha256 }, { 1, 2, spki_sha512 },
		{ 1, 0, spki_hex },
	};
	X509 *x = load_cert();
	struct dns_tlsa r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		mkrec(&r, 3, ok[i].sel, ok[i].mt, ok[i].hex);
		assert_int_equal(dane_record_matches(&r, x), 1);
		r.data[r.len - 1] ^= 1;	/* one bit off */
		assert_int_equal(dane_record_matches(&r, x), 0);
		r.data[r.len - 1] ^= 1;
		r.selector ^= 1;	/* the other selector's data */
		if (ok[i].mt != 0)
			assert_int_equal(dane_record_matches(&r, x), 0);
		free(r.data);
	}
	/* right digest, wrong matching type field */
	mkrec(&r, 3, 1, 2, spki_sha256);
	assert_int_equal(dane_record_matches(&r, x), 0);
	free(r.data);
	/* unusable records never match, even with the right bytes first */
	mkrec(&r, 3, 1, 1, spki_sha256);
	r.usage = 7;
	assert_int_equal(dane_record_matches(&r, x), 0);
	r.usage = 3;
	assert_int_equal(dane_record_matches(&r, NULL), 0);
	free(r.data);
	X509_free(x);
}

static void
test_text(void **state)
{
	struct dns_tlsa r;
	char buf[64], tiny[8];

	(void)state;
	assert_string_equal(dane_usage_name(0), "PKIX-TA");
	assert_string_equal(dane_usage_name(1), "PKIX-EE");
	assert_string_equal(dane_usage_name(2), "DANE-TA");
	assert_string_equal(dane_usage_name(3), "DANE-EE");
	assert_string_equal(dane_usage_name(4), "unknown");
	mkrec(&r, 3, 1, 1, spki_sha256);
	dane_record_text(&r, buf, sizeof(buf));
	assert_string_equal(buf, "3 1 1 be88fdbd584c2d18...");
	dane_record_text(&r, tiny, sizeof(tiny));
	assert_true(strlen(tiny) < sizeof(tiny));
	assert_memory_equal(tiny, "3 1 1 ", 6);
	free(r.data);
	mkrec(&r, 2, 0, 0, "00ff");
	dane_record_text(&r, buf, sizeof(buf));
	assert_string_equal(buf, "2 0 0 00ff");
	free(r.data);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usable_digests),
		cmocka_unit_test(test_usable_fields),
		cmocka_unit_test(test_usable_full),
		cmocka_unit_test(test_assoc_data),
		cmocka_unit_test(test_matches),
		cmocka_unit_test(test_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
