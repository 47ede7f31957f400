/*
 * test_dnswire.c: unit tests for src/net/dns_wire.c, the frames between ward
 * and its resolver process: exact wire layout, round trips of every kind,
 * framing (partial, oversized, back to back), rejection of malformed and
 * hostile bodies (decoders read exactly the bytes given, in heap copies of
 * that size, and leak nothing), and the encoders' limits (the wbuf is left
 * as it was on error).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <unbound.h>

#include "ward.h"
#include "dns.h"
#include "dns_wire.h"

#define BIG (DNS_WIRE_HDR + DNS_WIRE_MAX + 64) /* a wbuf ceiling */

/*
 * Hand-built bodies, independent of the encoder.
 */

struct bld {
	unsigned char p[16384];
	size_t n;
};

static void
b_bytes(struct bld *b, const void *p, size_t n)
{
	assert_true(n <= sizeof(b->p) - b->n);
	if (n > 0)
		memcpy(b->p + b->n, p, n);
	b->n += n;
}

static void
b_u8(struct bld *b, unsigned v)
{
	unsigned char c = (unsigned char)v;

	b_bytes(b, &c, 1);
}

static void
b_u16(struct bld *b, unsigned v)
{
	b_u8(b, v >> 8);
	b_u8(b, v);
}

static void
b_u32(struct bld *b, uint32_t v)
{
	b_u16(b, v >> 16);
	b_u16(b, v & 0xffff);
}

static void
b_strn(struct bld *b, const void *s, size_t n)
{
	b_u16(b, (unsigned)n);
	b_bytes(b, s, n);
}

static void
b_str(struct bld *b, const char *s)
{
	b_strn(b, s, strlen(s));
}

/* An answer body up to (not including) the record count. */
static void
b_answer_head(struct bld *b, const char *qname, unsigned flags, const char *why)
{
	b->n = 0;
	b_u32(b, 7);     /* id */
	b_u32(b, 0);     /* uberr */
	b_u8(b, 1);      /* has a result */
	b_str(b, qname); /* qname */
	b_u16(b, 1);     /* qtype */
	b_u16(b, 1);     /* qclass */
	b_u16(b, 0);     /* rcode */
	b_u8(b, flags);  /* flags */
	b_u32(b, 300);   /* ttl */
	b_str(b, why);   /* why_bogus */
}

/* A query body. */
static void
b_query(struct bld *b, uint32_t id, unsigned rrtype, const void *name, size_t n)
{
	b->n = 0;
	b_u32(b, id);
	b_u16(b, rrtype);
	b_strn(b, name, n);
}

/*
 * Decoding from an exact-size heap copy, so that ASan sees any read past
 * the body.
 */

static unsigned char *
dup_body(const unsigned char *p, size_t n)
{
	unsigned char *q = malloc(n); /* even 0: ASan flags any read */

	if (n > 0) {
		assert_non_null(q);
		memcpy(q, p, n);
	}
	return q;
}

static int
get_answer(const unsigned char *p, size_t n, uint32_t *id, int *uberr,
	   struct ub_result **r)
{
	static struct ub_result sentinel;
	unsigned char *q = dup_body(p, n);
	int e;

	*r = &sentinel; /* must be overwritten */
	e = dns_wire_get_answer(q, n, id, uberr, r);
	free(q);
	return e;
}

/* An answer body that must be rejected, with nothing returned. */
static void
answer_bad(const unsigned char *p, size_t n)
{
	struct ub_result *r;
	uint32_t id;
	int uberr;

	assert_int_equal(get_answer(p, n, &id, &uberr, &r), WARD_ERR_PARSE);
	assert_null(r);
}

/* An answer body that must decode; returns the result. */
static struct ub_result *
answer_ok(const unsigned char *p, size_t n)
{
	struct ub_result *r;
	uint32_t id;
	int uberr;

	assert_int_equal(get_answer(p, n, &id, &uberr, &r), WARD_OK);
	assert_non_null(r);
	return r;
}

static int
get_query(const unsigned char *p, size_t n, uint32_t *id, int *rrtype,
	  char *name)
{
	unsigned char *q = dup_body(p, n);
	int e = dns_wire_get_query(q, n, id, rrtype, name);

	free(q);
	return e;
}

/* name buffer of exactly the documented size, on the heap */
static char *
name_buf(void)
{
	char *name = malloc(DNS_NAME_MAX + 2);

	assert_non_null(name);
	return name;
}

static void
query_bad(const unsigned char *p, size_t n)
{
	char *name = name_buf();
	uint32_t id;
	int rrtype;

	assert_int_equal(get_query(p, n, &id, &rrtype, name), WARD_ERR_PARSE);
	free(name);
}

static int
get_opts(const unsigned char *p, size_t n, struct dns_opts *o)
{
	unsigned char *q = dup_body(p, n);
	int e;

	memset(o, 0xa5, sizeof(*o)); /* garbage in: must not be freed */
	e = dns_wire_get_opts(q, n, o);
	free(q);
	return e;
}

static void
opts_bad(const unsigned char *p, size_t n)
{
	struct dns_opts o;
	size_t i;

	assert_int_equal(get_opts(p, n, &o), WARD_ERR_PARSE);
	assert_null(o.root_anchor_file);
	assert_null(o.trust_anchor_file);
	assert_null(o.resolv_conf);
	assert_int_equal(o.nstubs, 0);
	for (i = 0; i < DNS_MAX_STUBS; i++) {
		assert_null(o.stubs[i].zone);
		assert_null(o.stubs[i].addr);
	}
}

static int
get_cancel(const unsigned char *p, size_t n, uint32_t *id)
{
	unsigned char *q = dup_body(p, n);
	int e = dns_wire_get_cancel(q, n, id);

	free(q);
	return e;
}

/*
 * Frames from the encoder.
 */

/* The one frame in b, of the given kind, filling the whole buffer. */
static void
only_frame(const struct wbuf *b, int kind, const unsigned char **body,
	   size_t *len)
{
	size_t total = 0;
	int k = -1;

	assert_int_equal(dns_wire_next(b, &k, body, len, &total), WARD_OK);
	assert_int_equal(k, kind);
	assert_int_equal(total, wbuf_avail(b));
	assert_int_equal(total, DNS_WIRE_HDR + 1 + *len);
	assert_ptr_equal(*body, wbuf_ptr(b) + DNS_WIRE_HDR + 1);
}

/* A copy of a wbuf's live bytes, to check that a failed put left it so. */
struct snap {
	unsigned char *p;
	size_t n;
};

static void
snap_take(struct snap *s, const struct wbuf *b)
{
	s->n = wbuf_avail(b);
	s->p = dup_body(wbuf_ptr(b), s->n);
}

static void
snap_check(struct snap *s, const struct wbuf *b)
{
	assert_int_equal(wbuf_avail(b), s->n);
	if (s->n > 0)
		assert_memory_equal(wbuf_ptr(b), s->p, s->n);
	free(s->p);
	s->p = NULL;
}

/* A wbuf holding one cancel frame, so that "unchanged" means something. */
static void
wbuf_with_frame(struct wbuf *b, size_t max)
{
	wbuf_init(b, max);
	assert_int_equal(dns_wire_put_cancel(b, 0x55aa55aa), WARD_OK);
	assert_int_equal(wbuf_avail(b), DNS_WIRE_HDR + 5);
}

/* A fake libunbound result with up to 8 records. */
struct fake {
	struct ub_result r;
	char *data[9];
	int len[9];
	size_t n;
};

