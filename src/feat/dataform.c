/*
 * dataform.c: XEP-0004 data forms (dataform.h): a bounded parser of what a
 * peer sends, checked edits, and the submission sent back.
 */
#include <stdlib.h>
#include <string.h>

#include "dataform.h"
#include "jid.h"
#include "stanza.h"
#include "ward.h"

static const char *const df_names[] = {
    [DF_TEXT_SINGLE] = "text-single", [DF_TEXT_PRIVATE] = "text-private",
    [DF_TEXT_MULTI] = "text-multi",   [DF_BOOLEAN] = "boolean",
    [DF_LIST_SINGLE] = "list-single", [DF_LIST_MULTI] = "list-multi",
    [DF_JID_SINGLE] = "jid-single",   [DF_JID_MULTI] = "jid-multi",
    [DF_HIDDEN] = "hidden",           [DF_FIXED] = "fixed",
    [DF_UNKNOWN] = "unknown",
};

const char *
dataform_type_name(enum df_type t)
{
	return t <= DF_UNKNOWN ? df_names[t] : "unknown";
}

int
dataform_type_multi(enum df_type t)
{
	return t == DF_TEXT_MULTI || t == DF_LIST_MULTI || t == DF_JID_MULTI;
}

static enum df_type
df_type_of(const char *s)
{
	size_t i;

	if (s == NULL)
		return DF_TEXT_SINGLE;
	for (i = 0; i < DF_UNKNOWN; i++)
		if (strcmp(s, df_names[i]) == 0)
			return (enum df_type)i;
	return DF_UNKNOWN;
}

/* The text of element E (all its text children), malloc'd; NULL when it
 * is longer than DATAFORM_MAX_TEXT. */
static char *
df_text(xmpp_stanza_t *e)
{
	xmpp_stanza_t *c;
	size_t len = 0, n;
	char *out = xstrdup(""), *t;
	const char *p;

	for (c = xmpp_stanza_get_children(e); c != NULL;
	     c = xmpp_stanza_get_next(c)) {
		if (!xmpp_stanza_is_text(c) ||
		    (p = xmpp_stanza_get_text_ptr(c)) == NULL)
			continue;
		n = strlen(p);
		if (len + n > DATAFORM_MAX_TEXT) {
			free(out);
			return NULL;
		}
		t = xrealloc(out, len + n + 1);
		memcpy(t + len, p, n + 1);
		out = t;
		len += n;
	}
	return out;
}

/* An attribute copied, or NULL (absent or too long). */
static char *
df_attr(xmpp_stanza_t *e, const char *name)
{
	const char *v = xmpp_stanza_get_attribute(e, name);

	if (v == NULL || strlen(v) > DATAFORM_MAX_TEXT)
		return NULL;
	return xstrdup(v);
}

static void
df_field_clear(struct df_field *fl)
{
	size_t i;

	free(fl->var);
	free(fl->label);
	free(fl->desc);
	for (i = 0; i < fl->nvalues; i++)
		free(fl->values[i]);
	free(fl->values);
	for (i = 0; i < fl->noptions; i++) {
		free(fl->options[i].label);
		free(fl->options[i].value);
	}
	free(fl->options);
	memset(fl, 0, sizeof(*fl));
}

void
dataform_free(struct dataform *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->nfields; i++)
		df_field_clear(&f->fields[i]);
	free(f->fields);
	free(f->type);
	free(f->title);
	free(f->instructions);
	free(f);
}

static int
df_is(xmpp_stanza_t *c, const char *name)
{
	return xmpp_stanza_is_tag(c) &&
	       strcmp(xmpp_stanza_get_name(c), name) == 0;
}

static void
df_push_value(struct df_field *fl, char *v)
{
	fl->values =
	    xrealloc(fl->values, (fl->nvalues + 1) * sizeof(*fl->values));
	fl->values[fl->nvalues++] = v;
}

