/*
 * ui.c: the frontend object: event sink (events only change the model),
 * the paint once per loop turn (the core's flush hook, after the store is
 * committed), the terminal's keys and size, the command pipe and the
 * optional JSON event log.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmdparse.h"
#include "core.h"
#include "event.h"
#include "loop.h"
#include "pipe.h"
#include "ward.h"

#include "input/complete.h"
#include "input/editor.h"
#include "input/history.h"
#include "input/keydec.h"
#include "input/keymap.h"
#include "input/winhist.h"
#include "model/roomsig.h"
#include "model/winstate.h"
#include "term/term.h"
#include "ui.h"
#include "ui_priv.h"
#include "view/draw.h"

/* lines held per window beyond what is read back from history: older ones
 * are paged in again from ward.db (chatview.c asks a page ahead), so a
 * window needs no more than a few hundred screens; 20 windows of 1,000
 * lines of 50 bytes hold 1.7 MB */
#define UI_MAX_LINES 1000
/* lines asked for per /history page: about four screens, fetched ahead
 * of the view (chatview.c), so paging reads ward.db once in a while and
 * never on the key that shows the lines */
#define UI_HISTORY_PAGE 200

/* Frees the input side (each part may be NULL). */
static void
ui_input_free(struct ui *ui)
{
	history_search_free(ui->hs);
	winhist_free(ui->wh);
	history_free(ui->hist);
	complete_free(ui->cmp);
	keymap_free(ui->km);
	editor_free(ui->ed);
	keydec_free(ui->kd);
	ui->hs = NULL;
	ui->wh = NULL;
	ui->hist = NULL;
	ui->cmp = NULL;
	ui->km = NULL;
	ui->ed = NULL;
	ui->kd = NULL;
}

static void
ui_write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

/* A typing notice went stale: it is dropped, and the next one's time
 * armed (no timer while nobody types). */
static void
ui_typing_due(void *arg)
{
	struct ui *ui = arg;
	int64_t next, now;

	ui->typing_timer = 0;
	ui->m.now = now = wall_ms();
	if ((next = model_typing_expire(&ui->m)) != 0)
		ui->typing_timer =
		    loop_timer_add(ui->w->loop, next > now ? next - now : 0,
				   ui_typing_due, ui);
}

static void
ui_event(void *arg, const struct event *ev)
{
	struct ui *ui = arg;

	ui->m.now = wall_ms();
	model_event(&ui->m, ev);
	if (ev->kind == EV_CHATSTATE && ui->typing_timer == 0)
		ui_typing_due(ui);
	if (ui->events_fd >= 0) {
		size_t len;
		char *line = event_to_json(ev, &len);
		if (line != NULL) {
			ui_write_all(ui->events_fd, line, len);
			free(line);
		}
	}
}

void
ui_geom(struct ui *ui, struct view_geom *vg)
{
	struct view_input in;

	ui_input_view(ui, &in);
	view_geom(&ui->g, &ui->vo, &in, vg);
}

static void
ui_title(struct ui *ui)
{
	char buf[64];
	unsigned n = winlist_unread_total(&ui->m.wl);

	if (!ui->title_on)
		return;
	ui->title_shown = 1;
	if (n)
		snprintf(buf, sizeof(buf), "ward (%u)", n);
	else
		snprintf(buf, sizeof(buf), "ward");
	term_title(buf);
}

/* Asks the core for older lines of the current window when the view
 * reached the oldest one held (needs /history from the core). */
static void
ui_older_now(void *arg)
{
	struct ui *ui = arg;
	struct uiwin *w = winlist_current(&ui->m.wl);
	const struct cmd_entry *e;
	char *why = NULL, *line;

	ui->older_timer = 0;
	ui_signals(ui, 1);
	if (w != NULL && w->kind != WK_CONSOLE && w->kind != WK_PRIV &&
	    !w->sec_asked) {
		/* how safe is this conversation: the core says */
		w->sec_asked = 1;
		if (cmd_find(cmd_table, cmd_table_size, "chat-security", &e,
			     &why) == WARD_OK) {
			xasprintf(&line, "/chat-security %s", w->jid);
			ward_command(ui->w, line, strlen(line));
			free(line);
		}
		free(why);
		why = NULL;
	}
	if (w == NULL || !w->want_older || w->history_asked ||
	    w->history_done || w->kind == WK_CONSOLE)
		return;
	w->want_older = 0;
	if (cmd_find(cmd_table, cmd_table_size, "history", &e, &why) !=
	    WARD_OK) {
		free(why);
		w->history_done = 1;
		return;
	}
	w->history_asked = 1;
	if (w->hist_cursor != NULL)
		xasprintf(&line, "/history %s %s %d", w->jid, w->hist_cursor,
			  UI_HISTORY_PAGE);
	else
		xasprintf(&line, "/history %s %d", w->jid, UI_HISTORY_PAGE);
	ward_command(ui->w, line, strlen(line));
	free(line);
}

/* Frames that only show what arrived are at most this often: a flood
 * into the open window was one full layout per loop turn. A key, a resize
 * or a full redraw paints at once; a message after a quiet moment too. */