static void
fake_init(struct fake *f, const char *qname)
{
	memset(f, 0, sizeof(*f));
	f->r.qname = (char *)qname;
	f->r.qtype = 33;
	f->r.qclass = 1;
	f->r.rcode = 0;
	f->r.data = f->data;
	f->r.len = f->len;
	f->r.ttl = 3600;
}

static void
fake_add(struct fake *f, const void *p, int len)
{
	assert_true(f->n < 8);
	f->data[f->n] = (char *)p;
	f->len[f->n] = len;
	f->n++;
	f->data[f->n] = NULL;
}

/* got is want as the wire carries it: every field, normalised flags. */
static void
check_result(const struct ub_result *want, const struct ub_result *got)
{
	size_t i, n = 0;

	assert_non_null(got);
	assert_non_null(got->qname);
	assert_string_equal(got->qname, want->qname != NULL ? want->qname : "");
	assert_int_equal(got->qtype, want->qtype);
	assert_int_equal(got->qclass, want->qclass);
	assert_int_equal(got->rcode, want->rcode);
	assert_int_equal(got->havedata, want->havedata != 0);
	assert_int_equal(got->nxdomain, want->nxdomain != 0);
	assert_int_equal(got->secure, want->secure != 0);
	assert_int_equal(got->bogus, want->bogus != 0);
	assert_int_equal(got->was_ratelimited, want->was_ratelimited != 0);
	assert_int_equal(got->ttl, want->ttl);
	if (want->why_bogus == NULL || want->why_bogus[0] == '\0')
		assert_null(got->why_bogus);
	else {
		assert_non_null(got->why_bogus);
		assert_string_equal(got->why_bogus, want->why_bogus);
	}
	assert_null(got->canonname);
	assert_null(got->answer_packet);
	assert_int_equal(got->answer_len, 0);
	if (want->data != NULL)
		while (want->data[n] != NULL)
			n++;
	assert_non_null(got->data);
	assert_non_null(got->len);
	for (i = 0; i < n; i++) {
		assert_non_null(got->data[i]); /* also when empty */
		assert_int_equal(got->len[i], want->len[i]);
		if (want->len[i] > 0)
			assert_memory_equal(got->data[i], want->data[i],
					    (size_t)want->len[i]);
	}
	assert_null(got->data[n]); /* NULL-terminated after exactly n */
}

/* Encodes r as an answer, decodes it and compares. */
static void
answer_roundtrip(uint32_t id, int uberr, const struct ub_result *r)
{
	const unsigned char *body;
	struct ub_result *got;
	struct wbuf b;
	uint32_t gid;
	size_t len;
	int guberr;

	wbuf_init(&b, BIG);
	assert_int_equal(dns_wire_put_answer(&b, id, uberr, r), WARD_OK);
	only_frame(&b, DNS_WIRE_ANSWER, &body, &len);
	assert_int_equal(get_answer(body, len, &gid, &guberr, &got), WARD_OK);
	assert_int_equal(gid, id);
	assert_int_equal(guberr, uberr);
	if (r == NULL)
		assert_null(got);
	else
		check_result(r, got);
	dns_wire_result_free(got);
	wbuf_free(&b);
}

/* b holds exactly the n bytes at p. */
static void
same_bytes(const struct wbuf *b, const char *p, size_t n)
{
	assert_int_equal(wbuf_avail(b), n);
	assert_memory_equal(wbuf_ptr(b), p, n);
}

/*
 * Layout: the encoder writes exactly the documented bytes (so that the
 * hand-built bodies below are the same format).
 */
static void
test_layout(void **state)
{
	/* length, kind, id, rrtype 33, name */
	static const char q[] = "\0\0\0\x0c"
				"Q"
				"\x01\x02\x03\x04"
				"\0\x21"
				"\0\x03"
				"a.b";
	/* length, kind, id */
	static const char c[] = "\0\0\0\x05"
				"C"
				"\xde\xad\xbe\xef";
	/* length, kind, id, uberr -2, no result */
	static const char a[] = "\0\0\0\x0a"
				"A"
				"\0\0\0\x09"
				"\xff\xff\xff\xfe"
				"\0";
	/* length, kind, three empty strings, no stubs */
	static const char o[] = "\0\0\0\x08"
				"O"
				"\0\0"
				"\0\0"
				"\0\0"
				"\0";
	/* root anchor "r", no trust anchor, resolv.conf "v", one stub */
	static const char o2[] = "\0\0\0\x1a"
				 "O"
				 "\0\x01"
				 "r"
				 "\0\0"
				 "\0\x01"
				 "v"
				 "\x01"
				 "\0\x01"
				 "."
				 "\0\x09"
				 "127.0.0.1"
				 "\0\x35";
	struct dns_opts opts;
	struct wbuf b;

	(void)state;
	wbuf_init(&b, BIG);
	assert_int_equal(dns_wire_put_query(&b, 0x01020304, 33, "a.b"),
			 WARD_OK);
	same_bytes(&b, q, sizeof(q) - 1);
	wbuf_reset(&b);
	assert_int_equal(dns_wire_put_cancel(&b, 0xdeadbeef), WARD_OK);
	same_bytes(&b, c, sizeof(c) - 1);
	wbuf_reset(&b);
	assert_int_equal(dns_wire_put_answer(&b, 9, -2, NULL), WARD_OK);
	same_bytes(&b, a, sizeof(a) - 1);
	wbuf_reset(&b);
	memset(&opts, 0, sizeof(opts));
	assert_int_equal(dns_wire_put_opts(&b, &opts), WARD_OK);
	same_bytes(&b, o, sizeof(o) - 1);
	wbuf_reset(&b);
	opts.root_anchor_file = "r";
	opts.resolv_conf = "v";
	opts.nstubs = 1;
	opts.stubs[0].zone = ".";
	opts.stubs[0].addr = "127.0.0.1";
	opts.stubs[0].port = 53;
	assert_int_equal(dns_wire_put_opts(&b, &opts), WARD_OK);
	same_bytes(&b, o2, sizeof(o2) - 1);
	wbuf_free(&b);
}

/*
 * Round trips.
 */

static void
test_opts_roundtrip_empty(void **state)
{
	const unsigned char *body;
	struct dns_opts o, got;
	struct wbuf b;
	size_t len;

	(void)state;
	wbuf_init(&b, BIG);
	memset(&o, 0, sizeof(o));
	assert_int_equal(dns_wire_put_opts(&b, &o), WARD_OK);
	only_frame(&b, DNS_WIRE_OPTS, &body, &len);
	assert_int_equal(get_opts(body, len, &got), WARD_OK);
	assert_null(got.root_anchor_file);
	assert_null(got.trust_anchor_file);
	assert_null(got.resolv_conf);
	assert_int_equal(got.nstubs, 0);
	assert_null(got.stubs[0].zone);
	assert_null(got.stubs[DNS_MAX_STUBS - 1].addr);
	dns_wire_opts_clear(&got);

	/* strings without stubs; "" is sent as NULL is and comes back NULL */
	wbuf_reset(&b);
	o.root_anchor_file = "/usr/share/dns/root.key";
	o.trust_anchor_file = "";
	o.resolv_conf = "/etc/resolv.conf";
	assert_int_equal(dns_wire_put_opts(&b, &o), WARD_OK);
	only_frame(&b, DNS_WIRE_OPTS, &body, &len);
	assert_int_equal(get_opts(body, len, &got), WARD_OK);
	assert_string_equal(got.root_anchor_file, o.root_anchor_file);
	assert_null(got.trust_anchor_file);
	assert_string_equal(got.resolv_conf, o.resolv_conf);
	assert_int_equal(got.nstubs, 0);
	dns_wire_opts_clear(&got);
	assert_null(got.root_anchor_file); /* clear resets */
	assert_null(got.resolv_conf);
	dns_wire_opts_clear(&got); /* twice is harmless */
	dns_wire_opts_clear(NULL);
	wbuf_free(&b);
}

