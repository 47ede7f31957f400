/*
 * stanza.h: small builders and readers on top of libstrophe's stanzas that
 * the protocol modules (im, mam, muc, session) share.
 */
#ifndef WARD_STANZA_H
#define WARD_STANZA_H

#include <strophe.h>

/* A new element (caller releases); ns NULL inherits the parent's. */
xmpp_stanza_t *stanza_elem(xmpp_ctx_t *ctx, const char *name, const char *ns);
/* An empty <iq/> of TYPE answering IQ: its id, addressed to its sender
 * (no to= when it had no from=: our server or our own account sent it,
 * as servers do with roster pushes). Unlike xmpp_stanza_reply(), never
 * NULL for a stanza without from=. Caller releases. */
xmpp_stanza_t *stanza_iq_reply(xmpp_ctx_t *ctx, xmpp_stanza_t *iq,
    const char *type);
/* Adds <name>text</name> to parent. */
void stanza_add_text_child(xmpp_stanza_t *parent, const char *name,
    const char *text);
/* Adds a child and drops the caller's reference to it. */
void stanza_adopt(xmpp_stanza_t *parent, xmpp_stanza_t *child);
/* The text of the first child element called name: NULL when there is no
 * such child, "" when it is empty. Borrowed from the stanza. */
const char *stanza_child_text(xmpp_stanza_t *parent, const char *name);
/* 1 when parent (may be NULL) has a child element name whose attribute attr
 * is value (a disco <feature var=/>, a muc#user <status code=/>). */
int stanza_has_child_attr(xmpp_stanza_t *parent, const char *name,
    const char *attr, const char *value);

/* The defined condition of ST's <error/> (its first child element in the
 * stanza-errors namespace other than <text/>: "forbidden"...), or NULL
 * when it has none. Borrowed from the stanza. */
const char *stanza_error_condition(xmpp_stanza_t *st);

#endif
