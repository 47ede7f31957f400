/*
 * cbpin.c: choosing SCRAM mechanism and channel-binding type from an offer,
 * and the one comparison that says whether a login is weaker than the
 * account's pins. Also the XEP-0474 string the server's d= must hash.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbpin.h"
#include "ward.h"

/*
 * Preference, strongest first, and why:
 * - tls-exporter (RFC 9266) binds to this very TLS 1.3 connection's keys,
 *   so a man in the middle with any certificate, even the server's own
 *   key, cannot relay the exchange.
 * - tls-server-end-point (RFC 5929) binds only to the server's
 *   certificate: it defeats a relay with a different (e.g. mis-issued)
 *   certificate, but not one holding the server's key; it is usable on
 *   TLS 1.2 and 1.3 alike.
 * - tls-unique (RFC 5929) binds to the connection, but only on TLS 1.2,
 *   where the triple-handshake attack (RFC 7627) can make two connections
 *   share it; on TLS 1.3 it is undefined and never used.
 */
static const enum cb_type cb_order[] = {CB_EXPORTER, CB_END_POINT, CB_UNIQUE};

static const char *const cb_names[CB_NTYPES] = {
    [CB_NONE] = "none",
    [CB_UNIQUE] = "tls-unique",
    [CB_END_POINT] = "tls-server-end-point",
    [CB_EXPORTER] = "tls-exporter",
};

static const enum scram_hash hash_order[] = {SCRAM_SHA512, SCRAM_SHA256,
					     SCRAM_SHA1};

const char *
cb_type_name(enum cb_type t)
{
	if ((unsigned)t >= CB_NTYPES)
		return NULL;
	return cb_names[t];
}

int
cb_type_parse(const char *name, enum cb_type *t)
{
	unsigned i;

	for (i = 0; name != NULL && i < CB_NTYPES; i++) {
		if (strcmp(name, cb_names[i]) == 0) {
			*t = (enum cb_type)i;
			return WARD_OK;
		}
	}
	return WARD_ERR_NOTFOUND;
}

/* Parses a mechanism name; WARD_ERR_NOTFOUND when it is no SCRAM ward has. */
static int
cbpin_mech_parse(const char *name, enum scram_hash *hash, int *plus)
{
	size_t i;
	int p;

	for (i = 0; name != NULL && i < sizeof(hash_order) / sizeof(*hash_order);
	     i++) {
		for (p = 0; p <= 1; p++) {
			if (strcmp(name, scram_mech_name(hash_order[i], p)) ==
			    0) {
				*hash = hash_order[i];
				*plus = p;
				return WARD_OK;
			}
		}
	}
	return WARD_ERR_NOTFOUND;
}

void
cbpin_offer_mech(struct cbpin_offer *o, const char *name)
{
	enum scram_hash hash;
	int plus;

	if (cbpin_mech_parse(name, &hash, &plus) == WARD_OK)
		o->mechs |= CBPIN_MECH_BIT(hash, plus);
}

void
cbpin_offer_cb(struct cbpin_offer *o, const char *type)
{
	enum cb_type t;

	if (cb_type_parse(type, &t) == WARD_OK && t != CB_NONE)
		o->cb_types |= CB_BIT(t);
}

/* The binding types ward will compute on this session. */
static unsigned
cbpin_local_types(int tls13)
{
	if (tls13)
		return CB_BIT(CB_EXPORTER) | CB_BIT(CB_END_POINT);
	return CB_BIT(CB_UNIQUE) | CB_BIT(CB_END_POINT);
}

/* The strongest hash offered with or without -PLUS; 0 when none. */
static int
cbpin_best_hash(const struct cbpin_offer *o, int plus, enum scram_hash *hash)
{
	size_t i;

	for (i = 0; i < sizeof(hash_order) / sizeof(*hash_order); i++) {
		if (o->mechs & CBPIN_MECH_BIT(hash_order[i], plus)) {
			*hash = hash_order[i];
			return 1;
		}
	}
	return 0;
}

int
cbpin_choose(const struct cbpin_offer *o, struct cbpin_choice *c)
{
	enum scram_hash hash;
	unsigned server, usable;
	size_t i;

	if (o == NULL || c == NULL)
		return WARD_ERR_INVAL;
	if (cbpin_best_hash(o, 1, &hash)) {
		/* Without XEP-0440 a server's -PLUS means tls-unique, the
		 * only type RFC 6120-era servers implement. */
		server = o->xep0440 ? o->cb_types : CB_BIT(CB_UNIQUE);
		usable = server & cbpin_local_types(o->tls13);
		for (i = 0; i < sizeof(cb_order) / sizeof(*cb_order); i++) {
			if (usable & CB_BIT(cb_order[i])) {
				c->hash = hash;
				c->plus = 1;
				c->cb = cb_order[i];
				return WARD_OK;
			}
		}
		return WARD_ERR_POLICY;
	}
	if (!cbpin_best_hash(o, 0, &hash))
		return WARD_ERR_NOTFOUND;
	c->hash = hash;
	c->plus = 0;
	c->cb = CB_NONE;
	return WARD_OK;
}

