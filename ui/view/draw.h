/*
 * draw.h: copies the grid to the terminal (draw.c is the only file that
 * writes cell text to it), with the sequences of the terminal's terminfo
 * entry.
 */
#ifndef WARD_UI_DRAW_H
#define WARD_UI_DRAW_H

struct grid;

/* The looks a style can add to its colours. */
#define DRAW_BOLD 0x01u
#define DRAW_DIM 0x02u
#define DRAW_ULINE 0x04u
#define DRAW_REV 0x08u

/* Reads what draw.c needs from the terminfo entry set up by setupterm()
 * (cursor addressing and clearing are required). 0, or -1 with *why. */
int draw_init(const char **why);
/* Whether the entry can set colours (setaf), and how many. */
int draw_colour_count(void);
/* A style's looks: fg and bg are colour values for setaf/setab (-1: the
 * terminal's default), looks DRAW_*. Their sequence is worked out on the
 * style's first use. */
void draw_set_style(int style, int fg, int bg, unsigned looks);
/* Takes the screen (alternate screen, cursor shown) and gives it back
 * (attributes off, cursor shown, main screen). The next frame after
 * draw_enter() is painted in full. */
void draw_enter(void);
void draw_leave(void);
/* Sends the dirty rows' changed cells (every cell with full, after
 * clearing the screen) and places the cursor: one write() a frame. */
void draw_frame(struct grid *g, int full);
/* Frees what draw.c holds (at exit). */
void draw_free(void);

#endif
