/*
 * dns_helper.c: ward's resolver process. ward starts it (a fresh exec of
 * its own binary, see dns_link.c) when a lookup is needed and closes its
 * socket once connected, and the process ends. Only this process loads
 * libunbound, so the validator that parses what the network sends never
 * shares an address space with keys, passwords or history, and its 2 MB of
 * libraries are gone from ward while it is connected.
 *
 * It reads settings and queries on fd 0 and writes answers on fd 1 (one
 * socket), as dns_wire.h describes.
 */
#include <dlfcn.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <unbound.h>

#include "ward.h"
#include "ward-config.h"
#include "dns_helper.h"
#include "dns_wire.h"

#define HELPER_MAX_ACTIVE 64 /* queries open at once */
#define HELPER_IN_MAX (2 * (DNS_WIRE_HDR + DNS_WIRE_MAX))
#define HELPER_OUT_MAX (8 * (DNS_WIRE_HDR + DNS_WIRE_MAX))

/* libunbound, as loaded by dlopen: only the calls made here. */
struct helper_ub {
	void *lib;
	__typeof__(ub_ctx_create) *ctx_create;
	__typeof__(ub_ctx_delete) *ctx_delete;
	__typeof__(ub_ctx_set_option) *ctx_set_option;
	__typeof__(ub_ctx_debugout) *ctx_debugout;
	__typeof__(ub_ctx_async) *ctx_async;
	__typeof__(ub_ctx_set_stub) *ctx_set_stub;
	__typeof__(ub_ctx_add_ta_file) *ctx_add_ta_file;
	__typeof__(ub_ctx_resolvconf) *ctx_resolvconf;
	__typeof__(ub_fd) *fd;
	__typeof__(ub_process) *process;
	__typeof__(ub_resolve_async) *resolve_async;
	__typeof__(ub_cancel) *cancel;
	__typeof__(ub_resolve_free) *resolve_free;
};

/* One query open in libunbound. */
struct helper_slot {
	struct helper *h;
	uint32_t id;  /* ward's */
	int async_id; /* libunbound's */
	int used;
};

/*
 * global: the resolver process is in its sandbox. LeakSanitizer's check at
 * exit needs ptrace and /proc, which the sandbox refuses, so a sanitizer
 * build skips it there (this hook is the sanitizers' documented one; ward
 * itself and the tests keep the check).
 */
static int helper_sandboxed;

int __lsan_is_turned_off(void);
int
__lsan_is_turned_off(void)
{
	return helper_sandboxed;
}

struct helper {
	struct helper_ub ub;
	struct ub_ctx *ctx; /* NULL: settings refused, every query fails */
	int ctx_err;        /* libunbound error for every query then */
	struct helper_slot slot[HELPER_MAX_ACTIVE];
	struct wbuf in, out;
	int out_failed;
	int sandbox_tried;
};

