/*
 * fuzz_uimodel.c: libFuzzer harness for the UI's model and view. Arbitrary
 * events (any kind, any field values: controls, bidi, invalid UTF-8, huge
 * or empty strings; /search results too) go into the model, mixed with
 * window switches, scrolls, /goto, resizes and paints onto the in-memory
 * grid. After every paint no cell
 * holds a control byte, C1 or bidi control, wide clusters are whole, and
 * the cursor is inside the grid.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "model/model.h"
#include "view/grid.h"
#include "view/view.h"

struct input {
	const uint8_t *p;
	size_t n;
};

static uint8_t
take_byte(struct input *in)
{
	uint8_t b;

	if (in->n == 0)
		return 0;
	b = *in->p++;
	in->n--;
	return b;
}

/* A string up to the next 0xff byte (or the end), NUL-terminated in buf. */
static const char *
take_str(struct input *in, char *buf, size_t size)
{
	size_t i = 0;

	while (in->n > 0 && *in->p != 0xff && i + 1 < size) {
		buf[i++] = (char)*in->p++;
		in->n--;
	}
	if (in->n > 0 && *in->p == 0xff) {
		in->p++;
		in->n--;
	}
	buf[i] = '\0';
	return buf;
}

static void
check_grid(const struct grid *g)
{
	int r, c;
	uint8_t i;

	if (g->cur_row >= g->rows || g->cur_col >= g->cols)
		abort();
	for (r = 0; r < g->rows; r++)
		for (c = 0; c < g->cols; c++) {
			const struct gcell *x = grid_cell(g, r, c);
			if (x->len > GRID_CELL_BYTES)
				abort();
			if (x->width == 0 && (c == 0 ||
			    grid_cell(g, r, c - 1)->width != 2))
				abort();
			if (x->width == 2 && (c + 1 >= g->cols ||
			    grid_cell(g, r, c + 1)->width != 0))
				abort();
			for (i = 0; i < x->len; i++) {
				unsigned char b = (unsigned char)x->b[i];
				if (b < 0x20 || b == 0x7f)
					abort();
				if (b == 0xc2 && i + 1 < x->len &&
				    (unsigned char)x->b[i + 1] < 0xa0)
					abort();
				if (b == 0xe2 && i + 2 < x->len &&
				    (unsigned char)x->b[i + 1] == 0x80 &&
				    (unsigned char)x->b[i + 2] >= 0xaa &&
				    (unsigned char)x->b[i + 2] <= 0xae)
					abort();
			}
		}
}

static const char *keys[] = { "from", "to", "type", "id", "body",
	"encryption", "trust", "room", "nick", "state", "text", "code",
	"jid", "kind", "subscription", "name", "show", "role", "fingerprint",
	"tls", "dnssec", "dane", "sasl", "channel_binding", "reason",
	"with", "reactions", "quote", "reply_to", "edited", "retracted",
	"current", "change",
	"var",
	"value", "options", "option_labels", "title", "instructions", "label",
	"is_set", "fields",
	"ts", "count", "more", "outgoing", "request", "private" };
static const char *words[] = { "chat", "groupchat", "omemo", "none",
	"verified", "blind", "untrusted", "joined", "left", "subject",
	"available", "unavailable", "r@rooms.x", "r@rooms.x/nick", "bob@x",
	"bob@x/res", "alice@x", "reply", "correct", "\xf0\x9f\x91\x8d 2",
	"form", "field", "end", "saved", "cancelled",
	"destroyed", "text-private", "fixed", "hidden", "list-multi", "a\nb",
	"composing", "paused", "delivered", "read", "new", "listed",
	"accepted", "blocked", "" };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct model m;
	struct grid g = { 0 };
	struct view_opts o = { 0 };
	struct view_input vi = { "", 0, 0, NULL };
	struct view_geom vg;
	char strs[EVENT_MAX_FIELDS][512];
	int steps = 0;

	model_init(&m, "home", "alice@x", 50);
	if (grid_resize(&g, 24, 80) != 0)
		return 0;
	while (in.n > 0 && steps++ < 200) {
		uint8_t op = take_byte(&in);
		switch (op % 9) {
		case 0:
		case 1:
		case 2: {
			struct event ev;
			int nf = take_byte(&in) % 10, i;
			/* every kind up to the last one (event.h) */
			event_init(&ev, (enum event_kind)(take_byte(&in) %
			    (EV_KIND_LAST + 1)), "home");
			for (i = 0; i < nf; i++) {
				const char *k = keys[take_byte(&in) %
				    (sizeof(keys) / sizeof(keys[0]))];
				uint8_t how = take_byte(&in);
				if (how % 4 == 0)
					event_str(&ev, k, words[how / 4 %
					    (sizeof(words) / sizeof(words[0]))]);
				else if (how % 4 == 1)
					event_bool(&ev, k, how & 0x10);
				else if (how % 4 == 2)
					event_int(&ev, k, (long long)how << 20);
				else
					event_str(&ev, k, take_str(&in, strs[i],
					    sizeof(strs[i])));
			}
			m.now = (int64_t)take_byte(&in) * 3600000 * 7;
			model_event(&m, &ev);
			break;
		}
		case 3:
			if (m.wl.n)
				model_select(&m, take_byte(&in) % m.wl.n);
			break;
		case 4:
			view_geom(&g, &o, &vi, &vg);
			if (!vg.small)
				view_scroll(&m, &vg, (int8_t)take_byte(&in));
			break;
		case 5:
			grid_resize(&g, 1 + take_byte(&in) % 60,
			    1 + take_byte(&in) % 200);
			view_paint(&g, &m, &o, &vi, 1);
			check_grid(&g);
			break;
		case 6:
			o.pane = take_byte(&in) & 1;
			o.help = 0;
			view_paint(&g, &m, &o, &vi, take_byte(&in) & 1);
			check_grid(&g);
			break;
		case 7:
			if (prompts_head(&m.pq))
				prompts_remove(&m.pq, prompts_head(&m.pq)->id);
			else if (m.wl.cur > 0 && (take_byte(&in) & 1))
				winlist_close(&m.wl, m.wl.cur);
			break;
		case 8: /* /goto N, N from 0 (refused) up */
			(void)model_search_goto(&m, take_byte(&in) % 8);
			break;
		}
	}
	view_paint(&g, &m, &o, &vi, 1);
	check_grid(&g);
	grid_free(&g);
	model_free(&m);
	return 0;
}
