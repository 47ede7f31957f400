/*
 * ui_keys.c: what keys do. Bytes go to the key decoder; each key goes
 * through the keymap ([keys] of ward.conf over emacs-style defaults) to an
 * action: the line editor's own, history and Ctrl-R, completion, windows,
 * scrolling, panes, the help overlay, find; the prompt box takes y/n only.
 * And what a submitted line does: a UI command (/win, /close, /query, /me,
 * /find), any other command through ward_command(), or text for the
 * current window's chat.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd/cmd.h"
#include "cmdparse.h"
#include "core.h"
#include "event.h"
#include "loop.h"
#include "ward.h"

#include "input/complete.h"
#include "input/editor.h"
#include "input/history.h"
#include "input/keydec.h"
#include "input/keymap.h"
#include "input/winhist.h"
#include "text/width.h"
#include "ui_priv.h"

void
ui_input_view(struct ui *ui, struct view_input *in)
{
	memset(in, 0, sizeof(*in));
	if (ui->hs != NULL) {
		size_t at;
		in->text = history_search_match(ui->hs, &in->len, &at);
		in->cursor = at;
		in->label = history_search_failing(ui->hs)
				? "(failing reverse-i-search) "
				: "(reverse-i-search) ";
		return;
	}
	in->text = editor_text(ui->ed, &in->len);
	in->cursor = editor_cursor(ui->ed);
	in->label = ui->finding ? "find: " : NULL;
}

char *
ui_keys_help(struct ui *ui)
{
	char keys[128], *out = NULL, *line;
	size_t len = 0;
	int a;

	/* windows, scrolling and the screen first: the editing keys are the
	 * ones people know already */
	for (int k = KEYMAP_BOL; k < KEYMAP_NACTIONS; k++) {
		const char *help;
		a = k < KEYMAP_NACTIONS - KEYMAP_ACCEPT
			? k + KEYMAP_ACCEPT
			: k - (KEYMAP_NACTIONS - KEYMAP_ACCEPT) + KEYMAP_BOL;
		help = keymap_action_help((enum keymap_action)a);
		if (keymap_keys_for(ui->km, (enum keymap_action)a, keys,
				    sizeof(keys)) == 0 ||
		    help == NULL)
			continue;
		xasprintf(&line, "%-22s %s\n", keys, help);
		out = xrealloc(out, len + strlen(line) + 1);
		memcpy(out + len, line, strlen(line) + 1);
		len += strlen(line);
		free(line);
	}
	xasprintf(
	    &line,
	    "%s\ny / n: answer a decision box (Enter never does)\n"
	    "In a chat or room a line without / is sent there; //x sends /x.\n"
	    "/help lists the commands. F1 or Esc closes this.",
	    out ? out : "");
	free(out);
	return line;
}

/* The current window's key for its input history (malloc'd). */
static char *
hist_key(struct ui *ui)
{
	struct uiwin *w = winlist_current(&ui->m.wl);
	char *key;

	if (w == NULL || w->kind == WK_CONSOLE || w->jid == NULL)
		return xstrdup("console");
	xasprintf(&key, "%d %s %s", (int)w->kind, w->account ? w->account : "",
		  w->jid);
	return key;
}

static void
ui_error(struct ui *ui, const char *text)
{
	model_note(&ui->m, NULL, LK_ERROR, text);
}

/* The text with /msg -e's two escapes: "\\" for a backslash and "\n"
 * for a line break (malloc'd). */
static char *
msg_escape(const char *text)
{
	char *out = xmalloc(strlen(text) * 2 + 1), *o = out;

	for (; *text != '\0'; text++) {
		if (*text == '\\' || *text == '\n') {
			*o++ = '\\';
			*o++ = *text == '\n' ? 'n' : '\\';
		} else {
			*o++ = *text;
		}
	}
	*o = '\0';
	return out;
}

/* Sends text to the current window's chat as /msg (/msg -e when it has
 * line breaks). */