int
cbpin_weaker(const struct cbpin_pin *pin, const struct cbpin_offer *o,
	     const struct cbpin_choice *c, char *why, size_t whylen)
{
	const char *was = scram_mech_name(pin->hash, pin->plus);
	const char *now = scram_mech_name(c->hash, c->plus);
	unsigned lost;
	char adv[CBPIN_ADV_MAX];

	if (whylen > 0)
		why[0] = '\0';
	if (!pin->set)
		return 0;
	if (pin->plus && !c->plus) {
		snprintf(why, whylen, "the server no longer offers channel "
		    "binding (%s offered; %s with %s was used before)", now,
		    was, cb_type_name(pin->cb));
		return 1;
	}
	if (c->cb < pin->cb) {
		snprintf(why, whylen, "weaker channel binding: %s offered, %s "
		    "was used before", cb_type_name(c->cb),
		    cb_type_name(pin->cb));
		return 1;
	}
	if (c->hash < pin->hash) {
		snprintf(why, whylen, "weaker SCRAM hash: %s offered, %s was "
		    "used before", now, was);
		return 1;
	}
	lost = pin->advertised & ~(o->xep0440 ? o->cb_types : 0u);
	if (lost != 0) {
		cbpin_adv_string(lost, adv, sizeof(adv));
		snprintf(why, whylen, "the server no longer advertises the "
		    "channel-binding types %s (XEP-0440)", adv);
		return 1;
	}
	return 0;
}

void
cbpin_pin_parse(const char *mech, const char *cb, const char *adv,
		struct cbpin_pin *pin)
{
	const char *p, *comma;
	char name[32];
	enum cb_type t;
	size_t len;

	memset(pin, 0, sizeof(*pin));
	if (mech == NULL && cb == NULL && adv == NULL)
		return;
	pin->set = 1;
	pin->hash = SCRAM_SHA1;
	if (mech != NULL &&
	    cbpin_mech_parse(mech, &pin->hash, &pin->plus) != WARD_OK) {
		pin->hash = SCRAM_SHA512; /* unreadable: the strongest */
		pin->plus = 1;
	}
	if (cb != NULL) {
		if (cb_type_parse(cb, &pin->cb) != WARD_OK)
			pin->cb = CB_EXPORTER;
		if (pin->cb != CB_NONE)
			pin->plus = 1;
	}
	if (adv == NULL || strcmp(adv, "none") == 0)
		return;
	for (p = adv; *p != '\0'; p = *comma ? comma + 1 : comma) {
		comma = strchr(p, ',');
		if (comma == NULL)
			comma = p + strlen(p);
		len = (size_t)(comma - p);
		if (len < sizeof(name)) {
			memcpy(name, p, len);
			name[len] = '\0';
			if (cb_type_parse(name, &t) == WARD_OK && t != CB_NONE) {
				pin->advertised |= CB_BIT(t);
				continue;
			}
		}
		/* unreadable: every type */
		pin->advertised |= CB_BIT(CB_UNIQUE) | CB_BIT(CB_END_POINT) |
		    CB_BIT(CB_EXPORTER);
	}
}

void
cbpin_adv_string(unsigned cb_types, char *buf, size_t len)
{
	size_t i, o = 0;
	int n;

	if (len == 0)
		return;
	buf[0] = '\0';
	for (i = 0; i < sizeof(cb_order) / sizeof(*cb_order); i++) {
		if (!(cb_types & CB_BIT(cb_order[i])))
			continue;
		n = snprintf(buf + o, len - o, "%s%s", o ? "," : "",
		    cb_names[cb_order[i]]);
		if (n < 0 || (size_t)n >= len - o) {
			buf[o] = '\0'; /* no partial name */
			break;
		}
		o += (size_t)n;
	}
	if (o == 0)
		snprintf(buf, len, "none");
}

static int
cbpin_strcmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Appends the sorted, ','-joined list to out at *o; 0 on overflow. */
static int
cbpin_join_sorted(const char *const *in, size_t n, char *out, size_t max,
		  size_t *o)
{
	const char **v;
	size_t i, k = 0, l;

	if (n == 0)
		return 1;
	if ((v = calloc(n, sizeof(*v))) == NULL)
		return 0;
	for (i = 0; i < n; i++)
		if (in[i] != NULL)
			v[k++] = in[i];
	qsort(v, k, sizeof(*v), cbpin_strcmp);
	for (i = 0; i < k; i++) {
		l = strlen(v[i]);
		if (l + 1 > max - *o) {
			free(v);
			return 0;
		}
		if (i > 0)
			out[(*o)++] = ',';
		memcpy(out + *o, v[i], l);
		*o += l;
	}
	out[*o] = '\0';
	free(v);
	return 1;
}

char *
cbpin_ssdp_string(const char *const *names, size_t nnames,
		  const char *const *types, size_t ntypes)
{
	size_t i, max = 2, o = 0;
	char *out;

	for (i = 0; i < nnames; i++)
		max += (names[i] ? strlen(names[i]) : 0) + 1;
	for (i = 0; i < ntypes; i++)
		max += (types[i] ? strlen(types[i]) : 0) + 1;
	if ((out = malloc(max)) == NULL)
		return NULL;
	out[0] = '\0';
	if (!cbpin_join_sorted(names, nnames, out, max, &o))
		goto fail;
	if (ntypes > 0) {
		out[o++] = '|';
		out[o] = '\0';
		if (!cbpin_join_sorted(types, ntypes, out, max, &o))
			goto fail;
	}
	return out;
fail:
	free(out);
	return NULL;
}
