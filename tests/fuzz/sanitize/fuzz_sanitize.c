/*
 * fuzz_sanitize.c: libFuzzer harness for the terminal sanitiser. Whatever
 * comes in, what goes out is valid UTF-8 with no C0/C1 control, DEL, ESC or
 * bidi control (only '\n' in multi-line mode), within the growth bound,
 * and clean text passes unchanged.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "sanitize.h"
#include "ward.h"

#include "oracle.h"

static void
check(const uint8_t *data, size_t size, int multiline)
{
	size_t outlen = 0;
	char *out;

	if (multiline)
		out = sanitize_multiline((const char *)data, size, &outlen);
	else
		out = sanitize_for_terminal((const char *)data, size, &outlen);
	if (out == NULL)
		abort();
	if (strlen(out) != outlen || outlen > size * 4)
		abort();
	if (!oracle_safe((const unsigned char *)out, outlen, multiline, 0))
		abort();
	if (memchr(out, 0x1b, outlen) != NULL)
		abort();
	/* Clean input is left alone. */
	if (oracle_safe(data, size, multiline, 0) &&
	    (outlen != size || memcmp(out, data, size) != 0))
		abort();
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wbuf b;
	int r;

	check(data, size, 0);
	check(data, size, 1);
	/* A small ceiling fails cleanly and never overruns. */
	wbuf_init(&b, 16);
	r = sanitize_append(&b, (const char *)data, size, 0);
	if (r != WARD_OK && r != WARD_ERR_LIMIT)
		abort();
	if (wbuf_avail(&b) > 16)
		abort();
	wbuf_free(&b);
	return 0;
}
