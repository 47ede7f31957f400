/*
 * test_pipe.c: the command pipe refuses unsafe paths, creates a safe FIFO,
 * splits input into bounded lines, and never spins when writers leave.
 * Every test works in its own temporary directory.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "pipe.h"
#include "ward.h"

#define MAX_SEEN 64

/* What the callbacks saw. */
struct seen {
	int nlines;
	char *lines[MAX_SEEN];
	size_t lens[MAX_SEEN];
	int nerrs;
	char *errs[MAX_SEEN];
};

struct fixture {
	char dir[64];   /* the temporary directory */
	char sub[128];  /* dir/run: where the pipe goes */
	char path[192]; /* dir/run/acct.cmd */
	struct seen seen;
};

static void
on_line(void *arg, const char *line, size_t len)
{
	struct seen *s = arg;

	assert_int_equal(line[len], '\0');
	assert_null(memchr(line, '\0', len));
	assert_true(s->nlines < MAX_SEEN);
	s->lines[s->nlines] = strndup(line, len);
	s->lens[s->nlines++] = len;
}

static void
on_err(void *arg, const char *why)
{
	struct seen *s = arg;

	assert_true(s->nerrs < MAX_SEEN);
	s->errs[s->nerrs++] = strdup(why);
}

static void
seen_clear(struct seen *s)
{
	int i;

	for (i = 0; i < s->nlines; i++)
		free(s->lines[i]);
	for (i = 0; i < s->nerrs; i++)
		free(s->errs[i]);
	memset(s, 0, sizeof(*s));
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	strcpy(f->dir, "/tmp/ward-test-pipe-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->sub, sizeof(f->sub), "%s/run", f->dir);
	snprintf(f->path, sizeof(f->path), "%s/acct.cmd", f->sub);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[256];

	seen_clear(&f->seen);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* Opens the pipe, expecting success. */
static struct cmdpipe *
open_ok(struct fixture *f)
{
	struct cmdpipe *p = NULL;
	char *why = NULL;
	int r = pipe_open(f->path, &p, &why);

	if (r != WARD_OK)
		fail_msg("pipe_open: %d %s", r, why ? why : "(no reason)");
	assert_non_null(p);
	assert_null(why);
	return p;
}

/* Opens the pipe, expecting a refusal whose reason contains word. */
static void
open_refused(struct fixture *f, const char *word)
{
	struct cmdpipe *p = (struct cmdpipe *)1;
	char *why = NULL;

	assert_int_equal(pipe_open(f->path, &p, &why), WARD_ERR_POLICY);
	assert_null(p);
	assert_non_null(why);
	if (strstr(why, word) == NULL)
		fail_msg("reason \"%s\" lacks \"%s\"", why, word);
	free(why);
}

static int
open_writer(const char *path)
{
	int fd = open(path, O_WRONLY | O_NONBLOCK);

	assert_true(fd >= 0);
	return fd;
}

static void
write_all(int fd, const void *p, size_t n)
{
	assert_int_equal(write(fd, p, n), (ssize_t)n);
}

static void
read_lines(struct cmdpipe *p, struct fixture *f)
{
	assert_int_equal(pipe_read_lines(p, on_line, on_err, &f->seen),
			 WARD_OK);
}

/* Writes n bytes to the pipe, draining it whenever it is full. */
static void
write_data(int w, struct cmdpipe *p, struct fixture *f, const char *data,
	   size_t n)
{
	ssize_t k;

	while (n > 0) {
		k = write(w, data, n < 4096 ? n : 4096);
		if (k < 0) {
			assert_int_equal(errno, EAGAIN);
			read_lines(p, f);
			continue;
		}
		data += k;
		n -= (size_t)k;
	}
}

/* Writes n bytes of c the same way. */
static void
write_flood(int w, struct cmdpipe *p, struct fixture *f, char c, size_t n)
{
	char buf[4096];
	size_t k;

	memset(buf, c, sizeof(buf));
	for (; n > 0; n -= k) {
		k = n < sizeof(buf) ? n : sizeof(buf);
		write_data(w, p, f, buf, k);
	}
}

static void
test_fresh_creation(void **state)
{
	struct fixture *f = *state;
	struct cmdpipe *p;
	struct stat st;

	p = open_ok(f);
	assert_int_equal(lstat(f->sub, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(lstat(f->path, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_uid, geteuid());
	assert_string_equal(pipe_path(p), f->path);
	assert_true(pipe_fd(p) >= 0);
	assert_true(fcntl(pipe_fd(p), F_GETFD) & FD_CLOEXEC);
	assert_true(fcntl(pipe_fd(p), F_GETFL) & O_NONBLOCK);
	pipe_close(p, 1);
	assert_int_equal(lstat(f->path, &st), -1);
	assert_int_equal(errno, ENOENT);
}

/* A strict umask must not make ward refuse the FIFO it made itself. */
static void
test_fresh_creation_under_strict_umask(void **state)
{
	struct fixture *f = *state;
	struct cmdpipe *p;
	struct stat st;
	mode_t old;

	assert_int_equal(mkdir(f->sub, 0700), 0);
	old = umask(0277);
	p = open_ok(f);
	umask(old);
	assert_int_equal(lstat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	pipe_close(p, 1);
}

static void
test_existing_fifo_reused(void **state)
{
	struct fixture *f = *state;
	struct cmdpipe *p;
	struct stat before, after;

	assert_int_equal(mkdir(f->sub, 0700), 0);
	assert_int_equal(mkfifo(f->path, 0600), 0);
	assert_int_equal(chmod(f->path, 0600), 0);
	assert_int_equal(lstat(f->path, &before), 0);
	p = open_ok(f);
	pipe_close(p, 0);
	assert_int_equal(lstat(f->path, &after), 0);
	assert_int_equal(before.st_ino, after.st_ino);
}

static void
test_symlink_refused(void **state)
{
	struct fixture *f = *state;
	char target[256];

	assert_int_equal(mkdir(f->sub, 0700), 0);
	snprintf(target, sizeof(target), "%s/real.cmd", f->sub);
	assert_int_equal(mkfifo(target, 0600), 0);
	assert_int_equal(chmod(target, 0600), 0);
	assert_int_equal(symlink(target, f->path), 0);
	open_refused(f, "symlink");
}

static void
test_dangling_symlink_refused(void **state)
{
	struct fixture *f = *state;
	char target[256];
	struct stat st;

	assert_int_equal(mkdir(f->sub, 0700), 0);
	snprintf(target, sizeof(target), "%s/elsewhere", f->dir);
	assert_int_equal(symlink(target, f->path), 0);
	open_refused(f, "symlink");
	/* Nothing was created through the link. */
	assert_int_equal(lstat(target, &st), -1);
}

static void
test_regular_file_refused(void **state)
{
	struct fixture *f = *state;
	int fd;

	assert_int_equal(mkdir(f->sub, 0700), 0);
	fd = open(f->path, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	close(fd);
	open_refused(f, "regular file");
}

static void
test_fifo_mode_0644_refused(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(mkdir(f->sub, 0700), 0);
	assert_int_equal(mkfifo(f->path, 0600), 0);
	assert_int_equal(chmod(f->path, 0644), 0);
	open_refused(f, "0644");
	/* 0400 is not exactly 0600 either. */
	assert_int_equal(chmod(f->path, 0400), 0);
	open_refused(f, "0400");
}

static void
test_directory_0755_refused(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(mkdir(f->sub, 0700), 0);
	assert_int_equal(chmod(f->sub, 0755), 0);
	open_refused(f, "0755");
	assert_int_equal(chmod(f->sub, 0710), 0);
	open_refused(f, "0710");
}

static void
test_directory_symlink_refused(void **state)
{
	struct fixture *f = *state;
	char real[256];

	snprintf(real, sizeof(real), "%s/real", f->dir);
	assert_int_equal(mkdir(real, 0700), 0);
	assert_int_equal(symlink(real, f->sub), 0);
	open_refused(f, "symlink");
}

/* Someone else's FIFO or directory: only testable as root. */
static void
test_foreign_owner_refused(void **state)
{
	struct fixture *f = *state;

	if (geteuid() != 0)
		skip();
	assert_int_equal(mkdir(f->sub, 0700), 0);
	assert_int_equal(mkfifo(f->path, 0600), 0);
	assert_int_equal(chmod(f->path, 0600), 0);
	assert_int_equal(chown(f->path, 65534, 65534), 0);
	open_refused(f, "owned by uid 65534");
	assert_int_equal(unlink(f->path), 0);
	assert_int_equal(chown(f->sub, 65534, 65534), 0);
	open_refused(f, "owned by uid 65534");
}

static void
test_lines_split_across_writes(void **state)
{
	struct fixture *f = *state;
	struct cmdpipe *p = open_ok(f);
	int w = open_writer(f->path);

	write_all(w, "/msg bo", 7);
	read_lines(p, f);
	assert_int_equal(f->seen.nlines, 0);
	write_all(w, "b@x hi there\n/qu", 16);
	read_lines(p, f);
	assert_int_equal(f->seen.nlines, 1);
	assert_string_equal(f->seen.lines[0], "/msg bob@x hi there");
	write_all(w, "it\n\n", 4);
	read_lines(p, f);
	assert_int_equal(f->seen.nlines, 3);
	assert_string_equal(f->seen.lines[1], "/quit");
	assert_string_equal(f->seen.lines[2], "");
	assert_int_equal(f->seen.nerrs, 0);
	close(w);
	pipe_close(p, 1);
}

static void
test_crlf_stripped(void **state)
{
	struct fixture *f = *state;
	struct cmdpipe *p = open_ok(f);
	int w = open_writer(f->path);

	write_all(w, "/connect\r\n/quit\n\r\n", 18);
	read_lines(p, f);
	assert_int_equal(f->seen.nlines, 3);
	assert_string_equal(f->seen.lines[0], "/connect");
	assert_int_equal(f->seen.lens[0], 8);
	assert_string_equal(f->seen.lines[1], "/quit");
	assert_string_equal(f->seen.lines[2], "");
	close(w);
	pipe_close(p, 1);
}

static void
test_overlong_line_then_recovery(void **state)
{
	struct fixture *f = *state;
	struct cmdpipe *p = open_ok(f);
	int w = open_writer(f->path);

	write_flood(w, p, f, 'a', 200000);
	read_lines(p, f);
	/* Reported once, as soon as it is known, not at the newline. */
	assert_int_equal(f->seen.nerrs, 1);
	assert_string_equal(f->seen.errs[0],
			    "command line too long (65536 bytes max)");
	write_flood(w, p, f, 'b', 100000);
	write_data(w, p, f, "\n/next\n", 7);
	read_lines(p, f);
	assert_int_equal(f->seen.nerrs, 1);
	assert_int_equal(f->seen.nlines, 1);
	assert_string_equal(f->seen.lines[0], "/next");
	close(w);
	pipe_close(p, 1);
}

static void
test_line_length_boundary(void **state)
{
	struct fixture *f = *state;
	struct cmdpipe *p = open_ok(f);
	int w = open_writer(f->path);

	/* Exactly PIPE_MAX_LINE bytes: accepted, with "\n" or "\r\n". */
	write_flood(w, p, f, 'x', PIPE_MAX_LINE);
	write_data(w, p, f, "\n", 1);
	write_flood(w, p, f, 'y', PIPE_MAX_LINE);
	write_data(w, p, f, "\r\n", 2);
	read_lines(p, f);
	read_lines(p, f);
	assert_int_equal(f->seen.nerrs, 0);
	assert_int_equal(f->seen.nlines, 2);
	assert_int_equal(f->seen.lens[0], PIPE_MAX_LINE);
	assert_int_equal(f->seen.lens[1], PIPE_MAX_LINE);
	assert_int_equal(f->seen.lines[1][PIPE_MAX_LINE - 1], 'y');
	/* One byte more: refused (also when the extra byte ends the read). */
	write_flood(w, p, f, 'z', PIPE_MAX_LINE + 1);
	write_data(w, p, f, "\n/ok\n", 5);
	read_lines(p, f);
	read_lines(p, f);
	assert_int_equal(f->seen.nerrs, 1);
	assert_int_equal(f->seen.nlines, 3);
	assert_string_equal(f->seen.lines[2], "/ok");
	close(w);
	pipe_close(p, 1);
}

static void
test_nul_line_dropped(void **state)
{
	struct fixture *f = *state;
	struct cmdpipe *p = open_ok(f);
	int w = open_writer(f->path);

	write_all(w, "/msg a\0b\n/ok\n", 13);
	read_lines(p, f);
	assert_int_equal(f->seen.nerrs, 1);
	assert_string_equal(f->seen.errs[0],
			    "command line contains a NUL byte");
	assert_int_equal(f->seen.nlines, 1);
	assert_string_equal(f->seen.lines[0], "/ok");
	close(w);
	pipe_close(p, 1);
}

static int
poll_now(int fd)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};

	return poll(&pfd, 1, 0);
}

static void
test_writer_close_does_not_spin(void **state)
{
	struct fixture *f = *state;
	struct cmdpipe *p = open_ok(f);
	int w;

	assert_int_equal(poll_now(pipe_fd(p)), 0);
	w = open_writer(f->path);
	write_all(w, "/one\n", 5);
	close(w);
	assert_int_equal(poll_now(pipe_fd(p)), 1);
	read_lines(p, f);
	assert_int_equal(f->seen.nlines, 1);
	/* The writer has gone: no POLLHUP, no EOF, nothing to wake for. */
	assert_int_equal(poll_now(pipe_fd(p)), 0);
	read_lines(p, f);
	assert_int_equal(poll_now(pipe_fd(p)), 0);
	/* A new writer is heard. */
	w = open_writer(f->path);
	write_all(w, "/two\n", 5);
	close(w);
	read_lines(p, f);
	assert_int_equal(f->seen.nlines, 2);
	assert_string_equal(f->seen.lines[1], "/two");
	assert_int_equal(poll_now(pipe_fd(p)), 0);
	pipe_close(p, 1);
}

static void
test_close_unlinks_only_our_fifo(void **state)
{
	struct fixture *f = *state;
	struct cmdpipe *p = open_ok(f);
	struct stat st;
	int fd;

	/* Someone replaced the path: closing must not delete their file. */
	assert_int_equal(unlink(f->path), 0);
	fd = open(f->path, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	close(fd);
	pipe_close(p, 1);
	assert_int_equal(lstat(f->path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
}

static void
test_default_path(void **state)
{
	char *path = (char *)1;

	(void)state;
	assert_int_equal(setenv("XDG_RUNTIME_DIR", "/run/user/1000", 1), 0);
	assert_int_equal(pipe_default_path("work", &path), WARD_OK);
	assert_string_equal(path, "/run/user/1000/ward/work.cmd");
	free(path);
	assert_int_equal(pipe_default_path("a/b", &path), WARD_ERR_INVAL);
	assert_null(path);
	assert_int_equal(pipe_default_path("..", &path), WARD_ERR_INVAL);
	assert_int_equal(pipe_default_path("", &path), WARD_ERR_INVAL);
	assert_int_equal(setenv("XDG_RUNTIME_DIR", "run/user", 1), 0);
	assert_int_equal(pipe_default_path("work", &path), WARD_ERR_INVAL);
	assert_null(path);
	assert_int_equal(setenv("XDG_RUNTIME_DIR", "", 1), 0);
	assert_int_equal(pipe_default_path("work", &path), WARD_ERR_NOTFOUND);
	assert_int_equal(unsetenv("XDG_RUNTIME_DIR"), 0);
	assert_int_equal(pipe_default_path("work", &path), WARD_ERR_NOTFOUND);
	assert_null(path);
}

/* The same reader on an ordinary pipe, as for stdin: EOF is reported and
 * a last line without '\n' is not lost. */
static void
test_reader_on_stdin_like_fd(void **state)
{
	struct fixture *f = *state;
	struct pipe_reader *r;
	int fds[2];

	assert_int_equal(pipe(fds), 0);
	assert_int_equal(pipe_reader_new(fds[0], &r), WARD_OK);
	write_all(fds[1], "/connect\n/quit", 14);
	close(fds[1]);
	assert_int_equal(pipe_reader_read(r, on_line, on_err, &f->seen),
			 WARD_OK);
	assert_int_equal(f->seen.nlines, 1);
	assert_int_equal(pipe_reader_read(r, on_line, on_err, &f->seen),
			 WARD_ERR_CLOSED);
	assert_int_equal(f->seen.nlines, 2);
	assert_string_equal(f->seen.lines[1], "/quit");
	assert_int_equal(pipe_reader_read(r, on_line, on_err, &f->seen),
			 WARD_ERR_CLOSED);
	assert_int_equal(f->seen.nlines, 2);
	pipe_reader_free(r);
	close(fds[0]);
}

static void
test_reader_nonblocking_empty(void **state)
{
	struct fixture *f = *state;
	struct pipe_reader *r;
	int fds[2];

	assert_int_equal(pipe2(fds, O_NONBLOCK), 0);
	assert_int_equal(pipe_reader_new(fds[0], &r), WARD_OK);
	assert_int_equal(pipe_reader_read(r, on_line, NULL, &f->seen),
			 WARD_ERR_AGAIN);
	/* Errors without an err_cb are simply dropped. */
	write_all(fds[1], "a\0\nb\n", 5);
	assert_int_equal(pipe_reader_read(r, on_line, NULL, &f->seen), WARD_OK);
	assert_int_equal(f->seen.nlines, 1);
	assert_string_equal(f->seen.lines[0], "b");
	pipe_reader_free(r);
	close(fds[0]);
	close(fds[1]);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_fresh_creation),
	    T(test_fresh_creation_under_strict_umask),
	    T(test_existing_fifo_reused),
	    T(test_symlink_refused),
	    T(test_dangling_symlink_refused),
	    T(test_regular_file_refused),
	    T(test_fifo_mode_0644_refused),
	    T(test_directory_0755_refused),
	    T(test_directory_symlink_refused),
	    T(test_foreign_owner_refused),
	    T(test_lines_split_across_writes),
	    T(test_crlf_stripped),
	    T(test_overlong_line_then_recovery),
	    T(test_line_length_boundary),
	    T(test_nul_line_dropped),
	    T(test_writer_close_does_not_spin),
	    T(test_close_unlinks_only_our_fifo),
	    T(test_default_path),
	    T(test_reader_on_stdin_like_fd),
	    T(test_reader_nonblocking_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
