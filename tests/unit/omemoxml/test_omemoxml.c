/*
 * test_omemoxml.c: unit tests for OMEMO's wire format (src/omemo/omemo_xml.c):
 * <encrypted/>, device lists and bundles built, serialised, parsed back
 * through ward's own stream parser, and hostile variants of each.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <strophe.h>

#include "base64.h"
#include "omemo_xml.h"
#include "ward.h"
#include "xmlstream.h"

#define HDR                                                                    \
	"<stream:stream xmlns='jabber:client' "                                \
	"xmlns:stream='http://etherx.jabber.org/streams' id='s1' "             \
	"from='example.test' version='1.0'>"
#define NS "eu.siacs.conversations.axolotl"

static xmpp_ctx_t *ctx;

static void
keep_stanza(void *arg, xmpp_stanza_t *st)
{
	xmpp_stanza_t **out = arg;

	if (*out == NULL)
		*out = xmpp_stanza_copy(st);
}

/* Parses XML (one top-level element) as ward's stream would receive it. */
static xmpp_stanza_t *
parse(const char *xml)
{
	struct xmlstream_cbs cbs = {.stanza = keep_stanza};
	xmpp_stanza_t *st = NULL;
	struct xmlstream *xs = xmlstream_new(ctx, &cbs, &st);

	assert_non_null(xs);
	assert_int_equal(xmlstream_feed(xs, HDR, strlen(HDR)), WARD_OK);
	assert_int_equal(xmlstream_feed(xs, xml, strlen(xml)), WARD_OK);
	xmlstream_free(xs);
	assert_non_null(st);
	return st;
}

/* Serialises a built element and parses it back (a trip over the wire). */
static xmpp_stanza_t *
wire(xmpp_stanza_t *built)
{
	xmpp_stanza_t *back;
	char *buf;
	size_t len;

	assert_int_equal(xmpp_stanza_to_text(built, &buf, &len), 0);
	back = parse(buf);
	xmpp_free(ctx, buf);
	return back;
}

static char *
b64(const void *data, size_t len)
{
	char *s = base64_encode(data, len);

	assert_non_null(s);
	return s;
}

/* An <encrypted/> with the given header content and payload (or none). */
static xmpp_stanza_t *
enc_xml(const char *header_attrs, const char *header_body, const char *payload)
{
	size_t n = strlen(header_body) + (payload ? strlen(payload) : 0) + 256;
	char *xml = malloc(n);
	xmpp_stanza_t *st;

	assert_non_null(xml);
	snprintf(xml, n,
		 "<encrypted xmlns='" NS "'><header %s>%s</header>%s%s%s"
		 "</encrypted>",
		 header_attrs, header_body, payload ? "<payload>" : "",
		 payload ? payload : "", payload ? "</payload>" : "");
	st = parse(xml);
	free(xml);
	return st;
}

#define IV12 "AAECAwQFBgcICQoL"                              /* 12 bytes */
#define KEY32 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=" /* 32 bytes */

static int
parse_enc(const char *attrs, const char *body, const char *payload,
	  uint32_t rid, struct omemo_xml_enc *out)
{
	xmpp_stanza_t *st = enc_xml(attrs, body, payload);
	int r = omemo_xml_parse_encrypted(st, rid, out);

	xmpp_stanza_release(st);
	return r;
}

/* ---- ids and base64 ---- */

static void
test_ids(void **state)
{
	static const char *const bad[] = {
	    "0",    "2147483648", "4294967296",  "-5", "+5",
	    "",     "abc",        "12345678901", " 5", "5 ",
	    "0x10", "1e3",        "99999999999",
	};
	uint32_t id = 7;
	size_t i;

	(void)state;
	assert_int_equal(omemo_xml_parse_id("1", &id), WARD_OK);
	assert_int_equal(id, 1);
	assert_int_equal(omemo_xml_parse_id("2147483647", &id), WARD_OK);
	assert_int_equal(id, 2147483647u);
	assert_int_equal(omemo_xml_parse_id("0042", &id), WARD_OK);
	assert_int_equal(id, 42);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(omemo_xml_parse_id(bad[i], &id),
				 WARD_ERR_PARSE);
		assert_int_equal(id, 0);
	}
	assert_int_equal(omemo_xml_parse_id(NULL, &id), WARD_ERR_PARSE);
}

