/*
 * dispatch.c: runs the tables of handlers.c. An incoming stanza is matched
 * to its row, refused (logged with the rule it broke; nothing stored,
 * nothing emitted, no reply) when its sender is not one the row allows,
 * else handed to the row's handler. An IQ get/set no row takes gets
 * service-unavailable here; IQ results go to their waiters (account.c).
 */
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "core.h"
#include "handlers.h"
#include "jid.h"
#include "policy.h"
#include "stanza.h"
#include "ward.h"

#define NS_STANZAS "urn:ietf:params:xml:ns:xmpp-stanzas"

/* 1 when S is a valid JID with neither local part nor resource, equal to
 * DOMAIN (NULL: any such JID). */
static int
dispatch_is_domain(const char *s, const char *domain)
{
	struct jid j;
	int ok;

	if (jid_parse(s, &j) != WARD_OK)
		return 0;
	ok = j.local == NULL && j.resource == NULL &&
	     (domain == NULL || jid_bare_equal(s, domain));
	jid_clear(&j);
	return ok;
}

/* 1 when S is a valid JID without a resource. */
static int
dispatch_is_bare(const char *s)
{
	struct jid j;
	int ok;

	if (jid_parse(s, &j) != WARD_OK)
		return 0;
	ok = j.resource == NULL;
	jid_clear(&j);
	return ok;
}

int
handlers_sender_ok(struct account *a, enum handler_from rule, const char *from)
{
	switch (rule) {
	case HANDLER_FROM_ANYONE:
		return 1;
	case HANDLER_FROM_SELF:
		return jid_is_account(from, a->jid);
	case HANDLER_FROM_ACCOUNT:
		return from == NULL || jid_is_account(from, a->jid);
	case HANDLER_FROM_SERVER:
		return from == NULL || dispatch_is_domain(from, a->domain);
	case HANDLER_FROM_CONTACT:
		return from == NULL || dispatch_is_bare(from);
	case HANDLER_FROM_ARCHIVE:
		return from == NULL || jid_is_account(from, a->jid) ||
		       (dispatch_is_bare(from) && muc_is_room(a, from));
	case HANDLER_FROM_ROOM:
		return from != NULL && muc_is_room(a, from);
	case HANDLER_FROM_ROOM_SERVICE:
		return from != NULL && dispatch_is_domain(from, NULL) &&
		       muc_is_service(a, from);
	case HANDLER_FROM_KNOWN:
		return from == NULL || !policy_is_stranger(a, from);
	}
	return 0;
}

const char *
handlers_from_text(enum handler_from rule)
{
	switch (rule) {
	case HANDLER_FROM_ANYONE:
		return "anyone may send it";
	case HANDLER_FROM_SELF:
		return "only our own bare JID may send it";
	case HANDLER_FROM_ACCOUNT:
		return "only our own account (our bare JID or no from) may "
		       "send it";
	case HANDLER_FROM_SERVER:
		return "only our server may send it";
	case HANDLER_FROM_CONTACT:
		return "only a bare JID, speaking for itself, may send it";
	case HANDLER_FROM_ARCHIVE:
		return "only our own archive or a room's may send it";
	case HANDLER_FROM_ROOM:
		return "only a room we are in may send it";
	case HANDLER_FROM_ROOM_SERVICE:
		return "only the service of a room we are in may send it";
	case HANDLER_FROM_KNOWN:
		return "a stranger may not send it: only our account, our "
		       "server or a contact with a subscription";
	}
	return "?";
}

static int
dispatch_kind(xmpp_stanza_t *st, enum handler_kind *kind)
{
	const char *name = xmpp_stanza_get_name(st);
	const char *type = xmpp_stanza_get_type(st);

	if (strcmp(name, "message") == 0)
		*kind = HANDLER_MESSAGE;
	else if (strcmp(name, "presence") == 0)
		*kind = HANDLER_PRESENCE;
	else if (strcmp(name, "iq") == 0 && type != NULL &&
		 strcmp(type, "get") == 0)
		*kind = HANDLER_IQ_GET;
	else if (strcmp(name, "iq") == 0 && type != NULL &&
		 strcmp(type, "set") == 0)
		*kind = HANDLER_IQ_SET;
	else
		return 0;
	return 1;
}

/* The row's selecting child in ST (or ST itself for a default route),
 * NULL when the row does not match. */
static xmpp_stanza_t *
dispatch_match(const struct handler *h, enum handler_kind kind,
	       xmpp_stanza_t *st, xmpp_stanza_t **child)
{
	const char *type = xmpp_stanza_get_type(st);

	*child = NULL;
	if (h->kind != kind)
		return NULL;
	if (h->type != NULL && (type == NULL || strcmp(type, h->type) != 0))
		return NULL;
	if (h->name == NULL)
		return st;
	*child = xmpp_stanza_get_child_by_name_and_ns(st, h->name, h->ns);
	return *child;
}