static void
send_text(struct ui *ui, const char *text)
{
	struct uiwin *w = winlist_current(&ui->m.wl);
	char *line;

	if (w == NULL || w->kind == WK_CONSOLE) {
		ui_error(ui, "this is the console: /msg JID TEXT sends a "
			     "message, /query JID opens a chat");
		return;
	}
	if (w->kind == WK_PRIV) {
		/* XXX: the core's /msg takes the bare JID: ROOM/NICK would go
		 * to the whole room. Refused until the core can send it. */
		ui_error(ui, "private messages to a room occupant cannot be "
			     "sent yet (they would reach the whole room)");
		return;
	}
	if (w->account != NULL && ward_current_name(ui->w) != NULL &&
	    strcmp(w->account, ward_current_name(ui->w)) != 0) {
		/* the window's account sends it: it becomes the account
		 * commands apply to, as /account would make it */
		xasprintf(&line, "/account %s", w->account);
		ward_command(ui->w, line, strlen(line));
		free(line);
	}
	if (strchr(text, '\n') != NULL) {
		/* a command is one line: /msg -e carries the breaks */
		char *esc = msg_escape(text);
		xasprintf(&line, "/msg -e %s %s", w->jid, esc);
		free(esc);
	} else {
		xasprintf(&line, "/msg %s %s", w->jid, text);
	}
	ward_command(ui->w, line, strlen(line));
	free(line);
}

static void
select_win(struct ui *ui, size_t i)
{
	if (i < ui->m.wl.n && i != ui->m.wl.cur) {
		winhist_reset(ui->wh); /* Up walks the new window's lines */
		model_select(&ui->m, i);
		ui->full = 1;
	}
}

/* Runs a frontend command; 1 when it was one. */
static int
frontend_command(struct ui *ui, const struct cmd_call *c)
{
	const char *name = c->entry->name;
	struct uiwin *w;

	if (!(c->entry->flags & CMD_FRONTEND))
		return 0;
	if (strcmp(name, "win") == 0) {
		char *end;
		long n = strtol(c->argv[0], &end, 10);
		if (*end != '\0' || n < 1 || (size_t)n > ui->m.wl.n)
			ui_error(ui, "/win: no such window");
		else
			select_win(ui, (size_t)n - 1);
	} else if (strcmp(name, "close") == 0) {
		if (ui->m.wl.cur == 0) {
			ui_error(ui, "/close: the console stays open");
		} else {
			winlist_close(&ui->m.wl, ui->m.wl.cur);
			ui->m.dirty = MD_ALL;
			ui->full = 1;
		}
	} else if (strcmp(name, "query") == 0) {
		if (strchr(c->argv[0], '@') == NULL &&
		    strchr(c->argv[0], '.') == NULL) {
			ui_error(ui, "/query: not a JID");
			return 1;
		}
		w = model_window_for(&ui->m, ui->m.account, c->argv[0], 0, 1);
		if (w != NULL)
			select_win(ui, winlist_index(&ui->m.wl, w));
	} else if (strcmp(name, "me") == 0) {
		char *t;
		xasprintf(&t, "/me %s", c->argv[0]);
		send_text(ui, t);
		free(t);
	} else if (strcmp(name, "goto") == 0) {
		char *end;
		unsigned long n = strtoul(c->argv[0], &end, 10);
		const char *why = *end == '\0' && c->argv[0][0] != '\0'
				      ? model_search_goto(&ui->m, n)
				      : "not a number";
		if (why != NULL)
			ui_error(ui, why);
		else
			ui->full = 1;
	} else if (strcmp(name, "find") == 0) {
		struct view_geom vg;
		ui_geom(ui, &vg);
		if (!chatview_find(&ui->m, &vg, c->argv[0]))
			ui_error(ui, "/find: not found in the lines held");
	}
	return 1;
}

/* The commands that act on a message of a chat: in a chat window the
 * UI names the window's chat, so "/correct TEXT" is enough. */
static const char *const chat_commands[] = {"correct", "retract", "react",
					    "reply", "versions"};

