/*
 * scram.h: the SCRAM SASL client (RFC 5802, RFC 7677; SHA-512 as deployed
 * in XMPP), with channel binding, and the choice of mechanism from a
 * server's offer. Messages are raw (the caller base64s them for SASL).
 */
#ifndef WARD_SCRAM_H
#define WARD_SCRAM_H

#include <stddef.h>

enum scram_hash { SCRAM_SHA1, SCRAM_SHA256, SCRAM_SHA512 };

/* Iteration counts accepted from a server; more could stall us for long. */
#define SCRAM_MIN_ITERATIONS 4096
#define SCRAM_MAX_ITERATIONS 1000000
/* Longer server messages are refused. */
#define SCRAM_MAX_MESSAGE 8192
/* Longest username in bytes, before escaping (an RFC 7622 localpart). */
#define SCRAM_MAX_USERNAME 1023

struct scram;

/*
 * Starts an exchange. gs2_cbflag: "n" (client does not support channel
 * binding), "y" (supports it, but the server offered no -PLUS), or
 * "p=<type>" (e.g. "p=tls-exporter"); cbdata/cblen: the channel-binding
 * data, required (non-empty) with "p=", else NULL/0.
 * username: UTF-8 without control characters, 1..SCRAM_MAX_USERNAME bytes;
 * ',' and '=' are sent escaped as "=2C" and "=3D" (no further SASLprep).
 * password: any NUL-terminated string, used as its bytes.
 * nonce: NULL for a random one (24 bytes from RAND_bytes, base64), or a fixed
 * printable-ASCII string without ',' (test vectors only).
 * All inputs are copied; *out is the caller's, freed with scram_free().
 * Returns WARD_OK, WARD_ERR_INVAL (bad argument), WARD_ERR_LIMIT (username
 * too long), WARD_ERR_CRYPTO (no randomness), WARD_ERR_NOMEM.
 */
int scram_new(enum scram_hash hash, const char *username, const char *password,
	      const char *gs2_cbflag, const unsigned char *cbdata, size_t cblen,
	      const char *nonce, struct scram **out);

/*
 * Lowers the highest iteration count this exchange accepts (never above
 * SCRAM_MAX_ITERATIONS, never below SCRAM_MIN_ITERATIONS). Only before
 * scram_client_final(). WARD_ERR_INVAL otherwise.
 */
int scram_set_max_iterations(struct scram *s, unsigned int max);

/*
 * The client-first-message (gs2 header + client-first-message-bare), raw.
 * *out is malloc'd and NUL-terminated (not counted in *outlen); the caller
 * frees it. First call only: WARD_ERR_INVAL when called out of order.
 */
int scram_client_first(struct scram *s, char **out, size_t *outlen);

/*
 * Takes the raw server-first-message (len is authoritative; no NUL needed)
 * and returns the client-final-message "c=...,r=...,p=..." in *out
 * (malloc'd, NUL-terminated, the caller frees; it holds the proof, so wipe
 * it with freezero_str()). Refuses: a nonce that does not extend ours, or
 * an iteration count outside [SCRAM_MIN_ITERATIONS, max] -> WARD_ERR_AUTH;
 * a malformed message (missing or misordered r=, s=, i=, bad base64 or an
 * empty salt, a non-decimal count, an 'm=' mandatory extension, NULs,
 * over SCRAM_MAX_MESSAGE) -> WARD_ERR_PROTO. Called out of order ->
 * WARD_ERR_INVAL. After any failure the exchange is dead (later calls
 * return WARD_ERR_INVAL).
 */
int scram_client_final(struct scram *s, const char *server_first, size_t len,
		       char **out, size_t *outlen);

/*
 * Checks the raw server-final-message (len is authoritative). "v=" equal
 * to the expected ServerSignature (constant-time) -> WARD_OK; "v=" with
 * another canonical base64 value, or "e=..." -> WARD_ERR_AUTH; anything
 * else (bad base64 too) -> WARD_ERR_PROTO. Must return
 * WARD_OK before <success/> is trusted. Only once, after
 * scram_client_final(): WARD_ERR_INVAL otherwise.
 */
int scram_verify_server_final(struct scram *s, const char *server_final,
			      size_t len);

/*
 * XEP-0474 (SASL SCRAM Downgrade Protection, 0.3+): when the server-first
 * message carried "d=", checks that it is base64(H(offer)) with this
 * exchange's hash H, where offer is what the client saw (see
 * cbpin_ssdp_string()). WARD_OK on a match, WARD_ERR_AUTH on a mismatch (a
 * man in the middle changed the offer), WARD_ERR_NOTFOUND when the server
 * sent no d=, WARD_ERR_PROTO for bad base64. Only after a successful
 * scram_client_final() (WARD_ERR_INVAL otherwise).
 */
int scram_ssdp_check(const struct scram *s, const char *offer, size_t len);

/* 1 once scram_verify_server_final() has returned WARD_OK, else 0. */
int scram_verified(const struct scram *s);

/*
 * The IANA name: "SCRAM-SHA-1", "SCRAM-SHA-256-PLUS", ... (static string),
 * or NULL for an unknown hash.
 */
const char *scram_mech_name(enum scram_hash hash, int plus);

/*
 * offered: the mechanism names from <mechanisms> (NULL entries skipped).
 * When allow_plus, any -PLUS mechanism wins over every one without
 * binding (SHA-512-PLUS > SHA-256-PLUS > SHA-1-PLUS), because taking a
 * non-PLUS mechanism while the server offers a -PLUS one would mean
 * sending gs2 flag "n" and silently dropping channel binding. Then
 * SHA-512 > SHA-256 > SHA-1. Returns WARD_OK with *hash and *plus set, or
 * WARD_ERR_NOTFOUND when no SCRAM is offered (PLAIN, DIGEST-MD5, X-OAUTH...
 * are never chosen), WARD_ERR_INVAL for bad arguments. The outputs are
 * set only on success.
 */
int scram_choose(const char *const *offered, size_t n, int allow_plus,
		 enum scram_hash *hash, int *plus);

/* Wipes the password, the keys and the expected signature and frees s. */
void scram_free(struct scram *s);

#endif
