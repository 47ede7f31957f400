/*
 * fuzz_cmdparse.c: libFuzzer harness for the command parser, on a table
 * shaped like the real one. Checks that parsing never crashes or leaks,
 * that arguments respect the table's counts and are safe text taken from
 * the line, and that every reason is one safe line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmdparse.h"
#include "ward.h"

#include "../sanitize/oracle.h"

static int
exec_none(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	return 0;
}

static const struct cmd_entry table[] = {
    {"connect", NULL, 0, 1, 0, "[ACCOUNT]", "Connect", NULL, exec_none},
    {"disconnect", NULL, 0, 0, 0, "", "Disconnect", NULL, exec_none},
    {"msg", "m", 2, 2, CMD_REST, "JID TEXT", "Send", NULL, exec_none},
    {"join", NULL, 1, 1, CMD_REST, "ROOM@SERVICE[/NICK]", "Join", NULL,
     exec_none},
    {"leave", NULL, 0, 1, 0, "[ROOM]", "Leave", NULL, exec_none},
    {"accept", NULL, 1, 1, 0, "ID", "Accept", NULL, exec_none},
    {"reject", NULL, 1, 1, 0, "ID", "Reject", NULL, exec_none},
    {"reconnect", NULL, 0, 0, 0, NULL, "Reconnect", NULL, exec_none},
    {"security", NULL, 0, 0, 0, "", "Report", "Long\n\n.help", exec_none},
    {"omemo", NULL, 2, 2, 0, "on|off JID", "OMEMO", NULL, exec_none},
    {"say", NULL, 0, -1, CMD_REST, "[WORDS...]", "Say", NULL, exec_none},
    {"quit", "q", 0, 0, 0, "", "Quit", NULL, exec_none},
};
#define NTABLE (sizeof(table) / sizeof(table[0]))

static void
check_why(const char *why)
{
	if (why == NULL)
		abort();
	if (!oracle_safe((const unsigned char *)why, strlen(why), 0, 0))
		abort();
	if (strlen(why) > 200)
		abort();
}

static void
fuzz_parse(const uint8_t *data, size_t size)
{
	const char *line = (const char *)data;
	struct cmd_call call;
	char *why = NULL;
	int i, r, max;

	r = cmd_parse(table, NTABLE, line, size, &call, &why);
	if (r != WARD_OK) {
		if (r != WARD_ERR_INVAL && r != WARD_ERR_NOTFOUND &&
		    r != WARD_ERR_LIMIT)
			abort();
		if (call.entry != NULL || call.argv != NULL)
			abort();
		check_why(why);
		free(why);
		return;
	}
	if (why != NULL || call.entry == NULL)
		abort();
	max = call.entry->max_args < 0 ? CMD_MAX_ARGS : call.entry->max_args;
	if (call.argc < call.entry->min_args || call.argc > max ||
	    call.argv[call.argc] != NULL)
		abort();
	if (!oracle_command_text(data, size))
		abort(); /* accepted a line with controls or bad UTF-8 */
	for (i = 0; i < call.argc; i++) {
		size_t n = strlen(call.argv[i]);

		if (n == 0 || !oracle_command_text(
				  (const unsigned char *)call.argv[i], n))
			abort();
		if (memmem(data, size, call.argv[i], n) == NULL)
			abort();
		/* Only a rest-of-line argument can hold blanks. */
		if (strpbrk(call.argv[i], " \t") != NULL &&
		    (!(call.entry->flags & CMD_REST) || i != max - 1))
			abort();
	}
	call.entry->exec(NULL, call.argc, call.argv);
	cmd_call_clear(&call);
}

/* The name-based helpers on a NUL-terminated copy. */
static void
fuzz_names(const uint8_t *data, size_t size)
{
	const struct cmd_entry *e;
	const char **names;
	char *s, *why = NULL, *h;
	size_t n, i;

	if (size > 256)
		size = 256;
	if ((s = malloc(size + 1)) == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	if (cmd_find(table, NTABLE, s, &e, &why) == WARD_OK) {
		if (e == NULL || why != NULL)
			abort();
	} else {
		check_why(why);
		free(why);
	}
	if (cmd_complete(table, NTABLE, s, &names, &n) != WARD_OK)
		abort();
	for (i = 0; i < n; i++)
		if (strncmp(names[i], s[0] == '/' ? s + 1 : s,
			    strlen(s[0] == '/' ? s + 1 : s)) != 0)
			abort();
	free(names);
	h = cmd_help_text(table, NTABLE, s);
	free(h);
	free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int once;

	if (!once) {
		/* Table-wide text, once: it does not depend on the input. */
		free(cmd_help_text(table, NTABLE, NULL));
		free(cmd_man_section(table, NTABLE));
		once = 1;
	}
	fuzz_parse(data, size);
	fuzz_names(data, size);
	return 0;
}
