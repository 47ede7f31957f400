/*
 * scram.c: the SCRAM SASL client (RFC 5802, RFC 7677) on OpenSSL 3: a strict
 * state machine, bounded parsing of the server's messages, verification of
 * the server's signature, and the choice of mechanism from an offer.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "ward.h"
#include "base64.h"
#include "scram.h"

#define SCRAM_NONCE_BYTES 24  /* random bytes in a generated client nonce */
#define SCRAM_MAX_NONCE 256   /* a fixed client nonce, in characters */
#define SCRAM_MAX_CBNAME 64   /* channel-binding type name after "p=" */
#define SCRAM_MAX_CBDATA 1024 /* channel-binding data, in bytes */
#define SCRAM_MAX_ATTRS 32    /* attributes in one server message */

/* Where the exchange is; every call checks it, every failure ends it. */
enum scram_state {
	SCRAM_ST_NEW,   /* nothing sent */
	SCRAM_ST_FIRST, /* client-first sent */
	SCRAM_ST_FINAL, /* client-final sent, server signature expected */
	SCRAM_ST_DONE,  /* server signature verified */
	SCRAM_ST_DEAD,  /* failed; nothing more is accepted */
};

struct scram {
	enum scram_hash hash;
	enum scram_state state;
	unsigned int max_iterations;
	char *username; /* escaped ("=2C", "=3D") */
	char *password; /* secret: wiped on free */
	size_t password_len;
	char *gs2_header; /* "n,,", "y,," or "p=<type>,," */
	unsigned char *cbdata;
	size_t cblen;
	char *nonce;      /* the client nonce */
	char *first_bare; /* client-first-message-bare, part of AuthMessage */
	size_t first_bare_len;
	unsigned char server_sig[EVP_MAX_MD_SIZE]; /* expected v=, wiped */
	size_t server_sig_len;
	char *ssdp; /* XEP-0474 d= of server-first (base64), or NULL */
};

/* One "name=value" of a server message; value points into the message. */
struct scram_attr {
	char name;
	const char *value;
	size_t len;
};

/* A piece of a message being assembled by scram_join(). */
struct scram_piece {
	const void *p;
	size_t len;
};

static const EVP_MD *
scram_md(enum scram_hash hash)
{
	switch (hash) {
	case SCRAM_SHA1:
		return EVP_sha1();
	case SCRAM_SHA256:
		return EVP_sha256();
	case SCRAM_SHA512:
		return EVP_sha512();
	}
	return NULL;
}

const char *
scram_mech_name(enum scram_hash hash, int plus)
{
	switch (hash) {
	case SCRAM_SHA1:
		return plus ? "SCRAM-SHA-1-PLUS" : "SCRAM-SHA-1";
	case SCRAM_SHA256:
		return plus ? "SCRAM-SHA-256-PLUS" : "SCRAM-SHA-256";
	case SCRAM_SHA512:
		return plus ? "SCRAM-SHA-512-PLUS" : "SCRAM-SHA-512";
	}
	return NULL;
}

/*
 * Concatenates n pieces into a malloc'd, NUL-terminated string the caller
 * frees; NULL when out of memory.
 */
