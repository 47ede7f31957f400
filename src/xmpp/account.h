/*
 * account.h: one XMPP account: its configuration, its connection and the
 * session state above it (negotiation, SASL, stream management, pending
 * IQs, keep-alive). session.c drives negotiation; the stanzas of an
 * established session go through the table in handlers.c.
 */
#ifndef WARD_ACCOUNT_H
#define WARD_ACCOUNT_H

#include <stdint.h>
#include <strophe.h>

#include "conn.h"

struct ward;
struct account_config;
struct sasl;
struct account;
struct muc_room;
struct muc_invite;
struct dataform;
struct muc_mam;
struct bookmark;
struct omemo_acct;

enum account_state {
	AS_OFFLINE,
	AS_CONNECTING,		/* DNS, TCP, TLS */
	AS_AUTHENTICATING,	/* SASL */
	AS_BINDING,		/* resource binding, session set-up */
	AS_ONLINE,
};

typedef void (*iq_reply_cb)(struct account *a, xmpp_stanza_t *reply,
    void *arg);

struct iq_wait {
	struct account *a;
	char *id;
	char *to;		/* where the request went (NULL: our server) */
	iq_reply_cb cb;
	void *arg;
	uint64_t timer;		/* account_send_iq_timeout; 0: none */
	struct iq_wait *next;
};

struct unacked {
	uint32_t seq;		/* outbound stanza number */
	int64_t outbox_id;
	char *origin_id;
	char *to;
};

struct account {
	struct ward *w;
	const struct account_config *cfg;
	const char *name;
	char *jid;		/* bare */
	char *local, *domain;
	char *full_jid;		/* after bind */
	char *password;		/* secret: wiped on free */
	struct dns *dns;
	struct conn *conn;
	struct serverpin *serverpin;	/* trust in this connection's
					   server (serverpin.c) */
	enum account_state state;

	/* negotiation */
	struct sasl *sasl;		/* SASL in progress (sasl.c) */
	char sasl_mech[32];
	char channel_binding[32];
	int64_t connect_started;

	/* stream management (XEP-0198) */
	int sm_offered;		/* the server advertised XEP-0198 */
	int rosterver_offered;	/* ... and roster versioning (RFC 6121 2.6) */
	int preapproval_offered; /* ... and subscription pre-approval
				    (RFC 6121 3.4) */
	int sm_requested;	/* <enable/> sent */
	int sm_pending;		/* ... and not answered yet */
	int sm_enabled;
	int sm_ack_wanted;	/* the server sent <r/>: answer after commit */
	uint32_t sm_in;		/* inbound stanzas handled */
	uint32_t out_seq;	/* outbound stanzas counted */
	struct unacked *unacked;
	size_t nunacked, capunacked;

	struct iq_wait *iqs;
	unsigned iq_counter;
	uint64_t keepalive_timer, keepalive_deadline;
	uint64_t login_timer;	/* TLS up -> online must not take forever */
	int keepalive_waiting;
	int carbons;

	/* reconnection (reconnect.c) and resumption (sm.c) */
	int want_online;	/* the user wants this account connected */
	unsigned reconnect_attempt;
	uint64_t reconnect_timer;
	char *sm_id;		/* resumable session id from <enabled/> */
	int sm_resuming;	/* <resume/> sent, no answer yet */
	int resumed;		/* the current session is a resumed one */

	/* group chat (muc.c) */
	struct muc_room *rooms;
	int rooms_loaded;
	struct muc_invite *invites;	/* waiting for an answer (muc_invite.c) */
	struct muc_mam *room_mams;	/* room archive catch-ups (muc_mam.c) */
	struct bookmark *bookmarks;	/* XEP-0402 (bookmarks.c) */
	int bookmarks_fetched;		/* ... read from the server */

	/* our presence (presence.c): NULL show is "online" */
	char *show, *status;
	int priority;
	int64_t presence_ms;	/* when this session's first one went out */

	/* client state indication (csi.c) */
	int csi_offered, csi_active;

	/* OMEMO devices, sessions, prompts (omemo_dev.c); NULL until used */
	struct omemo_acct *omemo;

	/* per conversation: the chat state we last sent, the last message
	 * to mark displayed (signals.c) */
	struct chat_peer *chat_peers;