static void
test_b64(void **state)
{
	uint8_t *out;
	size_t len;

	(void)state;
	/* line breaks as Android's encoder writes them */
	assert_int_equal(
	    omemo_xml_b64("AAEC\nAwQF\r\n BgcI\tCQoL\n", 64, &out, &len),
	    WARD_OK);
	assert_int_equal(len, 12);
	assert_int_equal(out[11], 11);
	free(out);
	assert_int_equal(omemo_xml_b64("AAECAwQ", 64, &out, &len),
			 WARD_ERR_PARSE); /* unpadded */
	assert_null(out);
	assert_int_equal(omemo_xml_b64("AA*CAwQF", 64, &out, &len),
			 WARD_ERR_PARSE);
	assert_int_equal(omemo_xml_b64("AAECAwQF", 5, &out, &len),
			 WARD_ERR_LIMIT);
	assert_int_equal(omemo_xml_b64(NULL, 5, &out, &len), WARD_ERR_PARSE);
	assert_int_equal(omemo_xml_b64("", 5, &out, &len), WARD_OK);
	assert_int_equal(len, 0);
	free(out);
}

/* ---- <encrypted/> ---- */

static void
test_encrypted_roundtrip(void **state)
{
	uint8_t k1[32], k2[70], payload[300];
	struct omemo_key keys[2] = {
	    {.jid = "bob@example.test",
	     .device = 31415,
	     .prekey = false,
	     .data = k1,
	     .len = sizeof(k1)},
	    {.jid = "bob@example.test",
	     .device = 12321,
	     .prekey = true,
	     .data = k2,
	     .len = sizeof(k2)},
	};
	struct omemo_message m = {.sid = 27183,
				  .payload = payload,
				  .payload_len = sizeof(payload),
				  .keys = keys,
				  .n_keys = 2};
	struct omemo_xml_enc e;
	xmpp_stanza_t *built, *back;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(k1); i++)
		k1[i] = (uint8_t)i;
	for (i = 0; i < sizeof(k2); i++)
		k2[i] = (uint8_t)(200 - i);
	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 7);
	for (i = 0; i < OMEMO_IV_LEN; i++)
		m.iv[i] = (uint8_t)(0xa0 + i);
	built = omemo_xml_build_encrypted(ctx, &m);
	assert_non_null(built);
	back = wire(built);
	xmpp_stanza_release(built);
	assert_string_equal(xmpp_stanza_get_ns(back), NS);

	assert_int_equal(omemo_xml_parse_encrypted(back, 12321, &e), WARD_OK);
	assert_int_equal(e.sid, 27183);
	assert_int_equal(e.n_keys, 2);
	assert_int_equal(e.iv_len, OMEMO_IV_LEN);
	assert_memory_equal(e.iv, m.iv, OMEMO_IV_LEN);
	assert_int_equal(e.key_len, sizeof(k2));
	assert_memory_equal(e.key, k2, sizeof(k2));
	assert_true(e.prekey);
	assert_int_equal(e.payload_len, sizeof(payload));
	assert_memory_equal(e.payload, payload, sizeof(payload));
	omemo_xml_enc_clear(&e);

	assert_int_equal(omemo_xml_parse_encrypted(back, 31415, &e), WARD_OK);
	assert_false(e.prekey);
	assert_memory_equal(e.key, k1, sizeof(k1));
	omemo_xml_enc_clear(&e);

	/* not for us: parsed, but no key */
	assert_int_equal(omemo_xml_parse_encrypted(back, 999, &e), WARD_OK);
	assert_null(e.key);
	assert_int_equal(e.n_keys, 2);
	omemo_xml_enc_clear(&e);
	xmpp_stanza_release(back);

	/* a key-transport message has no payload */
	m.payload = NULL;
	m.payload_len = 0;
	built = omemo_xml_build_encrypted(ctx, &m);
	back = wire(built);
	xmpp_stanza_release(built);
	assert_int_equal(omemo_xml_parse_encrypted(back, 31415, &e), WARD_OK);
	assert_null(e.payload);
	assert_non_null(e.key);
	omemo_xml_enc_clear(&e);
	xmpp_stanza_release(back);
}

