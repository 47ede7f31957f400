/*
 * http.c: HTTPS transfers on libcurl's multi interface inside ward's loop
 * (http.h states the rules). The host's address comes from ward's
 * validating resolver and is pinned into libcurl; redirects are followed
 * here, not by libcurl, so that each one is checked before any byte goes
 * out.
 */
#include "http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "curl_lib.h"
#include "loop.h"
#include "ward.h"

#define HTTP_CONNECT_TIMEOUT_S 20L
#define HTTP_STALL_TIMEOUT_S 60L /* under 1 byte/s this long: give up */

struct http {
	struct loop *l;
	CURLM *multi;
	uint64_t timer;
	struct http_req *reqs;
	unsigned n;
};

struct http_req {
	struct http *h;
	struct http_req *next;
	CURL *easy;
	char *url, *host, *method, *content_type;
	unsigned port;
	int literal; /* host is an IP address */
	struct dns *dns;
	int dnssec_required, tls_min;
	char *ca_file;
	uint64_t max_bytes, got, in_size;
	int out_fd, in_fd;
	struct curl_slist *resolve, *hdrs;
	struct sockaddr_storage *addrs; /* the only addresses connected to */
	size_t naddrs;
	enum dns_sec sec;
	unsigned redirects;
	int over_cap, io_failed;
	int sock; /* the newest socket opened for it (-1: none) */
	dev_t sock_dev;
	ino_t sock_ino;
	char errbuf[CURL_ERROR_SIZE];
	http_progress_fn progress;
	http_done_fn done;
	void *arg;
};

/* libcurl's calls (curl_lib.c loads it on first use) */
static const struct curl_lib *cl;

/* ---- URLs ---- */

int
http_url_target(const char *url, char **host, unsigned *port, const char **why)
{
	CURLU *u;
	char *scheme = NULL, *h = NULL, *p = NULL;
	int rc = WARD_ERR_INVAL;
	size_t n;

	*host = NULL;
	if (cl == NULL && (cl = curl_lib_get(why)) == NULL)
		return WARD_ERR_SYSTEM;
	*why = "not a valid address";
	if ((u = cl->url()) == NULL)
		return WARD_ERR_NOMEM;
	if (cl->url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK)
		goto out;
	if (cl->url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK)
		goto out;
	if (strcasecmp(scheme, "https") != 0) {
		*why = "only https addresses are fetched";
		rc = WARD_ERR_POLICY;
		goto out;
	}
	if (cl->url_get(u, CURLUPART_HOST, &h, 0) != CURLUE_OK ||
	    cl->url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT) != CURLUE_OK)
		goto out;
	{
		char *user = NULL;
		/* credentials in a link: never sent anywhere */
		if (cl->url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK) {
			cl->free(user);
			*why = "an address with a user name is refused";
			rc = WARD_ERR_POLICY;
			goto out;
		}
	}
	n = strlen(h);
	if (n >= 2 && h[0] == '[' && h[n - 1] == ']')
		*host = xstrndup(h + 1, n - 2);
	else
		*host = xstrdup(h);
	for (char *c = *host; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	*port = (unsigned)strtoul(p, NULL, 10);
	if (*port == 0 || *port > 65535 || **host == '\0') {
		free(*host);
		*host = NULL;
		goto out;
	}
	*why = NULL;
	rc = WARD_OK;
out:
	cl->free(scheme);
	cl->free(h);
	cl->free(p);
	cl->url_cleanup(u);
	return rc;
}

/* ---- requests ---- */

static void
http_req_free(struct http_req *r)
{
	if (r->easy != NULL) {
		cl->multi_remove_handle(r->h->multi, r->easy);
		cl->easy_cleanup(r->easy);
	}
	cl->slist_free_all(r->resolve);
	cl->slist_free_all(r->hdrs);
	free(r->addrs);
	free(r->url);
	free(r->host);
	free(r->method);
	free(r->content_type);
	free(r->ca_file);
	free(r);
}

static void
http_unlink(struct http_req *r)
{
	struct http_req **pp;

	for (pp = &r->h->reqs; *pp != NULL; pp = &(*pp)->next)
		if (*pp == r) {
			*pp = r->next;
			r->h->n--;
			return;
		}
}

static void
http_finish(struct http_req *r, int err, const char *why, long status)
{
	struct http_result res;

	http_unlink(r);
	memset(&res, 0, sizeof(res));
	res.status = status;
	res.bytes = r->got;
	res.dns_sec = r->sec;
	if (r->dns != NULL)
		dns_cancel_arg(r->dns, r);
	r->done(r->arg, err, why, &res);
	http_req_free(r);
}

