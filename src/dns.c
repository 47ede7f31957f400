/*
 * dns.c: validating, asynchronous DNS for XMPP. libunbound resolves and
 * validates in its worker thread; this file owns the resolver, its one
 * pollable fd, timeouts and callbacks. dns_answer.c turns answers into results.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <malloc.h>
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

#define DNS_CLASS_IN 1

enum dns_kind { DNS_KIND_SRV, DNS_KIND_ADDR, DNS_KIND_TLSA };

struct dns_req;

/* One libunbound query of a request. */
struct dns_sub {
	struct dns_req *req;
	int id;                /* libunbound async id */
	int active;            /* asked and not answered yet */
	int uberr;             /* libunbound error of the answer */
	struct ub_result *res; /* owned: ub_resolve_free */
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
	} cb;
	void *arg;
	struct dns_addr_result *ready; /* an answer known without a query */
	int64_t deadline;              /* now_ms() after which it fails */
};
TAILQ_HEAD(dns_reqs, dns_req);

struct dns {
	struct ub_ctx *ctx;    /* NULL after dns_release() */
	struct dns_opts opts;  /* owned copy, to make ctx again */
	int epfd; /* what dns_fd() returns */
	int evfd; /* readable while "ready" is not empty */
	int tfd;  /* timerfd: the earliest deadline in "reqs" */
	unsigned timeout_ms;
	struct dns_reqs reqs;  /* waiting for libunbound */
	struct dns_reqs ready; /* answered without a query */
	size_t nreqs, nready;
	int in_process; /* depth of dns_process() calls */
	int dead;       /* dns_free() ran inside dns_process() */
};

/*
 * global: libunbound's log sink. It would print to stderr (under the
 * curses UI) otherwise. libunbound keeps one process-wide log FILE that
 * its worker threads write to, so this is opened once and never closed.
 */
static FILE *dns_ublog;

/*
 * Checks a domain name (ASCII, LDH and '_', labels of 1..63) and copies it
 * without its trailing dot into out (DNS_NAME_MAX + 1 bytes).
 */
static int
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
		ub_resolve_free(r->sub[i].res);
	dns_addr_result_free(r->ready);
	free(r->name);
	free(r);
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
			(void)ub_cancel(d->ctx, r->sub[i].id);
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
				  ub_strerror(r->sub[i].uberr));
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
	}
	dns_req_free(r);
}

