/*
 * muc_config.c: a room's owner use cases (XEP-0045 10): the configuration
 * form (XEP-0004, dataform.c) fetched, shown as `room-config` events,
 * edited field by field, submitted or cancelled; a reserved room created
 * with the form (or an instant room); a room destroyed. The form waits in
 * the room's slot (muc.c) until it is submitted or cancelled; the room
 * decides, and its refusals are reported as they came.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "core.h"
#include "dataform.h"
#include "event.h"
#include "stanza.h"
#include "ward.h"

#define NS_MUC_OWNER "http://jabber.org/protocol/muc#owner"

/* A condition of an IQ error, for people. */
static const char *
cfg_error_name(xmpp_stanza_t *reply)
{
	const char *cond = stanza_error_condition(reply);

	return cond != NULL ? cond : "error";
}

static int
cfg_is_result(xmpp_stanza_t *reply)
{
	const char *type = reply ? xmpp_stanza_get_type(reply) : NULL;

	return type != NULL && strcmp(type, "result") == 0;
}

static void
cfg_state(struct account *a, const char *room, const char *state)
{
	struct event ev;

	event_init(&ev, EV_ROOM_CONFIG, a->name);
	event_str(&ev, "room", room);
	event_str(&ev, "state", state);
	event_emit(&ev);
}

/* Lines joined with '\n' (malloc'd; "" for none). */
static char *
cfg_join(char *const *v, size_t n, size_t stride)
{
	size_t i, len = 1;
	char *out, *p;
	const char *s;

	for (i = 0; i < n; i++)
		len +=
		    strlen(*(char *const *)((const char *)v + i * stride)) + 1;
	p = out = xcalloc(1, len);
	for (i = 0; i < n; i++) {
		s = *(char *const *)((const char *)v + i * stride);
		if (i > 0)
			*p++ = '\n';
		memcpy(p, s, strlen(s));
		p += strlen(s);
	}
	*p = '\0';
	return out;
}

static void
cfg_emit_field(struct account *a, const char *room, size_t index,
	       const struct df_field *fl)
{
	struct event ev;
	char *values, *opts = NULL, *labels = NULL;
	size_t i;

	values = cfg_join(fl->values, fl->nvalues, sizeof(char *));
	event_init(&ev, EV_ROOM_CONFIG, a->name);
	event_str(&ev, "room", room);
	event_str(&ev, "state", "field");
	event_int(&ev, "index", (long long)index);
	event_str(&ev, "var", fl->var);
	event_str(&ev, "type", dataform_type_name(fl->type));
	event_str(&ev, "label", fl->label);
	event_str(&ev, "desc", fl->desc);
	event_bool(&ev, "required", fl->required);
	/* a password field's value (the room's secret) is never in an event */
	if (fl->type == DF_TEXT_PRIVATE) {
		event_str(&ev, "value", NULL);
		event_bool(&ev, "is_set",
			   fl->nvalues > 0 && fl->values[0][0] != '\0');
	} else {
		event_str(&ev, "value", values);
	}
	if (fl->noptions > 0) {
		/* an option without a label is labelled by its value */
		char **l = xcalloc(fl->noptions, sizeof(*l));
		for (i = 0; i < fl->noptions; i++)
			l[i] = fl->options[i].label ? fl->options[i].label
						    : fl->options[i].value;
		opts = cfg_join(&fl->options[0].value, fl->noptions,
				sizeof(fl->options[0]));
		labels = cfg_join(l, fl->noptions, sizeof(*l));
		free(l);
		event_str(&ev, "options", opts);
		event_str(&ev, "option_labels", labels);
	}
	event_emit(&ev);
	free(values);
	free(opts);
	free(labels);
}

