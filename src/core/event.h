/*
 * event.h: what the core tells its frontends. One enum value per kind of
 * event and an ordered list of fields; the headless frontend writes each as
 * one JSON line, the curses UI renders them. The core never prints.
 */
#ifndef WARD_EVENT_H
#define WARD_EVENT_H

#include <stddef.h>

enum event_kind {
	EV_CONNECTED,
	EV_DISCONNECTED,
	EV_MESSAGE,
	EV_PRESENCE,
	EV_ROSTER,
	EV_ERROR,
	EV_PROMPT,
	EV_SECURITY,
	EV_ACKED,	/* the server has an outgoing message */
	EV_QUEUED,	/* an outgoing message was stored and waits */
	EV_INFO,
	EV_HELP,
	EV_ROOM,	/* a group chat was joined, left, refused... */
	EV_FINGERPRINT,	/* an OMEMO device and its trust (/omemo fingerprints) */
	EV_HISTORY,	/* one stored or archived message of a /history page */
	EV_HISTORY_END,	/* the end of a /history page, with the next cursor */
	EV_OCCUPANT,	/* a room occupant joined, left, changed (muc_occ.c) */
	EV_CHAT_SECURITY, /* how a chat's messages travel (chatsec.c) */
	EV_CHATSTATE,	/* a contact is typing, paused... (chatstates.c) */
	EV_DELIVERY,	/* our message was delivered or read (receipts.c,
			   markers.c) */
	EV_REQUEST,	/* a stranger's message held; the list (requests.c) */
	EV_BLOCK,	/* the block list changed, or /blocked (blocking.c) */
	EV_ROOM_CONFIG,	/* a room's configuration form (muc_config.c) */
	EV_BOOKMARK,	/* a bookmarked room (XEP-0402, bookmarks.c) */
	EV_FILE_OFFER,	/* a file link was received (files.c) */
	EV_TRANSFER,	/* a download or upload moved on (files.c) */
	EV_SEARCH_RESULT, /* one stored message a /search found */
	EV_SEARCH_END,	/* the end of a /search, with the count */
	EV_MESSAGE_EDITED,    /* a message was corrected (msgedit.c) */
	EV_MESSAGE_RETRACTED, /* a message was retracted: a tombstone */
	EV_REACTIONS,	      /* a message's reactions changed */
	EV_MESSAGE_VERSION,   /* one version of an edited message (/versions) */
	EV_AUDIT,	/* one rule checked by /audit (audit_child.c) */
	EV_AUDIT_END,	/* the end of an /audit, with its outcome */
};
/* The last kind: keep it so when adding one (tests/fuzz/uimodel feeds
 * every kind from 0 to it). */
#define EV_KIND_LAST EV_AUDIT_END

enum event_ftype { EF_STR, EF_INT, EF_BOOL };

struct event_field {
	const char *key;
	enum event_ftype type;
	const char *s;		/* EF_STR; NULL is written as null */
	long long i;		/* EF_INT, EF_BOOL */
};

#define EVENT_MAX_FIELDS 48
struct event {
	enum event_kind kind;
	const char *account;	/* NULL for events of the program itself */
	size_t n;
	struct event_field f[EVENT_MAX_FIELDS];
};

typedef void (*event_sink_fn)(void *arg, const struct event *ev);

/* Strings are borrowed: they must live until event_emit() returns. */
void event_init(struct event *ev, enum event_kind kind, const char *account);
void event_str(struct event *ev, const char *key, const char *val);
void event_int(struct event *ev, const char *key, long long val);
void event_bool(struct event *ev, const char *key, int val);
/* Hands the event to every subscriber. */
void event_emit(const struct event *ev);
int event_subscribe(event_sink_fn fn, void *arg);
/* A sink may buffer: fn is called by event_flush(), which the core runs
 * before every sleep of the loop (after committing the store, so nothing
 * is shown before it is on disk). */
typedef void (*event_flush_fn)(void *arg);
int event_subscribe_flush(event_flush_fn fn, void *arg);
void event_flush(void);
/* Removes every sink and flusher whose argument is arg. */
void event_unsubscribe(void *arg);
const char *event_kind_name(enum event_kind kind);
/* One JSON object and a newline (malloc'd), per the contract's escaping. */
char *event_to_json(const struct event *ev, size_t *len);

/* Shorthands for the most common events. */
void event_error(const char *account, const char *code, const char *text);
void event_info(const char *account, const char *text);

#endif
