/*
 * bookmarks.c: the user's rooms as XEP-0402 bookmarks, in the account's
 * own PEP node urn:xmpp:bookmarks:1 (published with the whitelist access
 * model: only the account reads it). Fetched at every login, kept current
 * by pushes (accepted only from the account's own bare JID: the row in
 * handlers.c, T52), changed with /bookmark. Autojoin bookmarks are joined
 * through muc_join, so a non-anonymous room still needs the user's yes to
 * the JID-disclosure prompt first (remembered per room, also a no: such a
 * room is not joined again by itself). XEP-0048 bookmarks (storage:
 * bookmarks in private XML storage) are read once and moved to the node.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "core.h"
#include "event.h"
#include "jid.h"
#include "stanza.h"
#include "store.h"
#include "ward.h"

#define NS_BOOKMARKS "urn:xmpp:bookmarks:1"
#define NS_PUBSUB "http://jabber.org/protocol/pubsub"
#define NS_PRIVATE "jabber:iq:private"
#define NS_LEGACY "storage:bookmarks"
#define NS_DATA "jabber:x:data"
#define BOOKMARKS_MAX 256
#define BOOKMARK_NAME_MAX 256
#define KV_MIGRATED "bookmarks-0048-migrated"

struct bookmark {
	char *jid;  /* the room's bare JID */
	char *name; /* may be NULL */
	char *nick; /* may be NULL: the account's local part */
	int autojoin;
	struct bookmark *next;
};

static struct bookmark *
bookmark_find(struct account *a, const char *jid)
{
	struct bookmark *b;

	for (b = a->bookmarks; b != NULL; b = b->next)
		if (jid_bare_equal(b->jid, jid))
			return b;
	return NULL;
}

static void
bookmark_free(struct bookmark *b)
{
	free(b->jid);
	free(b->name);
	free(b->nick);
	free(b);
}

static void
bookmark_remove(struct account *a, const char *jid)
{
	struct bookmark **pp, *b;

	for (pp = &a->bookmarks; *pp != NULL; pp = &(*pp)->next)
		if (jid_bare_equal((*pp)->jid, jid)) {
			b = *pp;
			*pp = b->next;
			bookmark_free(b);
			return;
		}
}

void
bookmarks_free(struct account *a)
{
	struct bookmark *b;

	while ((b = a->bookmarks) != NULL) {
		a->bookmarks = b->next;
		bookmark_free(b);
	}
	a->bookmarks_fetched = 0;
}

static void
bookmark_event(struct account *a, const struct bookmark *b, const char *status)
{
	struct event ev;

	event_init(&ev, EV_BOOKMARK, a->name);
	event_str(&ev, "jid", b->jid);
	event_str(&ev, "name", b->name);
	event_str(&ev, "nick", b->nick);
	event_bool(&ev, "autojoin", b->autojoin);
	event_str(&ev, "status", status);
	event_emit(&ev);
}

/* A room JID as a bookmark names it: bare, with a local part. */
static char *
bookmark_room(const char *jid)
{
	struct jid j;
	char *room = NULL;

	if (jid == NULL || jid_parse(jid, &j) != WARD_OK)
		return NULL;
	if (j.local != NULL && j.resource == NULL)
		room = jid_bare(jid);
	jid_clear(&j);
	return room;
}

static int
bookmark_truth(const char *v)
{
	return v != NULL && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0);
}

/*
 * Adds or changes the bookmark of ROOM from a <conference/> (either
 * namespace: the attributes and <nick/> are the same). Returns the
 * bookmark, NULL when the element is refused; *NEW says it was added,
 * *JOIN that its autojoin was just turned on (or it came with it).
 */