/* LINE with the current window's JID put after a chat command's name
 * (malloc), or NULL when it is no such command or this is the console. */
static char *
with_window_jid(struct ui *ui, const char *line, size_t len)
{
	struct uiwin *w = winlist_current(&ui->m.wl);
	size_t i, n;
	char *out;

	if (w == NULL || w->kind == WK_CONSOLE || w->jid == NULL)
		return NULL;
	/* /history [N] in a window: that chat's (a JID given stays) */
	if (len >= 8 && strncmp(line, "/history", 8) == 0 &&
	    (len == 8 || line[8] == ' ')) {
		const char *arg = line + 8, *end = line + len;
		while (arg < end && *arg == ' ')
			arg++;
		if (arg < end && memchr(arg, '@', (size_t)(end - arg)) != NULL)
			return NULL;
		xasprintf(&out, "/history %s%.*s", w->jid, (int)(len - 8),
			  line + 8);
		return out;
	}
	for (i = 0; i < sizeof(chat_commands) / sizeof(chat_commands[0]);
	     i++) {
		n = strlen(chat_commands[i]);
		if (len < n + 1 || strncmp(line + 1, chat_commands[i], n) != 0 ||
		    (len > n + 1 && line[n + 1] != ' '))
			continue;
		xasprintf(&out, "/%s %s%.*s", chat_commands[i], w->jid,
			  (int)(len - n - 1), line + n + 1);
		return out;
	}
	return NULL;
}

/* M-Up: our newest message in this window into the input as a /correct
 * of it (the chat is the window's, see with_window_jid). */
static void
edit_last(struct ui *ui)
{
	struct uiwin *w = winlist_current(&ui->m.wl);
	uint64_t seq, first;
	const char *text, *body;
	struct line *l;
	size_t blen;
	char *line;

	if (w == NULL || w->kind == WK_CONSOLE || lstore_count(w->lines) == 0)
		return;
	first = lstore_first(w->lines);
	for (seq = lstore_end(w->lines) - 1; seq >= first; seq--) {
		l = lstore_get(w->lines, seq, &text);
		if (l != NULL && (l->flags & LF_OUT) &&
		    !(l->flags & LF_RETRACTED) &&
		    (l->kind == LK_MSG || l->kind == LK_ME)) {
			body = model_line_body(l, text, &blen);
			xasprintf(&line, "/correct %s%.*s",
				  l->kind == LK_ME ? "/me " : "", (int)blen,
				  body);
			editor_set(ui->ed, line, strlen(line));
			free(line);
			return;
		}
		if (seq == first)
			break;
	}
	ui_error(ui, "no message of yours in this window to correct");
}

/*
 * In a room's window the room may be left out of the room commands whose
 * first argument (after a subcommand for /room) is the room: "/invite JID"
 * there is "/invite ROOM JID". A malloc'd new line, or NULL to keep it.
 */
static char *
room_implicit(struct ui *ui, const char *line, size_t len)
{
	static const char *const cmds[] = { "/invite", "/room config",
		"/room destroy", "/room set", "/room submit", "/room cancel" };
	struct uiwin *w = winlist_current(&ui->m.wl);
	const char *arg, *end, *stop = line + len;
	char *word, *out;
	size_t i, plen = 0;
	int named;

	if (w == NULL || w->kind != WK_ROOM || memchr(line, '\n', len))
		return NULL;
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		plen = strlen(cmds[i]);
		if (len >= plen && strncmp(line, cmds[i], plen) == 0 &&
		    (len == plen || line[plen] == ' '))
			break;
	}
	if (i == sizeof(cmds) / sizeof(cmds[0]))
		return NULL;
	for (arg = line + plen; arg < stop && *arg == ' '; arg++)
		;
	for (end = arg; end < stop && *end != ' '; end++)
		;
	word = xstrndup(arg, (size_t)(end - arg));
	named = winlist_find(&ui->m.wl, WK_ROOM, w->account, word) != NULL;
	free(word);
	if (named)
		return NULL;
	xasprintf(&out, "%.*s %s%s%.*s", (int)plen, line, w->jid,
		  arg < stop ? " " : "", (int)(stop - arg), arg);
	return out;
}

