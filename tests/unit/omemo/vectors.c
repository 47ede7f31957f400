/*
 * vectors.c: known answers for AES-128-GCM (McGrew/Viega test cases 1-2,
 * a 16-byte-IV case from Python's cryptography), HMAC-SHA256 (RFC 4231),
 * SHA-512 (FIPS 180-2) and AES-256-CBC/CTR (SP 800-38A) through the
 * provider; and hand-made messages through libsignal directly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <session_cipher.h>
#include <protocol.h>

#include "omemo_int.h"
#include "vectors.h"

/* HEX (even length) into OUT; returns the byte count. */
static size_t
unhex(const char *hex, uint8_t *out)
{
	size_t i, n = strlen(hex) / 2;
	unsigned v;

	for (i = 0; i < n; i++) {
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
	return n;
}

static void
assert_hex(const uint8_t *p, size_t len, const char *hex)
{
	uint8_t want[256];

	assert_int_equal(unhex(hex, want), len);
	assert_memory_equal(p, want, len);
}

void
test_vector_gcm(void **state)
{
	uint8_t key[16] = {0}, iv[16] = {0}, plain[16] = {0}, ct[16], tag[16];
	uint8_t back[16];

	assert_int_equal(omemo_gcry_init(), OMEMO_OK);
	/* test case 1: empty plaintext (our key-transport tag) */
	assert_int_equal(omemo_gcm_encrypt(key, iv, 12, NULL, 0, NULL, tag),
			 OMEMO_OK);
	assert_hex(tag, 16, "58e2fccefa7e3061367f1d57a4e7455a");
	/* test case 2 */
	assert_int_equal(omemo_gcm_encrypt(key, iv, 12, plain, 16, ct, tag),
			 OMEMO_OK);
	assert_hex(ct, 16, "0388dace60b6a392f328c2b971b2fe78");
	assert_hex(tag, 16, "ab6e47d42cec13bdf53a67b21257bddf");
	assert_int_equal(omemo_gcm_decrypt(key, iv, 12, ct, 16, tag, back),
			 OMEMO_OK);
	assert_memory_equal(back, plain, 16);
	tag[15] ^= 1;
	assert_int_equal(omemo_gcm_decrypt(key, iv, 12, ct, 16, tag, back),
			 OMEMO_ERR_AUTH);
	/* a 16-byte IV */
	unhex("feffe9928665731c6d6a8f9467308308", key);
	unhex("cafebabefacedbaddecaf88800000000", iv);
	assert_int_equal(
	    omemo_gcm_encrypt(key, iv, 16, (const uint8_t *)"ward", 4, ct, tag),
	    OMEMO_OK);
	assert_hex(ct, 4, "9e6ed32c");
	assert_hex(tag, 16, "2da0cd774f262b15429863311b4e47bf");
	assert_int_equal(omemo_gcm_encrypt(key, iv, 0, plain, 4, ct, tag),
			 OMEMO_ERR_CRYPTO);
}

void
test_vector_provider(void **state)
{
	static const char aes_key[] = "603deb1015ca71be2b73aef0857d7781"
				      "1f352c073b6108d72d9810a30914dff4";
	signal_crypto_provider p;
	signal_buffer *out = NULL, *back = NULL;
	uint8_t key[32], iv[16], block[16];
	void *ctx = NULL;

	assert_int_equal(omemo_gcry_init(), OMEMO_OK);
	omemo_gcry_provider(&p);

	assert_int_equal(
	    p.hmac_sha256_init_func(&ctx, (const uint8_t *)"Jefe", 4, NULL), 0);
	assert_int_equal(
	    p.hmac_sha256_update_func(
		ctx, (const uint8_t *)"what do ya want for nothing?", 28, NULL),
	    0);
	assert_int_equal(p.hmac_sha256_final_func(ctx, &out, NULL), 0);
	p.hmac_sha256_cleanup_func(ctx, NULL);
	assert_hex(signal_buffer_data(out), signal_buffer_len(out),
		   "5bdcc146bf60754e6a042426089575c7"
		   "5a003f089d2739839dec58b964ec3843");
	signal_buffer_free(out);
	/* an empty key (HKDF without salt) */
	assert_int_equal(p.hmac_sha256_init_func(&ctx, NULL, 0, NULL), 0);
	assert_int_equal(
	    p.hmac_sha256_update_func(ctx, (const uint8_t *)"abc", 3, NULL), 0);
	assert_int_equal(p.hmac_sha256_final_func(ctx, &out, NULL), 0);
	p.hmac_sha256_cleanup_func(ctx, NULL);
	assert_hex(signal_buffer_data(out), signal_buffer_len(out),
		   "fd7adb152c05ef80dccf50a1fa4c05d5"
		   "a3ec6da95575fc312ae7c5d091836351");
	signal_buffer_free(out);

	/* SHA-512 twice on one context: final leaves it reset */
	assert_int_equal(p.sha512_digest_init_func(&ctx, NULL), 0);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(p.sha512_digest_update_func(
				     ctx, (const uint8_t *)"abc", 3, NULL),
				 0);
		assert_int_equal(p.sha512_digest_final_func(ctx, &out, NULL),
				 0);
		assert_hex(signal_buffer_data(out), signal_buffer_len(out),
			   "ddaf35a193617abacc417349ae204131"
			   "12e6fa4e89a97ea20a9eeee64b55d39a"
			   "2192992a274fc1a836ba3c23a3feebbd"
			   "454d4423643ce80e2a9ac94fa54ca49f");
		signal_buffer_free(out);
	}
	p.sha512_digest_cleanup_func(ctx, NULL);

	/* AES-256-CBC with PKCS#5: one block in, two out, one back */
	unhex(aes_key, key);
	unhex("000102030405060708090a0b0c0d0e0f", iv);
	unhex("6bc1bee22e409f96e93d7e117393172a", block);
	assert_int_equal(p.encrypt_func(&out, SG_CIPHER_AES_CBC_PKCS5, key, 32,
					iv, 16, block, 16, NULL),
			 0);
	assert_hex(signal_buffer_data(out), signal_buffer_len(out),
		   "f58c4c04d6e5f1ba779eabfb5f7bfbd6"
		   "485a5c81519cf378fa36d42b8547edc0");
	assert_int_equal(p.decrypt_func(&back, SG_CIPHER_AES_CBC_PKCS5, key, 32,
					iv, 16, signal_buffer_data(out),
					signal_buffer_len(out), NULL),
			 0);
	assert_int_equal(signal_buffer_len(back), 16);
	assert_memory_equal(signal_buffer_data(back), block, 16);
	signal_buffer_free(back);
	/* bad padding, a partial block, a wrong key length: refused */
	assert_true(p.decrypt_func(&back, SG_CIPHER_AES_CBC_PKCS5, key, 32, iv,
				   16, signal_buffer_data(out), 16, NULL) < 0);
	assert_true(p.decrypt_func(&back, SG_CIPHER_AES_CBC_PKCS5, key, 32, iv,
				   16, signal_buffer_data(out), 17, NULL) < 0);
	assert_true(p.decrypt_func(&back, SG_CIPHER_AES_CBC_PKCS5, key, 20, iv,
				   16, signal_buffer_data(out), 32, NULL) < 0);
	assert_true(p.decrypt_func(&back, 9, key, 32, iv, 16,
				   signal_buffer_data(out), 32, NULL) < 0);
	signal_buffer_free(out);

	/* AES-256-CTR */
	unhex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff", iv);
	assert_int_equal(p.encrypt_func(&out, SG_CIPHER_AES_CTR_NOPADDING, key,
					32, iv, 16, block, 16, NULL),
			 0);
	assert_hex(signal_buffer_data(out), signal_buffer_len(out),
		   "601ec313775789a5b7a7f504bbf3d228");
	assert_int_equal(p.decrypt_func(&back, SG_CIPHER_AES_CTR_NOPADDING, key,
					32, iv, 16, signal_buffer_data(out), 16,
					NULL),
			 0);
	assert_memory_equal(signal_buffer_data(back), block, 16);
	signal_buffer_free(back);
	signal_buffer_free(out);
}

