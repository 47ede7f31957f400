/*
 * core.c: the core object (see core.h): accounts, the shared store with its
 * per-iteration batched transaction, and the dispatcher that runs one
 * command line through the single command table for every frontend.
 */
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "cmd/cmd.h"
#include "cmdparse.h"
#include "config.h"
#include "core.h"
#include "files.h"
#include "event.h"
#include "loop.h"
#include "prompt.h"
#include "store.h"
#include "ward.h"

/*
 * Before every sleep: make the batch durable, then acknowledge to the
 * servers what it holds (XEP-0198; after a failed commit, nothing), then
 * show its events.
 */
static void
ward_prepoll(void *arg)
{
	struct ward *w = arg;
	struct account *a;

	if (ward_txn_commit(w) == WARD_OK)
		for (a = w->accounts; a != NULL; a = a->next)
			sm_send_ack(a);
	event_flush();
}

struct ward *
ward_new_nostore(struct loop *loop, struct config *cfg, char **why)
{
	struct ward *w = xcalloc(1, sizeof(*w));
	struct account_config *ac;
	struct account *a, **tail;

	*why = NULL;
	w->loop = loop;
	w->cfg = cfg;
	w->ctx = xmpp_ctx_new(NULL, NULL);
	if (w->ctx == NULL) {
		*why = xstrdup("cannot create the XMPP context");
		goto fail;
	}
	tail = &w->accounts;
	for (ac = cfg->accounts; ac != NULL; ac = ac->next) {
		if ((a = account_new(w, ac, why)) == NULL)
			goto fail;
		*tail = a;
		tail = &a->next;
	}
	w->current = w->accounts;
	loop_set_prepoll(loop, ward_prepoll, w);
	return w;
fail:
	ward_free(w);
	return NULL;
}

int
ward_open_store(struct ward *w, const char *data_dir, char **why)
{
	char *swhy = NULL;

	*why = NULL;
	free(w->data_dir);
	w->data_dir = xstrdup(data_dir); /* files.c keeps files/ there */
	if (store_open(data_dir, &w->store, &swhy) == WARD_OK)
		return WARD_OK;
	if (swhy != NULL)
		*why = xstrdup(swhy);
	else
		xasprintf(why, "%s: cannot open the database", data_dir);
	free(swhy);
	return WARD_ERR_IO;
}

struct ward *
ward_new(struct loop *loop, struct config *cfg, const char *data_dir,
	 char **why)
{
	struct ward *w = ward_new_nostore(loop, cfg, why);

	if (w != NULL && ward_open_store(w, data_dir, why) != WARD_OK) {
		ward_free(w);
		return NULL;
	}
	return w;
}

void
ward_free(struct ward *w)
{
	struct account *a;

	if (w == NULL)
		return;
	files_free(w); /* before the accounts: it uses their resolvers */
	while ((a = w->accounts) != NULL) {
		w->accounts = a->next;
		account_free(a);
	}
	prompt_free_all(w);
	ward_txn_commit(w);
	loop_timer_cancel(w->loop, w->rest_timer);
	if (w->store != NULL)
		store_close(w->store);
	if (w->ctx != NULL)
		xmpp_ctx_free(w->ctx);
	config_free(w->cfg);
	free(w->data_dir);
	free(w);
}

#define WARD_REST_MS 1000

/* A second after the last write: see store_release_memory(). */
static void
ward_at_rest(void *arg)
{
	struct ward *w = arg;

	w->rest_timer = 0;
	/* the search index takes the rows stored in the burst at once */
	if (store_fts_flush(w->store) != WARD_OK)
		event_error(NULL, "storage", "cannot update the search index");
	store_release_memory(w->store);
}

void
ward_txn(struct ward *w)
{
	if (w->in_txn || w->store == NULL)
		return;
	if (store_begin(w->store) == WARD_OK)
		w->in_txn = 1;
}

int
ward_txn_commit(struct ward *w)
{
	int r;

	if (!w->in_txn)
		return WARD_OK;
	if ((r = store_commit(w->store)) != WARD_OK)
		event_error(NULL, "storage", "cannot commit to the database");
	w->in_txn = 0;
	/*
	 * Something was stored: once nothing more has been for a second,
	 * give the page cache back. Batches that wrote nothing (most loop
	 * turns) leave the timer alone, so an idle client gets no wake-up.
	 */
	if (store_dirty_since_release(w->store)) {
		loop_timer_cancel(w->loop, w->rest_timer);
		w->rest_timer =
		    loop_timer_add(w->loop, WARD_REST_MS, ward_at_rest, w);
	}
	return r;
}

struct account *
ward_account(struct ward *w, const char *name)
{
	struct account *a;

	for (a = w->accounts; a != NULL; a = a->next)
		if (strcmp(a->name, name) == 0)
			return a;
	return NULL;
}

const char *
ward_current_name(const struct ward *w)
{
	return w->current != NULL ? w->current->name : NULL;
}

void
ward_command(struct ward *w, const char *line, size_t len)
{
	struct cmd_call call;
	struct cmd_ctx ctx;
	char *why = NULL;
	const char *acct = w->current ? w->current->name : NULL;

	if (cmd_parse(cmd_table, cmd_table_size, line, len, &call, &why) !=
	    WARD_OK) {
		event_error(acct, "command", why ? why : "bad command");
		free(why);
		return;
	}
	if ((call.entry->flags & CMD_NEEDS_CONN) &&
	    (w->current == NULL || w->current->state != AS_ONLINE)) {
		char *text;
		xasprintf(&text, "/%s needs a connected account",
			  call.entry->name);
		event_error(acct, "not-connected", text);
		free(text);
		cmd_call_clear(&call);
		return;
	}
	csi_activity(w);
	ctx.w = w;
	ctx.a = w->current;
	call.entry->exec(&ctx, call.argc, call.argv);
	cmd_call_clear(&call);
}

static void
ward_quit_now(void *arg)
{
	struct ward *w = arg;

	loop_quit(w->loop, 0);
}

void
ward_quit(struct ward *w)
{
	struct account *a;

	if (w->quit_requested)
		return;
	w->quit_requested = 1;
	for (a = w->accounts; a != NULL; a = a->next)
		account_disconnect(a, "quit");
	ward_txn_commit(w);
	/* let the loop run the deferred frees first */
	loop_timer_add(w->loop, 0, ward_quit_now, w);
}