	/* blocking (XEP-0191, blocking.c): our copy of the server's list */
	char **blocked;
	size_t nblocked;
	int blocking_offered; /* the server answered the block list query */

	/* MAM catch-up (mam.c) */
	char *mam_queryid;
	unsigned mam_pages;
	char *mam_after;	/* the anchor of the query in flight */
	int mam_retried;	/* a refused anchor was replaced once */
	/* what our account's disco#info advertises (mam.c), asked at each
	 * new session: stanza-ids are believed only when it stamps them */
	int archive_known, archive_mam, archive_sid;

	struct account *next;
};

struct account *account_new(struct ward *w, const struct account_config *cfg,
    char **why);
void account_free(struct account *a);
/* The user wants the account online: connects now and keeps it online
 * (reconnecting after losses). No-op when already connecting or online. */
int account_connect(struct account *a);
/* A connection attempt without changing what the user wants. */
int account_connect_again(struct account *a);
/* The user ends the session (queued messages stay queued; no reconnect). */
void account_disconnect(struct account *a, const char *reason);
/* The session was lost or refused: reports code (if any), keeps what a
 * resumption needs, and schedules a reconnect unless code is final. */
void account_lost(struct account *a, const char *code, const char *text);
/* A stream-management resumption succeeded: the session is back. */
void account_resumed(struct account *a);
/* Sends a stanza; counts it for stream management. */
int account_send(struct account *a, xmpp_stanza_t *st);
/* Sends an IQ and calls cb with the reply (or NULL when the session ends). */
int account_send_iq(struct account *a, xmpp_stanza_t *iq, iq_reply_cb cb,
    void *arg);
/*
 * The same, for requests whose answer the user is waiting on and that the
 * server may never give (a remote PEP service): after timeout_ms without a
 * reply, cb gets an error reply made here (type "error", condition
 * remote-server-timeout, from the request's 'to'), and a late reply is
 * dropped as unknown. Not for requests whose reply proves something was
 * received (barriers, keep-alives): a made-up error proves nothing.
 */
int account_send_iq_timeout(struct account *a, xmpp_stanza_t *iq,
    iq_reply_cb cb, void *arg, int64_t timeout_ms);
/* A fresh unique id for stanzas. */
char *account_new_id(struct account *a);
/* Hands an IQ result/error to its waiter; 1 when it was a reply. */
int account_iq_reply(struct account *a, xmpp_stanza_t *st);
/* Emits the connection security report (kind: connected or security). */
void account_report(struct account *a, int kind);

/* session.c */
void session_ready(void *arg);
void session_stream_open(void *arg, const char **attrs);
void session_stanza(void *arg, xmpp_stanza_t *st);
void session_closed(void *arg, const char *code, const char *text);
void session_keepalive_arm(struct account *a);
void session_request_ack(struct account *a);

void session_bind_now(struct account *a);
/* HOOK_ONLINE, HOOK_RESUMED: keep-alive armed, `connected` reported. */
void session_online(struct account *a);
/* handlers.c: an IQ ping is answered. */
void session_ping_answer(struct account *a, xmpp_stanza_t *iq,
    xmpp_stanza_t *ping);

/* sm.c: stream management */
void sm_enable(struct account *a);
void sm_online(struct account *a);	/* HOOK_ONLINE: enable if offered */
/* Sends <resume/> when a resumable session exists; returns 1 if it did. */
int sm_try_resume(struct account *a);
void sm_forget(struct account *a);
/* Handles an XEP-0198 nonza; returns 1 when st was one. */
int sm_handle(struct account *a, xmpp_stanza_t *st);
/*
 * Answers a pending <r/> with <a h/>. Called only after the batch holding
 * every stanza counted in h was committed (ward_prepoll).
 */
void sm_send_ack(struct account *a);

/* reconnect.c */
void reconnect_schedule(struct account *a, const char *code);
void reconnect_cancel(struct account *a);

/* muc.c: group chat */
/* /join: NICK (NULL: ROOM's resource, else our local part) and PASSWORD
 * (NULL: none; kept in memory only, for rejoins) are optional. */
int muc_join(struct account *a, const char *room_nick, const char *nick,
    const char *password);
int muc_leave(struct account *a, const char *room);	/* NULL: the newest */
/* /subject ROOM TEXT: asks the room to change its subject. */
/* muc_admin.c: XEP-0045 admin IQ, BY "nick" or "jid" */
int muc_admin_set(struct account *a, const char *room, const char *by,
    const char *who, const char *attr, const char *value, const char *reason);
