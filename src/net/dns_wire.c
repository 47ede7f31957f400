/*
 * dns_wire.c: encoding and bounded decoding of the frames between ward and
 * its resolver process (see dns_wire.h). Library tier: returns errors,
 * never aborts; a decoder reads nothing past the body it was given.
 */
#include <stdlib.h>
#include <string.h>

#include <unbound.h>

#include "ward.h"
#include "dns_wire.h"

#define DNS_WIRE_STR_MAX 4096 /* a path, a zone, an address, why_bogus */

/* A frame being built in a local buffer before it goes into the wbuf. */
struct wire_out {
	unsigned char *p;
	size_t len, cap;
	int err;
};

static void
out_put(struct wire_out *o, const void *p, size_t n)
{
	unsigned char *np;
	size_t cap;

	if (o->err != WARD_OK)
		return;
	if (n > DNS_WIRE_HDR + DNS_WIRE_MAX - o->len) {
		o->err = WARD_ERR_LIMIT;
		return;
	}
	if (o->len + n > o->cap) {
		cap = o->cap != 0 ? o->cap : 256;
		while (cap < o->len + n)
			cap *= 2;
		if ((np = realloc(o->p, cap)) == NULL) {
			o->err = WARD_ERR_NOMEM;
			return;
		}
		o->p = np;
		o->cap = cap;
	}
	if (n > 0)
		memcpy(o->p + o->len, p, n);
	o->len += n;
}

static void
out_u8(struct wire_out *o, unsigned v)
{
	unsigned char c = (unsigned char)v;

	out_put(o, &c, 1);
}

static void
out_u16(struct wire_out *o, unsigned v)
{
	unsigned char c[2] = {(unsigned char)(v >> 8), (unsigned char)v};

	out_put(o, c, 2);
}

static void
out_u32(struct wire_out *o, uint32_t v)
{
	unsigned char c[4] = {(unsigned char)(v >> 24),
			      (unsigned char)(v >> 16), (unsigned char)(v >> 8),
			      (unsigned char)v};

	out_put(o, c, 4);
}

/* A string; NULL is sent as the empty string. */
static void
out_str(struct wire_out *o, const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	if (n > DNS_WIRE_STR_MAX) {
		if (o->err == WARD_OK)
			o->err = WARD_ERR_INVAL;
		return;
	}
	out_u16(o, (unsigned)n);
	out_put(o, s, n);
}

/* Starts a frame of the given kind (the length is filled in at the end). */
static void
out_begin(struct wire_out *o, int kind)
{
	memset(o, 0, sizeof(*o));
	out_u32(o, 0);
	out_u8(o, (unsigned)kind);
}

/* Sets the length and moves the frame into b. */
static int
out_end(struct wire_out *o, struct wbuf *b)
{
	size_t n;
	int err = o->err;

	if (err == WARD_OK) {
		n = o->len - DNS_WIRE_HDR;
		o->p[0] = (unsigned char)(n >> 24);
		o->p[1] = (unsigned char)(n >> 16);
		o->p[2] = (unsigned char)(n >> 8);
		o->p[3] = (unsigned char)n;
		err = wbuf_put(b, o->p, o->len);
	}
	free(o->p);
	return err;
}

int
dns_wire_put_opts(struct wbuf *b, const struct dns_opts *o)
{
	struct wire_out w;
	size_t i;

	if (b == NULL || o == NULL || o->nstubs > DNS_MAX_STUBS)
		return WARD_ERR_INVAL;
	out_begin(&w, DNS_WIRE_OPTS);
	out_str(&w, o->root_anchor_file);
	out_str(&w, o->trust_anchor_file);
	out_str(&w, o->resolv_conf);
	out_u8(&w, (unsigned)o->nstubs);
	for (i = 0; i < o->nstubs; i++) {
		if (o->stubs[i].port > 65535 && w.err == WARD_OK)
			w.err = WARD_ERR_INVAL;
		out_str(&w, o->stubs[i].zone);
		out_str(&w, o->stubs[i].addr);
		out_u16(&w, o->stubs[i].port);
	}
	return out_end(&w, b);
}

int
dns_wire_put_query(struct wbuf *b, uint32_t id, int rrtype, const char *name)
{
	struct wire_out w;

	if (b == NULL || name == NULL || rrtype < 0 || rrtype > 65535 ||
	    strlen(name) > DNS_NAME_MAX + 1)
		return WARD_ERR_INVAL;
	out_begin(&w, DNS_WIRE_QUERY);
	out_u32(&w, id);
	out_u16(&w, (unsigned)rrtype);
	out_str(&w, name);
	return out_end(&w, b);
}

int
dns_wire_put_cancel(struct wbuf *b, uint32_t id)
{
	struct wire_out w;

	if (b == NULL)
		return WARD_ERR_INVAL;
	out_begin(&w, DNS_WIRE_CANCEL);
	out_u32(&w, id);
	return out_end(&w, b);
}

