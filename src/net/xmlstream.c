/*
 * xmlstream.c: the XMPP stream parser. expat (with namespaces) reads the
 * stream, each top-level element becomes an xmpp_stanza_t; size and depth
 * are bounded and RFC 6120's restricted XML (no DTD, PI, comment, entity)
 * is enforced before anything is expanded. This half takes the bytes:
 * it scans them for stanza boundaries and limits before expat sees them
 * and feeds expat; xmlstream_build.c turns expat's events into stanzas.
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

/* Bytes received since the current top-level unit began. */
static int64_t
xs_pending(const struct xmlstream *xs)
{
	int64_t from = xs->stack[0] != NULL ? xs->stanza_start : xs->boundary;

	return xs->fed + (int64_t)xs->hold_len - from;
}

/* Drops the parser and the partial stanza after an error. */
static int
xs_dead(struct xmlstream *xs)
{
	xs_clear(xs);
	return xs->err;
}

/* The character whose run ends st with '>' ("-->", "]]>", "?>"). */
static char
xs_scan_closer(enum xs_scan_state st)
{
	return st == XS_COMMENT ? '-' : st == XS_CDATA ? ']' : '?';
}

/* One byte of xs_scan: the next state; sets *end when c may end a token. */
static enum xs_scan_state
xs_scan_byte(enum xs_scan_state st, int *run, char c, int *end)
{
	switch (st) {
	case XS_TEXT:
		*end |= c == ';';
		return c == '<' ? XS_LT : XS_TEXT;
	case XS_LT:
		*run = 0;
		if (c == '!')
			return XS_BANG;
		return c == '?' ? XS_PI : xs_scan_byte(XS_TAG, run, c, end);
	case XS_TAG:
		if (c == '\'' || c == '"')
			return c == '\'' ? XS_SQUOTE : XS_DQUOTE;
		break;
	case XS_SQUOTE:
		return c == '\'' ? XS_TAG : st;
	case XS_DQUOTE:
		return c == '"' ? XS_TAG : st;
	case XS_BANG:
		if (c == '-' || c == '[')
			return c == '-' ? XS_BANG2 : XS_CDATA;
		return xs_scan_byte(XS_DECL, run, c, end);
	case XS_BANG2:
		if (c == '-')
			return XS_COMMENT;
		return xs_scan_byte(XS_DECL, run, c, end);
	case XS_COMMENT:
	case XS_CDATA:
	case XS_PI:
		if (c == '>' && *run >= (st == XS_PI ? 1 : 2)) {
			*end = 1;
			return XS_TEXT;
		}
		*run = c == xs_scan_closer(st) ? *run + 1 : 0;
		return st;
	case XS_DECL:
		break;
	}
	/* XS_TAG and XS_DECL end at the next '>'. */
	if (c == '>') {
		*end = 1;
		return XS_TEXT;
	}
	return st;
}

/*
 * Follows the markup over n new bytes and notes whether they can end the
 * token expat may be stuck on: a tag's '>' outside quotes, "-->", "?>",
 * "]]>", the '>' of other <!...> markup, or the ';' of a reference. Text
 * and CDATA content reach the callbacks piecemeal, and a stanza ends at a
 * tag's '>', so a stanza is never held back; a wrong guess on malformed
 * input only delays its error.
 */
static void
xs_scan(struct xmlstream *xs, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		xs->scan =
		    xs_scan_byte(xs->scan, &xs->scan_run, p[i], &xs->token_end);
}

/* Appends n bytes to the hold buffer (bounded by the callers' limit). */
static int
xs_hold(struct xmlstream *xs, const char *p, size_t n)
{
	if (xs_grow(xs, &xs->hold, &xs->hold_cap, xs->hold_len + n) < 0)
		return -1;
	memcpy(xs->hold + xs->hold_len, p, n);
	xs->hold_len += n;
	xs_scan(xs, p, n);
	return 0;
}

/*
 * expat 2.5 re-scans a token it could not finish from its first byte at
 * every XML_Parse call, so a long start tag fed a few bytes at a time costs
 * quadratic time. Parse now when the partial token is short, when the held
 * bytes may finish it, or when they are at least as long as it (so each
 * re-scan is paid for by as many new bytes).
 */
static int
xs_should_parse(const struct xmlstream *xs)
{
	int64_t partial = xs->fed - xs->event_end;

	return xs->hold_len > 0 && (xs->token_end || partial <= XS_DEFER_MIN ||
				    (int64_t)xs->hold_len >= partial);
}

/*
 * Hands the held bytes to expat, in pieces that never let it buffer more
 * than one byte past the limit of an unfinished unit (a start tag that
 * never ends is kept inside expat without any callback).
 */
