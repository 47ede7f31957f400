/*
 * audit_dns.c: what `ward audit` reads from DNS, through ward's validating
 * resolver (dns.c) run by a small blocking loop: the SRV records of
 * RFC 6120 and XEP-0368, whether the zone is DNSSEC-signed (the SRV and
 * address answers), the TLSA records of each SRV target (RFC 7673), and
 * the CAA record set that governs the domain's certificates (RFC 8659:
 * the domain's own, else the nearest parent's), with accounturi (RFC 8657).
 */
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "dane.h"
#include "ward.h"

struct wait {
	int done, err;
	void *res;
};

static void
srv_done(void *arg, int err, struct dns_srv_result *res)
{
	struct wait *w = arg;
	w->done = 1;
	w->err = err;
	w->res = res;
}

static void
addr_done(void *arg, int err, struct dns_addr_result *res)
{
	struct wait *w = arg;
	w->done = 1;
	w->err = err;
	w->res = res;
}

static void
tlsa_done(void *arg, int err, struct dns_tlsa_result *res)
{
	struct wait *w = arg;
	w->done = 1;
	w->err = err;
	w->res = res;
}

static void
caa_done(void *arg, int err, struct dns_caa_result *res)
{
	struct wait *w = arg;
	w->done = 1;
	w->err = err;
	w->res = res;
}

/* Runs the resolver until w is answered (dns.c times lookups out). */
static void
dns_wait(struct dns *d, struct wait *w)
{
	struct pollfd pfd = {dns_fd(d), POLLIN, 0};

	while (!w->done) {
		if (poll(&pfd, 1, 30000) <= 0 || dns_process(d) != WARD_OK) {
			dns_cancel_arg(d, w);
			w->done = 1;
			w->err = WARD_ERR_AGAIN;
		}
	}
}

static const char *
err_text(int err)
{
	return err == WARD_ERR_AGAIN   ? "no answer (SERVFAIL or timeout)"
	       : err == WARD_ERR_PROTO ? "no usable answer"
				       : "lookup failed";
}

static void
add_target(struct audit *au, const struct dns_target *t)
{
	struct audit_target *at;
	size_t i;

	for (i = 0; i < au->ntargets; i++)
		if (strcmp(au->targets[i].host, t->host) == 0 &&
		    au->targets[i].port == t->port)
			return;
	if (au->ntargets >= AUDIT_MAX_TARGETS)
		return;
	at = &au->targets[au->ntargets++];
	memset(at, 0, sizeof(*at));
	snprintf(at->host, sizeof(at->host), "%s", t->host);
	at->port = t->port;
	at->direct_tls = t->direct_tls;
}

/* The audit's order of SRV targets: priority, then STARTTLS before direct
 * TLS, then by name and port, so that a report does not change with
 * RFC 2782's weighted random order between runs. */
static int
target_cmp(const void *a, const void *b)
{
	const struct dns_target *x = a, *y = b;
	int c;

	if (x->priority != y->priority)
		return x->priority < y->priority ? -1 : 1;
	if (x->direct_tls != y->direct_tls)
		return x->direct_tls - y->direct_tls;
	if ((c = strcmp(x->host, y->host)) != 0)
		return c;
	return x->port < y->port ? -1 : x->port > y->port;
}

/* The SRV records; fills au->targets. Returns the SRV answer's security,
 * or -1 when there was no answer. */
