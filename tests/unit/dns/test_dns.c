/*
 * test_dns.c: unit tests for src/net/dns.c without a network: SRV rdata
 * parsing (hostile lengths), RFC 2782 ordering, the XEP-0368 merge of both
 * services, A/AAAA and TLSA merging, and the event path for IP literals.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <unbound.h>

#include "ward.h"
#include "dns.h"
#include "dns_helper.h"

/*
 * Building fake libunbound answers.
 */

/* Wire form of an SRV record; target "" is the root ("."). */
static size_t
srv_wire(unsigned char *p, unsigned prio, unsigned weight, unsigned port,
	 const char *target)
{
	size_t n = 6;
	const char *s = target;

	p[0] = prio >> 8;
	p[1] = prio & 0xff;
	p[2] = weight >> 8;
	p[3] = weight & 0xff;
	p[4] = port >> 8;
	p[5] = port & 0xff;
	while (*s != '\0') {
		const char *dot = strchr(s, '.');
		size_t lab = dot != NULL ? (size_t)(dot - s) : strlen(s);

		p[n++] = (unsigned char)lab;
		memcpy(p + n, s, lab);
		n += lab;
		s += lab;
		if (*s == '.')
			s++;
	}
	p[n++] = 0;
	return n;
}

struct fake {
	struct ub_result r;
	char *data[40];
	int len[40];
	unsigned char buf[40][300];
	size_t n;
};

static void
fake_init(struct fake *f, const char *qname, int qtype)
{
	memset(f, 0, sizeof(*f));
	f->r.qname = (char *)qname;
	f->r.qtype = qtype;
	f->r.qclass = 1;
	f->r.data = f->data;
	f->r.len = f->len;
	f->r.secure = 1;
}

static void
fake_add(struct fake *f, const void *p, size_t len)
{
	assert_true(f->n < 39);
	memcpy(f->buf[f->n], p, len);
	f->data[f->n] = (char *)f->buf[f->n];
	f->len[f->n] = (int)len;
	f->n++;
	f->data[f->n] = NULL;
	f->r.havedata = 1;
}

static void
fake_srv(struct fake *f, unsigned prio, unsigned weight, unsigned port,
	 const char *target)
{
	unsigned char w[300];

	fake_add(f, w, srv_wire(w, prio, weight, port, target));
}

static void
fake_nxdomain(struct fake *f)
{
	f->r.rcode = 3;
	f->r.nxdomain = 1;
	f->r.havedata = 0;
}

/* A deterministic "random" source: returns a scripted sequence. */
struct script {
	uint32_t v[64];
	size_t n, i;
	uint32_t last_bound;
};

static uint32_t
script_rand(void *ctx, uint32_t bound)
{
	struct script *s = ctx;
	uint32_t v = s->i < s->n ? s->v[s->i++] : 0;

	s->last_bound = bound;
	return v % bound;
}

/* xorshift32, for statistical checks that must not be flaky */
static uint32_t
xs_rand(void *ctx, uint32_t bound)
{
	uint32_t *x = ctx;

	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x % bound;
}

/*
 * dns_srv_parse
 */

static void
test_parse_ok(void **state)
{
	unsigned char w[300];
	struct dns_target t;
	size_t n = srv_wire(w, 10, 20, 5222, "xmpp.example.test");

	(void)state;
	assert_int_equal(dns_srv_parse(w, n, 1, &t), WARD_OK);
	assert_string_equal(t.host, "xmpp.example.test");
	assert_int_equal(t.priority, 10);
	assert_int_equal(t.weight, 20);
	assert_int_equal(t.port, 5222);
	assert_int_equal(t.direct_tls, 1);
	free(t.host);

	n = srv_wire(w, 65535, 65535, 65535, "a_b-c.D9");
	assert_int_equal(dns_srv_parse(w, n, 0, &t), WARD_OK);
	assert_string_equal(t.host, "a_b-c.D9");
	assert_int_equal(t.priority, 65535);
	assert_int_equal(t.port, 65535);
	free(t.host);
}

static void
test_parse_root(void **state)
{
	unsigned char w[16];
	struct dns_target t;
	size_t n = srv_wire(w, 0, 0, 0, "");

	(void)state;
	assert_int_equal(n, 7);
	assert_int_equal(dns_srv_parse(w, n, 0, &t), WARD_OK);
	assert_string_equal(t.host, "");
	free(t.host);
}

