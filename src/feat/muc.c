/*
 * muc.c: group chat (XEP-0045) for an account: joining after a look at the
 * room (a non-anonymous room, where every occupant sees the account's JID,
 * needs the user's explicit yes through a prompt, remembered per room),
 * leaving, rejoining after a new session with the history since the last
 * message seen, self-pings (XEP-0410) to notice a silent loss, and the
 * rooms to rejoin kept in the store across restarts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account.h"
#include "core.h"
#include "dataform.h"
#include "event.h"
#include "jid.h"
#include "chatsec.h"
#include "muc_members.h"
#include "muc_occ.h"
#include "omemo_im.h"
#include "prompt.h"
#include "stanza.h"
#include "store.h"
#include "ward.h"

#define NS_MUC "http://jabber.org/protocol/muc"
#define NS_MUC_USER "http://jabber.org/protocol/muc#user"
#define NS_DISCO_INFO "http://jabber.org/protocol/disco#info"
#define NS_PING "urn:xmpp:ping"
#define NS_MAM "urn:xmpp:mam:2"
#define NS_OCCUPANT_ID "urn:xmpp:occupant-id:0"
#define NS_SID "urn:xmpp:sid:0"
#define NS_STANZAS "urn:ietf:params:xml:ns:xmpp-stanzas"
#define MUC_MAX_ROOMS 256
#define MUC_KV_ROOMS "muc-rooms"

struct muc_room {
	char *jid;		/* bare room JID */
	char *nick;
	int joined;		/* our self-presence arrived */
	int joining;
	int occupant_ids;	/* the room advertises XEP-0421 */
	int subject_seen;	/* the subject ended the join's history */
	int mam;		/* the room has an archive (XEP-0313) */
	int64_t hist_floor;	/* join history: no message before this */
	int discoed;		/* its disco#info was read in this process */
	int members_only;	/* disco: muc_membersonly */
	int non_anonymous;	/* disco: muc_nonanonymous, or status 100/172 */
	int info_fresh;		/* the flags above were learnt in this join */
	int was_private;	/* as last told to omemo_room.c; -1: not yet */
	int stamps_ids;		/* disco: urn:xmpp:sid:0 or MAM */
	char *occupant_id;	/* ours, from our self-presence */
	char *nick_asked;	/* a /nick the room has not answered */
	char *password;		/* secret (XEP-0045 7.2.6): memory only,
				   never logged, never stored; wiped */
	struct dataform *config; /* the owner's form being edited */
	int create;		/* /room create: 1 reserved, 2 instant */
	struct account *a;	/* for prompt callbacks */
	struct muc_room *next;
};

static struct muc_room *
muc_find(struct account *a, const char *jid)
{
	struct muc_room *r;

	for (r = a->rooms; r != NULL; r = r->next)
		if (jid_bare_equal(r->jid, jid))
			return r;
	return NULL;
}

const char *
muc_nick(struct account *a, const char *room)
{
	struct muc_room *r = muc_find(a, room);

	return r != NULL ? r->nick : NULL;
}

/* Writes the rooms to rejoin ("room/nick" lines) to the store. */
static void
muc_save(struct account *a)
{
	struct muc_room *r;
	char *list = xstrdup(""), *next;

	for (r = a->rooms; r != NULL; r = r->next) {
		xasprintf(&next, "%s%s/%s\n", list, r->jid, r->nick);
		free(list);
		list = next;
	}
	if (store_kv_set(a->w->store, a->name, MUC_KV_ROOMS, list) != WARD_OK)
		log_warn("%s: cannot save the room list", a->name);
	free(list);
}

static struct muc_room *
muc_add(struct account *a, const char *room, const char *nick)
{
	struct muc_room *r = xcalloc(1, sizeof(*r));
	size_t n = 0;
	struct muc_room *p;

	for (p = a->rooms; p != NULL; p = p->next)
		n++;
	if (n >= MUC_MAX_ROOMS) {
		free(r);
		return NULL;
	}
	r->jid = jid_bare(room);
	r->nick = xstrdup(nick);
	r->a = a;
	r->was_private = -1;
	r->next = a->rooms;
	a->rooms = r;
	return r;
}

static void
muc_remove(struct account *a, struct muc_room *gone)
{
	struct muc_room **pp;

	for (pp = &a->rooms; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == gone) {
			*pp = gone->next;
			prompt_cancel_arg(a->w, gone);
			muc_mam_forget(a, gone->jid);
			muc_occ_forget(a, gone->jid);
			muc_members_forget(a, gone->jid);
			free(gone->jid);
			free(gone->nick);
			free(gone->occupant_id);
			free(gone->nick_asked);
			freezero_str(gone->password);
			dataform_free(gone->config);
			free(gone);
			return;
		}
	}
}

/* We are out of room R: said once (chat-security), then forgotten. */
static void
muc_gone(struct account *a, struct muc_room *r)
{
	chatsec_room_gone(a, r->jid);
	muc_remove(a, r);
}

