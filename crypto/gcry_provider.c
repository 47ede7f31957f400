/*
 * gcry_provider.c: libgcrypt as libsignal's crypto provider (random,
 * HMAC-SHA256, SHA-512, AES-CBC/PKCS#5 and AES-CTR), and libgcrypt's one
 * initialisation for the process.
 */
#include <gcrypt.h>
#include <stdlib.h>
#include <string.h>

#include "omemo_int.h"

#define AES_BLOCK 16
#define SHA256_LEN 32
#define SHA512_LEN 64

/*
 * Initialises libgcrypt once, unless the program already did. Secure
 * memory is disabled on purpose: libsignal keeps every key it uses
 * (identity, ratchet, message keys) in ordinary malloc'ed memory, so a
 * locked pool would only cover libgcrypt's short-lived copies inside a
 * cipher context while costing RSS (the default pool is 32 KiB, mlocked,
 * and may grow) and needing RLIMIT_MEMLOCK. Keeping keys out of swap and
 * core files is the process's job (no core dumps), not this pool's.
 * Random bytes come from the kernel (getrandom) through libgcrypt's
 * "system" generator: no user-space pool, and none of the standard
 * generator's getrusage/clock polls on every call (a third of the time
 * an encryption took).
 */
int
omemo_gcry_init(void)
{
	if (gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P))
		return OMEMO_OK;
	/* before gcry_check_version, as the manual asks; advisory */
	(void)gcry_control(GCRYCTL_SET_PREFERRED_RNG_TYPE,
			   GCRY_RNG_TYPE_SYSTEM);
	if (gcry_check_version(GCRYPT_VERSION) == NULL)
		return OMEMO_ERR_CRYPTO;
	if (gcry_control(GCRYCTL_DISABLE_SECMEM, 0) != 0)
		return OMEMO_ERR_CRYPTO;
	if (gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0) != 0)
		return OMEMO_ERR_CRYPTO;
	return OMEMO_OK;
}

/* Fills BUF with LEN bytes from libgcrypt's CSPRNG. */
void
omemo_random(void *buf, size_t len)
{
	gcry_randomize(buf, len, GCRY_STRONG_RANDOM);
}

static int
prov_random(uint8_t *data, size_t len, void *user)
{
	omemo_random(data, len);
	return 0;
}

static int
prov_hmac_init(void **ctx, const uint8_t *key, size_t key_len, void *user)
{
	static const uint8_t zero = 0;
	gcry_mac_hd_t h;

	if (gcry_mac_open(&h, GCRY_MAC_HMAC_SHA256, 0, NULL) != 0)
		return SG_ERR_UNKNOWN;
	/* An empty HMAC key is the same as one zero byte (RFC 2104 pads). */
	if (key_len == 0) {
		key = &zero;
		key_len = 1;
	}
	if (gcry_mac_setkey(h, key, key_len) != 0) {
		gcry_mac_close(h);
		return SG_ERR_UNKNOWN;
	}
	*ctx = h;
	return 0;
}

static int
prov_hmac_update(void *ctx, const uint8_t *data, size_t len, void *user)
{
	return gcry_mac_write(ctx, data, len) == 0 ? 0 : SG_ERR_UNKNOWN;
}

static int
prov_hmac_final(void *ctx, signal_buffer **out, void *user)
{
	uint8_t mac[SHA256_LEN];
	size_t len = sizeof(mac);
	signal_buffer *b;

	if (gcry_mac_read(ctx, mac, &len) != 0 || len != sizeof(mac))
		return SG_ERR_UNKNOWN;
	b = signal_buffer_create(mac, len);
	explicit_bzero(mac, sizeof(mac));
	if (b == NULL)
		return SG_ERR_NOMEM;
	*out = b;
	return 0;
}

static void
prov_hmac_cleanup(void *ctx, void *user)
{
	if (ctx != NULL)
		gcry_mac_close(ctx);
}

static int
prov_sha512_init(void **ctx, void *user)
{
	gcry_md_hd_t h;

	if (gcry_md_open(&h, GCRY_MD_SHA512, 0) != 0)
		return SG_ERR_UNKNOWN;
	*ctx = h;
	return 0;
}

static int
prov_sha512_update(void *ctx, const uint8_t *data, size_t len, void *user)
{
	gcry_md_write(ctx, data, len);
	return 0;
}

/* Returns the digest and leaves the context ready for the next one. */
static int
prov_sha512_final(void *ctx, signal_buffer **out, void *user)
{
	const unsigned char *d = gcry_md_read(ctx, GCRY_MD_SHA512);
	signal_buffer *b;

	if (d == NULL)
		return SG_ERR_UNKNOWN;
	b = signal_buffer_create(d, SHA512_LEN);
	gcry_md_reset(ctx);
	if (b == NULL)
		return SG_ERR_NOMEM;
	*out = b;
	return 0;
}

static void
prov_sha512_cleanup(void *ctx, void *user)
{
	if (ctx != NULL)
		gcry_md_close(ctx);
}