/* Encrypts TEXT under V's key and IV into V's payload (ct || tag). */
static void
vec_payload(struct vec_msg *v, const char *text, uint8_t tag[16],
	    bool tag_in_payload)
{
	size_t len = strlen(text);

	free(v->payload);
	v->payload_cap = len + (tag_in_payload ? 16 : 0);
	v->payload = malloc(v->payload_cap + 1);
	assert_non_null(v->payload);
	assert_int_equal(omemo_gcm_encrypt(v->key, v->iv, v->iv_len,
					   (const uint8_t *)text, len,
					   v->payload, tag),
			 OMEMO_OK);
	if (tag_in_payload)
		memcpy(v->payload + len, tag, 16);
	v->payload_len = v->payload_cap;
}

void
vec_legacy_message(struct omemo *from, const char *jid, uint32_t device,
		   const char *text, bool bad_tag, size_t km_len,
		   struct vec_msg *v)
{
	signal_protocol_address addr = {jid, strlen(jid), (int32_t)device};
	uint8_t km[48], tag[16];
	session_cipher *c = NULL;
	ciphertext_message *msg = NULL;
	signal_buffer *ser;

	assert_true(km_len >= 16 && km_len <= 32);
	memset(v, 0, sizeof(*v));
	v->sid = omemo_device_id(from);
	omemo_random(v->key, sizeof(v->key));
	v->iv_len = 12;
	omemo_random(v->iv, v->iv_len);
	vec_payload(v, text, tag, km_len == 16);
	memcpy(km, v->key, 16);
	memcpy(km + 16, tag, 16);
	if (bad_tag)
		km[31] ^= 0x80;
	assert_int_equal(
	    session_cipher_create(&c, from->store, &addr, from->sctx), 0);
	assert_int_equal(session_cipher_encrypt(c, km, km_len, &msg), 0);
	ser = ciphertext_message_get_serialized(msg);
	v->keymsg_len = signal_buffer_len(ser);
	v->keymsg = malloc(v->keymsg_len);
	assert_non_null(v->keymsg);
	memcpy(v->keymsg, signal_buffer_data(ser), v->keymsg_len);
	v->prekey = ciphertext_message_get_type(msg) == CIPHERTEXT_PREKEY_TYPE;
	SIGNAL_UNREF(msg);
	session_cipher_free(c);
}

void
vec_legacy_reencrypt(struct vec_msg *v, const char *text)
{
	uint8_t tag[16];

	omemo_random(v->iv, v->iv_len);
	vec_payload(v, text, tag, true);
}

int
vec_deliver(struct omemo *to, const char *from_jid, const struct vec_msg *v,
	    char **plain)
{
	struct omemo_received in = {
	    .from_jid = from_jid,
	    .sid = v->sid,
	    .key = v->keymsg,
	    .key_len = v->keymsg_len,
	    .prekey = v->prekey,
	    .iv = v->iv,
	    .iv_len = v->iv_len,
	    .payload = v->payload,
	    .payload_len = v->payload_len,
	};
	uint8_t *p = NULL;
	size_t len;
	int rc = omemo_decrypt(to, &in, &p, &len, NULL);

	*plain = (char *)p;
	return rc;
}

void
vec_msg_free(struct vec_msg *v)
{
	free(v->payload);
	free(v->keymsg);
	memset(v, 0, sizeof(*v));
}