/* The time of the newest stored message of a room, for <history since>. */
static int
muc_last_ts_cb(const struct store_msg *m, void *arg)
{
	*(int64_t *)arg = m->ts;
	return 0;
}

static void
muc_send_join(struct account *a, struct muc_room *r)
{
	xmpp_stanza_t *p = xmpp_presence_new(a->w->ctx), *x, *h;
	int64_t last = 0;
	char *to, since[40];
	time_t t;
	struct tm tm;

	xasprintf(&to, "%s/%s", r->jid, r->nick);
	xmpp_stanza_set_to(p, to);
	free(to);
	x = stanza_elem(a->w->ctx, "x", NS_MUC);
	h = stanza_elem(a->w->ctx, "history", NULL);
	if (!r->mam)
		store_history_recent(a->w->store, a->name, r->jid, 1,
		    muc_last_ts_cb, &last);
	if (r->mam) {
		/* its archive after our place, once the join is confirmed
		 * (muc_mam.c): none of the room's own history */
		xmpp_stanza_set_attribute(h, "maxstanzas", "0");
	} else if (last > 0) {
		/* what was said since the last message we have (the same
		 * second again: duplicates are dropped by the store) */
		t = (time_t)(last / 1000);
		gmtime_r(&t, &tm);
		strftime(since, sizeof(since), "%Y-%m-%dT%H:%M:%SZ", &tm);
		xmpp_stanza_set_attribute(h, "since", since);
	} else {
		xmpp_stanza_set_attribute(h, "maxstanzas", "20");
	}
	xmpp_stanza_add_child(x, h);
	xmpp_stanza_release(h);
	if (r->password != NULL)
		stanza_add_text_child(x, "password", r->password);
	xmpp_stanza_add_child(p, x);
	xmpp_stanza_release(x);
	r->joining = 1;
	r->subject_seen = 0;
	r->hist_floor = last;
	muc_occ_rejoin(a, r->jid); /* quiet: only changes are reported */
	account_send(a, p);
	xmpp_stanza_release(p);
}

static void
muc_room_event(struct account *a, const char *room, const char *nick,
    const char *state, const char *text)
{
	struct event ev;

	event_init(&ev, EV_ROOM, a->name);
	event_str(&ev, "room", room);
	event_str(&ev, "nick", nick);
	event_str(&ev, "state", state);
	if (text != NULL)
		event_str(&ev, "text", text);
	event_emit(&ev);
}

static void
muc_nonanon_answer(void *arg, int accepted)
{
	struct muc_room *r = arg;
	struct account *a = r->a;
	char *key;

	/* a no is remembered too: a bookmark does not join the room by
	 * itself again (bookmarks.c); /join asks again */
	xasprintf(&key, "muc-nonanon-no:%s", r->jid);
	if (!accepted)
		store_kv_set(a->w->store, a->name, key, "1");
	else
		store_kv_del(a->w->store, a->name, key);
	free(key);
	if (!accepted) {
		muc_room_event(a, r->jid, r->nick, "not-joined",
		    "you declined: the room would have seen your JID");
		muc_gone(a, r);
		muc_save(a); /* not rejoined at the next login either */
		return;
	}
	xasprintf(&key, "muc-nonanon-ok:%s", r->jid);
	store_kv_set(a->w->store, a->name, key, "1");
	free(key);
	muc_save(a);
	if (a->state == AS_ONLINE)
		muc_send_join(a, r);
}

static const char *muc_error_name(xmpp_stanza_t *p);

static int
muc_has_feature(xmpp_stanza_t *q, const char *var)
{
	return stanza_has_child_attr(q, "feature", "var", var);
}

