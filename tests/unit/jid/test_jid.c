/*
 * test_jid.c: unit tests for src/xmpp/jid.c: splitting, validation limits,
 * normalisation and the sender comparisons the core relies on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ward.h"
#include "jid.h"

static void
test_parse_full(void **state)
{
	struct jid j;

	assert_int_equal(jid_parse("alice@example.com/laptop", &j), WARD_OK);
	assert_string_equal(j.local, "alice");
	assert_string_equal(j.domain, "example.com");
	assert_string_equal(j.resource, "laptop");
	jid_clear(&j);
	assert_null(j.local);
	assert_null(j.domain);
	assert_null(j.resource);
}

static void
test_parse_parts_absent(void **state)
{
	struct jid j;

	assert_int_equal(jid_parse("example.com", &j), WARD_OK);
	assert_null(j.local);
	assert_string_equal(j.domain, "example.com");
	assert_null(j.resource);
	jid_clear(&j);
	assert_int_equal(jid_parse("example.com/r", &j), WARD_OK);
	assert_null(j.local);
	assert_string_equal(j.resource, "r");
	jid_clear(&j);
}

/* The resource starts at the first '/', even if '@' follows it. */
static void
test_parse_resource_split(void **state)
{
	struct jid j;

	assert_int_equal(jid_parse("room@muc.example/nick@x/y z", &j), WARD_OK);
	assert_string_equal(j.local, "room");
	assert_string_equal(j.domain, "muc.example");
	assert_string_equal(j.resource, "nick@x/y z");
	jid_clear(&j);
	assert_int_equal(jid_parse("example.com/a@b", &j), WARD_OK);
	assert_null(j.local);
	jid_clear(&j);
}

static void
test_normalise_domain(void **state)
{
	struct jid j;

	assert_int_equal(jid_parse("Alice@EXAMPLE.Com./Res", &j), WARD_OK);
	assert_string_equal(j.local, "Alice"); /* kept as given */
	assert_string_equal(j.domain, "example.com");
	assert_string_equal(j.resource, "Res");
	jid_clear(&j);
}

static void
test_ip_literals(void **state)
{
	struct jid j;

	assert_int_equal(jid_parse("u@[2001:DB8::1]", &j), WARD_OK);
	assert_string_equal(j.domain, "[2001:db8::1]");
	jid_clear(&j);
	assert_int_equal(jid_parse("u@127.0.0.1/r", &j), WARD_OK);
	assert_string_equal(j.domain, "127.0.0.1");
	jid_clear(&j);
	assert_int_equal(jid_parse("u@[::1", &j), WARD_ERR_INVAL);
	assert_int_equal(jid_parse("u@[zz::1]", &j), WARD_ERR_INVAL);
	assert_int_equal(jid_parse("u@[1.2.3.4]", &j), WARD_ERR_INVAL);
	assert_int_equal(jid_parse("u@999.1.1.1", &j), WARD_ERR_INVAL);
	assert_int_equal(jid_parse("u@1.2.3", &j), WARD_ERR_INVAL);
}

static void
test_utf8_ok(void **state)
{
	struct jid j;

	assert_int_equal(jid_parse("j\xc3\xbcrgen@m\xc3\xbcnchen.example/"
				   "\xe2\x98\x83",
				   &j),
			 WARD_OK);
	assert_string_equal(j.local, "j\xc3\xbcrgen");
	jid_clear(&j);
}

static void
test_invalid(void **state)
{
	static const char *bad[] = {
	    "",
	    "@example.com",
	    "alice@",
	    "alice@/r",
	    "alice@example.com/",
	    "a b@example.com",
	    "a\"b@example.com",
	    "a&b@example.com",
	    "a'b@example.com",
	    "a:b@example.com",
	    "a<b@example.com",
	    "a>b@example.com",
	    "a@b@example.com",
	    "a\x01@example.com",
	    "a\x7f@example.com",
	    "a@exa\x01mple.com",
	    "a@example.com/r\x01",
	    "a@example.com/r\x1b[31m",
	    "a@example.com/r\xc2\x85",
	    "a\xc0\x80@example.com",     /* overlong NUL */
	    "a\xed\xa0\x80@example.com", /* surrogate */
	    "a\xf4\x90\x80\x80@example.com",
	    "a\xe2\x80\xae@example.com", /* RIGHT-TO-LEFT OVERRIDE */
	    "a\xe2\x80\x8b@example.com", /* ZERO WIDTH SPACE */
	    "a\xc2\xa0@example.com",     /* NO-BREAK SPACE */
	    "a@exa mple.com",
	    "a@exa\xe3\x80\x80mple.com", /* IDEOGRAPHIC SPACE */
	    "a@example..com",
	    "a@.example.com",
	    "a@example.com..",
	    "a@.",
	    "a@exa!mple.com",
	    "a@exa_mple.com/\xff",
	    "a@example\xe2\x80\x8f.com",
	};
	struct jid j;
	const char *why;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		j.local = (char *)"junk";
		why = NULL;
		if (jid_parse_why(bad[i], &j, &why) == WARD_OK)
			fail_msg("accepted bad JID #%zu", i);
		assert_non_null(why);
		assert_null(j.local);
		assert_null(j.domain);
	}
}

static char *
repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

