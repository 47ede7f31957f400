/*
 * msg.c: /msg JID TEXT — queue a chat message durably and send it.
 * /msg -e JID TEXT takes TEXT with two escapes, "\n" for a line break and
 * "\\" for a backslash, so that a multi-line message fits on the one line
 * a command is (the UI's Alt-Enter input, or a script through the pipe).
 */
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "cmd.h"
#include "event.h"
#include "ward.h"

/* Undoes /msg -e's escapes into a new string; NULL (with an error event)
 * for any other backslash sequence, so a typo is not sent half-read. */
static char *
msg_unescape(const char *account, const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;

	for (; *s != '\0'; s++) {
		if (*s != '\\') {
			*o++ = *s;
			continue;
		}
		s++;
		if (*s == 'n') {
			*o++ = '\n';
		} else if (*s == '\\') {
			*o++ = '\\';
		} else {
			free(out);
			event_error(account, "command", "/msg -e: only \\n and "
			    "\\\\ are escapes (write a backslash as \\\\)");
			return NULL;
		}
	}
	*o = '\0';
	return out;
}

int
cmd_msg(struct cmd_ctx *ctx, int argc, char **argv)
{
	char *to, *text, *body;
	int r;

	if (ctx->a == NULL) {
		event_error(NULL, "command", "no account configured");
		return WARD_ERR_NOTFOUND;
	}
	if (strcmp(argv[0], "-e") != 0)	/* queued even while offline */
		return im_send_message(ctx->a, argv[0], argv[1]);
	/* "-e" took the JID's place: the JID is the rest's first word */
	to = xstrdup(argv[1]);
	text = strchr(to, ' ');
	if (text == NULL || text[1] == '\0') {
		free(to);
		event_error(ctx->a->name, "command", "usage: /msg -e JID "
		    "TEXT");
		return WARD_ERR_INVAL;
	}
	*text++ = '\0';
	if ((body = msg_unescape(ctx->a->name, text)) == NULL) {
		free(to);
		return WARD_ERR_INVAL;
	}
	r = im_send_message(ctx->a, to, body);
	free(body);
	free(to);
	return r;
}