static void ui_submit_line(struct ui *ui, const char *line, size_t len);

void
ui_submit(struct ui *ui, const char *line, size_t len)
{
	char *full, *implicit;

	if (len == 0)
		return;
	if (line[0] == '/' && (full = with_window_jid(ui, line, len)) != NULL) {
		ui_submit_line(ui, full, strlen(full));
		free(full);
		return;
	}
	if ((implicit = room_implicit(ui, line, len)) != NULL) {
		ui_submit_line(ui, implicit, strlen(implicit));
		free(implicit);
		return;
	}
	ui_submit_line(ui, line, len);
}

static void
ui_submit_line(struct ui *ui, const char *line, size_t len)
{
	struct cmd_call c;
	char *why = NULL;

	if (line[0] != '/' || (len > 1 && line[1] == '/')) {
		send_text(ui, line[0] == '/' ? line + 1 : line);
		return;
	}
	if (cmd_parse(cmd_table, cmd_table_size, line, len, &c, &why) ==
	    WARD_OK) {
		int done = frontend_command(ui, &c);
		if (!done && (strcmp(c.entry->name, "accept") == 0 ||
			      strcmp(c.entry->name, "reject") == 0))
			prompts_remove(&ui->m.pq, c.argv[0]);
		if (!done && strcmp(c.entry->name, "join") == 0) {
			char *slash;
			free(ui->m.switch_to);
			ui->m.switch_to = xstrdup(c.argv[0]);
			if ((slash = strchr(ui->m.switch_to, '/')) != NULL)
				*slash = '\0';
		}
		if (!done && strcmp(c.entry->name, "upload") == 0 &&
		    c.argc == 1) {
			/* /upload PATH in a chat window: to that chat */
			struct uiwin *cw = ui->m.wl.w[ui->m.wl.cur];
			char *full;
			if (ui->m.wl.cur == 0 || cw->jid == NULL) {
				ui_error(ui, "/upload PATH JID (or /upload "
					     "PATH in a chat's window)");
				cmd_call_clear(&c);
				return;
			}
			xasprintf(&full, "/upload %s %s", c.argv[0], cw->jid);
			cmd_call_clear(&c);
			ward_command(ui->w, full, strlen(full));
			free(full);
			return;
		}
		cmd_call_clear(&c);
		if (done)
			return;
	}
	free(why);
	ward_command(ui->w, line, len); /* reports its own errors */
}

static void
accept_line(struct ui *ui)
{
	size_t len, i, lines = 1;
	const char *text = editor_text(ui->ed, &len);
	char *line = xstrndup(text, len), *key;

	if (ui->finding) {
		struct view_geom vg;
		ui_geom(ui, &vg);
		if (!chatview_find(&ui->m, &vg, line))
			model_note(&ui->m, NULL, LK_INFO, "not found");
		free(line);
		return; /* Enter again finds the next one */
	}
	for (i = 0; i < len; i++)
		lines += line[i] == '\n';
	if (ui->paste_confirm && lines > UI_PASTE_ASK_LINES) {
		ui->paste_confirm = 0;
		model_note(&ui->m, NULL, LK_INFO,
			   "a long paste: press Enter "
			   "again to send it, C-g to keep editing");
		free(line);
		return;
	}
	ui->paste_confirm = 0;
	/* a room password (/join ... password PASS) is not kept for C-p */
	if (!(strncmp(line, "/join ", 6) == 0 && strstr(line, " password "))) {
		key = hist_key(ui);
		winhist_add(ui->wh, key, line, len); /* the window's and the global */
		free(key);
	}
	editor_clear(ui->ed);
	ui->input_dirty = 1;
	ui_submit(ui, line, len);
	free(line);
}

