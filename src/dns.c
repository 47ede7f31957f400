/*
 * dns.c: validating, asynchronous DNS for XMPP. libunbound does the
 * resolving and DNSSEC validation in its worker thread; this file turns its
 * answers into ordered connection targets, addresses and TLSA records.
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
#include <unistd.h>

#include <unbound.h>

#include "ward.h"
#include "dns.h"

#define DNS_TYPE_A 1
#define DNS_TYPE_AAAA 28
#define DNS_TYPE_SRV 33
#define DNS_TYPE_TLSA 52
#define DNS_CLASS_IN 1
#define DNS_RCODE_NOERROR 0
#define DNS_RCODE_NXDOMAIN 3

#define DNS_NAME_MAX 253   /* presentation form, no trailing dot */
#define DNS_XMPP_PORT 5222 /* RFC 6120 3.2.1 fallback */

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
};
TAILQ_HEAD(dns_reqs, dns_req);

struct dns {
	struct ub_ctx *ctx;
	int epfd;              /* what dns_fd() returns */
	int evfd;              /* readable while "ready" is not empty */
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

const char *
dns_sec_name(enum dns_sec sec)
{
	switch (sec) {
	case DNS_SEC_SECURE:
		return "secure";
	case DNS_SEC_INSECURE:
		return "insecure";
	case DNS_SEC_BOGUS:
		return "bogus";
	}
	return "bogus";
}

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

static const char *
dns_type_name(int type)
{
	switch (type) {
	case DNS_TYPE_A:
		return "A";
	case DNS_TYPE_AAAA:
		return "AAAA";
	case DNS_TYPE_SRV:
		return "SRV";
	case DNS_TYPE_TLSA:
		return "TLSA";
	}
	return "?";
}

static enum dns_sec
dns_answer_sec(const struct ub_result *r)
{
	if (r->bogus)
		return DNS_SEC_BOGUS;
	return r->secure ? DNS_SEC_SECURE : DNS_SEC_INSECURE;
}

/* An answer that is neither data, NODATA nor NXDOMAIN (and not bogus). */
static int
dns_answer_failed(const struct ub_result *r)
{
	return r->rcode != DNS_RCODE_NOERROR && r->rcode != DNS_RCODE_NXDOMAIN;
}

/* "NAME TYPE: why" for a bogus answer; caller frees. NULL: no memory. */
static char *
dns_bogus_what(const struct ub_result *r)
{
	const char *q = r->qname != NULL ? r->qname : "?";
	size_t n = strlen(q);
	char *s;

	if (n > 1 && q[n - 1] == '.')
		n--;
	if (asprintf(&s, "%.*s %s: %s", (int)n, q, dns_type_name(r->qtype),
		     r->why_bogus != NULL ? r->why_bogus
					  : "validation failed") < 0)
		return NULL;
	return s;
}

/*
 * Folds answers into a security state: *sec becomes the worst seen and,
 * for the first bogus one, *what says why. NULL answers are skipped.
 */
static int
dns_fold_sec(const struct ub_result *const *rs, size_t n, enum dns_sec *sec,
	     char **what)
{
	size_t i;

	*sec = DNS_SEC_SECURE;
	for (i = 0; i < n; i++) {
		enum dns_sec s;

		if (rs[i] == NULL)
			continue;
		s = dns_answer_sec(rs[i]);
		if (s == DNS_SEC_BOGUS && *what == NULL &&
		    (*what = dns_bogus_what(rs[i])) == NULL)
			return WARD_ERR_NOMEM;
		if (s > *sec)
			*sec = s;
	}
	return WARD_OK;
}

int
dns_srv_parse(const unsigned char *p, size_t len, int direct_tls,
	      struct dns_target *t)
{
	char host[DNS_NAME_MAX + 3];
	size_t off = 6, hlen = 0;

