/*
 * muc_mam.c: a room's history from the room's own archive (XEP-0313 on the
 * room) when it advertises urn:xmpp:mam:2. ward joins such a room with
 * <history maxstanzas='0'/> and, once the room confirms the join, pages
 * forward through its archive from the last archive id it holds for the
 * room, until the archive says complete: nothing missed while away, and
 * nothing twice (the room's stanza-id is the archive id; the store drops a
 * row it has). The place is kept in the store ("muc-mam-last:ROOM") and
 * moves only past what ward has stored without a gap: a page answered, or
 * a live message once the catch-up is complete. A first join takes the
 * last page. Results are believed only from the room's bare JID (the
 * archive row's rule, and checked again here), for the query id asked,
 * and only about that room (T51).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "core.h"
#include "event.h"
#include "jid.h"
#include "stanza.h"
#include "store.h"
#include "store_page.h"
#include "ward.h"

#define NS_MAM "urn:xmpp:mam:2"
#define NS_RSM "http://jabber.org/protocol/rsm"
#define NS_FORWARD "urn:xmpp:forward:0"
#define NS_DATA "jabber:x:data"
#define NS_SID "urn:xmpp:sid:0"
#define NS_STANZAS "urn:ietf:params:xml:ns:xmpp-stanzas"
#define MUC_MAM_PAGE 100
#define MUC_MAM_FIRST 20      /* a first join: the last messages */
#define MUC_MAM_MAX_PAGES 200 /* 20,000 messages per catch-up at most */
#define MUC_MAM_ID_MAX 256

/* A room's catch-up. */
struct muc_mam {
	char *room;
	char *queryid; /* the page asked for; NULL when none */
	int synced;    /* caught up in this session: live ids count */
	int first;     /* the page asked is the last one (no place known) */
	int64_t floor; /* archive order kept: no result before this time */
	unsigned pages, got;
	struct muc_mam *next;
};

static struct muc_mam *
muc_mam_find(struct account *a, const char *room)
{
	struct muc_mam *q;

	for (q = a->room_mams; q != NULL; q = q->next)
		if (jid_bare_equal(q->room, room))
			return q;
	return NULL;
}

static struct muc_mam *
muc_mam_get(struct account *a, const char *room)
{
	struct muc_mam *q = muc_mam_find(a, room);

	if (q == NULL) {
		q = xcalloc(1, sizeof(*q));
		q->room = jid_bare(room);
		q->next = a->room_mams;
		a->room_mams = q;
	}
	return q;
}

static char *
muc_mam_key(const char *room)
{
	char *key;

	xasprintf(&key, "muc-mam-last:%s", room);
	return key;
}

/* Where the room's archive was read up to (NULL: nowhere yet). */
static char *
muc_mam_place(struct account *a, const char *room)
{
	char *key = muc_mam_key(room), *v = NULL;

	if (store_kv_get(a->w->store, a->name, key, &v) != WARD_OK)
		v = NULL;
	free(key);
	/* stored before this file kept a place: the newest archive id */
	if (v == NULL && store_history_last_stanza_id(
			     a->w->store, a->name, room, room, &v) != WARD_OK)
		v = NULL;
	return v;
}

static void
muc_mam_set_place(struct account *a, const char *room, const char *id)
{
	char *key = muc_mam_key(room);

	ward_txn(a->w);
	if (store_kv_set(a->w->store, a->name, key, id) != WARD_OK)
		log_warn("%s: cannot keep the place in %s's archive", a->name,
			 room);
	free(key);
}

static void muc_mam_query(struct account *a, struct muc_mam *q,
			  const char *after);

/* The room's catch-up could not cover the time away: said, not skipped. */
static void
muc_mam_gap(struct account *a, const char *room, const char *why)
{
	struct event ev;
	char *text;

	xasprintf(&text,
		  "%s: %s; messages said there while ward was away may be "
		  "missing",
		  room, why);
	event_init(&ev, EV_ERROR, a->name);
	event_str(&ev, "code", "history-gap");
	event_str(&ev, "text", text);
	event_str(&ev, "room", room);
	event_emit(&ev);
	free(text);
}