/* libunbound's callback, run from ub_process() inside dns_process(). */
static void
dns_ub_done(void *mydata, int uberr, struct ub_result *result)
{
	struct dns_sub *s = mydata;
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

/*
 * libunbound's defaults are a recursive server's: 4096 outgoing ports set up
 * at the first query (1.6 MB of heap), 4 MB caches split in slabs with
 * preallocated tables. A client makes a handful of lookups per connection,
 * so every table is cut to what that needs. Port randomisation is kept:
 * each query still takes a random port from the whole range; only the
 * number open at once is smaller.
 */
static int
dns_small_resolver(struct ub_ctx *ctx)
{
	static const char *const opts[][2] = {
		{"outgoing-range:", "64"},
		{"num-queries-per-thread:", "32"},
		{"outgoing-num-tcp:", "4"},
		{"incoming-num-tcp:", "0"},
		{"max-reuse-tcp-queries:", "16"},
		{"msg-cache-size:", "256k"},
		{"msg-cache-slabs:", "1"},
		{"rrset-cache-size:", "256k"},
		{"rrset-cache-slabs:", "1"},
		{"key-cache-size:", "256k"},
		{"key-cache-slabs:", "1"},
		{"neg-cache-size:", "64k"},
		{"infra-cache-slabs:", "1"},
		{"infra-cache-numhosts:", "128"},
	};
	size_t i;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (ub_ctx_set_option(ctx, opts[i][0], opts[i][1]) !=
		    UB_NOERROR) {
			log_warn("libunbound refused %s %s",
				opts[i][0], opts[i][1]);
			return WARD_ERR_SYSTEM;
		}
	return WARD_OK;
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
#define DNS_DUP(f)                                                       \
	do {                                                             \
		if (o->f != NULL && (dst->f = strdup(o->f)) == NULL)     \
			bad = 1;                                         \
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
 * Makes d->ctx from d->opts and adds its descriptor to the epoll set.
 * Returns WARD_ERR_INVAL for a bad stub or unreadable trust anchor file,
 * WARD_ERR_SYSTEM otherwise.
 */
static int
dns_ctx_make(struct dns *d)
{
	const struct dns_opts *o = &d->opts;
	struct epoll_event ev;
	struct ub_ctx *ctx;
	char zone[DNS_NAME_MAX + 2], buf[DNS_NAME_MAX + 64];
	size_t i;
	int err = WARD_ERR_SYSTEM, fd;

	if ((ctx = ub_ctx_create()) == NULL)
		return WARD_ERR_SYSTEM;
	if (dns_ublog == NULL)
		dns_ublog = fopen("/dev/null", "we");
	if (dns_ublog == NULL || ub_ctx_debugout(ctx, dns_ublog) != UB_NOERROR ||
	    ub_ctx_async(ctx, 1) != UB_NOERROR ||
	    dns_small_resolver(ctx) != WARD_OK)
		goto out;
	err = WARD_ERR_INVAL;
	if (o->nstubs > 0 &&
	    ub_ctx_set_option(ctx, "do-not-query-localhost:", "no") !=
		UB_NOERROR)
		goto out;
	for (i = 0; i < o->nstubs; i++) {
		const char *z = o->stubs[i].zone;
		unsigned port = o->stubs[i].port;
		struct in6_addr a6;

		if (z != NULL && strcmp(z, ".") == 0)
			zone[0] = '\0'; /* every name: split DNS */
		else if (dns_name_check(z, zone) != WARD_OK)
			goto out;
		if (o->stubs[i].addr == NULL || port == 0 || port > 65535 ||
		    (inet_pton(AF_INET, o->stubs[i].addr, &a6) != 1 &&
		     inet_pton(AF_INET6, o->stubs[i].addr, &a6) != 1))
			goto out;
		strcat(zone, ".");
		snprintf(buf, sizeof(buf), "%s@%u", o->stubs[i].addr, port);
		if (ub_ctx_set_stub(ctx, zone, buf, 0) != UB_NOERROR)
			goto out;
		snprintf(buf, sizeof(buf), "%s transparent", zone);
		if (zone[1] != '\0' &&
		    ub_ctx_set_option(ctx, "local-zone:", buf) != UB_NOERROR)
			goto out;
	}
	if (o->root_anchor_file != NULL &&
	    access(o->root_anchor_file, R_OK) == 0 &&
	    ub_ctx_add_ta_file(ctx, o->root_anchor_file) != UB_NOERROR)
		goto out;
	if (o->trust_anchor_file != NULL) {
		/* libunbound reads it only at the first query: check now */
		if ((fd = open(o->trust_anchor_file, O_RDONLY | O_CLOEXEC)) < 0)
			goto out;
		close(fd);
		if (ub_ctx_add_ta_file(ctx, o->trust_anchor_file) != UB_NOERROR)
			goto out;
	}
	if (o->resolv_conf != NULL &&
	    ub_ctx_resolvconf(ctx, o->resolv_conf) != UB_NOERROR)
		goto out;
	err = WARD_ERR_SYSTEM;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	if (epoll_ctl(d->epfd, EPOLL_CTL_ADD, ub_fd(ctx), &ev) < 0)
		goto out;
	d->ctx = ctx;
	return WARD_OK;
out:
	ub_ctx_delete(ctx);
	return err;
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
	/* made now so that a bad setting is reported at start-up */
	if ((err = dns_ctx_make(d)) != WARD_OK)
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
	if (d == NULL || d->ctx == NULL || d->nreqs != 0 || d->in_process > 0)
		return;
	epoll_ctl(d->epfd, EPOLL_CTL_DEL, ub_fd(d->ctx), NULL);
	ub_ctx_delete(d->ctx); /* joins the worker thread */
	d->ctx = NULL;
	/*
	 * glibc keeps the freed pages mapped (they lie below live blocks, so
	 * the heap cannot shrink): hand them back, or RSS stays as it was.
	 */
	malloc_trim(0);
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
	if (d->ctx != NULL)
		ub_ctx_delete(d->ctx); /* joins the worker thread */
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
				(void)ub_cancel(d->ctx, r->sub[i].id);
		log_debug("%s: no answer after %u ms", r->name, d->timeout_ms);
		dns_req_deliver(r, WARD_ERR_AGAIN);
	}
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
	if (!d->dead && d->ctx != NULL && ub_process(d->ctx) != UB_NOERROR)
		rc = WARD_ERR_SYSTEM;
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
	int i, uberr, err;

	if (d->ctx == NULL && (err = dns_ctx_make(d)) != WARD_OK) {
		log_debug("%s: cannot make the resolver again", qnames[0]);
		dns_req_free(r);
		return err == WARD_ERR_INVAL ? WARD_ERR_SYSTEM : err;
	}
	r->nsub = n;
	r->deadline = now_ms() + d->timeout_ms;
	TAILQ_INSERT_TAIL(&d->reqs, r, entry);
	d->nreqs++;
	for (i = 0; i < n; i++) {
		r->sub[i].req = r;
		uberr =
		    ub_resolve_async(d->ctx, qnames[i], types[i], DNS_CLASS_IN,
				     &r->sub[i], dns_ub_done, &r->sub[i].id);
		if (uberr != UB_NOERROR) {
			log_debug("%s: %s", qnames[i], ub_strerror(uberr));
			dns_req_cancel(d, r);
			return dns_map_uberr(uberr);
		}
		r->sub[i].active = 1;
		r->pending++;
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