static void
test_opts_roundtrip_full(void **state)
{
	static const char *const zones[DNS_MAX_STUBS] = {
	    ".", "example.com", "example.net.", "_tcp.a-b.test",
	    "a", "x.y.z",       "lan",          "EXAMPLE.org"};
	static const char *const addrs[DNS_MAX_STUBS] = {
	    "127.0.0.1", "::1",          "192.0.2.1",    "2001:db8::53",
	    "10.0.0.1",  "fe80::1%eth0", "198.51.100.7", "203.0.113.9"};
	const unsigned char *body;
	struct dns_opts o, got;
	struct wbuf b;
	size_t len, i;

	(void)state;
	assert_int_equal(DNS_MAX_STUBS, 8); /* the tables above */
	memset(&o, 0, sizeof(o));
	o.root_anchor_file = "/var/lib/unbound/root.key";
	o.trust_anchor_file = "/etc/ward/anchors";
	o.resolv_conf = NULL;
	o.nstubs = DNS_MAX_STUBS;
	for (i = 0; i < DNS_MAX_STUBS; i++) {
		o.stubs[i].zone = zones[i];
		o.stubs[i].addr = addrs[i];
		o.stubs[i].port = i == 0 ? 1 : i == 1 ? 65535 : 5300 + i;
	}
	o.timeout_ms = 1234; /* not on the wire */
	wbuf_init(&b, BIG);
	assert_int_equal(dns_wire_put_opts(&b, &o), WARD_OK);
	only_frame(&b, DNS_WIRE_OPTS, &body, &len);
	assert_int_equal(get_opts(body, len, &got), WARD_OK);
	assert_string_equal(got.root_anchor_file, o.root_anchor_file);
	assert_string_equal(got.trust_anchor_file, o.trust_anchor_file);
	assert_null(got.resolv_conf);
	assert_int_equal(got.timeout_ms, 0);
	assert_int_equal(got.nstubs, DNS_MAX_STUBS);
	for (i = 0; i < DNS_MAX_STUBS; i++) {
		assert_string_equal(got.stubs[i].zone, zones[i]);
		assert_string_equal(got.stubs[i].addr, addrs[i]);
		assert_int_equal(got.stubs[i].port, o.stubs[i].port);
	}
	dns_wire_opts_clear(&got);
	assert_int_equal(got.nstubs, 0);
	assert_null(got.stubs[3].zone);
	wbuf_free(&b);
}

static void
query_roundtrip(uint32_t id, int rrtype, const char *name)
{
	const unsigned char *body;
	struct wbuf b;
	char *got = name_buf();
	uint32_t gid;
	size_t len;
	int gtype;

	wbuf_init(&b, BIG);
	assert_int_equal(dns_wire_put_query(&b, id, rrtype, name), WARD_OK);
	only_frame(&b, DNS_WIRE_QUERY, &body, &len);
	assert_int_equal(get_query(body, len, &gid, &gtype, got), WARD_OK);
	assert_int_equal(gid, id);
	assert_int_equal(gtype, rrtype);
	assert_string_equal(got, name);
	free(got);
	wbuf_free(&b);
}

static void
test_query_roundtrip(void **state)
{
	char name[DNS_NAME_MAX + 2];
	size_t i;

	(void)state;
	query_roundtrip(0, 1, "example.com");
	query_roundtrip(0xffffffff, 65535, "example.com."); /* dot kept */
	query_roundtrip(42, 0, "a");
	query_roundtrip(1, 33, "_xmpps-client._tcp.Example-1.NET");
	query_roundtrip(2, 52, "_5222._tcp.xmpp.example.org");
	/* a 63-character label */
	memset(name, 'x', 63);
	memcpy(name + 63, ".test", 6);
	query_roundtrip(3, 28, name);
	/* DNS_NAME_MAX characters, then the same with a trailing dot */
	for (i = 0; i < DNS_NAME_MAX; i++)
		name[i] = i % 50 == 49 ? '.' : 'a';
	name[DNS_NAME_MAX] = '\0';
	query_roundtrip(4, 1, name);
	name[DNS_NAME_MAX] = '.';
	name[DNS_NAME_MAX + 1] = '\0';
	query_roundtrip(5, 1, name);
}

static void
test_cancel_roundtrip(void **state)
{
	static const uint32_t ids[] = {0, 1, 0x80000000, 0xffffffff,
				       0x01020304};
	const unsigned char *body;
	struct wbuf b;
	uint32_t got;
	size_t len, i;

	(void)state;
	wbuf_init(&b, BIG);
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		wbuf_reset(&b);
		assert_int_equal(dns_wire_put_cancel(&b, ids[i]), WARD_OK);
		only_frame(&b, DNS_WIRE_CANCEL, &body, &len);
		assert_int_equal(len, 4);
		got = ids[i] ^ 0x5a5a5a5a;
		assert_int_equal(get_cancel(body, len, &got), WARD_OK);
		assert_int_equal(got, ids[i]);
	}
	wbuf_free(&b);
}

static void
test_answer_roundtrip_null(void **state)
{
	(void)state;
	answer_roundtrip(1, UB_NOMEM, NULL);
	answer_roundtrip(0xffffffff, UB_SERVFAIL, NULL);
	answer_roundtrip(0, 0, NULL);
	answer_roundtrip(77, INT_MIN, NULL);
	answer_roundtrip(78, INT_MAX, NULL);
}

static void
test_answer_roundtrip_full(void **state)
{
	static const char zeros[] = {0, 0, 0};
	static const char mixed[] = {'a', 0, 'b', 0};
	static const unsigned char a4[] = {192, 0, 2, 1};
	static const int ttls[] = {0, 1, 3600, INT_MAX};
	struct fake f;
	unsigned flags;
	size_t t;

	(void)state;
	/* every flag combination that the wire allows */
	for (flags = 0; flags < 32; flags++) {
		if ((flags & 4) && (flags & 8))
			continue;
		fake_init(&f, "xmpp.example.com");
		f.r.havedata = (flags & 1) != 0;
		f.r.nxdomain = (flags & 2) != 0;
		f.r.secure = (flags & 4) != 0;
		f.r.bogus = (flags & 8) != 0;
		f.r.was_ratelimited = (flags & 16) != 0;
		f.r.rcode = (int)flags % 6;
		if (f.r.bogus)
			f.r.why_bogus = "validation failure <xmpp.example.com. "
					"A IN>: signature expired";
		fake_add(&f, a4, 4);
		answer_roundtrip(flags, 0, &f.r);
	}
	/* several records: an empty one, embedded zero bytes, binary */
	fake_init(&f, "_xmpp-client._tcp.example.net.");
	f.r.havedata = 1;
	f.r.secure = 1;
	f.r.rcode = 0;
	fake_add(&f, "\x00\x0a\x00\x05\x14\x66\x00", 7);
	fake_add(&f, "", 0);
	fake_add(&f, zeros, 3);
	fake_add(&f, mixed, 4);
	fake_add(&f, a4, 4);
	fake_add(&f, "\xff", 1);
	for (t = 0; t < sizeof(ttls) / sizeof(ttls[0]); t++) {
		f.r.ttl = ttls[t];
		answer_roundtrip(0x12345678, 0, &f.r);
	}
	/* qtype, qclass and rcode at their extremes */
	f.r.qtype = 65535;
	f.r.qclass = 255;
	f.r.rcode = 65535;
	answer_roundtrip(2, UB_NOERROR, &f.r);
	/* non-0/1 truth values are carried as 1 */
	fake_init(&f, "example.com");
	f.r.havedata = 7;
	f.r.nxdomain = -1;
	f.r.was_ratelimited = 2;
	f.r.bogus = 100;
	f.r.why_bogus = "x";
	fake_add(&f, "", 0); /* a lone empty record */
	answer_roundtrip(3, 0, &f.r);
}

