/*
 * editor.c: editing operations of the input line: normalised insertion,
 * cluster-wise moves and deletes, word moves, the kill ring and yank-pop,
 * transpose, grouped snapshot undo and multi-line input. The view and
 * glyphs are in editor_view.c.
 */
#include <stdlib.h>
#include <string.h>

#include "input/editor_int.h"
#include "text/width.h"

struct editor *
editor_new(void)
{
	struct editor *ed = calloc(1, sizeof(*ed));

	if (ed == NULL)
		return NULL;
	ed->cap = 256;
	ed->gen = 1;
	if ((ed->buf = malloc(ed->cap)) == NULL ||
	    (ed->bnd = calloc(1, sizeof(*ed->bnd))) == NULL) {
		free(ed->buf);
		free(ed);
		return NULL;
	}
	ed->buf[0] = '\0';
	return ed;
}

static void
editor_undo_drop(struct editor *ed, size_t i)
{
	ed->undo_bytes -= ed->undo[i].len;
	free(ed->undo[i].buf);
	memmove(&ed->undo[i], &ed->undo[i + 1],
		(ed->nundo - i - 1) * sizeof(ed->undo[0]));
	ed->nundo--;
}

void
editor_free(struct editor *ed)
{
	if (ed == NULL)
		return;
	while (ed->nundo > 0)
		editor_undo_drop(ed, ed->nundo - 1);
	for (size_t i = 0; i < ed->nkill; i++)
		free(ed->kill[i]);
	free(ed->bnd->v);
	free(ed->bnd);
	free(ed->buf);
	free(ed);
}

const char *
editor_text(const struct editor *ed, size_t *len)
{
	if (len != NULL)
		*len = ed->len;
	return ed->buf;
}

size_t
editor_cursor(const struct editor *ed)
{
	return ed->cursor;
}

size_t
editor_line_start(const struct editor *ed, size_t pos)
{
	const struct editor_bnd *b = ed->bnd;

	if (b->gen == ed->gen && b->n > 0 && pos >= b->ls && pos <= b->le)
		return b->ls;
	while (pos > 0 && ed->buf[pos - 1] != '\n')
		pos--;
	return pos;
}

size_t
editor_line_end(const struct editor *ed, size_t pos)
{
	const struct editor_bnd *b = ed->bnd;
	const char *nl;

	if (b->gen == ed->gen && b->n > 0 && pos >= b->ls && pos <= b->le)
		return b->le;
	nl = memchr(ed->buf + pos, '\n', ed->len - pos);
	return nl ? (size_t)(nl - ed->buf) : ed->len;
}

/*
 * The cluster boundaries of pos's line, computed once per change of the
 * buffer: moving by clusters or words along a long line stays linear.
 * Returns NULL when out of memory (callers then walk the line).
 */
static const struct editor_bnd *
editor_bounds(const struct editor *ed, size_t pos)
{
	struct editor_bnd *b = ed->bnd;
	size_t ls, le, p;
	int cols;

	if (b->gen == ed->gen && b->n > 0 && pos >= b->ls && pos <= b->le)
		return b;
	ls = editor_line_start(ed, pos);
	le = editor_line_end(ed, pos);
	b->n = 0;
	for (p = ls;;) {
		if (b->n == b->cap) {
			size_t cap = b->cap ? b->cap * 2 : 256;
			uint32_t *v = realloc(b->v, cap * sizeof(*v));

			if (v == NULL)
				return NULL;
			b->v = v;
			b->cap = cap;
		}
		b->v[b->n++] = (uint32_t)p;
		if (p >= le)
			break;
		p += uw_cluster(ed->buf + p, le - p, &cols);
	}
	b->ls = ls;
	b->le = le;
	b->gen = ed->gen;
	return b;
}

