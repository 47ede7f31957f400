/*
 * test_scram.c: unit tests for src/xmpp/scram.c: the RFC 5802 and RFC 7677
 * vectors, SHA-512 and channel binding against an independent reference,
 * refusal of hostile server messages, the state machine and the choice.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ward.h"
#include "scram.h"

/* RFC 5802 section 5. */
#define SHA1_NONCE "fyko+d2lbbFgONRv9qkxdawL"
#define SHA1_SFIRST                                                            \
	"r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,"     \
	"i=4096"
#define SHA1_CFINAL                                                            \
	"c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,"                 \
	"p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts="
#define SHA1_SFINAL "v=rmF9pqV8S7suAoZWja4dJRkFsKQ="

/* RFC 7677 section 3. */
#define SHA256_NONCE "rOprNGfwEbeRWgbNEkqO"
#define SHA256_SFIRST                                                          \
	"r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"                \
	"s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
#define SHA256_CFINAL                                                          \
	"c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"         \
	"p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
#define SHA256_SFINAL "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="

/*
 * The expected values below were computed with Python 3's hashlib.pbkdf2_hmac
 * and hmac (a direct transcription of the RFC 5802 section 3 formulas,
 * written independently of src/xmpp/scram.c; it reproduces the two RFC vectors
 * above byte for byte), with user "user", password "pencil".
 */
/* SCRAM-SHA-512, the RFC 7677 nonces, salt and count. */
#define SHA512_CFINAL                                                          \
	"c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"         \
	"p=gMGXRcevScNtxZ6/"                                                   \
	"8lQYpGtnsNAc3mGcmNomv+xnoOMw+3R2xNJdMNnzMlTN8PPC6wdp"                 \
	"6dybEmDYXYTxwnYPJQ=="
#define SHA512_SFINAL                                                          \
	"v=ZQnYEgWQMFmmsM8aQMF0nDDCy/"                                         \
	"AgCzkwk8CmMZYcMg0vSVlKDanekLtifDSeVGT4+5Zx"                           \
	"XnJq199RVG2rR7N7Zw=="
/* SCRAM-SHA-256-PLUS, the RFC 7677 exchange with gs2 "p=tls-exporter,,"
 * and channel-binding data 0x00 0x01 ... 0x1f. */
#define CB_CFINAL                                                              \
	"c=cD10bHMtZXhwb3J0ZXIsLAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f,"  \
	"r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"                \
	"p=QC6CS20quADQRb3mT99YUH+n3VJxUvzuK0K0E1Vrs2M="
#define CB_SFINAL "v=2GiAgapEppLVlUXbxUDksL3VgYHzuqiK5tR4mhJGgvs="
/* SCRAM-SHA-1, the RFC 5802 exchange with gs2 "y,,". */
#define Y_CFINAL                                                               \
	"c=eSws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,"                 \
	"p=BjZF5dV+EkD3YCb3pH3IP8riMGw="
#define Y_SFINAL "v=dsprQ5R2AGYt1kn4bQRwTAE0PTU="
/* SCRAM-SHA-1, RFC 5802 exchange, server-first + ",x=foo" (an extension). */
#define EXT_CFINAL                                                             \
	"c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,"                 \
	"p=uzoKUbNlcxgfpDxl+/vfZf1ZRD8="
#define EXT_SFINAL "v=MyosJIHsWIr2zB6YF+cBhWRiMS8="
/* SCRAM-SHA-1, RFC 5802 exchange, username "us,er=x" (sent "us=2Cer=3Dx");
 * in test_username_escaping also "=," (sent "=3D=2C") with nonce "abc". */
#define ESC_CFINAL                                                             \
	"c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,"                 \
	"p=lbmnxKqUfw4Twrf6h95tYjatmAQ="
/* SCRAM-SHA-1, RFC 5802 exchange with i=1000000. */
#define MAXI_CFINAL                                                            \
	"c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,"                 \
	"p=hmrr5igRb+lIgZj+6T4Pi1eZtnY="
#define MAXI_SFINAL "v=6gJRHuWgrqeAEsyN1624q1USb1w="

static const unsigned char cb32[32] = {
    0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15,
    16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
};

/* A SHA-1 session for "user"/"pencil" with the RFC 5802 nonce, first sent. */
static struct scram *
sha1_after_first(void)
{
	struct scram *s;
	size_t len;
	char *first;

	assert_int_equal(scram_new(SCRAM_SHA1, "user", "pencil", "n", NULL, 0,
				   SHA1_NONCE, &s),
			 WARD_OK);
	assert_int_equal(scram_client_first(s, &first, &len), WARD_OK);
	free(first);
	return s;
}

/* Feeds msg[0..len) as server-first to a fresh session; returns the code. */
static int
server_first_rc(const char *msg, size_t len)
{
	struct scram *s = sha1_after_first();
	char *out = (char *)"sentinel";
	size_t outlen = 7;
	int r;

	r = scram_client_final(s, msg, len, &out, &outlen);
	if (r != WARD_OK) {
		assert_null(out);
		assert_int_equal(outlen, 0);
		/* A failed exchange stays dead. */
		assert_int_equal(scram_client_final(s, SHA1_SFIRST,
						    strlen(SHA1_SFIRST), &out,
						    &outlen),
				 WARD_ERR_INVAL);
	}
	free(out);
	scram_free(s);
	return r;
}
#define SF(lit) server_first_rc((lit), sizeof(lit) - 1)

