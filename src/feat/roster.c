/*
 * roster.c: the roster. Fetched at each login with the version ward
 * stored (RFC 6121 2.6): a server that says nothing changed sends no item,
 * and the roster comes from ward.db instead; otherwise the items replace
 * the stored ones. Pushes are believed only from the account itself (the
 * handler table's rule) and update the store. Either way one `roster` event per item, then `roster
 * received`.
 */
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "core.h"
#include "event.h"
#include "handlers.h"
#include "jid.h"
#include "stanza.h"
#include "store.h"
#include "ward.h"

#define NS_ROSTER "jabber:iq:roster"
/* Longest version string kept; a longer one is not used. */
#define ROSTER_VER_MAX 1024
#define ROSTER_GROUPS_MAX 64  /* groups kept per contact */
#define ROSTER_GROUP_LEN 1024 /* bytes of a group name kept */
/* The reply's argument when the request gave a version (else NULL). */
static const char roster_gave_ver[] = "ver";

static void
roster_event(struct account *a, const struct store_roster_item *it, int push)
{
	struct event ev;

	event_init(&ev, EV_ROSTER, a->name);
	event_str(&ev, "jid", it->jid);
	event_str(&ev, "name", it->name);
	event_str(&ev, "subscription", it->subscription);
	event_bool(&ev, "push", push);
	event_str(&ev, "groups", it->groups != NULL ? it->groups : "");
	event_emit(&ev);
}

/* The <group/> names of ITEM joined by '\n' (a newline inside a name
 * becomes a space), malloc'd; NULL when it has none. At most
 * ROSTER_GROUPS_MAX groups of ROSTER_GROUP_LEN bytes are kept. */
static char *
roster_groups_of(xmpp_stanza_t *item)
{
	xmpp_stanza_t *g;
	char *all = NULL, *name, *p;
	size_t len = 0, n = 0, l;

	for (g = xmpp_stanza_get_children(item);
	     g != NULL && n < ROSTER_GROUPS_MAX; g = xmpp_stanza_get_next(g)) {
		if (!xmpp_stanza_is_tag(g) ||
		    strcmp(xmpp_stanza_get_name(g), "group") != 0 ||
		    (name = xmpp_stanza_get_text(g)) == NULL)
			continue;
		l = strlen(name);
		if (l == 0 || l > ROSTER_GROUP_LEN) {
			xmpp_free(xmpp_stanza_get_context(g), name);
			continue;
		}
		for (p = name; *p != '\0'; p++)
			if (*p == '\n' || *p == '\r')
				*p = ' ';
		all = xrealloc(all, len + l + 2);
		if (n++ > 0)
			all[len++] = '\n';
		memcpy(all + len, name, l + 1);
		len += l;
		xmpp_free(xmpp_stanza_get_context(g), name);
	}
	return all;
}

/* An <item/> as a store item; 0 when it has no usable JID. it->groups is
 * malloc'd (free it). */
static int
roster_item_of(xmpp_stanza_t *item, struct store_roster_item *it)
{
	const char *sub = xmpp_stanza_get_attribute(item, "subscription");
	struct jid j;
	int ok;

	it->groups = roster_groups_of(item);
	it->jid = xmpp_stanza_get_attribute(item, "jid");
	it->name = xmpp_stanza_get_attribute(item, "name");
	it->subscription = sub != NULL ? sub : "none";
	if (it->jid == NULL || jid_parse(it->jid, &j) != WARD_OK)
		return 0;
	ok = j.resource == NULL; /* roster items are bare JIDs */
	jid_clear(&j);
	return ok;
}

/* The version of a roster QUERY worth keeping, or NULL. */
static const char *
roster_ver_of(struct account *a, xmpp_stanza_t *query)
{
	const char *ver = xmpp_stanza_get_attribute(query, "ver");

	if (!a->rosterver_offered || ver == NULL ||
	    strlen(ver) > ROSTER_VER_MAX)
		return NULL;
	return ver;
}

static int
roster_cached_item(void *arg, const struct store_roster_item *it)
{
	roster_event(arg, it, 0);
	return WARD_OK;
}

static void
roster_received(struct account *a, size_t n, int cached)
{
	struct event ev;

	event_init(&ev, EV_INFO, a->name);
	event_str(&ev, "text", "roster received");
	event_int(&ev, "contacts", (int64_t)n);
	event_bool(&ev, "cached", cached);
	event_emit(&ev);
}

/* The full roster in QUERY: stored (with its version), then reported. */
static void
roster_full(struct account *a, xmpp_stanza_t *query)
{
	struct store_roster_item *items = NULL;
	xmpp_stanza_t *item;
	size_t n = 0, cap = 0, i;

	for (item = xmpp_stanza_get_children(query); item != NULL;
	     item = xmpp_stanza_get_next(item)) {
		if (!xmpp_stanza_is_tag(item) ||
		    strcmp(xmpp_stanza_get_name(item), "item") != 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			items = xrealloc(items, cap * sizeof(*items));
		}
		if (roster_item_of(item, &items[n]) &&
		    strcmp(items[n].subscription, "remove") != 0)
			n++;
		else
			free((char *)items[n].groups);
	}
	ward_txn(a->w);
	if (store_roster_replace(a->w->store, a->name, items, n,
				 roster_ver_of(a, query)) != WARD_OK)
		log_warn("%s: the roster could not be stored", a->name);
	for (i = 0; i < n; i++) {
		roster_event(a, &items[i], 0);
		free((char *)items[i].groups);
	}
	free(items);
	roster_received(a, n, 0);
}

