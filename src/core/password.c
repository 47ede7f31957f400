/*
 * password.c: runs an account's password_command without a shell (our own
 * word splitting, fork + execvp), reads one line from it and wipes the rest.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "ward.h"
#include "password.h"

/* A word being built by password_split(). */
struct password_words {
	char **v;
	size_t n;
	size_t cap;
};

static int
password_words_push(struct password_words *w, const char *s, size_t len)
{
	char **nv;

	if (w->n + 2 > w->cap) {
		size_t ncap = w->cap ? w->cap * 2 : 8;
		if ((nv = realloc(w->v, ncap * sizeof(*nv))) == NULL)
			return WARD_ERR_NOMEM;
		w->v = nv;
		w->cap = ncap;
	}
	if ((w->v[w->n] = strndup(s, len)) == NULL)
		return WARD_ERR_NOMEM;
	w->n++;
	w->v[w->n] = NULL;
	return WARD_OK;
}

void
password_argv_free(char **argv)
{
	size_t i;

	if (argv == NULL)
		return;
	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}

static int
password_is_control(unsigned char c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

int
password_split(const char *command, char ***argv_out)
{
	struct password_words w = {NULL, 0, 0};
	size_t len, i, cur = 0;
	char *word = NULL, quote = 0;
	int in_word = 0, r;

	*argv_out = NULL;
	if (command == NULL)
		return WARD_ERR_INVAL;
	if ((len = strlen(command)) > PASSWORD_COMMAND_MAX)
		return WARD_ERR_LIMIT;
	if ((word = malloc(len + 1)) == NULL)
		return WARD_ERR_NOMEM;
	r = WARD_ERR_INVAL;
	for (i = 0; i < len; i++) {
		char c = command[i];
		if (password_is_control((unsigned char)c))
			goto out;
		if (quote == '\'') {
			if (c == '\'')
				quote = 0;
			else
				word[cur++] = c;
		} else if (quote == '"') {
			if (c == '"')
				quote = 0;
			else if (c == '\\' && (command[i + 1] == '"' ||
					       command[i + 1] == '\\'))
				word[cur++] = command[++i];
			else
				word[cur++] = c;
		} else if (c == ' ' || c == '\t') {
			if (in_word &&
			    (r = password_words_push(&w, word, cur)) != WARD_OK)
				goto out;
			r = WARD_ERR_INVAL;
			in_word = 0;
			cur = 0;
		} else {
			in_word = 1;
			if (c == '\'' || c == '"')
				quote = c;
			else if (c != '\\')
				word[cur++] = c;
			else if (i + 1 < len &&
				 !password_is_control(
				     (unsigned char)command[i + 1]))
				word[cur++] = command[++i];
			else
				goto out; /* trailing backslash */
		}
	}
	if (quote != 0)
		goto out;
	if (in_word && (r = password_words_push(&w, word, cur)) != WARD_OK)
		goto out;
	if (w.n == 0) {
		r = WARD_ERR_INVAL;
		goto out;
	}
	*argv_out = w.v; /* transferred */
	w.v = NULL;
	r = WARD_OK;
out:
	free(word);
	if (w.v != NULL) {
		w.v[w.n] = NULL;
		password_argv_free(w.v);
	}
	return r;
}

/*
 * In the child: wires stdin/stderr to /dev/null and stdout to the pipe,
 * closes everything else, resets signals and execs. On failure writes
 * errno to errfd (close-on-exec, so the parent reads EOF on success).
 */
static void __attribute__((noreturn))
password_child(char **argv, int devnull, int outfd, int errfd)
{
	int e, n, o, ep;

	(void)setpgid(0, 0);
	if ((ep = fcntl(errfd, F_DUPFD_CLOEXEC, 3)) < 0 ||
	    (n = fcntl(devnull, F_DUPFD, 3)) < 0 ||
	    (o = fcntl(outfd, F_DUPFD, 3)) < 0)
		goto fail;
	if (dup2(n, 0) < 0 || dup2(o, 1) < 0 || dup2(n, 2) < 0)
		goto fail;
	exec_prepare(ep);
	execvp(argv[0], argv);
fail:
	e = errno;
	if (write(ep >= 0 ? ep : errfd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

/* Kills the child's process group and reaps it. */
static void
password_kill(pid_t pid)
{
	int st;

	(void)kill(-pid, SIGKILL);
	(void)kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
}

static int
password_remaining(int64_t deadline)
{
	int64_t left = deadline - now_ms();

	return left > 0 ? (int)left : 0;
}

/*
 * Waits for the child until deadline. Returns WARD_OK with *status set,
 * WARD_ERR_AGAIN on timeout (the child is then still running) or
 * WARD_ERR_SYSTEM.
 */
static int
password_wait(pid_t pid, int64_t deadline, int *status)
{
	int pfd = -1;
	pid_t w;

#ifdef SYS_pidfd_open
	pfd = (int)syscall(SYS_pidfd_open, pid, 0);
#endif
	for (;;) {
		w = waitpid(pid, status, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			if (pfd >= 0)
				close(pfd);
			return WARD_ERR_SYSTEM;
		}
		if (password_remaining(deadline) == 0) {
			if (pfd >= 0)
				close(pfd);
			return WARD_ERR_AGAIN;
		}
		if (pfd >= 0) {
			struct pollfd p = {.fd = pfd, .events = POLLIN};
			(void)poll(&p, 1, password_remaining(deadline));
		} else {
			int ms = password_remaining(deadline);
			(void)poll(NULL, 0, ms < 10 ? ms : 10);
		}
	}
	if (pfd >= 0)
		close(pfd);
	return WARD_OK;
}

/*
 * Reads the child's stdout into buf (PASSWORD_OUTPUT_MAX + 1 bytes) until
 * EOF, the limit or the deadline. Returns WARD_OK and *len, WARD_ERR_LIMIT,
 * WARD_ERR_AGAIN or WARD_ERR_SYSTEM.
 */
static int
password_read(int fd, char *buf, size_t *len, int64_t deadline)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	ssize_t n;
	int pr;

	*len = 0;
	for (;;) {
		int ms = password_remaining(deadline);
		if (ms == 0)
			return WARD_ERR_AGAIN;
		pr = poll(&p, 1, ms);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0)
			return WARD_ERR_SYSTEM;
		if (pr == 0)
			return WARD_ERR_AGAIN;
		n = read(fd, buf + *len, PASSWORD_OUTPUT_MAX + 1 - *len);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return WARD_ERR_SYSTEM;
		if (n == 0)
			return WARD_OK;
		*len += (size_t)n;
		if (*len > PASSWORD_OUTPUT_MAX)
			return WARD_ERR_LIMIT;
	}
}

/* Takes the first line of buf[0..len) as the password (malloc'd). */
static int
password_first_line(const char *buf, size_t len, char **out)
{
	const char *nl = memchr(buf, '\n', len);
	size_t n = nl != NULL ? (size_t)(nl - buf) : len;

	if (n > 0 && buf[n - 1] == '\r')
		n--;
	if (n == 0 || memchr(buf, '\0', n) != NULL)
		return WARD_ERR_PARSE;
	if ((*out = strndup(buf, n)) == NULL)
		return WARD_ERR_NOMEM;
	return WARD_OK;
}

/* Starts argv as a child; *pid and *outfd on success. */
static int
password_spawn(char **argv, pid_t *pid, int *outfd)
{
	int outp[2] = {-1, -1}, errp[2] = {-1, -1}, devnull = -1;
	int r = WARD_ERR_SYSTEM, e = 0;
	ssize_t n;

	if (pipe2(outp, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0)
		goto out;
	if ((devnull = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0)
		goto out;
	if ((*pid = fork()) < 0)
		goto out;
	if (*pid == 0)
		password_child(argv, devnull, outp[1], errp[1]);
	(void)setpgid(*pid, *pid); /* also here, so a kill cannot race it */
	close(errp[1]);
	errp[1] = -1;
	while ((n = read(errp[0], &e, sizeof(e))) < 0 && errno == EINTR)
		;
	if (n > 0) {
		password_kill(*pid);
		r = (e == ENOENT || e == EACCES || e == ENOTDIR)
			? WARD_ERR_NOTFOUND
			: WARD_ERR_SYSTEM;
		errno = e;
		goto out;
	}
	*outfd = outp[0]; /* transferred */
	outp[0] = -1;
	r = WARD_OK;
out:
	e = errno;
	if (outp[0] >= 0)
		close(outp[0]);
	if (outp[1] >= 0)
		close(outp[1]);
	if (errp[0] >= 0)
		close(errp[0]);
	if (errp[1] >= 0)
		close(errp[1]);
	if (devnull >= 0)
		close(devnull);
	errno = e;
	return r;
}

int
password_run_timeout(const char *command, int timeout_ms, char **out)
{
	char buf[PASSWORD_OUTPUT_MAX + 1];
	char **argv = NULL;
	int64_t deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	size_t len = 0;
	pid_t pid = -1;
	int fd = -1, r, status = 0;

	*out = NULL;
	if ((r = password_split(command, &argv)) != WARD_OK)
		return r;
	if ((r = password_spawn(argv, &pid, &fd)) != WARD_OK) {
		pid = -1;
		goto out;
	}
	if ((r = password_read(fd, buf, &len, deadline)) != WARD_OK)
		goto out;
	close(fd);
	fd = -1;
	if ((r = password_wait(pid, deadline, &status)) != WARD_OK)
		goto out;
	pid = -1; /* reaped */
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		r = WARD_ERR_AUTH;
		goto out;
	}
	r = password_first_line(buf, len, out);
out:
	if (fd >= 0)
		close(fd);
	if (pid > 0)
		password_kill(pid);
	explicit_bzero(buf, sizeof(buf));
	password_argv_free(argv);
	return r;
}

int
password_run(const char *command, char **out)
{
	return password_run_timeout(command, PASSWORD_TIMEOUT_MS, out);
}

const char *
password_strerror(int err)
{
	switch (err) {
	case WARD_OK:
		return "password command succeeded";
	case WARD_ERR_INVAL:
		return "password_command: cannot split (unbalanced quote?)";
	case WARD_ERR_NOTFOUND:
		return "password_command: program not found or not executable";
	case WARD_ERR_AUTH:
		return "password_command: command failed (non-zero exit)";
	case WARD_ERR_PARSE:
		return "password_command: no password in the first line";
	case WARD_ERR_LIMIT:
		return "password_command: output longer than 4096 bytes";
	case WARD_ERR_AGAIN:
		return "password_command: timed out; command killed";
	case WARD_ERR_SYSTEM:
		return "password_command: cannot run (system error)";
	case WARD_ERR_NOMEM:
		return "password_command: out of memory";
	}
	return ward_strerror(err);
}

int
password_of_account(const struct account_config *ac, char **out,
		    const char **why)
{
	int r;

	*out = NULL;
	*why = NULL;
	if (ac->password != NULL) {
		*out = xstrdup(ac->password);
		return WARD_OK;
	}
	if (ac->password_command == NULL) {
		*why = "no password: set password_command (or password in a "
		       "0600 file)";
		return WARD_ERR_INVAL;
	}
	r = password_run(ac->password_command, out);
	if (r != WARD_OK)
		*why = password_strerror(r);
	return r;
}
