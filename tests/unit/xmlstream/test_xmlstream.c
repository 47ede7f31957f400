/*
 * test_xmlstream.c: unit tests for the XMPP stream parser (src/net/xmlstream.c):
 * stanzas and namespaces, split feeds, limits, restricted XML, resets.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <strophe.h>

#include "ward.h"
#include "xmlstream.h"

#define NS_STREAMS "http://etherx.jabber.org/streams"
#define NS_TLS "urn:ietf:params:xml:ns:xmpp-tls"
#define NS_SASL "urn:ietf:params:xml:ns:xmpp-sasl"
#define HDR_TAIL                                                               \
	"<stream:stream xmlns='jabber:client' xmlns:stream='" NS_STREAMS       \
	"' id='s1' from='example.test' version='1.0' xml:lang='en'>"
#define HDR "<?xml version='1.0'?>" HDR_TAIL

#define MAX_KEEP 16

/*
 * Peak heap tracking through the sanitizer allocator hooks, so that the
 * limit tests can prove memory stays small. Without ASan the peak checks
 * are skipped (the early-error checks still run).
 */
#if defined(__SANITIZE_ADDRESS__)
#define HAVE_PEAK 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_PEAK 1
#endif
#endif

#ifdef HAVE_PEAK
int __sanitizer_install_malloc_and_free_hooks(
    void (*malloc_hook)(const volatile void *, size_t),
    void (*free_hook)(const volatile void *));
size_t __sanitizer_get_allocated_size(const volatile void *p);

static volatile int peak_on;
static volatile long long heap_now, heap_peak;

static void
peak_malloc(const volatile void *p, size_t n)
{
	if (!peak_on)
		return;
	heap_now += (long long)n;
	if (heap_now > heap_peak)
		heap_peak = heap_now;
}

static void
peak_free(const volatile void *p)
{
	if (peak_on && p != NULL)
		heap_now -= (long long)__sanitizer_get_allocated_size(p);
}

static void
peak_start(void)
{
	static int installed;

	if (!installed) {
		__sanitizer_install_malloc_and_free_hooks(peak_malloc,
							  peak_free);
		installed = 1;
	}
	heap_now = heap_peak = 0;
	peak_on = 1;
}

/* Stops tracking; returns the peak growth in bytes. */
static long long
peak_stop(void)
{
	peak_on = 0;
	return heap_peak;
}
#endif

/* What the callbacks saw. */
struct col {
	struct xmlstream *xs;
	int opens, closes, nstanzas;
	char open_attrs[512];          /* "name=value;" of the last open */
	xmpp_stanza_t *kept[MAX_KEEP]; /* clones, released in teardown */
	char *text[MAX_KEEP];          /* serialised, free() */
	const char *reset_on;          /* stanza name that requests a reset */
	int reenter;                   /* feed from inside the callback */
	int reenter_rc;
};

struct fx {
	xmpp_ctx_t *ctx;
	struct xmlstream *xs;
	struct col col;
};

static void
cb_open(void *arg, const char **attrs)
{
	struct col *c = arg;
	size_t i, o = 0;

	c->opens++;
	c->open_attrs[0] = '\0';
	for (i = 0; attrs[i] != NULL; i += 2) {
		o += (size_t)snprintf(c->open_attrs + o,
				      sizeof(c->open_attrs) - o, "%s=%s;",
				      attrs[i], attrs[i + 1]);
		assert_true(o < sizeof(c->open_attrs));
	}
}

static void
cb_stanza(void *arg, xmpp_stanza_t *st)
{
	struct col *c = arg;
	char *buf;
	size_t len;

	if (c->nstanzas < MAX_KEEP) {
		c->kept[c->nstanzas] = xmpp_stanza_clone(st);
		assert_int_equal(xmpp_stanza_to_text(st, &buf, &len), XMPP_EOK);
		c->text[c->nstanzas] = strdup(buf);
		xmpp_free(xmpp_stanza_get_context(st), buf);
	}
	c->nstanzas++;
	if (c->reset_on != NULL &&
	    strcmp(xmpp_stanza_get_name(st), c->reset_on) == 0)
		xmlstream_request_reset(c->xs);
	if (c->reenter)
		c->reenter_rc = xmlstream_feed(c->xs, "<a/>", 4);
}

static void
cb_close(void *arg)
{
	struct col *c = arg;

	c->closes++;
}

static const struct xmlstream_cbs test_cbs = {cb_open, cb_stanza, cb_close};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->ctx = xmpp_ctx_new(NULL, NULL);
	assert_non_null(f->ctx);
	f->xs = xmlstream_new(f->ctx, &test_cbs, &f->col);
	assert_non_null(f->xs);
	f->col.xs = f->xs;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	int i;

	for (i = 0; i < MAX_KEEP; i++) {
		if (f->col.kept[i] != NULL)
			xmpp_stanza_release(f->col.kept[i]);
		free(f->col.text[i]);
	}
	xmlstream_free(f->xs);
	xmpp_ctx_free(f->ctx);
	free(f);
	return 0;
}

