/*
 * cmdparse.h: the parser of ward's one command language. A table of
 * struct cmd_entry drives lookup, usage errors, /help, completion and the
 * man page's COMMANDS section; handlers never parse their own arguments.
 */
#ifndef WARD_CMDPARSE_H
#define WARD_CMDPARSE_H

#include <stddef.h>

/* Longest command line in bytes, and most positional arguments. */
#define CMD_MAX_LINE 65536
#define CMD_MAX_ARGS 32

struct cmd_ctx; /* opaque here; defined by the core */

struct cmd_entry {
	const char *name;       /* without the '/': "msg" */
	const char *alias;      /* NULL or another exact name: "m" */
	int min_args, max_args; /* positionals; max_args < 0: CMD_MAX_ARGS */
	int flags;
#define CMD_REST                                                               \
	0x1 /* the last positional takes the rest of the line verbatim (e.g.   \
	       /msg JID TEXT) */
#define CMD_NEEDS_CONN                                                         \
	0x2 /* the handler needs a connected account (checked by the           \
	       dispatcher) */
#define CMD_CHANGES_TRUST 0x4 /* the handler changes a trust decision */
#define CMD_FRONTEND                                                           \
	0x8 /* a frontend command: the curses UI runs it itself; the core's      \
	       handler only says it needs the UI */
	/* The arguments only, as in tmux: "JID TEXT"; "" or NULL for none.
	 * (A usage that starts with "/name" is also understood.) */
	const char *usage;
	const char
	    *help; /* one line, no final '.' needed: "Send TEXT to JID" */
	const char *long_help; /* NULL or paragraphs; '\n' separates lines */
	int (*exec)(struct cmd_ctx *ctx, int argc, char **argv);
};

/*
 * A parsed line. argv holds the positionals only (argv[0] is the first
 * argument, not the command name), argv[argc] is NULL; argv and its
 * strings are malloc'd and freed by cmd_call_clear().
 */
struct cmd_call {
	const struct cmd_entry *entry;
	int argc;
	char **argv;
};

/*
 * Parses one line ("/msg bob@x hi there"): leading spaces/tabs, then '/',
 * the command name, then words split on runs of spaces/tabs. With CMD_REST
 * the last positional is the rest of the line with leading blanks
 * stripped (trailing ones kept). Names are case-sensitive; an exact name or
 * alias wins, else a unique prefix of a name resolves.
 * Returns WARD_OK and fills *out (cleared on entry; free with
 * cmd_call_clear()), or an error with a one-line *why (may be NULL; the
 * caller frees it):
 * - WARD_ERR_NOTFOUND: "unknown command: /foo", or "ambiguous command:
 *   /re (could be /reject, /reconnect)" (names in table order);
 * - WARD_ERR_INVAL: "usage: /msg JID TEXT" (wrong number of arguments),
 *   "empty command" (blank line or a bare '/'), "not a command (commands
 *   start with /)", "command is not valid UTF-8", "command contains a
 *   control character" (any C0, DEL or C1 other than tab; so no NUL or
 *   newline either);
 * - WARD_ERR_LIMIT: "command line too long (65536 bytes max)";
 * - WARD_ERR_NOMEM (*why NULL).
 * A name echoed in *why is cut to 40 bytes ("...").
 */
int cmd_parse(const struct cmd_entry *table, size_t n, const char *line,
	      size_t len, struct cmd_call *out, char **why);

/* Frees what cmd_parse() put in c and zeroes it. */
void cmd_call_clear(struct cmd_call *c);

/*
 * Resolves a command name (a leading '/' is allowed) as cmd_parse() does.
 * *out points into the table. Errors as for cmd_parse() (NOTFOUND with
 * "unknown command" or "ambiguous command", NOMEM).
 */
int cmd_find(const struct cmd_entry *table, size_t n, const char *name,
	     const struct cmd_entry **out, char **why);

/*
 * Names (no '/') that start with prefix (a leading '/' is allowed), in
 * table order; aliases are not offered. *out is a malloc'd array of
 * pointers into the table (the caller frees the array only), NULL when
 * *nout is 0. WARD_OK or WARD_ERR_NOMEM.
 */
int cmd_complete(const struct cmd_entry *table, size_t n, const char *prefix,
		 const char ***out, size_t *nout);

/*
 * Help text, malloc'd (caller frees), every line ending in '\n'.
 * name NULL: one line a command, "/msg JID TEXT" padded, two spaces, help.
 * A name (resolved like cmd_find(), '/' optional): the usage line, then
 * the help, the alias, the flags and the long help, indented by two.
 * NULL if the name is unknown or ambiguous, or out of memory.
 */
char *cmd_help_text(const struct cmd_entry *table, size_t n, const char *name);

/*
 * The roff source of docs/ward.1's COMMANDS section (without the .SH
 * line), malloc'd, caller frees; NULL when out of memory. Per command:
 *	.TP
 *	\fB/msg\fR \fIJID TEXT\fR
 *	Help text.
 * then "Alias: \fB/m\fR." and the long help lines (an empty line becomes
 * ".sp"), with backslashes written "\e" and a line starting with '.' or
 * '\'' protected by "\&".
 */
char *cmd_man_section(const struct cmd_entry *table, size_t n);

#endif
