/*
 * msg.c: /msg JID TEXT — queue a chat message durably and send it.
 */
#include "account.h"
#include "cmd.h"
#include "event.h"
#include "ward.h"

int
cmd_msg(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (ctx->a == NULL) {
		event_error(NULL, "command", "no account configured");
		return WARD_ERR_NOTFOUND;
	}
	/* queued even while offline: it goes out once the session is up */
	return im_send_message(ctx->a, argv[0], argv[1]);
}
