/*
 * room.c: /join ROOM@SERVICE[/NICK] [NICK] [password PASS], /leave [ROOM], /subject ROOM TEXT and
 * /nick ROOM NEWNICK, /invite ROOM JID [REASON], the owner's /room, and
 * moderation: /kick, /ban, /voice, /role,
 * /affiliation.
 */
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "cmd.h"
#include "event.h"
#include "ward.h"

/* /join ROOM[/NICK] [NICK] [password PASS]: the password is wiped from
 * the parsed line once the room has its copy. */
int
cmd_join(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *nick = NULL, *password = NULL;
	int i = 1, r;

	if (argc > i && strcmp(argv[i], "password") != 0)
		nick = argv[i++];
	if (argc > i && strcmp(argv[i], "password") == 0 && argc == i + 2) {
		password = argv[i + 1];
		i += 2;
	}
	if (i != argc) {
		event_error(ctx->a->name, "command", "usage: /join "
		    "ROOM@SERVICE[/NICK] [NICK] [password PASS]");
		r = WARD_ERR_INVAL;
	} else {
		r = muc_join(ctx->a, argv[0], nick, password);
	}
	for (i = 1; i < argc; i++)
		explicit_bzero(argv[i], strlen(argv[i]));
	return r;
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

int
cmd_invite(struct cmd_ctx *ctx, int argc, char **argv)
{
	return muc_invite_send(ctx->a, argv[0], argv[1],
	    argc > 2 ? argv[2] : NULL);
}

/* /room config|set|submit|cancel|create|destroy ROOM [ARGS]; also
 * /room config ROOM set FIELD VALUE (and submit, cancel). */
int
cmd_room(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *sub = argv[0], *room = argv[1];
	char *rest = NULL, *field, *value;
	int r;

	if (strcmp(sub, "config") == 0 && argc > 2) {
		if (strcmp(argv[2], "submit") == 0 && argc == 3)
			return muc_config_submit(ctx->a, room);
		if (strcmp(argv[2], "cancel") == 0 && argc == 3)
			return muc_config_cancel(ctx->a, room);
		if (strcmp(argv[2], "set") == 0 && argc == 4) {
			/* argv[3] is "FIELD [VALUE...]" */
			field = xstrdup(argv[3]);
			value = strchr(field, ' ');
			if (value != NULL)
				*value++ = '\0';
			r = muc_config_set(ctx->a, room, field, value);
			free(field);
			return r;
		}
	} else if (strcmp(sub, "config") == 0) {
		return muc_config_get(ctx->a, room);
	} else if (strcmp(sub, "set") == 0 && argc >= 3) {
		return muc_config_set(ctx->a, room, argv[2],
		    argc > 3 ? argv[3] : NULL);
	} else if (strcmp(sub, "submit") == 0 && argc == 2) {
		return muc_config_submit(ctx->a, room);
	} else if (strcmp(sub, "cancel") == 0 && argc == 2) {
		return muc_config_cancel(ctx->a, room);
	} else if (strcmp(sub, "create") == 0 && (argc == 2 || (argc == 3 &&
	    strcmp(argv[2], "instant") == 0))) {
		return muc_create(ctx->a, room, argc == 3);
	} else if (strcmp(sub, "destroy") == 0) {
		if (argc > 3)
			xasprintf(&rest, "%s %s", argv[2], argv[3]);
		r = muc_room_destroy(ctx->a, room, rest ? rest :
		    argc > 2 ? argv[2] : NULL);
		free(rest);
		return r;
	}
	event_error(ctx->a->name, "command", "usage: /room config|set|submit|"
	    "cancel|create|destroy ROOM@SERVICE [FIELD VALUE|instant|REASON]");
	return WARD_ERR_INVAL;
}