static void
scroll(struct ui *ui, int rows)
{
	struct view_geom vg;

	ui_geom(ui, &vg);
	if (view_scroll(&ui->m, &vg, rows)) {
		struct uiwin *w = winlist_current(&ui->m.wl);
		if (w != NULL)
			w->want_older = w->kind != WK_CONSOLE;
	}
}

static void
prompt_key(struct ui *ui, const struct keydec_key *k)
{
	struct uiprompt *p = prompts_head(&ui->m.pq);
	enum prompt_answer a;
	char *line;

	if (k->mods != 0 || k->code >= KEYDEC_ENTER)
		return;
	a = prompts_key(&ui->m.pq, (int)k->code, now_ms());
	if (a == PA_NONE)
		return;
	xasprintf(&line, "/%s %s", a == PA_ACCEPT ? "accept" : "reject", p->id);
	prompts_remove(&ui->m.pq, p->id);
	ui->m.dirty = MD_ALL;
	ward_command(ui->w, line, strlen(line));
	free(line);
}

/* The nick and JID providers of completion. */
static void
complete_jids(void *arg, const char *prefix, size_t len,
	      struct complete_list *out)
{
	struct ui *ui = arg;
	size_t i;

	(void)prefix;
	(void)len;
	people_ready(&ui->m.contacts);
	for (i = 0; i < ui->m.contacts.n; i++)
		complete_add(out, ui->m.contacts.p[i].key,
			     strlen(ui->m.contacts.p[i].key));
	for (i = 1; i < ui->m.wl.n; i++)
		if (ui->m.wl.w[i]->jid != NULL)
			complete_add(out, ui->m.wl.w[i]->jid,
				     strlen(ui->m.wl.w[i]->jid));
}

static void
complete_nicks(void *arg, const char *prefix, size_t len,
	       struct complete_list *out)
{
	struct ui *ui = arg;
	struct uiwin *w = winlist_current(&ui->m.wl);
	size_t i;

	(void)prefix;
	(void)len;
	if (w == NULL || w->kind != WK_ROOM)
		return;
	/* recent speakers first: the sender table's newest entries */
	for (i = w->nsenders; i-- > 1;)
		complete_add(out, w->senders[i], strlen(w->senders[i]));
	people_ready(&w->occ);
	for (i = 0; i < w->occ.n; i++)
		complete_add(out, w->occ.p[i].key, strlen(w->occ.p[i].key));
}

static void
complete_key(struct ui *ui, int dir)
{
	struct complete_sources src;
	struct complete_edit e;
	size_t len;
	const char *text = editor_text(ui->ed, &len);

	memset(&src, 0, sizeof(src));
	src.table = cmd_table;
	src.ntable = cmd_table_size;
	src.jids = complete_jids;
	src.nicks = complete_nicks;
	src.arg = ui;
	if (complete_step(ui->cmp, &src, text, len, editor_cursor(ui->ed), dir,
			  &e))
		editor_replace(ui->ed, e.start, e.end, e.text, e.len);
}

/* Ctrl-R search mode: keys edit the query; Enter takes the match. */
static int
search_key(struct ui *ui, const struct keydec_key *k, enum keymap_action a)
{
	size_t len, at;
	const char *m;
	char u[4];

	if (ui->hs == NULL)
		return 0;
	if (a == KEYMAP_HISTORY_SEARCH) {
		history_search_again(ui->hs);
	} else if (a == KEYMAP_BACK_DEL_CHAR) {
		history_search_bspace(ui->hs);
	} else if (a == KEYMAP_CANCEL || k->code == KEYDEC_ESC) {
		m = history_search_saved(ui->hs, &len);
		editor_set(ui->ed, m, len);
		history_search_free(ui->hs);
		ui->hs = NULL;
	} else if (k->mods == 0 && k->code >= 0x20 && k->code < KEYDEC_ENTER) {
		size_t n = uw_encode(k->code, u);
		history_search_type(ui->hs, u, n);
	} else {
		/* any other key takes the match and then acts */
		m = history_search_match(ui->hs, &len, &at);
		editor_set(ui->ed, m, len);
		history_search_free(ui->hs);
		ui->hs = NULL;
		return 0;
	}
	ui->input_dirty = 1;
	return 1;
}

