/*
 * fuzz_dnswire.c: libFuzzer harness for the frames between ward and its
 * resolver process (src/net/dns_wire.c). The input is cut into frames by
 * dns_wire_next over a wbuf, each body going to its kind's decoder, and is
 * also handed whole to every decoder. Decoders read exact-size copies.
 * Whatever decodes must be in range, re-encode to the same bytes (an
 * answer's ttl loses its top bit) and decode again to an equal value.
 * A decoded answer then goes through every result builder of dns_answer.c
 * (SRV, A/AAAA, TLSA, CAA), and the whole input is also one CAA rdata for
 * dns_caa.c: what they keep must be in range, and a CAA record's text
 * printable ASCII whatever the buffer size.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unbound.h>

#include "dns.h"
#include "dns_wire.h"
#include "ward.h"

#define CEILING (DNS_WIRE_HDR + DNS_WIRE_MAX)

static unsigned char *
dup_bytes(const unsigned char *p, size_t n)
{
	unsigned char *q = malloc(n); /* even 0: ASan flags any read */

	if (n > 0) {
		if (q == NULL)
			abort();
		memcpy(q, p, n);
	}
	return q;
}

/* Encoded b holds one frame of kind: its body, else abort. */
static const unsigned char *
one_frame(const struct wbuf *b, int kind, size_t *len)
{
	const unsigned char *body;
	size_t total;
	int k;

	if (dns_wire_next(b, &k, &body, len, &total) != WARD_OK || k != kind ||
	    total != wbuf_avail(b))
		abort();
	return body;
}

static int
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* A name as the decoders let it through: LDH, '_' and dots. */
static void
check_name(const char *s, int root_ok)
{
	size_t n = strlen(s), i, lab = 0;

	if (root_ok && strcmp(s, ".") == 0)
		return;
	if (n == 0 || n > DNS_NAME_MAX + 1 || s[0] == '.' ||
	    strstr(s, "..") != NULL)
		abort();
	for (i = 0; i < n; i++) {
		if (strchr("abcdefghijklmnopqrstuvwxyz"
			   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.",
			   s[i]) == NULL)
			abort();
		lab = s[i] == '.' ? 0 : lab + 1;
		if (lab > 63)
			abort();
	}
}

/*
 * Answers.
 */

static size_t
nrecords(const struct ub_result *r)
{
	size_t n = 0;

	if (r->data == NULL || r->len == NULL)
		abort();
	while (r->data[n] != NULL)
		n++;
	return n;
}

static void
check_result(const struct ub_result *r)
{
	size_t n = nrecords(r), i;

	if (r->qname == NULL || r->canonname != NULL ||
	    r->answer_packet != NULL || r->answer_len != 0)
		abort();
	if (r->qtype < 0 || r->qtype > 65535 || r->qclass < 0 ||
	    r->qclass > 65535 || r->rcode < 0 || r->rcode > 65535 || r->ttl < 0)
		abort();
	if ((r->havedata | r->nxdomain | r->secure | r->bogus |
	     r->was_ratelimited) > 1 ||
	    (r->havedata | r->nxdomain | r->secure | r->bogus |
	     r->was_ratelimited) < 0 ||
	    (r->secure && r->bogus))
		abort();
	if (r->why_bogus != NULL && r->why_bogus[0] == '\0')
		abort();
	if (n > DNS_WIRE_MAX_RR)
		abort();
	for (i = 0; i < n; i++)
		if (r->len[i] < 0 || r->len[i] > 65535)
			abort();
}

