/*
 * ui_priv.h: the frontend's state shared by ui.c (events, pipe, painting,
 * terminal) and ui_keys.c (keys, the input line, commands typed).
 */
#ifndef WARD_UI_PRIV_H
#define WARD_UI_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "model/model.h"
#include "view/grid.h"
#include "view/view.h"

struct ward;
struct keydec;
struct keydec_event;
struct cmdpipe;

#define UI_HISTORY_MAX 500
#define UI_INPUT_MAX (64 * 1024)

struct ui {
	struct ward *w;
	struct model m;
	struct grid g;
	struct view_opts vo;
	struct keydec *kd;
	uint64_t key_timer;
	struct cmdpipe *pipe;
	int events_fd;
	int full;		/* repaint everything next frame */
	int input_dirty;
	int bell_on, title_on;
	char *data_dir;
	/* the input line (a plain editor until ui/input's lands) */
	char *in;
	size_t in_len, in_cap, in_cur;
	int finding;		/* the input line is a find in the window */
	char *hist[UI_HISTORY_MAX];
	size_t nhist, hist_pos;
	char *help_text;
};

/* ui_keys.c */
void ui_keys_feed(struct ui *ui, const char *buf, size_t len);
void ui_keys_timeout(void *arg);
/* Runs a line typed in the input (a command or text for the window). */
void ui_submit(struct ui *ui, const char *line, size_t len);
/* The view's geometry now. */
void ui_geom(struct ui *ui, struct view_geom *vg);

#endif