/* A SHA-1 session past client-final with the RFC 5802 messages. */
static struct scram *
sha1_after_final(void)
{
	struct scram *s = sha1_after_first();
	size_t len;
	char *fin;

	assert_int_equal(
	    scram_client_final(s, SHA1_SFIRST, strlen(SHA1_SFIRST), &fin, &len),
	    WARD_OK);
	assert_string_equal(fin, SHA1_CFINAL);
	free(fin);
	return s;
}

/* Feeds msg[0..len) as server-final to a fresh session; returns the code. */
static int
server_final_rc(const char *msg, size_t len)
{
	struct scram *s = sha1_after_final();
	int r;

	r = scram_verify_server_final(s, msg, len);
	assert_int_equal(scram_verified(s), r == WARD_OK);
	scram_free(s);
	return r;
}
#define SV(lit) server_final_rc((lit), sizeof(lit) - 1)

/*
 * Runs a whole exchange and checks every message; sfinal is also verified
 * when non-NULL.
 */
static void
run_exchange(enum scram_hash hash, const char *user, const char *flag,
	     const unsigned char *cb, size_t cblen, const char *nonce,
	     const char *exp_first, const char *sfirst, const char *exp_final,
	     const char *sfinal)
{
	struct scram *s;
	size_t len;
	char *msg;

	assert_int_equal(
	    scram_new(hash, user, "pencil", flag, cb, cblen, nonce, &s),
	    WARD_OK);
	assert_int_equal(scram_client_first(s, &msg, &len), WARD_OK);
	assert_string_equal(msg, exp_first);
	assert_int_equal(len, strlen(exp_first));
	free(msg);
	assert_int_equal(
	    scram_client_final(s, sfirst, strlen(sfirst), &msg, &len), WARD_OK);
	assert_string_equal(msg, exp_final);
	assert_int_equal(len, strlen(exp_final));
	free(msg);
	assert_int_equal(scram_verified(s), 0);
	if (sfinal != NULL) {
		assert_int_equal(
		    scram_verify_server_final(s, sfinal, strlen(sfinal)),
		    WARD_OK);
		assert_int_equal(scram_verified(s), 1);
	}
	scram_free(s);
}

static void
test_rfc5802_sha1(void **state)
{
	run_exchange(SCRAM_SHA1, "user", "n", NULL, 0, SHA1_NONCE,
		     "n,,n=user,r=" SHA1_NONCE, SHA1_SFIRST, SHA1_CFINAL,
		     SHA1_SFINAL);
}

static void
test_rfc7677_sha256(void **state)
{
	run_exchange(SCRAM_SHA256, "user", "n", NULL, 0, SHA256_NONCE,
		     "n,,n=user,r=" SHA256_NONCE, SHA256_SFIRST, SHA256_CFINAL,
		     SHA256_SFINAL);
}

static void
test_sha512_reference(void **state)
{
	run_exchange(SCRAM_SHA512, "user", "n", NULL, 0, SHA256_NONCE,
		     "n,,n=user,r=" SHA256_NONCE, SHA256_SFIRST, SHA512_CFINAL,
		     SHA512_SFINAL);
}

/* The three gs2 forms; the header and cbdata go into c= and the proof. */
static void
test_channel_binding_headers(void **state)
{
	run_exchange(SCRAM_SHA1, "user", "n", NULL, 0, SHA1_NONCE,
		     "n,,n=user,r=" SHA1_NONCE, SHA1_SFIRST, SHA1_CFINAL,
		     SHA1_SFINAL);
	run_exchange(SCRAM_SHA1, "user", "y", NULL, 0, SHA1_NONCE,
		     "y,,n=user,r=" SHA1_NONCE, SHA1_SFIRST, Y_CFINAL,
		     Y_SFINAL);
	run_exchange(SCRAM_SHA256, "user", "p=tls-exporter", cb32, sizeof(cb32),
		     SHA256_NONCE, "p=tls-exporter,,n=user,r=" SHA256_NONCE,
		     SHA256_SFIRST, CB_CFINAL, CB_SFINAL);
}

