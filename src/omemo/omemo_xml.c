/*
 * omemo_xml.c: parsing and building OMEMO 0.3's XML (see omemo_xml.h):
 * <encrypted/>, device lists and bundles. Every length is checked before a
 * byte is decoded, and nothing a peer sends can make an id, a key or a
 * count go out of range.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "omemo_xml.h"
#include "stanza.h"
#include "ward.h"

/* The text of element E (all its text children), or NULL; caller frees
 * with xmpp_free. */
static char *
ox_text(xmpp_stanza_t *e)
{
	return e != NULL ? xmpp_stanza_get_text(e) : NULL;
}

static int
ox_is(xmpp_stanza_t *e, const char *name)
{
	const char *ns;

	if (!xmpp_stanza_is_tag(e) || strcmp(xmpp_stanza_get_name(e), name))
		return 0;
	ns = xmpp_stanza_get_ns(e);
	return ns == NULL || strcmp(ns, OMEMO_XML_NS) == 0;
}

/* The first child element called NAME in the OMEMO namespace. */
static xmpp_stanza_t *
ox_child(xmpp_stanza_t *parent, const char *name)
{
	xmpp_stanza_t *c;

	for (c = xmpp_stanza_get_children(parent); c != NULL;
	     c = xmpp_stanza_get_next(c))
		if (ox_is(c, name))
			return c;
	return NULL;
}

int
omemo_xml_parse_id(const char *s, uint32_t *out)
{
	uint64_t v = 0;
	size_t i;

	*out = 0;
	if (s == NULL || *s == '\0' || strlen(s) > 10)
		return WARD_ERR_PARSE;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9')
			return WARD_ERR_PARSE;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v == 0 || v > OMEMO_XML_DEVICE_MAX)
		return WARD_ERR_PARSE;
	*out = (uint32_t)v;
	return WARD_OK;
}

static int
ox_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int
omemo_xml_b64(const char *text, size_t max, uint8_t **out, size_t *len)
{
	unsigned char *dec = NULL;
	size_t i, n = 0, declen = 0;
	char *clean;
	int r;

	*out = NULL;
	*len = 0;
	if (text == NULL)
		return WARD_ERR_PARSE;
	for (i = 0; text[i] != '\0'; i++)
		n += !ox_space(text[i]);
	if (n / 4 > max / 3 + 1) /* 4 characters per 3 bytes */
		return WARD_ERR_LIMIT;
	if ((clean = malloc(n + 1)) == NULL)
		return WARD_ERR_NOMEM;
	for (i = n = 0; text[i] != '\0'; i++)
		if (!ox_space(text[i]))
			clean[n++] = text[i];
	clean[n] = '\0';
	r = base64_decode(clean, n, &dec, &declen);
	free(clean);
	if (r != WARD_OK)
		return r == WARD_ERR_NOMEM ? r : WARD_ERR_PARSE;
	if (declen > max) {
		free(dec);
		return WARD_ERR_LIMIT;
	}
	*out = dec;
	*len = declen;
	return WARD_OK;
}

/* Decodes the text of E into *out (at most MAX bytes). */
static int
ox_b64_elem(xmpp_stanza_t *e, size_t max, uint8_t **out, size_t *len)
{
	char *t = ox_text(e);
	int r;

	*out = NULL;
	*len = 0;
	if (t == NULL)
		return WARD_ERR_PARSE;
	r = omemo_xml_b64(t, max, out, len);
	xmpp_free(xmpp_stanza_get_context(e), t);
	return r;
}

/* Decodes E's text into exactly LEN bytes at DST. */
static int
ox_b64_fixed(xmpp_stanza_t *e, uint8_t *dst, size_t want)
{
	uint8_t *buf;
	size_t len;
	int r;

	if ((r = ox_b64_elem(e, want, &buf, &len)) != WARD_OK)
		return r == WARD_ERR_NOMEM ? r : WARD_ERR_PARSE;
	if (len != want) {
		free(buf);
		return WARD_ERR_PARSE;
	}
	memcpy(dst, buf, want);
	free(buf);
	return WARD_OK;
}

/* Adds <name [attr=val]>base64(data)</name> to parent; returns it
 * (borrowed from parent) or NULL when out of memory. */
