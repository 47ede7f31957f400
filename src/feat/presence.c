/*
 * presence.c: our presence and presence subscriptions (RFC 6121). /status
 * and /away broadcast show, status text and priority to the server, which
 * sends them to contacts with a subscription only: never directed to
 * anyone. An incoming subscription request is a `subscription` prompt:
 * accepted (subscribed, and a request back when we do not see them yet),
 * rejected (unsubscribed) or left open; never answered by itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "core.h"
#include "event.h"
#include "jid.h"
#include "prompt.h"
#include "skeleton.h"
#include "stanza.h"
#include "store.h"
#include "ward.h"

static const char *const presence_shows[] = {"online", "chat", "away", "xa",
					     "dnd"};

int
presence_show_ok(const char *show)
{
	size_t i;

	for (i = 0; i < sizeof(presence_shows) / sizeof(presence_shows[0]); i++)
		if (strcmp(show, presence_shows[i]) == 0)
			return 1;
	return 0;
}

void
presence_fill(struct account *a, xmpp_stanza_t *pres)
{
	char prio[16];

	if (a->show != NULL && strcmp(a->show, "online") != 0)
		stanza_add_text_child(pres, "show", a->show);
	if (a->status != NULL && *a->status != '\0')
		stanza_add_text_child(pres, "status", a->status);
	if (a->priority != 0) {
		snprintf(prio, sizeof(prio), "%d", a->priority);
		stanza_add_text_child(pres, "priority", prio);
	}
}

int
presence_set(struct account *a, const char *show, const char *status,
	     int priority)
{
	xmpp_stanza_t *pres;

	if (show != NULL) {
		free(a->show);
		a->show = xstrdup(show);
		free(a->status);
		a->status = status != NULL ? xstrdup(status) : NULL;
	}
	a->priority = priority;
	if (a->state != AS_ONLINE)
		return WARD_OK; /* sent at the next login */
	pres = xmpp_presence_new(a->w->ctx);
	presence_fill(a, pres);
	disco_caps(a, pres);
	account_send(a, pres);
	xmpp_stanza_release(pres);
	return WARD_OK;
}

/* A presence of TYPE (subscribe, subscribed, unsubscribed) to bare JID. */
void
presence_send_type(struct account *a, const char *jid, const char *type)
{
	xmpp_stanza_t *pres = xmpp_presence_new(a->w->ctx);

	xmpp_stanza_set_type(pres, type);
	xmpp_stanza_set_to(pres, jid);
	account_send(a, pres);
	xmpp_stanza_release(pres);
}

/* One open subscription prompt. */
struct presence_ask {
	struct ward *w;
	char *account;
	char *jid;
};

static void
presence_ask_free(void *arg)
{
	struct presence_ask *q = arg;

	free(q->account);
	free(q->jid);
	free(q);
}

static void
presence_answered(void *arg, int accepted)
{
	struct presence_ask *q = arg;
	struct account *a = ward_account(q->w, q->account);
	char *sub = NULL;

	if (a != NULL && a->state == AS_ONLINE) {
		presence_send_type(a, q->jid,
				   accepted ? "subscribed" : "unsubscribed");
		/* ask back when we do not see their presence yet */
		if (accepted &&
		    (store_roster_sub(a->w->store, a->name, q->jid, &sub) !=
			 WARD_OK ||
		     (strcmp(sub, "to") != 0 && strcmp(sub, "both") != 0)))
			presence_send_type(a, q->jid, "subscribe");
		free(sub);
	} else if (a != NULL) {
		event_error(a->name, "not-connected",
			    "not connected: the subscription request was not "
			    "answered");
	}
	presence_ask_free(q);
}

/* The contact a requester's JID looks like (TS #39), found once. */
struct presence_like {
	const char *jid;
	char *like;
};

static int
presence_like_item(void *arg, const struct store_roster_item *it)
{
	struct presence_like *l = arg;

	if (skeleton_collide(l->jid, strlen(l->jid), it->jid,
			     strlen(it->jid)) == 1) {
		l->like = xstrdup(it->jid);
		return 1; /* the first is enough */
	}
	return 0;
}

/* Handler: presence type=subscribe from a bare JID (handlers.c). A JID
 * that looks like a contact's (same TS #39 skeleton, other text), or that
 * mixes scripts never written together, says so in the prompt: the
 * request may come from an impostor of someone the user knows. */
void
presence_subscribe(struct account *a, xmpp_stanza_t *st, xmpp_stanza_t *child)
{
	struct presence_ask *q;
	struct event_field extra[3];
	struct presence_like like;
	const char *s1 = NULL, *s2 = NULL;
	char *text, *warn = NULL, *mixed = NULL,
		    *bare = jid_bare(xmpp_stanza_get_from(st));
	size_t n = 0;

	(void)child;
	if (bare == NULL)
		return;
	q = xcalloc(1, sizeof(*q));
	q->w = a->w;
	q->account = xstrdup(a->name);
	q->jid = bare;
	like.jid = bare;
	like.like = NULL;
	store_roster_each(a->w->store, a->name, presence_like_item, &like,
			  NULL);
	if (skeleton_mixed(bare, strlen(bare), &s1, &s2) == 1 && s1 && s2)
		xasprintf(&mixed, "%s+%s", s1, s2);
	if (like.like != NULL || mixed != NULL)
		xasprintf(
		    &warn, "%s%s%s%s%s%s",
		    like.like ? " WARNING: it looks like your contact " : "",
		    like.like ? like.like : "",
		    like.like ? " but is another address." : "",
		    mixed ? " Its address mixes " : "", mixed ? mixed : "",
		    mixed ? " letters, as look-alikes do." : "");
	xasprintf(&text,
		  "%s asks to see your presence (accept: they see it, and "
		  "are asked back)%s%s",
		  bare, warn ? "." : "", warn ? warn : "");
	memset(extra, 0, sizeof(extra));
	extra[n].key = "jid";
	extra[n].type = EF_STR;
	extra[n++].s = bare;
	if (like.like != NULL) {
		extra[n].key = "lookalike";
		extra[n].type = EF_STR;
		extra[n++].s = like.like;
	}
	if (mixed != NULL) {
		extra[n].key = "mixed_scripts";
		extra[n].type = EF_STR;
		extra[n++].s = mixed;
	}
	prompt_owns_arg(a->w,
			prompt_ask(a->w, a->name, "subscription", text, extra,
				   n, presence_answered, q),
			presence_ask_free);
	if (like.like != NULL || mixed != NULL)
		log_warn("%s: subscription request from %s:%s", a->name, bare,
			 warn);
	free(text);
	free(warn);
	free(mixed);
	free(like.like);
}
