/*
 * ui_keys.c: what keys do: window switching, scrolling, the prompt box's
 * y/n, the help overlay, and a small line editor (until ui/input's editor
 * replaces it); and what a submitted line does: a UI command (/win,
 * /close, /query, /me, /find), any other command through ward_command(),
 * or text sent to the current window's chat.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmdparse.h"
#include "core.h"
#include "event.h"
#include "loop.h"
#include "ward.h"

#include "input/keydec.h"
#include "text/width.h"
#include "ui_priv.h"

static void
in_reserve(struct ui *ui, size_t more)
{
	size_t need = ui->in_len + more + 1;

	if (need <= ui->in_cap)
		return;
	ui->in_cap = need < 256 ? 256 : need * 2;
	ui->in = xrealloc(ui->in, ui->in_cap);
}

static void
in_insert(struct ui *ui, const char *s, size_t n)
{
	if (ui->in_len + n > UI_INPUT_MAX)
		return;
	in_reserve(ui, n);
	memmove(ui->in + ui->in_cur + n, ui->in + ui->in_cur,
	    ui->in_len - ui->in_cur);
	memcpy(ui->in + ui->in_cur, s, n);
	ui->in_len += n;
	ui->in_cur += n;
	ui->in[ui->in_len] = '\0';
	ui->input_dirty = 1;
}

static void
in_delete(struct ui *ui, size_t from, size_t to)
{
	if (to > ui->in_len)
		to = ui->in_len;
	if (from >= to)
		return;
	memmove(ui->in + from, ui->in + to, ui->in_len - to);
	ui->in_len -= to - from;
	if (ui->in_cur > to)
		ui->in_cur -= to - from;
	else if (ui->in_cur > from)
		ui->in_cur = from;
	ui->in[ui->in_len] = '\0';
	ui->input_dirty = 1;
}

static void
in_set(struct ui *ui, const char *s)
{
	ui->in_len = ui->in_cur = 0;
	in_reserve(ui, 0);
	ui->in[0] = '\0';
	if (s != NULL)
		in_insert(ui, s, strlen(s));
	ui->input_dirty = 1;
}

/* Byte offset of the cluster before / after the cursor. */
static size_t
in_prev(struct ui *ui, size_t pos)
{
	size_t i = 0, last = 0, n;
	int w;

	while (i < pos) {
		last = i;
		n = uw_cluster(ui->in + i, ui->in_len - i, &w);
		i += n ? n : 1;
	}
	return last;
}

static size_t
in_next(struct ui *ui, size_t pos)
{
	int w;
	size_t n;

	if (pos >= ui->in_len)
		return ui->in_len;
	n = uw_cluster(ui->in + pos, ui->in_len - pos, &w);
	return pos + (n ? n : 1);
}

static void
hist_add(struct ui *ui, const char *line)
{
	if (line[0] == '\0' || (ui->nhist &&
	    strcmp(ui->hist[ui->nhist - 1], line) == 0)) {
		ui->hist_pos = ui->nhist;
		return;
	}
	if (ui->nhist == UI_HISTORY_MAX) {
		free(ui->hist[0]);
		memmove(ui->hist, ui->hist + 1,
		    (UI_HISTORY_MAX - 1) * sizeof(ui->hist[0]));
		ui->nhist--;
	}
	ui->hist[ui->nhist++] = xstrdup(line);
	ui->hist_pos = ui->nhist;
}

static void
ui_error(struct ui *ui, const char *text)
{
	model_note(&ui->m, NULL, LK_ERROR, text);
}

/* Sends text to the current window's chat as /msg. */
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
	if (strchr(text, '\n') != NULL) {
		/* XXX: the command language has no multi-line /msg yet */
		ui_error(ui, "multi-line messages cannot be sent yet: the "
		    "command language refuses a line break");
		return;
	}
	free(ui->m.pending_to);
	free(ui->m.pending_body);
	{
		/* the queued event names the bare JID (or ROOM/NICK) */
		ui->m.pending_to = xstrdup(w->jid);
		ui->m.pending_body = xstrdup(text);
	}
	xasprintf(&line, "/msg %s %s", w->jid, text);
	ward_command(ui->w, line, strlen(line));
	free(line);
	free(ui->m.pending_to);
	free(ui->m.pending_body);
	ui->m.pending_to = ui->m.pending_body = NULL;
}

static void
select_win(struct ui *ui, size_t i)
{
	if (i < ui->m.wl.n) {
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
	} else if (strcmp(name, "find") == 0) {
		struct view_geom vg;
		ui_geom(ui, &vg);
		if (!chatview_find(&ui->m, &vg, c->argv[0]))
			ui_error(ui, "/find: not found in the lines held");
	}
	return 1;
}

