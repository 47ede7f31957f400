/*
 * apply_search.c: /search results in the UI. Each search-result event
 * becomes a numbered line in the console ("[3] time  with  sender: body")
 * and a hit kept in the model; /goto N opens that conversation's window
 * and pages its history in (the ordinary /history paging) until the hit's
 * line is held, then scrolls the view so that the hit is its bottom line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "event.h"
#include "model/apply_priv.h"
#include "model/model.h"

#define SEEK_SLACK_MS 5000 /* a live line's time is when it was shown */

static long long
hit_int(const struct event *ev, const char *key)
{
	size_t i;

	for (i = 0; i < ev->n; i++)
		if (strcmp(ev->f[i].key, key) == 0 && ev->f[i].type == EF_INT)
			return ev->f[i].i;
	return 0;
}

static void
hit_free(struct search_hit *h)
{
	free(h->account);
	free(h->with);
	free(h->body);
	free(h->id);
	memset(h, 0, sizeof(*h));
}

void
model_search_clear(struct model *m)
{
	size_t i;

	for (i = 0; i < m->nhits; i++)
		hit_free(&m->hits[i]);
	free(m->hits);
	m->hits = NULL;
	m->nhits = 0;
}

void
model_search_result(struct model *m, const struct event *ev)
{
	const char *with = model_field(ev, "with"),
		   *body = model_field(ev, "body");
	const char *type = model_field(ev, "type"),
		   *from = model_field(ev, "from");
	struct search_hit *h, *v;
	char when[32], b[512], *line;
	const char *sender;
	time_t t;
	struct tm tm;

	if (!m->search_open) { /* a new search: the old results go */
		model_search_clear(m);
		m->search_open = 1;
	}
	if (with == NULL || body == NULL || m->nhits >= MODEL_SEARCH_MAX)
		return;
	if ((v = realloc(m->hits, (m->nhits + 1) * sizeof(*v))) == NULL)
		return;
	m->hits = v;
	h = &m->hits[m->nhits];
	memset(h, 0, sizeof(*h));
	h->account = ev->account ? strdup(ev->account) : NULL;
	h->with = strdup(with);
	h->body = strdup(body);
	h->id = model_field(ev, "id") ? strdup(model_field(ev, "id")) : NULL;
	h->ts = hit_int(ev, "ts");
	h->room = type != NULL && strcmp(type, "groupchat") == 0;
	if (h->with == NULL || h->body == NULL) {
		hit_free(h);
		return;
	}
	m->nhits++;
	if (model_field_bool(ev, "outgoing"))
		sender = "me";
	else if (h->room)
		sender = model_resource(from);
	else
		sender = model_bare(from, b, sizeof(b));
	t = (time_t)(h->ts / 1000);
	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
	/* the body is drawn as a display string, like any remote text */
	if (asprintf(&line, "[%zu] %s  %s  %s: %s", m->nhits, when, with,
		     sender, body) >= 0) {
		model_note(m, m->wl.w[0], LK_INFO, line);
		free(line);
	}
}

void
model_search_end(struct model *m, const struct event *ev)
{
	long long n = hit_int(ev, "count");
	const char *text = model_field(ev, "text");
	char *line;

	if (!m->search_open)
		model_search_clear(m); /* nothing found this time */
	m->search_open = 0;
	if (asprintf(&line,
		     n == 0 ? "search \"%s\": nothing found"
			    : "search \"%s\": %lld found%s; /goto N opens one",
		     text ? text : "", n,
		     model_field_bool(ev, "more") ? " (the newest)" : "") >=
	    0) {
		model_note(m, m->wl.w[0], LK_INFO, line);
		free(line);
	}
	model_select(m, 0);
}

/* The held line of the hit w seeks, or 0. */
static uint64_t
seek_find(struct uiwin *w)
{
	uint64_t s, found = 0;
	struct line *l;
	const char *text;
	size_t n = strlen(w->seek_body);

	if (w->seek_id != NULL &&
	    (found = lstore_find_id(w->lines, w->seek_id,
				    lstore_count(w->lines))) != 0)
		return found;
	for (s = lstore_first(w->lines); s < lstore_end(w->lines); s++) {
		l = lstore_get(w->lines, s, &text);
		if (l == NULL || (l->kind != LK_MSG && l->kind != LK_ME))
			continue;
		if (l->time > w->seek_ts + SEEK_SLACK_MS)
			break;
		if (l->time >= w->seek_ts - SEEK_SLACK_MS && l->len <= n &&
		    memcmp(text, w->seek_body + (n - l->len), l->len) == 0)
			found = s; /* the body, or its part after "/me " */
	}
	return found;
}

void
model_seek(struct model *m, struct uiwin *w)
{
	uint64_t s;

	if (w->seek_body == NULL)
		return;
	if ((s = seek_find(w)) != 0) {
		w->bottom = s;
		w->bottom_skip = 0;
		model_set(&w->seek_body, NULL);
		model_set(&w->seek_id, NULL);
		m->dirty |= MD_CHAT;
	} else if (w->history_done) {
		model_set(&w->seek_body, NULL);
		model_set(&w->seek_id, NULL);
		model_note(m, w, LK_ERROR,
			   "the search result is not in the lines this window "
			   "can hold");
	} else {
		w->want_older = 1; /* the next older page */
	}
}

const char *
model_search_goto(struct model *m, size_t n)
{
	struct search_hit *h;
	struct uiwin *w;

	if (n < 1 || n > m->nhits)
		return "no such search result";
	h = &m->hits[n - 1];
	w = model_window_for(m, h->account, h->with, h->room, 1);
	if (w == NULL)
		return "cannot open a window for it";
	model_set(&w->seek_body, h->body);
	model_set(&w->seek_id, h->id);
	w->seek_ts = h->ts;
	model_select(m, winlist_index(&m->wl, w));
	model_seek(m, w);
	return NULL;
}
