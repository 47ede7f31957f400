/*
 * account.c: one account's life: its resolver, starting and ending
 * connections, sending with stream-management counting, IQ bookkeeping
 * (a reply is matched by id and by who may answer), and the connection
 * security report.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "config.h"
#include "core.h"
#include "dns.h"
#include "event.h"
#include "handlers.h"
#include "jid.h"
#include "loop.h"
#include "password.h"
#include "serverpin.h"
#include "stanza.h"
#include "sasl.h"
#include "ward.h"
#include "ward-config.h"

struct account *
account_new(struct ward *w, const struct account_config *cfg, char **why)
{
	struct account *a;
	struct dns_opts o;
	struct jid j;
	size_t i;

	*why = NULL;
	if (jid_parse(cfg->jid, &j) != WARD_OK || j.local == NULL) {
		xasprintf(why, "account %s: invalid jid", cfg->name);
		return NULL;
	}
	a = xcalloc(1, sizeof(*a));
	a->w = w;
	a->cfg = cfg;
	a->name = cfg->name;
	a->local = xstrdup(j.local);
	a->domain = xstrdup(j.domain);
	xasprintf(&a->jid, "%s@%s", j.local, j.domain);
	jid_clear(&j);
	memset(&o, 0, sizeof(o));
	o.root_anchor_file = WARD_ROOT_ANCHOR;
	o.trust_anchor_file = cfg->dns_trust_anchor;
	if (cfg->nstubs > DNS_MAX_STUBS) {
		xasprintf(why, "account %s: at most %d dns_stub lines", cfg->name,
		    DNS_MAX_STUBS);
		account_free(a);
		return NULL;
	}
	for (i = 0; i < cfg->nstubs && i < DNS_MAX_STUBS; i++) {
		o.stubs[i].zone = cfg->stubs[i].zone;
		o.stubs[i].addr = cfg->stubs[i].addr;
		o.stubs[i].port = cfg->stubs[i].port;
	}
	o.nstubs = i;
	if (dns_new(&o, &a->dns) != WARD_OK) {
		xasprintf(why, "account %s: cannot set up the DNS resolver "
		    "(check dns_trust_anchor and dns_stub)", cfg->name);
		account_free(a);
		return NULL;
	}
	return a;
}

static void
account_dns_readable(void *arg, int fd, short revents)
{
	struct account *a = arg;

	(void)fd;
	(void)revents;
	dns_process(a->dns);
}

/* Fetches the password once: from password_command or the file. */
static int
account_password(struct account *a)
{
	const char *why;
	char *pw = NULL;
	int r;

	if (a->password != NULL)
		return WARD_OK;
	r = password_of_account(a->cfg, &pw, &why);
	if (r != WARD_OK) {
		event_error(a->name, "config", why);
		return r;
	}
	a->password = pw;
	return WARD_OK;
}

static void account_drop(struct account *a, const char *reason,
    int keep_sm);

int
account_connect(struct account *a)
{
	a->want_online = 1;
	a->reconnect_attempt = 0;
	reconnect_cancel(a);
	return account_connect_again(a);
}

int
account_connect_again(struct account *a)
{
	static const struct conn_cbs cbs = {
		.verify = serverpin_verify,
		.ready = session_ready,
		.stream_open = session_stream_open,
		.stanza = session_stanza,
		.closed = session_closed,
	};
	struct conn_params p;
	struct event ev;
	if (a->state != AS_OFFLINE)
		return WARD_OK;
	loop_del_fd(a->w->loop, dns_fd(a->dns));
	loop_add_fd(a->w->loop, dns_fd(a->dns), POLLIN,
	    account_dns_readable, a);
	memset(&p, 0, sizeof(p));
	p.loop = a->w->loop;
	p.dns = a->dns;
	p.ctx = a->w->ctx;
	p.domain = a->domain;
	p.jid = a->jid;
	p.server = a->cfg->server;
	p.port = a->cfg->port;
	p.direct_tls = a->cfg->direct_tls;
	p.tls_min = a->cfg->tls_min;
	p.ca_file = a->cfg->ca_file;
	p.require_dnssec = a->cfg->dnssec == DNSSEC_REQUIRE;
	a->state = AS_CONNECTING;
	a->connect_started = now_ms();
	event_init(&ev, EV_INFO, a->name);
	event_str(&ev, "text", "connecting");
	event_emit(&ev);
	conn_start(&p, &cbs, a, &a->conn);
	/* The password is needed only at SASL: fetching it (a blocking
	 * password_command) while the DNS queries are out overlaps both. */
	if (a->state != AS_OFFLINE && account_password(a) != WARD_OK) {
		a->want_online = 0;
		reconnect_cancel(a);
		account_drop(a, "no password", 0);
		return WARD_ERR_AUTH;
	}
	return WARD_OK;
}