static int
check_srv(struct audit *au, char *secnote, size_t notelen)
{
	struct wait w = {0, 0, NULL};
	struct dns_srv_result *r;
	int have_xmpp = 0, have_xmpps = 0, sec;
	char xmpp_list[256] = "", xmpps_list[256] = "";
	size_t i;

	audit_progress(au, "SRV records");
	if (dns_resolve_xmpp(au->dns, au->domain, srv_done, &w) != WARD_OK) {
		w.done = 1;
		w.err = WARD_ERR_INVAL;
	} else {
		dns_wait(au->dns, &w);
	}
	if (w.err != WARD_OK || w.res == NULL) {
		audit_add(au, "dns.srv-xmpp-client",
			  "_xmpp-client SRV published", AUDIT_SHOULD,
			  AUDIT_UNKNOWN, "SRV lookup: %s", err_text(w.err));
		audit_add(au, "dns.srv-xmpps-client",
			  "_xmpps-client SRV published (XEP-0368)",
			  AUDIT_SHOULD, AUDIT_UNKNOWN, "SRV lookup: %s",
			  err_text(w.err));
		snprintf(secnote, notelen, "SRV: %s", err_text(w.err));
		return -1;
	}
	r = w.res;
	sec = (int)r->sec;
	if (r->sec == DNS_SEC_BOGUS) {
		audit_add(
		    au, "dns.srv-xmpp-client", "_xmpp-client SRV published",
		    AUDIT_SHOULD, AUDIT_FAIL,
		    "the answer is BOGUS, no validating client can use it: %s",
		    r->bogus_what ? r->bogus_what : "?");
		audit_add(au, "dns.srv-xmpps-client",
			  "_xmpps-client SRV published (XEP-0368)",
			  AUDIT_SHOULD, AUDIT_FAIL, "the answer is BOGUS: %s",
			  r->bogus_what ? r->bogus_what : "?");
		snprintf(secnote, notelen, "SRV BOGUS: %s",
			 r->bogus_what ? r->bogus_what : "?");
		dns_srv_result_free(r);
		return sec;
	}
	qsort(r->targets, r->ntargets, sizeof(r->targets[0]), target_cmp);
	for (i = 0; i < r->ntargets; i++) {
		const struct dns_target *t = &r->targets[i];
		char one[DNS_NAME_MAX + 16];
		char *list = t->direct_tls ? xmpps_list : xmpp_list;
		snprintf(one, sizeof(one), "%s%s:%u", list[0] ? " " : "",
			 t->host, t->port);
		if (strlen(list) + strlen(one) < 200)
			strcat(list, one);
		if (!r->fallback)
			*(t->direct_tls ? &have_xmpps : &have_xmpp) = 1;
		add_target(au, t);
	}
	if (r->no_service) {
		audit_add(
		    au, "dns.srv-xmpp-client", "_xmpp-client SRV published",
		    AUDIT_SHOULD, AUDIT_FAIL,
		    "SRV target \".\": the domain says it offers no XMPP");
	} else {
		audit_add(
		    au, "dns.srv-xmpp-client", "_xmpp-client SRV published",
		    AUDIT_SHOULD, have_xmpp ? AUDIT_PASS : AUDIT_PARTIAL,
		    "%s%s", have_xmpp ? "_xmpp-client._tcp SRV: " : "no SRV",
		    have_xmpp ? xmpp_list
			      : ": clients fall back to the domain, port 5222");
	}
	audit_add(au, "dns.srv-xmpps-client",
		  "_xmpps-client SRV published (XEP-0368)", AUDIT_SHOULD,
		  have_xmpps ? AUDIT_PASS : AUDIT_PARTIAL, "%s%s",
		  have_xmpps ? "_xmpps-client._tcp SRV: "
			     : "no _xmpps-client SRV",
		  have_xmpps ? xmpps_list : ": no direct TLS");
	snprintf(secnote, notelen, "SRV %s", dns_sec_name(r->sec));
	dns_srv_result_free(r);
	return sec;
}