static void
same_result(const struct ub_result *a, const struct ub_result *b)
{
	size_t n, i;

	if ((a == NULL) != (b == NULL))
		abort();
	if (a == NULL)
		return;
	n = nrecords(a);
	if (nrecords(b) != n || !str_eq(a->qname, b->qname) ||
	    a->qtype != b->qtype || a->qclass != b->qclass ||
	    a->rcode != b->rcode || a->havedata != b->havedata ||
	    a->nxdomain != b->nxdomain || a->secure != b->secure ||
	    a->bogus != b->bogus || a->was_ratelimited != b->was_ratelimited ||
	    a->ttl != b->ttl || !str_eq(a->why_bogus, b->why_bogus))
		abort();
	for (i = 0; i < n; i++)
		if (a->len[i] != b->len[i] ||
		    (a->len[i] > 0 &&
		     memcmp(a->data[i], b->data[i], (size_t)a->len[i]) != 0))
			abort();
}

/*
 * Results built from a decoded answer, and CAA rdata.
 */

static uint32_t
fixed_rand(void *ctx, uint32_t bound)
{
	(void)ctx;
	return bound - 1;
}

/* A host name as dns_srv_parse lets it through ("" is the root). */
static void
check_host(const char *h)
{
	size_t i;

	for (i = 0; h[i] != '\0'; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyz"
			   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.",
			   h[i]) == NULL)
			abort();
	if (i > DNS_NAME_MAX)
		abort();
}

/* A parsed CAA record: its tag, its value's terminator, its text at
 * every buffer size up to a little over what it needs, its issue value. */
static void
check_caa(const struct dns_caa *c, size_t rdlen)
{
	char text[1200], issuer[DNS_NAME_MAX + 1];
	size_t tl = strlen(c->tag), i, k, sizes[] = {0, 1, 5, 9, 17, 64, 160};
	int n;

	if (tl < 1 || tl > DNS_CAA_TAG_MAX || 2 + tl + c->len != rdlen ||
	    c->value == NULL || c->value[c->len] != '\0')
		abort();
	for (i = 0; i < tl; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyz"
			   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
			   c->tag[i]) == NULL)
			abort();
	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]) + 1; k++) {
		size_t sz = k < sizeof(sizes) / sizeof(sizes[0]) ? sizes[k]
								 : sizeof(text);
		memset(text, 'X', sizeof(text));
		dns_caa_text(c, text, sz);
		if (sz == 0)
			continue;
		if (memchr(text, '\0', sz) == NULL)
			abort();
		for (i = 0; text[i] != '\0'; i++)
			if (text[i] < 0x20 || text[i] > 0x7e)
				abort();
	}
	n = dns_caa_param_count(c, "accounturi");
	if (dns_caa_issuer(c, issuer, sizeof(issuer)) == WARD_OK) {
		if (!dns_caa_is_issue(c) || n < 0)
			abort();
		for (i = 0; issuer[i] != '\0'; i++)
			if (strchr("abcdefghijklmnopqrstuvwxyz"
				   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.",
				   issuer[i]) == NULL)
				abort();
	} else if (n != -1 && dns_caa_is_issue(c) && c->len < sizeof(issuer))
		abort(); /* an issue-value whose issuer did not fit */
}

/* The whole input as one CAA rdata (an exact-size copy). */
static void
fuzz_caa_rdata(const unsigned char *data, size_t size)
{
	unsigned char *p = dup_bytes(data, size);
	struct dns_caa c;
	int e;

	e = dns_caa_parse(p, size, &c);
	free(p);
	if (e != WARD_OK) {
		if (e != WARD_ERR_PARSE || c.value != NULL || c.len != 0 ||
		    c.tag[0] != '\0')
			abort();
		return;
	}
	check_caa(&c, size);
	dns_caa_clear(&c);
}

