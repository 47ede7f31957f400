/*
 * omemo_cipher.c: OMEMO 0.3 messages: the AES-128-GCM payload under a
 * fresh key, and key || tag sent to each device through its libsignal
 * session; decryption of one received message, all-or-nothing.
 */
#include <stdlib.h>
#include <string.h>

#include <protocol.h>
#include <session_cipher.h>

#include "omemo_int.h"

/* Key material each device gets: the GCM key and the payload's tag. */
#define KEYMAT_LEN (OMEMO_GCM_KEY + OMEMO_GCM_TAG)

void
omemo_message_free(struct omemo_message *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->n_keys; i++) {
		free(m->keys[i].jid);
		free(m->keys[i].data);
	}
	free(m->keys);
	free(m->payload);
	memset(m, 0, sizeof(*m));
}

/* Encrypts KEYMAT for TO's session into *K; OMEMO_ERR_NOSESSION if none. */
static int
cipher_for(struct omemo *o, const struct omemo_addr *to,
	   const uint8_t keymat[KEYMAT_LEN], struct omemo_key *k)
{
	signal_protocol_address addr = {to->jid, strlen(to->jid),
					(int32_t)to->device};
	session_cipher *c = NULL;
	ciphertext_message *msg = NULL;
	signal_buffer *ser;
	int rc;

	if (signal_protocol_session_contains_session(o->store, &addr) != 1)
		return OMEMO_ERR_NOSESSION;
	rc = omemo_from_sg(session_cipher_create(&c, o->store, &addr, o->sctx));
	if (rc == OMEMO_OK)
		rc = omemo_from_sg(
		    session_cipher_encrypt(c, keymat, KEYMAT_LEN, &msg));
	if (rc != OMEMO_OK)
		goto out;
	ser = ciphertext_message_get_serialized(msg);
	rc = OMEMO_ERR_NOMEM;
	if (ser == NULL || signal_buffer_len(ser) == 0 ||
	    (k->data = malloc(signal_buffer_len(ser))) == NULL)
		goto out;
	if ((k->jid = strdup(to->jid)) == NULL) {
		free(k->data);
		k->data = NULL;
		goto out;
	}
	memcpy(k->data, signal_buffer_data(ser), signal_buffer_len(ser));
	k->len = signal_buffer_len(ser);
	k->device = to->device;
	k->prekey = ciphertext_message_get_type(msg) == CIPHERTEXT_PREKEY_TYPE;
	rc = OMEMO_OK;
out:
	SIGNAL_UNREF(msg);
	session_cipher_free(c);
	return rc;
}

/* Whether TO[I] already appeared earlier in TO. */
static bool
cipher_seen(const struct omemo_addr *to, size_t i)
{
	size_t k;

	for (k = 0; k < i; k++)
		if (to[k].device == to[i].device &&
		    strcmp(to[k].jid, to[i].jid) == 0)
			return true;
	return false;
}

/* Key || tag to every device of TO with a session (once each, however
 * often it is listed), inside a savepoint. */
static int
cipher_keys(struct omemo *o, const uint8_t keymat[KEYMAT_LEN],
	    const struct omemo_addr *to, size_t n_to, struct omemo_message *m)
{
	size_t i;
	int rc;

	if ((m->keys = calloc(n_to, sizeof(*m->keys))) == NULL)
		return OMEMO_ERR_NOMEM;
	if ((rc = omemo_db_begin(o)) != OMEMO_OK)
		return rc;
	for (i = 0; i < n_to && rc == OMEMO_OK; i++) {
		if (cipher_seen(to, i))
			continue;
		rc = cipher_for(o, &to[i], keymat, &m->keys[m->n_keys]);
		if (rc == OMEMO_OK)
			m->n_keys++;
		else if (rc == OMEMO_ERR_NOSESSION)
			rc = OMEMO_OK;
	}
	if (rc == OMEMO_OK && m->n_keys == 0)
		rc = OMEMO_ERR_NOSESSION;
	return omemo_db_end(o, rc);
}

int
omemo_encrypt(struct omemo *o, const uint8_t *plain, size_t len,
	      const struct omemo_addr *to, size_t n_to,
	      struct omemo_message *out)
{
	uint8_t keymat[KEYMAT_LEN];
	size_t i;
	int rc;

	if (out == NULL)
		return OMEMO_ERR_INVAL;
	memset(out, 0, sizeof(*out));
	if (o == NULL || to == NULL || n_to == 0 ||
	    (plain == NULL && len != 0) || len > OMEMO_PAYLOAD_MAX)
		return OMEMO_ERR_INVAL;
	for (i = 0; i < n_to; i++)
		if (omemo_check_addr(to[i].jid, to[i].device) != OMEMO_OK)
			return OMEMO_ERR_INVAL;
	out->sid = o->device_id;
	omemo_random(keymat, OMEMO_GCM_KEY);
	omemo_random(out->iv, OMEMO_IV_LEN);
	if (plain != NULL &&
	    (out->payload = malloc(len == 0 ? 1 : len)) == NULL) {
		rc = OMEMO_ERR_NOMEM;
		goto out;
	}
	out->payload_len = plain != NULL ? len : 0;
	/* a key-transport message: the tag of an empty payload */
	rc = omemo_gcm_encrypt(keymat, out->iv, OMEMO_IV_LEN, plain,
			       out->payload_len, out->payload,
			       keymat + OMEMO_GCM_KEY);
	if (rc == OMEMO_OK)
		rc = cipher_keys(o, keymat, to, n_to, out);
out:
	explicit_bzero(keymat, sizeof(keymat));
	if (rc != OMEMO_OK)
		omemo_message_free(out);
	return rc;
}

