/*
 * muc_members.h: who belongs to a private room (members-only and
 * non-anonymous, XEP-0045): the member, admin and owner lists asked of the
 * room (muc#admin, 9.5 and 10.5), kept current by the room's affiliation
 * changes and by its presences, so that a group OMEMO message reaches every
 * member, present or not (omemo_room.c).
 */
#ifndef WARD_MUC_MEMBERS_H
#define WARD_MUC_MEMBERS_H

#include <stddef.h>

struct account;

enum muc_members_state {
	MM_UNKNOWN,  /* not asked in this session */
	MM_FETCHING, /* the three lists are on their way */
	MM_KNOWN,    /* all three came back */
	MM_FAILED,   /* the room refused one (then: present occupants only) */
};

/* Asks ROOM for its member, admin and owner lists (again). */
void muc_members_fetch(struct account *a, const char *room);
enum muc_members_state muc_members_state(struct account *a, const char *room);
/* JID (bare or full) has AFFILIATION in ROOM now: "member", "admin" or
 * "owner" adds it, anything else removes it. */
void muc_members_set(struct account *a, const char *room, const char *jid,
		     const char *affiliation);
/*
 * The bare JIDs a group message to ROOM must reach: every member, admin
 * and owner known, and every occupant whose real JID the room shows; the
 * account's own JID left out. *OUT (malloc'd, each string too) holds the
 * count returned; muc_members_free frees it.
 */
size_t muc_members_jids(struct account *a, const char *room, char ***out);
void muc_members_free(char **jids, size_t n);
/* Out of ROOM: what was learnt is dropped. */
void muc_members_forget(struct account *a, const char *room);

#endif