/* r through every result builder. */
static void
fuzz_results(const struct ub_result *r)
{
	struct dns_caa_result *caa;
	struct dns_tlsa_result *tlsa;
	struct dns_srv_result *srv;
	struct dns_addr_result *addr;
	size_t n = nrecords(r), i;

	if (dns_caa_merge(r, &caa) == WARD_OK) {
		if (caa->nrecords > DNS_MAX_CAA ||
		    caa->nrecords + caa->nmalformed > n ||
		    (caa->sec == DNS_SEC_BOGUS) != (caa->bogus_what != NULL) ||
		    (caa->sec == DNS_SEC_BOGUS && caa->nrecords != 0))
			abort();
		for (i = 0; i < caa->nrecords; i++)
			check_caa(&caa->records[i],
				  2 + strlen(caa->records[i].tag) +
				      caa->records[i].len);
		dns_caa_result_free(caa);
	} else if (caa != NULL)
		abort();
	if (dns_tlsa_merge(r, &tlsa) == WARD_OK) {
		if (tlsa->nrecords > DNS_MAX_TLSA ||
		    (tlsa->sec == DNS_SEC_BOGUS && tlsa->nrecords != 0))
			abort();
		for (i = 0; i < tlsa->nrecords; i++)
			if (tlsa->records[i].len == 0 ||
			    tlsa->records[i].data == NULL)
				abort();
		dns_tlsa_result_free(tlsa);
	} else if (tlsa != NULL)
		abort();
	if (dns_srv_merge("example.test", r, r, fixed_rand, NULL, &srv) ==
	    WARD_OK) {
		if (srv->ntargets > 2 * DNS_MAX_TARGETS ||
		    (srv->sec == DNS_SEC_BOGUS && srv->ntargets != 0))
			abort();
		for (i = 0; i < srv->ntargets; i++) {
			check_host(srv->targets[i].host);
			if (srv->targets[i].port == 0 ||
			    srv->targets[i].port > 65535)
				abort();
		}
		dns_srv_result_free(srv);
	} else if (srv != NULL)
		abort();
	if (dns_addr_merge(r, r, 5222, &addr) == WARD_OK) {
		if (addr->naddrs > 2 * DNS_MAX_ADDRS ||
		    (addr->sec == DNS_SEC_BOGUS && addr->naddrs != 0))
			abort();
		dns_addr_result_free(addr);
	} else if (addr != NULL)
		abort();
}

/* Decodes an answer body; what decodes survives put → get unchanged. */
static void
fuzz_answer(const unsigned char *data, size_t size)
{
	static struct ub_result sentinel;
	unsigned char *p = dup_bytes(data, size), *q;
	struct ub_result *r, *r2;
	const unsigned char *body;
	struct wbuf b;
	size_t len, i, ttl_at = SIZE_MAX;
	uint32_t id, id2;
	int e, uberr, uberr2;

	r = &sentinel; /* must be overwritten */
	e = dns_wire_get_answer(p, size, &id, &uberr, &r);
	free(p);
	if (e != WARD_OK) {
		if ((e != WARD_ERR_PARSE && e != WARD_ERR_NOMEM) || r != NULL)
			abort();
		return;
	}
	if (r != NULL) {
		check_result(r);
		fuzz_results(r);
		ttl_at = 9 + 2 + strlen(r->qname) + 6 + 1;
	}
	wbuf_init(&b, CEILING);
	e = dns_wire_put_answer(&b, id, uberr, r);
	if (size + 1 > DNS_WIRE_MAX) {
		if (e != WARD_ERR_LIMIT || wbuf_avail(&b) != 0)
			abort();
		dns_wire_result_free(r);
		wbuf_free(&b);
		return;
	}
	if (e != WARD_OK)
		abort();
	body = one_frame(&b, DNS_WIRE_ANSWER, &len);
	if (len != size)
		abort();
	for (i = 0; i < size; i++)
		if (body[i] != (i == ttl_at ? (data[i] & 0x7f) : data[i]))
			abort();
	q = dup_bytes(body, len);
	if (dns_wire_get_answer(q, len, &id2, &uberr2, &r2) != WARD_OK ||
	    id2 != id || uberr2 != uberr)
		abort();
	same_result(r, r2);
	free(q);
	dns_wire_result_free(r2);
	dns_wire_result_free(r);
	wbuf_free(&b);
}

