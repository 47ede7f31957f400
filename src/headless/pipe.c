/*
 * pipe.c: the command pipe. Checks the FIFO and its directory before
 * trusting them (tmux make_label style), and splits what arrives on it, or
 * on stdin, into bounded lines. Library tier: returns errors, never prints.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "pipe.h"
#include "ward.h"

/* Bytes taken by one read(). */
#define PIPE_CHUNK 16384
/* Reads per pipe_read_lines() call, so one busy writer cannot starve the loop.
 */
#define PIPE_READS_PER_CALL 16

struct pipe_reader {
	int fd;           /* not ours: the caller closes it */
	int eof;          /* end of file seen */
	int discarding;   /* skipping the rest of a too-long line */
	int has_nul;      /* the line so far holds a NUL byte */
	struct wbuf line; /* the partial line; max PIPE_MAX_LINE + 2 */
	unsigned char chunk[PIPE_CHUNK];
};

struct cmdpipe {
	char *path;
	int rfd; /* what we poll and read */
	int wfd; /* our own write end: no EOF when writers leave */
	dev_t dev;
	ino_t ino;
	struct pipe_reader *reader;
};

int
pipe_reader_new(int fd, struct pipe_reader **out)
{
	struct pipe_reader *r;

	*out = NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return WARD_ERR_NOMEM;
	r->fd = fd;
	/* Room for the longest line, a '\r' before its '\n', and a NUL. */
	wbuf_init(&r->line, PIPE_MAX_LINE + 2);
	*out = r;
	return WARD_OK;
}

void
pipe_reader_free(struct pipe_reader *r)
{
	if (r == NULL)
		return;
	wbuf_free(&r->line);
	free(r);
}

static void
pipe_reader_error(pipe_err_cb *err_cb, void *arg, const char *why)
{
	if (err_cb != NULL)
		err_cb(arg, why);
}

/* Starts skipping the current line after reporting why. */
static void
pipe_reader_drop(struct pipe_reader *r, pipe_err_cb *err_cb, void *arg,
		 const char *why)
{
	pipe_reader_error(err_cb, arg, why);
	wbuf_reset(&r->line);
	r->has_nul = 0;
	r->discarding = 1;
}

#define PIPE_STR(x) #x
#define PIPE_XSTR(x) PIPE_STR(x)
static const char pipe_too_long[] =
    "command line too long (" PIPE_XSTR(PIPE_MAX_LINE) " bytes max)";

/* Adds bytes of the current line (no '\n' among them). */
static void
pipe_reader_add(struct pipe_reader *r, const unsigned char *p, size_t n,
		pipe_err_cb *err_cb, void *arg)
{
	if (r->discarding || n == 0)
		return;
	/* A '\r' may still follow the longest line, so allow one more. */
	if (n > PIPE_MAX_LINE + 1 - wbuf_avail(&r->line)) {
		pipe_reader_drop(r, err_cb, arg, pipe_too_long);
		return;
	}
	if (memchr(p, '\0', n) != NULL)
		r->has_nul = 1;
	if (wbuf_put(&r->line, p, n) != WARD_OK)
		pipe_reader_drop(r, err_cb, arg,
				 "out of memory: command line dropped");
}

/* The current line is complete: hand it over (or report why not). */
static void
pipe_reader_finish(struct pipe_reader *r, pipe_line_cb *line_cb,
		   pipe_err_cb *err_cb, void *arg)
{
	size_t len = wbuf_avail(&r->line);
	char *s;

	if (r->discarding) {
		r->discarding = 0;
		return;
	}
	if (len > 0 && wbuf_ptr(&r->line)[len - 1] == '\r')
		len--;
	if (len > PIPE_MAX_LINE)
		pipe_reader_error(err_cb, arg, pipe_too_long);
	else if (r->has_nul)
		pipe_reader_error(err_cb, arg,
				  "command line contains a NUL byte");
	else if (wbuf_put(&r->line, "", 1) != WARD_OK)
		pipe_reader_error(err_cb, arg,
				  "out of memory: command line dropped");
	else {
		/* Our own buffer: terminate in place where a '\r' was. */
		s = (char *)r->line.data + r->line.off;
		s[len] = '\0';
		line_cb(arg, s, len);
	}
	wbuf_reset(&r->line);
	r->has_nul = 0;
}

/* Splits one chunk into lines. */
static void
pipe_reader_feed(struct pipe_reader *r, const unsigned char *p, size_t n,
		 pipe_line_cb *line_cb, pipe_err_cb *err_cb, void *arg)
{
	const unsigned char *nl;
	size_t seg;

	while (n > 0) {
		nl = memchr(p, '\n', n);
		seg = nl != NULL ? (size_t)(nl - p) : n;
		pipe_reader_add(r, p, seg, err_cb, arg);
		if (nl != NULL) {
			pipe_reader_finish(r, line_cb, err_cb, arg);
			seg++;
		}
		p += seg;
		n -= seg;
	}
}