static void
test_channel_binding_bad_args(void **state)
{
	static const unsigned char big[1025];
	struct scram *s = (struct scram *)1;

	/* "p=" needs data, "n" and "y" must not have any. */
	assert_int_equal(scram_new(SCRAM_SHA256, "user", "pw", "p=tls-exporter",
				   NULL, 0, NULL, &s),
			 WARD_ERR_INVAL);
	assert_null(s);
	assert_int_equal(scram_new(SCRAM_SHA256, "user", "pw", "p=tls-exporter",
				   cb32, 0, NULL, &s),
			 WARD_ERR_INVAL);
	assert_int_equal(scram_new(SCRAM_SHA256, "user", "pw", "n", cb32,
				   sizeof(cb32), NULL, &s),
			 WARD_ERR_INVAL);
	assert_int_equal(scram_new(SCRAM_SHA256, "user", "pw", "y", cb32,
				   sizeof(cb32), NULL, &s),
			 WARD_ERR_INVAL);
	/* Unknown flags and bad type names. */
	assert_int_equal(
	    scram_new(SCRAM_SHA256, "user", "pw", "x", NULL, 0, NULL, &s),
	    WARD_ERR_INVAL);
	assert_int_equal(
	    scram_new(SCRAM_SHA256, "user", "pw", "", NULL, 0, NULL, &s),
	    WARD_ERR_INVAL);
	assert_int_equal(
	    scram_new(SCRAM_SHA256, "user", "pw", "n,", NULL, 0, NULL, &s),
	    WARD_ERR_INVAL);
	assert_int_equal(scram_new(SCRAM_SHA256, "user", "pw", "p=", cb32,
				   sizeof(cb32), NULL, &s),
			 WARD_ERR_INVAL);
	assert_int_equal(scram_new(SCRAM_SHA256, "user", "pw", "p=tls,unique",
				   cb32, sizeof(cb32), NULL, &s),
			 WARD_ERR_INVAL);
	assert_int_equal(scram_new(SCRAM_SHA256, "user", "pw", "p=tls exporter",
				   cb32, sizeof(cb32), NULL, &s),
			 WARD_ERR_INVAL);
	assert_int_equal(scram_new(SCRAM_SHA256, "user", "pw", "p=tls-exporter",
				   big, sizeof(big), NULL, &s),
			 WARD_ERR_LIMIT);
	assert_null(s);
}

static void
test_wrong_server_signature(void **state)
{
	/* Well-formed, right length, wrong value: one bit flipped. */
	assert_int_equal(SV("v=rmF9pqV8S7suAoZWja4dJRkFsKA="), WARD_ERR_AUTH);
	/* Another exchange's signature (SHA-256 length). */
	assert_int_equal(SV(SHA256_SFINAL), WARD_ERR_AUTH);
	/* A prefix of the right signature. */
	assert_int_equal(SV("v=rmF9pqV8S7suAoZWja4dJRkF"), WARD_ERR_AUTH);
	/* The right value with a trailing extension still verifies. */
	assert_int_equal(SV(SHA1_SFINAL ",x=1"), WARD_OK);
	/* len is authoritative: the right text cut short fails. */
	assert_int_equal(server_final_rc(SHA1_SFINAL, strlen(SHA1_SFINAL) - 4),
			 WARD_ERR_AUTH);
}

static void
test_server_error(void **state)
{
	assert_int_equal(SV("e=invalid-proof"), WARD_ERR_AUTH);
	assert_int_equal(SV("e=other-error,x=y"), WARD_ERR_AUTH);
	assert_int_equal(SV("e="), WARD_ERR_AUTH);
}

static void
test_malformed_server_final(void **state)
{
	assert_int_equal(SV(""), WARD_ERR_PROTO);
	assert_int_equal(SV("v"), WARD_ERR_PROTO);
	assert_int_equal(SV("v="), WARD_ERR_PROTO);
	assert_int_equal(SV("rmF9pqV8S7suAoZWja4dJRkFsKQ="), WARD_ERR_PROTO);
	assert_int_equal(SV("x=rmF9pqV8S7suAoZWja4dJRkFsKQ="), WARD_ERR_PROTO);
	assert_int_equal(SV("V=rmF9pqV8S7suAoZWja4dJRkFsKQ="), WARD_ERR_PROTO);
	assert_int_equal(SV(SHA1_SFINAL ","), WARD_ERR_PROTO);
	assert_int_equal(SV(SHA1_SFINAL "\n"), WARD_ERR_PROTO);
	assert_int_equal(SV(" " SHA1_SFINAL), WARD_ERR_PROTO);
	assert_int_equal(SV(SHA1_SFINAL "," SHA1_SFINAL), WARD_ERR_PROTO);
	assert_int_equal(SV(SHA1_SFINAL ",e=x"), WARD_ERR_PROTO);
	assert_int_equal(SV("v=rmF9pqV8S7suAoZWja4dJRkFsKR="), WARD_ERR_PROTO);
	assert_int_equal(SV("v=rmF9pqV8S7suAoZWja4dJRkFsKQ"), WARD_ERR_PROTO);
	assert_int_equal(SV(SHA1_SFINAL ",x=\0"), WARD_ERR_PROTO);
	assert_int_equal(SV("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=\0"),
			 WARD_ERR_PROTO);
	assert_int_equal(SV("v=rmF9pqV8S7suAo\0ZWja4dJRkFsKQ="),
			 WARD_ERR_PROTO);
}

