/*
 * conn_dns.c: the lookups before a connection (see conn.h): SRV (or the
 * server setting, or the RFC 6120 fallback), A/AAAA of each target, and
 * TLSA when the way there was DNSSEC-secure (RFC 7673). A BOGUS answer
 * ends the attempt before any TCP connection; then conn.c connects.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "conn.h"
#include "conn_priv.h"
#include "ward.h"

static void conn_tlsa_start(struct conn *c);

/* Worst of two DNSSEC states. */
static enum dns_sec
conn_dns_worst(enum dns_sec a, enum dns_sec b)
{
	if (a == DNS_SEC_BOGUS || b == DNS_SEC_BOGUS)
		return DNS_SEC_BOGUS;
	if (a == DNS_SEC_INSECURE || b == DNS_SEC_INSECURE)
		return DNS_SEC_INSECURE;
	return DNS_SEC_SECURE;
}

static void
conn_addr_done(void *arg, int err, struct dns_addr_result *res)
{
	struct conn *c = arg;
	char text[512];

	c->dns_pending = 0;
	if (err != WARD_OK || res == NULL) {
		snprintf(c->last_err_code, sizeof(c->last_err_code), "%s",
		    "dns-failed");
		snprintf(c->last_err_text, sizeof(c->last_err_text),
		    "address lookup for %s failed", c->targets[c->ti].host);
		if (res != NULL)
			dns_addr_result_free(res);
		c->ti++;
		conn_next_target(c);
		return;
	}
	if (res->sec == DNS_SEC_BOGUS) {
		snprintf(text, sizeof(text), "DNSSEC validation failed: %s",
		    res->bogus_what ? res->bogus_what : c->targets[c->ti].host);
		dns_addr_result_free(res);
		conn_fail(c, "dnssec-bogus", text);
		return;
	}
	if (res->sec == DNS_SEC_INSECURE && c->require_dnssec) {
		dns_addr_result_free(res);
		snprintf(text, sizeof(text), "address of %s is not "
		    "DNSSEC-signed and dnssec = require", c->targets[c->ti].host);
		conn_fail(c, "dnssec-insecure", text);
		return;
	}
	c->rep.dnssec_addr = res->sec;
	c->rep.dnssec = conn_dns_worst(c->rep.dnssec_srv, res->sec);
	free(c->addrs);
	c->addrs = res->addrs;
	c->naddrs = res->naddrs;
	res->addrs = NULL;
	res->naddrs = 0;
	dns_addr_result_free(res);
	c->ai = 0;
	log_debug("%s: %zu addresses for %s (dnssec %s)", c->domain, c->naddrs,
	    c->targets[c->ti].host, dns_sec_name(c->rep.dnssec_addr));
	conn_tlsa_start(c);
}

static void
conn_tlsa_done(void *arg, int err, struct dns_tlsa_result *res)
{
	struct conn *c = arg;
	const struct dns_target *t = &c->targets[c->ti];
	char text[512];

	c->dns_pending = 0;
	if (err != WARD_OK || res == NULL) {
		/* RFC 7673 3.2: not knowing whether TLSA exists must not turn
		 * DANE off; this target is skipped */
		snprintf(c->last_err_code, sizeof(c->last_err_code), "%s",
		    "dns-failed");
		snprintf(c->last_err_text, sizeof(c->last_err_text),
		    "TLSA lookup for _%u._tcp.%s failed", t->port, t->host);
		dns_tlsa_result_free(res);
		c->ti++;
		conn_next_target(c);
		return;
	}
	c->rep.tlsa_looked_up = 1;
	c->rep.dnssec_tlsa = res->sec;
	if (res->sec == DNS_SEC_BOGUS) {
		snprintf(text, sizeof(text), "DNSSEC validation failed: %s",
		    res->bogus_what ? res->bogus_what : "TLSA");
		dns_tlsa_result_free(res);
		conn_fail(c, "dnssec-bogus", text);
		return;
	}
	if (res->sec == DNS_SEC_INSECURE && c->require_dnssec) {
		dns_tlsa_result_free(res);
		snprintf(text, sizeof(text), "TLSA of %s is not DNSSEC-signed "
		    "and dnssec = require", t->host);
		conn_fail(c, "dnssec-insecure", text);
		return;
	}
	c->rep.dnssec = conn_dns_worst(c->rep.dnssec, res->sec);
	if (res->sec == DNS_SEC_SECURE) {
		c->tlsa = res->records;
		c->ntlsa = res->nrecords;
		res->records = NULL;
		res->nrecords = 0;
	}
	dns_tlsa_result_free(res);
	log_debug("%s: %zu TLSA records for _%u._tcp.%s (dnssec %s)",
	    c->domain, c->ntlsa, t->port, t->host,
	    dns_sec_name(c->rep.dnssec_tlsa));
	conn_try_addr(c);
}

/*
 * RFC 7673 3: TLSA is looked up only when the way to the target (its SRV
 * records, or the host named in the settings, and its addresses) was
 * DNSSEC-secure; otherwise plain PKIX applies.
 */
