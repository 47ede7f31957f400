/*
 * audit_child.c: `/audit DOMAIN` from the UI or the pipe. The audit is
 * blocking, so it never runs in this process: it runs as a child
 * (`ward audit DOMAIN --tsv --account NAME --config-dir DIR`, with the
 * current account's DNS settings and ca_file; the password is never passed:
 * the child takes it from ward.conf as a login does, for the rules that
 * need one, and only when DOMAIN is the account's), and its lines are read
 * on the loop and relayed as one `audit` event per check and an
 * `audit-end`. One audit at a time; the child dies with ward
 * (PR_SET_PDEATHSIG).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "account.h"
#include "audit.h"
#include "config.h"
#include "core.h"
#include "event.h"
#include "loop.h"
#include "ward.h"

#define AUDIT_CHILD_MAX_OUTPUT 65536

struct audit_child {
	struct ward *w;
	char *account;
	char domain[DNS_NAME_MAX + 1];
	pid_t pid;
	int fd;
	char buf[AUDIT_CHILD_MAX_OUTPUT];
	size_t len;
	int ended; /* an "end" line came */
	int ok;
};

static struct audit_child *running;

/* One line of the child's output as an event. */
static void
relay_line(struct audit_child *c, char *line)
{
	char *f[6];
	size_t n = 0;
	struct event ev;

	f[n++] = line;
	while (n < 6 && (line = strchr(line, '\t')) != NULL) {
		*line++ = '\0';
		f[n++] = line;
	}
	if (n == 2 && strcmp(f[0], "end") == 0) {
		c->ended = 1;
		c->ok = strcmp(f[1], "1") == 0;
		return;
	}
	if (n != 6 || strcmp(f[0], "check") != 0)
		return;
	event_init(&ev, EV_AUDIT, c->account);
	event_str(&ev, "domain", c->domain);
	event_str(&ev, "id", f[1]);
	event_str(&ev, "level", f[2]);
	event_str(&ev, "verdict", f[3]);
	event_str(&ev, "rule", f[4]);
	event_str(&ev, "evidence", f[5]);
	event_emit(&ev);
}

static void
finish(struct audit_child *c)
{
	struct event ev;
	int st = 0, code = -1;

	loop_del_fd(c->w->loop, c->fd);
	close(c->fd);
	while (waitpid(c->pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(st))
		code = WEXITSTATUS(st);
	event_init(&ev, EV_AUDIT_END, c->account);
	event_str(&ev, "domain", c->domain);
	event_bool(&ev, "ok", c->ended && c->ok);
	event_bool(&ev, "complete", c->ended);
	event_int(&ev, "status", code);
	event_emit(&ev);
	free(c->account);
	free(c);
	running = NULL;
}

static void
child_readable(void *arg, int fd, short revents)
{
	struct audit_child *c = arg;
	ssize_t r;
	char *nl;

	(void)revents;
	r = read(fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len);
	if (r < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (r <= 0) {
		finish(c);
		return;
	}
	c->len += (size_t)r;
	c->buf[c->len] = '\0';
	while ((nl = memchr(c->buf, '\n', c->len)) != NULL) {
		size_t used = (size_t)(nl - c->buf) + 1;
		*nl = '\0';
		relay_line(c, c->buf);
		memmove(c->buf, c->buf + used, c->len - used);
		c->len -= used;
	}
	if (c->len >= sizeof(c->buf) - 1) {
		/* a line longer than the whole buffer: not ours */
		kill(c->pid, SIGTERM);
		finish(c);
	}
}

int
audit_child_start(struct ward *w, struct account *a, const char *domain)
{
	const struct account_config *cfg = a ? a->cfg : NULL;
	char dom[DNS_NAME_MAX + 1], *argv[32], *stubs[DNS_MAX_STUBS];
	struct audit_child *c;
	int p[2], nul;
	size_t n = 0, i, ns = 0;
	pid_t pid;

	if (dns_name_check(domain, dom) != WARD_OK) {
		event_error(a ? a->name : NULL, "bad-domain",
			    "/audit needs a domain name (ASCII, A-labels)");
		return WARD_ERR_INVAL;
	}
	if (running != NULL) {
		event_error(
		    a ? a->name : NULL, "audit-busy",
		    "an audit is already running; wait for its audit-end");
		return WARD_ERR_INVAL;
	}
	argv[n++] = "ward";
	argv[n++] = "audit";
	argv[n++] = dom;
	argv[n++] = "--tsv";
	if (cfg != NULL && w->cfg->dir != NULL) {
		argv[n++] = "--account";
		argv[n++] = cfg->name;
		argv[n++] = "--config-dir";
		argv[n++] = w->cfg->dir;
	}
	if (cfg != NULL && cfg->ca_file != NULL) {
		argv[n++] = "--ca-file";
		argv[n++] = cfg->ca_file;
	}
	if (cfg != NULL && cfg->dns_trust_anchor != NULL) {
		argv[n++] = "--dns-trust-anchor";
		argv[n++] = cfg->dns_trust_anchor;
	}
	for (i = 0; cfg != NULL && i < cfg->nstubs && i < DNS_MAX_STUBS; i++) {
		xasprintf(&stubs[ns], "%s %s@%u", cfg->stubs[i].zone,
			  cfg->stubs[i].addr, cfg->stubs[i].port);
		argv[n++] = "--dns-stub";
		argv[n++] = stubs[ns++];
	}
	argv[n] = NULL;
	if (pipe2(p, O_CLOEXEC) != 0) {
		for (i = 0; i < ns; i++)
			free(stubs[i]);
		event_error(a ? a->name : NULL, "audit-failed",
			    "cannot start the audit (pipe)");
		return WARD_ERR_SYSTEM;
	}
	nul = open("/dev/null", O_RDWR | O_CLOEXEC);
	pid = fork();
	if (pid == 0) {
		/* only async-signal-safe calls until exec */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		dup2(nul, 0);
		dup2(p[1], 1);
		dup2(nul, 2);
		close_range(3, ~0U, 0); /* no socket or database of ours */
		execv("/proc/self/exe", argv);
		_exit(127);
	}
	close(p[1]);
	if (nul >= 0)
		close(nul);
	for (i = 0; i < ns; i++)
		free(stubs[i]);
	if (pid < 0) {
		close(p[0]);
		event_error(a ? a->name : NULL, "audit-failed",
			    "cannot start the audit (fork)");
		return WARD_ERR_SYSTEM;
	}
	c = xcalloc(1, sizeof(*c));
	c->w = w;
	c->account = a ? xstrdup(a->name) : NULL;
	snprintf(c->domain, sizeof(c->domain), "%s", dom);
	c->pid = pid;
	c->fd = p[0];
	fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
	if (loop_add_fd(w->loop, c->fd, POLLIN, child_readable, c) != 0) {
		kill(pid, SIGTERM);
		running = c;
		finish(c);
		return WARD_ERR_SYSTEM;
	}
	running = c;
	return WARD_OK;
}