static int
http_status_ok(CURL *e)
{
	long st = 0;

	cl->easy_getinfo(e, CURLINFO_RESPONSE_CODE, &st);
	return st >= 200 && st < 300;
}

static size_t
http_write(char *data, size_t size, size_t nmemb, void *arg)
{
	struct http_req *r = arg;
	size_t len = size * nmemb, off = 0;

	if (!http_status_ok(r->easy))
		return len; /* a redirect's or an error's body: dropped */
	if (r->got + len > r->max_bytes) {
		r->over_cap = 1;
		return 0;
	}
	while (off < len) {
		ssize_t w = write(r->out_fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			r->io_failed = 1;
			return 0;
		}
		off += (size_t)w;
	}
	r->got += len;
	return len;
}

static size_t
http_read(char *buf, size_t size, size_t nmemb, void *arg)
{
	struct http_req *r = arg;
	size_t want = size * nmemb;
	ssize_t n;

	if (want > r->in_size - r->got)
		want = (size_t)(r->in_size - r->got);
	if (want == 0)
		return 0;
	do
		n = read(r->in_fd, buf, want);
	while (n < 0 && errno == EINTR);
	if (n <= 0) {
		r->io_failed = 1;
		return CURL_READFUNC_ABORT;
	}
	r->got += (uint64_t)n;
	return (size_t)n;
}

static int
http_xferinfo(void *arg, curl_off_t dltotal, curl_off_t dlnow,
	      curl_off_t ultotal, curl_off_t ulnow)
{
	struct http_req *r = arg;

	if (r->progress == NULL)
		return 0;
	if (r->in_fd >= 0)
		r->progress(r->arg, (uint64_t)ulnow, (uint64_t)ultotal);
	else if (http_status_ok(r->easy))
		r->progress(r->arg, (uint64_t)dlnow, (uint64_t)dltotal);
	return 0;
}

/* 1 when sa is one of the addresses ward's resolver gave. */
static int
http_addr_pinned(const struct http_req *r, const struct sockaddr *sa)
{
	size_t i;

	for (i = 0; i < r->naddrs; i++) {
		const struct sockaddr_storage *p = &r->addrs[i];
		if (p->ss_family != sa->sa_family)
			continue;
		if (sa->sa_family == AF_INET &&
		    memcmp(&((const struct sockaddr_in *)p)->sin_addr,
			   &((const struct sockaddr_in *)(const void *)sa)
				->sin_addr,
			   4) == 0)
			return 1;
		if (sa->sa_family == AF_INET6 &&
		    memcmp(&((const struct sockaddr_in6 *)p)->sin6_addr,
			   &((const struct sockaddr_in6 *)(const void *)sa)
				->sin6_addr,
			   16) == 0)
			return 1;
	}
	return 0;
}

/* Every socket libcurl opens: only to an address ward resolved (so a
 * lookup of libcurl's own, whatever caused it, can never be used). */
static curl_socket_t
http_opensocket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct http_req *r = arg;
	struct stat st;
	curl_socket_t fd;

	if (purpose != CURLSOCKTYPE_IPCXN ||
	    !http_addr_pinned(r, (const struct sockaddr *)&a->addr)) {
		log_warn("http: a connection to an address ward did not "
			 "resolve was refused");
		return CURL_SOCKET_BAD;
	}
	fd = socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
	if (fd >= 0 && fstat(fd, &st) == 0) {
		/* remembered for http_cut */
		r->sock = fd;
		r->sock_dev = st.st_dev;
		r->sock_ino = st.st_ino;
	}
	return fd;
}

