/*
 * cmdparse.c: turns one command line into a table entry and its arguments,
 * and renders the same table as help, completions and man page text
 * (STYLE section 2). Library tier: errors are returned with a reason.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cmdparse.h"
#include "sanitize.h"
#include "ward.h"

/* Longest name echoed back in an error, in bytes. */
#define CMD_ECHO_MAX 40
/* Ceiling for generated help and man text. */
#define CMD_TEXT_MAX (1024 * 1024)

#define CMD_STR(x) #x
#define CMD_XSTR(x) CMD_STR(x)

/* Sets *why (when wanted) to a formatted reason and returns err. */
static int __attribute__((format(printf, 3, 4)))
cmd_error(char **why, int err, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (why == NULL)
		return err;
	free(*why);
	va_start(ap, fmt);
	r = vasprintf(why, fmt, ap);
	va_end(ap);
	if (r < 0)
		*why = NULL;
	return err;
}

static int
cmd_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Checks that the line is UTF-8 without controls (tab allowed). */
static int
cmd_check_text(const char *line, size_t len, char **why)
{
	const unsigned char *s = (const unsigned char *)line;
	size_t i = 0;
	uint32_t cp;

	while (i < len) {
		i += sanitize_utf8_next(s + i, len - i, &cp);
		if (cp == SANITIZE_BAD_UTF8)
			return cmd_error(why, WARD_ERR_INVAL,
					 "command is not valid UTF-8");
		if (cp != '\t' && sanitize_is_control(cp))
			return cmd_error(
			    why, WARD_ERR_INVAL,
			    "command contains a control character");
	}
	return WARD_OK;
}

/*
 * How many bytes of a (valid UTF-8) name to echo in an error: up to the
 * first blank or bidi/format control, at most CMD_ECHO_MAX, never cutting
 * a character. *cut is "..." when that is less than the whole name.
 */
static int
cmd_echo_len(const char *name, size_t len, const char **cut)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t n = 0, k;
	uint32_t cp;

	while (n < len && !cmd_is_blank(name[n])) {
		k = sanitize_utf8_next(s + n, len - n, &cp);
		if (n + k > CMD_ECHO_MAX || sanitize_is_format(cp))
			break;
		n += k;
	}
	*cut = n < len ? "..." : "";
	return (int)n;
}

/* The usage arguments of e, without a leading "/name " if the table has one. */
static const char *
cmd_usage_args(const struct cmd_entry *e)
{
	const char *u = e->usage;
	size_t nl = strlen(e->name);

	if (u == NULL)
		return "";
	if (u[0] == '/' && strncmp(u + 1, e->name, nl) == 0 &&
	    (u[1 + nl] == '\0' || cmd_is_blank(u[1 + nl]))) {
		u += 1 + nl;
		while (cmd_is_blank(*u))
			u++;
	}
	return u;
}

/* Writes "ambiguous command: /re (could be /reject, /reconnect)". */
static int
cmd_ambiguous(const struct cmd_entry *table, size_t n, const char *name,
	      size_t len, char **why)
{
	struct wbuf b;
	const char *cut;
	size_t i;
	int first = 1, echo, r = WARD_OK;

	if (why == NULL)
		return WARD_ERR_NOTFOUND;
	wbuf_init(&b, CMD_TEXT_MAX);
	for (i = 0; i < n && r == WARD_OK; i++) {
		if (strncmp(table[i].name, name, len) != 0)
			continue;
		if (!first)
			r = wbuf_puts(&b, ", ");
		if (r == WARD_OK)
			r = wbuf_puts(&b, "/");
		if (r == WARD_OK)
			r = wbuf_puts(&b, table[i].name);
		first = 0;
	}
	if (r == WARD_OK)
		r = wbuf_put(&b, "", 1);
	echo = cmd_echo_len(name, len, &cut);
	if (r != WARD_OK)
		cmd_error(why, r, "ambiguous command: /%.*s%s", echo, name,
			  cut);
	else
		cmd_error(why, r, "ambiguous command: /%.*s%s (could be %s)",
			  echo, name, cut, (const char *)wbuf_ptr(&b));
	wbuf_free(&b);
	return WARD_ERR_NOTFOUND;
}