static void
cfg_emit_form(struct account *a, const char *room, struct dataform *f)
{
	struct event ev;
	size_t i;

	event_init(&ev, EV_ROOM_CONFIG, a->name);
	event_str(&ev, "room", room);
	event_str(&ev, "state", "form");
	event_str(&ev, "title", f->title);
	event_str(&ev, "instructions", f->instructions);
	event_int(&ev, "fields", (long long)f->nfields);
	event_int(&ev, "dropped", (long long)f->dropped);
	event_emit(&ev);
	for (i = 0; i < f->nfields; i++)
		cfg_emit_field(a, room, i, &f->fields[i]);
	cfg_state(a, room, "end");
}

/* An owner IQ (get or set) to ROOM with PAYLOAD (adopted) in its query. */
static void
cfg_send(struct account *a, const char *room, const char *type,
	 xmpp_stanza_t *payload, iq_reply_cb cb)
{
	xmpp_stanza_t *iq, *q;
	char *id = account_new_id(a);

	iq = xmpp_iq_new(a->w->ctx, type, id);
	free(id);
	xmpp_stanza_set_to(iq, room);
	q = stanza_elem(a->w->ctx, "query", NS_MUC_OWNER);
	if (payload != NULL)
		stanza_adopt(q, payload);
	stanza_adopt(iq, q);
	account_send_iq(a, iq, cb, xstrdup(room));
	xmpp_stanza_release(iq);
}

static void
cfg_form_reply(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	char *room = arg, text[300];
	struct dataform **slot = muc_config_slot(a, room), *f;
	xmpp_stanza_t *q, *x;

	if (reply == NULL || slot == NULL) {
		free(room);
		return;
	}
	q = xmpp_stanza_get_child_by_name_and_ns(reply, "query", NS_MUC_OWNER);
	x = q ? xmpp_stanza_get_child_by_name_and_ns(q, "x", NS_DATA) : NULL;
	if (!cfg_is_result(reply) ||
	    (f = dataform_parse(a->w->ctx, x)) == NULL) {
		snprintf(text, sizeof(text),
			 "%.200s gave no configuration "
			 "form: %.60s",
			 room,
			 cfg_is_result(reply) ? "not a form"
					      : cfg_error_name(reply));
		event_error(a->name, "muc-config-refused", text);
		free(room);
		return;
	}
	dataform_free(*slot);
	*slot = f;
	cfg_emit_form(a, room, f);
	free(room);
}

int
muc_config_get(struct account *a, const char *room)
{
	if (muc_config_slot(a, room) == NULL) {
		event_error(a->name, "not-in-room", "not in that room");
		return WARD_ERR_NOTFOUND;
	}
	cfg_send(a, room, "get", NULL, cfg_form_reply);
	return WARD_OK;
}

/* The form waiting for ROOM, or NULL (reported). */
static struct dataform **
cfg_pending(struct account *a, const char *room)
{
	struct dataform **slot = muc_config_slot(a, room);

	if (slot == NULL) {
		event_error(a->name, "not-in-room", "not in that room");
		return NULL;
	}
	if (*slot == NULL) {
		event_error(a->name, "muc-config-none",
			    "no configuration form "
			    "open for that room: /room config ROOM first");
		return NULL;
	}
	return slot;
}