static char *
scram_join(const struct scram_piece *pc, size_t n, size_t *outlen)
{
	size_t i, total = 0, o = 0;
	char *out;

	for (i = 0; i < n; i++) {
		if (pc[i].len > SIZE_MAX - 1 - total)
			return NULL;
		total += pc[i].len;
	}
	if ((out = malloc(total + 1)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (pc[i].len != 0)
			memcpy(out + o, pc[i].p, pc[i].len);
		o += pc[i].len;
	}
	out[o] = '\0';
	if (outlen != NULL)
		*outlen = o;
	return out;
}

/*
 * 1 when s[0..len) is UTF-8 (shortest form, no surrogates, at most
 * U+10FFFF) without C0, DEL or C1 controls.
 */
static int
scram_utf8_ok(const unsigned char *s, size_t len)
{
	size_t i = 0, need, k;
	unsigned char lo, hi;

	while (i < len) {
		unsigned char c = s[i];

		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f)
				return 0;
			i++;
			continue;
		}
		lo = 0x80;
		hi = 0xbf;
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1;
			if (c == 0xc2)
				lo = 0xa0; /* U+0080..U+009F are C1 */
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			if (c == 0xe0)
				lo = 0xa0;
			else if (c == 0xed)
				hi = 0x9f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			if (c == 0xf0)
				lo = 0x90;
			else if (c == 0xf4)
				hi = 0x8f;
		} else
			return 0;
		if (len - i - 1 < need)
			return 0;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return 0;
		for (k = 2; k <= need; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
		i += need + 1;
	}
	return 1;
}

/* Escapes ',' and '=' (RFC 5802 saslname); *out is malloc'd. */
static int
scram_escape_username(const char *user, char **out)
{
	size_t i, o = 0, len = strlen(user);
	char *e;

	*out = NULL;
	if (len == 0 || !scram_utf8_ok((const unsigned char *)user, len))
		return WARD_ERR_INVAL;
	if (len > SCRAM_MAX_USERNAME)
		return WARD_ERR_LIMIT;
	if ((e = malloc(len * 3 + 1)) == NULL)
		return WARD_ERR_NOMEM;
	for (i = 0; i < len; i++) {
		if (user[i] == ',') {
			memcpy(e + o, "=2C", 3);
			o += 3;
		} else if (user[i] == '=') {
			memcpy(e + o, "=3D", 3);
			o += 3;
		} else
			e[o++] = user[i];
	}
	e[o] = '\0';
	*out = e;
	return WARD_OK;
}

/* 1 when every byte is printable ASCII other than ',' (RFC 5802 c-nonce). */
static int
scram_printable(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] < 0x21 || s[i] > 0x7e || s[i] == ',')
			return 0;
	return 1;
}

/*
 * Checks the gs2 channel-binding flag against the data given and builds
 * the gs2 header (no authzid) into *out, malloc'd.
 */
static int
scram_gs2_header(const char *flag, const unsigned char *cbdata, size_t cblen,
		 char **out)
{
	struct scram_piece pc[2];
	size_t i, len;

	*out = NULL;
	if (strcmp(flag, "n") == 0 || strcmp(flag, "y") == 0) {
		if (cbdata != NULL || cblen != 0)
			return WARD_ERR_INVAL;
	} else if (strncmp(flag, "p=", 2) == 0) {
		len = strlen(flag + 2);
		if (len == 0 || len > SCRAM_MAX_CBNAME)
			return WARD_ERR_INVAL;
		for (i = 2; flag[i] != '\0'; i++) {
			char c = flag[i];

			if (!((c >= 'a' && c <= 'z') ||
			      (c >= 'A' && c <= 'Z') ||
			      (c >= '0' && c <= '9') || c == '.' || c == '-'))
				return WARD_ERR_INVAL;
		}
		if (cbdata == NULL || cblen == 0)
			return WARD_ERR_INVAL;
		if (cblen > SCRAM_MAX_CBDATA)
			return WARD_ERR_LIMIT;
	} else
		return WARD_ERR_INVAL;
	pc[0] = (struct scram_piece){flag, strlen(flag)};
	pc[1] = (struct scram_piece){",,", 2};
	if ((*out = scram_join(pc, 2, NULL)) == NULL)
		return WARD_ERR_NOMEM;
	return WARD_OK;
}

