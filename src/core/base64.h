/*
 * base64.h: strict base64 (RFC 4648 section 4, standard alphabet) for SASL
 * and other wire formats. Padding is required; whitespace, trailing garbage
 * and non-canonical trailing bits are refused.
 */
#ifndef WARD_BASE64_H
#define WARD_BASE64_H

#include <stddef.h>

/*
 * Encodes len bytes of data. Returns a NUL-terminated, malloc'd string the
 * caller frees, or NULL when out of memory or len is too large to encode.
 * data may be NULL only when len is 0 (the result is then "").
 */
char *base64_encode(const void *data, size_t len);

/*
 * Decodes exactly inlen bytes of in (no NUL terminator needed; a NUL inside
 * the range is an error). On success returns WARD_OK and sets *out to a
 * malloc'd buffer of *outlen bytes followed by one NUL byte that is not
 * counted; the caller frees it. The empty string decodes to an empty buffer.
 * Returns WARD_ERR_PARSE for anything that is not canonical padded base64,
 * WARD_ERR_INVAL for NULL arguments, WARD_ERR_NOMEM. *out and *outlen are
 * cleared on entry and set only on success.
 */
int base64_decode(const char *in, size_t inlen, unsigned char **out,
		  size_t *outlen);

#endif
