/*
 * frontend.c: the answer of a frontend without a screen to the commands
 * only the curses UI runs (/win, /close, /query, /me, /find: flagged
 * CMD_FRONTEND in the table, so /help and completion list them).
 */
#include <stdio.h>

#include "account.h"
#include "cmd.h"
#include "event.h"
#include "ward.h"

int
cmd_ui_only(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	event_error(
	    ctx->a ? ctx->a->name : NULL, "command",
	    "only in the UI: this command changes what the screen shows");
	return WARD_ERR_INVAL;
}