static void
test_answer_roundtrip_no_records(void **state)
{
	struct fake f;

	(void)state;
	/* data = {NULL}: NXDOMAIN, an empty why_bogus comes back as NULL */
	fake_init(&f, "nonexistent.example");
	f.data[0] = NULL;
	f.r.nxdomain = 1;
	f.r.rcode = 3;
	f.r.why_bogus = "";
	answer_roundtrip(4, 0, &f.r);
	/* data == NULL is sent as no records; decoded data is {NULL} */
	fake_init(&f, "example.com");
	f.r.data = NULL;
	f.r.len = NULL;
	f.r.qname = NULL; /* comes back as "" */
	answer_roundtrip(5, 0, &f.r);
}

/* DNS_WIRE_MAX_RR records encode and decode; one more is refused. */
static void
test_answer_max_records(void **state)
{
	struct ub_result r;
	struct snap s;
	struct wbuf b;
	char **data;
	int *len;
	size_t i;

	(void)state;
	data = calloc(DNS_WIRE_MAX_RR + 2, sizeof(*data));
	len = calloc(DNS_WIRE_MAX_RR + 2, sizeof(*len));
	assert_non_null(data);
	assert_non_null(len);
	for (i = 0; i < DNS_WIRE_MAX_RR; i++) {
		data[i] = (char *)"\x01\x02\x03\x04";
		len[i] = (int)(i % 5);
	}
	memset(&r, 0, sizeof(r));
	r.qname = (char *)"many.example";
	r.qtype = 1;
	r.qclass = 1;
	r.havedata = 1;
	r.data = data;
	r.len = len;
	answer_roundtrip(6, 0, &r);

	data[DNS_WIRE_MAX_RR] = (char *)"\x01"; /* one more */
	len[DNS_WIRE_MAX_RR] = 1;
	wbuf_with_frame(&b, BIG);
	snap_take(&s, &b);
	assert_int_equal(dns_wire_put_answer(&b, 6, 0, &r), WARD_ERR_LIMIT);
	snap_check(&s, &b);
	wbuf_free(&b);
	free(data);
	free(len);
}

/*
 * dns_wire_next.
 */

static void
test_next_incomplete(void **state)
{
	const unsigned char *body, *p;
	struct wbuf b, in;
	size_t len, total, n, i;
	int kind;

	(void)state;
	wbuf_init(&b, BIG);
	assert_int_equal(dns_wire_put_query(&b, 9, 1, "example.com"), WARD_OK);
	p = wbuf_ptr(&b);
	n = wbuf_avail(&b);
	/* byte by byte: AGAIN until the last byte is in */
	wbuf_init(&in, BIG);
	assert_int_equal(dns_wire_next(&in, &kind, &body, &len, &total),
			 WARD_ERR_AGAIN);
	for (i = 0; i < n; i++) {
		assert_int_equal(dns_wire_next(&in, &kind, &body, &len, &total),
				 WARD_ERR_AGAIN);
		assert_int_equal(wbuf_put(&in, p + i, 1), WARD_OK);
	}
	kind = 0;
	assert_int_equal(dns_wire_next(&in, &kind, &body, &len, &total),
			 WARD_OK);
	assert_int_equal(kind, DNS_WIRE_QUERY);
	assert_int_equal(total, n);
	assert_int_equal(len, n - DNS_WIRE_HDR - 1);
	wbuf_free(&in);

	/* a valid length, at the maximum, with only part of the body */
	wbuf_reset(&b);
	assert_int_equal(wbuf_put(&b,
				  "\x00\x02\x00\x00"
				  "A123",
				  8),
			 WARD_OK);
	assert_int_equal(DNS_WIRE_MAX, 0x20000);
	assert_int_equal(dns_wire_next(&b, &kind, &body, &len, &total),
			 WARD_ERR_AGAIN);
	wbuf_free(&b);
}

static void
test_next_bad_length(void **state)
{
	static const unsigned char zero[] = {0, 0, 0, 0, 'A', 1, 2, 3, 4};
	static const unsigned char over[] = {0, 2, 0, 1, 'A'};
	static const unsigned char huge[] = {0xff, 0xff, 0xff, 0xff, 'A'};
	static const unsigned char one[] = {0, 0, 0, 1, 'C'};
	const unsigned char *body;
	struct wbuf b;
	size_t len, total;
	int kind;

	(void)state;
	wbuf_init(&b, BIG);
	assert_int_equal(wbuf_put(&b, zero, sizeof(zero)), WARD_OK);
	assert_int_equal(dns_wire_next(&b, &kind, &body, &len, &total),
			 WARD_ERR_PARSE);
	wbuf_reset(&b);
	assert_int_equal(wbuf_put(&b, over, sizeof(over)), WARD_OK);
	assert_int_equal(dns_wire_next(&b, &kind, &body, &len, &total),
			 WARD_ERR_PARSE);
	wbuf_reset(&b);
	assert_int_equal(wbuf_put(&b, huge, sizeof(huge)), WARD_OK);
	assert_int_equal(dns_wire_next(&b, &kind, &body, &len, &total),
			 WARD_ERR_PARSE);
	/* length 1: just the kind, an empty body */
	wbuf_reset(&b);
	assert_int_equal(wbuf_put(&b, one, sizeof(one)), WARD_OK);
	assert_int_equal(dns_wire_next(&b, &kind, &body, &len, &total),
			 WARD_OK);
	assert_int_equal(kind, 'C');
	assert_int_equal(len, 0);
	assert_int_equal(total, 5);
	wbuf_free(&b);
}

static void
test_next_two_frames(void **state)
{
	const unsigned char *body;
	struct ub_result *r;
	struct fake f;
	struct wbuf b;
	char *name = name_buf();
	size_t len, total;
	uint32_t id;
	int kind, rrtype, uberr;

	(void)state;
	fake_init(&f, "example.org");
	fake_add(&f, "\x01\x02\x03\x04", 4);
	wbuf_init(&b, BIG);
	assert_int_equal(dns_wire_put_query(&b, 11, 28, "example.org"),
			 WARD_OK);
	assert_int_equal(dns_wire_put_answer(&b, 12, 0, &f.r), WARD_OK);
	assert_int_equal(dns_wire_put_cancel(&b, 13), WARD_OK);

	assert_int_equal(dns_wire_next(&b, &kind, &body, &len, &total),
			 WARD_OK);
	assert_int_equal(kind, DNS_WIRE_QUERY);
	assert_true(total < wbuf_avail(&b));
	assert_int_equal(get_query(body, len, &id, &rrtype, name), WARD_OK);
	assert_int_equal(id, 11);
	assert_int_equal(rrtype, 28);
	assert_string_equal(name, "example.org");
	wbuf_consume(&b, total);

	assert_int_equal(dns_wire_next(&b, &kind, &body, &len, &total),
			 WARD_OK);
	assert_int_equal(kind, DNS_WIRE_ANSWER);
	assert_int_equal(get_answer(body, len, &id, &uberr, &r), WARD_OK);
	assert_int_equal(id, 12);
	check_result(&f.r, r);
	dns_wire_result_free(r);
	wbuf_consume(&b, total);

	assert_int_equal(dns_wire_next(&b, &kind, &body, &len, &total),
			 WARD_OK);
	assert_int_equal(kind, DNS_WIRE_CANCEL);
	assert_int_equal(total, wbuf_avail(&b));
	assert_int_equal(get_cancel(body, len, &id), WARD_OK);
	assert_int_equal(id, 13);
	wbuf_consume(&b, total);
	assert_int_equal(wbuf_avail(&b), 0);
	assert_int_equal(dns_wire_next(&b, &kind, &body, &len, &total),
			 WARD_ERR_AGAIN);
	free(name);
	wbuf_free(&b);
}

