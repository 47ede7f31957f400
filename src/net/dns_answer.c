/*
 * dns_answer.c: the pure half of the dns module: turns libunbound answers
 * into ward's results (SRV parsing and RFC 2782 / XEP-0368 ordering, A/AAAA,
 * TLSA, CAA through dns_caa.c) with their DNSSEC state. No I/O; unit tested
 * without a network.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unbound.h>

#include "ward.h"
#include "dns.h"

#define DNS_RCODE_NOERROR 0
#define DNS_RCODE_NXDOMAIN 3
#define DNS_XMPP_PORT 5222 /* RFC 6120 3.2.1 fallback */

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
	case DNS_TYPE_CAA:
		return "CAA";
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

void
dns_caa_result_free(struct dns_caa_result *res)
{
	size_t i;

	if (res == NULL)
		return;
	for (i = 0; i < res->nrecords; i++)
		dns_caa_clear(&res->records[i]);
	free(res->records);
	free(res->bogus_what);
	free(res);
}

int
dns_caa_merge(const struct ub_result *r, struct dns_caa_result **out)
{
	struct dns_caa_result *res;
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
		/* not "no CAA": a SERVFAIL says nothing either way */
		err = WARD_ERR_AGAIN;
		goto out;
	}
	if (!r->havedata)
		goto done;
	if ((res->records = calloc(DNS_MAX_CAA, sizeof(*res->records))) ==
	    NULL) {
		err = WARD_ERR_NOMEM;
		goto out;
	}
	for (i = 0; r->data != NULL && r->data[i] != NULL; i++) {
		if (res->nrecords == DNS_MAX_CAA) {
			log_debug("%s: more than %d CAA records, rest ignored",
				  r->qname, DNS_MAX_CAA);
			break;
		}
		err = dns_caa_parse((const unsigned char *)r->data[i],
				    r->len[i] < 0 ? 0 : (size_t)r->len[i],
				    &res->records[res->nrecords]);
		if (err == WARD_ERR_NOMEM)
			goto out;
		if (err != WARD_OK) {
			res->nmalformed++;
			continue;
		}
		res->nrecords++;
	}
done:
	*out = res;
	res = NULL;
	err = WARD_OK;
out:
	dns_caa_result_free(res);
	return err;
}