/* Checks a received message's shape before any work. */
static int
cipher_check(const struct omemo_received *in)
{
	if (omemo_check_addr(in->from_jid, in->sid) != OMEMO_OK)
		return OMEMO_ERR_INVAL;
	if (in->key == NULL || in->key_len == 0)
		return OMEMO_ERR_NOKEY;
	if (in->key_len > OMEMO_KEY_MSG_MAX)
		return OMEMO_ERR_INVAL;
	if (in->payload == NULL)
		return OMEMO_OK;
	if (in->payload_len > OMEMO_PAYLOAD_MAX + OMEMO_GCM_TAG ||
	    in->iv == NULL || (in->iv_len != 12 && in->iv_len != 16))
		return OMEMO_ERR_INVAL;
	return OMEMO_OK;
}

/* The key material of IN's <key/>: its session decrypts it into *OUT. */
static int
cipher_unwrap(struct omemo *o, const struct omemo_received *in,
	      signal_buffer **out)
{
	signal_protocol_address addr = {in->from_jid, strlen(in->from_jid),
					(int32_t)in->sid};
	pre_key_signal_message *pm = NULL;
	signal_message *sm = NULL;
	session_cipher *c = NULL;
	int r;

	if (in->prekey)
		r = pre_key_signal_message_deserialize(&pm, in->key,
						       in->key_len, o->sctx);
	else
		r = signal_message_deserialize(&sm, in->key, in->key_len,
					       o->sctx);
	if (r < 0) {
		r = r == SG_ERR_NOMEM ? OMEMO_ERR_NOMEM : OMEMO_ERR_INVAL;
		goto out;
	}
	if ((r = session_cipher_create(&c, o->store, &addr, o->sctx)) < 0) {
		r = omemo_from_sg(r);
		goto out;
	}
	if (pm != NULL)
		r = session_cipher_decrypt_pre_key_signal_message(c, pm, NULL,
								  out);
	else
		r = session_cipher_decrypt_signal_message(c, sm, NULL, out);
	/* the message parsed: failing to decrypt it is failing to
	 * authenticate it (libsignal says INVALID_MESSAGE for a bad MAC) */
	r = r == SG_ERR_INVALID_MESSAGE ? OMEMO_ERR_AUTH : omemo_from_sg(r);
out:
	session_cipher_free(c);
	SIGNAL_UNREF(pm);
	SIGNAL_UNREF(sm);
	return r;
}

/* Decrypts IN's payload with key material KM (16 or 32 bytes). */
static int
cipher_payload(const struct omemo_received *in, const uint8_t *km,
	       size_t km_len, uint8_t **plain, size_t *plain_len)
{
	const uint8_t *tag;
	size_t ct_len = in->payload_len;
	uint8_t *p;
	int rc;

	if (km_len == KEYMAT_LEN) {
		tag = km + OMEMO_GCM_KEY;
	} else if (km_len == OMEMO_GCM_KEY && ct_len >= OMEMO_GCM_TAG) {
		ct_len -= OMEMO_GCM_TAG;
		tag = in->payload + ct_len;
	} else {
		return OMEMO_ERR_INVAL;
	}
	if (ct_len > OMEMO_PAYLOAD_MAX)
		return OMEMO_ERR_INVAL;
	if ((p = malloc(ct_len + 1)) == NULL)
		return OMEMO_ERR_NOMEM;
	rc = omemo_gcm_decrypt(km, in->iv, in->iv_len, in->payload, ct_len, tag,
			       p);
	if (rc != OMEMO_OK) {
		free(p);
		return rc;
	}
	p[ct_len] = '\0';
	*plain = p;
	*plain_len = ct_len;
	return OMEMO_OK;
}

int
omemo_decrypt(struct omemo *o, const struct omemo_received *in, uint8_t **plain,
	      size_t *plain_len, bool *bundle_changed)
{
	signal_buffer *km = NULL;
	uint8_t *p = NULL;
	size_t p_len = 0, km_len;
	bool changed = false;
	int rc;

	if (plain != NULL)
		*plain = NULL;
	if (plain_len != NULL)
		*plain_len = 0;
	if (bundle_changed != NULL)
		*bundle_changed = false;
	if (o == NULL || in == NULL || plain == NULL || plain_len == NULL)
		return OMEMO_ERR_INVAL;
	if ((rc = cipher_check(in)) != OMEMO_OK)
		return rc;
	if ((rc = omemo_db_begin(o)) != OMEMO_OK)
		return rc;
	o->prekey_removed = false;
	rc = cipher_unwrap(o, in, &km);
	if (rc == OMEMO_OK) {
		km_len = signal_buffer_len(km);
		if (km_len != KEYMAT_LEN && km_len != OMEMO_GCM_KEY)
			rc = OMEMO_ERR_INVAL;
		else if (in->payload != NULL)
			rc = cipher_payload(in, signal_buffer_data(km), km_len,
					    &p, &p_len);
	}
	if (rc == OMEMO_OK && o->prekey_removed)
		rc = omemo_keys_refill(o, &changed);
	o->prekey_removed = false;
	signal_buffer_bzero_free(km);
	if ((rc = omemo_db_end(o, rc)) != OMEMO_OK) {
		if (p != NULL)
			explicit_bzero(p, p_len);
		free(p);
		return rc;
	}
	*plain = p;
	*plain_len = p_len;
	if (bundle_changed != NULL)
		*bundle_changed = changed;
	return OMEMO_OK;
}
