/*
 * store.h: ward's persistent state in one SQLite file (ward.db in the data
 * dir): history, the outgoing queue, pins and settings, for many accounts.
 */
#ifndef WARD_STORE_H
#define WARD_STORE_H

#include <stdint.h>

struct store;

/* Which way a message went. */
enum store_dir {
	STORE_DIR_IN,  /* received */
	STORE_DIR_OUT, /* sent by us (from this or another of our clients) */
};

/* The message type (RFC 6121); other types are not stored. */
enum store_type {
	STORE_TYPE_CHAT,
	STORE_TYPE_GROUPCHAT,
};

/* How the body travelled on the wire. */
enum store_enc {
	STORE_ENC_NONE,
	STORE_ENC_OMEMO,
};

/*
 * One history row. As input every string is the caller's and only read
 * during the call; in a callback every string is the store's and valid only
 * during the callback. Fields marked "may be NULL" are optional.
 */
struct store_msg {
	int64_t id;          /* row id (output only) */
	const char *account; /* account name as in ward.conf */
	const char *peer;    /* the conversation: bare JID or room JID, */
	/* normalised by the caller (dedupe compares bytes) */
	enum store_dir dir;
	enum store_type type;
	const char *from_jid;     /* full JID of the sender; may be NULL */
	const char *stanza_id;    /* the stanza's id attribute; may be NULL */
	const char *origin_id;    /* XEP-0359 origin-id; may be NULL */
	const char *server_id;    /* XEP-0359 stanza-id, only when its 'by' */
				  /* was checked to be trusted; may be NULL */
	const char *server_id_by; /* the stanza-id's 'by'; may be NULL */
	const char *body;         /* UTF-8, never NULL ("" is fine) */
	enum store_enc enc;
	int64_t ts;  /* ms since the epoch; 0 on input = now */
	int delayed; /* ts is the sender's, from a believed <delay/> */
	const char *occupant_id; /* XEP-0421, from a room that advertises */
				 /* it; may be NULL */
};

/* One row of the outgoing queue, as handed to store_outbox_pending's callback.
 */
struct store_outbox_item {
	int64_t id; /* never reused, even after the row is deleted */
	const char *account;
	const char *to; /* bare JID or room JID */
	enum store_type type;
	enum store_enc enc; /* what the user was promised: never send weaker */
	const char *body;
	const char *origin_id; /* also the stanza id of every (re)send */
	int64_t created_at;    /* ms since the epoch, when it was queued */
	int64_t sent_at; /* ms since the epoch of the last send; 0 = never */
};

/*
 * What the server told us about a message it accepted. Every field may be
 * NULL, as may the whole struct: the history row then has no such value.
 */
struct store_ack {
	const char *from_jid;  /* our full JID (or room/nick) as sent */
	const char *server_id; /* XEP-0359 stanza-id (e.g. a MUC reflection) */
	const char *server_id_by;
	const char *occupant_id; /* ours in the room (XEP-0421) */
};

/*
 * Callbacks for the iterating calls. Rows are read completely before the
 * first call, so a callback may call any store function. A non-zero
 * return stops the iteration and becomes the iterating call's return value.
 */
typedef int (*store_history_cb)(const struct store_msg *m, void *arg);
typedef int (*store_outbox_cb)(const struct store_outbox_item *it, void *arg);

/*
 * Every call returns WARD_OK or a negative enum ward_err: WARD_ERR_INVAL
 * for a bad argument, WARD_ERR_NOTFOUND where stated, WARD_ERR_NOMEM,
 * WARD_ERR_LIMIT for an oversized string, WARD_ERR_IO for a database
 * failure (logged without message contents). Out-parameters are cleared on
 * entry and set only on success. Strings returned through char ** are
 * allocated with malloc and belong to the caller (free()).
 *
 * Durability: calls marked DURABLE have reached the disk when they return
 * WARD_OK (synchronous=FULL), even inside a store_begin/store_commit batch:
 * they commit the batch so far. Other writes inside a batch are durable at
 * the outermost store_commit; outside a batch, at return.
 */

/*
 * Opens (creating if needed) DATADIR/ward.db. DATADIR itself is created
 * with mode 0700 if missing (its parent must exist). Refused with a reason
 * in *why: a DATADIR that is a symlink, not a directory, not owned by us
 * or open to group/others; a ward.db, -wal or -shm that is not a regular
 * file owned by us or has more than one link; a schema from a newer ward.
 * Existing database files with group/other bits are chmod'ed to 0600 (and
 * a warning logged): they sit in a private directory, so this repairs a
 * copy or restore rather than hiding an attack. New files are created
 * 0600 (umask 077 is set during this call; ward is single-threaded).
 * *out is freed with store_close(); *why (may be NULL, set only on
 * failure when memory allows) is the caller's to free().
 */
