/*
 * apply_files.c: file offers and transfers in the model. An offer is a line
 * in its conversation's window that says how to fetch it (/download N);
 * a transfer shows a progress bar line in the console when it starts,
 * every quarter, and at its end (with the path, or why it failed).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply_priv.h"
#include "event.h"
#include "model.h"

/* A formatted line (NULL when out of memory). */
static char *__attribute__((format(printf, 1, 2))) fmt(const char *f, ...)
{
	va_list ap;
	char *s;
	int r;

	va_start(ap, f);
	r = vasprintf(&s, f, ap);
	va_end(ap);
	return r < 0 ? NULL : s;
}

static long long
field_int(const struct event *ev, const char *key)
{
	size_t i;

	for (i = 0; i < ev->n; i++)
		if (strcmp(ev->f[i].key, key) == 0 && ev->f[i].type == EF_INT)
			return ev->f[i].i;
	return -1;
}

void
model_file_offer(struct model *m, const struct event *ev)
{
	const char *peer = model_field(ev, "peer");
	const char *name = model_field(ev, "name");
	const char *host = model_field(ev, "host");
	struct uiwin *w = NULL;
	char *line;

	if (peer != NULL)
		w = model_window_for(m, ev->account, peer, 0, 0);
	if ((line = fmt("file offered: %s from %s%s — /download %lld to "
			"fetch it (nothing is fetched by itself)",
			name ? name : "?", host ? host : "?",
			model_field_bool(ev, "encrypted") ? " (encrypted)" : "",
			field_int(ev, "id"))) != NULL) {
		model_note(m, w, LK_INFO, line);
		free(line);
	}
}

/* "[#####.....]" for done of total. */
static void
bar(char *out, size_t size, long long done, long long total)
{
	size_t i, n = 10, fill = total > 0 ? (size_t)(done * 10 / total) : 0;

	if (size < n + 3)
		return;
	out[0] = '[';
	for (i = 0; i < n; i++)
		out[1 + i] = i < fill ? '#' : '.';
	out[n + 1] = ']';
	out[n + 2] = '\0';
}

void
model_transfer(struct model *m, const struct event *ev)
{
	const char *state = model_field(ev, "state");
	const char *name = model_field(ev, "name");
	const char *dir = model_field(ev, "direction");
	long long id = field_int(ev, "id"), done = field_int(ev, "bytes"),
		  total = field_int(ev, "total");
	char *line = NULL, b[16];

	if (state == NULL)
		return;
	if (name == NULL)
		name = "?";
	if (dir == NULL)
		dir = "transfer";
	if (strcmp(state, "progress") == 0) {
		bar(b, sizeof(b), done, total);
		if (total > 0)
			line = fmt("%s %lld %s %s %lld%% (%lld of %lld "
				   "bytes)",
				   dir, id, name, b, done * 100 / total, done,
				   total);
		else
			line =
			    fmt("%s %lld %s: %lld bytes", dir, id, name, done);
	} else if (strcmp(state, "done") == 0)
		line =
		    fmt("%s %lld %s: done, %lld bytes%s%s", dir, id, name, done,
			model_field(ev, "path") ? " in " : "",
			model_field(ev, "path") ? model_field(ev, "path") : "");
	else if (strcmp(state, "failed") == 0)
		line =
		    fmt("%s %lld %s failed: %s", dir, id, name,
			model_field(ev, "why") ? model_field(ev, "why") : "?");
	else
		line = fmt("%s %lld %s: %s", dir, id, name, state);
	if (line != NULL) {
		model_note(m, m->wl.w[0], LK_INFO, line); /* the console */
		free(line);
	}
}