/* Builds and adds the easy handle for r->url. */
static int
http_launch(struct http_req *r, const char **why)
{
	CURL *e = cl->easy_init();

	*why = "cannot start the transfer";
	if (e == NULL)
		return WARD_ERR_NOMEM;
	r->easy = e;
	r->errbuf[0] = '\0';
	cl->easy_setopt(e, CURLOPT_URL, r->url);
	cl->easy_setopt(e, CURLOPT_PRIVATE, r);
	cl->easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf);
	cl->easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	cl->easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https");
	cl->easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	cl->easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	cl->easy_setopt(e, CURLOPT_PROXY, "");
	cl->easy_setopt(e, CURLOPT_NOPROXY, "*");
	if (r->resolve != NULL)
		cl->easy_setopt(e, CURLOPT_RESOLVE, r->resolve);
	cl->easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, http_opensocket);
	cl->easy_setopt(e, CURLOPT_OPENSOCKETDATA, r);
	cl->easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	cl->easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	cl->easy_setopt(e, CURLOPT_SSLVERSION,
			r->tls_min == 12 ? CURL_SSLVERSION_TLSv1_2
					 : CURL_SSLVERSION_TLSv1_3);
	if (r->ca_file != NULL)
		cl->easy_setopt(e, CURLOPT_CAINFO, r->ca_file);
	cl->easy_setopt(e, CURLOPT_CONNECTTIMEOUT, HTTP_CONNECT_TIMEOUT_S);
	cl->easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
	cl->easy_setopt(e, CURLOPT_LOW_SPEED_TIME, HTTP_STALL_TIMEOUT_S);
	cl->easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
	cl->easy_setopt(e, CURLOPT_XFERINFOFUNCTION, http_xferinfo);
	cl->easy_setopt(e, CURLOPT_XFERINFODATA, r);
	if (r->in_fd >= 0) {
		cl->easy_setopt(e, CURLOPT_UPLOAD, 1L);
		cl->easy_setopt(e, CURLOPT_INFILESIZE_LARGE,
				(curl_off_t)r->in_size);
		cl->easy_setopt(e, CURLOPT_READFUNCTION, http_read);
		cl->easy_setopt(e, CURLOPT_READDATA, r);
		cl->easy_setopt(e, CURLOPT_HTTPHEADER, r->hdrs);
	} else {
		cl->easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
				(curl_off_t)r->max_bytes);
		cl->easy_setopt(e, CURLOPT_WRITEFUNCTION, http_write);
		cl->easy_setopt(e, CURLOPT_WRITEDATA, r);
	}
	if (cl->multi_add_handle(r->h->multi, e) != CURLM_OK) {
		cl->easy_cleanup(e);
		r->easy = NULL;
		return WARD_ERR_SYSTEM;
	}
	*why = NULL;
	return WARD_OK;
}

/* A 3xx: follow it only to the same https host and port. */
static void
http_redirect(struct http_req *r, long status)
{
	char *loc = NULL, *host = NULL, *next;
	unsigned port = 0;
	const char *why;

	cl->easy_getinfo(r->easy, CURLINFO_REDIRECT_URL, &loc);
	if (loc == NULL) {
		http_finish(r, WARD_ERR_PROTO,
			    "the server redirected "
			    "without saying where to",
			    status);
		return;
	}
	if (http_url_target(loc, &host, &port, &why) != WARD_OK) {
		http_finish(r, WARD_ERR_POLICY,
			    "redirected to an address "
			    "that is not https: refused",
			    status);
		return;
	}
	if (strcmp(host, r->host) != 0 || port != r->port) {
		free(host);
		http_finish(r, WARD_ERR_POLICY,
			    "redirected to another host: "
			    "refused",
			    status);
		return;
	}
	free(host);
	if (r->in_fd >= 0) {
		http_finish(r, WARD_ERR_POLICY,
			    "the upload was redirected: "
			    "refused",
			    status);
		return;
	}
	if (++r->redirects > HTTP_MAX_REDIRECTS) {
		http_finish(r, WARD_ERR_LIMIT, "too many redirects", status);
		return;
	}
	next = xstrdup(loc);
	cl->multi_remove_handle(r->h->multi, r->easy);
	cl->easy_cleanup(r->easy);
	r->easy = NULL;
	free(r->url);
	r->url = next;
	if (http_launch(r, &why) != WARD_OK)
		http_finish(r, WARD_ERR_SYSTEM, why, status);
}

/* Why a transfer failed, in words without the URL's path or query. */
static const char *
http_failure(struct http_req *r, CURLcode rc)
{
	if (r->over_cap || rc == CURLE_FILESIZE_EXCEEDED)
		return "the file is larger than the size limit";
	if (r->io_failed)
		return "cannot write or read the local file";
	switch (rc) {
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
		return "the server's certificate was not accepted";
	case CURLE_SSL_CONNECT_ERROR:
		return "the TLS handshake failed";
	case CURLE_OPERATION_TIMEDOUT:
		return "the server stopped answering (timeout)";
	case CURLE_COULDNT_CONNECT:
		return "cannot connect to the server";
	case CURLE_UNSUPPORTED_PROTOCOL:
		return "only https addresses are fetched";
	default:
		return cl->easy_strerror(rc);
	}
}

