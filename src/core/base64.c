/*
 * base64.c: strict RFC 4648 base64. The decoder accepts only the canonical
 * encoding of some byte string, so that every accepted input has exactly one
 * meaning (what SASL and signatures compared as text rely on).
 */
#include <stdint.h>
#include <stdlib.h>

#include "ward.h"
#include "base64.h"

static const char base64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Value of one alphabet character, or -1 (this includes '=' and NUL). */
static int
base64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

char *
base64_encode(const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i, o = 0, outlen;
	uint32_t v;
	char *out;

	if (p == NULL && len != 0)
		return NULL;
	if (len / 3 >= (SIZE_MAX - 1) / 4 - 1)
		return NULL;
	outlen = (len + 2) / 3 * 4;
	if ((out = malloc(outlen + 1)) == NULL)
		return NULL;
	for (i = 0; i + 3 <= len; i += 3) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		out[o++] = base64_alphabet[(v >> 18) & 63];
		out[o++] = base64_alphabet[(v >> 12) & 63];
		out[o++] = base64_alphabet[(v >> 6) & 63];
		out[o++] = base64_alphabet[v & 63];
	}
	if (len - i == 1) {
		v = (uint32_t)p[i] << 16;
		out[o++] = base64_alphabet[(v >> 18) & 63];
		out[o++] = base64_alphabet[(v >> 12) & 63];
		out[o++] = '=';
		out[o++] = '=';
	} else if (len - i == 2) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
		out[o++] = base64_alphabet[(v >> 18) & 63];
		out[o++] = base64_alphabet[(v >> 12) & 63];
		out[o++] = base64_alphabet[(v >> 6) & 63];
		out[o++] = '=';
	}
	out[o] = '\0';
	return out;
}

/*
 * Decodes the final quantum q[0..3] into dst; returns the number of bytes
 * written (1..3) or -1. Only here may '=' appear, and the bits that padding
 * discards must be zero.
 */
static int
base64_decode_last(const unsigned char *q, unsigned char *dst)
{
	int a = base64_value(q[0]), b = base64_value(q[1]);
	int c, d;

	if (a < 0 || b < 0)
		return -1;
	if (q[2] == '=' && q[3] == '=') {
		if ((b & 0x0f) != 0)
			return -1;
		dst[0] = (unsigned char)(a << 2 | b >> 4);
		return 1;
	}
	if ((c = base64_value(q[2])) < 0)
		return -1;
	if (q[3] == '=') {
		if ((c & 0x03) != 0)
			return -1;
		dst[0] = (unsigned char)(a << 2 | b >> 4);
		dst[1] = (unsigned char)((b & 0x0f) << 4 | c >> 2);
		return 2;
	}
	if ((d = base64_value(q[3])) < 0)
		return -1;
	dst[0] = (unsigned char)(a << 2 | b >> 4);
	dst[1] = (unsigned char)((b & 0x0f) << 4 | c >> 2);
	dst[2] = (unsigned char)((c & 0x03) << 6 | d);
	return 3;
}

int
base64_decode(const char *in, size_t inlen, unsigned char **out, size_t *outlen)
{
	const unsigned char *p = (const unsigned char *)in;
	unsigned char *buf;
	size_t i, o = 0;
	int a, b, c, d, n;

	if (out != NULL)
		*out = NULL;
	if (outlen != NULL)
		*outlen = 0;
	if (out == NULL || outlen == NULL || (in == NULL && inlen != 0))
		return WARD_ERR_INVAL;
	if (inlen % 4 != 0)
		return WARD_ERR_PARSE;
	/* Upper bound; the padding found at the end shortens it. */
	if ((buf = malloc(inlen / 4 * 3 + 1)) == NULL)
		return WARD_ERR_NOMEM;
	for (i = 0; inlen != 0 && i < inlen - 4; i += 4) {
		a = base64_value(p[i]);
		b = base64_value(p[i + 1]);
		c = base64_value(p[i + 2]);
		d = base64_value(p[i + 3]);
		if (a < 0 || b < 0 || c < 0 || d < 0)
			goto bad;
		buf[o++] = (unsigned char)(a << 2 | b >> 4);
		buf[o++] = (unsigned char)((b & 0x0f) << 4 | c >> 2);
		buf[o++] = (unsigned char)((c & 0x03) << 6 | d);
	}
	if (inlen != 0) {
		if ((n = base64_decode_last(p + i, buf + o)) < 0)
			goto bad;
		o += (size_t)n;
	}
	buf[o] = '\0';
	*out = buf;
	*outlen = o;
	return WARD_OK;
bad:
	free(buf);
	return WARD_ERR_PARSE;
}
