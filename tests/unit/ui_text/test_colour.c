/*
 * test_colour.c: ui/text/colour.c against XEP-0392's test vectors (full
 * range with and without colour vision corrections, and the 216-colour
 * "web safe" palette), plus the terminal palettes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <math.h>
#include <string.h>

#include <cmocka.h>

#include "text/colour.h"

#include "tests.h"

struct vec {
	const char *text;
	double angle;
	double hue[3];     /* none, red/green, blue */
	double rgb[3][3];  /* per correction */
	int best[3];       /* the palette's hue per correction */
	double prgb[3][3]; /* the palette colour per correction */
};

/* XEP-0392 section 13 (version 1.0.1). */
static const struct vec colour_vecs[] = {
    {"Romeo",
     327.255249,
     {327.255249, 327.255249, 147.255249},
     {{0.865, 0.000, 0.686}, {0.865, 0.000, 0.686}, {0.000, 0.535, 0.350}},
     {327, 327, 147},
     {{1.0, 0.0, 0.8}, {1.0, 0.0, 0.8}, {0.4, 0.8, 0.6}}},
    {"juliet@capulet.lit",
     209.410400,
     {209.410400, 29.410400, 29.410400},
     {{0.000, 0.515, 0.573}, {0.742, 0.359, 0.000}, {0.742, 0.359, 0.000}},
     {226, 30, 30},
     {{0.0, 0.8, 1.0}, {1.0, 0.6, 0.4}, {1.0, 0.6, 0.4}}},
    {"\xf0\x9f\x98\xba",
     331.199341,
     {331.199341, 331.199341, 151.199341},
     {{0.872, 0.000, 0.659}, {0.872, 0.000, 0.659}, {0.000, 0.533, 0.373}},
     {331, 331, 153},
     {{1.0, 0.4, 0.8}, {1.0, 0.4, 0.8}, {0.2, 0.8, 0.6}}},
    {"council",
     359.994507,
     {359.994507, 359.994507, 179.994507},
     {{0.918, 0.000, 0.394}, {0.918, 0.000, 0.394}, {0.000, 0.524, 0.485}},
     {359, 359, 192},
     {{0.8, 0.2, 0.4}, {0.8, 0.2, 0.4}, {0.0, 0.8, 0.8}}},
    {"Board",
     171.430664,
     {171.430664, 351.430664, 171.430664},
     {{0.000, 0.527, 0.457}, {0.904, 0.000, 0.494}, {0.000, 0.527, 0.457}},
     {161, 353, 161},
     {{0.0, 1.0, 0.8}, {0.4, 0.0, 0.2}, {0.0, 1.0, 0.8}}},
};
#define NVECS (sizeof(colour_vecs) / sizeof(colour_vecs[0]))

static const enum colour_cvd cvds[3] = {COLOUR_CVD_NONE, COLOUR_CVD_REDGREEN,
					COLOUR_CVD_BLUE};

#define NEAR(a, b, eps) assert_true((a) - (b) < (eps) && (b) - (a) < (eps))

void
test_colour_xep0392(void **state)
{
	(void)state;
	for (size_t i = 0; i < NVECS; i++) {
		const struct vec *v = &colour_vecs[i];
		double angle = colour_angle(v->text, strlen(v->text));

		NEAR(angle, v->angle, 1e-5);
		for (int c = 0; c < 3; c++) {
			double hue = colour_cvd_hue(angle, cvds[c]);
			struct colour_rgb rgb =
			    colour_hsluv_rgb(hue, 100.0, 50.0);

			NEAR(hue, v->hue[c], 1e-5);
			NEAR(rgb.r, v->rgb[c][0], 0.0006);
			NEAR(rgb.g, v->rgb[c][1], 0.0006);
			NEAR(rgb.b, v->rgb[c][2], 0.0006);
		}
	}
}

void
test_colour_palette(void **state)
{
	struct colour_rgb web[216];
	struct colour_palette pal;
	double h, l;

	(void)state;
	/* The "web safe" palette of the XEP's vectors. */
	for (int i = 0; i < 216; i++) {
		web[i].r = (i / 36) * 0.2;
		web[i].g = ((i / 6) % 6) * 0.2;
		web[i].b = (i % 6) * 0.2;
	}
	colour_palette_init(&pal, web, 216, 73.2);
	for (size_t i = 0; i < NVECS; i++) {
		const struct vec *v = &colour_vecs[i];

		for (int c = 0; c < 3; c++) {
			int k = colour_palette_pick(&pal, v->hue[c]);

			assert_true(k >= 0 && k < 216);
			colour_rgb_hl(web[k], &h, &l);
			assert_int_equal((int)(h + 0.5) % 360, v->best[c]);
			NEAR(web[k].r, v->prgb[c][0], 1e-9);
			NEAR(web[k].g, v->prgb[c][1], 1e-9);
			NEAR(web[k].b, v->prgb[c][2], 1e-9);
		}
	}
	/* RGB to HSLuv and back. */
	colour_rgb_hl((struct colour_rgb){0.865, 0.0, 0.686}, &h, &l);
	NEAR(h, 327.255, 0.3);
	NEAR(l, 50.0, 0.2);
}

