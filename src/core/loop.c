/*
 * loop.c: the poll() event loop (see loop.h). Descriptors and timers live in
 * small arrays: ward watches a handful of fds and timers, so linear scans are
 * cheaper than any heap.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loop.h"
#include "ward.h"

struct loop_fd {
	int fd;
	short events;
	loop_io_cb cb;
	void *arg;
};

struct loop_timer {
	uint64_t id;
	int64_t due;
	loop_timer_cb cb;
	void *arg;
};

#define LOOP_MAX_SIGNALS 8
struct loop_sig {
	int signo;
	loop_signal_cb cb;
	void *arg;
};

struct loop {
	struct loop_fd *fds;
	size_t nfds, capfds;
	struct loop_timer *timers;
	size_t ntimers, captimers;
	uint64_t next_timer_id;
	struct loop_sig sigs[LOOP_MAX_SIGNALS];
	size_t nsigs;
	loop_hook_cb prepoll;
	void *prepoll_arg;
	int quit;
	int status;
	uint64_t wakeups;
	int generation;		/* bumped when the fd table changes */
};

static int loop_sigpipe[2] = { -1, -1 };	/* global: signal self-pipe */

static void
loop_sig_handler(int signo)
{
	int saved = errno;
	unsigned char b = (unsigned char)signo;
	ssize_t r = write(loop_sigpipe[1], &b, 1);
	(void)r;
	errno = saved;
}

static void
loop_sig_readable(void *arg, int fd, short revents)
{
	struct loop *l = arg;
	unsigned char buf[64];
	ssize_t n;
	size_t i, j;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < (size_t)n; i++)
			for (j = 0; j < l->nsigs; j++)
				if (l->sigs[j].signo == buf[i])
					l->sigs[j].cb(l->sigs[j].arg, buf[i]);
	}
}

struct loop *
loop_new(void)
{
	struct loop *l = xcalloc(1, sizeof(*l));

	l->next_timer_id = 1;
	return l;
}

void
loop_free(struct loop *l)
{
	if (l == NULL)
		return;
	free(l->fds);
	free(l->timers);
	free(l);
}

int
loop_add_fd(struct loop *l, int fd, short events, loop_io_cb cb, void *arg)
{
	size_t i;

	for (i = 0; i < l->nfds; i++)
		if (l->fds[i].fd == fd)
			return WARD_ERR_INVAL;
	if (l->nfds == l->capfds) {
		l->capfds = l->capfds ? l->capfds * 2 : 16;
		l->fds = xrealloc(l->fds, l->capfds * sizeof(*l->fds));
	}
	l->fds[l->nfds].fd = fd;
	l->fds[l->nfds].events = events;
	l->fds[l->nfds].cb = cb;
	l->fds[l->nfds].arg = arg;
	l->nfds++;
	l->generation++;
	return WARD_OK;
}

void
loop_set_events(struct loop *l, int fd, short events)
{
	size_t i;

	for (i = 0; i < l->nfds; i++)
		if (l->fds[i].fd == fd)
			l->fds[i].events = events;
}

void
loop_del_fd(struct loop *l, int fd)
{
	size_t i;

	for (i = 0; i < l->nfds; i++) {
		if (l->fds[i].fd == fd) {
			l->fds[i] = l->fds[l->nfds - 1];
			l->nfds--;
			l->generation++;
			return;
		}
	}
}

uint64_t
loop_timer_add(struct loop *l, int64_t delay_ms, loop_timer_cb cb, void *arg)
{
	struct loop_timer *t;

	if (l->ntimers == l->captimers) {
		l->captimers = l->captimers ? l->captimers * 2 : 16;
		l->timers = xrealloc(l->timers, l->captimers * sizeof(*l->timers));
	}
	t = &l->timers[l->ntimers++];
	t->id = l->next_timer_id++;
	t->due = now_ms() + (delay_ms < 0 ? 0 : delay_ms);
	t->cb = cb;
	t->arg = arg;
	return t->id;
}

void
loop_timer_cancel(struct loop *l, uint64_t id)
{
	size_t i;

	if (id == 0)
		return;
	for (i = 0; i < l->ntimers; i++) {
		if (l->timers[i].id == id) {
			l->timers[i] = l->timers[l->ntimers - 1];
			l->ntimers--;
			return;
		}
	}
}