/* disco#info of the room came back: decide whether to join. */
static void
muc_disco_reply(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	char *room = arg, *key, *ok = NULL, *text;
	struct muc_room *r = muc_find(a, room);
	xmpp_stanza_t *q;
	const char *type;
	struct event_field f[2];
	int known;

	free(room);
	if (reply == NULL || r == NULL)
		return;
	type = xmpp_stanza_get_type(reply);
	q = xmpp_stanza_get_child_by_name_and_ns(reply, "query", NS_DISCO_INFO);
	known = type != NULL && strcmp(type, "result") == 0 && q != NULL;
	if (r->create && known) {
		/* /room create: never take over a room that exists */
		muc_room_event(a, r->jid, r->nick, "error", "the room exists "
		    "already (/join it)");
		event_error(a->name, "muc-room-exists", "that room exists "
		    "already: /join it, or choose another name");
		muc_gone(a, r);
		return;
	}
	if (r->create && type != NULL && strcmp(type, "error") == 0 &&
	    strcmp(muc_error_name(reply), "item-not-found") == 0) {
		/* no such room yet: ours to create; its privacy is ours to
		 * set in the form (and status 100/172 still ask) */
		muc_save(a);
		muc_send_join(a, r);
		return;
	}
	if (known && !muc_has_feature(q, NS_MUC)) {
		muc_room_event(a, r->jid, r->nick, "error", "not a group chat");
		muc_gone(a, r);
		return;
	}
	r->discoed = 1;
	r->mam = known && muc_has_feature(q, NS_MAM);
	r->occupant_ids = known && muc_has_feature(q, NS_OCCUPANT_ID);
	r->members_only = known && muc_has_feature(q, "muc_membersonly");
	r->non_anonymous = known && muc_has_feature(q, "muc_nonanonymous");
	r->info_fresh = 1;
	r->stamps_ids = known && (muc_has_feature(q, "urn:xmpp:sid:0") ||
				  muc_has_feature(q, "urn:xmpp:mam:2"));
	/* a room whose privacy cannot be learned (an error, no answer
	 * in the result) may show our JID: asked as non-anonymous */
	if (!known || muc_has_feature(q, "muc_nonanonymous")) {
		xasprintf(&key, "muc-nonanon-ok:%s", r->jid);
		store_kv_get(a->w->store, a->name, key, &ok);
		free(key);
		if (ok == NULL) {
			if (known)
				xasprintf(&text, "%s is non-anonymous: every "
				    "occupant will see your address %s. Join "
				    "anyway?", r->jid, a->jid);
			else
				xasprintf(&text, "%s did not say whether it "
				    "is anonymous (its service answered with "
				    "an error), so it is treated as "
				    "non-anonymous: every occupant may see "
				    "your address %s. Join anyway?", r->jid,
				    a->jid);
			memset(f, 0, sizeof(f));
			f[0].key = "room";
			f[0].type = EF_STR;
			f[0].s = r->jid;
			f[1].key = "jid_disclosed";
			f[1].type = EF_STR;
			f[1].s = a->jid;
			prompt_ask(a->w, a->name, "muc-nonanonymous", text, f, 2,
			    muc_nonanon_answer, r);
			free(text);
			return;
		}
		free(ok);
	}
	/* semi-anonymous, or a room that does not exist yet (joining
	 * creates it with the server's defaults), or already accepted */
	muc_save(a);
	muc_send_join(a, r);
}

/* Asks the room's disco#info; the answer decides the join. */
static void
muc_disco_send(struct account *a, struct muc_room *r)
{
	xmpp_stanza_t *iq, *q;
	char *id = account_new_id(a), *room = xstrdup(r->jid);

	iq = xmpp_iq_new(a->w->ctx, "get", id);
	free(id);
	xmpp_stanza_set_to(iq, r->jid);
	q = stanza_elem(a->w->ctx, "query", NS_DISCO_INFO);
	xmpp_stanza_add_child(iq, q);
	xmpp_stanza_release(q);
	if (account_send_iq(a, iq, muc_disco_reply, room) != WARD_OK)
		free(room); /* not sent: the next session looks again */
	xmpp_stanza_release(iq);
}

int
muc_join(struct account *a, const char *arg, const char *want_nick,
    const char *password)
{
	struct jid j;
	char *room;
	const char *nick;
	struct muc_room *r;

	if (jid_parse(arg, &j) != WARD_OK || j.local == NULL) {
		event_error(a->name, "invalid-jid", "usage: /join "
		    "ROOM@SERVICE[/NICK] [NICK] [password PASS]");
		return WARD_ERR_INVAL;
	}
	nick = want_nick != NULL ? want_nick : j.resource != NULL ?
	    j.resource : a->local;
	if (jid_check_resource(nick) != WARD_OK) {
		event_error(a->name, "invalid-jid", "not a valid nick");
		jid_clear(&j);
		return WARD_ERR_INVAL;
	}
	xasprintf(&room, "%s@%s", j.local, j.domain);
	if ((r = muc_find(a, room)) != NULL) {
		muc_room_event(a, r->jid, r->nick, r->joined ? "joined" :
		    "joining", "already in this room");
		free(room);
		jid_clear(&j);
		return WARD_OK;
	}
	r = muc_add(a, room, nick);
	jid_clear(&j);
	free(room);
	if (r == NULL) {
		event_error(a->name, "limit", "too many rooms");
		return WARD_ERR_LIMIT;
	}
	if (password != NULL && password[0] != '\0')
		r->password = xstrdup(password);
	/* look before joining: a non-anonymous room needs a yes first */
	muc_disco_send(a, r);
	return WARD_OK;
}

int
muc_leave(struct account *a, const char *room)
{
	struct muc_room *r = room ? muc_find(a, room) : a->rooms;
	xmpp_stanza_t *p;
	char *to;

	if (r == NULL) {
		event_error(a->name, "not-in-room", "not in that room");
		return WARD_ERR_NOTFOUND;
	}
	p = xmpp_presence_new(a->w->ctx);
	xmpp_stanza_set_type(p, "unavailable");
	xasprintf(&to, "%s/%s", r->jid, r->nick);
	xmpp_stanza_set_to(p, to);
	free(to);
	account_send(a, p);
	xmpp_stanza_release(p);
	muc_room_event(a, r->jid, r->nick, "left", NULL);
	muc_gone(a, r);
	muc_save(a);
	return WARD_OK;
}

