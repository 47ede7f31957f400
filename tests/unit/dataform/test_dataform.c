/*
 * test_dataform.c: unit tests for XEP-0004 data forms (src/feat/dataform.c):
 * a room configuration form parsed through ward's own stream parser, edited
 * and submitted back; hostile forms (huge, nested, duplicated vars, unknown
 * types, over-long values, several values in a single field, no type).
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <strophe.h>

#include "dataform.h"
#include "ward.h"
#include "xmlstream.h"

#define HDR                                                                    \
	"<stream:stream xmlns='jabber:client' "                                \
	"xmlns:stream='http://etherx.jabber.org/streams' id='s1' "             \
	"from='example.test' version='1.0'>"

static xmpp_ctx_t *ctx;

static void
keep_stanza(void *arg, xmpp_stanza_t *st)
{
	xmpp_stanza_t **out = arg;

	if (*out == NULL)
		*out = xmpp_stanza_copy(st);
}

/* Parses XML (one top-level element) as ward's stream would receive it. */
static xmpp_stanza_t *
parse(const char *xml)
{
	struct xmlstream_cbs cbs = {.stanza = keep_stanza};
	xmpp_stanza_t *st = NULL;
	struct xmlstream *xs = xmlstream_new(ctx, &cbs, &st);

	assert_non_null(xs);
	assert_int_equal(xmlstream_feed(xs, HDR, strlen(HDR)), WARD_OK);
	assert_int_equal(xmlstream_feed(xs, xml, strlen(xml)), WARD_OK);
	xmlstream_free(xs);
	assert_non_null(st);
	return st;
}

/* The form inside <message><x xmlns='jabber:x:data' ...>INNER</x>. */
static struct dataform *
form_of(const char *xattrs, const char *inner)
{
	char *xml;
	xmpp_stanza_t *st, *x;
	struct dataform *f;

	xasprintf(&xml, "<message><x xmlns='jabber:x:data' %s>%s</x></message>",
		  xattrs, inner);
	st = parse(xml);
	free(xml);
	x = xmpp_stanza_get_child_by_name(st, "x");
	f = dataform_parse(ctx, x);
	xmpp_stanza_release(st);
	return f;
}

#define ROOMCONFIG                                                             \
	"<title>Configuration for lobby</title>"                               \
	"<instructions>Complete this form</instructions>"                      \
	"<field type='hidden' var='FORM_TYPE'><value>"                         \
	"http://jabber.org/protocol/muc#roomconfig</value></field>"            \
	"<field type='fixed'><value>Room settings</value></field>"             \
	"<field type='text-single' var='muc#roomconfig_roomname' "             \
	"label='Title'><value>Lobby</value></field>"                           \
	"<field type='boolean' var='muc#roomconfig_membersonly' "              \
	"label='Members only'><value>0</value></field>"                        \
	"<field type='list-single' var='muc#roomconfig_whois' label='Who'>"    \
	"<value>moderators</value><option label='Moderators'><value>"          \
	"moderators</value></option><option label='Anyone'><value>anyone"      \
	"</value></option></field>"                                            \
	"<field type='jid-multi' var='muc#roomconfig_roomadmins'>"             \
	"<value>a@x.test</value><value>b@x.test</value></field>"               \
	"<field type='text-private' var='muc#roomconfig_roomsecret'>"          \
	"<required/><desc>the password</desc></field>"                         \
	"<field type='text-multi' var='muc#roomconfig_roomdesc'>"              \
	"<value>line 1</value><value>line 2</value></field>"

static void
test_roomconfig(void **state)
{
	struct dataform *f = form_of("type='form'", ROOMCONFIG);
	struct df_field *fl;

	(void)state;
	assert_non_null(f);
	assert_string_equal(f->type, "form");
	assert_string_equal(f->title, "Configuration for lobby");
	assert_string_equal(f->instructions, "Complete this form");
	assert_int_equal(f->nfields, 8);
	assert_int_equal(f->dropped, 0);
	assert_null(f->fields[1].var); /* the fixed one */
	assert_int_equal(f->fields[1].type, DF_FIXED);
	fl = dataform_field(f, "muc#roomconfig_whois");
	assert_non_null(fl);
	assert_int_equal(fl->type, DF_LIST_SINGLE);
	assert_int_equal(fl->noptions, 2);
	assert_string_equal(fl->options[1].label, "Anyone");
	assert_string_equal(fl->options[1].value, "anyone");
	fl = dataform_field(f, "muc#roomconfig_roomadmins");
	assert_int_equal(fl->nvalues, 2);
	fl = dataform_field(f, "muc#roomconfig_roomsecret");
	assert_true(fl->required);
	assert_string_equal(fl->desc, "the password");
	assert_int_equal(fl->nvalues, 0);
	assert_string_equal(dataform_type_name(fl->type), "text-private");
	dataform_free(f);
}

