/*
 * serverpin.c: whether a server's TLS session may carry the login (see
 * serverpin.h): the rules in serverpin_decide(), and the account glue that
 * reads and writes the pin, reports a DANE-vouched key change and asks the
 * user (a cert-changed prompt) while the connection sends nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "account.h"
#include "core.h"
#include "event.h"
#include "prompt.h"
#include "serverpin.h"
#include "store.h"
#include "ward.h"

/* One account's decision for the current connection. */
struct serverpin {
	struct account *a;
	const char *auth_by;	/* static */
	const char *pin_state;	/* static */
	int waiting;		/* a cert-changed prompt is open */
	char spki[96];		/* the key asked about */
	const char *auth_if_accepted;
};

static void
sp_refuse(struct serverpin_verdict *v, const char *code, const char *reason)
{
	v->action = SERVERPIN_REFUSE;
	v->code = code;
	v->reason = reason;
}

void
serverpin_decide(const struct serverpin_facts *f, struct serverpin_verdict *v)
{
	int same;

	memset(v, 0, sizeof(*v));
	if (f->spki == NULL || f->spki[0] == '\0') {
		sp_refuse(v, "cert-untrusted", "the server sent no usable "
		    "certificate");
		return;
	}
	same = f->pinned != NULL && strcasecmp(f->pinned, f->spki) == 0;
	if (f->dane == CONN_DANE_MISMATCH) {
		sp_refuse(v, "dane-mismatch", "the certificate does not match "
		    "the DNSSEC-signed TLSA records of the server");
		return;
	}
	if (f->dane == CONN_DANE_MATCH) {
		v->action = SERVERPIN_ACCEPT;
		v->auth_by = "dane";
		v->pin_state = f->pinned == NULL ? "first-use" : same ?
		    "match" : "changed-dane";
		v->store_pin = !same;
		return;
	}
	if (same) {
		v->action = SERVERPIN_ACCEPT;
		v->auth_by = f->ca_valid ? "ca" : "pin";
		v->pin_state = "match";
		return;
	}
	if (f->pinned == NULL) {
		if (!f->ca_valid) {
			sp_refuse(v, "cert-untrusted", "no trusted CA and no "
			    "DNSSEC-signed TLSA record vouches for the "
			    "certificate");
			return;
		}
		v->action = SERVERPIN_ACCEPT;
		v->auth_by = "ca";
		v->pin_state = "first-use";
		v->store_pin = 1;
		return;
	}
	v->action = SERVERPIN_ASK;
	v->pin_state = "changed";
	v->vouched_by = f->ca_valid ? "ca" : "none";
}

/* The store's pin kind for the account's domain. */
static void
sp_kind(const struct account *a, char *out, size_t outlen)
{
	snprintf(out, outlen, "%s:%s", SERVERPIN_KIND, a->domain);
}