static xmpp_stanza_t *
ox_add_b64(xmpp_stanza_t *parent, const char *name, const char *attr,
	   const char *val, const uint8_t *data, size_t len)
{
	xmpp_ctx_t *ctx = xmpp_stanza_get_context(parent);
	xmpp_stanza_t *e, *t;
	char *b64 = base64_encode(data, len);

	if (b64 == NULL)
		return NULL;
	e = stanza_elem(ctx, name, NULL);
	if (attr != NULL)
		xmpp_stanza_set_attribute(e, attr, val);
	t = xmpp_stanza_new(ctx);
	xmpp_stanza_set_text(t, b64);
	free(b64);
	stanza_adopt(e, t);
	stanza_adopt(parent, e);
	return e;
}

/* ---- <encrypted/> ---- */

void
omemo_xml_enc_clear(struct omemo_xml_enc *e)
{
	free(e->iv);
	free(e->key);
	free(e->payload);
	memset(e, 0, sizeof(*e));
}

static int
ox_prekey_attr(xmpp_stanza_t *key)
{
	const char *p = xmpp_stanza_get_attribute(key, "prekey");

	return p != NULL && (strcmp(p, "true") == 0 || strcmp(p, "1") == 0);
}

/* The header's <key/> elements: counts them and takes the one for RID. */
static int
ox_parse_keys(xmpp_stanza_t *header, uint32_t rid, struct omemo_xml_enc *out)
{
	xmpp_stanza_t *k;
	uint32_t krid;
	int r;

	for (k = xmpp_stanza_get_children(header); k != NULL;
	     k = xmpp_stanza_get_next(k)) {
		if (!ox_is(k, "key"))
			continue;
		if (++out->n_keys > OMEMO_XML_MAX_KEYS)
			return WARD_ERR_LIMIT;
		if (omemo_xml_parse_id(xmpp_stanza_get_attribute(k, "rid"),
				       &krid) != WARD_OK)
			return WARD_ERR_PARSE;
		/* a second key for our device: profanity 0.15 encrypts a
		 * room message once per time a JID is listed (occupant and
		 * member), the later key a later ratchet step; the first is
		 * taken and the ratchet authenticates it */
		if (krid != rid || out->key != NULL)
			continue;
		r = ox_b64_elem(k, OMEMO_XML_MAX_KEY_LEN, &out->key,
				&out->key_len);
		if (r != WARD_OK)
			return r;
		if (out->key_len == 0)
			return WARD_ERR_PARSE;
		out->prekey = ox_prekey_attr(k);
	}
	return WARD_OK;
}

int
omemo_xml_parse_encrypted(xmpp_stanza_t *enc, uint32_t rid,
			  struct omemo_xml_enc *out)
{
	xmpp_stanza_t *header, *iv, *payload;
	int r;

	memset(out, 0, sizeof(*out));
	if (enc == NULL || !ox_is(enc, "encrypted") ||
	    xmpp_stanza_get_ns(enc) == NULL)
		return WARD_ERR_PARSE;
	if ((header = ox_child(enc, "header")) == NULL)
		return WARD_ERR_PARSE;
	if (omemo_xml_parse_id(xmpp_stanza_get_attribute(header, "sid"),
			       &out->sid) != WARD_OK)
		return WARD_ERR_PARSE;
	if ((iv = ox_child(header, "iv")) == NULL)
		return WARD_ERR_PARSE;
	if ((r = ox_b64_elem(iv, 16, &out->iv, &out->iv_len)) != WARD_OK)
		return r == WARD_ERR_NOMEM ? r : WARD_ERR_PARSE;
	if (out->iv_len != 12 && out->iv_len != 16)
		return WARD_ERR_PARSE;
	if ((r = ox_parse_keys(header, rid, out)) != WARD_OK)
		return r;
	if (out->n_keys == 0)
		return WARD_ERR_PARSE;
	if ((payload = ox_child(enc, "payload")) != NULL) {
		r = ox_b64_elem(payload, OMEMO_XML_MAX_PAYLOAD, &out->payload,
				&out->payload_len);
		if (r != WARD_OK)
			return r;
		if (out->payload_len == 0)
			return WARD_ERR_PARSE;
	}
	return WARD_OK;
}