/* Resolves name[0..len) (no '/'): exact name or alias, else unique prefix. */
static int
cmd_lookup(const struct cmd_entry *table, size_t n, const char *name,
	   size_t len, const struct cmd_entry **out, char **why)
{
	const struct cmd_entry *found = NULL;
	size_t i, matches = 0;
	const char *cut;
	int echo;

	*out = NULL;
	if (len == 0)
		return cmd_error(why, WARD_ERR_INVAL, "empty command");
	for (i = 0; i < n; i++) {
		if ((strlen(table[i].name) == len &&
		     memcmp(table[i].name, name, len) == 0) ||
		    (table[i].alias != NULL && strlen(table[i].alias) == len &&
		     memcmp(table[i].alias, name, len) == 0)) {
			*out = &table[i];
			return WARD_OK;
		}
	}
	for (i = 0; i < n; i++) {
		if (strncmp(table[i].name, name, len) == 0 &&
		    strlen(table[i].name) > len) {
			found = &table[i];
			matches++;
		}
	}
	if (matches == 1) {
		*out = found;
		return WARD_OK;
	}
	if (matches > 1)
		return cmd_ambiguous(table, n, name, len, why);
	echo = cmd_echo_len(name, len, &cut);
	return cmd_error(why, WARD_ERR_NOTFOUND, "unknown command: /%.*s%s",
			 echo, name, cut);
}

int
cmd_find(const struct cmd_entry *table, size_t n, const char *name,
	 const struct cmd_entry **out, char **why)
{
	size_t len;
	int r;

	*out = NULL;
	if (why != NULL)
		*why = NULL;
	if (name[0] == '/')
		name++;
	len = strlen(name);
	if ((r = cmd_check_text(name, len, why)) != WARD_OK)
		return r;
	return cmd_lookup(table, n, name, len, out, why);
}

void
cmd_call_clear(struct cmd_call *c)
{
	int i;

	if (c->argv != NULL) {
		for (i = 0; i < c->argc; i++)
			free(c->argv[i]);
		free(c->argv);
	}
	memset(c, 0, sizeof(*c));
}

/* Splits the arguments in p[0..end) for entry e into out. */
static int
cmd_split_args(const struct cmd_entry *e, const char *p, const char *end,
	       struct cmd_call *out, char **why)
{
	int maxa = e->max_args, argc = 0;
	const char *w;

	if (maxa < 0 || maxa > CMD_MAX_ARGS)
		maxa = CMD_MAX_ARGS;
	if ((out->argv = calloc((size_t)maxa + 1, sizeof(char *))) == NULL)
		return WARD_ERR_NOMEM;
	for (;;) {
		while (p < end && cmd_is_blank(*p))
			p++;
		if (p == end)
			break;
		if (argc == maxa)
			goto usage;
		w = p;
		if ((e->flags & CMD_REST) && argc == maxa - 1)
			p = end;
		else
			while (p < end && !cmd_is_blank(*p))
				p++;
		if ((out->argv[argc] = strndup(w, (size_t)(p - w))) == NULL)
			return WARD_ERR_NOMEM;
		out->argc = ++argc;
	}
	if (argc < e->min_args)
		goto usage;
	return WARD_OK;
usage:
	return cmd_error(why, WARD_ERR_INVAL, "usage: /%s%s%s", e->name,
			 *cmd_usage_args(e) != '\0' ? " " : "",
			 cmd_usage_args(e));
}

int
cmd_parse(const struct cmd_entry *table, size_t n, const char *line, size_t len,
	  struct cmd_call *out, char **why)
{
	const char *p = line, *end = line + len, *name;
	const struct cmd_entry *e;
	int r;

	memset(out, 0, sizeof(*out));
	if (why != NULL)
		*why = NULL;
	if (len > CMD_MAX_LINE)
		return cmd_error(why, WARD_ERR_LIMIT,
				 "command line too long (" CMD_XSTR(
				     CMD_MAX_LINE) " bytes max)");
	if ((r = cmd_check_text(line, len, why)) != WARD_OK)
		return r;
	while (p < end && cmd_is_blank(*p))
		p++;
	if (p == end)
		return cmd_error(why, WARD_ERR_INVAL, "empty command");
	if (*p != '/')
		return cmd_error(why, WARD_ERR_INVAL,
				 "not a command (commands start with /)");
	name = ++p;
	while (p < end && !cmd_is_blank(*p))
		p++;
	if ((r = cmd_lookup(table, n, name, (size_t)(p - name), &e, why)) !=
	    WARD_OK)
		return r;
	if ((r = cmd_split_args(e, p, end, out, why)) != WARD_OK) {
		cmd_call_clear(out);
		return r;
	}
	out->entry = e;
	return WARD_OK;
}

