/*
 * prompt.c: the registry of open prompts (see prompt.h). Ids are short
 * decimal numbers, unique for the life of the process.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "prompt.h"
#include "ward.h"

struct prompt {
	char id[24];
	char *account;
	char *kind;
	prompt_cb cb;
	void *arg;
	void (*free_arg)(void *); /* prompt_owns_arg; NULL: the caller's */
	struct prompt *next;
};

const char *
prompt_ask(struct ward *w, const char *account, const char *kind,
    const char *text, const struct event_field *extra, size_t nextra,
    prompt_cb cb, void *arg)
{
	struct prompt *p = xcalloc(1, sizeof(*p));
	struct event ev;
	size_t i;

	snprintf(p->id, sizeof(p->id), "%u", ++w->prompt_seq);
	p->account = account ? xstrdup(account) : NULL;
	p->kind = xstrdup(kind);
	p->cb = cb;
	p->arg = arg;
	p->next = w->prompts;
	w->prompts = p;
	event_init(&ev, EV_PROMPT, account);
	event_str(&ev, "id", p->id);
	event_str(&ev, "kind", kind);
	event_str(&ev, "text", text);
	for (i = 0; i < nextra && ev.n < EVENT_MAX_FIELDS; i++)
		ev.f[ev.n++] = extra[i];
	event_emit(&ev);
	return p->id;
}

static void
prompt_free(struct prompt *p)
{
	free(p->account);
	free(p->kind);
	free(p);
}

int
prompt_answer(struct ward *w, const char *id, int accepted)
{
	struct prompt **pp, *p;

	for (pp = &w->prompts; (p = *pp) != NULL; pp = &p->next) {
		if (strcmp(p->id, id) != 0)
			continue;
		*pp = p->next;	/* unlinked first: cb may ask again */
		p->cb(p->arg, accepted);
		prompt_free(p);
		return WARD_OK;
	}
	return WARD_ERR_NOTFOUND;
}

void
prompt_cancel_arg(struct ward *w, void *arg)
{
	struct prompt **pp = &w->prompts, *p;

	while ((p = *pp) != NULL) {
		if (p->arg == arg) {
			*pp = p->next;
			prompt_free(p);
		} else {
			pp = &p->next;
		}
	}
}

int
prompt_waiting_for(const struct ward *w, const void *arg)
{
	const struct prompt *p;

	for (p = w->prompts; p != NULL; p = p->next)
		if (p->arg == arg)
			return 1;
	return 0;
}

size_t
prompt_count(const struct ward *w)
{
	const struct prompt *p;
	size_t n = 0;

	for (p = w->prompts; p != NULL; p = p->next)
		n++;
	return n;
}

void
prompt_owns_arg(struct ward *w, const char *id, void (*free_arg)(void *))
{
	struct prompt *p;

	for (p = w->prompts; p != NULL; p = p->next)
		if (strcmp(p->id, id) == 0)
			p->free_arg = free_arg;
}

void
prompt_free_all(struct ward *w)
{
	struct prompt *p;

	while ((p = w->prompts) != NULL) {
		w->prompts = p->next;
		if (p->free_arg != NULL)
			p->free_arg(p->arg); /* never answered */
		prompt_free(p);
	}
}