/* Tells every IQ waiter that no reply will come. */
static void
account_drop_iqs(struct account *a)
{
	struct iq_wait *q;

	while ((q = a->iqs) != NULL) {
		a->iqs = q->next;
		loop_timer_cancel(a->w->loop, q->timer);
		q->cb(a, NULL, q->arg);
		free(q->id);
		free(q->to);
		free(q);
	}
}

/*
 * Tears the session down. keep_sm: the connection was lost, not ended, so
 * the stream-management state (counters, unacknowledged messages) stays
 * for a resumption.
 */
static void
account_drop(struct account *a, const char *reason, int keep_sm)
{
	struct event ev;
	enum account_state was = a->state;

	if (a->conn != NULL) {
		struct conn *c = a->conn;
		a->conn = NULL;
		conn_close(c, NULL);
	}
	serverpin_end(a);	/* withdraws a cert-changed prompt */
	if (a->keepalive_timer != 0)
		loop_timer_cancel(a->w->loop, a->keepalive_timer);
	if (a->keepalive_deadline != 0)
		loop_timer_cancel(a->w->loop, a->keepalive_deadline);
	a->keepalive_timer = a->keepalive_deadline = 0;
	loop_timer_cancel(a->w->loop, a->login_timer);
	a->login_timer = 0;
	a->keepalive_waiting = 0;
	sasl_end(a);
	a->state = AS_OFFLINE;
	account_drop_iqs(a);
	hooks_run(a, HOOK_DOWN);
	a->sm_resuming = 0;
	if (!keep_sm || a->sm_id == NULL) {
		hooks_run(a, HOOK_OFFLINE);
		a->sm_in = a->out_seq = 0;
	}
	a->sm_offered = a->sm_requested = a->sm_pending = a->sm_enabled = 0;
	a->sm_ack_wanted = 0;
	if (was != AS_OFFLINE) {
		event_init(&ev, EV_DISCONNECTED, a->name);
		event_str(&ev, "reason", reason ? reason : "disconnected");
		event_emit(&ev);
	}
}

void
account_disconnect(struct account *a, const char *reason)
{
	a->want_online = 0;
	reconnect_cancel(a);
	account_drop(a, reason, 0);
}

void
account_lost(struct account *a, const char *code, const char *text)
{
	if (code != NULL)
		event_error(a->name, code, text);
	account_drop(a, text, 1);
	reconnect_schedule(a, code);
}

void
account_resumed(struct account *a)
{
	loop_timer_cancel(a->w->loop, a->login_timer);
	a->login_timer = 0;
	a->state = AS_ONLINE;
	a->reconnect_attempt = 0;	/* reached a session */
	a->resumed = 1;
	hooks_run(a, HOOK_RESUMED);
}

void
account_free(struct account *a)
{
	if (a == NULL)
		return;
	if (a->state != AS_OFFLINE)
		account_disconnect(a, "shutting down");
	reconnect_cancel(a);
	hooks_run(a, HOOK_FREED);	/* after the IQ waiters were told */
	if (a->dns != NULL) {
		loop_del_fd(a->w->loop, dns_fd(a->dns));
		dns_free(a->dns);
	}
	free(a->jid);
	free(a->local);
	free(a->domain);
	free(a->full_jid);
	free(a->show);
	free(a->status);
	freezero_str(a->password);
	free(a->unacked);
	free(a);
}

