/*
 * tls.c: OpenSSL client sessions on non-blocking sockets (see tls.h): the
 * handshake policy (versions, SNI, ALPN, DANE), verification results kept
 * for the caller's decision, and the error classification the event
 * contract needs (tls-version, tls-failed).
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "dane.h"
#include "tls.h"
#include "ward.h"

struct tls {
	SSL_CTX *ctx;
	SSL *ssl;
	short wants;
	const char *err_code;
	char err_text[256];
	char *domain;		/* the reference identity for the PKIX check */
	size_t tlsa_total, tlsa_usable;
	int verify_err;		/* first verification failure, X509_V_OK if none */
	int verify_depth;
};

/* Records a failure: code for the event contract, text for people. */
#define tls_set_error(t, code, fmt, arg)				\
	do {								\
		(t)->err_code = (code);					\
		snprintf((t)->err_text, sizeof((t)->err_text), fmt, arg);\
	} while (0)

/*
 * Lets the handshake finish whatever verification finds, noting the first
 * failure: the decision to go on is taken after the handshake, in one place
 * (serverpin.c), which also knows the pinned key.
 */
static int
tls_verify_cb(int ok, X509_STORE_CTX *x)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(x,
	    SSL_get_ex_data_X509_STORE_CTX_idx());
	struct tls *t = ssl != NULL ? SSL_get_app_data(ssl) : NULL;

	if (!ok && t != NULL && t->verify_err == X509_V_OK) {
		t->verify_err = X509_STORE_CTX_get_error(x);
		t->verify_depth = X509_STORE_CTX_get_error_depth(x);
		if (t->verify_err == X509_V_OK)
			t->verify_err = X509_V_ERR_UNSPECIFIED;
	}
	return 1;
}

/*
 * Hands the usable TLSA records to OpenSSL (RFC 7671: unusable ones are
 * ignored; with none left, plain PKIX applies). The JID domain stays the
 * primary name; the SRV target is accepted as well (RFC 7673 4.2).
 */
static int
tls_dane_setup(struct tls *t, const struct tls_opts *o, char **why)
{
	const char *reason;
	size_t i;
	int r;

	t->tlsa_total = o->ntlsa;
	if (SSL_dane_enable(t->ssl, o->domain) <= 0)
		return WARD_ERR_CRYPTO;
	SSL_dane_set_flags(t->ssl, DANE_FLAG_NO_DANE_EE_NAMECHECKS);
	for (i = 0; i < o->ntlsa; i++) {
		const struct dns_tlsa *rec = &o->tlsa[i];
		char text[64];

		dane_record_text(rec, text, sizeof(text));
		if (!dane_record_usable(rec, &reason)) {
			log_info("%s: TLSA %s ignored: %s", o->domain, text,
			    reason);
			continue;
		}
		r = SSL_dane_tlsa_add(t->ssl, rec->usage, rec->selector,
		    rec->mtype, rec->data, rec->len);
		if (r < 0) {
			xasprintf(why, "cannot add TLSA record %s", text);
			return WARD_ERR_CRYPTO;
		}
		if (r == 0) {
			log_info("%s: TLSA %s unusable for OpenSSL", o->domain,
			    text);
			continue;
		}
		t->tlsa_usable++;
	}
	if (t->tlsa_usable > 0 && o->tlsa_host != NULL &&
	    strcasecmp(o->tlsa_host, o->domain) != 0 &&
	    !SSL_add1_host(t->ssl, o->tlsa_host))
		return WARD_ERR_CRYPTO;
	return WARD_OK;
}

/* The directory of hashed system CA certificates (SSL_CERT_DIR or
 * OpenSSL's default, /usr/lib/ssl/certs -> /etc/ssl/certs on Debian). */
static const char *
tls_cert_dir(void)
{
	const char *d = getenv(X509_get_default_cert_dir_env());

	return d != NULL && d[0] != '\0' ? d : X509_get_default_cert_dir();
}

/* Whether two paths name the same file (symlinks followed). */
static int
tls_same_file(const char *a, const char *b)
{
	char *ra = realpath(a, NULL), *rb = realpath(b, NULL);
	int same = ra != NULL && rb != NULL && strcmp(ra, rb) == 0;

	free(ra);
	free(rb);
	return same;
}

