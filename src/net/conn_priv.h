/*
 * conn_priv.h: what conn.c (TCP, TLS, the trust pause, the stream) and
 * conn_dns.c (the SRV, address and TLSA lookups before them) share. Nothing
 * else includes it: the rest of ward sees conn.h only.
 */
#ifndef WARD_CONN_PRIV_H
#define WARD_CONN_PRIV_H

#include <stdint.h>
#include <sys/socket.h>

#include "buf.h"
#include "conn.h"

#define CONN_OUT_MAX (16u << 20)

enum conn_phase {
	PH_SRV, PH_ADDR, PH_TLSA, PH_TCP, PH_PRETLS, PH_HANDSHAKE,
	PH_VERIFY,	/* TLS is up; the owner has not trusted it yet */
	PH_STREAM, PH_DEAD
};

struct conn {
	unsigned quickacks;	/* reads left with delayed ACKs turned off */
	struct loop *loop;
	struct dns *dns;
	xmpp_ctx_t *ctx;
	char *domain, *jid, *server, *ca_file;
	unsigned port;
	int direct_tls_override, tls_min, require_dnssec;
	struct conn_cbs cbs;
	void *arg;

	enum conn_phase phase;
	struct dns_target *targets;
	size_t ntargets, ti;
	struct sockaddr_storage *addrs;
	size_t naddrs, ai;
	struct dns_tlsa *tlsa;	/* secure TLSA records of the current target */
	size_t ntlsa;
	char *early;		/* what the server sent during PH_VERIFY */
	size_t nearly;
	int fd;
	int fd_watched;
	struct tls *tls;
	struct xmlstream *xs;
	struct wbuf out;
	uint64_t timer;
	int dns_pending;	/* a resolver callback is still due */
	int free_scheduled;
	char last_err_code[32];
	char last_err_text[256];
	struct conn_report rep;
};

/* conn.c */
/* Ends the connection and tells the owner (closed), once. */
void conn_fail(struct conn *c, const char *code, const char *text);
/* Connects to the current target's next address, or moves on to the next
 * target (conn_next_target) when none is left. */
void conn_try_addr(struct conn *c);
void conn_clear_tlsa(struct conn *c);

/* conn_dns.c */
/* Starts with the SRV lookup (or the server setting). */
void conn_lookup_start(struct conn *c);
/* Looks up the current target (c->ti): addresses, then TLSA; fails the
 * connection when no target is left. */
void conn_next_target(struct conn *c);

#endif