#define MUC_SUBJECT_MAX 4096 /* bytes of a subject ward sets */

int
muc_set_subject(struct account *a, const char *room, const char *text)
{
	struct muc_room *r = muc_find(a, room);
	xmpp_stanza_t *m;
	char *id;

	if (r == NULL) {
		event_error(a->name, "not-in-room", "not in that room");
		return WARD_ERR_NOTFOUND;
	}
	if (strlen(text) > MUC_SUBJECT_MAX) {
		event_error(a->name, "too-long", "subject longer than 4 KiB");
		return WARD_ERR_LIMIT;
	}
	/* XEP-0045 8.1: a groupchat message with a subject and no body; the
	 * room refuses it (an error bounce) unless we may change it */
	id = account_new_id(a);
	m = xmpp_message_new(a->w->ctx, "groupchat", r->jid, id);
	free(id);
	stanza_add_text_child(m, "subject", text);
	account_send(a, m);
	xmpp_stanza_release(m);
	return WARD_OK;
}

int
muc_subject(struct account *a, xmpp_stanza_t *m, const char *from)
{
	struct muc_room *r;
	const char *subject, *slash;
	struct event ev;

	if ((subject = stanza_child_text(m, "subject")) == NULL ||
	    xmpp_stanza_get_child_by_name(m, "body") != NULL)
		return 0;
	if ((r = muc_find(a, from)) != NULL) {
		r->subject_seen = 1; /* the join's history is over */
		slash = strchr(from, '/');
		event_init(&ev, EV_ROOM, a->name);
		event_str(&ev, "room", r->jid);
		event_str(&ev, "nick", r->nick);
		event_str(&ev, "state", "subject");
		event_str(&ev, "text", subject);
		event_str(&ev, "by", slash != NULL && slash[1] != '\0' ?
		    slash + 1 : NULL);
		event_emit(&ev);
	}
	return 1;
}