int
dns_wire_put_answer(struct wbuf *b, uint32_t id, int uberr,
		    const struct ub_result *r)
{
	struct wire_out w;
	size_t n = 0, i;

	if (b == NULL)
		return WARD_ERR_INVAL;
	out_begin(&w, DNS_WIRE_ANSWER);
	out_u32(&w, id);
	out_u32(&w, (uint32_t)uberr);
	out_u8(&w, r != NULL);
	if (r != NULL) {
		if (r->data != NULL)
			while (r->data[n] != NULL)
				n++;
		if (n > DNS_WIRE_MAX_RR)
			w.err = WARD_ERR_LIMIT;
		out_str(&w, r->qname);
		out_u16(&w, (unsigned)r->qtype & 0xffff);
		out_u16(&w, (unsigned)r->qclass & 0xffff);
		out_u16(&w, (unsigned)r->rcode & 0xffff);
		out_u8(&w, (r->havedata ? 1u : 0u) | (r->nxdomain ? 2u : 0u) |
			       (r->secure ? 4u : 0u) | (r->bogus ? 8u : 0u) |
			       (r->was_ratelimited ? 16u : 0u));
		out_u32(&w, (uint32_t)r->ttl);
		out_str(&w, r->why_bogus);
		out_u16(&w, (unsigned)n);
		for (i = 0; i < n && w.err == WARD_OK; i++) {
			if (r->len[i] < 0 || r->len[i] > 65535) {
				w.err = WARD_ERR_INVAL;
				break;
			}
			out_u16(&w, (unsigned)r->len[i]);
			out_put(&w, r->data[i], (size_t)r->len[i]);
		}
	}
	return out_end(&w, b);
}

