/*
 * colour.c: XEP-0392 consistent colour generation: SHA-1 angle, colour
 * vision deficiency corrections, HSLuv to RGB and back, background
 * adaptation, and mapping to the xterm 256-colour cube and the 16 ANSI
 * colours by hue.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "digest.h"
#include "text/colour.h"

/* HSLuv's constants (CIE D65, sRGB). */
static const double colour_m[3][3] = {
    {3.240969941904521, -1.537383177570093, -0.498610760293},
    {-0.96924363628087, 1.87596750150772, 0.041555057407175},
    {0.055630079696993, -0.20397695888897, 1.056971514242878},
};
static const double colour_minv[3][3] = {
    {0.41239079926595, 0.35758433938387, 0.18048078840183},
    {0.21263900587151, 0.71516867876775, 0.072192315360733},
    {0.019330818715591, 0.11919477979462, 0.95053215224966},
};
#define COLOUR_REF_U 0.19783000664283
#define COLOUR_REF_V 0.46831999493879
#define COLOUR_KAPPA 903.2962962
#define COLOUR_EPSILON 0.0088564516
#define COLOUR_PI 3.14159265358979323846

double
colour_angle(const char *id, size_t len)
{
	unsigned char md[DIGEST_SHA1_LEN];

	if (digest_sha1(id, len, md) != 0)
		return 0.0;
	/* The first two bytes, little endian, over 65536 of a circle. */
	return (double)(md[0] | (md[1] << 8)) / 65536.0 * 360.0;
}

double
colour_cvd_hue(double angle, enum colour_cvd cvd)
{
	switch (cvd) {
	case COLOUR_CVD_REDGREEN:
		angle = fmod(fmod(angle + 90.0, 180.0) - 90.0 + 360.0, 360.0);
		break;
	case COLOUR_CVD_BLUE:
		angle = fmod(angle, 180.0);
		break;
	case COLOUR_CVD_NONE:
		break;
	}
	return angle;
}

/* The largest chroma HSLuv allows at lightness l and hue h (degrees):
 * the nearest of the six sRGB gamut bounds along the hue's ray. */
static double
colour_max_chroma(double l, double h)
{
	double sub1 = pow(l + 16.0, 3.0) / 1560896.0;
	double sub2 = sub1 > COLOUR_EPSILON ? sub1 : l / COLOUR_KAPPA;
	double hrad = h / 360.0 * 2.0 * COLOUR_PI;
	double best = INFINITY;

	for (int c = 0; c < 3; c++) {
		double m1 = colour_m[c][0], m2 = colour_m[c][1],
		       m3 = colour_m[c][2];

		for (int t = 0; t < 2; t++) {
			double top1 = (284517.0 * m1 - 94839.0 * m3) * sub2;
			double top2 =
			    (838422.0 * m3 + 769860.0 * m2 + 731718.0 * m1) *
				l * sub2 -
			    769860.0 * t * l;
			double bottom = (632260.0 * m3 - 126452.0 * m2) * sub2 +
					126452.0 * t;
			double slope = top1 / bottom, icept = top2 / bottom;
			double len = icept / (sin(hrad) - slope * cos(hrad));

			if (len >= 0.0 && len < best)
				best = len;
		}
	}
	return best;
}

static double
colour_from_linear(double c)
{
	return c <= 0.0031308 ? 12.92 * c : 1.055 * pow(c, 1.0 / 2.4) - 0.055;
}

static double
colour_to_linear(double c)
{
	return c > 0.04045 ? pow((c + 0.055) / 1.055, 2.4) : c / 12.92;
}

static double
colour_clamp(double v)
{
	return v < 0.0 ? 0.0 : v > 1.0 ? 1.0 : v;
}

