/*
 * test_auditslots.c: unit tests for audit_slots_judge() (src/audit/
 * audit_slots.c): two upload slots judged for a random part and for the
 * username, and the evidence never holding a part of the URLs that differs
 * between the slots, a query string or user information.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "audit.h"

#define FN "ward-audit-probe.txt"

static void
judge(const char *g1, const char *p1, const char *g2, const char *p2,
      const char *local, struct audit_slot_verdict *v)
{
	audit_slots_judge(g1, p1, g2, p2, FN, local, v);
}

/* Prosody's mod_http_file_share: a UUID per slot, then the file name. */
static void
test_uuid_pass(void **state)
{
	static const char g1[] = "https://upload.good.test:5281/file_share/"
				 "0b7c1a4e-3f5d-4c2a-9e8b-7d6f5a4b3c2d/" FN;
	static const char g2[] = "https://upload.good.test:5281/file_share/"
				 "e4d3c2b1-a0f9-4e8d-b7c6-1f2e3d4c5b6a/" FN;
	struct audit_slot_verdict v;

	(void)state;
	judge(g1, g1, g2, g2, "alice", &v);
	assert_int_equal(v.random, AUDIT_PASS);
	assert_int_equal(v.username, AUDIT_PASS);
	assert_non_null(strstr(v.shape, "/file_share/[36 chars, "));
	assert_non_null(strstr(v.shape, "/" FN));
	assert_non_null(strstr(v.shape, "upload.good.test:5281"));
	assert_non_null(strstr(v.shape, "PUT the same URL"));
	assert_null(strstr(v.shape, "0b7c1a4e"));
	assert_null(strstr(v.shape, "e4d3c2b1"));
}

/* The same path twice: guessable from the file name. */
static void
test_same_path_fails(void **state)
{
	static const char g[] = "https://up.example/alice/" FN;
	struct audit_slot_verdict v;

	(void)state;
	judge(g, g, g, g, "Alice", &v);
	assert_int_equal(v.random, AUDIT_FAIL);
	assert_non_null(strstr(v.random_why, "same path"));
	assert_int_equal(v.username, AUDIT_FAIL);
	assert_non_null(strstr(v.username_why, "GET"));
	assert_non_null(strstr(v.shape, "/<localpart>/"));
	assert_null(strstr(v.shape, "alice"));
}

/* A counter differs in one character: not random. */
static void
test_counter_fails(void **state)
{
	struct audit_slot_verdict v;

	(void)state;
	judge("https://up.example/f/10000041/" FN,
	      "https://up.example/f/10000041/" FN,
	      "https://up.example/f/10000042/" FN,
	      "https://up.example/f/10000042/" FN, "bob", &v);
	assert_int_equal(v.random, AUDIT_FAIL);
	assert_non_null(strstr(v.random_why, "at most 1 character and"));
	assert_int_equal(v.username, AUDIT_PASS);
	assert_non_null(strstr(v.shape, "/[8 chars, 1 differ]/"));
}

/* The username in both paths (any case, at the same place), random part
 * otherwise: paths pass, username fails; a query string and user
 * information are never shown. */
static void
test_username_and_secrets(void **state)
{
	static const char g1[] = "https://tok:SECRET@up.example/u/ALICE_"
				 "9f8e7d6c5b4a39281706f5e4/" FN "?t=QTOKEN1";
	static const char g2[] = "https://tok:SECRET@up.example/u/ALICE_"
				 "00112233445566778899aabb/" FN "?t=QTOKEN2";
	struct audit_slot_verdict v;

	(void)state;
	judge(g1, "https://up.example/put/1", g2, "https://up.example/put/2",
	      "alice", &v);
	assert_int_equal(v.random, AUDIT_PASS);
	assert_int_equal(v.username, AUDIT_FAIL);
	assert_non_null(strstr(v.username_why, "segment 2"));
	assert_null(strstr(v.shape, "SECRET"));
	assert_null(strstr(v.shape, "QTOKEN"));
	assert_null(strstr(v.shape, "9f8e7d"));
	assert_non_null(strstr(v.shape, "?[query]"));
	assert_non_null(strstr(v.shape, "PUT another URL"));
}

/* A short localpart that a random segment happens to hold once is not
 * the username: it must be in both slots at the same place. */
static void
test_chance_match_ignored(void **state)
{
	struct audit_slot_verdict v;

	(void)state;
	judge("https://up.example/ab12cd34ef56ab78cd90ef12/" FN,
	      "https://up.example/ab12cd34ef56ab78cd90ef12/" FN,
	      "https://up.example/9988776655443322110fedcb/" FN,
	      "https://up.example/9988776655443322110fedcb/" FN, "ab", &v);
	assert_int_equal(v.username, AUDIT_PASS);
	assert_int_equal(v.random, AUDIT_PASS);
}

/* The localpart inside our own file name does not count. */
static void
test_filename_not_username(void **state)
{
	struct audit_slot_verdict v;

	(void)state;
	judge("https://up.example/0123456789abcdef0123/" FN,
	      "https://up.example/0123456789abcdef0123/" FN,
	      "https://up.example/fedcba9876543210fedc/" FN,
	      "https://up.example/fedcba9876543210fedc/" FN, "probe", &v);
	assert_int_equal(v.username, AUDIT_PASS);
}

/* Percent-encoded username still found; a URL that is not one: unknown;
 * different shapes: unknown. */
static void
test_encoded_and_malformed(void **state)
{
	struct audit_slot_verdict v;

	(void)state;
	judge("https://up.example/%61lice/aaaaaaaaaaaaaaaaaaaa/" FN,
	      "https://up.example/%61lice/aaaaaaaaaaaaaaaaaaaa/" FN,
	      "https://up.example/alic%65/bbbbbbbbbbbbbbbbbbbb/" FN,
	      "https://up.example/alic%65/bbbbbbbbbbbbbbbbbbbb/" FN, "alice",
	      &v);
	assert_int_equal(v.username, AUDIT_FAIL);
	assert_int_equal(v.random, AUDIT_PASS);
	judge("not a url", "x", "y", "z", "alice", &v);
	assert_int_equal(v.random, AUDIT_UNKNOWN);
	assert_int_equal(v.username, AUDIT_UNKNOWN);
	judge("https://up.example/a/0123456789abcdef0123/" FN,
	      "https://up.example/a/0123456789abcdef0123/" FN,
	      "https://up.example/fedcba9876543210fedc/" FN,
	      "https://up.example/fedcba9876543210fedc/" FN, "alice", &v);
	assert_int_equal(v.random, AUDIT_UNKNOWN);
	assert_null(strstr(v.shape, "0123456789"));
}

/* http is named as such. */
static void
test_not_https(void **state)
{
	struct audit_slot_verdict v;

	(void)state;
	judge("http://up.example/0123456789abcdef0123/" FN,
	      "http://up.example/0123456789abcdef0123/" FN,
	      "http://up.example/fedcba9876543210fedc/" FN,
	      "http://up.example/fedcba9876543210fedc/" FN, "alice", &v);
	assert_non_null(strstr(v.shape, "GET NOT-https://"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_uuid_pass),
	    cmocka_unit_test(test_same_path_fails),
	    cmocka_unit_test(test_counter_fails),
	    cmocka_unit_test(test_username_and_secrets),
	    cmocka_unit_test(test_chance_match_ignored),
	    cmocka_unit_test(test_filename_not_username),
	    cmocka_unit_test(test_encoded_and_malformed),
	    cmocka_unit_test(test_not_https),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
