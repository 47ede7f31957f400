/*
 * conn.c: the transport under an XMPP session (see conn.h): SRV, address
 * and TLSA lookups through the validating resolver, non-blocking TCP
 * connects with timeouts, direct TLS or STARTTLS with DANE, a pause after
 * the handshake until the owner trusts the server, and the XML stream over
 * TLS with a queued, never-blocking writer. A BOGUS DNS answer anywhere
 * stops the attempt before any TCP connection is made.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "buf.h"
#include "conn.h"
#include "conn_priv.h"
#include "loop.h"
#include "ward.h"
#include "xmlstream.h"

#define CONN_QUICKACK_READS 32	/* see conn_quickack() */
#define CONN_TCP_TIMEOUT_MS 10000
#define CONN_TLS_TIMEOUT_MS 15000
#define CONN_EARLY_MAX 65536	/* server bytes held while a decision waits */
#define NS_TLS "urn:ietf:params:xml:ns:xmpp-tls"
#define NS_STREAMS "http://etherx.jabber.org/streams"

static void conn_update_events(struct conn *c);
static void conn_handshake_step(struct conn *c);

void
conn_clear_tlsa(struct conn *c)
{
	size_t i;

	for (i = 0; i < c->ntlsa; i++)
		free(c->tlsa[i].data);
	free(c->tlsa);
	c->tlsa = NULL;
	c->ntlsa = 0;
}

static void
conn_destroy(struct conn *c)
{
	size_t i;

	for (i = 0; i < c->ntargets; i++)
		free(c->targets[i].host);
	free(c->targets);
	free(c->addrs);
	conn_clear_tlsa(c);
	free(c->early);
	free(c->domain);
	free(c->jid);
	free(c->server);
	free(c->ca_file);
	wbuf_free(&c->out);
	if (c->xs != NULL)
		xmlstream_free(c->xs);
	free(c);
}

static void
conn_free_cb(void *arg)
{
	conn_destroy(arg);
}

/* Drops socket, TLS and parser; the struct is freed from a timer. */
static void
conn_teardown(struct conn *c)
{
	if (c->timer != 0)
		loop_timer_cancel(c->loop, c->timer);
	c->timer = 0;
	if (c->fd_watched)
		loop_del_fd(c->loop, c->fd);
	c->fd_watched = 0;
	if (c->tls != NULL)
		tls_free(c->tls);
	c->tls = NULL;
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	/* We may be inside xmlstream_feed(): stop it after this element and
	 * free the parser later, in conn_destroy(). */
	if (c->xs != NULL)
		xmlstream_request_reset(c->xs);
	if (c->dns_pending)
		dns_cancel_arg(c->dns, c);	/* no resolver callback after this */
	c->dns_pending = 0;
	c->phase = PH_DEAD;
	if (!c->free_scheduled) {
		c->free_scheduled = 1;
		loop_timer_add(c->loop, 0, conn_free_cb, c);
	}
}

/* Ends the connection and tells the owner, once. */
void
conn_fail(struct conn *c, const char *code, const char *text)
{
	char code_copy[64], text_copy[512];

	if (c->phase == PH_DEAD)
		return;
	/* code and text may live in what teardown frees (the TLS state) */
	snprintf(code_copy, sizeof(code_copy), "%s", code ? code : "");
	snprintf(text_copy, sizeof(text_copy), "%s", text ? text : "");
	log_info("%s: %s: %s", c->domain, code ? code : "closed", text_copy);
	conn_teardown(c);
	c->cbs.closed(c->arg, code ? code_copy : NULL, text_copy);
}

static void
conn_timeout(void *arg)
{
	struct conn *c = arg;

	c->timer = 0;
	switch (c->phase) {
	case PH_TCP:
		snprintf(c->last_err_code, sizeof(c->last_err_code), "%s",
		    "connect-failed");
		snprintf(c->last_err_text, sizeof(c->last_err_text),
		    "connection to %s timed out", c->rep.address);
		close(c->fd);
		loop_del_fd(c->loop, c->fd);
		c->fd_watched = 0;
		c->fd = -1;
		c->ai++;
		conn_try_addr(c);
		break;
	case PH_PRETLS:
	case PH_HANDSHAKE:
		conn_fail(c, "tls-failed", "TLS negotiation timed out");
		break;
	default:
		break;
	}
}