static void
test_parse_malformed(void **state)
{
	unsigned char w[600];
	struct dns_target t;
	size_t n, i;

	(void)state;
	n = srv_wire(w, 1, 2, 3, "xmpp.example.test");
	/* every truncation fails, and leaves nothing to free */
	for (i = 0; i < n; i++) {
		assert_int_equal(dns_srv_parse(w, i, 0, &t), WARD_ERR_PARSE);
		assert_null(t.host);
	}
	assert_int_equal(dns_srv_parse(NULL, 10, 0, &t), WARD_ERR_PARSE);
	/* bytes after the root label */
	w[n] = 0;
	assert_int_equal(dns_srv_parse(w, n + 1, 0, &t), WARD_ERR_PARSE);
	/* label length past the end */
	n = srv_wire(w, 1, 2, 3, "abc");
	w[6] = 10;
	assert_int_equal(dns_srv_parse(w, n, 0, &t), WARD_ERR_PARSE);
	/* compression pointer */
	w[6] = 0xc0;
	w[7] = 0x0c;
	assert_int_equal(dns_srv_parse(w, 8, 0, &t), WARD_ERR_PARSE);
	/* label of 64 */
	memset(w + 6, 'a', 70);
	w[6] = 64;
	w[6 + 65] = 0;
	assert_int_equal(dns_srv_parse(w, 6 + 66, 0, &t), WARD_ERR_PARSE);
	/* label of 63 is fine */
	w[6] = 63;
	w[6 + 64] = 0;
	assert_int_equal(dns_srv_parse(w, 6 + 65, 0, &t), WARD_OK);
	assert_int_equal(strlen(t.host), 63);
	free(t.host);
	/* characters that must never reach a hostname or a terminal */
	n = srv_wire(w, 1, 2, 3, "ab.cd");
	w[8] = '\033';
	assert_int_equal(dns_srv_parse(w, n, 0, &t), WARD_ERR_PARSE);
	w[8] = '.';
	assert_int_equal(dns_srv_parse(w, n, 0, &t), WARD_ERR_PARSE);
	w[8] = '\0';
	assert_int_equal(dns_srv_parse(w, n, 0, &t), WARD_ERR_PARSE);
	w[8] = 0xc3;
	assert_int_equal(dns_srv_parse(w, n, 0, &t), WARD_ERR_PARSE);
}

static void
test_parse_name_too_long(void **state)
{
	unsigned char w[600];
	struct dns_target t;
	size_t n = 6, i;

	(void)state;
	memset(w, 0, 6);
	/* 4 labels of 63 = 256 wire bytes with the root: one too many */
	for (i = 0; i < 4; i++) {
		w[n++] = 63;
		memset(w + n, 'x', 63);
		n += 63;
	}
	w[n++] = 0;
	assert_int_equal(dns_srv_parse(w, n, 0, &t), WARD_ERR_PARSE);
	/* 3 x 63 + 61 + 5 length bytes = 255: the maximum */
	n = 6;
	for (i = 0; i < 4; i++) {
		size_t lab = i < 3 ? 63 : 61;

		w[n++] = (unsigned char)lab;
		memset(w + n, 'x', lab);
		n += lab;
	}
	w[n++] = 0;
	assert_int_equal(n - 6, 255);
	assert_int_equal(dns_srv_parse(w, n, 0, &t), WARD_OK);
	assert_int_equal(strlen(t.host), 253);
	free(t.host);
}

/*
 * dns_srv_order
 */

static struct dns_target
tgt(const char *host, unsigned prio, unsigned weight)
{
	struct dns_target t;

	memset(&t, 0, sizeof(t));
	t.host = (char *)host;
	t.priority = prio;
	t.weight = weight;
	return t;
}

static void
test_order_priority(void **state)
{
	struct dns_target t[5] = {tgt("c", 20, 0), tgt("a", 0, 0),
				  tgt("d", 30, 5), tgt("b", 10, 0),
				  tgt("e", 65535, 1)};
	struct script s = {.n = 0};

	(void)state;
	dns_srv_order(t, 5, script_rand, &s);
	assert_string_equal(t[0].host, "a");
	assert_string_equal(t[1].host, "b");
	assert_string_equal(t[2].host, "c");
	assert_string_equal(t[3].host, "d");
	assert_string_equal(t[4].host, "e");
	dns_srv_order(t, 0, script_rand, &s); /* no-op */
}

static void
test_order_weights(void **state)
{
	/* running sums in RFC order (zeros first): z=0, a=10, b=30, c=60 */
	struct dns_target t[4] = {tgt("a", 1, 10), tgt("b", 1, 20),
				  tgt("z", 1, 0), tgt("c", 1, 30)};
	struct script s = {.v = {25, 0, 0}, .n = 3};

	(void)state;
	dns_srv_order(t, 4, script_rand, &s);
	/* 25 of 0..60 -> b (10 < 25 <= 30); then 0 of 0..40 -> z (0 >= 0);
	   then 0 of 0..40 -> a (running sum 10 >= 0) */
	assert_string_equal(t[0].host, "b");
	assert_string_equal(t[1].host, "z");
	assert_string_equal(t[2].host, "a");
	assert_string_equal(t[3].host, "c");
}