/* Feeds s in pieces of chunk bytes (0 = at once); first error or WARD_OK. */
static int
feed_n(struct xmlstream *xs, const char *s, size_t len, size_t chunk)
{
	size_t off, n;
	int rc;

	if (chunk == 0)
		chunk = len ? len : 1;
	for (off = 0; off < len; off += n) {
		n = len - off < chunk ? len - off : chunk;
		if ((rc = xmlstream_feed(xs, s + off, n)) != WARD_OK)
			return rc;
	}
	return WARD_OK;
}

static int
feed(struct xmlstream *xs, const char *s)
{
	return xmlstream_feed(xs, s, strlen(s));
}

/* Builds prefix + n copies of c + suffix (malloc'd). */
static char *
build(const char *prefix, char c, size_t n, const char *suffix)
{
	size_t pl = strlen(prefix), sl = strlen(suffix);
	char *s = malloc(pl + n + sl + 1);

	assert_non_null(s);
	memcpy(s, prefix, pl);
	memset(s + pl, c, n);
	memcpy(s + pl + n, suffix, sl + 1);
	return s;
}

/* Builds n copies of unit (malloc'd). */
static char *
repeat(const char *unit, size_t n)
{
	size_t ul = strlen(unit), i;
	char *s = malloc(ul * n + 1);

	assert_non_null(s);
	for (i = 0; i < n; i++)
		memcpy(s + i * ul, unit, ul);
	s[ul * n] = '\0';
	return s;
}

static void
expect_error(struct fx *f, const char *input, int err, const char *cond)
{
	assert_int_equal(feed(f->xs, input), err);
	assert_string_equal(xmlstream_error_condition(f->xs), cond);
	assert_true(strlen(xmlstream_error_text(f->xs)) > 0);
}

/* ---- normal streams ---- */

static const char normal_stream[] =
    HDR "\n"
	"<stream:features><starttls xmlns='" NS_TLS "'><required/></starttls>"
	"<mechanisms xmlns='" NS_SASL "'><mechanism>SCRAM-SHA-1</mechanism>"
	"</mechanisms></stream:features>\n"
	"<message to='a@example.test' type='chat' xml:lang='de'>"
	"<body>hi</body></message> \t\r\n"
	"<iq type='result' id='r1'><query xmlns='jabber:iq:roster'>"
	"<item jid='b@example.test'/></query></iq>";

/* Checks what the collector saw for normal_stream. */
static void
check_normal(struct col *c)
{
	xmpp_stanza_t *feat, *tls, *mech, *msg, *body, *iq, *q;
	char *txt;

	assert_int_equal(c->opens, 1);
	assert_string_equal(c->open_attrs,
			    "id=s1;from=example.test;version=1.0;xml:lang=en;"
			    "xmlns=jabber:client;");
	assert_int_equal(c->nstanzas, 3);

	feat = c->kept[0];
	assert_string_equal(xmpp_stanza_get_name(feat), "features");
	assert_string_equal(xmpp_stanza_get_ns(feat), NS_STREAMS);
	tls = xmpp_stanza_get_child_by_name(feat, "starttls");
	assert_non_null(tls);
	assert_string_equal(xmpp_stanza_get_ns(tls), NS_TLS);
	assert_non_null(xmpp_stanza_get_child_by_name(tls, "required"));
	/* same namespace as the parent: not repeated */
	assert_null(
	    xmpp_stanza_get_ns(xmpp_stanza_get_child_by_name(tls, "required")));
	mech = xmpp_stanza_get_child_by_ns(feat, NS_SASL);
	assert_non_null(mech);
	txt = xmpp_stanza_get_text(
	    xmpp_stanza_get_child_by_name(mech, "mechanism"));
	assert_string_equal(txt, "SCRAM-SHA-1");
	xmpp_free(xmpp_stanza_get_context(mech), txt);

	msg = c->kept[1];
	assert_string_equal(xmpp_stanza_get_name(msg), "message");
	assert_string_equal(xmpp_stanza_get_ns(msg), "jabber:client");
	assert_string_equal(xmpp_stanza_get_to(msg), "a@example.test");
	assert_string_equal(xmpp_stanza_get_attribute(msg, "xml:lang"), "de");
	body = xmpp_stanza_get_child_by_name(msg, "body");
	assert_non_null(body);
	assert_null(xmpp_stanza_get_ns(body));
	assert_string_equal(
	    xmpp_stanza_get_text_ptr(xmpp_stanza_get_children(body)), "hi");

	iq = c->kept[2];
	assert_string_equal(xmpp_stanza_get_id(iq), "r1");
	q = xmpp_stanza_get_child_by_ns(iq, "jabber:iq:roster");
	assert_non_null(q);
	assert_string_equal(xmpp_stanza_get_name(q), "query");
	assert_string_equal(
	    xmpp_stanza_get_attribute(xmpp_stanza_get_child_by_name(q, "item"),
				      "jid"),
	    "b@example.test");
}