static void
conn_set_timer(struct conn *c, int64_t ms)
{
	if (c->timer != 0)
		loop_timer_cancel(c->loop, c->timer);
	c->timer = ms > 0 ? loop_timer_add(c->loop, ms, conn_timeout, c) : 0;
}

/* Writes as much queued output as the socket takes now. */
static int
conn_flush(struct conn *c)
{
	size_t n;
	ssize_t w;
	int r;

	while (wbuf_avail(&c->out) > 0) {
		if (c->phase == PH_STREAM) {
			r = tls_write(c->tls, wbuf_ptr(&c->out),
			    wbuf_avail(&c->out), &n);
			if (r == WARD_ERR_AGAIN)
				break;
			if (r != WARD_OK)
				return r;
		} else if (c->phase == PH_PRETLS) {
			w = write(c->fd, wbuf_ptr(&c->out), wbuf_avail(&c->out));
			if (w < 0 && (errno == EAGAIN || errno == EINTR))
				break;
			if (w <= 0)
				return WARD_ERR_IO;
			n = (size_t)w;
		} else {
			break;
		}
		wbuf_consume(&c->out, n);
	}
	return WARD_OK;
}

static void
conn_update_events(struct conn *c)
{
	short ev = 0;

	if (!c->fd_watched)
		return;
	switch (c->phase) {
	case PH_TCP:
		ev = POLLOUT;
		break;
	case PH_PRETLS:
		ev = POLLIN | (wbuf_avail(&c->out) ? POLLOUT : 0);
		break;
	case PH_HANDSHAKE:
		ev = tls_wants(c->tls);
		break;
	case PH_VERIFY:
		ev = POLLIN | (tls_wants(c->tls) == POLLOUT ? POLLOUT : 0);
		break;
	case PH_STREAM:
		ev = POLLIN;
		if (wbuf_avail(&c->out) > 0 || tls_wants(c->tls) == POLLOUT)
			ev |= POLLOUT;
		break;
	default:
		break;
	}
	loop_set_events(c->loop, c->fd, ev);
}

int
conn_send_raw(struct conn *c, const char *s, size_t n)
{
	int r;

	if (c->phase != PH_STREAM && c->phase != PH_PRETLS)
		return WARD_ERR_CLOSED;
	if ((r = wbuf_put(&c->out, s, n)) != WARD_OK) {
		conn_fail(c, "output-overflow", "too much output queued");
		return r;
	}
	if ((r = conn_flush(c)) != WARD_OK) {
		conn_fail(c, NULL, "write failed");
		return r;
	}
	conn_update_events(c);
	return WARD_OK;
}

int
conn_send(struct conn *c, xmpp_stanza_t *st)
{
	char *text;
	size_t len;
	int r;

	if (xmpp_stanza_to_text(st, &text, &len) != 0)
		return WARD_ERR_NOMEM;
	r = conn_send_raw(c, text, len);
	xmpp_free(c->ctx, text);
	return r;
}

/* Sends our stream header (to= domain; from= the JID once TLS is up). */
static void
conn_open_stream(struct conn *c)
{
	char *hdr;

	xasprintf(&hdr, "<?xml version='1.0'?><stream:stream "
	    "xmlns='jabber:client' xmlns:stream='%s' to='%s'%s%s%s "
	    "version='1.0' xml:lang='en'>", NS_STREAMS, c->domain,
	    c->phase == PH_STREAM ? " from='" : "",
	    c->phase == PH_STREAM ? c->jid : "",
	    c->phase == PH_STREAM ? "'" : "");
	conn_send_raw(c, hdr, strlen(hdr));
	free(hdr);
}

static void
conn_xs_open(void *arg, const char **attrs)
{
	struct conn *c = arg;

	if (c->phase == PH_STREAM)
		c->cbs.stream_open(c->arg, attrs);
}

static void
conn_xs_close(void *arg)
{
	struct conn *c = arg;

	conn_fail(c, NULL, "server closed the stream");
}