/* An AES handle for KEY in CBC or CTR mode with IV set, or NULL. */
static gcry_cipher_hd_t
prov_aes_open(int cipher, const uint8_t *key, size_t key_len, const uint8_t *iv,
	      size_t iv_len)
{
	gcry_cipher_hd_t h;
	int algo, mode;
	gcry_error_t e;

	switch (key_len) {
	case 16:
		algo = GCRY_CIPHER_AES128;
		break;
	case 24:
		algo = GCRY_CIPHER_AES192;
		break;
	case 32:
		algo = GCRY_CIPHER_AES256;
		break;
	default:
		return NULL;
	}
	if (cipher == SG_CIPHER_AES_CBC_PKCS5)
		mode = GCRY_CIPHER_MODE_CBC;
	else if (cipher == SG_CIPHER_AES_CTR_NOPADDING)
		mode = GCRY_CIPHER_MODE_CTR;
	else
		return NULL;
	if (iv == NULL || iv_len != AES_BLOCK)
		return NULL;
	if (gcry_cipher_open(&h, algo, mode, 0) != 0)
		return NULL;
	e = gcry_cipher_setkey(h, key, key_len);
	if (e == 0)
		e = mode == GCRY_CIPHER_MODE_CBC
			? gcry_cipher_setiv(h, iv, iv_len)
			: gcry_cipher_setctr(h, iv, iv_len);
	if (e != 0) {
		gcry_cipher_close(h);
		return NULL;
	}
	return h;
}

static int
prov_encrypt(signal_buffer **out, int cipher, const uint8_t *key,
	     size_t key_len, const uint8_t *iv, size_t iv_len,
	     const uint8_t *plain, size_t len, void *user)
{
	gcry_cipher_hd_t h;
	signal_buffer *b;
	size_t pad = 0, total;

	if (cipher == SG_CIPHER_AES_CBC_PKCS5)
		pad = AES_BLOCK - len % AES_BLOCK;
	if (len > SIZE_MAX - AES_BLOCK || (len != 0 && plain == NULL))
		return SG_ERR_INVAL;
	total = len + pad;
	if ((h = prov_aes_open(cipher, key, key_len, iv, iv_len)) == NULL)
		return SG_ERR_UNKNOWN;
	if ((b = signal_buffer_alloc(total)) == NULL) {
		gcry_cipher_close(h);
		return SG_ERR_NOMEM;
	}
	if (len != 0)
		memcpy(signal_buffer_data(b), plain, len);
	memset(signal_buffer_data(b) + len, (int)pad, pad);
	if (total != 0 && gcry_cipher_encrypt(h, signal_buffer_data(b), total,
					      NULL, 0) != 0) {
		gcry_cipher_close(h);
		signal_buffer_bzero_free(b);
		return SG_ERR_UNKNOWN;
	}
	gcry_cipher_close(h);
	*out = b;
	return 0;
}

/* The PKCS#5 padding length at the end of BUF (LEN >= 16), or 0 if bad. */
static size_t
prov_unpad(const uint8_t *buf, size_t len)
{
	uint8_t pad = buf[len - 1];
	size_t i;

	if (pad == 0 || pad > AES_BLOCK)
		return 0;
	for (i = 1; i <= pad; i++)
		if (buf[len - i] != pad)
			return 0;
	return pad;
}

static int
prov_decrypt(signal_buffer **out, int cipher, const uint8_t *key,
	     size_t key_len, const uint8_t *iv, size_t iv_len,
	     const uint8_t *ct, size_t len, void *user)
{
	gcry_cipher_hd_t h;
	signal_buffer *b, *r;
	size_t pad = 0;

	if (len != 0 && ct == NULL)
		return SG_ERR_INVAL;
	if (cipher == SG_CIPHER_AES_CBC_PKCS5 &&
	    (len == 0 || len % AES_BLOCK != 0))
		return SG_ERR_INVALID_MESSAGE;
	if ((h = prov_aes_open(cipher, key, key_len, iv, iv_len)) == NULL)
		return SG_ERR_UNKNOWN;
	if ((b = signal_buffer_create(ct, len)) == NULL) {
		gcry_cipher_close(h);
		return SG_ERR_NOMEM;
	}
	if (len != 0 &&
	    gcry_cipher_decrypt(h, signal_buffer_data(b), len, NULL, 0) != 0) {
		gcry_cipher_close(h);
		signal_buffer_bzero_free(b);
		return SG_ERR_UNKNOWN;
	}
	gcry_cipher_close(h);
	if (cipher == SG_CIPHER_AES_CBC_PKCS5 &&
	    (pad = prov_unpad(signal_buffer_data(b), len)) == 0) {
		signal_buffer_bzero_free(b);
		return SG_ERR_INVALID_MESSAGE;
	}
	if (pad == 0) {
		*out = b;
		return 0;
	}
	r = signal_buffer_create(signal_buffer_data(b), len - pad);
	signal_buffer_bzero_free(b);
	if (r == NULL)
		return SG_ERR_NOMEM;
	*out = r;
	return 0;
}

/* Fills P with the provider's callbacks. */
void
omemo_gcry_provider(signal_crypto_provider *p)
{
	memset(p, 0, sizeof(*p));
	p->random_func = prov_random;
	p->hmac_sha256_init_func = prov_hmac_init;
	p->hmac_sha256_update_func = prov_hmac_update;
	p->hmac_sha256_final_func = prov_hmac_final;
	p->hmac_sha256_cleanup_func = prov_hmac_cleanup;
	p->sha512_digest_init_func = prov_sha512_init;
	p->sha512_digest_update_func = prov_sha512_update;
	p->sha512_digest_final_func = prov_sha512_final;
	p->sha512_digest_cleanup_func = prov_sha512_cleanup;
	p->encrypt_func = prov_encrypt;
	p->decrypt_func = prov_decrypt;
}
