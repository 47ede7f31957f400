/*
 * disco.c: what ward tells others it can do: the answer to a service
 * discovery query (XEP-0030 disco#info) and the same list as an entity
 * capabilities hash (XEP-0115) in ward's presence. The features are the
 * handler table's (handlers.c: each row names those it stands for), so
 * nothing is advertised that no handler serves, nor a chat state, receipt
 * or marker namespace switched off in ward.conf (policy_feature_on). No
 * +notify feature: with one, Prosody looks up the device-list node of every
 * contact at each login (60-120 ms for 1,000 contacts, before the presence
 * reaches them); ward subscribes to the lists it uses instead
 * (omemo_pep_subscribe_list).
 */
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "base64.h"
#include "core.h"
#include "digest.h"
#include "handlers.h"
#include "omemo_xml.h"
#include "policy.h"
#include "stanza.h"
#include "ward.h"

#define NS_DISCO_INFO "http://jabber.org/protocol/disco#info"
#define NS_CAPS "http://jabber.org/protocol/caps"
#define DISCO_NODE "https://ward.invalid/caps"

#define DISCO_IDENTITY "client/console//ward"

/* The XEP-0115 verification string's SHA-1, base64 (malloc'd). */
char *
disco_ver(const struct account *a)
{
	unsigned char md[DIGEST_SHA1_LEN];
	const char *const *features;
	char *s, *t;
	size_t i, n;
	int r;

	features = handlers_features(&n);
	s = xstrdup(DISCO_IDENTITY "<");
	for (i = 0; i < n; i++) {
		if (!policy_feature_on(a, features[i]))
			continue;
		xasprintf(&t, "%s%s<", s, features[i]);
		free(s);
		s = t;
	}
	r = digest_sha1(s, strlen(s), md);
	free(s);
	return r == 0 ? base64_encode(md, sizeof(md)) : NULL;
}

void
disco_caps(struct account *a, xmpp_stanza_t *presence)
{
	xmpp_stanza_t *c = stanza_elem(a->w->ctx, "c", NS_CAPS);
	char *ver = disco_ver(a);

	xmpp_stanza_set_attribute(c, "hash", "sha-1");
	xmpp_stanza_set_attribute(c, "node", DISCO_NODE);
	xmpp_stanza_set_attribute(c, "ver", ver ? ver : "");
	free(ver);
	stanza_adopt(presence, c);
}

xmpp_stanza_t *
disco_query(xmpp_ctx_t *ctx, const struct account *a, const char *node)
{
	const char *const *features;
	xmpp_stanza_t *q, *e;
	size_t i, n;

	q = stanza_elem(ctx, "query", NS_DISCO_INFO);
	/* a query for our caps node (node#ver) gets the same answer */
	if (node != NULL &&
	    strncmp(node, DISCO_NODE "#", strlen(DISCO_NODE) + 1) == 0 &&
	    strlen(node) < 128)
		xmpp_stanza_set_attribute(q, "node", node);
	e = stanza_elem(ctx, "identity", NULL);
	xmpp_stanza_set_attribute(e, "category", "client");
	xmpp_stanza_set_attribute(e, "type", "console");
	xmpp_stanza_set_attribute(e, "name", "ward");
	stanza_adopt(q, e);
	features = handlers_features(&n);
	for (i = 0; i < n; i++) {
		if (!policy_feature_on(a, features[i]))
			continue;
		e = stanza_elem(ctx, "feature", NULL);
		xmpp_stanza_set_attribute(e, "var", features[i]);
		stanza_adopt(q, e);
	}
	return q;
}

void
disco_info(struct account *a, xmpp_stanza_t *iq, xmpp_stanza_t *asked)
{
	xmpp_stanza_t *r = stanza_iq_reply(a->w->ctx, iq, "result");

	stanza_adopt(r, disco_query(a->w->ctx, a,
	    xmpp_stanza_get_attribute(asked, "node")));
	account_send(a, r);
	xmpp_stanza_release(r);
}