/* A <stream:error/>: reports the condition and closes. */
static void
conn_stream_error(struct conn *c, xmpp_stanza_t *st)
{
	xmpp_stanza_t *ch;
	char text[256] = "stream error";

	for (ch = xmpp_stanza_get_children(st); ch != NULL;
	    ch = xmpp_stanza_get_next(ch)) {
		if (xmpp_stanza_is_tag(ch) && strcmp(xmpp_stanza_get_name(ch),
		    "text") != 0) {
			snprintf(text, sizeof(text), "stream error: %s",
			    xmpp_stanza_get_name(ch));
			break;
		}
	}
	conn_fail(c, "stream-error", text);
}

static void
conn_start_handshake(struct conn *c, int alpn)
{
	struct tls_opts o = { c->domain, c->tls_min, c->ca_file, alpn,
	    c->tlsa, c->ntlsa, c->targets[c->ti].host };
	char *why = NULL;

	if (tls_new(&o, c->fd, &c->tls, &why) != WARD_OK) {
		conn_fail(c, "tls-failed", why ? why : "TLS set-up failed");
		free(why);
		return;
	}
	c->phase = PH_HANDSHAKE;
	conn_set_timer(c, CONN_TLS_TIMEOUT_MS);
	conn_handshake_step(c);	/* sends the ClientHello, sets what to wait for */
}

/* Elements before TLS: only features/starttls/proceed are acceptable. */
static void
conn_pretls_stanza(struct conn *c, xmpp_stanza_t *st)
{
	const char *name = xmpp_stanza_get_name(st);
	const char *ns = xmpp_stanza_get_ns(st);

	if (strcmp(name, "features") == 0 && ns && !strcmp(ns, NS_STREAMS)) {
		if (xmpp_stanza_get_child_by_name_and_ns(st, "starttls",
		    NS_TLS) == NULL) {
			conn_fail(c, "tls-failed",
			    "server does not offer STARTTLS");
			return;
		}
		conn_send_raw(c, "<starttls xmlns='" NS_TLS "'/>",
		    strlen("<starttls xmlns='" NS_TLS "'/>"));
	} else if (strcmp(name, "proceed") == 0 && ns && !strcmp(ns, NS_TLS)) {
		xmlstream_request_reset(c->xs);
		conn_start_handshake(c, 0);
	} else if (strcmp(name, "error") == 0 && ns &&
	    !strcmp(ns, NS_STREAMS)) {
		conn_stream_error(c, st);
	} else {
		conn_fail(c, "tls-failed", "STARTTLS refused by the server");
	}
}

static void
conn_xs_stanza(void *arg, xmpp_stanza_t *st)
{
	struct conn *c = arg;
	const char *ns;

	if (c->phase == PH_PRETLS) {
		conn_pretls_stanza(c, st);
		return;
	}
	if (c->phase != PH_STREAM)
		return;
	ns = xmpp_stanza_get_ns(st);
	if (strcmp(xmpp_stanza_get_name(st), "error") == 0 && ns != NULL &&
	    strcmp(ns, NS_STREAMS) == 0) {
		conn_stream_error(c, st);
		return;
	}
	c->cbs.stanza(c->arg, st);
}

static const struct xmlstream_cbs conn_xs_cbs = {
	conn_xs_open, conn_xs_stanza, conn_xs_close
};

/* Feeds received bytes to the parser; a parse error ends the stream. */
static void
conn_feed(struct conn *c, const char *buf, size_t n)
{
	int r = xmlstream_feed(c->xs, buf, n);
	char *text, *se;

	if (r == WARD_OK || c->phase == PH_DEAD)
		return;
	xasprintf(&text, "%s", xmlstream_error_text(c->xs));
	xasprintf(&se, "<stream:error><%s xmlns='urn:ietf:params:xml:ns:"
	    "xmpp-streams'/></stream:error></stream:stream>",
	    xmlstream_error_condition(c->xs) ? xmlstream_error_condition(c->xs)
	    : "bad-format");
	/* best effort: queue the error and try once to write it */
	wbuf_put(&c->out, se, strlen(se));
	conn_flush(c);
	conn_fail(c, xmlstream_error_condition(c->xs) ?
	    xmlstream_error_condition(c->xs) : "bad-format", text);
	free(text);
	free(se);
}