static void
test_set_checks(void **state)
{
	struct dataform *f = form_of("type='form'", ROOMCONFIG);
	const char *why = NULL;
	const char *one[] = {"yes"}, *bad[] = {"maybe"}, *two[] = {"a", "b"};
	const char *who[] = {"anyone"}, *nowho[] = {"everybody"};
	const char *jids[] = {"c@x.test", "d@x.test", "e@x.test"};
	const char *badjid[] = {"@@"};

	(void)state;
	assert_int_equal(
	    dataform_set(f, "muc#roomconfig_membersonly", one, 1, &why), 0);
	assert_string_equal(
	    dataform_field(f, "muc#roomconfig_membersonly")->values[0], "1");
	assert_int_equal(
	    dataform_set(f, "muc#roomconfig_membersonly", bad, 1, &why), -1);
	assert_non_null(why);
	assert_int_equal(
	    dataform_set(f, "muc#roomconfig_roomname", two, 2, &why), -1);
	assert_int_equal(
	    dataform_set(f, "muc#roomconfig_whois", nowho, 1, &why), -1);
	assert_int_equal(dataform_set(f, "muc#roomconfig_whois", who, 1, &why),
			 0);
	assert_int_equal(dataform_set(f, "FORM_TYPE", who, 1, &why), -1);
	assert_int_equal(dataform_set(f, "nonexistent", who, 1, &why), -1);
	assert_int_equal(
	    dataform_set(f, "muc#roomconfig_roomadmins", jids, 3, &why), 0);
	assert_int_equal(
	    dataform_set(f, "muc#roomconfig_roomadmins", badjid, 1, &why), -1);
	/* a refused edit changed nothing */
	assert_int_equal(
	    dataform_field(f, "muc#roomconfig_roomadmins")->nvalues, 3);
	dataform_free(f);
}

/* Submitted, serialised and parsed back: every field with a var, with the
 * edited values; the fixed field left out. */
static void
test_submit_roundtrip(void **state)
{
	struct dataform *f = form_of("type='form'", ROOMCONFIG), *g;
	const char *name[] = {"New <name> & \"more\""}, *why;
	xmpp_stanza_t *x, *msg, *back;
	char *buf;
	size_t len;

	(void)state;
	assert_int_equal(
	    dataform_set(f, "muc#roomconfig_roomname", name, 1, &why), 0);
	x = dataform_submit(ctx, f);
	msg = xmpp_message_new(ctx, NULL, "room@x.test", "id1");
	xmpp_stanza_add_child(msg, x);
	xmpp_stanza_release(x);
	assert_int_equal(xmpp_stanza_to_text(msg, &buf, &len), 0);
	xmpp_stanza_release(msg);
	back = parse(buf);
	xmpp_free(ctx, buf);
	g = dataform_parse(ctx, xmpp_stanza_get_child_by_name(back, "x"));
	assert_non_null(g);
	assert_string_equal(g->type, "submit");
	assert_int_equal(g->nfields, 7);
	assert_string_equal(
	    dataform_field(g, "muc#roomconfig_roomname")->values[0], name[0]);
	assert_string_equal(dataform_field(g, "FORM_TYPE")->values[0],
			    "http://jabber.org/protocol/muc#roomconfig");
	assert_int_equal(dataform_field(g, "muc#roomconfig_roomdesc")->nvalues,
			 2);
	assert_int_equal(
	    dataform_field(g, "muc#roomconfig_roomsecret")->nvalues, 0);
	dataform_free(g);
	xmpp_stanza_release(back);
	/* an instant room: an empty submission */
	x = dataform_submit(ctx, NULL);
	assert_null(xmpp_stanza_get_children(x));
	assert_string_equal(xmpp_stanza_get_type(x), "submit");
	xmpp_stanza_release(x);
	dataform_free(f);
}

static void
test_not_a_form(void **state)
{
	xmpp_stanza_t *st;

	(void)state;
	assert_null(form_of("", "<field var='a'/>"));             /* no type */
	assert_null(form_of("type='weird'", "<field var='a'/>")); /* bad type */
	st = parse("<message><x xmlns='other:ns' type='form'/></message>");
	assert_null(
	    dataform_parse(ctx, xmpp_stanza_get_child_by_name(st, "x")));
	xmpp_stanza_release(st);
	assert_null(dataform_parse(ctx, NULL));
}