static void
test_nonce_checks(void **state)
{
	/* Not starting with our nonce. */
	assert_int_equal(SF("r=gyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,"
			    "s=QSXCR+Q6sek8bf92,i=4096"),
			 WARD_ERR_AUTH);
	assert_int_equal(SF("r=3rfcNHYJY1ZVvWVs7jfyko+d2lbbFgONRv9qkxdawL,"
			    "s=QSXCR+Q6sek8bf92,i=4096"),
			 WARD_ERR_AUTH);
	/* Exactly our nonce: the server added nothing. */
	assert_int_equal(SF("r=fyko+d2lbbFgONRv9qkxdawL,s=QSXCR+Q6sek8bf92,"
			    "i=4096"),
			 WARD_ERR_AUTH);
	/* A prefix of our nonce. */
	assert_int_equal(SF("r=fyko+d2lbbFgONRv9qkxdaw,s=QSXCR+Q6sek8bf92,"
			    "i=4096"),
			 WARD_ERR_AUTH);
	/* Non-printable characters in the server's part. */
	assert_int_equal(SF("r=fyko+d2lbbFgONRv9qkxdawL3rfc\x01NHYJ,"
			    "s=QSXCR+Q6sek8bf92,i=4096"),
			 WARD_ERR_PROTO);
	assert_int_equal(SF("r=fyko+d2lbbFgONRv9qkxdawL3rfc NHYJ,"
			    "s=QSXCR+Q6sek8bf92,i=4096"),
			 WARD_ERR_PROTO);
	assert_int_equal(SF("r=fyko+d2lbbFgONRv9qkxdawL3rfc\xc3\xa9,"
			    "s=QSXCR+Q6sek8bf92,i=4096"),
			 WARD_ERR_PROTO);
}

static void
test_iteration_bounds(void **state)
{
	struct scram *s;
	size_t len;
	char *fin;

#define R1 "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,"
	assert_int_equal(SF(R1 "i=4095"), WARD_ERR_AUTH);
	assert_int_equal(SF(R1 "i=1000001"), WARD_ERR_AUTH);
	assert_int_equal(SF(R1 "i=1"), WARD_ERR_AUTH);
	assert_int_equal(SF(R1 "i=9999999"), WARD_ERR_AUTH);
	assert_int_equal(SF(R1 "i=99999999999999999999999999999999"),
			 WARD_ERR_AUTH);
	assert_int_equal(SF(R1 "i=18446744073709551617"), WARD_ERR_AUTH);
	assert_int_equal(SF(R1 "i=4294971392"), WARD_ERR_AUTH); /* 2^32+4096 */
	assert_int_equal(SF(R1 "i=18446744073709555712"),       /* 2^64+4096 */
			 WARD_ERR_AUTH);
	/* Not a posit-number. */
	assert_int_equal(SF(R1 "i=0"), WARD_ERR_PROTO);
	assert_int_equal(SF(R1 "i=04096"), WARD_ERR_PROTO);
	assert_int_equal(SF(R1 "i=-4096"), WARD_ERR_PROTO);
	assert_int_equal(SF(R1 "i=+4096"), WARD_ERR_PROTO);
	assert_int_equal(SF(R1 "i=4096x"), WARD_ERR_PROTO);
	assert_int_equal(SF(R1 "i= 4096"), WARD_ERR_PROTO);
	assert_int_equal(SF(R1 "i=0x1000"), WARD_ERR_PROTO);
	assert_int_equal(SF(R1 "i="), WARD_ERR_PROTO);
	/* The upper bound itself is accepted, and computed right. */
	s = sha1_after_first();
	assert_int_equal(scram_client_final(s, R1 "i=1000000",
					    strlen(R1 "i=1000000"), &fin, &len),
			 WARD_OK);
	assert_string_equal(fin, MAXI_CFINAL);
	free(fin);
	assert_int_equal(
	    scram_verify_server_final(s, MAXI_SFINAL, strlen(MAXI_SFINAL)),
	    WARD_OK);
	scram_free(s);
	/* A caller may lower the bound, never raise or undercut it. */
	s = sha1_after_first();
	assert_int_equal(scram_set_max_iterations(s, 4095), WARD_ERR_INVAL);
	assert_int_equal(scram_set_max_iterations(s, 1000001), WARD_ERR_INVAL);
	assert_int_equal(scram_set_max_iterations(s, 5000), WARD_OK);
	assert_int_equal(
	    scram_client_final(s, R1 "i=5001", strlen(R1 "i=5001"), &fin, &len),
	    WARD_ERR_AUTH);
	scram_free(s);
	s = sha1_after_first();
	assert_int_equal(scram_set_max_iterations(s, 5000), WARD_OK);
	assert_int_equal(
	    scram_client_final(s, R1 "i=5000", strlen(R1 "i=5000"), &fin, &len),
	    WARD_OK);
	free(fin);
	assert_int_equal(scram_set_max_iterations(s, 5000), WARD_ERR_INVAL);
	scram_free(s);
}