static void
test_normal_stream(void **state)
{
	struct fx *f = *state;

	assert_int_equal(feed(f->xs, normal_stream), WARD_OK);
	check_normal(&f->col);
	assert_int_equal(f->col.closes, 0);
	assert_null(xmlstream_error_condition(f->xs));
}

/* Every two-way split of the stream gives the same stanzas. */
static void
test_split_feeds(void **state)
{
	struct fx *f = *state;
	size_t len = strlen(normal_stream), cut;
	char *ref[3];
	int i;

	assert_int_equal(feed(f->xs, normal_stream), WARD_OK);
	for (i = 0; i < 3; i++)
		ref[i] = strdup(f->col.text[i]);
	for (cut = 1; cut < len; cut++) {
		teardown(state);
		setup(state);
		f = *state;
		assert_int_equal(xmlstream_feed(f->xs, normal_stream, cut),
				 WARD_OK);
		assert_int_equal(
		    xmlstream_feed(f->xs, normal_stream + cut, len - cut),
		    WARD_OK);
		assert_int_equal(f->col.nstanzas, 3);
		for (i = 0; i < 3; i++)
			assert_string_equal(f->col.text[i], ref[i]);
	}
	check_normal(&f->col);
	for (i = 0; i < 3; i++)
		free(ref[i]);
}

static void
test_one_byte_feeds(void **state)
{
	struct fx *f = *state;

	assert_int_equal(feed_n(f->xs, normal_stream, strlen(normal_stream), 1),
			 WARD_OK);
	check_normal(&f->col);
}

/* Several stanzas in one chunk, then the end of the stream. */
static void
test_many_stanzas_and_close(void **state)
{
	struct fx *f = *state;
	char *many = repeat("<presence/>", 500);

	assert_int_equal(feed(f->xs, HDR), WARD_OK);
	assert_int_equal(feed(f->xs, many), WARD_OK);
	assert_int_equal(f->col.nstanzas, 500);
	assert_int_equal(f->col.closes, 0);
	assert_int_equal(feed(f->xs, "<message/> </stream:stream>"), WARD_OK);
	assert_int_equal(f->col.nstanzas, 501);
	assert_int_equal(f->col.closes, 1);
	/* nothing may follow the end of the stream */
	expect_error(f, "<message/>", WARD_ERR_PARSE, "not-well-formed");
	free(many);
}

static void
test_text_and_entities(void **state)
{
	struct fx *f = *state;
	xmpp_stanza_t *body, *t;

	assert_int_equal(feed(f->xs, HDR "<message><body>a &amp; b &lt; c "
					 "&gt;&quot;&apos; &#65;&#x263a;"
					 "<![CDATA[<x>&amp;]]>\n"
					 "end</body></message>"),
			 WARD_OK);
	assert_int_equal(f->col.nstanzas, 1);
	body = xmpp_stanza_get_child_by_name(f->col.kept[0], "body");
	t = xmpp_stanza_get_children(body);
	/* adjacent character data is one text node */
	assert_true(xmpp_stanza_is_text(t));
	assert_null(xmpp_stanza_get_next(t));
	assert_string_equal(xmpp_stanza_get_text_ptr(t),
			    "a & b < c >\"' A\xe2\x98\xba<x>&amp;\nend");
}

/* Mixed content: text, element, text stay in order. */
static void
test_mixed_content(void **state)
{
	struct fx *f = *state;
	xmpp_stanza_t *c;

	assert_int_equal(feed(f->xs, HDR "<message>one<b/>two</message>"),
			 WARD_OK);
	c = xmpp_stanza_get_children(f->col.kept[0]);
	assert_string_equal(xmpp_stanza_get_text_ptr(c), "one");
	c = xmpp_stanza_get_next(c);
	assert_string_equal(xmpp_stanza_get_name(c), "b");
	c = xmpp_stanza_get_next(c);
	assert_string_equal(xmpp_stanza_get_text_ptr(c), "two");
	assert_null(xmpp_stanza_get_next(c));
}

/* Prefixes do not matter; namespaces and namespaced attributes do. */
static void
test_namespaces(void **state)
{
	struct fx *f = *state;
	xmpp_stanza_t *m, *x, *e;

	assert_int_equal(feed(f->xs,
			      "<s:stream xmlns:s='" NS_STREAMS
			      "' xmlns='jabber:client'>"
			      "<s:features/>"
			      "<message xmlns:p='urn:p' p:a='1' xml:lang='fr'>"
			      "<p:x><y/><e xmlns=''/></p:x></message>"),
			 WARD_OK);
	assert_int_equal(f->col.nstanzas, 2);
	assert_string_equal(xmpp_stanza_get_name(f->col.kept[0]), "features");
	assert_string_equal(xmpp_stanza_get_ns(f->col.kept[0]), NS_STREAMS);
	m = f->col.kept[1];
	assert_string_equal(xmpp_stanza_get_attribute(m, "p:a"), "1");
	assert_string_equal(xmpp_stanza_get_attribute(m, "xmlns:p"), "urn:p");
	assert_string_equal(xmpp_stanza_get_attribute(m, "xml:lang"), "fr");
	x = xmpp_stanza_get_child_by_name(m, "x");
	assert_non_null(x);
	assert_string_equal(xmpp_stanza_get_ns(x), "urn:p");
	/* <y/> is in the default namespace again */
	assert_string_equal(
	    xmpp_stanza_get_ns(xmpp_stanza_get_child_by_name(x, "y")),
	    "jabber:client");
	e = xmpp_stanza_get_child_by_name(x, "e");
	assert_string_equal(xmpp_stanza_get_ns(e), "");
	/* the serialised form parses again */
	assert_non_null(strstr(f->col.text[1], "<x xmlns=\"urn:p\">"));
}

