/*
 * test_dnscaa.c: unit tests for CAA records (src/net/dns_caa.c and
 * dns_caa_merge in dns_answer.c): the rdata parser against every length
 * and tag it must refuse, the escaped presentation form, the issuer and
 * accounturi of issue values, and the merge of whole answers (BOGUS,
 * NODATA, SERVFAIL, malformed records, the record limit). No network.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <unbound.h>

#include "ward.h"
#include "dns.h"

/* CAA rdata: flags, tag length, tag (tl bytes), value. */
static size_t
caa_wire_n(unsigned char *p, unsigned flags, const char *tag, size_t tl,
	   const void *value, size_t vlen)
{
	p[0] = (unsigned char)flags;
	p[1] = (unsigned char)tl;
	memcpy(p + 2, tag, tl);
	memcpy(p + 2 + tl, value, vlen);
	return 2 + tl + vlen;
}

static size_t
caa_wire(unsigned char *p, unsigned flags, const char *tag, const void *value,
	 size_t vlen)
{
	return caa_wire_n(p, flags, tag, strlen(tag), value, vlen);
}

/* Parses rdata[0..len) as a heap copy of exactly len bytes (so ASan sees
 * any read past it). */
static int
parse_exact(const unsigned char *rdata, size_t len, struct dns_caa *c)
{
	unsigned char *copy = malloc(len ? len : 1);
	int err;

	assert_non_null(copy);
	memcpy(copy, rdata, len);
	err = dns_caa_parse(copy, len, c);
	free(copy);
	return err;
}

static void
test_parse_ok(void **state)
{
	unsigned char w[300];
	struct dns_caa c;
	size_t n;

	(void)state;
	n = caa_wire(w, 0, "issue", "ca.test", 7);
	assert_int_equal(parse_exact(w, n, &c), WARD_OK);
	assert_int_equal(c.flags, 0);
	assert_string_equal(c.tag, "issue");
	assert_int_equal(c.len, 7);
	assert_memory_equal(c.value, "ca.test", 7);
	assert_int_equal(c.value[7], '\0');
	dns_caa_clear(&c);

	/* an empty value, the critical flag, a 15-byte tag */
	n = caa_wire(w, 128, "abcdefghijklmno", "", 0);
	assert_int_equal(parse_exact(w, n, &c), WARD_OK);
	assert_int_equal(c.flags, DNS_CAA_CRITICAL);
	assert_string_equal(c.tag, "abcdefghijklmno");
	assert_int_equal(c.len, 0);
	assert_int_equal(c.value[0], '\0');
	dns_caa_clear(&c);

	/* a value with NUL, ESC and bytes over 0x7f is kept as it is */
	n = caa_wire(w, 0, "tbs", "a\0\033\xff", 4);
	assert_int_equal(parse_exact(w, n, &c), WARD_OK);
	assert_int_equal(c.len, 4);
	assert_memory_equal(c.value, "a\0\033\xff", 4);
	dns_caa_clear(&c);
}

static void
test_parse_malformed(void **state)
{
	unsigned char w[300];
	struct dns_caa c;
	size_t n, i;

	(void)state;
	/* every truncation of a good record that cuts into the tag */
	n = caa_wire(w, 0, "issue", "ca.test", 7);
	for (i = 0; i < 2 + 5; i++) {
		assert_int_equal(parse_exact(w, i, &c), WARD_ERR_PARSE);
		assert_null(c.value);
	}
	assert_int_equal(dns_caa_parse(NULL, 9, &c), WARD_ERR_PARSE);
	/* tag length 0, 16 and past the end */
	w[1] = 0;
	assert_int_equal(parse_exact(w, n, &c), WARD_ERR_PARSE);
	n = caa_wire(w, 0, "abcdefghijklmnop", "x", 1);
	assert_int_equal(parse_exact(w, n, &c), WARD_ERR_PARSE);
	n = caa_wire(w, 0, "issue", "", 0);
	w[1] = 6;
	assert_int_equal(parse_exact(w, n, &c), WARD_ERR_PARSE);
	w[1] = 255;
	assert_int_equal(parse_exact(w, n, &c), WARD_ERR_PARSE);
	/* tags outside ASCII letters and digits */
	n = caa_wire(w, 0, "iss-e", "x", 1);
	assert_int_equal(parse_exact(w, n, &c), WARD_ERR_PARSE);
	n = caa_wire(w, 0, "iss\033e", "x", 1);
	assert_int_equal(parse_exact(w, n, &c), WARD_ERR_PARSE);
	n = caa_wire_n(w, 0, "iss\0e", 5, "x", 1);
	assert_int_equal(parse_exact(w, n, &c), WARD_ERR_PARSE);
	n = caa_wire(w, 0, "is\xc3\xa9", "x", 1);
	assert_int_equal(parse_exact(w, n, &c), WARD_ERR_PARSE);
	assert_null(c.value);
	assert_int_equal(c.len, 0);
}