void
ui_submit(struct ui *ui, const char *line, size_t len)
{
	struct cmd_call c;
	char *why = NULL;

	if (len == 0)
		return;
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
		if (!done && strcmp(c.entry->name, "msg") == 0) {
			ui->m.pending_to = xstrdup(c.argv[0]);
			ui->m.pending_body = xstrdup(c.argv[1]);
		}
		cmd_call_clear(&c);
		if (done)
			return;
	}
	free(why);
	ward_command(ui->w, line, len);	/* reports its own errors */
	free(ui->m.pending_to);
	free(ui->m.pending_body);
	ui->m.pending_to = ui->m.pending_body = NULL;
}

static void
enter(struct ui *ui)
{
	char *line = xstrndup(ui->in ? ui->in : "", ui->in_len);

	if (ui->finding) {
		struct view_geom vg;
		ui_geom(ui, &vg);
		if (!chatview_find(&ui->m, &vg, line))
			model_note(&ui->m, NULL, LK_INFO, "not found");
		free(line);
		return;	/* Enter again finds the next one */
	}
	hist_add(ui, line);
	in_set(ui, NULL);
	ui_submit(ui, line, strlen(line));
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
	xasprintf(&line, "/%s %s", a == PA_ACCEPT ? "accept" : "reject",
	    p->id);
	prompts_remove(&ui->m.pq, p->id);
	ui->m.dirty = MD_ALL;
	ward_command(ui->w, line, strlen(line));
	free(line);
}

/* Keys that work whatever is shown; 1 when k was one. */
static int
global_key(struct ui *ui, const struct keydec_key *k)
{
	struct view_geom vg;
	unsigned meta = k->mods & KEYDEC_MOD_META;
	unsigned ctrl = k->mods & KEYDEC_MOD_CTRL;
	long next;

	ui_geom(ui, &vg);
	if (meta && k->code >= '0' && k->code <= '9') {
		select_win(ui, k->code == '0' ? 9 : k->code - '1');
		return 1;
	}
	if ((meta && k->code == KEYDEC_LEFT) || (ctrl && k->code == 'p')) {
		select_win(ui, (ui->m.wl.cur + ui->m.wl.n - 1) % ui->m.wl.n);
		return 1;
	}
	if ((meta && k->code == KEYDEC_RIGHT) || (ctrl && k->code == 'n')) {
		select_win(ui, (ui->m.wl.cur + 1) % ui->m.wl.n);
		return 1;
	}
	if (meta && k->code == 'a') {
		if ((next = winlist_next_active(&ui->m.wl)) >= 0)
			select_win(ui, (size_t)next);
		return 1;
	}
	if (k->code == KEYDEC_PGUP || k->code == KEYDEC_WHEEL_UP) {
		scroll(ui, k->code == KEYDEC_PGUP ? vg.chat_rows / 2 : 3);
		return 1;
	}
	if (k->code == KEYDEC_PGDN || k->code == KEYDEC_WHEEL_DOWN) {
		scroll(ui, -(k->code == KEYDEC_PGDN ? vg.chat_rows / 2 : 3));
		return 1;
	}
	if ((meta && k->code == KEYDEC_HOME) ||
	    (k->code == KEYDEC_HOME && k->mods == 0 && ui->in_len == 0)) {
		view_scroll_top(&ui->m, &vg);
		return 1;
	}
	if ((meta && k->code == KEYDEC_END) ||
	    (k->code == KEYDEC_END && k->mods == 0 && ui->in_len == 0)) {
		struct uiwin *w = winlist_current(&ui->m.wl);
		if (w != NULL)
			win_scroll_bottom(w);
		ui->m.dirty |= MD_CHAT;
		return 1;
	}
	if (k->code == KEYDEC_F1) {
		ui->vo.help = !ui->vo.help;
		ui->m.dirty = MD_ALL;
		return 1;
	}
	if (k->code == KEYDEC_F1 + 1) {
		ui->vo.pane = !ui->vo.pane;
		ui->full = 1;
		return 1;
	}
	if (k->code == KEYDEC_F1 + 2) {
		ui->finding = !ui->finding;
		in_set(ui, NULL);
		return 1;
	}
	return 0;
}