/* ---- size limit ---- */

#define MSG_PRE "<message><body>"
#define MSG_SUF "</body></message>"
#define MSG_FIX (sizeof(MSG_PRE) - 1 + sizeof(MSG_SUF) - 1)

static void
test_limit_exact_ok(void **state)
{
	struct fx *f = *state;
	char *st = build(MSG_PRE, 'a', XMLSTREAM_MAX_STANZA - MSG_FIX, MSG_SUF);

	assert_int_equal(strlen(st), XMLSTREAM_MAX_STANZA);
	assert_int_equal(feed(f->xs, HDR), WARD_OK);
	assert_int_equal(feed(f->xs, st), WARD_OK);
	assert_int_equal(feed_n(f->xs, st, strlen(st), 4096), WARD_OK);
	assert_int_equal(f->col.nstanzas, 2);
	free(st);
}

/* At the limit with the header and a following stanza in the same chunk. */
static void
test_limit_exact_ok_in_one_chunk(void **state)
{
	struct fx *f = *state;
	char *st = build(HDR MSG_PRE, 'a', XMLSTREAM_MAX_STANZA - MSG_FIX,
			 MSG_SUF "<iq/>");

	assert_int_equal(feed(f->xs, st), WARD_OK);
	assert_int_equal(f->col.nstanzas, 2);
	assert_int_equal(
	    strlen(xmpp_stanza_get_text_ptr(xmpp_stanza_get_children(
		xmpp_stanza_get_children(f->col.kept[0])))),
	    XMLSTREAM_MAX_STANZA - MSG_FIX);
	free(st);
}

/* An empty-element stanza whose start tag alone is the limit. */
static void
test_limit_exact_start_tag(void **state)
{
	struct fx *f = *state;
	char *st =
	    build("<message to='", 'a', XMLSTREAM_MAX_STANZA - 16, "'/>");

	assert_int_equal(strlen(st), XMLSTREAM_MAX_STANZA);
	assert_int_equal(feed(f->xs, HDR), WARD_OK);
	assert_int_equal(feed(f->xs, st), WARD_OK);
	assert_int_equal(f->col.nstanzas, 1);
	free(st);

	st = build("<message to='", 'a', XMLSTREAM_MAX_STANZA - 15, "'/>");
	expect_error(f, st, WARD_ERR_LIMIT, "policy-violation");
	assert_int_equal(f->col.nstanzas, 1);
	free(st);
}

static void
test_limit_one_over(void **state)
{
	struct fx *f = *state;
	char *st =
	    build(MSG_PRE, 'a', XMLSTREAM_MAX_STANZA - MSG_FIX + 1, MSG_SUF);

	assert_int_equal(feed(f->xs, HDR), WARD_OK);
	expect_error(f, st, WARD_ERR_LIMIT, "policy-violation");
	assert_int_equal(f->col.nstanzas, 0);
	/* the stream is dead */
	assert_int_equal(feed(f->xs, "<iq/>"), WARD_ERR_LIMIT);
	assert_int_equal(f->col.nstanzas, 0);
	free(st);
}

static void
test_limit_one_over_chunked(void **state)
{
	struct fx *f = *state;
	char *st =
	    build(MSG_PRE, 'a', XMLSTREAM_MAX_STANZA - MSG_FIX + 1, MSG_SUF);

	assert_int_equal(feed(f->xs, HDR), WARD_OK);
	assert_int_equal(feed_n(f->xs, st, strlen(st), 1000), WARD_ERR_LIMIT);
	assert_int_equal(f->col.nstanzas, 0);
	free(st);
}

#define HUGE (10u * 1024 * 1024)

/*
 * A 10 MB input must fail with LIMIT: fed at once, heap growth stays small
 * (with ASan); fed in 64 KB chunks, the error comes right after the limit.
 */
