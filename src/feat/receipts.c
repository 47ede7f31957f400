/*
 * receipts.c: message delivery receipts (XEP-0184). A contact's request is
 * answered (policy_may_signal: never a stranger's, whatever it asks); a
 * receipt counts only from the peer our message went to (its id must be
 * one of ours to that bare JID in the outbox or history), and becomes a
 * `delivery` event with state "delivered", kept in the store for the
 * history (store_delivery_set). Not used in rooms (XEP-0184 8).
 */
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "core.h"
#include "event.h"
#include "jid.h"
#include "policy.h"
#include "stanza.h"
#include "store.h"
#include "ward.h"

#define NS_RECEIPTS "urn:xmpp:receipts"

void
receipts_answer(struct account *a, xmpp_stanza_t *m, const char *from)
{
	const char *mid = xmpp_stanza_get_id(m);
	xmpp_stanza_t *r, *recv;
	char *id;

	if (mid == NULL || xmpp_stanza_get_child_by_name_and_ns(
			       m, "request", NS_RECEIPTS) == NULL)
		return;
	if (!policy_may_signal(a, from, POLICY_SIGNAL_RECEIPT))
		return;
	id = account_new_id(a);
	r = xmpp_message_new(a->w->ctx, "chat", from, id);
	free(id);
	recv = stanza_elem(a->w->ctx, "received", NS_RECEIPTS);
	xmpp_stanza_set_attribute(recv, "id", mid);
	stanza_adopt(r, recv);
	account_send(a, r);
	xmpp_stanza_release(r);
}

/*
 * 1 when ID names a message of ours to FROM's bare JID (outbox or history,
 * sent): how a receipt or marker is bound to the peer the message went to.
 */
int
signals_is_ours_to(struct account *a, const char *from, const char *id)
{
	char *bare = from ? jid_bare(from) : NULL;
	int own = 0;

	if (bare != NULL && id != NULL &&
	    store_origin_is_own(a->w->store, a->name, bare, id, &own) !=
		WARD_OK)
		own = 0;
	free(bare);
	return own;
}

void
signals_delivery(struct account *a, const char *from, const char *id,
		 const char *state, int groupchat)
{
	char *bare = jid_bare(from);
	struct event ev;

	/* kept for the history (history.c), before it is told */
	ward_txn(a->w);
	if (bare == NULL ||
	    store_delivery_set(a->w->store, a->name, bare, id,
			       strcmp(state, "read") == 0
				   ? STORE_READ
				   : STORE_DELIVERED) != WARD_OK)
		log_warn("%s: cannot store what became of a message", a->name);
	free(bare);
	event_init(&ev, EV_DELIVERY, a->name);
	event_str(&ev, "from", from);
	event_str(&ev, "id", id);
	event_str(&ev, "state", state);
	event_str(&ev, "type", groupchat ? "groupchat" : "chat");
	event_emit(&ev);
}

void
receipts_in(struct account *a, xmpp_stanza_t *m, xmpp_stanza_t *recv)
{
	const char *from = xmpp_stanza_get_from(m);
	const char *id = xmpp_stanza_get_attribute(recv, "id");

	if (from == NULL || id == NULL)
		return;
	if (!signals_is_ours_to(a, from, id)) {
		log_warn("%s: receipt from %s dropped (no message of ours to "
			 "it has that id)",
			 a->name, from);
		return;
	}
	signals_delivery(a, from, id, "delivered", 0);
}
