/*
 * room.c: /join ROOM@SERVICE[/NICK], /leave [ROOM], /subject ROOM TEXT and
 * /nick ROOM NEWNICK, and moderation: /kick, /ban, /voice, /role,
 * /affiliation.
 */
#include <string.h>

#include "account.h"
#include "cmd.h"
#include "event.h"
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
cmd_bookmark(struct cmd_ctx *ctx, int argc, char **argv)
{
	return bookmarks_command(ctx->a, argc, argv);
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

int
cmd_kick(struct cmd_ctx *ctx, int argc, char **argv)
{
	return muc_admin_set(ctx->a, argv[0], "nick", argv[1], "role", "none",
	    argc > 2 ? argv[2] : NULL);
}

int
cmd_ban(struct cmd_ctx *ctx, int argc, char **argv)
{
	return muc_admin_set(ctx->a, argv[0], "jid", argv[1], "affiliation",
	    "outcast", argc > 2 ? argv[2] : NULL);
}

int
cmd_voice(struct cmd_ctx *ctx, int argc, char **argv)
{
	return muc_admin_set(ctx->a, argv[0], "nick", argv[1], "role",
	    "participant", NULL);
}

static int
cmd_one_of(struct cmd_ctx *ctx, const char *v, const char *const *ok)
{
	for (; *ok != NULL; ok++)
		if (strcmp(v, *ok) == 0)
			return 1;
	event_error(ctx->a->name, "command", "unknown role or affiliation");
	return 0;
}

int
cmd_role(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const char *const roles[] = { "none", "visitor", "participant",
		"moderator", NULL };

	if (!cmd_one_of(ctx, argv[2], roles))
		return WARD_ERR_INVAL;
	return muc_admin_set(ctx->a, argv[0], "nick", argv[1], "role", argv[2],
	    NULL);
}

int
cmd_affiliation(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const char *const affs[] = { "none", "outcast", "member",
		"admin", "owner", NULL };

	if (!cmd_one_of(ctx, argv[2], affs))
		return WARD_ERR_INVAL;
	return muc_admin_set(ctx->a, argv[0], "jid", argv[1], "affiliation",
	    argv[2], NULL);
}
