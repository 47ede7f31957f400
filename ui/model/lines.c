/*
 * lines.c: the compact line store (lines.h): a ring of 32-byte records and
 * a text arena compacted when a quarter of it belongs to dropped lines (a
 * full window keeps at most 1.25 times its text: half was 1.5), so the
 * cost per line stays the record plus its text.
 */
#include <stdlib.h>
#include <string.h>

#include "model/lines.h"

struct lstore {
	struct line *ring;
	size_t cap, head, count, max;
	uint64_t first; /* seq of ring[head] */
	size_t extra;   /* lines put in front: held beyond max until trimmed */
	char *arena;
	size_t used, asize, dead;
};

#define LINES_SEQ_BASE (1ull << 40)

_Static_assert(sizeof(struct line) == 32, "line record is 32 bytes");

struct lstore *
lstore_new(size_t max_lines)
{
	struct lstore *ls = calloc(1, sizeof(*ls));

	if (ls == NULL)
		return NULL;
	ls->max = max_lines < 16 ? 16 : max_lines;
	ls->first = LINES_SEQ_BASE;
	return ls;
}

void
lstore_free(struct lstore *ls)
{
	if (ls == NULL)
		return;
	free(ls->ring);
	free(ls->arena);
	free(ls);
}

static struct line *
slot(const struct lstore *ls, size_t i)
{
	return &ls->ring[(ls->head + i) % ls->cap];
}

/* Moves the ring to ncap slots (> count). */
static int
ring_resize(struct lstore *ls, size_t ncap)
{
	struct line *n;
	size_t i;

	if ((n = malloc(ncap * sizeof(*n))) == NULL)
		return -1;
	for (i = 0; i < ls->count; i++)
		n[i] = *slot(ls, i);
	free(ls->ring);
	ls->ring = n;
	ls->cap = ncap;
	ls->head = 0;
	return 0;
}

/* Grows the ring to hold one more line (up to max + LINES_PAGED_MAX). */
static int
ring_room(struct lstore *ls)
{
	size_t ncap;

	if (ls->count < ls->cap)
		return 0;
	/* grow by a quarter: the slack stays small per line */
	ncap = ls->cap ? ls->cap + ls->cap / 4 : 64;
	if (ncap > ls->max + LINES_PAGED_MAX)
		ncap = ls->max + LINES_PAGED_MAX;
	if (ncap <= ls->count)
		return -1;
	return ring_resize(ls, ncap);
}

/* Rewrites the arena with only the text of held lines. */
static int
arena_compact(struct lstore *ls, size_t extra)
{
	size_t need = extra, i, o = 0, asz;
	char *n;
	struct line *l;

	for (i = 0; i < ls->count; i++) {
		l = slot(ls, i);
		need += l->len;
	}
	asz = need < 4096 ? 4096 : need + need / 4;
	if ((n = malloc(asz)) == NULL)
		return -1;
	for (i = 0; i < ls->count; i++) {
		l = slot(ls, i);
		if (l->len > 0)
			memcpy(n + o, ls->arena + l->off, l->len);
		l->off = (uint32_t)o;
		o += l->len;
	}
	free(ls->arena);
	ls->arena = n;
	ls->asize = asz;
	ls->used = o;
	ls->dead = 0;
	return 0;
}

/* 64-bit FNV-1a of a message id; 0 for none (an empty or over-long id). */
static uint64_t
id_hash(const char *id)
{
	uint64_t h = 14695981039346656037ull;
	size_t n = id ? strlen(id) : 0, i;

	if (n == 0 || n > LINES_MAX_ID)
		return 0;
	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)id[i]) * 1099511628211ull;
	return h ? h : 1;
}

/* Copies text to the arena; sets l->off, len. */
static int
arena_put(struct lstore *ls, struct line *l, const char *text, size_t len)
{
	size_t need;

	if (len > LINES_MAX_TEXT)
		len = LINES_MAX_TEXT;
	need = len;
	if (ls->used + need > ls->asize || ls->used + need > UINT32_MAX) {
		if ((ls->dead > ls->used / 4 || ls->asize == 0 ||
		     ls->used + need > UINT32_MAX / 2) &&
		    arena_compact(ls, need) == 0 &&
		    ls->used + need <= ls->asize)
			goto copy;
		{
			size_t nsz =
			    (ls->asize ? ls->asize + ls->asize / 4 : 4096);
			char *n;

			while (nsz < ls->used + need)
				nsz += nsz / 4 + need;
			if (nsz > UINT32_MAX)
				return -1;
			if ((n = realloc(ls->arena, nsz)) == NULL)
				return -1;
			ls->arena = n;
			ls->asize = nsz;
		}
	}
copy:
	if (len)
		memcpy(ls->arena + ls->used, text, len);
	l->off = (uint32_t)ls->used;
	l->len = (uint32_t)len;
	ls->used += need;
	return 0;
}

