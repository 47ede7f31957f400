/*
 * search.c: /search TEXT: the current account's stored history (ward.db,
 * every conversation) searched for TEXT, newest first, as `search` events
 * (the fields of `history`, with the cursor that pages back from the
 * match) and one `search-end`. Local only: nothing is asked of the server.
 */
#include <string.h>

#include "account.h"
#include "core.h"
#include "event.h"
#include "history.h"
#include "search.h"
#include "store.h"
#include "store_page.h"
#include "ward.h"

static int
search_row(const struct store_msg *m, void *arg)
{
	history_emit_as(arg, m, NULL, EV_SEARCH);
	return 0;
}

int
search_command(struct account *a, const char *text)
{
	struct event ev;
	size_t n = 0;
	int rc;

	if (a == NULL) {
		event_error(NULL, "command", "no account configured");
		return WARD_ERR_NOTFOUND;
	}
	if (text == NULL || text[0] == '\0' || strlen(text) > SEARCH_TEXT_MAX) {
		event_error(a->name, "command",
			    "/search needs a text of 1 to 256 bytes");
		return WARD_ERR_INVAL;
	}
	rc = store_search(a->w->store, a->name, text, SEARCH_MAX, search_row, a,
			  &n);
	if (rc != WARD_OK) {
		event_error(a->name, "storage", "cannot search the history");
		return rc;
	}
	event_init(&ev, EV_SEARCH_END, a->name);
	event_str(&ev, "text", text);
	event_int(&ev, "count", (long long)n);
	event_bool(&ev, "more", n == SEARCH_MAX);
	event_emit(&ev);
	return WARD_OK;
}
