/*
 * xmlstream_priv.h: what the two halves of the stream parser share: the
 * parser state, the scanner's states, and the calls from feeding
 * (xmlstream.c) into building stanzas from expat's events
 * (xmlstream_build.c).
 */
#ifndef WARD_XMLSTREAM_PRIV_H
#define WARD_XMLSTREAM_PRIV_H

#include <expat.h>
#include <stddef.h>
#include <stdint.h>
#include <strophe.h>

#include "xmlstream.h"

#define XS_NS_STREAMS "http://etherx.jabber.org/streams"
#define XS_NS_XML "http://www.w3.org/XML/1998/namespace"
/* Separates namespace URI, local name and prefix in expat's names; 0xFF
 * never occurs in UTF-8. */
#define XS_SEP '\xff'
/* A partial token up to this size is handed to expat at once (see
 * xs_should_parse). */
#define XS_DEFER_MIN 4096
/* Input is taken and handed to expat at most this much at a time, so that
 * expat's buffer (it copies what it is given) stays small. */
#define XS_PIECE 65536

/*
 * Where the byte scanner (xs_scan) is in the markup, to know whether new
 * bytes can finish the token expat is stuck on.
 */
enum xs_scan_state {
	XS_TEXT,    /* character data */
	XS_LT,      /* after '<' */
	XS_TAG,     /* inside a start or end tag */
	XS_SQUOTE,  /* inside '...' in a tag */
	XS_DQUOTE,  /* inside "..." in a tag */
	XS_BANG,    /* after "<!" */
	XS_BANG2,   /* after "<!-" */
	XS_COMMENT, /* inside <!-- --> */
	XS_CDATA,   /* inside <![CDATA[ ]]> */
	XS_PI,      /* inside <? ?> */
	XS_DECL,    /* inside another <! ...>, e.g. DOCTYPE */
};

struct xmlstream {
	xmpp_ctx_t *ctx; /* borrowed */
	struct xmlstream_cbs cbs;
	void *arg;
	XML_Parser parser; /* owned; NULL after an error */

	int err;          /* sticky: WARD_OK or the error */
	const char *cond; /* static RFC 6120 condition */
	char errtext[160];

	int in_parse; /* inside XML_Parse (callbacks) */
	int reset_wanted;

	/* Document depth: 0 before the root, 1 inside <stream:stream>. */
	int depth;
	/* Open elements of the current stanza: stack[0] is the top-level
	 * element and owns the rest (children are attached as they open). */
	xmpp_stanza_t *stack[XMLSTREAM_MAX_DEPTH];
	/* Namespace in force at each level ("" = none); ns_own[i] is set
	 * when level i declared its own (then ns[i] == ns_own[i]). */
	const char *ns[XMLSTREAM_MAX_DEPTH];
	char *ns_own[XMLSTREAM_MAX_DEPTH];

	char *text; /* pending character data, owned */
	size_t text_len, text_cap;

	char *root_xmlns; /* default ns declared on the root */
	/* Children of each open element, and the sibling walks libstrophe
	 * has done for the current stanza (XMLSTREAM_MAX_SIBLING_STEPS). */
	long nkids[XMLSTREAM_MAX_DEPTH];
	long sibling_steps;

	/* Bytes received but not yet given to expat (owned), and what the
	 * scanner saw in them. */
	char *hold;
	size_t hold_len, hold_cap;
	enum xs_scan_state scan;
	int scan_run;  /* how many ']', '-' or '?' just seen */
	int token_end; /* the held bytes may end expat's token */

	/* Byte accounting, in offsets since this parser began. */
	int64_t fed;          /* bytes handed to expat */
	int64_t boundary;     /* end of the last top-level unit */
	int64_t stanza_start; /* '<' of the open top-level element */
	int64_t tag_end;      /* end of the last start tag */
	int64_t event_end;    /* end of the last event expat reported */

	char *scratch; /* owned, for names */
	size_t scratch_cap;
};

/* A name from expat split into its parts (not NUL-terminated). */
struct xs_qname {
	const char *uri, *local, *prefix;
	size_t uri_len, local_len, prefix_len;
};

/* xmlstream_build.c */
/* Records the first error and stops expat (if running). */
void xs_fail(struct xmlstream *xs, int err, const char *cond, const char *text);
/* Maps an expat error to ward's codes. */
void xs_fail_expat(struct xmlstream *xs);
/* Makes *buf (owned by xs) hold at least need bytes: 0, or -1. */
int xs_grow(struct xmlstream *xs, char **buf, size_t *cap, size_t need);
/* Creates and configures a fresh expat parser. */
int xs_parser_open(struct xmlstream *xs);
/* Forgets everything about the current stream (not the error). */
void xs_clear(struct xmlstream *xs);

#endif
