/*
 * test_base64.c: unit tests for src/core/base64.c: the RFC 4648 section 10
 * vectors both ways, and the inputs a strict decoder must refuse.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ward.h"
#include "base64.h"

static const struct {
	const char *raw;
	const char *enc;
} rfc4648_vectors[] = {
    {"", ""},
    {"f", "Zg=="},
    {"fo", "Zm8="},
    {"foo", "Zm9v"},
    {"foob", "Zm9vYg=="},
    {"fooba", "Zm9vYmE="},
    {"foobar", "Zm9vYmFy"},
};
#define NVECTORS (sizeof(rfc4648_vectors) / sizeof(rfc4648_vectors[0]))

/* Decodes in[0..len) and returns the result code, freeing any output. */
static int
decode_rc(const char *in, size_t len)
{
	unsigned char *out = (unsigned char *)"sentinel";
	size_t outlen = 99;
	int r;

	r = base64_decode(in, len, &out, &outlen);
	if (r != WARD_OK) {
		/* Out-parameters are cleared on failure too. */
		assert_null(out);
		assert_int_equal(outlen, 0);
	}
	free(out);
	return r;
}

static void
test_encode_rfc4648(void **state)
{
	size_t i;
	char *e;

	for (i = 0; i < NVECTORS; i++) {
		e = base64_encode(rfc4648_vectors[i].raw,
				  strlen(rfc4648_vectors[i].raw));
		assert_non_null(e);
		assert_string_equal(e, rfc4648_vectors[i].enc);
		free(e);
	}
}

static void
test_decode_rfc4648(void **state)
{
	unsigned char *out;
	size_t i, outlen;

	for (i = 0; i < NVECTORS; i++) {
		const char *enc = rfc4648_vectors[i].enc;
		const char *raw = rfc4648_vectors[i].raw;

		assert_int_equal(base64_decode(enc, strlen(enc), &out, &outlen),
				 WARD_OK);
		assert_non_null(out);
		assert_int_equal(outlen, strlen(raw));
		assert_memory_equal(out, raw, outlen);
		assert_int_equal(out[outlen], '\0'); /* the extra NUL */
		free(out);
	}
}

/* Every byte value, at every length up to 300, survives a round trip. */
static void
test_roundtrip_binary(void **state)
{
	unsigned char data[300], *out;
	size_t i, len, outlen;
	char *e;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 7 + 3);
	for (len = 0; len <= sizeof(data); len++) {
		e = base64_encode(data, len);
		assert_non_null(e);
		assert_int_equal(strlen(e), (len + 2) / 3 * 4);
		assert_int_equal(base64_decode(e, strlen(e), &out, &outlen),
				 WARD_OK);
		assert_int_equal(outlen, len);
		if (len != 0)
			assert_memory_equal(out, data, len);
		free(out);
		free(e);
	}
}

static void
test_reject_length_and_padding(void **state)
{
	assert_int_equal(decode_rc("Zg", 2), WARD_ERR_PARSE);  /* no pad */
	assert_int_equal(decode_rc("Zg=", 3), WARD_ERR_PARSE); /* short */
	assert_int_equal(decode_rc("Zm9", 3), WARD_ERR_PARSE);
	assert_int_equal(decode_rc("Z===", 4), WARD_ERR_PARSE); /* 1 char */
	assert_int_equal(decode_rc("====", 4), WARD_ERR_PARSE);
	assert_int_equal(decode_rc("=Zg=", 4), WARD_ERR_PARSE);
	assert_int_equal(decode_rc("Z=g=", 4), WARD_ERR_PARSE);
	assert_int_equal(decode_rc("Zm=v", 4), WARD_ERR_PARSE);
	assert_int_equal(decode_rc("Zg==Zm9v", 8), WARD_ERR_PARSE); /* mid */
	assert_int_equal(decode_rc("Zm8=Zm8=", 8), WARD_ERR_PARSE);
	assert_int_equal(decode_rc("Zm9v====", 8), WARD_ERR_PARSE);
	assert_int_equal(decode_rc("Zm9vYg===", 9), WARD_ERR_PARSE);
}

/* Bits that padding discards must be zero: one encoding per string. */
static void
test_reject_noncanonical_bits(void **state)
{
	assert_int_equal(decode_rc("Zg==", 4), WARD_OK);
	assert_int_equal(decode_rc("Zh==", 4), WARD_ERR_PARSE);
	assert_int_equal(decode_rc("Zv==", 4), WARD_ERR_PARSE);
	assert_int_equal(decode_rc("Zm8=", 4), WARD_OK);
	assert_int_equal(decode_rc("Zm9=", 4), WARD_ERR_PARSE);
	assert_int_equal(decode_rc("Zm/=", 4), WARD_ERR_PARSE);
}

static void
test_reject_characters(void **state)
{
	assert_int_equal(decode_rc("Zm9v", 4), WARD_OK);
	assert_int_equal(decode_rc("Zm9v\n", 5), WARD_ERR_PARSE);
	assert_int_equal(decode_rc("Zm9vYmFy\r\n", 10), WARD_ERR_PARSE);
	assert_int_equal(decode_rc("Zm 9", 4), WARD_ERR_PARSE);
	assert_int_equal(decode_rc(" Zm9v   ", 8), WARD_ERR_PARSE);
	assert_int_equal(decode_rc("Zm-v", 4), WARD_ERR_PARSE); /* base64url */
	assert_int_equal(decode_rc("Zm_v", 4), WARD_ERR_PARSE);
	assert_int_equal(decode_rc("Zm\0v", 4), WARD_ERR_PARSE);
	assert_int_equal(decode_rc("Zm9v\0\0\0\0", 8), WARD_ERR_PARSE);
	assert_int_equal(decode_rc("Zm9\xc3", 4), WARD_ERR_PARSE);
	assert_int_equal(decode_rc("Zm9vYmFy!", 9), WARD_ERR_PARSE);
}

/* inlen is authoritative: bytes past it are never read or counted. */
static void
test_length_is_authoritative(void **state)
{
	unsigned char *out;
	size_t outlen;

	assert_int_equal(base64_decode("Zm9vYmFyGARBAGE", 8, &out, &outlen),
			 WARD_OK);
	assert_int_equal(outlen, 6);
	assert_memory_equal(out, "foobar", 6);
	free(out);
	assert_int_equal(decode_rc("Zm9vYg==", 4), WARD_OK);
	assert_int_equal(decode_rc("Zm9vYg==", 7), WARD_ERR_PARSE);
	assert_int_equal(decode_rc("Zm9vYg==", 0), WARD_OK);
}

static void
test_bad_arguments(void **state)
{
	unsigned char *out;
	size_t outlen;

	assert_int_equal(base64_decode(NULL, 4, &out, &outlen), WARD_ERR_INVAL);
	assert_int_equal(base64_decode("Zg==", 4, NULL, &outlen),
			 WARD_ERR_INVAL);
	assert_int_equal(base64_decode("Zg==", 4, &out, NULL), WARD_ERR_INVAL);
	assert_null(base64_encode(NULL, 1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_encode_rfc4648),
	    cmocka_unit_test(test_decode_rfc4648),
	    cmocka_unit_test(test_roundtrip_binary),
	    cmocka_unit_test(test_reject_length_and_padding),
	    cmocka_unit_test(test_reject_noncanonical_bits),
	    cmocka_unit_test(test_reject_characters),
	    cmocka_unit_test(test_length_is_authoritative),
	    cmocka_unit_test(test_bad_arguments),
	};

	return cmocka_run_group_tests_name("base64", tests, NULL, NULL);
}
