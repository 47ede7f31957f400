/*
 * handlers.h: the table of incoming stanzas (who may send what, and which
 * function handles it) and the table of lifecycle hooks (what each feature
 * does when a session starts, resumes, ends, or the account is freed).
 * handlers.c holds both tables; dispatch.c runs them.
 */
#ifndef WARD_HANDLERS_H
#define WARD_HANDLERS_H

#include <stddef.h>
#include <strophe.h>

struct account;

enum handler_kind {
	HANDLER_MESSAGE,
	HANDLER_PRESENCE,
	HANDLER_IQ_GET,
	HANDLER_IQ_SET,
};

/* Who may send a stanza: the sender rule of a table row. */
enum handler_from {
	HANDLER_FROM_ANYONE,
	HANDLER_FROM_SELF,         /* our own bare JID, stated in 'from' */
	HANDLER_FROM_ACCOUNT,      /* our own bare JID, or no 'from' */
	HANDLER_FROM_SERVER,       /* our server: its domain, or no 'from' */
	HANDLER_FROM_CONTACT,      /* an account speaking for itself: a bare
				      JID (a contact's or ours; none: ours) */
	HANDLER_FROM_ARCHIVE,      /* an archive we may query (XEP-0313):
				      ours (our bare JID, or no 'from') or a
				      room's (the bare JID of a room we are
				      in); the handler binds each result to
				      the query, and so to the archive, asked */
	HANDLER_FROM_ROOM,         /* a room we are in (or joining) */
	HANDLER_FROM_ROOM_SERVICE, /* the service that hosts such a room */
	HANDLER_FROM_KNOWN,        /* no stranger (policy_is_stranger): our
				      account (any resource, or no 'from'),
				      our server, or a contact with a
				      subscription from or to us. An IQ
				      refused by it is answered
				      service-unavailable, as an absent
				      resource's would be */
};
#define HANDLER_NFROM (HANDLER_FROM_KNOWN + 1)

/* st: the whole stanza; child: the element that selected the row (NULL
 * for a kind's default route). */
typedef void (*handler_fn)(struct account *a, xmpp_stanza_t *st,
			   xmpp_stanza_t *child);

#define HANDLER_MAX_FEATURES 3

struct handler {
	enum handler_kind kind;
	const char *type; /* message type that selects it (NULL: any) */
	const char *name; /* child element that selects it (NULL: the
			     default route of its kind and type) */
	const char *ns;   /* ... and the child's namespace */
	enum handler_from from;
	/* 1: a sender outside the rule is no forgery, only not this row's:
	 * the next row is tried (a presence from a room or from anyone) */
	int pass;
	const char *what; /* for the log: "carbon from X dropped (...)" */
	handler_fn fn;
	/* disco#info features this row stands for (NULL-terminated) */
	const char *features[HANDLER_MAX_FEATURES];
};

extern const struct handler handlers[];
extern const size_t handlers_n;

/* A PEP push (XEP-0163 <event/>) is taken by the row of its node, with
 * that row's sender rule: the pubsub#event row of handlers[] hands it to
 * pep_event (dispatch.c), which finds the row here. */
struct pep_handler {
	const char *node;
	enum handler_from from;
	const char *what; /* for the log */
	handler_fn fn;    /* child: the <event/> */
};
extern const struct pep_handler pep_handlers[];
extern const size_t pep_handlers_n;
/* The pubsub#event row's handler. */
void pep_event(struct account *a, xmpp_stanza_t *st, xmpp_stanza_t *child);

/* What handlers_dispatch did with a stanza. */
enum handler_result {
	HANDLER_DONE,      /* a row's handler ran */
	HANDLER_DROPPED,   /* refused by a row's sender rule (logged) */
	HANDLER_UNMATCHED, /* no row (an IQ get/set: service-unavailable) */
	HANDLER_REPLY,     /* an IQ result or error, to its waiter */
	HANDLER_IGNORED,   /* malformed (an IQ without type or id) */
};

/* Routes one incoming message, presence or IQ of an established session. */
enum handler_result handlers_dispatch(struct account *a, xmpp_stanza_t *st);
/* 1 when FROM (NULL: no 'from') satisfies RULE for account A. */
int handlers_sender_ok(struct account *a, enum handler_from rule,
		       const char *from);
/* The rule in words, for logs and docs ("only our own bare JID"). */
const char *handlers_from_text(enum handler_from rule);
/*
 * The features the table stands for, sorted (i;octet) without duplicates
 * (XEP-0115 5.1 hashes them in this order): a static array of *n strings.
 */
const char *const *handlers_features(size_t *n);
/* Replies to an IQ get/set: an empty result, or an error of condition
 * COND (type cancel). */
void handlers_iq_result(struct account *a, xmpp_stanza_t *iq);
void handlers_iq_error(struct account *a, xmpp_stanza_t *iq, const char *cond);

/* ---- lifecycle hooks ---- */

enum hook_point {
	HOOK_ONLINE,    /* a new session (resource bound) */
	HOOK_RESUMED,   /* a stream-management resumption succeeded */
	HOOK_KEEPALIVE, /* the keep-alive fires (the link was quiet) */
	HOOK_DOWN,      /* every end of a connection, resumable or not */
	HOOK_OFFLINE,   /* the session is over: nothing left to resume */
	HOOK_FREED,     /* the account is freed (after HOOK_OFFLINE) */
};

struct hook {
	enum hook_point point;
	void (*fn)(struct account *a);
	const char *why; /* why it runs here, in this order */
};

extern const struct hook hooks[];
extern const size_t hooks_n;

/* Runs the hooks of POINT in table order. */
void hooks_run(struct account *a, enum hook_point point);

#endif