/* Makes or checks the client nonce into s->nonce. */
static int
scram_set_nonce(struct scram *s, const char *fixed)
{
	unsigned char rnd[SCRAM_NONCE_BYTES];
	size_t len;

	if (fixed != NULL) {
		len = strlen(fixed);
		if (len == 0 || len > SCRAM_MAX_NONCE ||
		    !scram_printable(fixed, len))
			return WARD_ERR_INVAL;
		if ((s->nonce = strdup(fixed)) == NULL)
			return WARD_ERR_NOMEM;
		return WARD_OK;
	}
	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		return WARD_ERR_CRYPTO;
	/* 24 bytes give 32 characters, no padding; base64 has no ','. */
	s->nonce = base64_encode(rnd, sizeof(rnd));
	explicit_bzero(rnd, sizeof(rnd));
	return s->nonce == NULL ? WARD_ERR_NOMEM : WARD_OK;
}

int
scram_new(enum scram_hash hash, const char *username, const char *password,
	  const char *gs2_cbflag, const unsigned char *cbdata, size_t cblen,
	  const char *nonce, struct scram **out)
{
	struct scram *s;
	int r;

	if (out != NULL)
		*out = NULL;
	if (out == NULL || scram_md(hash) == NULL || username == NULL ||
	    password == NULL || gs2_cbflag == NULL)
		return WARD_ERR_INVAL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return WARD_ERR_NOMEM;
	s->hash = hash;
	s->state = SCRAM_ST_NEW;
	s->max_iterations = SCRAM_MAX_ITERATIONS;
	if ((r = scram_escape_username(username, &s->username)) != WARD_OK)
		goto out;
	s->password_len = strlen(password);
	if (s->password_len > INT_MAX) {
		r = WARD_ERR_LIMIT;
		goto out;
	}
	if ((s->password = strdup(password)) == NULL) {
		r = WARD_ERR_NOMEM;
		goto out;
	}
	r = scram_gs2_header(gs2_cbflag, cbdata, cblen, &s->gs2_header);
	if (r != WARD_OK)
		goto out;
	if (cblen != 0) {
		if ((s->cbdata = malloc(cblen)) == NULL) {
			r = WARD_ERR_NOMEM;
			goto out;
		}
		memcpy(s->cbdata, cbdata, cblen);
		s->cblen = cblen;
	}
	if ((r = scram_set_nonce(s, nonce)) != WARD_OK)
		goto out;
	*out = s;
	s = NULL; /* transferred */
	r = WARD_OK;
out:
	scram_free(s);
	return r;
}

int
scram_set_max_iterations(struct scram *s, unsigned int max)
{
	if (s == NULL || s->state > SCRAM_ST_FIRST ||
	    max < SCRAM_MIN_ITERATIONS || max > SCRAM_MAX_ITERATIONS)
		return WARD_ERR_INVAL;
	s->max_iterations = max;
	return WARD_OK;
}

int
scram_client_first(struct scram *s, char **out, size_t *outlen)
{
	struct scram_piece pc[5];
	size_t hlen;
	char *msg;

	if (out != NULL)
		*out = NULL;
	if (outlen != NULL)
		*outlen = 0;
	if (s == NULL || out == NULL || outlen == NULL ||
	    s->state != SCRAM_ST_NEW)
		return WARD_ERR_INVAL;
	hlen = strlen(s->gs2_header);
	pc[0] = (struct scram_piece){s->gs2_header, hlen};
	pc[1] = (struct scram_piece){"n=", 2};
	pc[2] = (struct scram_piece){s->username, strlen(s->username)};
	pc[3] = (struct scram_piece){",r=", 3};
	pc[4] = (struct scram_piece){s->nonce, strlen(s->nonce)};
	if ((msg = scram_join(pc, 5, outlen)) == NULL)
		return WARD_ERR_NOMEM;
	s->first_bare_len = *outlen - hlen;
	if ((s->first_bare = strdup(msg + hlen)) == NULL) {
		free(msg);
		*outlen = 0;
		return WARD_ERR_NOMEM;
	}
	s->state = SCRAM_ST_FIRST;
	*out = msg;
	return WARD_OK;
}

/*
 * Splits msg[0..len) into "a=value" attributes separated by ','. Each
 * name is one ASCII letter and each value is non-empty. WARD_ERR_PROTO for
 * anything else, including more than max attributes.
 */
