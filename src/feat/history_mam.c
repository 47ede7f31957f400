/*
 * history_mam.c: /history pages from the server's archive (XEP-0313 with
 * RSM <before/>, paging backwards): for a chat the account's own archive
 * filtered by the peer, for a room the room's archive. A result is
 * believed only from the archive asked, for the query id ward is waiting
 * for, and only about that conversation; it is stored (de-duplicated by
 * archive id and origin-id, OMEMO decrypted as catch-up does) before its
 * `history` event. Timestamps come from the archive's <delay/> and are
 * never later than the place the page starts from.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account.h"
#include "core.h"
#include "event.h"
#include "history.h"
#include "jid.h"
#include "omemo_im.h"
#include "stanza.h"
#include "store.h"
#include "store_page.h"
#include "ward.h"

#define NS_MAM "urn:xmpp:mam:2"
#define NS_RSM "http://jabber.org/protocol/rsm"
#define NS_FORWARD "urn:xmpp:forward:0"
#define NS_DATA "jabber:x:data"
#define NS_SID "urn:xmpp:sid:0"

/* One archive page being received. */
struct history_q {
	struct account *a;
	char *queryid;
	char *with; /* the conversation (bare); for a room also the archive */
	int room;
	int max, got;   /* results asked for, and seen */
	int64_t end_ts; /* the page is older than this (ms); 0: unknown */
	int64_t oldest; /* the oldest result's time */
	int newest;     /* the newest page: queued messages end it */
	struct history_q *next;
};

static struct history_q *history_qs; /* global: pages on the way */

static void
history_q_free(struct history_q *q)
{
	struct history_q **pp;

	for (pp = &history_qs; *pp != NULL; pp = &(*pp)->next)
		if (*pp == q) {
			*pp = q->next;
			break;
		}
	free(q->queryid);
	free(q->with);
	free(q);
}

static int
history_digits(const char **s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if ((*s)[i] < '0' || (*s)[i] > '9')
			return 0;
		v = v * 10 + ((*s)[i] - '0');
	}
	*s += n;
	*out = v;
	return 1;
}

int
history_parse_stamp(const char *s, int64_t *ms)
{
	int y, mo, d, h, mi, sec, frac = 0, scale = 1000, oh = 0, om = 0;
	int sign = 0;
	struct tm tm;
	time_t t;

	if (!history_digits(&s, 4, &y) || *s++ != '-' ||
	    !history_digits(&s, 2, &mo) || *s++ != '-' ||
	    !history_digits(&s, 2, &d) || *s++ != 'T' ||
	    !history_digits(&s, 2, &h) || *s++ != ':' ||
	    !history_digits(&s, 2, &mi) || *s++ != ':' ||
	    !history_digits(&s, 2, &sec))
		return WARD_ERR_PARSE;
	if (*s == '.') {
		s++;
		if (*s < '0' || *s > '9')
			return WARD_ERR_PARSE;
		for (; *s >= '0' && *s <= '9'; s++)
			if (scale > 1) {
				scale /= 10;
				frac += (*s - '0') * scale;
			}
	}
	if (*s == 'Z') {
		s++;
	} else if (*s == '+' || *s == '-') {
		sign = *s++ == '+' ? 1 : -1;
		if (!history_digits(&s, 2, &oh) || *s++ != ':' ||
		    !history_digits(&s, 2, &om) || oh > 23 || om > 59)
			return WARD_ERR_PARSE;
	} else {
		return WARD_ERR_PARSE;
	}
	if (*s != '\0' || y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h > 23 || mi > 59 || sec > 60)
		return WARD_ERR_PARSE;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return WARD_ERR_PARSE;
	t -= sign * (oh * 3600 + om * 60);
	*ms = (int64_t)t * 1000 + frac;
	return WARD_OK;
}

/* A data form field <field var><value>V</value></field>. */
static void
history_field(xmpp_ctx_t *ctx, xmpp_stanza_t *x, const char *var,
	      const char *type, const char *value)
{
	xmpp_stanza_t *f = stanza_elem(ctx, "field", NULL);

	xmpp_stanza_set_attribute(f, "var", var);
	if (type != NULL)
		xmpp_stanza_set_type(f, type);
	stanza_add_text_child(f, "value", value);
	stanza_adopt(x, f);
}