	memset(t, 0, sizeof(*t));
	if (p == NULL || len < 7)
		return WARD_ERR_PARSE;
	for (;;) {
		size_t lab, i;

		if (off >= len)
			return WARD_ERR_PARSE; /* no root label */
		lab = p[off++];
		if (lab == 0)
			break;
		/* > 63 also catches compression pointers (0xc0) */
		if (lab > 63 || lab > len - off)
			return WARD_ERR_PARSE;
		/* wire name so far + this label + the root label <= 255 */
		if (off - 6 + lab + 1 > 255)
			return WARD_ERR_PARSE;
		if (hlen > 0)
			host[hlen++] = '.';
		for (i = 0; i < lab; i++) {
			unsigned char c = p[off + i];

			if (!((c >= 'a' && c <= 'z') ||
			      (c >= 'A' && c <= 'Z') ||
			      (c >= '0' && c <= '9') || c == '-' || c == '_'))
				return WARD_ERR_PARSE;
			host[hlen++] = (char)c;
		}
		off += lab;
	}
	if (off != len)
		return WARD_ERR_PARSE; /* bytes after the target */
	host[hlen] = '\0';
	if ((t->host = strdup(host)) == NULL)
		return WARD_ERR_NOMEM;
	t->priority = (unsigned)p[0] << 8 | p[1];
	t->weight = (unsigned)p[2] << 8 | p[3];
	t->port = (unsigned)p[4] << 8 | p[5];
	t->direct_tls = direct_tls;
	return WARD_OK;
}

static uint32_t
dns_rand_default(void *ctx, uint32_t bound)
{
	(void)ctx;
	return arc4random_uniform(bound);
}

/* Moves t[k] to t[i] (i <= k), shifting t[i..k-1] up by one. */
static void
dns_rotate(struct dns_target *t, size_t i, size_t k)
{
	struct dns_target tmp = t[k];

	memmove(&t[i + 1], &t[i], (k - i) * sizeof(*t));
	t[i] = tmp;
}

/* RFC 2782 selection order within one priority: t[0..n). */
static void
dns_srv_order_group(struct dns_target *t, size_t n, dns_rand_fn rnd, void *rctx)
{
	size_t i, k, zeros = 0;

	/* weight 0 first (stable), so that they have a small chance */
	for (k = 0; k < n; k++)
		if (t[k].weight == 0)
			dns_rotate(t, zeros++, k);
	for (i = 0; i + 1 < n; i++) {
		uint32_t sum = 0, pick, run = 0;

		for (k = i; k < n; k++)
			sum += t[k].weight;
		if (sum == 0) {
			pick = rnd(rctx, (uint32_t)(n - i));
			dns_rotate(t, i, i + (pick < n - i ? pick : 0));
			continue;
		}
		pick = rnd(rctx, sum + 1); /* 0..sum */
		for (k = i; k < n; k++) {
			run += t[k].weight;
			if (run >= pick)
				break;
		}
		if (k == n)
			k = n - 1; /* a broken rnd; stay in bounds */
		dns_rotate(t, i, k);
	}
}

void
dns_srv_order(struct dns_target *t, size_t n, dns_rand_fn rnd, void *rctx)
{
	size_t i, j;

	if (rnd == NULL)
		rnd = dns_rand_default;
	/* stable insertion sort by priority (n is small) */
	for (i = 1; i < n; i++) {
		for (j = i; j > 0 && t[j - 1].priority > t[i].priority; j--)
			;
		if (j < i)
			dns_rotate(t, j, i);
	}
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && t[j].priority == t[i].priority; j++)
			;
		dns_srv_order_group(&t[i], j - i, rnd, rctx);
	}
}

void
dns_srv_result_free(struct dns_srv_result *res)
{
	size_t i;

	if (res == NULL)
		return;
	for (i = 0; i < res->ntargets; i++)
		free(res->targets[i].host);
	free(res->targets);
	free(res->bogus_what);
	free(res);
}

/*
 * Appends the usable targets of one SRV answer to res. *dot is set when a
 * "." target was seen.
 */
static int
dns_srv_collect(const struct ub_result *r, int direct_tls,
		struct dns_srv_result *res, int *dot)
{
	size_t i, taken = 0;

