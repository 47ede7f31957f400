/*
 * muc_occ.c: room occupants (see muc_occ.h). muc.c hands every room
 * presence here; this file keeps the list per account and room and says
 * what changed as `occupant` events. The existing `presence` and `room`
 * events are muc.c's and stay as they were.
 */
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "event.h"
#include "jid.h"
#include "muc_occ.h"
#include "stanza.h"
#include "ward.h"

#define NS_MUC_USER "http://jabber.org/protocol/muc#user"

struct muc_occupant {
	char *nick;
	char *jid; /* the real JID when the room shows it; NULL otherwise */
	char *role, *affiliation;
	int self;
	int stale;     /* known from before a rejoin, not confirmed yet */
	int64_t since; /* this presence session's token: a nick left and
			  taken again, or unconfirmed across our rejoin, is
			  a new session (the sender rule of msgrule.c) */
};

/* A token never given before in this process (ms since the epoch, then
 * counting up): a session that ended never matches a new one, also
 * across restarts. */
static int64_t
muc_occ_token(void)
{
	static int64_t last;
	int64_t t = wall_ms();

	last = t > last ? t : last + 1;
	return last;
}

struct muc_occ_room {
	struct account *a;
	char *room; /* bare */
	struct muc_occupant *v;
	size_t n, cap;
	int full_logged;
	struct muc_occ_room *next;
};

static struct muc_occ_room *muc_occ_rooms; /* global: every account's */

static struct muc_occ_room *
muc_occ_room(struct account *a, const char *room, int create)
{
	struct muc_occ_room *r;

	for (r = muc_occ_rooms; r != NULL; r = r->next)
		if (r->a == a && jid_bare_equal(r->room, room))
			return r;
	if (!create)
		return NULL;
	r = xcalloc(1, sizeof(*r));
	r->a = a;
	r->room = jid_bare(room);
	if (r->room == NULL)
		r->room = xstrdup(room);
	r->next = muc_occ_rooms;
	muc_occ_rooms = r;
	return r;
}

static void
muc_occ_clear(struct muc_occupant *o)
{
	free(o->nick);
	free(o->jid);
	free(o->role);
	free(o->affiliation);
	memset(o, 0, sizeof(*o));
}

static struct muc_occupant *
muc_occ_find(struct muc_occ_room *r, const char *nick)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->v[i].nick, nick) == 0)
			return &r->v[i];
	return NULL;
}

static void
muc_occ_remove(struct muc_occ_room *r, struct muc_occupant *o)
{
	muc_occ_clear(o);
	*o = r->v[--r->n]; /* order does not matter */
}

/* One `occupant` event; NEW_NICK, REASON and BY only where they apply. */
static void
muc_occ_event(struct muc_occ_room *r, const struct muc_occupant *o,
	      const char *status, const char *new_nick, const char *reason,
	      const char *by)
{
	struct event ev;

	event_init(&ev, EV_OCCUPANT, r->a->name);
	event_str(&ev, "room", r->room);
	event_str(&ev, "nick", o->nick);
	event_str(&ev, "status", status);
	event_str(&ev, "role", o->role);
	event_str(&ev, "affiliation", o->affiliation);
	event_str(&ev, "jid", o->jid);
	event_bool(&ev, "self", o->self);
	if (new_nick != NULL)
		event_str(&ev, "new_nick", new_nick);
	if (strcmp(status, "kicked") == 0 || strcmp(status, "banned") == 0 ||
	    strcmp(status, "left") == 0) {
		event_str(&ev, "reason", reason);
		event_str(&ev, "by", by);
	}
	event_emit(&ev);
}

/* 1 when S differs from the copy in *KEPT (which is replaced). */
static int
muc_occ_set(char **kept, const char *s)
{
	if ((*kept == NULL && s == NULL) ||
	    (*kept != NULL && s != NULL && strcmp(*kept, s) == 0))
		return 0;
	free(*kept);
	*kept = s != NULL ? xstrdup(s) : NULL;
	return 1;
}

/* Our own presence ended the room's list: who was not confirmed left. */
static void
muc_occ_sweep(struct muc_occ_room *r)
{
	size_t i = 0;

	while (i < r->n) {
		if (!r->v[i].stale) {
			i++;
			continue;
		}
		muc_occ_event(r, &r->v[i], "left", NULL, NULL, NULL);
		muc_occ_remove(r, &r->v[i]);
	}
}

/* ROOM/NICK left (or changed nick); 1 when it is gone from the list. */
static int
muc_occ_gone(struct muc_occ_room *r, struct muc_occupant *o, xmpp_stanza_t *x,
	     xmpp_stanza_t *item)
{
	xmpp_stanza_t *actor;
	const char *reason = NULL, *by = NULL, *new_nick = NULL;

	if (item != NULL) {
		reason = stanza_child_text(item, "reason");
		actor = xmpp_stanza_get_child_by_name(item, "actor");
		by = actor ? xmpp_stanza_get_attribute(actor, "nick") : NULL;
		new_nick = xmpp_stanza_get_attribute(item, "nick");
	}
	if (muc_status(x, "303") && new_nick != NULL && *new_nick != '\0' &&
	    muc_occ_find(r, new_nick) == NULL) {
		muc_occ_event(r, o, "nick-changed", new_nick, NULL, NULL);
		free(o->nick);
		o->nick = xstrdup(new_nick);
		return 0; /* the new nick's presence follows */
	}
	muc_occ_event(r, o,
		      muc_status(x, "307")   ? "kicked"
		      : muc_status(x, "301") ? "banned"
					     : "left",
		      NULL, reason, by);
	muc_occ_remove(r, o);
	return 1;
}

