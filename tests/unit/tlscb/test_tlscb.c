/*
 * test_tlscb.c: unit tests for tls_channel_binding() (src/net/tls.c): ward's
 * client over a socketpair against an in-memory OpenSSL server, whose own
 * view of tls-exporter, tls-unique and the certificate hash must agree.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "ward.h"
#include "tls.h"

static EVP_PKEY *key;
static X509 *cert;
static char ca_path[] = "/tmp/ward-tlscb-XXXXXX";

static void
add_ext(X509 *x, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;

	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	assert_non_null(ext);
	assert_int_equal(X509_add_ext(x, ext, -1), 1);
	X509_EXTENSION_free(ext);
}

/* A self-signed P-256 certificate for good.test, trusted as ca_file. */
static int
setup(void **state)
{
	X509_NAME *name;
	FILE *f;
	int fd;

	(void)state;
	key = EVP_EC_gen("P-256");
	assert_non_null(key);
	cert = X509_new();
	X509_set_version(cert, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(cert), 4242);
	X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
	X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
	X509_set_pubkey(cert, key);
	name = X509_get_subject_name(cert);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
				   (const unsigned char *)"good.test", -1, -1,
				   0);
	X509_set_issuer_name(cert, name);
	add_ext(cert, NID_basic_constraints, "critical,CA:TRUE");
	add_ext(cert, NID_subject_alt_name, "DNS:good.test");
	assert_true(X509_sign(cert, key, EVP_sha256()) > 0);
	fd = mkstemp(ca_path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	assert_int_equal(PEM_write_X509(f, cert), 1);
	fclose(f);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(ca_path);
	X509_free(cert);
	EVP_PKEY_free(key);
	return 0;
}

struct pair {
	struct tls *client;
	SSL_CTX *sctx;
	SSL *server;
	int fds[2];
};

/* Connects ward's client to an OpenSSL server capped at max_version. */
static void
pair_up(struct pair *p, int tls_min, int max_version)
{
	struct tls_opts o;
	char *why = NULL;
	int i, cdone = 0, sdone = 0, r;

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, p->fds), 0);
	fcntl(p->fds[0], F_SETFL, O_NONBLOCK);
	fcntl(p->fds[1], F_SETFL, O_NONBLOCK);
	memset(&o, 0, sizeof(o));
	o.domain = "good.test";
	o.tls_min = tls_min;
	o.ca_file = ca_path;
	assert_int_equal(tls_new(&o, p->fds[0], &p->client, &why), WARD_OK);
	assert_null(why);
	p->sctx = SSL_CTX_new(TLS_server_method());
	assert_non_null(p->sctx);
	SSL_CTX_set_max_proto_version(p->sctx, max_version);
	assert_int_equal(SSL_CTX_use_certificate(p->sctx, cert), 1);
	assert_int_equal(SSL_CTX_use_PrivateKey(p->sctx, key), 1);
	p->server = SSL_new(p->sctx);
	SSL_set_fd(p->server, p->fds[1]);
	SSL_set_accept_state(p->server);
	for (i = 0; i < 1000 && !(cdone && sdone); i++) {
		if (!cdone) {
			r = tls_handshake(p->client);
			assert_true(r == WARD_OK || r == WARD_ERR_AGAIN);
			cdone = r == WARD_OK;
		}
		if (!sdone) {
			r = SSL_do_handshake(p->server);
			if (r != 1) {
				r = SSL_get_error(p->server, r);
				assert_true(r == SSL_ERROR_WANT_READ ||
					    r == SSL_ERROR_WANT_WRITE);
			}
			sdone = r == 1;
		}
	}
	assert_true(cdone && sdone);
}

static void
pair_down(struct pair *p)
{
	tls_free(p->client);
	SSL_free(p->server);
	SSL_CTX_free(p->sctx);
	close(p->fds[0]);
	close(p->fds[1]);
}

/* RFC 5929 4.1: the certificate's hash with its signature's hash
 * (SHA-256 here), computed from the DER independently of tls.c. */
static void
expect_end_point(struct pair *p)
{
	unsigned char got[64], want[SHA256_DIGEST_LENGTH], *der = NULL;
	size_t len;
	int dlen;

	assert_int_equal(tls_channel_binding(p->client,
					     "tls-server-end-point", got,
					     sizeof(got), &len),
			 WARD_OK);
	dlen = i2d_X509(cert, &der);
	assert_true(dlen > 0);
	SHA256(der, (size_t)dlen, want);
	OPENSSL_free(der);
	assert_int_equal(len, sizeof(want));
	assert_memory_equal(got, want, sizeof(want));
}

static void
test_tls13(void **state)
{
	static const char label[] = "EXPORTER-Channel-Binding";
	unsigned char got[64], want[32];
	struct pair p;
	size_t len = 99;

	(void)state;
	pair_up(&p, 13, TLS1_3_VERSION);
	assert_int_equal(tls_is_13(p.client), 1);
	/* RFC 9266: 32 bytes, the label, no context: the server agrees */
	assert_int_equal(tls_channel_binding(p.client, "tls-exporter", got,
					     sizeof(got), &len),
			 WARD_OK);
	assert_int_equal(len, 32);
	assert_int_equal(SSL_export_keying_material(p.server, want, 32, label,
						    sizeof(label) - 1, NULL,
						    0, 0),
			 1);
	assert_memory_equal(got, want, 32);
	expect_end_point(&p);
	/* never tls-unique on TLS 1.3 */
	assert_int_equal(tls_channel_binding(p.client, "tls-unique", got,
					     sizeof(got), &len),
			 WARD_ERR_NOTFOUND);
	assert_int_equal(len, 0);
	assert_int_equal(tls_channel_binding(p.client, "tls-foo", got,
					     sizeof(got), &len),
			 WARD_ERR_NOTFOUND);
	/* too small a buffer is refused, not overrun */
	assert_int_equal(tls_channel_binding(p.client, "tls-exporter", got,
					     16, &len),
			 WARD_ERR_NOTFOUND);
	pair_down(&p);
}

static void
test_tls12(void **state)
{
	unsigned char got[64], want[64];
	struct pair p;
	size_t len, wlen;

	(void)state;
	pair_up(&p, 12, TLS1_2_VERSION);
	assert_int_equal(tls_is_13(p.client), 0);
	/* tls-unique: the first Finished, the client's on a full handshake */
	assert_int_equal(tls_channel_binding(p.client, "tls-unique", got,
					     sizeof(got), &len),
			 WARD_OK);
	wlen = SSL_get_peer_finished(p.server, want, sizeof(want));
	assert_true(wlen > 0);
	assert_int_equal(len, wlen);
	assert_memory_equal(got, want, wlen);
	expect_end_point(&p);
	/* ward uses tls-exporter on TLS 1.3 only */
	assert_int_equal(tls_channel_binding(p.client, "tls-exporter", got,
					     sizeof(got), &len),
			 WARD_ERR_NOTFOUND);
	pair_down(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tls13),
	    cmocka_unit_test(test_tls12),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
