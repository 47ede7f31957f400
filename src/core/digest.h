/*
 * digest.h: the one SHA-1 the core and the UI share (XEP-0115 caps hashes,
 * XEP-0392 colours), so that ui/ needs no crypto library header of its own.
 * Not for anything whose security rests on the hash.
 */
#ifndef WARD_DIGEST_H
#define WARD_DIGEST_H

#include <stddef.h>

#define DIGEST_SHA1_LEN 20

/* SHA-1 of len bytes at data into out. Returns 0, or -1 (out zeroed) when
 * the library fails. */
int digest_sha1(const void *data, size_t len,
		unsigned char out[DIGEST_SHA1_LEN]);

#endif