static void
http_check_done(struct http *h)
{
	CURLMsg *m;
	int left;

	while ((m = cl->multi_info_read(h->multi, &left)) != NULL) {
		struct http_req *r = NULL;
		long status = 0;

		if (m->msg != CURLMSG_DONE)
			continue;
		cl->easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &r);
		cl->easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE,
				 &status);
		if (m->data.result != CURLE_OK) {
			CURLcode rc = m->data.result;
			http_finish(r,
				    r->over_cap ? WARD_ERR_LIMIT : WARD_ERR_IO,
				    http_failure(r, rc), status);
		} else if (status >= 300 && status < 400)
			http_redirect(r, status);
		else if (status >= 200 && status < 300)
			http_finish(r, WARD_OK, NULL, status);
		else {
			char why[80];
			snprintf(why, sizeof(why),
				 "the server answered "
				 "HTTP %ld",
				 status);
			http_finish(r, WARD_ERR_PROTO, why, status);
		}
	}
}

/* ---- the loop ---- */

static void
http_io(void *arg, int fd, short revents)
{
	struct http *h = arg;
	int running, flags = 0;

	if (revents & POLLIN)
		flags |= CURL_CSELECT_IN;
	if (revents & POLLOUT)
		flags |= CURL_CSELECT_OUT;
	if (revents & (POLLERR | POLLHUP | POLLNVAL))
		flags |= CURL_CSELECT_ERR;
	cl->multi_socket_action(h->multi, fd, flags, &running);
	http_check_done(h);
}

static int
http_socket_cb(CURL *e, curl_socket_t s, int what, void *userp, void *socketp)
{
	struct http *h = userp;
	short ev = 0;

	(void)e;
	if (what == CURL_POLL_REMOVE) {
		if (socketp != NULL)
			loop_del_fd(h->l, s);
		cl->multi_assign(h->multi, s, NULL);
		return 0;
	}
	if (what & CURL_POLL_IN)
		ev |= POLLIN;
	if (what & CURL_POLL_OUT)
		ev |= POLLOUT;
	if (socketp == NULL) {
		if (loop_add_fd(h->l, s, ev, http_io, h) != WARD_OK)
			return -1;
		cl->multi_assign(h->multi, s, h);
	} else
		loop_set_events(h->l, s, ev);
	return 0;
}

static void
http_on_timer(void *arg)
{
	struct http *h = arg;
	int running;

	h->timer = 0;
	cl->multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	http_check_done(h);
}

static int
http_timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
	struct http *h = userp;

	(void)multi;
	loop_timer_cancel(h->l, h->timer);
	h->timer = 0;
	if (timeout_ms >= 0)
		h->timer = loop_timer_add(h->l, timeout_ms, http_on_timer, h);
	return 0;
}

struct http *
http_new(struct loop *l)
{
	struct http *h;

	if (cl == NULL && (cl = curl_lib_get(NULL)) == NULL)
		return NULL;
	h = xcalloc(1, sizeof(*h));
	h->l = l;
	h->multi = cl->multi_init();
	if (h->multi == NULL) {
		free(h);
		return NULL;
	}
	cl->multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, http_socket_cb);
	cl->multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
	cl->multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, http_timer_cb);
	cl->multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
	return h;
}

const char *
http_unavailable(void)
{
	const char *why = "cannot start HTTP";

	if (curl_lib_get(&why) != NULL)
		why = "cannot start HTTP";
	return why;
}

void
http_free(struct http *h)
{
	if (h == NULL)
		return;
	while (h->reqs != NULL)
		http_cancel(h->reqs);
	loop_timer_cancel(h->l, h->timer);
	cl->multi_cleanup(h->multi);
	free(h);
}

/* Makes the close of r's connection a reset (SO_LINGER 0): what the
 * kernel still holds for it is dropped, not sent. Only while the
 * descriptor is still the socket opened for r (the same inode), never a
 * number the system has given to something else since. */
static void
http_cut(struct http_req *r)
{
	struct linger cut = {1, 0};
	struct stat st;

	if (r->sock >= 0 && fstat(r->sock, &st) == 0 &&
	    st.st_dev == r->sock_dev && st.st_ino == r->sock_ino)
		(void)setsockopt(r->sock, SOL_SOCKET, SO_LINGER, &cut,
				 sizeof(cut));
}

void
http_cancel(struct http_req *r)
{
	if (r == NULL)
		return;
	/* an upload's bytes already written to the socket (a whole file can
	 * sit in the kernel's buffers) would still reach the server after a
	 * plain close, which ends the PUT and leaves the file there */
	http_cut(r);
	http_unlink(r);
	if (r->dns != NULL)
		dns_cancel_arg(r->dns, r);
	http_req_free(r);
}

unsigned
http_active(const struct http *h)
{
	return h == NULL ? 0 : h->n;
}