static void
test_order_weight_zero_chance(void **state)
{
	struct dns_target t[2];
	struct script s = {.v = {0}, .n = 1};

	(void)state;
	/* random 0 picks the weight-0 entry first */
	t[0] = tgt("heavy", 0, 100);
	t[1] = tgt("zero", 0, 0);
	dns_srv_order(t, 2, script_rand, &s);
	assert_string_equal(t[0].host, "zero");
	assert_int_equal(s.last_bound, 101);
	/* anything else picks the weighted one */
	t[0] = tgt("heavy", 0, 100);
	t[1] = tgt("zero", 0, 0);
	s.i = 0;
	s.v[0] = 1;
	dns_srv_order(t, 2, script_rand, &s);
	assert_string_equal(t[0].host, "heavy");
}

static void
test_order_all_zero_uniform(void **state)
{
	const char *names[3] = {"a", "b", "c"};
	unsigned first[3] = {0, 0, 0};
	uint32_t seed = 12345;
	int run, k;

	(void)state;
	for (run = 0; run < 3000; run++) {
		struct dns_target t[3] = {tgt("a", 5, 0), tgt("b", 5, 0),
					  tgt("c", 5, 0)};

		dns_srv_order(t, 3, xs_rand, &seed);
		for (k = 0; k < 3; k++)
			if (strcmp(t[0].host, names[k]) == 0)
				first[k]++;
	}
	for (k = 0; k < 3; k++)
		assert_true(first[k] > 800 && first[k] < 1200);
}

static void
test_order_weight_proportions(void **state)
{
	unsigned first_heavy = 0;
	uint32_t seed = 777;
	int run;

	(void)state;
	/* weights 1:3 -> the heavy one first about 75% of the time */
	for (run = 0; run < 4000; run++) {
		struct dns_target t[2] = {tgt("light", 0, 10),
					  tgt("heavy", 0, 30)};

		dns_srv_order(t, 2, xs_rand, &seed);
		if (strcmp(t[0].host, "heavy") == 0)
			first_heavy++;
	}
	assert_true(first_heavy > 2800 && first_heavy < 3200);
}

static uint32_t
broken_rand(void *ctx, uint32_t bound)
{
	(void)ctx;
	return bound + 7; /* out of range: must not crash */
}

static void
test_order_broken_rand(void **state)
{
	struct dns_target t[3] = {tgt("a", 0, 0), tgt("b", 0, 5),
				  tgt("c", 0, 0)};
	struct dns_target u[2] = {tgt("x", 0, 0), tgt("y", 0, 0)};

	(void)state;
	dns_srv_order(t, 3, broken_rand, NULL);
	dns_srv_order(u, 2, broken_rand, NULL);
	dns_srv_order(u, 2, NULL, NULL); /* default source */
}

/*
 * dns_srv_merge
 */

static void
test_merge_both(void **state)
{
	struct fake s, p;
	struct dns_srv_result *res;
	struct script sc = {.n = 0};

	(void)state;
	fake_init(&s, "_xmpps-client._tcp.example.test", 33);
	fake_init(&p, "_xmpp-client._tcp.example.test", 33);
	fake_srv(&s, 5, 0, 443, "tls.example.test");
	fake_srv(&s, 20, 0, 5223, "tls2.example.test");
	fake_srv(&p, 10, 0, 5222, "plain.example.test");
	fake_srv(&p, 0, 0, 0, "port0.example.test"); /* port 0: skipped */
	assert_int_equal(
	    dns_srv_merge("example.test", &s.r, &p.r, script_rand, &sc, &res),
	    WARD_OK);
	assert_int_equal(res->sec, DNS_SEC_SECURE);
	assert_null(res->bogus_what);
	assert_false(res->fallback);
	assert_false(res->no_service);
	assert_int_equal(res->ntargets, 3);
	assert_string_equal(res->targets[0].host, "tls.example.test");
	assert_int_equal(res->targets[0].direct_tls, 1);
	assert_int_equal(res->targets[0].port, 443);
	assert_string_equal(res->targets[1].host, "plain.example.test");
	assert_int_equal(res->targets[1].direct_tls, 0);
	assert_string_equal(res->targets[2].host, "tls2.example.test");
	assert_int_equal(res->targets[2].direct_tls, 1);
	dns_srv_result_free(res);

	/* the worse of the two decides */
	p.r.secure = 0;
	assert_int_equal(
	    dns_srv_merge("example.test", &s.r, &p.r, NULL, NULL, &res),
	    WARD_OK);
	assert_int_equal(res->sec, DNS_SEC_INSECURE);
	assert_int_equal(res->ntargets, 3);
	dns_srv_result_free(res);
}

