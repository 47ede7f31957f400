/*
 * dns.h: validating, asynchronous DNS for XMPP on top of libunbound: SRV
 * (RFC 6120 3.2, XEP-0368), A/AAAA, TLSA and CAA (for `ward audit`), each
 * answer marked SECURE, INSECURE or BOGUS. One struct dns per account.
 */
#ifndef WARD_DNS_H
#define WARD_DNS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* How far an answer can be trusted. Ordered: a larger value is worse. */
enum dns_sec {
	DNS_SEC_SECURE,   /* every answer used validated to an anchor */
	DNS_SEC_INSECURE, /* provably unsigned (or no anchor at all) */
	DNS_SEC_BOGUS,    /* validation failed: never use the data */
};

/* Wire constants shared by dns.c and dns_answer.c. */
#define DNS_NAME_MAX 253 /* presentation form, no trailing dot */
#define DNS_TYPE_A 1
#define DNS_TYPE_AAAA 28
#define DNS_TYPE_SRV 33
#define DNS_TYPE_TLSA 52
#define DNS_TYPE_CAA 257

/* Returns "secure", "insecure" or "bogus" (static). */
const char *dns_sec_name(enum dns_sec sec);

/*
 * Checks a domain name (ASCII letters, digits, '-' and '_', labels of
 * 1..63, at most DNS_NAME_MAX besides one trailing dot) and copies it
 * without that dot into out (DNS_NAME_MAX + 1 bytes). WARD_ERR_INVAL
 * otherwise.
 */
int dns_name_check(const char *name, char *out);

#define DNS_MAX_STUBS 8

/*
 * Resolver settings. Strings are copied by dns_new(); the caller keeps its
 * own. A zeroed struct means: no anchor (everything INSECURE), recurse from
 * the root.
 */
struct dns_opts {
	/* e.g. WARD_ROOT_ANCHOR; NULL or missing on disk: skipped */
	const char *root_anchor_file;
	/* dns_trust_anchor: DS/DNSKEY lines; NULL if none; must exist */
	const char *trust_anchor_file;
	/* dns_stub: queries for zone (and below) go to addr:port */
	struct {
		const char *zone, *addr;
		unsigned port;
	} stubs[DNS_MAX_STUBS];
	size_t nstubs;
	/* NULL: recurse from the root; else forward to the nameservers of
	 * this resolv.conf (answers are still validated here) */
	const char *resolv_conf;
	/* a lookup not answered after this long fails with WARD_ERR_AGAIN;
	 * 0: DNS_TIMEOUT_MS (libunbound alone gives up only after ~17 s) */
	unsigned timeout_ms;
};
#define DNS_TIMEOUT_MS 10000

struct dns;

/*
 * Creates a resolver (libunbound, worker thread), keeping a copy of o for
 * dns_release(). For each stub it also sets
 * "do-not-query-localhost: no" and "local-zone: ZONE transparent" (unbound
 * answers .test and other special names locally otherwise). Returns
 * WARD_ERR_INVAL (bad stub, unreadable trust_anchor_file), WARD_ERR_NOMEM or
 * WARD_ERR_SYSTEM. Free with dns_free().
 */
int dns_new(const struct dns_opts *o, struct dns **out);

/*
 * The one descriptor to poll for reading; call dns_process() when it is
 * readable. It stays the same for the life of d, and it also turns readable
 * when a lookup times out, so no timer is needed outside. (Linux: an epoll
 * set of libunbound's result pipe, a queue of immediate answers and a
 * timerfd.)
 */
int dns_fd(struct dns *d);

/*
 * Delivers every finished lookup to its callback. Callbacks may start new
 * lookups, cancel others and call dns_free(d) (the free then happens when
 * dns_process returns; no later callback runs). Returns WARD_OK or
 * WARD_ERR_SYSTEM if libunbound's pipe broke.
 */
int dns_process(struct dns *d);

/*
 * Drops libunbound's context (its worker thread, caches and preallocated
 * buffers: about 1.5 MB) when no lookup is outstanding; the next lookup
 * makes a new one from the same settings. ward looks names up only to
 * connect, so the account calls this once a session is established: a
 * reconnect then looks everything up afresh (TLSA included). No-op when
 * lookups are outstanding or inside dns_process().
 */
void dns_release(struct dns *d);

/* Cancels every lookup (no callback runs after this) and frees d. NULL ok. */
void dns_free(struct dns *d);

/*
 * Cancels every outstanding lookup started with this callback argument;
 * their callbacks never run. Returns how many were cancelled.
 */
size_t dns_cancel_arg(struct dns *d, void *arg);

/* Number of lookups not yet delivered. */
size_t dns_pending(const struct dns *d);