static struct bookmark *
bookmark_take(struct account *a, const char *jid, xmpp_stanza_t *conf,
	      int *added, int *join)
{
	const char *name = xmpp_stanza_get_attribute(conf, "name");
	const char *nick = stanza_child_text(conf, "nick");
	int autojoin =
	    bookmark_truth(xmpp_stanza_get_attribute(conf, "autojoin"));
	struct bookmark *b;
	char *room = bookmark_room(jid);
	size_t n = 0;

	*added = *join = 0;
	if (room == NULL)
		return NULL;
	if (nick != NULL &&
	    (*nick == '\0' || jid_check_resource(nick) != WARD_OK))
		nick = NULL; /* not a usable nick: ours */
	if (name != NULL && strlen(name) > BOOKMARK_NAME_MAX)
		name = NULL;
	if ((b = bookmark_find(a, room)) == NULL) {
		for (b = a->bookmarks; b != NULL; b = b->next)
			n++;
		if (n >= BOOKMARKS_MAX) {
			free(room);
			return NULL;
		}
		b = xcalloc(1, sizeof(*b));
		b->jid = room;
		b->next = a->bookmarks;
		a->bookmarks = b;
		*added = 1;
	} else {
		free(room);
	}
	*join = autojoin && (*added || !b->autojoin);
	free(b->name);
	free(b->nick);
	b->name = name != NULL ? xstrdup(name) : NULL;
	b->nick = nick != NULL ? xstrdup(nick) : NULL;
	b->autojoin = autojoin;
	return b;
}

static char *
bookmark_key(const char *prefix, const char *room)
{
	char *key;

	xasprintf(&key, "%s%s", prefix, room);
	return key;
}

/* Joins B if the user has not said no to it (muc.c asks first when the
 * room would see the account's JID, and remembers the answer). */
static void
bookmark_autojoin(struct account *a, const struct bookmark *b)
{
	char *key, *no = NULL, *arg, *text;

	if (a->state != AS_ONLINE || muc_is_room(a, b->jid))
		return;
	key = bookmark_key("muc-nonanon-no:", b->jid);
	store_kv_get(a->w->store, a->name, key, &no);
	free(key);
	if (no != NULL) {
		free(no);
		xasprintf(&text,
			  "bookmark %s not joined: you declined to show "
			  "the room your address (/join %s to be asked again)",
			  b->jid, b->jid);
		event_info(a->name, text);
		free(text);
		return;
	}
	xasprintf(&arg, "%s/%s", b->jid, b->nick ? b->nick : a->local);
	muc_join(a, arg, NULL, NULL);	/* XEP-0402 2.3: a bookmark's password is deprecated */
	free(arg);
}

/* ---- publishing ---- */

static void
bookmarks_form_field(xmpp_ctx_t *ctx, xmpp_stanza_t *x, const char *var,
		     const char *value)
{
	xmpp_stanza_t *f = stanza_elem(ctx, "field", NULL);

	xmpp_stanza_set_attribute(f, "var", var);
	if (strcmp(var, "FORM_TYPE") == 0)
		xmpp_stanza_set_type(f, "hidden");
	stanza_add_text_child(f, "value", value);
	stanza_adopt(x, f);
}

static void
bookmarks_set_reply(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	char *what = arg, *text;
	const char *type = reply ? xmpp_stanza_get_type(reply) : NULL;

	if (type == NULL || strcmp(type, "result") != 0) {
		xasprintf(&text,
			  "the server did not store the bookmark "
			  "change (%s)",
			  what);
		event_error(a->name, "bookmark-failed", text);
		free(text);
	}
	free(what);
}

