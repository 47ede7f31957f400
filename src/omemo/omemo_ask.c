/*
 * omemo_ask.c: the user's OMEMO decisions: the omemo-device prompt about a
 * new device of a verified contact (/accept trusts, /reject refuses), the
 * fingerprint listing and /omemo verify.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "chatsec.h"
#include "core.h"
#include "event.h"
#include "jid.h"
#include "omemo_im.h"
#include "omemo_priv.h"
#include "policy.h"
#include "prompt.h"
#include "ward.h"

static void
ask_unlink(struct account *a, struct omemo_ask *q)
{
	struct omemo_ask **pp;

	for (pp = &a->omemo->asks; *pp != NULL; pp = &(*pp)->next)
		if (*pp == q) {
			*pp = q->next;
			return;
		}
}

static void
ask_answer(void *arg, int accepted)
{
	struct omemo_ask *q = arg;
	struct account *a = q->a;
	struct omemo *o = omemo_dev_crypto(a);
	char *text;

	ask_unlink(a, q);
	ward_txn(a->w);
	/* accepted is trusted, not verified: only a fingerprint comparison
	 * (/omemo verify) makes a device verified */
	if (o != NULL &&
	    omemo_trust_set(o, q->jid, q->device,
			    accepted ? OMEMO_TRUST_BLIND
				     : OMEMO_TRUST_UNTRUSTED) == OMEMO_OK) {
		xasprintf(&text, "device %u of %s %s", q->device, q->jid,
			  accepted ? "trusted: it gets our messages"
				   : "refused: it gets nothing from ward");
		event_info(a->name, text);
		free(text);
		chatsec_changed(a, q->jid);
		chatsec_rooms_changed(a);
	}
	free(q->jid);
	free(q);
	im_flush_outbox(a);
}

int
omemo_ask_pending(struct account *a, const char *jid)
{
	struct omemo_ask *q;

	for (q = omemo_dev_acct(a)->asks; q != NULL; q = q->next)
		if (jid_bare_equal(q->jid, jid))
			return 1;
	return 0;
}

void
omemo_ask(struct account *a, const char *jid, uint32_t device)
{
	struct omemo *o = omemo_dev_crypto(a);
	struct event_field f[3];
	struct omemo_ask *q;
	char fpr[OMEMO_FPR_HEX + 1], dev[16];
	char *text;

	for (q = omemo_dev_acct(a)->asks; q != NULL; q = q->next)
		if (q->device == device && jid_bare_equal(q->jid, jid))
			return;
	if (o == NULL ||
	    omemo_fingerprint_peer(o, jid, device, fpr) != OMEMO_OK)
		return;
	q = xcalloc(1, sizeof(*q));
	q->a = a;
	q->jid = xstrdup(jid);
	q->device = device;
	q->next = a->omemo->asks;
	a->omemo->asks = q;
	snprintf(dev, sizeof(dev), "%u", device);
	xasprintf(&text,
		  "%s has a new OMEMO device %u with fingerprint %s. You "
		  "verified another device of %s, so this one gets nothing "
		  "until you decide: compare the fingerprint with %s (on a "
		  "device you trust), then /accept to trust it or /reject to "
		  "refuse it.",
		  jid, device, fpr, jid, jid);
	memset(f, 0, sizeof(f));
	f[0].key = "jid";
	f[0].type = EF_STR;
	f[0].s = jid;
	f[1].key = "device";
	f[1].type = EF_INT;
	f[1].i = device;
	f[2].key = "fingerprint";
	f[2].type = EF_STR;
	f[2].s = fpr;
	prompt_ask(a->w, a->name, "omemo-device", text, f, 3, ask_answer, q);
	free(text);
}

/* ---- fingerprints and verification ---- */

static const char *
ask_trust_word(struct omemo *o, const char *jid, uint32_t device)
{
	enum omemo_trust t;

	if (omemo_trust_get(o, jid, device, &t) != OMEMO_OK)
		return "unknown";
	return t == OMEMO_TRUST_UNDECIDED ? "undecided" : policy_trust_name(t);
}

static void
ask_fpr_event(struct account *a, const char *jid, uint32_t device,
	      const char *fpr, const char *trust, int own, int active)
{
	struct event ev;

	event_init(&ev, EV_FINGERPRINT, a->name);
	event_str(&ev, "jid", jid);
	event_int(&ev, "device", device);
	event_str(&ev, "fingerprint", fpr);
	event_str(&ev, "trust", trust);
	event_bool(&ev, "own", own);
	event_bool(&ev, "active", active);
	event_emit(&ev);
}