/* What other clients send: prekey="1", 16-byte IVs, line breaks. */
static void
test_encrypted_variants(void **state)
{
	struct omemo_xml_enc e;

	(void)state;
	assert_int_equal(parse_enc("sid='5'",
				   "<key prekey='1' rid='7'>" KEY32 "</key>"
				   "<iv>AAECAwQFBgcICQoLDA0ODw==</iv>",
				   "AAEC\nAwQF", 7, &e),
			 WARD_OK);
	assert_true(e.prekey);
	assert_int_equal(e.iv_len, 16);
	assert_int_equal(e.payload_len, 6);
	omemo_xml_enc_clear(&e);
	/* a key for another device with prekey="false", ours plain */
	assert_int_equal(parse_enc("sid='5'",
				   "<key rid='8' prekey='false'>" KEY32
				   "</key><key rid='7'>" KEY32 "</key>"
				   "<iv>" IV12 "</iv>",
				   NULL, 7, &e),
			 WARD_OK);
	assert_false(e.prekey);
	assert_int_equal(e.key_len, 32);
	omemo_xml_enc_clear(&e);
	/* two keys for our device (profanity 0.15 in a room: a JID both
	 * occupant and member): the first is taken, the second ignored */
	assert_int_equal(parse_enc("sid='5'",
				   "<key rid='7'>" KEY32 "</key>"
				   "<key rid='7' prekey='true'>AAEC</key>"
				   "<iv>" IV12 "</iv>",
				   NULL, 7, &e),
			 WARD_OK);
	assert_false(e.prekey);
	assert_int_equal(e.key_len, 32);
	assert_int_equal(e.n_keys, 2);
	omemo_xml_enc_clear(&e);
}

