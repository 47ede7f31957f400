/*
 * audit_cmd.c: /audit DOMAIN, the server audit run as a child process
 * (src/audit/audit_child.c).
 */
#include "audit.h"
#include "cmd.h"

int
cmd_audit(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	return audit_child_start(ctx->w, ctx->a, argv[0]);
}