int store_open(const char *datadir, struct store **out, char **why);

/*
 * Commits an open batch (with a warning in the log: the caller forgot
 * store_commit), then closes. NULL is fine.
 */
void store_close(struct store *st);

/*
 * Groups writes into one transaction for speed (one fsync for many rows).
 * Calls nest: only the outermost store_commit commits. A batch is not an
 * atomic unit for the caller (DURABLE calls commit it early) and there is
 * no rollback: it only makes bulk writes fast. store_commit returns
 * WARD_ERR_IO if anything in the batch was lost (e.g. disk full), and
 * WARD_ERR_INVAL without a matching store_begin. Send acknowledgements for
 * received stanzas (XEP-0198 <a/>) only after store_commit succeeded.
 */
/*
 * At rest: 1 when something was written since the last
 * store_release_memory(), and then store_release_memory() hands SQLite's
 * page cache and the heap pages freed with it back to the system. A burst
 * of messages fills the cache (cache_size); a client that then sits idle
 * for hours does not need it, and the next query reads the few pages it
 * wants from the OS's file cache again.
 */
int store_dirty_since_release(struct store *st);
/* Indexes the rows stored since the last call for /search (done before
 * every search and at open and close; ward calls it at rest too). */
int store_fts_flush(struct store *st);
void store_release_memory(struct store *st);

int store_begin(struct store *st);
int store_commit(struct store *st);

/*
 * History. store_history_add stores *m unless the account already has a
 * row for m->peer with the same server_id, or with the same from_jid and
 * origin_id; then *duplicate (may be NULL) is set to 1 and nothing is
 * written (*duplicate = 0 otherwise). m->id is ignored.
 */
int store_history_add(struct store *st, const struct store_msg *m,
		      int *duplicate);

/*
 * The server_id stamped BY of the newest row older (by ts, then row) than
 * the row stamped BY with server_id THAN: an older place to catch up
 * from when the archive refuses THAN. WARD_ERR_NOTFOUND if there is none
 * (or no row has THAN). *id is the caller's to free().
 */
int store_history_stanza_id_before(struct store *st, const char *account,
				   const char *by, const char *than, char **id);

/*
 * The server_id of the newest row (by ts) that has one, for MAM catch-up.
 * peer NULL = any conversation of the account; by NULL = any server_id_by.
 * WARD_ERR_NOTFOUND if there is none. *id is the caller's to free().
 */
int store_history_last_stanza_id(struct store *st, const char *account,
				 const char *peer, const char *by, char **id);

/* Rows of account (and of peer, unless NULL) into *n. */
int store_history_count(struct store *st, const char *account, const char *peer,
			int64_t *n);

/* Calls cb for the newest `limit` rows of a conversation, oldest first. */
int store_history_recent(struct store *st, const char *account,
			 const char *peer, int limit, store_history_cb cb,
			 void *arg);

/*
 * *own = 1 when origin_id is one of ours to peer: queued in the outbox or
 * in the history as sent (how a room's reflection is told from someone
 * else's message under the same nick; a bounce of a message we really
 * sent from a forged one), 0 otherwise.
 */
int store_origin_is_own(struct store *st, const char *account,
			const char *peer, const char *origin_id, int *own);
/*
 * The origin-id (the id of its queued event) of our message to PEER named
 * ID: by its origin-id, or, sent to a room, by the stanza-id the room gave
 * it (XEP-0333 in rooms marks that one). *origin_id malloc'd; NOTFOUND
 * when no message of ours has that id.
 */
int store_own_origin_of(struct store *st, const char *account,
			const char *peer, const char *id, char **origin_id);

/*
 * The outgoing queue. A message is queued before it is sent and stays until
 * the server has it.
 *
 * store_outbox_add (DURABLE) queues a message; origin_id (never NULL) must
 * be unique for the account (WARD_ERR_INVAL otherwise). *id gets the row id.
 */
int store_outbox_add(struct store *st, const char *account, const char *to,
		     enum store_type type, enum store_enc enc, const char *body,
		     const char *origin_id, int64_t *id);

/* Records a (re)send at sent_at (ms since the epoch). WARD_ERR_NOTFOUND. */
int store_outbox_mark_sent(struct store *st, int64_t id, int64_t sent_at);

/*
 * The server has the message: in one transaction, deletes the outbox row
 * and adds the history row (direction out, stanza_id = origin_id, ts = when
 * it was queued, plus *ack; an existing duplicate row is kept instead).
 * By row id, or by the account's origin_id. WARD_ERR_NOTFOUND when no such
 * row is queued (e.g. acknowledged before).
 */
