/*
 * dns_wire.h: the messages between ward and its resolver process
 * (dns_helper.c). The validating resolver parses what the network sends, so
 * it runs in a process of its own that holds no keys and no account data;
 * ward sends it settings and queries over a socket and reads answers back,
 * treating them as untrusted input.
 *
 * A frame is a 4-byte big-endian length N (1..DNS_WIRE_MAX) and N bytes;
 * the first byte says what the frame is. Numbers are big-endian, strings
 * a 2-byte length and the bytes (no NUL inside).
 */
#ifndef WARD_DNS_WIRE_H
#define WARD_DNS_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "dns.h"

struct ub_result;

#define DNS_WIRE_MAX (128 * 1024) /* a DNS answer is at most 64 KiB */
#define DNS_WIRE_HDR 4
#define DNS_WIRE_MAX_RR 1024 /* records in one answer */

enum dns_wire_kind {
	DNS_WIRE_OPTS = 'O',   /* ward -> helper, first and once: settings */
	DNS_WIRE_QUERY = 'Q',  /* ward -> helper: id, rrtype, name */
	DNS_WIRE_CANCEL = 'C', /* ward -> helper: id */
	DNS_WIRE_ANSWER =
	    'A', /* helper -> ward: id, libunbound error, result */
};

/*
 * Appending one frame to b. WARD_ERR_LIMIT when it would pass DNS_WIRE_MAX
 * (or b's ceiling), WARD_ERR_INVAL for a bad argument, WARD_ERR_NOMEM.
 * On error b is as it was.
 */
int dns_wire_put_opts(struct wbuf *b, const struct dns_opts *o);
int dns_wire_put_query(struct wbuf *b, uint32_t id, int rrtype,
		       const char *name);
int dns_wire_put_cancel(struct wbuf *b, uint32_t id);
/* r may be NULL (then uberr should say why). */
int dns_wire_put_answer(struct wbuf *b, uint32_t id, int uberr,
			const struct ub_result *r);

/*
 * The next whole frame at the front of b: WARD_OK with *kind, *body and
 * *len (the bytes after the kind byte) and *total (what to wbuf_consume);
 * WARD_ERR_AGAIN when it has not all arrived; WARD_ERR_PARSE for a length
 * of 0 or over DNS_WIRE_MAX.
 */
int dns_wire_next(const struct wbuf *b, int *kind, const unsigned char **body,
		  size_t *len, size_t *total);

/*
 * Decoding a frame's body (as dns_wire_next gave it). WARD_ERR_PARSE for
 * anything malformed: short, trailing bytes, a string with a NUL, a name
 * that is not a domain name, counts over the limits. Nothing is allocated
 * on error.
 */
/* Strings in o are malloc'd: dns_wire_opts_clear. */
int dns_wire_get_opts(const unsigned char *p, size_t n, struct dns_opts *o);
void dns_wire_opts_clear(struct dns_opts *o);
/* name: DNS_NAME_MAX + 2 bytes (a trailing dot is kept if sent). */
int dns_wire_get_query(const unsigned char *p, size_t n, uint32_t *id,
		       int *rrtype, char *name);
int dns_wire_get_cancel(const unsigned char *p, size_t n, uint32_t *id);
/*
 * *r is NULL when the helper sent no result, else a ub_result laid out as
 * libunbound's (qname, qtype, qclass, data/len NULL-terminated, rcode,
 * havedata, nxdomain, secure, bogus, why_bogus, ttl; no answer packet),
 * freed with dns_wire_result_free, never ub_resolve_free.
 */
int dns_wire_get_answer(const unsigned char *p, size_t n, uint32_t *id,
			int *uberr, struct ub_result **r);
void dns_wire_result_free(struct ub_result *r);

#endif