static void
test_merge_bogus(void **state)
{
	struct fake s, p;
	struct dns_srv_result *res;

	(void)state;
	fake_init(&s, "_xmpps-client._tcp.bogus.test.", 33);
	fake_init(&p, "_xmpp-client._tcp.bogus.test.", 33);
	fake_srv(&s, 0, 5, 5223, "xmpp.bogus.test");
	fake_srv(&p, 0, 5, 5222, "xmpp.bogus.test");
	/* libunbound: rcode NOERROR, havedata, but bogus */
	p.r.secure = 0;
	p.r.bogus = 1;
	p.r.why_bogus = "signature crypto failed";
	assert_int_equal(
	    dns_srv_merge("bogus.test", &s.r, &p.r, NULL, NULL, &res), WARD_OK);
	assert_int_equal(res->sec, DNS_SEC_BOGUS);
	assert_int_equal(res->ntargets, 0);
	assert_null(res->targets);
	assert_false(res->fallback);
	assert_string_equal(
	    res->bogus_what,
	    "_xmpp-client._tcp.bogus.test SRV: signature crypto failed");
	dns_srv_result_free(res);

	/* a bogus NXDOMAIN never becomes a fallback */
	fake_init(&s, "_xmpps-client._tcp.bogus.test", 33);
	fake_init(&p, "_xmpp-client._tcp.bogus.test", 33);
	fake_nxdomain(&s);
	fake_nxdomain(&p);
	s.r.secure = 0;
	s.r.bogus = 1;
	s.r.rcode = 2;
	assert_int_equal(
	    dns_srv_merge("bogus.test", &s.r, &p.r, NULL, NULL, &res), WARD_OK);
	assert_int_equal(res->sec, DNS_SEC_BOGUS);
	assert_int_equal(res->ntargets, 0);
	assert_false(res->fallback);
	assert_string_equal(
	    res->bogus_what,
	    "_xmpps-client._tcp.bogus.test SRV: validation failed");
	dns_srv_result_free(res);
}

static void
test_merge_fallback(void **state)
{
	struct fake s, p;
	struct dns_srv_result *res;

	(void)state;
	fake_init(&s, "_xmpps-client._tcp.nosrv.test", 33);
	fake_init(&p, "_xmpp-client._tcp.nosrv.test", 33);
	fake_nxdomain(&s);
	/* NODATA: NOERROR without records */
	assert_int_equal(
	    dns_srv_merge("nosrv.test", &s.r, &p.r, NULL, NULL, &res), WARD_OK);
	assert_int_equal(res->sec, DNS_SEC_SECURE);
	assert_true(res->fallback);
	assert_int_equal(res->ntargets, 1);
	assert_string_equal(res->targets[0].host, "nosrv.test");
	assert_int_equal(res->targets[0].port, 5222);
	assert_int_equal(res->targets[0].direct_tls, 0);
	dns_srv_result_free(res);
}

static void
test_merge_dot(void **state)
{
	struct fake s, p;
	struct dns_srv_result *res;

	(void)state;
	/* both "." -> no service */
	fake_init(&s, "_xmpps-client._tcp.noservice.test", 33);
	fake_init(&p, "_xmpp-client._tcp.noservice.test", 33);
	fake_srv(&s, 0, 0, 0, "");
	fake_srv(&p, 0, 0, 0, "");
	assert_int_equal(
	    dns_srv_merge("noservice.test", &s.r, &p.r, NULL, NULL, &res),
	    WARD_OK);
	assert_true(res->no_service);
	assert_false(res->fallback);
	assert_int_equal(res->ntargets, 0);
	dns_srv_result_free(res);

	/* xmpps "." and no _xmpp-client: still no A/AAAA fallback */
	fake_init(&p, "_xmpp-client._tcp.noservice.test", 33);
	fake_nxdomain(&p);
	assert_int_equal(
	    dns_srv_merge("noservice.test", &s.r, &p.r, NULL, NULL, &res),
	    WARD_OK);
	assert_true(res->no_service);
	assert_false(res->fallback);
	assert_int_equal(res->ntargets, 0);
	dns_srv_result_free(res);

	/* xmpps "." but real _xmpp-client records: use those */
	fake_init(&p, "_xmpp-client._tcp.noservice.test", 33);
	fake_srv(&p, 0, 0, 5222, "xmpp.noservice.test");
	assert_int_equal(
	    dns_srv_merge("noservice.test", &s.r, &p.r, NULL, NULL, &res),
	    WARD_OK);
	assert_false(res->no_service);
	assert_int_equal(res->ntargets, 1);
	assert_string_equal(res->targets[0].host, "xmpp.noservice.test");
	dns_srv_result_free(res);
}