	for (i = 0; r->data != NULL && r->data[i] != NULL; i++) {
		struct dns_target t;
		int err;

		if (taken == DNS_MAX_TARGETS) {
			log_debug("%s: more than %d SRV records, rest ignored",
				  r->qname, DNS_MAX_TARGETS);
			break;
		}
		err = dns_srv_parse((const unsigned char *)r->data[i],
				    r->len[i] < 0 ? 0 : (size_t)r->len[i],
				    direct_tls, &t);
		if (err == WARD_ERR_NOMEM)
			return err;
		if (err != WARD_OK) {
			log_debug("%s: malformed SRV record skipped", r->qname);
			continue;
		}
		if (t.host[0] == '\0' || t.port == 0) {
			*dot |= t.host[0] == '\0';
			free(t.host);
			continue;
		}
		res->targets[res->ntargets++] = t;
		taken++;
	}
	return WARD_OK;
}

int
dns_srv_merge(const char *domain, const struct ub_result *xmpps,
	      const struct ub_result *xmpp, dns_rand_fn rnd, void *rctx,
	      struct dns_srv_result **out)
{
	const struct ub_result *rs[2] = {xmpps, xmpp};
	struct dns_srv_result *res;
	int err, dot = 0, any = 0;
	size_t i;

	*out = NULL;
	if ((res = calloc(1, sizeof(*res))) == NULL)
		return WARD_ERR_NOMEM;
	if ((err = dns_fold_sec(rs, 2, &res->sec, &res->bogus_what)) != 0)
		goto out;
	if (res->sec == DNS_SEC_BOGUS)
		goto done; /* nothing from any of it */
	for (i = 0; i < 2; i++) {
		if (rs[i] != NULL && dns_answer_failed(rs[i])) {
			log_debug("%s: rcode %d", rs[i]->qname, rs[i]->rcode);
			err = WARD_ERR_AGAIN;
			goto out;
		}
	}
	res->targets = calloc(2 * DNS_MAX_TARGETS, sizeof(*res->targets));
	if (res->targets == NULL) {
		err = WARD_ERR_NOMEM;
		goto out;
	}
	for (i = 0; i < 2; i++) {
		if (rs[i] == NULL || !rs[i]->havedata)
			continue; /* NXDOMAIN or NODATA */
		any = 1;
		if ((err = dns_srv_collect(rs[i], i == 0, res, &dot)) != 0)
			goto out;
	}
	if (res->ntargets > 0) {
		dns_srv_order(res->targets, res->ntargets, rnd, rctx);
	} else if (dot) {
		res->no_service = 1;
	} else if (!any) {
		res->fallback = 1;
		if ((res->targets[0].host = strdup(domain)) == NULL) {
			err = WARD_ERR_NOMEM;
			goto out;
		}
		res->targets[0].port = DNS_XMPP_PORT;
		res->ntargets = 1;
	} else {
		err = WARD_ERR_PROTO; /* records, none usable */
		goto out;
	}
done:
	*out = res;
	res = NULL;
	err = WARD_OK;
out:
	dns_srv_result_free(res);
	return err;
}

void
dns_addr_result_free(struct dns_addr_result *res)
{
	if (res == NULL)
		return;
	free(res->addrs);
	free(res->bogus_what);
	free(res);
}

/* Copies up to DNS_MAX_ADDRS addresses of one answer into sa[]. */
static size_t
dns_addr_collect(const struct ub_result *r, int family, unsigned port,
		 struct sockaddr_storage *sa)
{
	size_t i, n = 0, want = family == AF_INET6 ? 16 : 4;

	if (r == NULL || dns_answer_failed(r) || !r->havedata)
		return 0;
	for (i = 0; r->data != NULL && r->data[i] != NULL; i++) {
		if (n == DNS_MAX_ADDRS)
			break;
		if (r->len[i] < 0 || (size_t)r->len[i] != want)
			continue; /* malformed */
		memset(&sa[n], 0, sizeof(sa[n]));
		if (family == AF_INET6) {
			struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&sa[n];

			s6->sin6_family = AF_INET6;
			s6->sin6_port = htons((uint16_t)port);
			memcpy(&s6->sin6_addr, r->data[i], 16);
		} else {
			struct sockaddr_in *s4 = (struct sockaddr_in *)&sa[n];

			s4->sin_family = AF_INET;
			s4->sin_port = htons((uint16_t)port);
			memcpy(&s4->sin_addr, r->data[i], 4);
		}
		n++;
	}
	return n;
}