/* Loads the rooms to rejoin (once per process). */
static void
muc_load(struct account *a)
{
	char *list = NULL, *line, *save = NULL, *slash;

	if (a->rooms_loaded)
		return;
	a->rooms_loaded = 1;
	if (store_kv_get(a->w->store, a->name, MUC_KV_ROOMS, &list) != WARD_OK)
		return;
	for (line = strtok_r(list, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		slash = strchr(line, '/');
		if (slash == NULL || slash[1] == '\0')
			continue;
		*slash = '\0';
		if (muc_find(a, line) == NULL)
			muc_add(a, line, slash + 1);
	}
	free(list);
}

void
muc_online(struct account *a)
{
	struct muc_room *r;

	muc_load(a);
	for (r = a->rooms; r != NULL; r = r->next) {
		r->joined = 0;
		r->info_fresh = 0; /* looked at again once in */
		if (prompt_waiting_for(a->w, r))
			continue;
		/* a room loaded from the store: look at it again first
		 * (its archive, its privacy now) */
		if (!r->discoed)
			muc_disco_send(a, r);
		else
			muc_send_join(a, r);
	}
}

static void
muc_selfping_reply(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	char *room = arg;
	struct muc_room *r = muc_find(a, room);
	xmpp_stanza_t *err;
	const char *type;

	free(room);
	if (reply == NULL || r == NULL || !r->joined)
		return;
	type = xmpp_stanza_get_type(reply);
	if (type == NULL || strcmp(type, "error") != 0)
		return;		/* still in */
	err = xmpp_stanza_get_child_by_name(reply, "error");
	/* XEP-0410: these two mean "joined, but the client does not
	 * answer pings"; anything else means we are out */
	if (err != NULL && (xmpp_stanza_get_child_by_name_and_ns(err,
	    "service-unavailable", NS_STANZAS) != NULL ||
	    xmpp_stanza_get_child_by_name_and_ns(err, "feature-not-implemented",
	    NS_STANZAS) != NULL))
		return;
	log_info("%s: self-ping says we left %s; rejoining", a->name, r->jid);
	r->joined = 0;
	r->info_fresh = 0;
	muc_send_join(a, r);
}

void
muc_selfping(struct account *a)
{
	struct muc_room *r;
	xmpp_stanza_t *iq, *p;
	char *id, *to;

	for (r = a->rooms; r != NULL; r = r->next) {
		if (!r->joined)
			continue;
		id = account_new_id(a);
		iq = xmpp_iq_new(a->w->ctx, "get", id);
		free(id);
		xasprintf(&to, "%s/%s", r->jid, r->nick);
		xmpp_stanza_set_to(iq, to);
		free(to);
		p = stanza_elem(a->w->ctx, "ping", NS_PING);
		xmpp_stanza_add_child(iq, p);
		xmpp_stanza_release(p);
		account_send_iq(a, iq, muc_selfping_reply, xstrdup(r->jid));
		xmpp_stanza_release(iq);
	}
}

/* Does muc#user x (may be NULL) carry status code 'code'? */
int
muc_status(xmpp_stanza_t *x, const char *code)
{
	return stanza_has_child_attr(x, "status", "code", code);
}

/*
 * Tells group OMEMO (omemo_room.c) whether the room is private, once its
 * privacy is known in this join and whenever it changes.
 */
static void
muc_privacy_update(struct account *a, struct muc_room *r)
{
	int priv = r->members_only && r->non_anonymous;
	int before = r->was_private;

	if (!r->joined || !r->info_fresh || priv == before)
		return;
	r->was_private = priv;
	omemo_room_privacy(a, r->jid, priv, before);
}

/* disco#info of a room we are in, asked again (muc_refresh_info). */
static void
muc_info_reply(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	char *room = arg;
	struct muc_room *r = muc_find(a, room);
	xmpp_stanza_t *q;
	const char *type;
	int known;

	free(room);
	if (reply == NULL || r == NULL)
		return;
	type = xmpp_stanza_get_type(reply);
	q = xmpp_stanza_get_child_by_name_and_ns(reply, "query", NS_DISCO_INFO);
	known = type != NULL && strcmp(type, "result") == 0 && q != NULL;
	/* a room whose privacy cannot be learned is not private: no
	 * OMEMO promised there, and none expected is sent in plaintext */
	r->members_only = known && muc_has_feature(q, "muc_membersonly");
	r->non_anonymous = known && muc_has_feature(q, "muc_nonanonymous");
	r->occupant_ids = known && muc_has_feature(q, NS_OCCUPANT_ID);
	r->info_fresh = 1;
	muc_privacy_update(a, r);
}

/* Looks at the room's disco#info again: after a rejoin, and when the room
 * says its configuration changed (status 104). */
static void
muc_refresh_info(struct account *a, struct muc_room *r)
{
	xmpp_stanza_t *iq, *q;
	char *id = account_new_id(a);

	iq = xmpp_iq_new(a->w->ctx, "get", id);
	free(id);
	xmpp_stanza_set_to(iq, r->jid);
	q = stanza_elem(a->w->ctx, "query", NS_DISCO_INFO);
	stanza_adopt(iq, q);
	account_send_iq(a, iq, muc_info_reply, xstrdup(r->jid));
	xmpp_stanza_release(iq);
}

int
muc_privacy_known(struct account *a, const char *room)
{
	struct muc_room *r = muc_find(a, room);

	return r != NULL && r->joined && r->info_fresh;
}

/* The muc#user items of X (a presence's or an affiliation-change
 * message's): the real JIDs of the room's members. */
static void
muc_members_from(struct account *a, struct muc_room *r, xmpp_stanza_t *x)
{
	xmpp_stanza_t *item;
	const char *jid, *aff;

	for (item = x ? xmpp_stanza_get_children(x) : NULL; item != NULL;
	    item = xmpp_stanza_get_next(item)) {
		if (!xmpp_stanza_is_tag(item) ||
		    strcmp(xmpp_stanza_get_name(item), "item") != 0)
			continue;
		jid = xmpp_stanza_get_attribute(item, "jid");
		aff = xmpp_stanza_get_attribute(item, "affiliation");
		if (jid == NULL || aff == NULL)
			continue;
		muc_members_set(a, r->jid, jid, aff);
		omemo_room_member(a, r->jid, jid);
	}
}

/* The user's answer to a privacy warning: yes stays (and remembers the
 * room as accepted), no leaves. */
static void
muc_privacy_answer(void *arg, int accepted)
{
	struct muc_room *r = arg;
	struct account *a = r->a;
	char *key;

	if (!accepted) {
		muc_leave(a, r->jid);
		return;
	}
	xasprintf(&key, "muc-nonanon-ok:%s", r->jid);
	store_kv_set(a->w->store, a->name, key, "1");
	free(key);
}

/* A warning about the room's privacy (error event, or a prompt). */
static void
muc_privacy_warn(struct account *a, struct muc_room *r, const char *code,
    const char *what)
{
	struct event ev;
	char *text;

	xasprintf(&text, "%s %s; /leave %s to leave it", r->jid, what, r->jid);
	event_init(&ev, EV_ERROR, a->name);
	event_str(&ev, "code", code);
	event_str(&ev, "text", text);
	event_str(&ev, "room", r->jid);
	event_emit(&ev);
	free(text);
}

/*
 * XEP-0045 status codes about the room's privacy, in our self-presence or
 * in a message of the room: 100/172 (our JID is visible) ask whether to
 * stay unless the user already accepted this room as non-anonymous; 170
 * (logging), 173/174 (the room's anonymity changed) are warnings.
 */
static void
muc_privacy_codes(struct account *a, struct muc_room *r, xmpp_stanza_t *x)
{
	struct event_field f[2];
	char *key, *ok = NULL, *text;

	if (x == NULL)
		return;
	if (muc_status(x, "170"))
		muc_privacy_warn(a, r, "muc-logging",
		    "keeps a log of what is said (status 170)");
	if (muc_status(x, "173") || muc_status(x, "174"))
		r->non_anonymous = 0;
	if (muc_status(x, "100") || muc_status(x, "172"))
		r->non_anonymous = 1;
	if (muc_status(x, "104") && r->joined)
		muc_refresh_info(a, r); /* members-only may have changed */
	muc_privacy_update(a, r);
	if (muc_status(x, "173"))
		muc_privacy_warn(a, r, "muc-anonymity-changed",
		    "is now semi-anonymous (status 173)");
	if (muc_status(x, "174"))
		muc_privacy_warn(a, r, "muc-anonymity-changed",
		    "is now fully anonymous (status 174)");
	if (!muc_status(x, "100") && !muc_status(x, "172"))
		return;
	xasprintf(&key, "muc-nonanon-ok:%s", r->jid);
	store_kv_get(a->w->store, a->name, key, &ok);
	free(key);
	if (ok != NULL) {
		free(ok);
		return;		/* the user said yes to this room */
	}
	if (prompt_waiting_for(a->w, r))
		return;
	xasprintf(&text, "%s is %s non-anonymous: every occupant sees your "
	    "address %s. Stay in the room?", r->jid, muc_status(x, "172") ?
	    "now" : "in fact", a->jid);
	memset(f, 0, sizeof(f));
	f[0].key = "room";
	f[0].type = EF_STR;
	f[0].s = r->jid;
	f[1].key = "jid_disclosed";
	f[1].type = EF_STR;
	f[1].s = a->jid;
	prompt_ask(a->w, a->name, "muc-privacy", text, f, 2,
	    muc_privacy_answer, r);
	free(text);
}

int
muc_room_notice(struct account *a, xmpp_stanza_t *m, const char *from)
{
	struct muc_room *r;
	xmpp_stanza_t *x;

	if (strchr(from, '/') != NULL || (r = muc_find(a, from)) == NULL)
		return 0;
	x = xmpp_stanza_get_child_by_name_and_ns(m, "x", NS_MUC_USER);
	if (x == NULL)
		return 0;
	/* XEP-0045 9.3/9.4: an affiliation changed for someone absent */
	muc_members_from(a, r, x);
	if (xmpp_stanza_get_child_by_name(x, "status") == NULL)
		return xmpp_stanza_get_child_by_name(m, "body") == NULL;
	muc_privacy_codes(a, r, x);
	return xmpp_stanza_get_child_by_name(m, "body") == NULL;
}

char *
muc_occupant(struct account *a, const char *jid)
{
	struct jid j;
	struct muc_room *r;
	char *full = NULL;

	if (jid == NULL || jid_parse(jid, &j) != WARD_OK)
		return NULL;
	if (j.local != NULL && j.resource != NULL &&
	    (r = muc_find(a, jid)) != NULL)
		xasprintf(&full, "%s/%s", r->jid, j.resource);
	jid_clear(&j);
	return full;
}

const char *
muc_occupant_id_of(struct account *a, xmpp_stanza_t *m, const char *from)
{
	struct muc_room *r = muc_find(a, from);
	xmpp_stanza_t *c;
	const char *id;

	/* XEP-0421 4: ignored unless the room advertises it (then the
	 * room replaced whatever the sender put there) */
	if (r == NULL || !r->occupant_ids)
		return NULL;
	c = xmpp_stanza_get_child_by_name_and_ns(m, "occupant-id",
	    NS_OCCUPANT_ID);
	id = c ? xmpp_stanza_get_attribute(c, "id") : NULL;
	if (id == NULL || id[0] == '\0' || strlen(id) > 256)
		return NULL;
	return id;
}

const char *
muc_own_occupant_id(struct account *a, const char *room)
{
	struct muc_room *r = muc_find(a, room);

	return r != NULL && r->occupant_ids ? r->occupant_id : NULL;
}

int
muc_is_own(struct account *a, xmpp_stanza_t *m, const char *from)
{
	struct muc_room *r = muc_find(a, from);
	const char *slash = strchr(from, '/'), *id;
	xmpp_stanza_t *c;
	int own = 0;

	if (r == NULL || slash == NULL)
		return 0;
	if ((id = muc_occupant_id_of(a, m, from)) != NULL &&
	    r->occupant_id != NULL) {
		/* XEP-0421: the room stamps it, per real JID; another
		 * occupant's id says no whatever the origin-id says */
		return strcmp(id, r->occupant_id) == 0;
	}
	/* our nick now, and an origin-id we sent to this room: a nick
	 * alone may be an earlier holder's (the room's history) */
	if (strcmp(slash + 1, r->nick) != 0)
		return 0;
	c = xmpp_stanza_get_child_by_name_and_ns(m, "origin-id", NS_SID);
	id = c ? xmpp_stanza_get_attribute(c, "id") : NULL;
	if (id == NULL || store_origin_is_own(a->w->store, a->name, r->jid,
	    id, &own) != WARD_OK)
		return 0;
	return own;
}

int
muc_has_occupant_ids(struct account *a, const char *room)
{
	struct muc_room *r = muc_find(a, room);

	return r != NULL && r->joined && r->occupant_ids;
}

/* Our self-presence: the nick the room gave us (110, 210 when it was
 * rewritten) and our occupant-id. */
static void
muc_self(struct account *a, struct muc_room *r, xmpp_stanza_t *p,
    const char *nick)
{
	xmpp_stanza_t *c;
	const char *id;

	if (nick != NULL && strcmp(nick, r->nick) != 0) {
		free(r->nick);
		r->nick = xstrdup(nick);
		muc_save(a);
	}
	c = xmpp_stanza_get_child_by_name_and_ns(p, "occupant-id",
	    NS_OCCUPANT_ID);
	id = c ? xmpp_stanza_get_attribute(c, "id") : NULL;
	if (r->occupant_ids && id != NULL && id[0] != '\0') {
		free(r->occupant_id);
		r->occupant_id = xstrdup(id);
	}
}

/* The condition of an error presence (or IQ), for people. */
static const char *
muc_error_name(xmpp_stanza_t *p)
{
	const char *cond = stanza_error_condition(p);

	return cond != NULL ? cond : "error";
}

int
muc_change_nick(struct account *a, const char *room, const char *nick)
{
	struct muc_room *r = muc_find(a, room);
	xmpp_stanza_t *p;
	char *to;

	if (r == NULL || !r->joined) {
		event_error(a->name, "not-in-room", "not in that room");
		return WARD_ERR_NOTFOUND;
	}
	if (jid_check_resource(nick) != WARD_OK) {
		event_error(a->name, "invalid-jid", "not a valid nick");
		return WARD_ERR_INVAL;
	}
	/* XEP-0045 7.6: presence to the new occupant JID */
	p = xmpp_presence_new(a->w->ctx);
	xasprintf(&to, "%s/%s", r->jid, nick);
	xmpp_stanza_set_to(p, to);
	free(to);
	free(r->nick_asked);
	r->nick_asked = xstrdup(nick);
	account_send(a, p);
	xmpp_stanza_release(p);
	return WARD_OK;
}

void
muc_presence(struct account *a, xmpp_stanza_t *p, xmpp_stanza_t *child)
{
	const char *from = xmpp_stanza_get_from(p), *type, *nick;
	struct muc_room *r;
	xmpp_stanza_t *x, *item;
	const char *newnick;
	char text[400];
	struct jid j;
	int self;

	(void)child;
	/* handlers.c sends only presences of a room we are in */
	if (from == NULL || (r = muc_find(a, from)) == NULL)
		return;
	if (jid_parse(from, &j) != WARD_OK)
		return;
	nick = j.resource;
	type = xmpp_stanza_get_type(p);
	x = xmpp_stanza_get_child_by_name_and_ns(p, "x", NS_MUC_USER);
	self = muc_status(x, "110") ||
	    (nick != NULL && strcmp(nick, r->nick) == 0);
	if (type == NULL || strcmp(type, "error") != 0) {
		muc_occ_presence(a, r->jid, nick, p, self); /* occupant events */
		muc_members_from(a, r, x);
	}
	if (type != NULL && strcmp(type, "error") == 0 && r->joined &&
	    r->nick_asked != NULL && nick != NULL &&
	    strcmp(nick, r->nick_asked) == 0) {
		/* a refused /nick: we are still in under the old one */
		snprintf(text, sizeof(text), "%.100s kept your nick: %.60s",
		    r->jid, muc_error_name(p));
		event_error(a->name, "muc-nick-failed", text);
		free(r->nick_asked);
		r->nick_asked = NULL;
	} else if (type != NULL && strcmp(type, "error") == 0 &&
	    strcmp(muc_error_name(p), "not-authorized") == 0) {
		/* XEP-0045 7.2.6: error 401, the room wants a password */
		snprintf(text, sizeof(text), "%.100s %s: /join %.100s %.60s "
		    "password PASSWORD", r->jid, r->password != NULL ?
		    "refused the password (wrong password)" : "is "
		    "password-protected", r->jid, r->nick);
		event_error(a->name, r->password != NULL ?
		    "muc-password-wrong" : "muc-password-required", text);
		muc_room_event(a, r->jid, r->nick, "error", text);
		muc_gone(a, r);
		muc_save(a);
	} else if (type != NULL && strcmp(type, "error") == 0) {
		snprintf(text, sizeof(text), "cannot join %.100s: %.60s",
		    r->jid, muc_error_name(p));
		event_error(a->name, "muc-join-failed", text);
		muc_room_event(a, r->jid, r->nick, "error", text);
		muc_gone(a, r);
		muc_save(a);
	} else if (self && type != NULL && strcmp(type, "unavailable") == 0 &&
	    muc_status(x, "303") && (item = xmpp_stanza_get_child_by_name(x,
	    "item")) != NULL && (newnick = xmpp_stanza_get_attribute(item,
	    "nick")) != NULL && jid_check_resource(newnick) == WARD_OK) {
		/* XEP-0045 7.6: our nick changed; the room sends our
		 * presence under the new one next */
		free(r->nick);
		r->nick = xstrdup(newnick);
		free(r->nick_asked);
		r->nick_asked = NULL;
		muc_save(a);
		muc_room_event(a, r->jid, r->nick, "nick", NULL);
	} else if (self && type != NULL && strcmp(type, "unavailable") == 0) {
		int destroyed = x != NULL &&
		    xmpp_stanza_get_child_by_name(x, "destroy") != NULL;
		r->joined = 0;
		muc_room_event(a, r->jid, r->nick, destroyed ? "destroyed" :
		    muc_status(x, "307") ? "kicked" : muc_status(x, "301") ?
		    "banned" : "left", NULL);
		if (destroyed || muc_status(x, "307") ||
		    muc_status(x, "301")) {
			muc_gone(a, r);
			muc_save(a);
		}
	} else if (self) {
		if (muc_status(x, "110"))
			muc_self(a, r, p, nick);
		if (!r->joined) {
			r->joined = 1;
			r->joining = 0;
			if (muc_status(x, "201"))	/* a new room, ours */
				muc_room_event(a, r->jid, r->nick, "created",
				    r->create ? NULL : "your join created it; it "
				    "may stay locked until you configure it: "
				    "/room config, then /room submit");
			muc_room_event(a, r->jid, r->nick, "joined",
			    muc_status(x, "100") ? "this room shows your "
			    "JID to everyone" : NULL);
			if (muc_status(x, "201") && r->create)
				muc_config_created(a, r->jid, r->create == 2);
			r->create = 0;
			if (r->mam)
				muc_mam_joined(a, r->jid);
			r->was_private = -1; /* told again in this join */
			if (!r->info_fresh)
				muc_refresh_info(a, r);
		}
		muc_privacy_codes(a, r, x);
		muc_privacy_update(a, r);
		chatsec_changed(a, r->jid);
	} else {
		struct event ev;
		event_init(&ev, EV_PRESENCE, a->name);
		event_str(&ev, "from", from);
		event_str(&ev, "room", r->jid);
		event_str(&ev, "nick", nick);
		event_str(&ev, "type", type ? type : "available");
		event_str(&ev, "show", stanza_child_text(p, "show"));
		event_str(&ev, "status", stanza_child_text(p, "status"));
		event_emit(&ev);
	}
	jid_clear(&j);
}

int
muc_is_private(struct account *a, const char *room)
{
	struct muc_room *r = muc_find(a, room);

	return r != NULL && r->members_only && r->non_anonymous;
}

struct dataform **
muc_config_slot(struct account *a, const char *room)
{
	struct muc_room *r = room != NULL && strchr(room, '/') == NULL ?
	    muc_find(a, room) : NULL;

	return r != NULL ? &r->config : NULL;
}

int
muc_create(struct account *a, const char *room_nick, int instant)
{
	struct muc_room *r;
	char *room;
	int ret;

	room = jid_bare(room_nick);
	if (room != NULL && muc_find(a, room) != NULL) {
		event_error(a->name, "muc-room-exists", "you are in that room "
		    "already");
		free(room);
		return WARD_ERR_INVAL;
	}
	if ((ret = muc_join(a, room_nick, NULL, NULL)) == WARD_OK &&
	    (r = muc_find(a, room)) != NULL)
		r->create = instant ? 2 : 1;
	free(room);
	return ret;
}

int
muc_is_members_only(struct account *a, const char *room)
{
	struct muc_room *r = muc_find(a, room);

	return r != NULL && r->members_only;
}

const char *
muc_password(struct account *a, const char *room)
{
	struct muc_room *r = muc_find(a, room);

	return r != NULL ? r->password : NULL;
}

int
muc_history_expected(struct account *a, const char *room)
{
	struct muc_room *r = muc_find(a, room);

	return r != NULL && !r->subject_seen;
}

int64_t
muc_history_order(struct account *a, const char *room, int64_t ts)
{
	struct muc_room *r = muc_find(a, room);

	/* rooms stamp whole seconds: a message of the join history never
	 * sorts before what we had, nor before the one the room sent
	 * before it */
	if (r == NULL)
		return ts;
	if (ts < r->hist_floor)
		ts = r->hist_floor;
	r->hist_floor = ts;
	return ts;
}

int
muc_stamps_ids(struct account *a, const char *room)
{
	struct muc_room *r = muc_find(a, room);

	return r != NULL && r->stamps_ids;
}

int
muc_is_room(struct account *a, const char *jid)
{
	return muc_find(a, jid) != NULL;
}

int
muc_is_service(struct account *a, const char *domain)
{
	struct muc_room *r;
	const char *at;

	for (r = a->rooms; r != NULL; r = r->next)
		if ((at = strchr(r->jid, '@')) != NULL &&
		    jid_bare_equal(at + 1, domain))
			return 1;
	return 0;
}

void
muc_free_all(struct account *a)
{
	while (a->rooms != NULL)
		muc_remove(a, a->rooms); /* quiet: the account goes */
}