static void
check_huge(struct fx *f, const char *prefix, const char *suffix)
{
	char *big = build(prefix, 'a', HUGE, suffix);
	size_t off, chunk = 65536;
	int rc = WARD_OK;

	assert_int_equal(feed(f->xs, HDR), WARD_OK);
#ifdef HAVE_PEAK
	peak_start();
#endif
	assert_int_equal(feed(f->xs, big), WARD_ERR_LIMIT);
#ifdef HAVE_PEAK
	assert_true(peak_stop() < 4 * XMLSTREAM_MAX_STANZA);
#endif
	assert_string_equal(xmlstream_error_condition(f->xs),
			    "policy-violation");
	assert_int_equal(f->col.nstanzas, 0);

	assert_int_equal(xmlstream_reset(f->xs), WARD_OK);
	assert_int_equal(feed(f->xs, HDR), WARD_OK);
	for (off = 0; off < strlen(big); off += chunk) {
		rc = feed_n(f->xs, big + off, chunk, 0);
		if (rc != WARD_OK)
			break;
	}
	assert_int_equal(rc, WARD_ERR_LIMIT);
	assert_true(off <= XMLSTREAM_MAX_STANZA + chunk);
	free(big);
}

static void
test_limit_unterminated_start_tag(void **state)
{
	check_huge(*state, "<message to='", "'/>");
}

static void
test_limit_huge_text(void **state)
{
	check_huge(*state, MSG_PRE, MSG_SUF);
}

/* The stream header itself is bounded too. */
static void
test_limit_huge_header(void **state)
{
	struct fx *f = *state;
	char *big = build("<stream:stream xmlns:stream='" NS_STREAMS "' id='",
			  'a', HUGE, "'>");

	assert_int_equal(feed(f->xs, big), WARD_ERR_LIMIT);
	assert_int_equal(f->col.opens, 0);
	free(big);
}

/* Whitespace between stanzas is a boundary: 1 MB of keep-alives is fine. */
static void
test_whitespace_keepalive(void **state)
{
	struct fx *f = *state;
	char *ws = build("<iq/>", ' ', 1024 * 1024, "");
	char *st = build(MSG_PRE, 'a', XMLSTREAM_MAX_STANZA - MSG_FIX, MSG_SUF);

	assert_int_equal(feed(f->xs, HDR), WARD_OK);
	assert_int_equal(feed(f->xs, ws), WARD_OK);
	assert_int_equal(feed_n(f->xs, ws, strlen(ws), 3000), WARD_OK);
	assert_int_equal(feed(f->xs, st), WARD_OK);
	assert_int_equal(f->col.nstanzas, 3);
	free(ws);
	free(st);
}

static void
test_text_between_stanzas(void **state)
{
	struct fx *f = *state;

	expect_error(f, HDR "<iq/>hello<iq/>", WARD_ERR_PARSE, "bad-format");
	assert_int_equal(f->col.nstanzas, 1);
}

/* ---- attribute and child limits (libstrophe's costs) ---- */

/* An element with n attributes a0='' a1=''... (malloc'd). */
static char *
with_attrs(size_t n)
{
	char *s = malloc(16 + n * 16);
	size_t o, i;

	assert_non_null(s);
	o = (size_t)sprintf(s, "<iq");
	for (i = 0; i < n; i++)
		o += (size_t)sprintf(s + o, " a%zu=''", i);
	strcpy(s + o, "/>");
	return s;
}

static void
test_attrs_limit(void **state)
{
	struct fx *f = *state;
	char *ok = with_attrs(XMLSTREAM_MAX_ATTRS);
	char *over = with_attrs(XMLSTREAM_MAX_ATTRS + 1);

	assert_int_equal(feed(f->xs, HDR), WARD_OK);
	assert_int_equal(feed(f->xs, ok), WARD_OK);
	assert_int_equal(f->col.nstanzas, 1);
	expect_error(f, over, WARD_ERR_LIMIT, "policy-violation");
	assert_int_equal(f->col.nstanzas, 1);
	free(ok);
	free(over);
}

/* A big roster result passes; 65000 tiny children fail, and fast. */
static void
test_children_limit(void **state)
{
	struct fx *f = *state;
	char *items = repeat("<item jid='someone@example.test'/>", 5000);
	char *many = repeat("<a/>", 65000);
	clock_t t0;

	assert_int_equal(feed(f->xs, HDR "<iq type='result'><query xmlns="
					 "'jabber:iq:roster'>"),
			 WARD_OK);
	assert_int_equal(feed(f->xs, items), WARD_OK);
	assert_int_equal(feed(f->xs, "</query></iq>"), WARD_OK);
	assert_int_equal(f->col.nstanzas, 1);

	assert_int_equal(feed(f->xs, "<message>"), WARD_OK);
	t0 = clock();
	expect_error(f, many, WARD_ERR_LIMIT, "policy-violation");
	assert_non_null(strstr(xmlstream_error_text(f->xs), "children"));
	assert_true(clock() - t0 < 2 * CLOCKS_PER_SEC);
	free(items);
	free(many);
}

/* ---- feeding a few bytes at a time ---- */

/*
 * Fed one byte at a time, each stanza arrives with its last byte: a long
 * start tag with '>' and the other quote inside values, a long element
 * name, CDATA holding markup characters, references.
 */