struct colour_rgb
colour_hsluv_rgb(double h, double s, double l)
{
	struct colour_rgb out = {0.0, 0.0, 0.0};
	double c, u, v, y, vu, vv, xyz[3], rgb[3];

	if (l > 99.9999999)
		return (struct colour_rgb){1.0, 1.0, 1.0};
	if (l < 1e-8)
		return out;
	c = colour_max_chroma(l, h) / 100.0 * s;
	u = cos(h / 360.0 * 2.0 * COLOUR_PI) * c;
	v = sin(h / 360.0 * 2.0 * COLOUR_PI) * c;
	/* Luv to XYZ. */
	vu = u / (13.0 * l) + COLOUR_REF_U;
	vv = v / (13.0 * l) + COLOUR_REF_V;
	y = l <= 8.0 ? l / COLOUR_KAPPA : pow((l + 16.0) / 116.0, 3.0);
	xyz[1] = y;
	xyz[0] = 0.0 - (9.0 * y * vu) / ((vu - 4.0) * vv - vu * vv);
	xyz[2] = (9.0 * y - 15.0 * vv * y - vv * xyz[0]) / (3.0 * vv);
	for (int i = 0; i < 3; i++)
		rgb[i] = colour_clamp(colour_from_linear(
		    colour_m[i][0] * xyz[0] + colour_m[i][1] * xyz[1] +
		    colour_m[i][2] * xyz[2]));
	out.r = rgb[0];
	out.g = rgb[1];
	out.b = rgb[2];
	return out;
}

void
colour_rgb_hl(struct colour_rgb c, double *h, double *l)
{
	double lin[3] = {colour_to_linear(c.r), colour_to_linear(c.g),
			 colour_to_linear(c.b)};
	double xyz[3], div, u, v, ll;

	for (int i = 0; i < 3; i++)
		xyz[i] = colour_minv[i][0] * lin[0] +
			 colour_minv[i][1] * lin[1] +
			 colour_minv[i][2] * lin[2];
	ll = xyz[1] <= COLOUR_EPSILON ? xyz[1] * COLOUR_KAPPA
				      : 116.0 * cbrt(xyz[1]) - 16.0;
	*l = ll;
	*h = 0.0;
	div = xyz[0] + 15.0 * xyz[1] + 3.0 * xyz[2];
	if (ll < 1e-8 || div == 0.0)
		return;
	u = 13.0 * ll * (4.0 * xyz[0] / div - COLOUR_REF_U);
	v = 13.0 * ll * (9.0 * xyz[1] / div - COLOUR_REF_V);
	if (sqrt(u * u + v * v) < 1e-8)
		return;
	*h = atan2(v, u) * 180.0 / COLOUR_PI;
	if (*h < 0.0)
		*h += 360.0;
}

struct colour_rgb
colour_adapt(struct colour_rgb c, struct colour_rgb bg)
{
	struct colour_rgb out;

	out.r = 0.2 * (1.0 - bg.r) + 0.8 * c.r;
	out.g = 0.2 * (1.0 - bg.g) + 0.8 * c.g;
	out.b = 0.2 * (1.0 - bg.b) + 0.8 * c.b;
	return out;
}

struct colour_rgb
colour_rgb_for(const char *id, size_t len, enum colour_cvd cvd,
	       enum colour_bg bg)
{
	static const struct colour_rgb black = {0.0, 0.0, 0.0};
	static const struct colour_rgb white = {1.0, 1.0, 1.0};
	double hue = colour_cvd_hue(colour_angle(id, len), cvd);

	return colour_adapt(colour_hsluv_rgb(hue, 100.0, 50.0),
			    bg == COLOUR_BG_LIGHT ? white : black);
}

int
colour_direct_step(const char *id, size_t len, enum colour_cvd cvd)
{
	double hue = colour_cvd_hue(colour_angle(id, len), cvd);
	int step = (int)(hue * 256.0 / 360.0 + 0.5);

	return step & 255;
}

struct colour_rgb
colour_direct_rgb(int step, enum colour_bg bg)
{
	static const struct colour_rgb black = {0.0, 0.0, 0.0};
	static const struct colour_rgb white = {1.0, 1.0, 1.0};

	return colour_adapt(
	    colour_hsluv_rgb((step & 255) * 360.0 / 256.0, 100.0, 50.0),
	    bg == COLOUR_BG_LIGHT ? white : black);
}