/*
 * SSL_CERT_FILE when set, unless it is the system bundle while the system
 * directory is in use: that directory holds the same anchors (both come
 * from update-ca-certificates), and parsing the bundle costs ~21 ms.
 */
static const char *
tls_cert_file(void)
{
	const char *f = getenv(X509_get_default_cert_file_env());

	if (f == NULL || f[0] == '\0')
		return NULL;
	if (tls_same_file(f, X509_get_default_cert_file()) &&
	    tls_same_file(tls_cert_dir(), X509_get_default_cert_dir()))
		return NULL;
	return f;
}

int
tls_new(const struct tls_opts *o, int fd, struct tls **out, char **why)
{
	static const unsigned char alpn[] = "\x0bxmpp-client";
	const char *env;
	struct tls *t;

	*out = NULL;
	*why = NULL;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return WARD_ERR_NOMEM;
	if ((t->domain = strdup(o->domain)) == NULL) {
		free(t);
		return WARD_ERR_NOMEM;
	}
	t->verify_err = X509_V_OK;
	t->ctx = SSL_CTX_new(TLS_client_method());
	if (t->ctx == NULL)
		goto fail;
	if (o->ntlsa > 0 && SSL_CTX_dane_enable(t->ctx) <= 0)
		goto fail;
	if (!SSL_CTX_set_min_proto_version(t->ctx,
	    o->tls_min == 12 ? TLS1_2_VERSION : TLS1_3_VERSION))
		goto fail;
	SSL_CTX_set_options(t->ctx, SSL_OP_NO_COMPRESSION |
	    SSL_OP_NO_RENEGOTIATION);
	SSL_CTX_set_mode(t->ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
	    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	if (o->tls_min == 12 &&
	    !SSL_CTX_set_cipher_list(t->ctx, "ECDHE+AESGCM:ECDHE+CHACHA20"))
		goto fail;
	/* The system anchors as a hashed directory, looked up lazily: parsing
	 * the whole bundle (SSL_CTX_set_default_verify_paths) cost ~21 ms
	 * and 1.5 MB on every connection. SSL_CERT_DIR is honoured, and so
	 * is SSL_CERT_FILE (a bundle the user chose). */
	if (!SSL_CTX_load_verify_dir(t->ctx, tls_cert_dir()))
		goto fail;
	if ((env = tls_cert_file()) != NULL &&
	    !SSL_CTX_load_verify_locations(t->ctx, env, NULL)) {
		xasprintf(why, "cannot load SSL_CERT_FILE %s", env);
		goto fail_quiet;
	}
	if (o->ca_file != NULL &&
	    !SSL_CTX_load_verify_locations(t->ctx, o->ca_file, NULL)) {
		xasprintf(why, "cannot load ca_file %s", o->ca_file);
		goto fail_quiet;
	}
	SSL_CTX_set_verify(t->ctx, SSL_VERIFY_PEER, tls_verify_cb);
	t->ssl = SSL_new(t->ctx);
	if (t->ssl == NULL)
		goto fail;
	SSL_set_app_data(t->ssl, t);
	if (!SSL_set_tlsext_host_name(t->ssl, o->domain) ||
	    !SSL_set1_host(t->ssl, o->domain))
		goto fail;
	SSL_set_hostflags(t->ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	if (o->ntlsa > 0 && tls_dane_setup(t, o, why) != WARD_OK) {
		if (*why != NULL)
			goto fail_quiet;
		goto fail;
	}
	if (o->alpn_xmpp && SSL_set_alpn_protos(t->ssl, alpn,
	    sizeof(alpn) - 1) != 0)
		goto fail;
	if (!SSL_set_fd(t->ssl, fd))
		goto fail;
	SSL_set_connect_state(t->ssl);
	*out = t;
	return WARD_OK;
fail:
	xasprintf(why, "TLS set-up failed: %s",
	    ERR_reason_error_string(ERR_peek_last_error()) ?
	    ERR_reason_error_string(ERR_peek_last_error()) : "unknown");
fail_quiet:
	ERR_clear_error();
	tls_free(t);
	return WARD_ERR_CRYPTO;
}

/* Maps an OpenSSL failure to the contract's error codes. */
static int
tls_classify(struct tls *t, int ret)
{
	int e = SSL_get_error(t->ssl, ret);
	unsigned long err;

	switch (e) {
	case SSL_ERROR_WANT_READ:
		t->wants = POLLIN;
		return WARD_ERR_AGAIN;
	case SSL_ERROR_WANT_WRITE:
		t->wants = POLLOUT;
		return WARD_ERR_AGAIN;
	case SSL_ERROR_ZERO_RETURN:
		return WARD_ERR_CLOSED;
	}
	/* certificate problems never end the handshake (tls_verify_cb):
	 * serverpin.c judges them afterwards */
	err = ERR_peek_last_error();
	if (ERR_GET_LIB(err) == ERR_LIB_SSL &&
	    (ERR_GET_REASON(err) == SSL_R_TLSV1_ALERT_PROTOCOL_VERSION ||
	    ERR_GET_REASON(err) == SSL_R_UNSUPPORTED_PROTOCOL ||
	    ERR_GET_REASON(err) == SSL_R_NO_PROTOCOLS_AVAILABLE ||
	    ERR_GET_REASON(err) == SSL_R_WRONG_SSL_VERSION ||
	    ERR_GET_REASON(err) == SSL_R_VERSION_TOO_LOW)) {
		tls_set_error(t, "tls-version", "server does not speak an "
		    "allowed TLS version (%s)", ERR_reason_error_string(err));
	} else if (e == SSL_ERROR_SYSCALL && err == 0) {
		tls_set_error(t, "tls-failed", "%s",
		    "connection closed during TLS");
		ERR_clear_error();
		return WARD_ERR_CLOSED;
	} else {
		tls_set_error(t, "tls-failed", "TLS failed: %s",
		    ERR_reason_error_string(err) ? ERR_reason_error_string(err) :
		    "unknown error");
	}
	ERR_clear_error();
	return WARD_ERR_IO;
}

int
tls_handshake(struct tls *t)
{
	int r;

	ERR_clear_error();
	r = SSL_do_handshake(t->ssl);
	if (r == 1) {
		t->wants = POLLIN;
		return WARD_OK;
	}
	return tls_classify(t, r);
}

int
tls_read(struct tls *t, void *buf, size_t n, size_t *got)
{
	int r;

	*got = 0;
	ERR_clear_error();
	r = SSL_read(t->ssl, buf, n > 1 << 30 ? 1 << 30 : (int)n);
	if (r > 0) {
		*got = (size_t)r;
		return WARD_OK;
	}
	return tls_classify(t, r);
}

int
tls_write(struct tls *t, const void *buf, size_t n, size_t *wrote)
{
	int r;

	*wrote = 0;
	ERR_clear_error();
	r = SSL_write(t->ssl, buf, n > 1 << 30 ? 1 << 30 : (int)n);
	if (r > 0) {
		*wrote = (size_t)r;
		return WARD_OK;
	}
	return tls_classify(t, r);
}

short
tls_wants(const struct tls *t)
{
	return t->wants;
}

int
tls_pending(const struct tls *t)
{
	return SSL_pending(t->ssl);
}

const char *
tls_error_code(const struct tls *t)
{
	return t->err_code;
}

const char *
tls_error_text(const struct tls *t)
{
	return t->err_text;
}

static void
tls_hex(const unsigned char *md, unsigned int len, char *out, size_t outlen)
{
	unsigned int i;

	out[0] = '\0';
	for (i = 0; i < len && (i + 1) * 2 < outlen; i++)
		snprintf(out + i * 2, 3, "%02x", md[i]);
}

static void
tls_asn1_time(const ASN1_TIME *tm, char *out, size_t outlen)
{
	struct tm t;

	out[0] = '\0';
	if (tm != NULL && ASN1_TIME_to_tm(tm, &t) == 1)
		strftime(out, outlen, "%Y-%m-%dT%H:%M:%SZ", &t);
}

/* Whether a CA vouches for the peer's chain and the JID domain, DANE aside. */
static int
tls_pkix_ok(const struct tls *t, X509 *leaf)
{
	X509_STORE_CTX *x;
	X509_VERIFY_PARAM *p;
	int ok = 0;

	if ((x = X509_STORE_CTX_new()) == NULL)
		return 0;
	if (X509_STORE_CTX_init(x, SSL_CTX_get_cert_store(t->ctx), leaf,
	    SSL_get_peer_cert_chain(t->ssl)) == 1 &&
	    X509_STORE_CTX_set_default(x, "ssl_server") == 1) {
		p = X509_STORE_CTX_get0_param(x);
		X509_VERIFY_PARAM_set_hostflags(p,
		    X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
		if (X509_VERIFY_PARAM_set1_host(p, t->domain, 0) == 1)
			ok = X509_verify_cert(x) == 1;
	}
	X509_STORE_CTX_free(x);
	ERR_clear_error();
	return ok;
}

/*
 * Fills the DANE part of info after OpenSSL verified with DANE on. The
 * matching record is cross-checked against the certificate it names.
 */
static void
tls_dane_info(const struct tls *t, struct tls_info *info, X509 *leaf)
{
	struct dns_tlsa rec;
	const unsigned char *data;
	X509 *mcert = NULL;
	EVP_PKEY *mspki = NULL;
	size_t dlen;
	int depth;

	info->dane_active = 1;
	info->dane_depth = -1;
	depth = SSL_get0_dane_authority(t->ssl, &mcert, &mspki);
	if (!info->verify_ok || depth < 0 ||
	    SSL_get0_dane_tlsa(t->ssl, &rec.usage, &rec.selector, &rec.mtype,
	    &data, &dlen) < 0)
		return;
	rec.data = (unsigned char *)data;
	rec.len = dlen;
	if (rec.usage == DANE_PKIX_EE || rec.usage == DANE_DANE_EE)
		mcert = depth == 0 ? leaf : NULL;
	/* a trust-anchor key not sent in the chain (2 1 0) has no cert */
	if (mcert == NULL && !(mspki != NULL && rec.usage != DANE_PKIX_EE &&
	    rec.usage != DANE_DANE_EE))
		goto refuse;
	if (mcert != NULL && !dane_record_matches(&rec, mcert))
		goto refuse;
	info->dane_match = 1;
	info->dane_depth = depth;
	dane_record_text(&rec, info->dane_record, sizeof(info->dane_record));
	return;
refuse:
	info->verify_ok = 0;
	snprintf(info->verify_error, sizeof(info->verify_error), "%s",
	    "the TLSA record OpenSSL matched does not match the certificate");
}

int
tls_get_info(const struct tls *t, struct tls_info *info)
{
	unsigned char md[EVP_MAX_MD_SIZE], *der = NULL;
	unsigned int mdlen;
	X509 *cert;
	long vr;
	int derlen;

	memset(info, 0, sizeof(*info));
	snprintf(info->version, sizeof(info->version), "%s",
	    SSL_get_version(t->ssl));
	snprintf(info->cipher, sizeof(info->cipher), "%s",
	    SSL_get_cipher_name(t->ssl));
	info->tlsa_total = t->tlsa_total;
	info->tlsa_usable = t->tlsa_usable;
	info->dane_depth = -1;
	vr = SSL_get_verify_result(t->ssl);
	info->verify_ok = vr == X509_V_OK && t->verify_err == X509_V_OK;
	if (!info->verify_ok)
		snprintf(info->verify_error, sizeof(info->verify_error),
		    "%s (depth %d)", X509_verify_cert_error_string(
		    t->verify_err != X509_V_OK ? t->verify_err : vr),
		    t->verify_depth);
	cert = SSL_get1_peer_certificate(t->ssl);
	if (cert == NULL) {
		info->verify_ok = 0;
		snprintf(info->verify_error, sizeof(info->verify_error), "%s",
		    "the server sent no certificate");
		return WARD_ERR_NOTFOUND;
	}
	if (t->tlsa_usable > 0) {
		tls_dane_info(t, info, cert);
		info->verified_by_ca = tls_pkix_ok(t, cert);
	} else {
		info->verified_by_ca = info->verify_ok;
	}
	if (X509_digest(cert, EVP_sha256(), md, &mdlen))
		tls_hex(md, mdlen, info->cert_sha256, sizeof(info->cert_sha256));
	derlen = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
	if (derlen > 0 && EVP_Digest(der, (size_t)derlen, md, &mdlen,
	    EVP_sha256(), NULL))
		tls_hex(md, mdlen, info->spki_sha256, sizeof(info->spki_sha256));
	OPENSSL_free(der);
	X509_NAME_oneline(X509_get_subject_name(cert), info->subject,
	    sizeof(info->subject));
	X509_NAME_oneline(X509_get_issuer_name(cert), info->issuer,
	    sizeof(info->issuer));
	tls_asn1_time(X509_get0_notBefore(cert), info->not_before,
	    sizeof(info->not_before));
	tls_asn1_time(X509_get0_notAfter(cert), info->not_after,
	    sizeof(info->not_after));
	X509_free(cert);
	return WARD_OK;
}

int
tls_is_13(const struct tls *t)
{
	return SSL_version(t->ssl) == TLS1_3_VERSION;
}

/* RFC 5929 4.1: the certificate's signature hash, MD5/SHA-1 -> SHA-256. */
static int
tls_end_point(SSL *ssl, unsigned char *out, size_t outmax, size_t *len)
{
	X509 *cert = SSL_get1_peer_certificate(ssl);
	const EVP_MD *md = NULL;
	unsigned char buf[EVP_MAX_MD_SIZE];
	unsigned int n;
	int mdnid = NID_undef, r = WARD_ERR_CRYPTO;

	if (cert == NULL)
		return WARD_ERR_NOTFOUND;
	if (X509_get_signature_info(cert, &mdnid, NULL, NULL, NULL) != 1 ||
	    mdnid == NID_undef || mdnid == NID_md5 || mdnid == NID_sha1)
		mdnid = NID_sha256;
	md = EVP_get_digestbynid(mdnid);
	if (md != NULL && X509_digest(cert, md, buf, &n) == 1 && n <= outmax) {
		memcpy(out, buf, n);
		*len = n;
		r = WARD_OK;
	}
	X509_free(cert);
	return r;
}

int
tls_channel_binding(const struct tls *t, const char *type, unsigned char *out,
    size_t outmax, size_t *len)
{
	return tls_ssl_channel_binding(t->ssl, type, out, outmax, len);
}

int
tls_ssl_channel_binding(SSL *ssl, const char *type, unsigned char *out,
    size_t outmax, size_t *len)
{
	static const char label[] = "EXPORTER-Channel-Binding";
	int v13 = SSL_version(ssl) == TLS1_3_VERSION;
	size_t n;

	*len = 0;
	if (strcmp(type, "tls-exporter") == 0) {
		/* RFC 9266 defines it for 1.3; on 1.2 without extended master
		 * secret it is unsafe, so ward uses it on 1.3 only */
		if (!v13 || outmax < 32)
			return WARD_ERR_NOTFOUND;
		if (SSL_export_keying_material(ssl, out, 32, label,
		    sizeof(label) - 1, NULL, 0, 0) != 1)
			return WARD_ERR_CRYPTO;
		*len = 32;
		return WARD_OK;
	}
	if (strcmp(type, "tls-unique") == 0) {
		if (v13)
			return WARD_ERR_NOTFOUND;	/* RFC 9266: never on 1.3 */
		/* the first Finished of the handshake: ours on a full
		 * handshake (the client finishes first), the server's on a
		 * resumed one */
		n = SSL_session_reused(ssl) ?
		    SSL_get_peer_finished(ssl, out, outmax) :
		    SSL_get_finished(ssl, out, outmax);
		if (n == 0 || n > outmax)
			return WARD_ERR_CRYPTO;
		*len = n;
		return WARD_OK;
	}
	if (strcmp(type, "tls-server-end-point") == 0)
		return tls_end_point(ssl, out, outmax, len);
	return WARD_ERR_NOTFOUND;
}

void
tls_free(struct tls *t)
{
	if (t == NULL)
		return;
	if (t->ssl != NULL)
		SSL_free(t->ssl);
	if (t->ctx != NULL)
		SSL_CTX_free(t->ctx);
	free(t->domain);
	free(t);
}
