/*
 * omemo_room.c: OMEMO in private rooms (members-only and non-anonymous,
 * policy_room_is_private): a group message is encrypted to every device of
 * every member (muc_members.c: the room's member lists and the occupants'
 * real JIDs) and to our other devices, with the trust rules of 1:1 chats;
 * it goes out only when every member can read it. When the room stops
 * being private the user is told, and what waits for OMEMO is dropped,
 * never sent in plaintext.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "chatsec.h"
#include "core.h"
#include "event.h"
#include "jid.h"
#include "muc_members.h"
#include "omemo_im.h"
#include "omemo_priv.h"
#include "policy.h"
#include "ward.h"

/* One event about ROOM: an error (CODE) or, with CODE NULL, an info. */
static void
room_tell(struct account *a, const char *room, const char *code,
	  const char *text)
{
	struct event ev;

	event_init(&ev, code != NULL ? EV_ERROR : EV_INFO, a->name);
	if (code != NULL)
		event_str(&ev, "code", code);
	event_str(&ev, "text", text);
	event_str(&ev, "room", room);
	event_emit(&ev);
}

void
omemo_room_privacy(struct account *a, const char *room, int now_private,
		   int before)
{
	int plain = policy_chat_plaintext(a, room);
	char *text = NULL;

	if (now_private) {
		int known = policy_room_omemo_expected(a, room);

		if (!known &&
		    policy_set_room_omemo_expected(a, room) != WARD_OK)
			log_warn("%s: cannot remember %s as private", a->name,
				 room);
		muc_members_fetch(a, room);
		/* told the first time, and when it became private again; a
		 * rejoin of a room that stayed private is quiet */
		if ((before == 0 || !known) && !plain)
			xasprintf(&text,
				  "%s is private (members-only and "
				  "non-anonymous): new messages are "
				  "OMEMO-encrypted to every member",
				  room);
		if (text != NULL)
			room_tell(a, room, NULL, text);
	} else if (!plain &&
		   (before == 1 ||
		    (before == -1 && policy_room_omemo_expected(a, room)))) {
		xasprintf(&text,
			  "%s is no longer private (not both members-only and "
			  "non-anonymous): OMEMO stopped there. ward refuses "
			  "to send your messages to it rather than send them "
			  "in plaintext; /omemo off %s to write there "
			  "unencrypted",
			  room, room);
		room_tell(a, room, "room-not-private", text);
	}
	free(text);
	chatsec_changed(a, room);
	im_flush_outbox(a); /* waiting messages: sent, or dropped */
}

void
omemo_room_member(struct account *a, const char *room, const char *jid)
{
	struct omemo_contact *c;

	if (!policy_room_is_private(a, room) || omemo_dev_is_own(a, jid) ||
	    omemo_dev_crypto(a) == NULL ||
	    (c = omemo_dev_contact(a, jid, 1)) == NULL)
		return;
	if (c->list == OL_UNKNOWN)
		omemo_dev_fetch_list(a, c);
	if (muc_privacy_known(a, room)) /* not for each presence of a join */
		chatsec_changed(a, room);
}

/* Appends JID to the comma-separated list *NAMES. */
static void
room_name_add(char **names, const char *jid)
{
	char *next;

	xasprintf(&next, "%s%s%s", *names ? *names : "", *names ? ", " : "",
		  jid);
	free(*names);
	*names = next;
}

enum omemo_send_status
omemo_room_send_build(struct account *a, const struct store_outbox_item *it,
		      xmpp_stanza_t **out)
{
	struct omemo *o = omemo_dev_crypto(a);
	struct omemo_contact *own, **cs;
	struct omemo_send_to to = {0};
	enum omemo_send_status st = OMEMO_SEND_WAIT;
	enum muc_members_state ms;
	char **jids = NULL, *none = NULL, *why;
	size_t n, i, before;
	uint32_t me;
	int waiting, asking = 0;

	*out = NULL;
	if (o == NULL)
		return omemo_send_drop(a, it, "omemo-unavailable",
				       "the OMEMO state cannot be opened");
	if (!muc_is_room(a, it->to))
		return omemo_send_drop(a, it, "room-not-private",
				       "you are no longer in that room");
	if (!muc_privacy_known(a, it->to))
		return OMEMO_SEND_WAIT; /* joining: its privacy comes */
	if (!policy_room_is_private(a, it->to))
		return omemo_send_drop(a, it, "room-not-private",
				       "the room is no longer private (not "
				       "both members-only and non-anonymous),"
				       " so OMEMO stopped there");
	ms = muc_members_state(a, it->to);
	if (ms == MM_UNKNOWN)
		muc_members_fetch(a, it->to);
	if (ms == MM_UNKNOWN || ms == MM_FETCHING)
		return OMEMO_SEND_WAIT;
	me = omemo_device_id(o);
	own = omemo_dev_contact(a, a->jid, 1);
	n = muc_members_jids(a, it->to, &jids);
	cs = n ? xcalloc(n, sizeof(*cs)) : NULL;
	waiting = own == NULL ? 0 : omemo_send_prepare(a, o, own, me, 1);
	for (i = 0; i < n; i++)
		if ((cs[i] = omemo_dev_contact(a, jids[i], 1)) != NULL)
			waiting |= omemo_send_prepare(a, o, cs[i], me, 0);
	if (waiting)
		goto out;
	for (i = 0; i < n; i++) {
		if (cs[i] == NULL)
			continue;
		before = to.n;
		if (cs[i]->list == OL_KNOWN)
			omemo_send_collect(a, o, cs[i], me, 0, &to);
		if (to.n > before)
			continue;
		if (omemo_ask_pending(a, cs[i]->jid))
			asking = 1; /* until /accept or /reject */
		else
			room_name_add(&none, cs[i]->jid);
	}
	to.n_peer = to.n;
	if (asking && none == NULL) {
		free(to.addr);
		goto out;
	}
	if (none != NULL) {
		free(to.addr);
		for (i = 0; i < n; i++)
			if (cs[i] != NULL &&
			    (cs[i]->list != OL_KNOWN || cs[i]->n == 0))
				omemo_send_forget(cs[i]);
		xasprintf(&why,
			  "not every member can read it: no usable OMEMO "
			  "device (none published, not readable, or "
			  "refused) for %s",
			  none);
		st = omemo_send_drop(a, it, "omemo-unavailable", why);
		free(why);
		goto out;
	}
	if (own != NULL)
		omemo_send_collect(a, o, own, me, 1, &to);
	if (to.n == 0) {
		free(to.addr);
		st = omemo_send_drop(a, it, "omemo-unavailable",
				     "nobody in the room has an OMEMO device");
		goto out;
	}
	st = omemo_send_encrypt(a, o, it, &to, out);
out:
	free(none);
	free(cs);
	muc_members_free(jids, n);
	return st;
}
