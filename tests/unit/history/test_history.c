/*
 * test_history.c: unit tests for the pure parts of /history: the archive's
 * XEP-0082 timestamps (history_parse_stamp, fed by a server) and the
 * archive cursors (history_archive_cursor), which carry an archive id in
 * hex so that a cursor is always one word of [0-9a-z.].
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "history.h"
#include "ward.h"

static void
test_stamp_valid(void **state)
{
	int64_t ms = -1;

	(void)state;
	assert_int_equal(history_parse_stamp("1970-01-01T00:00:00Z", &ms),
			 WARD_OK);
	assert_int_equal(ms, 0);
	assert_int_equal(history_parse_stamp("2020-01-01T00:00:02Z", &ms),
			 WARD_OK);
	assert_int_equal(ms, 1577836802000LL);
	/* fractions: milliseconds kept, the rest dropped */
	assert_int_equal(history_parse_stamp("2020-01-01T00:00:02.5Z", &ms),
			 WARD_OK);
	assert_int_equal(ms, 1577836802500LL);
	assert_int_equal(
	    history_parse_stamp("2020-01-01T00:00:02.123456789Z", &ms),
	    WARD_OK);
	assert_int_equal(ms, 1577836802123LL);
	/* offsets are taken back to UTC */
	assert_int_equal(history_parse_stamp("2020-01-01T02:00:02+02:00", &ms),
			 WARD_OK);
	assert_int_equal(ms, 1577836802000LL);
	assert_int_equal(history_parse_stamp("2019-12-31T23:30:02-00:30", &ms),
			 WARD_OK);
	assert_int_equal(ms, 1577836802000LL);
}

static void
test_stamp_invalid(void **state)
{
	static const char *const bad[] = {
	    "",
	    "2020-01-01",
	    "2020-01-01T00:00:00",      /* no zone */
	    "2020-01-01 00:00:00Z",     /* no T */
	    "2020-13-01T00:00:00Z",     /* month */
	    "2020-01-32T00:00:00Z",     /* day */
	    "2020-01-01T24:00:00Z",     /* hour */
	    "2020-01-01T00:60:00Z",     /* minute */
	    "1969-12-31T23:59:59Z",     /* before the epoch */
	    "2020-01-01T00:00:00.Z",    /* empty fraction */
	    "2020-01-01T00:00:00Zjunk", /* trailing text */
	    "2020-01-01T00:00:00+2:00", /* short offset */
	    "+2020-01-01T00:00:00Z",
	    "2020-1-01T00:00:00Z",
	    "２020-01-01T00:00:00Z", /* not ASCII digits */
	};
	size_t i;
	int64_t ms = 42;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ms = 42;
		if (history_parse_stamp(bad[i], &ms) != WARD_ERR_PARSE)
			fail_msg("accepted: \"%s\"", bad[i]);
		assert_int_equal(ms, 42); /* untouched on failure */
	}
}

static void
test_archive_cursor(void **state)
{
	char *c;

	(void)state;
	c = history_archive_cursor(0, 1234, "Ab 1");
	assert_string_equal(c, "a1234.41622031");
	free(c);
	c = history_archive_cursor(1, 0, NULL);
	assert_string_equal(c, "r0.");
	free(c);
	/* whatever the id holds, the cursor is one word of [0-9a-z.] */
	c = history_archive_cursor(0, 7, "x y\n\x1b]\xff/");
	assert_string_equal(c, "a7.7820790a1b5dff2f");
	assert_int_equal(strspn(c, "0123456789abcdefghijklmnopqrstuvwxyz."),
			 strlen(c));
	free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_stamp_valid),
	    cmocka_unit_test(test_stamp_invalid),
	    cmocka_unit_test(test_archive_cursor),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
