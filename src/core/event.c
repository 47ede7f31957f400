/*
 * event.c: building events, handing them to the subscribed frontends and
 * turning them into JSON lines (see event.h).
 */
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "json.h"
#include "ward.h"

#define EVENT_MAX_SINKS 4
static struct {
	event_sink_fn fn;
	void *arg;
} event_sinks[EVENT_MAX_SINKS];		/* global: the subscribed frontends */
static size_t event_nsinks;
static struct {
	event_flush_fn fn;
	void *arg;
} event_flushers[EVENT_MAX_SINKS];	/* global: sinks that buffer */
static size_t event_nflushers;

void
event_init(struct event *ev, enum event_kind kind, const char *account)
{
	ev->kind = kind;
	ev->account = account;
	ev->n = 0;
}

static struct event_field *
event_field(struct event *ev, const char *key, enum event_ftype type)
{
	struct event_field *f;

	if (ev->n == EVENT_MAX_FIELDS)
		return NULL;
	f = &ev->f[ev->n++];
	f->key = key;
	f->type = type;
	f->s = NULL;
	f->i = 0;
	return f;
}

void
event_str(struct event *ev, const char *key, const char *val)
{
	struct event_field *f = event_field(ev, key, EF_STR);
	if (f != NULL)
		f->s = val;
}

void
event_int(struct event *ev, const char *key, long long val)
{
	struct event_field *f = event_field(ev, key, EF_INT);
	if (f != NULL)
		f->i = val;
}

void
event_bool(struct event *ev, const char *key, int val)
{
	struct event_field *f = event_field(ev, key, EF_BOOL);
	if (f != NULL)
		f->i = val != 0;
}

int
event_subscribe(event_sink_fn fn, void *arg)
{
	if (event_nsinks == EVENT_MAX_SINKS)
		return WARD_ERR_LIMIT;
	event_sinks[event_nsinks].fn = fn;
	event_sinks[event_nsinks].arg = arg;
	event_nsinks++;
	return WARD_OK;
}

int
event_subscribe_flush(event_flush_fn fn, void *arg)
{
	if (event_nflushers == EVENT_MAX_SINKS)
		return WARD_ERR_LIMIT;
	event_flushers[event_nflushers].fn = fn;
	event_flushers[event_nflushers].arg = arg;
	event_nflushers++;
	return WARD_OK;
}

void
event_unsubscribe(void *arg)
{
	size_t i, n;

	for (i = n = 0; i < event_nsinks; i++)
		if (event_sinks[i].arg != arg)
			event_sinks[n++] = event_sinks[i];
	event_nsinks = n;
	for (i = n = 0; i < event_nflushers; i++)
		if (event_flushers[i].arg != arg)
			event_flushers[n++] = event_flushers[i];
	event_nflushers = n;
}

void
event_flush(void)
{
	size_t i;

	for (i = 0; i < event_nflushers; i++)
		event_flushers[i].fn(event_flushers[i].arg);
}

void
event_emit(const struct event *ev)
{
	size_t i;

	for (i = 0; i < event_nsinks; i++)
		event_sinks[i].fn(event_sinks[i].arg, ev);
}

const char *
event_kind_name(enum event_kind kind)
{
	switch (kind) {
	case EV_CONNECTED: return "connected";
	case EV_DISCONNECTED: return "disconnected";
	case EV_MESSAGE: return "message";
	case EV_FILE_OFFER: return "file-offer";
	case EV_TRANSFER: return "transfer";
	case EV_PRESENCE: return "presence";
	case EV_ROSTER: return "roster";
	case EV_ERROR: return "error";
	case EV_PROMPT: return "prompt";
	case EV_SECURITY: return "security";
	case EV_ACKED: return "acked";
	case EV_QUEUED: return "queued";
	case EV_INFO: return "info";
	case EV_HELP: return "help";
	case EV_ROOM: return "room";
	case EV_FINGERPRINT: return "fingerprint";
	case EV_HISTORY: return "history";
	case EV_HISTORY_END: return "history-end";
	case EV_OCCUPANT: return "occupant";
	case EV_CHAT_SECURITY: return "chat-security";
	case EV_CHATSTATE: return "chatstate";
	case EV_DELIVERY: return "delivery";
	case EV_REQUEST: return "request";
	case EV_BLOCK: return "block";
	case EV_ROOM_CONFIG: return "room-config";
	case EV_BOOKMARK: return "bookmark";
	case EV_SEARCH_RESULT: return "search-result";
	case EV_SEARCH_END: return "search-end";
	case EV_MESSAGE_EDITED: return "message-edited";
	case EV_MESSAGE_RETRACTED: return "message-retracted";
	case EV_REACTIONS: return "reactions";
	case EV_MESSAGE_VERSION: return "message-version";
	case EV_AUDIT: return "audit";
	case EV_AUDIT_END: return "audit-end";
	}
	return "unknown";
}

char *
event_to_json(const struct event *ev, size_t *len)
{
	struct json j;
	size_t i;

	json_begin(&j);
	json_str(&j, "event", event_kind_name(ev->kind));
	if (ev->account != NULL)
		json_str(&j, "account", ev->account);
	else
		json_null(&j, "account");
	for (i = 0; i < ev->n; i++) {
		const struct event_field *f = &ev->f[i];
		switch (f->type) {
		case EF_STR:
			json_str(&j, f->key, f->s);
			break;
		case EF_INT:
			json_int(&j, f->key, f->i);
			break;
		case EF_BOOL:
			json_bool(&j, f->key, (int)f->i);
			break;
		}
	}
	return json_end(&j, len);
}

void
event_error(const char *account, const char *code, const char *text)
{
	struct event ev;

	event_init(&ev, EV_ERROR, account);
	event_str(&ev, "code", code);
	event_str(&ev, "text", text);
	event_emit(&ev);
}

void
event_info(const char *account, const char *text)
{
	struct event ev;

	event_init(&ev, EV_INFO, account);
	event_str(&ev, "text", text);
	event_emit(&ev);
}