/*
 * Malformed bodies.
 */

/* An answer with a bit of everything, as encoded by dns_wire_put_answer. */
static void
full_answer(struct wbuf *b, struct fake *f)
{
	static const char mixed[] = {'a', 0, 'b', 0};

	fake_init(f, "aXb.example");
	f->r.havedata = 1;
	f->r.bogus = 1;
	f->r.why_bogus = "why Y";
	fake_add(f, "\x01\x02\x03", 3);
	fake_add(f, "", 0);
	fake_add(f, mixed, 4);
	wbuf_init(b, BIG);
	assert_int_equal(dns_wire_put_answer(b, 99, 0, &f->r), WARD_OK);
}

static void
test_answer_truncated(void **state)
{
	const unsigned char *body;
	struct fake f;
	struct wbuf b;
	size_t len, k;

	(void)state;
	full_answer(&b, &f);
	only_frame(&b, DNS_WIRE_ANSWER, &body, &len);
	dns_wire_result_free(answer_ok(body, len));
	for (k = 0; k < len; k++)
		answer_bad(body, k);
	/* also without a result: 9 bytes, every shorter one is bad */
	wbuf_reset(&b);
	assert_int_equal(dns_wire_put_answer(&b, 1, -2, NULL), WARD_OK);
	only_frame(&b, DNS_WIRE_ANSWER, &body, &len);
	assert_int_equal(len, 9);
	for (k = 0; k < len; k++)
		answer_bad(body, k);
	wbuf_free(&b);
}

static void
test_other_truncated(void **state)
{
	const unsigned char *body;
	struct dns_opts o, got;
	struct wbuf b;
	size_t len, k;
	uint32_t id;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.root_anchor_file = "/r";
	o.trust_anchor_file = "/t";
	o.resolv_conf = "/v";
	o.nstubs = 2;
	o.stubs[0].zone = "example.com";
	o.stubs[0].addr = "127.0.0.1";
	o.stubs[0].port = 5353;
	o.stubs[1].zone = ".";
	o.stubs[1].addr = "::1";
	o.stubs[1].port = 53;
	wbuf_init(&b, BIG);
	assert_int_equal(dns_wire_put_opts(&b, &o), WARD_OK);
	only_frame(&b, DNS_WIRE_OPTS, &body, &len);
	assert_int_equal(get_opts(body, len, &got), WARD_OK);
	dns_wire_opts_clear(&got);
	for (k = 0; k < len; k++)
		opts_bad(body, k);

	wbuf_reset(&b);
	assert_int_equal(dns_wire_put_query(&b, 5, 1, "example.com"), WARD_OK);
	only_frame(&b, DNS_WIRE_QUERY, &body, &len);
	for (k = 0; k < len; k++)
		query_bad(body, k);

	wbuf_reset(&b);
	assert_int_equal(dns_wire_put_cancel(&b, 5), WARD_OK);
	only_frame(&b, DNS_WIRE_CANCEL, &body, &len);
	for (k = 0; k < len; k++)
		assert_int_equal(get_cancel(body, k, &id), WARD_ERR_PARSE);
	wbuf_free(&b);
}

/* body + extra bytes */
static unsigned char *
with_trailer(const unsigned char *body, size_t len, const void *extra, size_t n)
{
	unsigned char *p = malloc(len + n);

	assert_non_null(p);
	memcpy(p, body, len);
	memcpy(p + len, extra, n);
	return p;
}

static void
test_trailing_bytes(void **state)
{
	static const unsigned char zero[] = {0, 0, 0, 0, 0, 0};
	const unsigned char *body;
	unsigned char *p;
	struct dns_opts o;
	struct fake f;
	struct wbuf b;
	size_t len, k;
	uint32_t id;

	(void)state;
	full_answer(&b, &f);
	only_frame(&b, DNS_WIRE_ANSWER, &body, &len);
	for (k = 1; k <= sizeof(zero); k++) {
		p = with_trailer(body, len, zero, k);
		answer_bad(p, len + k);
		free(p);
	}
	wbuf_reset(&b);
	assert_int_equal(dns_wire_put_answer(&b, 1, 0, NULL), WARD_OK);
	only_frame(&b, DNS_WIRE_ANSWER, &body, &len);
	p = with_trailer(body, len, zero, 1);
	answer_bad(p, len + 1);
	free(p);

	wbuf_reset(&b);
	memset(&o, 0, sizeof(o));
	o.nstubs = 1;
	o.stubs[0].zone = "a";
	o.stubs[0].addr = "b";
	o.stubs[0].port = 1;
	assert_int_equal(dns_wire_put_opts(&b, &o), WARD_OK);
	only_frame(&b, DNS_WIRE_OPTS, &body, &len);
	p = with_trailer(body, len, zero, 1);
	opts_bad(p, len + 1);
	free(p);

	wbuf_reset(&b);
	assert_int_equal(dns_wire_put_query(&b, 1, 1, "a.b"), WARD_OK);
	only_frame(&b, DNS_WIRE_QUERY, &body, &len);
	p = with_trailer(body, len, zero, 1);
	query_bad(p, len + 1);
	free(p);

	wbuf_reset(&b);
	assert_int_equal(dns_wire_put_cancel(&b, 1), WARD_OK);
	only_frame(&b, DNS_WIRE_CANCEL, &body, &len);
	p = with_trailer(body, len, zero, 1);
	assert_int_equal(get_cancel(p, len + 1, &id), WARD_ERR_PARSE);
	free(p);
	wbuf_free(&b);
}

/* A copy of body with the one occurrence of the byte c replaced by 0. */
static unsigned char *
with_nul(const unsigned char *body, size_t len, unsigned char c)
{
	unsigned char *p = dup_body(body, len), *q;

	q = memchr(p, c, len);
	assert_non_null(q);
	assert_null(memchr(q + 1, c, len - (size_t)(q + 1 - p)));
	*q = '\0';
	return p;
}

static void
test_string_with_nul(void **state)
{
	static const char marks[] = "RTVZD";
	const unsigned char *body;
	unsigned char *p;
	struct dns_opts o, got;
	struct fake f;
	struct wbuf b;
	size_t len, i;

	(void)state;
	/* answer: qname ('X') and why_bogus ('Y') */
	full_answer(&b, &f);
	only_frame(&b, DNS_WIRE_ANSWER, &body, &len);
	p = with_nul(body, len, 'X');
	answer_bad(p, len);
	free(p);
	p = with_nul(body, len, 'Y');
	answer_bad(p, len);
	free(p);

	/* opts: each of the five strings */
	wbuf_reset(&b);
	memset(&o, 0, sizeof(o));
	o.root_anchor_file = "/R";
	o.trust_anchor_file = "/T";
	o.resolv_conf = "/V";
	o.nstubs = 1;
	o.stubs[0].zone = "Z";
	o.stubs[0].addr = "::D";
	o.stubs[0].port = 53;
	assert_int_equal(dns_wire_put_opts(&b, &o), WARD_OK);
	only_frame(&b, DNS_WIRE_OPTS, &body, &len);
	assert_int_equal(get_opts(body, len, &got), WARD_OK);
	dns_wire_opts_clear(&got);
	for (i = 0; marks[i] != '\0'; i++) {
		p = with_nul(body, len, (unsigned char)marks[i]);
		opts_bad(p, len);
		free(p);
	}

	/* query: the name */
	wbuf_reset(&b);
	assert_int_equal(dns_wire_put_query(&b, 1, 1, "aQ.example"), WARD_OK);
	only_frame(&b, DNS_WIRE_QUERY, &body, &len);
	p = with_nul(body, len, 'Q'); /* 'Q' is also the kind, not in body */
	query_bad(p, len);
	free(p);
	wbuf_free(&b);
}

