/*
 * search_cmd.c: /search TEXT — the current account's stored history
 * searched for TEXT (src/feat/search.c).
 */
#include "cmd.h"
#include "search.h"
#include "ward.h"

int
cmd_search(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	return search_command(ctx->a, argv[0]);
}
