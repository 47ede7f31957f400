/*
 * apply_priv.h: helpers shared by the files that apply core events to the
 * model (apply.c, apply_hist.c).
 */
#ifndef WARD_UI_APPLY_PRIV_H
#define WARD_UI_APPLY_PRIV_H

#include <stddef.h>
#include <stdint.h>

struct event;
struct model;

/* The string field key (NULL when absent or not a string). */
const char *model_field(const struct event *ev, const char *key);
/* A bool or int field as a truth value (0 when absent). */
int model_field_bool(const struct event *ev, const char *key);
/* An int field (0 when absent or not an int). */
long long model_field_int(const struct event *ev, const char *key);
/* Replaces *dst with a copy of s (cut at 4096 bytes; NULL clears). */
void model_set(char **dst, const char *s);
/* The bare part of jid in buf; the resource ("" without one). */
const char *model_bare(const char *jid, char *buf, size_t size);
const char *model_resource(const char *jid);
/* enum line_trust of a trust word. */
uint8_t model_trust(const char *t);

/* apply_hist.c */
void model_history(struct model *m, const struct event *ev);
void model_history_end(struct model *m, const struct event *ev);
void model_occupant(struct model *m, const struct event *ev);
void model_chat_security(struct model *m, const struct event *ev);
/* apply_search.c */
void model_search_result(struct model *m, const struct event *ev);
void model_search_end(struct model *m, const struct event *ev);
/* Scrolls w to the search hit it seeks once held, else asks for older
 * lines (or gives up when there are none). */
struct uiwin;
void model_seek(struct model *m, struct uiwin *w);

/* apply_req.c: a `request` event (message requests) */
void model_request(struct model *m, const struct event *ev);
/* a `block` event */
void model_block(struct model *m, const struct event *ev);
/* apply_form.c */
void model_room_config(struct model *m, const struct event *ev);

/* apply_files.c */
void model_file_offer(struct model *m, const struct event *ev);
void model_transfer(struct model *m, const struct event *ev);

/* apply_edit.c: message-edited, message-retracted, reactions,
 * message-version */
void model_edited(struct model *m, const struct event *ev);
void model_retracted(struct model *m, const struct event *ev);
void model_reactions(struct model *m, const struct event *ev);
void model_version(struct model *m, const struct event *ev);
/* "QUOTE\nBODY" (malloc) for a reply, LF_QUOTE added to *FLAGS; NULL
 * without a one-line quote. */
char *model_with_quote(const char *quote, const char *body, uint8_t *flags);

#endif
