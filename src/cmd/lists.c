/*
 * lists.c: /roster and /occupants ROOM — what ward knows of the roster and
 * of a room's occupants, sent again as events (a frontend that starts late,
 * or a script, gets the whole list without waiting for changes).
 */
#include "account.h"
#include "cmd.h"
#include "event.h"
#include "muc_occ.h"
#include "ward.h"

int
cmd_roster(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (ctx->a == NULL) {
		event_error(NULL, "command", "no account configured");
		return WARD_ERR_NOTFOUND;
	}
	roster_list(ctx->a);
	return WARD_OK;
}

int
cmd_occupants(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (ctx->a == NULL) {
		event_error(NULL, "command", "no account configured");
		return WARD_ERR_NOTFOUND;
	}
	return muc_occ_list(ctx->a, argv[0]);
}