/* Index of the first boundary >= pos in b (b->n if none). */
static size_t
editor_bsearch(const struct editor_bnd *b, size_t pos)
{
	size_t lo = 0, hi = b->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (b->v[mid] < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t
editor_next(const struct editor *ed, size_t pos)
{
	const struct editor_bnd *b;
	size_t i;
	int cols;

	if (pos >= ed->len)
		return ed->len;
	if (ed->buf[pos] == '\n')
		return pos + 1;
	if ((b = editor_bounds(ed, pos)) == NULL)
		return pos + uw_cluster(ed->buf + pos,
					editor_line_end(ed, pos) - pos, &cols);
	i = editor_bsearch(b, pos + 1);
	return i < b->n ? b->v[i] : b->le;
}

size_t
editor_prev(const struct editor *ed, size_t pos)
{
	size_t ls = editor_line_start(ed, pos), p = ls, prev = ls;
	const struct editor_bnd *b;

	if (pos == 0)
		return 0;
	if (pos == ls)
		return pos - 1; /* the LF before */
	if ((b = editor_bounds(ed, pos)) != NULL)
		return b->v[editor_bsearch(b, pos) - 1];
	while (p < pos) {
		prev = p;
		p = editor_next(ed, p);
	}
	return prev;
}

/* The first cluster boundary at or after pos. */
static size_t
editor_snap(const struct editor *ed, size_t pos)
{
	const struct editor_bnd *b = editor_bounds(ed, pos);
	size_t p;

	if (b != NULL)
		return b->v[editor_bsearch(b, pos)];
	for (p = editor_line_start(ed, pos); p < pos;)
		p = editor_next(ed, p);
	return p;
}

/* Pushes the state before a change as an undo step. */
static void
editor_save(struct editor *ed)
{
	struct editor_snap *s;

	while (ed->nundo > 0 && (ed->nundo == EDITOR_UNDO_STEPS ||
				 ed->undo_bytes + ed->len > EDITOR_UNDO_BYTES))
		editor_undo_drop(ed, 0);
	s = &ed->undo[ed->nundo];
	if ((s->buf = malloc(ed->len + 1)) == NULL)
		return; /* no undo for this step */
	memcpy(s->buf, ed->buf, ed->len + 1);
	s->len = ed->len;
	s->cursor = ed->cursor;
	ed->undo_bytes += ed->len;
	ed->nundo++;
}

static int
editor_reserve(struct editor *ed, size_t add)
{
	size_t cap = ed->cap;
	char *p;

	while (cap < ed->len + add + 1)
		cap *= 2;
	if (cap == ed->cap)
		return 0;
	if ((p = realloc(ed->buf, cap)) == NULL)
		return -1;
	ed->buf = p;
	ed->cap = cap;
	return 0;
}

/* Normalises text into a new malloc'd buffer (*out, *outlen); at most
 * room bytes are kept, cut at a character. Returns 0, 1 when cut, -1 when
 * out of memory. */
static int
editor_normalise(const char *text, size_t len, size_t room, char **out,
		 size_t *outlen)
{
	char *o = malloc(len + 1);
	size_t n = 0;
	int cut = 0;

	*out = NULL;
	*outlen = 0;
	if (o == NULL)
		return -1;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = uw_decode(text + i, len - i, &cp);
		const char *src = text + i;
		size_t take = k;

		if (cp == '\r') {
			/* CR LF and a lone CR are one line break. */
			cp = '\n';
			if (i + 1 < len && text[i + 1] == '\n')
				k = 2;
			src = "\n";
			take = 1;
		}
		i += k;
		if (cp == UW_INVALID ||
		    (cp < 0x20 && cp != '\n' && cp != '\t') ||
		    (cp >= 0x7f && cp < 0xa0))
			continue;
		if (n + take > room) {
			cut = 1;
			break;
		}
		memcpy(o + n, src, take);
		n += take;
	}
	o[n] = '\0';
	*out = o;
	*outlen = n;
	return cut;
}

/* Replaces [start, end) with normalised text; no undo step. The cursor
 * goes after the new text, on a cluster boundary. */
static int
editor_splice(struct editor *ed, size_t start, size_t end, const char *text,
	      size_t len)
{
	char *norm;
	size_t n;
	int r;

	if (end > ed->len)
		end = ed->len;
	if (start > end)
		start = end;
	r = editor_normalise(text, len, EDITOR_MAX - (ed->len - (end - start)),
			     &norm, &n);
	if (r < 0)
		return -1;
	if (editor_reserve(ed, n) != 0) {
		free(norm);
		return -1;
	}
	memmove(ed->buf + start + n, ed->buf + end, ed->len - end + 1);
	memcpy(ed->buf + start, norm, n);
	ed->len = ed->len - (end - start) + n;
	ed->gen++;
	free(norm);
	ed->cursor = editor_snap(ed, start + n);
	return r ? -1 : 0;
}

void
editor_clear(struct editor *ed)
{
	while (ed->nundo > 0)
		editor_undo_drop(ed, ed->nundo - 1);
	ed->len = ed->cursor = 0;
	ed->gen++;
	ed->buf[0] = '\0';
	ed->last = EDITOR_LAST_OTHER;
	ed->hscroll = ed->vscroll = 0;
}

int
editor_set(struct editor *ed, const char *text, size_t len)
{
	editor_save(ed);
	ed->last = EDITOR_LAST_OTHER;
	return editor_splice(ed, 0, ed->len, text, len);
}

int
editor_insert(struct editor *ed, const char *text, size_t len)
{
	editor_save(ed);
	ed->last = EDITOR_LAST_OTHER;
	return editor_splice(ed, ed->cursor, ed->cursor, text, len);
}

int
editor_type(struct editor *ed, uint32_t cp)
{
	char s[4];
	size_t n;

	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp > 0x10ffff)
		return 0;
	n = uw_encode(cp, s);
	if (ed->last != EDITOR_LAST_TYPE)
		editor_save(ed);
	ed->last = EDITOR_LAST_TYPE;
	return editor_splice(ed, ed->cursor, ed->cursor, s, n);
}

