/*
 * xmlstream_build.c: the stream parser's expat callbacks. Each top-level
 * element becomes an xmpp_stanza_t as its events arrive; names,
 * namespaces, depth and sibling counts are checked on the way, and DTDs,
 * entities, processing instructions and comments end the stream
 * (RFC 6120 restricted XML). Feeding bytes to expat is xmlstream.c's.
 */

#include <expat.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <strophe.h>

#include "ward.h"
#include "xmlstream_priv.h"

/* Records the first error and stops expat (if running). */
void
xs_fail(struct xmlstream *xs, int err, const char *cond, const char *text)
{
	if (xs->err != WARD_OK)
		return;
	xs->err = err;
	xs->cond = cond;
	snprintf(xs->errtext, sizeof(xs->errtext), "%s", text);
	if (xs->parser != NULL && xs->in_parse)
		XML_StopParser(xs->parser, XML_FALSE);
}

/* True when the handler should ignore the event. */
static int
xs_stopped(const struct xmlstream *xs)
{
	return xs->err != WARD_OK || xs->reset_wanted;
}

/* Splits "uri SEP local [SEP prefix]" or "local". */
static void
xs_split(const char *name, struct xs_qname *q)
{
	const char *s1, *s2;

	memset(q, 0, sizeof(*q));
	s1 = strchr(name, XS_SEP);
	if (s1 == NULL) {
		q->local = name;
		q->local_len = strlen(name);
		return;
	}
	q->uri = name;
	q->uri_len = (size_t)(s1 - name);
	q->local = s1 + 1;
	s2 = strchr(q->local, XS_SEP);
	if (s2 == NULL) {
		q->local_len = strlen(q->local);
		return;
	}
	q->local_len = (size_t)(s2 - q->local);
	q->prefix = s2 + 1;
	q->prefix_len = strlen(q->prefix);
}

/* Returns the scratch buffer with at least n bytes, or NULL (NOMEM set). */
static char *
xs_scratch(struct xmlstream *xs, size_t n)
{
	char *p;

	if (n <= xs->scratch_cap)
		return xs->scratch;
	p = realloc(xs->scratch, n);
	if (p == NULL) {
		xs_fail(xs, WARD_ERR_NOMEM, "resource-constraint",
			"out of memory");
		return NULL;
	}
	xs->scratch = p;
	xs->scratch_cap = n;
	return p;
}

/* Writes a then b and a NUL at dst; returns dst. */
static char *
xs_put(char *dst, const char *a, size_t alen, const char *b, size_t blen)
{
	memcpy(dst, a, alen);
	memcpy(dst + alen, b, blen);
	dst[alen + blen] = '\0';
	return dst;
}

/*
 * Makes *buf (owned by xs) hold at least need bytes, doubling but never
 * past the stanza limit unless need is. 0, or -1 with NOMEM set.
 */
int
xs_grow(struct xmlstream *xs, char **buf, size_t *cap, size_t need)
{
	size_t ncap = *cap ? *cap : 1024;
	char *p;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	if (ncap > XMLSTREAM_MAX_STANZA + 1 && need <= XMLSTREAM_MAX_STANZA + 1)
		ncap = XMLSTREAM_MAX_STANZA + 1;
	if ((p = realloc(*buf, ncap)) == NULL) {
		xs_fail(xs, WARD_ERR_NOMEM, "resource-constraint",
			"out of memory");
		return -1;
	}
	*buf = p;
	*cap = ncap;
	return 0;
}

static int
xs_qname_is(const struct xs_qname *q, const char *uri, const char *local)
{
	return q->uri != NULL && q->uri_len == strlen(uri) &&
	       memcmp(q->uri, uri, q->uri_len) == 0 &&
	       q->local_len == strlen(local) &&
	       memcmp(q->local, local, q->local_len) == 0;
}

/*
 * Writes the attribute name for q into the scratch buffer: "local", or
 * "prefix:local" for a namespaced one (xml:lang). Returns it, or NULL.
 */
static char *
xs_attr_name(struct xmlstream *xs, const struct xs_qname *q)
{
	size_t plen = q->prefix != NULL ? q->prefix_len + 1 : 0;
	char *buf;

	if ((buf = xs_scratch(xs, plen + q->local_len + 1)) == NULL)
		return NULL;
	if (plen > 0)
		xs_put(buf, q->prefix, q->prefix_len, ":", 1);
	xs_put(buf + plen, q->local, q->local_len, "", 0);
	return buf;
}

