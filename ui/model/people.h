/*
 * people.h: who the panes list: an account's contacts (roster items with
 * presence per resource and OMEMO trust when known) or a room's occupants
 * (nick, role, affiliation, presence). Bounded; no curses.
 */
#ifndef WARD_UI_PEOPLE_H
#define WARD_UI_PEOPLE_H

#include <stddef.h>

#define PEOPLE_MAX 10000  /* entries per list */
#define PEOPLE_MAX_RES 16 /* resources per contact */

/* Presence, best first. */
enum pshow { PS_OFFLINE, PS_XA, PS_AWAY, PS_DND, PS_ONLINE, PS_CHAT };

struct person {
	char *key;    /* bare JID (contacts) or nick (occupants) */
	char *name;   /* roster name, or the occupant's role */
	char *extra;  /* subscription, or affiliation */
	char *real;   /* occupants: real JID when the room gives it */
	char *status; /* the last presence's status text (remote, raw) */
	char *res[PEOPLE_MAX_RES];
	unsigned char show[PEOPLE_MAX_RES];
	size_t nres;
	int trust; /* enum line_trust of its devices, -1 unknown */
	int in_roster;
	char *skel; /* TS #39 skeleton of key (never shown) */
	int mixed;  /* SKELETON_MIXED when key mixes scripts (with skel) */
	int flags;  /* SKELETON_MIXED, SKELETON_LOOKALIKE (people_flag) */
};

struct people {
	struct person *p;
	size_t n, cap;
	int unsorted; /* changed since people_sort */
};

void people_free(struct people *pl);
/* The entry for key (case-insensitive), or NULL. */
struct person *people_find(struct people *pl, const char *key);
/* Finds or adds it; NULL past PEOPLE_MAX. */
struct person *people_get(struct people *pl, const char *key);
/* Removes key. */
void people_remove(struct people *pl, const char *key);
/* A presence from key/resource: type "available" (with show) or
 * "unavailable". */
void people_presence(struct person *p, const char *resource, const char *type,
		     const char *show);
/* The best presence over its resources. */
enum pshow people_show(const struct person *p);
/* Sorts by presence (online first) then key, and flags look-alikes. */
void people_sort(struct people *pl);
/* Marks the list changed: the model calls this for every roster and
 * presence event, and people_ready sorts once before the list is read
 * (sorting on each event made a 1,000-contact login quadratic). */
void people_touch(struct people *pl);
/* people_sort when changed since the last one. */
void people_ready(struct people *pl);
/* Whether name looks like (same skeleton, other text) someone in pl. */
int people_lookalike(struct people *pl, const char *name);

#endif
