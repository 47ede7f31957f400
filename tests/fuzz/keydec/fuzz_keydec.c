/*
 * fuzz_keydec.c: libFuzzer harness for the input layer. Arbitrary bytes go
 * through the key decoder in chunks (with timeouts between some), and the
 * keys drive the editor through the default key map, with history, Ctrl-R
 * and completion on the way. Checks: every key is a valid, nameable key;
 * a paste only comes from bytes holding ESC[200~ and is bounded; the
 * buffer stays valid UTF-8 without controls other than LF and TAB, within
 * EDITOR_MAX, with the cursor inside it on a grapheme cluster boundary;
 * every view fits its rows and holds the cursor.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/complete.h"
#include "input/editor.h"
#include "input/history.h"
#include "input/keydec.h"
#include "input/keymap.h"
#include "input/keyname.h"
#include "text/width.h"

struct fuzz {
	const uint8_t *data;
	size_t size;
	struct keymap *km;
	struct editor *ed;
	struct history *hist;
	struct history_search *search;
	struct complete *comp;
	unsigned width, rows;
	unsigned long events;
};

static void
nicks(void *arg, const char *prefix, size_t len, struct complete_list *out)
{
	(void)arg;
	/* Echo the prefix back with endings: candidates of any shape. */
	char buf[64];

	if (len > 32)
		return;
	memcpy(buf, prefix, len);
	memcpy(buf + len, "x\xe6\x97\xa5", 4);
	complete_add(out, buf, len + 4);
	complete_add(out, buf, len + 1);
	complete_add(out, "al\xcc\x81ice", 7);
}

static const struct complete_sources sources = {
    NULL, 0, nicks, nicks, nicks, NULL,
};

/* An independent look at the editor's buffer and cursor. */
static void
check_editor(const struct fuzz *f)
{
	size_t len, cur = editor_cursor(f->ed), p;
	const char *t = editor_text(f->ed, &len);
	struct editor_view v;
	int on_boundary = 0;

	if (len > EDITOR_MAX || cur > len || t[len] != '\0')
		abort();
	/* The walks below cost O(len): on a big buffer (repeated yanks
	 * reach EDITOR_MAX) only every 64th event, to keep the pace. */
	if (len > 8192 && f->events % 64 != 0)
		return;
	for (p = 0; p < len;) {
		uint32_t cp;
		size_t k = uw_decode(t + p, len - p, &cp);

		if (cp == UW_INVALID ||
		    (cp < 0x20 && cp != '\n' && cp != '\t') ||
		    (cp >= 0x7f && cp < 0xa0))
			abort();
		p += k;
	}
	/* Cluster boundaries of the cursor's line, by width.h alone. */
	for (p = cur; p > 0 && t[p - 1] != '\n'; p--)
		;
	while (p <= len) {
		int cols;

		if (p == cur) {
			on_boundary = 1;
			break;
		}
		if (p == len || t[p] == '\n' || p > cur)
			break;
		p += uw_cluster(
		    t + p, (size_t)(strchrnul(t + p, '\n') - (t + p)), &cols);
	}
	if (!on_boundary) {
		fprintf(stderr,
			"cursor %zu not on a cluster boundary of:", cur);
		for (p = 0; p < len; p++)
			fprintf(stderr, " %02x", (unsigned char)t[p]);
		fprintf(stderr, "\n");
		abort();
	}
	editor_view(f->ed, (int)f->width, (int)f->rows, &v);
	if (v.nrows < 1 || v.nrows > (int)f->rows ||
	    v.nrows > EDITOR_VIEW_MAX_ROWS || v.cur_row < 0 ||
	    v.cur_row >= v.nrows || v.cur_col < 0)
		abort();
	for (int r = 0; r < v.nrows; r++)
		if (v.row[r].start > v.row[r].end || v.row[r].end > len)
			abort();
	if (cur < v.row[v.cur_row].start || cur > v.row[v.cur_row].end)
		abort();
}

