/*
 * sasl.c: SASL for an account (see sasl.h): one SCRAM attempt with the
 * strongest binding allowed, the server's signature and XEP-0474 hash
 * verified, pins checked before <auth/> and raised after success.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account.h"
#include "base64.h"
#include "cbpin.h"
#include "config.h"
#include "core.h"
#include "event.h"
#include "prompt.h"
#include "sasl.h"
#include "scram.h"
#include "store.h"
#include "tls.h"
#include "ward.h"

#define SASL_MAX_MECHS 32
#define SASL_MAX_CBTYPES 16
#define SASL_CBDATA_MAX 64

/* One login's SASL state; a->sasl while the connection authenticates. */
struct sasl {
	struct account *a;
	struct scram *scram;
	struct cbpin_offer offer;
	struct cbpin_choice choice;
	char *ssdp;	     /* the XEP-0474 string of the offer */
	int waiting;	     /* a sasl-downgrade prompt is open */
	int lowered;	     /* the user accepted a weaker login */
	char why[300];	     /* the downgrade, in words */
};

static void
sasl_abort(struct account *a, const char *code, const char *text)
{
	event_error(a->name, code, text);
	account_disconnect(a, text);
}

void
sasl_end(struct account *a)
{
	struct sasl *s = a->sasl;

	if (s == NULL)
		return;
	a->sasl = NULL;
	if (s->waiting)
		prompt_cancel_arg(a->w, s);
	scram_free(s->scram);
	free(s->ssdp);
	free(s);
}

/* The text of an element's first text child, or NULL. */
static const char *
sasl_text(xmpp_stanza_t *st)
{
	xmpp_stanza_t *t = xmpp_stanza_get_children(st);

	if (t == NULL || !xmpp_stanza_is_text(t))
		return NULL;
	return xmpp_stanza_get_text_ptr(t);
}

/*
 * Reads <mechanisms/> and XEP-0440's <sasl-channel-binding/> into the
 * offer and the XEP-0474 string. WARD_ERR_NOTFOUND without <mechanisms/>.
 */
static int
sasl_read_offer(struct account *a, struct sasl *s, xmpp_stanza_t *features)
{
	const char *names[SASL_MAX_MECHS], *types[SASL_MAX_CBTYPES];
	xmpp_stanza_t *mechs, *cbs, *m;
	size_t n = 0, nt = 0;
	const char *v;

	mechs = xmpp_stanza_get_child_by_name_and_ns(features, "mechanisms",
	    NS_SASL);
	if (mechs == NULL)
		return WARD_ERR_NOTFOUND;
	for (m = xmpp_stanza_get_children(mechs); m != NULL;
	    m = xmpp_stanza_get_next(m)) {
		if (!xmpp_stanza_is_tag(m) ||
		    strcmp(xmpp_stanza_get_name(m), "mechanism") != 0 ||
		    (v = sasl_text(m)) == NULL)
			continue;
		if (n == SASL_MAX_MECHS)
			return WARD_ERR_LIMIT;
		names[n++] = v;
		cbpin_offer_mech(&s->offer, v);
	}
	cbs = xmpp_stanza_get_child_by_name_and_ns(features,
	    "sasl-channel-binding", NS_SASL_CB);
	if (cbs != NULL) {
		s->offer.xep0440 = 1;
		for (m = xmpp_stanza_get_children(cbs); m != NULL;
		    m = xmpp_stanza_get_next(m)) {
			if (!xmpp_stanza_is_tag(m) ||
			    strcmp(xmpp_stanza_get_name(m),
			    "channel-binding") != 0 ||
			    (v = xmpp_stanza_get_attribute(m, "type")) == NULL)
				continue;
			if (nt == SASL_MAX_CBTYPES)
				return WARD_ERR_LIMIT;
			types[nt++] = v;
			cbpin_offer_cb(&s->offer, v);
		}
	}
	s->offer.tls13 = tls_is_13(conn_tls(a->conn));
	s->ssdp = cbpin_ssdp_string(names, n, types, nt);
	return s->ssdp == NULL ? WARD_ERR_NOMEM : WARD_OK;
}