static int
helper_load(struct helper_ub *u)
{
	if ((u->lib = dlopen(WARD_UNBOUND_LIB, RTLD_NOW | RTLD_LOCAL)) ==
	    NULL) {
		fprintf(stderr, "ward resolver: %s\n", dlerror());
		return WARD_ERR_SYSTEM;
	}
#define HELPER_SYM(f, name)                                                    \
	do {                                                                   \
		if ((*(void **)&u->f = dlsym(u->lib, name)) == NULL) {         \
			fprintf(stderr, "ward resolver: %s missing\n", name);  \
			return WARD_ERR_SYSTEM;                                \
		}                                                              \
	} while (0)
	HELPER_SYM(ctx_create, "ub_ctx_create");
	HELPER_SYM(ctx_delete, "ub_ctx_delete");
	HELPER_SYM(ctx_set_option, "ub_ctx_set_option");
	HELPER_SYM(ctx_debugout, "ub_ctx_debugout");
	HELPER_SYM(ctx_async, "ub_ctx_async");
	HELPER_SYM(ctx_set_stub, "ub_ctx_set_stub");
	HELPER_SYM(ctx_add_ta_file, "ub_ctx_add_ta_file");
	HELPER_SYM(ctx_resolvconf, "ub_ctx_resolvconf");
	HELPER_SYM(fd, "ub_fd");
	HELPER_SYM(process, "ub_process");
	HELPER_SYM(resolve_async, "ub_resolve_async");
	HELPER_SYM(cancel, "ub_cancel");
	HELPER_SYM(resolve_free, "ub_resolve_free");
#undef HELPER_SYM
	return WARD_OK;
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
helper_small_resolver(struct helper *h, struct ub_ctx *ctx)
{
	static const char *const opts[][2] = {
	    {"outgoing-range:", "64"},        {"num-queries-per-thread:", "32"},
	    {"outgoing-num-tcp:", "4"},       {"incoming-num-tcp:", "0"},
	    {"max-reuse-tcp-queries:", "16"}, {"msg-cache-size:", "256k"},
	    {"msg-cache-slabs:", "1"},        {"rrset-cache-size:", "256k"},
	    {"rrset-cache-slabs:", "1"},      {"key-cache-size:", "256k"},
	    {"key-cache-slabs:", "1"},        {"neg-cache-size:", "64k"},
	    {"infra-cache-slabs:", "1"},      {"infra-cache-numhosts:", "128"},
	};
	size_t i;
	int e;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if ((e = h->ub.ctx_set_option(ctx, opts[i][0], opts[i][1])) !=
		    UB_NOERROR)
			return e;
	return UB_NOERROR;
}

/*
 * Makes the resolver from ward's settings (already checked by ward, and
 * again by libunbound). Returns a libunbound error code.
 */
static int
helper_ctx_make(struct helper *h, const struct dns_opts *o, FILE *devnull)
{
	char zone[DNS_NAME_MAX + 2], buf[DNS_NAME_MAX + 64];
	struct ub_ctx *ctx;
	size_t i, n;
	int e;

	if ((ctx = h->ub.ctx_create()) == NULL)
		return UB_NOMEM;
	if ((e = h->ub.ctx_debugout(ctx, devnull)) != UB_NOERROR ||
	    (e = h->ub.ctx_async(ctx, 1)) != UB_NOERROR ||
	    (e = helper_small_resolver(h, ctx)) != UB_NOERROR)
		goto out;
	if (o->nstubs > 0 &&
	    (e = h->ub.ctx_set_option(ctx, "do-not-query-localhost:", "no")) !=
		UB_NOERROR)
		goto out;
	for (i = 0; i < o->nstubs; i++) {
		/* "." sends every name there (split DNS) */
		if (strcmp(o->stubs[i].zone, ".") == 0)
			zone[0] = '\0';
		else if (dns_name_check(o->stubs[i].zone, zone) != WARD_OK) {
			e = UB_SYNTAX; /* dns_wire_get_opts let it through */
			goto out;
		}
		n = strlen(zone);
		zone[n] = '.';
		zone[n + 1] = '\0';
		snprintf(buf, sizeof(buf), "%s@%u", o->stubs[i].addr,
			 o->stubs[i].port);
		if ((e = h->ub.ctx_set_stub(ctx, zone, buf, 0)) != UB_NOERROR)
			goto out;
		snprintf(buf, sizeof(buf), "%s transparent", zone);
		if (n > 0 && (e = h->ub.ctx_set_option(
				  ctx, "local-zone:", buf)) != UB_NOERROR)
			goto out;
	}
	if (o->root_anchor_file != NULL &&
	    access(o->root_anchor_file, R_OK) == 0 &&
	    (e = h->ub.ctx_add_ta_file(ctx, o->root_anchor_file)) != UB_NOERROR)
		goto out;
	if (o->trust_anchor_file != NULL &&
	    (e = h->ub.ctx_add_ta_file(ctx, o->trust_anchor_file)) !=
		UB_NOERROR)
		goto out;
	if (o->resolv_conf != NULL &&
	    (e = h->ub.ctx_resolvconf(ctx, o->resolv_conf)) != UB_NOERROR)
		goto out;
	h->ctx = ctx;
	return UB_NOERROR;
out:
	h->ub.ctx_delete(ctx);
	return e;
}

/* Queues an answer; one too big for a frame is sent as UB_NOMEM. */
static void
helper_answer(struct helper *h, uint32_t id, int err, struct ub_result *r)
{
	int e = dns_wire_put_answer(&h->out, id, err, r);

	if (e == WARD_ERR_LIMIT || e == WARD_ERR_INVAL)
		e = dns_wire_put_answer(&h->out, id, UB_NOMEM, NULL);
	if (e != WARD_OK)
		h->out_failed = 1;
}

/* libunbound's callback, from ub_process(). */
static void
helper_done(void *arg, int err, struct ub_result *r)
{
	struct helper_slot *s = arg;
	struct helper *h = s->h;

	helper_answer(h, s->id, err, r);
	if (r != NULL)
		h->ub.resolve_free(r);
	s->used = 0;
}

static void
helper_query(struct helper *h, uint32_t id, int rrtype, const char *name)
{
	struct helper_slot *s = NULL;
	size_t i;
	int e;

	if (h->ctx == NULL) {
		helper_answer(h, id, h->ctx_err, NULL);
		return;
	}
	for (i = 0; i < HELPER_MAX_ACTIVE && s == NULL; i++)
		if (!h->slot[i].used)
			s = &h->slot[i];
	if (s == NULL) {
		helper_answer(h, id, UB_NOMEM, NULL);
		return;
	}
	s->h = h;
	s->id = id;
	s->used = 1;
	e = h->ub.resolve_async(h->ctx, name, rrtype, 1, s, helper_done,
				&s->async_id);
	if (e != UB_NOERROR) {
		s->used = 0;
		helper_answer(h, id, e, NULL);
		return;
	}
	/* the first query made libunbound read its files and start its
	 * thread: from here on it needs only the network */
	if (!helper_sandboxed && !h->sandbox_tried) {
		h->sandbox_tried = 1;
		if (dns_sandbox_enter() == WARD_OK)
			helper_sandboxed = 1;
		else
			fprintf(stderr,
				"ward resolver: no seccomp sandbox: %s\n",
				strerror(errno));
	}
}

static void
helper_cancel(struct helper *h, uint32_t id)
{
	size_t i;

	for (i = 0; i < HELPER_MAX_ACTIVE; i++)
		if (h->slot[i].used && h->slot[i].id == id) {
			(void)h->ub.cancel(h->ctx, h->slot[i].async_id);
			h->slot[i].used = 0;
		}
}

/*
 * Handles the whole frames in h->in. The first must be the settings.
 * Returns WARD_ERR_PARSE when ward sent something malformed.
 */
static int
helper_frames(struct helper *h, int *have_opts, FILE *devnull)
{
	const unsigned char *body;
	char name[DNS_NAME_MAX + 2];
	struct dns_opts o;
	size_t len, total;
	uint32_t id;
	int kind, err, rrtype;

	while ((err = dns_wire_next(&h->in, &kind, &body, &len, &total)) ==
	       WARD_OK) {
		if (!*have_opts) {
			if (kind != DNS_WIRE_OPTS ||
			    dns_wire_get_opts(body, len, &o) != WARD_OK)
				return WARD_ERR_PARSE;
			h->ctx_err = helper_ctx_make(h, &o, devnull);
			dns_wire_opts_clear(&o);
			*have_opts = 1;
		} else if (kind == DNS_WIRE_QUERY) {
			if (dns_wire_get_query(body, len, &id, &rrtype, name) !=
			    WARD_OK)
				return WARD_ERR_PARSE;
			helper_query(h, id, rrtype, name);
		} else if (kind == DNS_WIRE_CANCEL) {
			if (dns_wire_get_cancel(body, len, &id) != WARD_OK)
				return WARD_ERR_PARSE;
			helper_cancel(h, id);
		} else
			return WARD_ERR_PARSE;
		wbuf_consume(&h->in, total);
	}
	return err == WARD_ERR_AGAIN ? WARD_OK : err;
}

/* Writes all queued answers (fd 1 blocks; ward reads as they come). */
static int
helper_flush(struct helper *h)
{
	ssize_t n;

	while (wbuf_avail(&h->out) > 0) {
		n = write(1, wbuf_ptr(&h->out), wbuf_avail(&h->out));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return WARD_ERR_SYSTEM;
		wbuf_consume(&h->out, (size_t)n);
	}
	return WARD_OK;
}

/* Reads what fd 0 has. WARD_ERR_CLOSED at the end of input. */
static int
helper_read(struct helper *h)
{
	unsigned char buf[16384];
	ssize_t n;

	do
		n = read(0, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	if (n == 0)
		return WARD_ERR_CLOSED;
	if (n < 0)
		return WARD_ERR_SYSTEM;
	return wbuf_put(&h->in, buf, (size_t)n);
}

static int
helper_run(void)
{
	struct helper h;
	struct pollfd p[2];
	FILE *devnull;
	int have_opts = 0, rc = 1, e;
	nfds_t np;

	memset(&h, 0, sizeof(h));
	h.ctx_err = UB_INITFAIL;
	wbuf_init(&h.in, HELPER_IN_MAX);
	wbuf_init(&h.out, HELPER_OUT_MAX);
	/* libunbound logs to stderr otherwise */
	if ((devnull = fopen("/dev/null", "we")) == NULL ||
	    helper_load(&h.ub) != WARD_OK)
		goto out;
	for (;;) {
		p[0].fd = 0;
		p[0].events = POLLIN;
		np = 1;
		if (h.ctx != NULL) {
			p[1].fd = h.ub.fd(h.ctx);
			p[1].events = POLLIN;
			np = 2;
		}
		if (poll(p, np, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (np == 2 && (p[1].revents & POLLIN) &&
		    h.ub.process(h.ctx) != UB_NOERROR)
			break;
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			e = helper_read(&h);
			if (e == WARD_ERR_CLOSED) {
				rc = 0; /* ward is done with us */
				break;
			}
			if (e != WARD_OK ||
			    helper_frames(&h, &have_opts, devnull) != WARD_OK)
				break;
		}
		if (h.out_failed || helper_flush(&h) != WARD_OK)
			break;
	}
out:
	if (h.ctx != NULL)
		h.ub.ctx_delete(h.ctx); /* joins its worker thread */
	if (h.ub.lib != NULL)
		dlclose(h.ub.lib);
	if (devnull != NULL)
		fclose(devnull);
	wbuf_free(&h.in);
	wbuf_free(&h.out);
	return rc;
}

void
dns_helper_dispatch(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], DNS_HELPER_ARG) == 0) {
		(void)prctl(PR_SET_NAME, "ward-resolver"); /* for ps and top */
		exit(helper_run());
	}
}