/*
 * Queries and cancels.
 */

static void
fuzz_query(const unsigned char *data, size_t size)
{
	unsigned char *p = dup_bytes(data, size);
	char *name = malloc(DNS_NAME_MAX + 2),
	     *name2 = malloc(DNS_NAME_MAX + 2);
	const unsigned char *body;
	struct wbuf b;
	uint32_t id, id2;
	size_t len;
	int e, rrtype, rrtype2;

	if (name == NULL || name2 == NULL)
		abort();
	e = dns_wire_get_query(p, size, &id, &rrtype, name);
	free(p);
	if (e != WARD_OK) {
		if (e != WARD_ERR_PARSE)
			abort();
		goto out;
	}
	check_name(name, 0);
	if (rrtype < 0 || rrtype > 65535)
		abort();
	wbuf_init(&b, CEILING);
	if (dns_wire_put_query(&b, id, rrtype, name) != WARD_OK)
		abort();
	body = one_frame(&b, DNS_WIRE_QUERY, &len);
	if (len != size || memcmp(body, data, size) != 0)
		abort();
	p = dup_bytes(body, len);
	if (dns_wire_get_query(p, len, &id2, &rrtype2, name2) != WARD_OK ||
	    id2 != id || rrtype2 != rrtype || strcmp(name, name2) != 0)
		abort();
	free(p);
	wbuf_free(&b);
out:
	free(name);
	free(name2);
}

static void
fuzz_cancel(const unsigned char *data, size_t size)
{
	unsigned char *p = dup_bytes(data, size);
	const unsigned char *body;
	struct wbuf b;
	uint32_t id;
	size_t len;
	int e;

	e = dns_wire_get_cancel(p, size, &id);
	free(p);
	if (e != WARD_OK) {
		if (e != WARD_ERR_PARSE || size == 4)
			abort();
		return;
	}
	if (size != 4)
		abort();
	wbuf_init(&b, CEILING);
	if (dns_wire_put_cancel(&b, id) != WARD_OK)
		abort();
	body = one_frame(&b, DNS_WIRE_CANCEL, &len);
	if (len != size || memcmp(body, data, size) != 0)
		abort();
	wbuf_free(&b);
}

/*
 * Settings.
 */

static void
check_opts_empty(const struct dns_opts *o)
{
	size_t i;

	if (o->root_anchor_file != NULL || o->trust_anchor_file != NULL ||
	    o->resolv_conf != NULL || o->nstubs != 0 || o->timeout_ms != 0)
		abort();
	for (i = 0; i < DNS_MAX_STUBS; i++)
		if (o->stubs[i].zone != NULL || o->stubs[i].addr != NULL ||
		    o->stubs[i].port != 0)
			abort();
}

static void
check_opts(const struct dns_opts *o)
{
	size_t i;

	if ((o->root_anchor_file != NULL && o->root_anchor_file[0] == '\0') ||
	    (o->trust_anchor_file != NULL && o->trust_anchor_file[0] == '\0') ||
	    (o->resolv_conf != NULL && o->resolv_conf[0] == '\0') ||
	    o->nstubs > DNS_MAX_STUBS || o->timeout_ms != 0)
		abort();
	for (i = 0; i < DNS_MAX_STUBS; i++) {
		if (i >= o->nstubs) {
			if (o->stubs[i].zone != NULL ||
			    o->stubs[i].addr != NULL || o->stubs[i].port != 0)
				abort();
			continue;
		}
		if (o->stubs[i].zone == NULL || o->stubs[i].addr == NULL ||
		    o->stubs[i].addr[0] == '\0' || o->stubs[i].port == 0 ||
		    o->stubs[i].port > 65535)
			abort();
		check_name(o->stubs[i].zone, 1);
	}
}

