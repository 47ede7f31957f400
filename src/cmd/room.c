/*
 * room.c: /join ROOM@SERVICE[/NICK], /leave [ROOM] and /subject ROOM TEXT.
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
