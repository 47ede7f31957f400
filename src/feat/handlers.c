/*
 * handlers.c: the one table of incoming stanzas and the one list of
 * lifecycle hooks. A new XEP is one file (its handler and hooks) plus its
 * rows here; dispatch.c enforces each row's sender rule before the handler
 * runs, and disco#info and the caps hash are made from the rows' features.
 */
#include "account.h"
#include "handlers.h"
#include "omemo_im.h"

#define NS_CAPS "http://jabber.org/protocol/caps"
#define NS_BLOCKING "urn:xmpp:blocking"
#define NS_CORRECT "urn:xmpp:message-correct:0"
#define NS_REACTIONS "urn:xmpp:reactions:0"
#define NS_REPLY "urn:xmpp:reply:0"
#define NS_RETRACT "urn:xmpp:message-retract:1"
#define NS_CARBONS "urn:xmpp:carbons:2"
#define NS_CHATSTATES "http://jabber.org/protocol/chatstates"
#define NS_MARKERS "urn:xmpp:chat-markers:0"
#define NS_RECEIPTS "urn:xmpp:receipts"
#define NS_DISCO_INFO "http://jabber.org/protocol/disco#info"
#define NS_MAM "urn:xmpp:mam:2"
#define NS_MUC_USER "http://jabber.org/protocol/muc#user"
#define NS_CONFERENCE "jabber:x:conference"
#define NS_PING "urn:xmpp:ping"
#define NS_PUBSUB_EVENT "http://jabber.org/protocol/pubsub#event"
#define NS_BOOKMARKS "urn:xmpp:bookmarks:1"
#define NS_OMEMO_DEVICELIST "eu.siacs.conversations.axolotl.devicelist"
#define NS_ROSTER "jabber:iq:roster"
#define NS_SID "urn:xmpp:sid:0"
#define NS_TIME "urn:xmpp:time"
#define NS_VERSION "jabber:iq:version"

/*
 * First match wins, so order matters where a stanza could match two rows:
 * archive results and carbons wrap other messages and come first; an error
 * message is a bounce whatever it carries; group chat before plain chat.
 * Columns: kind, message type, child element and namespace (NULL: the
 * default route), who may send it, pass (see handlers.h), the name in the
 * log, the handler, the disco#info features it stands for.
 */
