/*
 * connect.c: /connect, /disconnect, /account and /quit: starting and
 * ending sessions and choosing the account commands apply to.
 */
#include <stdlib.h>

#include "account.h"
#include "cmd.h"
#include "core.h"
#include "event.h"
#include "ward.h"

static struct account *
cmd_pick_account(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct account *a = argc > 0 ? ward_account(ctx->w, argv[0]) : ctx->a;
	char *text;

	if (a == NULL) {
		if (argc > 0) {
			xasprintf(&text, "no account named %s", argv[0]);
			event_error(NULL, "command", text);
			free(text);
		} else {
			event_error(NULL, "command", "no account configured");
		}
	}
	return a;
}

int
cmd_connect(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct account *a = cmd_pick_account(ctx, argc, argv);

	if (a == NULL)
		return WARD_ERR_NOTFOUND;
	if (a->state != AS_OFFLINE) {
		event_info(a->name, "already connected or connecting");
		return WARD_OK;
	}
	return account_connect(a);
}

int
cmd_disconnect(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (ctx->a == NULL)
		return WARD_ERR_NOTFOUND;
	if (ctx->a->state == AS_OFFLINE) {
		event_info(ctx->a->name, "not connected");
		return WARD_OK;
	}
	account_disconnect(ctx->a, "disconnected by the user");
	return WARD_OK;
}

int
cmd_account(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct account *a = cmd_pick_account(ctx, argc, argv);

	if (a == NULL)
		return WARD_ERR_NOTFOUND;
	ctx->w->current = a;
	event_info(a->name, "current account");
	return WARD_OK;
}

int
cmd_quit(struct cmd_ctx *ctx, int argc, char **argv)
{
	ward_quit(ctx->w);
	return WARD_OK;
}
