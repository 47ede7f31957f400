/*
 * sm.c: stream management (XEP-0198) for an account: enabling it with
 * resumption, answering <r/> only for what is on disk, applying <a/> to the
 * outbox, and resuming a dropped session so that nothing is sent twice and
 * nothing is lost (the server tells how far it got; the rest is re-sent).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "core.h"
#include "event.h"
#include "ward.h"

#define NS_SM "urn:xmpp:sm:3"

/* Parses an h attribute (a 32-bit counter). */
static int
sm_parse_h(xmpp_stanza_t *st, uint32_t *out)
{
	const char *h = xmpp_stanza_get_attribute(st, "h");
	unsigned long v;
	char *end;

	if (h == NULL || *h < '0' || *h > '9' || strlen(h) > 10)
		return WARD_ERR_PARSE;
	v = strtoul(h, &end, 10);
	if (*end != '\0' || v > UINT32_MAX)
		return WARD_ERR_PARSE;
	*out = (uint32_t)v;
	return WARD_OK;
}

void
sm_enable(struct account *a)
{
	static const char enable[] = "<enable xmlns='" NS_SM
	    "' resume='true'/>";

	conn_send_raw(a->conn, enable, sizeof(enable) - 1);
	a->sm_requested = a->sm_pending = 1;
	a->out_seq = 0;
	a->sm_in = 0;
}

/* HOOK_ONLINE: stream management, when the server offers it. */
void
sm_online(struct account *a)
{
	if (a->sm_offered)
		sm_enable(a);
}

void
sm_forget(struct account *a)
{
	free(a->sm_id);
	a->sm_id = NULL;
	a->sm_resuming = 0;
}

int
sm_try_resume(struct account *a)
{
	char *s;

	if (a->sm_id == NULL || !a->sm_offered)
		return 0;
	xasprintf(&s, "<resume xmlns='" NS_SM "' previd='%s' h='%u'/>",
	    a->sm_id, a->sm_in);
	/* the id came from the server's <enabled/>; refuse odd ones */
	if (strpbrk(a->sm_id, "'\"<>&") != NULL) {
		free(s);
		sm_forget(a);
		return 0;
	}
	conn_send_raw(a->conn, s, strlen(s));
	free(s);
	a->sm_resuming = 1;
	log_info("%s: resuming the previous session", a->name);
	return 1;
}

/* <resumed h/>: the server kept the session; re-send what it lacks. */
static void
sm_resumed(struct account *a, xmpp_stanza_t *st)
{
	uint32_t h;

	a->sm_resuming = 0;
	if (sm_parse_h(st, &h) != WARD_OK) {
		account_lost(a, "protocol", "malformed <resumed/>");
		return;
	}
	a->sm_requested = a->sm_enabled = 1;
	a->sm_pending = 0;
	im_acked(a, h);
	/* unacknowledged stanzas go out again and are counted again */
	a->out_seq = h;
	im_offline(a);
	account_resumed(a);
}

/* <failed/> to a resume: start a new session (bind, then catch up). */
static void
sm_resume_failed(struct account *a)
{
	log_info("%s: the server could not resume; new session", a->name);
	sm_forget(a);
	im_offline(a);
	a->sm_in = a->out_seq = 0;
	a->sm_enabled = a->sm_requested = a->sm_pending = 0;
	session_bind_now(a);
}

int
sm_handle(struct account *a, xmpp_stanza_t *st)
{
	const char *name = xmpp_stanza_get_name(st), *id, *resume;
	uint32_t h;

	if (xmpp_stanza_get_ns(st) == NULL ||
	    strcmp(xmpp_stanza_get_ns(st), NS_SM) != 0)
		return 0;
	if (strcmp(name, "resumed") == 0 && a->sm_resuming) {
		sm_resumed(a, st);
	} else if (strcmp(name, "failed") == 0 && a->sm_resuming) {
		sm_resume_failed(a);
	} else if (strcmp(name, "enabled") == 0 && a->sm_pending) {
		a->sm_enabled = 1;
		a->sm_pending = 0;
		id = xmpp_stanza_get_attribute(st, "id");
		resume = xmpp_stanza_get_attribute(st, "resume");
		sm_forget(a);
		if (id != NULL && resume != NULL && (!strcmp(resume, "true") ||
		    !strcmp(resume, "1")) && strlen(id) < 256)
			a->sm_id = xstrdup(id);
		log_info("%s: stream management enabled%s", a->name,
		    a->sm_id ? " (resumable)" : "");
		im_flush_outbox(a);
	} else if (strcmp(name, "failed") == 0 && a->sm_pending) {
		a->sm_enabled = 0;
		a->sm_pending = 0;
		log_info("%s: stream management refused", a->name);
		im_flush_outbox(a);	/* falls back to ping barriers */
	} else if (strcmp(name, "r") == 0 && a->sm_enabled) {
		/* answered by sm_send_ack once this loop turn's batch is on
		 * disk, not by a commit of its own in the middle of a burst */
		a->sm_ack_wanted = 1;
	} else if (strcmp(name, "a") == 0 && a->sm_enabled) {
		if (sm_parse_h(st, &h) != WARD_OK)
			return 1;
		a->keepalive_waiting = 0;
		im_acked(a, h);
	}
	return 1;
}

void
sm_send_ack(struct account *a)
{
	char buf[64];

	if (!a->sm_ack_wanted)
		return;
	a->sm_ack_wanted = 0;
	if (!a->sm_enabled || a->conn == NULL)
		return;
	snprintf(buf, sizeof(buf), "<a xmlns='" NS_SM "' h='%u'/>", a->sm_in);
	conn_send_raw(a->conn, buf, strlen(buf));
}
