/*
 * apply_req.c: strangers in the model: message requests and the block
 * list. A stranger's held message
 * opens no window and rings no bell: the console says once per sender (per
 * run) that it is not a contact and how to accept or block it; /requests
 * lists the senders there; an accepted request with messages opens its
 * chat window (current), which then pages its history in like any other.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "model/apply_priv.h"
#include "model/model.h"

#define REQ_SEEN_MAX 1024 /* senders announced per run */

/* 1 when BARE was announced already (and records it when not). */
static int
req_seen(struct model *m, const char *bare)
{
	size_t i;
	char **n;

	for (i = 0; i < m->nreq_seen; i++)
		if (strcmp(m->req_seen[i], bare) == 0)
			return 1;
	if (m->nreq_seen >= REQ_SEEN_MAX)
		return 1; /* a flood of strangers: quiet from here on */
	n = realloc(m->req_seen, (m->nreq_seen + 1) * sizeof(*n));
	if (n == NULL)
		return 0;
	m->req_seen = n;
	if ((n[m->nreq_seen] = strndup(bare, 3071)) != NULL)
		m->nreq_seen++;
	return 0;
}

void
model_request(struct model *m, const struct event *ev)
{
	const char *jid = model_field(ev, "jid"),
		   *state = model_field(ev, "state");
	const char *text = model_field(ev, "text");
	struct uiwin *w;
	long long count = 0;
	char *line = NULL;
	size_t i;

	if (jid == NULL || state == NULL)
		return;
	for (i = 0; i < ev->n; i++)
		if (strcmp(ev->f[i].key, "count") == 0 &&
		    ev->f[i].type == EF_INT)
			count = ev->f[i].i;
	if (strcmp(state, "new") == 0) {
		/* said once, on the console and where the user is looking */
		if (!req_seen(m, jid) && text != NULL) {
			model_note(m, m->wl.w[0], LK_INFO, text);
			if (winlist_current(&m->wl) != m->wl.w[0])
				model_note(m, NULL, LK_INFO, text);
		}
	} else if (strcmp(state, "listed") == 0) {
		if (asprintf(&line,
			     "request: %s, %lld message%s held (not a contact)",
			     jid, count, count == 1 ? "" : "s") >= 0)
			model_note(m, m->wl.w[0], LK_INFO, line);
	} else if (strcmp(state, "accepted") == 0 && count == 0) {
		/* accepted ahead: nothing to show yet; its first message
		 * opens the window as any chat's does */
		if (text != NULL)
			model_note(m, m->wl.w[0], LK_INFO, text);
	} else if (strcmp(state, "accepted") == 0) {
		w = model_window_for(m, ev->account, jid, 0, 1);
		if (w != NULL) {
			model_select(m, winlist_index(&m->wl, w));
			if (text != NULL)
				model_note(m, w, LK_INFO, text);
		}
	} else if (strcmp(state, "blocked") == 0) {
		if (asprintf(&line, "request from %s dropped: blocked", jid) >=
		    0)
			model_note(m, m->wl.w[0], LK_INFO, line);
	}
	free(line);
}

/* The block list changed (console and the JID's window), or /blocked. */
void
model_block(struct model *m, const struct event *ev)
{
	const char *jid = model_field(ev, "jid"),
		   *state = model_field(ev, "state");
	struct uiwin *w;
	char *line = NULL;

	if (jid == NULL || state == NULL)
		return;
	if (strcmp(state, "listed") == 0) {
		if (asprintf(&line, "blocked: %s", jid) >= 0)
			model_note(m, m->wl.w[0], LK_INFO, line);
	} else if (asprintf(&line, "%s %s", jid, state) >= 0) {
		model_note(m, m->wl.w[0], LK_INFO, line);
		w = model_window_for(m, ev->account, jid, 0, 0);
		if (w != NULL && w != m->wl.w[0])
			model_note(m, w, LK_INFO, line);
	}
	free(line);
}
