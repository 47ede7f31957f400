/*
 * session.c: an XMPP session above TLS: hands SASL to sasl.c, then resource
 * binding, stream management and keep-alives. Hands established-session
 * stanzas to the handler table (dispatch.c) and runs the lifecycle hooks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "account.h"
#include "config.h"
#include "core.h"
#include "event.h"
#include "handlers.h"
#include "loop.h"
#include "sasl.h"
#include "ward.h"

#define NS_BIND "urn:ietf:params:xml:ns:xmpp-bind"
#define NS_SESSION "urn:ietf:params:xml:ns:xmpp-session"
#define NS_STREAMS "http://etherx.jabber.org/streams"
#define NS_SM "urn:xmpp:sm:3"
#define NS_PING "urn:xmpp:ping"

#define SESSION_KEEPALIVE_MS 90000
#define SESSION_KEEPALIVE_TIMEOUT_MS 30000
#define SESSION_LOGIN_TIMEOUT_MS 30000

/* Ends the session with an error event and a stream close. */
static void
session_abort(struct account *a, const char *code, const char *text)
{
	account_lost(a, code, text);
}

static void
session_login_timeout(void *arg)
{
	struct account *a = arg;
	char text[120];

	a->login_timer = 0;
	snprintf(text, sizeof(text), "server did not complete the login "
	    "within %d s", SESSION_LOGIN_TIMEOUT_MS / 1000);
	session_abort(a, "timeout", text);
}

void
session_login_timer(struct account *a, int on)
{
	if (a->login_timer != 0)
		loop_timer_cancel(a->w->loop, a->login_timer);
	a->login_timer = 0;
	if (on)
		a->login_timer = loop_timer_add(a->w->loop,
		    SESSION_LOGIN_TIMEOUT_MS, session_login_timeout, a);
}

void
session_ready(void *arg)
{
	struct account *a = arg;

	a->state = AS_AUTHENTICATING;
	session_login_timer(a, 1);
}

void
session_stream_open(void *arg, const char **attrs)
{
	(void)arg;
	(void)attrs;
}

static void
session_bound(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	xmpp_stanza_t *bind, *jid, *t;
	const char *type = reply ? xmpp_stanza_get_type(reply) : NULL;

	(void)arg;
	if (reply == NULL)
		return;
	if (type == NULL || strcmp(type, "result") != 0 ||
	    (bind = xmpp_stanza_get_child_by_name_and_ns(reply, "bind",
	    NS_BIND)) == NULL ||
	    (jid = xmpp_stanza_get_child_by_name(bind, "jid")) == NULL ||
	    (t = xmpp_stanza_get_children(jid)) == NULL ||
	    !xmpp_stanza_is_text(t)) {
		session_abort(a, "bind-failed", "resource binding failed");
		return;
	}
	free(a->full_jid);
	a->full_jid = xstrdup(xmpp_stanza_get_text_ptr(t));
	a->state = AS_ONLINE;
	loop_timer_cancel(a->w->loop, a->login_timer);
	a->login_timer = 0;
	a->reconnect_attempt = 0;	/* reached a session */
	a->resumed = 0;
	hooks_run(a, HOOK_ONLINE);
}

/*
 * The resource of a new session: ward.conf's, else 16 random hex digits,
 * new at each login. Random rather than "ward" so that the resource names
 * no client software; new at each login rather than kept so that a
 * stranger who once saw a full JID cannot tell a later session is the same
 * device, and a presence probe to an old full JID finds nothing.
 */
static char *
session_resource(struct account *a)
{
	unsigned char rnd[8];
	char *s;
	size_t i;

	if (a->cfg->resource != NULL)
		return xstrdup(a->cfg->resource);
	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		return NULL;
	s = xcalloc(2 * sizeof(rnd) + 1, 1);
	for (i = 0; i < sizeof(rnd); i++)
		snprintf(s + 2 * i, 3, "%02x", rnd[i]);
	OPENSSL_cleanse(rnd, sizeof(rnd));
	return s;
}

/* Binds a resource (a new session). */
void
session_bind_now(struct account *a)
{
	xmpp_stanza_t *iq, *bind, *res, *txt;
	char *id, *resource = session_resource(a);

	id = account_new_id(a);
	iq = xmpp_iq_new(a->w->ctx, "set", id);
	free(id);
	bind = xmpp_stanza_new(a->w->ctx);
	xmpp_stanza_set_name(bind, "bind");
	xmpp_stanza_set_ns(bind, NS_BIND);
	/* no random bytes: no <resource/>, the server picks one (RFC 6120
	 * 7.6) */
	if (resource != NULL) {
		res = xmpp_stanza_new(a->w->ctx);
		xmpp_stanza_set_name(res, "resource");
		txt = xmpp_stanza_new(a->w->ctx);
		xmpp_stanza_set_text(txt, resource);
		xmpp_stanza_add_child(res, txt);
		xmpp_stanza_release(txt);
		xmpp_stanza_add_child(bind, res);
		xmpp_stanza_release(res);
	}
	free(resource);
	xmpp_stanza_add_child(iq, bind);
	xmpp_stanza_release(bind);
	account_send_iq(a, iq, session_bound, NULL);
	xmpp_stanza_release(iq);
}

/* After authentication: resume the dropped session if the server keeps
 * it, else bind a new one. */
