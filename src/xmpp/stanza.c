/*
 * stanza.c: shared stanza builders and readers (see stanza.h).
 */
#include <string.h>

#include "stanza.h"

xmpp_stanza_t *
stanza_elem(xmpp_ctx_t *ctx, const char *name, const char *ns)
{
	xmpp_stanza_t *e = xmpp_stanza_new(ctx);

	xmpp_stanza_set_name(e, name);
	if (ns != NULL)
		xmpp_stanza_set_ns(e, ns);
	return e;
}

xmpp_stanza_t *
stanza_iq_reply(xmpp_ctx_t *ctx, xmpp_stanza_t *iq, const char *type)
{
	xmpp_stanza_t *r = xmpp_iq_new(ctx, type, xmpp_stanza_get_id(iq));
	const char *from = xmpp_stanza_get_from(iq);

	if (from != NULL)
		xmpp_stanza_set_to(r, from);
	return r;
}

void
stanza_adopt(xmpp_stanza_t *parent, xmpp_stanza_t *child)
{
	xmpp_stanza_add_child(parent, child);
	xmpp_stanza_release(child);
}

void
stanza_add_text_child(xmpp_stanza_t *parent, const char *name,
    const char *text)
{
	xmpp_ctx_t *ctx = xmpp_stanza_get_context(parent);
	xmpp_stanza_t *e = stanza_elem(ctx, name, NULL), *t;

	t = xmpp_stanza_new(ctx);
	xmpp_stanza_set_text(t, text);
	stanza_adopt(e, t);
	stanza_adopt(parent, e);
}

const char *
stanza_child_text(xmpp_stanza_t *parent, const char *name)
{
	xmpp_stanza_t *c, *t;

	if (parent == NULL ||
	    (c = xmpp_stanza_get_child_by_name(parent, name)) == NULL)
		return NULL;
	t = xmpp_stanza_get_children(c);
	if (t == NULL || !xmpp_stanza_is_text(t))
		return "";
	return xmpp_stanza_get_text_ptr(t);
}

int
stanza_has_child_attr(xmpp_stanza_t *parent, const char *name,
    const char *attr, const char *value)
{
	xmpp_stanza_t *c;
	const char *v;

	for (c = parent ? xmpp_stanza_get_children(parent) : NULL; c != NULL;
	    c = xmpp_stanza_get_next(c)) {
		if (!xmpp_stanza_is_tag(c) ||
		    strcmp(xmpp_stanza_get_name(c), name) != 0)
			continue;
		v = xmpp_stanza_get_attribute(c, attr);
		if (v != NULL && strcmp(v, value) == 0)
			return 1;
	}
	return 0;
}

const char *
stanza_error_condition(xmpp_stanza_t *st)
{
	xmpp_stanza_t *err = xmpp_stanza_get_child_by_name(st, "error"), *c;
	const char *ns;

	for (c = err ? xmpp_stanza_get_children(err) : NULL; c != NULL;
	    c = xmpp_stanza_get_next(c)) {
		ns = xmpp_stanza_get_ns(c);
		if (xmpp_stanza_is_tag(c) && ns != NULL &&
		    strcmp(ns, "urn:ietf:params:xml:ns:xmpp-stanzas") == 0 &&
		    strcmp(xmpp_stanza_get_name(c), "text") != 0)
			return xmpp_stanza_get_name(c);
	}
	return NULL;
}