static int
xs_parse_held(struct xmlstream *xs)
{
	enum XML_Status st;
	size_t off = 0, n;
	int64_t room;

	while (off < xs->hold_len && !xs->reset_wanted) {
		room = XMLSTREAM_MAX_STANZA + 1 -
		       (xs->fed - (xs->stack[0] != NULL ? xs->stanza_start
							: xs->boundary));
		if (room <= 0) {
			xs_fail(xs, WARD_ERR_LIMIT, "policy-violation",
				"stanza too large");
			return xs->err;
		}
		n = xs->hold_len - off < XS_PIECE ? xs->hold_len - off
						  : XS_PIECE;
		if ((int64_t)n > room)
			n = (size_t)room;
		xs->in_parse = 1;
		st = XML_Parse(xs->parser, xs->hold + off, (int)n, XML_FALSE);
		xs->in_parse = 0;
		xs->fed += (int64_t)n;
		off += n;
		if (xs->err != WARD_OK)
			return xs->err;
		if (st == XML_STATUS_ERROR) {
			xs_fail_expat(xs);
			return xs->err;
		}
	}
	xs->hold_len = 0;
	xs->token_end = 0;
	return WARD_OK;
}

/* Starts the fresh stream asked for by xmlstream_request_reset. */
static int
xs_restart(struct xmlstream *xs)
{
	xs_clear(xs);
	if (xs_parser_open(xs) != WARD_OK) {
		xs_fail(xs, WARD_ERR_NOMEM, "resource-constraint",
			"out of memory");
		return xs->err;
	}
	return WARD_OK;
}

struct xmlstream *
xmlstream_new(xmpp_ctx_t *ctx, const struct xmlstream_cbs *cbs, void *arg)
{
	struct xmlstream *xs;

	if ((xs = calloc(1, sizeof(*xs))) == NULL)
		return NULL;
	xs->ctx = ctx;
	if (cbs != NULL)
		xs->cbs = *cbs;
	xs->arg = arg;
	if (xs_parser_open(xs) != WARD_OK) {
		free(xs);
		return NULL;
	}
	return xs;
}

int
xmlstream_feed(struct xmlstream *xs, const char *data, size_t len)
{
	size_t off = 0, n;
	int64_t room;

	if (xs->in_parse)
		return WARD_ERR_INVAL;
	if (xs->err != WARD_OK)
		return xs->err;
	if ((xs->reset_wanted || xs->parser == NULL) &&
	    xs_restart(xs) != WARD_OK)
		return xs_dead(xs);
	while (off < len && !xs->reset_wanted) {
		/* Never hold more than one byte past the limit. */
		room = XMLSTREAM_MAX_STANZA + 1 - xs_pending(xs);
		if (room <= 0) {
			if (xs->hold_len == 0)
				xs_fail(xs, WARD_ERR_LIMIT, "policy-violation",
					"stanza too large");
			if (xs_parse_held(xs) != WARD_OK || xs->err != WARD_OK)
				return xs_dead(xs);
			continue;
		}
		n = len - off < XS_PIECE ? len - off : XS_PIECE;
		if ((int64_t)n > room)
			n = (size_t)room;
		if (xs_hold(xs, data + off, n) < 0)
			return xs_dead(xs);
		off += n;
		if (xs_should_parse(xs) && xs_parse_held(xs) != WARD_OK)
			return xs_dead(xs);
	}
	if (xs->reset_wanted) {
		/* The rest of this chunk belonged to the old stream. */
		return xs_restart(xs) != WARD_OK ? xs_dead(xs) : WARD_OK;
	}
	/* Decide on the limit only once expat has seen everything. */
	if (xs_pending(xs) > XMLSTREAM_MAX_STANZA) {
		if (xs_parse_held(xs) != WARD_OK)
			return xs_dead(xs);
		if (xs_pending(xs) > XMLSTREAM_MAX_STANZA) {
			xs_fail(xs, WARD_ERR_LIMIT, "policy-violation",
				xs->depth == 0 ? "stream header too large"
					       : "stanza too large");
			return xs_dead(xs);
		}
	}
	return WARD_OK;
}

const char *
xmlstream_error_text(const struct xmlstream *xs)
{
	return xs->errtext;
}

const char *
xmlstream_error_condition(const struct xmlstream *xs)
{
	return xs->err != WARD_OK ? xs->cond : NULL;
}

void
xmlstream_request_reset(struct xmlstream *xs)
{
	xs->reset_wanted = 1;
	if (xs->in_parse && xs->parser != NULL)
		XML_StopParser(xs->parser, XML_TRUE);
}

int
xmlstream_reset(struct xmlstream *xs)
{
	if (xs->in_parse) {
		xmlstream_request_reset(xs);
		return WARD_OK;
	}
	xs_clear(xs);
	xs->err = WARD_OK;
	xs->cond = NULL;
	xs->errtext[0] = '\0';
	return xs_parser_open(xs);
}

void
xmlstream_free(struct xmlstream *xs)
{
	if (xs == NULL)
		return;
	xs_clear(xs);
	free(xs->text);
	free(xs->hold);
	free(xs->scratch);
	free(xs);
}