static void
test_length_limits(void **state)
{
	char *l1023 = repeat('l', 1023), *l1024 = repeat('l', 1024);
	char *r1024 = repeat('r', 1024), buf[4096], *d;
	struct jid j;
	size_t n;

	snprintf(buf, sizeof(buf), "%s@example.com/%s", l1023, l1023);
	assert_int_equal(jid_parse(buf, &j), WARD_OK);
	jid_clear(&j);
	snprintf(buf, sizeof(buf), "%s@example.com", l1024);
	assert_int_equal(jid_parse(buf, &j), WARD_ERR_LIMIT);
	snprintf(buf, sizeof(buf), "a@example.com/%s", r1024);
	assert_int_equal(jid_parse(buf, &j), WARD_ERR_LIMIT);
	/* A 1024-byte domain of 63-byte labels. */
	d = buf;
	for (n = 0; n < 16; n++) {
		memset(d, 'd', 63);
		d[63] = '.';
		d += 64;
	}
	d[-1] = '\0'; /* 16 * 64 - 1 = 1023 bytes */
	assert_int_equal(jid_parse(buf, &j), WARD_OK);
	jid_clear(&j);
	strcpy(d - 1, ".x"); /* 1025 */
	assert_int_equal(jid_parse(buf, &j), WARD_ERR_LIMIT);
	/* A 64-byte label. */
	snprintf(buf, sizeof(buf), "a@%.64s.com", l1024);
	assert_int_equal(jid_parse(buf, &j), WARD_ERR_INVAL);
	free(l1023);
	free(l1024);
	free(r1024);
}

static void
test_bare_and_domain(void **state)
{
	char *s;

	s = jid_bare("Alice@Example.COM./phone");
	assert_string_equal(s, "Alice@example.com");
	free(s);
	s = jid_bare("example.com/x");
	assert_string_equal(s, "example.com");
	free(s);
	assert_null(jid_bare("a b@example.com"));
	assert_null(jid_bare(NULL));
	s = jid_domain("a@Example.ORG/x");
	assert_string_equal(s, "example.org");
	free(s);
	assert_null(jid_domain("@x"));
}

static void
test_format(void **state)
{
	struct jid j;
	char *s;

	assert_int_equal(jid_parse("a@B.c/R", &j), WARD_OK);
	s = jid_format(&j);
	assert_string_equal(s, "a@b.c/R");
	free(s);
	jid_clear(&j);
	assert_null(jid_format(&j));
}

static void
test_bare_equal(void **state)
{
	assert_true(jid_bare_equal("alice@example.com", "ALICE@Example.Com."));
	assert_true(
	    jid_bare_equal("alice@example.com/a", "alice@example.com/b"));
	assert_true(jid_bare_equal("example.com", "EXAMPLE.com/x"));
	assert_false(jid_bare_equal("alice@example.com", "bob@example.com"));
	assert_false(jid_bare_equal("alice@example.com", "alice@example.org"));
	assert_false(jid_bare_equal("alice@example.com", "example.com"));
	assert_false(jid_bare_equal("alice@example.com", "alicee@example.com"));
	assert_false(jid_bare_equal("a b@example.com", "a b@example.com"));
	assert_false(jid_bare_equal(NULL, "alice@example.com"));
	/* Non-ASCII is compared byte for byte (no Unicode folding). */
	assert_false(
	    jid_bare_equal("\xc3\xa4@x.example", "\xc3\x84@x.example"));
}

static void
test_equal(void **state)
{
	assert_true(jid_equal("a@x.example/R", "A@X.example/R"));
	assert_false(jid_equal("a@x.example/R", "a@x.example/r"));
	assert_false(jid_equal("a@x.example/R", "a@x.example"));
	assert_true(jid_equal("a@x.example", "a@x.example."));
	assert_false(jid_equal("a@x.example", "bad jid@x"));
}

/* Carbons and roster pushes: accepted only from the account's bare JID. */
static void
test_is_account(void **state)
{
	const char *me = "Alice@Example.com";

	assert_true(jid_is_account("alice@example.com", me));
	assert_true(jid_is_account("ALICE@example.com.", me));
	assert_false(jid_is_account("alice@example.com/phone", me));
	assert_false(jid_is_account("mallory@example.com", me));
	assert_false(jid_is_account("example.com", me));
	assert_false(jid_is_account("alice@evil.example", me));
	assert_false(jid_is_account(NULL, me));
	assert_false(jid_is_account("alice@example.com", NULL));
	assert_false(jid_is_account("alice@example.com\x01", me));
}

static void
test_check_resource(void **state)
{
	char *r = repeat('r', 1024);

	assert_int_equal(jid_check_resource("ward"), WARD_OK);
	assert_int_equal(jid_check_resource("with space and @/"), WARD_OK);
	assert_int_equal(jid_check_resource(""), WARD_ERR_INVAL);
	assert_int_equal(jid_check_resource("a\nb"), WARD_ERR_INVAL);
	assert_int_equal(jid_check_resource(r), WARD_ERR_LIMIT);
	r[1023] = '\0';
	assert_int_equal(jid_check_resource(r), WARD_OK);
	free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_full),
	    cmocka_unit_test(test_parse_parts_absent),
	    cmocka_unit_test(test_parse_resource_split),
	    cmocka_unit_test(test_normalise_domain),
	    cmocka_unit_test(test_ip_literals),
	    cmocka_unit_test(test_utf8_ok),
	    cmocka_unit_test(test_invalid),
	    cmocka_unit_test(test_length_limits),
	    cmocka_unit_test(test_bare_and_domain),
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_bare_equal),
	    cmocka_unit_test(test_equal),
	    cmocka_unit_test(test_is_account),
	    cmocka_unit_test(test_check_resource),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
