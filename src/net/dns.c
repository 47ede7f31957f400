/*
 * dns.c: validating, asynchronous DNS for XMPP. libunbound resolves and
 * validates in ward's resolver process (dns_helper.c, started by
 * dns_link.c when a lookup is needed, let go once connected); this file
 * owns the requests, their one pollable fd, timeouts and callbacks.
 * dns_answer.c turns answers into results.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/queue.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <unbound.h>

#include "ward.h"
#include "dns.h"
#include "dns_helper.h"
#include "dns_wire.h"

#define DNS_CLASS_IN 1

enum dns_kind { DNS_KIND_SRV, DNS_KIND_ADDR, DNS_KIND_TLSA, DNS_KIND_CAA };

struct dns_req;

/* One libunbound query of a request. */
struct dns_sub {
	struct dns_req *req;
	uint32_t id;           /* in the resolver process */
	int active;            /* asked and not answered yet */
	int uberr;             /* libunbound error of the answer */
	struct ub_result *res; /* owned: dns_wire_result_free */
};

/* One lookup as the caller sees it: one or two queries, one callback. */
struct dns_req {
	struct dns *d;
	TAILQ_ENTRY(dns_req) entry;
	enum dns_kind kind;
	char *name; /* domain or host, no trailing dot; owned */
	unsigned port;
	struct dns_sub sub[2];
	int nsub;
	int pending; /* subs still active */
	union {
		dns_srv_cb srv;
		dns_addr_cb addr;
		dns_tlsa_cb tlsa;
		dns_caa_cb caa;
	} cb;
	void *arg;
	struct dns_addr_result *ready; /* an answer known without a query */
	int64_t deadline;              /* now_ms() after which it fails */
};
TAILQ_HEAD(dns_reqs, dns_req);

struct dns {
	struct dns_link link; /* the resolver process; fd -1 when none */
	struct dns_opts opts; /* owned copy, sent to each new process */
	uint32_t next_id;     /* of the next query */
	int epfd;             /* what dns_fd() returns */
	int evfd;             /* readable while "ready" is not empty */
	int tfd;              /* timerfd: the earliest deadline in "reqs" */
	unsigned timeout_ms;
	struct dns_reqs reqs;  /* waiting for libunbound */
	struct dns_reqs ready; /* answered without a query */
	size_t nreqs, nready;
	int in_process; /* depth of dns_process() calls */
	int dead;       /* dns_free() ran inside dns_process() */
};

int
dns_name_check(const char *name, char *out)
{
	size_t n, i, lab = 0;

	if (name == NULL)
		return WARD_ERR_INVAL;
	n = strlen(name);
	if (n > 0 && name[n - 1] == '.')
		n--;
	if (n == 0 || n > DNS_NAME_MAX)
		return WARD_ERR_INVAL;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c == '.') {
			if (lab == 0)
				return WARD_ERR_INVAL;
			lab = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return WARD_ERR_INVAL;
		if (++lab > 63)
			return WARD_ERR_INVAL;
	}
	if (lab == 0)
		return WARD_ERR_INVAL; /* "a.b..": an empty last label */
	memcpy(out, name, n);
	out[n] = '\0';
	return WARD_OK;
}

/*
 * The resolver object.
 */

static void
dns_req_free(struct dns_req *r)
{
	int i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nsub; i++)
		dns_wire_result_free(r->sub[i].res);
	dns_addr_result_free(r->ready);
	free(r->name);
	free(r);
}

/*
 * Tells the resolver process to drop a query. Nothing is lost if that
 * cannot be sent: its answer would find no query and be dropped.
 */
static void
dns_sub_cancel(struct dns *d, struct dns_sub *s)
{
	s->active = 0;
	if (d->link.fd >= 0 &&
	    dns_wire_put_cancel(&d->link.out, s->id) == WARD_OK)
		(void)dns_link_flush(&d->link, d->epfd);
}