static void
muc_mam_reply(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	char *room = arg;
	struct muc_mam *q = muc_mam_find(a, room);
	xmpp_stanza_t *fin, *set, *err;
	const char *type, *complete, *last;
	char *after;
	int done;

	free(room);
	if (q == NULL || reply == NULL)
		return; /* left, or the session ended */
	free(q->queryid);
	q->queryid = NULL;
	type = xmpp_stanza_get_type(reply);
	fin = xmpp_stanza_get_child_by_name_and_ns(reply, "fin", NS_MAM);
	if (type == NULL || strcmp(type, "result") != 0 || fin == NULL) {
		err = xmpp_stanza_get_child_by_name(reply, "error");
		if (!q->first && err != NULL &&
		    xmpp_stanza_get_child_by_name_and_ns(err, "item-not-found",
							 NS_STANZAS) != NULL) {
			/* our place is gone from the archive (expired):
			 * start again from its last page */
			log_warn("%s: %s's archive no longer has our place; "
				 "taking its last page",
				 a->name, q->room);
			muc_mam_gap(a, q->room,
				    "its archive no longer has "
				    "the last message ward stored");
			muc_mam_query(a, q, NULL);
			return;
		}
		log_warn("%s: %s's archive refused the catch-up", a->name,
			 q->room);
		muc_mam_gap(a, q->room, "its archive refused the catch-up");
		return;
	}
	complete = xmpp_stanza_get_attribute(fin, "complete");
	done = complete != NULL &&
	       (strcmp(complete, "true") == 0 || strcmp(complete, "1") == 0);
	set = xmpp_stanza_get_child_by_name_and_ns(fin, "set", NS_RSM);
	last = set != NULL ? stanza_child_text(set, "last") : NULL;
	if (last != NULL && (*last == '\0' || strlen(last) > MUC_MAM_ID_MAX))
		last = NULL;
	if (last != NULL)
		muc_mam_set_place(a, q->room, last);
	/* the last page of a first join is as far as we go */
	if (done || q->first || last == NULL ||
	    ++q->pages >= MUC_MAM_MAX_PAGES) {
		q->synced = 1;
		log_info("%s: %s caught up from its archive (%u pages)",
			 a->name, q->room, q->pages + 1);
		return;
	}
	after = xstrdup(last);
	muc_mam_query(a, q, after);
	free(after);
}

/* One page of the room's archive after id AFTER (NULL: its last page). */
static void
muc_mam_query(struct account *a, struct muc_mam *q, const char *after)
{
	xmpp_stanza_t *iq, *query, *x, *f, *set;
	char max[16], *id, *room;

	free(q->queryid);
	q->queryid = account_new_id(a);
	q->first = after == NULL;
	q->got = 0;
	id = account_new_id(a);
	iq = xmpp_iq_new(a->w->ctx, "set", id);
	free(id);
	xmpp_stanza_set_to(iq, q->room);
	query = stanza_elem(a->w->ctx, "query", NS_MAM);
	xmpp_stanza_set_attribute(query, "queryid", q->queryid);
	x = stanza_elem(a->w->ctx, "x", NS_DATA);
	xmpp_stanza_set_type(x, "submit");
	f = stanza_elem(a->w->ctx, "field", NULL);
	xmpp_stanza_set_attribute(f, "var", "FORM_TYPE");
	xmpp_stanza_set_type(f, "hidden");
	stanza_add_text_child(f, "value", NS_MAM);
	stanza_adopt(x, f);
	stanza_adopt(query, x);
	set = stanza_elem(a->w->ctx, "set", NS_RSM);
	snprintf(max, sizeof(max), "%d", after ? MUC_MAM_PAGE : MUC_MAM_FIRST);
	stanza_add_text_child(set, "max", max);
	if (after != NULL)
		stanza_add_text_child(set, "after", after);
	else
		stanza_adopt(set, stanza_elem(a->w->ctx, "before", NULL));
	stanza_adopt(query, set);
	stanza_adopt(iq, query);
	room = xstrdup(q->room);
	if (account_send_iq(a, iq, muc_mam_reply, room) != WARD_OK) {
		free(room);
		free(q->queryid);
		q->queryid = NULL;
	}
	xmpp_stanza_release(iq);
}

void
muc_mam_joined(struct account *a, const char *room)
{
	struct muc_mam *q = muc_mam_get(a, room);
	char *place;

	if (q->queryid != NULL)
		return; /* already on its way */
	q->synced = 0;
	q->pages = 0;
	place = muc_mam_place(a, q->room);
	/* archives stamp whole seconds: a result is never put before the
	 * row our place names, nor before the result that came before it */
	q->floor = 0;
	if (place != NULL && store_page_sid_ts(a->w->store, a->name, q->room,
					       place, &q->floor) != WARD_OK)
		q->floor = 0;
	log_info("%s: catching up %s from its archive", a->name, q->room);
	muc_mam_query(a, q, place);
	free(place);
}

