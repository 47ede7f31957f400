/*
 * signals.c: what the chat state (XEP-0085), receipt (XEP-0184) and chat
 * marker (XEP-0333) files share: one small record per conversation (the
 * chat state we last sent, the last message to mark displayed), the
 * decoration of outgoing messages and the reaction to incoming ones. What
 * may be told to whom is decided in one place, policy_may_signal
 * (policy.c): never a stranger or a public room, whatever it asks for.
 */
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "core.h"
#include "jid.h"
#include "policy.h"
#include "stanza.h"
#include "ward.h"

#define NS_CHATSTATES "http://jabber.org/protocol/chatstates"
#define NS_RECEIPTS "urn:xmpp:receipts"
#define NS_MARKERS "urn:xmpp:chat-markers:0"
#define NS_OMEMO "eu.siacs.conversations.axolotl"
#define SIGNALS_MAX_PEERS 512 /* conversations remembered per account */

/* The conversation a JID stands for: a room's occupant (ROOM/NICK) is its
 * own, any other full JID is its bare JID's. malloc'd; NULL if invalid. */
char *
signals_conversation(struct account *a, const char *jid)
{
	char *bare = jid_bare(jid);

	if (bare != NULL && strchr(jid, '/') != NULL && muc_is_room(a, bare)) {
		free(bare);
		return xstrdup(jid);
	}
	return bare;
}

int
signals_room_signal_only(xmpp_stanza_t *m)
{
	return xmpp_stanza_get_child_by_name(m, "body") == NULL &&
	       xmpp_stanza_get_child_by_name(m, "subject") == NULL &&
	       xmpp_stanza_get_child_by_name_and_ns(m, "encrypted", NS_OMEMO) ==
		   NULL;
}

int
signals_from_occupant(struct account *a, const char *from)
{
	const char *slash = from ? strchr(from, '/') : NULL, *nick;
	char *room;
	int ok;

	if (slash == NULL)
		return 0; /* the room itself, or no sender */
	room = jid_bare(from);

	ok = room != NULL && slash[1] != '\0' && muc_is_room(a, room) &&
	     (nick = muc_nick(a, room)) != NULL &&
	     strcmp(slash + 1, nick) != 0 && policy_room_signals_shown(a, room);
	free(room);
	return ok;
}

struct chat_peer *
signals_peer(struct account *a, const char *jid, int create)
{
	struct chat_peer *p, **pp;
	size_t n = 0;

	for (pp = &a->chat_peers; (p = *pp) != NULL; pp = &p->next, n++)
		if (jid_equal(p->jid, jid))
			return p;
	if (!create)
		return NULL;
	if (n >= SIGNALS_MAX_PEERS) {
		/* the oldest entry goes: a flood of strangers cannot grow it */
		p = a->chat_peers;
		a->chat_peers = p->next;
		free(p->jid);
		free(p->markable_id);
		free(p);
	}
	p = xcalloc(1, sizeof(*p));
	p->jid = xstrdup(jid);
	for (pp = &a->chat_peers; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = p;
	return p;
}

static void
signals_add(struct account *a, xmpp_stanza_t *m, const char *name,
	    const char *ns)
{
	stanza_adopt(m, stanza_elem(a->w->ctx, name, ns));
}

void
signals_decorate(struct account *a, const char *to, int groupchat,
		 xmpp_stanza_t *m)
{
	struct chat_peer *p;

	if (policy_may_signal(a, to, POLICY_SIGNAL_CHAT_STATE)) {
		signals_add(a, m, "active", NS_CHATSTATES);
		p = signals_peer(a, to, 1);
		p->groupchat = groupchat;
		strcpy(p->state, "active");
	}
	if (!groupchat && policy_may_signal(a, to, POLICY_SIGNAL_RECEIPT))
		signals_add(a, m, "request", NS_RECEIPTS);
	if (policy_may_signal(a, to, POLICY_SIGNAL_MARKER))
		signals_add(a, m, "markable", NS_MARKERS);
}

void
signals_incoming(struct account *a, xmpp_stanza_t *m, const char *from,
		 int groupchat)
{
	if (!groupchat)
		receipts_answer(a, m, from);
	markers_remember(a, m, from, groupchat);
}

void
signals_down(struct account *a)
{
	struct chat_peer *p;

	for (p = a->chat_peers; p != NULL; p = p->next)
		p->state[0] = '\0';
}

void
signals_free(struct account *a)
{
	struct chat_peer *p;

	while ((p = a->chat_peers) != NULL) {
		a->chat_peers = p->next;
		free(p->jid);
		free(p->markable_id);
		free(p);
	}
}
