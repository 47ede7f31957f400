/*
 * prompts.c: the prompt queue and its answering rules (prompts.h).
 */
#include <stdlib.h>
#include <string.h>

#include "model/prompts.h"

static char *
cut(const char *s)
{
	return strndup(s ? s : "", 4096);
}

static void
prompt_clear(struct uiprompt *p)
{
	size_t i;

	free(p->id);
	free(p->kind);
	free(p->text);
	free(p->account);
	for (i = 0; i < p->nf; i++) {
		free(p->fkey[i]);
		free(p->fval[i]);
	}
	memset(p, 0, sizeof(*p));
}

struct uiprompt *
prompts_add(struct prompts *pq, const char *account, const char *id,
	    const char *kind, const char *text)
{
	struct uiprompt *p;

	if (pq->n >= PROMPTS_MAX || id == NULL)
		return NULL;
	p = &pq->q[pq->n];
	memset(p, 0, sizeof(*p));
	p->id = cut(id);
	p->kind = cut(kind);
	p->text = cut(text);
	p->account = cut(account);
	if (!p->id || !p->kind || !p->text || !p->account) {
		prompt_clear(p);
		return NULL;
	}
	pq->n++;
	return p;
}

void
prompts_field(struct uiprompt *p, const char *key, const char *val)
{
	if (p->nf >= PROMPT_FIELDS || key == NULL || val == NULL)
		return;
	p->fkey[p->nf] = cut(key);
	p->fval[p->nf] = cut(val);
	if (p->fkey[p->nf] == NULL || p->fval[p->nf] == NULL) {
		free(p->fkey[p->nf]);
		free(p->fval[p->nf]);
		return;
	}
	p->nf++;
}

struct uiprompt *
prompts_head(struct prompts *pq)
{
	return pq->n ? &pq->q[0] : NULL;
}

void
prompts_remove(struct prompts *pq, const char *id)
{
	size_t i;

	for (i = 0; i < pq->n; i++) {
		if (strcmp(pq->q[i].id, id) != 0)
			continue;
		prompt_clear(&pq->q[i]);
		memmove(&pq->q[i], &pq->q[i + 1],
			(pq->n - i - 1) * sizeof(pq->q[0]));
		pq->n--;
		memset(&pq->q[pq->n], 0, sizeof(pq->q[0]));
		return;
	}
}

void
prompts_free(struct prompts *pq)
{
	size_t i;

	for (i = 0; i < pq->n; i++)
		prompt_clear(&pq->q[i]);
	pq->n = 0;
}

void
prompts_shown(struct prompts *pq, int64_t now_ms)
{
	if (pq->n && pq->q[0].shown_at == 0)
		pq->q[0].shown_at = now_ms ? now_ms : 1;
}

enum prompt_answer
prompts_key(struct prompts *pq, int key, int64_t now_ms)
{
	struct uiprompt *p = prompts_head(pq);

	if (p == NULL || p->shown_at == 0 ||
	    now_ms - p->shown_at < PROMPTS_GUARD_MS)
		return PA_NONE;
	if (key == 'y' || key == 'Y')
		return PA_ACCEPT;
	if (key == 'n' || key == 'N')
		return PA_REJECT;
	return PA_NONE;
}