enum handler_result
handlers_dispatch(struct account *a, xmpp_stanza_t *st)
{
	const char *type = xmpp_stanza_get_type(st);
	const char *from = xmpp_stanza_get_from(st);
	enum handler_kind kind;
	xmpp_stanza_t *child;
	size_t i;

	if (strcmp(xmpp_stanza_get_name(st), "iq") == 0) {
		if (type == NULL || xmpp_stanza_get_id(st) == NULL)
			return HANDLER_IGNORED;
		if (strcmp(type, "result") == 0 || strcmp(type, "error") == 0) {
			account_iq_reply(a, st);
			return HANDLER_REPLY;
		}
	}
	if (!dispatch_kind(st, &kind))
		return HANDLER_IGNORED;
	for (i = 0; i < handlers_n; i++) {
		const struct handler *h = &handlers[i];
		if (dispatch_match(h, kind, st, &child) == NULL)
			continue;
		if (!handlers_sender_ok(a, h->from, from)) {
			if (h->pass)
				continue;
			log_warn("%s: %s from %s dropped (%s)", a->name,
				 h->what, from ? from : "(none)",
				 handlers_from_text(h->from));
			/* the stranger rule: the answer of an absent
			 * resource (RFC 6121 8.5.3.2.1), so that a stranger
			 * cannot tell we are online */
			if (h->from == HANDLER_FROM_KNOWN &&
			    (kind == HANDLER_IQ_GET || kind == HANDLER_IQ_SET))
				handlers_iq_error(a, st, "service-unavailable");
			return HANDLER_DROPPED;
		}
		h->fn(a, st, child);
		return HANDLER_DONE;
	}
	if (kind == HANDLER_IQ_GET || kind == HANDLER_IQ_SET)
		handlers_iq_error(a, st, "service-unavailable");
	return HANDLER_UNMATCHED;
}

void
pep_event(struct account *a, xmpp_stanza_t *st, xmpp_stanza_t *ev)
{
	const char *from = xmpp_stanza_get_from(st), *node = NULL;
	xmpp_stanza_t *c;
	size_t i;

	/* <items/>, <purge/> or <delete/>: each names its node */
	for (c = xmpp_stanza_get_children(ev); c != NULL && node == NULL;
	     c = xmpp_stanza_get_next(c))
		if (xmpp_stanza_is_tag(c))
			node = xmpp_stanza_get_attribute(c, "node");
	if (node == NULL)
		return;
	for (i = 0; i < pep_handlers_n; i++) {
		const struct pep_handler *p = &pep_handlers[i];
		if (strcmp(p->node, node) != 0)
			continue;
		if (!handlers_sender_ok(a, p->from, from)) {
			log_warn("%s: %s from %s dropped (%s)", a->name,
				 p->what, from ? from : "(none)",
				 handlers_from_text(p->from));
			return;
		}
		p->fn(a, st, ev);
		return;
	}
	/* other nodes: nothing ward uses */
}

static int
dispatch_strcmp(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

const char *const *
handlers_features(size_t *n)
{
	/* the table is constant: made once */
	static const char **list;
	static size_t count;
	size_t i, j, k;

	if (list == NULL) {
		list = xcalloc(handlers_n * HANDLER_MAX_FEATURES + 1,
			       sizeof(*list));
		for (i = 0; i < handlers_n; i++)
			for (j = 0; j < HANDLER_MAX_FEATURES &&
				    handlers[i].features[j] != NULL;
			     j++)
				list[count++] = handlers[i].features[j];
		qsort(list, count, sizeof(*list), dispatch_strcmp);
		for (i = k = 0; i < count; i++)
			if (k == 0 || strcmp(list[k - 1], list[i]) != 0)
				list[k++] = list[i];
		count = k;
	}
	*n = count;
	return list;
}

void
handlers_iq_result(struct account *a, xmpp_stanza_t *iq)
{
	xmpp_stanza_t *r = stanza_iq_reply(a->w->ctx, iq, "result");

	account_send(a, r);
	xmpp_stanza_release(r);
}

void
handlers_iq_error(struct account *a, xmpp_stanza_t *iq, const char *cond)
{
	xmpp_stanza_t *r = stanza_iq_reply(a->w->ctx, iq, "error"), *err;

	err = stanza_elem(a->w->ctx, "error", NULL);
	xmpp_stanza_set_type(err, "cancel");
	stanza_adopt(err, stanza_elem(a->w->ctx, cond, NS_STANZAS));
	stanza_adopt(r, err);
	account_send(a, r);
	xmpp_stanza_release(r);
}

void
hooks_run(struct account *a, enum hook_point point)
{
	size_t i;

	for (i = 0; i < hooks_n; i++)
		if (hooks[i].point == point)
			hooks[i].fn(a);
}
