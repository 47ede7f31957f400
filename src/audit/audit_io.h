/*
 * audit_io.h: one blocking probe connection for `ward audit`: TCP with a
 * timeout, the XMPP stream opened in clear or over TLS, top-level elements
 * read through ward's limited stream parser. A probe never logs in by
 * itself; audit_login.c builds --account's one login on it.
 */
#ifndef WARD_AUDIT_IO_H
#define WARD_AUDIT_IO_H

#include <stdint.h>

#include <openssl/ssl.h>
#include <strophe.h>

#include "audit.h"

#define AUDIT_NS_TLS "urn:ietf:params:xml:ns:xmpp-tls"
#define AUDIT_NS_SASL "urn:ietf:params:xml:ns:xmpp-sasl"

struct xmlstream;

#define AUDIT_PROBE_QUEUE 8

struct aprobe {
	int fd;
	SSL *ssl; /* NULL until aprobe_tls() */
	unsigned timeout_ms;
	xmpp_ctx_t *xctx;
	struct xmlstream *xs;
	xmpp_stanza_t *queue[AUDIT_PROBE_QUEUE]; /* elements read, in order */
	size_t nqueue;
	int closed;  /* the peer closed the stream or the socket */
	int dropped; /* elements lost because the queue was full */
	/* aprobe_next() gives up at this now_ms() time (0: only the
	 * per-read timeout), so that a server trickling bytes that never
	 * make an element cannot hold the audit */
	int64_t deadline;
	int timed_out;    /* the last aprobe_next() found no element in time */
	int stream_ended; /* our </stream:stream> was sent */
};

/* Connects to t's address (the timeout bounds the connect and each later
 * read and write). 0, or -1 with why set. */
int aprobe_connect(struct aprobe *p, xmpp_ctx_t *xctx,
		   const struct audit_target *t, unsigned timeout_ms, char *why,
		   size_t whylen);
/* Sends the stream header for domain and reads the next element, which
 * should be <stream:features/>: returned (caller releases) or NULL. */
xmpp_stanza_t *aprobe_stream(struct aprobe *p, const char *domain);
/* Sends <starttls/> and waits for <proceed/>: 0, or -1 with why. */
int aprobe_starttls(struct aprobe *p, char *why, size_t whylen);
/* The TLS handshake with ctx on the socket: 0, -1 with why (OpenSSL's
 * reason: the server refused or closed), or -2 when nothing was learnt:
 * this side could not offer what ctx asks for (no protocol or cipher
 * available), or the server did not answer within the timeout. sni may be
 * NULL. */
int aprobe_tls(struct aprobe *p, SSL_CTX *ctx, const char *sni, char *why,
	       size_t whylen);
/* Sends s as is: 0 or -1. */
int aprobe_send(struct aprobe *p, const char *s);
/* Sends st serialised by libstrophe (attributes and text escaped): 0 or
 * -1. */
int aprobe_send_stanza(struct aprobe *p, xmpp_stanza_t *st);
/* The next top-level element (caller releases), NULL on close, a parse
 * error or a timeout (then timed_out is set and the probe stays usable:
 * no read within timeout_ms, or the deadline passed). */
xmpp_stanza_t *aprobe_next(struct aprobe *p);
/* Ends the stream cleanly: our </stream:stream>, then the server's close
 * awaited for at most timeout_ms. aprobe_close() still frees. */
void aprobe_end(struct aprobe *p);
/* Closes the stream and the socket; p can be reused. */
void aprobe_close(struct aprobe *p);

/* Connects to t and gets to the point where the TLS handshake starts
 * (STARTTLS done, or nothing for a direct TLS target). *pre gets the
 * features seen before TLS (may be NULL). 0 or -1 with why. */
int aprobe_to_tls(struct aprobe *p, xmpp_ctx_t *xctx, const char *domain,
		  const struct audit_target *t, unsigned timeout_ms,
		  xmpp_stanza_t **pre, char *why, size_t whylen);

/* audit_target.c: DANE on a session with t: 1 when a usable SECURE TLSA
 * record of t matches the chain presented, 0 when none does, -1 when t
 * has no SECURE TLSA record (then PKIX alone decides). rec gets the record
 * that matched, or the first one. */
int audit_dane_match(const struct audit_target *t, SSL *ssl, char *rec,
		     size_t reclen);

#endif
