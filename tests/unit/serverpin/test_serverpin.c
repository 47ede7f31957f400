/*
 * test_serverpin.c: unit tests for serverpin_decide() (src/xmpp/serverpin.c),
 * the one rule set for trusting a server's TLS session: every combination
 * of DANE state, CA verdict and pin, and what each must lead to.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "serverpin.h"

#define KEY_A "9a41c0de9a41c0de9a41c0de9a41c0de9a41c0de9a41c0de9a41c0de9a41c0de"
#define KEY_A_UPPER \
	"9A41C0DE9A41C0DE9A41C0DE9A41C0DE9A41C0DE9A41C0DE9A41C0DE9A41C0DE"
#define KEY_B "5f0c11225f0c11225f0c11225f0c11225f0c11225f0c11225f0c11225f0c1122"

struct row {
	enum conn_dane dane;
	int ca;
	const char *spki, *pinned;
	enum serverpin_action action;
	const char *auth_by;	/* ACCEPT */
	const char *pin_state;	/* ACCEPT, ASK */
	int store;		/* ACCEPT */
	const char *vouched;	/* ASK */
	const char *code;	/* REFUSE */
};

static const struct row rows[] = {
	/* no pin yet: a CA or DANE is needed; the key is pinned */
	{ CONN_DANE_NONE, 1, KEY_A, NULL, SERVERPIN_ACCEPT, "ca", "first-use",
	    1, NULL, NULL },
	{ CONN_DANE_NONE, 0, KEY_A, NULL, SERVERPIN_REFUSE, NULL, NULL, 0,
	    NULL, "cert-untrusted" },
	{ CONN_DANE_MATCH, 0, KEY_A, NULL, SERVERPIN_ACCEPT, "dane",
	    "first-use", 1, NULL, NULL },
	{ CONN_DANE_MATCH, 1, KEY_A, NULL, SERVERPIN_ACCEPT, "dane",
	    "first-use", 1, NULL, NULL },
	/* a DANE mismatch refuses whatever the CA or the pin say */
	{ CONN_DANE_MISMATCH, 1, KEY_A, NULL, SERVERPIN_REFUSE, NULL, NULL, 0,
	    NULL, "dane-mismatch" },
	{ CONN_DANE_MISMATCH, 1, KEY_A, KEY_A, SERVERPIN_REFUSE, NULL, NULL,
	    0, NULL, "dane-mismatch" },
	{ CONN_DANE_MISMATCH, 0, KEY_A, KEY_B, SERVERPIN_REFUSE, NULL, NULL,
	    0, NULL, "dane-mismatch" },
	/* the pinned key */
	{ CONN_DANE_NONE, 1, KEY_A, KEY_A, SERVERPIN_ACCEPT, "ca", "match", 0,
	    NULL, NULL },
	{ CONN_DANE_NONE, 0, KEY_A, KEY_A, SERVERPIN_ACCEPT, "pin", "match",
	    0, NULL, NULL },
	{ CONN_DANE_NONE, 1, KEY_A, KEY_A_UPPER, SERVERPIN_ACCEPT, "ca",
	    "match", 0, NULL, NULL },
	{ CONN_DANE_MATCH, 1, KEY_A, KEY_A, SERVERPIN_ACCEPT, "dane", "match",
	    0, NULL, NULL },
	/* another key: DANE vouches (pinned, reported) or the user decides */
	{ CONN_DANE_MATCH, 0, KEY_B, KEY_A, SERVERPIN_ACCEPT, "dane",
	    "changed-dane", 1, NULL, NULL },
	{ CONN_DANE_NONE, 1, KEY_B, KEY_A, SERVERPIN_ASK, NULL, "changed", 0,
	    "ca", NULL },
	{ CONN_DANE_NONE, 0, KEY_B, KEY_A, SERVERPIN_ASK, NULL, "changed", 0,
	    "none", NULL },
	/* no key at all */
	{ CONN_DANE_NONE, 1, "", KEY_A, SERVERPIN_REFUSE, NULL, NULL, 0, NULL,
	    "cert-untrusted" },
	{ CONN_DANE_MATCH, 1, NULL, NULL, SERVERPIN_REFUSE, NULL, NULL, 0,
	    NULL, "cert-untrusted" },
};

static void
test_rules(void **state)
{
	struct serverpin_facts f;
	struct serverpin_verdict v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];

		f.dane = r->dane;
		f.ca_valid = r->ca;
		f.spki = r->spki;
		f.pinned = r->pinned;
		memset(&v, 0x5a, sizeof(v));
		serverpin_decide(&f, &v);
		print_message("row %zu\n", i);
		assert_int_equal(v.action, r->action);
		switch (r->action) {
		case SERVERPIN_ACCEPT:
			assert_string_equal(v.auth_by, r->auth_by);
			assert_string_equal(v.pin_state, r->pin_state);
			assert_int_equal(v.store_pin, r->store);
			assert_null(v.code);
			break;
		case SERVERPIN_ASK:
			assert_string_equal(v.pin_state, r->pin_state);
			assert_string_equal(v.vouched_by, r->vouched);
			assert_int_equal(v.store_pin, 0);
			assert_null(v.auth_by);
			break;
		case SERVERPIN_REFUSE:
			assert_string_equal(v.code, r->code);
			assert_non_null(v.reason);
			assert_int_equal(v.store_pin, 0);
			assert_null(v.auth_by);
			break;
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