static void
test_merge_failures(void **state)
{
	struct fake s, p;
	struct dns_srv_result *res = (void *)1;
	unsigned char junk[3] = {1, 2, 3};

	(void)state;
	fake_init(&s, "_xmpps-client._tcp.x.test", 33);
	fake_init(&p, "_xmpp-client._tcp.x.test", 33);
	fake_srv(&p, 0, 0, 5222, "xmpp.x.test");
	s.r.rcode = 2; /* SERVFAIL, not bogus: try later, no fallback */
	s.r.secure = 0;
	assert_int_equal(dns_srv_merge("x.test", &s.r, &p.r, NULL, NULL, &res),
			 WARD_ERR_AGAIN);
	assert_null(res);

	/* records, all malformed */
	fake_init(&s, "_xmpps-client._tcp.x.test", 33);
	fake_init(&p, "_xmpp-client._tcp.x.test", 33);
	fake_nxdomain(&s);
	fake_add(&p, junk, sizeof(junk));
	p.len[0] = -5; /* a negative length must not be trusted */
	fake_add(&p, junk, sizeof(junk));
	assert_int_equal(dns_srv_merge("x.test", &s.r, &p.r, NULL, NULL, &res),
			 WARD_ERR_PROTO);
	assert_null(res);

	/* a malformed record next to a good one is skipped */
	fake_srv(&p, 0, 0, 5222, "xmpp.x.test");
	assert_int_equal(dns_srv_merge("x.test", &s.r, &p.r, NULL, NULL, &res),
			 WARD_OK);
	assert_int_equal(res->ntargets, 1);
	dns_srv_result_free(res);
}

static void
test_merge_limit(void **state)
{
	struct fake *p = malloc(sizeof(*p));
	struct dns_srv_result *res;
	int i;

	(void)state;
	fake_init(p, "_xmpp-client._tcp.many.test", 33);
	for (i = 0; i < 39; i++)
		fake_srv(p, (unsigned)i, 1, 5222, "xmpp.many.test");
	assert_int_equal(
	    dns_srv_merge("many.test", NULL, &p->r, NULL, NULL, &res), WARD_OK);
	assert_int_equal(res->ntargets, DNS_MAX_TARGETS);
	for (i = 1; i < DNS_MAX_TARGETS; i++)
		assert_true(res->targets[i - 1].priority <=
			    res->targets[i].priority);
	dns_srv_result_free(res);
	free(p);
}

/*
 * dns_addr_merge and dns_tlsa_merge
 */

static void
test_addr_merge(void **state)
{
	struct fake a6, a4;
	struct dns_addr_result *res;
	struct sockaddr_in6 *s6;
	struct sockaddr_in *s4;
	unsigned char v6[16], v4[4];

	(void)state;
	fake_init(&a6, "xmpp.good.test", 28);
	fake_init(&a4, "xmpp.good.test", 1);
	inet_pton(AF_INET6, "::1", v6);
	fake_add(&a6, v6, 16);
	inet_pton(AF_INET6, "2001:db8::2", v6);
	fake_add(&a6, v6, 16);
	fake_add(&a6, v6, 4); /* wrong length: skipped */
	inet_pton(AF_INET, "127.0.0.1", v4);
	fake_add(&a4, v4, 4);
	assert_int_equal(dns_addr_merge(&a6.r, &a4.r, 5222, &res), WARD_OK);
	assert_int_equal(res->sec, DNS_SEC_SECURE);
	assert_int_equal(res->naddrs, 3);
	s6 = (struct sockaddr_in6 *)&res->addrs[0];
	assert_int_equal(s6->sin6_family, AF_INET6);
	assert_int_equal(ntohs(s6->sin6_port), 5222);
	assert_true(IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr));
	s4 = (struct sockaddr_in *)&res->addrs[1];
	assert_int_equal(s4->sin_family, AF_INET);
	assert_int_equal(ntohs(s4->sin_port), 5222);
	assert_int_equal(ntohl(s4->sin_addr.s_addr), 0x7f000001);
	assert_int_equal(res->addrs[2].ss_family, AF_INET6);
	dns_addr_result_free(res);

	/* AAAA SERVFAIL is tolerated when A has data; it does not count */
	a6.r.rcode = 2;
	a6.r.havedata = 0;
	a6.r.secure = 0;
	assert_int_equal(dns_addr_merge(&a6.r, &a4.r, 1, &res), WARD_OK);
	assert_int_equal(res->naddrs, 1);
	assert_int_equal(res->sec, DNS_SEC_SECURE);
	dns_addr_result_free(res);
	/* both failing is an error */
	a4.r.rcode = 2;
	a4.r.havedata = 0;
	assert_int_equal(dns_addr_merge(&a6.r, &a4.r, 1, &res), WARD_ERR_AGAIN);
	assert_null(res);

	/* bogus anywhere: nothing at all */
	fake_init(&a6, "xmpp.bogus.test", 28);
	fake_init(&a4, "xmpp.bogus.test", 1);
	fake_add(&a4, v4, 4);
	a4.r.bogus = 1;
	a4.r.secure = 0;
	a4.r.why_bogus = "sig expired";
	assert_int_equal(dns_addr_merge(&a6.r, &a4.r, 1, &res), WARD_OK);
	assert_int_equal(res->sec, DNS_SEC_BOGUS);
	assert_int_equal(res->naddrs, 0);
	assert_null(res->addrs);
	assert_string_equal(res->bogus_what, "xmpp.bogus.test A: sig expired");
	dns_addr_result_free(res);

	/* no address at all: not an error */
	fake_init(&a6, "none.test", 28);
	fake_init(&a4, "none.test", 1);
	fake_nxdomain(&a6);
	fake_nxdomain(&a4);
	a4.r.secure = 0;
	assert_int_equal(dns_addr_merge(&a6.r, &a4.r, 1, &res), WARD_OK);
	assert_int_equal(res->naddrs, 0);
	assert_int_equal(res->sec, DNS_SEC_INSECURE);
	dns_addr_result_free(res);
}