int
dns_addr_merge(const struct ub_result *aaaa, const struct ub_result *a,
	       unsigned port, struct dns_addr_result **out)
{
	struct sockaddr_storage v6[DNS_MAX_ADDRS], v4[DNS_MAX_ADDRS];
	const struct ub_result *rs[2] = {aaaa, a};
	struct dns_addr_result *res;
	size_t n6, n4, i;
	int err;

	*out = NULL;
	if ((res = calloc(1, sizeof(*res))) == NULL)
		return WARD_ERR_NOMEM;
	if ((err = dns_fold_sec(rs, 2, &res->sec, &res->bogus_what)) != 0)
		goto out;
	if (res->sec == DNS_SEC_BOGUS)
		goto done;
	n6 = dns_addr_collect(aaaa, AF_INET6, port, v6);
	n4 = dns_addr_collect(a, AF_INET, port, v4);
	if (n6 + n4 == 0 && ((aaaa != NULL && dns_answer_failed(aaaa)) ||
			     (a != NULL && dns_answer_failed(a)))) {
		err = WARD_ERR_AGAIN;
		goto out;
	}
	/* a failed family is not used, so it does not count for sec */
	if (aaaa != NULL && dns_answer_failed(aaaa))
		rs[0] = NULL;
	if (a != NULL && dns_answer_failed(a))
		rs[1] = NULL;
	if ((err = dns_fold_sec(rs, 2, &res->sec, &res->bogus_what)) != 0)
		goto out;
	if (n6 + n4 > 0 &&
	    (res->addrs = calloc(n6 + n4, sizeof(*res->addrs))) == NULL) {
		err = WARD_ERR_NOMEM;
		goto out;
	}
	for (i = 0; i < n6 || i < n4; i++) {
		if (i < n6)
			res->addrs[res->naddrs++] = v6[i];
		if (i < n4)
			res->addrs[res->naddrs++] = v4[i];
	}
done:
	*out = res;
	res = NULL;
	err = WARD_OK;
out:
	dns_addr_result_free(res);
	return err;
}

void
dns_tlsa_result_free(struct dns_tlsa_result *res)
{
	size_t i;

	if (res == NULL)
		return;
	for (i = 0; i < res->nrecords; i++)
		free(res->records[i].data);
	free(res->records);
	free(res->bogus_what);
	free(res);
}

