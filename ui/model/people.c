/*
 * people.c: contact and occupant lists for the panes (people.h).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/people.h"
#include "skeleton.h"

static void
person_clear(struct person *p)
{
	size_t i;

	free(p->key);
	free(p->name);
	free(p->extra);
	free(p->real);
	free(p->status);
	free(p->skel);
	for (i = 0; i < p->nres; i++)
		free(p->res[i]);
	memset(p, 0, sizeof(*p));
}

void
people_free(struct people *pl)
{
	size_t i;

	for (i = 0; i < pl->n; i++)
		person_clear(&pl->p[i]);
	free(pl->p);
	pl->p = NULL;
	pl->n = 0;
	pl->cap = 0;
	pl->unsorted = 0;
}

struct person *
people_find(struct people *pl, const char *key)
{
	size_t i;

	if (key == NULL)
		return NULL;
	for (i = 0; i < pl->n; i++)
		if (strcasecmp(pl->p[i].key, key) == 0)
			return &pl->p[i];
	return NULL;
}

struct person *
people_get(struct people *pl, const char *key)
{
	struct person *p, *n;

	if (key == NULL)
		return NULL;
	if ((p = people_find(pl, key)) != NULL)
		return p;
	if (pl->n >= PEOPLE_MAX)
		return NULL;
	if (pl->n == pl->cap) {
		size_t nc = pl->cap ? pl->cap * 2 : 16;
		if ((n = realloc(pl->p, nc * sizeof(*n))) == NULL)
			return NULL;
		pl->p = n;
		pl->cap = nc;
	}
	p = &pl->p[pl->n];
	memset(p, 0, sizeof(*p));
	if ((p->key = strndup(key, 1024)) == NULL)
		return NULL;
	p->trust = -1;
	pl->n++;
	pl->unsorted = 1;
	return p;
}

void
people_remove(struct people *pl, const char *key)
{
	struct person *p = people_find(pl, key);
	size_t i;

	if (p == NULL)
		return;
	i = (size_t)(p - pl->p);
	person_clear(p);
	memmove(&pl->p[i], &pl->p[i + 1], (pl->n - i - 1) * sizeof(*p));
	pl->n--;
	pl->unsorted = 1;
}

static enum pshow
show_word(const char *show)
{
	if (show == NULL)
		return PS_ONLINE;
	if (strcmp(show, "away") == 0)
		return PS_AWAY;
	if (strcmp(show, "xa") == 0)
		return PS_XA;
	if (strcmp(show, "dnd") == 0)
		return PS_DND;
	if (strcmp(show, "chat") == 0)
		return PS_CHAT;
	return PS_ONLINE;
}

void
people_presence(struct person *p, const char *resource, const char *type,
		const char *show)
{
	size_t i;
	const char *r = resource ? resource : "";

	for (i = 0; i < p->nres; i++)
		if (strcmp(p->res[i], r) == 0)
			break;
	if (type != NULL && strcmp(type, "unavailable") == 0) {
		if (i < p->nres) {
			free(p->res[i]);
			p->res[i] = p->res[p->nres - 1];
			p->show[i] = p->show[p->nres - 1];
			p->nres--;
		}
		return;
	}
	if (type != NULL && strcmp(type, "available") != 0)
		return; /* subscriptions, errors: not a presence change */
	if (i == p->nres) {
		if (p->nres >= PEOPLE_MAX_RES)
			i = p->nres - 1; /* the last slot is reused */
		else if ((p->res[i] = strndup(r, 1024)) == NULL)
			return;
		else
			p->nres++;
	}
	p->show[i] = (unsigned char)show_word(show);
}

enum pshow
people_show(const struct person *p)
{
	enum pshow best = PS_OFFLINE;
	size_t i;

	for (i = 0; i < p->nres; i++)
		if (p->show[i] > best)
			best = p->show[i];
	return best;
}

static int
cmp_person(const void *a, const void *b)
{
	const struct person *x = a, *y = b;
	int sx = people_show(x) != PS_OFFLINE,
	    sy = people_show(y) != PS_OFFLINE;

	if (sx != sy)
		return sy - sx;
	return strcasecmp(x->key, y->key);
}

static int
cmp_skel(const void *a, const void *b)
{
	const struct person *const *x = a, *const *y = b;

	return strcmp((*x)->skel ? (*x)->skel : "",
		      (*y)->skel ? (*y)->skel : "");
}

/* The key's skeleton and script mix, worked out once per key (a nick
 * change frees skel). */
static void
person_skel(struct person *p)
{
	if (p->skel != NULL)
		return;
	p->skel = skeleton_make(p->key, strlen(p->key), NULL);
	p->mixed = skeleton_mixed(p->key, strlen(p->key), NULL, NULL) == 1
		       ? SKELETON_MIXED
		       : 0;
}

/* Flags mixed-script names and look-alikes (equal skeletons, different
 * text): sorted by skeleton, neighbours are compared, O(n log n). */
static void
people_flag(struct people *pl)
{
	struct person **v;
	size_t i;

	if ((v = malloc((pl->n ? pl->n : 1) * sizeof(*v))) == NULL)
		return;
	for (i = 0; i < pl->n; i++) {
		struct person *p = &pl->p[i];
		person_skel(p);
		p->flags = p->mixed;
		v[i] = p;
	}
	qsort(v, pl->n, sizeof(*v), cmp_skel);
	for (i = 1; i < pl->n; i++)
		if (v[i]->skel && v[i - 1]->skel &&
		    strcmp(v[i]->skel, v[i - 1]->skel) == 0 &&
		    strcasecmp(v[i]->key, v[i - 1]->key) != 0) {
			v[i]->flags |= SKELETON_LOOKALIKE;
			v[i - 1]->flags |= SKELETON_LOOKALIKE;
		}
	free(v);
}

void
people_sort(struct people *pl)
{
	if (pl->n > 1)
		qsort(pl->p, pl->n, sizeof(*pl->p), cmp_person);
	people_flag(pl);
	pl->unsorted = 0;
}

void
people_touch(struct people *pl)
{
	pl->unsorted = 1;
}

void
people_ready(struct people *pl)
{
	if (pl->unsorted)
		people_sort(pl);
}

int
people_lookalike(struct people *pl, const char *name)
{
	size_t i, n = name ? strlen(name) : 0;
	char *skel;
	int hit = 0;

	if (n == 0 || (skel = skeleton_make(name, n, NULL)) == NULL)
		return 0;
	/* each person's skeleton is made once and kept */
	for (i = 0; i < pl->n && !hit; i++) {
		person_skel(&pl->p[i]);
		hit = pl->p[i].skel != NULL &&
		      strcmp(skel, pl->p[i].skel) == 0 &&
		      strcasecmp(name, pl->p[i].key) != 0;
	}
	free(skel);
	return hit;
}
