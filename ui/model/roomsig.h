/*
 * roomsig.h: what a room's occupants signal, for the room's window: who
 * is typing (XEP-0085 composing: a bounded list of nicks, each with the
 * time it said so) and how far each occupant has read our messages
 * (XEP-0333 displayed: the newest of our lines it marked), from which each
 * of our lines counts its readers ("read by N"). Also the one timeout of
 * typing notices, 1:1 and room alike. Nicks are kept as they came and
 * sanitised when drawn. No curses here.
 */
#ifndef WARD_UI_ROOMSIG_H
#define WARD_UI_ROOMSIG_H

#include <stddef.h>
#include <stdint.h>

struct uiwin;
struct model;

/* A typing notice not renewed for this long is stale: the sender went
 * away without saying it stopped (XEP-0085 5.2 has a sender pause after
 * 30 s of no typing). */
#define MODEL_TYPING_STALE_MS 60000
#define ROOMSIG_TYPERS_MAX 32  /* typing at once, per room */
#define ROOMSIG_READERS_MAX 64 /* occupants whose reading is followed */

struct roomsig_typer {
	char *nick;
	int64_t at; /* when it said composing (ms) */
};

struct roomsig_reader {
	char *nick;
	uint64_t seq; /* the newest line of ours it read */
};

struct roomsig {
	struct roomsig_typer typers[ROOMSIG_TYPERS_MAX]; /* oldest first */
	size_t ntypers;
	struct roomsig_reader *readers;
	size_t nreaders;
};

/* NICK's chat STATE at NOW: composing adds or renews it, any other state
 * (paused, active, inactive, gone) ends it. 1 when the typing list
 * changed. */
int roomsig_chatstate(struct uiwin *w, const char *nick, const char *state,
		      int64_t now);
/* NICK stopped typing by other means (its message, leaving the room):
 * 1 when it was typing. */
int roomsig_stop(struct uiwin *w, const char *nick);
/* NICK is now NEW_NICK: its typing ends, its reading follows it. */
void roomsig_rename(struct uiwin *w, const char *nick, const char *new_nick);
/* No one is typing any more (we left the room, or lost the connection):
 * 1 when someone was. */
int roomsig_clear_typing(struct uiwin *w);
/*
 * NICK displayed our line with ID (its marker): that line and our earlier
 * ones it had not read yet count one more reader and are shown read. A
 * marker for a line before the one NICK read already changes nothing;
 * past ROOMSIG_READERS_MAX occupants a new one only marks the line read
 * (never counted twice). 1 when a line changed.
 */
int roomsig_read(struct uiwin *w, const char *nick, const char *id);
/* The nicks typing in w (oldest first): how many, and the i-th. */
size_t roomsig_ntyping(const struct uiwin *w);
const char *roomsig_typer(const struct uiwin *w, size_t i);
void roomsig_free(struct uiwin *w);

/* Drops the typing notices (1:1 and room) older than
 * MODEL_TYPING_STALE_MS at m->now, marking the security line dirty when
 * the current window's changed. Returns when the next one goes stale (ms,
 * wall clock), 0 when none is left. */
int64_t model_typing_expire(struct model *m);
/* The account's connection ended: nobody there is typing any more. */
void model_typing_clear_account(struct model *m, const char *account);

#endif