xmpp_stanza_t *
omemo_xml_build_encrypted(xmpp_ctx_t *ctx, const struct omemo_message *m)
{
	xmpp_stanza_t *enc, *header, *k;
	char num[16];
	size_t i;
	int ok = 1;

	enc = stanza_elem(ctx, "encrypted", OMEMO_XML_NS);
	header = stanza_elem(ctx, "header", NULL);
	snprintf(num, sizeof(num), "%u", m->sid);
	xmpp_stanza_set_attribute(header, "sid", num);
	for (i = 0; i < m->n_keys && ok; i++) {
		snprintf(num, sizeof(num), "%u", m->keys[i].device);
		k = ox_add_b64(header, "key", "rid", num, m->keys[i].data,
			       m->keys[i].len);
		if (k != NULL && m->keys[i].prekey)
			xmpp_stanza_set_attribute(k, "prekey", "true");
		ok = k != NULL;
	}
	ok = ok && ox_add_b64(header, "iv", NULL, NULL, m->iv, OMEMO_IV_LEN);
	stanza_adopt(enc, header);
	if (ok && m->payload != NULL)
		ok = ox_add_b64(enc, "payload", NULL, NULL, m->payload,
				m->payload_len) != NULL;
	if (!ok) {
		xmpp_stanza_release(enc);
		return NULL;
	}
	return enc;
}

void
omemo_xml_add_markers(xmpp_stanza_t *msg, const char *body)
{
	xmpp_ctx_t *ctx = xmpp_stanza_get_context(msg);
	xmpp_stanza_t *e;

	e = stanza_elem(ctx, "encryption", OMEMO_XML_NS_EME);
	xmpp_stanza_set_attribute(e, "namespace", OMEMO_XML_NS);
	xmpp_stanza_set_attribute(e, "name", "OMEMO");
	stanza_adopt(msg, e);
	stanza_adopt(msg, stanza_elem(ctx, "store", OMEMO_XML_NS_HINTS));
	if (body != NULL)
		stanza_add_text_child(msg, "body", body);
}

/* ---- device lists ---- */