static void
test_text_escapes(void **state)
{
	unsigned char w[300];
	struct dns_caa c;
	char out[64];
	size_t n;

	(void)state;
	n = caa_wire(w, 0, "issue", "ca.test; accounturi=x", 21);
	assert_int_equal(parse_exact(w, n, &c), WARD_OK);
	assert_string_equal(dns_caa_text(&c, out, sizeof(out)),
			    "0 issue \"ca.test; accounturi=x\"");
	dns_caa_clear(&c);

	n = caa_wire(w, 128, "tbs", "\033[2J\"\\\n\0\xc3", 9);
	assert_int_equal(parse_exact(w, n, &c), WARD_OK);
	dns_caa_text(&c, out, sizeof(out));
	assert_string_equal(out,
			    "128 tbs \"\\027[2J\\034\\092\\010\\000\\195\"");
	for (n = 0; out[n] != '\0'; n++)
		assert_true(out[n] >= 0x20 && out[n] < 0x7f);
	dns_caa_clear(&c);

	/* cut with "..." and always terminated */
	{
		char many[150];
		memset(many, 'a', sizeof(many));
		n = caa_wire(w, 0, "issue", many, sizeof(many));
	}
	assert_int_equal(parse_exact(w, n, &c), WARD_OK);
	dns_caa_text(&c, out, sizeof(out));
	assert_true(strlen(out) < sizeof(out));
	assert_string_equal(out + strlen(out) - 4, "...\"");
	for (n = 1; n < 12; n++) {
		char tiny[12];
		memset(tiny, 'X', sizeof(tiny));
		dns_caa_text(&c, tiny, n);
		assert_true(strlen(tiny) < n);
	}
	dns_caa_clear(&c);
}

/* The issuer and accounturi count of an issue value, or NULL/-1 when it
 * is not one. */
static void
check_issue(const char *tag, const char *value, const char *issuer,
	    int accounturi)
{
	unsigned char w[300];
	struct dns_caa c;
	char out[64];

	assert_int_equal(
	    parse_exact(w, caa_wire(w, 0, tag, value, strlen(value)), &c),
	    WARD_OK);
	if (issuer == NULL)
		assert_int_equal(dns_caa_issuer(&c, out, sizeof(out)),
				 WARD_ERR_PARSE);
	else {
		assert_int_equal(dns_caa_issuer(&c, out, sizeof(out)), WARD_OK);
		assert_string_equal(out, issuer);
	}
	assert_int_equal(dns_caa_param_count(&c, "accounturi"), accounturi);
	dns_caa_clear(&c);
}

static void
test_issue_values(void **state)
{
	(void)state;
	check_issue("issue", "ca.test", "ca.test", 0);
	check_issue("ISSUE", " ca.test ", "ca.test", 0);
	check_issue("issuewild", ";", "", 0);
	check_issue("issue", "", "", 0);
	check_issue("issue", "ca.test; accounturi=https://ca.test/acct/1",
		    "ca.test", 1);
	check_issue("issue",
		    "ca.test;validationmethods=dns-01 ; AccountURI = x:1",
		    "ca.test", 1);
	check_issue("issue", "ca.test; accounturi=a; accounturi=b", "ca.test",
		    2);
	check_issue("issue", "ca.test;", "ca.test", 0);
	/* not issue-values */
	check_issue("issue", "ca..test", NULL, -1);
	check_issue("issue", "-ca.test", NULL, -1);
	check_issue("issue", "ca-.test", NULL, -1);
	check_issue("issue", "ca.test.", NULL, -1);
	check_issue("issue", "evil\033[2J.test", NULL, -1);
	check_issue("issue", "ca.test; accounturi", NULL, -1);
	check_issue("issue", "ca.test; =x", NULL, -1);
	check_issue("issue", "ca.test; a=b c=d", NULL, -1);
	check_issue("issue", "ca.test; a=b;", NULL, -1);
	check_issue("issue", "ca.test x", NULL, -1);
	check_issue("iodef", "mailto:a@b.test", NULL, -1);
}