/* Strings are at most 4096 bytes (a path, a zone, an address, why_bogus). */
static void
test_string_too_long(void **state)
{
	char s[4098];
	struct ub_result *r;
	struct dns_opts o;
	struct fake f;
	struct snap sn;
	struct wbuf b;
	struct bld *bb = malloc(sizeof(*bb));

	(void)state;
	assert_non_null(bb);
	memset(s, 'w', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	/* decoding: why_bogus of 4096 is fine, 4097 is not */
	b_answer_head(bb, "a", 8, s + 1);
	b_u16(bb, 0);
	r = answer_ok(bb->p, bb->n);
	assert_int_equal(strlen(r->why_bogus), 4096);
	dns_wire_result_free(r);
	b_answer_head(bb, "a", 8, s);
	b_u16(bb, 0);
	answer_bad(bb->p, bb->n);
	/* a qname of 4097 */
	b_answer_head(bb, s, 0, "");
	b_u16(bb, 0);
	answer_bad(bb->p, bb->n);
	/* opts: a path of 4097 */
	bb->n = 0;
	b_str(bb, s);
	b_str(bb, "");
	b_str(bb, "");
	b_u8(bb, 0);
	opts_bad(bb->p, bb->n);
	bb->n = 0;
	b_str(bb, s + 1);
	b_str(bb, "");
	b_str(bb, "");
	b_u8(bb, 0);
	assert_int_equal(get_opts(bb->p, bb->n, &o), WARD_OK);
	assert_int_equal(strlen(o.root_anchor_file), 4096);
	dns_wire_opts_clear(&o);

	/* encoding: refused, wbuf unchanged */
	wbuf_with_frame(&b, BIG);
	snap_take(&sn, &b);
	fake_init(&f, "a");
	f.r.why_bogus = s;
	assert_int_equal(dns_wire_put_answer(&b, 1, 0, &f.r), WARD_ERR_INVAL);
	snap_check(&sn, &b);
	snap_take(&sn, &b);
	memset(&o, 0, sizeof(o));
	o.resolv_conf = s;
	assert_int_equal(dns_wire_put_opts(&b, &o), WARD_ERR_INVAL);
	snap_check(&sn, &b);
	o.resolv_conf = s + 1;
	assert_int_equal(dns_wire_put_opts(&b, &o), WARD_OK);
	wbuf_free(&b);
	free(bb);
}

static void
test_answer_record_count(void **state)
{
	struct ub_result *r;
	struct bld *bb = malloc(sizeof(*bb));
	size_t i;

	(void)state;
	assert_non_null(bb);
	/* DNS_WIRE_MAX_RR empty records: fine */
	b_answer_head(bb, "a", 1, "");
	b_u16(bb, DNS_WIRE_MAX_RR);
	for (i = 0; i < DNS_WIRE_MAX_RR; i++)
		b_u16(bb, 0);
	r = answer_ok(bb->p, bb->n);
	assert_int_equal(r->len[DNS_WIRE_MAX_RR - 1], 0);
	assert_non_null(r->data[DNS_WIRE_MAX_RR - 1]);
	assert_null(r->data[DNS_WIRE_MAX_RR]);
	dns_wire_result_free(r);
	/* one more: too many, though every byte is there */
	b_answer_head(bb, "a", 1, "");
	b_u16(bb, DNS_WIRE_MAX_RR + 1);
	for (i = 0; i < DNS_WIRE_MAX_RR + 1; i++)
		b_u16(bb, 0);
	answer_bad(bb->p, bb->n);
	/* 65535 records claimed, none there */
	b_answer_head(bb, "a", 1, "");
	b_u16(bb, 0xffff);
	answer_bad(bb->p, bb->n);
	/* a record longer than what is left */
	b_answer_head(bb, "a", 1, "");
	b_u16(bb, 1);
	b_u16(bb, 5);
	b_bytes(bb, "1234", 4);
	answer_bad(bb->p, bb->n);
	/* fewer records than claimed, the rest of the body a record */
	b_answer_head(bb, "a", 1, "");
	b_u16(bb, 2);
	b_u16(bb, 2);
	b_bytes(bb, "\x00\x00", 2);
	answer_bad(bb->p, bb->n);
	free(bb);
}

static void
test_answer_flags(void **state)
{
	struct ub_result *r;
	struct bld bb;
	unsigned flags;
	uint32_t id;
	int uberr;

	(void)state;
	for (flags = 0; flags < 256; flags++) {
		b_answer_head(&bb, "example.com", flags, "");
		b_u16(&bb, 0);
		if (flags > 31 || (flags & 12) == 12) {
			answer_bad(bb.p, bb.n);
			continue;
		}
		r = answer_ok(bb.p, bb.n);
		assert_int_equal(r->havedata, (flags & 1) != 0);
		assert_int_equal(r->nxdomain, (flags & 2) != 0);
		assert_int_equal(r->secure, (flags & 4) != 0);
		assert_int_equal(r->bogus, (flags & 8) != 0);
		assert_int_equal(r->was_ratelimited, (flags & 16) != 0);
		assert_int_equal(r->ttl, 300);
		assert_null(r->why_bogus);
		dns_wire_result_free(r);
	}
	/* the "has a result" byte is 0 or 1 */
	b_answer_head(&bb, "example.com", 0, "");
	b_u16(&bb, 0);
	bb.p[8] = 2;
	answer_bad(bb.p, bb.n);
	bb.p[8] = 0xff;
	answer_bad(bb.p, bb.n);
	bb.n = 9;
	bb.p[8] = 2;
	answer_bad(bb.p, bb.n);
	bb.p[8] = 0;
	assert_int_equal(get_answer(bb.p, bb.n, &id, &uberr, &r), WARD_OK);
	assert_null(r);
	assert_int_equal(id, 7);
}

static void
test_query_bad_names(void **state)
{
	static const char *const bad[] = {
	    "",    ".",     "..",      ".a",  "a..b", "a.b..",
	    "a b", " a",    "a\tb",    "a/b", "*.a",  "a\\.b",
	    "é.a", "a\x7f", "a.b\xff", "a@b", "a:53", "[::1]",
	};
	static const char *const good[] = {"a", "a.", "_a._b", "0.0",
					   "xn--d1acufc.xn--p1ai"};
	char *name = name_buf();
	struct bld bb;
	char s[300];
	size_t i;
	uint32_t id;
	int rrtype;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		b_query(&bb, 1, 1, bad[i], strlen(bad[i]));
		query_bad(bb.p, bb.n);
	}
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		b_query(&bb, 1, 1, good[i], strlen(good[i]));
		assert_int_equal(get_query(bb.p, bb.n, &id, &rrtype, name),
				 WARD_OK);
		assert_string_equal(name, good[i]);
	}
	/* a label of 63 is fine, of 64 not, also as the last label */
	memset(s, 'l', 64);
	memcpy(s + 64, ".test", 6);
	b_query(&bb, 1, 1, s + 1, strlen(s + 1));
	assert_int_equal(get_query(bb.p, bb.n, &id, &rrtype, name), WARD_OK);
	b_query(&bb, 1, 1, s, strlen(s));
	query_bad(bb.p, bb.n);
	memcpy(s, "test.", 5);
	memset(s + 5, 'l', 64);
	b_query(&bb, 1, 1, s, 5 + 64);
	query_bad(bb.p, bb.n);
	b_query(&bb, 1, 1, s, 5 + 63);
	assert_int_equal(get_query(bb.p, bb.n, &id, &rrtype, name), WARD_OK);

	/* lengths: valid labels, DNS_NAME_MAX + 1 with a dot is the most */
	for (i = 0; i < sizeof(s); i++)
		s[i] = i % 60 == 59 ? '.' : 'n';
	s[DNS_NAME_MAX] = '.';
	b_query(&bb, 1, 1, s, DNS_NAME_MAX + 1);
	assert_int_equal(get_query(bb.p, bb.n, &id, &rrtype, name), WARD_OK);
	assert_int_equal(strlen(name), DNS_NAME_MAX + 1);
	s[DNS_NAME_MAX] = 'n';
	s[DNS_NAME_MAX + 1] = '.';
	b_query(&bb, 1, 1, s, DNS_NAME_MAX + 2);
	query_bad(bb.p, bb.n);
	b_query(&bb, 1, 1, s, 299);
	query_bad(bb.p, bb.n);
	/* DNS_NAME_MAX + 1 characters without the dot: one too many */
	for (i = 0; i < DNS_NAME_MAX + 1; i++)
		s[i] = i % 60 == 59 ? '.' : 'n';
	b_query(&bb, 1, 1, s, DNS_NAME_MAX + 1);
	query_bad(bb.p, bb.n);
	/* the length field says more than the 2 bytes of name that follow */
	b_query(&bb, 1, 1, "ab", 2);
	bb.p[7] = 3;
	query_bad(bb.p, bb.n);
	bb.p[6] = 0xff;
	query_bad(bb.p, bb.n);
	free(name);
}

