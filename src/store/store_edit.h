/*
 * store_edit.h: what changes a stored message after it arrived: its
 * corrections (XEP-0308, earlier versions kept), retraction (XEP-0424, a
 * tombstone row), reactions (XEP-0444, one set per reactor), the message
 * it replies to (XEP-0461), and the changes ward queued to send.
 * Who may make a change is decided before any of these (msgrule.c).
 */
#ifndef WARD_STORE_EDIT_H
#define WARD_STORE_EDIT_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* A stored message a change refers to; strings malloc'ed (store_ref_clear). */
struct store_ref {
	int64_t row;
	enum store_dir dir;
	enum store_type type;
	char *from_jid;       /* may be NULL */
	char *occupant_id;    /* XEP-0421, only when the room advertised it */
	int64_t room_session; /* its sender's presence session (0: unknown) */
	enum store_enc enc;
	char *body;
	char *id;        /* stanza id, else origin-id: the event's id */
	char *server_id; /* may be NULL */
	char *origin_id; /* may be NULL */
	int retracted;
	int64_t ts;
};
void store_ref_clear(struct store_ref *r);
void store_refs_free(struct store_ref *v, size_t n);

/* Rows of ACCOUNT's conversation with PEER whose stanza id, origin-id or
 * server id is ID, newest first (at most 8) into *V (*N of them). */
int store_ref_find(struct store *st, const char *account, const char *peer,
		   const char *id, struct store_ref **v, size_t *n);
/* The newest message of PEER's conversation not retracted that went
 * the way DIR (ours: STORE_DIR_OUT); WARD_ERR_NOTFOUND. */
int store_ref_last(struct store *st, const char *account, const char *peer,
		   enum store_dir dir, struct store_ref *out);
/* The row ROW; WARD_ERR_NOTFOUND. */
int store_ref_row(struct store *st, int64_t row, struct store_ref *out);

/* A correction: the current body becomes an earlier version (replaced at
 * AT, ms), BODY the current one, the row marked edited. */
int store_edit_apply(struct store *st, int64_t row, const char *body,
		     int64_t at);
/* A retraction: body, earlier versions and reactions erased, the row kept
 * as a tombstone. */
int store_retract(struct store *st, int64_t row);
/* Earlier versions of ROW, oldest first, through CB (body, encryption,
 * ts, replaced_at); a non-zero return stops and is returned. */
typedef int (*store_version_cb)(const char *body, enum store_enc enc,
				int64_t ts, int64_t replaced_at, void *arg);
int store_versions(struct store *st, int64_t row, store_version_cb cb,
		   void *arg);
/* SENDER's reactions to ROW become EMOJIS (joined by ' '; "" removes). */
int store_react_set(struct store *st, int64_t row, const char *sender,
		    const char *emojis, int64_t at);
/* Every reactor's set for ROW, "E1 E2\nE3..." one line per reactor, in
 * *OUT (malloc; "" when none). */
int store_react_all(struct store *st, int64_t row, char **out);
/* Who sent ROW (room details) and what it replies to, after the row was
 * added (store_page_last_id). Strings may be NULL. */
int store_msg_meta(struct store *st, int64_t row, const char *occupant_id,
		   int64_t room_session, const char *reply_to);
/* Our sent message ORIGIN_ID to PEER replies to REPLY_TO: its stored
 * body loses the fallback quote ward put on its first line. */
int store_reply_out(struct store *st, const char *account, const char *peer,
		    const char *origin_id, const char *reply_to);
/* The room's stanza-id SERVER_ID (by BY) for our message ORIGIN_ID to
 * PEER, when its row has none yet: a reflection that came after the
 * server's acknowledgement. Reactions and replies name room messages by it. */
int store_own_server_id(struct store *st, const char *account, const char *peer,
			const char *origin_id, const char *server_id,
			const char *by);
/* *EDITED, *RETRACTED and *REPLY_TO (malloc, may be NULL) of ROW. */
int store_msg_flags(struct store *st, int64_t row, int *edited, int *retracted,
		    char **reply_to);

/* A queued message that is a change: KIND "correct", "retract", "react"
 * or "reply", REF the id it refers to, EXTRA (may be NULL) what the kind
 * needs (react: the emojis; reply: the fallback's length). */
int store_change_set(struct store *st, int64_t outbox_id, const char *kind,
		     const char *ref, const char *extra);
/* WARD_ERR_NOTFOUND for an ordinary message. */
int store_change_get(struct store *st, int64_t outbox_id, char **kind,
		     char **ref, char **extra);
int store_change_del(struct store *st, int64_t outbox_id);

#endif