static int
account_counts(xmpp_stanza_t *st)
{
	const char *n = xmpp_stanza_get_name(st);

	return n != NULL && (strcmp(n, "message") == 0 ||
	    strcmp(n, "presence") == 0 || strcmp(n, "iq") == 0);
}

int
account_send(struct account *a, xmpp_stanza_t *st)
{
	if (a->conn == NULL)
		return WARD_ERR_CLOSED;
	/* counted from <enable/> on with stream management; otherwise a
	 * local numbering for ping barriers */
	if (account_counts(st))
		a->out_seq++;
	return conn_send(a->conn, st);
}

char *
account_new_id(struct account *a)
{
	char *uuid = xmpp_uuid_gen(a->w->ctx), *id;

	a->iq_counter++;
	if (uuid == NULL) {
		xasprintf(&id, "ward-%u-%lld", a->iq_counter,
		    (long long)now_ms());
		return id;
	}
	id = xstrdup(uuid);
	xmpp_free(a->w->ctx, uuid);
	return id;
}

int
account_send_iq(struct account *a, xmpp_stanza_t *iq, iq_reply_cb cb,
    void *arg)
{
	struct iq_wait *q;
	const char *id = xmpp_stanza_get_id(iq), *to = xmpp_stanza_get_to(iq);
	int r;

	if (id == NULL)
		return WARD_ERR_INVAL;
	csi_awaiting_reply(a);	/* no reply held back by an idle state */
	if ((r = account_send(a, iq)) != WARD_OK)
		return r;
	q = xcalloc(1, sizeof(*q));
	q->a = a;
	q->id = xstrdup(id);
	q->to = to ? xstrdup(to) : NULL;
	q->cb = cb;
	q->arg = arg;
	q->next = a->iqs;
	a->iqs = q;
	return WARD_OK;
}

/* No reply in time: the waiter gets an error reply made here. */
static void
account_iq_expired(void *arg)
{
	struct iq_wait *q = arg, **pp;
	struct account *a = q->a;
	xmpp_stanza_t *err, *e;

	for (pp = &a->iqs; *pp != NULL && *pp != q; pp = &(*pp)->next)
		;
	if (*pp == NULL)
		return; /* cannot happen: the timer goes with the waiter */
	*pp = q->next;
	log_info("%s: no reply to IQ %s from %s in time", a->name, q->id,
	    q->to ? q->to : "our server");
	err = xmpp_iq_new(a->w->ctx, "error", q->id);
	if (q->to != NULL)
		xmpp_stanza_set_from(err, q->to);
	e = stanza_elem(a->w->ctx, "error", NULL);
	xmpp_stanza_set_type(e, "wait");
	stanza_adopt(e, stanza_elem(a->w->ctx, "remote-server-timeout",
	    "urn:ietf:params:xml:ns:xmpp-stanzas"));
	stanza_adopt(err, e);
	q->cb(a, err, q->arg);
	xmpp_stanza_release(err);
	free(q->id);
	free(q->to);
	free(q);
}

int
account_send_iq_timeout(struct account *a, xmpp_stanza_t *iq, iq_reply_cb cb,
    void *arg, int64_t timeout_ms)
{
	int r;

	if ((r = account_send_iq(a, iq, cb, arg)) != WARD_OK)
		return r;
	/* account_send_iq put the new waiter first */
	a->iqs->timer = loop_timer_add(a->w->loop, timeout_ms,
	    account_iq_expired, a->iqs);
	return WARD_OK;
}

/*
 * May this 'from' answer a request sent to 'to'? A request to our server
 * (no to) is answered without from, or from our bare JID or domain.
 */
static int
account_iq_sender_ok(struct account *a, const char *to, const char *from)
{
	if (to == NULL)
		return from == NULL || jid_equal(from, a->jid) ||
		    jid_equal(from, a->domain) ||
		    (a->full_jid != NULL && jid_equal(from, a->full_jid));
	if (from == NULL)
		return 0;
	return jid_equal(from, to);
}

