/*
 * signals_cmd.c: /chatstate JID STATE and /read JID, what the UI sends
 * while the user types in, or looks at, a conversation. Whether anything
 * goes out is the policy's decision (policy_may_signal): a stranger or a
 * public room is told nothing, and no error says so.
 */
#include "account.h"
#include "cmd.h"
#include "event.h"
#include "ward.h"

int
cmd_chatstate(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	if (ctx->a == NULL) {
		event_error(NULL, "command", "no account configured");
		return WARD_ERR_NOTFOUND;
	}
	return chatstates_send(ctx->a, argv[0], argv[1]);
}

int
cmd_read(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	if (ctx->a == NULL) {
		event_error(NULL, "command", "no account configured");
		return WARD_ERR_NOTFOUND;
	}
	markers_read(ctx->a, argv[0]);
	return WARD_OK;
}