int muc_change_nick(struct account *a, const char *room, const char *nick);
int muc_set_subject(struct account *a, const char *room, const char *text);
/*
 * A room's subject (a groupchat message with <subject/> and no <body/>,
 * XEP-0045 8.1), sent on every join and on every change: a room event of
 * state "subject". Returns 1 when m was one (handled), 0 otherwise.
 */
int muc_subject(struct account *a, xmpp_stanza_t *m, const char *from);
void muc_online(struct account *a);		/* new session: rejoin */
void muc_selfping(struct account *a);		/* XEP-0410 */
/* handlers.c: a presence from a room we are in. */
void muc_presence(struct account *a, xmpp_stanza_t *p, xmpp_stanza_t *child);
int muc_is_room(struct account *a, const char *jid);
/* 1 while the room's join history may come (XEP-0045 7.2.14: after the
 * join, before the subject): the only time its <delay/> is believed. */
int muc_history_expected(struct account *a, const char *room);
/* TS (a join history message's time) kept in the order the room sent
 * them, and after what was stored before the join. */
int64_t muc_history_order(struct account *a, const char *room, int64_t ts);
/* 1: a room we know of whose disco#info advertises stanza-ids
 * (urn:xmpp:sid:0) or an archive (MAM): its <stanza-id/> is believed. */
int muc_stamps_ids(struct account *a, const char *room);
/* 1: a room we are in that is members-only and non-anonymous (disco,
 * kept current by status codes 172/173/174); see policy_room_is_private */
int muc_is_private(struct account *a, const char *room);
/* 1: we are in ROOM and learnt its privacy in this join (disco#info after
 * the join, kept current by status codes 104/172/173/174). */
int muc_privacy_known(struct account *a, const char *room);
/* Does muc#user x (may be NULL) carry status code code? */
int muc_status(xmpp_stanza_t *x, const char *code);
/* 1 when DOMAIN hosts a room we are in (or joining). */
int muc_is_service(struct account *a, const char *domain);
const char *muc_nick(struct account *a, const char *room);
/* "room/nick" (room normalised) when JID is an occupant of a room we are
 * in, else NULL; the caller frees it. */
char *muc_occupant(struct account *a, const char *jid);
/* Is this room message ours? By occupant-id when the room has them, else
 * by our current nick and an origin-id we sent: never by nick alone. */
int muc_is_own(struct account *a, xmpp_stanza_t *m, const char *from);
/* The XEP-0421 occupant-id of M from ROOM/NICK FROM, only when the room
 * advertises urn:xmpp:occupant-id:0 (else NULL); valid while M is. */
const char *muc_occupant_id_of(struct account *a, xmpp_stanza_t *m,
    const char *from);
/* Ours in ROOM (from our self-presence), NULL when none or not used. */
const char *muc_own_occupant_id(struct account *a, const char *room);
/* 1 when ROOM, which we are in, advertises XEP-0421 occupant-ids (then
 * the room stamps them on every message and the sender rule of changes
 * tells occupants by them, msgrule.c). */
int muc_has_occupant_ids(struct account *a, const char *room);
/* A room's status message (privacy changes): 1 when it carried no body. */
int muc_room_notice(struct account *a, xmpp_stanza_t *m, const char *from);
void muc_free_all(struct account *a);
/* 1: a room we are in that said (disco) it is members-only. */
int muc_is_members_only(struct account *a, const char *room);
/* The password we joined ROOM with (NULL: none); borrowed. */
const char *muc_password(struct account *a, const char *room);

/* /room create ROOM[/NICK] [instant]: joins a room that must not exist
 * yet; once the room says it was created (status 201), the form is asked
 * for (a reserved room), or the defaults accepted (instant). */
int muc_create(struct account *a, const char *room_nick, int instant);
/* The slot of ROOM's configuration form being edited (NULL: not in it). */
struct dataform **muc_config_slot(struct account *a, const char *room);

/* muc_config.c: the owner's forms (XEP-0045 10) */
int muc_config_get(struct account *a, const char *room);
int muc_config_set(struct account *a, const char *room, const char *var,
    const char *value);
int muc_config_submit(struct account *a, const char *room);
int muc_config_cancel(struct account *a, const char *room);
void muc_config_created(struct account *a, const char *room, int instant);
int muc_room_destroy(struct account *a, const char *room, const char *reason);

