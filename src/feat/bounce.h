/*
 * bounce.h: a message that came back as an error (a bounce, RFC 6120
 * 8.3): reported as `message-error`, with the id of the outgoing message
 * it answers when that is one ward sent to the bouncing JID, so that a
 * frontend can mark that very line failed.
 */
#ifndef WARD_BOUNCE_H
#define WARD_BOUNCE_H

#include <strophe.h>

struct account;

/* M is a <message type='error'/>. */
void bounce_report(struct account *a, xmpp_stanza_t *m);

#endif