/* What libunbound's error codes mean, for the debug log. */
static const char *
dns_uberr_text(int uberr)
{
	switch (uberr) {
	case UB_NOERROR:
		return "no error";
	case UB_SOCKET:
		return "socket error";
	case UB_NOMEM:
		return "out of memory (or the answer was too large)";
	case UB_SYNTAX:
		return "syntax error";
	case UB_SERVFAIL:
		return "server failure";
	case UB_FORKFAIL:
		return "could not fork";
	case UB_AFTERFINAL:
		return "setting changed after the first query";
	case UB_INITFAIL:
		return "the resolver could not be set up";
	case UB_PIPE:
		return "pipe error";
	case UB_READFILE:
		return "could not read a file";
	case UB_NOID:
		return "no such query";
	}
	return "unknown error";
}

/* Unlinks r, cancels its queries (no callback will come) and frees it. */
static void
dns_req_cancel(struct dns *d, struct dns_req *r)
{
	int i;

	if (r->ready != NULL) {
		TAILQ_REMOVE(&d->ready, r, entry);
		d->nready--;
	} else {
		TAILQ_REMOVE(&d->reqs, r, entry);
		d->nreqs--;
	}
	for (i = 0; i < r->nsub; i++)
		if (r->sub[i].active)
			dns_sub_cancel(d, &r->sub[i]);
	dns_req_free(r);
}

static int
dns_map_uberr(int uberr)
{
	switch (uberr) {
	case UB_NOERROR:
		return WARD_OK;
	case UB_NOMEM:
		return WARD_ERR_NOMEM;
	case UB_SYNTAX:
	case UB_INITFAIL:
	case UB_READFILE:
	case UB_AFTERFINAL:
		return WARD_ERR_INVAL;
	case UB_SERVFAIL:
		return WARD_ERR_AGAIN;
	}
	return WARD_ERR_SYSTEM;
}

/*
 * Calls r's callback with its merged answer, or with err when that is set,
 * and frees r (already unlinked).
 */
static void
dns_req_deliver(struct dns_req *r, int err)
{
	void *res = NULL;
	int i;

	for (i = 0; i < r->nsub && err == WARD_OK; i++) {
		if (r->sub[i].uberr != UB_NOERROR) {
			log_debug("%s: %s", r->name,
				  dns_uberr_text(r->sub[i].uberr));
			err = dns_map_uberr(r->sub[i].uberr);
			break;
		}
	}
	if (err == WARD_OK) {
		switch (r->kind) {
		case DNS_KIND_SRV:
			err = dns_srv_merge(r->name, r->sub[0].res,
					    r->sub[1].res, NULL, NULL,
					    (struct dns_srv_result **)&res);
			break;
		case DNS_KIND_ADDR:
			if (r->ready != NULL) {
				res = r->ready; /* transferred */
				r->ready = NULL;
			} else
				err = dns_addr_merge(
				    r->sub[0].res, r->sub[1].res, r->port,
				    (struct dns_addr_result **)&res);
			break;
		case DNS_KIND_TLSA:
			err = dns_tlsa_merge(r->sub[0].res,
					     (struct dns_tlsa_result **)&res);
			break;
		case DNS_KIND_CAA:
			err = dns_caa_merge(r->sub[0].res,
					    (struct dns_caa_result **)&res);
			break;
		}
	}
	switch (r->kind) {
	case DNS_KIND_SRV:
		r->cb.srv(r->arg, err, res);
		break;
	case DNS_KIND_ADDR:
		r->cb.addr(r->arg, err, res);
		break;
	case DNS_KIND_TLSA:
		r->cb.tlsa(r->arg, err, res);
		break;
	case DNS_KIND_CAA:
		r->cb.caa(r->arg, err, res);
		break;
	}
	dns_req_free(r);
}