/* A fake libunbound answer. */
struct fake {
	struct ub_result r;
	char *data[40];
	int len[40];
	unsigned char buf[40][300];
	size_t n;
};

static void
fake_init(struct fake *f)
{
	memset(f, 0, sizeof(*f));
	f->r.qname = (char *)"good.test.";
	f->r.qtype = DNS_TYPE_CAA;
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
test_merge(void **state)
{
	unsigned char w[300];
	struct fake f;
	struct dns_caa_result *res;
	size_t i;

	(void)state;
	fake_init(&f);
	fake_add(&f, w, caa_wire(w, 0, "issue", "ca.test", 7));
	fake_add(&f, w, 3); /* tag past the end: skipped */
	fake_add(&f, w, caa_wire(w, 0, "iodef", "mailto:x@y", 10));
	assert_int_equal(dns_caa_merge(&f.r, &res), WARD_OK);
	assert_int_equal(res->sec, DNS_SEC_SECURE);
	assert_int_equal(res->nrecords, 2);
	assert_int_equal(res->nmalformed, 1);
	assert_string_equal(res->records[1].tag, "iodef");
	dns_caa_result_free(res);

	/* unsigned */
	f.r.secure = 0;
	assert_int_equal(dns_caa_merge(&f.r, &res), WARD_OK);
	assert_int_equal(res->sec, DNS_SEC_INSECURE);
	dns_caa_result_free(res);

	/* BOGUS: the reason, and no record at all */
	f.r.bogus = 1;
	f.r.why_bogus = (char *)"signature expired";
	assert_int_equal(dns_caa_merge(&f.r, &res), WARD_OK);
	assert_int_equal(res->sec, DNS_SEC_BOGUS);
	assert_int_equal(res->nrecords, 0);
	assert_string_equal(res->bogus_what,
			    "good.test CAA: signature expired");
	dns_caa_result_free(res);

	/* SERVFAIL is no answer, not "no CAA" */
	fake_init(&f);
	f.r.rcode = 2;
	f.r.secure = 0;
	res = (void *)&f; /* must be cleared */
	assert_int_equal(dns_caa_merge(&f.r, &res), WARD_ERR_AGAIN);
	assert_null(res);

	/* NODATA */
	fake_init(&f);
	assert_int_equal(dns_caa_merge(&f.r, &res), WARD_OK);
	assert_int_equal(res->nrecords, 0);
	assert_int_equal(res->nmalformed, 0);
	dns_caa_result_free(res);

	/* at most DNS_MAX_CAA records */
	fake_init(&f);
	for (i = 0; i < 30; i++)
		fake_add(&f, w, caa_wire(w, 0, "issue", "ca.test", 7));
	assert_int_equal(dns_caa_merge(&f.r, &res), WARD_OK);
	assert_int_equal(res->nrecords, DNS_MAX_CAA);
	dns_caa_result_free(res);

	/* a negative length from a broken answer is a malformed record */
	fake_init(&f);
	fake_add(&f, w, caa_wire(w, 0, "issue", "ca.test", 7));
	f.len[0] = -5;
	assert_int_equal(dns_caa_merge(&f.r, &res), WARD_OK);
	assert_int_equal(res->nrecords, 0);
	assert_int_equal(res->nmalformed, 1);
	dns_caa_result_free(res);
}

static void
test_resolve_bad_args(void **state)
{
	(void)state;
	assert_int_equal(dns_resolve_caa(NULL, "good.test", NULL, NULL),
			 WARD_ERR_INVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_ok),
	    cmocka_unit_test(test_parse_malformed),
	    cmocka_unit_test(test_text_escapes),
	    cmocka_unit_test(test_issue_values),
	    cmocka_unit_test(test_merge),
	    cmocka_unit_test(test_resolve_bad_args),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
