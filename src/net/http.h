/*
 * http.h: HTTPS transfers for file sharing (XEP-0363 upload, downloads) on
 * libcurl's multi interface, inside ward's loop. Whatever the caller asks,
 * a transfer only ever: speaks https; connects to an address ward's own
 * validating resolver gave (pinned with CURLOPT_RESOLVE, so libcurl does
 * no DNS; a BOGUS answer refuses, and so does an INSECURE one when the
 * account requires DNSSEC); verifies TLS like the account (its ca_file and
 * TLS minimum); follows at most HTTP_MAX_REDIRECTS redirects, each to the
 * same scheme, host and port; stops past a size cap; gives up on a stall.
 * No proxy from the environment is used.
 */
#ifndef WARD_HTTP_H
#define WARD_HTTP_H

#include <stdint.h>

#include "dns.h"

#define HTTP_MAX_REDIRECTS 3

struct loop;
struct http;
struct http_req;

struct http_opts {
	const char *url;            /* https://... (anything else is refused) */
	const char *method;         /* "GET" (default when NULL) or "PUT" */
	struct dns *dns;            /* the account's resolver */
	int dnssec_required;        /* 1: an INSECURE answer refuses too */
	const char *ca_file;        /* NULL: the system's trust store */
	int tls_min;                /* 12 or 13 */
	uint64_t max_bytes;         /* GET: refuse a body larger than this */
	int out_fd;                 /* GET: the body is written here */
	int in_fd;                  /* PUT: the body is read from here ... */
	uint64_t in_size;           /* ... this many bytes */
	const char *const *headers; /* PUT: "Name: value" lines, NULL-ended */
	const char *content_type;   /* PUT: NULL for none */
};

struct http_result {
	long status;          /* the last HTTP status (0: none) */
	uint64_t bytes;       /* body bytes written (GET) or sent (PUT) */
	enum dns_sec dns_sec; /* how the host's address was learned */
};

/* Progress: done and total (0 when unknown) bytes of the body. */
typedef void (*http_progress_fn)(void *arg, uint64_t done, uint64_t total);
/*
 * The end: err WARD_OK with a 2xx status, or an error with why (a
 * sentence for the user that never holds the URL's query or fragment).
 * The request is freed after this returns.
 */
typedef void (*http_done_fn)(void *arg, int err, const char *why,
			     const struct http_result *res);

/* NULL when libcurl cannot be loaded or set up (http_unavailable: why). */
struct http *http_new(struct loop *l);
/* Why http_new failed, in words. */
const char *http_unavailable(void);
/* Cancels every transfer (no callback runs) and frees h. NULL ok. */
void http_free(struct http *h);

/*
 * Starts a transfer. Returns WARD_OK and the request (until its done
 * callback), or an error with *why (malloc'd) and no callback.
 */
int http_start(struct http *h, const struct http_opts *o,
	       http_progress_fn progress, http_done_fn done, void *arg,
	       struct http_req **out, char **why);
/* Stops a transfer; its done callback never runs. Its connection is
 * reset (SO_LINGER 0): nothing queued for it is sent after. */
void http_cancel(struct http_req *r);
/* Transfers not finished yet. */
unsigned http_active(const struct http *h);

/*
 * Splits an https URL: host (lower case, IPv6 literals without brackets)
 * and port (443 when not given). WARD_ERR_POLICY for any other scheme,
 * WARD_ERR_INVAL for a malformed one (why says which). Exposed for tests.
 */
int http_url_target(const char *url, char **host, unsigned *port,
		    const char **why);

#endif
