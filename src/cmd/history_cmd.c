/*
 * history_cmd.c: /history JID [BEFORE] [N] — a page of a conversation's
 * history, from ward.db and then the server's archive (src/feat/history.c);
 * /search TEXT [in JID] — stored messages holding TEXT (src/feat/search.c).
 */
#include "account.h"
#include "cmd.h"
#include "history.h"
#include "search.h"
#include "ward.h"

int
cmd_history(struct cmd_ctx *ctx, int argc, char **argv)
{
	/* no JID: history_command says what is missing (the table's
	 * minimum would only repeat the usage) */
	return history_command(ctx->a, argc > 0 ? argv[0] : NULL,
			       argc > 1 ? argv[1] : NULL,
			       argc > 2 ? argv[2] : NULL);
}

int
cmd_search(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	return search_command(ctx->a, argv[0]);
}
