/*
 * test_password.c: unit tests for src/core/password.c: the shell-free word
 * splitting and running password_command (output, exit codes, limits,
 * timeout, and what the child can see).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "ward.h"
#include "password.h"

/* Splits cmd and checks the words (NULL-terminated list). */
static void
check_split(const char *cmd, ...)
{
	char **argv;
	const char *want;
	va_list ap;
	size_t i = 0;

	assert_int_equal(password_split(cmd, &argv), WARD_OK);
	va_start(ap, cmd);
	while ((want = va_arg(ap, const char *)) != NULL) {
		assert_non_null(argv[i]);
		assert_string_equal(argv[i], want);
		i++;
	}
	va_end(ap);
	assert_null(argv[i]);
	password_argv_free(argv);
}

static void
test_split_words(void **state)
{
	check_split("pass show xmpp", "pass", "show", "xmpp", NULL);
	check_split("  a \t b  ", "a", "b", NULL);
	check_split("'a b' \"c d\"", "a b", "c d", NULL);
	check_split("a\"b c\"d", "ab cd", NULL);
	check_split("x '' \"\"", "x", "", "", NULL);
	check_split("a\\ b", "a b", NULL);
	check_split("'\\n' \"\\n\"", "\\n", "\\n", NULL);
	check_split("\"a\\\"b\" \"c\\\\d\"", "a\"b", "c\\d", NULL);
	check_split("'it\"s'", "it\"s", NULL);
}

/* Shell syntax is plain text: no ;, no $(...), no globbing, no $VAR. */
static void
test_split_no_shell(void **state)
{
	check_split("echo a;b", "echo", "a;b", NULL);
	check_split("echo $(id) `id` $HOME *", "echo", "$(id)", "`id`", "$HOME",
		    "*", NULL);
	check_split("a|b >c <d &", "a|b", ">c", "<d", "&", NULL);
}

static void
test_split_errors(void **state)
{
	char **argv = (char **)1, *big;

	assert_int_equal(password_split("", &argv), WARD_ERR_INVAL);
	assert_null(argv);
	assert_int_equal(password_split("   ", &argv), WARD_ERR_INVAL);
	assert_int_equal(password_split("pass 'x", &argv), WARD_ERR_INVAL);
	assert_int_equal(password_split("pass \"x", &argv), WARD_ERR_INVAL);
	assert_int_equal(password_split("pass x\\", &argv), WARD_ERR_INVAL);
	assert_int_equal(password_split("pass\nx", &argv), WARD_ERR_INVAL);
	assert_int_equal(password_split("pass '\x1b'", &argv), WARD_ERR_INVAL);
	assert_int_equal(password_split(NULL, &argv), WARD_ERR_INVAL);
	big = malloc(PASSWORD_COMMAND_MAX + 2);
	assert_non_null(big);
	memset(big, 'a', PASSWORD_COMMAND_MAX + 1);
	big[PASSWORD_COMMAND_MAX + 1] = '\0';
	assert_int_equal(password_split(big, &argv), WARD_ERR_LIMIT);
	big[PASSWORD_COMMAND_MAX] = '\0';
	assert_int_equal(password_split(big, &argv), WARD_OK);
	password_argv_free(argv);
	free(big);
}

/* Runs cmd expecting success and the given password. */
static void
check_run(const char *cmd, const char *want)
{
	char *pw = NULL;

	assert_int_equal(password_run(cmd, &pw), WARD_OK);
	assert_non_null(pw);
	assert_string_equal(pw, want);
	freezero_str(pw);
}

static void
check_run_fails(const char *cmd, int err)
{
	char *pw = (char *)"junk";

	assert_int_equal(password_run_timeout(cmd, 5000, &pw), err);
	assert_null(pw);
}

static void
test_run_output(void **state)
{
	check_run("/bin/echo hunter2", "hunter2");
	check_run("/bin/echo 'two  spaces'", "two  spaces");
	check_run("/usr/bin/printf 'crlf\\r\\n'", "crlf");
	check_run("/usr/bin/printf 'no-newline'", "no-newline");
	check_run("/usr/bin/printf 'first\\nsecond\\n'", "first");
	check_run("printf '%s' 'on $PATH'", "on $PATH");
	/* " and \ survive */
	check_run("/bin/echo \"q\\\"b\\\\s\"", "q\"b\\s");
}

/* What a shell would run is passed as text to the program instead. */
static void
test_run_no_shell(void **state)
{
	check_run("/bin/echo a;b", "a;b");
	check_run("/bin/echo $(id)", "$(id)");
	check_run("/bin/echo `id` && true", "`id` && true");
	check_run("/bin/echo $HOME", "$HOME");
}

static void
test_run_exit_status(void **state)
{
	check_run_fails("/bin/false", WARD_ERR_AUTH);
	check_run_fails("sh -c 'echo pw; exit 3'", WARD_ERR_AUTH);
	check_run_fails("sh -c 'echo pw; kill -9 $$'", WARD_ERR_AUTH);
}