/*
 * Callbacks, all alike: err is WARD_OK and res is set (the callee owns res
 * and frees it with the matching *_free), or err is negative and res is NULL:
 *   WARD_ERR_AGAIN  the lookup failed (SERVFAIL that is not a validation
 *                   failure, REFUSED, no answer within
 *                   timeout_ms): try later
 *   WARD_ERR_PROTO  answers came back but nothing usable was in them
 *   WARD_ERR_NOMEM, WARD_ERR_SYSTEM
 * A validation failure is not an error: err is WARD_OK and res->sec is
 * DNS_SEC_BOGUS, res->bogus_what says which record and why, and res holds
 * no targets, addresses or records at all.
 */

/* One place to connect to. */
struct dns_target {
	char *host; /* SRV target, no trailing dot; [A-Za-z0-9_-.] */
	unsigned port;
	int direct_tls; /* 1: from _xmpps-client (XEP-0368), TLS first */
	unsigned priority, weight;
};

struct dns_srv_result {
	enum dns_sec sec; /* worst over the SRV lookups made */
	char *bogus_what; /* "_xmpp-client._tcp.D SRV: why" when BOGUS */
	struct dns_target *targets; /* try in this order */
	size_t ntargets;
	int no_service; /* a "." target and nothing else usable: the
			   domain offers no XMPP; do not fall back */
	int fallback;   /* no SRV at all: targets = {domain:5222
			   STARTTLS} (RFC 6120 3.2.1) */
};
typedef void (*dns_srv_cb)(void *arg, int err, struct dns_srv_result *res);

/*
 * Looks up _xmpps-client._tcp.DOMAIN and _xmpp-client._tcp.DOMAIN in
 * parallel and merges them per XEP-0368: one list sorted by priority, a
 * weighted random order within a priority (RFC 2782), direct TLS targets
 * flagged. domain is ASCII (A-labels), at most 253 characters, with or
 * without a trailing dot. cb runs from dns_process(), never from here.
 * Returns WARD_OK, WARD_ERR_INVAL (bad domain), WARD_ERR_NOMEM or
 * WARD_ERR_SYSTEM.
 */
int dns_resolve_xmpp(struct dns *d, const char *domain, dns_srv_cb cb,
		     void *arg);
void dns_srv_result_free(struct dns_srv_result *res);

struct dns_addr_result {
	enum dns_sec sec;               /* worst of the A and AAAA lookups */
	char *bogus_what;               /* "xmpp.D AAAA: why" when BOGUS */
	struct sockaddr_storage *addrs; /* IPv6 and IPv4 interleaved, IPv6
					   first; port set */
	size_t naddrs;                  /* 0: the name has no address */
};
typedef void (*dns_addr_cb)(void *arg, int err, struct dns_addr_result *res);

/*
 * Looks up AAAA and A of host in parallel. One family failing (SERVFAIL) is
 * tolerated when the other has addresses. An IP literal ("192.0.2.1",
 * "2001:db8::1", "[2001:db8::1]") is answered without a query, INSECURE, on
 * the next dns_process() (dns_fd() turns readable at once); cb never runs
 * from inside this function. Returns as dns_resolve_xmpp().
 */
int dns_resolve_addr(struct dns *d, const char *host, unsigned port,
		     dns_addr_cb cb, void *arg);
void dns_addr_result_free(struct dns_addr_result *res);

/* One TLSA record (RFC 6698). */
struct dns_tlsa {
	uint8_t usage, selector, mtype;
	unsigned char *data; /* certificate association data */
	size_t len;
};

struct dns_tlsa_result {
	enum dns_sec sec; /* DANE may be used only when SECURE */
	char *bogus_what;
	struct dns_tlsa *records;
	size_t nrecords; /* 0: no TLSA (NXDOMAIN/NODATA) */
};
typedef void (*dns_tlsa_cb)(void *arg, int err, struct dns_tlsa_result *res);

/*
 * Looks up TLSA at _PORT._tcp.HOST (RFC 7672/7673: host is the SRV target).
 * Records with malformed rdata are skipped. Returns as dns_resolve_xmpp().
 */
int dns_resolve_tlsa(struct dns *d, const char *host, unsigned port,
		     dns_tlsa_cb cb, void *arg);
void dns_tlsa_result_free(struct dns_tlsa_result *res);

/* One CAA record (RFC 8659). Everything in it is untrusted. */
#define DNS_CAA_TAG_MAX 15
#define DNS_CAA_CRITICAL 0x80 /* flags: issuer critical */
struct dns_caa {
	uint8_t flags;
	char tag[DNS_CAA_TAG_MAX + 1]; /* 1..15 ASCII letters and digits */
	unsigned char *value; /* len bytes (any, NUL too) and a NUL after */
	size_t len;
};

