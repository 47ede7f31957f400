/*
 * view.h: paints the model into the grid: the top line, the window list,
 * the chat view, the panes, the conversation security line, the input
 * line, the prompt box and the help overlay. Only dirty regions are
 * repainted and only visible lines are wrapped, so a frame costs the same
 * whatever the scrollback holds.
 */
#ifndef WARD_UI_VIEW_H
#define WARD_UI_VIEW_H

#include <stddef.h>
#include <stdint.h>

struct grid;
struct model;
struct uiwin;

struct view_input {
	const char *text; /* the line being edited (UTF-8, may hold \n) */
	size_t len;
	size_t cursor;     /* byte offset of the cursor */
	const char *label; /* shown before it, e.g. "> " or a search */
};

struct view_opts {
	int pane;                /* contacts/occupants pane on */
	int help;                /* F1 overlay shown */
	const char *time_format; /* strftime format of the time column */
	const char *help_text;   /* lines for the overlay ("\n"-separated) */
};

/* Where things are for a grid of that size. */
struct view_geom {
	int small; /* below 20x6: only "terminal too small" */
	int top;   /* row of the top line */
	int chat_top, chat_rows, chat_cols;
	int pane_col, pane_cols; /* pane_cols 0: no pane */
	int sec_row;             /* conversation security line */
	int input_row, input_rows;
	int rules;               /* horizontal rules drawn */
	const char *time_format; /* from view_opts (never NULL) */
	int time_cols;           /* its width */
};

void view_geom(const struct grid *g, const struct view_opts *o,
	       const struct view_input *in, struct view_geom *vg);
/* Repaints what m->dirty says (everything when full) and clears it. */
void view_paint(struct grid *g, struct model *m, const struct view_opts *o,
		const struct view_input *in, int full);

/* Scrolls the current window by rows (> 0 up, < 0 down) at the chat
 * view's current size; returns 1 when the top of what is held was reached
 * (older lines should be asked for). */
int view_scroll(struct model *m, const struct view_geom *vg, int rows);
/* To the top of what is held. */
void view_scroll_top(struct model *m, const struct view_geom *vg);

/* chatview.c */
void chatview_paint(struct grid *g, struct model *m,
		    const struct view_geom *vg);
int chatview_line_rows(struct uiwin *w, uint64_t seq, int cols);
/* Searches the current window backwards from the view for text
 * (case-insensitive); scrolls to it and returns 1 when found. */
int chatview_find(struct model *m, const struct view_geom *vg,
		  const char *text);

/* bars.c */
void bars_top(struct grid *g, struct model *m, const struct view_geom *vg);
void bars_sec(struct grid *g, struct model *m, const struct view_geom *vg);
void bars_input(struct grid *g, const struct view_geom *vg,
		const struct view_input *in);
void bars_pane(struct grid *g, struct model *m, const struct view_geom *vg);
/* boxes.c */
void boxes_prompt(struct grid *g, struct model *m, const struct view_geom *vg);
void boxes_help(struct grid *g, const struct view_geom *vg, const char *text);
/* The window's short name for the list and titles (sanitised later). */
void view_win_name(const struct uiwin *w, char *buf, size_t size);
/* Style of a nick: its XEP-0392 colour in the terminal's palette
 * (GS_NICK0 + the colour's index), or GS_NORMAL without colours. */
uint16_t view_nick_style(const char *nick);
/* The palette: 0 (none), 16 or 256 colours, or TERM_DIRECT (more than
 * 256: direct colour, nick styles are hue steps), on a light background
 * or not. */
void view_set_colours(int ncolours, int light);

#endif
