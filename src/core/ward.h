/*
 * ward.h: what every part of ward's core shares: the error codes and their
 * text, the debug log, and small helpers. Module interfaces live in their
 * own headers (src/<layer>/<module>.h) so that modules can be read and
 * tested alone.
 */
#ifndef WARD_H
#define WARD_H

#include <stddef.h>
#include <stdint.h>

/* Error returns: 0 is success, every failure is negative. */
enum ward_err {
	WARD_OK = 0,
	WARD_ERR_NOMEM = -1,	/* allocation failed */
	WARD_ERR_INVAL = -2,	/* bad argument or malformed input */
	WARD_ERR_LIMIT = -3,	/* a size, depth or count limit was exceeded */
	WARD_ERR_PARSE = -4,	/* input is not well-formed */
	WARD_ERR_IO = -5,	/* read/write failed */
	WARD_ERR_PROTO = -6,	/* the peer broke the protocol */
	WARD_ERR_AUTH = -7,	/* authentication failed or was not proven */
	WARD_ERR_POLICY = -8,	/* refused by ward's policy (DTD, PI, ...) */
	WARD_ERR_SYSTEM = -9,	/* a system call failed; see errno */
	WARD_ERR_CRYPTO = -10,	/* a cryptographic primitive failed */
	WARD_ERR_NOTFOUND = -11,/* no such thing */
	WARD_ERR_AGAIN = -12,	/* not ready yet; try again later */
	WARD_ERR_CLOSED = -13,	/* the peer closed */
};

/* Returns a static, human-readable text for a ward_err value. */
const char *ward_strerror(int err);

/*
 * Debug log. Off unless log_open() was called. Never pass secrets
 * (passwords, SCRAM proofs, keys) to these.
 */
enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };
int log_open(const char *path, enum log_level min);
void log_close(void);
void log_msg(enum log_level lvl, const char *func, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define log_debug(...) log_msg(LOG_DEBUG, __func__, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __func__, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __func__, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __func__, __VA_ARGS__)

/* Allocation for the program tier: these abort on failure (never return NULL). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
int xasprintf(char **out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The value of one hex digit (either case), or -1 for any other byte. */
int hex_digit(int c);

/* Frees a string after wiping it (for passwords and other secrets). */
void freezero_str(char *s);

/* Monotonic clock in milliseconds (intervals, timers). */
int64_t now_ms(void);
/* Wall clock: milliseconds since the epoch (what is stored or signed). */
int64_t wall_ms(void);

/*
 * In a child about to exec: closes every descriptor from 3 up but keep
 * (-1: none), unblocks every signal and restores SIGPIPE and SIGCHLD.
 */
void exec_prepare(int keep);

#endif