/* muc_invite.c: invitations (XEP-0045 7.8, XEP-0249) */
void muc_invite_mediated(struct account *a, xmpp_stanza_t *m,
    xmpp_stanza_t *x);
void muc_invite_direct(struct account *a, xmpp_stanza_t *m, xmpp_stanza_t *x);
/* /invite ROOM JID [REASON] */
int muc_invite_send(struct account *a, const char *room, const char *jid,
    const char *reason);
void muc_invite_free_all(struct account *a);
/* muc_mam.c: a room's history from its archive (XEP-0313 on the room) */
/* The room confirmed our join: catch up from where we are in its archive. */
void muc_mam_joined(struct account *a, const char *room);
/* A MAM result for a room's catch-up: 1 when it was one (taken, or
 * dropped), 0 when it is for another query. */
int muc_mam_result(struct account *a, xmpp_stanza_t *m, xmpp_stanza_t *res);
/* A live message of ROOM was stored: its stanza-id is our new place. */
void muc_mam_live(struct account *a, xmpp_stanza_t *m, const char *room);
void muc_mam_forget(struct account *a, const char *room);
void muc_mam_down(struct account *a);		/* HOOK_DOWN */
void muc_mam_free_all(struct account *a);	/* HOOK_FREED */
/* bookmarks.c: XEP-0402 bookmarks, autojoin, the XEP-0048 migration */
void bookmarks_online(struct account *a);	/* HOOK_ONLINE */
void bookmarks_free(struct account *a);		/* HOOK_FREED */
/* A push of urn:xmpp:bookmarks:1 (only from our own bare JID). */
void bookmarks_event(struct account *a, xmpp_stanza_t *m, xmpp_stanza_t *ev);
/* /bookmark [add|remove|list] [ROOM] [autojoin] [name NAME] [nick NICK] */
int bookmarks_command(struct account *a, int argc, char **argv);

/* csi.c: client state indication */
void csi_online(struct account *a);
void csi_activity(struct ward *w);
/* An IQ that needs its reply is about to go out. */
void csi_awaiting_reply(struct account *a);

/* disco.c: service discovery and entity capabilities */
/* handlers.c: answers a disco#info query (features from the table). */
void disco_info(struct account *a, xmpp_stanza_t *iq, xmpp_stanza_t *query);
/* The <query/> of account A's disco#info answer (NODE: the node asked, or
 * NULL; A NULL: every feature of the table). */
xmpp_stanza_t *disco_query(xmpp_ctx_t *ctx, const struct account *a,
    const char *node);
/* A's XEP-0115 verification string (base64 SHA-1; malloc'd), or NULL. */
char *disco_ver(const struct account *a);
/* Adds our XEP-0115 caps to an outgoing presence. */
void disco_caps(struct account *a, xmpp_stanza_t *presence);

/* presence.c: our presence (/status) and subscription requests */
/* 1 when SHOW is one of online, chat, away, xa, dnd. */
int presence_show_ok(const char *show);
/* Adds our show, status and priority to an outgoing broadcast presence. */
void presence_fill(struct account *a, xmpp_stanza_t *pres);
/* Sets our presence (SHOW NULL: only the priority) and broadcasts it when
 * online; kept for the next login. */
int presence_set(struct account *a, const char *show, const char *status,
		 int priority);
/* A presence of TYPE (subscribe, subscribed, unsubscribed) to bare JID. */
void presence_send_type(struct account *a, const char *jid,
			const char *type);
/* handlers.c: a subscription request (presence type=subscribe). */
void presence_subscribe(struct account *a, xmpp_stanza_t *st,
			xmpp_stanza_t *child);

/* iqinfo.c: XEP-0092 software version, XEP-0202 time (contacts only) */
void iqinfo_version(struct account *a, xmpp_stanza_t *iq,
		    xmpp_stanza_t *query);
void iqinfo_time(struct account *a, xmpp_stanza_t *iq, xmpp_stanza_t *time_el);

/* mam.c: catch-up through the archive after a new session */
void mam_online(struct account *a); /* HOOK_ONLINE: disco, then catch-up */
void mam_catch_up(struct account *a);
/* handlers.c: a MAM result RES in message ST (only from our archive). */
void mam_result(struct account *a, xmpp_stanza_t *st, xmpp_stanza_t *res);
void mam_down(struct account *a);	/* HOOK_DOWN */