/* clang-format off */
const struct handler handlers[] = {
	/* XEP-0313: an archive's results, for the query we sent it */
	{ HANDLER_MESSAGE, NULL, "result", NS_MAM,
	  HANDLER_FROM_ARCHIVE, 0, "archive result", mam_result, { NULL } },
	/* XEP-0280: copies of our other clients' messages (CVE-2017-5589) */
	{ HANDLER_MESSAGE, NULL, "received", NS_CARBONS,
	  HANDLER_FROM_SELF, 0, "carbon", im_carbon, { NS_CARBONS, NULL } },
	{ HANDLER_MESSAGE, NULL, "sent", NS_CARBONS,
	  HANDLER_FROM_SELF, 0, "carbon", im_carbon, { NS_CARBONS, NULL } },
	/* a message we sent bounced */
	{ HANDLER_MESSAGE, "error", NULL, NULL,
	  HANDLER_FROM_ANYONE, 0, "message error", im_message_error,
	  { NULL } },
	/* XEP-0163: PEP pushes, from an account speaking for itself; each
	 * node has its own row and rule in pep_handlers[] below. The OMEMO
	 * device lists (XEP-0384) ward subscribes to itself; its bookmarks
	 * (XEP-0402) come by +notify */
	{ HANDLER_MESSAGE, NULL, "event", NS_PUBSUB_EVENT,
	  HANDLER_FROM_CONTACT, 0, "PEP push", pep_event,
	  { NS_BOOKMARKS "+notify", NULL } },
	/* XEP-0308, XEP-0424, XEP-0444, XEP-0461 in a room: only from a
	 * room we are in, and then only from the original's occupant
	 * (msgrule.c, applied in msgedit.c after decryption) */
	{ HANDLER_MESSAGE, "groupchat", "replace", NS_CORRECT,
	  HANDLER_FROM_ROOM, 0, "group chat correction", im_groupchat,
	  { NS_CORRECT, NULL } },
	{ HANDLER_MESSAGE, "groupchat", "retract", NS_RETRACT,
	  HANDLER_FROM_ROOM, 0, "group chat retraction", im_groupchat,
	  { NS_RETRACT, NULL } },
	{ HANDLER_MESSAGE, "groupchat", "reactions", NS_REACTIONS,
	  HANDLER_FROM_ROOM, 0, "group chat reactions", im_groupchat,
	  { NS_REACTIONS, NULL } },
	{ HANDLER_MESSAGE, "groupchat", "reply", NS_REPLY,
	  HANDLER_FROM_ROOM, 0, "group chat reply", im_groupchat,
	  { NS_REPLY, NULL } },
	/* XEP-0085 and XEP-0333 in a room we are in: another occupant's
	 * typing, and its "displayed" for a message of ours to the room;
	 * shown only in a private room (policy_room_signals_shown, checked
	 * by the handlers: a public room's are no forgery, only a
	 * stranger's). One that comes with a body is a message */
	{ HANDLER_MESSAGE, "groupchat", "displayed", NS_MARKERS,
	  HANDLER_FROM_ROOM, 0, "group chat marker", markers_room_in,
	  { NULL } },
	{ HANDLER_MESSAGE, "groupchat", "active", NS_CHATSTATES,
	  HANDLER_FROM_ROOM, 0, "group chat state", chatstates_room_in,
	  { NULL } },
	{ HANDLER_MESSAGE, "groupchat", "composing", NS_CHATSTATES,
	  HANDLER_FROM_ROOM, 0, "group chat state", chatstates_room_in,
	  { NULL } },
	{ HANDLER_MESSAGE, "groupchat", "paused", NS_CHATSTATES,
	  HANDLER_FROM_ROOM, 0, "group chat state", chatstates_room_in,
	  { NULL } },
	{ HANDLER_MESSAGE, "groupchat", "inactive", NS_CHATSTATES,
	  HANDLER_FROM_ROOM, 0, "group chat state", chatstates_room_in,
	  { NULL } },
	{ HANDLER_MESSAGE, "groupchat", "gone", NS_CHATSTATES,
	  HANDLER_FROM_ROOM, 0, "group chat state", chatstates_room_in,
	  { NULL } },
	/* XEP-0045: a room's messages and subject */
	{ HANDLER_MESSAGE, "groupchat", NULL, NULL,
	  HANDLER_FROM_ROOM, 0, "group chat message", im_groupchat,
	  { NULL } },
	/* the same in 1:1 chats: anyone may send one, but it changes only
	 * a message of its sender's (same bare JID; encrypted originals
	 * only by encrypted changes: msgrule.c) */
	{ HANDLER_MESSAGE, NULL, "replace", NS_CORRECT,
	  HANDLER_FROM_ANYONE, 0, "correction", im_chat,
	  { NS_CORRECT, NULL } },
	{ HANDLER_MESSAGE, NULL, "retract", NS_RETRACT,
	  HANDLER_FROM_ANYONE, 0, "retraction", im_chat,
	  { NS_RETRACT, NULL } },
	{ HANDLER_MESSAGE, NULL, "reactions", NS_REACTIONS,
	  HANDLER_FROM_ANYONE, 0, "reactions", im_chat,
	  { NS_REACTIONS, NULL } },
	{ HANDLER_MESSAGE, NULL, "reply", NS_REPLY,
	  HANDLER_FROM_ANYONE, 0, "reply", im_chat, { NS_REPLY, NULL } },
	/* XEP-0045 7.8.2: a mediated invitation comes from any room (a bare
	 * JID, which names the inviter: the stranger rule is in the prompt,
	 * never a join by itself); a decline only from a room we are in.
	 * Whatever else carries the MUC user <x/> (an occupant's private
	 * message, a room's status notice) is handed to im_chat as before */
	{ HANDLER_MESSAGE, NULL, "x", NS_MUC_USER,
	  HANDLER_FROM_ANYONE, 0, "room invitation", muc_invite_mediated,
	  { NULL } },
	/* XEP-0249: a direct invitation, from the inviter itself: anyone
	 * (a stranger's says so in its prompt; never a join by itself) */
	{ HANDLER_MESSAGE, NULL, "x", NS_CONFERENCE,
	  HANDLER_FROM_ANYONE, 0, "direct room invitation", muc_invite_direct,
	  { NS_CONFERENCE, NULL } },
	/* XEP-0184 receipts and XEP-0333 markers: only from a contact
	 * (policy_may_signal asks nobody else for them), and the handler
	 * counts one only from the peer our message with that id went to;
	 * after the room rows (a room's markers have their own) */
	{ HANDLER_MESSAGE, NULL, "received", NS_RECEIPTS,
	  HANDLER_FROM_KNOWN, 0, "delivery receipt", receipts_in,
	  { NS_RECEIPTS, NULL } },
	{ HANDLER_MESSAGE, NULL, "displayed", NS_MARKERS,
	  HANDLER_FROM_KNOWN, 0, "chat marker", markers_in,
	  { NS_MARKERS, NULL } },
	/* XEP-0085 chat states from a contact (a stranger's: pass, to the
	 * message row, which shows nothing without a body); a message with
	 * a body that carries its state is handed to im_chat */
	{ HANDLER_MESSAGE, NULL, "active", NS_CHATSTATES,
	  HANDLER_FROM_KNOWN, 1, "chat state", chatstates_in,
	  { NS_CHATSTATES, NULL } },
	{ HANDLER_MESSAGE, NULL, "composing", NS_CHATSTATES,
	  HANDLER_FROM_KNOWN, 1, "chat state", chatstates_in,
	  { NS_CHATSTATES, NULL } },
	{ HANDLER_MESSAGE, NULL, "paused", NS_CHATSTATES,
	  HANDLER_FROM_KNOWN, 1, "chat state", chatstates_in,
	  { NS_CHATSTATES, NULL } },
	{ HANDLER_MESSAGE, NULL, "inactive", NS_CHATSTATES,
	  HANDLER_FROM_KNOWN, 1, "chat state", chatstates_in,
	  { NS_CHATSTATES, NULL } },
	{ HANDLER_MESSAGE, NULL, "gone", NS_CHATSTATES,
	  HANDLER_FROM_KNOWN, 1, "chat state", chatstates_in,
	  { NS_CHATSTATES, NULL } },
	/* 1:1 chat (XEP-0359 ids: the history's duplicate check) */
	{ HANDLER_MESSAGE, NULL, NULL, NULL,
	  HANDLER_FROM_ANYONE, 0, "message", im_chat, { NS_SID, NULL } },

	/* RFC 6121 3.1: a subscription request, from the requester's bare
	 * JID (its server stamps it so): a prompt, never answered alone;
	 * before the room rows: no occupant asks for a subscription */
	{ HANDLER_PRESENCE, "subscribe", NULL, NULL,
	  HANDLER_FROM_CONTACT, 0, "subscription request",
	  presence_subscribe, { NULL } },
	/* XEP-0045: occupants, our joins and leaves, join errors */
	{ HANDLER_PRESENCE, NULL, NULL, NULL,
	  HANDLER_FROM_ROOM, 1, "room presence", muc_presence, { NULL } },
	{ HANDLER_PRESENCE, NULL, NULL, NULL,
	  HANDLER_FROM_ANYONE, 0, "presence", im_presence, { NULL } },

	/* RFC 6121 2.1.6: only our account changes our roster */
	{ HANDLER_IQ_SET, NULL, "query", NS_ROSTER,
	  HANDLER_FROM_ACCOUNT, 0, "roster push", roster_push, { NULL } },
	/* XEP-0191: the server tells all our resources of block list
	 * changes; only our own account (T43: a stranger would unblock
	 * itself, or block our contacts) */
	{ HANDLER_IQ_SET, NULL, "block", NS_BLOCKING,
	  HANDLER_FROM_ACCOUNT, 0, "block list push", blocking_push,
	  { NULL } },
	{ HANDLER_IQ_SET, NULL, "unblock", NS_BLOCKING,
	  HANDLER_FROM_ACCOUNT, 0, "block list push", blocking_push,
	  { NULL } },
	/* The stranger rule (policy_is_stranger): what would tell a stranger
	 * that we are online is answered only to our account, our server
	 * and contacts; a stranger gets service-unavailable, the answer of
	 * an absent resource. XEP-0012 last activity has no row: everyone
	 * gets service-unavailable. */
	/* XEP-0199 */
	{ HANDLER_IQ_GET, NULL, "ping", NS_PING,
	  HANDLER_FROM_KNOWN, 0, "ping", session_ping_answer,
	  { NS_PING, NULL } },
	/* XEP-0030, and XEP-0115 queries for our caps node */
	{ HANDLER_IQ_GET, NULL, "query", NS_DISCO_INFO,
	  HANDLER_FROM_KNOWN, 0, "disco#info query", disco_info,
	  { NS_DISCO_INFO, NS_CAPS, NULL } },
	/* XEP-0092: "ward" and its version, no OS */
	{ HANDLER_IQ_GET, NULL, "query", NS_VERSION,
	  HANDLER_FROM_KNOWN, 0, "version query", iqinfo_version,
	  { NS_VERSION, NULL } },
	/* XEP-0202: UTC, no time zone */
	{ HANDLER_IQ_GET, NULL, "time", NS_TIME,
	  HANDLER_FROM_KNOWN, 0, "time query", iqinfo_time,
	  { NS_TIME, NULL } },
};
/* clang-format on */
const size_t handlers_n = sizeof(handlers) / sizeof(handlers[0]);