/* An answer from the resolver process, inside dns_process(). */
static void
dns_sub_done(struct dns_sub *s, int uberr, struct ub_result *result)
{
	struct dns_req *r = s->req;
	struct dns *d = r->d;

	s->active = 0;
	s->uberr = uberr;
	s->res = result; /* transferred */
	if (--r->pending > 0)
		return;
	TAILQ_REMOVE(&d->reqs, r, entry);
	d->nreqs--;
	dns_req_deliver(r, WARD_OK);
}

/* Frees the strings of an owned copy made by dns_opts_copy. */
static void
dns_opts_clear(struct dns_opts *o)
{
	size_t i;

	free((char *)o->root_anchor_file);
	free((char *)o->trust_anchor_file);
	free((char *)o->resolv_conf);
	for (i = 0; i < o->nstubs; i++) {
		free((char *)o->stubs[i].zone);
		free((char *)o->stubs[i].addr);
	}
	memset(o, 0, sizeof(*o));
}

/* A deep copy of o, so that the resolver can be made again later. */
static int
dns_opts_copy(struct dns_opts *dst, const struct dns_opts *o)
{
	size_t i;
	int bad = 0;

	memset(dst, 0, sizeof(*dst));
	dst->timeout_ms = o->timeout_ms;
#define DNS_DUP(f)                                                             \
	do {                                                                   \
		if (o->f != NULL && (dst->f = strdup(o->f)) == NULL)           \
			bad = 1;                                               \
	} while (0)
	DNS_DUP(root_anchor_file);
	DNS_DUP(trust_anchor_file);
	DNS_DUP(resolv_conf);
	for (i = 0; i < o->nstubs; i++) {
		DNS_DUP(stubs[i].zone);
		DNS_DUP(stubs[i].addr);
		dst->stubs[i].port = o->stubs[i].port;
		dst->nstubs = i + 1;
	}
#undef DNS_DUP
	if (bad) {
		dns_opts_clear(dst);
		return WARD_ERR_NOMEM;
	}
	return WARD_OK;
}

/*
 * Checks the settings the resolver process will be given, so that a bad
 * one is reported at start-up: WARD_ERR_INVAL for a bad stub or a trust
 * anchor file that cannot be read.
 */
static int
dns_opts_check(const struct dns_opts *o)
{
	char zone[DNS_NAME_MAX + 1];
	struct in6_addr a6;
	size_t i;
	int fd;

	for (i = 0; i < o->nstubs; i++) {
		const char *z = o->stubs[i].zone;
		unsigned port = o->stubs[i].port;

		if (z == NULL ||
		    (strcmp(z, ".") != 0 && dns_name_check(z, zone) != WARD_OK))
			return WARD_ERR_INVAL;
		if (o->stubs[i].addr == NULL || port == 0 || port > 65535 ||
		    (inet_pton(AF_INET, o->stubs[i].addr, &a6) != 1 &&
		     inet_pton(AF_INET6, o->stubs[i].addr, &a6) != 1))
			return WARD_ERR_INVAL;
	}
	if (o->trust_anchor_file != NULL) {
		/* libunbound reads it only at the first query: check now */
		if ((fd = open(o->trust_anchor_file, O_RDONLY | O_CLOEXEC)) < 0)
			return WARD_ERR_INVAL;
		close(fd);
	}
	return WARD_OK;
}

int
dns_new(const struct dns_opts *o, struct dns **out)
{
	struct epoll_event ev;
	struct dns *d;
	int err;

	*out = NULL;
	if (o == NULL || o->nstubs > DNS_MAX_STUBS)
		return WARD_ERR_INVAL;
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return WARD_ERR_NOMEM;
	d->epfd = d->evfd = d->tfd = -1;
	d->timeout_ms = o->timeout_ms != 0 ? o->timeout_ms : DNS_TIMEOUT_MS;
	TAILQ_INIT(&d->reqs);
	TAILQ_INIT(&d->ready);
	if ((err = dns_opts_copy(&d->opts, o)) != WARD_OK)
		goto out;
	err = WARD_ERR_SYSTEM;
	d->epfd = epoll_create1(EPOLL_CLOEXEC);
	d->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	d->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (d->epfd < 0 || d->evfd < 0 || d->tfd < 0)
		goto out;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	if (epoll_ctl(d->epfd, EPOLL_CTL_ADD, d->evfd, &ev) < 0 ||
	    epoll_ctl(d->epfd, EPOLL_CTL_ADD, d->tfd, &ev) < 0)
		goto out;
	/* the process starts at the first lookup; a bad setting shows now */
	dns_link_init(&d->link);
	if ((err = dns_opts_check(&d->opts)) != WARD_OK)
		goto out;
	*out = d;
	return WARD_OK;
out:
	dns_free(d);
	return err;
}