int
account_iq_reply(struct account *a, xmpp_stanza_t *st)
{
	struct iq_wait **pp, *q;
	const char *id = xmpp_stanza_get_id(st);
	const char *from = xmpp_stanza_get_from(st);

	if (id == NULL)
		return 0;
	for (pp = &a->iqs; (q = *pp) != NULL; pp = &q->next) {
		if (strcmp(q->id, id) != 0)
			continue;
		if (!account_iq_sender_ok(a, q->to, from)) {
			log_warn("%s: IQ reply for id %s from an unexpected "
			    "sender dropped", a->name, id);
			return 1;
		}
		*pp = q->next;
		loop_timer_cancel(a->w->loop, q->timer);
		q->cb(a, st, q->arg);
		free(q->id);
		free(q->to);
		free(q);
		return 1;
	}
	log_debug("%s: IQ reply with unknown id dropped", a->name);
	return 1;
}

void
account_report(struct account *a, int kind)
{
	const struct conn_report *r;
	struct event ev;
	char addr[64];

	/*
	 * "connected" is reported once a session is established (new or
	 * resumed): the resolver is not needed until the next connection.
	 */
	if (kind == EV_CONNECTED)
		dns_release(a->dns);
	if (a->conn == NULL || a->state != AS_ONLINE) {
		event_init(&ev, kind == EV_CONNECTED ? EV_CONNECTED :
		    EV_SECURITY, a->name);
		event_str(&ev, "state", "offline");
		event_emit(&ev);
		return;
	}
	r = conn_get_report(a->conn);
	snprintf(addr, sizeof(addr), "%s", r->address);
	event_init(&ev, (enum event_kind)kind, a->name);
	event_str(&ev, "jid", a->full_jid);
	event_bool(&ev, "encrypted", 1);
	event_str(&ev, "authenticated_by", serverpin_auth_by(a));
	event_str(&ev, "tls", r->tls.version);
	event_str(&ev, "cipher", r->tls.cipher);
	event_str(&ev, "cert_sha256", r->tls.cert_sha256);
	event_str(&ev, "spki_sha256", r->tls.spki_sha256);
	event_str(&ev, "cert_subject", r->tls.subject);
	event_str(&ev, "cert_issuer", r->tls.issuer);
	event_str(&ev, "cert_not_before", r->tls.not_before);
	event_str(&ev, "cert_not_after", r->tls.not_after);
	event_str(&ev, "dnssec", dns_sec_name(r->dnssec));
	event_str(&ev, "dnssec_srv", r->srv_used ?
	    dns_sec_name(r->dnssec_srv) : "not-used");
	event_str(&ev, "dnssec_addr", dns_sec_name(r->dnssec_addr));
	event_str(&ev, "dnssec_tlsa", r->tlsa_looked_up ?
	    dns_sec_name(r->dnssec_tlsa) : "not-used");
	event_str(&ev, "dane", r->dane == CONN_DANE_MATCH ? "match" : "none");
	event_str(&ev, "dane_record", r->dane == CONN_DANE_MATCH ?
	    r->tls.dane_record : NULL);
	event_int(&ev, "tlsa_records", (long long)r->tls.tlsa_total);
	event_int(&ev, "tlsa_usable", (long long)r->tls.tlsa_usable);
	event_bool(&ev, "ca_valid", r->tls.verified_by_ca);
	event_str(&ev, "key_pin", serverpin_pin_state(a));
	event_str(&ev, "sasl", a->sasl_mech);
	event_str(&ev, "channel_binding", a->channel_binding);
	event_str(&ev, "target", r->target);
	event_str(&ev, "address", addr);
	event_bool(&ev, "direct_tls", r->direct_tls);
	event_bool(&ev, "stream_management", a->sm_requested);
	event_bool(&ev, "resumed", a->resumed);
	event_int(&ev, "connect_ms", (long long)(now_ms() -
	    a->connect_started));
	event_emit(&ev);
}
