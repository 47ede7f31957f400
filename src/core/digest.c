/*
 * digest.c: SHA-1 through OpenSSL for the few places that need a stable
 * fingerprint of public text (capabilities hash, nick colours).
 */
#include <openssl/evp.h>
#include <string.h>

#include "digest.h"

int
digest_sha1(const void *data, size_t len, unsigned char out[DIGEST_SHA1_LEN])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (EVP_Digest(data, len, md, &mdlen, EVP_sha1(), NULL) != 1 ||
	    mdlen != DIGEST_SHA1_LEN) {
		memset(out, 0, DIGEST_SHA1_LEN);
		return -1;
	}
	memcpy(out, md, DIGEST_SHA1_LEN);
	return 0;
}