/* Loads the account's pins; WARD_OK also when none are set. */
static int
sasl_load_pin(struct account *a, struct cbpin_pin *pin)
{
	static const char *const kinds[3] = {PIN_SASL_MECH, PIN_CB_TYPE,
	    PIN_CB_ADVERTISED};
	char *v[3] = {NULL, NULL, NULL};
	int i, r = WARD_OK;

	for (i = 0; i < 3 && r == WARD_OK; i++) {
		r = store_pin_get(a->w->store, a->name, kinds[i], &v[i], NULL,
		    NULL);
		if (r == WARD_ERR_NOTFOUND)
			r = WARD_OK;
	}
	if (r == WARD_OK)
		cbpin_pin_parse(v[0], v[1], v[2], pin);
	for (i = 0; i < 3; i++)
		free(v[i]);
	return r;
}

/* Records what this login used as the account's pins (after success). */
static void
sasl_save_pin(struct account *a, const struct sasl *s)
{
	char adv[CBPIN_ADV_MAX];
	int64_t at = (int64_t)time(NULL) * 1000;

	cbpin_adv_string(s->offer.xep0440 ? s->offer.cb_types : 0, adv,
	    sizeof(adv));
	if (store_pin_set(a->w->store, a->name, PIN_SASL_MECH, a->sasl_mech,
	    at) != WARD_OK ||
	    store_pin_set(a->w->store, a->name, PIN_CB_TYPE,
	    cb_type_name(s->choice.cb), at) != WARD_OK ||
	    store_pin_set(a->w->store, a->name, PIN_CB_ADVERTISED, adv, at) !=
	    WARD_OK)
		event_error(a->name, "storage", "cannot store the SASL pins");
}

/* Sends <auth/> with the client-first-message of the chosen SCRAM. */
static void
sasl_send_auth(struct account *a, struct sasl *s)
{
	unsigned char cb[SASL_CBDATA_MAX];
	char flag[48], *first = NULL, *b64 = NULL;
	const char *cbname = cb_type_name(s->choice.cb);
	xmpp_stanza_t *auth, *txt;
	size_t cblen = 0, len;
	int r;

	if (a->password == NULL) {
		sasl_abort(a, "config", "no password for this account "
		    "(set password_command)");
		return;
	}
	if (s->choice.plus) {
		if (tls_channel_binding(conn_tls(a->conn), cbname, cb,
		    sizeof(cb), &cblen) != WARD_OK) {
			sasl_abort(a, "auth-failed", "cannot compute the "
			    "channel-binding data of this TLS session");
			return;
		}
		snprintf(flag, sizeof(flag), "p=%s", cbname);
	} else {
		/* ward supports binding; the server offered none */
		snprintf(flag, sizeof(flag), "y");
	}
	r = scram_new(s->choice.hash, a->local, a->password, flag,
	    cblen ? cb : NULL, cblen, NULL, &s->scram);
	explicit_bzero(cb, sizeof(cb));
	if (r == WARD_OK)
		r = scram_client_first(s->scram, &first, &len);
	if (r != WARD_OK || (b64 = base64_encode(first, len)) == NULL) {
		free(first);
		sasl_abort(a, "auth-failed", "cannot start SCRAM");
		return;
	}
	snprintf(a->sasl_mech, sizeof(a->sasl_mech), "%s",
	    scram_mech_name(s->choice.hash, s->choice.plus));
	snprintf(a->channel_binding, sizeof(a->channel_binding), "%s",
	    cbname);
	auth = xmpp_stanza_new(a->w->ctx);
	xmpp_stanza_set_name(auth, "auth");
	xmpp_stanza_set_ns(auth, NS_SASL);
	xmpp_stanza_set_attribute(auth, "mechanism", a->sasl_mech);
	txt = xmpp_stanza_new(a->w->ctx);
	xmpp_stanza_set_text(txt, b64);
	xmpp_stanza_add_child(auth, txt);
	xmpp_stanza_release(txt);
	conn_send(a->conn, auth);
	xmpp_stanza_release(auth);
	free(first);
	free(b64);
	log_info("%s: authenticating with %s, gs2 flag %s", a->name,
	    a->sasl_mech, flag);
}

/* The answer to a sasl-downgrade prompt. */
static void
sasl_decided(void *arg, int accepted)
{
	struct sasl *s = arg;
	struct account *a = s->a;

	s->waiting = 0;
	if (a->sasl != s || a->conn == NULL || a->state != AS_AUTHENTICATING)
		return;
	if (!accepted) {
		account_disconnect(a, "SASL downgrade rejected: nothing was "
		    "sent to the server");
		return;
	}
	log_warn("%s: SASL downgrade accepted by the user: %s", a->name,
	    s->why);
	s->lowered = 1;
	session_login_timer(a, 1);
	sasl_send_auth(a, s);
}