static void
test_tlsa_merge(void **state)
{
	struct fake f;
	struct dns_tlsa_result *res;
	unsigned char rec[35] = {3, 1, 1};

	(void)state;
	memset(rec + 3, 0xab, 32);
	fake_init(&f, "_5222._tcp.xmpp.good.test", 52);
	fake_add(&f, rec, 35);
	fake_add(&f, rec, 3); /* no data: skipped */
	assert_int_equal(dns_tlsa_merge(&f.r, &res), WARD_OK);
	assert_int_equal(res->sec, DNS_SEC_SECURE);
	assert_int_equal(res->nrecords, 1);
	assert_int_equal(res->records[0].usage, 3);
	assert_int_equal(res->records[0].selector, 1);
	assert_int_equal(res->records[0].mtype, 1);
	assert_int_equal(res->records[0].len, 32);
	assert_int_equal(res->records[0].data[31], 0xab);
	dns_tlsa_result_free(res);

	f.r.rcode = 2;
	f.r.havedata = 0;
	f.r.secure = 0;
	assert_int_equal(dns_tlsa_merge(&f.r, &res), WARD_ERR_AGAIN);
	fake_init(&f, "_5222._tcp.xmpp.good.test", 52);
	fake_nxdomain(&f);
	assert_int_equal(dns_tlsa_merge(&f.r, &res), WARD_OK);
	assert_int_equal(res->nrecords, 0);
	assert_int_equal(res->sec, DNS_SEC_SECURE);
	dns_tlsa_result_free(res);
}

/*
 * The resolver object, without a network: IP literals, argument checks,
 * cancellation and dns_free() from a callback.
 */

struct got {
	int calls, err;
	struct dns_addr_result *res;
	struct dns *free_me;
};

static void
got_addr(void *arg, int err, struct dns_addr_result *res)
{
	struct got *g = arg;

	g->calls++;
	g->err = err;
	dns_addr_result_free(g->res);
	g->res = res;
	if (g->free_me != NULL)
		dns_free(g->free_me);
}