/* Publishes B to the node, readable only by the account (XEP-0402 5). */
static int
bookmarks_publish(struct account *a, const struct bookmark *b)
{
	xmpp_ctx_t *ctx = a->w->ctx;
	xmpp_stanza_t *iq, *ps, *pub, *item, *conf, *opts, *x;
	char *id = account_new_id(a), *what;

	iq = xmpp_iq_new(ctx, "set", id);
	free(id);
	ps = stanza_elem(ctx, "pubsub", NS_PUBSUB);
	pub = stanza_elem(ctx, "publish", NULL);
	xmpp_stanza_set_attribute(pub, "node", NS_BOOKMARKS);
	item = stanza_elem(ctx, "item", NULL);
	xmpp_stanza_set_id(item, b->jid);
	conf = stanza_elem(ctx, "conference", NS_BOOKMARKS);
	if (b->name != NULL)
		xmpp_stanza_set_attribute(conf, "name", b->name);
	xmpp_stanza_set_attribute(conf, "autojoin",
				  b->autojoin ? "true" : "false");
	if (b->nick != NULL)
		stanza_add_text_child(conf, "nick", b->nick);
	stanza_adopt(item, conf);
	stanza_adopt(pub, item);
	stanza_adopt(ps, pub);
	opts = stanza_elem(ctx, "publish-options", NULL);
	x = stanza_elem(ctx, "x", NS_DATA);
	xmpp_stanza_set_type(x, "submit");
	bookmarks_form_field(
	    ctx, x, "FORM_TYPE",
	    "http://jabber.org/protocol/pubsub#publish-options");
	bookmarks_form_field(ctx, x, "pubsub#persist_items", "true");
	bookmarks_form_field(ctx, x, "pubsub#max_items", "max");
	bookmarks_form_field(ctx, x, "pubsub#send_last_published_item",
			     "never");
	bookmarks_form_field(ctx, x, "pubsub#access_model", "whitelist");
	stanza_adopt(opts, x);
	stanza_adopt(ps, opts);
	stanza_adopt(iq, ps);
	what = xstrdup(b->jid);
	if (account_send_iq(a, iq, bookmarks_set_reply, what) != WARD_OK) {
		free(what);
		xmpp_stanza_release(iq);
		return WARD_ERR_IO;
	}
	xmpp_stanza_release(iq);
	return WARD_OK;
}

static int
bookmarks_retract(struct account *a, const char *room)
{
	xmpp_ctx_t *ctx = a->w->ctx;
	xmpp_stanza_t *iq, *ps, *ret, *item;
	char *id = account_new_id(a), *what;

	iq = xmpp_iq_new(ctx, "set", id);
	free(id);
	ps = stanza_elem(ctx, "pubsub", NS_PUBSUB);
	ret = stanza_elem(ctx, "retract", NULL);
	xmpp_stanza_set_attribute(ret, "node", NS_BOOKMARKS);
	xmpp_stanza_set_attribute(ret, "notify", "true");
	item = stanza_elem(ctx, "item", NULL);
	xmpp_stanza_set_id(item, room);
	stanza_adopt(ret, item);
	stanza_adopt(ps, ret);
	stanza_adopt(iq, ps);
	what = xstrdup(room);
	if (account_send_iq(a, iq, bookmarks_set_reply, what) != WARD_OK) {
		free(what);
		xmpp_stanza_release(iq);
		return WARD_ERR_IO;
	}
	xmpp_stanza_release(iq);
	return WARD_OK;
}

/* ---- login: fetch, migrate once, autojoin ---- */

static void
bookmarks_autojoin_all(struct account *a)
{
	struct bookmark *b;

	for (b = a->bookmarks; b != NULL; b = b->next)
		if (b->autojoin)
			bookmark_autojoin(a, b);
}

/* XEP-0048 storage came back: what the node lacks is moved to it. */
static void
bookmarks_legacy_reply(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	xmpp_stanza_t *q, *st, *c;
	const char *type;
	struct bookmark *b;
	int added, join, moved = 0;
	char text[80];

	(void)arg;
	if (reply == NULL)
		return; /* the session ended: the next login tries again */
	type = xmpp_stanza_get_type(reply);
	q = xmpp_stanza_get_child_by_name_and_ns(reply, "query", NS_PRIVATE);
	st = q ? xmpp_stanza_get_child_by_name_and_ns(q, "storage", NS_LEGACY)
	       : NULL;
	if (type != NULL && strcmp(type, "result") == 0 && st != NULL) {
		for (c = xmpp_stanza_get_children(st); c != NULL;
		     c = xmpp_stanza_get_next(c)) {
			if (!xmpp_stanza_is_tag(c) ||
			    strcmp(xmpp_stanza_get_name(c), "conference") != 0)
				continue;
			if (bookmark_find(
				a, xmpp_stanza_get_attribute(c, "jid")) != NULL)
				continue; /* the node has it already */
			b = bookmark_take(a,
					  xmpp_stanza_get_attribute(c, "jid"),
					  c, &added, &join);
			if (b == NULL)
				continue;
			bookmarks_publish(a, b);
			bookmark_event(a, b, "added");
			moved++;
		}
	}
	/* read once: an error (no private storage) counts as read */
	store_kv_set(a->w->store, a->name, KV_MIGRATED, "1");
	if (moved > 0) {
		snprintf(text, sizeof(text),
			 "%d bookmark%s moved from XEP-0048 storage", moved,
			 moved == 1 ? "" : "s");
		event_info(a->name, text);
	}
	bookmarks_autojoin_all(a);
}

