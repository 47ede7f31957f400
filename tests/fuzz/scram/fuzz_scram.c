/*
 * fuzz_scram.c: libFuzzer harness for the SCRAM client's handling of hostile
 * server messages. A fixed client (SCRAM-SHA-1, RFC 5802 user and nonce)
 * takes the input up to the first '\n' as server-first-message and, if
 * that is accepted, the rest as server-final-message. The whole input also
 * checks that base64_decode() accepts only canonical encodings.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ward.h"
#include "base64.h"
#include "scram.h"

#define FUZZ_NONCE "fyko+d2lbbFgONRv9qkxdawL"

/* An exact-size heap copy, so that ASan sees any read past len. */
static char *
fuzz_copy(const uint8_t *p, size_t len)
{
	char *c = malloc(len == 0 ? 1 : len);

	if (c == NULL)
		abort();
	if (len != 0)
		memcpy(c, p, len);
	return c;
}

/* Anything accepted must be the one canonical encoding of its bytes. */
static void
fuzz_base64(const uint8_t *data, size_t size)
{
	unsigned char *dec, *back;
	size_t declen, backlen;
	char *copy = fuzz_copy(data, size), *enc;

	if (base64_decode(copy, size, &dec, &declen) == WARD_OK) {
		if ((enc = base64_encode(dec, declen)) == NULL)
			abort();
		if (strlen(enc) != size || memcmp(enc, data, size) != 0)
			abort();
		free(enc);
		free(dec);
	}
	free(copy);
	if ((enc = base64_encode(data, size)) == NULL)
		abort();
	if (base64_decode(enc, strlen(enc), &back, &backlen) != WARD_OK ||
	    backlen != size || (size != 0 && memcmp(back, data, size) != 0))
		abort();
	free(back);
	free(enc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t firstlen = nl != NULL ? (size_t)(nl - data) : size;
	struct scram *s;
	char *first, *final = NULL, *out;
	size_t outlen;
	int r;

	fuzz_base64(data, size);

	if (scram_new(SCRAM_SHA1, "user", "pencil", "n", NULL, 0, FUZZ_NONCE,
		      &s) != WARD_OK)
		abort();
	/* Only i=4096 is then accepted: keeps each run cheap. */
	if (scram_set_max_iterations(s, SCRAM_MIN_ITERATIONS) != WARD_OK)
		abort();
	if (scram_client_first(s, &out, &outlen) != WARD_OK)
		abort();
	free(out);

	first = fuzz_copy(data, firstlen);
	r = scram_client_final(s, first, firstlen, &out, &outlen);
	if (r == WARD_OK) {
		if (strlen(out) != outlen ||
		    strncmp(out, "c=biws,r=" FUZZ_NONCE, 33) != 0)
			abort();
		freezero_str(out);
		if (nl != NULL) {
			size_t flen = size - firstlen - 1;

			final = fuzz_copy(nl + 1, flen);
			r = scram_verify_server_final(s, final, flen);
			if (r != WARD_OK && r != WARD_ERR_AUTH &&
			    r != WARD_ERR_PROTO)
				abort();
			if (scram_verified(s) != (r == WARD_OK))
				abort();
		}
	} else if (r != WARD_ERR_AUTH && r != WARD_ERR_PROTO) {
		abort();
	} else if (out != NULL || outlen != 0 || scram_verified(s)) {
		abort();
	}
	free(final);
	free(first);
	scram_free(s);
	return 0;
}