/* Duplicated vars: the first counts; unknown types are kept, never set. */
static void
test_duplicates_unknown(void **state)
{
	struct dataform *f = form_of(
	    "type='form'",
	    "<field var='a' type='text-single'><value>first</value></field>"
	    "<field var='a' type='boolean'><value>1</value></field>"
	    "<field var='b' type='x-evil'><value>1</value><value>2</value>"
	    "</field>"
	    "<field var='c'><value>no type: text-single</value></field>"
	    "<field type='text-single'><value>no var</value></field>"
	    "<field var='d' type='text-single'><value>1</value><value>2</value>"
	    "</field>");
	const char *why, *v[] = {"x"};

	(void)state;
	assert_non_null(f);
	assert_int_equal(f->nfields, 3);
	assert_int_equal(f->dropped, 3); /* dup a, no var, d with 2 values */
	assert_null(dataform_field(f, "d"));
	assert_string_equal(dataform_field(f, "a")->values[0], "first");
	assert_int_equal(dataform_field(f, "b")->type, DF_UNKNOWN);
	assert_int_equal(dataform_set(f, "b", v, 1, &why), -1);
	assert_int_equal(dataform_field(f, "c")->type, DF_TEXT_SINGLE);
	assert_int_equal(dataform_set(f, "c", v, 1, &why), 0);
	dataform_free(f);
}

/* Nested elements are not followed: a value's text is its own text. */
static void
test_nested(void **state)
{
	struct dataform *f = form_of(
	    "type='form'",
	    "<field var='a'><value>outer<x xmlns='jabber:x:data' type='form'>"
	    "<field var='inner'><value>no</value></field></x>tail</value>"
	    "<option><value><value>deep</value></value></option></field>"
	    "<reported><field var='r'/></reported><item><field var='i'/>"
	    "</item><field var='b'><media><uri>http://x</uri></media></field>");
	struct df_field *fl;

	(void)state;
	assert_non_null(f);
	assert_int_equal(f->nfields, 2);
	assert_null(dataform_field(f, "inner"));
	assert_null(dataform_field(f, "r"));
	assert_null(dataform_field(f, "i"));
	fl = dataform_field(f, "a");
	assert_string_equal(fl->values[0], "outertail");
	assert_int_equal(fl->noptions, 1);
	assert_string_equal(fl->options[0].value, "");
	dataform_free(f);
}

/* Huge: more fields, values and options than the limits; over-long text. */
static void
test_huge(void **state)
{
	size_t cap = 300000, n = 0, i;
	char *inner = malloc(cap), *big = malloc(DATAFORM_MAX_TEXT + 2);
	struct dataform *f;
	struct df_field *fl;

	(void)state;
	assert_non_null(inner);
	assert_non_null(big);
	for (i = 0; i < 300; i++)
		n += (size_t)snprintf(inner + n, cap - n, "<field var='f%zu'/>",
				      i);
	f = form_of("type='form'", inner);
	assert_int_equal(f->nfields, DATAFORM_MAX_FIELDS);
	assert_int_equal(f->dropped, 300 - DATAFORM_MAX_FIELDS);
	dataform_free(f);

	n = (size_t)snprintf(inner, cap, "<field var='m' type='list-multi'>");
	for (i = 0; i < DATAFORM_MAX_VALUES + 1; i++)
		n += (size_t)snprintf(inner + n, cap - n, "<value>%zu</value>",
				      i);
	n += (size_t)snprintf(inner + n, cap - n,
			      "</field><field var='o' type='list-single'>");
	for (i = 0; i < DATAFORM_MAX_OPTIONS; i++)
		n += (size_t)snprintf(inner + n, cap - n,
				      "<option><value>%zu</value></option>", i);
	n += (size_t)snprintf(inner + n, cap - n, "</field>");
	memset(big, 'A', DATAFORM_MAX_TEXT + 1);
	big[DATAFORM_MAX_TEXT + 1] = '\0';
	n += (size_t)snprintf(inner + n, cap - n,
			      "<field var='long'><value>%s</value></field>"
			      "<title>%s</title>",
			      big, big);
	f = form_of("type='form'", inner);
	assert_non_null(f);
	assert_null(dataform_field(f, "m")); /* too many values */
	fl = dataform_field(f, "o");
	assert_non_null(fl);
	assert_int_equal(fl->noptions, DATAFORM_MAX_OPTIONS);
	assert_null(dataform_field(f, "long")); /* value too long */
	assert_null(f->title);                  /* title too long: none */
	assert_int_equal(f->dropped, 2);
	dataform_free(f);
	free(inner);
	free(big);
}

static int
setup(void **state)
{
	(void)state;
	xmpp_initialize();
	ctx = xmpp_ctx_new(NULL, NULL);
	return ctx == NULL;
}

static int
teardown(void **state)
{
	(void)state;
	xmpp_ctx_free(ctx);
	xmpp_shutdown();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_roomconfig),
	    cmocka_unit_test(test_set_checks),
	    cmocka_unit_test(test_submit_roundtrip),
	    cmocka_unit_test(test_not_a_form),
	    cmocka_unit_test(test_duplicates_unknown),
	    cmocka_unit_test(test_nested),
	    cmocka_unit_test(test_huge),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
