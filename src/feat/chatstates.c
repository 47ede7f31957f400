/*
 * chatstates.c: chat state notifications (XEP-0085). Incoming ones from a
 * contact (handlers.c: HANDLER_FROM_KNOWN) become `chatstate` events;
 * a message with a body that carries one is a message (im_chat). In a
 * private room another occupant's are shown too (chatstates_room_in; a
 * public room's occupants are strangers). Outgoing
 * ones come from /chatstate (the UI sends it while the user types) and go
 * out only when policy_may_signal allows: never to a stranger or a public
 * room.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "core.h"
#include "event.h"
#include "jid.h"
#include "policy.h"
#include "stanza.h"
#include "ward.h"

#define NS_CHATSTATES "http://jabber.org/protocol/chatstates"
#define NS_HINTS "urn:xmpp:hints"
#define NS_OMEMO "eu.siacs.conversations.axolotl"

static const char *const chatstates[] = {"active", "composing", "paused",
					 "inactive", "gone"};

static int
chatstates_valid(const char *state)
{
	size_t i;

	for (i = 0; i < sizeof(chatstates) / sizeof(chatstates[0]); i++)
		if (strcmp(state, chatstates[i]) == 0)
			return 1;
	return 0;
}

void
chatstates_in(struct account *a, xmpp_stanza_t *m, xmpp_stanza_t *st)
{
	const char *from = xmpp_stanza_get_from(m);
	struct event ev;

	if (xmpp_stanza_get_child_by_name(m, "body") != NULL ||
	    xmpp_stanza_get_child_by_name_and_ns(m, "encrypted", NS_OMEMO) !=
		NULL) {
		im_chat(a, m, NULL); /* a message that carries its state */
		return;
	}
	if (from == NULL)
		return;
	event_init(&ev, EV_CHATSTATE, a->name);
	event_str(&ev, "from", from);
	event_str(&ev, "state", xmpp_stanza_get_name(st));
	event_str(&ev, "type", "chat");
	event_emit(&ev);
}

void
chatstates_room_in(struct account *a, xmpp_stanza_t *m, xmpp_stanza_t *st)
{
	const char *from = xmpp_stanza_get_from(m);
	struct event ev;

	/* a message (or subject) that carries a state is a message; our
	 * own, reflected by the room, and a public room's occupants'
	 * (strangers) are not shown: all go where they went before */
	if (!signals_room_signal_only(m) || !signals_from_occupant(a, from)) {
		im_groupchat(a, m, NULL);
		return;
	}
	event_init(&ev, EV_CHATSTATE, a->name);
	event_str(&ev, "from", from);
	event_str(&ev, "state", xmpp_stanza_get_name(st));
	event_str(&ev, "type", "groupchat");
	event_emit(&ev);
}

int
chatstates_send(struct account *a, const char *jid, const char *state)
{
	struct chat_peer *p;
	xmpp_stanza_t *m;
	char *id, *conv, *room = jid_bare(jid);
	int groupchat;

	if (!chatstates_valid(state)) {
		free(room);
		event_error(a->name, "command",
			    "a chat state is active, composing, paused, "
			    "inactive or gone");
		return WARD_ERR_INVAL;
	}
	groupchat =
	    room != NULL && muc_is_room(a, room) && strchr(jid, '/') == NULL;
	free(room);
	/* a stranger or a public room learns nothing, and no error says
	 * so: the UI sends these on every keystroke pause */
	if (a->state != AS_ONLINE ||
	    !policy_may_signal(a, jid, POLICY_SIGNAL_CHAT_STATE))
		return WARD_OK;
	if ((conv = signals_conversation(a, jid)) == NULL)
		return WARD_OK;
	p = signals_peer(a, conv, 1);
	free(conv);
	if (strcmp(p->state, state) == 0)
		return WARD_OK;
	snprintf(p->state, sizeof(p->state), "%s", state);
	p->groupchat = groupchat;
	id = account_new_id(a);
	m = xmpp_message_new(a->w->ctx, groupchat ? "groupchat" : "chat",
			     p->jid, id);
	free(id);
	stanza_adopt(m, stanza_elem(a->w->ctx, state, NS_CHATSTATES));
	stanza_adopt(m, stanza_elem(a->w->ctx, "no-store", NS_HINTS));
	account_send(a, m);
	xmpp_stanza_release(m);
	return WARD_OK;
}
