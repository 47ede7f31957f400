/*
 * msgrule.c: who may correct, retract or react to a stored message
 * (msgrule.h). Every spoofed change (T38-T40 in docs/threat-model.md) is
 * refused here.
 */
#include <string.h>

#include "jid.h"
#include "msgrule.h"

/* Corrections and retractions: the original's sender only. */
static const char *
msgrule_same_sender(const struct msgrule_orig *o,
		    const struct msgrule_change *c)
{
	if (!o->groupchat && !o->private_chat) {
		/* a 1:1 chat: the same bare JID (ours for our messages) */
		if (o->outgoing)
			return jid_bare_equal(c->from, c->account)
				   ? NULL
				   : "not from us, who sent the original";
		if (o->from_jid == NULL ||
		    !jid_bare_equal(c->from, o->from_jid))
			return "not from the original's sender";
		return NULL;
	}
	/* a room, or a private chat with one of its occupants: ours only
	 * by us, another's only by that occupant */
	if (o->outgoing)
		return c->own ? NULL : "not from us, who sent the original";
	if (c->own)
		return "ours, but the original is another occupant's";
	if (c->room_occupant_ids) {
		if (o->occupant_id == NULL || c->occupant_id == NULL)
			return "no occupant-id to tell the occupant by";
		return strcmp(o->occupant_id, c->occupant_id) == 0
			   ? NULL
			   : "another occupant (occupant-id differs)";
	}
	if (o->from_jid == NULL || !jid_equal(o->from_jid, c->from))
		return "another occupant (nick differs)";
	if (o->room_session == 0 || o->room_session != c->room_session)
		return "the nick may be another's now (it left and "
		       "came back since the original, and the room has no "
		       "occupant-id)";
	return NULL;
}

const char *
msgrule_check(enum msgrule_kind k, const struct msgrule_orig *o,
	      const struct msgrule_change *c)
{
	if (o == NULL || c == NULL || c->from == NULL || c->account == NULL ||
	    o->peer == NULL)
		return "incomplete";
	if (o->retracted)
		return "the message was retracted";
	if (o->encrypted && !c->encrypted)
		return "a plaintext change of an encrypted message";
	if (k == MSGRULE_REACT) {
		/* only someone in the conversation; the reactor's own set */
		if (o->groupchat)
			return jid_bare_equal(c->from, o->peer)
				   ? NULL
				   : "not from the room";
		return jid_bare_equal(c->from, o->peer) ||
			       jid_bare_equal(c->from, c->account)
			   ? NULL
			   : "not from the conversation";
	}
	return msgrule_same_sender(o, c);
}
