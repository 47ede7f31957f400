/*
 * pending.c: commands whose machinery is not built yet. Each answers with
 * a clear error naming what is missing instead of pretending to work:
 * OMEMO.
 */
#include "account.h"
#include "cmd.h"
#include "event.h"
#include "ward.h"

static const char *
cmd_acct(struct cmd_ctx *ctx)
{
	return ctx->a != NULL ? ctx->a->name : NULL;
}

int
cmd_omemo(struct cmd_ctx *ctx, int argc, char **argv)
{
	event_error(cmd_acct(ctx), "omemo-unavailable",
	    "OMEMO is not built into this version yet");
	return WARD_ERR_NOTFOUND;
}