static void
test_encrypted_hostile(void **state)
{
	static const struct {
		const char *attrs, *body, *payload;
		int want;
	} cases[] = {
	    /* sender device id */
	    {"", "<key rid='7'>" KEY32 "</key><iv>" IV12 "</iv>", NULL,
	     WARD_ERR_PARSE},
	    {"sid='-5'", "<key rid='7'>" KEY32 "</key><iv>" IV12 "</iv>", NULL,
	     WARD_ERR_PARSE},
	    {"sid='0'", "<key rid='7'>" KEY32 "</key><iv>" IV12 "</iv>", NULL,
	     WARD_ERR_PARSE},
	    {"sid='4294967297'",
	     "<key rid='7'>" KEY32 "</key><iv>" IV12 "</iv>", NULL,
	     WARD_ERR_PARSE},
	    /* iv */
	    {"sid='5'", "<key rid='7'>" KEY32 "</key>", NULL, WARD_ERR_PARSE},
	    {"sid='5'", "<key rid='7'>" KEY32 "</key><iv>AAECAwQFBgc=</iv>",
	     NULL, WARD_ERR_PARSE}, /* 8 bytes */
	    {"sid='5'", "<key rid='7'>" KEY32 "</key><iv>" KEY32 "</iv>", NULL,
	     WARD_ERR_PARSE}, /* 32 bytes */
	    {"sid='5'", "<key rid='7'>" KEY32 "</key><iv>!!!!</iv>", NULL,
	     WARD_ERR_PARSE},
	    /* keys */
	    {"sid='5'", "<iv>" IV12 "</iv>", "AAEC", WARD_ERR_PARSE},
	    {"sid='5'", "<key>" KEY32 "</key><iv>" IV12 "</iv>", NULL,
	     WARD_ERR_PARSE},
	    {"sid='5'", "<key rid='x'>" KEY32 "</key><iv>" IV12 "</iv>", NULL,
	     WARD_ERR_PARSE},
	    {"sid='5'", "<key rid='7'>not*base64</key><iv>" IV12 "</iv>", NULL,
	     WARD_ERR_PARSE},
	    {"sid='5'", "<key rid='7'></key><iv>" IV12 "</iv>", NULL,
	     WARD_ERR_PARSE},
	    /* payload */
	    {"sid='5'", "<key rid='7'>" KEY32 "</key><iv>" IV12 "</iv>", "",
	     WARD_ERR_PARSE},
	    {"sid='5'", "<key rid='7'>" KEY32 "</key><iv>" IV12 "</iv>",
	     "A=B=", WARD_ERR_PARSE},
	};
	struct omemo_xml_enc e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = parse_enc(cases[i].attrs, cases[i].body,
				  cases[i].payload, 7, &e);
		if (r != cases[i].want)
			fail_msg("case %zu: got %d, want %d", i, r,
				 cases[i].want);
		omemo_xml_enc_clear(&e);
	}
	/* wrong element or namespace */
	xmpp_stanza_t *st = parse("<encrypted xmlns='urn:xmpp:omemo:2'>"
				  "<header sid='5'><key rid='7'>" KEY32
				  "</key><iv>" IV12 "</iv></header>"
				  "</encrypted>");
	assert_int_equal(omemo_xml_parse_encrypted(st, 7, &e), WARD_ERR_PARSE);
	omemo_xml_enc_clear(&e);
	xmpp_stanza_release(st);
	assert_int_equal(omemo_xml_parse_encrypted(NULL, 7, &e),
			 WARD_ERR_PARSE);
}

/* Too many keys, an oversized key, an oversized payload. */
static void
test_encrypted_limits(void **state)
{
	size_t n = (OMEMO_XML_MAX_KEYS + 1) * 80 + 64, i, off = 0;
	char *body = malloc(n), *big;
	struct omemo_xml_enc e;
	uint8_t *raw;

	(void)state;
	assert_non_null(body);
	for (i = 0; i <= OMEMO_XML_MAX_KEYS; i++)
		off +=
		    (size_t)snprintf(body + off, n - off,
				     "<key rid='%zu'>" KEY32 "</key>", i + 100);
	snprintf(body + off, n - off, "<iv>" IV12 "</iv>");
	assert_int_equal(parse_enc("sid='5'", body, NULL, 7, &e),
			 WARD_ERR_LIMIT);
	omemo_xml_enc_clear(&e);
	free(body);

	raw = calloc(1, OMEMO_XML_MAX_PAYLOAD + 3);
	assert_non_null(raw);
	big = b64(raw, OMEMO_XML_MAX_KEY_LEN + 1);
	n = strlen(big) + 128;
	body = malloc(n);
	snprintf(body, n, "<key rid='7'>%s</key><iv>" IV12 "</iv>", big);
	assert_int_equal(parse_enc("sid='5'", body, NULL, 7, &e),
			 WARD_ERR_LIMIT);
	omemo_xml_enc_clear(&e);
	/* the same key for another device is not even decoded */
	snprintf(body, n, "<key rid='8'>%s</key><iv>" IV12 "</iv>", big);
	assert_int_equal(parse_enc("sid='5'", body, NULL, 7, &e), WARD_OK);
	omemo_xml_enc_clear(&e);
	free(body);
	free(big);

	big = b64(raw, OMEMO_XML_MAX_PAYLOAD + 3);
	assert_int_equal(parse_enc("sid='5'",
				   "<key rid='7'>" KEY32 "</key><iv>" IV12
				   "</iv>",
				   big, 7, &e),
			 WARD_ERR_LIMIT);
	omemo_xml_enc_clear(&e);
	free(big);
	free(raw);
}