static void
bookmarks_legacy_fetch(struct account *a)
{
	xmpp_stanza_t *iq, *q;
	char *id = account_new_id(a);

	iq = xmpp_iq_new(a->w->ctx, "get", id);
	free(id);
	q = stanza_elem(a->w->ctx, "query", NS_PRIVATE);
	stanza_adopt(q, stanza_elem(a->w->ctx, "storage", NS_LEGACY));
	stanza_adopt(iq, q);
	account_send_iq(a, iq, bookmarks_legacy_reply, NULL);
	xmpp_stanza_release(iq);
}

/* The items of the node: what the account has bookmarked. */
static void
bookmarks_take_items(struct account *a, xmpp_stanza_t *items,
		     const char *status, int autojoin)
{
	xmpp_stanza_t *item, *conf;
	struct bookmark *b;
	int added, join;

	for (item = xmpp_stanza_get_children(items); item != NULL;
	     item = xmpp_stanza_get_next(item)) {
		if (!xmpp_stanza_is_tag(item))
			continue;
		if (strcmp(xmpp_stanza_get_name(item), "retract") == 0) {
			struct bookmark gone;
			const char *rid = xmpp_stanza_get_id(item);
			if (rid == NULL || bookmark_find(a, rid) == NULL)
				continue;
			memset(&gone, 0, sizeof(gone));
			gone.jid = bookmark_find(a, rid)->jid;
			bookmark_event(a, &gone, "removed");
			bookmark_remove(a, rid);
			continue;
		}
		if (strcmp(xmpp_stanza_get_name(item), "item") != 0)
			continue;
		conf = xmpp_stanza_get_child_by_name_and_ns(item, "conference",
							    NS_BOOKMARKS);
		if (conf == NULL)
			continue;
		b = bookmark_take(a, xmpp_stanza_get_id(item), conf, &added,
				  &join);
		if (b == NULL)
			continue;
		bookmark_event(a, b,
			       status  ? status
			       : added ? "added"
				       : "changed");
		if (autojoin && join)
			bookmark_autojoin(a, b);
	}
}

static void
bookmarks_fetch_reply(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	xmpp_stanza_t *ps, *items;
	const char *type;
	char *migrated = NULL;

	(void)arg;
	if (reply == NULL)
		return;
	type = xmpp_stanza_get_type(reply);
	ps = xmpp_stanza_get_child_by_name_and_ns(reply, "pubsub", NS_PUBSUB);
	items = ps ? xmpp_stanza_get_child_by_name(ps, "items") : NULL;
	bookmarks_free(a);
	a->bookmarks_fetched = 1;
	/* an error is an empty node (item-not-found: never published) */
	if (type != NULL && strcmp(type, "result") == 0 && items != NULL)
		bookmarks_take_items(a, items, "listed", 0);
	if (store_kv_get(a->w->store, a->name, KV_MIGRATED, &migrated) ==
	    WARD_OK) {
		free(migrated);
		bookmarks_autojoin_all(a);
		return;
	}
	bookmarks_legacy_fetch(a); /* once per account: then autojoin */
}

void
bookmarks_online(struct account *a)
{
	xmpp_stanza_t *iq, *ps, *items;
	char *id = account_new_id(a);

	iq = xmpp_iq_new(a->w->ctx, "get", id);
	free(id);
	ps = stanza_elem(a->w->ctx, "pubsub", NS_PUBSUB);
	items = stanza_elem(a->w->ctx, "items", NULL);
	xmpp_stanza_set_attribute(items, "node", NS_BOOKMARKS);
	stanza_adopt(ps, items);
	stanza_adopt(iq, ps);
	account_send_iq(a, iq, bookmarks_fetch_reply, NULL);
	xmpp_stanza_release(iq);
}