static void
history_mam_reply(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	struct history_q *q = arg;
	xmpp_stanza_t *fin, *set;
	const char *type, *complete, *first;
	char *cursor;
	int done;

	fin = reply ? xmpp_stanza_get_child_by_name_and_ns(reply, "fin", NS_MAM)
		    : NULL;
	type = reply ? xmpp_stanza_get_type(reply) : NULL;
	if (type == NULL || strcmp(type, "result") != 0 || fin == NULL) {
		struct event ev;
		event_init(&ev, EV_ERROR, a->name);
		event_str(&ev, "code", "history-failed");
		event_str(&ev, "text",
			  reply == NULL ? "the connection ended before the "
					  "archive answered"
					: "the server's archive refused the "
					  "request (no archive?)");
		event_str(&ev, "jid", q->with);
		event_emit(&ev);
		history_end(a, q->with, NULL, "archive", 0, q->newest);
		history_q_free(q);
		return;
	}
	complete = xmpp_stanza_get_attribute(fin, "complete");
	done = complete != NULL &&
	       (strcmp(complete, "true") == 0 || strcmp(complete, "1") == 0);
	set = xmpp_stanza_get_child_by_name_and_ns(fin, "set", NS_RSM);
	first = set != NULL ? stanza_child_text(set, "first") : NULL;
	if (done || first == NULL || *first == '\0' || strlen(first) > 256) {
		/* complete, or an empty page that gives no place to go on */
		history_end(a, q->with, NULL, "archive", done || q->got == 0,
			    q->newest);
	} else {
		cursor = history_archive_cursor(
		    q->room, q->oldest ? q->oldest : q->end_ts, first);
		history_end(a, q->with, cursor, "archive", 0, q->newest);
		free(cursor);
	}
	history_q_free(q);
}

int
history_mam_ask(struct account *a, const char *with, int room, int64_t end_ts,
		const char *before_id, int max, int newest)
{
	xmpp_stanza_t *iq, *query, *x, *set, *b;
	struct history_q *q;
	char num[16], end[40];
	char *id;
	time_t t;
	struct tm tm;

	q = xcalloc(1, sizeof(*q));
	q->a = a;
	q->queryid = account_new_id(a);
	q->with = xstrdup(with);
	q->room = room;
	q->max = max;
	q->end_ts = end_ts;
	q->newest = newest;
	id = account_new_id(a);
	iq = xmpp_iq_new(a->w->ctx, "set", id);
	free(id);
	if (room)
		xmpp_stanza_set_to(iq, with);
	query = stanza_elem(a->w->ctx, "query", NS_MAM);
	xmpp_stanza_set_attribute(query, "queryid", q->queryid);
	x = stanza_elem(a->w->ctx, "x", NS_DATA);
	xmpp_stanza_set_type(x, "submit");
	history_field(a->w->ctx, x, "FORM_TYPE", "hidden", NS_MAM);
	if (!room)
		history_field(a->w->ctx, x, "with", NULL, with);
	if (before_id == NULL && end_ts > 0) {
		t = (time_t)(end_ts / 1000);
		gmtime_r(&t, &tm);
		strftime(end, sizeof(end), "%Y-%m-%dT%H:%M:%SZ", &tm);
		history_field(a->w->ctx, x, "end", NULL, end);
	}
	stanza_adopt(query, x);
	set = stanza_elem(a->w->ctx, "set", NS_RSM);
	snprintf(num, sizeof(num), "%d", max);
	stanza_add_text_child(set, "max", num);
	if (before_id != NULL) {
		stanza_add_text_child(set, "before", before_id);
	} else {
		b = stanza_elem(a->w->ctx, "before", NULL); /* the last page */
		stanza_adopt(set, b);
	}
	stanza_adopt(query, set);
	stanza_adopt(iq, query);
	q->next = history_qs;
	history_qs = q;
	if (account_send_iq(a, iq, history_mam_reply, q) != WARD_OK) {
		xmpp_stanza_release(iq);
		history_q_free(q);
		event_error(a->name, "not-connected",
			    "the server's archive needs a connected account");
		history_end(a, with, NULL, "archive", 0, newest);
		return WARD_ERR_IO;
	}
	xmpp_stanza_release(iq);
	return WARD_OK;
}

static struct history_q *
history_q_find(struct account *a, const char *queryid)
{
	struct history_q *q;

	if (queryid == NULL)
		return NULL;
	for (q = history_qs; q != NULL; q = q->next)
		if (q->a == a && strcmp(q->queryid, queryid) == 0)
			return q;
	return NULL;
}

/* The time of a forwarded message: its <delay/>, always earlier than the
 * row the page starts from and never later than now (a forged stamp
 * cannot move it up). */
static int64_t
history_result_time(struct history_q *q, xmpp_stanza_t *fwd, int *delayed)
{
	int64_t ts, now = wall_ms();

	/* the archive's own <delay/> (its row rule vouches for it) */
	*delayed = delay_stamp(fwd, NULL, &ts);
	if (!*delayed)
		ts = now;
	/* below the row the page starts from: a row added now has a higher
	 * id, so only an earlier time sorts it before that row (archives
	 * stamp whole seconds; many messages share one) */
	if (q->end_ts > 0 && ts >= q->end_ts)
		ts = q->end_ts - 1;
	return ts > now ? now : ts;
}

