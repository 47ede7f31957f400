/*
 * pipe.h: the command pipe (a FIFO checked like tmux checks its socket
 * directory) and the bounded line reader that the pipe and headless stdin
 * share. One command a line, exactly as typed in the UI.
 */
#ifndef WARD_PIPE_H
#define WARD_PIPE_H

#include <stddef.h>

/* Longest accepted line in bytes, without its "\n" or "\r\n". */
#define PIPE_MAX_LINE 65536

/* Called with each complete line: NUL-terminated (line[len] == '\0'),
 * without "\n" or "\r\n", never holding a NUL byte. Valid only during the
 * call. */
typedef void pipe_line_cb(void *arg, const char *line, size_t len);
/* Called with a one-line reason for a line that was dropped. */
typedef void pipe_err_cb(void *arg, const char *why);

/*
 * A line splitter on any readable fd (the FIFO, or stdin in headless
 * mode). Bounded memory: at most PIPE_MAX_LINE + 2 bytes of a partial line
 * and one read chunk. A line longer than PIPE_MAX_LINE gives one err_cb
 * ("command line too long (65536 bytes max)") as soon as it is known, and
 * its bytes up to the next '\n' are discarded; a line holding a NUL byte
 * gives one err_cb ("command line contains a NUL byte") and is dropped.
 * Callbacks must not free the reader (set a flag and free it afterwards).
 */
struct pipe_reader;

/* Makes a reader on fd; the caller keeps owning fd. *out is freed with
 * pipe_reader_free(). WARD_OK or WARD_ERR_NOMEM. */
int pipe_reader_new(int fd, struct pipe_reader **out);

/*
 * Does one read() on the fd (safe on a blocking fd that poll() called
 * readable) and calls line_cb/err_cb for what it completes. Returns
 * WARD_OK after reading data, WARD_ERR_AGAIN when nothing was there
 * (EAGAIN/EINTR), WARD_ERR_CLOSED at end of file (a last line without a
 * '\n' is passed to line_cb first; every later call returns
 * WARD_ERR_CLOSED too) or WARD_ERR_SYSTEM (errno set). err_cb may be NULL.
 */
int pipe_reader_read(struct pipe_reader *r, pipe_line_cb *line_cb,
		     pipe_err_cb *err_cb, void *arg);

void pipe_reader_free(struct pipe_reader *r);

/*
 * Sets *out (caller frees) to "$XDG_RUNTIME_DIR/ward/<account>.cmd".
 * WARD_ERR_NOTFOUND when XDG_RUNTIME_DIR is unset or empty, WARD_ERR_INVAL
 * when it is not absolute or the account name is not a plain file name
 * (empty, ".", "..", holding '/'): the caller must then be given --pipe.
 */
int pipe_default_path(const char *account, char **out);

struct cmdpipe;

/*
 * Opens the command pipe at path:
 * - makes the parent directory (mode 0700) if missing (only that last
 *   component) and refuses it unless lstat() says it is a directory owned
 *   by us with no group or other bits;
 * - makes the FIFO (mode 0600) if missing, and refuses a path that is a
 *   symlink, not a FIFO, not ours, or whose mode is not exactly 0600;
 * - opens it O_RDONLY|O_NONBLOCK|O_NOFOLLOW and checks that the fd is the
 *   FIFO it checked (device and inode), and keeps a write end open itself
 *   so that writers coming and going never make the fd readable at EOF.
 * On success *out is the pipe (free with pipe_close()). On failure *why
 * (may be NULL; the caller frees it) is one line "PATH: reason" and the
 * return is WARD_ERR_POLICY (refused), WARD_ERR_SYSTEM or WARD_ERR_NOMEM.
 */
int pipe_open(const char *path, struct cmdpipe **out, char **why);

/* The fd to poll for POLLIN. */
int pipe_fd(const struct cmdpipe *p);

/* The path the pipe was opened with. */
const char *pipe_path(const struct cmdpipe *p);

/*
 * Reads what is waiting (several reads, bounded per call) and calls
 * line_cb/err_cb as pipe_reader_read() does. Returns WARD_OK or
 * WARD_ERR_SYSTEM (WARD_ERR_CLOSED cannot happen: the pipe holds its own
 * write end). Callbacks must not close the pipe.
 */
int pipe_read_lines(struct cmdpipe *p, pipe_line_cb *line_cb,
		    pipe_err_cb *err_cb, void *arg);

/*
 * Closes the pipe and frees p. With unlink_path, removes the FIFO, but
 * only if the path still names the FIFO that was opened.
 */
void pipe_close(struct cmdpipe *p, int unlink_path);

#endif
