/*
 * colour.h: consistent colours for names (XEP-0392): the SHA-1 of an
 * identifier (a bare JID, else a nick) gives a hue angle, HSLuv with
 * saturation 100 and lightness 50 gives the colour, and a terminal gets
 * the nearest of its own palette by hue. The same name has the same
 * colour in every window and in other XEP-0392 clients. Colours are never
 * the only sign of anything (UI.md): the view must still say it in words.
 */
#ifndef WARD_UI_COLOUR_H
#define WARD_UI_COLOUR_H

#include <stddef.h>

/* A colour, each channel 0..1. */
struct colour_rgb {
	double r, g, b;
};

/* XEP-0392 section 5.2: colour vision deficiency corrections. */
enum colour_cvd {
	COLOUR_CVD_NONE,
	COLOUR_CVD_REDGREEN,
	COLOUR_CVD_BLUE,
};

/* The terminal's background: names are drawn lighter on a dark one and
 * darker on a light one. */
enum colour_bg {
	COLOUR_BG_DARK,
	COLOUR_BG_LIGHT,
};

/* XEP-0392 5.1: the hue angle (0 <= angle < 360) of len bytes of UTF-8
 * (a bare JID prepared as for a case-sensitive comparison, or a nick). */
double colour_angle(const char *id, size_t len);

/* XEP-0392 5.2: the angle corrected for a colour vision deficiency. */
double colour_cvd_hue(double angle, enum colour_cvd cvd);

/* HSLuv to RGB (h 0..360, s and l 0..100). */
struct colour_rgb colour_hsluv_rgb(double h, double s, double l);

/* RGB to HSLuv hue and lightness (what palette mapping needs). */
void colour_rgb_hl(struct colour_rgb c, double *h, double *l);

/* XEP-0392 5.3: c adapted to a background colour. */
struct colour_rgb colour_adapt(struct colour_rgb c, struct colour_rgb bg);

/* The full-range colour of an identifier (5.4, saturation 100, lightness
 * 50), corrected for cvd, adapted to a black or white background by 5.3
 * (for terminals with direct colour). */
struct colour_rgb colour_rgb_for(const char *id, size_t len,
				 enum colour_cvd cvd, enum colour_bg bg);

/* For terminals with direct colour (truecolor): the identifier's
 * XEP-0392 hue angle in 256 steps (0..255), and the full-range colour of
 * a step (5.4, saturation 100, lightness 50, adapted to the background by
 * 5.3). Steps of 1.4 degrees cannot be told apart on a screen, and keep
 * the view's 256 nick styles. */
int colour_direct_step(const char *id, size_t len, enum colour_cvd cvd);
struct colour_rgb colour_direct_rgb(int step, enum colour_bg bg);

/* A hue palette (XEP-0392 5.5): for each integer angle, the palette entry
 * of that hue whose lightness is nearest the target, or -1. */
struct colour_palette {
	short entry[360];
};

/* Builds a hue palette from n colours (greys are skipped), preferring,
 * for each hue, the lightness nearest target_l (XEP-0392 uses 73.2). */
void colour_palette_init(struct colour_palette *p,
			 const struct colour_rgb *cols, size_t n,
			 double target_l);

/* XEP-0392 5.6: the index of the palette colour nearest hue, or -1 for a
 * palette with no colour at all. */
int colour_palette_pick(const struct colour_palette *p, double hue);

/* The xterm 256-colour index (16..231, the colour cube) for an
 * identifier, by XEP-0392 5.6 over the cube colours readable on the
 * background: HSLuv lightness >= 45 (preferring 73.2) on a dark one,
 * <= 60 (preferring 45) on a light one. */
int colour_xterm256(const char *id, size_t len, enum colour_cvd cvd,
		    enum colour_bg bg);

/* The 16-colour index for an identifier: the nearest by hue of red,
 * green, yellow, blue, magenta and cyan, bright (9..14) on a dark
 * background, normal (1..6) on a light one. */
int colour_ansi16(const char *id, size_t len, enum colour_cvd cvd,
		  enum colour_bg bg);

#endif
