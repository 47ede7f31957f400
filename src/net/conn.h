/*
 * conn.h: one XMPP transport connection: validated DNS (SRV, A/AAAA,
 * TLSA), non-blocking TCP, TLS (direct or STARTTLS, DANE) and the XML
 * stream over it. Whether the server is trusted is asked of the owner
 * (the verify callback) before a byte is sent over TLS. Everything above
 * TLS (SASL, bind, stanzas) belongs to session.c.
 */
#ifndef WARD_CONN_H
#define WARD_CONN_H

#include <strophe.h>

#include "dns.h"
#include "tls.h"

struct loop;
struct conn;

struct conn_params {
	struct loop *loop;
	struct dns *dns;
	xmpp_ctx_t *ctx;
	const char *domain;	/* JID domain: SRV name, SNI, certificate name */
	const char *jid;	/* bare JID, for the stream's from= */
	const char *server;	/* NULL: use SRV; else connect here */
	unsigned port;
	int direct_tls;		/* with server: port speaks direct TLS */
	int tls_min;		/* 12 or 13 */
	const char *ca_file;
	int require_dnssec;	/* dnssec = require: INSECURE is refused too */
};

/* DANE's verdict on the TLS session (RFC 6698/7671/7673). */
enum conn_dane {
	CONN_DANE_NONE,		/* no usable secure TLSA: PKIX applies */
	CONN_DANE_MATCH,	/* a secure TLSA record vouches */
	CONN_DANE_MISMATCH,	/* usable secure TLSA records, none matched */
};

/* What the connection report shows about the transport. */
struct conn_report {
	enum dns_sec dnssec_srv;	/* SRV lookups (SECURE when none made) */
	enum dns_sec dnssec_addr;	/* A/AAAA of the target used */
	enum dns_sec dnssec;		/* worst of the two */
	int srv_used;			/* 0: server setting or RFC 6120 fallback */
	int tlsa_looked_up;		/* 0: not asked (SRV or address insecure,
					   an IP address) */
	enum dns_sec dnssec_tlsa;	/* that lookup, when made */
	enum conn_dane dane;
	char target[300];		/* host:port used */
	char address[64];		/* IP address used */
	int direct_tls;
	struct tls_info tls;
};

/* The owner's answer once TLS is up (see conn_cbs.verify). */
enum conn_verdict {
	CONN_VERIFY_OK,		/* go on: open the stream */
	CONN_VERIFY_WAIT,	/* hold: conn_resume() or conn_close() later */
	CONN_VERIFY_REFUSE,	/* end it with the code and text given */
};

struct conn_refusal {
	char code[32];		/* contract error code */
	char text[256];
};

struct conn_cbs {
	/* The TLS handshake is done and nothing has been sent over it yet
	 * (not even the stream header): may it carry a session? r has the
	 * certificate, DANE and DNSSEC facts. Required. While it waits the
	 * connection sends nothing and reads only to notice its end (then
	 * closed runs). On REFUSE, closed runs with why's code and text. */
	enum conn_verdict (*verify)(void *arg, const struct conn_report *r,
	    struct conn_refusal *why);
	/* TLS is up and a stream was opened over it: features follow. */
	void (*ready)(void *arg);
	/* The server's stream header (after every restart). */
	void (*stream_open)(void *arg, const char **attrs);
	/* A top-level element; owned by the stream (clone to keep). */
	void (*stanza)(void *arg, xmpp_stanza_t *st);
	/* The connection is gone (code: contract error code, or NULL for a
	 * plain close). No callback comes after this one. */
	void (*closed)(void *arg, const char *code, const char *text);
};

int conn_start(const struct conn_params *p, const struct conn_cbs *cbs,
    void *arg, struct conn **out);
/* Queues a stanza (serialised now). */
int conn_send(struct conn *c, xmpp_stanza_t *st);
int conn_send_raw(struct conn *c, const char *s, size_t n);
/* After SASL success: a new stream header and a fresh parser. Callable
 * from inside the stanza callback. */
void conn_restart_stream(struct conn *c);
const struct conn_report *conn_get_report(const struct conn *c);
/* After CONN_VERIFY_WAIT: the server is trusted after all; the stream
 * opens and ready runs (perhaps closed instead, if writing fails). */
void conn_resume(struct conn *c);
/* 1 while a verify answer of CONN_VERIFY_WAIT holds the connection. */
int conn_waiting(const struct conn *c);
/* Closes politely (optional stream error condition first) and frees the
 * connection later; no callback is made after this call. */
void conn_close(struct conn *c, const char *stream_error);
/* The TLS session once the stream runs over it (channel binding); else NULL. */
const struct tls *conn_tls(const struct conn *c);
/* Whether bytes are still waiting to be written. */
size_t conn_pending_output(const struct conn *c);

#endif