static int
readable(struct dns *d, int ms)
{
	struct pollfd p = {.fd = dns_fd(d), .events = POLLIN};

	return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

static void
test_literal(void **state)
{
	struct dns_opts o;
	struct dns *d;
	struct got g = {0};
	struct sockaddr_in6 *s6;

	(void)state;
	memset(&o, 0, sizeof(o));
	assert_int_equal(dns_new(&o, &d), WARD_OK);
	assert_false(readable(d, 0));
	assert_int_equal(dns_resolve_addr(d, "[::1]", 5223, got_addr, &g),
			 WARD_OK);
	assert_int_equal(g.calls, 0); /* never from inside */
	assert_int_equal(dns_pending(d), 1);
	assert_true(readable(d, 1000));
	assert_int_equal(dns_process(d), WARD_OK);
	assert_int_equal(g.calls, 1);
	assert_int_equal(g.err, WARD_OK);
	assert_int_equal(g.res->sec, DNS_SEC_INSECURE);
	assert_int_equal(g.res->naddrs, 1);
	s6 = (struct sockaddr_in6 *)&g.res->addrs[0];
	assert_int_equal(s6->sin6_family, AF_INET6);
	assert_int_equal(ntohs(s6->sin6_port), 5223);
	assert_false(readable(d, 0));
	assert_int_equal(dns_pending(d), 0);

	assert_int_equal(dns_resolve_addr(d, "192.0.2.7", 5222, got_addr, &g),
			 WARD_OK);
	assert_int_equal(dns_resolve_addr(d, "2001:db8::1", 1, got_addr, &g),
			 WARD_OK);
	assert_int_equal(dns_process(d), WARD_OK);
	assert_int_equal(g.calls, 3);
	assert_int_equal(g.res->addrs[0].ss_family, AF_INET6);
	dns_addr_result_free(g.res);
	dns_free(d);
}

static void
test_bad_args(void **state)
{
	struct dns_opts o;
	struct dns *d;
	struct got g = {0};

	(void)state;
	memset(&o, 0, sizeof(o));
	o.nstubs = 1;
	o.stubs[0].zone = "test";
	o.stubs[0].addr = "not-an-address";
	o.stubs[0].port = 53;
	assert_int_equal(dns_new(&o, &d), WARD_ERR_INVAL);
	assert_null(d);
	o.stubs[0].addr = "127.0.0.1";
	o.stubs[0].port = 0;
	assert_int_equal(dns_new(&o, &d), WARD_ERR_INVAL);
	o.stubs[0].port = 53;
	o.stubs[0].zone = "bad zone";
	assert_int_equal(dns_new(&o, &d), WARD_ERR_INVAL);
	o.stubs[0].zone = "test.";
	o.trust_anchor_file = "/nonexistent/anchor.key";
	assert_int_equal(dns_new(&o, &d), WARD_ERR_INVAL);
	o.trust_anchor_file = NULL;
	o.root_anchor_file = "/nonexistent/root.key"; /* skipped */
	assert_int_equal(dns_new(&o, &d), WARD_OK);

	assert_int_equal(dns_resolve_addr(d, "[::1", 1, got_addr, &g),
			 WARD_ERR_INVAL);
	assert_int_equal(dns_resolve_addr(d, "a..b", 1, got_addr, &g),
			 WARD_ERR_INVAL);
	assert_int_equal(dns_resolve_addr(d, "x\ny", 1, got_addr, &g),
			 WARD_ERR_INVAL);
	assert_int_equal(dns_resolve_addr(d, "host", 0, got_addr, &g),
			 WARD_ERR_INVAL);
	assert_int_equal(dns_resolve_addr(d, "host", 70000, got_addr, &g),
			 WARD_ERR_INVAL);
	assert_int_equal(dns_resolve_xmpp(d, "", NULL, &g), WARD_ERR_INVAL);
	assert_int_equal(dns_resolve_xmpp(d, ".", NULL, &g), WARD_ERR_INVAL);
	assert_int_equal(dns_resolve_tlsa(d, "bad host", 5222, NULL, &g),
			 WARD_ERR_INVAL);
	assert_int_equal(dns_pending(d), 0);
	assert_int_equal(g.calls, 0);
	dns_free(d);
	dns_free(NULL);
}

static void
test_cancel_and_free_in_callback(void **state)
{
	struct dns_opts o;
	struct dns *d;
	struct got g1 = {0}, g2 = {0};

	(void)state;
	memset(&o, 0, sizeof(o));
	assert_int_equal(dns_new(&o, &d), WARD_OK);
	assert_int_equal(dns_resolve_addr(d, "::1", 1, got_addr, &g1), WARD_OK);
	assert_int_equal(dns_resolve_addr(d, "::2", 1, got_addr, &g2), WARD_OK);
	assert_int_equal(dns_cancel_arg(d, &g1), 1);
	assert_int_equal(dns_process(d), WARD_OK);
	assert_int_equal(g1.calls, 0);
	assert_int_equal(g2.calls, 1);
	dns_addr_result_free(g2.res);

	/* the first callback frees the resolver: the second never runs */
	memset(&g1, 0, sizeof(g1));
	memset(&g2, 0, sizeof(g2));
	g1.free_me = d;
	assert_int_equal(dns_resolve_addr(d, "::1", 1, got_addr, &g1), WARD_OK);
	assert_int_equal(dns_resolve_addr(d, "::2", 1, got_addr, &g2), WARD_OK);
	assert_int_equal(dns_process(d), WARD_OK); /* frees d */
	assert_int_equal(g1.calls, 1);
	assert_int_equal(g2.calls, 0);
	dns_addr_result_free(g1.res);
}

static void
test_free_with_pending(void **state)
{
	struct dns_opts o;
	struct dns *d;
	struct got g = {0};

	(void)state;
	memset(&o, 0, sizeof(o));
	o.nstubs = 1;
	o.stubs[0].zone = "test";
	o.stubs[0].addr = "127.0.0.1";
	o.stubs[0].port = 9; /* discard: nobody answers */
	assert_int_equal(dns_new(&o, &d), WARD_OK);
	assert_int_equal(dns_resolve_addr(d, "x.test", 5222, got_addr, &g),
			 WARD_OK);
	assert_int_equal(dns_resolve_xmpp(d, "x.test.", NULL, &g),
			 WARD_ERR_INVAL);
	assert_int_equal(dns_pending(d), 1);
	dns_free(d); /* cancels; no callback afterwards */
	assert_int_equal(g.calls, 0);
}

static void
test_timeout(void **state)
{
	struct dns_opts o;
	struct dns *d;
	struct got g = {0};
	int64_t t0;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.nstubs = 1;
	o.stubs[0].zone = "test";
	o.stubs[0].addr = "127.0.0.1";
	o.stubs[0].port = 9; /* discard: nobody answers */
	o.timeout_ms = 300;
	assert_int_equal(dns_new(&o, &d), WARD_OK);
	t0 = now_ms();
	assert_int_equal(dns_resolve_addr(d, "x.test", 5222, got_addr, &g),
			 WARD_OK);
	while (g.calls == 0 && now_ms() - t0 < 5000)
		if (readable(d, 5000))
			assert_int_equal(dns_process(d), WARD_OK);
	assert_int_equal(g.calls, 1);
	assert_int_equal(g.err, WARD_ERR_AGAIN);
	assert_null(g.res);
	assert_true(now_ms() - t0 >= 290);
	assert_true(now_ms() - t0 < 2000);
	assert_int_equal(dns_pending(d), 0);
	assert_false(readable(d, 0)); /* the timer is off again */

	/* a cancelled lookup leaves no timer behind: no wake-up */
	assert_int_equal(dns_resolve_addr(d, "x.test", 5222, got_addr, &g),
			 WARD_OK);
	assert_int_equal(dns_cancel_arg(d, &g), 1);
	assert_false(readable(d, 500));
	assert_int_equal(g.calls, 1);
	dns_free(d);
}

/*
 * dns_release drops libunbound's context only when nothing is outstanding,
 * and the next lookup makes a new one from the same settings (here it goes
 * out to the stub and times out, which only a working context can do).
 */
static void
test_release(void **state)
{
	struct dns_opts o;
	struct dns *d;
	struct got g = {0};
	int64_t t0;
	int round;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.nstubs = 1;
	o.stubs[0].zone = "test";
	o.stubs[0].addr = "127.0.0.1";
	o.stubs[0].port = 9; /* discard: nobody answers */
	o.timeout_ms = 200;
	assert_int_equal(dns_new(&o, &d), WARD_OK);
	dns_release(d); /* nothing asked yet: released */
	dns_release(d); /* twice is fine */
	for (round = 0; round < 2; round++) {
		memset(&g, 0, sizeof(g));
		t0 = now_ms();
		assert_int_equal(
		    dns_resolve_addr(d, "x.test", 5222, got_addr, &g), WARD_OK);
		dns_release(d); /* a lookup is outstanding: kept */
		while (g.calls == 0 && now_ms() - t0 < 5000)
			if (readable(d, 5000))
				assert_int_equal(dns_process(d), WARD_OK);
		assert_int_equal(g.calls, 1);
		assert_int_equal(g.err, WARD_ERR_AGAIN); /* timed out */
		assert_true(now_ms() - t0 >= 190);
		dns_release(d);
	}
	/* literals need no context and still work after a release */
	memset(&g, 0, sizeof(g));
	assert_int_equal(dns_resolve_addr(d, "::1", 1, got_addr, &g), WARD_OK);
	assert_int_equal(dns_process(d), WARD_OK);
	assert_int_equal(g.calls, 1);
	dns_addr_result_free(g.res);
	dns_free(d);
}

static void
test_sec_name(void **state)
{
	(void)state;
	assert_string_equal(dns_sec_name(DNS_SEC_SECURE), "secure");
	assert_string_equal(dns_sec_name(DNS_SEC_INSECURE), "insecure");
	assert_string_equal(dns_sec_name(DNS_SEC_BOGUS), "bogus");
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_release),
	    cmocka_unit_test(test_parse_ok),
	    cmocka_unit_test(test_parse_root),
	    cmocka_unit_test(test_parse_malformed),
	    cmocka_unit_test(test_parse_name_too_long),
	    cmocka_unit_test(test_order_priority),
	    cmocka_unit_test(test_order_weights),
	    cmocka_unit_test(test_order_weight_zero_chance),
	    cmocka_unit_test(test_order_all_zero_uniform),
	    cmocka_unit_test(test_order_weight_proportions),
	    cmocka_unit_test(test_order_broken_rand),
	    cmocka_unit_test(test_merge_both),
	    cmocka_unit_test(test_merge_bogus),
	    cmocka_unit_test(test_merge_fallback),
	    cmocka_unit_test(test_merge_dot),
	    cmocka_unit_test(test_merge_failures),
	    cmocka_unit_test(test_merge_limit),
	    cmocka_unit_test(test_addr_merge),
	    cmocka_unit_test(test_tlsa_merge),
	    cmocka_unit_test(test_literal),
	    cmocka_unit_test(test_bad_args),
	    cmocka_unit_test(test_cancel_and_free_in_callback),
	    cmocka_unit_test(test_free_with_pending),
	    cmocka_unit_test(test_timeout),
	    cmocka_unit_test(test_sec_name),
	};

	dns_helper_dispatch(argc, argv); /* the resolver process */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
