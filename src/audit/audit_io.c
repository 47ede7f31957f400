/*
 * audit_io.c: the blocking probe connection of `ward audit` (audit_io.h).
 * Bytes from the server go through ward's stream parser (xmlstream.c) with
 * its size and depth limits, as in a session.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/err.h>

#include "audit_io.h"
#include "ward.h"
#include "xmlstream.h"

static void
on_stanza(void *arg, xmpp_stanza_t *st)
{
	struct aprobe *p = arg;

	if (p->nqueue >= AUDIT_PROBE_QUEUE) {
		p->dropped++;
		return;
	}
	p->queue[p->nqueue++] = xmpp_stanza_clone(st);
}

static void
on_close(void *arg)
{
	((struct aprobe *)arg)->closed = 1;
}

static const struct xmlstream_cbs probe_cbs = {NULL, on_stanza, on_close};

int
aprobe_connect(struct aprobe *p, xmpp_ctx_t *xctx, const struct audit_target *t,
	       unsigned timeout_ms, char *why, size_t whylen)
{
	struct pollfd pfd;
	struct timeval tv;
	socklen_t len, elen = sizeof(int);
	int fl, err = 0;

	memset(p, 0, sizeof(*p));
	p->fd = -1;
	p->xctx = xctx;
	p->timeout_ms = timeout_ms;
	if (!t->have_addr) {
		snprintf(why, whylen, "%s has no address", t->host);
		return -1;
	}
	len = t->addr.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
					    : sizeof(struct sockaddr_in);
	p->fd = socket(t->addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (p->fd < 0)
		goto sys;
	fl = fcntl(p->fd, F_GETFL);
	fcntl(p->fd, F_SETFL, fl | O_NONBLOCK);
	if (connect(p->fd, (const struct sockaddr *)&t->addr, len) != 0) {
		if (errno != EINPROGRESS)
			goto sys;
		pfd.fd = p->fd;
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, (int)timeout_ms) != 1) {
			snprintf(why, whylen, "connect to %s port %u timed out",
				 t->host, t->port);
			goto fail;
		}
		if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &elen) != 0)
			goto sys;
		if (err != 0) {
			errno = err;
			goto sys;
		}
	}
	fcntl(p->fd, F_SETFL, fl & ~O_NONBLOCK);
	tv.tv_sec = timeout_ms / 1000;
	tv.tv_usec = (timeout_ms % 1000) * 1000;
	setsockopt(p->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(p->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	p->xs = xmlstream_new(xctx, &probe_cbs, p);
	if (p->xs == NULL) {
		snprintf(why, whylen, "out of memory");
		goto fail;
	}
	return 0;
sys:
	snprintf(why, whylen, "connect to %s port %u: %s", t->host, t->port,
		 strerror(errno));
fail:
	aprobe_close(p);
	return -1;
}

int
aprobe_send(struct aprobe *p, const char *s)
{
	size_t n = strlen(s), off = 0;

	while (off < n) {
		int r;
		ssize_t w;
		if (p->ssl != NULL) {
			r = SSL_write(p->ssl, s + off, (int)(n - off));
			if (r <= 0)
				return -1;
			off += (size_t)r;
			continue;
		}
		w = send(p->fd, s + off, n - off, MSG_NOSIGNAL);
		if (w <= 0)
			return -1;
		off += (size_t)w;
	}
	return 0;
}

int
aprobe_send_stanza(struct aprobe *p, xmpp_stanza_t *st)
{
	char *text = NULL;
	size_t len = 0;
	int r;

	if (xmpp_stanza_to_text(st, &text, &len) != XMPP_EOK)
		return -1;
	r = aprobe_send(p, text);
	xmpp_free(p->xctx, text);
	return r;
}

xmpp_stanza_t *
aprobe_next(struct aprobe *p)
{
	char buf[4096];
	/* without a deadline, one element's bytes get twice the timeout */
	int64_t end =
	    p->deadline ? p->deadline : now_ms() + 2 * (int64_t)p->timeout_ms;

	p->timed_out = 0;
	for (;;) {
		ssize_t r;
		if (p->nqueue > 0) {
			xmpp_stanza_t *st = p->queue[0];
			memmove(p->queue, p->queue + 1,
				(p->nqueue - 1) * sizeof(p->queue[0]));
			p->nqueue--;
			return st;
		}
		if (p->closed || p->fd < 0)
			return NULL;
		if (now_ms() >= end) {
			p->timed_out = 1;
			return NULL;
		}
		errno = 0;
		if (p->ssl != NULL) {
			int n = SSL_read(p->ssl, buf, sizeof(buf));
			r = n > 0 ? n : -1;
			if (n <= 0 &&
			    SSL_get_error(p->ssl, n) == SSL_ERROR_WANT_READ)
				errno = EAGAIN;
		} else {
			r = recv(p->fd, buf, sizeof(buf), 0);
		}
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			/* SO_RCVTIMEO expired: nothing came in time */
			p->timed_out = 1;
			return NULL;
		}
		if (r <= 0) {
			p->closed = 1;
			return NULL;
		}
		if (xmlstream_feed(p->xs, buf, (size_t)r) != WARD_OK)
			p->closed = 1;
	}
}

xmpp_stanza_t *
aprobe_stream(struct aprobe *p, const char *domain)
{
	char hdr[512];
	xmpp_stanza_t *st;

	snprintf(hdr, sizeof(hdr),
		 "<?xml version='1.0'?><stream:stream to='%s' version='1.0' "
		 "xml:lang='en' xmlns='jabber:client' "
		 "xmlns:stream='http://etherx.jabber.org/streams'>",
		 domain);
	if (aprobe_send(p, hdr) != 0)
		return NULL;
	st = aprobe_next(p);
	if (st != NULL && strcmp(xmpp_stanza_get_name(st), "features") != 0) {
		xmpp_stanza_release(st);
		return NULL;
	}
	return st;
}

