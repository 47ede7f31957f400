/*
 * history.c: /history JID [BEFORE] [N] (see history.h): cursors, pages
 * from ward.db through store_page.c, and the `history` and `history-end`
 * events. Past the oldest stored row the page comes from the server's
 * archive (history_mam.c) when the account is online.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account.h"
#include "core.h"
#include "event.h"
#include "history.h"
#include "jid.h"
#include "msgedit.h"
#include "store.h"
#include "store_page.h"
#include "ward.h"

#define HISTORY_ID_MAX 256 /* longest archive id kept in a cursor */

/* A parsed cursor: a stored row, or a place in an archive. */
struct history_pos {
	char kind; /* 0 newest, 's' stored row, 'a' our archive, 'r' room's */
	int64_t ts, id;
	char *archive_id; /* 'a'/'r': NULL = before ts only */
};

/* Whose queued messages are being listed. */
struct history_queued {
	struct account *a;
	const char *with;
};

/* One page being emitted from the store. */
struct history_page {
	struct account *a;
	int64_t first_ts, first_id; /* the oldest row emitted */
	size_t n;
};

static void
history_time(int64_t ms, char *out, size_t len)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char sec[32];

	gmtime_r(&t, &tm);
	strftime(sec, sizeof(sec), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, len, "%s.%03dZ", sec, (int)(ms % 1000));
}

/* What became of our message M: "acked", or what its peer said of it
 * (receipts.c, markers.c). */
static const char *
history_delivery(struct account *a, const struct store_msg *m)
{
	int state = 0;

	if (m->origin_id != NULL && m->type == STORE_TYPE_CHAT)
		store_delivery_get(a->w->store, a->name, m->peer, m->origin_id,
				   &state);
	return state >= STORE_READ        ? "read"
	       : state == STORE_DELIVERED ? "delivered"
					  : "acked";
}

void
history_fields(struct event *ev, struct history_text *t, struct account *a,
	       const struct store_msg *m, const char *trust)
{
	int out = m->dir == STORE_DIR_OUT,
	    room = m->type == STORE_TYPE_GROUPCHAT;

	history_time(m->ts, t->when, sizeof(t->when));
	snprintf(t->cursor, sizeof(t->cursor), "s%" PRId64 ".%" PRId64, m->ts,
		 m->id);
	if (trust == NULL && m->enc == STORE_ENC_NONE)
		trust = "none";
	event_str(ev, "with", m->peer);
	event_str(ev, "from", m->from_jid);
	event_str(ev, "to", out ? m->peer : a->jid);
	event_str(ev, "type", room ? "groupchat" : "chat");
	event_str(ev, "id", m->stanza_id != NULL ? m->stanza_id : m->origin_id);
	event_str(ev, "body", m->body);
	event_str(ev, "encryption",
		  m->enc == STORE_ENC_OMEMO ? "omemo" : "none");
	event_str(ev, "trust", trust);
	event_bool(ev, "outgoing", out);
	event_str(ev, "time", t->when);
	event_int(ev, "ts", m->ts);
	event_bool(ev, "delayed", m->delayed);
	if (room)
		event_str(ev, "occupant_id", m->occupant_id);
	event_str(ev, "cursor", t->cursor);
	if (out)
		event_str(ev, "delivery", history_delivery(a, m));
}

void
history_emit(struct account *a, const struct store_msg *m, const char *trust)
{
	struct history_text t;
	struct msgedit_hist keep;
	struct event ev;

	event_init(&ev, EV_HISTORY, a->name);
	history_fields(&ev, &t, a, m, trust);
	msgedit_history_fields(a, m, &ev, &keep); /* edited, retracted... */
	event_emit(&ev);
	msgedit_hist_clear(&keep);
}

/* A message still in the outbox, as a `history` row with delivery
 * "queued" (no cursor: it is not in the history yet). */
static int
history_queued_row(const struct store_outbox_item *it, void *arg)
{
	const struct history_queued *q = arg;
	struct account *a = q->a;
	char when[40];
	struct event ev;

	if (strcmp(it->to, q->with) != 0)
		return 0;
	history_time(it->created_at, when, sizeof(when));
	event_init(&ev, EV_HISTORY, a->name);
	event_str(&ev, "with", it->to);
	event_str(&ev, "from", a->full_jid != NULL ? a->full_jid : a->jid);
	event_str(&ev, "to", it->to);
	event_str(&ev, "type",
		  it->type == STORE_TYPE_GROUPCHAT ? "groupchat" : "chat");
	event_str(&ev, "id", it->origin_id);
	event_str(&ev, "body", it->body);
	event_str(&ev, "encryption",
		  it->enc == STORE_ENC_OMEMO ? "omemo" : "none");
	event_str(&ev, "trust", it->enc == STORE_ENC_OMEMO ? NULL : "none");
	event_bool(&ev, "outgoing", 1);
	event_str(&ev, "time", when);
	event_int(&ev, "ts", it->created_at);
	event_bool(&ev, "delayed", 0);
	event_str(&ev, "cursor", NULL);
	event_str(&ev, "delivery", "queued");
	event_emit(&ev);
	return 0;
}

