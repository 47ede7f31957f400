/*
 * fuzz_dataform.c: libFuzzer harness for XEP-0004 data forms
 * (src/feat/dataform.c). The input is XML after a stream header; every
 * element of every stanza to depth 4 goes through dataform_parse. What
 * parses must be within the limits, survive submit → serialise → parse
 * with the same vars and values, and take its own values back through
 * dataform_set where the field may be set.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <strophe.h>

#include "dataform.h"
#include "ward.h"
#include "xmlstream.h"

#define HDR                                                                    \
	"<stream:stream xmlns='jabber:client' "                                \
	"xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>"

static xmpp_ctx_t *fuzz_ctx;

static void
fuzz_keep(void *arg, xmpp_stanza_t *st)
{
	xmpp_stanza_t **out = arg;

	if (*out == NULL)
		*out = xmpp_stanza_copy(st);
}

/* Serialises E inside a message and parses it back (the message). */
static xmpp_stanza_t *
fuzz_wire(xmpp_stanza_t *e)
{
	struct xmlstream_cbs cbs = {.stanza = fuzz_keep};
	xmpp_stanza_t *back = NULL,
		      *m = xmpp_message_new(fuzz_ctx, NULL, "r@x.test", "i");
	struct xmlstream *xs;
	char *buf;
	size_t len;

	xmpp_stanza_add_child(m, e);
	if (xmpp_stanza_to_text(m, &buf, &len) != XMPP_EOK)
		__builtin_trap();
	xmpp_stanza_release(m);
	xs = xmlstream_new(fuzz_ctx, &cbs, &back);
	/* what we build must parse (a form over the stanza limit may not) */
	if (xs == NULL || xmlstream_feed(xs, HDR, strlen(HDR)) != WARD_OK ||
	    (xmlstream_feed(xs, buf, len) != WARD_OK && len < 200000))
		__builtin_trap();
	xmlstream_free(xs);
	xmpp_free(fuzz_ctx, buf);
	return back;
}

static void
fuzz_form(xmpp_stanza_t *e)
{
	struct dataform *f = dataform_parse(fuzz_ctx, e), *g;
	xmpp_stanza_t *x, *back;
	const struct df_field *a, *b;
	const char *why;
	size_t i, k;

	if (f == NULL)
		return;
	if (f->nfields > DATAFORM_MAX_FIELDS)
		__builtin_trap();
	for (i = 0; i < f->nfields; i++) {
		a = &f->fields[i];
		if (a->nvalues > DATAFORM_MAX_VALUES ||
		    a->noptions > DATAFORM_MAX_OPTIONS ||
		    (a->var == NULL && a->type != DF_FIXED) ||
		    (a->var != NULL && dataform_field(f, a->var) != a))
			__builtin_trap(); /* limits, and vars unique */
		for (k = 0; k < a->nvalues; k++)
			if (strlen(a->values[k]) > DATAFORM_MAX_TEXT)
				__builtin_trap();
	}
	x = dataform_submit(fuzz_ctx, f);
	back = fuzz_wire(x);
	xmpp_stanza_release(x);
	if (back != NULL) {
		g = dataform_parse(fuzz_ctx,
				   xmpp_stanza_get_child_by_name(back, "x"));
		if (g == NULL)
			__builtin_trap();
		for (i = 0; i < f->nfields; i++) {
			a = &f->fields[i];
			if (a->var == NULL || a->type == DF_FIXED)
				continue;
			b = dataform_field(g, a->var);
			if (b == NULL || b->nvalues != a->nvalues)
				__builtin_trap();
			for (k = 0; k < a->nvalues; k++)
				if (strcmp(a->values[k], b->values[k]) != 0)
					__builtin_trap();
		}
		dataform_free(g);
		xmpp_stanza_release(back);
	}
	/* a settable field takes its own values back */
	for (i = 0; i < f->nfields; i++) {
		a = &f->fields[i];
		if (a->var == NULL || a->type == DF_FIXED ||
		    a->type == DF_HIDDEN || a->type == DF_UNKNOWN ||
		    a->type == DF_BOOLEAN || a->type == DF_JID_SINGLE ||
		    a->type == DF_JID_MULTI || a->noptions > 0 ||
		    (a->nvalues > 1 && !dataform_type_multi(a->type)))
			continue; /* (an untyped field may hold several) */
		char **copy = calloc(a->nvalues + 1, sizeof(*copy));
		size_t n = a->nvalues;
		for (k = 0; k < n; k++)
			copy[k] = strdup(a->values[k]);
		if (dataform_set(f, a->var, (const char *const *)copy, n,
				 &why) != 0)
			__builtin_trap();
		for (k = 0; k < n; k++)
			free(copy[k]);
		free(copy);
	}
	dataform_free(f);
}

/* Every element of the stanza, to depth 4. */
static void
fuzz_walk(xmpp_stanza_t *e, int depth)
{
	xmpp_stanza_t *c;

	if (!xmpp_stanza_is_tag(e))
		return;
	fuzz_form(e);
	if (depth < 4)
		for (c = xmpp_stanza_get_children(e); c != NULL;
		     c = xmpp_stanza_get_next(c))
			fuzz_walk(c, depth + 1);
}

static void
fuzz_stanza(void *arg, xmpp_stanza_t *st)
{
	(void)arg;
	fuzz_walk(st, 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xmlstream_cbs cbs = {.stanza = fuzz_stanza};
	struct xmlstream *xs;

	if (fuzz_ctx == NULL)
		fuzz_ctx = xmpp_ctx_new(NULL, NULL);
	xs = xmlstream_new(fuzz_ctx, &cbs, NULL);
	if (xs == NULL)
		return 0;
	if (xmlstream_feed(xs, HDR, strlen(HDR)) == WARD_OK)
		xmlstream_feed(xs, (const char *)data, size);
	xmlstream_free(xs);
	return 0;
}