int
editor_replace(struct editor *ed, size_t start, size_t end, const char *text,
	       size_t len)
{
	editor_save(ed);
	ed->last = EDITOR_LAST_OTHER;
	return editor_splice(ed, start, end, text, len);
}

/* A cluster that is part of a word: letters and digits, and every
 * non-ASCII character but spaces and punctuation. */
static int
editor_is_word(const struct editor *ed, size_t pos)
{
	uint32_t cp;

	if (pos >= ed->len)
		return 0;
	uw_decode(ed->buf + pos, ed->len - pos, &cp);
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
		       (cp >= 'A' && cp <= 'Z') || cp == '_';
	return cp != UW_INVALID && cp != 0xa0 &&
	       !(cp >= 0x2000 && cp <= 0x206f) &&
	       !(cp >= 0x3000 && cp <= 0x3003) &&
	       !(cp >= 0xff01 && cp <= 0xff0f);
}

static int
editor_is_space(const struct editor *ed, size_t pos)
{
	char c = ed->buf[pos];

	return c == ' ' || c == '\t' || c == '\n';
}

static size_t
editor_word_fwd(const struct editor *ed, size_t p)
{
	while (p < ed->len && !editor_is_word(ed, p))
		p = editor_next(ed, p);
	while (p < ed->len && editor_is_word(ed, p))
		p = editor_next(ed, p);
	return p;
}

static size_t
editor_word_back(const struct editor *ed, size_t p)
{
	while (p > 0 && !editor_is_word(ed, editor_prev(ed, p)))
		p = editor_prev(ed, p);
	while (p > 0 && editor_is_word(ed, editor_prev(ed, p)))
		p = editor_prev(ed, p);
	return p;
}

/* Cuts [start, end) into the kill ring: appended to (or, for a backward
 * kill, put before) the newest entry when the last command was a kill. */
