/*
 * disco.c: what ward tells others it can do: the answer to a service
 * discovery query (XEP-0030 disco#info) and the same list as an entity
 * capabilities hash (XEP-0115) in ward's presence. No +notify feature:
 * with one, Prosody looks up the device-list node of every contact at each
 * login (60-120 ms for 1,000 contacts, before the presence reaches them);
 * ward subscribes to the lists it uses instead (omemo_pep_subscribe_list).
 */
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "base64.h"
#include "core.h"
#include "omemo_xml.h"
#include "stanza.h"
#include "ward.h"

#define NS_DISCO_INFO "http://jabber.org/protocol/disco#info"
#define NS_CAPS "http://jabber.org/protocol/caps"
#define DISCO_NODE "https://ward.invalid/caps"

/* Sorted (XEP-0115 5.1 hashes them in this order). */
static const char *const disco_features[] = {
    NS_CAPS,              /* XEP-0115 */
    NS_DISCO_INFO,        /* XEP-0030 */
    "urn:xmpp:carbons:2", /* XEP-0280 */
    "urn:xmpp:ping",      /* XEP-0199 */
    "urn:xmpp:sid:0",     /* XEP-0359 */
};
#define DISCO_NFEATURES (sizeof(disco_features) / sizeof(disco_features[0]))
#define DISCO_IDENTITY "client/console//ward"

/* The XEP-0115 verification string's SHA-1, base64 (malloc'd). */
static char *
disco_ver(void)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char *s, *t;
	size_t i;

	s = xstrdup(DISCO_IDENTITY "<");
	for (i = 0; i < DISCO_NFEATURES; i++) {
		xasprintf(&t, "%s%s<", s, disco_features[i]);
		free(s);
		s = t;
	}
	if (EVP_Digest(s, strlen(s), md, &mdlen, EVP_sha1(), NULL) != 1)
		mdlen = 0;
	free(s);
	return mdlen ? base64_encode(md, mdlen) : NULL;
}

void
disco_caps(struct account *a, xmpp_stanza_t *presence)
{
	xmpp_stanza_t *c = stanza_elem(a->w->ctx, "c", NS_CAPS);
	char *ver = disco_ver();

	xmpp_stanza_set_attribute(c, "hash", "sha-1");
	xmpp_stanza_set_attribute(c, "node", DISCO_NODE);
	xmpp_stanza_set_attribute(c, "ver", ver ? ver : "");
	free(ver);
	stanza_adopt(presence, c);
}

void
disco_info(struct account *a, xmpp_stanza_t *iq)
{
	xmpp_stanza_t *r = stanza_iq_reply(a->w->ctx, iq, "result"), *q, *e,
		      *asked;
	const char *node;
	size_t i;

	asked =
	    xmpp_stanza_get_child_by_name_and_ns(iq, "query", NS_DISCO_INFO);
	node = asked ? xmpp_stanza_get_attribute(asked, "node") : NULL;
	q = stanza_elem(a->w->ctx, "query", NS_DISCO_INFO);
	/* a query for our caps node (node#ver) gets the same answer */
	if (node != NULL &&
	    strncmp(node, DISCO_NODE "#", strlen(DISCO_NODE) + 1) == 0 &&
	    strlen(node) < 128)
		xmpp_stanza_set_attribute(q, "node", node);
	e = stanza_elem(a->w->ctx, "identity", NULL);
	xmpp_stanza_set_attribute(e, "category", "client");
	xmpp_stanza_set_attribute(e, "type", "console");
	xmpp_stanza_set_attribute(e, "name", "ward");
	stanza_adopt(q, e);
	for (i = 0; i < DISCO_NFEATURES; i++) {
		e = stanza_elem(a->w->ctx, "feature", NULL);
		xmpp_stanza_set_attribute(e, "var", disco_features[i]);
		stanza_adopt(q, e);
	}
	stanza_adopt(r, q);
	account_send(a, r);
	xmpp_stanza_release(r);
}
