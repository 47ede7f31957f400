/*
 * vectors.h: known-answer tests of the crypto under OMEMO (AES-GCM, and the
 * libgcrypt provider libsignal calls), and hand-made messages in the shapes
 * other clients send (key material of 16 bytes, tag in the payload).
 */
#ifndef WARD_TEST_OMEMO_VECTORS_H
#define WARD_TEST_OMEMO_VECTORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "omemo.h"

void test_vector_gcm(void **state);
void test_vector_provider(void **state);

/* A message made by hand, as an old or odd sender would. */
struct vec_msg {
	uint32_t sid;
	uint8_t key[16];
	uint8_t iv[16];
	size_t iv_len;
	uint8_t *payload;
	size_t payload_len, payload_cap;
	uint8_t *keymsg;
	size_t keymsg_len;
	bool prekey;
};

/*
 * FROM (with a session to JID's DEVICE) encrypts TEXT under a fresh key
 * and sends KM_LEN bytes of key material through the session: 16 = the
 * key, tag appended to the payload; 32 = key || tag (BAD_TAG: a wrong
 * tag); other = key || part of the tag.
 */
void vec_legacy_message(struct omemo *from, const char *jid, uint32_t device,
			const char *text, bool bad_tag, size_t km_len,
			struct vec_msg *v);
/* Encrypts TEXT again under V's key and a new IV of V->iv_len bytes (for
 * 16-byte key material). */
void vec_legacy_reencrypt(struct vec_msg *v, const char *text);
int vec_deliver(struct omemo *to, const char *from_jid, const struct vec_msg *v,
		char **plain);
void vec_msg_free(struct vec_msg *v);

#endif