static void
editor_kill(struct editor *ed, size_t start, size_t end, int backward)
{
	size_t n = end - start;

	if (n == 0) {
		ed->last = EDITOR_LAST_KILL;
		return;
	}
	editor_save(ed);
	if (ed->last == EDITOR_LAST_KILL && ed->nkill > 0 &&
	    ed->kill_len[0] + n <= EDITOR_MAX) {
		char *k = realloc(ed->kill[0], ed->kill_len[0] + n + 1);

		if (k != NULL) {
			if (backward) {
				memmove(k + n, k, ed->kill_len[0]);
				memcpy(k, ed->buf + start, n);
			} else
				memcpy(k + ed->kill_len[0], ed->buf + start, n);
			ed->kill_len[0] += n;
			k[ed->kill_len[0]] = '\0';
			ed->kill[0] = k;
		}
	} else {
		char *k = malloc(n + 1);

		if (k != NULL) {
			memcpy(k, ed->buf + start, n);
			k[n] = '\0';
			if (ed->nkill == EDITOR_KILL_RING)
				free(ed->kill[--ed->nkill]);
			memmove(&ed->kill[1], &ed->kill[0],
				ed->nkill * sizeof(ed->kill[0]));
			memmove(&ed->kill_len[1], &ed->kill_len[0],
				ed->nkill * sizeof(ed->kill_len[0]));
			ed->kill[0] = k;
			ed->kill_len[0] = n;
			ed->nkill++;
		}
	}
	memmove(ed->buf + start, ed->buf + end, ed->len - end + 1);
	ed->len -= n;
	ed->gen++;
	ed->cursor = start;
	ed->last = EDITOR_LAST_KILL;
}

static void
editor_delete(struct editor *ed, size_t start, size_t end)
{
	if (start >= end)
		return;
	editor_save(ed);
	memmove(ed->buf + start, ed->buf + end, ed->len - end + 1);
	ed->len -= end - start;
	ed->gen++;
	ed->cursor = start;
}

static void
editor_yank(struct editor *ed)
{
	size_t len = ed->len;

	if (ed->nkill == 0)
		return;
	editor_save(ed);
	ed->yank_start = ed->cursor;
	editor_splice(ed, ed->cursor, ed->cursor, ed->kill[0], ed->kill_len[0]);
	/* Exactly what was inserted: the cursor may have been moved past a
	 * cluster the yanked text joined with what follows it. */
	ed->yank_end = ed->yank_start + (ed->len - len);
	ed->yank_idx = 0;
	ed->last = EDITOR_LAST_YANK;
}

static void
editor_yank_pop(struct editor *ed)
{
	size_t i, len;

	if (ed->last != EDITOR_LAST_YANK || ed->nkill == 0)
		return;
	i = ed->yank_idx = (ed->yank_idx + 1) % ed->nkill;
	editor_save(ed);
	len = ed->len - (ed->yank_end - ed->yank_start);
	editor_splice(ed, ed->yank_start, ed->yank_end, ed->kill[i],
		      ed->kill_len[i]);
	ed->yank_end = ed->yank_start + (ed->len - len);
	ed->last = EDITOR_LAST_YANK;
}

/* Swaps the clusters before and at the cursor (at the end of a line, the
 * two before it) and moves past them, as emacs does. */
static void
editor_transpose(struct editor *ed)
{
	size_t ls = editor_line_start(ed, ed->cursor);
	size_t le = editor_line_end(ed, ed->cursor);
	size_t mid = ed->cursor, a, b, na, nb;
	char *tmp;

	if (mid == le)
		mid = mid > ls ? editor_prev(ed, mid) : mid;
	if (mid <= ls || mid >= le)
		return;
	a = editor_prev(ed, mid);
	b = editor_next(ed, mid);
	na = mid - a;
	nb = b - mid;
	if ((tmp = malloc(na)) == NULL)
		return;
	editor_save(ed);
	memcpy(tmp, ed->buf + a, na);
	memmove(ed->buf + a, ed->buf + mid, nb);
	memcpy(ed->buf + a + nb, tmp, na);
	ed->gen++;
	free(tmp);
	/* The swap may join clusters differently: stay on a boundary. */
	ed->cursor = editor_snap(ed, b);
}

static void
editor_undo(struct editor *ed)
{
	struct editor_snap *s;

	if (ed->nundo == 0)
		return;
	s = &ed->undo[ed->nundo - 1];
	free(ed->buf);
	ed->buf = s->buf;
	ed->len = s->len;
	ed->gen++;
	ed->cap = s->len + 1;
	ed->cursor = s->cursor;
	ed->undo_bytes -= s->len;
	s->buf = NULL;
	ed->nundo--;
}

/* Display columns from the start of pos's line to pos. */
static size_t
editor_col(const struct editor *ed, size_t pos)
{
	size_t p = editor_line_start(ed, pos), col = 0;
	size_t le = editor_line_end(ed, pos);
	struct editor_glyph g;

	while (p < pos) {
		p += editor_glyph(ed->buf + p, le - p, &g);
		col += (size_t)g.cols;
	}
	return col;
}