/* Every known device of JID (ours excepted). */
static void
ask_fpr_jid(struct account *a, struct omemo *o, const char *jid)
{
	struct omemo_contact *c = omemo_dev_contact(a, jid, 0);
	char fpr[OMEMO_FPR_HEX + 1];
	uint32_t *ids = NULL, me = omemo_device_id(o);
	size_t n = 0, i;

	if (omemo_known_devices(o, jid, &ids, &n) != OMEMO_OK)
		return;
	for (i = 0; i < n; i++) {
		if (omemo_dev_is_own(a, jid) && ids[i] == me)
			continue;
		if (omemo_fingerprint_peer(o, jid, ids[i], fpr) != OMEMO_OK)
			continue;
		ask_fpr_event(a, jid, ids[i], fpr,
			      ask_trust_word(o, jid, ids[i]), 0,
			      c != NULL && c->list == OL_KNOWN &&
				  omemo_dev_index(c, ids[i]) < c->n);
	}
	free(ids);
}

void
omemo_ask_fingerprints(struct account *a, const char *jid)
{
	struct omemo *o = omemo_dev_crypto(a);
	char fpr[OMEMO_FPR_HEX + 1];

	if (o == NULL || omemo_fingerprint_own(o, fpr) != OMEMO_OK) {
		event_error(a->name, "omemo-unavailable",
			    "the OMEMO state cannot be opened (see the log)");
		return;
	}
	ask_fpr_event(a, a->jid, omemo_device_id(o), fpr, "self", 1, 1);
	ask_fpr_jid(a, o, a->jid);
	if (jid != NULL && !omemo_dev_is_own(a, jid))
		ask_fpr_jid(a, o, jid);
}

/* Lower-case hex without separators (spaces, ':'), 64 digits, or a
 * leading "05" type byte on 66. 0 when FPR is not a fingerprint. */
static int
ask_norm_fpr(const char *fpr, char *out)
{
	size_t n = 0;

	for (; *fpr != '\0'; fpr++) {
		if (*fpr == ' ' || *fpr == ':' || *fpr == '-')
			continue;
		if (!isxdigit((unsigned char)*fpr) || n == OMEMO_FPR_HEX + 2)
			return 0;
		out[n++] = (char)tolower((unsigned char)*fpr);
	}
	out[n] = '\0';
	if (n == OMEMO_FPR_HEX + 2 && out[0] == '0' && out[1] == '5') {
		memmove(out, out + 2, OMEMO_FPR_HEX + 1);
		n -= 2;
	}
	return n == OMEMO_FPR_HEX;
}

int
omemo_ask_verify(struct account *a, const char *jid, const char *fpr)
{
	struct omemo *o = omemo_dev_crypto(a);
	char want[OMEMO_FPR_HEX + 3], got[OMEMO_FPR_HEX + 1];
	uint32_t *ids = NULL;
	size_t n = 0, i;
	int r = WARD_ERR_NOTFOUND;

	if (o == NULL)
		return WARD_ERR_IO;
	if (!ask_norm_fpr(fpr, want))
		return WARD_ERR_INVAL;
	if (omemo_known_devices(o, jid, &ids, &n) != OMEMO_OK)
		return WARD_ERR_IO;
	for (i = 0; i < n && r == WARD_ERR_NOTFOUND; i++) {
		if (omemo_fingerprint_peer(o, jid, ids[i], got) != OMEMO_OK ||
		    strcmp(got, want) != 0)
			continue;
		ward_txn(a->w);
		r = omemo_trust_set(o, jid, ids[i], OMEMO_TRUST_VERIFIED) ==
			    OMEMO_OK
			? WARD_OK
			: WARD_ERR_IO;
		ward_txn_commit(a->w);
	}
	free(ids);
	if (r == WARD_OK) {
		chatsec_changed(a, jid);
		chatsec_rooms_changed(a);
		im_flush_outbox(a);
	}
	return r;
}

void
omemo_ask_free(struct account *a)
{
	struct omemo_ask *q;

	while ((q = a->omemo->asks) != NULL) {
		a->omemo->asks = q->next;
		prompt_cancel_arg(a->w, q);
		free(q->jid);
		free(q);
	}
}
