/*
 * audit_dns.c: what `ward audit` reads from DNS, through ward's validating
 * resolver (dns.c) run by a small blocking loop: the SRV records of
 * RFC 6120 and XEP-0368, whether the zone is DNSSEC-signed (the SRV and
 * address answers), and the TLSA records of each SRV target (RFC 7673).
 */
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
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
	audit_add(au, "dns.caa", "CAA records present", AUDIT_MUST,
		  AUDIT_UNKNOWN, "ward's resolver does not look up CAA yet");
}