int
pipe_reader_read(struct pipe_reader *r, pipe_line_cb *line_cb,
		 pipe_err_cb *err_cb, void *arg)
{
	ssize_t n;

	if (r->eof)
		return WARD_ERR_CLOSED;
	n = read(r->fd, r->chunk, sizeof(r->chunk));
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return WARD_ERR_AGAIN;
		return WARD_ERR_SYSTEM;
	}
	if (n == 0) {
		r->eof = 1;
		if (r->discarding || wbuf_avail(&r->line) > 0)
			pipe_reader_finish(r, line_cb, err_cb, arg);
		return WARD_ERR_CLOSED;
	}
	pipe_reader_feed(r, r->chunk, (size_t)n, line_cb, err_cb, arg);
	return WARD_OK;
}

int
pipe_default_path(const char *account, char **out)
{
	const char *dir = getenv("XDG_RUNTIME_DIR");

	*out = NULL;
	if (dir == NULL || *dir == '\0')
		return WARD_ERR_NOTFOUND;
	if (*dir != '/')
		return WARD_ERR_INVAL;
	if (account == NULL || *account == '\0' || strchr(account, '/') ||
	    strcmp(account, ".") == 0 || strcmp(account, "..") == 0)
		return WARD_ERR_INVAL;
	if (asprintf(out, "%s/ward/%s.cmd", dir, account) < 0) {
		*out = NULL;
		return WARD_ERR_NOMEM;
	}
	return WARD_OK;
}

/* Sets *why to "PATH: reason" (left NULL if that fails) and returns err. */
static int __attribute__((format(printf, 4, 5)))
pipe_refuse(char **why, int err, const char *path, const char *fmt, ...)
{
	char *reason = NULL;
	va_list ap;
	int n;

	if (why == NULL)
		return err;
	free(*why);
	*why = NULL;
	va_start(ap, fmt);
	n = vasprintf(&reason, fmt, ap);
	va_end(ap);
	if (n < 0)
		return err;
	if (asprintf(why, "%s: %s", path, reason) < 0)
		*why = NULL;
	free(reason);
	return err;
}

/* A word for what a non-FIFO, non-directory path is. */
static const char *
pipe_kind(mode_t mode)
{
	if (S_ISLNK(mode))
		return "a symlink";
	if (S_ISREG(mode))
		return "a regular file";
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISFIFO(mode))
		return "a FIFO";
	return "a device";
}

/* Makes (if missing) and checks the directory holding the pipe. */
static int
pipe_check_dir(const char *path, char **why)
{
	const char *slash = strrchr(path, '/');
	struct stat st;
	char *dir;
	int r = WARD_OK;

	if (slash == NULL)
		dir = strdup(".");
	else if (slash == path)
		dir = strdup("/");
	else
		dir = strndup(path, (size_t)(slash - path));
	if (dir == NULL)
		return WARD_ERR_NOMEM;
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		r = pipe_refuse(why, WARD_ERR_SYSTEM, dir,
				"cannot create directory: %s", strerror(errno));
		goto out;
	}
	if (lstat(dir, &st) == -1) {
		r = pipe_refuse(why, WARD_ERR_SYSTEM, dir, "%s",
				strerror(errno));
		goto out;
	}
	if (!S_ISDIR(st.st_mode))
		r = pipe_refuse(why, WARD_ERR_POLICY, dir,
				"is %s, not a directory",
				pipe_kind(st.st_mode));
	else if (st.st_uid != geteuid())
		r = pipe_refuse(why, WARD_ERR_POLICY, dir,
				"owned by uid %lu, not by us (uid %lu)",
				(unsigned long)st.st_uid,
				(unsigned long)geteuid());
	else if ((st.st_mode & 077) != 0)
		r = pipe_refuse(why, WARD_ERR_POLICY, dir,
				"mode %04o lets others in (must be 0700)",
				(unsigned int)(st.st_mode & 07777));
out:
	free(dir);
	return r;
}

/* lstat()s the pipe, making the FIFO first if it is missing. */
static int
pipe_make_fifo(const char *path, struct stat *st, int *created, char **why)
{
	*created = 0;
	if (lstat(path, st) == 0)
		return WARD_OK;
	if (errno != ENOENT)
		return pipe_refuse(why, WARD_ERR_SYSTEM, path, "%s",
				   strerror(errno));
	if (mkfifo(path, 0600) == 0)
		*created = 1;
	else if (errno != EEXIST)
		return pipe_refuse(why, WARD_ERR_SYSTEM, path,
				   "cannot create FIFO: %s", strerror(errno));
	if (lstat(path, st) == -1)
		return pipe_refuse(why, WARD_ERR_SYSTEM, path, "%s",
				   strerror(errno));
	return WARD_OK;
}

