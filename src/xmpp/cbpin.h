/*
 * cbpin.h: which SCRAM mechanism and channel-binding type to use with a
 * server's offer, and whether that is weaker than what was pinned for the
 * account (the strongest ever completed). Pure logic, no I/O.
 */
#ifndef WARD_CBPIN_H
#define WARD_CBPIN_H

#include <stddef.h>

#include "scram.h"

/* Channel-binding types, in ward's order of preference (see cbpin.c). */
enum cb_type {
	CB_NONE = 0,
	CB_UNIQUE = 1,	   /* tls-unique (RFC 5929), TLS 1.2 only */
	CB_END_POINT = 2,  /* tls-server-end-point (RFC 5929) */
	CB_EXPORTER = 3,   /* tls-exporter (RFC 9266), TLS 1.3 */
};
#define CB_NTYPES 4
#define CB_BIT(t) (1u << (t))

/* A server's offer after STARTTLS / direct TLS, as ward read it. */
struct cbpin_offer {
	unsigned mechs;	    /* CBPIN_MECH_BIT(hash, plus) of SCRAM offered */
	int xep0440;	    /* <sasl-channel-binding/> was present */
	unsigned cb_types;  /* CB_BIT() of the known types it advertised */
	int tls13;	    /* the session is TLS 1.3 */
};
#define CBPIN_MECH_BIT(hash, plus) (1u << ((unsigned)(hash) * 2 + !!(plus)))

/* What to authenticate with. */
struct cbpin_choice {
	enum scram_hash hash;
	int plus;
	enum cb_type cb;    /* CB_NONE unless plus */
};

/* The account's pins (store kinds "sasl-mech", "cb-type",
 * "cb-types-advertised"); set = 0 when nothing was pinned yet. */
struct cbpin_pin {
	int set;
	enum scram_hash hash;
	int plus;
	enum cb_type cb;
	unsigned advertised; /* CB_BIT() of XEP-0440 types seen */
};

/* "tls-exporter", ..., "none" (static), NULL for a bad value. */
const char *cb_type_name(enum cb_type t);
/* WARD_OK with *t set, WARD_ERR_NOTFOUND for an unknown name. */
int cb_type_parse(const char *name, enum cb_type *t);

/* Adds one <mechanism> name / one XEP-0440 type to an offer (unknown
 * names are ignored: ward never uses them). */
void cbpin_offer_mech(struct cbpin_offer *o, const char *name);
void cbpin_offer_cb(struct cbpin_offer *o, const char *type);

/*
 * Picks the strongest SCRAM the offer allows: a -PLUS mechanism whenever
 * the server offers one and a binding type usable on this session exists
 * (never tls-unique on TLS 1.3, never tls-exporter below it); otherwise
 * the strongest plain SCRAM (sent with gs2 flag "y"). Returns WARD_OK,
 * WARD_ERR_NOTFOUND (no SCRAM offered) or WARD_ERR_POLICY (the server
 * offers -PLUS only with a binding ward refuses here, e.g. tls-unique on
 * TLS 1.3: taking the plain mechanism would silently drop the binding).
 */
int cbpin_choose(const struct cbpin_offer *o, struct cbpin_choice *c);

/*
 * THE decision: is logging in with c, on offer o, weaker than pin? It is
 * when any one part is weaker: -PLUS pinned but not used, a weaker
 * binding type, a weaker hash, or XEP-0440 types advertised before that
 * are missing now. Returns 0 (not weaker: go on) or 1 (a downgrade; why
 * gets a one-line explanation). No pin set: 0.
 */
int cbpin_weaker(const struct cbpin_pin *pin, const struct cbpin_offer *o,
		 const struct cbpin_choice *c, char *why, size_t whylen);

/*
 * Pins from the stored strings (any may be NULL: not stored). A value ward
 * cannot read pins the strongest setting (fails closed).
 */
void cbpin_pin_parse(const char *mech, const char *cb, const char *adv,
		     struct cbpin_pin *pin);
/* The string stored as "cb-types-advertised": known types, comma-separated
 * in preference order, or "none". buf needs CBPIN_ADV_MAX bytes. */
#define CBPIN_ADV_MAX 64
void cbpin_adv_string(unsigned cb_types, char *buf, size_t len);

/*
 * XEP-0474 input: the offered mechanism names sorted (byte order) and
 * joined with ',', then, when XEP-0440 types were advertised, '|' and the
 * types sorted and joined with ','. names/types as received (all of them,
 * known or not; NULLs skipped). Returns a malloc'd string or NULL.
 */
char *cbpin_ssdp_string(const char *const *names, size_t nnames,
			const char *const *types, size_t ntypes);

#endif
