/*
 * omemo_priv.h: what omemo_dev.c, omemo_send.c and omemo_recv.c share and
 * nobody else sees: the per-account device cache and the calls between
 * them.
 */
#ifndef WARD_OMEMO_PRIV_H
#define WARD_OMEMO_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include <strophe.h>

#include "omemo.h"
#include "omemo_im.h"
#include "store.h"

struct account;

/* A device list as far as this session knows it. */
enum omemo_list_state {
	OL_UNKNOWN, /* not fetched in this session */
	OL_FETCHING,
	OL_KNOWN,   /* fetched or pushed (may be empty) */
	OL_MISSING, /* no such node, or not readable */
};

/* A device of a list, as far as its bundle is concerned. */
enum omemo_dev_state {
	OD_IDLE,     /* nothing pending (a session may or may not exist) */
	OD_FETCHING, /* its bundle was asked for */
	OD_FAILED,   /* no usable bundle in this session */
};

struct omemo_contact {
	char *jid; /* bare */
	enum omemo_list_state list;
	uint32_t *ids;        /* ascending */
	unsigned char *state; /* enum omemo_dev_state per id */
	size_t n;
	int64_t known_at; /* now_ms() when the list was fetched or pushed */
	int subscribed;   /* to its list's pushes, this session */
	struct omemo_contact *next;
};

/* A prompt about a new device of a verified contact (omemo_ask.c). */
struct omemo_ask {
	struct account *a;
	char *jid;
	uint32_t device;
	struct omemo_ask *next;
};

/* The account's OMEMO state (struct account's `omemo`). */
struct omemo_acct {
	struct omemo *o;
	int open_failed;
	struct omemo_contact *contacts; /* ours included */
	struct omemo_ask *asks;
	uint64_t republish_timer;
	uint64_t spk_timer;  /* the daily signed-prekey check */
	int publish_refused; /* told the user once (this process) */
};

/* omemo_dev.c */
/* The account's OMEMO state, allocated (empty) on first use. */
struct omemo_acct *omemo_dev_acct(struct account *a);
/* 1 when JID is the account's own bare JID. */
int omemo_dev_is_own(struct account *a, const char *jid);
/* Index of DEVICE in C's list; C->n when it is not there. */
size_t omemo_dev_index(const struct omemo_contact *c, uint32_t device);
/* Replaces C's ids with IDS (taken; ascending), keeping the state of the
 * ids that stay; returns how many are new. */
size_t omemo_dev_set_list(struct omemo_contact *c, uint32_t *ids, size_t n);
/* The cached contact for JID, created if CREATE. */
struct omemo_contact *omemo_dev_contact(struct account *a, const char *jid,
					int create);
/* Asks for JID's device list (when not known or being fetched). */
void omemo_dev_fetch_list(struct account *a, struct omemo_contact *c);
/* Asks for the bundle of device index I of C. */
void omemo_dev_fetch_bundle(struct account *a, struct omemo_contact *c,
			    size_t i);
/* A list older than this is fetched again before a message uses it
 * (pushes come only from contacts whose presence we see). */
#define OMEMO_LIST_MAX_AGE_MS (5 * 60 * 1000)
/* The same for a list with no device or one we could not read, which is
 * trusted only briefly: a contact on its first login may be publishing
 * right now, and until it has, Prosody answers a stranger's fetch and
 * subscription with forbidden, so the publish is never pushed to us (seen
 * in fresh-clone runs: two new accounts started together, one never
 * learnt the other's device and refused every message to it). */
#define OMEMO_EMPTY_LIST_MAX_AGE_MS (10 * 1000)
/* Whether C's list is known but too old to use without asking again. */
int omemo_dev_list_stale(const struct omemo_contact *c);

/* A message came from JID's DEVICE: one the cached list lacks makes the
 * next message fetch the list again. */