int
loop_signal(struct loop *l, int signo, loop_signal_cb cb, void *arg)
{
	struct sigaction sa;

	if (l->nsigs == LOOP_MAX_SIGNALS)
		return WARD_ERR_LIMIT;
	if (loop_sigpipe[0] == -1) {
		if (pipe2(loop_sigpipe, O_CLOEXEC | O_NONBLOCK) == -1)
			return WARD_ERR_SYSTEM;
		loop_add_fd(l, loop_sigpipe[0], POLLIN, loop_sig_readable, l);
	}
	l->sigs[l->nsigs].signo = signo;
	l->sigs[l->nsigs].cb = cb;
	l->sigs[l->nsigs].arg = arg;
	l->nsigs++;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = loop_sig_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	if (sigaction(signo, &sa, NULL) == -1)
		return WARD_ERR_SYSTEM;
	return WARD_OK;
}

void
loop_set_prepoll(struct loop *l, loop_hook_cb cb, void *arg)
{
	l->prepoll = cb;
	l->prepoll_arg = arg;
}

void
loop_quit(struct loop *l, int status)
{
	l->quit = 1;
	l->status = status;
}

uint64_t
loop_wakeups(const struct loop *l)
{
	return l->wakeups;
}

static int loop_next_timeout(const struct loop *l);

/* Runs every timer that is due; returns ms until the next one or -1. */
static int
loop_run_timers(struct loop *l)
{
	int64_t now;
	size_t i;
	int fired;

	/*
	 * Due timers fire earliest first, and in the order they were added
	 * when equally due (ids grow), whatever order the array is in: a
	 * deferred free added before loop_quit's timer runs before it.
	 */
	do {
		size_t first = l->ntimers;

		fired = 0;
		now = now_ms();
		for (i = 0; i < l->ntimers; i++) {
			if (l->timers[i].due > now)
				continue;
			if (first == l->ntimers ||
			    l->timers[i].due < l->timers[first].due ||
			    (l->timers[i].due == l->timers[first].due &&
			    l->timers[i].id < l->timers[first].id))
				first = i;
		}
		if (first < l->ntimers) {
			struct loop_timer t = l->timers[first];
			l->timers[first] = l->timers[l->ntimers - 1];
			l->ntimers--;
			t.cb(t.arg);
			fired = 1;	/* the array may have changed */
		}
	} while (fired && !l->quit);
	return loop_next_timeout(l);
}

/* Milliseconds until the next timer is due, or -1 without one. */
static int
loop_next_timeout(const struct loop *l)
{
	int64_t now, next = -1;
	size_t i;

	now = now_ms();
	for (i = 0; i < l->ntimers; i++) {
		int64_t d = l->timers[i].due - now;
		if (d < 0)
			d = 0;
		if (next < 0 || d < next)
			next = d;
	}
	if (next > 24 * 3600 * 1000)
		next = 24 * 3600 * 1000;
	return (int)next;
}

int
loop_run(struct loop *l)
{
	struct pollfd *pfds = NULL;
	size_t cap = 0, n, i;
	int timeout, r, gen;

	while (!l->quit) {
		timeout = loop_run_timers(l);
		if (l->quit)
			break;
		if (l->prepoll != NULL) {
			l->prepoll(l->prepoll_arg);
			/* the hook may have added a timer (a frontend asking
			 * for something from the loop rather than inside it) */
			timeout = loop_next_timeout(l);
		}
		if (l->nfds > cap) {
			cap = l->nfds;
			pfds = xrealloc(pfds, cap * sizeof(*pfds));
		}
		n = l->nfds;
		for (i = 0; i < n; i++) {
			pfds[i].fd = l->fds[i].fd;
			pfds[i].events = l->fds[i].events;
			pfds[i].revents = 0;
		}
		r = poll(pfds, n, timeout);
		l->wakeups++;
		if (r < 0) {
			if (errno == EINTR)
				continue;
			l->status = WARD_ERR_SYSTEM;
			break;
		}
		gen = l->generation;
		for (i = 0; i < n && !l->quit; i++) {
			size_t j;
			if (pfds[i].revents == 0)
				continue;
			/* find the watcher again: callbacks may change the table */
			for (j = 0; j < l->nfds; j++)
				if (l->fds[j].fd == pfds[i].fd)
					break;
			if (j == l->nfds)
				continue;
			if (gen != l->generation && l->fds[j].events == 0)
				continue;
			l->fds[j].cb(l->fds[j].arg, pfds[i].fd, pfds[i].revents);
		}
	}
	free(pfds);
	return l->status;
}