static void
test_malformed_server_first(void **state)
{
	char big[SCRAM_MAX_MESSAGE + 64];
	size_t n;

	assert_int_equal(SF(""), WARD_ERR_PROTO);
	assert_int_equal(SF("r"), WARD_ERR_PROTO);
	assert_int_equal(SF("r="), WARD_ERR_PROTO);
	assert_int_equal(SF(","), WARD_ERR_PROTO);
	assert_int_equal(SF("=,=,="), WARD_ERR_PROTO);
	assert_int_equal(SF("r=fyko+d2lbbFgONRv9qkxdawL3rfc"), WARD_ERR_PROTO);
	/* Missing or misordered attributes. */
	assert_int_equal(
	    SF("r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92"),
	    WARD_ERR_PROTO);
	assert_int_equal(SF("r=fyko+d2lbbFgONRv9qkxdawL3rfc,i=4096"),
			 WARD_ERR_PROTO);
	assert_int_equal(SF("s=QSXCR+Q6sek8bf92,r=fyko+d2lbbFgONRv9qkxdawL3rfc,"
			    "i=4096"),
			 WARD_ERR_PROTO);
	assert_int_equal(SF("r=fyko+d2lbbFgONRv9qkxdawL3rfc,i=4096,"
			    "s=QSXCR+Q6sek8bf92"),
			 WARD_ERR_PROTO);
	assert_int_equal(SF("R=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,"
			    "i=4096"),
			 WARD_ERR_PROTO);
	/* Unknown mandatory extension; repeated attributes. */
	assert_int_equal(SF("m=ext,r=fyko+d2lbbFgONRv9qkxdawL3rfc,"
			    "s=QSXCR+Q6sek8bf92,i=4096"),
			 WARD_ERR_PROTO);
	assert_int_equal(SF(R1 "i=4096,m=ext"), WARD_ERR_PROTO);
	assert_int_equal(SF(R1 "i=4096,i=4096"), WARD_ERR_PROTO);
	assert_int_equal(SF(R1 "i=4096,r=fyko+d2lbbFgONRv9qkxdawLX"),
			 WARD_ERR_PROTO);
	/* Syntax around attributes. */
	assert_int_equal(SF(R1 "i=4096,"), WARD_ERR_PROTO);
	assert_int_equal(SF(R1 "i=4096,,x=1"), WARD_ERR_PROTO);
	assert_int_equal(SF(R1 "i=4096,x"), WARD_ERR_PROTO);
	assert_int_equal(SF(R1 "i=4096,x="), WARD_ERR_PROTO);
	assert_int_equal(SF(R1 "i=4096,x=,y=1"), WARD_ERR_PROTO);
	assert_int_equal(SF(R1 "i=4096,1=x"), WARD_ERR_PROTO);
	assert_int_equal(SF(R1 "i=4096,xy=1"), WARD_ERR_PROTO);
	assert_int_equal(SF(R1 "i=4096\n"), WARD_ERR_PROTO);
	/* Salt: base64, strict, non-empty. */
	assert_int_equal(SF("r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=,i=4096"),
			 WARD_ERR_PROTO);
	assert_int_equal(SF("r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf9,"
			    "i=4096"),
			 WARD_ERR_PROTO);
	assert_int_equal(SF("r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR Q6sek8bf92,"
			    "i=4096"),
			 WARD_ERR_PROTO);
	assert_int_equal(SF("r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=Zh==,i=4096"),
			 WARD_ERR_PROTO);
	assert_int_equal(SF("r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=====,i=4096"),
			 WARD_ERR_PROTO);
	/* Embedded NULs: len is authoritative, a NUL is refused. */
	assert_int_equal(SF(SHA1_SFIRST "\0"), WARD_ERR_PROTO);
	assert_int_equal(SF(SHA1_SFIRST ",x=a\0b"), WARD_ERR_PROTO);
	assert_int_equal(
	    SF("r=fyko+d2lbbFgONRv9qkxdawL3rfc\0,s=QSXCR+Q6sek8bf92,"
	       "i=4096"),
	    WARD_ERR_PROTO);
	/* The right message cut short by len. */
	assert_int_equal(server_first_rc(SHA1_SFIRST, strlen(SHA1_SFIRST) - 1),
			 WARD_ERR_AUTH); /* i=409 */
	assert_int_equal(server_first_rc(SHA1_SFIRST, strlen(SHA1_SFIRST) - 4),
			 WARD_ERR_PROTO); /* i= */
	/* Oversized, otherwise valid. */
	n = (size_t)snprintf(big, sizeof(big), "%s,x=", SHA1_SFIRST);
	memset(big + n, 'a', sizeof(big) - n);
	assert_int_equal(server_first_rc(big, SCRAM_MAX_MESSAGE), WARD_OK);
	assert_int_equal(server_first_rc(big, SCRAM_MAX_MESSAGE + 1),
			 WARD_ERR_PROTO);
	/* Too many attributes. */
	{
		char many[1024];

		n = (size_t)snprintf(many, sizeof(many), "%s", SHA1_SFIRST);
		while (n + 4 < sizeof(many))
			n += (size_t)snprintf(many + n, sizeof(many) - n,
					      ",x=1");
		assert_int_equal(server_first_rc(many, n), WARD_ERR_PROTO);
	}
}

/* Well-formed extensions are ignored, but are part of the AuthMessage. */
static void
test_server_first_extension(void **state)
{
	run_exchange(SCRAM_SHA1, "user", "n", NULL, 0, SHA1_NONCE,
		     "n,,n=user,r=" SHA1_NONCE, SHA1_SFIRST ",x=foo",
		     EXT_CFINAL, EXT_SFINAL);
}

static void
test_username_escaping(void **state)
{
	run_exchange(SCRAM_SHA1, "us,er=x", "n", NULL, 0, SHA1_NONCE,
		     "n,,n=us=2Cer=3Dx,r=" SHA1_NONCE, SHA1_SFIRST, ESC_CFINAL,
		     NULL);
	run_exchange(SCRAM_SHA1, "=,", "n", NULL, 0, "abc", "n,,n==3D=2C,r=abc",
		     "r=abcd,s=QSXCR+Q6sek8bf92,i=4096",
		     "c=biws,r=abcd,p=Tg20nNUZ89UUDLlvx/RMdh7johs=",
		     "v=1aSjnpq97CL1lt67X2Y3yjUYACY=");
}

