/*
 * room.c: /join ROOM@SERVICE[/NICK], /leave [ROOM], /subject ROOM TEXT and
 * /nick ROOM NEWNICK.
 */
#include "account.h"
#include "cmd.h"
#include "ward.h"

int
cmd_join(struct cmd_ctx *ctx, int argc, char **argv)
{
	return muc_join(ctx->a, argv[0]);
}

int
cmd_leave(struct cmd_ctx *ctx, int argc, char **argv)
{
	return muc_leave(ctx->a, argc > 0 ? argv[0] : NULL);
}

int
cmd_subject(struct cmd_ctx *ctx, int argc, char **argv)
{
	return muc_set_subject(ctx->a, argv[0], argv[1]);
}

int
cmd_nick(struct cmd_ctx *ctx, int argc, char **argv)
{
	return muc_change_nick(ctx->a, argv[0], argv[1]);
}