void
history_end(struct account *a, const char *with, const char *cursor,
	    const char *source, int complete, int newest)
{
	struct history_queued q = {a, with};
	struct event ev;

	if (newest && store_outbox_pending(a->w->store, a->name,
					   history_queued_row, &q) != WARD_OK)
		log_warn("%s: cannot read the outbox", a->name);

	event_init(&ev, EV_HISTORY_END, a->name);
	event_str(&ev, "with", with);
	event_str(&ev, "cursor", cursor);
	event_str(&ev, "source", source);
	event_bool(&ev, "complete", complete);
	event_emit(&ev);
}

char *
history_archive_cursor(int room, int64_t end_ts, const char *id)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = id != NULL ? strlen(id) : 0, i;
	char *c, *p;

	xasprintf(&c, "%c%" PRId64 ".", room ? 'r' : 'a', end_ts);
	c = xrealloc(c, strlen(c) + 2 * n + 1);
	p = c + strlen(c);
	for (i = 0; i < n; i++) {
		*p++ = hex[(unsigned char)id[i] >> 4];
		*p++ = hex[(unsigned char)id[i] & 15];
	}
	*p = '\0';
	return c;
}

/* A decimal int64 >= 0 spanning [s, end). */
static int
history_num(const char *s, const char *end, int64_t *out)
{
	int64_t v = 0;

	if (s == end || end - s > 18)
		return WARD_ERR_PARSE;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return WARD_ERR_PARSE;
		v = v * 10 + (*s - '0');
	}
	*out = v;
	return WARD_OK;
}

static int
history_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Parses a cursor we handed out; anything else is refused. */
static int
history_parse_cursor(const char *s, struct history_pos *p)
{
	const char *dot = strchr(s, '.'), *h;
	size_t n, i;

	memset(p, 0, sizeof(*p));
	if (dot == NULL || (s[0] != 's' && s[0] != 'a' && s[0] != 'r') ||
	    history_num(s + 1, dot, &p->ts) != WARD_OK)
		return WARD_ERR_PARSE;
	p->kind = s[0];
	if (p->kind == 's')
		return history_num(dot + 1, dot + 1 + strlen(dot + 1), &p->id);
	h = dot + 1;
	n = strlen(h);
	if (n % 2 != 0 || n > 2 * HISTORY_ID_MAX)
		return WARD_ERR_PARSE;
	if (n == 0)
		return WARD_OK;
	p->archive_id = xmalloc(n / 2 + 1);
	for (i = 0; i < n / 2; i++) {
		int hi = history_hexval(h[2 * i]),
		    lo = history_hexval(h[2 * i + 1]);
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
			free(p->archive_id);
			p->archive_id = NULL;
			return WARD_ERR_PARSE;
		}
		p->archive_id[i] = (char)(hi << 4 | lo);
	}
	p->archive_id[n / 2] = '\0';
	return WARD_OK;
}

static int
history_page_row(const struct store_msg *m, void *arg)
{
	struct history_page *pg = arg;

	if (pg->n++ == 0) {
		pg->first_ts = m->ts;
		pg->first_id = m->id;
	}
	history_emit(pg->a, m, NULL);
	return 0;
}

/* Where the archive continues below stored row POS->id: its archive id
 * when it came from the archive we would ask, else its time. */
struct history_below {
	struct account *a;
	int room;
	int64_t ts;
	char *archive_id;
};

static int
history_below_row(const struct store_msg *m, void *arg)
{
	struct history_below *b = arg;

	b->room = m->type == STORE_TYPE_GROUPCHAT;
	b->ts = m->ts;
	if (m->server_id != NULL && m->server_id_by != NULL &&
	    jid_bare_equal(m->server_id_by, b->room ? m->peer : b->a->jid) &&
	    strlen(m->server_id) <= HISTORY_ID_MAX)
		b->archive_id = xstrdup(m->server_id);
	return 0;
}

