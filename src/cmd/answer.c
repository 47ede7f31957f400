/*
 * answer.c: /accept ID and /reject ID answer an open prompt; /accept JID
 * accepts a message request (requests.c), /requests lists them.
 */
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "cmd.h"
#include "event.h"
#include "prompt.h"
#include "ward.h"

static int
cmd_answer(struct cmd_ctx *ctx, const char *id, int accepted)
{
	char *text;

	if (prompt_answer(ctx->w, id, accepted) == WARD_OK)
		return WARD_OK;
	xasprintf(&text, "no open prompt with id %.40s", id);
	event_error(ctx->a ? ctx->a->name : NULL, "no-prompt", text);
	free(text);
	return WARD_ERR_NOTFOUND;
}

int
cmd_accept(struct cmd_ctx *ctx, int argc, char **argv)
{
	/* prompt ids are numbers; a JID has a dot or an @ */
	if (strpbrk(argv[0], "@.") != NULL) {
		if (ctx->a == NULL) {
			event_error(NULL, "command", "no account configured");
			return WARD_ERR_NOTFOUND;
		}
		return requests_accept(ctx->a, argv[0]);
	}
	return cmd_answer(ctx, argv[0], 1);
}

int
cmd_requests(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (ctx->a == NULL) {
		event_error(NULL, "command", "no account configured");
		return WARD_ERR_NOTFOUND;
	}
	requests_list(ctx->a);
	return WARD_OK;
}

int
cmd_reject(struct cmd_ctx *ctx, int argc, char **argv)
{
	return cmd_answer(ctx, argv[0], 0);
}
