/*
 * omemo.h: OMEMO 0.3 (XEP-0384 v0.3, eu.siacs.conversations.axolotl) as a
 * library: keys, sessions, encryption and fingerprints on top of
 * libsignal-protocol-c with a libgcrypt crypto provider. Given bytes, keys
 * and a store it encrypts, decrypts and fingerprints; the XMPP side (PEP
 * nodes, device lists, the <encrypted/> element) lives in src/ and calls
 * this. Includes nothing from src/ or ui/.
 */
#ifndef WARD_CRYPTO_OMEMO_H
#define WARD_CRYPTO_OMEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sqlite3;
struct omemo;

/* Return codes: 0 or one of these (negative). */
enum omemo_err {
	OMEMO_OK = 0,
	OMEMO_ERR_INVAL = -1, /* bad argument or malformed input */
	OMEMO_ERR_NOMEM = -2,
	OMEMO_ERR_DB = -3,        /* SQLite failure */
	OMEMO_ERR_CRYPTO = -4,    /* libsignal/libgcrypt failure */
	OMEMO_ERR_NOSESSION = -5, /* no session with that device */
	OMEMO_ERR_NOKEY = -6,     /* the message has no key for our device */
	OMEMO_ERR_AUTH = -7,      /* tag or MAC check failed: tampered/wrong */
	OMEMO_ERR_DUPLICATE = -8, /* a message (counter) already decrypted */
	OMEMO_ERR_UNTRUSTED = -9, /* a device's identity key changed */
	OMEMO_ERR_NOPREKEY = -10, /* prekey message for a prekey we lack */
};

/* Human-readable text for an enum omemo_err (static string). */
const char *omemo_strerror(int err);

/* Sizes on the wire (OMEMO 0.3). */
#define OMEMO_KEY_PUB_LEN 33     /* serialised Curve25519 key: 0x05 + 32 */
#define OMEMO_SIG_LEN 64         /* XEdDSA signature of the signed prekey */
#define OMEMO_IV_LEN 12          /* AES-128-GCM IV we send (16 accepted) */
#define OMEMO_PREKEYS 100        /* prekeys kept in the bundle */
#define OMEMO_FPR_HEX 64         /* hex fingerprint length (32 bytes) */
#define OMEMO_PAYLOAD_MAX 262144 /* longest plaintext/payload accepted */

/*
 * Opens the OMEMO state of ACCOUNT (any string naming it; e.g. the
 * ward.conf section) in DB, an SQLite handle the caller owns and keeps open
 * until omemo_close. Tables are named omemo_* and created if missing. On
 * first use an identity key pair, a device id (random, 1..2^31-1), a signed
 * prekey and OMEMO_PREKEYS prekeys are generated and stored.
 * State changes are written through DB inside whatever transaction the
 * caller has open: the caller commits before it sends what omemo_encrypt
 * produced or acknowledges what omemo_decrypt returned. Every call that
 * writes is all-or-nothing (an SQLite savepoint, released into the
 * caller's transaction or, without one, committed at once).
 * A struct omemo, like DB, is used by one thread at a time.
 */
int omemo_open(struct sqlite3 *db, const char *account, struct omemo **out);
void omemo_close(struct omemo *o);

uint32_t omemo_device_id(const struct omemo *o);

/* A bundle, ours (to publish) or a peer's (as fetched). */
struct omemo_prekey_pub {
	uint32_t id;
	uint8_t pub[OMEMO_KEY_PUB_LEN];
};
struct omemo_bundle {
	uint8_t identity_key[OMEMO_KEY_PUB_LEN];
	uint32_t signed_prekey_id;
	uint8_t signed_prekey[OMEMO_KEY_PUB_LEN];
	uint8_t signed_prekey_sig[OMEMO_SIG_LEN];
	size_t n_prekeys; /* <= OMEMO_PREKEYS */
	struct omemo_prekey_pub prekeys[OMEMO_PREKEYS];
};

/*
 * Our bundle as it should be published now. Prekeys used up by received
 * prekey messages have been replaced (same count, new ids: an id is never
 * used twice). Prekeys are listed by ascending id.
 */
int omemo_own_bundle(struct omemo *o, struct omemo_bundle *out);

/*
 * The signed prekey in our bundle is replaced every OMEMO_SPK_ROTATE_S. A
 * replaced one is kept until its successor is OMEMO_SPK_KEEP_S old (a
 * first message built on the old bundle can arrive that late: offline
 * delivery, the archive) and deleted then, so that the database no longer
 * opens those key exchanges.
 */
#define OMEMO_SPK_ROTATE_S (7 * 24 * 3600)
#define OMEMO_SPK_KEEP_S (30 * 24 * 3600)
struct omemo_spk_change {
	uint32_t made;  /* id of the signed prekey made, 0 for none */
	size_t deleted; /* old ones deleted */
};
/*
 * Makes a new signed prekey when the newest is OMEMO_SPK_ROTATE_S old at
 * NOW_MS (milliseconds since the epoch; a clock behind the newest key's
 * time makes none) and deletes the old ones whose keep has run out. All or
 * nothing. When C->made is set the caller publishes omemo_own_bundle
 * again. C may be NULL.
 */
int omemo_spk_rotate(struct omemo *o, uint64_t now_ms,
		     struct omemo_spk_change *c);