int
cmd_complete(const struct cmd_entry *table, size_t n, const char *prefix,
	     const char ***out, size_t *nout)
{
	size_t i, len, count = 0;
	const char **res;

	*out = NULL;
	*nout = 0;
	if (prefix[0] == '/')
		prefix++;
	len = strlen(prefix);
	for (i = 0; i < n; i++)
		if (strncmp(table[i].name, prefix, len) == 0)
			count++;
	if (count == 0)
		return WARD_OK;
	if ((res = calloc(count, sizeof(*res))) == NULL)
		return WARD_ERR_NOMEM;
	count = 0;
	for (i = 0; i < n; i++)
		if (strncmp(table[i].name, prefix, len) == 0)
			res[count++] = table[i].name;
	*out = res;
	*nout = count;
	return WARD_OK;
}

/* Appends formatted text to b. */
static int __attribute__((format(printf, 2, 3)))
cmd_printf(struct wbuf *b, const char *fmt, ...)
{
	char *s;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		return WARD_ERR_NOMEM;
	r = wbuf_put(b, s, strlen(s));
	free(s);
	return r;
}

/* Turns b into a malloc'd NUL-terminated string and frees b. */
static char *
cmd_finish_text(struct wbuf *b, int r)
{
	char *s = NULL;
	size_t len;

	if (r == WARD_OK)
		r = wbuf_put(b, "", 1);
	if (r == WARD_OK) {
		len = wbuf_avail(b);
		if ((s = malloc(len)) != NULL)
			memcpy(s, wbuf_ptr(b), len);
	}
	wbuf_free(b);
	return s;
}

/* Appends text with every line indented by two spaces. */
static int
cmd_put_indented(struct wbuf *b, const char *text)
{
	const char *nl;
	int r = WARD_OK;

	while (r == WARD_OK && *text != '\0') {
		nl = strchr(text, '\n');
		if (nl == NULL)
			nl = text + strlen(text);
		if (nl > text)
			r = cmd_printf(b, "  %.*s\n", (int)(nl - text), text);
		else
			r = wbuf_puts(b, "\n");
		text = *nl != '\0' ? nl + 1 : nl;
	}
	return r;
}

/* Help for one command. */
static char *
cmd_help_one(const struct cmd_entry *e)
{
	const char *args = cmd_usage_args(e);
	struct wbuf b;
	int r;

	wbuf_init(&b, CMD_TEXT_MAX);
	r = cmd_printf(&b, "/%s%s%s\n", e->name, *args != '\0' ? " " : "",
		       args);
	if (r == WARD_OK && e->help != NULL)
		r = cmd_printf(&b, "  %s\n", e->help);
	if (r == WARD_OK && e->alias != NULL)
		r = cmd_printf(&b, "  Alias: /%s\n", e->alias);
	if (r == WARD_OK && (e->flags & CMD_NEEDS_CONN))
		r = wbuf_puts(&b, "  Needs a connected account.\n");
	if (r == WARD_OK && (e->flags & CMD_CHANGES_TRUST))
		r = wbuf_puts(&b, "  Changes a trust decision.\n");
	if (r == WARD_OK && (e->flags & CMD_FRONTEND))
		r = wbuf_puts(&b, "  Only in the curses UI.\n");
	if (r == WARD_OK && e->long_help != NULL && *e->long_help != '\0') {
		r = wbuf_puts(&b, "\n");
		if (r == WARD_OK)
			r = cmd_put_indented(&b, e->long_help);
	}
	return cmd_finish_text(&b, r);
}