int
dns_wire_next(const struct wbuf *b, int *kind, const unsigned char **body,
	      size_t *len, size_t *total)
{
	size_t avail = wbuf_avail(b), n;
	const unsigned char *p;

	if (avail < DNS_WIRE_HDR)
		return WARD_ERR_AGAIN;
	p = wbuf_ptr(b);
	n = (size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 |
	    (size_t)p[3];
	if (n == 0 || n > DNS_WIRE_MAX)
		return WARD_ERR_PARSE;
	if (avail - DNS_WIRE_HDR < n)
		return WARD_ERR_AGAIN;
	*kind = p[DNS_WIRE_HDR];
	*body = p + DNS_WIRE_HDR + 1;
	*len = n - 1;
	*total = DNS_WIRE_HDR + n;
	return WARD_OK;
}

/* A bounded reader over one body; any overrun sets bad. */
struct wire_in {
	const unsigned char *p;
	size_t n, off;
	int bad;
};

static const unsigned char *
in_take(struct wire_in *in, size_t k)
{
	const unsigned char *q;

	if (in->bad || k > in->n - in->off) {
		in->bad = 1;
		return NULL;
	}
	q = in->p + in->off;
	in->off += k;
	return q;
}

static unsigned
in_u8(struct wire_in *in)
{
	const unsigned char *q = in_take(in, 1);

	return q != NULL ? q[0] : 0;
}

static unsigned
in_u16(struct wire_in *in)
{
	const unsigned char *q = in_take(in, 2);

	return q != NULL ? (unsigned)q[0] << 8 | q[1] : 0;
}

static uint32_t
in_u32(struct wire_in *in)
{
	const unsigned char *q = in_take(in, 4);

	return q != NULL ? (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 |
			       (uint32_t)q[2] << 8 | q[3]
			 : 0;
}

/*
 * A string into a malloc'd copy (*out; NULL when empty and empty_null).
 * A NUL inside or a length over DNS_WIRE_STR_MAX is malformed.
 */
static void
in_str(struct wire_in *in, char **out, int empty_null)
{
	size_t k = in_u16(in);
	const unsigned char *q;

	*out = NULL;
	if (k > DNS_WIRE_STR_MAX)
		in->bad = 1;
	if ((q = in_take(in, k)) == NULL)
		return;
	if (memchr(q, '\0', k) != NULL) {
		in->bad = 1;
		return;
	}
	if (k == 0 && empty_null)
		return;
	if ((*out = malloc(k + 1)) == NULL) {
		in->bad = 1;
		return;
	}
	memcpy(*out, q, k);
	(*out)[k] = '\0';
}

/* Whether s is a domain name (dns_name_check), or "." when root_ok. */
static int
wire_name_ok(const char *s, int root_ok)
{
	char canon[DNS_NAME_MAX + 1];

	if (root_ok && strcmp(s, ".") == 0)
		return 1;
	return dns_name_check(s, canon) == WARD_OK;
}

void
dns_wire_opts_clear(struct dns_opts *o)
{
	size_t i;

	if (o == NULL)
		return;
	free((char *)o->root_anchor_file);
	free((char *)o->trust_anchor_file);
	free((char *)o->resolv_conf);
	for (i = 0; i < DNS_MAX_STUBS; i++) {
		free((char *)o->stubs[i].zone);
		free((char *)o->stubs[i].addr);
	}
	memset(o, 0, sizeof(*o));
}

int
dns_wire_get_opts(const unsigned char *p, size_t n, struct dns_opts *o)
{
	struct wire_in in = {p, n, 0, 0};
	char *s[3];
	size_t i, k;

	memset(o, 0, sizeof(*o));
	in_str(&in, &s[0], 1);
	o->root_anchor_file = s[0];
	in_str(&in, &s[1], 1);
	o->trust_anchor_file = s[1];
	in_str(&in, &s[2], 1);
	o->resolv_conf = s[2];
	k = in_u8(&in);
	if (k > DNS_MAX_STUBS)
		in.bad = 1;
	for (i = 0; i < k && !in.bad; i++) {
		in_str(&in, &s[0], 0);
		o->stubs[i].zone = s[0];
		in_str(&in, &s[1], 0);
		o->stubs[i].addr = s[1];
		o->stubs[i].port = in_u16(&in);
		o->nstubs = i + 1;
		if (!in.bad && (!wire_name_ok(s[0], 1) || s[1][0] == '\0' ||
				o->stubs[i].port == 0))
			in.bad = 1;
	}
	if (in.bad || in.off != n) {
		dns_wire_opts_clear(o);
		return WARD_ERR_PARSE;
	}
	return WARD_OK;
}

int
dns_wire_get_query(const unsigned char *p, size_t n, uint32_t *id, int *rrtype,
		   char *name)
{
	struct wire_in in = {p, n, 0, 0};
	const unsigned char *q;
	size_t k;

	*id = in_u32(&in);
	*rrtype = (int)in_u16(&in);
	k = in_u16(&in);
	if (k > DNS_NAME_MAX + 1)
		in.bad = 1;
	if ((q = in_take(&in, k)) == NULL || in.off != n ||
	    memchr(q, '\0', k) != NULL)
		return WARD_ERR_PARSE;
	memcpy(name, q, k);
	name[k] = '\0';
	return wire_name_ok(name, 0) ? WARD_OK : WARD_ERR_PARSE;
}

int
dns_wire_get_cancel(const unsigned char *p, size_t n, uint32_t *id)
{
	struct wire_in in = {p, n, 0, 0};

	*id = in_u32(&in);
	return in.bad || in.off != n ? WARD_ERR_PARSE : WARD_OK;
}

void
dns_wire_result_free(struct ub_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	if (r->data != NULL)
		for (i = 0; r->data[i] != NULL; i++)
			free(r->data[i]);
	free(r->data);
	free(r->len);
	free(r->qname);
	free(r->why_bogus);
	free(r);
}

/* The records of an answer into r->data / r->len (NULL-terminated). */
static void
in_records(struct wire_in *in, struct ub_result *r)
{
	size_t k = in_u16(in), i, m;
	const unsigned char *q;

	if (in->bad || k > DNS_WIRE_MAX_RR) {
		in->bad = 1;
		return;
	}
	r->data = calloc(k + 1, sizeof(*r->data));
	r->len = calloc(k + 1, sizeof(*r->len));
	if (r->data == NULL || r->len == NULL) {
		in->bad = 1;
		return;
	}
	for (i = 0; i < k; i++) {
		m = in_u16(in);
		if ((q = in_take(in, m)) == NULL)
			return;
		/* one byte more, so that an empty record is not NULL */
		if ((r->data[i] = malloc(m + 1)) == NULL) {
			in->bad = 1;
			return;
		}
		memcpy(r->data[i], q, m);
		r->len[i] = (int)m;
	}
}

int
dns_wire_get_answer(const unsigned char *p, size_t n, uint32_t *id, int *uberr,
		    struct ub_result **out)
{
	struct wire_in in = {p, n, 0, 0};
	struct ub_result *r;
	unsigned flags;
	int has;

	*out = NULL;
	*id = in_u32(&in);
	*uberr = (int)in_u32(&in);
	has = (int)in_u8(&in);
	if (in.bad || has > 1)
		return WARD_ERR_PARSE;
	if (!has)
		return in.off == n ? WARD_OK : WARD_ERR_PARSE;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return WARD_ERR_NOMEM;
	in_str(&in, &r->qname, 0);
	r->qtype = (int)in_u16(&in);
	r->qclass = (int)in_u16(&in);
	r->rcode = (int)in_u16(&in);
	flags = in_u8(&in);
	r->havedata = (flags & 1) != 0;
	r->nxdomain = (flags & 2) != 0;
	r->secure = (flags & 4) != 0;
	r->bogus = (flags & 8) != 0;
	r->was_ratelimited = (flags & 16) != 0;
	r->ttl = (int)(in_u32(&in) & 0x7fffffff);
	in_str(&in, &r->why_bogus, 1);
	in_records(&in, r);
	if (in.bad || in.off != n || flags > 31 || (r->secure && r->bogus)) {
		dns_wire_result_free(r);
		return WARD_ERR_PARSE;
	}
	*out = r;
	return WARD_OK;
}