/*
 * Starts a session with JID's device DEVICE from its bundle (X3DH): checks
 * the signed prekey's signature against the identity key and picks one of
 * the prekeys at random. OMEMO_ERR_AUTH for a bad signature,
 * OMEMO_ERR_UNTRUSTED when the device is known with another identity key,
 * OMEMO_ERR_INVAL for a malformed key or a bundle without prekeys. DEVICE
 * (here and below) is 1..2^31-1. Replaces any session with that device.
 */
int omemo_session_start(struct omemo *o, const char *jid, uint32_t device,
			const struct omemo_bundle *b);
bool omemo_has_session(struct omemo *o, const char *jid, uint32_t device);

/* A recipient device, and what omemo_encrypt made for it. */
struct omemo_addr {
	const char *jid; /* bare JID */
	uint32_t device;
};
struct omemo_key {
	char *jid; /* copy of the recipient's bare JID */
	uint32_t device;
	bool prekey; /* a PreKeySignalMessage (the session is not confirmed) */
	uint8_t *data;
	size_t len;
};
struct omemo_message {
	uint32_t sid; /* our device id */
	uint8_t iv[OMEMO_IV_LEN];
	uint8_t *payload;   /* AES-128-GCM ciphertext without the tag; */
	size_t payload_len; /* NULL/0 for a key-transport message */
	struct omemo_key *keys;
	size_t n_keys;
};

/*
 * Encrypts PLAIN (LEN bytes; PLAIN NULL = a key-transport message with no
 * payload) for every device in TO that has a session; devices without one
 * are skipped (the caller starts sessions first), and a device listed twice
 * gets one key. A fresh 16-byte key and 12-byte IV per message; each
 * device gets key || tag (32 bytes) through its session.
 * OMEMO_ERR_NOSESSION when no device at all could be used, OMEMO_ERR_INVAL
 * when LEN > OMEMO_PAYLOAD_MAX. On failure *OUT is empty; on success the
 * caller frees it with omemo_message_free.
 */
int omemo_encrypt(struct omemo *o, const uint8_t *plain, size_t len,
		  const struct omemo_addr *to, size_t n_to,
		  struct omemo_message *out);
void omemo_message_free(struct omemo_message *m);

/* One received message, as parsed from <encrypted/> by the caller. */
struct omemo_received {
	const char *from_jid; /* sender's bare JID */
	uint32_t sid;
	const uint8_t *key; /* the <key rid=ours> content, base64-decoded */
	size_t key_len;
	bool prekey; /* the key element's prekey="true" (or "1") */
	const uint8_t *iv;
	size_t iv_len;          /* 12 or 16 */
	const uint8_t *payload; /* NULL for a key-transport message */
	size_t payload_len;
};

/*
 * Decrypts. *plain (malloc'ed, NUL-terminated, *plain_len without the NUL)
 * is NULL for a key-transport message. Key material of 32 bytes is key ||
 * tag; 16 bytes means the tag is the payload's last 16 bytes (old senders).
 * A prekey message creates the session and uses up a prekey: then
 * *bundle_changed is set and the caller republishes omemo_own_bundle.
 * Nothing in the store changes when this fails. BUNDLE_CHANGED may be
 * NULL. OMEMO_ERR_NOKEY when IN has no key; OMEMO_ERR_AUTH when the key or
 * payload fails authentication; OMEMO_ERR_DUPLICATE for a replay;
 * OMEMO_ERR_UNTRUSTED for a prekey message whose identity key differs from
 * the one known for that device; OMEMO_ERR_INVAL for malformed input.
 * The plaintext may contain NUL bytes: it is the sender's bytes.
 */
int omemo_decrypt(struct omemo *o, const struct omemo_received *in,
		  uint8_t **plain, size_t *plain_len, bool *bundle_changed);

/*
 * Trust of a peer device's identity key. ward's policy (src/) decides what
 * a level means; this only remembers it, per (account, jid, device, key).
 * A device first seen is OMEMO_TRUST_UNDECIDED. A device whose identity
 * key is not known (no session was ever made with it) gives
 * OMEMO_ERR_NOSESSION, here and in omemo_fingerprint_peer.
 */
enum omemo_trust {
	OMEMO_TRUST_UNDECIDED = 0,
	OMEMO_TRUST_BLIND,    /* trusted without verification */
	OMEMO_TRUST_VERIFIED, /* fingerprint compared by the user */
	OMEMO_TRUST_UNTRUSTED /* refused by the user */
};
int omemo_trust_get(struct omemo *o, const char *jid, uint32_t device,
		    enum omemo_trust *out);
int omemo_trust_set(struct omemo *o, const char *jid, uint32_t device,
		    enum omemo_trust t);

/* Devices of JID with a known identity key, ascending; *ids malloc'ed
 * (NULL when *n is 0). */
int omemo_known_devices(struct omemo *o, const char *jid, uint32_t **ids,
			size_t *n);

/*
 * Forgets JID's DEVICE: its session, identity key and trust. The next
 * bundle or prekey message from it is a first sighting (undecided). This
 * is how a changed identity key (OMEMO_ERR_UNTRUSTED) is accepted, once
 * ward's policy or the user agreed.
 */
int omemo_forget_device(struct omemo *o, const char *jid, uint32_t device);

/*
 * Fingerprints: lower-case hex of the 32-byte Curve25519 identity key
 * (without the 0x05 type byte), as Conversations and profanity show it.
 * OUT has room for OMEMO_FPR_HEX + 1 bytes.
 */
int omemo_fingerprint_own(struct omemo *o, char *out);
int omemo_fingerprint_peer(struct omemo *o, const char *jid, uint32_t device,
			   char *out);

#endif