static int
scram_split(const char *msg, size_t len, struct scram_attr *attrs, size_t max,
	    size_t *n)
{
	const char *p = msg, *end = msg + len, *comma;
	char c;

	*n = 0;
	if (len == 0)
		return WARD_ERR_PROTO;
	for (;;) {
		if (*n == max || end - p < 3)
			return WARD_ERR_PROTO;
		c = p[0];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) ||
		    p[1] != '=')
			return WARD_ERR_PROTO;
		comma = memchr(p + 2, ',', (size_t)(end - (p + 2)));
		attrs[*n].name = c;
		attrs[*n].value = p + 2;
		attrs[*n].len =
		    (size_t)((comma != NULL ? comma : end) - (p + 2));
		if (attrs[*n].len == 0)
			return WARD_ERR_PROTO;
		(*n)++;
		if (comma == NULL)
			return WARD_OK;
		p = comma + 1; /* a trailing ',' fails the length check */
	}
}

/* Parses i= (RFC 5802 posit-number) and checks it against the bounds. */
static int
scram_iterations(const struct scram *s, const struct scram_attr *a,
		 unsigned int *iters)
{
	unsigned long v = 0;
	size_t i;

	for (i = 0; i < a->len; i++)
		if (a->value[i] < '0' || a->value[i] > '9')
			return WARD_ERR_PROTO;
	if (a->value[0] == '0')
		return WARD_ERR_PROTO;
	if (a->len > 7) /* at least 10^7: above any bound we accept */
		return WARD_ERR_AUTH;
	for (i = 0; i < a->len; i++)
		v = v * 10 + (unsigned long)(a->value[i] - '0');
	if (v < SCRAM_MIN_ITERATIONS || v > s->max_iterations)
		return WARD_ERR_AUTH;
	*iters = (unsigned int)v;
	return WARD_OK;
}

/*
 * Checks the structure of server-first: r=, s=, i= in that order, then
 * optional extensions, none of them mandatory ('m') or a repeat.
 */
static int
scram_check_server_first(const struct scram_attr *a, size_t n)
{
	size_t i;

	if (n < 3 || a[0].name != 'r' || a[1].name != 's' || a[2].name != 'i')
		return WARD_ERR_PROTO;
	for (i = 3; i < n; i++)
		if (strchr("mrsi", a[i].name) != NULL)
			return WARD_ERR_PROTO;
	return WARD_OK;
}

/*
 * The SCRAM key schedule: from the salted password derive the ClientProof
 * (into proof, hash size) and the expected ServerSignature (into s).
 */
static int
scram_keys(struct scram *s, const unsigned char *salt, size_t saltlen,
	   unsigned int iters, const char *authmsg, size_t amlen,
	   unsigned char *proof)
{
	const EVP_MD *md = scram_md(s->hash);
	unsigned char salted[EVP_MAX_MD_SIZE], ckey[EVP_MAX_MD_SIZE];
	unsigned char stored[EVP_MAX_MD_SIZE], csig[EVP_MAX_MD_SIZE];
	unsigned char skey[EVP_MAX_MD_SIZE];
	unsigned int l1 = 0, l2 = 0, l3 = 0, l4 = 0, l5 = 0;
	size_t i, hlen;
	int r = WARD_ERR_CRYPTO;

	hlen = (size_t)EVP_MD_get_size(md);
	if (PKCS5_PBKDF2_HMAC(s->password, (int)s->password_len, salt,
			      (int)saltlen, (int)iters, md, (int)hlen,
			      salted) != 1)
		goto out;
	if (HMAC(md, salted, (int)hlen, (const unsigned char *)"Client Key", 10,
		 ckey, &l1) == NULL ||
	    l1 != hlen)
		goto out;
	if (EVP_Digest(ckey, hlen, stored, &l2, md, NULL) != 1 || l2 != hlen)
		goto out;
	if (HMAC(md, stored, (int)hlen, (const unsigned char *)authmsg, amlen,
		 csig, &l3) == NULL ||
	    l3 != hlen)
		goto out;
	for (i = 0; i < hlen; i++)
		proof[i] = ckey[i] ^ csig[i];
	if (HMAC(md, salted, (int)hlen, (const unsigned char *)"Server Key", 10,
		 skey, &l4) == NULL ||
	    l4 != hlen)
		goto out;
	if (HMAC(md, skey, (int)hlen, (const unsigned char *)authmsg, amlen,
		 s->server_sig, &l5) == NULL ||
	    l5 != hlen)
		goto out;
	s->server_sig_len = hlen;
	r = WARD_OK;
out:
	explicit_bzero(salted, sizeof(salted));
	explicit_bzero(ckey, sizeof(ckey));
	explicit_bzero(stored, sizeof(stored));
	explicit_bzero(csig, sizeof(csig));
	explicit_bzero(skey, sizeof(skey));
	return r;
}

