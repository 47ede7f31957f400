/*
 * blocking.c: blocking (XEP-0191) and spam reports (XEP-0377). The block
 * list lives on the server, which drops what blocked JIDs send; ward asks
 * for it at each login and keeps a copy for /blocked. Pushes that change
 * it are taken only from our own account (handlers.c:
 * HANDLER_FROM_ACCOUNT: no 'from', or our bare JID, as the server sends
 * them), so a stranger cannot unblock itself or block our contacts.
 * /block JID spam adds a XEP-0377 report to the block request. Blocking a
 * sender takes it out of the message requests (requests.c).
 */
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "core.h"
#include "event.h"
#include "handlers.h"
#include "jid.h"
#include "stanza.h"
#include "ward.h"

#define NS_BLOCKING "urn:xmpp:blocking"
#define NS_REPORTING "urn:xmpp:reporting:1"
#define REASON_SPAM "urn:xmpp:reporting:spam"
#define BLOCK_MAX 10000 /* JIDs kept from the server's list */

static void
blocking_emit(struct account *a, const char *jid, const char *state)
{
	struct event ev;

	event_init(&ev, EV_BLOCK, a->name);
	event_str(&ev, "jid", jid);
	event_str(&ev, "state", state);
	event_emit(&ev);
}

static ssize_t
blocking_find(struct account *a, const char *jid)
{
	size_t i;

	for (i = 0; i < a->nblocked; i++)
		if (jid_equal(a->blocked[i], jid))
			return (ssize_t)i;
	return -1;
}

/* Adds (ON) or removes JID from our copy; 1 when it changed. */
static int
blocking_set(struct account *a, const char *jid, int on)
{
	ssize_t i = blocking_find(a, jid);

	if (on && i < 0 && a->nblocked < BLOCK_MAX) {
		a->blocked = xrealloc(a->blocked,
				      (a->nblocked + 1) * sizeof(*a->blocked));
		a->blocked[a->nblocked++] = xstrdup(jid);
		return 1;
	}
	if (!on && i >= 0) {
		free(a->blocked[i]);
		a->blocked[i] = a->blocked[--a->nblocked];
		return 1;
	}
	return 0;
}

static void
blocking_clear(struct account *a)
{
	while (a->nblocked > 0)
		free(a->blocked[--a->nblocked]);
	free(a->blocked);
	a->blocked = NULL;
}

/* Each valid <item jid/> of LIST; ON: blocked, else unblocked. */
static size_t
blocking_items(struct account *a, xmpp_stanza_t *list, int on, int emit)
{
	xmpp_stanza_t *it;
	const char *jid;
	char *bare;
	size_t n = 0;

	for (it = xmpp_stanza_get_children(list); it != NULL;
	     it = xmpp_stanza_get_next(it)) {
		if (!xmpp_stanza_is_tag(it) ||
		    strcmp(xmpp_stanza_get_name(it), "item") != 0 ||
		    (jid = xmpp_stanza_get_attribute(it, "jid")) == NULL)
			continue;
		if ((bare = jid_bare(jid)) == NULL)
			continue; /* not a JID: nothing to show */
		free(bare);
		n++;
		/* the server's word, whether our copy had it or not */
		blocking_set(a, jid, on);
		if (emit)
			blocking_emit(a, jid, on ? "blocked" : "unblocked");
		if (on && (bare = jid_bare(jid)) != NULL) {
			requests_drop(a, bare);
			free(bare);
		}
	}
	return n;
}

static void
blocking_list_result(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	const char *type = reply ? xmpp_stanza_get_type(reply) : NULL;
	xmpp_stanza_t *list;

	(void)arg;
	if (reply == NULL)
		return;
	if (type == NULL || strcmp(type, "result") != 0 ||
	    (list = xmpp_stanza_get_child_by_name_and_ns(
		 reply, "blocklist", NS_BLOCKING)) == NULL) {
		a->blocking_offered = 0;
		return;
	}
	a->blocking_offered = 1;
	blocking_clear(a);
	blocking_items(a, list, 1, 0);
}

void
blocking_online(struct account *a)
{
	char *id = account_new_id(a);
	xmpp_stanza_t *iq = xmpp_iq_new(a->w->ctx, "get", id);

	free(id);
	stanza_adopt(iq, stanza_elem(a->w->ctx, "blocklist", NS_BLOCKING));
	account_send_iq(a, iq, blocking_list_result, NULL);
	xmpp_stanza_release(iq);
}

void
blocking_free(struct account *a)
{
	blocking_clear(a);
}

void
blocking_push(struct account *a, xmpp_stanza_t *iq, xmpp_stanza_t *child)
{
	int on = strcmp(xmpp_stanza_get_name(child), "block") == 0;
	size_t i;

	if (blocking_items(a, child, on, 1) == 0 && !on) {
		/* an empty <unblock/>: everything (XEP-0191 3.5) */
		for (i = 0; i < a->nblocked; i++)
			blocking_emit(a, a->blocked[i], "unblocked");
		blocking_clear(a);
	}
	handlers_iq_result(a, iq);
}

static void
blocking_set_result(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	const char *type = reply ? xmpp_stanza_get_type(reply) : NULL;
	char *jid = arg;

	/* the change itself comes back as a push */
	if (reply != NULL && (type == NULL || strcmp(type, "result") != 0)) {
		char *text;
		xasprintf(&text,
			  "the server refused to change the block list "
			  "for %s",
			  jid);
		event_error(a->name, "block-failed", text);
		free(text);
	}
	free(jid);
}

int
blocking_request(struct account *a, const char *jid, int block, int spam)
{
	xmpp_stanza_t *iq, *op, *item, *report;
	char *id, *bare = jid_bare(jid);

	if (bare == NULL) {
		event_error(a->name, "invalid-jid", "not a valid JID");
		return WARD_ERR_INVAL;
	}
	free(bare);
	id = account_new_id(a);
	iq = xmpp_iq_new(a->w->ctx, "set", id);
	free(id);
	op = stanza_elem(a->w->ctx, block ? "block" : "unblock", NS_BLOCKING);
	item = stanza_elem(a->w->ctx, "item", NULL);
	xmpp_stanza_set_attribute(item, "jid", jid);
	if (block && spam) {
		report = stanza_elem(a->w->ctx, "report", NS_REPORTING);
		xmpp_stanza_set_attribute(report, "reason", REASON_SPAM);
		stanza_adopt(item, report);
	}
	stanza_adopt(op, item);
	stanza_adopt(iq, op);
	account_send_iq(a, iq, blocking_set_result, xstrdup(jid));
	xmpp_stanza_release(iq);
	return WARD_OK;
}

void
blocking_list(struct account *a)
{
	size_t i;
	char *text;

	for (i = 0; i < a->nblocked; i++)
		blocking_emit(a, a->blocked[i], "listed");
	xasprintf(&text, "blocked: %zu", a->nblocked);
	event_info(a->name, text);
	free(text);
}