/* Refuses anything but our own FIFO with mode 0600 (or, freshly made,
 * 0600 less what the umask took away: fixed after opening). */
static int
pipe_check_fifo(const char *path, const struct stat *st, int created,
		char **why)
{
	mode_t mode = st->st_mode & 07777;

	if (!S_ISFIFO(st->st_mode))
		return pipe_refuse(why, WARD_ERR_POLICY, path,
				   "is %s, not a FIFO", pipe_kind(st->st_mode));
	if (st->st_uid != geteuid())
		return pipe_refuse(why, WARD_ERR_POLICY, path,
				   "owned by uid %lu, not by us (uid %lu)",
				   (unsigned long)st->st_uid,
				   (unsigned long)geteuid());
	if (created ? (mode & ~(mode_t)0600) != 0 : mode != 0600)
		return pipe_refuse(why, WARD_ERR_POLICY, path,
				   "mode %04o (must be 0600)",
				   (unsigned int)mode);
	return WARD_OK;
}

/* Opens one end and checks it is the FIFO that was lstat()ed. */
static int
pipe_open_end(const char *path, int flags, const struct stat *want, int *fd,
	      char **why)
{
	struct stat st;

	*fd = open(path, flags | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
	if (*fd == -1)
		return pipe_refuse(why, WARD_ERR_SYSTEM, path,
				   "cannot open: %s", strerror(errno));
	if (fstat(*fd, &st) == -1) {
		close(*fd);
		*fd = -1;
		return pipe_refuse(why, WARD_ERR_SYSTEM, path, "%s",
				   strerror(errno));
	}
	if (!S_ISFIFO(st.st_mode) || st.st_dev != want->st_dev ||
	    st.st_ino != want->st_ino) {
		close(*fd);
		*fd = -1;
		return pipe_refuse(why, WARD_ERR_POLICY, path,
				   "replaced while being opened");
	}
	return WARD_OK;
}

int
pipe_open(const char *path, struct cmdpipe **out, char **why)
{
	struct cmdpipe *p = NULL;
	struct stat st;
	int created, r;

	*out = NULL;
	if (why != NULL)
		*why = NULL;
	if (path == NULL || *path == '\0')
		return pipe_refuse(why, WARD_ERR_INVAL, "command pipe",
				   "empty path");
	if ((r = pipe_check_dir(path, why)) != WARD_OK)
		return r;
	if ((r = pipe_make_fifo(path, &st, &created, why)) != WARD_OK)
		return r;
	if ((r = pipe_check_fifo(path, &st, created, why)) != WARD_OK)
		return r;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return WARD_ERR_NOMEM;
	p->rfd = p->wfd = -1;
	p->dev = st.st_dev;
	p->ino = st.st_ino;
	if ((p->path = strdup(path)) == NULL) {
		r = WARD_ERR_NOMEM;
		goto out;
	}
	if ((r = pipe_open_end(path, O_RDONLY, &st, &p->rfd, why)) != WARD_OK)
		goto out;
	if (created && (st.st_mode & 07777) != 0600 &&
	    fchmod(p->rfd, 0600) == -1) {
		r = pipe_refuse(why, WARD_ERR_SYSTEM, path, "chmod: %s",
				strerror(errno));
		goto out;
	}
	if ((r = pipe_open_end(path, O_WRONLY, &st, &p->wfd, why)) != WARD_OK)
		goto out;
	if ((r = pipe_reader_new(p->rfd, &p->reader)) != WARD_OK)
		goto out;
	*out = p;
	p = NULL; /* transferred */
out:
	if (p != NULL)
		pipe_close(p, 0);
	return r;
}

int
pipe_fd(const struct cmdpipe *p)
{
	return p->rfd;
}

const char *
pipe_path(const struct cmdpipe *p)
{
	return p->path;
}

int
pipe_read_lines(struct cmdpipe *p, pipe_line_cb *line_cb, pipe_err_cb *err_cb,
		void *arg)
{
	int i, r;

	for (i = 0; i < PIPE_READS_PER_CALL; i++) {
		r = pipe_reader_read(p->reader, line_cb, err_cb, arg);
		if (r == WARD_ERR_AGAIN)
			return WARD_OK;
		if (r != WARD_OK)
			return r;
	}
	return WARD_OK;
}

void
pipe_close(struct cmdpipe *p, int unlink_path)
{
	struct stat st;

	if (p == NULL)
		return;
	if (unlink_path && p->path != NULL && lstat(p->path, &st) == 0 &&
	    S_ISFIFO(st.st_mode) && st.st_dev == p->dev && st.st_ino == p->ino)
		unlink(p->path);
	pipe_reader_free(p->reader);
	if (p->wfd != -1)
		close(p->wfd);
	if (p->rfd != -1)
		close(p->rfd);
	free(p->path);
	free(p);
}