#define UI_FRAME_MS 20

static void ui_flush(void *arg);

static void
ui_paint_due(void *arg)
{
	struct ui *ui = arg;

	ui->paint_timer = 0;
	ui_flush(ui);
}

/* The one paint of a loop turn. */
static void
ui_flush(void *arg)
{
	struct ui *ui = arg;
	struct view_input in;
	struct uiprompt *p;
	struct uiwin *w;
	int64_t now;

	if (ui->edit_pid > 0)
		return; /* the editor has the terminal */
	if (!ui->full && ui->m.dirty == 0 && !ui->input_dirty)
		return;
	now = now_ms();
	if (!ui->full && !ui->key_turn && !ui->input_dirty &&
	    now - ui->last_paint < UI_FRAME_MS) {
		if (ui->paint_timer == 0)
			ui->paint_timer = loop_timer_add(
			    ui->w->loop, UI_FRAME_MS - (now - ui->last_paint),
			    ui_paint_due, ui);
		return;
	}
	if (ui->paint_timer != 0) {
		loop_timer_cancel(ui->w->loop, ui->paint_timer);
		ui->paint_timer = 0;
	}
	ui->last_paint = now;
	ui->key_turn = 0;
	ui_input_view(ui, &in);
	view_paint(&ui->g, &ui->m, &ui->vo, &in, ui->full);
	draw_frame(&ui->g, ui->full);
	ui->full = 0;
	ui->input_dirty = 0;
	if ((p = prompts_head(&ui->m.pq)) != NULL && p->shown_at == 0) {
		/* keys typed before the box appeared are never its answer */
		tcflush(0, TCIFLUSH);
		prompts_shown(&ui->m.pq, now_ms());
	}
	if (ui->m.bell) {
		ui->m.bell = 0;
		if (ui->bell_on)
			term_bell();
	}
	if (ui->title_on &&
	    (ui->title_unread != winlist_unread_total(&ui->m.wl) ||
	     ui->title_shown == 0)) {
		ui->title_unread = winlist_unread_total(&ui->m.wl);
		ui_title(ui);
	}
	/* older lines are asked for from the loop, not from inside the
	 * flush hook (the core may write to the store for them) */
	w = winlist_current(&ui->m.wl);
	if (w != NULL && ui->older_timer == 0 &&
	    ((w->want_older && !w->history_asked && !w->history_done) ||
	     (!w->sec_asked && w->kind != WK_CONSOLE && w->kind != WK_PRIV) ||
	     ui_signals(ui, 0)))
		ui->older_timer =
		    loop_timer_add(ui->w->loop, 0, ui_older_now, ui);
}

void
ui_stdin(void *arg, int fd, short revents)
{
	struct ui *ui = arg;
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf));

	(void)revents;
	if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
		/* the terminal went away */
		loop_del_fd(ui->w->loop, fd);
		ward_quit(ui->w);
		return;
	}
	if (n > 0) {
		ui->key_turn = 1;
		ui_keys_feed(ui, buf, (size_t)n);
	}
}

void
ui_size(struct ui *ui)
{
	int rows, cols;

	term_resize(&rows, &cols);
	if (grid_resize(&ui->g, rows, cols) == 0)
		ui->full = 1;
}

static void
ui_winch(void *arg, int signo)
{
	struct ui *ui = arg;

	(void)signo;
	if (ui->edit_pid > 0)
		return; /* the editor has the terminal: sized when it ends */
	ui_size(ui);
	ui->key_turn = 1;
}

static void
ui_pipe_line(void *arg, const char *line, size_t len)
{
	struct ui *ui = arg;

	if (len > 0)
		ward_command(ui->w, line, len);
}

static void
ui_pipe_bad(void *arg, const char *why)
{
	struct ui *ui = arg;

	event_error(ui->m.account, "command", why);
}

static void
ui_pipe_readable(void *arg, int fd, short revents)
{
	struct ui *ui = arg;

	(void)fd;
	(void)revents;
	pipe_read_lines(ui->pipe, ui_pipe_line, ui_pipe_bad, ui);
}

static char *
ui_state_path(struct ui *ui)
{
	char *p;

	if (ui->data_dir == NULL)
		return NULL;
	xasprintf(&p, "%s/ui-windows", ui->data_dir);
	return p;
}

int
ui_check_key(const char *key, const char *action, char **why)
{
	struct keymap *km = keymap_new();
	int r;

	*why = NULL;
	if (km == NULL) {
		*why = xstrdup("out of memory");
		return -1;
	}
	r = keymap_bind(km, 0, key, action, why);
	keymap_free(km);
	return r == 0 ? 0 : -1;
}

char *
ui_man_keys(void)
{
	struct keymap *km = keymap_new();
	char *t;

	if (km == NULL)
		return NULL;
	t = keymap_man_section(km);
	keymap_free(km);
	return t;
}