/* PEP nodes: node, who may push it, the name in the log, the handler. */
const struct pep_handler pep_handlers[] = {
    /* XEP-0384: a contact's (or our own) OMEMO device list */
    {NS_OMEMO_DEVICELIST, HANDLER_FROM_CONTACT, "PEP device-list push",
     omemo_dev_event},
    /* XEP-0402: our bookmarks; only our own account may change them (a
     * forged push would make ward join a room, T52) */
    {NS_BOOKMARKS, HANDLER_FROM_SELF, "bookmarks push", bookmarks_event},
};
const size_t pep_handlers_n = sizeof(pep_handlers) / sizeof(pep_handlers[0]);

/* In table order at each point; the order is part of the protocol. */
const struct hook hooks[] = {
    /* a new session */
    {HOOK_ONLINE, csi_online,
     "first: the session starts active, before any request"},
    {HOOK_ONLINE, sm_online, "XEP-0198 <enable/> before counted stanzas"},
    {HOOK_ONLINE, roster_request, "the roster before our presence"},
    {HOOK_ONLINE, mam_online,
     "before our presence (and so before offline messages): does our "
     "server stamp stanza-ids and keep an archive? Its answer starts the "
     "catch-up, after everything below"},
    {HOOK_ONLINE, im_presence_online, "presence with our caps"},
    {HOOK_ONLINE, im_carbons_online, "carbons"},
    {HOOK_ONLINE, blocking_online,
     "the block list, before anyone's messages are flushed to us"},
    {HOOK_ONLINE, omemo_dev_online,
     "our device list before the outbox flush encrypts anything"},
    {HOOK_ONLINE, muc_online, "rejoin the rooms before their messages go"},
    {HOOK_ONLINE, bookmarks_online,
     "after the rejoins: bookmarked rooms not joined yet (autojoin)"},
    {HOOK_ONLINE, session_online, "keep-alive armed, `connected` reported"},
    {HOOK_ONLINE, im_flush_outbox, "after `connected`: queued messages"},

    /* the same session, resumed */
    {HOOK_RESUMED, session_online, "keep-alive armed, `connected` reported"},
    {HOOK_RESUMED, im_flush_outbox, "what the server did not acknowledge"},
    {HOOK_RESUMED, muc_selfping, "did the server keep us in our rooms?"},

    {HOOK_KEEPALIVE, muc_selfping, "XEP-0410: still in each room?"},

    {HOOK_DOWN, mam_down, "the archive query ends with the connection"},
    {HOOK_DOWN, muc_mam_down, "so do the rooms' archive catch-ups"},
    {HOOK_DOWN, im_down, "carbons must be enabled again"},
    {HOOK_DOWN, signals_down, "a new session has sent no chat state"},

    {HOOK_OFFLINE, im_offline, "unacknowledged sends forgotten"},
    {HOOK_OFFLINE, sm_forget, "nothing to resume"},

    {HOOK_FREED, im_offline, "unacknowledged sends of a resumable session"},
    {HOOK_FREED, sm_forget, "the resumption id"},
    {HOOK_FREED, muc_free_all, "the rooms"},
    {HOOK_FREED, muc_invite_free_all, "invitations waiting, their prompts"},
    {HOOK_FREED, muc_mam_free_all, "the rooms' archive catch-ups"},
    {HOOK_FREED, bookmarks_free, "the bookmarks"},
    {HOOK_FREED, omemo_dev_free, "after the IQ waiters were told"},
    {HOOK_FREED, blocking_free, "our copy of the block list"},
    {HOOK_FREED, signals_free, "the per-conversation chat states, markers"},
};
const size_t hooks_n = sizeof(hooks) / sizeof(hooks[0]);