int
dns_tlsa_merge(const struct ub_result *r, struct dns_tlsa_result **out)
{
	struct dns_tlsa_result *res;
	size_t i;
	int err;

	*out = NULL;
	if ((res = calloc(1, sizeof(*res))) == NULL)
		return WARD_ERR_NOMEM;
	if ((err = dns_fold_sec(&r, 1, &res->sec, &res->bogus_what)) != 0)
		goto out;
	if (r == NULL || res->sec == DNS_SEC_BOGUS)
		goto done;
	if (dns_answer_failed(r)) {
		/* not "no TLSA": that would let a blocker turn DANE off */
		err = WARD_ERR_AGAIN;
		goto out;
	}
	if (!r->havedata)
		goto done;
	if ((res->records = calloc(DNS_MAX_TLSA, sizeof(*res->records))) ==
	    NULL) {
		err = WARD_ERR_NOMEM;
		goto out;
	}
	for (i = 0; r->data != NULL && r->data[i] != NULL; i++) {
		const unsigned char *p = (const unsigned char *)r->data[i];
		struct dns_tlsa *t = &res->records[res->nrecords];

		if (res->nrecords == DNS_MAX_TLSA)
			break;
		if (r->len[i] < 4)
			continue; /* header and at least one byte */
		t->usage = p[0];
		t->selector = p[1];
		t->mtype = p[2];
		t->len = (size_t)r->len[i] - 3;
		if ((t->data = malloc(t->len)) == NULL) {
			err = WARD_ERR_NOMEM;
			goto out;
		}
		memcpy(t->data, p + 3, t->len);
		res->nrecords++;
	}
done:
	*out = res;
	res = NULL;
	err = WARD_OK;
out:
	dns_tlsa_result_free(res);
	return err;
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

/* Calls r's callback with its merged answer and frees r (already unlinked). */
static void
dns_req_deliver(struct dns_req *r)
{
	void *res = NULL;
	int err = WARD_OK, i;

	for (i = 0; i < r->nsub; i++) {
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
	dns_req_deliver(r);
}

int
dns_new(const struct dns_opts *o, struct dns **out)
{
	struct epoll_event ev;
	struct dns *d;
	char zone[DNS_NAME_MAX + 2], buf[DNS_NAME_MAX + 64];
	size_t i;
	int err = WARD_ERR_SYSTEM, fd;

	*out = NULL;
	if (o == NULL || o->nstubs > DNS_MAX_STUBS)
		return WARD_ERR_INVAL;
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return WARD_ERR_NOMEM;
	d->epfd = d->evfd = -1;
	TAILQ_INIT(&d->reqs);
	TAILQ_INIT(&d->ready);
	if ((d->ctx = ub_ctx_create()) == NULL)
		goto out;
	if (dns_ublog == NULL)
		dns_ublog = fopen("/dev/null", "we");
	if (dns_ublog == NULL ||
	    ub_ctx_debugout(d->ctx, dns_ublog) != UB_NOERROR ||
	    ub_ctx_async(d->ctx, 1) != UB_NOERROR)
		goto out;
	err = WARD_ERR_INVAL;
	if (o->nstubs > 0 &&
	    ub_ctx_set_option(d->ctx, "do-not-query-localhost:", "no") !=
		UB_NOERROR)
		goto out;
	for (i = 0; i < o->nstubs; i++) {
		struct in6_addr a6;
		unsigned port = o->stubs[i].port;

		const char *z = o->stubs[i].zone;

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
		if (ub_ctx_set_stub(d->ctx, zone, buf, 0) != UB_NOERROR)
			goto out;
		snprintf(buf, sizeof(buf), "%s transparent", zone);
		if (zone[1] != '\0' &&
		    ub_ctx_set_option(d->ctx, "local-zone:", buf) != UB_NOERROR)
			goto out;
	}
	if (o->root_anchor_file != NULL &&
	    access(o->root_anchor_file, R_OK) == 0 &&
	    ub_ctx_add_ta_file(d->ctx, o->root_anchor_file) != UB_NOERROR)
		goto out;
	if (o->trust_anchor_file != NULL) {
		/* libunbound reads it only at the first query: check now */
		if ((fd = open(o->trust_anchor_file, O_RDONLY | O_CLOEXEC)) < 0)
			goto out;
		close(fd);
		if (ub_ctx_add_ta_file(d->ctx, o->trust_anchor_file) !=
		    UB_NOERROR)
			goto out;
	}
	if (o->resolv_conf != NULL &&
	    ub_ctx_resolvconf(d->ctx, o->resolv_conf) != UB_NOERROR)
		goto out;

	err = WARD_ERR_SYSTEM;
	d->epfd = epoll_create1(EPOLL_CLOEXEC);
	d->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (d->epfd < 0 || d->evfd < 0)
		goto out;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	if (epoll_ctl(d->epfd, EPOLL_CTL_ADD, d->evfd, &ev) < 0 ||
	    epoll_ctl(d->epfd, EPOLL_CTL_ADD, ub_fd(d->ctx), &ev) < 0)
		goto out;
	*out = d;
	return WARD_OK;
out:
	dns_free(d);
	return err;
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

static void
dns_destroy(struct dns *d)
{
	ub_ctx_delete(d->ctx); /* joins the worker thread */
	if (d->epfd >= 0)
		close(d->epfd);
	if (d->evfd >= 0)
		close(d->evfd);
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
	return n;
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
		dns_req_deliver(r);
	}
	if (!d->dead && ub_process(d->ctx) != UB_NOERROR)
		rc = WARD_ERR_SYSTEM;
	if (--d->in_process == 0 && d->dead)
		dns_destroy(d);
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
	int i, uberr;

	r->nsub = n;
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
