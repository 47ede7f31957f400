/*
 * grid.h: the screen as an in-memory grid of cells. The views paint into it
 * and only through grid_put(), which accepts nothing but a display string
 * (struct dstr, built by the sanitiser): remote text cannot reach a cell
 * otherwise. draw.c copies dirty rows to curses; the unit tests and the
 * fuzzer read the cells directly.
 */
#ifndef WARD_UI_GRID_H
#define WARD_UI_GRID_H

#include <stddef.h>
#include <stdint.h>

struct dstr;

/* What a cell means; the theme (term/theme.c) maps each to colours and
 * attributes, and the monochrome theme to bold/underline/reverse. */
enum gstyle {
	GS_NORMAL,
	GS_DIM,     /* time, separators, ward's own quiet text */
	GS_BAR,     /* top line and window list */
	GS_BAR_CUR, /* the current window in the list */
	GS_BAR_ACT, /* a window with unread lines */
	GS_BAR_HI,  /* a window with a highlight */
	GS_GOOD,    /* secure, verified, online */
	GS_WARN,    /* degraded: insecure DNS, unverified, away */
	GS_BAD,     /* plaintext, failed, refused */
	GS_INFO,
	GS_ERROR,
	GS_HILITE, /* a line that mentions us */
	GS_ME,     /* our own nick */
	GS_SEP,    /* day separators and the "new" marker */
	GS_PANE,
	GS_PROMPT, /* the prompt box */
	GS_INPUT,
	GS_NICK0, /* 256 nick colours follow: GS_NICK0 + terminal colour */
	GS_COUNT = GS_NICK0 + 256
};

#define GA_BOLD 0x01
#define GA_ULINE 0x02
#define GA_REV 0x04
#define GA_ESC 0x08 /* text ward escaped (^[, <U+202E>): distinct look */

#define GRID_CELL_BYTES 26
#define GRID_MAX_ROWS 1000
#define GRID_MAX_COLS 2000

/* A cell as read back (grid_cell). */
struct gcell {
	char b[GRID_CELL_BYTES]; /* one grapheme cluster, UTF-8 */
	uint8_t len;             /* bytes in b; 0 for the right half of a wide
				    cluster */
	uint8_t width;           /* 1 or 2; 0 for a right half */
	uint16_t style;          /* enum gstyle */
	uint8_t attr;            /* GA_* */
};

/* A cell as the grid keeps it, in 8 bytes: a cluster of up to 4 bytes
 * (every single code point) in t, a longer one (combining marks, ZWJ
 * sequences, flags) in its row's side table (allocated for the rows that
 * have one). */
#define GSLOT_INLINE 4
struct gslot {
	char t[GSLOT_INLINE];
	uint16_t style; /* enum gstyle */
	uint8_t attr;   /* GA_* */
	uint8_t lw;     /* bytes << 2 | width (see struct gcell) */
};
#define GSLOT_LEN(s) ((s)->lw >> 2)
#define GSLOT_WIDTH(s) ((s)->lw & 3)

struct grid {
	int rows, cols;
	struct gslot *s;
	char (**longs)[GRID_CELL_BYTES]; /* per row: NULL, or a cluster
					   longer than t per column */
	unsigned char *dirty; /* per row: changed since draw.c copied it */
	int cur_row, cur_col; /* where the cursor goes (-1: hidden) */
};

/* (Re)sizes to rows x cols (each >= 1, capped at 1000 x 2000), all blank
 * and dirty. 0 or -1 on allocation failure (then unchanged). */
int grid_resize(struct grid *g, int rows, int cols);
void grid_free(struct grid *g);
/* Blanks cols [col, col+n) of row in style. */
void grid_blank(struct grid *g, int row, int col, int n, uint16_t style);
/* Draws d from byte from to byte to (to > d->len: the end) at row/col, at
 * most maxcols columns, stopping at a '\n'. *esc carries the escape mark
 * state in and out (may be NULL: off). Returns the columns used. A wide
 * cluster that would cross maxcols is not drawn. */
int grid_put(struct grid *g, int row, int col, int maxcols,
	     const struct dstr *d, size_t from, size_t to, uint16_t style,
	     uint8_t attr, int *esc);
/* The same for text ward itself wrote (sanitised too). */
int grid_text(struct grid *g, int row, int col, int maxcols, const char *s,
	      uint16_t style, uint8_t attr);
/* Fills n columns with one ASCII character. */
void grid_fill(struct grid *g, int row, int col, int n, char ch, uint16_t style,
	       uint8_t attr);
/* The cell at row/col, unpacked (NULL outside); it stays valid for the
 * next 7 calls (the tests and the fuzzer read cells with it). */
const struct gcell *grid_cell(const struct grid *g, int row, int col);
/* Row row's slots (draw.c), and the text of the slot at col of it. */
const struct gslot *grid_row(const struct grid *g, int row);
const char *grid_slot_text(const struct grid *g, int row, int col);

#endif