static void
session_bind(struct account *a, xmpp_stanza_t *features)
{
	if (xmpp_stanza_get_child_by_name_and_ns(features, "bind",
	    NS_BIND) == NULL) {
		session_abort(a, "bind-failed", "server offers no binding");
		return;
	}
	a->sm_offered = xmpp_stanza_get_child_by_name_and_ns(features, "sm",
	    NS_SM) != NULL;
	a->csi_offered = xmpp_stanza_get_child_by_name_and_ns(features, "csi",
	    "urn:xmpp:csi:0") != NULL;
	a->rosterver_offered = xmpp_stanza_get_child_by_name_and_ns(features,
	    "ver", "urn:xmpp:features:rosterver") != NULL;
	a->preapproval_offered = xmpp_stanza_get_child_by_name_and_ns(
	    features, "sub", "urn:xmpp:features:pre-approval") != NULL;
	if (sm_try_resume(a))
		return;
	session_bind_now(a);
}

static void
session_features(struct account *a, xmpp_stanza_t *st)
{
	if (a->state == AS_AUTHENTICATING) {
		sasl_features(a, st);
	} else if (a->state == AS_BINDING) {
		session_bind(a, st);
	}
}

/* The keep-alive: <r/> with stream management, a ping otherwise. */
static void session_keepalive_fire(void *arg);

static void
session_keepalive_expired(void *arg)
{
	struct account *a = arg;

	a->keepalive_deadline = 0;
	if (a->keepalive_waiting)
		session_abort(a, "timeout", "server stopped answering "
		    "keep-alives");
}

static void
session_ping_reply(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	(void)arg;
	if (reply == NULL)
		return;
	a->keepalive_waiting = 0;
}

static void
session_keepalive_fire(void *arg)
{
	struct account *a = arg;
	xmpp_stanza_t *iq, *ping;
	char *id;

	a->keepalive_timer = 0;
	if (a->state != AS_ONLINE)
		return;
	a->keepalive_waiting = 1;
	hooks_run(a, HOOK_KEEPALIVE);
	if (a->sm_enabled) {
		session_request_ack(a);
	} else {
		id = account_new_id(a);
		iq = xmpp_iq_new(a->w->ctx, "get", id);
		free(id);
		ping = xmpp_stanza_new(a->w->ctx);
		xmpp_stanza_set_name(ping, "ping");
		xmpp_stanza_set_ns(ping, NS_PING);
		xmpp_stanza_add_child(iq, ping);
		xmpp_stanza_release(ping);
		account_send_iq(a, iq, session_ping_reply, NULL);
		xmpp_stanza_release(iq);
	}
	if (a->keepalive_deadline != 0)
		loop_timer_cancel(a->w->loop, a->keepalive_deadline);
	a->keepalive_deadline = loop_timer_add(a->w->loop,
	    SESSION_KEEPALIVE_TIMEOUT_MS, session_keepalive_expired, a);
	session_keepalive_arm(a);
}

/* (Re)arms the keep-alive: called on activity, so a busy link sends none. */
void
session_keepalive_arm(struct account *a)
{
	if (a->keepalive_timer != 0)
		loop_timer_cancel(a->w->loop, a->keepalive_timer);
	a->keepalive_timer = loop_timer_add(a->w->loop,
	    a->cfg->keepalive ? (int64_t)a->cfg->keepalive * 1000 :
	    SESSION_KEEPALIVE_MS, session_keepalive_fire, a);
}

/* HOOK_ONLINE and HOOK_RESUMED: keep-alives, and `connected` reported. */
void
session_online(struct account *a)
{
	session_keepalive_arm(a);
	account_report(a, EV_CONNECTED);
}

/* XEP-0199: a ping (from anyone) is answered. */
void
session_ping_answer(struct account *a, xmpp_stanza_t *iq, xmpp_stanza_t *ping)
{
	(void)ping;
	handlers_iq_result(a, iq);
}

void
session_request_ack(struct account *a)
{
	static const char r[] = "<r xmlns='" NS_SM "'/>";

	if (a->sm_enabled && a->conn != NULL)
		conn_send_raw(a->conn, r, sizeof(r) - 1);
}

void
session_stanza(void *arg, xmpp_stanza_t *st)
{
	struct account *a = arg;
	const char *name = xmpp_stanza_get_name(st);
	const char *ns = xmpp_stanza_get_ns(st);

	if (ns == NULL)
		ns = "";
	if (strcmp(name, "features") == 0 && strcmp(ns, NS_STREAMS) == 0) {
		session_features(a, st);
		return;
	}
	if (strcmp(ns, NS_SASL) == 0) {
		sasl_element(a, st);
		return;
	}
	if (a->state == AS_AUTHENTICATING) {
		/* nothing but SASL may come before authentication */
		session_abort(a, "protocol", "stanza before authentication");
		return;
	}
	if (sm_handle(a, st))
		return;
	if (strcmp(name, "message") == 0 || strcmp(name, "presence") == 0 ||
	    strcmp(name, "iq") == 0) {
		if (a->sm_enabled)
			a->sm_in++;
		if (a->state == AS_ONLINE)
			session_keepalive_arm(a);
		handlers_dispatch(a, st);
	}
}

void
session_closed(void *arg, const char *code, const char *text)
{
	struct account *a = arg;

	a->conn = NULL;	/* the connection frees itself */
	account_lost(a, code, text);
}