/* A/AAAA of target t; returns its security or -1. */
static int
resolve_target(struct audit *au, struct audit_target *t, char *why,
	       size_t whylen)
{
	struct wait w = {0, 0, NULL};
	struct dns_addr_result *r;
	int sec;

	if (dns_resolve_addr(au->dns, t->host, t->port, addr_done, &w) !=
	    WARD_OK)
		return -1;
	dns_wait(au->dns, &w);
	if (w.err != WARD_OK || w.res == NULL) {
		snprintf(why, whylen, "%s A/AAAA: %s", t->host,
			 err_text(w.err));
		return -1;
	}
	r = w.res;
	sec = (int)r->sec;
	t->addr_sec = r->sec;
	if (r->sec == DNS_SEC_BOGUS)
		snprintf(why, whylen, "%s",
			 r->bogus_what ? r->bogus_what : "?");
	else if (r->naddrs == 0)
		snprintf(why, whylen, "%s has no address", t->host);
	else {
		/* IPv4 first when there is one: the loopback test servers
		 * and most probes reach it; the first of the list otherwise */
		size_t i, pick = 0;
		for (i = 0; i < r->naddrs; i++)
			if (r->addrs[i].ss_family == AF_INET) {
				pick = i;
				break;
			}
		t->addr = r->addrs[pick];
		t->have_addr = 1;
	}
	dns_addr_result_free(r);
	return sec;
}

static int
is_ip_literal(const char *host)
{
	unsigned char buf[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, host, buf) == 1 ||
	       inet_pton(AF_INET6, host, buf) == 1;
}

static void
lookup_tlsa(struct audit *au, struct audit_target *t)
{
	struct wait w = {0, 0, NULL};

	if (dns_resolve_tlsa(au->dns, t->host, t->port, tlsa_done, &w) !=
	    WARD_OK)
		return;
	dns_wait(au->dns, &w);
	if (w.err == WARD_OK)
		t->tlsa = w.res;
}

#define CAA_RULE "CAA records present"
#define CAA_ACCT_RULE "CAA binds issuance to one CA account (accounturi)"

/* The relevant CAA record set of RFC 8659 3: the domain's own, else the
 * nearest parent's (the root is never asked). *where gets the name it was
 * found at (or the last asked). NULL with *err set when a lookup failed. */
static struct dns_caa_result *
caa_relevant(struct audit *au, const char **where, int *err)
{
	const char *name = au->domain;

	*err = WARD_OK;
	for (;;) {
		struct wait w = {0, 0, NULL};
		struct dns_caa_result *r;
		const char *dot;

		*where = name;
		if (dns_resolve_caa(au->dns, name, caa_done, &w) != WARD_OK) {
			*err = WARD_ERR_INVAL;
			return NULL;
		}
		dns_wait(au->dns, &w);
		if (w.err != WARD_OK || w.res == NULL) {
			*err = w.err != WARD_OK ? w.err : WARD_ERR_PROTO;
			return NULL;
		}
		r = w.res;
		if (r->sec == DNS_SEC_BOGUS || r->nrecords > 0 ||
		    r->nmalformed > 0 || (dot = strchr(name, '.')) == NULL ||
		    dot[1] == '\0')
			return r;
		dns_caa_result_free(r);
		name = dot + 1;
	}
}

