/*
 * ui_priv.h: the frontend's state shared by ui.c (events, pipe, painting,
 * terminal) and ui_keys.c (keys, the input line, commands typed).
 */
#ifndef WARD_UI_PRIV_H
#define WARD_UI_PRIV_H

#include <stddef.h>
#include <stdint.h>
#include <poll.h>

#include "model/model.h"
#include "view/grid.h"
#include "view/view.h"

struct ward;
struct keydec;
struct keydec_event;
struct cmdpipe;
struct editor;
struct keymap;
struct history;
struct history_search;
struct winhist;
struct complete;

#define UI_PASTE_ASK_LINES 5 /* a longer paste needs Enter twice */

struct ui {
	struct ward *w;
	struct model m;
	struct grid g;
	struct view_opts vo;
	struct keydec *kd;
	uint64_t key_timer;
	uint64_t older_timer;  /* asks for older lines from the loop */
	uint64_t paint_timer;  /* a frame held back (UI_FRAME_MS) */
	uint64_t typing_timer; /* the next typing notice to go stale */
	int64_t last_paint;    /* now_ms() of the last frame */
	int key_turn;          /* keys or a resize this turn: paint now */
	int title_shown;
	unsigned title_unread;
	struct cmdpipe *pipe;
	int events_fd;
	int full; /* repaint everything next frame */
	int input_dirty;
	int bell_on, title_on;
	char *data_dir;
	/* the input line */
	struct editor *ed;
	struct keymap *km;
	struct history *hist;      /* global input history */
	struct winhist *wh;        /* each window's own, walked by Up/Down */
	struct history_search *hs; /* Ctrl-R while searching */
	struct complete *cmp;
	int finding;       /* the input line is a find in the window */
	int paste_confirm; /* a long paste waits for a second Enter */
	char *help_text;
	/* the chat state last sent (ui_signals.c) and to whom */
	char *cs_jid;
	char cs_state[12];
	/* $EDITOR (ui_edit.c): the editor's PID while it runs, the file and
	 * its private directory */
	int edit_pid;
	int edit_sig; /* SIGCHLD is watched */
	char *edit_dir, *edit_file;
};

/* ui_keys.c */
/* The input line as the view draws it (text, cursor, label). */
void ui_input_view(struct ui *ui, struct view_input *in);
/* The F1 overlay's text from the keymap (malloc'd). */
char *ui_keys_help(struct ui *ui);
void ui_keys_feed(struct ui *ui, const char *buf, size_t len);
void ui_keys_timeout(void *arg);
/* Runs a line typed in the input (a command or text for the window). */
void ui_submit(struct ui *ui, const char *line, size_t len);
/* ui_signals.c: /chatstate and /read as the user types and looks; with
 * SEND 0 only says whether one is due (1). */
int ui_signals(struct ui *ui, int send);
/* ui.c: the terminal's keys (watched on the loop as fd 0). */
void ui_stdin(void *arg, int fd, short revents);
/* ui.c: takes the terminal's size now (after a resize or the editor). */
void ui_size(struct ui *ui);

/* ui_edit.c: M-e writes the input line to a private file and runs the
 * editor on it; the text comes back into the input line. ui_edit_stop
 * ends a running editor and removes the file (at exit). */
void ui_edit_start(struct ui *ui);
void ui_edit_stop(struct ui *ui);

/* The view's geometry now. */
void ui_geom(struct ui *ui, struct view_geom *vg);

#endif