static void
test_run_empty(void **state)
{
	check_run_fails("/bin/true", WARD_ERR_PARSE);
	check_run_fails("/usr/bin/printf '\\nsecond\\n'", WARD_ERR_PARSE);
	check_run_fails("/usr/bin/printf 'a\\000b\\n'", WARD_ERR_PARSE);
	/* stdin is /dev/null: cat gets EOF at once instead of hanging */
	check_run_fails("cat", WARD_ERR_PARSE);
}

static void
test_run_output_limit(void **state)
{
	char *pw = NULL;

	/* exactly PASSWORD_OUTPUT_MAX bytes is fine */
	assert_int_equal(password_run("/usr/bin/printf %4096s", &pw), WARD_OK);
	assert_int_equal(strlen(pw), 4096);
	freezero_str(pw);
	check_run_fails("/usr/bin/printf %4097s", WARD_ERR_LIMIT);
	/* endless output: killed, not read forever */
	check_run_fails("/usr/bin/yes", WARD_ERR_LIMIT);
}

static void
test_run_missing(void **state)
{
	char path[] = "/tmp/ward-pw-noexec-XXXXXX";
	int fd = mkstemp(path); /* mode 0600: not executable */

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "#!/bin/sh\necho pw\n", 19), 19);
	close(fd);
	check_run_fails(path, WARD_ERR_NOTFOUND);
	unlink(path);
	check_run_fails("/nonexistent/ward-pw", WARD_ERR_NOTFOUND);
	check_run_fails("ward-no-such-program-7f3a", WARD_ERR_NOTFOUND);
	check_run_fails("pass 'unbalanced", WARD_ERR_INVAL);
}

static void
test_run_timeout(void **state)
{
	char *pw = (char *)"junk";
	int64_t t0 = now_ms();

	assert_int_equal(password_run_timeout("sleep 10", 200, &pw),
			 WARD_ERR_AGAIN);
	assert_null(pw);
	assert_true(now_ms() - t0 < 3000);
	/* a grandchild holding stdout open is killed with its group */
	t0 = now_ms();
	assert_int_equal(
	    password_run_timeout("sh -c 'sleep 10 & echo pw'", 300, &pw),
	    WARD_ERR_AGAIN);
	assert_true(now_ms() - t0 < 3000);
	/* output written, then the command does not exit */
	assert_int_equal(
	    password_run_timeout("sh -c 'echo pw; exec sleep 10'", 300, &pw),
	    WARD_ERR_AGAIN);
	assert_null(pw);
}

/* stderr goes to /dev/null: nothing reaches ward's own stderr. */
static void
test_run_stderr_silenced(void **state)
{
	char path[] = "/tmp/ward-pw-stderr-XXXXXX";
	int fd = mkstemp(path), saved = dup(2);
	char *pw = NULL;

	assert_true(fd >= 0 && saved >= 0);
	assert_int_equal(dup2(fd, 2), 2);
	assert_int_equal(password_run("sh -c 'echo leak >&2; echo pw'", &pw),
			 WARD_OK);
	dup2(saved, 2);
	close(saved);
	assert_string_equal(pw, "pw");
	freezero_str(pw);
	assert_int_equal(lseek(fd, 0, SEEK_END), 0);
	close(fd);
	unlink(path);
}

/* Descriptors ward holds (even without O_CLOEXEC) are not inherited. */
static void
test_run_closes_fds(void **state)
{
	char cmd[128], *pw = NULL;
	int fd = open("/dev/null", O_RDONLY); /* deliberately no O_CLOEXEC */

	assert_true(fd > 2);
	snprintf(cmd, sizeof(cmd),
		 "sh -c 'if [ -e /proc/self/fd/%d ]; then echo open; "
		 "else echo closed; fi'",
		 fd);
	assert_int_equal(password_run(cmd, &pw), WARD_OK);
	assert_string_equal(pw, "closed");
	freezero_str(pw);
	close(fd);
	/* and stdin is /dev/null */
	check_run("sh -c 'readlink /proc/self/fd/0'", "/dev/null");
}

static void
test_strerror(void **state)
{
	static const int codes[] = {
	    WARD_ERR_INVAL, WARD_ERR_NOTFOUND, WARD_ERR_AUTH,  WARD_ERR_PARSE,
	    WARD_ERR_LIMIT, WARD_ERR_AGAIN,    WARD_ERR_SYSTEM};
	size_t i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		assert_non_null(
		    strstr(password_strerror(codes[i]), "password_command"));
	assert_non_null(strstr(password_strerror(WARD_ERR_AGAIN), "timed out"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_split_words),
	    cmocka_unit_test(test_split_no_shell),
	    cmocka_unit_test(test_split_errors),
	    cmocka_unit_test(test_run_output),
	    cmocka_unit_test(test_run_no_shell),
	    cmocka_unit_test(test_run_exit_status),
	    cmocka_unit_test(test_run_empty),
	    cmocka_unit_test(test_run_output_limit),
	    cmocka_unit_test(test_run_missing),
	    cmocka_unit_test(test_run_timeout),
	    cmocka_unit_test(test_run_stderr_silenced),
	    cmocka_unit_test(test_run_closes_fds),
	    cmocka_unit_test(test_strerror),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