static void
same_opts(const struct dns_opts *a, const struct dns_opts *b)
{
	size_t i;

	if (!str_eq(a->root_anchor_file, b->root_anchor_file) ||
	    !str_eq(a->trust_anchor_file, b->trust_anchor_file) ||
	    !str_eq(a->resolv_conf, b->resolv_conf) || a->nstubs != b->nstubs)
		abort();
	for (i = 0; i < a->nstubs; i++)
		if (!str_eq(a->stubs[i].zone, b->stubs[i].zone) ||
		    !str_eq(a->stubs[i].addr, b->stubs[i].addr) ||
		    a->stubs[i].port != b->stubs[i].port)
			abort();
}

static void
fuzz_opts(const unsigned char *data, size_t size)
{
	unsigned char *p = dup_bytes(data, size);
	const unsigned char *body;
	struct dns_opts o, o2;
	struct wbuf b;
	size_t len;
	int e;

	memset(&o, 0x5a, sizeof(o)); /* must be overwritten */
	e = dns_wire_get_opts(p, size, &o);
	free(p);
	if (e != WARD_OK) {
		if (e != WARD_ERR_PARSE)
			abort();
		check_opts_empty(&o);
		return;
	}
	check_opts(&o);
	wbuf_init(&b, CEILING);
	if (dns_wire_put_opts(&b, &o) != WARD_OK)
		abort();
	body = one_frame(&b, DNS_WIRE_OPTS, &len);
	if (len != size || memcmp(body, data, size) != 0)
		abort();
	p = dup_bytes(body, len);
	if (dns_wire_get_opts(p, len, &o2) != WARD_OK)
		abort();
	same_opts(&o, &o2);
	free(p);
	dns_wire_opts_clear(&o2);
	dns_wire_opts_clear(&o);
	wbuf_free(&b);
}

/*
 * Framing.
 */

static void
fuzz_frames(const uint8_t *data, size_t size)
{
	const unsigned char *body, *p;
	struct wbuf b;
	size_t len, total, avail, n;
	int e, kind;

	wbuf_init(&b, size > 0 ? size : 1);
	if (wbuf_put(&b, data, size) != WARD_OK)
		abort();
	for (;;) {
		p = wbuf_ptr(&b);
		avail = wbuf_avail(&b);
		n = avail >= DNS_WIRE_HDR
			? (size_t)p[0] << 24 | (size_t)p[1] << 16 |
			      (size_t)p[2] << 8 | p[3]
			: 0;
		e = dns_wire_next(&b, &kind, &body, &len, &total);
		if (e == WARD_ERR_AGAIN) {
			if (avail >= DNS_WIRE_HDR &&
			    (n == 0 || n > DNS_WIRE_MAX ||
			     avail - DNS_WIRE_HDR >= n))
				abort();
			break;
		}
		if (e == WARD_ERR_PARSE) {
			if (avail < DNS_WIRE_HDR ||
			    (n != 0 && n <= DNS_WIRE_MAX))
				abort();
			break;
		}
		if (e != WARD_OK || n == 0 || n > DNS_WIRE_MAX ||
		    total != DNS_WIRE_HDR + n || total > avail ||
		    len != n - 1 || body != p + DNS_WIRE_HDR + 1 ||
		    kind != p[DNS_WIRE_HDR])
			abort();
		switch (kind) {
		case DNS_WIRE_ANSWER:
			fuzz_answer(body, len);
			break;
		case DNS_WIRE_QUERY:
			fuzz_query(body, len);
			break;
		case DNS_WIRE_CANCEL:
			fuzz_cancel(body, len);
			break;
		case DNS_WIRE_OPTS:
			fuzz_opts(body, len);
			break;
		default:
			break;
		}
		wbuf_consume(&b, total);
	}
	wbuf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_frames(data, size);
	fuzz_answer(data, size);
	fuzz_query(data, size);
	fuzz_cancel(data, size);
	fuzz_opts(data, size);
	fuzz_caa_rdata(data, size);
	return 0;
}