static void
roster_result(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	xmpp_stanza_t *q;
	const char *type;
	size_t n = 0;
	int asked_ver = arg != NULL;

	if (reply == NULL)
		return;
	type = xmpp_stanza_get_type(reply);
	q = xmpp_stanza_get_child_by_name_and_ns(reply, "query", NS_ROSTER);
	if (type != NULL && strcmp(type, "result") == 0 && q != NULL) {
		roster_full(a, q);
		return;
	}
	if (type == NULL || strcmp(type, "result") != 0) {
		/* the server failed: what ward knows is better than nothing */
		log_warn("%s: the roster request failed", a->name);
	} else if (!asked_ver) {
		/* an empty result without a version given means no roster */
		roster_received(a, 0, 0);
		return;
	}
	/* else unchanged since the version we gave (RFC 6121 2.6.3) */
	if (store_roster_each(a->w->store, a->name, roster_cached_item, a,
			      &n) != WARD_OK)
		log_warn("%s: the stored roster could not be read", a->name);
	roster_received(a, n, 1);
}

void
roster_request(struct account *a)
{
	char *id = account_new_id(a), *ver = NULL;
	xmpp_stanza_t *iq = xmpp_iq_new(a->w->ctx, "get", id), *q;

	free(id);
	q = stanza_elem(a->w->ctx, "query", NS_ROSTER);
	if (a->rosterver_offered) {
		/* "" asks for a version with the full roster */
		if (store_roster_ver(a->w->store, a->name, &ver) != WARD_OK)
			ver = NULL;
		xmpp_stanza_set_attribute(q, "ver", ver != NULL ? ver : "");
	}
	stanza_adopt(iq, q);
	account_send_iq(a, iq, roster_result,
			ver != NULL && *ver != '\0' ? (void *)roster_gave_ver
						    : NULL);
	free(ver);
	xmpp_stanza_release(iq);
}

/* RFC 6121 2.1.6: a push not from our account is ignored (the rule of
 * its row in handlers.c); a believed one is stored and answered. */
void
roster_push(struct account *a, xmpp_stanza_t *iq, xmpp_stanza_t *query)
{
	const char *ver;
	struct store_roster_item it;
	xmpp_stanza_t *item;

	ver = roster_ver_of(a, query);
	ward_txn(a->w);
	for (item = xmpp_stanza_get_children(query); item != NULL;
	     item = xmpp_stanza_get_next(item)) {
		if (!xmpp_stanza_is_tag(item) ||
		    strcmp(xmpp_stanza_get_name(item), "item") != 0)
			continue;
		if (!roster_item_of(item, &it)) {
			free((char *)it.groups);
			continue;
		}
		if (store_roster_push(a->w->store, a->name, &it, ver) !=
		    WARD_OK)
			log_warn("%s: a roster push could not be stored",
				 a->name);
		roster_event(a, &it, 1);
		free((char *)it.groups);
	}
	handlers_iq_result(a, iq);
}

void
roster_list(struct account *a)
{
	struct event ev;
	size_t n = 0;

	if (store_roster_each(a->w->store, a->name, roster_cached_item, a,
			      &n) != WARD_OK) {
		event_error(a->name, "storage", "cannot read the roster");
		return;
	}
	event_init(&ev, EV_INFO, a->name);
	event_str(&ev, "text", "roster");
	event_int(&ev, "contacts", (int64_t)n);
	event_emit(&ev);
}

static void
roster_set_result(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	const char *type = reply ? xmpp_stanza_get_type(reply) : NULL;

	(void)arg;
	/* the change itself comes back as a push */
	if (reply != NULL && (type == NULL || strcmp(type, "result") != 0))
		event_error(a->name, "roster-set",
			    "the server refused the roster change");
}

void
roster_set(struct account *a, const char *jid, const char *name,
	   const char *groups, int remove)
{
	char *id = account_new_id(a), *copy, *g, *next;
	xmpp_stanza_t *iq = xmpp_iq_new(a->w->ctx, "set", id), *q, *item;

	free(id);
	q = stanza_elem(a->w->ctx, "query", NS_ROSTER);
	item = stanza_elem(a->w->ctx, "item", NULL);
	xmpp_stanza_set_attribute(item, "jid", jid);
	if (remove)
		xmpp_stanza_set_attribute(item, "subscription", "remove");
	else if (name != NULL && *name != '\0')
		xmpp_stanza_set_attribute(item, "name", name);
	copy = xstrdup(!remove && groups != NULL ? groups : "");
	for (g = copy; g != NULL && *g != '\0'; g = next) {
		next = strchr(g, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (*g == '\0')
			continue;
		stanza_add_text_child(item, "group", g);
	}
	free(copy);
	stanza_adopt(q, item);
	stanza_adopt(iq, q);
	account_send_iq(a, iq, roster_set_result, NULL);
	xmpp_stanza_release(iq);
}

/* roster_find's walk */
struct roster_find {
	const char *jid;
	char *name, *groups;
	int found;
};

static int
roster_find_cb(void *arg, const struct store_roster_item *it)
{
	struct roster_find *f = arg;

	if (!f->found && jid_bare_equal(it->jid, f->jid)) {
		f->found = 1;
		f->name = it->name ? xstrdup(it->name) : NULL;
		f->groups = it->groups ? xstrdup(it->groups) : NULL;
	}
	return WARD_OK;
}

int
roster_find(struct account *a, const char *jid, char **name, char **groups)
{
	struct roster_find f = {jid, NULL, NULL, 0};

	*name = *groups = NULL;
	if (store_roster_each(a->w->store, a->name, roster_find_cb, &f,
			      NULL) != WARD_OK ||
	    !f.found) {
		free(f.name);
		free(f.groups);
		return WARD_ERR_NOTFOUND;
	}
	*name = f.name;
	*groups = f.groups;
	return WARD_OK;
}
