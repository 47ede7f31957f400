/*
 * muc_admin.c: XEP-0045 moderation by the admin IQ (section 8 and 9):
 * kick, ban, voice, a role or an affiliation set on one occupant or JID.
 * The room decides whether we may; its refusal is reported as it came.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "core.h"
#include "event.h"
#include "jid.h"
#include "stanza.h"
#include "ward.h"

#define NS_MUC_ADMIN "http://jabber.org/protocol/muc#admin"

static void
muc_admin_reply(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	char *what = arg, text[400];
	const char *type = reply ? xmpp_stanza_get_type(reply) : NULL, *cond;

	if (reply == NULL) {
		free(what);
		return;
	}
	if (type != NULL && strcmp(type, "result") == 0) {
		snprintf(text, sizeof(text), "done: %.300s", what);
		event_info(a->name, text);
	} else {
		cond = stanza_error_condition(reply);
		snprintf(text, sizeof(text), "the room refused %.300s: %.60s",
			 what, cond != NULL ? cond : "error");
		event_error(a->name, "muc-admin-refused", text);
	}
	free(what);
}

/* A bare JID (an affiliation is set on a bare JID). */
static int
muc_admin_bare(const char *s)
{
	struct jid j;
	int ok;

	if (jid_parse(s, &j) != WARD_OK)
		return 0;
	ok = j.resource == NULL;
	jid_clear(&j);
	return ok;
}

/* ATTR ("role" or "affiliation") = VALUE for the occupant NICK or the JID
 * (by = "nick" or "jid"), with an optional reason. */
int
muc_admin_set(struct account *a, const char *room, const char *by,
	      const char *who, const char *attr, const char *value,
	      const char *reason)
{
	xmpp_stanza_t *iq, *q, *item;
	char *id, *what;

	if (!muc_is_room(a, room) || strchr(room, '/') != NULL) {
		event_error(a->name, "not-in-room", "not in that room");
		return WARD_ERR_NOTFOUND;
	}
	if (strcmp(by, "nick") == 0 ? jid_check_resource(who) != WARD_OK
				    : !muc_admin_bare(who)) {
		event_error(a->name, "invalid-jid",
			    strcmp(by, "nick") == 0 ? "not a valid nick"
						    : "not a valid JID");
		return WARD_ERR_INVAL;
	}
	id = account_new_id(a);
	iq = xmpp_iq_new(a->w->ctx, "set", id);
	free(id);
	xmpp_stanza_set_to(iq, room);
	q = stanza_elem(a->w->ctx, "query", NS_MUC_ADMIN);
	item = stanza_elem(a->w->ctx, "item", NULL);
	xmpp_stanza_set_attribute(item, by, who);
	xmpp_stanza_set_attribute(item, attr, value);
	if (reason != NULL && reason[0] != '\0')
		stanza_add_text_child(item, "reason", reason);
	xmpp_stanza_add_child(q, item);
	xmpp_stanza_release(item);
	xmpp_stanza_add_child(iq, q);
	xmpp_stanza_release(q);
	xasprintf(&what, "%s %s=%s in %s", who, attr, value, room);
	account_send_iq(a, iq, muc_admin_reply, what);
	xmpp_stanza_release(iq);
	return WARD_OK;
}