/* Trusted: the stream opens over TLS and the owner hears of it. */
static void
conn_open_session(struct conn *c)
{
	char *early = c->early;
	size_t nearly = c->nearly;

	c->phase = PH_STREAM;
	if (xmlstream_reset(c->xs) != WARD_OK) {
		conn_fail(c, "internal", "out of memory");
		return;
	}
	conn_open_stream(c);
	if (c->phase != PH_STREAM)
		return;
	conn_update_events(c);
	c->cbs.ready(c->arg);
	c->early = NULL;
	c->nearly = 0;
	if (early != NULL && c->phase == PH_STREAM)
		conn_feed(c, early, nearly);
	free(early);
}

/* The handshake is done: collect what the owner needs and ask it. */
static void
conn_tls_done(struct conn *c)
{
	struct conn_refusal why;
	enum conn_verdict v;

	conn_set_timer(c, 0);
	tls_get_info(c->tls, &c->rep.tls);
	if (!c->rep.tls.dane_active)
		c->rep.dane = CONN_DANE_NONE;
	else if (c->rep.tls.dane_match)
		c->rep.dane = CONN_DANE_MATCH;
	else
		c->rep.dane = CONN_DANE_MISMATCH;
	log_info("%s: %s %s, certificate %s, spki %s, dane %s%s%s", c->domain,
	    c->rep.tls.version, c->rep.tls.cipher, c->rep.tls.subject,
	    c->rep.tls.spki_sha256, c->rep.dane == CONN_DANE_MATCH ? "match" :
	    c->rep.dane == CONN_DANE_MISMATCH ? "mismatch" : "none",
	    c->rep.tls.verify_ok ? "" : ", verification: ",
	    c->rep.tls.verify_ok ? "" : c->rep.tls.verify_error);
	c->phase = PH_VERIFY;
	conn_update_events(c);
	memset(&why, 0, sizeof(why));
	v = c->cbs.verify(c->arg, &c->rep, &why);
	if (c->phase != PH_VERIFY)
		return;		/* closed from inside the callback */
	switch (v) {
	case CONN_VERIFY_OK:
		conn_open_session(c);
		break;
	case CONN_VERIFY_WAIT:
		log_info("%s: holding the connection until the server is "
		    "trusted", c->domain);
		break;
	default:
		conn_fail(c, why.code[0] ? why.code : "cert-untrusted",
		    why.text[0] ? why.text : "the server is not trusted");
		break;
	}
}

static void
conn_handshake_step(struct conn *c)
{
	int r = tls_handshake(c->tls);

	if (r == WARD_ERR_AGAIN) {
		loop_set_events(c->loop, c->fd, tls_wants(c->tls));
		return;
	}
	if (r != WARD_OK) {
		conn_fail(c, tls_error_code(c->tls) ? tls_error_code(c->tls) :
		    "tls-failed", tls_error_code(c->tls) ?
		    tls_error_text(c->tls) : "connection closed during TLS");
		return;
	}
	conn_tls_done(c);
}

/* One TLS read: WARD_OK with *n bytes, WARD_ERR_AGAIN, or another error
 * after which the connection has been failed (closed or broken). */
static int
conn_tls_read(struct conn *c, char *buf, size_t size, size_t *n)
{
	int r = tls_read(c->tls, buf, size, n);

	if (r == WARD_ERR_CLOSED)
		conn_fail(c, NULL, "connection closed by server");
	else if (r != WARD_OK && r != WARD_ERR_AGAIN)
		conn_fail(c, NULL, tls_error_text(c->tls)[0] ?
		    tls_error_text(c->tls) : "read failed");
	return r;
}

/*
 * While the owner decides nothing is written; reading only notices the
 * end of the connection (and lets OpenSSL take session tickets). A server
 * that speaks first has its bytes held, up to CONN_EARLY_MAX.
 */