void
colour_palette_init(struct colour_palette *p, const struct colour_rgb *cols,
		    size_t n, double target_l)
{
	double best[360];

	for (int a = 0; a < 360; a++)
		p->entry[a] = -1;
	for (size_t i = 0; i < n && i < 32767; i++) {
		double h, l;
		int a;

		if (cols[i].r == cols[i].g && cols[i].g == cols[i].b)
			continue; /* greys have no hue */
		colour_rgb_hl(cols[i], &h, &l);
		a = (int)lround(h) % 360;
		if (p->entry[a] < 0 ||
		    fabs(l - target_l) < fabs(best[a] - target_l)) {
			p->entry[a] = (short)i;
			best[a] = l;
		}
	}
}

int
colour_palette_pick(const struct colour_palette *p, double hue)
{
	int a = (int)lround(hue) % 360, pick = -1;
	double dbest = INFINITY;

	if (a < 0)
		a += 360;
	if (p->entry[a] >= 0)
		return p->entry[a];
	for (int b = 0; b < 360; b++) {
		double d1, d2, d;

		if (p->entry[b] < 0)
			continue;
		d1 = fmod(fmod(hue - b, 360.0) + 360.0, 360.0);
		d2 = fmod(fmod(b - hue, 360.0) + 360.0, 360.0);
		d = d1 < d2 ? d1 : d2;
		if (d < dbest) {
			dbest = d;
			pick = p->entry[b];
		}
	}
	return pick;
}

/* The xterm colour cube's channel levels (indexes 16..231). */
static const double colour_cube[6] = {0.0,         95.0 / 255,  135.0 / 255,
				      175.0 / 255, 215.0 / 255, 1.0};

/* The cube's palette for a background: only colours that are readable
 * on it (HSLuv lightness at least 45 on a dark background, at most 60 on
 * a light one), each hue preferring lightness 73.2 (XEP-0392) or 45. */
struct colour_cube {
	struct colour_palette pal;
	short index[216]; /* palette entry -> cube index */
	int ready;
};

static const struct colour_cube *
colour_cube_palette(enum colour_bg bg)
{
	static struct colour_cube cube[2];
	const int light = bg == COLOUR_BG_LIGHT;
	struct colour_cube *c = &cube[light];

	if (!c->ready) {
		struct colour_rgb cols[216];
		size_t n = 0;

		for (int i = 0; i < 216; i++) {
			struct colour_rgb rgb = {colour_cube[i / 36],
						 colour_cube[(i / 6) % 6],
						 colour_cube[i % 6]};
			double h, l;

			colour_rgb_hl(rgb, &h, &l);
			if (light ? l > 60.0 : l < 45.0)
				continue;
			c->index[n] = (short)i;
			cols[n++] = rgb;
		}
		colour_palette_init(&c->pal, cols, n, light ? 45.0 : 73.2);
		c->ready = 1;
	}
	return c;
}

int
colour_xterm256(const char *id, size_t len, enum colour_cvd cvd,
		enum colour_bg bg)
{
	const struct colour_cube *c = colour_cube_palette(bg);
	double hue = colour_cvd_hue(colour_angle(id, len), cvd);
	int i = colour_palette_pick(&c->pal, hue);

	return 16 + (i < 0 ? 0 : c->index[i]);
}

int
colour_ansi16(const char *id, size_t len, enum colour_cvd cvd,
	      enum colour_bg bg)
{
	/* ANSI order: red 1, green 2, yellow 3, blue 4, magenta 5, cyan 6. */
	static const struct colour_rgb ansi[6] = {
	    {1, 0, 0}, {0, 1, 0}, {1, 1, 0}, {0, 0, 1}, {1, 0, 1}, {0, 1, 1},
	};
	static struct colour_palette pal;
	static int ready;
	double hue = colour_cvd_hue(colour_angle(id, len), cvd);
	int i;

	if (!ready) {
		colour_palette_init(&pal, ansi, 6, 73.2);
		ready = 1;
	}
	i = colour_palette_pick(&pal, hue);
	return (i < 0 ? 0 : i) + 1 + (bg == COLOUR_BG_DARK ? 8 : 0);
}