/* Runs a key's action; the editor's own go to the editor. */
static void
act(struct ui *ui, const struct keydec_key *k, enum keymap_action a)
{
	struct view_geom vg;
	long next;
	size_t len;
	const char *m;

	ui_geom(ui, &vg);
	if (a != KEYMAP_COMPLETE && a != KEYMAP_COMPLETE_BACK)
		complete_reset(ui->cmp);
	if ((a == KEYMAP_BOL || a == KEYMAP_EOL) &&
	    (k->code == KEYDEC_HOME || k->code == KEYDEC_END)) {
		editor_text(ui->ed, &len);
		if (len == 0)
			a = a == KEYMAP_BOL ? KEYMAP_SCROLL_TOP
					    : KEYMAP_SCROLL_BOTTOM;
	}
	if (a >= KEYMAP_WINDOW_1 && a <= KEYMAP_WINDOW_10) {
		select_win(ui, (size_t)(a - KEYMAP_WINDOW_1));
		return;
	}
	switch (a) {
	case KEYMAP_ACCEPT:
		accept_line(ui);
		break;
	case KEYMAP_HISTORY_PREV: {
		/* the window's own lines first, then the global ones */
		char *key = hist_key(ui);
		m = editor_text(ui->ed, &len);
		if (winhist_prev(ui->wh, key, m, len, &m, &len))
			editor_set(ui->ed, m, len);
		free(key);
		break;
	}
	case KEYMAP_HISTORY_NEXT:
		if (winhist_next(ui->wh, &m, &len))
			editor_set(ui->ed, m, len);
		break;
	case KEYMAP_HISTORY_SEARCH:
		m = editor_text(ui->ed, &len);
		ui->hs = history_search_start(ui->hist, m, len);
		break;
	case KEYMAP_COMPLETE:
	case KEYMAP_COMPLETE_BACK:
		complete_key(ui, a == KEYMAP_COMPLETE ? 1 : -1);
		break;
	case KEYMAP_CANCEL:
		if (ui->finding || ui->vo.help) {
			ui->finding = 0;
			ui->vo.help = 0;
			editor_clear(ui->ed);
			ui->m.dirty = MD_ALL;
		}
		break;
	case KEYMAP_NEXT_WINDOW:
		select_win(ui, (ui->m.wl.cur + 1) % ui->m.wl.n);
		break;
	case KEYMAP_PREV_WINDOW:
		select_win(ui, (ui->m.wl.cur + ui->m.wl.n - 1) % ui->m.wl.n);
		break;
	case KEYMAP_NEXT_ACTIVITY:
		if ((next = winlist_next_active(&ui->m.wl)) >= 0)
			select_win(ui, (size_t)next);
		break;
	case KEYMAP_SCROLL_UP:
		scroll(ui, vg.chat_rows / 2 > 0 ? vg.chat_rows / 2 : 1);
		break;
	case KEYMAP_SCROLL_DOWN:
		scroll(ui, -(vg.chat_rows / 2 > 0 ? vg.chat_rows / 2 : 1));
		break;
	case KEYMAP_SCROLL_LINE_UP:
		scroll(ui, 3);
		break;
	case KEYMAP_SCROLL_LINE_DOWN:
		scroll(ui, -3);
		break;
	case KEYMAP_SCROLL_TOP:
		view_scroll_top(&ui->m, &vg);
		{
			struct uiwin *w = winlist_current(&ui->m.wl);
			if (w != NULL && w->kind != WK_CONSOLE)
				w->want_older = 1;
		}
		break;
	case KEYMAP_SCROLL_BOTTOM: {
		struct uiwin *w = winlist_current(&ui->m.wl);
		if (w != NULL)
			win_scroll_bottom(w);
		ui->m.dirty |= MD_CHAT;
		break;
	}
	case KEYMAP_TOGGLE_PANE:
		ui->vo.pane = !ui->vo.pane;
		ui->full = 1;
		break;
	case KEYMAP_KEY_HELP:
		/* written on first use: not part of the first frame's cost */
		if (ui->help_text == NULL) {
			ui->help_text = ui_keys_help(ui);
			ui->vo.help_text = ui->help_text;
		}
		ui->vo.help = !ui->vo.help;
		ui->m.dirty = MD_ALL;
		break;
	case KEYMAP_REDRAW:
		ui->full = 1;
		break;
	case KEYMAP_FIND:
		ui->finding = !ui->finding;
		editor_clear(ui->ed);
		break;
	case KEYMAP_EXTERNAL_EDITOR:
		ui_edit_start(ui);
		break;
	case KEYMAP_EDIT_LAST:
		edit_last(ui);
		break;
	default:
		if (editor_action(ui->ed, a))
			break;
		if (k->mods == 0 && k->code >= 0x20 && k->code < KEYDEC_ENTER)
			editor_type(ui->ed, k->code);
		else if (k->mods == KEYDEC_MOD_SHIFT && k->code >= 0x20 &&
			 k->code < KEYDEC_ENTER)
			editor_type(ui->ed, k->code);
		break;
	}
	ui->input_dirty = 1;
}