/* The boundary in the line starting at ls nearest col, not past it. */
static size_t
editor_at_col(const struct editor *ed, size_t ls, size_t col)
{
	size_t le = editor_line_end(ed, ls), p = ls, c = 0;
	struct editor_glyph g;

	while (p < le) {
		size_t n = editor_glyph(ed->buf + p, le - p, &g);

		if (c + (size_t)g.cols > col)
			break;
		c += (size_t)g.cols;
		p += n;
	}
	return p;
}

int
editor_line_up(struct editor *ed)
{
	size_t ls = editor_line_start(ed, ed->cursor);

	ed->last = EDITOR_LAST_OTHER;
	if (ls == 0)
		return 0;
	ed->cursor = editor_at_col(ed, editor_line_start(ed, ls - 1),
				   editor_col(ed, ed->cursor));
	return 1;
}

int
editor_line_down(struct editor *ed)
{
	size_t le = editor_line_end(ed, ed->cursor);

	ed->last = EDITOR_LAST_OTHER;
	if (le == ed->len)
		return 0;
	ed->cursor = editor_at_col(ed, le + 1, editor_col(ed, ed->cursor));
	return 1;
}

int
editor_action(struct editor *ed, enum keymap_action a)
{
	size_t c = ed->cursor, p;
	enum editor_last last = ed->last;

	ed->last = EDITOR_LAST_OTHER;
	switch (a) {
	case KEYMAP_BOL:
		ed->cursor = editor_line_start(ed, c);
		break;
	case KEYMAP_EOL:
		ed->cursor = editor_line_end(ed, c);
		break;
	case KEYMAP_BACK_CHAR:
		ed->cursor = editor_prev(ed, c);
		break;
	case KEYMAP_FWD_CHAR:
		ed->cursor = editor_next(ed, c);
		break;
	case KEYMAP_BACK_WORD:
		ed->cursor = editor_word_back(ed, c);
		break;
	case KEYMAP_FWD_WORD:
		ed->cursor = editor_word_fwd(ed, c);
		break;
	case KEYMAP_DEL_CHAR:
		editor_delete(ed, c, editor_next(ed, c));
		break;
	case KEYMAP_BACK_DEL_CHAR:
		editor_delete(ed, editor_prev(ed, c), c);
		break;
	case KEYMAP_KILL_LINE:
		ed->last = last;
		p = editor_line_end(ed, c);
		editor_kill(ed, c, p == c && p < ed->len ? p + 1 : p, 0);
		break;
	case KEYMAP_KILL_BOL:
		ed->last = last;
		p = editor_line_start(ed, c);
		editor_kill(ed, p == c && p > 0 ? p - 1 : p, c, 1);
		break;
	case KEYMAP_KILL_WORD_WS:
		ed->last = last;
		p = c;
		while (p > 0 && editor_is_space(ed, p - 1))
			p--;
		while (p > 0 && !editor_is_space(ed, p - 1))
			p = editor_prev(ed, p);
		editor_kill(ed, p, c, 1);
		break;
	case KEYMAP_KILL_WORD:
		ed->last = last;
		editor_kill(ed, c, editor_word_fwd(ed, c), 0);
		break;
	case KEYMAP_BACK_KILL_WORD:
		ed->last = last;
		editor_kill(ed, editor_word_back(ed, c), c, 1);
		break;
	case KEYMAP_YANK:
		editor_yank(ed);
		break;
	case KEYMAP_YANK_POP:
		ed->last = last;
		editor_yank_pop(ed);
		break;
	case KEYMAP_TRANSPOSE:
		editor_transpose(ed);
		break;
	case KEYMAP_UNDO:
		editor_undo(ed);
		break;
	case KEYMAP_NEWLINE:
		editor_save(ed);
		editor_splice(ed, c, c, "\n", 1);
		break;
	default:
		ed->last = last;
		return 0;
	}
	/* A delete can join its neighbours into one cluster (two regional
	 * indicators make a flag): stay on a boundary. */
	ed->cursor = editor_snap(ed, ed->cursor);
	return 1;
}
