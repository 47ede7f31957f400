/*
 * roomsig.c: a room's occupants typing and reading, for its window
 * (roomsig.h), and the timeout of every typing notice. A room's record is
 * made on its first signal. Our lines count their readers in the line
 * record itself (struct line .readers): a marker for line L from an
 * occupant that had read up to line P counts it on each of our lines after
 * P up to L, so "read by N" on a line is how many occupants have read at
 * least that far.
 */
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "model/roomsig.h"

/* Lines walked back from a marked line at most (as win_set_state finds
 * an id). */
#define ROOMSIG_SCAN_MAX 4096
/* The longest nick kept (a resourcepart is at most 1023 bytes). */
#define ROOMSIG_NICK_MAX 1023

static struct roomsig *
sig_get(struct uiwin *w)
{
	if (w->sig == NULL)
		w->sig = calloc(1, sizeof(*w->sig));
	return w->sig;
}

static long
typer_find(const struct roomsig *s, const char *nick)
{
	size_t i;

	for (i = 0; i < s->ntypers; i++)
		if (strcmp(s->typers[i].nick, nick) == 0)
			return (long)i;
	return -1;
}

static void
typer_drop(struct roomsig *s, size_t i)
{
	free(s->typers[i].nick);
	memmove(&s->typers[i], &s->typers[i + 1],
		(s->ntypers - i - 1) * sizeof(s->typers[0]));
	s->ntypers--;
}

int
roomsig_stop(struct uiwin *w, const char *nick)
{
	long i;

	if (w->sig == NULL || nick == NULL ||
	    (i = typer_find(w->sig, nick)) < 0)
		return 0;
	typer_drop(w->sig, (size_t)i);
	return 1;
}

int
roomsig_chatstate(struct uiwin *w, const char *nick, const char *state,
		  int64_t now)
{
	struct roomsig *s;
	char *copy;
	long i;

	if (nick == NULL || state == NULL || nick[0] == '\0')
		return 0;
	if (strcmp(state, "composing") != 0)
		return roomsig_stop(w, nick);
	if ((s = sig_get(w)) == NULL)
		return 0;
	if ((i = typer_find(s, nick)) >= 0) {
		/* renewed: it moves to the end, the newest */
		struct roomsig_typer t = s->typers[i];
		memmove(&s->typers[i], &s->typers[i + 1],
			(s->ntypers - (size_t)i - 1) * sizeof(s->typers[0]));
		t.at = now;
		s->typers[s->ntypers - 1] = t;
		return 0;
	}
	if ((copy = strndup(nick, ROOMSIG_NICK_MAX)) == NULL)
		return 0;
	if (s->ntypers == ROOMSIG_TYPERS_MAX)
		typer_drop(s, 0); /* the one quiet the longest */
	s->typers[s->ntypers].nick = copy;
	s->typers[s->ntypers].at = now;
	s->ntypers++;
	return 1;
}

int
roomsig_clear_typing(struct uiwin *w)
{
	int had = w->sig != NULL && w->sig->ntypers > 0;

	while (w->sig != NULL && w->sig->ntypers > 0)
		typer_drop(w->sig, w->sig->ntypers - 1);
	return had;
}

static struct roomsig_reader *
reader_find(struct roomsig *s, const char *nick)
{
	size_t i;

	for (i = 0; i < s->nreaders; i++)
		if (strcmp(s->readers[i].nick, nick) == 0)
			return &s->readers[i];
	return NULL;
}

void
roomsig_rename(struct uiwin *w, const char *nick, const char *new_nick)
{
	struct roomsig_reader *r;
	char *copy;

	roomsig_stop(w, nick);
	if (w->sig == NULL || nick == NULL || new_nick == NULL ||
	    (r = reader_find(w->sig, nick)) == NULL ||
	    reader_find(w->sig, new_nick) != NULL ||
	    (copy = strndup(new_nick, ROOMSIG_NICK_MAX)) == NULL)
		return;
	free(r->nick);
	r->nick = copy;
}

/* NICK's entry, made when there is room for one (NULL otherwise). */
static struct roomsig_reader *
reader_get(struct roomsig *s, const char *nick)
{
	struct roomsig_reader *r = reader_find(s, nick), *n;

	if (r != NULL || s->nreaders == ROOMSIG_READERS_MAX)
		return r;
	if ((n = realloc(s->readers, (s->nreaders + 1) * sizeof(*n))) == NULL)
		return NULL;
	s->readers = n;
	r = &s->readers[s->nreaders];
	if ((r->nick = strndup(nick, ROOMSIG_NICK_MAX)) == NULL)
		return NULL;
	r->seq = 0;
	s->nreaders++;
	return r;
}

