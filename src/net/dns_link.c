/*
 * dns_link.c: ward's end of the resolver process (dns_helper.c): starting
 * it as a fresh exec of ward's own binary over a socket pair, writing
 * queries without blocking, reading answers, and letting it go.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ward.h"
#include "dns_helper.h"
#include "dns_wire.h"

#define LINK_IN_MAX (2 * (DNS_WIRE_HDR + DNS_WIRE_MAX))
#define LINK_OUT_MAX (64 * 1024)

/*
 * global: ward's own program file, opened at the first dns_link_init and
 * kept, so that the resolver is always this very binary: an upgrade that
 * replaces the file on disk cannot give ward a resolver of another version.
 */
static int link_exe_fd = -1;

void
dns_link_init(struct dns_link *l)
{
	if (link_exe_fd < 0)
		link_exe_fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	memset(l, 0, sizeof(*l));
	l->fd = -1;
	wbuf_init(&l->in, LINK_IN_MAX);
	wbuf_init(&l->out, LINK_OUT_MAX);
}

/*
 * In the grandchild: the socket becomes fd 0 and 1, stderr stays (for
 * sanitizer reports; libunbound's own log goes nowhere), everything else
 * is closed, signals are reset, and the program runs itself again.
 */
static void __attribute__((noreturn)) link_exec(int sock)
{
	char *argv[] = {"ward", DNS_HELPER_ARG, NULL};
	(void)setpgid(0, 0); /* a terminal's ^C is for ward, not for this */
	if (dup2(sock, 0) < 0 || dup2(sock, 1) < 0)
		_exit(127);
	exec_prepare(link_exe_fd); /* close-on-exec itself */
	fexecve(link_exe_fd, argv, environ);
	_exit(127);
}

int
dns_link_start(struct dns_link *l, int epfd, const struct dns_opts *o)
{
	struct epoll_event ev;
	int sv[2], st, err;
	pid_t pid;

	if (l->fd >= 0)
		return WARD_OK;
	if (link_exe_fd < 0) {
		log_warn("cannot open /proc/self/exe to start the resolver");
		return WARD_ERR_SYSTEM;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return WARD_ERR_SYSTEM;
	/*
	 * Fork twice: the middle process exits at once and is reaped here,
	 * so the resolver belongs to init and never lingers as a zombie.
	 */
	if ((pid = fork()) < 0) {
		close(sv[0]);
		close(sv[1]);
		return WARD_ERR_SYSTEM;
	}
	if (pid == 0) {
		close(sv[0]);
		if (fork() == 0)
			link_exec(sv[1]);
		_exit(0);
	}
	close(sv[1]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (fcntl(sv[0], F_SETFL, O_NONBLOCK) < 0) {
		close(sv[0]);
		return WARD_ERR_SYSTEM;
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, sv[0], &ev) < 0) {
		close(sv[0]);
		return WARD_ERR_SYSTEM;
	}
	l->fd = sv[0];
	l->want_out = 0;
	if ((err = dns_wire_put_opts(&l->out, o)) != WARD_OK ||
	    (err = dns_link_flush(l, epfd)) != WARD_OK) {
		dns_link_stop(l, epfd);
		return err;
	}
	log_debug("resolver process started");
	return WARD_OK;
}

int
dns_link_flush(struct dns_link *l, int epfd)
{
	struct epoll_event ev;
	ssize_t n;
	int want;

	if (l->fd < 0)
		return WARD_ERR_CLOSED;
	while (wbuf_avail(&l->out) > 0) {
		n = send(l->fd, wbuf_ptr(&l->out), wbuf_avail(&l->out),
			 MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n < 0)
			return WARD_ERR_CLOSED;
		wbuf_consume(&l->out, (size_t)n);
	}
	want = wbuf_avail(&l->out) > 0;
	if (want != l->want_out) {
		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLIN | (want ? EPOLLOUT : 0);
		if (epoll_ctl(epfd, EPOLL_CTL_MOD, l->fd, &ev) < 0)
			return WARD_ERR_SYSTEM;
		l->want_out = want;
	}
	return WARD_OK;
}

int
dns_link_read(struct dns_link *l)
{
	unsigned char buf[16384];
	ssize_t n;
	int err;

	if (l->fd < 0)
		return WARD_ERR_CLOSED;
	for (;;) {
		n = recv(l->fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return WARD_OK;
		if (n <= 0)
			return WARD_ERR_CLOSED;
		if ((err = wbuf_put(&l->in, buf, (size_t)n)) != WARD_OK)
			return err;
		if ((size_t)n < sizeof(buf))
			return WARD_OK;
	}
}

void
dns_link_stop(struct dns_link *l, int epfd)
{
	if (l->fd < 0)
		return;
	(void)epoll_ctl(epfd, EPOLL_CTL_DEL, l->fd, NULL);
	close(l->fd);
	l->fd = -1;
	l->want_out = 0;
	wbuf_free(&l->in); /* keeps the ceiling for the next start */
	wbuf_free(&l->out);
	log_debug("resolver process let go");
}