struct dns_caa_result {
	enum dns_sec sec;
	char *bogus_what;
	struct dns_caa *records;
	size_t nrecords;   /* 0: no CAA at this name (NXDOMAIN/NODATA) */
	size_t nmalformed; /* records skipped as malformed */
};
typedef void (*dns_caa_cb)(void *arg, int err, struct dns_caa_result *res);

/*
 * Looks up CAA at name itself (no climbing to the parents: RFC 8659's
 * search for the relevant record set is the caller's, one name a lookup).
 * Records with malformed rdata are skipped and counted. Returns as
 * dns_resolve_xmpp().
 */
int dns_resolve_caa(struct dns *d, const char *name, dns_caa_cb cb, void *arg);
void dns_caa_result_free(struct dns_caa_result *res);

/*
 * The pure parts (dns_answer.c), exported for tests/unit/dns. No I/O.
 */
struct ub_result;

/* Random number in [0, bound) (bound > 0). */
typedef uint32_t (*dns_rand_fn)(void *ctx, uint32_t bound);

/*
 * Parses one SRV rdata (uncompressed wire format, exactly len bytes). On
 * success fills *t (t->host allocated, caller frees; "" for the root ".")
 * and returns WARD_OK; WARD_ERR_PARSE for a malformed record or a target
 * with characters outside [A-Za-z0-9_-]; WARD_ERR_NOMEM.
 */
int dns_srv_parse(const unsigned char *rdata, size_t len, int direct_tls,
		  struct dns_target *t);

/*
 * Orders n targets in place: ascending priority, then RFC 2782's weighted
 * random selection within each priority (weight 0 has a small chance).
 * rnd NULL: arc4random_uniform.
 */
void dns_srv_order(struct dns_target *t, size_t n, dns_rand_fn rnd, void *rctx);

/*
 * Turns the two SRV answers (either may be NULL: not asked) into a result
 * for domain (no trailing dot): BOGUS wins, then usable targets, then
 * no_service, then the fallback. *out set only on WARD_OK; the caller frees
 * it with dns_srv_result_free().
 */
int dns_srv_merge(const char *domain, const struct ub_result *xmpps,
		  const struct ub_result *xmpp, dns_rand_fn rnd, void *rctx,
		  struct dns_srv_result **out);

/* The same for an AAAA and an A answer (either may be NULL). */
int dns_addr_merge(const struct ub_result *aaaa, const struct ub_result *a,
		   unsigned port, struct dns_addr_result **out);

/* The same for one TLSA answer. */
int dns_tlsa_merge(const struct ub_result *r, struct dns_tlsa_result **out);

/* The same for one CAA answer (dns_caa_parse for each record). */
int dns_caa_merge(const struct ub_result *r, struct dns_caa_result **out);

/*
 * CAA (dns_caa.c). Parses one CAA rdata (RFC 8659 4.1: flags, a tag length
 * of 1..15, the tag in ASCII letters and digits, the value: the rest,
 * exactly len bytes in all). On success fills *c (c->value allocated and
 * NUL-terminated after its len bytes; free with dns_caa_clear) and returns
 * WARD_OK; WARD_ERR_PARSE for malformed rdata (*c then holds nothing);
 * WARD_ERR_NOMEM.
 */
int dns_caa_parse(const unsigned char *rdata, size_t len, struct dns_caa *c);
void dns_caa_clear(struct dns_caa *c);

/*
 * The record in presentation form, `FLAGS TAG "VALUE"`, into out (always
 * terminated): every value byte outside printable ASCII, and '"' and
 * '\\', as \DDD (RFC 1035 5.1), so untrusted bytes never reach a terminal
 * or a log raw; cut with "..." when it does not fit. Returns out.
 */
const char *dns_caa_text(const struct dns_caa *c, char *out, size_t outlen);

/* 1 when the tag is "issue" or "issuewild" (tags are case-insensitive). */
int dns_caa_is_issue(const struct dns_caa *c);

/*
 * The issuer domain of an issue or issuewild value (RFC 8659 4.2) into out
 * ("" for ";": no CA may issue). WARD_OK, or WARD_ERR_PARSE when the value
 * is not an issue-value or out is too small.
 */
int dns_caa_issuer(const struct dns_caa *c, char *out, size_t outlen);

/*
 * How many parameters named name (case-insensitive) an issue or issuewild
 * value carries, e.g. "accounturi" (RFC 8657); -1 when the value is not an
 * issue-value.
 */
int dns_caa_param_count(const struct dns_caa *c, const char *name);

/* Limits on what one answer may contribute (the rest is ignored). */
#define DNS_MAX_TARGETS 32 /* per SRV service */
#define DNS_MAX_ADDRS 16   /* per address family */
#define DNS_MAX_TLSA 16
#define DNS_MAX_CAA 16

#endif