/* roster.c: the roster, with versioning and the stored copy */
void roster_request(struct account *a);
/* handlers.c: a roster push (QUERY in IQ; only from our account): stored
 * and answered. */
void roster_push(struct account *a, xmpp_stanza_t *iq, xmpp_stanza_t *query);
/* A roster set (RFC 6121 2.3): JID with NAME (NULL: none) and GROUPS
 * (newline-separated, NULL: none), or its removal (REMOVE 1). The result
 * comes back as a push (a `roster` event); a refusal is an error event. */
void roster_set(struct account *a, const char *jid, const char *name,
		const char *groups, int remove);
/* JID's stored name and groups (malloc'ed, NULL when none);
 * WARD_ERR_NOTFOUND when JID is not in the roster. */
int roster_find(struct account *a, const char *jid, char **name,
		char **groups);
/* /roster: one `roster` event (push false) per stored item, then an
 * `info` "roster" with the count. */
void roster_list(struct account *a);

/* im.c: an established session. Hooks (handlers.c): */
void im_presence_online(struct account *a);
void im_carbons_online(struct account *a);
void im_down(struct account *a);
/* Handlers (handlers.c, which checks the sender first): */
void im_carbon(struct account *a, xmpp_stanza_t *m, xmpp_stanza_t *wrap);
void im_message_error(struct account *a, xmpp_stanza_t *m,
    xmpp_stanza_t *child);
void im_groupchat(struct account *a, xmpp_stanza_t *m, xmpp_stanza_t *child);
void im_chat(struct account *a, xmpp_stanza_t *m, xmpp_stanza_t *child);
void im_presence(struct account *a, xmpp_stanza_t *p, xmpp_stanza_t *child);
/* Queues (durably) and, when online, sends a chat message. */
int im_send_message(struct account *a, const char *to, const char *body);
/* A change a queued message makes (msgedit.c): KIND "correct", "retract",
 * "react" or "reply", REF the id it names, EXTRA what the kind needs,
 * SHOW the text a frontend shows for it (a reply without its fallback). */
struct im_change {
	const char *kind, *ref, *extra, *show;
};
/* im_send_message with a change (CH may be NULL); *ORIGIN (may be NULL)
 * gets the queued message's id. */
int im_send_change(struct account *a, const char *to, const char *body,
    const struct im_change *ch, char **origin);
/* Acknowledged up to outbound stanza number h. */
void im_acked(struct account *a, uint32_t h);
/* Sends everything waiting in the outbox. */
void im_flush_outbox(struct account *a);
/* What is known of an incoming message besides the stanza itself. */
struct im_in {
	int outgoing;		/* sent by the account (carbon, archive) */
	int own;		/* a room message known to be ours */
	const char *archive_id;	/* the id of an archive's result */
	const char *archive_by;	/* whose archive: our bare JID, or the room */
	int64_t ts;		/* the sender's time (ms); 0: now */
	int delayed;		/* ts is from a believed <delay/> (XEP-0203) */
};
/* Stores and reports one message (also for MAM results and carbons).
 * Returns 1 when it was a new message shown as a chat (stored and
 * reported, not held as a request), else 0. */
int im_deliver(struct account *a, xmpp_stanza_t *m, const char *from,
    const char *to, const struct im_in *in);
/* delay.c: the time of ST's <delay/> (XEP-0203) whose `from` is
 * TRUSTED_FROM (NULL: any; for an archive's <forwarded/>) into *TS (ms,
 * never later than now): 1 when there is one, else 0. */
int delay_stamp(xmpp_stanza_t *st, const char *trusted_from, int64_t *ts);
/* The session ended: forget what was sent but not acknowledged. */
void im_offline(struct account *a);


/* signals.c: what chatstates.c, receipts.c and markers.c share. */
struct chat_peer {
	char *jid;          /* bare JID of the contact, or the room */
	char state[16];     /* the chat state we last sent ("": none) */
	char *markable_id;  /* the last markable message not marked yet */
	int groupchat;      /* jid is a room */
	struct chat_peer *next;
};
/* The conversation JID belongs to: ROOM/NICK of a room we are in is its
 * own, any other JID its bare JID (malloc'd; NULL when invalid). */
