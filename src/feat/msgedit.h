/*
 * msgedit.h: corrections (XEP-0308), retractions (XEP-0424), reactions
 * (XEP-0444) and replies (XEP-0461 with the XEP-0428 fallback), in and
 * out. Incoming changes pass msgrule.c's sender rule or are dropped and
 * logged; outgoing ones go through the durable outbox like any message.
 */
#ifndef WARD_MSGEDIT_H
#define WARD_MSGEDIT_H

#include <stdint.h>
#include <strophe.h>

#include "store.h"

struct account;

/* An incoming message after decryption (im.c). */
struct msgedit_in {
	const char *from, *to;
	int outgoing; /* a carbon or archived copy of ours */
	int own;      /* a room's reflection of ours (muc_is_own) */
	int groupchat;
	int encrypted;    /* it came OMEMO-encrypted and was decrypted */
	int archived;     /* from an archive query (no room session) */
	const char *body; /* decrypted or plain; may be NULL */
};

/* 1 when M is a correction, retraction or reactions: applied (when the
 * sender rule allows) or dropped here, never stored as a message. */
int msgedit_incoming(struct account *a, xmpp_stanza_t *m,
		     const struct msgedit_in *in);

/* A reply (XEP-0461): the body without its fallback quote, what it
 * replies to and the quoted line, all malloc'ed or NULL. */
struct msgedit_reply {
	char *body;
	char *reply_to; /* the id the original's message event had */
	char *quote;    /* first line of the original as ward stored it */
};
void msgedit_reply_in(struct account *a, xmpp_stanza_t *m, const char *peer,
		      const char *body, struct msgedit_reply *r);
void msgedit_reply_clear(struct msgedit_reply *r);
/* After history row ROW was added for M: who sent it (occupant-id, room
 * session) and what it replies to. */
void msgedit_stored(struct account *a, xmpp_stanza_t *m, int64_t row,
		    const struct msgedit_in *in, const char *peer,
		    const char *reply_to);

/* A stored row's changes for its `history` event: edited, retracted,
 * reply_to and quote, reactions. The event points into *KEEP until it is
 * emitted; msgedit_hist_clear frees it then. */
struct event;
struct msgedit_hist {
	char *reply_to, *quote, *reactions;
};
void msgedit_history_fields(struct account *a, const struct store_msg *m,
			    struct event *ev, struct msgedit_hist *keep);
void msgedit_hist_clear(struct msgedit_hist *keep);

/* Adds the change elements of queued item IT to its stanza M. */
void msgedit_decorate(struct account *a, const struct store_outbox_item *it,
		      xmpp_stanza_t *m);
/* The server has queued item OUTBOX_ID: 1 when it was a change (handled
 * here: no history row for corrections, retractions, reactions; a reply's
 * row gets its reply-to), 0 for an ordinary message. */
int msgedit_acked(struct account *a, int64_t outbox_id, const char *origin_id,
		  const char *to, const struct store_ack *ack);

/* The commands (src/cmd/msgedit_cmd.c). TO: a contact, room or ROOM/NICK. */
int msgedit_correct(struct account *a, const char *to, const char *id,
		    const char *text);
int msgedit_retract(struct account *a, const char *to, const char *id);
int msgedit_react(struct account *a, const char *to, const char *id,
		  const char *emojis);
int msgedit_reply(struct account *a, const char *to, const char *id,
		  const char *text);
int msgedit_versions(struct account *a, const char *to, const char *id);

#endif
