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
	free(q->account);
	free(q->jid);
	free(q);
}

/* Handler: presence type=subscribe from a bare JID (handlers.c). */
void
presence_subscribe(struct account *a, xmpp_stanza_t *st, xmpp_stanza_t *child)
{
	struct presence_ask *q;
	struct event_field extra[1];
	char *text, *bare = jid_bare(xmpp_stanza_get_from(st));

	(void)child;
	if (bare == NULL)
		return;
	q = xcalloc(1, sizeof(*q));
	q->w = a->w;
	q->account = xstrdup(a->name);
	q->jid = bare;
	xasprintf(&text,
		  "%s asks to see your presence (accept: they see it, and "
		  "are asked back)",
		  bare);
	memset(extra, 0, sizeof(extra));
	extra[0].key = "jid";
	extra[0].type = EF_STR;
	extra[0].s = bare;
	prompt_ask(a->w, a->name, "subscription", text, extra, 1,
		   presence_answered, q);
	free(text);
}
