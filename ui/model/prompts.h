/*
 * prompts.h: the queue of decisions the core asks for (prompt events).
 * The first is shown as a modal box; it cannot be answered by a key typed
 * before it appeared (keys within PROMPTS_GUARD_MS of its showing are
 * ignored) and Enter alone never accepts it.
 */
#ifndef WARD_UI_PROMPTS_H
#define WARD_UI_PROMPTS_H

#include <stddef.h>
#include <stdint.h>

#define PROMPTS_MAX 64
#define PROMPTS_GUARD_MS 300
#define PROMPT_FIELDS 12

struct uiprompt {
	char *id, *kind, *text, *account;
	/* kind-specific fields worth showing, as key/value pairs */
	char *fkey[PROMPT_FIELDS], *fval[PROMPT_FIELDS];
	size_t nf;
	int64_t shown_at; /* ms (monotonic) when first drawn; 0 not yet */
};

struct prompts {
	struct uiprompt q[PROMPTS_MAX];
	size_t n;
};

/* Adds a prompt at the end (NULL past PROMPTS_MAX: the oldest stays). */
struct uiprompt *prompts_add(struct prompts *pq, const char *account,
			     const char *id, const char *kind,
			     const char *text);
void prompts_field(struct uiprompt *p, const char *key, const char *val);
/* The one shown (NULL when none). */
struct uiprompt *prompts_head(struct prompts *pq);
/* Removes the prompt with that id (answered here or elsewhere). */
void prompts_remove(struct prompts *pq, const char *id);
void prompts_free(struct prompts *pq);

enum prompt_answer { PA_NONE, PA_ACCEPT, PA_REJECT };
/* What key (a byte or key code of the decoder) answers at time now_ms:
 * 'y'/'Y' accept, 'n'/'N' reject, anything else (Enter included) nothing;
 * every key is ignored until PROMPTS_GUARD_MS after the head was shown. */
enum prompt_answer prompts_key(struct prompts *pq, int key, int64_t now_ms);
/* Marks the head as shown at now_ms (when it is first painted). */
void prompts_shown(struct prompts *pq, int64_t now_ms);

#endif