void
muc_occ_presence(struct account *a, const char *room, const char *nick,
		 xmpp_stanza_t *p, int self)
{
	struct muc_occ_room *r;
	struct muc_occupant *o;
	xmpp_stanza_t *x, *item;
	const char *type = xmpp_stanza_get_type(p), *jid = NULL;
	const char *role = NULL, *aff = NULL;
	int changed;

	if (nick == NULL || *nick == '\0')
		return;
	x = xmpp_stanza_get_child_by_name_and_ns(p, "x", NS_MUC_USER);
	item = x ? xmpp_stanza_get_child_by_name(x, "item") : NULL;
	if (item != NULL) {
		jid = xmpp_stanza_get_attribute(item, "jid");
		role = xmpp_stanza_get_attribute(item, "role");
		aff = xmpp_stanza_get_attribute(item, "affiliation");
	}
	r = muc_occ_room(a, room, 1);
	o = muc_occ_find(r, nick);
	if (type != NULL && strcmp(type, "unavailable") == 0) {
		/* out ourselves: nobody else there is known any more */
		if (o != NULL && muc_occ_gone(r, o, x, item) && self)
			muc_occ_forget(a, room);
		return;
	}
	if (type != NULL)
		return; /* subscription types are not room presence */
	if (o == NULL) {
		if (r->n >= MUC_OCC_MAX) {
			if (!r->full_logged++)
				log_warn(
				    "%s: more than %d occupants in %s: the "
				    "rest are not listed",
				    a->name, MUC_OCC_MAX, r->room);
			return;
		}
		if (r->n == r->cap) {
			r->cap = r->cap ? r->cap * 2 : 16;
			r->v = xrealloc(r->v, r->cap * sizeof(*r->v));
		}
		o = &r->v[r->n++];
		memset(o, 0, sizeof(*o));
		o->nick = xstrdup(nick);
		o->jid = jid ? xstrdup(jid) : NULL;
		o->role = role ? xstrdup(role) : NULL;
		o->affiliation = aff ? xstrdup(aff) : NULL;
		o->self = self;
		o->since = muc_occ_token();
		muc_occ_event(r, o, "joined", NULL, NULL, NULL);
	} else {
		changed = muc_occ_set(&o->role, role);
		changed |= muc_occ_set(&o->affiliation, aff);
		changed |= muc_occ_set(&o->jid, jid);
		if (o->stale) /* maybe someone else under the nick now */
			o->since = muc_occ_token();
		o->stale = 0;
		o->self = self;
		if (changed)
			muc_occ_event(r, o, "changed", NULL, NULL, NULL);
	}
	if (self)
		muc_occ_sweep(r);
}

int64_t
muc_occ_session(struct account *a, const char *room, const char *nick)
{
	struct muc_occ_room *r = muc_occ_room(a, room, 0);
	struct muc_occupant *o = r && nick ? muc_occ_find(r, nick) : NULL;

	return o != NULL && !o->stale ? o->since : 0;
}

void
muc_occ_rejoin(struct account *a, const char *room)
{
	struct muc_occ_room *r = muc_occ_room(a, room, 0);
	size_t i;

	for (i = 0; r != NULL && i < r->n; i++)
		r->v[i].stale = 1;
}

void
muc_occ_forget(struct account *a, const char *room)
{
	struct muc_occ_room **pp, *r;
	size_t i;

	for (pp = &muc_occ_rooms; (r = *pp) != NULL; pp = &r->next) {
		if (r->a != a || !jid_bare_equal(r->room, room))
			continue;
		*pp = r->next;
		for (i = 0; i < r->n; i++)
			muc_occ_clear(&r->v[i]);
		free(r->v);
		free(r->room);
		free(r);
		return;
	}
}

int
muc_occ_list(struct account *a, const char *room)
{
	struct muc_occ_room *r;
	struct event ev;
	size_t i;
	char *bare;

	if (!muc_is_room(a, room)) {
		event_error(a->name, "not-in-room", "not in that room");
		return WARD_ERR_NOTFOUND;
	}
	r = muc_occ_room(a, room, 0);
	for (i = 0; r != NULL && i < r->n; i++)
		muc_occ_event(r, &r->v[i], "present", NULL, NULL, NULL);
	bare = jid_bare(room);
	event_init(&ev, EV_INFO, a->name);
	event_str(&ev, "text", "occupants");
	event_str(&ev, "room", bare);
	event_int(&ev, "occupants", r != NULL ? (long long)r->n : 0);
	event_emit(&ev);
	free(bare);
	return WARD_OK;
}

const char *
muc_occ_real_jid(struct account *a, const char *occupant)
{
	struct muc_occ_room *r;
	struct muc_occupant *o;
	const char *slash = occupant ? strchr(occupant, '/') : NULL;

	if (slash == NULL || (r = muc_occ_room(a, occupant, 0)) == NULL ||
	    (o = muc_occ_find(r, slash + 1)) == NULL)
		return NULL;
	return o->jid;
}

void
muc_occ_each_jid(struct account *a, const char *room,
		 void (*fn)(const char *jid, void *arg), void *arg)
{
	struct muc_occ_room *r = muc_occ_room(a, room, 0);
	size_t i;

	for (i = 0; r != NULL && i < r->n; i++)
		if (r->v[i].jid != NULL)
			fn(r->v[i].jid, arg);
}