static void
test_opts_bad(void **state)
{
	struct dns_opts o;
	struct bld bb;
	char zone[DNS_NAME_MAX + 3];
	size_t i;

	(void)state;
	/* DNS_MAX_STUBS stubs: fine; one more (all well-formed) is not */
	bb.n = 0;
	b_str(&bb, "");
	b_str(&bb, "");
	b_str(&bb, "");
	b_u8(&bb, DNS_MAX_STUBS);
	for (i = 0; i < DNS_MAX_STUBS; i++) {
		b_str(&bb, "example.com");
		b_str(&bb, "127.0.0.1");
		b_u16(&bb, 53);
	}
	assert_int_equal(get_opts(bb.p, bb.n, &o), WARD_OK);
	assert_int_equal(o.nstubs, DNS_MAX_STUBS);
	dns_wire_opts_clear(&o);
	bb.p[6] = DNS_MAX_STUBS + 1;
	b_str(&bb, "example.com");
	b_str(&bb, "127.0.0.1");
	b_u16(&bb, 53);
	opts_bad(bb.p, bb.n);
	bb.p[6] = 0xff;
	opts_bad(bb.p, bb.n);

	/* the second of two stubs wrong in each field in turn (the strings
	 * before it already allocated) */
	{
		static const struct {
			const char *zone, *addr;
			unsigned port;
		} stub[] = {
		    {"example.com", "127.0.0.1", 0}, {"example.com", "", 53},
		    {"", "127.0.0.1", 53},           {"a..b", "127.0.0.1", 53},
		    {"..", "127.0.0.1", 53},         {".a", "127.0.0.1", 53},
		    {"a b", "127.0.0.1", 53},
		};

		for (i = 0; i < sizeof(stub) / sizeof(stub[0]); i++) {
			bb.n = 0;
			b_str(&bb, "/root.key");
			b_str(&bb, "/anchors");
			b_str(&bb, "/resolv.conf");
			b_u8(&bb, 2);
			b_str(&bb, "ok.example");
			b_str(&bb, "::1");
			b_u16(&bb, 53);
			b_str(&bb, stub[i].zone);
			b_str(&bb, stub[i].addr);
			b_u16(&bb, stub[i].port);
			opts_bad(bb.p, bb.n);
		}
	}
	/* the same with good values decodes (the frame above is right) */
	bb.n = 0;
	b_str(&bb, "/root.key");
	b_str(&bb, "/anchors");
	b_str(&bb, "/resolv.conf");
	b_u8(&bb, 2);
	b_str(&bb, "ok.example");
	b_str(&bb, "::1");
	b_u16(&bb, 53);
	b_str(&bb, ".");
	b_str(&bb, "127.0.0.1");
	b_u16(&bb, 65535);
	assert_int_equal(get_opts(bb.p, bb.n, &o), WARD_OK);
	assert_int_equal(o.nstubs, 2);
	assert_string_equal(o.stubs[1].zone, ".");
	assert_int_equal(o.stubs[1].port, 65535);
	dns_wire_opts_clear(&o);

	/* a zone is a domain name of at most DNS_NAME_MAX + 1 with a dot */
	for (i = 0; i < sizeof(zone) - 1; i++)
		zone[i] = i % 60 == 59 ? '.' : 'z';
	zone[DNS_NAME_MAX] = '.';
	zone[DNS_NAME_MAX + 1] = '\0';
	bb.n = 0;
	b_str(&bb, "");
	b_str(&bb, "");
	b_str(&bb, "");
	b_u8(&bb, 1);
	b_str(&bb, zone);
	b_str(&bb, "::1");
	b_u16(&bb, 53);
	assert_int_equal(get_opts(bb.p, bb.n, &o), WARD_OK);
	assert_string_equal(o.stubs[0].zone, zone);
	dns_wire_opts_clear(&o);
	zone[DNS_NAME_MAX] = 'z';
	zone[DNS_NAME_MAX + 1] = '.';
	zone[DNS_NAME_MAX + 2] = '\0';
	bb.n = 7;
	b_str(&bb, zone);
	b_str(&bb, "::1");
	b_u16(&bb, 53);
	opts_bad(bb.p, bb.n);
}

/*
 * Encoder limits: errors leave the wbuf as it was.
 */

