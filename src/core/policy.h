/*
 * policy.h: ward's security decisions in one place, so that a review reads
 * one file: must this chat be encrypted, may this OMEMO device receive our
 * messages or must the user decide, and how a trust level is shown.
 */
#ifndef WARD_POLICY_H
#define WARD_POLICY_H

#include <stdint.h>

#include "omemo.h"
#include "store.h"

struct account;

/*
 * How a new message to PEER (a bare JID) must travel: OMEMO for a 1:1 chat
 * unless the user made it explicitly plaintext (/omemo off PEER). A room:
 * OMEMO when it is private (policy_room_is_private) or was private when
 * ward last looked (policy_room_omemo_expected: then the message is
 * refused while the room is public, never sent in plaintext), unless the
 * user chose plaintext for it (/omemo off ROOM); plaintext otherwise.
 */
enum store_enc policy_chat_encryption(struct account *a, const char *peer,
				      int groupchat);

/* 1 when the user made the chat with PEER plaintext (/omemo off). */
/*
 * May a private message go to room occupant OCCUPANT ("room/nick")? Only
 * in plaintext, so only when the user said so for it: 1 yes, 0 refuse.
 */
int policy_room_pm_allowed(struct account *a, const char *occupant);
int policy_chat_plaintext(struct account *a, const char *peer);
/* Records /omemo off PEER (plaintext 1) or /omemo on PEER (0); DURABLE. */
int policy_set_chat_plaintext(struct account *a, const char *peer,
			      int plaintext);

/* What may be done with a device whose identity key is known. */
enum policy_device {
	POLICY_DEVICE_USE,  /* encrypt to it */
	POLICY_DEVICE_ASK,  /* new device of a verified contact: prompt */
	POLICY_DEVICE_SKIP, /* refused by the user, or unreadable trust */
};

/*
 * Blind trust before verification: a device nobody decided on is trusted
 * blindly (and recorded so) while JID has no verified device; once the user
 * verified one of JID's devices, every new one waits for the user.
 */
enum policy_device policy_omemo_device(struct omemo *o, const char *jid,
				       uint32_t device);

/*
 * The stranger rule: 1 when FROM (a bare or full JID) is a stranger to
 * account A, that is neither our own account (any resource), nor our
 * server, nor a contact with a presence subscription from or to us
 * (roster subscription "from", "to" or "both"). A room occupant
 * (room@service/nick of a room we are in) is a stranger: its real JID is
 * not what it speaks as. An invalid JID is a stranger. Strangers learn
 * nothing of our presence: their pings, disco, version, time and last
 * activity queries get service-unavailable (handlers.c, HANDLER_FROM_KNOWN).
 */
int policy_is_stranger(struct account *a, const char *from);

/*
 * A private room is one we are in that is both members-only and
 * non-anonymous (as its disco#info said, kept current by status codes
 * 172/173/174): 1. Every other room, and any JID that is not a room we are
 * in, is public: 0. Nothing the stranger rule forbids (chat states,
 * receipts, markers) is sent to a public room; group OMEMO is on only in a
 * private one.
 */
int policy_room_is_private(struct account *a, const char *room);
/*
 * Are ROOM's occupants' chat states and chat markers shown (1)? In the
 * rooms ward tells its own (policy_may_signal): the private ones. A public
 * room's occupants are strangers, whose typing and read marks are not
 * shown, as a stranger's in a 1:1 chat are not.
 */
int policy_room_signals_shown(struct account *a, const char *room);
/* 1 when ROOM was seen private (its messages were OMEMO): remembered in
 * the store, so that a room found public later (even after a restart)
 * refuses messages instead of sending them in plaintext. */
int policy_room_omemo_expected(struct account *a, const char *room);
int policy_set_room_omemo_expected(struct account *a, const char *room);
/*
 * 1 when a new message to ROOM must be refused now: OMEMO is expected
 * there (policy_chat_encryption) but the room is known to be public (its
 * privacy was learned in this join). While it is not known yet the message
 * waits in the outbox.
 */
int policy_room_send_refused(struct account *a, const char *room);

/* What a chat partner may be told about us (XEP-0085, 0184, 0333). */
enum policy_signal {
	POLICY_SIGNAL_CHAT_STATE, /* typing, paused, active... */
	POLICY_SIGNAL_RECEIPT,    /* "your message arrived" */
	POLICY_SIGNAL_MARKER,     /* "I read your message" */
};

/*
 * The one decision on chat states, delivery receipts and chat markers,
 * sent or asked for: 1 when TO (a bare or full JID) may get signal KIND
 * from account A. Only when its ward.conf switch (chat_states, receipts,
 * markers) is on, and then: to a contact (policy_is_stranger says no) or
 * our own account; to a room we are in only when it is private
 * (policy_room_is_private) and never a receipt (XEP-0184 8: not in
 * rooms); never to a room occupant (ROOM/NICK, a stranger), a stranger or
 * a public room, whatever they request. What the peer asked for plays no
 * part.
 */
int policy_may_signal(struct account *a, const char *to,
		      enum policy_signal kind);
/* 1 when signal KIND is on in account A's ward.conf (A NULL: yes). */
int policy_signal_on(const struct account *a, enum policy_signal kind);
/* 1 when FEATURE (a disco#info var) may be advertised by account A (NULL:
 * any): a switched-off signal's namespace is not (issue 14.10). */
int policy_feature_on(const struct account *a, const char *feature);

/*
 * Message requests: 1 when a 1:1 message from FROM must be held in the
 * requests list (no window, no bell, no receipt) instead of shown as a
 * chat: FROM is a stranger (policy_is_stranger) whose conversation the
 * user has neither accepted (/accept JID) nor started (a /msg to it).
 */
int policy_is_request(struct account *a, const char *from);
/* The user accepted or started the conversation with BARE (DURABLE). */
int policy_set_accepted(struct account *a, const char *bare);
/*
 * May a file offered by FROM (as on the wire) be fetched without the
 * user's /download? Only with auto_download on, only from a contact (not
 * a stranger, not in a room, not a room's private message): 1 yes.
 */
int policy_auto_download(struct account *a, const char *from, int in_room);

/* "verified", "blind" or "untrusted" (undecided and refused alike). */
const char *policy_trust_name(enum omemo_trust t);

#endif