static int
xs_is_xml_ns(const struct xs_qname *q)
{
	return q->uri_len == strlen(XS_NS_XML) &&
	       memcmp(q->uri, XS_NS_XML, q->uri_len) == 0;
}

/* Converts a libstrophe return code; sets NOMEM on failure. */
static int
xs_check(struct xmlstream *xs, int rc)
{
	if (rc == XMPP_EOK)
		return 0;
	xs_fail(xs, WARD_ERR_NOMEM, "resource-constraint",
		"cannot build stanza (out of memory)");
	return -1;
}

/* Copies expat's attributes onto the stanza. */
static int
xs_set_attrs(struct xmlstream *xs, xmpp_stanza_t *st, const XML_Char **atts)
{
	struct xs_qname q;
	char *name, *decl;
	size_t i;

	for (i = 0; atts[i] != NULL; i += 2) {
		xs_split(atts[i], &q);
		if ((name = xs_attr_name(xs, &q)) == NULL)
			return -1;
		if (xs_check(xs, xmpp_stanza_set_attribute(st, name,
							   atts[i + 1])) < 0)
			return -1;
		if (q.prefix == NULL || xs_is_xml_ns(&q))
			continue;
		/* Keep the prefix declared so the stanza serialises well. */
		if ((decl = xs_scratch(xs, 6 + q.prefix_len + 1 + q.uri_len +
					       1)) == NULL)
			return -1;
		xs_put(decl, "xmlns:", 6, q.prefix, q.prefix_len);
		name = decl + 6 + q.prefix_len + 1;
		xs_put(name, q.uri, q.uri_len, "", 0);
		if (xs_check(xs, xmpp_stanza_set_attribute(st, decl, name)) < 0)
			return -1;
	}
	return 0;
}

/*
 * Attaches child to the open element at level (the child's reference moves
 * to it), within the sibling budget. Returns 0, or -1 with child released.
 */
static int
xs_attach(struct xmlstream *xs, int level, xmpp_stanza_t *child)
{
	xs->sibling_steps += xs->nkids[level];
	if (xs->sibling_steps > XMLSTREAM_MAX_SIBLING_STEPS) {
		xmpp_stanza_release(child);
		xs_fail(xs, WARD_ERR_LIMIT, "policy-violation",
			"stanza has too many children");
		return -1;
	}
	xs->nkids[level]++;
	xmpp_stanza_add_child_ex(xs->stack[level], child, 0);
	return 0;
}

/* Turns pending character data into a text child of the open element. */
static void
xs_flush_text(struct xmlstream *xs)
{
	xmpp_stanza_t *t;
	int level = xs->depth - 2;

	if (xs->text_len == 0 || level < 0)
		return;
	t = xmpp_stanza_new(xs->ctx);
	if (t == NULL) {
		xs_check(xs, XMPP_EMEM);
		return;
	}
	if (xs_check(xs, xmpp_stanza_set_text_with_size(t, xs->text,
							xs->text_len)) < 0) {
		xmpp_stanza_release(t);
		return;
	}
	xs->text_len = 0;
	xs_attach(xs, level, t); /* transferred */
}

/* Drops the stanza being built, pending text and namespaces. */
static void
xs_drop_stanza(struct xmlstream *xs)
{
	int i;

	if (xs->stack[0] != NULL)
		xmpp_stanza_release(xs->stack[0]);
	for (i = 0; i < XMLSTREAM_MAX_DEPTH; i++) {
		free(xs->ns_own[i]);
		xs->ns_own[i] = NULL;
		xs->ns[i] = NULL;
		xs->stack[i] = NULL;
	}
	xs->text_len = 0;
}

/* Builds the open callback's attribute array; caller frees it and its
 * names (odd entries are borrowed from expat). */
static const char **
xs_root_attrs(struct xmlstream *xs, const XML_Char **atts)
{
	const char **out;
	struct xs_qname q;
	size_t n, i, o = 0;
	char *name;

	for (n = 0; atts[n] != NULL; n += 2)
		;
	out = calloc(n + 3, sizeof(*out));
	if (out == NULL)
		return NULL;
	for (i = 0; i < n; i += 2) {
		xs_split(atts[i], &q);
		if ((name = xs_attr_name(xs, &q)) == NULL ||
		    (name = strdup(name)) == NULL)
			goto fail;
		out[o++] = name;
		out[o++] = atts[i + 1];
	}
	if (xs->root_xmlns != NULL) {
		if ((out[o++] = strdup("xmlns")) == NULL)
			goto fail;
		out[o++] = xs->root_xmlns;
	}
	return out;
fail:
	for (i = 0; i < o; i += 2)
		free((char *)out[i]);
	free(out);
	return NULL;
}

