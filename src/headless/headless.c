/*
 * headless.c: the frontend without a screen: events go to stdout as JSON
 * lines; commands come from the command pipe and from stdin when stdin is
 * not a terminal. Both feed the same ward_command() as the UI.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "account.h"
#include "buf.h"
#include "core.h"
#include "event.h"
#include "headless.h"
#include "loop.h"
#include "pipe.h"
#include "ward.h"

#define HEADLESS_OUT_FLUSH (256 * 1024)	/* write at once past this */
#define HEADLESS_OUT_MAX (64u << 20)

struct headless {
	struct wbuf out;	/* event lines not written yet */
	struct ward *w;
	struct cmdpipe *pipe;
	struct pipe_reader *stdin_reader;
	int stdout_broken;
};

static void
headless_write_all(struct headless *h, const char *s, size_t n)
{
	ssize_t w;

	while (n > 0 && !h->stdout_broken) {
		w = write(1, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN) {
			struct pollfd p = { 1, POLLOUT, 0 };
			poll(&p, 1, 1000);
			continue;
		}
		if (w <= 0) {
			h->stdout_broken = 1;	/* reader gone: keep running */
			return;
		}
		s += w;
		n -= (size_t)w;
	}
}

/* Writes the buffered event lines (one write for a whole loop turn). */
static void
headless_flush(void *arg)
{
	struct headless *h = arg;

	if (wbuf_avail(&h->out) == 0)
		return;
	headless_write_all(h, (const char *)wbuf_ptr(&h->out),
	    wbuf_avail(&h->out));
	wbuf_reset(&h->out);
}

static void
headless_event(void *arg, const struct event *ev)
{
	struct headless *h = arg;
	size_t len;
	char *line = event_to_json(ev, &len);

	if (line == NULL)
		return;
	if (wbuf_avail(&h->out) + len > HEADLESS_OUT_FLUSH)
		headless_flush(h);
	if (wbuf_put(&h->out, line, len) != WARD_OK)
		headless_write_all(h, line, len);	/* too big to buffer */
	free(line);
}

static void
headless_line(void *arg, const char *line, size_t len)
{
	struct headless *h = arg;

	if (len == 0)
		return;
	ward_command(h->w, line, len);
}

static void
headless_bad_line(void *arg, const char *why)
{
	struct headless *h = arg;

	event_error(h->w->current ? h->w->current->name : NULL, "command",
	    why);
}

static void
headless_pipe_readable(void *arg, int fd, short revents)
{
	struct headless *h = arg;

	(void)fd;
	(void)revents;
	pipe_read_lines(h->pipe, headless_line, headless_bad_line, h);
}

static void
headless_stdin_readable(void *arg, int fd, short revents)
{
	struct headless *h = arg;
	int r;

	(void)revents;
	r = pipe_reader_read(h->stdin_reader, headless_line, headless_bad_line,
	    h);
	if (r == WARD_ERR_CLOSED || r == WARD_ERR_SYSTEM) {
		/* stdin ended: the pipe stays the way to send commands */
		loop_del_fd(h->w->loop, fd);
		pipe_reader_free(h->stdin_reader);
		h->stdin_reader = NULL;
	}
}

struct headless *
headless_new(struct ward *w, const char *pipe_path, int read_stdin,
    char **why)
{
	struct headless *h = xcalloc(1, sizeof(*h));

	*why = NULL;
	h->w = w;
	wbuf_init(&h->out, HEADLESS_OUT_MAX);
	event_subscribe(headless_event, h);
	event_subscribe_flush(headless_flush, h);
	if (pipe_path != NULL) {
		if (pipe_open(pipe_path, &h->pipe, why) != WARD_OK) {
			if (*why == NULL)
				xasprintf(why, "%s: cannot open the command "
				    "pipe", pipe_path);
			event_unsubscribe(h);
			wbuf_free(&h->out);
			free(h);
			return NULL;
		}
		loop_add_fd(w->loop, pipe_fd(h->pipe), POLLIN,
		    headless_pipe_readable, h);
	}
	if (read_stdin && pipe_reader_new(0, &h->stdin_reader) == WARD_OK)
		loop_add_fd(w->loop, 0, POLLIN, headless_stdin_readable, h);
	return h;
}

void
headless_free(struct headless *h)
{
	if (h == NULL)
		return;
	headless_flush(h);
	event_unsubscribe(h);	/* later events have nowhere to go */
	if (h->pipe != NULL) {
		loop_del_fd(h->w->loop, pipe_fd(h->pipe));
		pipe_close(h->pipe, 1);
	}
	if (h->stdin_reader != NULL) {
		loop_del_fd(h->w->loop, 0);
		pipe_reader_free(h->stdin_reader);
	}
	wbuf_free(&h->out);
	free(h);
}
