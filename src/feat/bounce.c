/*
 * bounce.c: bounced messages (see bounce.h). The bounce's id is believed
 * to name one of our messages only when the account sent a message with
 * that origin-id to the JID the bounce comes from (queued or acknowledged):
 * nobody else can mark another conversation's message failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "bounce.h"
#include "core.h"
#include "event.h"
#include "jid.h"
#include "stanza.h"
#include "store_page.h"
#include "ward.h"

void
bounce_report(struct account *a, xmpp_stanza_t *m)
{
	const char *from = xmpp_stanza_get_from(m), *id = xmpp_stanza_get_id(m);
	const char *cond = stanza_error_condition(m);
	char text[300], *peer = from != NULL ? jid_bare(from) : NULL;
	struct event ev;
	int sent = 0;

	if (peer != NULL && id != NULL &&
	    store_origin_is_own(a->w->store, a->name, peer, id, &sent) != WARD_OK)
		sent = 0;
	snprintf(text, sizeof(text), "message to %.200s bounced%s%.60s",
		 from ? from : "?", cond ? ": " : "", cond ? cond : "");
	event_init(&ev, EV_ERROR, a->name);
	event_str(&ev, "code", "message-error");
	event_str(&ev, "text", text);
	event_str(&ev, "jid", peer);
	event_str(&ev, "id", sent ? id : NULL);
	event_str(&ev, "condition", cond);
	event_emit(&ev);
	free(peer);
}
