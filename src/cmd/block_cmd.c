/*
 * block_cmd.c: /block JID [spam], /unblock JID and /blocked (XEP-0191,
 * XEP-0377 in blocking.c).
 */
#include <string.h>

#include "account.h"
#include "cmd.h"
#include "event.h"
#include "ward.h"

static int
block_need_account(struct cmd_ctx *ctx)
{
	if (ctx->a != NULL)
		return 1;
	event_error(NULL, "command", "no account configured");
	return 0;
}

int
cmd_block(struct cmd_ctx *ctx, int argc, char **argv)
{
	int spam = argc > 1;

	if (!block_need_account(ctx))
		return WARD_ERR_NOTFOUND;
	if (spam && strcmp(argv[1], "spam") != 0) {
		event_error(ctx->a->name, "command",
			    "/block JID [spam]: the only word after the JID is "
			    "spam");
		return WARD_ERR_INVAL;
	}
	return blocking_request(ctx->a, argv[0], 1, spam);
}

int
cmd_unblock(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	if (!block_need_account(ctx))
		return WARD_ERR_NOTFOUND;
	return blocking_request(ctx->a, argv[0], 0, 0);
}

int
cmd_blocked(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (!block_need_account(ctx))
		return WARD_ERR_NOTFOUND;
	blocking_list(ctx->a);
	return WARD_OK;
}