static void
test_stanza_delivered_at_last_byte(void **state)
{
	struct fx *f = *state;
	char *longattr = build("<message a=\"it's > '", 'x', 10000, "'\"/>");
	char *longname = build("<", 'n', 6000, "/>");
	char *bigtext =
	    build("<message><body>", '>', 10000, "</body></message>");
	/* after the CDATA: the scanner must have seen "]]>" end it */
	char *squote = build("<iq b='\" > ' c=\"", 'x', 6000, "'\"/>");
	const char *parts[] = {
	    HDR,
	    longattr,
	    longname,
	    "<message><body><![CDATA[<a b='>]]]]><![CDATA[>'>]]>&amp;"
	    "&#x3e;</body></message>",
	    "\n",
	    bigtext,
	    squote,
	};
	size_t i, j, len;
	int done = 0;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		len = strlen(parts[i]);
		for (j = 0; j < len; j++) {
			assert_int_equal(f->col.nstanzas, done);
			assert_int_equal(xmlstream_feed(f->xs, parts[i] + j, 1),
					 WARD_OK);
		}
		if (i > 0 && parts[i][0] == '<')
			done++;
		assert_int_equal(f->col.nstanzas, done);
	}
	assert_int_equal(done, 5);
	assert_string_equal(xmpp_stanza_get_text_ptr(xmpp_stanza_get_children(
				xmpp_stanza_get_children(f->col.kept[2]))),
			    "<a b='>]]>'>&>");
	free(longattr);
	free(longname);
	free(bigtext);
	free(squote);
}

/*
 * expat 2.5 re-scans an unfinished token at every call: a 200 KB start tag
 * fed one byte at a time must still take linear time (without care it
 * takes minutes).
 */
static void
test_tiny_feeds_linear(void **state)
{
	struct fx *f = *state;
	char *tag = build("<message a='", '>', 200000, "'/>");
	clock_t t0;

	assert_int_equal(feed(f->xs, HDR), WARD_OK);
	t0 = clock();
	assert_int_equal(feed_n(f->xs, tag, strlen(tag), 1), WARD_OK);
	assert_true(clock() - t0 < 5 * CLOCKS_PER_SEC);
	assert_int_equal(f->col.nstanzas, 1);
	free(tag);
}

/* ---- depth limit ---- */

/* A stanza nested n deep: <a><a>...</a></a>. */
static char *
nested(size_t n)
{
	char *open = repeat("<a>", n), *close = repeat("</a>", n);
	size_t ol = strlen(open);
	char *s = realloc(open, ol + strlen(close) + 1);

	assert_non_null(s);
	memcpy(s + ol, close, strlen(close) + 1);
	free(close);
	return s;
}

static void
test_depth_64_ok(void **state)
{
	struct fx *f = *state;
	char *s = nested(XMLSTREAM_MAX_DEPTH);
	xmpp_stanza_t *st;
	int depth = 0;

	assert_int_equal(feed(f->xs, HDR), WARD_OK);
	assert_int_equal(feed(f->xs, s), WARD_OK);
	assert_int_equal(f->col.nstanzas, 1);
	for (st = f->col.kept[0]; st != NULL; st = xmpp_stanza_get_children(st))
		depth++;
	assert_int_equal(depth, XMLSTREAM_MAX_DEPTH);
	free(s);
}

static void
test_depth_65_refused(void **state)
{
	struct fx *f = *state;
	char *s = nested(XMLSTREAM_MAX_DEPTH + 1);

	assert_int_equal(feed(f->xs, HDR), WARD_OK);
	expect_error(f, s, WARD_ERR_LIMIT, "policy-violation");
	assert_int_equal(f->col.nstanzas, 0);
	free(s);
}

static void
test_depth_100k(void **state)
{
	struct fx *f = *state;
	char *s = repeat("<a>", 100000);
	clock_t t0;

	assert_int_equal(feed(f->xs, HDR), WARD_OK);
	t0 = clock();
#ifdef HAVE_PEAK
	peak_start();
#endif
	assert_int_equal(feed(f->xs, s), WARD_ERR_LIMIT);
#ifdef HAVE_PEAK
	assert_true(peak_stop() < 4 * XMLSTREAM_MAX_STANZA);
#endif
	assert_true(clock() - t0 < CLOCKS_PER_SEC);
	/* the depth check fired, long before the byte limit */
	assert_non_null(strstr(xmlstream_error_text(f->xs), "deep"));
	free(s);
}

/* ---- restricted XML ---- */

static void
test_doctype(void **state)
{
	expect_error(*state,
		     "<?xml version='1.0'?><!DOCTYPE stream:stream>" HDR_TAIL,
		     WARD_ERR_POLICY, "restricted-xml");
}

static void
test_internal_entity_decl(void **state)
{
	struct fx *f = *state;

	expect_error(f,
		     "<!DOCTYPE stream:stream [<!ENTITY x 'boom'>]>" HDR_TAIL
		     "<message><body>&x;</body></message>",
		     WARD_ERR_POLICY, "restricted-xml");
	assert_int_equal(f->col.opens, 0);
	assert_int_equal(f->col.nstanzas, 0);
}

