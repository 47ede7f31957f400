/*
 * view.c: the screen's layout and the paint of one frame: which regions
 * are dirty decides what is repainted into the grid.
 */
#include <string.h>
#include <time.h>

#include "model/model.h"
#include "text/colour.h"
#include "view/grid.h"
#include "view/view.h"

#define VIEW_MIN_ROWS 6
#define VIEW_MIN_COLS 20
#define VIEW_INPUT_MAX_ROWS 5

void
view_geom(const struct grid *g, const struct view_opts *o,
	  const struct view_input *in, struct view_geom *vg)
{
	int lines = 1;
	size_t i;

	memset(vg, 0, sizeof(*vg));
	vg->time_format = o->time_format ? o->time_format : "%H:%M";
	{
		char tb[64];
		struct tm tm;
		memset(&tm, 0, sizeof(tm));
		tm.tm_hour = 12;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		vg->time_cols =
		    (int)strftime(tb, sizeof(tb), vg->time_format, &tm);
#pragma GCC diagnostic pop
	}
	if (g->rows < VIEW_MIN_ROWS || g->cols < VIEW_MIN_COLS) {
		vg->small = 1;
		vg->sec_row = -1;
		return;
	}
	for (i = 0; in && in->text && i < in->len; i++)
		if (in->text[i] == '\n')
			lines++;
	if (lines > VIEW_INPUT_MAX_ROWS)
		lines = VIEW_INPUT_MAX_ROWS;
	if (lines > g->rows - 4)
		lines = 1;
	vg->rules = g->rows >= 14;
	vg->top = 0;
	vg->input_rows = lines;
	vg->input_row = g->rows - lines;
	vg->sec_row = vg->input_row - 1;
	vg->chat_top = 1 + vg->rules;
	vg->chat_rows = vg->sec_row - vg->rules - vg->chat_top;
	vg->chat_cols = g->cols;
	if (o->pane && g->cols >= 60) {
		vg->pane_cols = g->cols >= 120 ? 28 : 22;
		vg->chat_cols = g->cols - vg->pane_cols;
		vg->pane_col = vg->chat_cols;
	}
}

/* Nick colours already worked out (XEP-0392's hue goes through HSLuv and
 * a palette search: a third of a page's paint before this cache). Keyed
 * by the nick; a nick longer than the key is worked out each time. */
#define NICK_CACHE 128
#define NICK_KEY 48
static struct {
	char key[NICK_KEY];
	uint16_t style;
} nick_cache[NICK_CACHE];

/* The palette nick colours come from: set by the frontend once the
 * terminal's colours are known (0: none). */
static int view_ncolours;
static int view_light;

void
view_set_colours(int ncolours, int light)
{
	view_ncolours = ncolours;
	view_light = light;
	memset(nick_cache, 0, sizeof(nick_cache));
}

static uint16_t
nick_style_compute(const char *nick, size_t n)
{
	enum colour_bg bg = view_light ? COLOUR_BG_LIGHT : COLOUR_BG_DARK;
	int c;

	/* XEP-0392: the same nick gets the same colour everywhere */
	if (view_ncolours > 256) /* direct colour: the hue in 256 steps */
		c = colour_direct_step(nick, n, COLOUR_CVD_NONE);
	else if (view_ncolours == 256)
		c = colour_xterm256(nick, n, COLOUR_CVD_NONE, bg);
	else
		c = colour_ansi16(nick, n, COLOUR_CVD_NONE, bg);
	if (c < 0 || c > 255)
		return GS_NORMAL;
	return (uint16_t)(GS_NICK0 + c);
}

uint16_t
view_nick_style(const char *nick)
{
	size_t n = nick ? strlen(nick) : 0, i;
	uint32_t h = 2166136261u;

	if (view_ncolours <= 0 || n == 0)
		return GS_NORMAL;
	if (n >= NICK_KEY)
		return nick_style_compute(nick, n);
	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)nick[i]) * 16777619u;
	h %= NICK_CACHE;
	if (strcmp(nick_cache[h].key, nick) != 0) {
		nick_cache[h].style = nick_style_compute(nick, n);
		memcpy(nick_cache[h].key, nick, n + 1);
	}
	return nick_cache[h].style;
}

static void
paint_rules(struct grid *g, const struct view_geom *vg)
{
	int rows[2] = {vg->chat_top - 1, vg->sec_row - 1}, i;

	for (i = 0; i < 2; i++) {
		grid_fill(g, rows[i], 0, g->cols, '-', GS_DIM, 0);
		if (vg->pane_cols)
			grid_text(g, rows[i], vg->pane_col, 1, "+", GS_DIM, 0);
	}
}

void
view_paint(struct grid *g, struct model *m, const struct view_opts *o,
	   const struct view_input *in, int full)
{
	struct view_geom vg;
	unsigned d = full ? MD_ALL : m->dirty;
	int i;

	view_geom(g, o, in, &vg);
	g->cur_row = g->cur_col = -1;
	if (vg.small) {
		for (i = 0; i < g->rows; i++)
			grid_blank(g, i, 0, g->cols, GS_NORMAL);
		grid_text(g, 0, 0, g->cols, "terminal too small", GS_WARN,
			  GA_BOLD);
		m->dirty = 0;
		return;
	}
	/* a box over the chat view: repaint what it covers */
	if (prompts_head(&m->pq) != NULL || o->help)
		d |= MD_CHAT | MD_PANE | MD_PROMPT;
	if (d & MD_TOP)
		bars_top(g, m, &vg);
	if (full && vg.rules)
		paint_rules(g, &vg);
	if (d & MD_CHAT)
		chatview_paint(g, m, &vg);
	if (d & MD_PANE)
		bars_pane(g, m, &vg);
	if (d & MD_SEC)
		bars_sec(g, m, &vg);
	if (o->help && o->help_text)
		boxes_help(g, &vg, o->help_text);
	else if (prompts_head(&m->pq) != NULL)
		boxes_prompt(g, m, &vg);
	bars_input(g, &vg, in);
	m->dirty = 0;
}