int
aprobe_starttls(struct aprobe *p, char *why, size_t whylen)
{
	xmpp_stanza_t *st;
	int ok;

	if (aprobe_send(p, "<starttls xmlns='" AUDIT_NS_TLS "'/>") != 0) {
		snprintf(why, whylen, "cannot send <starttls/>");
		return -1;
	}
	st = aprobe_next(p);
	ok = st != NULL && strcmp(xmpp_stanza_get_name(st), "proceed") == 0;
	if (!ok)
		snprintf(why, whylen, "no <proceed/> after <starttls/> (%s)",
			 st ? xmpp_stanza_get_name(st) : "closed");
	if (st != NULL)
		xmpp_stanza_release(st);
	if (ok)
		xmlstream_reset(p->xs);
	return ok ? 0 : -1;
}

int
aprobe_tls(struct aprobe *p, SSL_CTX *ctx, const char *sni, char *why,
	   size_t whylen)
{
	unsigned long e;
	int r, err;

	ERR_clear_error();
	p->ssl = SSL_new(ctx);
	if (p->ssl == NULL || SSL_set_fd(p->ssl, p->fd) != 1) {
		snprintf(why, whylen, "OpenSSL cannot start a session");
		return -1;
	}
	if (sni != NULL)
		SSL_set_tlsext_host_name(p->ssl, sni);
	errno = 0;
	if ((r = SSL_connect(p->ssl)) == 1)
		return 0;
	e = ERR_peek_last_error();
	err = SSL_get_error(p->ssl, r);
	/* SO_RCVTIMEO expired: OpenSSL sees EAGAIN as "want read" */
	if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE ||
	    (e == 0 && err == SSL_ERROR_SYSCALL &&
	     (errno == EAGAIN || errno == EWOULDBLOCK || errno == ETIMEDOUT))) {
		/* no answer within the timeout: not a refusal (T62) */
		snprintf(why, whylen, "no answer to the handshake within %u ms",
			 p->timeout_ms);
		SSL_free(p->ssl);
		p->ssl = NULL;
		return -2;
	}
	snprintf(why, whylen, "handshake refused: %s",
		 e && ERR_reason_error_string(e) ? ERR_reason_error_string(e)
						 : "connection closed");
	/* this side could not offer what the probe asks for: nothing was
	 * learnt about the server */
	if (ERR_GET_LIB(e) == ERR_LIB_SSL &&
	    (ERR_GET_REASON(e) == SSL_R_NO_PROTOCOLS_AVAILABLE ||
	     ERR_GET_REASON(e) == SSL_R_NO_CIPHERS_AVAILABLE)) {
		snprintf(why, whylen, "this OpenSSL could not offer it: %s",
			 ERR_reason_error_string(e));
		SSL_free(p->ssl);
		p->ssl = NULL;
		return -2;
	}
	SSL_free(p->ssl);
	p->ssl = NULL;
	return -1;
}

void
aprobe_end(struct aprobe *p)
{
	xmpp_stanza_t *st;

	if (p->fd < 0 || p->xs == NULL || p->stream_ended)
		return;
	p->stream_ended = 1;
	if (aprobe_send(p, "</stream:stream>") != 0)
		return;
	p->deadline = now_ms() + p->timeout_ms;
	while ((st = aprobe_next(p)) != NULL)
		xmpp_stanza_release(st);
}

void
aprobe_close(struct aprobe *p)
{
	size_t i;

	if (p->fd >= 0 && p->xs != NULL && !p->stream_ended)
		(void)aprobe_send(p, "</stream:stream>");
	if (p->ssl != NULL) {
		SSL_shutdown(p->ssl);
		SSL_free(p->ssl);
		p->ssl = NULL;
	}
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	for (i = 0; i < p->nqueue; i++)
		xmpp_stanza_release(p->queue[i]);
	p->nqueue = 0;
	xmlstream_free(p->xs);
	p->xs = NULL;
}

int
aprobe_to_tls(struct aprobe *p, xmpp_ctx_t *xctx, const char *domain,
	      const struct audit_target *t, unsigned timeout_ms,
	      xmpp_stanza_t **pre, char *why, size_t whylen)
{
	xmpp_stanza_t *f;

	if (pre != NULL)
		*pre = NULL;
	if (aprobe_connect(p, xctx, t, timeout_ms, why, whylen) != 0)
		return -1;
	if (t->direct_tls)
		return 0;
	f = aprobe_stream(p, domain);
	if (f == NULL) {
		snprintf(why, whylen, "%s port %u sent no stream features",
			 t->host, t->port);
		aprobe_close(p);
		return -1;
	}
	if (xmpp_stanza_get_child_by_name_and_ns(f, "starttls", AUDIT_NS_TLS) ==
	    NULL) {
		snprintf(why, whylen, "%s port %u offers no STARTTLS", t->host,
			 t->port);
		if (pre != NULL)
			*pre = f;
		else
			xmpp_stanza_release(f);
		aprobe_close(p);
		return -1;
	}
	if (pre != NULL)
		*pre = f;
	else
		xmpp_stanza_release(f);
	if (aprobe_starttls(p, why, whylen) != 0) {
		aprobe_close(p);
		return -1;
	}
	return 0;
}
