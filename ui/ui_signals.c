/*
 * ui_signals.c: what the UI tells the core while the user types in, or
 * looks at, a conversation: /chatstate JID composing when text (not a
 * command) is in the input line, active when it is gone (or the window is
 * left), and /read JID when a window with a new message is the current
 * one. The core decides whether anything leaves (policy_may_signal): a
 * stranger or a public room is told nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "input/editor.h"
#include "ui_priv.h"
#include "ward.h"

static void
ui_signal_cmd(struct ui *ui, const char *verb, const char *jid, const char *arg)
{
	char *line;

	xasprintf(&line, "/%s %s%s%s", verb, jid, arg ? " " : "",
		  arg ? arg : "");
	ward_command(ui->w, line, strlen(line));
	free(line);
}

int
ui_signals(struct ui *ui, int send)
{
	struct uiwin *w = winlist_current(&ui->m.wl);
	const char *jid = NULL, *want = NULL, *text;
	size_t len = 0;
	int due = 0;

	if (w != NULL && (w->kind == WK_CHAT || w->kind == WK_ROOM))
		jid = w->jid;
	/* a window left while typing: it is told we stopped */
	if (ui->cs_jid != NULL && (jid == NULL || strcmp(ui->cs_jid, jid)) &&
	    strcmp(ui->cs_state, "composing") == 0) {
		due = 1;
		if (send) {
			ui_signal_cmd(ui, "chatstate", ui->cs_jid, "active");
			snprintf(ui->cs_state, sizeof(ui->cs_state), "active");
		}
	}
	if (jid == NULL)
		return due;
	text = editor_text(ui->ed, &len);
	if (len > 0 && text[0] != '/')
		want = "composing";
	else if (ui->cs_jid != NULL && strcmp(ui->cs_jid, jid) == 0 &&
		 strcmp(ui->cs_state, "composing") == 0)
		want = "active";
	if (want != NULL &&
	    (ui->cs_jid == NULL || strcmp(ui->cs_jid, jid) != 0 ||
	     strcmp(ui->cs_state, want) != 0)) {
		due = 1;
		if (send) {
			ui_signal_cmd(ui, "chatstate", jid, want);
			free(ui->cs_jid);
			ui->cs_jid = xstrdup(jid);
			snprintf(ui->cs_state, sizeof(ui->cs_state), "%s",
				 want);
		}
	}
	if (w->to_mark) {
		due = 1;
		if (send) {
			w->to_mark = 0;
			ui_signal_cmd(ui, "read", jid, NULL);
		}
	}
	return due;
}
