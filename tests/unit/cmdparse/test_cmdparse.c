/*
 * test_cmdparse.c: the command parser on a table of the contract's
 * commands: lookup, prefixes, ambiguity, argument counts, the rest-of-line
 * argument, hostile input, and help/completion/man text from the table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cmdparse.h"
#include "ward.h"

/* The test's own context: what the handlers saw. */
struct cmd_ctx {
	const char *ran;
	int argc;
	char *argv[CMD_MAX_ARGS + 1];
};

static int
record(struct cmd_ctx *ctx, const char *name, int argc, char **argv)
{
	int i;

	ctx->ran = name;
	ctx->argc = argc;
	for (i = 0; i <= argc; i++)
		ctx->argv[i] = argv[i];
	return WARD_OK;
}

#define HANDLER(n)                                                             \
	static int exec_##n(struct cmd_ctx *ctx, int argc, char **argv)        \
	{                                                                      \
		return record(ctx, #n, argc, argv);                            \
	}
HANDLER(connect)
HANDLER(disconnect)
HANDLER(msg)
HANDLER(join)
HANDLER(leave)
HANDLER(accept)
HANDLER(reject)
HANDLER(reconnect)
HANDLER(security)
HANDLER(omemo)
HANDLER(quit)
HANDLER(say)

static const struct cmd_entry table[] = {
    {"connect", NULL, 0, 0, 0, "", "Connect the account", NULL, exec_connect},
    {"disconnect", NULL, 0, 0, CMD_NEEDS_CONN, NULL, "Disconnect the account",
     NULL, exec_disconnect},
    {"msg", "m", 2, 2, CMD_REST | CMD_NEEDS_CONN, "JID TEXT",
     "Send TEXT to JID",
     "TEXT is sent as typed.\n\nIt is encrypted "
     "with OMEMO unless\n.omemo off was used; see \\fIward\\fR.",
     exec_msg},
    {"join", NULL, 1, 1, CMD_REST | CMD_NEEDS_CONN, "/join ROOM@SERVICE[/NICK]",
     "Join a room", NULL, exec_join},
    {"leave", NULL, 0, 0, CMD_NEEDS_CONN, "", "Leave the current room", NULL,
     exec_leave},
    {"accept", NULL, 1, 1, CMD_CHANGES_TRUST, "ID", "Accept the prompt ID",
     NULL, exec_accept},
    {"reject", NULL, 1, 1, 0, "ID", "Reject the prompt ID", NULL, exec_reject},
    {"reconnect", NULL, 0, 0, 0, "", "Reconnect now", NULL, exec_reconnect},
    {"security", NULL, 0, 0, 0, "", "Show the connection report", NULL,
     exec_security},
    {"omemo", NULL, 2, 2, CMD_CHANGES_TRUST, "on|off JID",
     "Turn OMEMO on or off for a chat", NULL, exec_omemo},
    {"quit", "q", 0, 0, 0, "", "Quit ward", NULL, exec_quit},
    {"say", NULL, 0, -1, 0, "[WORD...]", "Echo words", NULL, exec_say},
};
#define NTABLE (sizeof(table) / sizeof(table[0]))

/* Parses s, runs the handler and returns what it saw. */
static void
run_ok(const char *s, const char *want_cmd, int want_argc, ...)
{
	struct cmd_ctx ctx = {0};
	struct cmd_call call;
	char *why = (char *)1;
	va_list ap;
	int i, r;

	r = cmd_parse(table, NTABLE, s, strlen(s), &call, &why);
	if (r != WARD_OK)
		fail_msg("\"%s\": %d %s", s, r, why ? why : "");
	assert_null(why);
	assert_int_equal(call.entry->exec(&ctx, call.argc, call.argv), 0);
	assert_string_equal(ctx.ran, want_cmd);
	assert_int_equal(ctx.argc, want_argc);
	assert_null(ctx.argv[want_argc]);
	va_start(ap, want_argc);
	for (i = 0; i < want_argc; i++)
		assert_string_equal(ctx.argv[i], va_arg(ap, const char *));
	va_end(ap);
	cmd_call_clear(&call);
	assert_null(call.argv);
	assert_null(call.entry);
}

/* Parses len bytes of s, expecting error want_r with reason want_why. */
static void
run_fail_n(const char *s, size_t len, int want_r, const char *want_why)
{
	struct cmd_call call;
	char *why = NULL;

	assert_int_equal(cmd_parse(table, NTABLE, s, len, &call, &why), want_r);
	assert_null(call.entry);
	assert_null(call.argv);
	assert_int_equal(call.argc, 0);
	assert_non_null(why);
	assert_string_equal(why, want_why);
	free(why);
}

static void
run_fail(const char *s, int want_r, const char *want_why)
{
	run_fail_n(s, strlen(s), want_r, want_why);
}

static void
test_contract_commands(void **state)
{
	(void)state;
	run_ok("/connect", "connect", 0);
	run_ok("/disconnect", "disconnect", 0);
	run_ok("/msg bob@example.test hi there", "msg", 2, "bob@example.test",
	       "hi there");
	run_ok("/join dev@conference.example.test/alice", "join", 1,
	       "dev@conference.example.test/alice");
	run_ok("/join dev@conference.example.test", "join", 1,
	       "dev@conference.example.test");
	run_ok("/leave", "leave", 0);
	run_ok("/accept 3", "accept", 1, "3");
	run_ok("/reject 4", "reject", 1, "4");
	run_ok("/security", "security", 0);
	run_ok("/omemo off bob@x", "omemo", 2, "off", "bob@x");
	run_ok("/omemo on bob@x", "omemo", 2, "on", "bob@x");
	run_ok("/quit", "quit", 0);
}

static void
test_rest_of_line_verbatim(void **state)
{
	(void)state;
	/* Leading blanks stripped, inner and trailing ones kept. */
	run_ok("/msg  bob@x \t  hi   there  ", "msg", 2, "bob@x",
	       "hi   there  ");
	run_ok("/msg bob@x /quit", "msg", 2, "bob@x", "/quit");
	run_ok("/msg bob@x a\tb", "msg", 2, "bob@x", "a\tb");
	/* A nick with spaces. */
	run_ok("/join room@muc/Big Nick", "join", 1, "room@muc/Big Nick");
	run_ok("/msg bob@x \xe2\x80\xae"
	       "evil",
	       "msg", 2, "bob@x",
	       "\xe2\x80\xae"
	       "evil");
}

static void
test_blanks_and_tabs(void **state)
{
	(void)state;
	run_ok("  /quit  ", "quit", 0);
	run_ok("\t/omemo\ton \t bob@x\t", "omemo", 2, "on", "bob@x");
}

static void
test_alias_and_prefix(void **state)
{
	(void)state;
	run_ok("/m bob@x yo", "msg", 2, "bob@x", "yo");
	run_ok("/q", "quit", 0);
	run_ok("/sec", "security", 0);
	run_ok("/conn", "connect", 0);
	run_ok("/rej 1", "reject", 1, "1");
	run_ok("/reco", "reconnect", 0);
	/* An exact name wins over a longer one it prefixes. */
	run_ok("/connect", "connect", 0);
}

static void
test_unknown_and_ambiguous(void **state)
{
	(void)state;
	run_fail("/foo", WARD_ERR_NOTFOUND, "unknown command: /foo");
	run_fail("/foo bar baz", WARD_ERR_NOTFOUND, "unknown command: /foo");
	run_fail("/re", WARD_ERR_NOTFOUND,
		 "ambiguous command: /re (could be /reject, /reconnect)");
	run_fail("/s x", WARD_ERR_NOTFOUND,
		 "ambiguous command: /s (could be /security, /say)");
	/* Case matters. */
	run_fail("/QUIT", WARD_ERR_NOTFOUND, "unknown command: /QUIT");
	/* A long name is cut in the message. */
	run_fail(
	    "/aaaaaaaaaabbbbbbbbbbccccccccccddddddddddeeeeeeeeee",
	    WARD_ERR_NOTFOUND,
	    "unknown command: /aaaaaaaaaabbbbbbbbbbccccccccccdddddddddd...");
	/* ... never in the middle of a UTF-8 sequence. */
	run_fail(
	    "/aaaaaaaaaabbbbbbbbbbccccccccccddddddddd\xc3\xa9zz",
	    WARD_ERR_NOTFOUND,
	    "unknown command: /aaaaaaaaaabbbbbbbbbbccccccccccddddddddd...");
}

static void
test_usage_errors(void **state)
{
	(void)state;
	run_fail("/msg", WARD_ERR_INVAL, "usage: /msg JID TEXT");
	run_fail("/msg bob@x", WARD_ERR_INVAL, "usage: /msg JID TEXT");
	run_fail("/msg bob@x   ", WARD_ERR_INVAL, "usage: /msg JID TEXT");
	run_fail("/quit now", WARD_ERR_INVAL, "usage: /quit");
	run_fail("/connect x", WARD_ERR_INVAL, "usage: /connect");
	run_fail("/disconnect x", WARD_ERR_INVAL, "usage: /disconnect");
	run_fail("/accept", WARD_ERR_INVAL, "usage: /accept ID");
	run_fail("/accept 1 2", WARD_ERR_INVAL, "usage: /accept ID");
	run_fail("/omemo off", WARD_ERR_INVAL, "usage: /omemo on|off JID");
	run_fail("/omemo off a b", WARD_ERR_INVAL, "usage: /omemo on|off JID");
	/* A usage written with its "/name" is not doubled. */
	run_fail("/join", WARD_ERR_INVAL, "usage: /join ROOM@SERVICE[/NICK]");
}

static void
test_empty_and_not_a_command(void **state)
{
	(void)state;
	run_fail("", WARD_ERR_INVAL, "empty command");
	run_fail("   \t ", WARD_ERR_INVAL, "empty command");
	run_fail("/", WARD_ERR_INVAL, "empty command");
	run_fail("/ quit", WARD_ERR_INVAL, "empty command");
	run_fail("hello", WARD_ERR_INVAL,
		 "not a command (commands start with /)");
}

static void
test_hostile_input(void **state)
{
	(void)state;
	run_fail("/msg bob@x \x1b[2J", WARD_ERR_INVAL,
		 "command contains a control character");
	run_fail("/quit\n", WARD_ERR_INVAL,
		 "command contains a control character");
	run_fail("/msg bob@x \x7f", WARD_ERR_INVAL,
		 "command contains a control character");
	run_fail("/msg bob@x \xc2\x9b", WARD_ERR_INVAL,
		 "command contains a control character");
	run_fail_n("/msg bob@x a\0b", 14, WARD_ERR_INVAL,
		   "command contains a control character");
	run_fail("/msg bob@x \xc0\xaf", WARD_ERR_INVAL,
		 "command is not valid UTF-8");
	run_fail("/msg bob@x \xe2\x82", WARD_ERR_INVAL,
		 "command is not valid UTF-8");
	run_fail("/msg bob@x \xed\xa0\x80", WARD_ERR_INVAL,
		 "command is not valid UTF-8");
}

static void
test_limits(void **state)
{
	char *line = malloc(CMD_MAX_LINE + 2);
	char *p;
	int i;

	(void)state;
	assert_non_null(line);
	/* The longest line is accepted, one byte more is not. */
	memcpy(line, "/msg b ", 7);
	memset(line + 7, 'x', CMD_MAX_LINE - 7);
	line[CMD_MAX_LINE] = 'x';
	line[CMD_MAX_LINE + 1] = '\0';
	run_fail_n(line, CMD_MAX_LINE + 1, WARD_ERR_LIMIT,
		   "command line too long (65536 bytes max)");
	{
		struct cmd_call call;
		char *why = NULL;

		assert_int_equal(
		    cmd_parse(table, NTABLE, line, CMD_MAX_LINE, &call, &why),
		    WARD_OK);
		assert_int_equal(strlen(call.argv[1]), CMD_MAX_LINE - 7);
		cmd_call_clear(&call);
	}
	/* 32 arguments for an unbounded command, not 33. */
	p = line + sprintf(line, "/say");
	for (i = 0; i < CMD_MAX_ARGS; i++)
		p += sprintf(p, " w%d", i);
	{
		struct cmd_call call;
		char *why = NULL;

		assert_int_equal(
		    cmd_parse(table, NTABLE, line, strlen(line), &call, &why),
		    WARD_OK);
		assert_int_equal(call.argc, CMD_MAX_ARGS);
		assert_string_equal(call.argv[31], "w31");
		assert_null(call.argv[32]);
		cmd_call_clear(&call);
	}
	sprintf(p, " w32");
	run_fail(line, WARD_ERR_INVAL, "usage: /say [WORD...]");
	free(line);
}

static void
test_why_optional(void **state)
{
	struct cmd_call call;

	(void)state;
	assert_int_equal(cmd_parse(table, NTABLE, "/nope", 5, &call, NULL),
			 WARD_ERR_NOTFOUND);
	assert_int_equal(cmd_parse(table, NTABLE, "/re", 3, &call, NULL),
			 WARD_ERR_NOTFOUND);
	assert_int_equal(cmd_parse(table, NTABLE, "/msg", 4, &call, NULL),
			 WARD_ERR_INVAL);
	assert_null(call.argv);
}

static void
test_find(void **state)
{
	const struct cmd_entry *e = NULL;
	char *why = NULL;

	(void)state;
	assert_int_equal(cmd_find(table, NTABLE, "/m", &e, &why), WARD_OK);
	assert_string_equal(e->name, "msg");
	assert_int_equal(cmd_find(table, NTABLE, "omem", &e, &why), WARD_OK);
	assert_string_equal(e->name, "omemo");
	assert_int_equal(cmd_find(table, NTABLE, "re", &e, &why),
			 WARD_ERR_NOTFOUND);
	assert_null(e);
	assert_string_equal(
	    why, "ambiguous command: /re (could be /reject, /reconnect)");
	free(why);
	/* A name with blanks is echoed only up to the first one. */
	assert_int_equal(cmd_find(table, NTABLE, "zap\tnow /quit", &e, &why),
			 WARD_ERR_NOTFOUND);
	assert_string_equal(why, "unknown command: /zap...");
	free(why);
	/* ... and never with a bidi control in it. */
	assert_int_equal(cmd_find(table, NTABLE,
				  "ab\xe2\x80\xae"
				  "cd",
				  &e, &why),
			 WARD_ERR_NOTFOUND);
	assert_string_equal(why, "unknown command: /ab...");
	free(why);
}

static void
test_complete(void **state)
{
	const char **out = NULL;
	size_t n = 99;

	(void)state;
	assert_int_equal(cmd_complete(table, NTABLE, "/re", &out, &n), WARD_OK);
	assert_int_equal(n, 2);
	assert_string_equal(out[0], "reject");
	assert_string_equal(out[1], "reconnect");
	free(out);
	assert_int_equal(cmd_complete(table, NTABLE, "d", &out, &n), WARD_OK);
	assert_int_equal(n, 1);
	assert_string_equal(out[0], "disconnect");
	free(out);
	assert_int_equal(cmd_complete(table, NTABLE, "zz", &out, &n), WARD_OK);
	assert_int_equal(n, 0);
	assert_null(out);
	assert_int_equal(cmd_complete(table, NTABLE, "", &out, &n), WARD_OK);
	assert_int_equal(n, NTABLE);
	free(out);
}

static void
test_help_list(void **state)
{
	char *h = cmd_help_text(table, NTABLE, NULL);

	(void)state;
	assert_non_null(h);
	/* One line a command, help aligned after the longest usage. */
	assert_non_null(strstr(h, "/connect                   Connect the "
				  "account\n"));
	assert_non_null(strstr(h, "\n/msg JID TEXT              Send TEXT "
				  "to JID\n"));
	assert_non_null(strstr(h, "\n/join ROOM@SERVICE[/NICK]  Join a "
				  "room\n"));
	assert_non_null(strstr(h, "\n/quit                      Quit "
				  "ward\n"));
	assert_true(strncmp(h, "/connect ", 9) == 0);
	free(h);
}

static void
test_help_one(void **state)
{
	char *h;

	(void)state;
	h = cmd_help_text(table, NTABLE, "/m");
	assert_non_null(h);
	assert_string_equal(h, "/msg JID TEXT\n"
			       "  Send TEXT to JID\n"
			       "  Alias: /m\n"
			       "  Needs a connected account.\n"
			       "\n"
			       "  TEXT is sent as typed.\n"
			       "\n"
			       "  It is encrypted with OMEMO unless\n"
			       "  .omemo off was used; see \\fIward\\fR.\n");
	free(h);
	h = cmd_help_text(table, NTABLE, "accept");
	assert_string_equal(h, "/accept ID\n"
			       "  Accept the prompt ID\n"
			       "  Changes a trust decision.\n");
	free(h);
	assert_null(cmd_help_text(table, NTABLE, "nope"));
	assert_null(cmd_help_text(table, NTABLE, "re"));
}

static void
test_man_section(void **state)
{
	char *m = cmd_man_section(table, 4);

	(void)state;
	assert_non_null(m);
	assert_string_equal(m, ".TP\n"
			       "\\fB/connect\\fR\n"
			       "Connect the account\n"
			       ".TP\n"
			       "\\fB/disconnect\\fR\n"
			       "Disconnect the account\n"
			       ".TP\n"
			       "\\fB/msg\\fR \\fIJID TEXT\\fR\n"
			       "Send TEXT to JID\n"
			       ".br\n"
			       "Alias: \\fB/m\\fR.\n"
			       ".sp\n"
			       "TEXT is sent as typed.\n"
			       ".sp\n"
			       "It is encrypted with OMEMO unless\n"
			       "\\&.omemo off was used; see \\efIward\\efR.\n"
			       ".TP\n"
			       "\\fB/join\\fR \\fIROOM@SERVICE[/NICK]\\fR\n"
			       "Join a room\n");
	free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_contract_commands),
	    cmocka_unit_test(test_rest_of_line_verbatim),
	    cmocka_unit_test(test_blanks_and_tabs),
	    cmocka_unit_test(test_alias_and_prefix),
	    cmocka_unit_test(test_unknown_and_ambiguous),
	    cmocka_unit_test(test_usage_errors),
	    cmocka_unit_test(test_empty_and_not_a_command),
	    cmocka_unit_test(test_hostile_input),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_why_optional),
	    cmocka_unit_test(test_find),
	    cmocka_unit_test(test_complete),
	    cmocka_unit_test(test_help_list),
	    cmocka_unit_test(test_help_one),
	    cmocka_unit_test(test_man_section),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