static void
test_username_validation(void **state)
{
	static const char *const bad[] = {
	    "",
	    "a\x01z",
	    "a\x1fz",
	    "a\x7fz",
	    "a\tz",
	    "a\nz",
	    "\xff",
	    "a\x80z",               /* lone continuation */
	    "\xc3",                 /* truncated */
	    "\xe2\x82",             /* truncated */
	    "\xe2\x82\x41",         /* 3rd byte not a continuation */
	    "\xf0\x9f\x98\x41",     /* 4th byte not a continuation */
	    "\xc0\xaf",             /* overlong '/' */
	    "\xe0\x80\xaf",         /* overlong */
	    "\xf0\x80\x80\xaf",     /* overlong */
	    "\xed\xa0\x80",         /* surrogate */
	    "\xf4\x90\x80\x80",     /* above U+10FFFF */
	    "\xc2\x85",             /* C1 NEL */
	    "\xc2\x9f",             /* C1 */
	    "\xf8\x88\x80\x80\x80", /* 5 bytes */
	};
	static const char *const good[] = {
	    "j\xc3\xbcrgen",    /* U+00FC */
	    "\xc2\xa0",         /* U+00A0 */
	    "\xe2\x82\xac",     /* U+20AC */
	    "\xed\x9f\xbf",     /* U+D7FF */
	    "\xf0\x9f\x98\x80", /* U+1F600 */
	    "\xf4\x8f\xbf\xbf", /* U+10FFFF */
	    "~!@#$%^&*()",
	};
	char longname[SCRAM_MAX_USERNAME + 2];
	struct scram *s;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s = (struct scram *)1;
		assert_int_equal(scram_new(SCRAM_SHA256, bad[i], "pw", "n",
					   NULL, 0, NULL, &s),
				 WARD_ERR_INVAL);
		assert_null(s);
	}
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(scram_new(SCRAM_SHA256, good[i], "pw", "n",
					   NULL, 0, NULL, &s),
				 WARD_OK);
		scram_free(s);
	}
	memset(longname, 'a', sizeof(longname) - 2);
	longname[sizeof(longname) - 2] = '\0';
	assert_int_equal(
	    scram_new(SCRAM_SHA256, longname, "pw", "n", NULL, 0, NULL, &s),
	    WARD_OK);
	scram_free(s);
	longname[sizeof(longname) - 2] = 'a';
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(
	    scram_new(SCRAM_SHA256, longname, "pw", "n", NULL, 0, NULL, &s),
	    WARD_ERR_LIMIT);
}

static void
test_new_bad_args(void **state)
{
	struct scram *s;

	assert_int_equal(
	    scram_new((enum scram_hash)7, "u", "p", "n", NULL, 0, NULL, &s),
	    WARD_ERR_INVAL);
	assert_int_equal(
	    scram_new(SCRAM_SHA1, NULL, "p", "n", NULL, 0, NULL, &s),
	    WARD_ERR_INVAL);
	assert_int_equal(
	    scram_new(SCRAM_SHA1, "u", NULL, "n", NULL, 0, NULL, &s),
	    WARD_ERR_INVAL);
	assert_int_equal(
	    scram_new(SCRAM_SHA1, "u", "p", NULL, NULL, 0, NULL, &s),
	    WARD_ERR_INVAL);
	assert_int_equal(
	    scram_new(SCRAM_SHA1, "u", "p", "n", NULL, 0, NULL, NULL),
	    WARD_ERR_INVAL);
	/* Fixed nonces: printable ASCII, no ','. */
	assert_int_equal(scram_new(SCRAM_SHA1, "u", "p", "n", NULL, 0, "", &s),
			 WARD_ERR_INVAL);
	assert_int_equal(
	    scram_new(SCRAM_SHA1, "u", "p", "n", NULL, 0, "ab,cd", &s),
	    WARD_ERR_INVAL);
	assert_int_equal(
	    scram_new(SCRAM_SHA1, "u", "p", "n", NULL, 0, "ab cd", &s),
	    WARD_ERR_INVAL);
	assert_int_equal(
	    scram_new(SCRAM_SHA1, "u", "p", "n", NULL, 0, "ab\xc3\xa9", &s),
	    WARD_ERR_INVAL);
}

/* A generated nonce: 32 base64 characters, fresh every time. */
static void
test_random_nonce(void **state)
{
	struct scram *a, *b;
	char *fa, *fb;
	size_t la, lb, i;
	const char *na;

	assert_int_equal(
	    scram_new(SCRAM_SHA512, "user", "pw", "n", NULL, 0, NULL, &a),
	    WARD_OK);
	assert_int_equal(
	    scram_new(SCRAM_SHA512, "user", "pw", "n", NULL, 0, NULL, &b),
	    WARD_OK);
	assert_int_equal(scram_client_first(a, &fa, &la), WARD_OK);
	assert_int_equal(scram_client_first(b, &fb, &lb), WARD_OK);
	assert_true(strncmp(fa, "n,,n=user,r=", 12) == 0);
	na = fa + 12;
	assert_int_equal(strlen(na), 32);
	for (i = 0; na[i] != '\0'; i++)
		assert_true(na[i] > 0x20 && na[i] < 0x7f && na[i] != ',');
	assert_string_not_equal(fa, fb);
	free(fa);
	free(fb);
	scram_free(a);
	scram_free(b);
}

