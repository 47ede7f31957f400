/*
 * win.h: the UI's windows (the console, one per chat, one per room, one per
 * room private chat), their lines, activity and scroll state, in the order
 * the window list shows them. No curses here: unit tested and fuzzed.
 */
#ifndef WARD_UI_WIN_H
#define WARD_UI_WIN_H

#include <stddef.h>
#include <stdint.h>

#include "model/lines.h"
#include "model/people.h"

enum win_kind { WK_CONSOLE, WK_CHAT, WK_ROOM, WK_PRIV };

/* How a conversation travels, for the security line. */
enum win_enc {
	WE_UNKNOWN, /* nothing sent or received yet */
	WE_OMEMO,
	WE_PLAIN_OFF,  /* the user turned OMEMO off for this chat */
	WE_PLAIN_ROOM, /* a room: not encrypted */
	WE_PLAIN_PEER, /* the peer wrote in plaintext */
};

#define WIN_MAX 256 /* windows at most */
/* Lines a chat or room window holds while another is shown (the one shown
 * holds the list's max_lines, the console always): what is older comes
 * back from ward.db when it is shown and scrolled up, so twenty busy
 * windows cost twenty screens, not twenty full stores. */
#define WIN_BACKGROUND_LINES 200
#define WIN_SENDERS_MAX 4096 /* distinct senders per window */

/* A /history page being received (oldest first), put in front at its
 * end. */
struct hpage {
	struct line l;
	char *sender, *body, *id, *cursor;
};
#define WIN_PAGE_MAX 500

struct uiwin {
	enum win_kind kind;
	char *account; /* NULL for the console */
	char *jid;     /* bare JID, room JID, or ROOM/NICK */
	char *nick;    /* our nick in a room */
	struct lstore *lines;
	char **senders; /* sender table (index 0 is "") */
	size_t nsenders;
	unsigned unread, highlight;
	uint64_t marker; /* first line not seen when last left (0) */
	/* scroll: 0 = following the bottom, else the line at the bottom of
	 * the view and how many of its rows are hidden below it */
	uint64_t bottom;
	unsigned bottom_skip;
	unsigned newcount; /* lines arrived while scrolled up */
	int want_older;    /* the view reached the oldest line held */
	int history_asked; /* older lines were asked for, not back yet */
	int history_done;  /* nothing older exists */
	int top_shown;     /* the last paint showed the oldest line held */
	int page_stale;    /* lines were dropped while a page was asked for:
			      it would leave a gap, so it is not used */
	/* security of the conversation */
	enum win_enc enc;
	int devices, verified; /* from fingerprint/security events (-1) */
	int blind, untrusted, undecided; /* chat-security counts */
	int members;                     /* a room's, with OMEMO */
	char *sec_why;     /* why messages cannot go out (NULL: they can) */
	char *device_list; /* "known", "fetching", "missing", "unknown" */
	int sec_asked;     /* /chat-security was asked for this window */
	int joined;        /* rooms: currently joined */
	char *subject;
	struct people occ;  /* rooms: occupants */
	struct hpage *page; /* history rows of the page in flight */
	size_t npage;
	char *hist_cursor; /* where the next older page starts */
	/* XEP-0085/0333 */
	char typing[12]; /* the peer's chat state ("composing", "paused"...) */
	int64_t typing_at;   /* when it came (it goes stale: roomsig.h) */
	int to_mark;         /* a message came that /read has not marked yet */
	struct roomsig *sig; /* a room's occupants typing and reading (NULL
				until one does: roomsig.c) */
	/* /goto: the search hit to show once paged in (NULL: none) */
	char *seek_body, *seek_id;
	int64_t seek_ts;
};

struct winlist {
	struct uiwin **w;
	size_t n;
	size_t cur;
	size_t max_lines; /* the window shown, and the console */
	size_t bg_lines;  /* the others (WIN_BACKGROUND_LINES at most) */
};

void winlist_init(struct winlist *wl, size_t max_lines);
void winlist_free(struct winlist *wl);
/* The window of that kind, account and JID (case-insensitive), or NULL. */
struct uiwin *winlist_find(struct winlist *wl, enum win_kind kind,
			   const char *account, const char *jid);
/* Finds or opens it (appended at the end); NULL past WIN_MAX. */
struct uiwin *winlist_open(struct winlist *wl, enum win_kind kind,
			   const char *account, const char *jid);
size_t winlist_index(const struct winlist *wl, const struct uiwin *w);
struct uiwin *winlist_current(struct winlist *wl);
/* Makes window i current: the old one's marker is set at its end, the new
 * one's counts are cleared. Out-of-range i is ignored (returns -1). */
int winlist_select(struct winlist *wl, size_t i);
/* Closes window i (never the console, index 0). */
int winlist_close(struct winlist *wl, size_t i);
/* The next window with activity after the current one (highlights first,
 * then unread), or -1 when none has any. */
long winlist_next_active(const struct winlist *wl);
/* Total unread over windows other than the current one. */
unsigned winlist_unread_total(const struct winlist *wl);

/* Index of sender in w's table (added when new; 0 when the table is
 * full). */
uint16_t win_sender(struct uiwin *w, const char *sender);
const char *win_sender_name(const struct uiwin *w, uint16_t i);

/* Adds a line at the bottom; counts it as unread/highlight when the window
 * is not the one shown (visible 0) or is scrolled up. Returns its seq. */
uint64_t win_add(struct uiwin *w, int visible, const struct line *tmpl,
		 const char *sender, const char *text, size_t len,
		 const char *id);
/* Puts an older line above the first one held (history paging); the view
 * does not move. Returns its seq or 0. */
uint64_t win_add_old(struct uiwin *w, const struct line *tmpl,
		     const char *sender, const char *text, size_t len,
		     const char *id);
/* Sets the delivery state of the outgoing line with this id; returns 1
 * when one was found. */
int win_set_state(struct uiwin *w, const char *id, enum line_state st);
/* Frees the page of history rows in flight. */
void win_page_clear(struct uiwin *w);
/* Back to the bottom: clears the lock and the "N new" counter, and gives
 * back the lines read from history beyond the window's bound. */
void win_scroll_bottom(struct uiwin *w);
/* The oldest lines were dropped: history is read again from the newest
 * (rows held are skipped), so no gap opens above what is held. */
void win_dropped(struct uiwin *w);

#endif