/* Handles <stream:stream>: checks it and calls the open callback. */
static void
xs_open_root(struct xmlstream *xs, const struct xs_qname *q,
	     const XML_Char **atts)
{
	const char **attrs;
	size_t i;

	if (q->uri == NULL || !xs_qname_is(q, XS_NS_STREAMS, "stream")) {
		if (q->uri == NULL || q->uri_len != strlen(XS_NS_STREAMS) ||
		    memcmp(q->uri, XS_NS_STREAMS, q->uri_len) != 0)
			xs_fail(xs, WARD_ERR_PARSE, "invalid-namespace",
				"stream root not in the streams namespace");
		else
			xs_fail(xs, WARD_ERR_PARSE, "bad-format",
				"stream root is not <stream>");
		return;
	}
	xs->depth = 1;
	xs->boundary = xs->tag_end;
	if (xs->cbs.open == NULL)
		return;
	if ((attrs = xs_root_attrs(xs, atts)) == NULL) {
		xs_fail(xs, WARD_ERR_NOMEM, "resource-constraint",
			"out of memory");
		return;
	}
	xs->cbs.open(xs->arg, attrs);
	for (i = 0; attrs[i] != NULL; i += 2)
		free((char *)attrs[i]);
	free(attrs);
}

/* Sets name and namespace of a new element at level (0 = top). */
static int
xs_name_element(struct xmlstream *xs, xmpp_stanza_t *st, int level,
		const struct xs_qname *q)
{
	const char *parent = level > 0 ? xs->ns[level - 1] : NULL;
	size_t ulen = q->uri != NULL ? q->uri_len : 0;
	char *buf;

	if ((buf = xs_scratch(xs, q->local_len + 1)) == NULL)
		return -1;
	xs_put(buf, q->local, q->local_len, "", 0);
	if (xs_check(xs, xmpp_stanza_set_name(st, buf)) < 0)
		return -1;
	if (parent != NULL && strlen(parent) == ulen &&
	    memcmp(parent, q->uri != NULL ? q->uri : "", ulen) == 0) {
		xs->ns[level] = parent;
		return 0;
	}
	if (parent == NULL && ulen == 0) {
		xs->ns[level] = "";
		return 0;
	}
	if ((xs->ns_own[level] = malloc(ulen + 1)) == NULL) {
		xs_check(xs, XMPP_EMEM);
		return -1;
	}
	xs_put(xs->ns_own[level], q->uri != NULL ? q->uri : "", ulen, "", 0);
	xs->ns[level] = xs->ns_own[level];
	return xs_check(xs, xmpp_stanza_set_ns(st, xs->ns[level]));
}

static void XMLCALL
xs_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xmlstream *xs = ud;
	struct xs_qname q;
	xmpp_stanza_t *st;
	int level, nattr;

	if (xs_stopped(xs))
		return;
	xs->tag_end = XML_GetCurrentByteIndex(xs->parser) +
		      XML_GetCurrentByteCount(xs->parser);
	xs->event_end = xs->tag_end;
	for (nattr = 0; atts[nattr] != NULL; nattr += 2)
		;
	if (nattr / 2 > XMLSTREAM_MAX_ATTRS) {
		xs_fail(xs, WARD_ERR_LIMIT, "policy-violation",
			"too many attributes");
		return;
	}
	xs_split(name, &q);
	if (xs->depth == 0) {
		xs_open_root(xs, &q, atts);
		return;
	}
	level = xs->depth - 1;
	if (level >= XMLSTREAM_MAX_DEPTH) {
		xs_fail(xs, WARD_ERR_LIMIT, "policy-violation",
			"stanza nested too deeply");
		return;
	}
	xs_flush_text(xs);
	if (xs->err != WARD_OK)
		return;
	if ((st = xmpp_stanza_new(xs->ctx)) == NULL) {
		xs_check(xs, XMPP_EMEM);
		return;
	}
	if (level == 0) {
		xs->stanza_start = XML_GetCurrentByteIndex(xs->parser);
		xs->sibling_steps = 0;
	} else if (xs_attach(xs, level - 1, st) < 0)
		return;
	xs->stack[level] = st; /* owned by stack[0] when level > 0 */
	xs->nkids[level] = 0;
	xs->depth++;
	if (xs_name_element(xs, st, level, &q) < 0)
		return;
	xs_set_attrs(xs, st, atts);
}