/* The host's addresses are known: pin them and start. */
static void
http_addr_done(void *arg, int err, struct dns_addr_result *res)
{
	struct http_req *r = arg;
	char *pin = NULL, *list = NULL, addr[INET6_ADDRSTRLEN + 2];
	const char *why;
	size_t i;

	if (res != NULL && !r->literal && res->sec == DNS_SEC_BOGUS) {
		r->sec = res->sec;
		dns_addr_result_free(res);
		http_finish(r, WARD_ERR_POLICY,
			    "the address of the file's "
			    "host failed DNSSEC validation (bogus): refused",
			    0);
		return;
	}
	if (err != WARD_OK || res == NULL || res->naddrs == 0) {
		if (res != NULL)
			dns_addr_result_free(res);
		http_finish(r, WARD_ERR_NOTFOUND,
			    "the file's host has no "
			    "address",
			    0);
		return;
	}
	r->sec = res->sec;
	if (!r->literal && res->sec == DNS_SEC_INSECURE && r->dnssec_required) {
		dns_addr_result_free(res);
		http_finish(r, WARD_ERR_POLICY,
			    "the file's host is not "
			    "DNSSEC-signed and dnssec = require",
			    0);
		return;
	}
	for (i = 0; i < res->naddrs; i++) {
		const struct sockaddr_storage *ss = &res->addrs[i];
		char *more;

		if (ss->ss_family == AF_INET6) {
			char a6[INET6_ADDRSTRLEN];
			inet_ntop(AF_INET6,
				  &((const struct sockaddr_in6 *)ss)->sin6_addr,
				  a6, sizeof(a6));
			snprintf(addr, sizeof(addr), "[%s]", a6);
		} else
			inet_ntop(AF_INET,
				  &((const struct sockaddr_in *)ss)->sin_addr,
				  addr, sizeof(addr));
		xasprintf(&more, "%s%s%s", list ? list : "", list ? "," : "",
			  addr);
		free(list);
		list = more;
	}
	r->addrs = res->addrs;
	r->naddrs = res->naddrs;
	res->addrs = NULL;
	res->naddrs = 0;
	dns_addr_result_free(res);
	if (!r->literal) {
		xasprintf(&pin, "%s:%u:%s", r->host, r->port, list);
		r->resolve = cl->slist_append(NULL, pin);
		free(pin);
	}
	free(list);
	if (http_launch(r, &why) != WARD_OK)
		http_finish(r, WARD_ERR_SYSTEM, why, 0);
}

static int
http_is_literal(const char *host)
{
	unsigned char buf[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, host, buf) == 1 ||
	       inet_pton(AF_INET6, host, buf) == 1;
}

int
http_start(struct http *h, const struct http_opts *o, http_progress_fn progress,
	   http_done_fn done, void *arg, struct http_req **out, char **why)
{
	struct http_req *r;
	const char *w;
	char *host;
	unsigned port;
	int rc;

	*why = NULL;
	*out = NULL;
	if ((rc = http_url_target(o->url, &host, &port, &w)) != WARD_OK) {
		*why = xstrdup(w);
		return rc;
	}
	r = xcalloc(1, sizeof(*r));
	r->h = h;
	r->sock = -1;
	r->url = xstrdup(o->url);
	r->host = host;
	r->port = port;
	r->literal = http_is_literal(host);
	r->method = xstrdup(o->method ? o->method : "GET");
	r->dns = o->dns;
	r->dnssec_required = o->dnssec_required;
	r->tls_min = o->tls_min;
	r->ca_file = o->ca_file ? xstrdup(o->ca_file) : NULL;
	r->max_bytes = o->max_bytes;
	r->out_fd = strcmp(r->method, "PUT") == 0 ? -1 : o->out_fd;
	r->in_fd = strcmp(r->method, "PUT") == 0 ? o->in_fd : -1;
	r->in_size = o->in_size;
	r->sec = DNS_SEC_BOGUS;
	r->progress = progress;
	r->done = done;
	r->arg = arg;
	if (r->in_fd >= 0) {
		r->hdrs = cl->slist_append(NULL, "Expect:");
		if (o->content_type != NULL) {
			char *ct;
			xasprintf(&ct, "Content-Type: %s", o->content_type);
			r->hdrs = cl->slist_append(r->hdrs, ct);
			free(ct);
		}
		for (size_t i = 0; o->headers != NULL && o->headers[i]; i++)
			r->hdrs = cl->slist_append(r->hdrs, o->headers[i]);
	}
	if (dns_resolve_addr(r->dns, host, port, http_addr_done, r) !=
	    WARD_OK) {
		*why = xstrdup("cannot look up the file's host");
		r->dns = NULL;
		http_req_free(r);
		return WARD_ERR_SYSTEM;
	}
	r->next = h->reqs;
	h->reqs = r;
	h->n++;
	*out = r;
	return WARD_OK;
}