/* A paste goes into the input line, never sent by itself; a long one
 * needs Enter twice. */
static void
paste(struct ui *ui, const char *s, size_t n)
{
	size_t i, lines = 1;

	for (i = 0; i < n; i++)
		lines += s[i] == '\n' || s[i] == '\r';
	editor_insert(ui->ed, s, n);
	if (lines > UI_PASTE_ASK_LINES)
		ui->paste_confirm = 1;
	ui->input_dirty = 1;
}

static void
on_key(const struct keydec_event *ev, void *arg)
{
	struct ui *ui = arg;
	enum keymap_action a;

	ui->m.now = wall_ms();
	if (ev->type == KEYDEC_EV_PASTE) {
		if (prompts_head(&ui->m.pq) == NULL && !ui->vo.help)
			paste(ui, ev->paste, ev->paste_len);
		return;
	}
	a = keymap_lookup(ui->km, &ev->key);
	if (ui->vo.help) {
		if (a == KEYMAP_KEY_HELP || a == KEYMAP_CANCEL ||
		    ev->key.code == KEYDEC_ESC) {
			ui->vo.help = 0;
			ui->m.dirty = MD_ALL;
		}
		return;
	}
	if (prompts_head(&ui->m.pq) != NULL) {
		/* a decision is open: y/n, scrolling and help only */
		if (a == KEYMAP_SCROLL_UP || a == KEYMAP_SCROLL_DOWN ||
		    a == KEYMAP_KEY_HELP || a == KEYMAP_REDRAW)
			act(ui, &ev->key, a);
		else
			prompt_key(ui, &ev->key);
		return;
	}
	if (search_key(ui, &ev->key, a))
		return;
	act(ui, &ev->key, a);
}

static void
arm_timer(struct ui *ui)
{
	int ms = keydec_timeout_ms(ui->kd);

	if (ui->key_timer) {
		loop_timer_cancel(ui->w->loop, ui->key_timer);
		ui->key_timer = 0;
	}
	if (ms > 0)
		ui->key_timer =
		    loop_timer_add(ui->w->loop, ms, ui_keys_timeout, ui);
}

void
ui_keys_timeout(void *arg)
{
	struct ui *ui = arg;

	ui->key_timer = 0;
	ui->key_turn = 1;
	keydec_timeout(ui->kd, on_key, ui);
	arm_timer(ui);
}

void
ui_keys_feed(struct ui *ui, const char *buf, size_t len)
{
	keydec_feed(ui->kd, buf, len, on_key, ui);
	arm_timer(ui);
}
