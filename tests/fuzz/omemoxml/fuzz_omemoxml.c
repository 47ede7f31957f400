/*
 * fuzz_omemoxml.c: libFuzzer harness for OMEMO's wire format
 * (src/omemo/omemo_xml.c). The input is XML after a stream header; every stanza
 * and each of its children goes through the <encrypted/>, device-list and
 * bundle parsers. What parses must be in range and survive a build/parse
 * round trip unchanged.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <strophe.h>

#include "omemo_xml.h"
#include "ward.h"
#include "xmlstream.h"

#define HDR                                                                    \
	"<stream:stream xmlns='jabber:client' "                                \
	"xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>"

static xmpp_ctx_t *fuzz_ctx;

/* Serialises E and parses it back into a new element (or NULL). */
static void
fuzz_keep(void *arg, xmpp_stanza_t *st)
{
	xmpp_stanza_t **out = arg;

	if (*out == NULL)
		*out = xmpp_stanza_copy(st);
}

static xmpp_stanza_t *
fuzz_wire(xmpp_stanza_t *e)
{
	struct xmlstream_cbs cbs = {.stanza = fuzz_keep};
	xmpp_stanza_t *back = NULL;
	struct xmlstream *xs;
	char *buf;
	size_t len;

	if (xmpp_stanza_to_text(e, &buf, &len) != XMPP_EOK)
		return NULL;
	xs = xmlstream_new(fuzz_ctx, &cbs, &back);
	if (xs == NULL || xmlstream_feed(xs, HDR, strlen(HDR)) != WARD_OK ||
	    xmlstream_feed(xs, buf, len) != WARD_OK)
		__builtin_trap(); /* what we build must parse */
	xmlstream_free(xs);
	xmpp_free(fuzz_ctx, buf);
	return back;
}

static void
fuzz_encrypted(xmpp_stanza_t *e)
{
	struct omemo_xml_enc x, y;
	uint32_t rid = 7;

	if (omemo_xml_parse_encrypted(e, rid, &x) == WARD_OK) {
		if (x.sid == 0 || x.sid > OMEMO_XML_DEVICE_MAX ||
		    (x.iv_len != 12 && x.iv_len != 16) || x.n_keys == 0 ||
		    x.n_keys > OMEMO_XML_MAX_KEYS ||
		    x.key_len > OMEMO_XML_MAX_KEY_LEN ||
		    x.payload_len > OMEMO_XML_MAX_PAYLOAD ||
		    (x.key != NULL && x.key_len == 0) ||
		    (x.payload != NULL && x.payload_len == 0))
			__builtin_trap();
		if (x.key != NULL && x.iv_len == OMEMO_IV_LEN) {
			/* rebuild what a sender would have sent us */
			struct omemo_key k = {.jid = "x@y",
					      .device = rid,
					      .prekey = x.prekey,
					      .data = x.key,
					      .len = x.key_len};
			struct omemo_message m = {.sid = x.sid,
						  .payload = x.payload,
						  .payload_len = x.payload_len,
						  .keys = &k,
						  .n_keys = 1};
			xmpp_stanza_t *b, *back;

			memcpy(m.iv, x.iv, OMEMO_IV_LEN);
			b = omemo_xml_build_encrypted(fuzz_ctx, &m);
			back = b ? fuzz_wire(b) : NULL;
			if (back == NULL ||
			    omemo_xml_parse_encrypted(back, rid, &y) !=
				WARD_OK ||
			    y.sid != x.sid || y.key_len != x.key_len ||
			    memcmp(y.key, x.key, x.key_len) != 0 ||
			    y.prekey != x.prekey ||
			    y.payload_len != x.payload_len ||
			    (x.payload_len &&
			     memcmp(y.payload, x.payload, x.payload_len) != 0))
				__builtin_trap();
			omemo_xml_enc_clear(&y);
			xmpp_stanza_release(back);
			xmpp_stanza_release(b);
		}
	}
	omemo_xml_enc_clear(&x);
}

static void
fuzz_devicelist(xmpp_stanza_t *e)
{
	uint32_t *ids = NULL, *again = NULL;
	size_t n = 0, m = 0, i;
	xmpp_stanza_t *b, *back;

	if (omemo_xml_parse_devicelist(e, &ids, &n) != WARD_OK)
		return;
	if (n > OMEMO_XML_MAX_DEVICES)
		__builtin_trap();
	for (i = 0; i < n; i++)
		if (ids[i] == 0 || ids[i] > OMEMO_XML_DEVICE_MAX ||
		    (i > 0 && ids[i - 1] >= ids[i]))
			__builtin_trap();
	b = omemo_xml_build_devicelist(fuzz_ctx, ids, n);
	back = fuzz_wire(b);
	if (back == NULL ||
	    omemo_xml_parse_devicelist(back, &again, &m) != WARD_OK || m != n ||
	    (n && memcmp(ids, again, n * sizeof(*ids)) != 0))
		__builtin_trap();
	xmpp_stanza_release(back);
	xmpp_stanza_release(b);
	free(ids);
	free(again);
}

static void
fuzz_bundle(xmpp_stanza_t *e)
{
	static struct omemo_bundle x, y;
	xmpp_stanza_t *b, *back;
	size_t i;

	if (omemo_xml_parse_bundle(e, &x) != WARD_OK)
		return;
	if (x.n_prekeys == 0 || x.n_prekeys > OMEMO_PREKEYS ||
	    x.identity_key[0] != 0x05 || x.signed_prekey[0] != 0x05)
		__builtin_trap();
	for (i = 0; i < x.n_prekeys; i++)
		if (x.prekeys[i].pub[0] != 0x05 || x.prekeys[i].id == 0)
			__builtin_trap();
	b = omemo_xml_build_bundle(fuzz_ctx, &x);
	back = b ? fuzz_wire(b) : NULL;
	if (back == NULL || omemo_xml_parse_bundle(back, &y) != WARD_OK ||
	    memcmp(&x, &y, sizeof(x)) != 0)
		__builtin_trap();
	xmpp_stanza_release(back);
	xmpp_stanza_release(b);
}

/* Every element of the stanza, to depth 4 (message/event/items/item/x). */
static void
fuzz_walk(xmpp_stanza_t *e, int depth)
{
	xmpp_stanza_t *c;

	if (!xmpp_stanza_is_tag(e))
		return;
	fuzz_encrypted(e);
	fuzz_devicelist(e);
	fuzz_bundle(e);
	if (depth < 4)
		for (c = xmpp_stanza_get_children(e); c != NULL;
		     c = xmpp_stanza_get_next(c))
			fuzz_walk(c, depth + 1);
}

static void
fuzz_stanza(void *arg, xmpp_stanza_t *st)
{
	(void)arg;
	fuzz_walk(st, 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xmlstream_cbs cbs = {.stanza = fuzz_stanza};
	struct xmlstream *xs;
	uint8_t *b64 = NULL;
	size_t len = 0;
	char *text;

	if (fuzz_ctx == NULL)
		fuzz_ctx = xmpp_ctx_new(NULL, NULL);
	/* the raw bytes as base64 text too */
	text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	if (omemo_xml_b64(text, 64, &b64, &len) == WARD_OK && len > 64)
		__builtin_trap();
	free(b64);
	free(text);
	xs = xmlstream_new(fuzz_ctx, &cbs, NULL);
	if (xs == NULL)
		return 0;
	if (xmlstream_feed(xs, HDR, strlen(HDR)) == WARD_OK)
		(void)xmlstream_feed(xs, (const char *)data, size);
	xmlstream_free(xs);
	return 0;
}
