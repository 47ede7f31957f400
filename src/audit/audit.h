/*
 * audit.h: `ward audit DOMAIN`, the manifesto's server rules measured from
 * outside. One-shot and blocking: validating DNS through ward's resolver,
 * TLS probes with their own OpenSSL contexts, the stream features read
 * before and after STARTTLS; with --account, one login of its own for the
 * rules only a client can see (audit_login.c). It only reads: no
 * registration, no presence, no message, nothing uploaded.
 */
#ifndef WARD_AUDIT_H
#define WARD_AUDIT_H

#include <stddef.h>
#include <stdio.h>
#include <sys/socket.h>

#include "dns.h"

struct account_config;

enum audit_verdict {
	AUDIT_PASS,
	AUDIT_PARTIAL,
	AUDIT_FAIL,
	AUDIT_UNKNOWN,
	AUDIT_NOT_OBSERVABLE,
	AUDIT_NEEDS_ACCOUNT,
};

/* "pass", "partial", "fail", "unknown", "not-observable", "needs-account" */
const char *audit_verdict_name(enum audit_verdict v);

/* The manifesto's word for a rule. */
enum audit_level { AUDIT_MUST, AUDIT_SHOULD, AUDIT_MAY };

#define AUDIT_MAX_CHECKS 48
#define AUDIT_MAX_TARGETS 4
#define AUDIT_EVIDENCE_MAX 400

struct audit_check {
	const char *id;   /* "tls.v13" (static) */
	const char *rule; /* the rule in words (static) */
	enum audit_level level;
	enum audit_verdict verdict;
	char evidence[AUDIT_EVIDENCE_MAX]; /* sanitised, one line */
};

/* One place the server listens (an SRV target or the fallback). */
struct audit_target {
	char host[DNS_NAME_MAX + 1];
	unsigned port;
	int direct_tls;
	struct sockaddr_storage addr; /* first address found */
	int have_addr;
	enum dns_sec addr_sec;
	struct dns_tlsa_result *tlsa; /* NULL: not looked up / failed */
};

struct audit {
	const char *domain;
	const char *ca_file; /* extra PKIX anchors, or NULL */
	unsigned timeout_ms; /* per network step */
	/* --server HOST [--port N]: probe this STARTTLS target instead of
	 * the SRV targets (the SRV records are still reported) */
	const char *server;
	unsigned server_port;
	/* --account NAME: the rules that need a login are checked with it
	 * (audit_account.c); NULL: reported as needs-account */
	const struct account_config *account;
	const char *account_name;
	int progress; /* progress lines on stderr */
	FILE *tsv;    /* --tsv: each check written here as it is made */
	struct dns *dns;
	struct audit_target targets[AUDIT_MAX_TARGETS];
	size_t ntargets;
	struct audit_check checks[AUDIT_MAX_CHECKS];
	size_t nchecks;
};

/* Records a check; fmt makes the evidence (sanitised for one line). */
void audit_add(struct audit *au, const char *id, const char *rule,
	       enum audit_level level, enum audit_verdict v, const char *fmt,
	       ...) __attribute__((format(printf, 6, 7)));
/* The check recorded under id, or NULL. */
const struct audit_check *audit_find(const struct audit *au, const char *id);
/* "[audit] what" on stderr when au->progress. */
void audit_progress(const struct audit *au, const char *what);

/* audit_dns.c: SRV, DNSSEC, addresses and TLSA of each target. */
void audit_dns(struct audit *au);
/* audit_tls.c: protocol versions, suites, certificate, DANE. */
void audit_tls(struct audit *au);
/* audit_target.c: the target a single-connection check uses (the login):
 * the first STARTTLS one with an address, else the first with an address;
 * NULL: none. */
const struct audit_target *audit_probe_target(const struct audit *au);
/* audit_features.c: what the stream offers before and after TLS. */
void audit_features(struct audit *au);
/* audit_report.c: the rules nothing outside can see. */
void audit_unobservable(struct audit *au);

/* audit_account.c: the rules that need a login (XEP-0157, upload slot
 * paths, XEP-0215 ports): "needs-account" without au->account or with an
 * account on another domain, "unknown" when the login fails. */
void audit_account(struct audit *au);

/* audit_slots.c: two XEP-0363 slots asked for with the same file name,
 * judged without ever showing their URLs (they are capabilities). */
struct audit_slot_verdict {
	enum audit_verdict random;   /* upload.paths: a random-looking part */
	enum audit_verdict username; /* upload.username: localpart absent */
	char random_why[200];
	char username_why[120];
	char shape[AUDIT_EVIDENCE_MAX]; /* "GET https://host/[36 chars...]" */
};
void audit_slots_judge(const char *get1, const char *put1, const char *get2,
		       const char *put2, const char *filename,
		       const char *localpart, struct audit_slot_verdict *v);

/* The human table, or one JSON object, on out. */
void audit_print_table(const struct audit *au, FILE *out);
int audit_print_json(const struct audit *au, FILE *out);
/* For ward's own /audit (audit_child.c): each check is written to
 * au->tsv as it is made, "check\tID\tLEVEL\tVERDICT\tRULE\tEVIDENCE"
 * (evidence is one sanitised line: no tab or newline); this writes the
 * last line, "end\tOK". */
void audit_print_tsv(const struct audit *au, FILE *out);
/* 0 when every MUST observed held (no MUST is "fail"), else 1. */
int audit_exit_status(const struct audit *au);

struct ward;
struct account;
/* /audit DOMAIN (audit_child.c): starts `ward audit DOMAIN --tsv` as a
 * child with a's DNS settings and ca_file; its checks come as `audit`
 * events and an `audit-end`. WARD_OK, or an error already reported as an
 * event (bad domain, one already running, fork failed). */
int audit_child_start(struct ward *w, struct account *a, const char *domain);

/* `ward audit ...` (argv[0] is "audit"). Returns the exit status. */
int audit_main(int argc, char **argv);

#endif