static void
test_state_machine(void **state)
{
	struct scram *s;
	size_t len;
	char *msg;

	assert_int_equal(scram_new(SCRAM_SHA1, "user", "pencil", "n", NULL, 0,
				   SHA1_NONCE, &s),
			 WARD_OK);
	/* Nothing before client-first. */
	assert_int_equal(
	    scram_client_final(s, SHA1_SFIRST, strlen(SHA1_SFIRST), &msg, &len),
	    WARD_ERR_INVAL);
	assert_int_equal(
	    scram_verify_server_final(s, SHA1_SFINAL, strlen(SHA1_SFINAL)),
	    WARD_ERR_INVAL);
	assert_int_equal(scram_client_first(s, &msg, &len), WARD_OK);
	free(msg);
	/* client-first only once; verify not before client-final. */
	assert_int_equal(scram_client_first(s, &msg, &len), WARD_ERR_INVAL);
	assert_null(msg);
	assert_int_equal(
	    scram_verify_server_final(s, SHA1_SFINAL, strlen(SHA1_SFINAL)),
	    WARD_ERR_INVAL);
	assert_int_equal(scram_verified(s), 0);
	/* Bad arguments do not advance or kill the exchange. */
	assert_int_equal(scram_client_final(s, NULL, 5, &msg, &len),
			 WARD_ERR_INVAL);
	assert_int_equal(
	    scram_client_final(s, SHA1_SFIRST, strlen(SHA1_SFIRST), NULL, &len),
	    WARD_ERR_INVAL);
	assert_int_equal(
	    scram_client_final(s, SHA1_SFIRST, strlen(SHA1_SFIRST), &msg, &len),
	    WARD_OK);
	free(msg);
	/* client-final only once. */
	assert_int_equal(
	    scram_client_final(s, SHA1_SFIRST, strlen(SHA1_SFIRST), &msg, &len),
	    WARD_ERR_INVAL);
	assert_int_equal(scram_verify_server_final(s, NULL, 3), WARD_ERR_INVAL);
	assert_int_equal(
	    scram_verify_server_final(s, SHA1_SFINAL, strlen(SHA1_SFINAL)),
	    WARD_OK);
	assert_int_equal(scram_verified(s), 1);
	/* Verified only once. */
	assert_int_equal(
	    scram_verify_server_final(s, SHA1_SFINAL, strlen(SHA1_SFINAL)),
	    WARD_ERR_INVAL);
	assert_int_equal(scram_verified(s), 1);
	scram_free(s);

	/* A failed verification is final: the right answer comes too late. */
	s = sha1_after_final();
	assert_int_equal(scram_verify_server_final(s, "v=AAAA", 6),
			 WARD_ERR_AUTH);
	assert_int_equal(
	    scram_verify_server_final(s, SHA1_SFINAL, strlen(SHA1_SFINAL)),
	    WARD_ERR_INVAL);
	assert_int_equal(scram_verified(s), 0);
	scram_free(s);

	assert_int_equal(scram_client_first(NULL, &msg, &len), WARD_ERR_INVAL);
	assert_int_equal(scram_verified(NULL), 0);
	scram_free(NULL);
}

static void
test_mech_names(void **state)
{
	assert_string_equal(scram_mech_name(SCRAM_SHA1, 0), "SCRAM-SHA-1");
	assert_string_equal(scram_mech_name(SCRAM_SHA1, 1), "SCRAM-SHA-1-PLUS");
	assert_string_equal(scram_mech_name(SCRAM_SHA256, 0), "SCRAM-SHA-256");
	assert_string_equal(scram_mech_name(SCRAM_SHA256, 1),
			    "SCRAM-SHA-256-PLUS");
	assert_string_equal(scram_mech_name(SCRAM_SHA512, 0), "SCRAM-SHA-512");
	assert_string_equal(scram_mech_name(SCRAM_SHA512, 1),
			    "SCRAM-SHA-512-PLUS");
	assert_null(scram_mech_name((enum scram_hash)9, 0));
}

/* Runs scram_choose and returns "NAME" of the choice, or NULL. */
static const char *
choose(const char *const *offered, size_t n, int allow_plus)
{
	enum scram_hash h = (enum scram_hash)42;
	int plus = 42, r;

	r = scram_choose(offered, n, allow_plus, &h, &plus);
	if (r == WARD_ERR_NOTFOUND) {
		/* Untouched on failure. */
		assert_int_equal(h, 42);
		assert_int_equal(plus, 42);
		return NULL;
	}
	assert_int_equal(r, WARD_OK);
	return scram_mech_name(h, plus);
}
#define CHOOSE(plus, ...)                                                      \
	choose((const char *const[]){__VA_ARGS__},                             \
	       sizeof((const char *const[]){__VA_ARGS__}) / sizeof(char *),    \
	       plus)