static void
on_key(struct fuzz *f, const struct keydec_key *k)
{
	enum keymap_action a = keymap_lookup(f->km, k);
	struct complete_edit e;
	const char *s;
	size_t len;

	if (f->search != NULL) {
		/* Ctrl-R mode: typing, C-r, BSpace, Enter, C-g. */
		if (a == KEYMAP_HISTORY_SEARCH)
			history_search_again(f->search);
		else if (a == KEYMAP_BACK_DEL_CHAR)
			history_search_bspace(f->search);
		else if (a == KEYMAP_NONE && k->mods == 0 &&
			 k->code < 0x110000) {
			char u[4];

			history_search_type(f->search, u,
					    uw_encode(k->code, u));
		} else {
			if (a == KEYMAP_CANCEL)
				s = history_search_saved(f->search, &len);
			else
				s = history_search_match(f->search, &len, NULL);
			editor_set(f->ed, s, len);
			history_search_free(f->search);
			f->search = NULL;
		}
		return;
	}
	if (a != KEYMAP_COMPLETE && a != KEYMAP_COMPLETE_BACK)
		complete_reset(f->comp);
	if (editor_action(f->ed, a))
		return;
	switch (a) {
	case KEYMAP_NONE:
		if ((k->mods & (KEYDEC_MOD_CTRL | KEYDEC_MOD_META)) == 0 &&
		    k->code < 0x110000)
			editor_type(f->ed, k->code);
		break;
	case KEYMAP_ACCEPT:
		s = editor_text(f->ed, &len);
		history_add(f->hist, s, len);
		editor_clear(f->ed);
		break;
	case KEYMAP_HISTORY_PREV:
		if (!editor_line_up(f->ed)) {
			s = editor_text(f->ed, &len);
			if (history_prev(f->hist, s, len, &s, &len))
				editor_set(f->ed, s, len);
		}
		break;
	case KEYMAP_HISTORY_NEXT:
		if (!editor_line_down(f->ed) && history_next(f->hist, &s, &len))
			editor_set(f->ed, s, len);
		break;
	case KEYMAP_HISTORY_SEARCH:
		s = editor_text(f->ed, &len);
		f->search = history_search_start(f->hist, s, len);
		break;
	case KEYMAP_COMPLETE:
	case KEYMAP_COMPLETE_BACK:
		s = editor_text(f->ed, &len);
		if (complete_step(f->comp, &sources, s, len,
				  editor_cursor(f->ed),
				  a == KEYMAP_COMPLETE ? 1 : -1, &e)) {
			if (e.start > e.end || e.end > len)
				abort();
			editor_replace(f->ed, e.start, e.end, e.text, e.len);
		}
		break;
	case KEYMAP_REDRAW:
		f->width = f->width % 7 + 1; /* vary the view a little */
		f->rows = f->rows % 4 + 1;
		break;
	default:
		break;
	}
}

static void
on_event(const struct keydec_event *ev, void *arg)
{
	struct fuzz *f = arg;
	char name[KEYNAME_MAX];

	f->events++;
	if (ev->type == KEYDEC_EV_PASTE) {
		if (memmem(f->data, f->size, "\x1b[200~", 6) == NULL ||
		    ev->paste_len > KEYDEC_PASTE_MAX ||
		    (ev->paste_len > 0 && ev->paste == NULL))
			abort();
		complete_reset(f->comp);
		editor_insert(f->ed, ev->paste, ev->paste_len);
	} else if (ev->type == KEYDEC_EV_KEY) {
		const struct keydec_key *k = &ev->key;

		if (k->code >= KEYDEC_NAMED_END ||
		    (k->code < 0x20 || (k->code >= 0x7f && k->code < 0xa0)) ||
		    (k->code >= 0xd800 && k->code <= 0xdfff) ||
		    keyname_format(k, name, sizeof(name)) == 0)
			abort();
		on_key(f, k);
	} else
		abort();
	check_editor(f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz f;
	struct keydec *kd;
	uint32_t seed = 0x9e3779b9u;
	size_t i = 0;

	if (size > 0) {
		seed ^= data[0] * 0x01000193u;
		data++;
		size--;
	}
	memset(&f, 0, sizeof(f));
	f.data = data;
	f.size = size;
	f.width = 1 + (seed % 13);
	f.rows = 1 + (seed >> 4) % 3;
	if ((kd = keydec_new()) == NULL || (f.km = keymap_new()) == NULL ||
	    (f.ed = editor_new()) == NULL ||
	    (f.hist = history_new(8)) == NULL ||
	    (f.comp = complete_new()) == NULL)
		abort();
	while (i < size) {
		size_t chunk;

		seed = seed * 1103515245u + 12345u;
		chunk = 1 + (seed >> 16) % 9;
		if (chunk > size - i)
			chunk = size - i;
		keydec_feed(kd, (const char *)data + i, chunk, on_event, &f);
		i += chunk;
		if ((seed >> 8) % 5 == 0 && keydec_timeout_ms(kd) > 0)
			keydec_timeout(kd, on_event, &f);
	}
	keydec_timeout(kd, on_event, &f);
	if (keydec_timeout_ms(kd) != 0)
		abort();
	f.events = 0; /* the last check is always a full one */
	check_editor(&f);
	history_search_free(f.search);
	complete_free(f.comp);
	history_free(f.hist);
	editor_free(f.ed);
	keymap_free(f.km);
	keydec_free(kd);
	return 0;
}