void
dns_release(struct dns *d)
{
	if (d == NULL || d->link.fd < 0 || d->nreqs != 0 || d->in_process > 0)
		return;
	dns_link_stop(&d->link, d->epfd); /* the process exits */
	log_debug("resolver released until the next lookup");
}

int
dns_fd(struct dns *d)
{
	return d->epfd;
}

size_t
dns_pending(const struct dns *d)
{
	return d->nreqs + d->nready;
}

/* Sets the timerfd to the earliest deadline of the queries (or off). */
static void
dns_arm(struct dns *d)
{
	struct itimerspec its;
	struct dns_req *r;
	int64_t first = INT64_MAX, wait;

	for (r = TAILQ_FIRST(&d->reqs); r != NULL; r = TAILQ_NEXT(r, entry))
		if (r->deadline < first)
			first = r->deadline;
	memset(&its, 0, sizeof(its));
	if (first != INT64_MAX) {
		wait = first - now_ms();
		if (wait < 1)
			wait = 1; /* 0 would disarm it */
		its.it_value.tv_sec = wait / 1000;
		its.it_value.tv_nsec = (wait % 1000) * 1000000;
	}
	if (timerfd_settime(d->tfd, 0, &its, NULL) < 0)
		log_debug("timerfd_settime failed");
}

static void
dns_destroy(struct dns *d)
{
	dns_link_stop(&d->link, d->epfd);
	dns_opts_clear(&d->opts);
	if (d->epfd >= 0)
		close(d->epfd);
	if (d->evfd >= 0)
		close(d->evfd);
	if (d->tfd >= 0)
		close(d->tfd);
	free(d);
}

void
dns_free(struct dns *d)
{
	if (d == NULL || d->dead)
		return;
	while (!TAILQ_EMPTY(&d->reqs))
		dns_req_cancel(d, TAILQ_FIRST(&d->reqs));
	while (!TAILQ_EMPTY(&d->ready))
		dns_req_cancel(d, TAILQ_FIRST(&d->ready));
	if (d->in_process > 0) {
		d->dead = 1; /* dns_process() finishes the job */
		return;
	}
	dns_destroy(d);
}

size_t
dns_cancel_arg(struct dns *d, void *arg)
{
	struct dns_req *r, *next;
	size_t n = 0;

	for (r = TAILQ_FIRST(&d->reqs); r != NULL; r = next) {
		next = TAILQ_NEXT(r, entry);
		if (r->arg == arg) {
			dns_req_cancel(d, r);
			n++;
		}
	}
	for (r = TAILQ_FIRST(&d->ready); r != NULL; r = next) {
		next = TAILQ_NEXT(r, entry);
		if (r->arg == arg) {
			dns_req_cancel(d, r);
			n++;
		}
	}
	if (n > 0 && !d->dead)
		dns_arm(d); /* no wake-up for what was cancelled */
	return n;
}

/* Fails every query past its deadline with WARD_ERR_AGAIN. */
static void
dns_expire(struct dns *d)
{
	struct dns_req *r;
	int64_t now = now_ms();
	int i;

	/* from the head again after each callback: it may change the list */
	while (!d->dead) {
		for (r = TAILQ_FIRST(&d->reqs); r != NULL;
		     r = TAILQ_NEXT(r, entry))
			if (r->deadline <= now)
				break;
		if (r == NULL)
			return;
		TAILQ_REMOVE(&d->reqs, r, entry);
		d->nreqs--;
		for (i = 0; i < r->nsub; i++)
			if (r->sub[i].active)
				dns_sub_cancel(d, &r->sub[i]);
		log_debug("%s: no answer after %u ms", r->name, d->timeout_ms);
		dns_req_deliver(r, WARD_ERR_AGAIN);
	}
}

