/*
 * test_policy.c: unit tests for ward's OMEMO trust policy (src/core/policy.c):
 * blind trust before verification against real OMEMO state (crypto/) in an
 * in-memory database, with one account and the devices of a contact.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "omemo.h"
#include "policy.h"
#include "ward.h"

#define BOB "bob@example.test"

struct fixture {
	sqlite3 *db;
	struct omemo *me;
	struct omemo *bob[3]; /* three devices of one contact */
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char name[16];
	int i;

	if (f == NULL || sqlite3_open(":memory:", &f->db) != SQLITE_OK ||
	    omemo_open(f->db, "me", &f->me) != OMEMO_OK)
		return -1;
	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "bob%d", i);
		if (omemo_open(f->db, name, &f->bob[i]) != OMEMO_OK)
			return -1;
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	int i;

	for (i = 0; i < 3; i++)
		omemo_close(f->bob[i]);
	omemo_close(f->me);
	sqlite3_close(f->db);
	free(f);
	return 0;
}

/* Our side learns bob's device I (its identity key) from its bundle. */
static uint32_t
meet(struct fixture *f, int i)
{
	struct omemo_bundle b;
	uint32_t dev = omemo_device_id(f->bob[i]);

	assert_int_equal(omemo_own_bundle(f->bob[i], &b), OMEMO_OK);
	assert_int_equal(omemo_session_start(f->me, BOB, dev, &b), OMEMO_OK);
	return dev;
}

static enum omemo_trust
trust(struct fixture *f, uint32_t dev)
{
	enum omemo_trust t = 99;

	assert_int_equal(omemo_trust_get(f->me, BOB, dev, &t), OMEMO_OK);
	return t;
}

static void
test_blind_before_verification(void **state)
{
	struct fixture *f = *state;
	uint32_t d0 = meet(f, 0), d1 = meet(f, 1), d2;

	/* nobody verified anything: new devices are trusted blindly */
	assert_int_equal(trust(f, d0), OMEMO_TRUST_UNDECIDED);
	assert_int_equal(policy_omemo_device(f->me, BOB, d0),
			 POLICY_DEVICE_USE);
	assert_int_equal(trust(f, d0), OMEMO_TRUST_BLIND);
	assert_int_equal(policy_omemo_device(f->me, BOB, d1),
			 POLICY_DEVICE_USE);
	assert_int_equal(trust(f, d1), OMEMO_TRUST_BLIND);

	/* the user verifies one: the other stays trusted, a new one asks */
	assert_int_equal(omemo_trust_set(f->me, BOB, d0, OMEMO_TRUST_VERIFIED),
			 OMEMO_OK);
	assert_int_equal(policy_omemo_device(f->me, BOB, d1),
			 POLICY_DEVICE_USE);
	d2 = meet(f, 2);
	assert_int_equal(policy_omemo_device(f->me, BOB, d2),
			 POLICY_DEVICE_ASK);
	assert_int_equal(trust(f, d2), OMEMO_TRUST_UNDECIDED); /* unchanged */
	assert_int_equal(policy_omemo_device(f->me, BOB, d2),
			 POLICY_DEVICE_ASK); /* asked again until answered */

	/* the answers */
	assert_int_equal(omemo_trust_set(f->me, BOB, d2, OMEMO_TRUST_UNTRUSTED),
			 OMEMO_OK);
	assert_int_equal(policy_omemo_device(f->me, BOB, d2),
			 POLICY_DEVICE_SKIP);
	assert_int_equal(omemo_trust_set(f->me, BOB, d2, OMEMO_TRUST_BLIND),
			 OMEMO_OK);
	assert_int_equal(policy_omemo_device(f->me, BOB, d2),
			 POLICY_DEVICE_USE);
}

/* Verification of one contact says nothing about another. */
static void
test_per_contact(void **state)
{
	struct fixture *f = *state;
	struct omemo_bundle b;
	uint32_t d0 = meet(f, 0), d1;

	assert_int_equal(omemo_trust_set(f->me, BOB, d0, OMEMO_TRUST_VERIFIED),
			 OMEMO_OK);
	assert_int_equal(omemo_own_bundle(f->bob[1], &b), OMEMO_OK);
	d1 = omemo_device_id(f->bob[1]);
	assert_int_equal(
	    omemo_session_start(f->me, "carol@example.test", d1, &b), OMEMO_OK);
	assert_int_equal(policy_omemo_device(f->me, "carol@example.test", d1),
			 POLICY_DEVICE_USE);
}

/* A device whose identity key is unknown is never used. */
static void
test_unknown_device(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(policy_omemo_device(f->me, BOB, 12345),
			 POLICY_DEVICE_SKIP);
}

static void
test_trust_names(void **state)
{
	(void)state;
	assert_string_equal(policy_trust_name(OMEMO_TRUST_VERIFIED),
			    "verified");
	assert_string_equal(policy_trust_name(OMEMO_TRUST_BLIND), "blind");
	assert_string_equal(policy_trust_name(OMEMO_TRUST_UNTRUSTED),
			    "untrusted");
	/* undecided is not trusted, and is shown as such */
	assert_string_equal(policy_trust_name(OMEMO_TRUST_UNDECIDED),
			    "untrusted");
}

int
main(void)
{
#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_blind_before_verification),
	    T(test_per_contact),
	    T(test_unknown_device),
	    cmocka_unit_test(test_trust_names),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
