/*
 * mam.c: catching up through the server's archive (XEP-0313) after a new
 * session, from the newest archive id ward has stored. Results are
 * believed only from an archive (the rule of its row in handlers.c: ours
 * or a room's), only for the query id ward is waiting for, and only from
 * the archive that query went to (ours); anything else is dropped and
 * logged. Pages of 100 until the server says complete.
 *
 * Each new session first asks our account's disco#info (before our
 * presence, so before any offline message): a <stanza-id/> stamped with
 * our bare JID is believed only when it advertises urn:xmpp:sid:0 or
 * MAM (im.c), and the catch-up runs only when it advertises MAM. A
 * catch-up the archive refuses (its anchor expired, or was never the
 * archive's) is tried once more from the stored archive id before it; if
 * that fails too, the user is told that history may have a gap (error
 * history-gap), never left to find out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "core.h"
#include "event.h"
#include "history.h"
#include "jid.h"
#include "stanza.h"
#include "store.h"
#include "ward.h"

#define NS_MAM "urn:xmpp:mam:2"
#define NS_SID "urn:xmpp:sid:0"
#define NS_DISCO_INFO "http://jabber.org/protocol/disco#info"
#define NS_RSM "http://jabber.org/protocol/rsm"
#define NS_FORWARD "urn:xmpp:forward:0"
#define NS_DATA "jabber:x:data"
#define MAM_PAGE 100
#define MAM_DISCO_TIMEOUT_MS 30000 /* then: not known, the user told */
#define MAM_MAX_PAGES 200	/* 20,000 messages per catch-up at most */

static void mam_query(struct account *a, const char *after);

static void
mam_done(struct account *a)
{
	free(a->mam_queryid);
	a->mam_queryid = NULL;
	free(a->mam_after);
	a->mam_after = NULL;
}

/* The archive refused the catch-up from a->mam_after (CONDITION): once
 * more from an older stored id, else the user is told. */
static void
mam_refused(struct account *a, const char *condition)
{
	char *older = NULL, *text;

	if (!a->mam_retried && a->mam_after != NULL &&
	    store_history_stanza_id_before(a->w->store, a->name, a->jid,
					   a->mam_after, &older) == WARD_OK) {
		log_warn("%s: the archive refused the catch-up after %s (%s); "
			 "trying from the message before it",
			 a->name, a->mam_after, condition);
		a->mam_retried = 1;
		mam_query(a, older);
		free(older);
		return;
	}
	log_warn("%s: archive catch-up failed (%s): history may have a gap",
		 a->name, condition);
	xasprintf(&text,
		  "the server's archive could not be read since the last "
		  "session (%s): messages sent to you meanwhile may be "
		  "missing",
		  condition);
	event_error(a->name, "history-gap", text);
	free(text);
	mam_done(a);
}

/* The defined condition of an <error/> reply, or "no answer". */
static const char *
mam_condition(xmpp_stanza_t *reply)
{
	xmpp_stanza_t *err = xmpp_stanza_get_child_by_name(reply, "error"), *c;

	for (c = err ? xmpp_stanza_get_children(err) : NULL; c != NULL;
	     c = xmpp_stanza_get_next(c))
		if (xmpp_stanza_is_tag(c) &&
		    strcmp(xmpp_stanza_get_name(c), "text") != 0)
			return xmpp_stanza_get_name(c);
	return "no usable answer";
}