char *
cmd_help_text(const struct cmd_entry *table, size_t n, const char *name)
{
	const struct cmd_entry *e;
	size_t i, w, width = 0;
	const char *args;
	struct wbuf b;
	int r = WARD_OK;

	if (name != NULL)
		return cmd_find(table, n, name, &e, NULL) == WARD_OK
			   ? cmd_help_one(e)
			   : NULL;
	for (i = 0; i < n; i++) {
		args = cmd_usage_args(&table[i]);
		w = 1 + strlen(table[i].name) + (*args ? 1 + strlen(args) : 0);
		if (w > width)
			width = w;
	}
	if (width > 40)
		width = 40;
	wbuf_init(&b, CMD_TEXT_MAX);
	for (i = 0; i < n && r == WARD_OK; i++) {
		args = cmd_usage_args(&table[i]);
		w = 1 + strlen(table[i].name) + (*args ? 1 : 0);
		r = cmd_printf(&b, "/%s%s%-*s  %s\n", table[i].name,
			       *args ? " " : "",
			       (int)(width > w ? width - w : 0), args,
			       table[i].help != NULL ? table[i].help : "");
	}
	return cmd_finish_text(&b, r);
}

/* Appends roff text: backslashes as "\e", control-line starts guarded. */
static int
cmd_put_roff(struct wbuf *b, const char *s, size_t len, int line_start)
{
	size_t i;
	int r = WARD_OK;

	if (line_start && len > 0 && (s[0] == '.' || s[0] == '\''))
		r = wbuf_puts(b, "\\&");
	for (i = 0; i < len && r == WARD_OK; i++) {
		if (s[i] == '\\')
			r = wbuf_puts(b, "\\e");
		else
			r = wbuf_put(b, &s[i], 1);
	}
	return r;
}

/* Appends the long help as roff lines ('\n' separated, empty -> ".sp"). */
static int
cmd_put_roff_lines(struct wbuf *b, const char *text)
{
	const char *nl;
	int r = WARD_OK;

	while (r == WARD_OK && *text != '\0') {
		nl = strchr(text, '\n');
		if (nl == NULL)
			nl = text + strlen(text);
		if (nl == text)
			r = wbuf_puts(b, ".sp");
		else
			r = cmd_put_roff(b, text, (size_t)(nl - text), 1);
		if (r == WARD_OK)
			r = wbuf_puts(b, "\n");
		text = *nl != '\0' ? nl + 1 : nl;
	}
	return r;
}

/* One command's entry in the man page. */
static int
cmd_man_entry(struct wbuf *b, const struct cmd_entry *e)
{
	const char *args = cmd_usage_args(e);
	int r;

	r = wbuf_puts(b, ".TP\n\\fB/");
	if (r == WARD_OK)
		r = cmd_put_roff(b, e->name, strlen(e->name), 0);
	if (r == WARD_OK)
		r = wbuf_puts(b, "\\fR");
	if (r == WARD_OK && *args != '\0') {
		r = wbuf_puts(b, " \\fI");
		if (r == WARD_OK)
			r = cmd_put_roff(b, args, strlen(args), 0);
		if (r == WARD_OK)
			r = wbuf_puts(b, "\\fR");
	}
	if (r == WARD_OK)
		r = wbuf_puts(b, "\n");
	if (r == WARD_OK && e->help != NULL)
		r = cmd_put_roff_lines(b, e->help);
	if (r == WARD_OK && e->alias != NULL) {
		r = wbuf_puts(b, ".br\nAlias: \\fB/");
		if (r == WARD_OK)
			r = cmd_put_roff(b, e->alias, strlen(e->alias), 0);
		if (r == WARD_OK)
			r = wbuf_puts(b, "\\fR.\n");
	}
	if (r == WARD_OK && e->long_help != NULL && *e->long_help != '\0') {
		r = wbuf_puts(b, ".sp\n");
		if (r == WARD_OK)
			r = cmd_put_roff_lines(b, e->long_help);
	}
	return r;
}

char *
cmd_man_section(const struct cmd_entry *table, size_t n)
{
	struct wbuf b;
	size_t i;
	int r = WARD_OK;

	wbuf_init(&b, CMD_TEXT_MAX);
	for (i = 0; i < n && r == WARD_OK; i++)
		r = cmd_man_entry(&b, &table[i]);
	return cmd_finish_text(&b, r);
}