/*
 * Builds client-final-message-without-proof into *wp: "c=" base64(gs2
 * header + cbdata) ",r=" nonce.
 */
static int
scram_final_without_proof(const struct scram *s, const struct scram_attr *r,
			  char **wp, size_t *wplen)
{
	struct scram_piece pc[4];
	unsigned char *cbin;
	size_t hlen = strlen(s->gs2_header);
	char *c64;

	*wp = NULL;
	if ((cbin = malloc(hlen + s->cblen)) == NULL)
		return WARD_ERR_NOMEM;
	memcpy(cbin, s->gs2_header, hlen);
	if (s->cblen != 0)
		memcpy(cbin + hlen, s->cbdata, s->cblen);
	c64 = base64_encode(cbin, hlen + s->cblen);
	free(cbin);
	if (c64 == NULL)
		return WARD_ERR_NOMEM;
	pc[0] = (struct scram_piece){"c=", 2};
	pc[1] = (struct scram_piece){c64, strlen(c64)};
	pc[2] = (struct scram_piece){",r=", 3};
	pc[3] = (struct scram_piece){r->value, r->len};
	*wp = scram_join(pc, 4, wplen);
	free(c64);
	return *wp == NULL ? WARD_ERR_NOMEM : WARD_OK;
}

/* Checks server-first; on success *salt (malloc'd) and *iters are set. */
static int
scram_parse_server_first(const struct scram *s, const char *msg, size_t len,
			 struct scram_attr *a, unsigned char **salt,
			 size_t *saltlen, unsigned int *iters)
{
	size_t n, nlen = strlen(s->nonce);
	int r;

	if (len == 0 || len > SCRAM_MAX_MESSAGE || memchr(msg, '\0', len))
		return WARD_ERR_PROTO;
	if ((r = scram_split(msg, len, a, SCRAM_MAX_ATTRS, &n)) != WARD_OK)
		return r;
	if ((r = scram_check_server_first(a, n)) != WARD_OK)
		return r;
	if (!scram_printable(a[0].value, a[0].len))
		return WARD_ERR_PROTO;
	if (a[0].len <= nlen || memcmp(a[0].value, s->nonce, nlen) != 0)
		return WARD_ERR_AUTH;
	if ((r = base64_decode(a[1].value, a[1].len, salt, saltlen)) != WARD_OK)
		return r == WARD_ERR_NOMEM ? r : WARD_ERR_PROTO;
	if (*saltlen == 0) {
		free(*salt);
		*salt = NULL;
		return WARD_ERR_PROTO;
	}
	if ((r = scram_iterations(s, &a[2], iters)) != WARD_OK) {
		free(*salt);
		*salt = NULL;
		*saltlen = 0;
	}
	return r;
}

/*
 * Keeps the XEP-0474 d= extension of server-first (attributes split again:
 * scram_parse_server_first has checked the message already). A repeated
 * d= is a protocol error.
 */
