/*
 * aesgcm_file.h: XEP-0454 (OMEMO media sharing) files: an aesgcm:// link
 * carries in its fragment the IV (12 bytes, or 16 from older clients) and
 * the AES-256-GCM key; the file on the server is the ciphertext followed by
 * the 16-byte tag. Streamed, so a large file never sits in memory.
 */
#ifndef WARD_AESGCM_FILE_H
#define WARD_AESGCM_FILE_H

#include <stddef.h>

struct aesgcm_key {
	unsigned char iv[16];
	size_t ivlen; /* 12 or 16 */
	unsigned char key[32];
};

/*
 * Splits "aesgcm://HOST/PATH#HEX" into "https://HOST/PATH" (malloc'd, in
 * *https) and the IV and key (in *k, NULL to only check). WARD_ERR_INVAL
 * for anything else (no fragment, hex of another length).
 */
int aesgcm_link_parse(const char *link, char **https, struct aesgcm_key *k);

/* Makes "aesgcm://HOST/PATH#HEX" from an https URL and a key (malloc'd). */
char *aesgcm_link_make(const char *https, const struct aesgcm_key *k);

/* A fresh random 12-byte IV and key. WARD_OK or WARD_ERR_CRYPTO. */
int aesgcm_key_new(struct aesgcm_key *k);

/*
 * Decrypts IN (from its current offset to its end: ciphertext + tag) into
 * OUT. WARD_OK only when the tag verifies; otherwise an error with *why
 * and OUT must be discarded (it may hold unauthenticated bytes).
 */
int aesgcm_decrypt_fd(int in, int out, const struct aesgcm_key *k,
		      const char **why);
/* Encrypts IN (to its end) into OUT, the tag appended. */
int aesgcm_encrypt_fd(int in, int out, const struct aesgcm_key *k,
		      const char **why);

#endif
