/*
 * contacts.c: /add JID [NAME] [GROUP], /remove JID, /rename JID NAME,
 * /group JID GROUP (roster sets, RFC 6121 2.3-2.5) and /status, /away,
 * /priority (our presence, presence.c).
 */
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "cmd.h"
#include "event.h"
#include "jid.h"
#include "ward.h"

/* JID as a bare JID (malloc'ed), or NULL after an error event. */
static char *
cmd_contact_jid(struct cmd_ctx *ctx, const char *arg)
{
	struct jid j;
	char *bare;

	if (jid_parse(arg, &j) != WARD_OK || j.resource != NULL) {
		if (jid_parse(arg, &j) == WARD_OK)
			jid_clear(&j);
		event_error(ctx->a->name, "invalid-jid",
			    "a contact is a bare JID (name@server)");
		return NULL;
	}
	jid_clear(&j);
	bare = jid_bare(arg);
	return bare;
}

int
cmd_add(struct cmd_ctx *ctx, int argc, char **argv)
{
	char *jid = cmd_contact_jid(ctx, argv[0]);

	if (jid == NULL)
		return WARD_ERR_INVAL;
	roster_set(ctx->a, jid, argc > 1 ? argv[1] : NULL,
		   argc > 2 ? argv[2] : NULL, 0);
	/* RFC 6121 3.4: pre-approve, so that their request back is
	 * answered by the server without a prompt */
	if (ctx->a->preapproval_offered)
		presence_send_type(ctx->a, jid, "subscribed");
	presence_send_type(ctx->a, jid, "subscribe");
	free(jid);
	return WARD_OK;
}

int
cmd_remove(struct cmd_ctx *ctx, int argc, char **argv)
{
	char *jid = cmd_contact_jid(ctx, argv[0]);

	if (jid == NULL)
		return WARD_ERR_INVAL;
	/* the server cancels both subscriptions (RFC 6121 2.5.2) */
	roster_set(ctx->a, jid, NULL, NULL, 1);
	free(jid);
	return WARD_OK;
}

/* Sets JID's NAME (when name) or its GROUP (else), keeping the rest. */
static int
cmd_contact_change(struct cmd_ctx *ctx, const char *arg, const char *name,
		   const char *group)
{
	char *jid = cmd_contact_jid(ctx, arg), *oldname, *groups;

	if (jid == NULL)
		return WARD_ERR_INVAL;
	if (roster_find(ctx->a, jid, &oldname, &groups) != WARD_OK) {
		event_error(ctx->a->name, "not-a-contact",
			    "not in the roster: /add it first");
		free(jid);
		return WARD_ERR_NOTFOUND;
	}
	roster_set(ctx->a, jid, name != NULL ? name : oldname,
		   name != NULL ? groups : group, 0);
	free(oldname);
	free(groups);
	free(jid);
	return WARD_OK;
}

int
cmd_rename(struct cmd_ctx *ctx, int argc, char **argv)
{
	return cmd_contact_change(ctx, argv[0], argv[1], NULL);
}

int
cmd_group(struct cmd_ctx *ctx, int argc, char **argv)
{
	return cmd_contact_change(ctx, argv[0], NULL, argc > 1 ? argv[1] : "");
}

int
cmd_status(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (!presence_show_ok(argv[0])) {
		event_error(ctx->a->name, "bad-status",
			    "status is one of online, chat, away, xa, dnd");
		return WARD_ERR_INVAL;
	}
	return presence_set(ctx->a, argv[0], argc > 1 ? argv[1] : NULL,
			    ctx->a->priority);
}

int
cmd_away(struct cmd_ctx *ctx, int argc, char **argv)
{
	return presence_set(ctx->a, "away", argc > 0 ? argv[0] : NULL,
			    ctx->a->priority);
}

int
cmd_priority(struct cmd_ctx *ctx, int argc, char **argv)
{
	char *end;
	long p = strtol(argv[0], &end, 10);

	/* RFC 6121 4.7.2.3: -128 to 127 */
	if (*argv[0] == '\0' || *end != '\0' || p < -128 || p > 127) {
		event_error(ctx->a->name, "bad-priority",
			    "priority is a number from -128 to 127");
		return WARD_ERR_INVAL;
	}
	return presence_set(ctx->a, NULL, NULL, (int)p);
}
