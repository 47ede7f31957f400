/*
 * apply_form.c: a room's configuration form (room-config events) drawn in
 * the room's window as a box of fields: a top line with the title, one
 * line per field (label, var, type, value, the options), and a bottom line
 * with the commands that edit, send or drop it. A changed field is drawn
 * again as it now is. Remote text is drawn like every other line (the
 * display string sanitises it); line breaks of multi-valued fields are
 * shown as " | ".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "model/apply_priv.h"
#include "model/model.h"

/* S with every '\n' as " | " (malloc'd). */
static char *
one_line(const char *s)
{
	size_t n = 0, i;
	char *out, *o;

	for (i = 0; s[i] != '\0'; i++)
		n += s[i] == '\n' ? 3 : 1;
	o = out = malloc(n + 1);
	if (out == NULL)
		return NULL;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == '\n') {
			memcpy(o, " | ", 3);
			o += 3;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

static void
field_line(struct model *m, struct uiwin *w, const struct event *ev)
{
	const char *var = model_field(ev, "var"),
		   *type = model_field(ev, "type");
	const char *label = model_field(ev, "label");
	const char *value = model_field(ev, "value");
	const char *opts = model_field(ev, "options");
	char *v = one_line(value ? value : ""), *o = one_line(opts ? opts : "");
	char *line = NULL;
	int r;

	if (v == NULL || o == NULL || type == NULL)
		goto out;
	if (strcmp(type, "hidden") == 0)
		goto out; /* FORM_TYPE and the like: not for people */
	if (strcmp(type, "fixed") == 0)
		r = asprintf(&line, "\u2502 \u2500\u2500 %s", v);
	else if (strcmp(type, "text-private") == 0)
		r = asprintf(&line, "\u2502 %s (%s, %s): %s",
			     label ? label : var, var ? var : "", type,
			     model_field_bool(ev, "is_set") ? "(set)"
							    : "(empty)");
	else
		r = asprintf(&line, "\u2502 %s (%s, %s): %s%s%s%s",
			     label ? label : var, var ? var : "", type, v,
			     o[0] ? "  [" : "", o, o[0] ? "]" : "");
	if (r >= 0)
		model_note(m, w, LK_INFO, line);
	free(line);
out:
	free(v);
	free(o);
}

void
model_room_config(struct model *m, const struct event *ev)
{
	const char *room = model_field(ev, "room"),
		   *state = model_field(ev, "state");
	struct uiwin *w;
	char *line = NULL;
	int r = -1;

	if (room == NULL || state == NULL)
		return;
	w = winlist_find(&m->wl, WK_ROOM, ev->account, room);
	if (w == NULL)
		w = m->wl.w[0];
	if (strcmp(state, "form") == 0) {
		const char *title = model_field(ev, "title");
		const char *ins = model_field(ev, "instructions");
		r = asprintf(&line, "\u250c\u2500 configuration of %s%s%s",
			     room, title ? ": " : "", title ? title : "");
		if (r >= 0)
			model_note(m, w, LK_INFO, line);
		free(line);
		line = NULL;
		if (ins != NULL && (line = one_line(ins)) != NULL) {
			char *l2;
			if (asprintf(&l2, "\u2502 %s", line) >= 0) {
				model_note(m, w, LK_INFO, l2);
				free(l2);
			}
			free(line);
		}
		return;
	}
	if (strcmp(state, "field") == 0) {
		field_line(m, w, ev);
		return;
	}
	if (strcmp(state, "end") == 0)
		r = asprintf(&line, "\u2514\u2500 /room set FIELD VALUE to "
				    "change a field, /room submit to save, "
				    "/room cancel to drop it");
	else if (strcmp(state, "saved") == 0)
		r = asprintf(&line, "configuration of %s saved", room);
	else if (strcmp(state, "cancelled") == 0)
		r = asprintf(&line, "configuration of %s dropped", room);
	else if (strcmp(state, "destroyed") == 0)
		r = asprintf(&line, "%s destroyed", room);
	if (r >= 0) {
		model_note(m, w, LK_STATUS, line);
		free(line);
	}
}
