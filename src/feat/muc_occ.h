/*
 * muc_occ.h: who is in the rooms an account is in, from the rooms'
 * presences (XEP-0045), reported as `occupant` events (joined, left,
 * nick-changed, kicked, banned, changed) and listed again by /occupants.
 * A rejoin after a lost session is quiet: only what changed meanwhile is
 * reported once the room has sent its list.
 */
#ifndef WARD_MUC_OCC_H
#define WARD_MUC_OCC_H

#include <stdint.h>
#include <strophe.h>

struct account;

#define MUC_OCC_MAX 10000 /* occupants kept per room */

/* A presence P from ROOM/NICK (not an error); SELF: it is ours. */
void muc_occ_presence(struct account *a, const char *room, const char *nick,
		      xmpp_stanza_t *p, int self);
/* The presence session of ROOM/NICK: a token that changes whenever the
 * nick may have passed to someone else (it left, or our rejoin has not
 * confirmed it yet: then 0). For the sender rule of changes (msgrule.c). */
int64_t muc_occ_session(struct account *a, const char *room, const char *nick);
/* We are joining ROOM again: what is known becomes stale until the room
 * confirms it (or our own presence ends the list and the rest left). */
void muc_occ_rejoin(struct account *a, const char *room);
/* We are out of ROOM (left, kicked, refused): its list is dropped. */
void muc_occ_forget(struct account *a, const char *room);
/* /occupants ROOM: one `occupant` event (status "present") per occupant
 * known, then an `info` with the count. WARD_ERR_NOTFOUND: no such room
 * (reported). */
int muc_occ_list(struct account *a, const char *room);
/* The real JID (as the room gave it, maybe full) of the occupant
 * ROOM/NICK, or NULL when the room does not show it or nobody has that
 * nick. Valid until the next presence of the room. */
const char *muc_occ_real_jid(struct account *a, const char *occupant);
/* FN(real JID) for every occupant of ROOM whose real JID is shown. */
void muc_occ_each_jid(struct account *a, const char *room,
		      void (*fn)(const char *jid, void *arg), void *arg);

#endif