/* A push of our node (handlers.c: only from our own bare JID). */
void
bookmarks_event(struct account *a, xmpp_stanza_t *m, xmpp_stanza_t *ev)
{
	xmpp_stanza_t *items = xmpp_stanza_get_child_by_name(ev, "items");
	struct bookmark *b;

	(void)m;
	if (items != NULL) {
		bookmarks_take_items(a, items, NULL, 1);
		return;
	}
	if (xmpp_stanza_get_child_by_name(ev, "purge") != NULL ||
	    xmpp_stanza_get_child_by_name(ev, "delete") != NULL) {
		for (b = a->bookmarks; b != NULL; b = b->next)
			bookmark_event(a, b, "removed");
		bookmarks_free(a);
		a->bookmarks_fetched = 1;
	}
}

/* ---- /bookmark ---- */

static int
bookmarks_list(struct account *a)
{
	struct bookmark *b;
	struct event ev;
	int n = 0;

	for (b = a->bookmarks; b != NULL; b = b->next, n++)
		bookmark_event(a, b, "listed");
	event_init(&ev, EV_INFO, a->name);
	event_str(&ev, "text", "bookmarks");
	event_int(&ev, "bookmarks", n);
	event_bool(&ev, "fetched", a->bookmarks_fetched);
	event_emit(&ev);
	return WARD_OK;
}

int
bookmarks_command(struct account *a, int argc, char **argv)
{
	struct bookmark *b, want;
	char *room;
	int i, rc;

	if (a == NULL) {
		event_error(NULL, "command", "no account configured");
		return WARD_ERR_NOTFOUND;
	}
	if (argc == 0 || strcmp(argv[0], "list") == 0)
		return bookmarks_list(a);
	if ((strcmp(argv[0], "add") != 0 && strcmp(argv[0], "remove") != 0) ||
	    argc < 2) {
		event_error(a->name, "command",
			    "usage: /bookmark [add|remove|list] [ROOM] "
			    "[autojoin] [name NAME] [nick NICK]");
		return WARD_ERR_INVAL;
	}
	if (a->state != AS_ONLINE) {
		event_error(a->name, "not-connected",
			    "bookmarks are kept on the server: connect first");
		return WARD_ERR_AGAIN;
	}
	if ((room = bookmark_room(argv[1])) == NULL) {
		event_error(a->name, "invalid-jid",
			    "a bookmark is a room's bare address, "
			    "ROOM@SERVICE");
		return WARD_ERR_INVAL;
	}
	if (strcmp(argv[0], "remove") == 0) {
		if (argc > 2 || bookmark_find(a, room) == NULL) {
			event_error(a->name, "no-bookmark",
				    "no such bookmark (/bookmark list)");
			free(room);
			return WARD_ERR_NOTFOUND;
		}
		rc = bookmarks_retract(a, room);
		free(room);
		return rc;
	}
	memset(&want, 0, sizeof(want));
	want.jid = room;
	/* a change keeps what it does not name */
	if ((b = bookmark_find(a, room)) != NULL) {
		want.name = b->name;
		want.nick = b->nick;
	}
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "autojoin") == 0) {
			want.autojoin = 1;
		} else if (strcmp(argv[i], "name") == 0 && i + 1 < argc &&
			   strlen(argv[i + 1]) <= BOOKMARK_NAME_MAX) {
			want.name = argv[++i];
		} else if (strcmp(argv[i], "nick") == 0 && i + 1 < argc &&
			   jid_check_resource(argv[i + 1]) == WARD_OK) {
			want.nick = argv[++i];
		} else {
			event_error(a->name, "command",
				    "usage: /bookmark add ROOM [autojoin] "
				    "[name NAME] [nick NICK]");
			free(room);
			return WARD_ERR_INVAL;
		}
	}
	/* the push from our server then updates the list (and joins) */
	rc = bookmarks_publish(a, &want);
	free(room);
	return rc;
}
