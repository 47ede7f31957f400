/*
 * info.c: /security (the connection report again) and /help (generated
 * from the command table).
 */
#include <stdlib.h>

#include "account.h"
#include "cmd.h"
#include "event.h"
#include "ward.h"

int
cmd_security(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (ctx->a == NULL) {
		event_error(NULL, "command", "no account configured");
		return WARD_ERR_NOTFOUND;
	}
	account_report(ctx->a, EV_SECURITY);
	return WARD_OK;
}

int
cmd_help(struct cmd_ctx *ctx, int argc, char **argv)
{
	char *text = cmd_help_text(cmd_table, cmd_table_size,
	    argc > 0 ? argv[0] : NULL);
	struct event ev;

	if (text == NULL) {
		event_error(NULL, "command", "no such command");
		return WARD_ERR_NOTFOUND;
	}
	event_init(&ev, EV_HELP, ctx->a ? ctx->a->name : NULL);
	event_str(&ev, "text", text);
	event_emit(&ev);
	free(text);
	return WARD_OK;
}
