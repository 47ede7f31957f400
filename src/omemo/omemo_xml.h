/*
 * omemo_xml.h: the wire side of OMEMO 0.3 (XEP-0384 v0.3, namespace
 * eu.siacs.conversations.axolotl): parsing and building <encrypted/>, the
 * device list and the bundle. Pure functions on libstrophe stanzas: no
 * session, no store, no crypto; every parser treats its input as hostile.
 */
#ifndef WARD_OMEMO_XML_H
#define WARD_OMEMO_XML_H

#include <stddef.h>
#include <stdint.h>
#include <strophe.h>

#include "omemo.h"

#define OMEMO_XML_NS "eu.siacs.conversations.axolotl"
#define OMEMO_XML_NODE_DEVICELIST OMEMO_XML_NS ".devicelist"
#define OMEMO_XML_NODE_BUNDLES OMEMO_XML_NS ".bundles:"
#define OMEMO_XML_NS_EME "urn:xmpp:eme:0"
#define OMEMO_XML_NS_HINTS "urn:xmpp:hints"

/* Limits on what a peer may send us. */
#define OMEMO_XML_MAX_DEVICES 128        /* ids in one device list */
#define OMEMO_XML_MAX_KEYS 512           /* <key/> elements in one header */
#define OMEMO_XML_MAX_KEY_LEN 1024       /* one decoded key (~200 bytes used) */
#define OMEMO_XML_MAX_PAYLOAD 131072     /* decoded payload bytes */
#define OMEMO_XML_DEVICE_MAX 0x7fffffffu /* ids are 1..2^31-1 */

/* A received <encrypted/>, reduced to what one device (ours) needs. */
struct omemo_xml_enc {
	uint32_t sid;  /* the sender's device */
	uint8_t *iv;   /* malloc'd */
	size_t iv_len; /* 12 or 16 */
	uint8_t *key;  /* the <key rid=ours/> content; NULL: none */
	size_t key_len;
	int prekey;       /* that key is a PreKeySignalMessage */
	uint8_t *payload; /* NULL: a key-transport message */
	size_t payload_len;
	size_t n_keys; /* <key/> elements in the header */
};

/*
 * Parses an <encrypted xmlns=OMEMO_XML_NS/> element for device RID.
 * WARD_OK with out->key NULL when the header has no key for RID (the
 * caller reports "not encrypted for this device"). WARD_ERR_PARSE for a
 * malformed element (missing or bad sid, no iv, an iv not 12 or 16 bytes,
 * bad base64, a key without a valid rid, two keys for RID), WARD_ERR_LIMIT
 * for more than OMEMO_XML_MAX_KEYS keys or an oversized key or payload.
 * *out is cleared on entry; free it with omemo_xml_enc_clear even after
 * an error.
 */
int omemo_xml_parse_encrypted(xmpp_stanza_t *enc, uint32_t rid,
			      struct omemo_xml_enc *out);
void omemo_xml_enc_clear(struct omemo_xml_enc *e);

/* The <encrypted/> element for m (caller releases); NULL when out of
 * memory. */
xmpp_stanza_t *omemo_xml_build_encrypted(xmpp_ctx_t *ctx,
					 const struct omemo_message *m);

/*
 * Adds what travels next to <encrypted/> in a message: the XEP-0380 marker
 * naming OMEMO, a XEP-0334 store hint, and BODY as the fallback <body/> for
 * clients without OMEMO.
 */
void omemo_xml_add_markers(xmpp_stanza_t *msg, const char *body);

/*
 * A device list (<list xmlns=OMEMO_XML_NS/>): ids ascending, without
 * duplicates, into *ids (malloc'd, NULL when *n is 0). Devices with a
 * missing or invalid id are skipped (one bad entry must not hide a
 * contact's other devices). WARD_ERR_PARSE when the element is not a
 * list, WARD_ERR_LIMIT for more than OMEMO_XML_MAX_DEVICES valid ids.
 */
int omemo_xml_parse_devicelist(xmpp_stanza_t *list, uint32_t **ids, size_t *n);
xmpp_stanza_t *omemo_xml_build_devicelist(xmpp_ctx_t *ctx, const uint32_t *ids,
					  size_t n);

/*
 * A bundle (<bundle xmlns=OMEMO_XML_NS/>). Keys must decode to
 * OMEMO_KEY_PUB_LEN bytes of type 0x05 and the signature to OMEMO_SIG_LEN;
 * prekeys that do not are skipped, the first OMEMO_PREKEYS valid ones are
 * kept. WARD_ERR_PARSE when anything but prekeys is missing or invalid, or
 * no prekey is usable. *out is cleared on entry.
 */
int omemo_xml_parse_bundle(xmpp_stanza_t *bundle, struct omemo_bundle *out);
xmpp_stanza_t *omemo_xml_build_bundle(xmpp_ctx_t *ctx,
				      const struct omemo_bundle *b);

/* A device id: decimal digits only, 1..2^31-1. WARD_ERR_PARSE otherwise. */
int omemo_xml_parse_id(const char *s, uint32_t *out);

/*
 * Base64 as other clients write it: the standard alphabet with padding,
 * whitespace (line breaks) ignored, at most MAX decoded bytes
 * (WARD_ERR_LIMIT). *out is malloc'd, *len its length; cleared on entry.
 */
int omemo_xml_b64(const char *text, size_t max, uint8_t **out, size_t *len);

#endif