static int
ox_cmp_id(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

int
omemo_xml_parse_devicelist(xmpp_stanza_t *list, uint32_t **ids, size_t *n)
{
	uint32_t buf[OMEMO_XML_MAX_DEVICES + 1], id;
	xmpp_stanza_t *d;
	size_t count = 0, i, j;

	*ids = NULL;
	*n = 0;
	if (list == NULL || !ox_is(list, "list") ||
	    xmpp_stanza_get_ns(list) == NULL)
		return WARD_ERR_PARSE;
	for (d = xmpp_stanza_get_children(list); d != NULL;
	     d = xmpp_stanza_get_next(d)) {
		if (!ox_is(d, "device") ||
		    omemo_xml_parse_id(xmpp_stanza_get_attribute(d, "id"),
				       &id) != WARD_OK)
			continue;
		for (i = 0; i < count && buf[i] != id; i++)
			;
		if (i < count)
			continue; /* a duplicate */
		if (count == OMEMO_XML_MAX_DEVICES)
			return WARD_ERR_LIMIT;
		buf[count++] = id;
	}
	if (count == 0)
		return WARD_OK;
	qsort(buf, count, sizeof(buf[0]), ox_cmp_id);
	for (i = j = 0; i < count; i++) /* sorted: drop repeats */
		if (j == 0 || buf[j - 1] != buf[i])
			buf[j++] = buf[i];
	*ids = malloc(j * sizeof(**ids));
	if (*ids == NULL)
		return WARD_ERR_NOMEM;
	memcpy(*ids, buf, j * sizeof(**ids));
	*n = j;
	return WARD_OK;
}

xmpp_stanza_t *
omemo_xml_build_devicelist(xmpp_ctx_t *ctx, const uint32_t *ids, size_t n)
{
	xmpp_stanza_t *list = stanza_elem(ctx, "list", OMEMO_XML_NS), *d;
	char num[16];
	size_t i;

	for (i = 0; i < n; i++) {
		d = stanza_elem(ctx, "device", NULL);
		snprintf(num, sizeof(num), "%u", ids[i]);
		xmpp_stanza_set_attribute(d, "id", num);
		stanza_adopt(list, d);
	}
	return list;
}

/* ---- bundles ---- */

/* A serialised Curve25519 public key: type byte 0x05, then 32 bytes. */
static int
ox_pubkey(xmpp_stanza_t *e, uint8_t *dst)
{
	if (e == NULL || ox_b64_fixed(e, dst, OMEMO_KEY_PUB_LEN) != WARD_OK ||
	    dst[0] != 0x05)
		return WARD_ERR_PARSE;
	return WARD_OK;
}

int
omemo_xml_parse_bundle(xmpp_stanza_t *bundle, struct omemo_bundle *out)
{
	xmpp_stanza_t *spk, *sig, *prekeys, *p;
	struct omemo_prekey_pub *pk;
	const char *spk_id;

	memset(out, 0, sizeof(*out));
	if (bundle == NULL || !ox_is(bundle, "bundle") ||
	    xmpp_stanza_get_ns(bundle) == NULL)
		return WARD_ERR_PARSE;
	spk = ox_child(bundle, "signedPreKeyPublic");
	sig = ox_child(bundle, "signedPreKeySignature");
	prekeys = ox_child(bundle, "prekeys");
	if (ox_pubkey(ox_child(bundle, "identityKey"), out->identity_key) ||
	    ox_pubkey(spk, out->signed_prekey) || sig == NULL ||
	    ox_b64_fixed(sig, out->signed_prekey_sig, OMEMO_SIG_LEN) ||
	    prekeys == NULL)
		goto bad;
	/* libsignal numbers signed prekeys from 0 */
	spk_id = xmpp_stanza_get_attribute(spk, "signedPreKeyId");
	if (spk_id == NULL ||
	    (strcmp(spk_id, "0") != 0 &&
	     omemo_xml_parse_id(spk_id, &out->signed_prekey_id) != WARD_OK))
		goto bad;
	for (p = xmpp_stanza_get_children(prekeys);
	     p != NULL && out->n_prekeys < OMEMO_PREKEYS;
	     p = xmpp_stanza_get_next(p)) {
		if (!ox_is(p, "preKeyPublic"))
			continue;
		pk = &out->prekeys[out->n_prekeys];
		if (omemo_xml_parse_id(xmpp_stanza_get_attribute(p, "preKeyId"),
				       &pk->id) != WARD_OK ||
		    ox_pubkey(p, pk->pub) != WARD_OK) {
			memset(pk, 0, sizeof(*pk)); /* no trace of a bad one */
			continue;
		}
		out->n_prekeys++;
	}
	if (out->n_prekeys == 0)
		goto bad;
	return WARD_OK;
bad:
	memset(out, 0, sizeof(*out));
	return WARD_ERR_PARSE;
}

xmpp_stanza_t *
omemo_xml_build_bundle(xmpp_ctx_t *ctx, const struct omemo_bundle *b)
{
	xmpp_stanza_t *bundle = stanza_elem(ctx, "bundle", OMEMO_XML_NS);
	xmpp_stanza_t *prekeys;
	char num[16];
	size_t i;
	int ok;

	snprintf(num, sizeof(num), "%u", b->signed_prekey_id);
	ok = ox_add_b64(bundle, "signedPreKeyPublic", "signedPreKeyId", num,
			b->signed_prekey, OMEMO_KEY_PUB_LEN) != NULL;
	ok = ok && ox_add_b64(bundle, "signedPreKeySignature", NULL, NULL,
			      b->signed_prekey_sig, OMEMO_SIG_LEN);
	ok = ok && ox_add_b64(bundle, "identityKey", NULL, NULL,
			      b->identity_key, OMEMO_KEY_PUB_LEN);
	prekeys = stanza_elem(ctx, "prekeys", NULL);
	for (i = 0; i < b->n_prekeys && i < OMEMO_PREKEYS && ok; i++) {
		snprintf(num, sizeof(num), "%u", b->prekeys[i].id);
		ok = ox_add_b64(prekeys, "preKeyPublic", "preKeyId", num,
				b->prekeys[i].pub, OMEMO_KEY_PUB_LEN) != NULL;
	}
	stanza_adopt(bundle, prekeys);
	if (!ok) {
		xmpp_stanza_release(bundle);
		return NULL;
	}
	return bundle;
}
