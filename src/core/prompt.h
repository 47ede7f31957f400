/*
 * prompt.h: decisions ward will not take alone (a changed server key, a
 * SASL downgrade, a non-anonymous room, a new OMEMO device of a verified
 * contact). Each is a "prompt" event with an id; /accept ID or /reject ID
 * answers it. The owner waits; nothing unsafe happens meanwhile.
 */
#ifndef WARD_PROMPT_H
#define WARD_PROMPT_H

#include <stddef.h>

#include "event.h"

struct ward;

/* accepted: 1 for /accept, 0 for /reject or when the prompt is cancelled. */
typedef void (*prompt_cb)(void *arg, int accepted);

/*
 * Asks: emits {"event":"prompt","id":..,"kind":..,"text":..} plus the
 * extra fields (copied into the event; strings borrowed until return).
 * cb runs once, from /accept, /reject or prompt_cancel_arg(). Returns the
 * id (owned by the prompt registry, valid until cb has run).
 */
const char *prompt_ask(struct ward *w, const char *account, const char *kind,
    const char *text, const struct event_field *extra, size_t nextra,
    prompt_cb cb, void *arg);
/* Answers prompt id. WARD_ERR_NOTFOUND when there is no such prompt. */
int prompt_answer(struct ward *w, const char *id, int accepted);
/* Drops every prompt whose callback argument is arg, without calling cb. */
void prompt_cancel_arg(struct ward *w, void *arg);
/* 1 when a prompt with callback argument arg is open. */
int prompt_waiting_for(const struct ward *w, const void *arg);
/* Number of prompts waiting (all accounts). */
size_t prompt_count(const struct ward *w);
/* Prompt ID's argument is the prompt's: prompt_free_all frees it with
 * FREE_ARG when the prompt was never answered (its cb frees it
 * otherwise). */
void prompt_owns_arg(struct ward *w, const char *id, void (*free_arg)(void *));
void prompt_free_all(struct ward *w);

#endif