static void
test_markers(void **state)
{
	xmpp_stanza_t *m = xmpp_message_new(ctx, "chat", "bob@example.test",
					    "id1"),
		      *back, *eme;

	(void)state;
	omemo_xml_add_markers(m, "[OMEMO]");
	back = wire(m);
	xmpp_stanza_release(m);
	eme = xmpp_stanza_get_child_by_name_and_ns(back, "encryption",
						   "urn:xmpp:eme:0");
	assert_non_null(eme);
	assert_string_equal(xmpp_stanza_get_attribute(eme, "namespace"), NS);
	assert_non_null(xmpp_stanza_get_child_by_name_and_ns(back, "store",
							     "urn:xmpp:hints"));
	assert_non_null(xmpp_stanza_get_child_by_name(back, "body"));
	xmpp_stanza_release(back);
}

/* ---- device lists ---- */

static void
test_devicelist(void **state)
{
	static const uint32_t ids[] = {1, 42, 2147483647u};
	xmpp_stanza_t *built, *back;
	uint32_t *got;
	size_t n;

	(void)state;
	built = omemo_xml_build_devicelist(ctx, ids, 3);
	back = wire(built);
	xmpp_stanza_release(built);
	assert_int_equal(omemo_xml_parse_devicelist(back, &got, &n), WARD_OK);
	assert_int_equal(n, 3);
	assert_memory_equal(got, ids, sizeof(ids));
	free(got);
	xmpp_stanza_release(back);

	/* duplicates once, sorted; bad entries skipped, good ones kept */
	back = parse("<list xmlns='" NS "'><device id='9'/><device id='3'/>"
		     "<device id='9'/><device id='-1'/><device id='0'/>"
		     "<device/><device id='2147483648'/><device id='0009'/>"
		     "<device id='abc'/><other id='5'/><device id='4'/>"
		     "</list>");
	assert_int_equal(omemo_xml_parse_devicelist(back, &got, &n), WARD_OK);
	assert_int_equal(n, 3);
	assert_int_equal(got[0], 3);
	assert_int_equal(got[1], 4);
	assert_int_equal(got[2], 9);
	free(got);
	xmpp_stanza_release(back);

	back = parse("<list xmlns='" NS "'/>");
	assert_int_equal(omemo_xml_parse_devicelist(back, &got, &n), WARD_OK);
	assert_int_equal(n, 0);
	assert_null(got);
	xmpp_stanza_release(back);

	back = parse("<list xmlns='urn:other'><device id='1'/></list>");
	assert_int_equal(omemo_xml_parse_devicelist(back, &got, &n),
			 WARD_ERR_PARSE);
	xmpp_stanza_release(back);
}

static void
test_devicelist_limit(void **state)
{
	size_t cap = (OMEMO_XML_MAX_DEVICES + 2) * 32 + 64, off, i;
	char *xml = malloc(cap);
	xmpp_stanza_t *st;
	uint32_t *got;
	size_t n;

	(void)state;
	/* exactly the limit, plus repeats: fine */
	off = (size_t)snprintf(xml, cap, "<list xmlns='" NS "'>");
	for (i = 1; i <= OMEMO_XML_MAX_DEVICES; i++)
		off += (size_t)snprintf(xml + off, cap - off,
					"<device id='%zu'/>", i);
	snprintf(xml + off, cap - off, "<device id='1'/></list>");
	st = parse(xml);
	assert_int_equal(omemo_xml_parse_devicelist(st, &got, &n), WARD_OK);
	assert_int_equal(n, OMEMO_XML_MAX_DEVICES);
	free(got);
	xmpp_stanza_release(st);
	/* one more: refused as a whole */
	snprintf(xml + off, cap - off, "<device id='999999'/></list>");
	st = parse(xml);
	assert_int_equal(omemo_xml_parse_devicelist(st, &got, &n),
			 WARD_ERR_LIMIT);
	assert_null(got);
	assert_int_equal(n, 0);
	xmpp_stanza_release(st);
	free(xml);
}