static void
conn_tlsa_start(struct conn *c)
{
	const struct dns_target *t = &c->targets[c->ti];

	if (c->rep.dnssec_srv != DNS_SEC_SECURE ||
	    c->rep.dnssec_addr != DNS_SEC_SECURE || c->naddrs == 0) {
		conn_try_addr(c);
		return;
	}
	c->phase = PH_TLSA;
	c->dns_pending = 1;
	if (dns_resolve_tlsa(c->dns, t->host, t->port, conn_tlsa_done, c) !=
	    WARD_OK) {
		c->dns_pending = 0;
		conn_fail(c, "dns-failed", "cannot start TLSA lookup");
	}
}

/* An IP literal needs no lookup. */
static int
conn_literal_addr(struct conn *c, const char *host, unsigned port)
{
	struct sockaddr_in6 s6;
	struct sockaddr_in s4;

	memset(&s6, 0, sizeof(s6));
	memset(&s4, 0, sizeof(s4));
	free(c->addrs);
	c->addrs = NULL;
	c->naddrs = 0;
	if (inet_pton(AF_INET6, host, &s6.sin6_addr) == 1) {
		s6.sin6_family = AF_INET6;
		s6.sin6_port = htons((uint16_t)port);
		c->addrs = xcalloc(1, sizeof(*c->addrs));
		memcpy(&c->addrs[0], &s6, sizeof(s6));
	} else if (inet_pton(AF_INET, host, &s4.sin_addr) == 1) {
		s4.sin_family = AF_INET;
		s4.sin_port = htons((uint16_t)port);
		c->addrs = xcalloc(1, sizeof(*c->addrs));
		memcpy(&c->addrs[0], &s4, sizeof(s4));
	} else {
		return 0;
	}
	c->naddrs = 1;
	c->ai = 0;
	return 1;
}

void
conn_next_target(struct conn *c)
{
	struct dns_target *t;

	if (c->ti >= c->ntargets) {
		conn_fail(c, c->last_err_code[0] ? c->last_err_code :
		    "connect-failed", c->last_err_text[0] ? c->last_err_text :
		    "no server could be reached");
		return;
	}
	t = &c->targets[c->ti];
	conn_clear_tlsa(c);
	c->rep.tlsa_looked_up = 0;
	c->rep.dnssec_tlsa = DNS_SEC_INSECURE;
	snprintf(c->rep.target, sizeof(c->rep.target), "%s:%u", t->host,
	    t->port);
	c->rep.direct_tls = t->direct_tls;
	if (conn_literal_addr(c, t->host, t->port)) {
		c->rep.dnssec_addr = DNS_SEC_INSECURE;
		c->rep.dnssec = DNS_SEC_INSECURE;
		if (c->require_dnssec) {
			conn_fail(c, "dnssec-insecure", "server is an IP "
			    "address (no DNSSEC) and dnssec = require");
			return;
		}
		conn_try_addr(c);
		return;
	}
	c->phase = PH_ADDR;
	c->dns_pending = 1;
	if (dns_resolve_addr(c->dns, t->host, t->port, conn_addr_done, c) !=
	    WARD_OK) {
		c->dns_pending = 0;
		conn_fail(c, "dns-failed", "cannot start address lookup");
	}
}

static void
conn_srv_done(void *arg, int err, struct dns_srv_result *res)
{
	struct conn *c = arg;
	char text[512];
	size_t i;

	c->dns_pending = 0;
	if (err != WARD_OK || res == NULL) {
		if (res != NULL)
			dns_srv_result_free(res);
		conn_fail(c, "dns-failed", "SRV lookup failed");
		return;
	}
	if (res->sec == DNS_SEC_BOGUS) {
		snprintf(text, sizeof(text), "DNSSEC validation failed: %s",
		    res->bogus_what ? res->bogus_what : c->domain);
		dns_srv_result_free(res);
		conn_fail(c, "dnssec-bogus", text);
		return;
	}
	if (res->sec == DNS_SEC_INSECURE && c->require_dnssec) {
		dns_srv_result_free(res);
		conn_fail(c, "dnssec-insecure", "the domain's DNS is not "
		    "DNSSEC-signed and dnssec = require");
		return;
	}
	if (res->no_service || res->ntargets == 0) {
		dns_srv_result_free(res);
		conn_fail(c, "no-service", "the domain offers no XMPP service");
		return;
	}
	c->rep.dnssec_srv = res->sec;
	c->rep.srv_used = !res->fallback;
	c->targets = xcalloc(res->ntargets, sizeof(*c->targets));
	for (i = 0; i < res->ntargets; i++) {
		c->targets[i] = res->targets[i];
		c->targets[i].host = xstrdup(res->targets[i].host);
	}
	c->ntargets = res->ntargets;
	dns_srv_result_free(res);
	c->ti = 0;
	conn_next_target(c);
}

void
conn_lookup_start(struct conn *c)
{
	c->rep.dnssec_srv = DNS_SEC_SECURE;	/* no SRV lookup made yet */
	if (c->server != NULL) {
		c->targets = xcalloc(1, sizeof(*c->targets));
		c->targets[0].host = xstrdup(c->server);
		c->targets[0].port = c->port ? c->port : 5222;
		c->targets[0].direct_tls = c->direct_tls_override;
		c->ntargets = 1;
		c->phase = PH_ADDR;
		conn_next_target(c);
		return;
	}
	c->phase = PH_SRV;
	c->dns_pending = 1;
	if (dns_resolve_xmpp(c->dns, c->domain, conn_srv_done, c) != WARD_OK) {
		c->dns_pending = 0;
		conn_fail(c, "dns-failed", "cannot start SRV lookup");
	}
}
