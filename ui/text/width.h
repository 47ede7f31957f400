/*
 * width.h: how many terminal columns text takes. One table (width.c) serves
 * layout, wrapping, the cursor and truncation alike (UI.md rule 4), so what
 * is measured is what is drawn. Works on grapheme clusters: a base character
 * with its combining marks, an emoji with VS16, a ZWJ sequence, a flag pair.
 */
#ifndef WARD_UI_WIDTH_H
#define WARD_UI_WIDTH_H

#include <stddef.h>
#include <stdint.h>

/* Longest run of combining marks kept on one base; the rest are dropped
 * when drawing (a "Zalgo" body cannot grow a line's height or cost). */
#define UW_MAX_COMBINING 4

/* Decodes one UTF-8 character at s (len > 0 bytes available). Returns the
 * bytes used (1-4) and sets *cp; an invalid or overlong sequence, a
 * surrogate or a value past U+10FFFF uses 1 byte and sets *cp to
 * UW_INVALID. */
#define UW_INVALID 0xFFFFFFFFu
size_t uw_decode(const char *s, size_t len, uint32_t *cp);

/* Writes cp as UTF-8 into out (4 bytes room); returns the bytes written.
 * A surrogate or a value past U+10FFFF is written as U+FFFD. */
size_t uw_encode(uint32_t cp, char *out);

/* Whether East Asian Ambiguous characters (Greek and Cyrillic letters,
 * box drawing, some symbols) take 2 columns, as in terminals set up for
 * CJK; 1 by default. Set once at start from the configuration. */
void uw_set_ambiguous_wide(int wide);

/* Columns one code point takes on its own: 2 for East Asian Wide/Fullwidth
 * and default-emoji-presentation characters (and East Asian Ambiguous
 * ones after uw_set_ambiguous_wide(1)), 0 for combining marks,
 * variation selectors, ZWJ/ZWNJ and other zero-width format characters,
 * -1 for C0/C1 controls and DEL (which never reach the terminal), else 1. */
int uw_cp_width(uint32_t cp);

/* One grapheme cluster starting at s: returns its bytes (>= 1 when
 * len > 0) and sets *cols to its columns (VS16 after a text-default emoji
 * makes 2, a ZWJ sequence and a regional-indicator pair count as one
 * 2-column cluster; VS15 changes nothing, as in most terminals). A
 * control (a display string's marks and '\n' among them) is a cluster of
 * its own taking 0 columns; an invalid byte is one taking 1. Spacing
 * marks and Hangul jamo add their widths, as wcwidth-based terminals
 * draw them; so does a flag's second regional indicator (each is 1
 * column alone, as wcwidth says, and a flag 2). */
size_t uw_cluster(const char *s, size_t len, int *cols);

/* Columns of a whole (display) string, cluster by cluster. */
size_t uw_str_width(const char *s, size_t len);

/* Bytes of the longest prefix of s that fits in cols columns, never
 * cutting a cluster; *used (may be NULL) gets the columns it takes. */
size_t uw_fit(const char *s, size_t len, size_t cols, size_t *used);

#endif