char *signals_conversation(struct account *a, const char *jid);
/* 1 when ID is one of our messages to FROM's bare JID (outbox, or history
 * as sent): a receipt or marker counts only from the peer it went to. */
int signals_is_ours_to(struct account *a, const char *from, const char *id);
/* Emits `delivery` (STATE "delivered" or "read") for our message ID;
 * GROUPCHAT: FROM is a room's occupant (ROOM/NICK), ID our message to the
 * room. */
void signals_delivery(struct account *a, const char *from, const char *id,
    const char *state, int groupchat);
/* 1 when FROM is another occupant (ROOM/NICK, not our nick) of a room we
 * are in whose chat states and markers are shown
 * (policy_room_signals_shown): a private room's. */
int signals_from_occupant(struct account *a, const char *from);
/* 1 when room message M carries no body, subject or OMEMO payload: only
 * signals (else it is a message, for im_groupchat). */
int signals_room_signal_only(xmpp_stanza_t *m);
/* JID's entry (created when CREATE), NULL without one. */
struct chat_peer *signals_peer(struct account *a, const char *jid,
    int create);
/* Adds <active/>, <request/> and <markable/> to an outgoing message to
 * TO as policy_may_signal allows (nothing for a stranger, a public room). */
void signals_decorate(struct account *a, const char *to, int groupchat,
    xmpp_stanza_t *m);
/* A new live message M from FROM was shown: answers a receipt request
 * (receipts.c) and remembers a markable one (markers.c). */
void signals_incoming(struct account *a, xmpp_stanza_t *m, const char *from,
    int groupchat);
/* HOOK_DOWN: the chat states sent are forgotten (a new session starts
 * without any); HOOK_FREED: everything. */
void signals_down(struct account *a);
void signals_free(struct account *a);

/* chatstates.c (XEP-0085) */
void chatstates_in(struct account *a, xmpp_stanza_t *m, xmpp_stanza_t *st);
/* An occupant's chat state in a room (type groupchat). */
void chatstates_room_in(struct account *a, xmpp_stanza_t *m,
    xmpp_stanza_t *st);
/* /chatstate JID STATE: sends STATE when the policy allows and it is not
 * the one last sent; WARD_ERR_INVAL for an unknown state. */
int chatstates_send(struct account *a, const char *jid, const char *state);
/* receipts.c (XEP-0184) */
void receipts_in(struct account *a, xmpp_stanza_t *m, xmpp_stanza_t *recv);
void receipts_answer(struct account *a, xmpp_stanza_t *m, const char *from);
/* markers.c (XEP-0333) */
void markers_in(struct account *a, xmpp_stanza_t *m, xmpp_stanza_t *disp);
/* An occupant's "displayed" in a room (type groupchat): counts for our
 * message to the room named by its origin-id or the room's stanza-id. */
void markers_room_in(struct account *a, xmpp_stanza_t *m,
    xmpp_stanza_t *disp);
void markers_remember(struct account *a, xmpp_stanza_t *m, const char *from,
    int groupchat);
/* /read JID: "displayed" for the last markable message from JID, when the
 * policy allows; 1 when one was sent. */
int markers_read(struct account *a, const char *jid);


/* requests.c: message requests (held messages of strangers) */
/* A held message from FROM: counted, its sender listed, `request` new. */
void requests_note(struct account *a, const char *from);
/* /requests: one `request` event (listed) per sender, then an info. */
void requests_list(struct account *a);
/* /accept JID: out of the list, the conversation accepted (policy.c). */
int requests_accept(struct account *a, const char *jid);
/* The sender BARE was blocked: out of the list (`request` blocked). */
void requests_drop(struct account *a, const char *bare);

/* blocking.c (XEP-0191, XEP-0377) */
/* HOOK_ONLINE: the block list; HOOK_FREED: our copy of it. */
void blocking_online(struct account *a);
void blocking_free(struct account *a);
/* handlers.c: a <block/> or <unblock/> push from our own account. */
void blocking_push(struct account *a, xmpp_stanza_t *iq, xmpp_stanza_t *child);
/* /block JID [spam] (BLOCK 1, SPAM: with a XEP-0377 report), /unblock. */
int blocking_request(struct account *a, const char *jid, int block, int spam);
/* /blocked: one `block` event (listed) per JID, then an info. */
void blocking_list(struct account *a);

#endif