static void
drop_oldest(struct lstore *ls)
{
	struct line *l = slot(ls, 0);

	ls->dead += l->len;
	ls->head = (ls->head + 1) % ls->cap;
	ls->count--;
	ls->first++;
}

uint64_t
lstore_append(struct lstore *ls, const struct line *tmpl, const char *text,
	      size_t len, const char *id)
{
	struct line l = *tmpl;

	/* lines read back from history stay while the view may show them
	 * (until lstore_trim): a new line never drops a page being read */
	while (ls->count >= ls->max + ls->extra)
		drop_oldest(ls);
	if (ring_room(ls) < 0)
		return 0;
	if (arena_put(ls, &l, text, len) < 0)
		return 0;
	l.idhash = id_hash(id);
	*slot(ls, ls->count) = l;
	ls->count++;
	return ls->first + ls->count - 1;
}

uint64_t
lstore_prepend(struct lstore *ls, const struct line *tmpl, const char *text,
	       size_t len, const char *id)
{
	struct line l = *tmpl;

	if (ls->count >= ls->max + LINES_PAGED_MAX || ls->first <= 1)
		return 0;
	if (ring_room(ls) < 0)
		return 0;
	if (arena_put(ls, &l, text, len) < 0)
		return 0;
	l.idhash = id_hash(id);
	ls->head = (ls->head + ls->cap - 1) % ls->cap;
	ls->ring[ls->head] = l;
	ls->count++;
	ls->first--;
	if (ls->extra < LINES_PAGED_MAX)
		ls->extra++;
	return ls->first;
}

void
lstore_hold(struct lstore *ls)
{
	if (ls->extra < LINES_PAGED_MAX)
		ls->extra++;
}

size_t
lstore_trim(struct lstore *ls)
{
	size_t n = 0;

	ls->extra = 0;
	while (ls->count > ls->max) {
		drop_oldest(ls);
		n++;
	}
	if (n == 0)
		return 0;
	/* the pages read back were the bulk: give them back now */
	if (ls->cap > ls->count * 2 && ls->cap > 64)
		(void)ring_resize(ls, ls->count + ls->count / 4 + 1);
	if (ls->dead > 0)
		(void)arena_compact(ls, 0);
	return n;
}

void
lstore_set_max(struct lstore *ls, size_t max_lines)
{
	ls->max = max_lines < 16 ? 16 : max_lines;
}

size_t
lstore_count(const struct lstore *ls)
{
	return ls->count;
}

size_t
lstore_appended(const struct lstore *ls)
{
	uint64_t end = ls->first + ls->count;

	if (end <= LINES_SEQ_BASE)
		return 0;
	return (size_t)(end - (ls->first > LINES_SEQ_BASE ? ls->first
							  : LINES_SEQ_BASE));
}

uint64_t
lstore_first(const struct lstore *ls)
{
	return ls->first;
}

uint64_t
lstore_end(const struct lstore *ls)
{
	return ls->first + ls->count;
}

struct line *
lstore_get(struct lstore *ls, uint64_t seq, const char **text)
{
	struct line *l;

	if (seq < ls->first || seq >= ls->first + ls->count)
		return NULL;
	l = slot(ls, (size_t)(seq - ls->first));
	if (text != NULL)
		*text = ls->arena ? ls->arena + l->off : "";
	return l;
}

uint64_t
lstore_find_id(struct lstore *ls, const char *id, size_t limit)
{
	uint64_t h = id_hash(id);
	size_t i;

	if (h == 0)
		return 0;
	for (i = 0; i < ls->count && i < limit; i++)
		if (slot(ls, ls->count - 1 - i)->idhash == h)
			return ls->first + ls->count - 1 - i;
	return 0;
}

int
lstore_set_text(struct lstore *ls, uint64_t seq, const char *text, size_t len)
{
	struct line *l, tmp;

	if (seq < ls->first || seq >= ls->first + ls->count)
		return -1;
	l = slot(ls, (size_t)(seq - ls->first));
	tmp = *l; /* the id's hash stays in the record */
	if (arena_put(ls, &tmp, text, len) < 0)
		return -1;
	l = slot(ls, (size_t)(seq - ls->first));
	ls->dead += l->len;
	*l = tmp;
	return 0;
}

size_t
lstore_bytes(const struct lstore *ls)
{
	return sizeof(*ls) + ls->cap * sizeof(struct line) + ls->asize;
}
