/*
 * model.h: everything the UI shows, as data: windows, contacts, prompts and
 * the connection's state, updated from core events (model_event) and by
 * the UI's own actions. Which regions changed is kept as dirty bits for the
 * one paint per loop turn. No curses here.
 */
#ifndef WARD_UI_MODEL_H
#define WARD_UI_MODEL_H

#include <stdint.h>

#include "model/people.h"
#include "model/prompts.h"
#include "model/win.h"

struct event;

/* Regions of the screen to repaint. */
#define MD_TOP 0x01    /* top line: account, connection security, list */
#define MD_CHAT 0x02   /* the message area */
#define MD_PANE 0x04   /* contacts / occupants pane */
#define MD_SEC 0x08    /* the conversation security line */
#define MD_INPUT 0x10  /* the input line */
#define MD_PROMPT 0x20 /* the prompt box */
#define MD_ALL 0xff

struct model_conn {
	char *state; /* "offline", "connecting", "online" */
	char *jid;   /* full JID once connected */
	char *tls, *cipher, *dnssec, *dane, *sasl, *cb, *auth_by, *key_pin;
};

/* One /search result, for /goto (apply_search.c). */
struct search_hit {
	char *account, *with, *body, *id;
	int64_t ts;
	int room;
};
#define MODEL_SEARCH_MAX 500

struct model {
	struct winlist wl;
	struct people contacts;
	struct prompts pq;
	struct model_conn conn;
	char *account;     /* the current account's name */
	char *own_jid;     /* its bare JID (from the config) */
	int show_accounts; /* several accounts: each window names its own */
	unsigned dirty;    /* MD_* */
	int bell;          /* a private message or mention arrived */
	int64_t now;       /* wall ms, set by the caller per event */
	/* a room the user asked to join: shown when its window opens */
	char *switch_to;
	/* message requests announced this run (apply_req.c) */
	char **req_seen;
	size_t nreq_seen;
	/* the results of the last /search, numbered from 1 */
	struct search_hit *hits;
	size_t nhits;
	int search_open; /* results are coming (no search-end yet) */
};

void model_init(struct model *m, const char *account, const char *own_jid,
		size_t max_lines);
void model_free(struct model *m);
/* Applies one core event. */
void model_event(struct model *m, const struct event *ev);
/* A line from the UI itself into window w (or the current one). */
void model_note(struct model *m, struct uiwin *w, enum line_kind kind,
		const char *text);
/* The window a JID's messages go to (room, private chat or chat), opened
 * when open is set. jid may be full. */
struct uiwin *model_window_for(struct model *m, const char *account,
			       const char *jid, int groupchat, int open);
/* Switches to window i and marks what must be repainted. */
void model_select(struct model *m, size_t i);
/* /goto N: opens search result N's conversation and pages history in
 * until the hit is shown; NULL, or why not. */
const char *model_search_goto(struct model *m, size_t n);
/* Forgets the results (a new /search starts). */
void model_search_clear(struct model *m);

/* The body part of a line's text (without a reply's quote or the
 * reactions, apply_edit.c): a pointer into TEXT, *LEN bytes. */
const char *model_line_body(const struct line *l, const char *text,
			    size_t *len);

#endif