static void
mam_reply(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	xmpp_stanza_t *fin, *set;
	const char *type, *complete, *last;
	char *after;

	(void)arg;
	if (reply == NULL)
		return;		/* session gone; the next one catches up */
	type = xmpp_stanza_get_type(reply);
	fin = xmpp_stanza_get_child_by_name_and_ns(reply, "fin", NS_MAM);
	if (type == NULL || strcmp(type, "result") != 0 || fin == NULL) {
		mam_refused(a, mam_condition(reply));
		return;
	}
	complete = xmpp_stanza_get_attribute(fin, "complete");
	set = xmpp_stanza_get_child_by_name_and_ns(fin, "set", NS_RSM);
	last = (set ? stanza_child_text(set, "last") : NULL);
	if ((complete != NULL && (!strcmp(complete, "true") ||
	    !strcmp(complete, "1"))) || last == NULL ||
	    ++a->mam_pages >= MAM_MAX_PAGES) {
		log_info("%s: archive catch-up done (%u pages)", a->name,
		    a->mam_pages);
		mam_done(a);
		return;
	}
	after = xstrdup(last);
	mam_query(a, after);
	free(after);
}

/* Asks for the archive after id 'after' (one page). */
static void
mam_query(struct account *a, const char *after)
{
	xmpp_stanza_t *iq, *q, *x, *f, *set;
	char max[16];
	char *id;

	free(a->mam_queryid);
	a->mam_queryid = account_new_id(a);
	if (a->mam_after != after) {
		free(a->mam_after);
		a->mam_after = xstrdup(after);
	}
	id = account_new_id(a);
	iq = xmpp_iq_new(a->w->ctx, "set", id);
	free(id);
	q = stanza_elem(a->w->ctx, "query", NS_MAM);
	xmpp_stanza_set_attribute(q, "queryid", a->mam_queryid);
	x = stanza_elem(a->w->ctx, "x", NS_DATA);
	xmpp_stanza_set_type(x, "submit");
	f = stanza_elem(a->w->ctx, "field", NULL);
	xmpp_stanza_set_attribute(f, "var", "FORM_TYPE");
	xmpp_stanza_set_type(f, "hidden");
	stanza_add_text_child(f, "value", NS_MAM);
	xmpp_stanza_add_child(x, f);
	xmpp_stanza_release(f);
	xmpp_stanza_add_child(q, x);
	xmpp_stanza_release(x);
	set = stanza_elem(a->w->ctx, "set", NS_RSM);
	snprintf(max, sizeof(max), "%d", MAM_PAGE);
	stanza_add_text_child(set, "max", max);
	stanza_add_text_child(set, "after", after);
	xmpp_stanza_add_child(q, set);
	xmpp_stanza_release(set);
	xmpp_stanza_add_child(iq, q);
	xmpp_stanza_release(q);
	account_send_iq(a, iq, mam_reply, NULL);
	xmpp_stanza_release(iq);
}

void
mam_catch_up(struct account *a)
{
	char *last = NULL;

	if (a->mam_queryid != NULL)
		return;
	if (!a->archive_mam) {
		log_info("%s: the server advertises no archive (%s): no "
			 "catch-up",
			 a->name, NS_MAM);
		return;
	}
	if (store_history_last_stanza_id(a->w->store, a->name, NULL, a->jid,
	    &last) != WARD_OK)
		return;		/* nothing archived yet: nothing to catch up */
	a->mam_pages = 0;
	a->mam_retried = 0;
	log_info("%s: catching up from the archive", a->name);
	mam_query(a, last);
	free(last);
}

/* No catch-up can run: said to the user when one was due (ward has
 * archived messages of this account), never skipped in silence. */
static void
mam_cannot(struct account *a, const char *why)
{
	char *last = NULL, *text;

	if (store_history_last_stanza_id(a->w->store, a->name, NULL, a->jid,
					 &last) != WARD_OK)
		return; /* nothing archived before: nothing to catch up */
	free(last);
	log_warn("%s: no archive catch-up (%s): history may have a gap",
		 a->name, why);
	xasprintf(&text,
		  "no catch-up from the server's archive (%s): messages sent "
		  "to you since the last session may be missing",
		  why);
	event_error(a->name, "history-gap", text);
	free(text);
}