/* A complete top-level element: check its size and hand it over. */
static void
xs_stanza_done(struct xmlstream *xs, int64_t end)
{
	xmpp_stanza_t *st = xs->stack[0];

	if (end - xs->stanza_start > XMLSTREAM_MAX_STANZA) {
		xs_fail(xs, WARD_ERR_LIMIT, "policy-violation",
			"stanza too large");
		return;
	}
	xs->stack[0] = NULL;
	xs->boundary = end;
	if (xs->cbs.stanza != NULL)
		xs->cbs.stanza(xs->arg, st);
	xmpp_stanza_release(st);
}

static void XMLCALL
xs_end(void *ud, const XML_Char *name)
{
	struct xmlstream *xs = ud;
	int64_t end;
	int count, level;

	(void)name;
	if (xs_stopped(xs))
		return;
	count = XML_GetCurrentByteCount(xs->parser);
	/* An empty-element tag reports its end with no bytes of its own. */
	end = count > 0 ? XML_GetCurrentByteIndex(xs->parser) + count
			: xs->tag_end;
	xs->event_end = end;
	if (xs->depth == 1) {
		xs->depth = 0;
		xs->boundary = end;
		if (xs->cbs.close != NULL)
			xs->cbs.close(xs->arg);
		return;
	}
	xs_flush_text(xs);
	if (xs->err != WARD_OK)
		return;
	level = xs->depth - 2;
	free(xs->ns_own[level]);
	xs->ns_own[level] = NULL;
	xs->ns[level] = NULL;
	xs->depth--;
	if (level == 0)
		xs_stanza_done(xs, end);
	else
		xs->stack[level] = NULL;
}

static int
xs_is_space(const XML_Char *s, int len)
{
	int i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

static void XMLCALL
xs_chars(void *ud, const XML_Char *s, int len)
{
	struct xmlstream *xs = ud;
	int64_t end;

	if (xs_stopped(xs) || len <= 0)
		return;
	end = XML_GetCurrentByteIndex(xs->parser) +
	      XML_GetCurrentByteCount(xs->parser);
	if (end > xs->event_end)
		xs->event_end = end;
	if (xs->depth <= 1) {
		if (!xs_is_space(s, len)) {
			xs_fail(xs, WARD_ERR_PARSE, "bad-format",
				"text between stanzas");
			return;
		}
		/* Keep-alive whitespace ends the previous unit. */
		if (end > xs->boundary)
			xs->boundary = end;
		return;
	}
	if ((size_t)len > XMLSTREAM_MAX_STANZA - xs->text_len) {
		xs_fail(xs, WARD_ERR_LIMIT, "policy-violation",
			"stanza too large");
		return;
	}
	if (xs_grow(xs, &xs->text, &xs->text_cap,
		    xs->text_len + (size_t)len + 1) < 0)
		return;
	memcpy(xs->text + xs->text_len, s, (size_t)len);
	xs->text_len += (size_t)len;
}

static void XMLCALL
xs_ns_start(void *ud, const XML_Char *prefix, const XML_Char *uri)
{
	struct xmlstream *xs = ud;

	/* Only the root's default namespace is reported (to open). */
	if (xs_stopped(xs) || xs->depth != 0 || prefix != NULL || uri == NULL)
		return;
	free(xs->root_xmlns);
	if ((xs->root_xmlns = strdup(uri)) == NULL)
		xs_check(xs, XMPP_EMEM);
}

static void XMLCALL
xs_xmldecl(void *ud, const XML_Char *version, const XML_Char *encoding,
	   int standalone)
{
	struct xmlstream *xs = ud;

	(void)version;
	(void)standalone;
	xs->event_end = XML_GetCurrentByteIndex(xs->parser) +
			XML_GetCurrentByteCount(xs->parser);
	if (encoding != NULL && strcasecmp(encoding, "UTF-8") != 0)
		xs_fail(xs, WARD_ERR_PARSE, "unsupported-encoding",
			"encoding other than UTF-8 declared");
}

static void XMLCALL
xs_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
	   const XML_Char *pubid, int has_internal_subset)
{
	xs_fail(ud, WARD_ERR_POLICY, "restricted-xml", "DOCTYPE refused");
}

