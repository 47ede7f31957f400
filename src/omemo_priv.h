/*
 * omemo_priv.h: what omemo_dev.c, omemo_send.c and omemo_recv.c share and
 * nobody else sees: the per-account device cache and the calls between
 * them.
 */
#ifndef WARD_OMEMO_PRIV_H
#define WARD_OMEMO_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "omemo.h"

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
	struct omemo_contact *next;
};

/* The cached contact for JID, created if CREATE. */
struct omemo_contact *omemo_dev_contact(struct account *a, const char *jid,
					int create);
/* Asks for JID's device list (when not known or being fetched). */
void omemo_dev_fetch_list(struct account *a, struct omemo_contact *c);
/* Asks for the bundle of device index I of C. */
void omemo_dev_fetch_bundle(struct account *a, struct omemo_contact *c,
			    size_t i);
/* Asks the user about a new device of a verified contact (once). */
void omemo_dev_ask(struct account *a, const char *jid, uint32_t device);
/* 1 when a prompt about a device of JID is open. */
int omemo_dev_asking(struct account *a, const char *jid);
/* A list older than this is fetched again before a message uses it
 * (pushes come only from contacts whose presence we see). */
#define OMEMO_LIST_MAX_AGE_MS (5 * 60 * 1000)

/* A message came from JID's DEVICE: one the cached list lacks makes the
 * next message fetch the list again. */
void omemo_dev_seen(struct account *a, const char *jid, uint32_t device);
/* An `error` event about JID's chat (and message ID, may be NULL). */
void omemo_dev_error(struct account *a, const char *code, const char *text,
		     const char *jid, const char *id);
/* A prekey of ours was used: republish the bundle soon. */
void omemo_dev_bundle_changed(struct account *a);

#endif