int
muc_config_set(struct account *a, const char *room, const char *var,
	       const char *value)
{
	struct dataform **slot = cfg_pending(a, room);
	struct df_field *fl;
	const char *why, **v = NULL;
	char *copy = NULL, *save = NULL, *w, text[300];
	size_t n = 0;
	int r;

	if (slot == NULL)
		return WARD_ERR_NOTFOUND;
	if ((fl = dataform_field(*slot, var)) == NULL) {
		snprintf(text, sizeof(text), "%.200s has no field %.80s", room,
			 var);
		event_error(a->name, "muc-config-invalid", text);
		return WARD_ERR_INVAL;
	}
	/* a multi-valued list or JID field: one value per word; any other
	 * field: the rest of the line is its value (none: empty) */
	copy = xstrdup(value != NULL ? value : "");
	if (fl->type == DF_LIST_MULTI || fl->type == DF_JID_MULTI) {
		for (w = strtok_r(copy, " \t", &save); w != NULL;
		     w = strtok_r(NULL, " \t", &save)) {
			v = xrealloc(v, (n + 1) * sizeof(*v));
			v[n++] = w;
		}
	} else {
		v = xrealloc(v, sizeof(*v));
		v[n++] = copy;
	}
	r = dataform_set(*slot, var, v, n, &why);
	if (r != 0) {
		snprintf(text, sizeof(text), "%.80s: %s", var, why);
		event_error(a->name, "muc-config-invalid", text);
	} else {
		cfg_emit_field(a, room, (size_t)(fl - (*slot)->fields), fl);
	}
	if (copy != NULL)
		explicit_bzero(copy, strlen(copy)); /* maybe a password */
	free(copy);
	free(v);
	return r == 0 ? WARD_OK : WARD_ERR_INVAL;
}

static void
cfg_submit_reply(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	char *room = arg, text[300];
	struct dataform **slot = muc_config_slot(a, room);

	if (reply != NULL && cfg_is_result(reply)) {
		if (slot != NULL) {
			dataform_free(*slot);
			*slot = NULL;
		}
		cfg_state(a, room, "saved");
	} else if (reply != NULL) {
		/* the form stays open: fix it and submit again */
		snprintf(text, sizeof(text),
			 "%.200s refused the "
			 "configuration: %.60s",
			 room, cfg_error_name(reply));
		event_error(a->name, "muc-config-refused", text);
	}
	free(room);
}

int
muc_config_submit(struct account *a, const char *room)
{
	struct dataform **slot = cfg_pending(a, room);

	if (slot == NULL)
		return WARD_ERR_NOTFOUND;
	cfg_send(a, room, "set", dataform_submit(a->w->ctx, *slot),
		 cfg_submit_reply);
	return WARD_OK;
}

static void
cfg_ignore_reply(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	(void)a;
	(void)reply;
	free(arg);
}

int
muc_config_cancel(struct account *a, const char *room)
{
	struct dataform **slot = cfg_pending(a, room);

	if (slot == NULL)
		return WARD_ERR_NOTFOUND;
	dataform_free(*slot);
	*slot = NULL;
	cfg_send(a, room, "set", dataform_cancel(a->w->ctx), cfg_ignore_reply);
	cfg_state(a, room, "cancelled");
	return WARD_OK;
}

/* Our join created ROOM (status 201): it stays locked until configured. */
void
muc_config_created(struct account *a, const char *room, int instant)
{
	if (instant) /* XEP-0045 10.1.2: accept the defaults */
		cfg_send(a, room, "set", dataform_submit(a->w->ctx, NULL),
			 cfg_submit_reply);
	else /* 10.1.3: a reserved room, configured with the form */
		cfg_send(a, room, "get", NULL, cfg_form_reply);
}

static void
cfg_destroy_reply(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	char *room = arg, text[300];

	if (reply != NULL && !cfg_is_result(reply)) {
		snprintf(text, sizeof(text), "%.200s was not destroyed: %.60s",
			 room, cfg_error_name(reply));
		event_error(a->name, "muc-destroy-refused", text);
	} else if (reply != NULL) {
		cfg_state(a, room, "destroyed");
	}
	free(room);
}

int
muc_room_destroy(struct account *a, const char *room, const char *reason)
{
	xmpp_stanza_t *d;

	if (muc_config_slot(a, room) == NULL) {
		event_error(a->name, "not-in-room", "not in that room");
		return WARD_ERR_NOTFOUND;
	}
	d = stanza_elem(a->w->ctx, "destroy", NULL);
	if (reason != NULL && reason[0] != '\0')
		stanza_add_text_child(d, "reason", reason);
	cfg_send(a, room, "set", d, cfg_destroy_reply);
	return WARD_OK;
}
