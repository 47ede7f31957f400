/*
 * msgrule.h: the one sender rule for changes to a stored message
 * (XEP-0308 corrections, XEP-0424 retractions, XEP-0444 reactions): who
 * may change which message. Pure: no account, no store; msgedit.c gathers
 * the facts and drops (and logs) whatever this refuses.
 */
#ifndef WARD_MSGRULE_H
#define WARD_MSGRULE_H

#include <stdint.h>

enum msgrule_kind {
	MSGRULE_CORRECT,
	MSGRULE_RETRACT,
	MSGRULE_REACT,
};

/* The stored message the change refers to. */
struct msgrule_orig {
	const char *peer;        /* its conversation: bare JID or room JID */
	int groupchat;           /* a room's message */
	int outgoing;            /* ours */
	const char *from_jid;    /* its sender as stored (may be NULL) */
	const char *occupant_id; /* XEP-0421, stored only when the room
				    advertised it (may be NULL) */
	int64_t room_session;    /* its sender's presence session in the room
				    (muc_occ_session; 0: unknown) */
	int encrypted;           /* it came (or went) OMEMO-encrypted */
	int retracted;
	int private_chat; /* a room's private chat (peer ROOM/NICK): its
			     sender is an occupant too */
};

/* The change, as it arrived. */
struct msgrule_change {
	const char *account;     /* our bare JID */
	const char *from;        /* the change's sender (full JID) */
	int own;                 /* ours: a carbon of ours, or a room's
				    reflection known to be ours (muc_is_own) */
	int room_occupant_ids;   /* the room advertises XEP-0421 now */
	const char *occupant_id; /* the change's, if the room stamps them */
	int64_t room_session;    /* its sender's presence session now */
	int encrypted;           /* the change came OMEMO-encrypted */
};

/*
 * NULL when C may make change K to O; otherwise why not, for the log.
 * Corrections and retractions only from the original's sender: the same
 * bare JID in a 1:1 chat; in a room the same occupant (the same
 * occupant-id when the room advertises XEP-0421, else the same full JID
 * in the same presence session: the nick not left and taken since), ours only
 * by us. Reactions from anyone in the conversation (each reactor changes only
 * its own set). An encrypted original is changed only by an encrypted change; a
 * retracted one not at all.
 */
const char *msgrule_check(enum msgrule_kind k, const struct msgrule_orig *o,
			  const struct msgrule_change *c);

#endif