int
muc_mam_result(struct account *a, xmpp_stanza_t *m, xmpp_stanza_t *res)
{
	const char *from = xmpp_stanza_get_from(m), *qid, *id, *ifrom, *type;
	xmpp_stanza_t *fwd, *inner;
	struct muc_mam *q;
	struct im_in in;

	qid = xmpp_stanza_get_attribute(res, "queryid");
	if (qid == NULL)
		return 0;
	for (q = a->room_mams; q != NULL; q = q->next)
		if (q->queryid != NULL && strcmp(q->queryid, qid) == 0)
			break;
	if (q == NULL)
		return 0;
	/* only the room's own archive answers a room's query */
	if (from == NULL || !jid_equal(from, q->room)) {
		log_warn("%s: archive result from %s dropped (not the archive "
			 "asked)",
			 a->name, from != NULL ? from : "(none)");
		return 1;
	}
	if (++q->got > MUC_MAM_PAGE) {
		log_warn("%s: more archive results than asked for dropped",
			 a->name);
		return 1;
	}
	id = xmpp_stanza_get_attribute(res, "id");
	fwd =
	    xmpp_stanza_get_child_by_name_and_ns(res, "forwarded", NS_FORWARD);
	inner = fwd ? xmpp_stanza_get_child_by_name(fwd, "message") : NULL;
	ifrom = inner ? xmpp_stanza_get_from(inner) : NULL;
	type = inner ? xmpp_stanza_get_type(inner) : NULL;
	if (id == NULL || *id == '\0' || strlen(id) > MUC_MAM_ID_MAX ||
	    ifrom == NULL || type == NULL || strcmp(type, "groupchat") != 0)
		return 1;
	if (!jid_bare_equal(ifrom, q->room) || strchr(ifrom, '/') == NULL) {
		log_warn("%s: archive result outside the room dropped",
			 a->name);
		return 1;
	}
	memset(&in, 0, sizeof(in));
	in.archive_id = id;
	in.archive_by = q->room;
	in.own = muc_is_own(a, inner, ifrom);
	/* the archive's own time for it (its <forwarded/>) */
	in.delayed = delay_stamp(fwd, NULL, &in.ts);
	if (!in.delayed)
		in.ts = wall_ms();
	if (in.ts < q->floor)
		in.ts = q->floor;
	q->floor = in.ts;
	im_deliver(a, inner, ifrom, a->full_jid ? a->full_jid : a->jid, &in);
	return 1;
}

void
muc_mam_live(struct account *a, xmpp_stanza_t *m, const char *room)
{
	struct muc_mam *q = muc_mam_find(a, room);
	xmpp_stanza_t *c;
	const char *ns, *by, *id;

	/* during a catch-up a live id may be ahead of what is stored */
	if (q == NULL || !q->synced)
		return;
	for (c = xmpp_stanza_get_children(m); c != NULL;
	     c = xmpp_stanza_get_next(c)) {
		if (!xmpp_stanza_is_tag(c) ||
		    strcmp(xmpp_stanza_get_name(c), "stanza-id") != 0 ||
		    (ns = xmpp_stanza_get_ns(c)) == NULL ||
		    strcmp(ns, NS_SID) != 0)
			continue;
		by = xmpp_stanza_get_attribute(c, "by");
		id = xmpp_stanza_get_attribute(c, "id");
		if (by != NULL && id != NULL && *id != '\0' &&
		    strlen(id) <= MUC_MAM_ID_MAX && jid_equal(by, q->room)) {
			muc_mam_set_place(a, q->room, id);
			return;
		}
	}
}

static void
muc_mam_free(struct muc_mam *q)
{
	free(q->room);
	free(q->queryid);
	free(q);
}

void
muc_mam_forget(struct account *a, const char *room)
{
	struct muc_mam **pp, *q;

	for (pp = &a->room_mams; *pp != NULL; pp = &(*pp)->next)
		if (jid_bare_equal((*pp)->room, room)) {
			q = *pp;
			*pp = q->next;
			muc_mam_free(q);
			return;
		}
}

void
muc_mam_down(struct account *a)
{
	struct muc_mam *q;

	/* the queries end with the connection; a rejoin catches up again */
	for (q = a->room_mams; q != NULL; q = q->next) {
		free(q->queryid);
		q->queryid = NULL;
		q->synced = 0;
	}
}

void
muc_mam_free_all(struct account *a)
{
	struct muc_mam *q;

	while ((q = a->room_mams) != NULL) {
		a->room_mams = q->next;
		muc_mam_free(q);
	}
}