/* The query with this id that waits for an answer, or NULL. */
static struct dns_sub *
dns_sub_find(struct dns *d, uint32_t id)
{
	struct dns_req *r;
	int i;

	TAILQ_FOREACH(r, &d->reqs, entry)
	for (i = 0; i < r->nsub; i++)
		if (r->sub[i].active && r->sub[i].id == id)
			return &r->sub[i];
	return NULL;
}

/* Fails every request still waiting for the resolver process. */
static void
dns_fail_waiting(struct dns *d, int err)
{
	struct dns_req *r;
	int i;

	while (!d->dead && (r = TAILQ_FIRST(&d->reqs)) != NULL) {
		TAILQ_REMOVE(&d->reqs, r, entry);
		d->nreqs--;
		for (i = 0; i < r->nsub; i++)
			r->sub[i].active = 0;
		dns_req_deliver(r, err);
	}
}

/*
 * Writes what waits for the resolver process and hands its answers to
 * their queries. What it sends is checked like any input; a malformed
 * frame, or the process ending, fails every waiting request (they are
 * tried again with a new process by whoever asked).
 */
static void
dns_link_process(struct dns *d)
{
	const unsigned char *body;
	struct ub_result *res;
	struct dns_sub *s;
	size_t len, total;
	uint32_t id;
	int err, e, kind, uberr;

	err = dns_link_flush(&d->link, d->epfd);
	if (err == WARD_OK)
		err = dns_link_read(&d->link);
	while (!d->dead && d->link.fd >= 0) {
		e = dns_wire_next(&d->link.in, &kind, &body, &len, &total);
		if (e == WARD_ERR_AGAIN)
			break;
		if (e != WARD_OK || kind != DNS_WIRE_ANSWER ||
		    dns_wire_get_answer(body, len, &id, &uberr, &res) !=
			WARD_OK) {
			err = WARD_ERR_PROTO;
			break;
		}
		wbuf_consume(&d->link.in, total);
		if ((s = dns_sub_find(d, id)) == NULL) {
			dns_wire_result_free(res); /* cancelled */
			continue;
		}
		dns_sub_done(s, uberr, res);
	}
	if (err == WARD_OK || d->dead || d->link.fd < 0)
		return;
	if (err != WARD_ERR_CLOSED || d->nreqs > 0)
		log_warn("resolver process: %s; %zu lookups fail",
			 err == WARD_ERR_CLOSED ? "ended" : ward_strerror(err),
			 d->nreqs);
	dns_link_stop(&d->link, d->epfd);
	dns_fail_waiting(d, WARD_ERR_AGAIN);
}

int
dns_process(struct dns *d)
{
	struct epoll_event ev[2];
	struct dns_req *r;
	uint64_t v;
	size_t n;
	int rc = WARD_OK;

	if (d->dead)
		return WARD_OK;
	d->in_process++;
	/* let the epoll set forget readiness that is about to be consumed */
	(void)epoll_wait(d->epfd, ev, 2, 0);
	if (read(d->evfd, &v, sizeof(v)) < 0) {
		/* EAGAIN: nothing queued */
	}
	/* answers queued by callbacks during this loop wait for the next */
	for (n = d->nready; n > 0 && !d->dead; n--) {
		if ((r = TAILQ_FIRST(&d->ready)) == NULL)
			break;
		TAILQ_REMOVE(&d->ready, r, entry);
		d->nready--;
		dns_req_deliver(r, WARD_OK);
	}
	if (!d->dead && d->link.fd >= 0)
		dns_link_process(d);
	if (read(d->tfd, &v, sizeof(v)) < 0) {
		/* EAGAIN: the timer has not fired */
	}
	dns_expire(d);
	if (--d->in_process == 0 && d->dead) {
		dns_destroy(d);
		return rc;
	}
	if (!d->dead)
		dns_arm(d);
	return rc;
}