int store_outbox_ack(struct store *st, int64_t id, const struct store_ack *ack);
int store_outbox_ack_origin(struct store *st, const char *account,
			    const char *origin_id, const struct store_ack *ack);

/*
 * Drops a queued message without a history row (DURABLE): it can never be
 * sent as promised (e.g. no OMEMO device to encrypt to). WARD_ERR_NOTFOUND.
 */
int store_outbox_drop(struct store *st, int64_t id);

/* Calls cb for each queued message of account, oldest first. */
int store_outbox_pending(struct store *st, const char *account,
			 store_outbox_cb cb, void *arg);

/* Queued messages of account into *n. */
int store_outbox_count(struct store *st, const char *account, int64_t *n);

/*
 * Pins: one value per (account, kind), kind e.g. "tls-spki:HOST",
 * "sasl-mech", "cb-type". store_pin_set (DURABLE) records value as seen at
 * seen_at (ms since the epoch): the same value only moves last_seen, a new
 * one replaces the old and starts first_seen again. Deciding whether a
 * change is allowed is the caller's job. store_pin_get: WARD_ERR_NOTFOUND
 * if unset; first_seen and last_seen may be NULL.
 */
int store_pin_get(struct store *st, const char *account, const char *kind,
		  char **value, int64_t *first_seen, int64_t *last_seen);
int store_pin_set(struct store *st, const char *account, const char *kind,
		  const char *value, int64_t seen_at);

/*
 * The SQLite handle, for a library that keeps its own tables in ward.db
 * (crypto/omemo.c). Its writes join the open batch; never closed by the
 * caller, and valid until store_close.
 */
struct sqlite3 *store_db(struct store *st);

/*
 * Settings: a string per (account, key); account "" for global ones.
 * store_kv_get: WARD_ERR_NOTFOUND if unset. store_kv_set and store_kv_del
 * (no error if unset) are DURABLE.
 */
int store_kv_get(struct store *st, const char *account, const char *key,
		 char **value);
int store_kv_set(struct store *st, const char *account, const char *key,
		 const char *value);
int store_kv_del(struct store *st, const char *account, const char *key);
/* store_kv_set inside the open batch, committed with it (not DURABLE):
 * for counters a stranger's flood moves, which must not cost a commit
 * (an fsync) per message. */
int store_kv_stage(struct store *st, const char *account, const char *key,
		   const char *value);

/*
 * What the peer said of our message ORIGIN_ID to PEER (bare JID): a
 * delivery receipt (STORE_DELIVERED) or a read marker (STORE_READ). Kept
 * for the history; the state only moves forward. store_delivery_get sets
 * *state to 0 when nothing was said.
 */
enum { STORE_DELIVERED = 1, STORE_READ = 2 };
int store_delivery_set(struct store *st, const char *account, const char *peer,
		       const char *origin_id, int state);
int store_delivery_get(struct store *st, const char *account, const char *peer,
		       const char *origin_id, int *state);

/*
 * The roster as last received, and its version (RFC 6121 2.6), so that a
 * login with an unchanged roster fetches none of it. Written inside the
 * caller's batch, items and version together.
 */
struct store_roster_item {
	const char *jid;
	const char *name;         /* may be NULL */
	const char *subscription; /* "none", "to", "from", "both" */
	const char *groups;       /* names joined by '\n'; may be NULL */
};
/* Replaces ACCOUNT's roster with the N ITEMS and VER (NULL: none kept). */
int store_roster_replace(struct store *st, const char *account,
			 const struct store_roster_item *items, size_t n,
			 const char *ver);
/* One pushed ITEM (subscription "remove": deleted) and the new VER
 * (NULL: the stored version is dropped, the next login fetches all). */
int store_roster_push(struct store *st, const char *account,
		      const struct store_roster_item *item, const char *ver);
/* Calls FN for each stored item by JID; *N (may be NULL) counts them. A
 * non-zero return from FN stops the walk and is returned. */
int store_roster_each(struct store *st, const char *account,
		      int (*fn)(void *arg, const struct store_roster_item *it),
		      void *arg, size_t *n);
/* The stored subscription of JID (malloc'ed in *SUB); WARD_ERR_NOTFOUND
 * when JID is not in the roster. */
int store_roster_sub(struct store *st, const char *account, const char *jid,
		     char **sub);
/* The stored version; WARD_ERR_NOTFOUND when there is none. */
int store_roster_ver(struct store *st, const char *account, char **ver);

#endif