static void
edit_key(struct ui *ui, const struct keydec_key *k)
{
	unsigned ctrl = k->mods & KEYDEC_MOD_CTRL;
	unsigned meta = k->mods & KEYDEC_MOD_META;
	char u[4];

	if (k->code == KEYDEC_ENTER && meta) {
		in_insert(ui, "\n", 1);
	} else if (k->code == KEYDEC_ENTER) {
		enter(ui);
	} else if (k->code == KEYDEC_ESC) {
		if (ui->vo.help || ui->finding) {
			ui->vo.help = 0;
			ui->finding = 0;
			in_set(ui, NULL);
			ui->m.dirty = MD_ALL;
		}
	} else if (k->code == KEYDEC_BSPACE || (ctrl && k->code == 'h')) {
		in_delete(ui, in_prev(ui, ui->in_cur), ui->in_cur);
	} else if (k->code == KEYDEC_DEL || (ctrl && k->code == 'd')) {
		in_delete(ui, ui->in_cur, in_next(ui, ui->in_cur));
	} else if (k->code == KEYDEC_LEFT || (ctrl && k->code == 'b')) {
		ui->in_cur = in_prev(ui, ui->in_cur);
	} else if (k->code == KEYDEC_RIGHT || (ctrl && k->code == 'f')) {
		ui->in_cur = in_next(ui, ui->in_cur);
	} else if (k->code == KEYDEC_HOME || (ctrl && k->code == 'a')) {
		ui->in_cur = 0;
	} else if (k->code == KEYDEC_END || (ctrl && k->code == 'e')) {
		ui->in_cur = ui->in_len;
	} else if (ctrl && k->code == 'k') {
		in_delete(ui, ui->in_cur, ui->in_len);
	} else if (ctrl && k->code == 'u') {
		in_delete(ui, 0, ui->in_cur);
	} else if (ctrl && k->code == 'w') {
		size_t p = ui->in_cur;
		while (p > 0 && ui->in[p - 1] == ' ')
			p--;
		while (p > 0 && ui->in[p - 1] != ' ')
			p--;
		in_delete(ui, p, ui->in_cur);
	} else if (k->code == KEYDEC_UP && ui->hist_pos > 0) {
		in_set(ui, ui->hist[--ui->hist_pos]);
	} else if (k->code == KEYDEC_DOWN && ui->hist_pos < ui->nhist) {
		ui->hist_pos++;
		in_set(ui, ui->hist_pos < ui->nhist ? ui->hist[ui->hist_pos] :
		    NULL);
	} else if (ctrl && k->code == 'l') {
		ui->full = 1;
	} else if (k->mods == 0 && k->code >= 0x20 && k->code < KEYDEC_ENTER &&
	    k->code != 0x7f) {
		in_insert(ui, u, uw_encode(k->code, u));
	} else if (k->mods == KEYDEC_MOD_SHIFT && k->code >= 0x20 &&
	    k->code < KEYDEC_ENTER) {
		in_insert(ui, u, uw_encode(k->code, u));
	}
	ui->input_dirty = 1;
}

/* A paste goes into the input line, never sent by itself; CR and CRLF
 * become line breaks. */
static void
paste(struct ui *ui, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\r') {
			in_insert(ui, "\n", 1);
			if (i + 1 < n && s[i + 1] == '\n')
				i++;
		} else if (s[i] == '\t' || s[i] == '\n' ||
		    (unsigned char)s[i] >= 0x20) {
			in_insert(ui, s + i, 1);
		}
	}
}

static void
on_key(const struct keydec_event *ev, void *arg)
{
	struct ui *ui = arg;

	ui->m.now = wall_ms();
	if (ev->type == KEYDEC_EV_PASTE) {
		if (prompts_head(&ui->m.pq) == NULL)
			paste(ui, ev->paste, ev->paste_len);
		return;
	}
	if (global_key(ui, &ev->key))
		return;
	if (ui->vo.help) {
		if (ev->key.code == KEYDEC_ESC) {
			ui->vo.help = 0;
			ui->m.dirty = MD_ALL;
		}
		return;
	}
	if (prompts_head(&ui->m.pq) != NULL) {
		prompt_key(ui, &ev->key);
		return;
	}
	edit_key(ui, &ev->key);
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
		ui->key_timer = loop_timer_add(ui->w->loop, ms,
		    ui_keys_timeout, ui);
}

void
ui_keys_timeout(void *arg)
{
	struct ui *ui = arg;

	ui->key_timer = 0;
	keydec_timeout(ui->kd, on_key, ui);
	arm_timer(ui);
}

void
ui_keys_feed(struct ui *ui, const char *buf, size_t len)
{
	keydec_feed(ui->kd, buf, len, on_key, ui);
	arm_timer(ui);
}