/* Allocates a request and links it; r->ready or the queries follow. */
static struct dns_req *
dns_req_new(struct dns *d, enum dns_kind kind, const char *name, unsigned port,
	    void *arg)
{
	struct dns_req *r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	if ((r->name = strdup(name)) == NULL) {
		free(r);
		return NULL;
	}
	r->d = d;
	r->kind = kind;
	r->port = port;
	r->arg = arg;
	return r;
}

/* Starts the queries of r and links it; on failure frees r. */
static int
dns_req_start(struct dns *d, struct dns_req *r, const char *const *qnames,
	      const int *types, int n)
{
	int i, err;

	if ((err = dns_link_start(&d->link, d->epfd, &d->opts)) != WARD_OK) {
		log_warn("cannot start the resolver process: %s",
			 ward_strerror(err));
		dns_req_free(r);
		return err == WARD_ERR_INVAL ? WARD_ERR_SYSTEM : err;
	}
	r->nsub = n;
	r->deadline = now_ms() + d->timeout_ms;
	TAILQ_INSERT_TAIL(&d->reqs, r, entry);
	d->nreqs++;
	for (i = 0; i < n; i++) {
		r->sub[i].req = r;
		r->sub[i].id = d->next_id++;
		err = dns_wire_put_query(&d->link.out, r->sub[i].id, types[i],
					 qnames[i]);
		if (err != WARD_OK) {
			log_debug("%s: %s", qnames[i], ward_strerror(err));
			dns_req_cancel(d, r);
			return err;
		}
		r->sub[i].active = 1;
		r->pending++;
	}
	if ((err = dns_link_flush(&d->link, d->epfd)) != WARD_OK) {
		/* the process is gone: dns_process() fails the request */
		log_debug("%s: resolver process unreachable", qnames[0]);
	}
	dns_arm(d);
	return WARD_OK;
}

int
dns_resolve_xmpp(struct dns *d, const char *domain, dns_srv_cb cb, void *arg)
{
	char name[DNS_NAME_MAX + 1], q0[DNS_NAME_MAX + 32],
	    q1[DNS_NAME_MAX + 32];
	const char *qs[2] = {q0, q1};
	const int types[2] = {DNS_TYPE_SRV, DNS_TYPE_SRV};
	struct dns_req *r;

	if (d == NULL || d->dead || cb == NULL ||
	    dns_name_check(domain, name) != WARD_OK)
		return WARD_ERR_INVAL;
	snprintf(q0, sizeof(q0), "_xmpps-client._tcp.%s", name);
	snprintf(q1, sizeof(q1), "_xmpp-client._tcp.%s", name);
	if (strlen(q0) > DNS_NAME_MAX)
		return WARD_ERR_INVAL;
	if ((r = dns_req_new(d, DNS_KIND_SRV, name, 0, arg)) == NULL)
		return WARD_ERR_NOMEM;
	r->cb.srv = cb;
	return dns_req_start(d, r, qs, types, 2);
}

