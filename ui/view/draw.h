/*
 * draw.h: copies the grid to the terminal through curses (draw.c is the
 * only file calling curses output functions).
 */
#ifndef WARD_UI_DRAW_H
#define WARD_UI_DRAW_H

struct grid;

/* The curses attributes (colour pair included) of a grid style. */
void draw_set_style(int style, unsigned long attr);
/* The same for a style whose colour pair is defined only when a cell
 * first uses it (the 256 nick colours: defining them all up front was a
 * tenth of the first frame's cost). */
void draw_set_style_pair(int style, unsigned long attr, int pair, int fg,
			 int bg);
/* Writes the dirty rows (all with full) and places the cursor. */
void draw_frame(struct grid *g, int full);

#endif
