/*
 * omemo_im.h: OMEMO for an account's chats, the XMPP side (XEP-0384 v0.3):
 * our device in our PEP device list and bundle, the device lists and
 * bundles of the people we write to, sessions, and the <encrypted/>
 * messages in and out. crypto/omemo.h does the cryptography; policy.c
 * decides what is trusted. omemo_dev.c keeps the devices (omemo_pep.c
 * talks to PEP, omemo_ask.c to the user), omemo_send.c encrypts outbox
 * items, omemo_recv.c decrypts.
 */
#ifndef WARD_OMEMO_IM_H
#define WARD_OMEMO_IM_H

#include <stdint.h>
#include <strophe.h>

#include "omemo.h"
#include "store.h"

struct account;

/* omemo_dev.c */
/*
 * The account's OMEMO state, opened (keys generated on first use) on the
 * first call; NULL when it cannot be opened (the reason was logged).
 */
struct omemo *omemo_dev_crypto(struct account *a);
/* A new session (not a resumed one): forget what was fetched, fetch our
 * own device list, add our device to it and publish our bundle. */
void omemo_dev_online(struct account *a);
/* Closes the OMEMO state and withdraws the account's device prompts. */
void omemo_dev_free(struct account *a);
/* A PEP notification (XEP-0163) EV in M, of a device list: its row in
 * handlers.c lets only a bare JID (the list's owner; none: ours) send it. */
void omemo_dev_event(struct account *a, xmpp_stanza_t *m, xmpp_stanza_t *ev);

/*
 * /omemo accept-key JID DEVICE: forgets the identity key, session and trust
 * of a known device of JID, so that the key it shows now is taken (as a
 * first sighting: trusted blindly, or asked about once JID was verified)
 * and fetches its bundle. WARD_ERR_NOTFOUND: no such known device.
 */
int omemo_dev_accept_key(struct account *a, const char *jid, uint32_t device);

/* omemo_ask.c */
/* /omemo fingerprints [JID]: one `fingerprint` event for this device, one
 * per other device of ours and one per known device of JID. */
void omemo_ask_fingerprints(struct account *a, const char *jid);
/* /omemo verify: marks the device of JID with fingerprint FPR verified.
 * WARD_ERR_INVAL: not a fingerprint; WARD_ERR_NOTFOUND: no such device. */
int omemo_ask_verify(struct account *a, const char *jid, const char *fpr);

/* omemo_send.c */
enum omemo_send_status {
	OMEMO_SEND_READY,   /* *out is the encrypted message to send */
	OMEMO_SEND_WAIT,    /* device lists, bundles or a prompt pending */
	OMEMO_SEND_DROPPED, /* cannot be encrypted: dropped, error emitted */
};
/*
 * Builds the encrypted stanza of an outbox item (enc = OMEMO), fetching
 * what is missing first (the outbox is flushed again when it arrives).
 * The store batch holding the new session state is committed before this
 * returns READY: the caller may write *out to the socket at once. (When
 * that commit fails the item waits: nothing is sent from a lost state.)
 */
enum omemo_send_status omemo_send_build(struct account *a,
					const struct store_outbox_item *it,
					xmpp_stanza_t **out);

/* omemo_room.c: OMEMO in private rooms */
/*
 * ROOM's privacy was learnt in this join or changed (BEFORE: 1 private,
 * 0 public, -1 not known yet): private turns group OMEMO on (the member
 * lists are fetched, the user told); public after private (or a room
 * remembered as private) tells the user that OMEMO stopped and that
 * messages are refused, and drops what waits in the outbox for it.
 */
void omemo_room_privacy(struct account *a, const char *room, int now_private,
			int before);
/* JID is (or became) a member or occupant of ROOM: its device list is
 * fetched now when ROOM is private, so the next message is not held up. */
void omemo_room_member(struct account *a, const char *room, const char *jid);
/* omemo_send_build for a groupchat outbox item: every device of every
 * member (muc_members.c) and our other devices, or dropped with the
 * reason (room no longer private, a member without a usable device). */
enum omemo_send_status omemo_room_send_build(struct account *a,
					     const struct store_outbox_item *it,
					     xmpp_stanza_t **out);

/* omemo_recv.c */
enum omemo_recv_status {
	OMEMO_RECV_PLAIN,  /* no <encrypted/>: an ordinary message */
	OMEMO_RECV_OK,     /* *body (malloc'd) and *trust are set */
	OMEMO_RECV_NOTHING /* nothing to show (key exchange, a copy, an
			      error already reported) */
};
/*
 * Decrypts M (a chat message, a carbon's inner message or an archived one)
 * from FROM. *trust is a static string (policy_trust_name).
 */
enum omemo_recv_status omemo_recv(struct account *a, xmpp_stanza_t *m,
				  const char *from, int groupchat, char **body,
				  const char **trust);

#endif