void
test_colour_terminal(void **state)
{
	struct colour_rgb c;
	int x;

	(void)state;
	/* Romeo is pink-magenta: a cube colour with red and blue, more red. */
	x = colour_xterm256("Romeo", 5, COLOUR_CVD_NONE, COLOUR_BG_DARK);
	assert_true(x >= 16 && x <= 231);
	assert_true((x - 16) / 36 > (x - 16) % 6);
	assert_true((x - 16) % 6 > 0);
	/* The same name, the same colour; 16 colours: bright magenta on a
	 * dark background, normal magenta on a light one. */
	assert_int_equal(
	    colour_xterm256("Romeo", 5, COLOUR_CVD_NONE, COLOUR_BG_DARK), x);
	assert_int_equal(
	    colour_ansi16("Romeo", 5, COLOUR_CVD_NONE, COLOUR_BG_DARK), 13);
	assert_int_equal(
	    colour_ansi16("Romeo", 5, COLOUR_CVD_NONE, COLOUR_BG_LIGHT), 5);
	/* juliet is blue-green (209 degrees): cyan; with the red/green
	 * correction (29 degrees) red. */
	assert_int_equal(colour_ansi16("juliet@capulet.lit", 18,
				       COLOUR_CVD_NONE, COLOUR_BG_DARK),
			 14);
	assert_int_equal(colour_ansi16("juliet@capulet.lit", 18,
				       COLOUR_CVD_REDGREEN, COLOUR_BG_LIGHT),
			 1);
	/* Every name gets a cube colour readable on its background. */
	{
		static const double lv[6] = {0, 95, 135, 175, 215, 255};
		char name[16];

		for (int n = 0; n < 200; n++) {
			for (int bg = 0; bg < 2; bg++) {
				struct colour_rgb rgb;
				double h, l;
				int k;

				snprintf(name, sizeof(name), "user%d", n);
				k = colour_xterm256(name, strlen(name),
						    COLOUR_CVD_NONE,
						    (enum colour_bg)bg) -
				    16;
				assert_true(k >= 0 && k < 216);
				rgb.r = lv[k / 36] / 255;
				rgb.g = lv[(k / 6) % 6] / 255;
				rgb.b = lv[k % 6] / 255;
				colour_rgb_hl(rgb, &h, &l);
				if (bg == COLOUR_BG_DARK)
					assert_true(l >= 45.0);
				else
					assert_true(l <= 60.0);
			}
		}
	}
	/* Background adaptation (5.3): 20% of the inverted background. */
	c = colour_adapt((struct colour_rgb){0.5, 0.0, 1.0},
			 (struct colour_rgb){1.0, 1.0, 1.0});
	NEAR(c.r, 0.4, 1e-9);
	NEAR(c.g, 0.0, 1e-9);
	NEAR(c.b, 0.8, 1e-9);
	c = colour_rgb_for("Romeo", 5, COLOUR_CVD_NONE, COLOUR_BG_DARK);
	NEAR(c.r, 0.2 + 0.8 * 0.865, 0.001);
	NEAR(c.g, 0.2, 0.001);
	/* Direct colour: the hue in 256 steps, each step's colour within a
	 * step of the exact one, and the same name the same step. */
	{
		const char *names[] = {"Romeo", "juliet@capulet.lit", "😺",
				       "council", "a"};
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			size_t n = strlen(names[i]);
			int st =
			    colour_direct_step(names[i], n, COLOUR_CVD_NONE);
			double a = colour_angle(names[i], n), d;
			assert_true(st >= 0 && st <= 255);
			assert_int_equal(st, colour_direct_step(
						 names[i], n, COLOUR_CVD_NONE));
			d = fabs(st * 360.0 / 256.0 - a);
			if (d > 180.0)
				d = 360.0 - d;
			assert_true(d <= 360.0 / 512.0 + 1e-9);
		}
		c = colour_direct_rgb(
		    colour_direct_step("Romeo", 5, COLOUR_CVD_NONE),
		    COLOUR_BG_DARK);
		/* close to the exact colour of Romeo above */
		NEAR(c.r, 0.2 + 0.8 * 0.865, 0.03);
		NEAR(c.g, 0.2, 0.03);
	}
}