static void XMLCALL
xs_entitydecl(void *ud, const XML_Char *name, int is_param,
	      const XML_Char *value, int value_len, const XML_Char *base,
	      const XML_Char *sysid, const XML_Char *pubid,
	      const XML_Char *notation)
{
	xs_fail(ud, WARD_ERR_POLICY, "restricted-xml",
		"entity declaration refused");
}

static void XMLCALL
xs_pi(void *ud, const XML_Char *target, const XML_Char *data)
{
	xs_fail(ud, WARD_ERR_POLICY, "restricted-xml",
		"processing instruction refused");
}

static void XMLCALL
xs_comment(void *ud, const XML_Char *data)
{
	xs_fail(ud, WARD_ERR_POLICY, "restricted-xml", "comment refused");
}

/* Creates and configures a fresh expat parser. */
int
xs_parser_open(struct xmlstream *xs)
{
	XML_Parser p;

	/* "UTF-8" overrides whatever the document declares. */
	p = XML_ParserCreateNS("UTF-8", XS_SEP);
	if (p == NULL)
		return WARD_ERR_NOMEM;
	XML_SetUserData(p, xs);
	XML_SetReturnNSTriplet(p, XML_TRUE);
	XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
#if XML_MAJOR_VERSION > 2 || (XML_MAJOR_VERSION == 2 && XML_MINOR_VERSION >= 6)
	/* expat 2.6's own deferral would hold back finished stanzas and upset
	 * the byte accounting; xs_should_parse does that job here. XXX
	 * untested: Debian 12 ships 2.5. */
	XML_SetReparseDeferralEnabled(p, XML_FALSE);
#endif
	XML_SetElementHandler(p, xs_start, xs_end);
	XML_SetCharacterDataHandler(p, xs_chars);
	XML_SetStartNamespaceDeclHandler(p, xs_ns_start);
	XML_SetXmlDeclHandler(p, xs_xmldecl);
	XML_SetStartDoctypeDeclHandler(p, xs_doctype);
	XML_SetEntityDeclHandler(p, xs_entitydecl);
	XML_SetProcessingInstructionHandler(p, xs_pi);
	XML_SetCommentHandler(p, xs_comment);
	xs->parser = p;
	return WARD_OK;
}

/* Forgets everything about the current stream (not the error). */
void
xs_clear(struct xmlstream *xs)
{
	if (xs->parser != NULL)
		XML_ParserFree(xs->parser);
	xs->parser = NULL;
	xs_drop_stanza(xs);
	free(xs->root_xmlns);
	xs->root_xmlns = NULL;
	xs->depth = 0;
	xs->fed = xs->boundary = xs->stanza_start = xs->tag_end = 0;
	xs->event_end = 0;
	xs->reset_wanted = 0;
	xs->hold_len = 0;
	xs->scan = XS_TEXT;
	xs->scan_run = 0;
	xs->token_end = 0;
}

/* Maps an expat error to ward's codes. */
void
xs_fail_expat(struct xmlstream *xs)
{
	enum XML_Error code = XML_GetErrorCode(xs->parser);
	char text[sizeof(xs->errtext)];
	int err = WARD_ERR_PARSE;
	const char *cond = "not-well-formed";

	switch (code) {
	case XML_ERROR_NO_MEMORY:
		err = WARD_ERR_NOMEM;
		cond = "resource-constraint";
		break;
	case XML_ERROR_UNDEFINED_ENTITY:
	case XML_ERROR_RECURSIVE_ENTITY_REF:
	case XML_ERROR_BINARY_ENTITY_REF:
	case XML_ERROR_ATTRIBUTE_EXTERNAL_ENTITY_REF:
	case XML_ERROR_EXTERNAL_ENTITY_HANDLING:
	case XML_ERROR_PARAM_ENTITY_REF:
	case XML_ERROR_ENTITY_DECLARED_IN_PE:
	case XML_ERROR_MISPLACED_XML_PI:
	case XML_ERROR_AMPLIFICATION_LIMIT_BREACH:
		err = WARD_ERR_POLICY;
		cond = "restricted-xml";
		break;
	default:
		break;
	}
	snprintf(text, sizeof(text), "expat: %s (line %lu, column %lu)",
		 XML_ErrorString(code),
		 (unsigned long)XML_GetCurrentLineNumber(xs->parser),
		 (unsigned long)XML_GetCurrentColumnNumber(xs->parser));
	xs_fail(xs, err, cond, text);
}
