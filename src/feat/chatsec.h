/*
 * chatsec.h: how safe a conversation is, as one `chat-security` event: how
 * new messages to it travel (OMEMO or not, and why not), and the trust in
 * the peer's OMEMO devices. Sent by /chat-security JID, and whenever it
 * changes: a device list arrives, a trust decision, /omemo on|off.
 */
#ifndef WARD_CHATSEC_H
#define WARD_CHATSEC_H

struct account;

/* /chat-security JID: the state now (fetching the device list when it is
 * not known this session and the account is online). */
int chatsec_command(struct account *a, const char *jid);
/* Something about JID's chat may have changed: emits the state when it
 * differs from the one last emitted (or none was). */
void chatsec_changed(struct account *a, const char *jid);
/* The account goes away: what was kept for it is dropped. */
void chatsec_forget(struct account *a);
/* We are out of ROOM: one event saying so (nothing can be sent there),
 * and its kept state dropped. */
void chatsec_room_gone(struct account *a, const char *room);
/* A device list or trust changed: the encrypted rooms already reported
 * are computed again (their members' devices add up). */
void chatsec_rooms_changed(struct account *a);

#endif