static void
test_billion_laughs(void **state)
{
	struct fx *f = *state;
	static const char lol[] =
	    "<?xml version='1.0'?>\n"
	    "<!DOCTYPE stream:stream [\n"
	    " <!ENTITY l0 'lol'>\n"
	    " <!ENTITY l1 '&l0;&l0;&l0;&l0;&l0;&l0;&l0;&l0;&l0;&l0;'>\n"
	    " <!ENTITY l2 '&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;'>\n"
	    " <!ENTITY l3 '&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;'>\n"
	    " <!ENTITY l4 '&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;'>\n"
	    " <!ENTITY l5 '&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;'>\n"
	    " <!ENTITY l6 '&l5;&l5;&l5;&l5;&l5;&l5;&l5;&l5;&l5;&l5;'>\n"
	    " <!ENTITY l7 '&l6;&l6;&l6;&l6;&l6;&l6;&l6;&l6;&l6;&l6;'>\n"
	    " <!ENTITY l8 '&l7;&l7;&l7;&l7;&l7;&l7;&l7;&l7;&l7;&l7;'>\n"
	    " <!ENTITY l9 '&l8;&l8;&l8;&l8;&l8;&l8;&l8;&l8;&l8;&l8;'>\n"
	    "]>\n" HDR_TAIL "<message><body>&l9;</body></message>";

#ifdef HAVE_PEAK
	peak_start();
#endif
	expect_error(f, lol, WARD_ERR_POLICY, "restricted-xml");
#ifdef HAVE_PEAK
	assert_true(peak_stop() < 4 * XMLSTREAM_MAX_STANZA);
#endif
	assert_int_equal(f->col.nstanzas, 0);
}

/* Without a DTD, a reference to an undeclared entity is refused. */
static void
test_undeclared_entity_ref(void **state)
{
	struct fx *f = *state;

	expect_error(f, HDR "<message><body>&x;</body></message>",
		     WARD_ERR_POLICY, "restricted-xml");
	assert_int_equal(f->col.nstanzas, 0);
}

static void
test_pi(void **state)
{
	struct fx *f = *state;

	expect_error(f, HDR "<iq/><?evil data?>", WARD_ERR_POLICY,
		     "restricted-xml");
	assert_int_equal(f->col.nstanzas, 1);
}

static void
test_pi_in_stanza(void **state)
{
	expect_error(*state, HDR "<message><?x y?></message>", WARD_ERR_POLICY,
		     "restricted-xml");
}

static void
test_pi_before_root(void **state)
{
	struct fx *f = *state;

	expect_error(f, "<?xml version='1.0'?><?x y?>" HDR_TAIL,
		     WARD_ERR_POLICY, "restricted-xml");
	assert_int_equal(f->col.opens, 0);
}

/* A second XML declaration inside the stream is a PI too. */
static void
test_misplaced_xml_decl(void **state)
{
	expect_error(*state, HDR "<?xml version='1.0'?>", WARD_ERR_POLICY,
		     "restricted-xml");
}

static void
test_comment(void **state)
{
	struct fx *f = *state;

	expect_error(f, HDR "<iq/><!-- hi -->", WARD_ERR_POLICY,
		     "restricted-xml");
	assert_int_equal(f->col.nstanzas, 1);
}

static void
test_comment_in_stanza(void **state)
{
	expect_error(*state, HDR "<message><body>a<!--x-->b</body></message>",
		     WARD_ERR_POLICY, "restricted-xml");
}

static void
test_comment_before_root(void **state)
{
	expect_error(*state, "<!-- hi -->" HDR_TAIL, WARD_ERR_POLICY,
		     "restricted-xml");
}

/* ---- malformed input ---- */

static void
test_invalid_utf8(void **state)
{
	struct fx *f = *state;
	static const char *bad[] = {
	    "\xff", "\xc0\xaf", "\xed\xa0\x80", "\xe2\x82", "\x01",
	};
	char buf[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(buf, sizeof(buf),
			 HDR "<message><body>%s</body></message>", bad[i]);
		expect_error(f, buf, WARD_ERR_PARSE, "not-well-formed");
		assert_int_equal(f->col.nstanzas, 0);
		assert_int_equal(xmlstream_reset(f->xs), WARD_OK);
	}
	expect_error(f, HDR "<message to='\xfe'/>", WARD_ERR_PARSE,
		     "not-well-formed");
}

static void
test_other_encoding(void **state)
{
	expect_error(*state,
		     "<?xml version='1.0' encoding='ISO-8859-1'?>" HDR_TAIL,
		     WARD_ERR_PARSE, "unsupported-encoding");
}

static void
test_not_well_formed(void **state)
{
	struct fx *f = *state;

	expect_error(f, HDR "<message><body></message>", WARD_ERR_PARSE,
		     "not-well-formed");
	assert_int_equal(f->col.nstanzas, 0);
}

static void
test_wrong_root_ns(void **state)
{
	struct fx *f = *state;

	expect_error(f, "<stream xmlns='jabber:client'>", WARD_ERR_PARSE,
		     "invalid-namespace");
	assert_int_equal(f->col.opens, 0);
}

