/*
 * lines.h: a window's compact line store. Fixed-size records (32 bytes)
 * in a ring plus one text arena; the oldest lines are dropped past a bound
 * and older ones can be put back in front (paged in from history). Lines
 * are named by a sequence number that never changes while the line is held.
 * The text is kept as it came (untrusted); it is sanitised when drawn.
 */
#ifndef WARD_UI_LINES_H
#define WARD_UI_LINES_H

#include <stddef.h>
#include <stdint.h>

enum line_kind {
	LK_MSG,    /* a message: sender + body */
	LK_ME,     /* a /me action */
	LK_INFO,   /* ward says something (no sender) */
	LK_ERROR,  /* ward reports a failure */
	LK_STATUS, /* presence, joins, subject */
};

#define LF_OUT 0x01       /* sent by us */
#define LF_OMEMO 0x02     /* came or goes OMEMO-encrypted */
#define LF_HILITE 0x04    /* mentions us, or a private message */
#define LF_OLD 0x08       /* paged in from history */
#define LF_EDITED 0x10    /* corrected (XEP-0308): "edited" is drawn */
#define LF_RETRACTED 0x20 /* retracted (XEP-0424): a tombstone */
#define LF_QUOTE 0x40     /* a reply: the text's first line is the quote */
#define LF_REACT 0x80     /* the text's last line is the reactions */

#define LF2_DELAYED 0x01 /* the sender's time (XEP-0203), shown marked */

enum line_state {
	LS_NONE,      /* received, or not an outgoing message */
	LS_QUEUED,    /* stored in the outbox, not on the server yet */
	LS_ACKED,     /* the server has it */
	LS_DELIVERED, /* the peer's client has it (receipt) */
	LS_READ,      /* the peer read it (marker) */
	LS_FAILED,    /* not sent (the reason follows as an error line) */
};

enum line_trust { LT_NONE, LT_VERIFIED, LT_BLIND, LT_UNTRUSTED };

struct line {
	int64_t time;    /* ms since the epoch */
	uint64_t idhash; /* 64-bit hash of the message id (0: none); the
			    id is only ever matched, never shown */
	uint32_t off;    /* body in the arena */
	uint32_t len;    /* body bytes */
	uint16_t sender; /* index in the window's sender table */
	uint8_t kind;    /* enum line_kind */
	uint8_t flags;   /* LF_* */
	uint8_t state;   /* enum line_state */
	uint8_t trust;   /* enum line_trust */
	uint8_t flags2;  /* LF2_* */
	uint8_t readers; /* ours, in a room: occupants that read it (255:
			    255 or more; roomsig.c) */
};

/* Longest body kept for one line (longer text is cut). */
#define LINES_MAX_TEXT (64 * 1024)
/* Longest message id matched (a longer one is not ours: not kept). */
#define LINES_MAX_ID 255

struct lstore;

/* A store that holds at most max_lines appended lines (>= 16). */
struct lstore *lstore_new(size_t max_lines);
void lstore_free(struct lstore *ls);

/* Appends a line (tmpl's off/len/idhash are set here). Drops the oldest
 * when full. Returns its sequence number. */
uint64_t lstore_append(struct lstore *ls, const struct line *tmpl,
		       const char *text, size_t len, const char *id);
/* Lines that may be put in front beyond max_lines (history read back):
 * scrolling back is bounded by ward.db, not by the window, and
 * lstore_trim gives the memory back once the view is at the bottom. */
#define LINES_PAGED_MAX 100000

/* Puts an older line in front of the first one. Returns its sequence
 * number, or 0 when the store already holds max_lines + LINES_PAGED_MAX
 * lines. */
uint64_t lstore_prepend(struct lstore *ls, const struct line *tmpl,
			const char *text, size_t len, const char *id);
/* Lets one more line be held beyond the bound (the next append drops
 * nothing): while the view is scrolled up, arriving lines must not push
 * out the ones being read. Bounded by LINES_PAGED_MAX like a page. */
void lstore_hold(struct lstore *ls);
/* Drops the oldest lines down to max_lines and gives their memory back;
 * returns how many were dropped. */
size_t lstore_trim(struct lstore *ls);

/* Changes the bound on appended lines (>= 16); a lower one drops the
 * oldest at the next append, not now (a window being left costs no work). */
void lstore_set_max(struct lstore *ls, size_t max_lines);

/* Lines held, and the sequence numbers of the first and past the last. */
size_t lstore_count(const struct lstore *ls);
/* Lines held that were appended (not put in front). */
size_t lstore_appended(const struct lstore *ls);
uint64_t lstore_first(const struct lstore *ls);
uint64_t lstore_end(const struct lstore *ls);

/* The line seq (NULL when not held); *text its body (len bytes, not
 * NUL-terminated; text may be NULL). */
struct line *lstore_get(struct lstore *ls, uint64_t seq, const char **text);
/* The newest held line whose id equals id (searching at most the last
 * limit lines), or 0. */
uint64_t lstore_find_id(struct lstore *ls, const char *id, size_t limit);

/* Replaces the text of line seq (its id kept); TEXT must not point into
 * the store. -1 when not held or out of memory. */
int lstore_set_text(struct lstore *ls, uint64_t seq, const char *text,
		    size_t len);

/* Bytes used by records and arena (for the memory budget). */
size_t lstore_bytes(const struct lstore *ls);

#endif
