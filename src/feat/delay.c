/*
 * delay.c: XEP-0203 delayed delivery. A message kept by a server (offline
 * storage, a room's history, an archive) carries the time it was sent in a
 * <delay stamp/>. Anyone can put a <delay/> in a stanza, so a stamp is
 * believed only from the source that kept the message: our own server
 * (offline messages: its domain as the delay's `from`), the room (its
 * history: the room's bare JID), or the archive whose result wraps it (the
 * caller passes no `from` then: the archive's row rule vouches for it).
 * A believed time is never later than now.
 */
#include <string.h>

#include "account.h"
#include "history.h"
#include "jid.h"
#include "ward.h"

#define NS_DELAY "urn:xmpp:delay"

int
delay_stamp(xmpp_stanza_t *st, const char *trusted_from, int64_t *ts)
{
	xmpp_stanza_t *c;
	const char *ns, *from, *stamp;
	int64_t t, now = wall_ms();

	for (c = xmpp_stanza_get_children(st); c != NULL;
	     c = xmpp_stanza_get_next(c)) {
		if (!xmpp_stanza_is_tag(c) ||
		    strcmp(xmpp_stanza_get_name(c), "delay") != 0 ||
		    (ns = xmpp_stanza_get_ns(c)) == NULL ||
		    strcmp(ns, NS_DELAY) != 0)
			continue;
		from = xmpp_stanza_get_attribute(c, "from");
		if (trusted_from != NULL &&
		    (from == NULL || strchr(from, '/') != NULL ||
		     !jid_bare_equal(from, trusted_from)))
			continue; /* someone else's claim: not believed */
		stamp = xmpp_stanza_get_attribute(c, "stamp");
		if (stamp == NULL || history_parse_stamp(stamp, &t) != WARD_OK)
			continue;
		*ts = t > now ? now : t;
		return 1;
	}
	return 0;
}
