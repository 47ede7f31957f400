/*
 * editor.h: the input line editor over a UTF-8 buffer. The cursor moves
 * by grapheme cluster (text/width.h), with emacs-style editing, a kill
 * ring with yank-pop, grouped undo and multi-line input; and a view that
 * says what to draw in a given number of rows and columns. No curses here.
 *
 * What the buffer holds: valid UTF-8 with no control character except LF
 * (a line break inside one message) and TAB. Text that comes in (typed,
 * pasted, recalled, completed) is normalised on the way in: CR LF and a
 * lone CR become LF, other C0 controls, DEL, C1 controls and ill-formed
 * UTF-8 are dropped. Invisible characters that are kept (TAB, bidi
 * controls, zero-width characters, a mark with no base) are drawn escaped
 * (editor_glyph()), so the user sees everything the message will carry.
 */
#ifndef WARD_UI_EDITOR_H
#define WARD_UI_EDITOR_H

#include <stddef.h>
#include <stdint.h>

#include "input/keymap.h"

#define EDITOR_MAX (256 * 1024)     /* bytes in the buffer */
#define EDITOR_KILL_RING 16         /* kills kept for yank-pop */
#define EDITOR_UNDO_STEPS 100       /* undo steps kept */
#define EDITOR_UNDO_BYTES (4 << 20) /* bytes of undo snapshots kept */
#define EDITOR_VIEW_MAX_ROWS 32     /* rows editor_view() fills */

struct editor; /* opaque */

/* An empty editor, or NULL when out of memory. */
struct editor *editor_new(void);
void editor_free(struct editor *ed);

/* The buffer (NUL-terminated; *len may be NULL) and the cursor's byte
 * offset. The pointer belongs to the editor and is valid until the next
 * change. */
const char *editor_text(const struct editor *ed, size_t *len);
size_t editor_cursor(const struct editor *ed);

/* Empties the buffer and forgets its undo history (after a line was
 * sent); the kill ring is kept. */
void editor_clear(struct editor *ed);

/* Replaces the whole buffer with text (normalised), cursor at the end, as
 * one undo step (history recall). Returns 0, or -1 when it was cut at
 * EDITOR_MAX or memory ran out. */
int editor_set(struct editor *ed, const char *text, size_t len);

/* Inserts text at the cursor (normalised) and moves the cursor past it.
 * A typed character (editor_type) joins the previous one in the same undo
 * step; a paste (editor_insert) is one step of its own. Returns 0, or -1
 * when the text was cut at EDITOR_MAX or memory ran out. */
int editor_insert(struct editor *ed, const char *text, size_t len);
int editor_type(struct editor *ed, uint32_t cp);

/* Replaces bytes [start, end) with text (normalised), the cursor after it,
 * as one undo step (completion). start/end are clamped to the buffer.
 * Returns 0 or -1 as editor_insert(). */
int editor_replace(struct editor *ed, size_t start, size_t end,
		   const char *text, size_t len);

/* Applies an editor action (KEYMAP_BOL .. KEYMAP_NEWLINE). Returns 1 when
 * it is one (whether or not anything changed), 0 for any other action,
 * which the caller handles. */
int editor_action(struct editor *ed, enum keymap_action a);

/* In a multi-line buffer, moves the cursor to the line above (below),
 * keeping its column. Returns 1 if it moved, 0 on the first (last) line,
 * where Up (Down) walks the history instead. */
int editor_line_up(struct editor *ed);
int editor_line_down(struct editor *ed);

/* How one grapheme cluster is drawn. */
struct editor_glyph {
	size_t len;   /* bytes of the buffer it covers (>= 1) */
	int cols;     /* columns it takes */
	int escaped;  /* draw esc (ASCII) in the escape attribute */
	char esc[16]; /* "^I", "<U+202E>" when escaped */
};

/* The glyph of the cluster at s (len > 0 bytes up to the end of its
 * line). Returns g->len. */
size_t editor_glyph(const char *s, size_t len, struct editor_glyph *g);

/*
 * What to draw. Each row is a byte range of the buffer, drawn glyph by
 * glyph with editor_glyph(); its columns fit the width unless one glyph
 * alone is wider. With one row a long line scrolls sideways (more_left,
 * more_right say whether text is hidden); with more it wraps, and the
 * rows follow the cursor (more_above, more_below). cur_row is the row of
 * rows[] the cursor is on and cur_col its column.
 */
struct editor_view {
	int nrows;
	struct {
		size_t start, end;
	} row[EDITOR_VIEW_MAX_ROWS];
	int cur_row, cur_col;
	int more_left, more_right, more_above, more_below;
};

/* Fills *v for width columns and rows rows (clamped to 1..
 * EDITOR_VIEW_MAX_ROWS; width to >= 1). Keeps its scroll position in ed
 * so the view does not jump while typing. */
void editor_view(struct editor *ed, int width, int rows, struct editor_view *v);

#endif