struct ui *
ui_new(struct ward *w, const struct ui_options *o, char **why)
{
	struct ui *ui = xcalloc(1, sizeof(*ui));
	const char *twhy;
	int theme = term_theme_parse(o->theme), rows, cols;
	char *path;
	size_t i;

	*why = NULL;
	if (theme < 0) {
		xasprintf(why,
			  "[ui] theme: unknown theme %s (default, light, "
			  "monochrome)",
			  o->theme);
		free(ui);
		return NULL;
	}
	ui->w = w;
	ui->events_fd = -1;
	ui->bell_on = o->bell;
	ui->title_on = o->title;
	ui->vo.pane = o->pane != 0;
	ui->data_dir = o->data_dir ? xstrdup(o->data_dir) : NULL;
	model_init(&ui->m, o->account, o->own_jid, UI_MAX_LINES);
	ui->m.show_accounts = o->several_accounts;
	if ((path = ui_state_path(ui)) != NULL) {
		winstate_load(path, &ui->m.wl, o->account, &ui->vo.pane,
			      o->pane);
		free(path);
	}
	if ((ui->kd = keydec_new()) == NULL ||
	    (ui->ed = editor_new()) == NULL ||
	    (ui->km = keymap_new()) == NULL ||
	    (ui->hist = history_new(0)) == NULL ||
	    (ui->wh = winhist_new(ui->hist)) == NULL ||
	    (ui->cmp = complete_new()) == NULL)
		goto fail_nomem;
	for (i = 0; i < o->nkeys; i++) {
		char *kwhy = NULL;
		if (keymap_bind(ui->km, o->keys[i].line, o->keys[i].key,
				o->keys[i].action, &kwhy) != 0) {
			xasprintf(why, "[keys] %s",
				  kwhy ? kwhy : "bad binding");
			free(kwhy);
			goto fail;
		}
	}
	if (o->events_path != NULL) {
		ui->events_fd =
		    open(o->events_path,
			 O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC,
			 0600);
		if (ui->events_fd < 0) {
			xasprintf(why, "%s: cannot open the event log: %s",
				  o->events_path, strerror(errno));
			goto fail;
		}
	}
	if (o->pipe_path != NULL &&
	    pipe_open(o->pipe_path, &ui->pipe, why) != WARD_OK) {
		if (*why == NULL)
			xasprintf(why, "%s: cannot open the command pipe",
				  o->pipe_path);
		goto fail;
	}
	ui->vo.time_format = o->time_format;
	if (term_start((enum term_theme)theme, o->colours ? o->colours : "auto",
		       &twhy) != 0) {
		xasprintf(why, "%s", twhy ? twhy : "cannot use the terminal");
		goto fail;
	}
	view_set_colours(term_colours(), theme == TT_LIGHT);
	term_resize(&rows, &cols);
	if (grid_resize(&ui->g, rows, cols) != 0) {
		term_stop();
		goto fail_nomem;
	}
	if (ui->pipe != NULL)
		loop_add_fd(w->loop, pipe_fd(ui->pipe), POLLIN,
			    ui_pipe_readable, ui);
	event_subscribe(ui_event, ui);
	event_subscribe_flush(ui_flush, ui);
	loop_add_fd(w->loop, 0, POLLIN, ui_stdin, ui);
	loop_signal(w->loop, SIGWINCH, ui_winch, ui);
	ui->m.now = wall_ms();
	model_note(&ui->m, ui->m.wl.w[0], LK_INFO,
		   "ward: /help lists the commands, F1 the keys, /quit leaves");
	ui->full = 1;
	ui_flush(ui); /* the first frame, before the network is up */
	return ui;
fail_nomem:
	if (*why == NULL)
		*why = xstrdup("out of memory");
fail:
	if (ui->pipe != NULL)
		pipe_close(ui->pipe, 1);
	if (ui->events_fd >= 0)
		close(ui->events_fd);
	ui_input_free(ui);
	model_free(&ui->m);
	free(ui->help_text);
	free(ui->cs_jid);
	free(ui->data_dir);
	free(ui);
	return NULL;
}

void
ui_free(struct ui *ui)
{
	char *path;

	if (ui == NULL)
		return;
	if ((path = ui_state_path(ui)) != NULL) {
		winstate_save(path, &ui->m.wl, ui->vo.pane);
		free(path);
	}
	ui_edit_stop(ui);
	event_unsubscribe(ui);
	loop_del_fd(ui->w->loop, 0);
	if (ui->key_timer)
		loop_timer_cancel(ui->w->loop, ui->key_timer);
	if (ui->older_timer)
		loop_timer_cancel(ui->w->loop, ui->older_timer);
	if (ui->paint_timer)
		loop_timer_cancel(ui->w->loop, ui->paint_timer);
	if (ui->typing_timer)
		loop_timer_cancel(ui->w->loop, ui->typing_timer);
	if (ui->pipe != NULL) {
		loop_del_fd(ui->w->loop, pipe_fd(ui->pipe));
		pipe_close(ui->pipe, 1);
	}
	term_stop();
	if (ui->events_fd >= 0)
		close(ui->events_fd);
	ui_input_free(ui);
	grid_free(&ui->g);
	model_free(&ui->m);
	free(ui->help_text);
	free(ui->cs_jid);
	free(ui->data_dir);
	free(ui);
}
