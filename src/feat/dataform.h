/*
 * dataform.h: XEP-0004 data forms, read from a hostile peer and written
 * back. The parser keeps what it understands within fixed limits (fields,
 * values, options, bytes), drops duplicated vars after the first, keeps a
 * field of an unknown type read-only, and never follows nested elements
 * beyond the ones XEP-0004 defines. A form is edited with dataform_set()
 * (values checked against the field's type and options) and sent back as
 * a submission.
 */
#ifndef WARD_DATAFORM_H
#define WARD_DATAFORM_H

#include <stddef.h>
#include <strophe.h>

#define NS_DATA "jabber:x:data"

#define DATAFORM_MAX_FIELDS 256
#define DATAFORM_MAX_VALUES 256  /* per field */
#define DATAFORM_MAX_OPTIONS 256 /* per field */
#define DATAFORM_MAX_TEXT 4096   /* bytes of one value, label, title... */

enum df_type {
	DF_TEXT_SINGLE, /* also a field without a type (XEP-0004 3.3) */
	DF_TEXT_PRIVATE,
	DF_TEXT_MULTI,
	DF_BOOLEAN,
	DF_LIST_SINGLE,
	DF_LIST_MULTI,
	DF_JID_SINGLE,
	DF_JID_MULTI,
	DF_HIDDEN,
	DF_FIXED,
	DF_UNKNOWN, /* a type XEP-0004 does not define: shown, never set */
};

struct df_option {
	char *label; /* NULL: none */
	char *value;
};

struct df_field {
	char *var; /* NULL only for a fixed field */
	char *label, *desc;
	enum df_type type;
	int required;
	char **values;
	size_t nvalues;
	struct df_option *options;
	size_t noptions;
};

struct dataform {
	char *type; /* form, submit, cancel or result */
	char *title, *instructions;
	struct df_field *fields;
	size_t nfields;
	size_t dropped; /* fields left out: duplicated var, no var, limits */
};

/* Reads X (<x xmlns='jabber:x:data'/>). NULL when X is not a data form
 * (wrong name or namespace, or no valid type). */
struct dataform *dataform_parse(xmpp_ctx_t *ctx, xmpp_stanza_t *x);
void dataform_free(struct dataform *f);

/* The field called VAR, or NULL. */
struct df_field *dataform_field(struct dataform *f, const char *var);
/* XEP-0004 name of a type ("text-single"...; "unknown"). */
const char *dataform_type_name(enum df_type t);
/* 1 when the field takes several values. */
int dataform_type_multi(enum df_type t);

/*
 * Sets VAR's values (N of them). Checked: the field exists and may be set
 * (not fixed, hidden or of an unknown type), one value unless the type is
 * multi, booleans are 0/1/true/false (stored as "1" or "0"), list values
 * are among the options, JIDs parse, each value fits DATAFORM_MAX_TEXT.
 * 0 on success; -1 with a static reason in *why.
 */
int dataform_set(struct dataform *f, const char *var, const char *const *v,
		 size_t n, const char **why);

/* <x xmlns='jabber:x:data' type='submit'/> with every field that has a
 * var and its values (caller releases). With F NULL: an empty submission
 * (XEP-0045 10.1.2: an instant room). */
xmpp_stanza_t *dataform_submit(xmpp_ctx_t *ctx, const struct dataform *f);
/* <x xmlns='jabber:x:data' type='cancel'/> (caller releases). */
xmpp_stanza_t *dataform_cancel(xmpp_ctx_t *ctx);

#endif