static void
test_put_query_limits(void **state)
{
	char name[DNS_NAME_MAX + 3];
	struct snap s;
	struct wbuf b;

	(void)state;
	memset(name, 'q', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0'; /* DNS_NAME_MAX + 2 characters */
	wbuf_with_frame(&b, BIG);
	snap_take(&s, &b);
	assert_int_equal(dns_wire_put_query(&b, 1, 1, name), WARD_ERR_INVAL);
	assert_int_equal(dns_wire_put_query(&b, 1, -1, "a"), WARD_ERR_INVAL);
	assert_int_equal(dns_wire_put_query(&b, 1, 65536, "a"), WARD_ERR_INVAL);
	assert_int_equal(dns_wire_put_query(&b, 1, INT_MIN, "a"),
			 WARD_ERR_INVAL);
	assert_int_equal(dns_wire_put_query(&b, 1, 1, NULL), WARD_ERR_INVAL);
	assert_int_equal(dns_wire_put_query(NULL, 1, 1, "a"), WARD_ERR_INVAL);
	assert_int_equal(dns_wire_put_cancel(NULL, 1), WARD_ERR_INVAL);
	assert_int_equal(dns_wire_put_answer(NULL, 1, 0, NULL), WARD_ERR_INVAL);
	assert_int_equal(dns_wire_put_opts(&b, NULL), WARD_ERR_INVAL);
	snap_check(&s, &b);
	/* DNS_NAME_MAX + 1 and the extreme types are accepted */
	name[DNS_NAME_MAX + 1] = '\0';
	assert_int_equal(dns_wire_put_query(&b, 1, 1, name), WARD_OK);
	assert_int_equal(dns_wire_put_query(&b, 1, 0, "a"), WARD_OK);
	assert_int_equal(dns_wire_put_query(&b, 1, 65535, "a"), WARD_OK);
	wbuf_free(&b);
}

static void
test_put_opts_limits(void **state)
{
	struct dns_opts o;
	struct snap s;
	struct wbuf b;
	size_t i;

	(void)state;
	memset(&o, 0, sizeof(o));
	for (i = 0; i < DNS_MAX_STUBS; i++) {
		o.stubs[i].zone = "example.com";
		o.stubs[i].addr = "::1";
		o.stubs[i].port = 53;
	}
	wbuf_with_frame(&b, BIG);
	snap_take(&s, &b);
	o.nstubs = DNS_MAX_STUBS + 1;
	assert_int_equal(dns_wire_put_opts(&b, &o), WARD_ERR_INVAL);
	o.nstubs = DNS_MAX_STUBS;
	o.stubs[DNS_MAX_STUBS - 1].port = 65536;
	assert_int_equal(dns_wire_put_opts(&b, &o), WARD_ERR_INVAL);
	snap_check(&s, &b);
	o.stubs[DNS_MAX_STUBS - 1].port = 65535;
	assert_int_equal(dns_wire_put_opts(&b, &o), WARD_OK);
	wbuf_free(&b);
}

/* A frame of exactly DNS_WIRE_MAX is the largest; records of 0..65535. */
static void
test_put_answer_limits(void **state)
{
	const unsigned char *body;
	struct ub_result *r;
	struct fake f;
	struct snap s;
	struct wbuf b;
	char *big;
	size_t len;
	/* body: kind 1, id/uberr/has 9, qname "a" 3, qtype..rcode 6,
	 * flags 1, ttl 4, why_bogus 2, count 2, then 2 + len per record */
	const int fixed = 1 + 9 + 3 + 6 + 1 + 4 + 2 + 2;
	int len2 = DNS_WIRE_MAX - fixed - (2 + 65535) - 2;

	(void)state;
	big = calloc(1, 65536);
	assert_non_null(big);
	big[0] = 'B';
	big[65534] = 'E';
	fake_init(&f, "a");
	fake_add(&f, big, 65535);
	fake_add(&f, big, len2);
	wbuf_init(&b, BIG);
	assert_int_equal(dns_wire_put_answer(&b, 1, 0, &f.r), WARD_OK);
	assert_int_equal(wbuf_avail(&b), DNS_WIRE_HDR + DNS_WIRE_MAX);
	only_frame(&b, DNS_WIRE_ANSWER, &body, &len);
	r = answer_ok(body, len);
	check_result(&f.r, r);
	dns_wire_result_free(r);

	/* one byte more */
	wbuf_reset(&b);
	assert_int_equal(dns_wire_put_cancel(&b, 3), WARD_OK);
	snap_take(&s, &b);
	f.len[1] = len2 + 1;
	assert_int_equal(dns_wire_put_answer(&b, 1, 0, &f.r), WARD_ERR_LIMIT);
	/* far more */
	f.len[1] = 65535;
	fake_add(&f, big, 65535);
	assert_int_equal(dns_wire_put_answer(&b, 1, 0, &f.r), WARD_ERR_LIMIT);
	/* a record length out of range */
	fake_init(&f, "a");
	fake_add(&f, big, 1);
	fake_add(&f, big, 65536);
	assert_int_equal(dns_wire_put_answer(&b, 1, 0, &f.r), WARD_ERR_INVAL);
	f.len[1] = -1;
	assert_int_equal(dns_wire_put_answer(&b, 1, 0, &f.r), WARD_ERR_INVAL);
	snap_check(&s, &b);
	wbuf_free(&b);
	free(big);
}

/* Appends frame k of test_put_ceiling's five. */
static int
put_kind(struct wbuf *b, int k, const struct dns_opts *o,
	 const struct ub_result *r)
{
	switch (k) {
	case 0:
		return dns_wire_put_opts(b, o);
	case 1:
		return dns_wire_put_query(b, 1, 1, "example.com");
	case 2:
		return dns_wire_put_cancel(b, 1);
	case 3:
		return dns_wire_put_answer(b, 1, 0, NULL);
	default:
		return dns_wire_put_answer(b, 1, 0, r);
	}
}

/*
 * Each kind of frame fits a wbuf with exactly its size left under the
 * ceiling and is refused, leaving the wbuf as it was, with one byte less;
 * with and without a frame already in the buffer.
 */
static void
test_put_ceiling(void **state)
{
	struct dns_opts o;
	struct fake f;
	struct snap s;
	struct wbuf b;
	size_t need, pre, shortby;
	int k;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.root_anchor_file = "/root.key";
	o.nstubs = 1;
	o.stubs[0].zone = "example.com";
	o.stubs[0].addr = "::1";
	o.stubs[0].port = 53;
	fake_init(&f, "example.com");
	fake_add(&f, "\x7f\x00\x00\x01", 4);
	for (k = 0; k < 5; k++) {
		wbuf_init(&b, BIG);
		assert_int_equal(put_kind(&b, k, &o, &f.r), WARD_OK);
		need = wbuf_avail(&b);
		wbuf_free(&b);
		for (pre = 0; pre < 2; pre++)
			for (shortby = 0; shortby < 2; shortby++) {
				size_t max =
				    need + pre * (DNS_WIRE_HDR + 5) - shortby;

				if (pre)
					wbuf_with_frame(&b, max);
				else
					wbuf_init(&b, max);
				snap_take(&s, &b);
				if (shortby) {
					assert_int_equal(
					    put_kind(&b, k, &o, &f.r),
					    WARD_ERR_LIMIT);
					snap_check(&s, &b);
				} else {
					assert_int_equal(
					    put_kind(&b, k, &o, &f.r), WARD_OK);
					assert_int_equal(wbuf_avail(&b),
							 s.n + need);
					free(s.p);
				}
				wbuf_free(&b);
			}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_layout),
	    cmocka_unit_test(test_opts_roundtrip_empty),
	    cmocka_unit_test(test_opts_roundtrip_full),
	    cmocka_unit_test(test_query_roundtrip),
	    cmocka_unit_test(test_cancel_roundtrip),
	    cmocka_unit_test(test_answer_roundtrip_null),
	    cmocka_unit_test(test_answer_roundtrip_full),
	    cmocka_unit_test(test_answer_roundtrip_no_records),
	    cmocka_unit_test(test_answer_max_records),
	    cmocka_unit_test(test_next_incomplete),
	    cmocka_unit_test(test_next_bad_length),
	    cmocka_unit_test(test_next_two_frames),
	    cmocka_unit_test(test_answer_truncated),
	    cmocka_unit_test(test_other_truncated),
	    cmocka_unit_test(test_trailing_bytes),
	    cmocka_unit_test(test_string_with_nul),
	    cmocka_unit_test(test_string_too_long),
	    cmocka_unit_test(test_answer_record_count),
	    cmocka_unit_test(test_answer_flags),
	    cmocka_unit_test(test_query_bad_names),
	    cmocka_unit_test(test_opts_bad),
	    cmocka_unit_test(test_put_query_limits),
	    cmocka_unit_test(test_put_opts_limits),
	    cmocka_unit_test(test_put_answer_limits),
	    cmocka_unit_test(test_put_ceiling),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