static int
ours(const struct line *l)
{
	return (l->flags & LF_OUT) && (l->kind == LK_MSG || l->kind == LK_ME);
}

/* Shows line l read (never over a failure). */
static void
shown_read(struct line *l)
{
	if (l->state != LS_FAILED && l->state < LS_READ)
		l->state = LS_READ;
}

int
roomsig_read(struct uiwin *w, const char *nick, const char *id)
{
	struct roomsig *s;
	struct roomsig_reader *r;
	struct line *l;
	uint64_t seq, q, first;
	size_t n;
	int changed = 0;

	if (nick == NULL || id == NULL ||
	    (seq = lstore_find_id(w->lines, id, ROOMSIG_SCAN_MAX)) == 0 ||
	    (l = lstore_get(w->lines, seq, NULL)) == NULL || !ours(l) ||
	    (s = sig_get(w)) == NULL)
		return 0;
	if ((r = reader_get(s, nick)) == NULL) {
		/* not followed: the line is read, no count can be kept */
		changed = l->state < LS_READ && l->state != LS_FAILED;
		shown_read(l);
		return changed;
	}
	if (seq <= r->seq)
		return 0; /* it had read that far already */
	first = lstore_first(w->lines);
	for (q = seq, n = 0; q > r->seq && q >= first && n < ROOMSIG_SCAN_MAX;
	     q--, n++) {
		if ((l = lstore_get(w->lines, q, NULL)) == NULL || !ours(l))
			continue;
		if (l->readers < UINT8_MAX)
			l->readers++;
		shown_read(l);
		changed = 1;
	}
	r->seq = seq;
	return changed;
}

size_t
roomsig_ntyping(const struct uiwin *w)
{
	return w->sig != NULL ? w->sig->ntypers : 0;
}

const char *
roomsig_typer(const struct uiwin *w, size_t i)
{
	return w->sig != NULL && i < w->sig->ntypers ? w->sig->typers[i].nick
						     : NULL;
}

void
roomsig_free(struct uiwin *w)
{
	size_t i;

	if (w->sig == NULL)
		return;
	roomsig_clear_typing(w);
	for (i = 0; i < w->sig->nreaders; i++)
		free(w->sig->readers[i].nick);
	free(w->sig->readers);
	free(w->sig);
	w->sig = NULL;
}

/* Drops w's stale typing notices; 1 when any was. *next: the earliest
 * time one left goes stale (unchanged when none is left). */
static int
win_typing_expire(struct uiwin *w, int64_t now, int64_t *next)
{
	int64_t due;
	int changed = 0;
	size_t i;

	if (w->typing[0] != '\0') {
		due = w->typing_at + MODEL_TYPING_STALE_MS;
		if (due <= now) {
			w->typing[0] = '\0';
			changed = 1;
		} else if (*next == 0 || due < *next) {
			*next = due;
		}
	}
	for (i = 0; w->sig != NULL && i < w->sig->ntypers;) {
		due = w->sig->typers[i].at + MODEL_TYPING_STALE_MS;
		if (due <= now) {
			typer_drop(w->sig, i);
			changed = 1;
			continue;
		}
		if (*next == 0 || due < *next)
			*next = due;
		i++;
	}
	return changed;
}

int64_t
model_typing_expire(struct model *m)
{
	struct uiwin *cur = winlist_current(&m->wl);
	int64_t next = 0;
	size_t i;

	for (i = 0; i < m->wl.n; i++)
		if (win_typing_expire(m->wl.w[i], m->now, &next) &&
		    m->wl.w[i] == cur)
			m->dirty |= MD_SEC;
	return next;
}

void
model_typing_clear_account(struct model *m, const char *account)
{
	struct uiwin *w, *cur = winlist_current(&m->wl);
	size_t i;
	int changed;

	for (i = 0; i < m->wl.n; i++) {
		w = m->wl.w[i];
		if (w->account == NULL ||
		    (account != NULL && strcmp(w->account, account) != 0))
			continue;
		changed = w->typing[0] != '\0';
		w->typing[0] = '\0';
		changed |= roomsig_clear_typing(w);
		if (changed && w == cur)
			m->dirty |= MD_SEC;
	}
}
