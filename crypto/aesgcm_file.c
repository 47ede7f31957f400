/*
 * aesgcm_file.c: XEP-0454 file encryption (AES-256-GCM, streamed with
 * OpenSSL's EVP interface) and the aesgcm:// link format.
 */
#include "aesgcm_file.h"

#include <errno.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ward.h"

#define AESGCM_TAG 16
#define AESGCM_CHUNK 65536

int
aesgcm_link_parse(const char *link, char **https, struct aesgcm_key *k)
{
	const char *hash, *hex;
	unsigned char raw[48];
	size_t n, i, ivlen;

	*https = NULL;
	if (strncasecmp(link, "aesgcm://", 9) != 0 ||
	    (hash = strchr(link, '#')) == NULL)
		return WARD_ERR_INVAL;
	hex = hash + 1;
	n = strlen(hex);
	if (n == 88)
		ivlen = 12;
	else if (n == 96)
		ivlen = 16;
	else
		return WARD_ERR_INVAL;
	for (i = 0; i < n / 2; i++) {
		int hi = hex_digit((unsigned char)hex[2 * i]);
		int lo = hex_digit((unsigned char)hex[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			explicit_bzero(raw, sizeof(raw));
			return WARD_ERR_INVAL;
		}
		raw[i] = (unsigned char)(hi * 16 + lo);
	}
	if (k != NULL) {
		memset(k, 0, sizeof(*k));
		k->ivlen = ivlen;
		memcpy(k->iv, raw, ivlen);
		memcpy(k->key, raw + ivlen, 32);
	}
	explicit_bzero(raw, sizeof(raw));
	xasprintf(https, "https://%.*s", (int)(hash - (link + 9)), link + 9);
	return WARD_OK;
}

char *
aesgcm_link_make(const char *https, const struct aesgcm_key *k)
{
	char hex[2 * 48 + 1], *s;
	size_t i, o = 0;

	for (i = 0; i < k->ivlen; i++, o += 2)
		snprintf(hex + o, 3, "%02x", k->iv[i]);
	for (i = 0; i < 32; i++, o += 2)
		snprintf(hex + o, 3, "%02x", k->key[i]);
	xasprintf(&s, "aesgcm://%s#%s", https + strlen("https://"), hex);
	explicit_bzero(hex, sizeof(hex));
	return s;
}

int
aesgcm_key_new(struct aesgcm_key *k)
{
	memset(k, 0, sizeof(*k));
	k->ivlen = 12;
	if (RAND_bytes(k->iv, 12) != 1 || RAND_bytes(k->key, 32) != 1)
		return WARD_ERR_CRYPTO;
	return WARD_OK;
}

static int
write_all(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static ssize_t
read_some(int fd, unsigned char *p, size_t n)
{
	ssize_t r;

	do
		r = read(fd, p, n);
	while (r < 0 && errno == EINTR);
	return r;
}

static EVP_CIPHER_CTX *
aesgcm_ctx(const struct aesgcm_key *k, int enc)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();

	if (c == NULL)
		return NULL;
	if (EVP_CipherInit_ex(c, EVP_aes_256_gcm(), NULL, NULL, NULL, enc) !=
		1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, (int)k->ivlen,
				NULL) != 1 ||
	    EVP_CipherInit_ex(c, NULL, NULL, k->key, k->iv, enc) != 1) {
		EVP_CIPHER_CTX_free(c);
		return NULL;
	}
	return c;
}

int
aesgcm_decrypt_fd(int in, int out, const struct aesgcm_key *k, const char **why)
{
	unsigned char buf[AESGCM_CHUNK], obuf[AESGCM_CHUNK + 32];
	unsigned char tag[AESGCM_TAG];
	EVP_CIPHER_CTX *c;
	struct stat st;
	off_t pos, end, left;
	int olen, rc = WARD_ERR_CRYPTO;

	*why = "cannot read the downloaded file";
	if (fstat(in, &st) != 0 || (pos = lseek(in, 0, SEEK_CUR)) < 0)
		return WARD_ERR_IO;
	end = st.st_size;
	if (end - pos < AESGCM_TAG) {
		*why = "the encrypted file is too short";
		return WARD_ERR_CRYPTO;
	}
	left = end - pos - AESGCM_TAG;
	if ((c = aesgcm_ctx(k, 0)) == NULL) {
		*why = "cannot set up AES-GCM";
		return WARD_ERR_CRYPTO;
	}
	while (left > 0) {
		size_t want =
		    left < (off_t)sizeof(buf) ? (size_t)left : sizeof(buf);
		ssize_t r = read_some(in, buf, want);
		if (r <= 0)
			goto out;
		if (EVP_DecryptUpdate(c, obuf, &olen, buf, (int)r) != 1 ||
		    write_all(out, obuf, (size_t)olen) != 0)
			goto out;
		left -= r;
	}
	if (read_some(in, tag, AESGCM_TAG) != AESGCM_TAG)
		goto out;
	*why = "the file does not decrypt with its key (altered or wrong "
	       "key)";
	if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, AESGCM_TAG, tag) !=
		1 ||
	    EVP_DecryptFinal_ex(c, obuf, &olen) != 1)
		goto out;
	*why = NULL;
	rc = WARD_OK;
out:
	explicit_bzero(obuf, sizeof(obuf));
	EVP_CIPHER_CTX_free(c);
	return rc;
}

int
aesgcm_encrypt_fd(int in, int out, const struct aesgcm_key *k, const char **why)
{
	unsigned char buf[AESGCM_CHUNK], obuf[AESGCM_CHUNK + 32];
	unsigned char tag[AESGCM_TAG];
	EVP_CIPHER_CTX *c;
	ssize_t r;
	int olen, rc = WARD_ERR_CRYPTO;

	*why = "cannot encrypt the file";
	if ((c = aesgcm_ctx(k, 1)) == NULL)
		return WARD_ERR_CRYPTO;
	while ((r = read_some(in, buf, sizeof(buf))) > 0)
		if (EVP_EncryptUpdate(c, obuf, &olen, buf, (int)r) != 1 ||
		    write_all(out, obuf, (size_t)olen) != 0)
			goto out;
	if (r < 0 || EVP_EncryptFinal_ex(c, obuf, &olen) != 1 ||
	    write_all(out, obuf, (size_t)olen) != 0 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, AESGCM_TAG, tag) !=
		1 ||
	    write_all(out, tag, AESGCM_TAG) != 0)
		goto out;
	*why = NULL;
	rc = WARD_OK;
out:
	explicit_bzero(buf, sizeof(buf));
	EVP_CIPHER_CTX_free(c);
	return rc;
}
