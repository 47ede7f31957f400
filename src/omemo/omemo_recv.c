/*
 * omemo_recv.c: decrypting a received <encrypted/> (see omemo_im.h), from
 * a chat, a carbon of either direction or the archive. The fallback <body/>
 * next to it is never shown; what cannot be decrypted becomes an `error`
 * event naming the sender and the reason, and no message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "core.h"
#include "jid.h"
#include "muc_occ.h"
#include "omemo_im.h"
#include "omemo_priv.h"
#include "omemo_xml.h"
#include "policy.h"
#include "sanitize.h"
#include "ward.h"

/* An omemo-decrypt error about the message M from FROM. */
static enum omemo_recv_status
recv_fail(struct account *a, xmpp_stanza_t *m, const char *from,
	  const char *why)
{
	char *text;

	xasprintf(&text, "an OMEMO message from %s cannot be decrypted: %s",
		  from, why);
	omemo_dev_error(a, "omemo-decrypt", text, from, xmpp_stanza_get_id(m),
			NULL);
	free(text);
	return OMEMO_RECV_NOTHING;
}

/* PLAIN (the sender's bytes) as a NUL-terminated UTF-8 string: ill-formed
 * sequences and NUL bytes become U+FFFD, so nothing after them is lost. */
static char *
recv_text(const uint8_t *plain, size_t len)
{
	char *out = xmalloc(len * 3 + 1);
	size_t i = 0, o = 0, k;
	uint32_t cp;

	while (i < len) {
		k = sanitize_utf8_next(plain + i, len - i, &cp);
		if (cp == SANITIZE_BAD_UTF8 || cp == 0) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
		} else {
			memcpy(out + o, plain + i, k);
			o += k;
		}
		i += k;
	}
	out[o] = '\0';
	return out;
}

/* The trust shown with a message from SENDER's DEVICE; a device first
 * seen now is decided on (or asked about) by the BTBV policy. */
static const char *
recv_trust(struct account *a, struct omemo *o, const char *sender,
	   uint32_t device)
{
	enum omemo_trust t = OMEMO_TRUST_UNDECIDED;

	if (policy_omemo_device(o, sender, device) == POLICY_DEVICE_ASK)
		omemo_ask(a, sender, device);
	(void)omemo_trust_get(o, sender, device, &t);
	return policy_trust_name(t);
}

enum omemo_recv_status
omemo_recv(struct account *a, xmpp_stanza_t *m, const char *from, int groupchat,
	   char **body, const char **trust)
{
	struct omemo_received in;
	struct omemo_xml_enc e;
	xmpp_stanza_t *enc;
	struct omemo *o;
	uint8_t *plain = NULL;
	size_t plain_len = 0;
	bool changed = false;
	char *sender, why[96];
	const char *real;
	enum omemo_recv_status st = OMEMO_RECV_NOTHING;
	int r;

	*body = NULL;
	*trust = "none";
	enc =
	    xmpp_stanza_get_child_by_name_and_ns(m, "encrypted", OMEMO_XML_NS);
	if (enc == NULL)
		return OMEMO_RECV_PLAIN;
	if ((o = omemo_dev_crypto(a)) == NULL)
		return recv_fail(a, m, from,
				 "the OMEMO state cannot be opened");
	/* in a room the sender is the occupant's real JID, as the room
	 * shows it (a private room is non-anonymous) */
	real = groupchat ? muc_occ_real_jid(a, from) : from;
	if (groupchat && real == NULL)
		return recv_fail(a, m, from,
				 "the room does not show who sent it (not an "
				 "occupant now, or the room is anonymous)");
	if ((sender = jid_bare(real)) == NULL)
		return OMEMO_RECV_NOTHING;
	r = omemo_xml_parse_encrypted(enc, omemo_device_id(o), &e);
	if (r != WARD_OK) {
		snprintf(why, sizeof(why), "malformed <encrypted/> (%s)",
			 ward_strerror(r));
		st = recv_fail(a, m, from, why);
		goto out;
	}
	if (e.sid == omemo_device_id(o) && jid_bare_equal(sender, a->jid))
		goto out; /* our own message, back from the archive */
	if (e.key == NULL && e.payload == NULL)
		goto out; /* a key exchange with another device: not for us */
	if (e.key == NULL) {
		snprintf(why, sizeof(why),
			 "it was not encrypted for this device (%u)",
			 omemo_device_id(o));
		st = recv_fail(a, m, from, why);
		goto out;
	}
	memset(&in, 0, sizeof(in));
	in.from_jid = sender;
	in.sid = e.sid;
	in.key = e.key;
	in.key_len = e.key_len;
	in.prekey = e.prekey;
	in.iv = e.iv;
	in.iv_len = e.iv_len;
	in.payload = e.payload;
	in.payload_len = e.payload_len;
	ward_txn(a->w); /* committed before this stanza is acknowledged */
	r = omemo_decrypt(o, &in, &plain, &plain_len, &changed);
	if (changed)
		omemo_pep_bundle_changed(a);
	if (r == OMEMO_ERR_DUPLICATE) {
		log_info("%s: OMEMO message from %s already decrypted", a->name,
			 from);
		goto out;
	}
	if (r != OMEMO_OK) {
		st = recv_fail(a, m, from, omemo_strerror(r));
		goto out;
	}
	omemo_dev_seen(a, sender, e.sid);
	*trust = recv_trust(a, o, sender, e.sid);
	if (plain != NULL) { /* else a key exchange, nothing to show */
		*body = recv_text(plain, plain_len);
		st = OMEMO_RECV_OK;
	}
out:
	if (plain != NULL) {
		explicit_bzero(plain, plain_len);
		free(plain);
	}
	omemo_xml_enc_clear(&e);
	free(sender);
	return st;
}
