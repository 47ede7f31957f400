/*
 * msgedit_cmd.c: /correct, /retract, /react, /reply and /versions: the
 * commands of msgedit.c (corrections, retractions, reactions, replies and
 * the earlier versions of an edited message). Each names its chat; the
 * curses UI fills in the current window's.
 */
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "cmd.h"
#include "event.h"
#include "msgedit.h"
#include "ward.h"

static int
msgedit_need_account(struct cmd_ctx *ctx)
{
	if (ctx->a != NULL)
		return 1;
	event_error(NULL, "command", "no account configured");
	return 0;
}

/* /correct JID TEXT, or /correct JID -i ID TEXT */
int
cmd_correct(struct cmd_ctx *ctx, int argc, char **argv)
{
	char *id, *text;
	int r;

	(void)argc;
	if (!msgedit_need_account(ctx))
		return WARD_ERR_NOTFOUND;
	if (strncmp(argv[1], "-i ", 3) != 0)
		return msgedit_correct(ctx->a, argv[0], NULL, argv[1]);
	id = xstrdup(argv[1] + 3);
	text = strchr(id, ' ');
	if (text == NULL || text[1] == '\0') {
		free(id);
		event_error(ctx->a->name, "command",
			    "usage: /correct JID -i ID TEXT");
		return WARD_ERR_INVAL;
	}
	*text++ = '\0';
	r = msgedit_correct(ctx->a, argv[0], id, text);
	free(id);
	return r;
}

int
cmd_retract(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (!msgedit_need_account(ctx))
		return WARD_ERR_NOTFOUND;
	return msgedit_retract(ctx->a, argv[0], argc > 1 ? argv[1] : NULL);
}

int
cmd_react(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (!msgedit_need_account(ctx))
		return WARD_ERR_NOTFOUND;
	return msgedit_react(ctx->a, argv[0], argv[1], argc > 2 ? argv[2] : "");
}

int
cmd_reply(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	if (!msgedit_need_account(ctx))
		return WARD_ERR_NOTFOUND;
	return msgedit_reply(ctx->a, argv[0], argv[1], argv[2]);
}

int
cmd_versions(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	if (!msgedit_need_account(ctx))
		return WARD_ERR_NOTFOUND;
	return msgedit_versions(ctx->a, argv[0], argv[1]);
}