void omemo_dev_seen(struct account *a, const char *jid, uint32_t device);
/* An `error` event about JID's chat (and message ID, may be NULL); BODY,
 * when not NULL, gives back the text of a message that was not sent. */
void omemo_dev_error(struct account *a, const char *code, const char *text,
		     const char *jid, const char *id, const char *body);

/* omemo_send.c, shared with omemo_room.c */
/* The devices one message goes to. */
struct omemo_send_to {
	struct omemo_addr *addr;
	size_t n, cap;
	size_t n_peer; /* of them, the peer's (the members' in a room) */
};
/* Drops the item with an error event CODE: it can never go out as
 * promised. */
enum omemo_send_status omemo_send_drop(struct account *a,
				       const struct store_outbox_item *it,
				       const char *code, const char *why);
/* Makes sure every device of C can be used: fetches the list, then the
 * bundles of devices without a session. 1 while something is on its way. */
int omemo_send_prepare(struct account *a, struct omemo *o,
		       struct omemo_contact *c, uint32_t me, int own);
/* Adds the devices of C that policy lets us use (BTBV: may ask). */
void omemo_send_collect(struct account *a, struct omemo *o,
			struct omemo_contact *c, uint32_t me, int own,
			struct omemo_send_to *t);
/* Forgets what was learnt about C, so that the next message asks again. */
void omemo_send_forget(struct omemo_contact *c);
/* Encrypts IT for T's devices (T->addr freed) into *OUT: READY, or WAIT
 * when the new session state could not be committed, or DROPPED. */
enum omemo_send_status omemo_send_encrypt(struct account *a, struct omemo *o,
					  const struct store_outbox_item *it,
					  struct omemo_send_to *t,
					  xmpp_stanza_t **out);

/* omemo_pep.c: publish-subscribe requests (XEP-0060/0163) */
/* What an IQ reply callback needs to find its contact and device again. */
struct omemo_req {
	char *jid;
	uint32_t device;
	xmpp_stanza_t *payload; /* a publish: the item's payload */
	char *node;
	int retried; /* a publish already reconfigured the node */
};
struct omemo_req *omemo_pep_req_new(const char *jid, uint32_t device);
void omemo_pep_req_free(struct omemo_req *r);
/* <iq type=get [to]><pubsub><items node [max_items=1]/></pubsub></iq> */
xmpp_stanza_t *omemo_pep_items_iq(struct account *a, const char *to,
				  const char *node, int one);
/* The item of an items result (the one called "current" if several). */
xmpp_stanza_t *omemo_pep_result_item(xmpp_stanza_t *reply);
int omemo_pep_is_result(xmpp_stanza_t *reply);
/* 1 when REPLY is an error with the stanza error condition COND. */
int omemo_pep_error_is(xmpp_stanza_t *reply, const char *cond);
/* Subscribes our bare JID to the device list of TO (NULL: our own), so
 * that its changes are pushed to us (XEP-0060 6.1). */
void omemo_pep_subscribe_list(struct account *a, const char *to);
/* Publishes our bundle as it is now, open to everyone. */
void omemo_pep_publish_bundle(struct account *a);
/* A prekey of ours was used: republish the bundle soon. */
void omemo_pep_bundle_changed(struct account *a);
/* Replaces our signed prekey when it is due (and deletes expired old
 * ones), then checks again every day while the account is online; a new
 * one is published. Called when the account comes online. */
void omemo_pep_spk_check(struct account *a);
/* Our device must be in our (known) list OWN: publishes it added, every
 * other device kept. */
void omemo_pep_own_check(struct account *a, struct omemo_contact *own);

/* omemo_ask.c: the user's decisions */
/* Asks the user about a new device of a verified contact (once). */
void omemo_ask(struct account *a, const char *jid, uint32_t device);
/* 1 when a prompt about a device of JID is open. */
int omemo_ask_pending(struct account *a, const char *jid);
/* Withdraws the account's open prompts. */
void omemo_ask_free(struct account *a);

#endif
