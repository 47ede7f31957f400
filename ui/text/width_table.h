/*
 * width_table.h: the generated Unicode property table behind width.h and
 * display.c (width_table.c, made by gen_tables.py). Private to ui/text.
 */
#ifndef WARD_UI_WIDTH_TABLE_H
#define WARD_UI_WIDTH_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "unirun.h"

/* Its tables are runs of code points (struct unirun, the core's
 * unirun.h, shared with the TS #39 tables). */

/* The attributes below, by run. */
extern const struct unirun uw_rows[];
extern const size_t uw_nrows;
/* The attributes of U+0000..U+07FF (Latin to Arabic) by direct lookup. */
#define UWT_LOW 0x800
extern const uint16_t uw_low[UWT_LOW];

/* attr bits 0-1: the width (3 stands for -1, a control). */
#define UWT_WIDTH(a) ((a)&3)
/* bits 2-5: the grapheme cluster break class (UAX #29). */
#define UWT_GBP(a) (((a) >> 2) & 15)
enum uwt_gbp {
	UWT_OTHER,
	UWT_CR,
	UWT_LF,
	UWT_CONTROL,
	UWT_EXTEND,
	UWT_ZWJ,
	UWT_RI,
	UWT_PREPEND,
	UWT_SPACINGMARK,
	UWT_L,
	UWT_V,
	UWT_T,
	UWT_LV,
	UWT_LVT,
};
#define UWT_EXTPICT 0x40    /* Extended_Pictographic */
#define UWT_EMOJI_TEXT 0x80 /* Emoji, text presentation by default */
#define UWT_INVIS 0x100     /* invisible: default-ignorable, format, Zl/Zp */
#define UWT_BIDI 0x200      /* a bidi control */
#define UWT_VS 0x400        /* a variation selector */
#define UWT_SPACE 0x800     /* a space separator (Zs) */
#define UWT_JOINCTX 0x1000  /* a letter or mark past U+0370 (joiner context) */
#define UWT_AMBIG 0x2000    /* East Asian Ambiguous, width 1 by default */

/* The attributes of cp (any value; past U+10FFFF counts as a control). */
uint16_t uwt_attr(uint32_t cp);
/* The width bits of attributes (3: a control), East Asian Ambiguous
 * counted as uw_set_ambiguous_wide() says. */
int uwt_width(uint16_t a);

#endif