/* ---- bundles ---- */

static void
fill_bundle(struct omemo_bundle *b, size_t nprekeys)
{
	size_t i, j;

	memset(b, 0, sizeof(*b));
	b->identity_key[0] = b->signed_prekey[0] = 0x05;
	for (i = 1; i < OMEMO_KEY_PUB_LEN; i++) {
		b->identity_key[i] = (uint8_t)i;
		b->signed_prekey[i] = (uint8_t)(i + 100);
	}
	for (i = 0; i < OMEMO_SIG_LEN; i++)
		b->signed_prekey_sig[i] = (uint8_t)(255 - i);
	b->signed_prekey_id = 3;
	b->n_prekeys = nprekeys;
	for (i = 0; i < nprekeys; i++) {
		b->prekeys[i].id = (uint32_t)(i + 1);
		b->prekeys[i].pub[0] = 0x05;
		for (j = 1; j < OMEMO_KEY_PUB_LEN; j++)
			b->prekeys[i].pub[j] = (uint8_t)(i + j);
	}
}

static void
test_bundle_roundtrip(void **state)
{
	struct omemo_bundle b, got;
	xmpp_stanza_t *built, *back;

	(void)state;
	fill_bundle(&b, OMEMO_PREKEYS);
	built = omemo_xml_build_bundle(ctx, &b);
	assert_non_null(built);
	back = wire(built);
	xmpp_stanza_release(built);
	assert_int_equal(omemo_xml_parse_bundle(back, &got), WARD_OK);
	assert_memory_equal(&got, &b, sizeof(b));
	xmpp_stanza_release(back);
}

/* A bundle as XML, with one part replaced by REPLACE (NULL: as built). */
static int
parse_bundle_with(const char *identity, const char *spk_attrs, const char *sig,
		  const char *prekeys, struct omemo_bundle *out)
{
	char *xml;
	size_t n = strlen(prekeys) + 1024;
	xmpp_stanza_t *st;
	int r;

	xml = malloc(n);
	snprintf(xml, n,
		 "<bundle xmlns='" NS "'><signedPreKeyPublic %s>"
		 "BQECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g"
		 "</signedPreKeyPublic>%s%s%s%s<prekeys>%s</prekeys></bundle>",
		 spk_attrs, sig ? "<signedPreKeySignature>" : "",
		 sig ? sig : "", sig ? "</signedPreKeySignature>" : "",
		 identity, prekeys);
	st = parse(xml);
	free(xml);
	r = omemo_xml_parse_bundle(st, out);
	xmpp_stanza_release(st);
	return r;
}

#define IDK                                                                    \
	"<identityKey>BQECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g"            \
	"</identityKey>"
#define SIG64                                                                  \
	"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEy" \
	"MzQ1Njc4OTo7PD0+Pw=="
#define PK(id)                                                                 \
	"<preKeyPublic preKeyId='" id "'>"                                     \
	"BQECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g</preKeyPublic>"

