/*
 * xmlstream.h: the XMPP stream parser. Turns the decrypted bytes of one XMPP
 * stream into libstrophe stanzas, with hard limits on size and depth and
 * without DTDs, entities, comments or processing instructions.
 */
#ifndef WARD_XMLSTREAM_H
#define WARD_XMLSTREAM_H

#include <stddef.h>
#include <strophe.h>

/* Bytes from a top-level element's '<' to its end, incl. anything expat
 * buffers. */
#define XMLSTREAM_MAX_STANZA 262144
/* Nesting depth of a stanza (the stanza element itself is depth 1). */
#define XMLSTREAM_MAX_DEPTH 64
/* Attributes on one element (libstrophe's attribute table is a fixed
 * 8-bucket hash: thousands of attributes would cost quadratic time). */
#define XMLSTREAM_MAX_ATTRS 128
/* libstrophe appends a child by walking all its earlier siblings, so a
 * stanza costs the sum, over its nodes, of the siblings before each one.
 * That sum is capped: one element may have about 5800 children (a 256 KB
 * stanza of 65000 <a/> would otherwise cost seconds of CPU). */
#define XMLSTREAM_MAX_SIBLING_STEPS (1L << 24)

struct xmlstream;

/* Every member may be NULL. Callbacks must not call xmlstream_feed or
 * xmlstream_free; they may call xmlstream_request_reset. */
struct xmlstream_cbs {
	/* <stream:stream ...> opened; attrs is expat-style NULL-terminated
	 * name/value array, names are local names ("id", "from", "version",
	 * "xml:lang"...); a default namespace declared on the root comes as
	 * "xmlns". attrs is valid only during the call. */
	void (*open)(void *arg, const char **attrs);
	/* One complete top-level element (stanza or nonza: features, proceed,
	 * success, message...). The stanza belongs to the stream and is
	 * released after the callback returns; clone it (xmpp_stanza_clone /
	 * copy) to keep it. */
	void (*stanza)(void *arg, xmpp_stanza_t *stanza);
	/* </stream:stream> received. */
	void (*close)(void *arg);
};

/*
 * Creates a stream parser. ctx and cbs are borrowed and must outlive it
 * (cbs is copied). Returns NULL on OOM. Free with xmlstream_free.
 */
struct xmlstream *xmlstream_new(xmpp_ctx_t *ctx,
				const struct xmlstream_cbs *cbs, void *arg);

/*
 * Parses len bytes, calling the callbacks as elements complete (a stanza
 * is delivered by the feed that brings its last byte). Returns WARD_OK;
 * WARD_ERR_LIMIT (stanza too big, too deep, too many attributes or
 * children), WARD_ERR_POLICY (DTD/DOCTYPE, entity declaration or reference
 * other than the 5 predefined + char refs, processing instruction other
 * than the XML declaration, comment), WARD_ERR_PARSE (not well-formed, bad
 * UTF-8, encoding other than UTF-8, wrong stream root, text between
 * stanzas), WARD_ERR_NOMEM, WARD_ERR_INVAL (called from inside a
 * callback). After an error the stream is dead: further feeds return the
 * same error (until xmlstream_reset).
 */
int xmlstream_feed(struct xmlstream *xs, const char *data, size_t len);

/* Static description of the last error, for logs (never contains peer
 * data); "" if none. Valid until the next call on xs. */
const char *xmlstream_error_text(const struct xmlstream *xs);

/*
 * RFC 6120 stream error condition to send for the last error:
 * "policy-violation" for the limits, "restricted-xml" for
 * DTD/PI/comment/entities, "invalid-namespace" for a root outside the
 * streams namespace, "unsupported-encoding", "resource-constraint" for OOM,
 * "bad-format" or "not-well-formed" otherwise; NULL if no error. Static.
 */
const char *xmlstream_error_condition(const struct xmlstream *xs);

/*
 * Callable from inside a callback (e.g. after <proceed/> or SASL
 * <success/>): feed() stops after the current element, drops the rest of
 * this chunk, and the next feed() starts a fresh stream (new parser). Called
 * outside a callback, the next feed() starts a fresh stream.
 */
void xmlstream_request_reset(struct xmlstream *xs);

/*
 * Resets now (outside callbacks): drops any partial stanza, clears the
 * error and expects a new <stream:stream>. Inside a callback it acts like
 * xmlstream_request_reset. WARD_OK or WARD_ERR_NOMEM.
 */
int xmlstream_reset(struct xmlstream *xs);

/* Frees xs and everything it holds. NULL is fine. */
void xmlstream_free(struct xmlstream *xs);

#endif