/* Reads one <field/> into FL. 0, or -1 when it breaks a limit. */
static int
df_read_field(xmpp_stanza_t *e, struct df_field *fl)
{
	xmpp_stanza_t *c, *v;
	char *text;
	struct df_option *o;

	memset(fl, 0, sizeof(*fl));
	fl->type = df_type_of(xmpp_stanza_get_attribute(e, "type"));
	fl->var = df_attr(e, "var");
	fl->label = df_attr(e, "label");
	for (c = xmpp_stanza_get_children(e); c != NULL;
	     c = xmpp_stanza_get_next(c)) {
		if (df_is(c, "value")) {
			if (fl->nvalues >= DATAFORM_MAX_VALUES ||
			    (text = df_text(c)) == NULL)
				return -1;
			df_push_value(fl, text);
		} else if (df_is(c, "required")) {
			fl->required = 1;
		} else if (df_is(c, "desc") && fl->desc == NULL) {
			fl->desc = df_text(c); /* too long: none */
		} else if (df_is(c, "option")) {
			v = xmpp_stanza_get_child_by_name(c, "value");
			if (v == NULL)
				continue; /* an option needs a value */
			if (fl->noptions >= DATAFORM_MAX_OPTIONS ||
			    (text = df_text(v)) == NULL)
				return -1;
			fl->options =
			    xrealloc(fl->options,
				     (fl->noptions + 1) * sizeof(*fl->options));
			o = &fl->options[fl->noptions++];
			o->value = text;
			o->label = df_attr(c, "label");
		}
		/* anything else (media, validation, nested elements) is
		 * not read: never followed */
	}
	/* a single-valued field with several values is malformed (without a
	 * type, as in a submission, the values decide) */
	if (xmpp_stanza_get_attribute(e, "type") != NULL &&
	    !dataform_type_multi(fl->type) && fl->type != DF_FIXED &&
	    fl->type != DF_UNKNOWN && fl->nvalues > 1)
		return -1;
	/* only a fixed field may go without a var */
	if (fl->var == NULL && fl->type != DF_FIXED)
		return -1;
	return 0;
}

struct df_field *
dataform_field(struct dataform *f, const char *var)
{
	size_t i;

	for (i = 0; f != NULL && var != NULL && i < f->nfields; i++)
		if (f->fields[i].var != NULL &&
		    strcmp(f->fields[i].var, var) == 0)
			return &f->fields[i];
	return NULL;
}

struct dataform *
dataform_parse(xmpp_ctx_t *ctx, xmpp_stanza_t *x)
{
	static const char *const types[] = {"form", "submit", "cancel",
					    "result"};
	struct dataform *f;
	struct df_field fl;
	xmpp_stanza_t *c;
	const char *type, *ns;
	size_t i;
	char *t;

	(void)ctx;
	if (x == NULL || !xmpp_stanza_is_tag(x) ||
	    strcmp(xmpp_stanza_get_name(x), "x") != 0 ||
	    (ns = xmpp_stanza_get_ns(x)) == NULL || strcmp(ns, NS_DATA) != 0 ||
	    (type = xmpp_stanza_get_type(x)) == NULL)
		return NULL;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(type, types[i]) == 0)
			break;
	if (i == sizeof(types) / sizeof(types[0]))
		return NULL;
	f = xcalloc(1, sizeof(*f));
	f->type = xstrdup(type);
	for (c = xmpp_stanza_get_children(x); c != NULL;
	     c = xmpp_stanza_get_next(c)) {
		if (df_is(c, "title") && f->title == NULL) {
			f->title = df_text(c);
		} else if (df_is(c, "instructions")) {
			if (f->instructions != NULL || (t = df_text(c)) == NULL)
				continue; /* the first one only */
			f->instructions = t;
		} else if (df_is(c, "field")) {
			if (f->nfields >= DATAFORM_MAX_FIELDS ||
			    df_read_field(c, &fl) != 0 ||
			    dataform_field(f, fl.var) != NULL) {
				/* over the limit, malformed, or a var seen
				 * before (the first one counts) */
				if (f->nfields < DATAFORM_MAX_FIELDS)
					df_field_clear(&fl);
				f->dropped++;
				continue;
			}
			f->fields = xrealloc(f->fields, (f->nfields + 1) *
							    sizeof(*f->fields));
			f->fields[f->nfields++] = fl;
		}
		/* <reported/> and <item/> (results) are not read */
	}
	return f;
}

