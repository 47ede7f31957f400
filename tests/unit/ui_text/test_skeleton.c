/*
 * test_skeleton.c: ui/text/skeleton.c: TS #39 skeletons (Cyrillic,
 * Greek, fullwidth, mathematical and digit look-alikes, zero-width and
 * NFD differences, Hangul), non-matches, mixed-script detection.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "skeleton.h"

#include "tests.h"

#define COLLIDE(a, b) skeleton_collide(a, strlen(a), b, strlen(b))

/* "аlice" with U+0430 CYRILLIC SMALL LETTER A. */
#define CYR_ALICE "\xd0\xb0lice"

void
test_skeleton_make(void **state)
{
	size_t n = 99;
	char *s;

	(void)state;
	s = skeleton_make(CYR_ALICE, strlen(CYR_ALICE), &n);
	assert_non_null(s);
	assert_string_equal(s, "alice");
	assert_int_equal(n, 5);
	free(s);
	/* "m" has the prototype "rn". */
	s = skeleton_make("m", 1, NULL);
	assert_string_equal(s, "rn");
	free(s);
	/* Invalid bytes become U+FFFD; empty stays empty. */
	s = skeleton_make("a\xff", 2, &n);
	assert_string_equal(s, "a\xef\xbf\xbd");
	free(s);
	s = skeleton_make("", 0, &n);
	assert_string_equal(s, "");
	assert_int_equal(n, 0);
	free(s);
}

void
test_skeleton_collide(void **state)
{
	(void)state;
	assert_int_equal(COLLIDE(CYR_ALICE, "alice"), 1);
	/* Whole JIDs too. */
	assert_int_equal(COLLIDE("b\xd0\xbe"
				 "b@good.test",
				 "bob@good.test"),
			 1);
	assert_int_equal(COLLIDE("paypa1", "paypal"), 1);
	assert_int_equal(COLLIDE("rn", "m"), 1);
	assert_int_equal(COLLIDE("b0b", "bOb"), 1);
	/* Greek omicron, fullwidth, mathematical bold. */
	assert_int_equal(COLLIDE("b\xce\xbf"
				 "b",
				 "bob"),
			 1);
	assert_int_equal(COLLIDE("\xef\xbd\x81\xef\xbd\x8c\xef\xbd\x89\xef\xbd"
				 "\x83\xef\xbd\x85",
				 "alice"),
			 1);
	assert_int_equal(COLLIDE("\xf0\x9d\x90\x9a\xf0\x9d\x90\xa5\xf0\x9d\x90"
				 "\xa2\xf0\x9d\x90\x9c\xf0\x9d\x90\x9e",
				 "alice"),
			 1);
	/* A zero-width space or a bidi mark hidden inside. */
	assert_int_equal(COLLIDE("al\xe2\x80\x8bice", "alice"), 1);
	assert_int_equal(COLLIDE("alice\xe2\x80\x8e", "alice"), 1);
	/* Precomposed é against e + combining acute; marks in either order. */
	assert_int_equal(COLLIDE("jos\xc3\xa9", "jose\xcc\x81"), 1);
	assert_int_equal(COLLIDE("e\xcc\x81\xcc\xa3", "e\xcc\xa3\xcc\x81"), 1);
	/* A Hangul syllable against its jamo. */
	assert_int_equal(COLLIDE("\xea\xb0\x80", "\xe1\x84\x80\xe1\x85\xa1"),
			 1);
	/* Equal names are not look-alikes; different ones are not. */
	assert_int_equal(COLLIDE("alice", "alice"), 0);
	assert_int_equal(COLLIDE(CYR_ALICE, CYR_ALICE), 0);
	assert_int_equal(COLLIDE("alice", "alicf"), 0);
	assert_int_equal(COLLIDE("bob", "b0b"), 0);
	assert_int_equal(COLLIDE("bob", "Bob"), 0);
	assert_int_equal(COLLIDE("alice", "alice2"), 0);
	assert_int_equal(COLLIDE("\xea\xb0\x80", "\xea\xb0\x81"), 0);
}

void
test_skeleton_mixed(void **state)
{
	const char *a = NULL, *b = NULL;

	(void)state;
	assert_int_equal(skeleton_mixed(CYR_ALICE, strlen(CYR_ALICE), &a, &b),
			 1);
	assert_string_equal(a, "Cyrillic");
	assert_string_equal(b, "Latin");
	a = b = NULL;
	assert_int_equal(skeleton_mixed("p\xd0\xb0ypal", 7, &a, &b), 1);
	assert_string_equal(a, "Latin");
	assert_string_equal(b, "Cyrillic");
	/* Latin with Greek. */
	assert_int_equal(skeleton_mixed("b\xce\xbf"
					"b",
					4, NULL, NULL),
			 1);
	/* Japanese with Korean. */
	assert_int_equal(
	    skeleton_mixed("\xe3\x81\xb2\xed\x95\x9c", 6, NULL, NULL), 1);
	/* One script, with digits and punctuation (Common). */
	assert_int_equal(skeleton_mixed("alice123@example.org", 20, &a, &b), 0);
	assert_int_equal(skeleton_mixed("\xd0\xb0\xd0\xbb\xd0\xb8\xd1\x81"
					"\xd0\xb0",
					10, NULL, NULL),
			 0);
	assert_int_equal(skeleton_mixed("jos\xc3\xa9 e\xcc\x81", 9, NULL, NULL),
			 0);
	/* Han with Hiragana and Katakana, Han with Hangul: allowed. */
	assert_int_equal(skeleton_mixed("\xe6\x97\xa5\xe6\x9c\xac\xe3\x81\xb2"
					"\xe3\x82\xab",
					12, NULL, NULL),
			 0);
	assert_int_equal(
	    skeleton_mixed("\xed\x95\x9c\xe6\xbc\xa2", 6, NULL, NULL), 0);
	assert_int_equal(skeleton_mixed("", 0, NULL, NULL), 0);
}

void
test_skeleton_check(void **state)
{
	const char *others[] = {"bob@good.test", "alice", "carol"};
	const size_t lens[] = {13, 5, 5};
	size_t like = 99;

	(void)state;
	assert_int_equal(skeleton_check(CYR_ALICE, strlen(CYR_ALICE), others,
					lens, 3, &like),
			 SKELETON_MIXED | SKELETON_LOOKALIKE);
	assert_int_equal(like, 1);
	/* A name is not a look-alike of itself. */
	assert_int_equal(skeleton_check("alice", 5, others, lens, 3, &like), 0);
	assert_int_equal(skeleton_check("bob@g\xd0\xbe\xd0\xbe"
					"d.test",
					15, others, lens, 3, &like),
			 SKELETON_MIXED | SKELETON_LOOKALIKE);
	assert_int_equal(like, 0);
	assert_int_equal(skeleton_check("dave", 4, others, lens, 3, NULL), 0);
	assert_int_equal(skeleton_check("dave", 4, NULL, NULL, 0, NULL), 0);
}
