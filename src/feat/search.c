/*
 * search.c: /search TEXT [in JID] (see search.h). The store finds the rows
 * (store_search.c, FTS5); each is told as a `search-result` event with the
 * fields of a `history` event plus `context`, a /history cursor whose page
 * ends with the hit, so a frontend can open the conversation there.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "core.h"
#include "event.h"
#include "history.h"
#include "jid.h"
#include "search.h"
#include "store.h"
#include "store_search.h"
#include "ward.h"

struct search_run {
	struct account *a;
	size_t n;
};

static int
search_row(const struct store_msg *m, void *arg)
{
	struct search_run *r = arg;
	struct history_text t;
	struct event ev;
	char context[64];

	/* the page before (ts, id + 1) ends with this row */
	snprintf(context, sizeof(context), "s%" PRId64 ".%" PRId64, m->ts,
		 m->id + 1);
	event_init(&ev, EV_SEARCH_RESULT, r->a->name);
	history_fields(&ev, &t, r->a, m, NULL);
	event_int(&ev, "row", m->id);
	event_str(&ev, "context", context);
	event_emit(&ev);
	r->n++;
	return 0;
}

static int
search_space(char c)
{
	return c == ' ' || c == '\t';
}

int
search_parse(const char *line, char **text, char **with)
{
	const char *end = line + strlen(line), *word, *in;

	*text = NULL;
	*with = NULL;
	while (end > line && search_space(end[-1]))
		end--;
	/* the last word, and the one before it */
	word = end;
	while (word > line && !search_space(word[-1]))
		word--;
	in = word;
	while (in > line && search_space(in[-1]))
		in--;
	/* "... in JID": words before, "in", and a word with '@' or '.' */
	if (word < end && in - line >= 3 && in < word &&
	    strncmp(in - 2, "in", 2) == 0 && search_space(in[-3]) &&
	    (memchr(word, '@', (size_t)(end - word)) != NULL ||
	     memchr(word, '.', (size_t)(end - word)) != NULL)) {
		char *jid = xstrndup(word, (size_t)(end - word));
		*with = jid_bare(jid);
		free(jid);
		if (*with == NULL)
			return WARD_ERR_INVAL;
		end = in - 2;
		while (end > line && search_space(end[-1]))
			end--;
	}
	*text = xstrndup(line, (size_t)(end - line));
	return WARD_OK;
}

int
search_command(struct account *a, const char *line)
{
	struct search_run r = {a, 0};
	struct event ev;
	char *text, *with;
	int rc;

	if (a == NULL) {
		event_error(NULL, "command", "no account configured");
		return WARD_ERR_NOTFOUND;
	}
	if (search_parse(line, &text, &with) != WARD_OK) {
		event_error(a->name, "invalid-jid",
			    "not a valid JID after 'in'");
		return WARD_ERR_INVAL;
	}
	rc = store_search(a->w->store, a->name, with, text, SEARCH_MAX_RESULTS,
			  search_row, &r, NULL);
	if (rc == WARD_ERR_INVAL || rc == WARD_ERR_LIMIT) {
		event_error(a->name, "command",
			    rc == WARD_ERR_LIMIT
				? "at most 16 words and 256 bytes to search for"
				: "nothing to search for");
	} else if (rc != WARD_OK) {
		event_error(a->name, "storage", "cannot search the history");
	} else {
		event_init(&ev, EV_SEARCH_END, a->name);
		event_str(&ev, "text", text);
		event_str(&ev, "with", with);
		event_int(&ev, "count", (long long)r.n);
		event_bool(&ev, "more", r.n == SEARCH_MAX_RESULTS);
		event_emit(&ev);
	}
	free(text);
	free(with);
	return rc;
}