/* Is the forwarded message INNER part of Q's conversation? *OUTGOING. */
static int
history_belongs(struct account *a, struct history_q *q, const char *ifrom,
		const char *ito, int *outgoing)
{
	if (q->room) {
		if (!jid_bare_equal(ifrom, q->with))
			return 0;
		*outgoing = 0; /* by what we sent: history_take */
		return 1;
	}
	*outgoing = jid_bare_equal(ifrom, a->jid);
	return ito != NULL && jid_bare_equal(*outgoing ? ito : ifrom, q->with);
}

/* Stores one believed result and emits it. */
static void
history_take(struct account *a, struct history_q *q, xmpp_stanza_t *fwd,
	     xmpp_stanza_t *inner, const char *archive_id)
{
	const char *ifrom = xmpp_stanza_get_from(inner);
	const char *ito = xmpp_stanza_get_to(inner), *trust = "none";
	const char *body = stanza_child_text(inner, "body"), *origin = NULL;
	xmpp_stanza_t *oid;
	struct store_msg sm;
	char *plain = NULL;
	int outgoing = 0, found = 0, dup = 0;

	if (ifrom == NULL || !history_belongs(a, q, ifrom, ito, &outgoing)) {
		log_warn("%s: archive result outside the conversation dropped",
			 a->name);
		return;
	}
	/* ours in a room by what we sent (occupant-id, origin-id), never
	 * by the nick alone (muc.c) */
	if (q->room)
		outgoing = muc_is_own(a, inner, ifrom);
	oid = xmpp_stanza_get_child_by_name_and_ns(inner, "origin-id", NS_SID);
	if (oid != NULL)
		origin = xmpp_stanza_get_attribute(oid, "id");
	/* seen before: never decrypted twice (the ratchet moved on) */
	if (store_page_has(a->w->store, a->name, q->with, archive_id, ifrom,
			   origin, &found) != WARD_OK ||
	    found)
		return;
	switch (omemo_recv(a, inner, ifrom, q->room, &plain, &trust)) {
	case OMEMO_RECV_PLAIN:
		break;
	case OMEMO_RECV_OK:
		body = plain;
		break;
	case OMEMO_RECV_NOTHING:
		return; /* a key exchange, or omemo-decrypt was reported */
	}
	if (body == NULL)
		return;
	memset(&sm, 0, sizeof(sm));
	sm.account = a->name;
	sm.peer = q->with;
	sm.dir = outgoing ? STORE_DIR_OUT : STORE_DIR_IN;
	sm.type = q->room ? STORE_TYPE_GROUPCHAT : STORE_TYPE_CHAT;
	sm.from_jid = ifrom;
	sm.stanza_id = xmpp_stanza_get_id(inner);
	sm.origin_id = origin;
	sm.server_id = archive_id;
	sm.server_id_by = q->room ? q->with : a->jid;
	sm.body = body;
	sm.enc = plain != NULL ? STORE_ENC_OMEMO : STORE_ENC_NONE;
	sm.ts = history_result_time(q, fwd, &sm.delayed);
	if (q->room)
		sm.occupant_id = muc_occupant_id_of(a, inner, ifrom);
	ward_txn(a->w);
	if (store_history_add(a->w->store, &sm, &dup) != WARD_OK)
		log_warn("%s: cannot store an archived message", a->name);
	else if (!dup) {
		sm.id = store_page_last_id(a->w->store);
		if (q->oldest == 0 || sm.ts < q->oldest)
			q->oldest = sm.ts;
		history_emit(a, &sm, plain != NULL ? trust : "none");
	}
	freezero_str(plain);
}

int
history_mam_result(struct account *a, xmpp_stanza_t *m)
{
	xmpp_stanza_t *res, *fwd, *inner;
	const char *from = xmpp_stanza_get_from(m), *id;
	struct history_q *q;

	res = xmpp_stanza_get_child_by_name_and_ns(m, "result", NS_MAM);
	if (res == NULL || (q = history_q_find(a, xmpp_stanza_get_attribute(
						      res, "queryid"))) == NULL)
		return 0;
	/* only the archive asked: ours (no from, or our bare JID) or the
	 * room's own bare JID */
	if (q->room ? from == NULL || !jid_equal(from, q->with)
		    : from != NULL && !jid_equal(from, a->jid)) {
		log_warn("%s: archive result from %s dropped (not the archive "
			 "asked)",
			 a->name, from != NULL ? from : "(none)");
		return 1;
	}
	if (q->got >= q->max) {
		log_warn("%s: more archive results than asked for dropped",
			 a->name);
		return 1;
	}
	q->got++;
	id = xmpp_stanza_get_attribute(res, "id");
	fwd =
	    xmpp_stanza_get_child_by_name_and_ns(res, "forwarded", NS_FORWARD);
	inner = fwd ? xmpp_stanza_get_child_by_name(fwd, "message") : NULL;
	if (id == NULL || *id == '\0' || strlen(id) > 256 || inner == NULL)
		return 1;
	history_take(a, q, fwd, inner, id);
	return 1;
}