static int
scram_keep_ssdp(struct scram *s, struct scram_attr *a, const char *msg,
		size_t len)
{
	size_t n, i;
	int r;

	if ((r = scram_split(msg, len, a, SCRAM_MAX_ATTRS, &n)) != WARD_OK)
		return r;
	for (i = 3; i < n; i++) {
		if (a[i].name != 'd')
			continue;
		if (s->ssdp != NULL)
			return WARD_ERR_PROTO;
		if ((s->ssdp = strndup(a[i].value, a[i].len)) == NULL)
			return WARD_ERR_NOMEM;
	}
	return WARD_OK;
}

int
scram_client_final(struct scram *s, const char *server_first, size_t len,
		   char **out, size_t *outlen)
{
	struct scram_attr a[SCRAM_MAX_ATTRS];
	struct scram_piece pc[5];
	unsigned char proof[EVP_MAX_MD_SIZE], *salt = NULL;
	size_t saltlen = 0, wplen = 0, amlen = 0, hlen;
	unsigned int iters = 0;
	char *wp = NULL, *am = NULL, *p64 = NULL;
	int r;

	if (out != NULL)
		*out = NULL;
	if (outlen != NULL)
		*outlen = 0;
	if (s == NULL || out == NULL || outlen == NULL ||
	    (server_first == NULL && len != 0) || s->state != SCRAM_ST_FIRST)
		return WARD_ERR_INVAL;
	s->state = SCRAM_ST_DEAD; /* until everything below succeeded */
	r = scram_parse_server_first(s, server_first, len, a, &salt, &saltlen,
				     &iters);
	if (r != WARD_OK)
		goto out;
	if ((r = scram_keep_ssdp(s, a, server_first, len)) != WARD_OK)
		goto out;
	if ((r = scram_final_without_proof(s, &a[0], &wp, &wplen)) != WARD_OK)
		goto out;
	pc[0] = (struct scram_piece){s->first_bare, s->first_bare_len};
	pc[1] = (struct scram_piece){",", 1};
	pc[2] = (struct scram_piece){server_first, len};
	pc[3] = (struct scram_piece){",", 1};
	pc[4] = (struct scram_piece){wp, wplen};
	r = WARD_ERR_NOMEM;
	if ((am = scram_join(pc, 5, &amlen)) == NULL)
		goto out;
	if ((r = scram_keys(s, salt, saltlen, iters, am, amlen, proof)) !=
	    WARD_OK)
		goto out;
	hlen = s->server_sig_len;
	r = WARD_ERR_NOMEM;
	if ((p64 = base64_encode(proof, hlen)) == NULL)
		goto out;
	pc[0] = (struct scram_piece){wp, wplen};
	pc[1] = (struct scram_piece){",p=", 3};
	pc[2] = (struct scram_piece){p64, strlen(p64)};
	if ((*out = scram_join(pc, 3, outlen)) == NULL)
		goto out;
	s->state = SCRAM_ST_FINAL;
	r = WARD_OK;
out:
	explicit_bzero(proof, sizeof(proof));
	if (r != WARD_OK)
		explicit_bzero(s->server_sig, sizeof(s->server_sig));
	freezero_str(p64);
	free(am);
	free(wp);
	free(salt);
	return r;
}