static int
text_cmp(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

/* The records of r as evidence: issue and issuewild first, then the
 * others, each in escaped presentation form, sorted (an RRset has no
 * order). */
static void
caa_list(const struct dns_caa_result *r, char *out, size_t outlen)
{
	char text[DNS_MAX_CAA][160];
	size_t i, n, len;
	int pass;

	out[0] = '\0';
	for (pass = 0; pass < 2; pass++) {
		for (i = n = 0; i < r->nrecords && i < DNS_MAX_CAA; i++)
			if (dns_caa_is_issue(&r->records[i]) == (pass == 0))
				dns_caa_text(&r->records[i], text[n++],
					     sizeof(text[0]));
		qsort(text, n, sizeof(text[0]), text_cmp);
		for (i = 0; i < n; i++) {
			len = strlen(out);
			if (len + strlen(text[i]) + 3 >= outlen)
				return;
			snprintf(out + len, outlen - len, "%s%s",
				 len ? "; " : "", text[i]);
		}
	}
}

/* dns.caa (MUST) and dns.caa-accounturi (SHOULD). */
static void
check_caa(struct audit *au)
{
	struct dns_caa_result *r;
	const char *where;
	char list[300], found[DNS_NAME_MAX + 48];
	size_t i, issue = 0, bound = 0, named = 0;
	int err;

	audit_progress(au, "CAA");
	r = caa_relevant(au, &where, &err);
	if (r == NULL) {
		audit_add(au, "dns.caa", CAA_RULE, AUDIT_MUST, AUDIT_UNKNOWN,
			  "%s CAA: %s", where, err_text(err));
		audit_add(au, "dns.caa-accounturi", CAA_ACCT_RULE, AUDIT_SHOULD,
			  AUDIT_UNKNOWN, "no CAA answer");
		return;
	}
	if (r->sec == DNS_SEC_BOGUS) {
		audit_add(au, "dns.caa", CAA_RULE, AUDIT_MUST, AUDIT_FAIL,
			  "the answer is BOGUS, no CA can rely on it: %s",
			  r->bogus_what ? r->bogus_what : "?");
		audit_add(au, "dns.caa-accounturi", CAA_ACCT_RULE, AUDIT_SHOULD,
			  AUDIT_FAIL, "CAA at %s is BOGUS", where);
		dns_caa_result_free(r);
		return;
	}
	if (r->nrecords == 0) {
		int above = strcmp(where, au->domain) != 0;
		if (r->nmalformed > 0)
			audit_add(
			    au, "dns.caa", CAA_RULE, AUDIT_MUST, AUDIT_FAIL,
			    "CAA at %s: %zu malformed record%s, none "
			    "usable",
			    where, r->nmalformed, r->nmalformed > 1 ? "s" : "");
		else
			audit_add(
			    au, "dns.caa", CAA_RULE, AUDIT_MUST, AUDIT_FAIL,
			    "no CAA at %s%s%s: any CA may issue for it",
			    au->domain, above ? " or above it up to " : "",
			    above ? where : "");
		audit_add(au, "dns.caa-accounturi", CAA_ACCT_RULE, AUDIT_SHOULD,
			  AUDIT_FAIL, "no usable CAA record");
		dns_caa_result_free(r);
		return;
	}
	for (i = 0; i < r->nrecords; i++) {
		char issuer[DNS_NAME_MAX + 1];
		const struct dns_caa *c = &r->records[i];
		if (!dns_caa_is_issue(c))
			continue;
		issue++;
		/* ";" (no CA may issue) binds nothing and needs nothing */
		if (dns_caa_issuer(c, issuer, sizeof(issuer)) == WARD_OK &&
		    issuer[0] == '\0')
			continue;
		named++;
		if (dns_caa_param_count(c, "accounturi") == 1)
			bound++;
	}
	caa_list(r, list, sizeof(list));
	snprintf(found, sizeof(found), "%s%s (%s%s)", where,
		 strcmp(where, au->domain) ? ", inherited" : "",
		 r->sec == DNS_SEC_SECURE ? "signed" : "NOT signed",
		 r->nmalformed ? ", malformed records skipped" : "");
	audit_add(au, "dns.caa", CAA_RULE, AUDIT_MUST,
		  issue ? AUDIT_PASS : AUDIT_PARTIAL, "CAA at %s: %s%s", found,
		  list,
		  issue ? "" : "; no issue or issuewild: any CA may issue");
	audit_add(au, "dns.caa-accounturi", CAA_ACCT_RULE, AUDIT_SHOULD,
		  issue == 0       ? AUDIT_FAIL
		  : bound == named ? AUDIT_PASS
		  : bound > 0      ? AUDIT_PARTIAL
				   : AUDIT_FAIL,
		  "%zu of %zu issue/issuewild records naming a CA carry one "
		  "accounturi (RFC 8657)%s",
		  bound, named, issue == 0 ? "; no issue property at all" : "");
	dns_caa_result_free(r);
}

void
audit_dns(struct audit *au)
{
	char note[600], why[300];
	int worst, sec;
	size_t i, published = 0, secure = 0, unsigned_ = 0, bogus = 0;
	size_t skipped = 0;
	char tnote[600] = "";

	worst = check_srv(au, note, sizeof(note));
	if (au->server != NULL) {
		struct dns_target t;
		size_t len = strlen(note);
		memset(&t, 0, sizeof(t));
		t.host = (char *)au->server;
		t.port = au->server_port ? au->server_port : 5222;
		au->ntargets = 0;
		add_target(au, &t);
		snprintf(note + len, sizeof(note) - len,
			 "; probing --server %s:%u instead of the SRV targets",
			 t.host, t.port);
	}
	for (i = 0; i < au->ntargets; i++) {
		struct audit_target *t = &au->targets[i];
		size_t len = strlen(note);
		audit_progress(au, "addresses and TLSA");
		why[0] = '\0';
		sec = resolve_target(au, t, why, sizeof(why));
		if (sec < 0 || sec == DNS_SEC_BOGUS)
			snprintf(note + len, sizeof(note) - len, "; %s%s%s",
				 sec == DNS_SEC_BOGUS ? "A/AAAA BOGUS: " : "",
				 why, "");
		else
			snprintf(note + len, sizeof(note) - len,
				 "; %s A/AAAA %s%s%s", t->host,
				 dns_sec_name(sec), t->have_addr ? "" : ": ",
				 t->have_addr ? "" : why);
		/* an address given with --server is the user's, not the
		 * zone's: an IP literal is "insecure" without any DNS */
		if (au->server != NULL && is_ip_literal(t->host))
			continue;
		if (sec > worst)
			worst = sec;
		lookup_tlsa(au, t);
	}
	if (worst < 0)
		audit_add(au, "dns.dnssec", "zone DNSSEC-signed", AUDIT_SHOULD,
			  AUDIT_UNKNOWN, "%s", note);
	else
		audit_add(au, "dns.dnssec", "zone DNSSEC-signed", AUDIT_SHOULD,
			  worst == DNS_SEC_SECURE ? AUDIT_PASS : AUDIT_FAIL,
			  "%s%s",
			  worst == DNS_SEC_BOGUS      ? "validation fails: "
			  : worst == DNS_SEC_INSECURE ? "unsigned: "
						      : "",
			  note);

	/* TLSA per SRV target (usable only when SECURE) */
	for (i = 0; i < au->ntargets; i++) {
		const struct audit_target *t = &au->targets[i];
		size_t len = strlen(tnote);
		const char *what;
		if (t->tlsa == NULL && au->server != NULL &&
		    is_ip_literal(t->host)) {
			skipped++;
			what = "not looked up (--server is an address)";
		} else if (t->tlsa == NULL)
			what = "lookup failed";
		else if (t->tlsa->sec == DNS_SEC_BOGUS) {
			bogus++;
			what = "BOGUS";
		} else if (t->tlsa->nrecords == 0)
			what = "none";
		else if (t->tlsa->sec != DNS_SEC_SECURE) {
			unsigned_++;
			what = "published but unsigned (unusable)";
		} else {
			published++;
			secure++;
			what = "published, secure";
		}
		snprintf(tnote + len, sizeof(tnote) - len, "%s_%u._tcp.%s: %s",
			 len ? "; " : "", t->port, t->host, what);
	}
	if (au->ntargets == 0 || skipped == au->ntargets)
		audit_add(au, "dns.tlsa", "TLSA published per SRV target",
			  AUDIT_SHOULD, AUDIT_UNKNOWN, "%s",
			  au->ntargets ? tnote : "no SRV target to look at");
	else
		audit_add(au, "dns.tlsa", "TLSA published per SRV target",
			  AUDIT_SHOULD,
			  bogus                    ? AUDIT_FAIL
			  : secure == au->ntargets ? AUDIT_PASS
			  : secure > 0             ? AUDIT_PARTIAL
						   : AUDIT_FAIL,
			  "%s", tnote);
	(void)published;
	(void)unsigned_;
	check_caa(au);
}