static void
test_choose(void **state)
{
	const char *all[] = {"PLAIN",
			     "SCRAM-SHA-1",
			     "SCRAM-SHA-1-PLUS",
			     "SCRAM-SHA-256",
			     "SCRAM-SHA-256-PLUS",
			     "SCRAM-SHA-512",
			     "SCRAM-SHA-512-PLUS",
			     "DIGEST-MD5"};
	enum scram_hash h;
	int plus;

	/* Strongest hash first, -PLUS preferred when allowed. */
	assert_string_equal(choose(all, 8, 1), "SCRAM-SHA-512-PLUS");
	assert_string_equal(choose(all, 8, 0), "SCRAM-SHA-512");
	assert_string_equal(
	    CHOOSE(1, "SCRAM-SHA-1", "SCRAM-SHA-256", "SCRAM-SHA-512"),
	    "SCRAM-SHA-512");
	assert_string_equal(
	    CHOOSE(1, "SCRAM-SHA-512", "SCRAM-SHA-1", "SCRAM-SHA-256"),
	    "SCRAM-SHA-512");
	assert_string_equal(CHOOSE(1, "SCRAM-SHA-1", "SCRAM-SHA-256"),
			    "SCRAM-SHA-256");
	assert_string_equal(CHOOSE(1, "SCRAM-SHA-256", "SCRAM-SHA-256-PLUS"),
			    "SCRAM-SHA-256-PLUS");
	assert_string_equal(CHOOSE(0, "SCRAM-SHA-256", "SCRAM-SHA-256-PLUS"),
			    "SCRAM-SHA-256");
	assert_string_equal(
	    CHOOSE(1, "SCRAM-SHA-1-PLUS", "SCRAM-SHA-1", "SCRAM-SHA-256"),
	    "SCRAM-SHA-1-PLUS");
	assert_string_equal(CHOOSE(1, "SCRAM-SHA-1", "SCRAM-SHA-1-PLUS"),
			    "SCRAM-SHA-1-PLUS");
	assert_string_equal(CHOOSE(0, "SCRAM-SHA-1", "SCRAM-SHA-1-PLUS"),
			    "SCRAM-SHA-1");
	assert_string_equal(CHOOSE(1, "SCRAM-SHA-256-PLUS", "SCRAM-SHA-512"),
			    "SCRAM-SHA-256-PLUS");
	assert_string_equal(CHOOSE(1, "SCRAM-SHA-512-PLUS",
				   "SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS"),
			    "SCRAM-SHA-512-PLUS");
	assert_string_equal(CHOOSE(1, "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256-PLUS"),
			    "SCRAM-SHA-256-PLUS");
	/* Only -PLUS offered and binding not possible: nothing to take. */
	assert_null(CHOOSE(0, "SCRAM-SHA-256-PLUS", "PLAIN"));
	/* Never anything but SCRAM; names match exactly. */
	assert_null(CHOOSE(1, "PLAIN"));
	assert_null(CHOOSE(1, "PLAIN", "DIGEST-MD5", "X-OAUTH2", "EXTERNAL",
			   "ANONYMOUS", "CRAM-MD5"));
	assert_null(CHOOSE(1, "scram-sha-256", "SCRAM-SHA-256 ",
			   "SCRAM-SHA-2560", "SCRAM-SHA-", "SCRAM-SHA-224",
			   "SCRAM-SHA3-512", "SCRAM-SHA-256-PLUS-X", NULL));
	assert_string_equal(CHOOSE(1, NULL, "PLAIN", NULL, "SCRAM-SHA-1"),
			    "SCRAM-SHA-1");
	assert_null(choose(NULL, 0, 1));
	assert_int_equal(scram_choose(NULL, 1, 1, &h, &plus), WARD_ERR_INVAL);
	assert_int_equal(scram_choose(all, 8, 1, NULL, &plus), WARD_ERR_INVAL);
	assert_int_equal(scram_choose(all, 8, 1, &h, NULL), WARD_ERR_INVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rfc5802_sha1),
	    cmocka_unit_test(test_rfc7677_sha256),
	    cmocka_unit_test(test_sha512_reference),
	    cmocka_unit_test(test_channel_binding_headers),
	    cmocka_unit_test(test_channel_binding_bad_args),
	    cmocka_unit_test(test_wrong_server_signature),
	    cmocka_unit_test(test_server_error),
	    cmocka_unit_test(test_malformed_server_final),
	    cmocka_unit_test(test_nonce_checks),
	    cmocka_unit_test(test_iteration_bounds),
	    cmocka_unit_test(test_malformed_server_first),
	    cmocka_unit_test(test_server_first_extension),
	    cmocka_unit_test(test_username_escaping),
	    cmocka_unit_test(test_username_validation),
	    cmocka_unit_test(test_new_bad_args),
	    cmocka_unit_test(test_random_nonce),
	    cmocka_unit_test(test_state_machine),
	    cmocka_unit_test(test_mech_names),
	    cmocka_unit_test(test_choose),
	};

	return cmocka_run_group_tests_name("scram", tests, NULL, NULL);
}
