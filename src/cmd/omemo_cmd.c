/*
 * omemo_cmd.c: /omemo on|off JID (a chat's explicit plaintext, remembered),
 * /omemo verify JID FINGERPRINT, /omemo fingerprints [JID] and /omemo
 * accept-key JID DEVICE; /chat-security JID (src/feat/chatsec.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "chatsec.h"
#include "cmd.h"
#include "event.h"
#include "jid.h"
#include "omemo_im.h"
#include "policy.h"
#include "ward.h"

static int
cmd_omemo_usage(struct cmd_ctx *ctx)
{
	event_error(ctx->a->name, "command",
		    "usage: /omemo on|off JID, /omemo verify JID FINGERPRINT, "
		    "/omemo fingerprints [JID] or /omemo accept-key JID "
		    "DEVICE");
	return WARD_ERR_INVAL;
}

/* The bare JID of a 1:1 chat, or NULL after an error event. */
static char *
cmd_omemo_jid(struct cmd_ctx *ctx, const char *arg)
{
	char *bare = jid_bare(arg);

	if (bare == NULL || strchr(bare, '@') == NULL) {
		event_error(ctx->a->name, "invalid-jid", "not a valid JID");
		free(bare);
		return NULL;
	}
	return bare;
}

static int
cmd_omemo_switch(struct cmd_ctx *ctx, const char *arg, int plaintext)
{
	/* ROOM/NICK: that occupant's private messages (policy.c) */
	char *bare = muc_occupant(ctx->a, arg), *text;
	struct event ev;
	int r;

	if (bare == NULL)
		bare = cmd_omemo_jid(ctx, arg);
	if (bare == NULL)
		return WARD_ERR_INVAL;
	if ((r = policy_set_chat_plaintext(ctx->a, bare, plaintext)) !=
	    WARD_OK) {
		event_error(ctx->a->name, "storage", "cannot save the setting");
		free(bare);
		return r;
	}
	xasprintf(&text,
		  plaintext ? "new messages to %s go unencrypted (plaintext "
			      "chosen by you; /omemo on %s undoes it)"
			    : "new messages to %s are OMEMO-encrypted%s",
		  bare, plaintext ? bare : "");
	event_init(&ev, EV_INFO, ctx->a->name);
	event_str(&ev, "text", text);
	event_str(&ev, "jid", bare);
	event_str(&ev, "encryption", plaintext ? "none" : "omemo");
	event_emit(&ev);
	chatsec_changed(ctx->a, bare);
	free(text);
	free(bare);
	return WARD_OK;
}

static int
cmd_omemo_verify(struct cmd_ctx *ctx, const char *arg, const char *fpr)
{
	char *bare = cmd_omemo_jid(ctx, arg), *text;
	int r;

	if (bare == NULL)
		return WARD_ERR_INVAL;
	r = omemo_ask_verify(ctx->a, bare, fpr);
	if (r == WARD_OK) {
		xasprintf(&text,
			  "the device of %s with that fingerprint is "
			  "verified",
			  bare);
		event_info(ctx->a->name, text);
	} else {
		xasprintf(&text, "%s: %s",
			  r == WARD_ERR_INVAL ? "not a fingerprint (64 hex "
						"digits)"
					      : "no known device of",
			  r == WARD_ERR_INVAL ? fpr : bare);
		event_error(ctx->a->name, "omemo-fingerprint", text);
	}
	free(text);
	free(bare);
	return r;
}

static int
cmd_omemo_accept_key(struct cmd_ctx *ctx, const char *arg, const char *dev)
{
	char *bare = cmd_omemo_jid(ctx, arg), *end, *text;
	unsigned long id;
	int r;

	if (bare == NULL)
		return WARD_ERR_INVAL;
	errno = 0;
	id = strtoul(dev, &end, 10);
	if (dev[0] < '1' || dev[0] > '9' || *end != '\0' || errno != 0 ||
	    id > 0x7fffffffUL) {
		free(bare);
		return cmd_omemo_usage(ctx);
	}
	r = omemo_dev_accept_key(ctx->a, bare, (uint32_t)id);
	if (r == WARD_OK) {
		xasprintf(&text,
			  "device %lu of %s: the key it shows now will be "
			  "used (trusted as a new device)",
			  id, bare);
		event_info(ctx->a->name, text);
		chatsec_changed(ctx->a, bare);
	} else {
		xasprintf(&text, "no known device %lu of %s", id, bare);
		event_error(ctx->a->name, "omemo-fingerprint", text);
	}
	free(text);
	free(bare);
	return r;
}

int
cmd_omemo(struct cmd_ctx *ctx, int argc, char **argv)
{
	char *bare = NULL;

	if (ctx->a == NULL) {
		event_error(NULL, "command", "no account configured");
		return WARD_ERR_NOTFOUND;
	}
	if (argc == 2 && strcmp(argv[0], "on") == 0)
		return cmd_omemo_switch(ctx, argv[1], 0);
	if (argc == 2 && strcmp(argv[0], "off") == 0)
		return cmd_omemo_switch(ctx, argv[1], 1);
	if (argc == 3 && strcmp(argv[0], "verify") == 0)
		return cmd_omemo_verify(ctx, argv[1], argv[2]);
	if (argc == 3 && strcmp(argv[0], "accept-key") == 0)
		return cmd_omemo_accept_key(ctx, argv[1], argv[2]);
	if (argc <= 2 && strcmp(argv[0], "fingerprints") == 0) {
		if (argc == 2 && (bare = cmd_omemo_jid(ctx, argv[1])) == NULL)
			return WARD_ERR_INVAL;
		omemo_ask_fingerprints(ctx->a, bare);
		free(bare);
		return WARD_OK;
	}
	return cmd_omemo_usage(ctx);
}

int
cmd_chat_security(struct cmd_ctx *ctx, int argc, char **argv)
{
	return chatsec_command(ctx->a, argv[0]);
}
