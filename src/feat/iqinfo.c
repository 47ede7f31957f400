/*
 * iqinfo.c: what a contact may ask about this client: its software version
 * (XEP-0092: "ward" and its version, never the OS) and its local time
 * (XEP-0202, UTC with a zero offset: the time zone is not told). Their rows
 * in handlers.c let no stranger ask (HANDLER_FROM_KNOWN).
 */
#include <time.h>

#include "account.h"
#include "core.h"
#include "stanza.h"
#include "ward-config.h"
#include "ward.h"

#define NS_VERSION "jabber:iq:version"
#define NS_TIME "urn:xmpp:time"

void
iqinfo_version(struct account *a, xmpp_stanza_t *iq, xmpp_stanza_t *query)
{
	xmpp_stanza_t *r = stanza_iq_reply(a->w->ctx, iq, "result"), *q;

	(void)query;
	q = stanza_elem(a->w->ctx, "query", NS_VERSION);
	stanza_add_text_child(q, "name", "ward");
	stanza_add_text_child(q, "version", WARD_VERSION);
	stanza_adopt(r, q);
	account_send(a, r);
	xmpp_stanza_release(r);
}

void
iqinfo_time(struct account *a, xmpp_stanza_t *iq, xmpp_stanza_t *time_el)
{
	xmpp_stanza_t *r = stanza_iq_reply(a->w->ctx, iq, "result"), *t;
	char buf[32];
	time_t now = time(NULL);
	struct tm tm;

	(void)time_el;
	gmtime_r(&now, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	t = stanza_elem(a->w->ctx, "time", NS_TIME);
	stanza_add_text_child(t, "tzo", "+00:00");
	stanza_add_text_child(t, "utc", buf);
	stanza_adopt(r, t);
	account_send(a, r);
	xmpp_stanza_release(r);
}