/* An IP literal as an immediate answer; WARD_ERR_NOTFOUND if host is none. */
static int
dns_addr_literal(const char *host, unsigned port, struct dns_addr_result **out)
{
	char buf[INET6_ADDRSTRLEN + 1];
	struct sockaddr_storage sa;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&sa;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&sa;
	size_t n = strlen(host);

	*out = NULL;
	memset(&sa, 0, sizeof(sa));
	if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
		if (n - 2 >= sizeof(buf))
			return WARD_ERR_INVAL;
		memcpy(buf, host + 1, n - 2);
		buf[n - 2] = '\0';
		if (inet_pton(AF_INET6, buf, &s6->sin6_addr) != 1)
			return WARD_ERR_INVAL;
		s6->sin6_family = AF_INET6;
	} else if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
	} else if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
	} else
		return WARD_ERR_NOTFOUND;
	if (sa.ss_family == AF_INET6)
		s6->sin6_port = htons((uint16_t)port);
	else
		s4->sin_port = htons((uint16_t)port);
	if ((*out = calloc(1, sizeof(**out))) == NULL ||
	    ((*out)->addrs = malloc(sizeof(sa))) == NULL) {
		free(*out);
		*out = NULL;
		return WARD_ERR_NOMEM;
	}
	(*out)->sec = DNS_SEC_INSECURE;
	(*out)->addrs[0] = sa;
	(*out)->naddrs = 1;
	return WARD_OK;
}

int
dns_resolve_addr(struct dns *d, const char *host, unsigned port, dns_addr_cb cb,
		 void *arg)
{
	char name[DNS_NAME_MAX + 1];
	const char *qs[2] = {name, name};
	const int types[2] = {DNS_TYPE_AAAA, DNS_TYPE_A};
	struct dns_addr_result *lit;
	struct dns_req *r;
	uint64_t one = 1;
	int err;

	if (d == NULL || d->dead || cb == NULL || host == NULL || port == 0 ||
	    port > 65535)
		return WARD_ERR_INVAL;
	err = dns_addr_literal(host, port, &lit);
	if (err == WARD_OK) {
		if ((r = dns_req_new(d, DNS_KIND_ADDR, host, port, arg)) ==
		    NULL) {
			dns_addr_result_free(lit);
			return WARD_ERR_NOMEM;
		}
		r->cb.addr = cb;
		r->ready = lit; /* transferred */
		TAILQ_INSERT_TAIL(&d->ready, r, entry);
		d->nready++;
		if (write(d->evfd, &one, sizeof(one)) != sizeof(one))
			log_debug("eventfd write failed");
		return WARD_OK;
	}
	if (err != WARD_ERR_NOTFOUND)
		return err;
	if (dns_name_check(host, name) != WARD_OK)
		return WARD_ERR_INVAL;
	if ((r = dns_req_new(d, DNS_KIND_ADDR, name, port, arg)) == NULL)
		return WARD_ERR_NOMEM;
	r->cb.addr = cb;
	return dns_req_start(d, r, qs, types, 2);
}

int
dns_resolve_tlsa(struct dns *d, const char *host, unsigned port, dns_tlsa_cb cb,
		 void *arg)
{
	char name[DNS_NAME_MAX + 1], q[DNS_NAME_MAX + 32];
	const char *qs[1] = {q};
	const int types[1] = {DNS_TYPE_TLSA};
	struct dns_req *r;

	if (d == NULL || d->dead || cb == NULL || port == 0 || port > 65535 ||
	    dns_name_check(host, name) != WARD_OK)
		return WARD_ERR_INVAL;
	snprintf(q, sizeof(q), "_%u._tcp.%s", port, name);
	if (strlen(q) > DNS_NAME_MAX)
		return WARD_ERR_INVAL;
	if ((r = dns_req_new(d, DNS_KIND_TLSA, name, port, arg)) == NULL)
		return WARD_ERR_NOMEM;
	r->cb.tlsa = cb;
	return dns_req_start(d, r, qs, types, 1);
}

int
dns_resolve_caa(struct dns *d, const char *name, dns_caa_cb cb, void *arg)
{
	char q[DNS_NAME_MAX + 1];
	const char *qs[1] = {q};
	const int types[1] = {DNS_TYPE_CAA};
	struct dns_req *r;

	if (d == NULL || d->dead || cb == NULL ||
	    dns_name_check(name, q) != WARD_OK)
		return WARD_ERR_INVAL;
	if ((r = dns_req_new(d, DNS_KIND_CAA, q, 0, arg)) == NULL)
		return WARD_ERR_NOMEM;
	r->cb.caa = cb;
	return dns_req_start(d, r, qs, types, 1);
}