static void
test_wrong_root_name(void **state)
{
	struct fx *f = *state;

	expect_error(f, "<stream:features xmlns:stream='" NS_STREAMS "'/>",
		     WARD_ERR_PARSE, "bad-format");
	assert_int_equal(f->col.opens, 0);
	assert_int_equal(f->col.nstanzas, 0);
}

/* ---- resets ---- */

static void
test_reset_after_proceed(void **state)
{
	struct fx *f = *state;
	static const char first[] =
	    HDR "<stream:features><starttls xmlns='" NS_TLS "'/>"
		"</stream:features><proceed xmlns='" NS_TLS "'/>"
		"\x16\x03\x01\x02\x00<<<&not xml";

	f->col.reset_on = "proceed";
	assert_int_equal(feed(f->xs, first), WARD_OK);
	assert_int_equal(f->col.opens, 1);
	assert_int_equal(f->col.nstanzas, 2);
	assert_string_equal(xmpp_stanza_get_ns(f->col.kept[1]), NS_TLS);
	/* a new stream, with its own XML declaration, split in two */
	assert_int_equal(feed(f->xs, "<?xml version='1.0'?><stream:str"),
			 WARD_OK);
	assert_int_equal(
	    feed(f->xs, "eam xmlns='jabber:client' xmlns:stream='" NS_STREAMS
			"' id='s2'><stream:features/>"),
	    WARD_OK);
	assert_int_equal(f->col.opens, 2);
	assert_string_equal(f->col.open_attrs, "id=s2;xmlns=jabber:client;");
	assert_int_equal(f->col.nstanzas, 3);
}

/* After SASL success the next stream may come without a declaration. */
static void
test_reset_after_success(void **state)
{
	struct fx *f = *state;

	f->col.reset_on = "success";
	assert_int_equal(feed(f->xs, HDR "<success xmlns='" NS_SASL "'/>"),
			 WARD_OK);
	assert_int_equal(feed(f->xs, HDR_TAIL "<iq/>"), WARD_OK);
	assert_int_equal(f->col.opens, 2);
	assert_int_equal(f->col.nstanzas, 2);
}

/* xmlstream_reset drops a partial stanza and revives a dead stream. */
static void
test_reset_now(void **state)
{
	struct fx *f = *state;

	assert_int_equal(feed(f->xs, HDR "<message><body>part"), WARD_OK);
	assert_int_equal(xmlstream_reset(f->xs), WARD_OK);
	assert_int_equal(feed(f->xs, HDR "<iq/>"), WARD_OK);
	assert_int_equal(f->col.nstanzas, 1);
	expect_error(f, "<!-- x -->", WARD_ERR_POLICY, "restricted-xml");
	assert_int_equal(feed(f->xs, "<iq/>"), WARD_ERR_POLICY);
	assert_int_equal(xmlstream_reset(f->xs), WARD_OK);
	assert_null(xmlstream_error_condition(f->xs));
	assert_int_equal(feed(f->xs, HDR "<iq/>"), WARD_OK);
	assert_int_equal(f->col.nstanzas, 2);
}

static void
test_feed_from_callback_refused(void **state)
{
	struct fx *f = *state;

	f->col.reenter = 1;
	assert_int_equal(feed(f->xs, HDR "<iq/><iq/>"), WARD_OK);
	assert_int_equal(f->col.reenter_rc, WARD_ERR_INVAL);
	assert_int_equal(f->col.nstanzas, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	    T(test_normal_stream),
	    T(test_split_feeds),
	    T(test_one_byte_feeds),
	    T(test_many_stanzas_and_close),
	    T(test_text_and_entities),
	    T(test_mixed_content),
	    T(test_namespaces),
	    T(test_limit_exact_ok),
	    T(test_limit_exact_ok_in_one_chunk),
	    T(test_limit_exact_start_tag),
	    T(test_limit_one_over),
	    T(test_limit_one_over_chunked),
	    T(test_limit_unterminated_start_tag),
	    T(test_limit_huge_text),
	    T(test_limit_huge_header),
	    T(test_whitespace_keepalive),
	    T(test_text_between_stanzas),
	    T(test_attrs_limit),
	    T(test_children_limit),
	    T(test_stanza_delivered_at_last_byte),
	    T(test_tiny_feeds_linear),
	    T(test_depth_64_ok),
	    T(test_depth_65_refused),
	    T(test_depth_100k),
	    T(test_doctype),
	    T(test_internal_entity_decl),
	    T(test_billion_laughs),
	    T(test_undeclared_entity_ref),
	    T(test_pi),
	    T(test_pi_in_stanza),
	    T(test_pi_before_root),
	    T(test_misplaced_xml_decl),
	    T(test_comment),
	    T(test_comment_in_stanza),
	    T(test_comment_before_root),
	    T(test_invalid_utf8),
	    T(test_other_encoding),
	    T(test_not_well_formed),
	    T(test_wrong_root_ns),
	    T(test_wrong_root_name),
	    T(test_reset_after_proceed),
	    T(test_reset_after_success),
	    T(test_reset_now),
	    T(test_feed_from_callback_refused),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
