/*
 * omemo_gcm.c: the AES-128-GCM of an OMEMO 0.3 payload (libgcrypt), with
 * the 16-byte tag kept apart from the ciphertext as OMEMO 0.3 sends it.
 */
#include <gcrypt.h>
#include <string.h>

#include "omemo_int.h"

/* A GCM handle with KEY and IV set, or NULL. */
static gcry_cipher_hd_t
gcm_open(const uint8_t key[OMEMO_GCM_KEY], const uint8_t *iv, size_t iv_len)
{
	gcry_cipher_hd_t h;

	if (iv == NULL || iv_len == 0)
		return NULL;
	if (gcry_cipher_open(&h, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_GCM, 0) !=
	    0)
		return NULL;
	if (gcry_cipher_setkey(h, key, OMEMO_GCM_KEY) != 0 ||
	    gcry_cipher_setiv(h, iv, iv_len) != 0) {
		gcry_cipher_close(h);
		return NULL;
	}
	return h;
}

/*
 * Encrypts LEN bytes of PLAIN into OUT (LEN bytes; PLAIN and OUT may be
 * NULL when LEN is 0) and writes the tag. OMEMO_ERR_CRYPTO on failure.
 */
int
omemo_gcm_encrypt(const uint8_t key[OMEMO_GCM_KEY], const uint8_t *iv,
		  size_t iv_len, const uint8_t *plain, size_t len, uint8_t *out,
		  uint8_t tag[OMEMO_GCM_TAG])
{
	gcry_cipher_hd_t h = gcm_open(key, iv, iv_len);
	int rc = OMEMO_ERR_CRYPTO;

	if (h == NULL)
		return rc;
	if ((len == 0 || gcry_cipher_encrypt(h, out, len, plain, len) == 0) &&
	    gcry_cipher_gettag(h, tag, OMEMO_GCM_TAG) == 0)
		rc = OMEMO_OK;
	gcry_cipher_close(h);
	return rc;
}

/*
 * Decrypts LEN bytes of CT into OUT and checks TAG. OMEMO_ERR_AUTH when the
 * tag does not match (OUT is then wiped), OMEMO_ERR_CRYPTO on failure.
 */
int
omemo_gcm_decrypt(const uint8_t key[OMEMO_GCM_KEY], const uint8_t *iv,
		  size_t iv_len, const uint8_t *ct, size_t len,
		  const uint8_t tag[OMEMO_GCM_TAG], uint8_t *out)
{
	gcry_cipher_hd_t h = gcm_open(key, iv, iv_len);
	gcry_error_t e;
	int rc = OMEMO_ERR_CRYPTO;

	if (h == NULL)
		return rc;
	if (len == 0 || gcry_cipher_decrypt(h, out, len, ct, len) == 0) {
		e = gcry_cipher_checktag(h, tag, OMEMO_GCM_TAG);
		if (e == 0)
			rc = OMEMO_OK;
		else if (gcry_err_code(e) == GPG_ERR_CHECKSUM)
			rc = OMEMO_ERR_AUTH;
	}
	gcry_cipher_close(h);
	if (rc != OMEMO_OK && len != 0)
		explicit_bzero(out, len);
	return rc;
}