int
scram_verify_server_final(struct scram *s, const char *server_final, size_t len)
{
	struct scram_attr a[SCRAM_MAX_ATTRS];
	unsigned char *sig = NULL;
	size_t n, i, siglen = 0;
	int r;

	if (s == NULL || (server_final == NULL && len != 0) ||
	    s->state != SCRAM_ST_FINAL)
		return WARD_ERR_INVAL;
	s->state = SCRAM_ST_DEAD;
	if (len == 0 || len > SCRAM_MAX_MESSAGE ||
	    memchr(server_final, '\0', len))
		return WARD_ERR_PROTO;
	/* The server refused us, whatever else it says. */
	if (len >= 2 && server_final[0] == 'e' && server_final[1] == '=')
		return WARD_ERR_AUTH;
	if ((r = scram_split(server_final, len, a, SCRAM_MAX_ATTRS, &n)) !=
	    WARD_OK)
		return r;
	if (a[0].name != 'v')
		return WARD_ERR_PROTO;
	for (i = 1; i < n; i++)
		if (strchr("mve", a[i].name) != NULL)
			return WARD_ERR_PROTO;
	if ((r = base64_decode(a[0].value, a[0].len, &sig, &siglen)) != WARD_OK)
		return r == WARD_ERR_NOMEM ? r : WARD_ERR_PROTO;
	r = WARD_ERR_AUTH;
	if (siglen == s->server_sig_len &&
	    CRYPTO_memcmp(sig, s->server_sig, siglen) == 0) {
		s->state = SCRAM_ST_DONE;
		r = WARD_OK;
	}
	free(sig);
	return r;
}

int
scram_ssdp_check(const struct scram *s, const char *offer, size_t len)
{
	const EVP_MD *md;
	unsigned char want[EVP_MAX_MD_SIZE], *got = NULL;
	unsigned int wantlen = 0;
	size_t gotlen = 0;
	int r;

	if (s == NULL || offer == NULL ||
	    (s->state != SCRAM_ST_FINAL && s->state != SCRAM_ST_DONE))
		return WARD_ERR_INVAL;
	if (s->ssdp == NULL)
		return WARD_ERR_NOTFOUND;
	md = scram_md(s->hash);
	if (EVP_Digest(offer, len, want, &wantlen, md, NULL) != 1)
		return WARD_ERR_CRYPTO;
	if ((r = base64_decode(s->ssdp, strlen(s->ssdp), &got, &gotlen)) !=
	    WARD_OK)
		return r == WARD_ERR_NOMEM ? r : WARD_ERR_PROTO;
	r = WARD_ERR_AUTH;
	if (gotlen == wantlen && CRYPTO_memcmp(got, want, gotlen) == 0)
		r = WARD_OK;
	free(got);
	return r;
}

int
scram_verified(const struct scram *s)
{
	return s != NULL && s->state == SCRAM_ST_DONE;
}

int
scram_choose(const char *const *offered, size_t n, int allow_plus,
	     enum scram_hash *hash, int *plus)
{
	/* Preference order; see scram.h for why any -PLUS comes first. */
	static const struct {
		enum scram_hash hash;
		int plus;
	} order[] = {
	    {SCRAM_SHA512, 1}, {SCRAM_SHA256, 1}, {SCRAM_SHA1, 1},
	    {SCRAM_SHA512, 0}, {SCRAM_SHA256, 0}, {SCRAM_SHA1, 0},
	};
	size_t i, j;
	const char *name;

	if (hash == NULL || plus == NULL || (offered == NULL && n != 0))
		return WARD_ERR_INVAL;
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (order[i].plus && !allow_plus)
			continue;
		name = scram_mech_name(order[i].hash, order[i].plus);
		for (j = 0; j < n; j++) {
			if (offered[j] != NULL &&
			    strcmp(offered[j], name) == 0) {
				*hash = order[i].hash;
				*plus = order[i].plus;
				return WARD_OK;
			}
		}
	}
	return WARD_ERR_NOTFOUND;
}

void
scram_free(struct scram *s)
{
	if (s == NULL)
		return;
	if (s->password != NULL) {
		explicit_bzero(s->password, s->password_len);
		free(s->password);
	}
	if (s->cbdata != NULL) {
		explicit_bzero(s->cbdata, s->cblen);
		free(s->cbdata);
	}
	free(s->username);
	free(s->gs2_header);
	free(s->nonce);
	free(s->first_bare);
	free(s->ssdp);
	explicit_bzero(s, sizeof(*s));
	free(s);
}