static void
sp_iso_time(int64_t ms, char *out, size_t outlen)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	out[0] = '\0';
	if (ms > 0 && gmtime_r(&t, &tm) != NULL)
		strftime(out, outlen, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int
sp_store(struct account *a, const char *spki)
{
	char kind[300];
	int r;

	sp_kind(a, kind, sizeof(kind));
	r = store_pin_set(a->w->store, a->name, kind, spki, wall_ms());
	if (r != WARD_OK)
		log_warn("%s: cannot store the server key pin: %s", a->name,
		    ward_strerror(r));
	return r;
}

/* /accept or /reject of the cert-changed prompt. */
static void
sp_answered(void *arg, int accepted)
{
	struct serverpin *sp = arg;
	struct account *a = sp->a;
	char text[300];

	sp->waiting = 0;
	if (a->serverpin != sp || a->conn == NULL || !conn_waiting(a->conn))
		return;
	if (!accepted) {
		snprintf(text, sizeof(text), "the new TLS key of %s was "
		    "rejected; nothing was sent to the server", a->domain);
		event_error(a->name, "cert-changed", text);
		account_disconnect(a, text);	/* frees sp */
		return;
	}
	log_warn("%s: new server key %s accepted by the user", a->name,
	    sp->spki);
	if (sp_store(a, sp->spki) != WARD_OK)
		event_error(a->name, "storage", "cannot store the accepted "
		    "server key: it will be asked about again");
	sp->auth_by = sp->auth_if_accepted;
	sp->pin_state = "accepted";
	conn_resume(a->conn);	/* may end the connection and free sp */
}

/* A changed key nobody trusted ahead: a prompt, and the connection waits. */
static void
sp_ask(struct account *a, struct serverpin *sp, const struct conn_report *r,
    const struct serverpin_verdict *v, const char *pinned, int64_t since)
{
	struct event_field f[16];
	char since_s[32], *text;
	size_t n = 0;
	int ca = r->tls.verified_by_ca;

	snprintf(sp->spki, sizeof(sp->spki), "%s", r->tls.spki_sha256);
	sp->auth_if_accepted = ca ? "ca" : "pin";
	sp->waiting = 1;
	sp_iso_time(since, since_s, sizeof(since_s));
	xasprintf(&text, "The TLS key of %s changed. Pinned key (SHA-256 of "
	    "its SPKI) %s, seen first %s; the server now shows %s in a "
	    "certificate for %s issued by %s, valid %s to %s. %s. Nothing "
	    "has been sent over this connection. /accept pins the new key "
	    "and logs in; /reject disconnects.", a->domain, pinned,
	    since_s[0] ? since_s : "(unknown)", r->tls.spki_sha256,
	    r->tls.subject, r->tls.issuer, r->tls.not_before,
	    r->tls.not_after, ca ? "A trusted CA vouches for the new "
	    "certificate (no DANE record does)" : "NOBODY vouches for the "
	    "new key: no trusted CA, no DNSSEC-signed TLSA record");
	f[n++] = (struct event_field){"domain", EF_STR, a->domain, 0};
	f[n++] = (struct event_field){"old_spki_sha256", EF_STR, pinned, 0};
	f[n++] = (struct event_field){"old_pinned_since", EF_STR,
	    since_s[0] ? since_s : NULL, 0};
	f[n++] = (struct event_field){"spki_sha256", EF_STR,
	    r->tls.spki_sha256, 0};
	f[n++] = (struct event_field){"cert_sha256", EF_STR,
	    r->tls.cert_sha256, 0};
	f[n++] = (struct event_field){"cert_subject", EF_STR, r->tls.subject,
	    0};
	f[n++] = (struct event_field){"cert_issuer", EF_STR, r->tls.issuer,
	    0};
	f[n++] = (struct event_field){"cert_not_before", EF_STR,
	    r->tls.not_before, 0};
	f[n++] = (struct event_field){"cert_not_after", EF_STR,
	    r->tls.not_after, 0};
	f[n++] = (struct event_field){"vouched_by", EF_STR, v->vouched_by, 0};
	f[n++] = (struct event_field){"ca_valid", EF_BOOL, NULL, ca};
	f[n++] = (struct event_field){"dane", EF_STR, "none", 0};
	f[n++] = (struct event_field){"verify_error", EF_STR,
	    ca ? NULL : r->tls.verify_error, 0};
	f[n++] = (struct event_field){"target", EF_STR, r->target, 0};
	f[n++] = (struct event_field){"address", EF_STR, r->address, 0};
	log_warn("%s: server key changed from %s to %s (vouched by %s): "
	    "asking", a->name, pinned, r->tls.spki_sha256, v->vouched_by);
	prompt_ask(a->w, a->name, "cert-changed", text, f, n, sp_answered, sp);
	free(text);
}

/* A key change that a secure TLSA record vouches for: pinned and told. */
static void
sp_report_dane_change(struct account *a, const struct conn_report *r,
    const char *pinned)
{
	struct event ev;

	log_warn("%s: server key changed from %s to %s; DANE vouches for it",
	    a->name, pinned, r->tls.spki_sha256);
	event_init(&ev, EV_INFO, a->name);
	event_str(&ev, "text", "server key changed; a DNSSEC-signed TLSA "
	    "record vouches for the new key, which is now pinned");
	event_bool(&ev, "key_changed", 1);
	event_str(&ev, "domain", a->domain);
	event_str(&ev, "old_spki_sha256", pinned);
	event_str(&ev, "spki_sha256", r->tls.spki_sha256);
	event_str(&ev, "authenticated_by", "dane");
	event_str(&ev, "dane_record", r->tls.dane_record);
	event_emit(&ev);
}

enum conn_verdict
serverpin_verify(void *arg, const struct conn_report *r,
    struct conn_refusal *why)
{
	struct account *a = arg;
	struct serverpin *sp;
	struct serverpin_facts f;
	struct serverpin_verdict v;
	char kind[300], *pinned = NULL;
	int64_t since = 0;
	int rc;

	serverpin_end(a);
	sp = a->serverpin = xcalloc(1, sizeof(*sp));
	sp->a = a;
	sp->auth_by = sp->pin_state = "none";
	sp_kind(a, kind, sizeof(kind));
	rc = store_pin_get(a->w->store, a->name, kind, &pinned, &since, NULL);
	if (rc != WARD_OK && rc != WARD_ERR_NOTFOUND) {
		snprintf(why->code, sizeof(why->code), "storage");
		snprintf(why->text, sizeof(why->text), "cannot read the "
		    "pinned server key: %s", ward_strerror(rc));
		return CONN_VERIFY_REFUSE;
	}
	f.dane = r->dane;
	f.ca_valid = r->tls.verified_by_ca;
	f.spki = r->tls.spki_sha256;
	f.pinned = pinned;
	serverpin_decide(&f, &v);
	switch (v.action) {
	case SERVERPIN_ACCEPT:
		if (v.store_pin)
			sp_store(a, r->tls.spki_sha256);
		if (strcmp(v.pin_state, "changed-dane") == 0)
			sp_report_dane_change(a, r, pinned);
		sp->auth_by = v.auth_by;
		sp->pin_state = v.pin_state;
		free(pinned);
		return CONN_VERIFY_OK;
	case SERVERPIN_ASK:
		sp_ask(a, sp, r, &v, pinned, since);
		free(pinned);
		return CONN_VERIFY_WAIT;
	default:
		snprintf(why->code, sizeof(why->code), "%s", v.code);
		if (r->tls.verify_error[0] != '\0')
			snprintf(why->text, sizeof(why->text), "%s: %s",
			    v.reason, r->tls.verify_error);
		else
			snprintf(why->text, sizeof(why->text), "%s", v.reason);
		free(pinned);
		return CONN_VERIFY_REFUSE;
	}
}

void
serverpin_end(struct account *a)
{
	struct serverpin *sp = a->serverpin;

	if (sp == NULL)
		return;
	a->serverpin = NULL;
	if (sp->waiting)
		prompt_cancel_arg(a->w, sp);
	free(sp);
}

const char *
serverpin_auth_by(const struct account *a)
{
	return a->serverpin != NULL ? a->serverpin->auth_by : "none";
}

const char *
serverpin_pin_state(const struct account *a)
{
	return a->serverpin != NULL ? a->serverpin->pin_state : "none";
}