/* A weaker offer than pinned: tell, ask, and send nothing meanwhile. */
static void
sasl_ask_downgrade(struct account *a, struct sasl *s,
    const struct cbpin_pin *pin)
{
	struct event_field f[4];
	char *text;

	xasprintf(&text, "SASL downgrade on %s: %s. A man in the middle "
	    "with a certificate for the server would do this to relay your "
	    "login; a changed server set-up (TLS version, SASL or "
	    "channel-binding settings) looks the same. Nothing has been "
	    "sent. /accept lowers the pin to %s with channel binding %s and "
	    "logs in; /reject disconnects.", a->jid, s->why,
	    scram_mech_name(s->choice.hash, s->choice.plus),
	    cb_type_name(s->choice.cb));
	event_error(a->name, "sasl-downgrade", text);
	f[0] = (struct event_field){"pinned_sasl", EF_STR,
	    scram_mech_name(pin->hash, pin->plus), 0};
	f[1] = (struct event_field){"pinned_channel_binding", EF_STR,
	    cb_type_name(pin->cb), 0};
	f[2] = (struct event_field){"offered_sasl", EF_STR,
	    scram_mech_name(s->choice.hash, s->choice.plus), 0};
	f[3] = (struct event_field){"offered_channel_binding", EF_STR,
	    cb_type_name(s->choice.cb), 0};
	/* the user may take longer than the login timeout */
	session_login_timer(a, 0);
	s->waiting = 1;
	prompt_ask(a->w, a->name, "sasl-downgrade", text, f, 4, sasl_decided,
	    s);
	free(text);
}

void
sasl_features(struct account *a, xmpp_stanza_t *features)
{
	struct cbpin_pin pin;
	struct sasl *s;
	int r;

	sasl_end(a);
	if (conn_tls(a->conn) == NULL) {
		sasl_abort(a, "auth-failed", "no TLS under the stream: ward "
		    "authenticates only over TLS");
		return;
	}
	s = a->sasl = xcalloc(1, sizeof(*s));
	s->a = a;
	if ((r = sasl_read_offer(a, s, features)) != WARD_OK) {
		sasl_abort(a, "auth-failed", r == WARD_ERR_NOTFOUND ?
		    "server offers no SASL mechanisms" :
		    "server's SASL offer is too long");
		return;
	}
	if (sasl_load_pin(a, &pin) != WARD_OK) {
		sasl_abort(a, "storage", "cannot read the SASL pins");
		return;
	}
	r = cbpin_choose(&s->offer, &s->choice);
	if (r == WARD_ERR_POLICY) {
		sasl_abort(a, "channel-binding", s->offer.tls13 ?
		    "server offers SCRAM-PLUS only with tls-unique, which is "
		    "undefined and unsafe on TLS 1.3 (RFC 9266); ward will "
		    "not use it, nor silently drop the binding" :
		    "server offers SCRAM-PLUS only with channel-binding "
		    "types ward cannot use on this session; ward will not "
		    "silently drop the binding");
		return;
	}
	if (r != WARD_OK) {
		sasl_abort(a, pin.set ? "sasl-downgrade" : "auth-failed",
		    "server offers no SCRAM mechanism (ward never sends a "
		    "password in the clear)");
		return;
	}
	if (cbpin_weaker(&pin, &s->offer, &s->choice, s->why,
	    sizeof(s->why))) {
		log_warn("%s: SASL downgrade: %s", a->name, s->why);
		sasl_ask_downgrade(a, s, &pin);
		return;
	}
	sasl_send_auth(a, s);
}

/* Decodes an element's base64 text ("=" or empty: no data). */
static int
sasl_b64_text(xmpp_stanza_t *st, unsigned char **out, size_t *len)
{
	const char *t = sasl_text(st);

	*out = NULL;
	*len = 0;
	if (t == NULL || *t == '\0' || strcmp(t, "=") == 0)
		return WARD_ERR_NOTFOUND;
	return base64_decode(t, strlen(t), out, len);
}

