/*
 * markers.c: chat markers (XEP-0333), "displayed" only. A markable message
 * shown to the user is remembered per conversation; /read JID (the UI sends
 * it when the window is looked at) marks it displayed when
 * policy_may_signal allows (a contact, a private room; never a stranger or
 * a public room). An incoming "displayed" counts only from the peer our
 * message went to and becomes a `delivery` event with state "read"; in a
 * private room, from another occupant, for our message to the room (by
 * its origin-id or the stanza-id the room gave it).
 */
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "core.h"
#include "jid.h"
#include "policy.h"
#include "stanza.h"
#include "store.h"
#include "ward.h"

#define NS_MARKERS "urn:xmpp:chat-markers:0"
#define NS_SID "urn:xmpp:sid:0"

void
markers_remember(struct account *a, xmpp_stanza_t *m, const char *from,
		 int groupchat)
{
	const char *id = xmpp_stanza_get_id(m);
	struct chat_peer *p;
	xmpp_stanza_t *c;
	char *bare;

	if (xmpp_stanza_get_child_by_name_and_ns(m, "markable", NS_MARKERS) ==
	    NULL)
		return;
	if ((bare = jid_bare(from)) == NULL)
		return;
	if (groupchat) {
		/* XEP-0333 in rooms: the id the room stamped */
		id = NULL;
		for (c = xmpp_stanza_get_children(m); c != NULL;
		     c = xmpp_stanza_get_next(c))
			if (xmpp_stanza_is_tag(c) &&
			    strcmp(xmpp_stanza_get_name(c), "stanza-id") == 0 &&
			    xmpp_stanza_get_ns(c) != NULL &&
			    strcmp(xmpp_stanza_get_ns(c), NS_SID) == 0 &&
			    xmpp_stanza_get_attribute(c, "by") != NULL &&
			    jid_bare_equal(xmpp_stanza_get_attribute(c, "by"),
					   bare))
				id = xmpp_stanza_get_attribute(c, "id");
	}
	if (id != NULL && strlen(id) <= 256) {
		char *conv =
		    groupchat ? xstrdup(bare) : signals_conversation(a, from);
		if (conv != NULL) {
			p = signals_peer(a, conv, 1);
			p->groupchat = groupchat;
			free(p->markable_id);
			p->markable_id = xstrdup(id);
			free(conv);
		}
	}
	free(bare);
}

int
markers_read(struct account *a, const char *jid)
{
	char *conv = signals_conversation(a, jid);
	struct chat_peer *p = conv ? signals_peer(a, conv, 0) : NULL;
	xmpp_stanza_t *m, *d;
	char *id;
	int sent = 0;

	free(conv);
	if (p == NULL || p->markable_id == NULL || a->state != AS_ONLINE)
		return 0;
	if (policy_may_signal(a, p->jid, POLICY_SIGNAL_MARKER)) {
		id = account_new_id(a);
		m = xmpp_message_new(
		    a->w->ctx, p->groupchat ? "groupchat" : "chat", p->jid, id);
		free(id);
		d = stanza_elem(a->w->ctx, "displayed", NS_MARKERS);
		xmpp_stanza_set_attribute(d, "id", p->markable_id);
		stanza_adopt(m, d);
		account_send(a, m);
		xmpp_stanza_release(m);
		sent = 1;
	}
	free(p->markable_id);
	p->markable_id = NULL;
	return sent;
}

void
markers_in(struct account *a, xmpp_stanza_t *m, xmpp_stanza_t *disp)
{
	const char *from = xmpp_stanza_get_from(m);
	const char *id = xmpp_stanza_get_attribute(disp, "id");

	if (from == NULL || id == NULL)
		return;
	if (!signals_is_ours_to(a, from, id)) {
		log_warn("%s: chat marker from %s dropped (no message of ours "
			 "to it has that id)",
			 a->name, from);
		return;
	}
	signals_delivery(a, from, id, "read", 0);
}

void
markers_room_in(struct account *a, xmpp_stanza_t *m, xmpp_stanza_t *disp)
{
	const char *from = xmpp_stanza_get_from(m);
	const char *id = xmpp_stanza_get_attribute(disp, "id");
	char *room, *origin = NULL;

	/* a message that carries one, our own other client's, a public
	 * room's occupants' (strangers): where they went before */
	if (!signals_room_signal_only(m) || !signals_from_occupant(a, from)) {
		im_groupchat(a, m, NULL);
		return;
	}
	if (id == NULL || (room = jid_bare(from)) == NULL)
		return;
	if (store_own_origin_of(a->w->store, a->name, room, id, &origin) !=
	    WARD_OK) {
		log_warn("%s: chat marker from %s dropped (no message of ours "
			 "to the room has that id)",
			 a->name, from);
		free(room);
		return;
	}
	signals_delivery(a, from, origin, "read", 1);
	free(origin);
	free(room);
}