static void
conn_verify_read(struct conn *c)
{
	char buf[4096];
	size_t n;
	int r;

	for (;;) {
		r = conn_tls_read(c, buf, sizeof(buf), &n);
		if (r == WARD_ERR_AGAIN)
			break;
		if (r != WARD_OK)
			return;
		if (n > CONN_EARLY_MAX - c->nearly) {
			conn_fail(c, "policy-violation", "server sent too "
			    "much before the stream was opened");
			return;
		}
		c->early = xrealloc(c->early, c->nearly + n);
		memcpy(c->early + c->nearly, buf, n);
		c->nearly += n;
	}
	conn_update_events(c);
}

static void
conn_read(struct conn *c)
{
	char buf[16384];
	size_t n;
	ssize_t rd;
	int rounds = 0;

	while (c->phase == PH_STREAM || c->phase == PH_PRETLS) {
		if (c->phase == PH_PRETLS) {
			rd = read(c->fd, buf, sizeof(buf));
			if (rd < 0 && (errno == EAGAIN || errno == EINTR))
				return;
			if (rd <= 0) {
				conn_fail(c, NULL, "connection closed by server");
				return;
			}
			conn_feed(c, buf, (size_t)rd);
			continue;
		}
		if (conn_tls_read(c, buf, sizeof(buf), &n) != WARD_OK)
			return;
		conn_feed(c, buf, n);
		if (c->phase != PH_STREAM)
			return;
		/* let other fds run after a burst; poll says if more waits */
		if (++rounds >= 64 && tls_pending(c->tls) == 0)
			return;
	}
}

static void
conn_tcp_connected(struct conn *c)
{
	int err = 0, one = 1;
	socklen_t len = sizeof(err);

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 ||
	    err != 0) {
		snprintf(c->last_err_code, sizeof(c->last_err_code), "%s",
		    "connect-failed");
		snprintf(c->last_err_text, sizeof(c->last_err_text),
		    "connect to %s failed: %s", c->rep.address,
		    strerror(err ? err : errno));
		loop_del_fd(c->loop, c->fd);
		c->fd_watched = 0;
		close(c->fd);
		c->fd = -1;
		c->ai++;
		conn_try_addr(c);
		return;
	}
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->quickacks = CONN_QUICKACK_READS;
	log_info("%s: connected to %s (%s)", c->domain, c->rep.address,
	    c->rep.target);
	c->xs = xmlstream_new(c->ctx, &conn_xs_cbs, c);
	if (c->xs == NULL) {
		conn_fail(c, "internal", "out of memory");
		return;
	}
	if (c->rep.direct_tls) {
		conn_start_handshake(c, 1);
		return;
	}
	c->phase = PH_PRETLS;
	conn_set_timer(c, CONN_TLS_TIMEOUT_MS);
	conn_open_stream(c);
	conn_update_events(c);
}

/*
 * During the login, every exchange is a small request and a small answer.
 * A server that leaves Nagle on (Prosody's default) holds its next segment
 * until our ACK, and Linux delays that ACK by up to 40 ms: turn delayed
 * ACKs off for the first reads. TCP_QUICKACK is not sticky (the kernel
 * may clear it), so it is set again before each of them.
 */
