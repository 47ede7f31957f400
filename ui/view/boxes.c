/*
 * boxes.c: the modal boxes over the chat view: the prompt box (a decision
 * stated in words: the core's text, the fingerprints grouped in blocks of
 * 8 digits, who vouches, what a room will learn) and the key overlay (F1).
 */
#include <stdio.h>
#include <string.h>

#include "model/model.h"
#include "text/display.h"
#include "text/wrap.h"
#include "view/grid.h"
#include "view/view.h"

struct box {
	int top, left, rows, cols, row;
};

static void
box_open(struct grid *g, const struct view_geom *vg, struct box *b,
	 int want_rows, const char *title)
{
	int i;

	b->cols = vg->chat_cols - 4 > 78 ? 78 : vg->chat_cols - 4;
	if (b->cols < 10)
		b->cols = vg->chat_cols;
	b->rows = want_rows + 2 > vg->chat_rows ? vg->chat_rows : want_rows + 2;
	b->left = (vg->chat_cols - b->cols) / 2;
	b->top = vg->chat_top + (vg->chat_rows - b->rows) / 2;
	for (i = 0; i < b->rows; i++)
		grid_blank(g, b->top + i, b->left, b->cols, GS_PROMPT);
	grid_fill(g, b->top, b->left, b->cols, '=', GS_PROMPT, GA_BOLD);
	grid_text(g, b->top, b->left + 2, b->cols - 4, title, GS_PROMPT,
		  GA_BOLD | GA_REV);
	grid_fill(g, b->top + b->rows - 1, b->left, b->cols, '=', GS_PROMPT,
		  GA_BOLD);
	b->row = b->top + 1;
}

/* Writes d wrapped to the box's width (ui/text/wrap.c: never inside a
 * cluster or an escape unit); returns the rows used. */
static int
box_text(struct grid *g, struct box *b, const struct dstr *d, uint8_t attr)
{
	size_t pos = 0;
	int used = 0, esc = 0, inner = b->cols - 2;
	struct wrap_row r;

	if (inner < 1)
		return 0;
	while (pos < d->len && b->row < b->top + b->rows - 1) {
		pos = wrap_next(d->s, d->len, pos, (size_t)inner, &r);
		esc = 0; /* a row never starts inside an escape */
		grid_put(g, b->row, b->left + 1, inner, d, r.start, r.end,
			 GS_PROMPT, attr, &esc);
		b->row++;
		used++;
	}
	return used;
}

static void
box_line(struct grid *g, struct box *b, const char *s, uint8_t attr)
{
	struct dstr d;

	if (dstr_from_cstr(&d, s, DSTR_LINE) != 0)
		return;
	box_text(g, b, &d, attr);
	dstr_free(&d);
}

/* A 64-hex-digit value in blocks of 8, else as it is. */
static void
group_hex(const char *v, char *out, size_t size)
{
	size_t n = strlen(v), i, o = 0;

	for (i = 0; i < n; i++)
		if (!((v[i] >= '0' && v[i] <= '9') ||
		      (v[i] >= 'a' && v[i] <= 'f')))
			break;
	if (i != n || n < 32) {
		snprintf(out, size, "%s", v);
		return;
	}
	for (i = 0; i < n && o + 2 < size; i++) {
		if (i && i % 8 == 0)
			out[o++] = ' ';
		out[o++] = v[i];
	}
	out[o] = '\0';
}

static const char *
field_label(const char *key)
{
	static const struct {
		const char *k, *label;
	} t[] = {
	    {"old_spki_sha256", "pinned key   "},
	    {"spki_sha256", "new key      "},
	    {"fingerprint", "fingerprint  "},
	    {"vouched_by", "vouched for by"},
	    {"jid_disclosed", "they will see "},
	    {"room", "room         "},
	    {"jid", "contact      "},
	    {"device", "device       "},
	    {"domain", "server       "},
	    {"pinned_sasl", "used before  "},
	    {"pinned_channel_binding", "bound before "},
	    {"offered_sasl", "offered now  "},
	    {"offered_channel_binding", "binding now  "},
	    {"old_pinned_since", "pinned since "},
	    {"verify_error", "why          "},
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(t[i].k, key) == 0)
			return t[i].label;
	return NULL;
}

void
boxes_prompt(struct grid *g, struct model *m, const struct view_geom *vg)
{
	struct uiprompt *p = prompts_head(&m->pq);
	struct box b;
	char title[128], line[600], val[400];
	struct dstr d;
	size_t i;

	if (p == NULL)
		return;
	snprintf(title, sizeof(title), " Decision needed (%zu waiting): %s ",
		 m->pq.n, p->kind);
	box_open(g, vg, &b, 30, title);
	if (dstr_make(&d, p->text, strlen(p->text), DSTR_LINE) == 0) {
		box_text(g, &b, &d, 0);
		dstr_free(&d);
	}
	b.row++;
	for (i = 0; i < p->nf; i++) {
		const char *label = field_label(p->fkey[i]);
		if (label == NULL)
			continue;
		group_hex(p->fval[i], val, sizeof(val));
		snprintf(line, sizeof(line), "%s %s", label, val);
		box_line(g, &b, line, 0);
	}
	if (b.row < b.top + b.rows - 1)
		b.row = b.top + b.rows - 2;
	snprintf(line, sizeof(line),
		 "y accept \xc2\xb7 n reject \xc2\xb7 "
		 "(/accept %s, /reject %s) \xc2\xb7 Enter does not answer",
		 p->id, p->id);
	b.row = b.top + b.rows - 2;
	box_line(g, &b, line, GA_BOLD);
}

void
boxes_help(struct grid *g, const struct view_geom *vg, const char *text)
{
	struct box b;
	struct dstr d;
	int n = 1;
	const char *p;

	for (p = text; *p; p++)
		n += *p == '\n';
	box_open(g, vg, &b, n, " Keys (F1 or Esc closes) ");
	if (dstr_make(&d, text, strlen(text), DSTR_BODY) == 0) {
		size_t s = 0, i;
		int esc = 0;
		for (i = 0; i <= d.len && b.row < b.top + b.rows - 1; i++) {
			if (i == d.len || d.s[i] == '\n') {
				/* cut to the box at a whole cluster or escape
				 */
				size_t fit =
				    b.cols > 2
					? wrap_fit(d.s + s, i - s,
						   (size_t)(b.cols - 2), NULL)
					: 0;
				esc = 0;
				grid_put(g, b.row++, b.left + 1, b.cols - 2, &d,
					 s, s + fit, GS_PROMPT, 0, &esc);
				s = i + 1;
			}
		}
		dstr_free(&d);
	}
}
