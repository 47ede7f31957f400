/*
 * tls.h: a TLS client session over a non-blocking socket (OpenSSL), run
 * inside the event loop. TLS 1.3 unless the account allows 1.2; never older.
 * The certificate is checked against the JID domain (system CAs + ca_file)
 * and the TLSA records given, but a failed check does not stop the
 * handshake: tls_get_info() reports it and the caller decides (serverpin.c).
 */
#ifndef WARD_TLS_H
#define WARD_TLS_H

#include <stddef.h>

struct dns_tlsa;

struct tls_opts {
	const char *domain;	/* SNI and the name the certificate must carry */
	int tls_min;		/* 12 or 13 */
	const char *ca_file;	/* extra PKIX anchors, or NULL */
	int alpn_xmpp;		/* offer ALPN "xmpp-client" (direct TLS) */
	/* DNSSEC-secure TLSA records of the target (RFC 7673), or none:
	 * usable ones switch OpenSSL's DANE verification on (RFC 7671). */
	const struct dns_tlsa *tlsa;
	size_t ntlsa;
	/* the SRV target: a second reference identity while DANE is on */
	const char *tlsa_host;
};

/* What the connection report shows about the session. */
struct tls_info {
	char version[16];	/* "TLSv1.3" */
	char cipher[64];
	char cert_sha256[96];	/* hex of the leaf certificate's SHA-256 */
	char spki_sha256[96];	/* hex of the leaf SubjectPublicKeyInfo's SHA-256 */
	char subject[256];
	char issuer[256];
	char not_before[32];
	char not_after[32];
	/* A CA vouches: the chain ends at a trusted anchor (system or
	 * ca_file) and the certificate names the JID domain, DANE aside. */
	int verified_by_ca;
	/* OpenSSL's own verification passed: DANE when dane_active, else
	 * the same as verified_by_ca. verify_error says why not. */
	int verify_ok;
	char verify_error[128];
	size_t tlsa_total;	/* TLSA records offered */
	size_t tlsa_usable;	/* ... of them given to OpenSSL (RFC 7671) */
	int dane_active;	/* tlsa_usable > 0: DANE decides */
	int dane_match;		/* verified by a TLSA record */
	char dane_record[64];	/* that record, "3 1 1 9a41c0de..." */
	int dane_depth;		/* its certificate's depth (0: the leaf) */
};

struct tls;

/* Takes no ownership of fd. */
int tls_new(const struct tls_opts *o, int fd, struct tls **out, char **why);
/* WARD_OK when done, WARD_ERR_AGAIN while in progress (see tls_wants),
 * otherwise an error with tls_error_code()/tls_error_text() set. */
int tls_handshake(struct tls *t);
/* WARD_OK with *got > 0, WARD_ERR_AGAIN, WARD_ERR_CLOSED or WARD_ERR_IO. */
int tls_read(struct tls *t, void *buf, size_t n, size_t *got);
/* WARD_OK with *wrote > 0, WARD_ERR_AGAIN or WARD_ERR_IO. */
int tls_write(struct tls *t, const void *buf, size_t n, size_t *wrote);
/* POLLIN / POLLOUT the last operation waits for. */
short tls_wants(const struct tls *t);
/* Bytes already decrypted and waiting inside OpenSSL. */
int tls_pending(const struct tls *t);
/* "tls-version", "tls-failed" or NULL (certificate verdicts are not
 * errors here: see tls_get_info). */
const char *tls_error_code(const struct tls *t);
const char *tls_error_text(const struct tls *t);
int tls_get_info(const struct tls *t, struct tls_info *info);
/* 1 when the session is TLS 1.3. */
int tls_is_13(const struct tls *t);
/*
 * Channel-binding data for SCRAM-PLUS, written to out (at most outmax
 * bytes; 64 is enough for every type): "tls-exporter" (RFC 9266, TLS 1.3
 * only here), "tls-unique" (RFC 5929, TLS 1.2 only: never on 1.3) or
 * "tls-server-end-point" (RFC 5929: the server certificate's hash, MD5 and
 * SHA-1 raised to SHA-256). WARD_ERR_NOTFOUND for a type that cannot be
 * used on this session, WARD_ERR_CRYPTO when OpenSSL fails.
 */
int tls_channel_binding(const struct tls *t, const char *type,
    unsigned char *out, size_t outmax, size_t *len);
/* The same for an OpenSSL session of ward's own (ward audit's login,
 * src/audit/audit_login.c). */
struct ssl_st;
int tls_ssl_channel_binding(struct ssl_st *ssl, const char *type,
    unsigned char *out, size_t outmax, size_t *len);
void tls_free(struct tls *t);

#endif