/* A page from the archive, or its cursor when the account is offline. */
static int
history_from_archive(struct account *a, const char *with, int room,
		     int64_t end_ts, const char *archive_id, int max,
		     int asked_archive, int newest)
{
	char *cursor;

	if (a->state == AS_ONLINE)
		return history_mam_ask(a, with, room, end_ts, archive_id, max,
				       newest);
	cursor = history_archive_cursor(room, end_ts, archive_id);
	if (asked_archive)
		event_error(a->name, "not-connected",
			    "the server's archive needs a connected account");
	history_end(a, with, cursor, asked_archive ? "archive" : "store", 0,
		    newest);
	free(cursor);
	return asked_archive ? WARD_ERR_AGAIN : WARD_OK;
}

/* The page of WITH before POS, from the store while it has one. */
static int
history_from_store(struct account *a, const char *with,
		   const struct history_pos *pos, int max)
{
	struct history_page pg = {a, 0, 0, 0};
	struct history_below b = {a, 0, 0, NULL};
	int64_t ts = STORE_PAGE_NEWEST, id = STORE_PAGE_NEWEST;
	char cursor[64];
	int rc;

	if (pos->kind == 's') {
		ts = pos->ts;
		id = pos->id;
	}
	rc = store_page_before(a->w->store, a->name, with, ts, id, max,
			       history_page_row, &pg, NULL);
	if (rc != WARD_OK) {
		event_error(a->name, "storage", "cannot read the history");
		return rc;
	}
	if (pg.n > 0) {
		snprintf(cursor, sizeof(cursor), "s%" PRId64 ".%" PRId64,
			 pg.first_ts, pg.first_id);
		history_end(a, with, cursor, "store", 0, pos->kind == 0);
		return WARD_OK;
	}
	/* nothing older stored: the archive continues below that row */
	b.room = muc_is_room(a, with);
	if (pos->kind == 's' &&
	    store_page_row(a->w->store, a->name, with, pos->id,
			   history_below_row, &b) != WARD_OK)
		b.ts = pos->ts;
	rc = history_from_archive(a, with, b.room, b.ts, b.archive_id, max, 0,
				  pos->kind == 0);
	free(b.archive_id);
	return rc;
}

/* 1 when /history was given no JID: nothing, a page size or a cursor
 * first (the UI puts the window's JID in; the pipe has no window). */
static int
history_jid_missing(const char *with)
{
	struct history_pos pos;
	int cursor;

	if (with == NULL || with[0] == '\0' ||
	    strspn(with, "0123456789") == strlen(with))
		return 1;
	cursor = history_parse_cursor(with, &pos) == WARD_OK;
	free(pos.archive_id);
	return cursor;
}

int
history_command(struct account *a, const char *with, const char *before,
		const char *count)
{
	struct history_pos pos;
	int64_t max = HISTORY_DEFAULT_PAGE;
	char *peer;
	int rc;

	if (a == NULL) {
		event_error(NULL, "command", "no account configured");
		return WARD_ERR_NOTFOUND;
	}
	if (history_jid_missing(with)) {
		event_error(a->name, "command",
			    "give a JID: /history JID [BEFORE] [N] (only a "
			    "chat window of the UI puts in its own)");
		return WARD_ERR_INVAL;
	}
	/* /history JID N: a number alone is the page size */
	if (before != NULL && count == NULL && before[0] >= '0' &&
	    before[0] <= '9') {
		count = before;
		before = NULL;
	}
	if (count != NULL &&
	    (history_num(count, count + strlen(count), &max) != WARD_OK ||
	     max < 1 || max > STORE_PAGE_MAX)) {
		event_error(a->name, "command", "N must be 1 to 500");
		return WARD_ERR_INVAL;
	}
	memset(&pos, 0, sizeof(pos));
	if (before != NULL && history_parse_cursor(before, &pos) != WARD_OK) {
		event_error(a->name, "command",
			    "not a cursor from a history-end event");
		return WARD_ERR_INVAL;
	}
	if ((peer = jid_bare(with)) == NULL) {
		free(pos.archive_id);
		event_error(a->name, "invalid-jid", "not a valid JID");
		return WARD_ERR_INVAL;
	}
	if (pos.kind == 'a' || pos.kind == 'r')
		rc = history_from_archive(a, peer, pos.kind == 'r', pos.ts,
					  pos.archive_id, (int)max, 1, 0);
	else
		rc = history_from_store(a, peer, &pos, (int)max);
	free(pos.archive_id);
	free(peer);
	return rc;
}