static int
df_option_ok(const struct df_field *fl, const char *v)
{
	size_t i;

	if (fl->noptions == 0)
		return 1; /* an open list */
	for (i = 0; i < fl->noptions; i++)
		if (strcmp(fl->options[i].value, v) == 0)
			return 1;
	return 0;
}

static const char *
df_bool(const char *v)
{
	if (!strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "yes") ||
	    !strcmp(v, "on"))
		return "1";
	if (!strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "no") ||
	    !strcmp(v, "off"))
		return "0";
	return NULL;
}

int
dataform_set(struct dataform *f, const char *var, const char *const *v,
	     size_t n, const char **why)
{
	struct df_field *fl = dataform_field(f, var);
	struct jid j;
	size_t i;

	if (fl == NULL) {
		*why = "no such field";
		return -1;
	}
	if (fl->type == DF_FIXED || fl->type == DF_HIDDEN ||
	    fl->type == DF_UNKNOWN) {
		*why = "this field cannot be changed";
		return -1;
	}
	if (n > 1 && !dataform_type_multi(fl->type)) {
		*why = "this field takes one value";
		return -1;
	}
	if (n > DATAFORM_MAX_VALUES) {
		*why = "too many values";
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (strlen(v[i]) > DATAFORM_MAX_TEXT) {
			*why = "value too long";
			return -1;
		}
		if (fl->type == DF_BOOLEAN && df_bool(v[i]) == NULL) {
			*why = "a boolean is 1, 0, true or false";
			return -1;
		}
		if ((fl->type == DF_LIST_SINGLE || fl->type == DF_LIST_MULTI) &&
		    !df_option_ok(fl, v[i])) {
			*why = "not one of the field's options";
			return -1;
		}
		if (fl->type == DF_JID_SINGLE || fl->type == DF_JID_MULTI) {
			if (jid_parse(v[i], &j) != WARD_OK) {
				*why = "not a valid JID";
				return -1;
			}
			jid_clear(&j);
		}
	}
	for (i = 0; i < fl->nvalues; i++)
		free(fl->values[i]);
	fl->nvalues = 0;
	for (i = 0; i < n; i++)
		df_push_value(
		    fl, xstrdup(fl->type == DF_BOOLEAN ? df_bool(v[i]) : v[i]));
	return 0;
}

static xmpp_stanza_t *
df_x(xmpp_ctx_t *ctx, const char *type)
{
	xmpp_stanza_t *x = stanza_elem(ctx, "x", NS_DATA);

	xmpp_stanza_set_type(x, type);
	return x;
}

xmpp_stanza_t *
dataform_submit(xmpp_ctx_t *ctx, const struct dataform *f)
{
	xmpp_stanza_t *x = df_x(ctx, "submit"), *e;
	const struct df_field *fl;
	size_t i, k;

	for (i = 0; f != NULL && i < f->nfields; i++) {
		fl = &f->fields[i];
		if (fl->var == NULL || fl->type == DF_FIXED)
			continue;
		e = stanza_elem(ctx, "field", NULL);
		xmpp_stanza_set_attribute(e, "var", fl->var);
		for (k = 0; k < fl->nvalues; k++)
			stanza_add_text_child(e, "value", fl->values[k]);
		stanza_adopt(x, e);
	}
	return x;
}

xmpp_stanza_t *
dataform_cancel(xmpp_ctx_t *ctx)
{
	return df_x(ctx, "cancel");
}
