/*
 * csi.c: client state indication (XEP-0352). ward tells servers that offer
 * it that nobody is looking when no command came for a minute (headless
 * scripts, a detached terminal), so they may hold back presence noise; a
 * command makes every session active again. A session starts active and
 * goes inactive a minute after its login, or after the last command; an IQ
 * ward waits for (a reply the server might hold back while inactive, as
 * Prosody's mod_csi_simple does) makes it active for another minute. One
 * timer for all accounts, armed only after activity: an idle ward has no
 * CSI wake-ups.
 */
#include "account.h"
#include "core.h"
#include "loop.h"
#include "ward.h"

#define CSI_IDLE_MS 60000
static const char csi_active_xml[] = "<active xmlns='urn:xmpp:csi:0'/>";
static const char csi_inactive_xml[] = "<inactive xmlns='urn:xmpp:csi:0'/>";

static void
csi_set(struct account *a, int active)
{
	if (a->state != AS_ONLINE || !a->csi_offered || a->conn == NULL ||
	    a->csi_active == active)
		return;
	if (active)
		conn_send_raw(a->conn, csi_active_xml, sizeof(csi_active_xml) - 1);
	else
		conn_send_raw(a->conn, csi_inactive_xml,
		    sizeof(csi_inactive_xml) - 1);
	a->csi_active = active;
}

static void
csi_idle(void *arg)
{
	struct ward *w = arg;
	struct account *a;

	w->csi_timer = 0;
	for (a = w->accounts; a != NULL; a = a->next)
		csi_set(a, 0);
}

/* (Re)starts the minute after which every session goes inactive. */
static void
csi_arm(struct ward *w)
{
	loop_timer_cancel(w->loop, w->csi_timer);
	w->csi_timer = loop_timer_add(w->loop, CSI_IDLE_MS, csi_idle, w);
}

void
csi_activity(struct ward *w)
{
	struct account *a;

	w->last_activity = now_ms();
	for (a = w->accounts; a != NULL; a = a->next)
		csi_set(a, 1);
	csi_arm(w);
}

void
csi_online(struct account *a)
{
	/* a fresh session starts active (servers assume so); the login's
	 * own requests are answered before it goes inactive */
	a->csi_active = 1;
	csi_arm(a->w);
}

void
csi_awaiting_reply(struct account *a)
{
	if (a->state != AS_ONLINE || !a->csi_offered || a->csi_active)
		return;
	csi_set(a, 1);
	csi_arm(a->w);
}
