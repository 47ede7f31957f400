/*
 * files_cmd.c: /download, /upload, /cancel and /files (src/feat/files.c does
 * the work; nothing is fetched without /download).
 */
#include "account.h"
#include "cmd.h"
#include "event.h"
#include "files.h"
#include "ward.h"

int
cmd_download(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (ctx->a == NULL)
		return WARD_ERR_NOTFOUND;
	return files_download(ctx->a, argc > 0 ? argv[0] : NULL,
			      argc > 1 ? argv[1] : NULL);
}

int
cmd_upload(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (ctx->a == NULL)
		return WARD_ERR_NOTFOUND;
	if (argc < 2) {
		event_error(ctx->a->name, "command", "usage: /upload PATH JID");
		return WARD_ERR_INVAL;
	}
	return files_upload(ctx->a, argv[0], argv[1]);
}

int
cmd_cancel(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	return files_cancel(ctx->w, argv[0]);
}

int
cmd_files(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return files_list(ctx->w);
}