static void
test_bundle_hostile(void **state)
{
	struct omemo_bundle b;
	size_t cap = 200 * 128, off = 0, i;
	char *many;

	(void)state;
	assert_int_equal(
	    parse_bundle_with(IDK, "signedPreKeyId='1'", SIG64, PK("1"), &b),
	    WARD_OK);
	assert_int_equal(b.n_prekeys, 1);
	assert_int_equal(b.signed_prekey_id, 1);
	assert_int_equal(
	    parse_bundle_with(IDK, "signedPreKeyId='0'", SIG64, PK("1"), &b),
	    WARD_OK);
	/* the signed prekey's id is required and in range */
	assert_int_equal(parse_bundle_with(IDK, "", SIG64, PK("1"), &b),
			 WARD_ERR_PARSE);
	assert_int_equal(
	    parse_bundle_with(IDK, "signedPreKeyId='-1'", SIG64, PK("1"), &b),
	    WARD_ERR_PARSE);
	/* identity key: missing, 32 bytes, wrong type byte */
	assert_int_equal(
	    parse_bundle_with("", "signedPreKeyId='1'", SIG64, PK("1"), &b),
	    WARD_ERR_PARSE);
	assert_int_equal(
	    parse_bundle_with("<identityKey>AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcY"
			      "GRobHB0eHyA=</identityKey>",
			      "signedPreKeyId='1'", SIG64, PK("1"), &b),
	    WARD_ERR_PARSE);
	assert_int_equal(
	    parse_bundle_with("<identityKey>BgECAwQFBgcICQoLDA0ODxAREhMUFRYX"
			      "GBkaGxwdHh8g</identityKey>",
			      "signedPreKeyId='1'", SIG64, PK("1"), &b),
	    WARD_ERR_PARSE);
	assert_int_equal(parse_bundle_with("<identityKey>@@@@</identityKey>",
					   "signedPreKeyId='1'", SIG64, PK("1"),
					   &b),
			 WARD_ERR_PARSE);
	/* signature: missing, short */
	assert_int_equal(
	    parse_bundle_with(IDK, "signedPreKeyId='1'", NULL, PK("1"), &b),
	    WARD_ERR_PARSE);
	assert_int_equal(
	    parse_bundle_with(IDK, "signedPreKeyId='1'", KEY32, PK("1"), &b),
	    WARD_ERR_PARSE);
	/* prekeys: bad ones skipped, none usable refused */
	assert_int_equal(
	    parse_bundle_with(IDK, "signedPreKeyId='1'", SIG64,
			      PK("0") PK("x")
				  PK("7") "<preKeyPublic preKeyId='8'>"
					  "AAEC</preKeyPublic>",
			      &b),
	    WARD_OK);
	assert_int_equal(b.n_prekeys, 1);
	assert_int_equal(b.prekeys[0].id, 7);
	/* a skipped prekey leaves nothing behind (found by fuzz/omemoxml) */
	assert_int_equal(b.prekeys[1].id, 0);
	assert_int_equal(b.prekeys[1].pub[0], 0);
	assert_int_equal(
	    parse_bundle_with(IDK, "signedPreKeyId='1'", SIG64, PK("0"), &b),
	    WARD_ERR_PARSE);
	assert_int_equal(b.n_prekeys, 0);
	/* 200 prekeys: the first OMEMO_PREKEYS kept */
	many = malloc(cap);
	many[0] = '\0';
	for (i = 1; i <= 200; i++)
		off += (size_t)snprintf(many + off, cap - off,
					"<preKeyPublic preKeyId='%zu'>"
					"BQECAwQFBgcICQoLDA0ODxAREhMUFRYXGBka"
					"GxwdHh8g</preKeyPublic>",
					i);
	assert_int_equal(
	    parse_bundle_with(IDK, "signedPreKeyId='1'", SIG64, many, &b),
	    WARD_OK);
	assert_int_equal(b.n_prekeys, OMEMO_PREKEYS);
	assert_int_equal(b.prekeys[OMEMO_PREKEYS - 1].id, OMEMO_PREKEYS);
	free(many);
}

static int
setup(void **state)
{
	(void)state;
	xmpp_initialize();
	ctx = xmpp_ctx_new(NULL, NULL);
	return ctx == NULL;
}

static int
teardown(void **state)
{
	(void)state;
	xmpp_ctx_free(ctx);
	xmpp_shutdown();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ids),
	    cmocka_unit_test(test_b64),
	    cmocka_unit_test(test_encrypted_roundtrip),
	    cmocka_unit_test(test_encrypted_variants),
	    cmocka_unit_test(test_encrypted_hostile),
	    cmocka_unit_test(test_encrypted_limits),
	    cmocka_unit_test(test_markers),
	    cmocka_unit_test(test_devicelist),
	    cmocka_unit_test(test_devicelist_limit),
	    cmocka_unit_test(test_bundle_roundtrip),
	    cmocka_unit_test(test_bundle_hostile),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
