/*
 * util.c: the error texts, the debug log, aborting allocators for the
 * program tier, secret wiping, the monotonic clock and closing descriptors
 * before an exec.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sanitize.h"
#include "ward.h"

/* The longest entry of ward.log, before escaping. */
#define LOG_ENTRY_MAX 4096

static FILE *log_file;		/* global: the debug log, NULL when off */
static enum log_level log_min = LOG_INFO;

const char *
ward_strerror(int err)
{
	switch (err) {
	case WARD_OK: return "success";
	case WARD_ERR_NOMEM: return "out of memory";
	case WARD_ERR_INVAL: return "invalid input";
	case WARD_ERR_LIMIT: return "limit exceeded";
	case WARD_ERR_PARSE: return "malformed input";
	case WARD_ERR_IO: return "input/output error";
	case WARD_ERR_PROTO: return "protocol violation by peer";
	case WARD_ERR_AUTH: return "authentication failed";
	case WARD_ERR_POLICY: return "refused by policy";
	case WARD_ERR_SYSTEM: return "system error";
	case WARD_ERR_CRYPTO: return "cryptographic failure";
	case WARD_ERR_NOTFOUND: return "not found";
	case WARD_ERR_AGAIN: return "try again";
	case WARD_ERR_CLOSED: return "connection closed";
	}
	return "unknown error";
}

/* Opens the debug log (mode 0600, appended). */
int
log_open(const char *path, enum log_level min)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (fd < 0)
		return WARD_ERR_SYSTEM;
	log_close();
	log_file = fdopen(fd, "a");
	if (log_file == NULL) {
		close(fd);
		return WARD_ERR_SYSTEM;
	}
	setvbuf(log_file, NULL, _IOLBF, 0);
	log_min = min;
	return WARD_OK;
}

void
log_close(void)
{
	if (log_file != NULL)
		fclose(log_file);
	log_file = NULL;
}

/*
 * Every entry is formatted first and then escaped as a whole by
 * sanitize_for_log(): whatever remote text a caller passes (a JID, a
 * body, a server's error text), the entry stays one line holding no
 * control, bidi or zero-width character. An entry is cut at
 * LOG_ENTRY_MAX bytes (before escaping), and says so.
 */
void
log_msg(enum log_level lvl, const char *func, const char *fmt, ...)
{
	static const char *names[] = { "debug", "info", "warn", "error" };
	char raw[LOG_ENTRY_MAX], *text;
	struct timespec ts;
	size_t tlen;
	va_list ap;
	int n, cut = 0;

	if (log_file == NULL || lvl < log_min)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	va_start(ap, fmt);
	n = vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	else if ((size_t)n >= sizeof(raw)) {
		n = sizeof(raw) - 1;
		cut = 1;
	}
	text = sanitize_for_log(raw, (size_t)n, &tlen);
	fprintf(log_file, "%lld.%03ld %s %s: %s%s\n", (long long)ts.tv_sec,
	    ts.tv_nsec / 1000000, names[lvl], func,
	    text != NULL ? text : "(entry not escaped: out of memory)",
	    cut ? " [cut]" : "");
	free(text);
}

static void
oom(void)
{
	static const char msg[] = "ward: out of memory\n";
	ssize_t r = write(2, msg, sizeof(msg) - 1);
	(void)r;
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (p == NULL)
		oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (q == NULL)
		oom();
	return q;
}

char *
xstrdup(const char *s)
{
	char *p = strdup(s);
	if (p == NULL)
		oom();
	return p;
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);
	if (p == NULL)
		oom();
	return p;
}

int
xasprintf(char **out, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(out, fmt, ap);
	va_end(ap);
	if (r < 0)
		oom();
	return r;
}

void
freezero_str(char *s)
{
	if (s == NULL)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}

int64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Closes every descriptor >= lo and <= hi (inclusive). */
static void
close_fd_range(int lo, int hi)
{
	long max;
	int fd;

	if (lo > hi)
		return;
	if (close_range((unsigned)lo, (unsigned)hi, 0) == 0)
		return;
	max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (fd = lo; fd <= hi && fd < max; fd++)
		close(fd);
}

void
exec_prepare(int keep)
{
	sigset_t none;

	if (keep >= 3) {
		close_fd_range(3, keep - 1);
		close_fd_range(keep + 1, 0x7fffffff);
	} else
		close_fd_range(3, 0x7fffffff);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
}

int
hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