/* XEP-0474: a d= that does not hash the offer we saw ends the login. */
static int
sasl_check_ssdp(struct account *a, struct sasl *s)
{
	int r = scram_ssdp_check(s->scram, s->ssdp, strlen(s->ssdp));

	if (r == WARD_ERR_NOTFOUND)
		return WARD_OK;
	if (r == WARD_OK) {
		log_info("%s: XEP-0474 downgrade protection verified",
		    a->name);
		return WARD_OK;
	}
	sasl_abort(a, "sasl-downgrade", r == WARD_ERR_AUTH ?
	    "the server's XEP-0474 hash does not match the mechanisms and "
	    "channel-binding types ward was offered: someone between ward "
	    "and the server changed them" : "malformed XEP-0474 hash");
	return r;
}

static void
sasl_challenge(struct account *a, struct sasl *s, xmpp_stanza_t *st)
{
	unsigned char *data;
	size_t len, flen;
	char *final = NULL, *b64, *text;

	if (s->scram == NULL || sasl_b64_text(st, &data, &len) != WARD_OK) {
		sasl_abort(a, "auth-failed", "malformed SASL challenge");
		return;
	}
	if (scram_client_final(s->scram, (char *)data, len, &final, &flen) !=
	    WARD_OK) {
		free(data);
		sasl_abort(a, "auth-failed", "server's SCRAM challenge "
		    "refused (bad nonce, salt or iteration count)");
		return;
	}
	free(data);
	if (sasl_check_ssdp(a, s) != WARD_OK) {
		explicit_bzero(final, flen);
		free(final);
		return;
	}
	b64 = base64_encode(final, flen);
	explicit_bzero(final, flen);
	free(final);
	if (b64 == NULL) {
		sasl_abort(a, "auth-failed", "out of memory");
		return;
	}
	xasprintf(&text, "<response xmlns='%s'>%s</response>", NS_SASL, b64);
	conn_send_raw(a->conn, text, strlen(text));
	explicit_bzero(text, strlen(text));
	free(text);
	free(b64);
}

/* <success/>: believed only when it proves the server knows the password
 * (and, with -PLUS, saw the same TLS channel). */
static void
sasl_success(struct account *a, struct sasl *s, xmpp_stanza_t *st)
{
	unsigned char *data;
	size_t len;
	int r;

	if (s->scram == NULL) {
		sasl_abort(a, "auth-failed", "unexpected SASL success");
		return;
	}
	if (sasl_b64_text(st, &data, &len) != WARD_OK) {
		sasl_abort(a, "auth-failed", "server did not prove it "
		    "knows the password (no SCRAM server signature)");
		return;
	}
	r = scram_verify_server_final(s->scram, (char *)data, len);
	free(data);
	if (r != WARD_OK) {
		sasl_abort(a, "auth-failed", s->choice.plus ?
		    "wrong SCRAM server signature: the server is not who it "
		    "claims to be, or saw another TLS channel (a relay)" :
		    "wrong SCRAM server signature: the server is not who it "
		    "claims to be");
		return;
	}
	sasl_save_pin(a, s);
	log_info("%s: authenticated (%s, channel binding %s%s), server "
	    "signature verified", a->name, a->sasl_mech, a->channel_binding,
	    s->lowered ? ", pin lowered by the user" : "");
	sasl_end(a);
	a->state = AS_BINDING;
	conn_restart_stream(a->conn);
}

static void
sasl_failure(struct account *a, xmpp_stanza_t *st)
{
	xmpp_stanza_t *ch;
	char text[200] = "authentication failed";

	for (ch = xmpp_stanza_get_children(st); ch != NULL;
	    ch = xmpp_stanza_get_next(ch)) {
		if (xmpp_stanza_is_tag(ch) &&
		    strcmp(xmpp_stanza_get_name(ch), "text") != 0) {
			snprintf(text, sizeof(text), "authentication failed: "
			    "%.100s", xmpp_stanza_get_name(ch));
			break;
		}
	}
	/* One attempt only: never retry with anything else. */
	sasl_abort(a, "auth-failed", text);
}

void
sasl_element(struct account *a, xmpp_stanza_t *st)
{
	const char *name = xmpp_stanza_get_name(st);
	struct sasl *s = a->sasl;

	if (a->state != AS_AUTHENTICATING || s == NULL || s->waiting) {
		sasl_abort(a, "auth-failed", "SASL element out of place");
	} else if (strcmp(name, "challenge") == 0) {
		sasl_challenge(a, s, st);
	} else if (strcmp(name, "success") == 0) {
		sasl_success(a, s, st);
	} else if (strcmp(name, "failure") == 0) {
		sasl_failure(a, st);
	} else {
		sasl_abort(a, "auth-failed", "unknown SASL element");
	}
}