static void
mam_disco_reply(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	xmpp_stanza_t *q;
	const char *type;

	(void)arg;
	if (reply == NULL)
		return; /* session gone; the next one asks again */
	type = xmpp_stanza_get_type(reply);
	q = xmpp_stanza_get_child_by_name_and_ns(reply, "query", NS_DISCO_INFO);
	a->archive_known = 1;
	if (type == NULL || strcmp(type, "result") != 0 || q == NULL) {
		/* not known: no stanza-id believed, no archive asked */
		mam_cannot(a, "the server did not say whether it keeps one");
		return;
	}
	a->archive_mam = stanza_has_child_attr(q, "feature", "var", NS_MAM);
	a->archive_sid = a->archive_mam ||
			 stanza_has_child_attr(q, "feature", "var", NS_SID);
	log_info("%s: the server %s an archive and %s stanza-ids", a->name,
		 a->archive_mam ? "keeps" : "keeps no",
		 a->archive_sid ? "stamps" : "does not stamp");
	if (!a->archive_mam) {
		mam_cannot(a, "the server advertises none now");
		return;
	}
	/* last of a new session's work: the archive since the last one */
	mam_catch_up(a);
}

/* HOOK_ONLINE, before our presence: what our account's server does. */
void
mam_online(struct account *a)
{
	char *id = account_new_id(a);
	xmpp_stanza_t *iq = xmpp_iq_new(a->w->ctx, "get", id), *q;

	free(id);
	a->archive_known = a->archive_mam = a->archive_sid = 0;
	/* no 'to': our account's own (RFC 6120 10.3.3), answered from our
	 * bare JID or without 'from' */
	q = stanza_elem(a->w->ctx, "query", NS_DISCO_INFO);
	xmpp_stanza_add_child(iq, q);
	xmpp_stanza_release(q);
	account_send_iq_timeout(a, iq, mam_disco_reply, NULL,
				MAM_DISCO_TIMEOUT_MS);
	xmpp_stanza_release(iq);
}

/* HOOK_DOWN: the query ends with the connection; the next session
 * catches up again. */
void
mam_down(struct account *a)
{
	mam_done(a);
}

void
mam_result(struct account *a, xmpp_stanza_t *m, xmpp_stanza_t *res)
{
	xmpp_stanza_t *fwd, *inner;
	const char *from = xmpp_stanza_get_from(m), *qid, *id, *ifrom, *ito;
	struct im_in in;

	if (history_mam_result(a, m))
		return;		/* a /history page (history_mam.c) */
	if (muc_mam_result(a, m, res))
		return;		/* a room's catch-up (muc_mam.c) */
	qid = xmpp_stanza_get_attribute(res, "queryid");
	if (a->mam_queryid == NULL || qid == NULL ||
	    strcmp(qid, a->mam_queryid) != 0) {
		log_warn("%s: archive result for an unknown query dropped",
		    a->name);
		return;
	}
	/* the catch-up asked our own archive: a room's cannot answer it */
	if (from != NULL && !jid_is_account(from, a->jid)) {
		log_warn("%s: archive result from %s dropped (not the archive "
		    "asked)", a->name, from);
		return;
	}
	id = xmpp_stanza_get_attribute(res, "id");
	fwd = xmpp_stanza_get_child_by_name_and_ns(res, "forwarded",
	    NS_FORWARD);
	inner = fwd ? xmpp_stanza_get_child_by_name(fwd, "message") : NULL;
	if (id == NULL || inner == NULL)
		return;
	ifrom = xmpp_stanza_get_from(inner);
	ito = xmpp_stanza_get_to(inner);
	if (ifrom == NULL || ito == NULL)
		return;
	memset(&in, 0, sizeof(in));
	in.outgoing = jid_bare_equal(ifrom, a->jid);
	in.archive_id = id;
	in.archive_by = a->jid;
	/* the archive's own time for it (XEP-0313 4.2) */
	in.delayed = delay_stamp(fwd, NULL, &in.ts);
	im_deliver(a, inner, ifrom, ito, &in);
}