static void
conn_quickack(struct conn *c)
{
	int one = 1;

	if (c->quickacks == 0 || c->fd < 0)
		return;
	c->quickacks--;
	setsockopt(c->fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
}

static void
conn_io(void *arg, int fd, short revents)
{
	struct conn *c = arg;
	int r;

	if (revents & POLLIN)
		conn_quickack(c);

	switch (c->phase) {
	case PH_TCP:
		conn_tcp_connected(c);
		break;
	case PH_HANDSHAKE:
		conn_handshake_step(c);
		break;
	case PH_VERIFY:
		conn_verify_read(c);
		break;
	case PH_PRETLS:
	case PH_STREAM:
		if (revents & POLLOUT) {
			if ((r = conn_flush(c)) != WARD_OK) {
				conn_fail(c, NULL, "write failed");
				return;
			}
		}
		if (revents & (POLLIN | POLLHUP | POLLERR))
			conn_read(c);
		if (c->phase != PH_DEAD)
			conn_update_events(c);
		break;
	default:
		break;
	}
}

/* Starts a non-blocking connect to the current address, or moves on. */
void
conn_try_addr(struct conn *c)
{
	struct sockaddr_storage *sa;
	socklen_t salen;
	char host[INET6_ADDRSTRLEN];
	unsigned port;

	while (c->ai < c->naddrs) {
		sa = &c->addrs[c->ai];
		if (sa->ss_family == AF_INET6) {
			struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)sa;
			inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof(host));
			port = ntohs(s6->sin6_port);
			salen = sizeof(*s6);
		} else {
			struct sockaddr_in *s4 = (struct sockaddr_in *)sa;
			inet_ntop(AF_INET, &s4->sin_addr, host, sizeof(host));
			port = ntohs(s4->sin_port);
			salen = sizeof(*s4);
		}
		snprintf(c->rep.address, sizeof(c->rep.address),
		    sa->ss_family == AF_INET6 ? "[%s]:%u" : "%s:%u", host, port);
		c->fd = socket(sa->ss_family, SOCK_STREAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0);
		if (c->fd >= 0 && (connect(c->fd, (struct sockaddr *)sa,
		    salen) == 0 || errno == EINPROGRESS)) {
			c->phase = PH_TCP;
			loop_add_fd(c->loop, c->fd, POLLOUT, conn_io, c);
			c->fd_watched = 1;
			conn_set_timer(c, CONN_TCP_TIMEOUT_MS);
			return;
		}
		snprintf(c->last_err_code, sizeof(c->last_err_code), "%s",
		    "connect-failed");
		snprintf(c->last_err_text, sizeof(c->last_err_text),
		    "connect to %s failed: %s", c->rep.address, strerror(errno));
		if (c->fd >= 0)
			close(c->fd);
		c->fd = -1;
		c->ai++;
	}
	c->ti++;
	conn_next_target(c);
}

int
conn_start(const struct conn_params *p, const struct conn_cbs *cbs, void *arg,
    struct conn **out)
{
	struct conn *c;

	*out = NULL;
	if (cbs->verify == NULL)
		return WARD_ERR_INVAL;	/* nobody would decide trust */
	c = xcalloc(1, sizeof(*c));
	c->loop = p->loop;
	c->dns = p->dns;
	c->ctx = p->ctx;
	c->domain = xstrdup(p->domain);
	c->jid = xstrdup(p->jid);
	c->server = p->server ? xstrdup(p->server) : NULL;
	c->ca_file = p->ca_file ? xstrdup(p->ca_file) : NULL;
	c->port = p->port;
	c->direct_tls_override = p->direct_tls;
	c->tls_min = p->tls_min;
	c->require_dnssec = p->require_dnssec;
	c->cbs = *cbs;
	c->arg = arg;
	c->fd = -1;
	wbuf_init(&c->out, CONN_OUT_MAX);
	*out = c;
	conn_lookup_start(c);
	return WARD_OK;
}

void
conn_restart_stream(struct conn *c)
{
	if (c->phase != PH_STREAM)
		return;
	xmlstream_request_reset(c->xs);
	conn_open_stream(c);
}

const struct conn_report *
conn_get_report(const struct conn *c)
{
	return &c->rep;
}

void
conn_resume(struct conn *c)
{
	if (c->phase != PH_VERIFY)
		return;
	log_info("%s: server trusted, opening the stream", c->domain);
	conn_open_session(c);
}

int
conn_waiting(const struct conn *c)
{
	return c->phase == PH_VERIFY;
}

const struct tls *
conn_tls(const struct conn *c)
{
	return c->phase == PH_STREAM ? c->tls : NULL;
}

size_t
conn_pending_output(const struct conn *c)
{
	return wbuf_avail(&c->out);
}

void
conn_close(struct conn *c, const char *stream_error)
{
	char *s;

	if (c->phase == PH_DEAD)
		return;
	if (c->phase == PH_STREAM) {
		if (stream_error != NULL)
			xasprintf(&s, "<stream:error><%s xmlns='urn:ietf:"
			    "params:xml:ns:xmpp-streams'/></stream:error>"
			    "</stream:stream>", stream_error);
		else
			s = xstrdup("</stream:stream>");
		wbuf_put(&c->out, s, strlen(s));
		free(s);
		conn_flush(c);
	}
	conn_teardown(c);
}
