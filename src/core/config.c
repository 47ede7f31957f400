/*
 * config.c: reads ward.conf ([ward] and [account NAME] sections of
 * key = value lines) and collects every error as "file:line: reason"
 * before refusing, as OpenSSH's readconf does. The keys and their checks
 * are in config_keys.c; writing a configuration back, config_dump.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ward.h"
#include "buf.h"
#include "config.h"
#include "config_priv.h"

struct config_parser {
	const char *name; /* file name in messages */
	int mode;         /* file permission bits, or -1: not a file */
	struct wbuf err;  /* collected error lines */
	unsigned nerr;
	int nomem;
	struct config *cfg;
	struct account_config *acct; /* account being read, or NULL */
	struct account_config **tail;
	enum config_section sec;
	unsigned line;
	unsigned section_line;
	unsigned seen[K_COUNT]; /* line where each key was set, 0: not yet */
	int seen_ward, seen_ui, seen_keys;
};

/* Appends one "name:line: reason" (line 0: "name: reason") error. */
static void __attribute__((format(printf, 3, 4)))
config_error(struct config_parser *p, unsigned line, const char *fmt, ...)
{
	char msg[CONFIG_WHY_MAX + 128], num[16];
	va_list ap;

	if (++p->nerr > CONFIG_ERRORS_MAX)
		return;
	snprintf(num, sizeof(num), ":%u", line);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (wbuf_puts(&p->err, p->name) != WARD_OK ||
	    (line > 0 && wbuf_puts(&p->err, num) != WARD_OK) ||
	    wbuf_puts(&p->err, ": ") != WARD_OK ||
	    wbuf_puts(&p->err, msg) != WARD_OK ||
	    wbuf_puts(&p->err, "\n") != WARD_OK)
		p->nomem = 1;
}

/* Strict UTF-8 check of s[0..len); refuses controls other than tab. */
static const char *
config_check_text(const unsigned char *s, size_t len)
{
	size_t i = 0, n, k;
	uint32_t v, min;

	while (i < len) {
		unsigned char c = s[i];
		if (c < 0x80) {
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				return c == 0 ? "NUL byte"
					      : "control character";
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 1, v = c & 0x1f, min = 0x80;
		else if (c >= 0xe0 && c <= 0xef)
			n = 2, v = c & 0x0f, min = 0x800;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3, v = c & 0x07, min = 0x10000;
		else
			return "not valid UTF-8";
		if (len - i <= n)
			return "not valid UTF-8";
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return "not valid UTF-8";
			v = (v << 6) | (s[i + k] & 0x3f);
		}
		if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
			return "not valid UTF-8";
		if (v < 0xa0)
			return "control character";
		i += n + 1;
	}
	return NULL;
}

static void
config_account_free(struct account_config *a)
{
	size_t i;

	free(a->name);
	free(a->jid);
	free(a->password_command);
	freezero_str(a->password);
	free(a->resource);
	free(a->server);
	free(a->ca_file);
	free(a->dns_trust_anchor);
	for (i = 0; i < a->nstubs; i++) {
		free(a->stubs[i].zone);
		free(a->stubs[i].addr);
	}
	free(a->stubs);
	free(a);
}

void
config_free(struct config *c)
{
	struct account_config *a, *next;

	if (c == NULL)
		return;
	for (a = c->accounts; a != NULL; a = next) {
		next = a->next;
		config_account_free(a);
	}
	free(c->log_level);
	free(c->dir);
	config_ui_free(c);
	free(c);
}

/* Checks across the keys of the account just finished; sets defaults. */
static void
config_account_end(struct config_parser *p)
{
	struct account_config *a = p->acct;
	const unsigned *seen = p->seen;

	if (a == NULL)
		return;
	if (!seen[K_JID])
		config_error(p, p->section_line, "account %s: jid missing",
			     a->name);
	if (seen[K_PASSWORD] && seen[K_PASSWORD_COMMAND])
		config_error(
		    p,
		    seen[K_PASSWORD] > seen[K_PASSWORD_COMMAND]
			? seen[K_PASSWORD]
			: seen[K_PASSWORD_COMMAND],
		    "password and password_command: set only one of the two");
	if (seen[K_PORT] && !seen[K_SERVER])
		config_error(p, seen[K_PORT], "port: needs server");
	if (seen[K_DIRECT_TLS] && !seen[K_SERVER])
		config_error(
		    p, seen[K_DIRECT_TLS],
		    "direct_tls: needs server and port (without them SRV "
		    "records say which ports speak TLS)");
	else if (a->direct_tls && !seen[K_PORT])
		config_error(p, seen[K_DIRECT_TLS],
			     "direct_tls: needs an explicit port (5222 is for "
			     "STARTTLS)");
	if (seen[K_PASSWORD] && p->mode >= 0 && (p->mode & 077) != 0)
		config_error(
		    p, seen[K_PASSWORD],
		    "password in a file readable by others; chmod 600 %s or "
		    "use password_command",
		    p->name);
	if (seen[K_SERVER] && !seen[K_PORT])
		a->port = 5222;
	p->acct = NULL;
}

/* Account names: [A-Za-z0-9_.-]{1,64}. */
static int
config_name_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > CONFIG_NAME_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		      c == '-'))
			return 0;
	}
	return 1;
}

/* Starts a new account section called s[0..len). */
static void
config_account_begin(struct config_parser *p, const char *s, size_t len)
{
	struct account_config *a;

	p->sec = SEC_BAD;
	if (!config_name_ok(s, len)) {
		config_error(
		    p, p->line,
		    "[account NAME]: NAME must be 1-64 of A-Z a-z 0-9 _ . -");
		return;
	}
	for (a = p->cfg->accounts; a != NULL; a = a->next) {
		if (strlen(a->name) == len && memcmp(a->name, s, len) == 0) {
			config_error(p, p->line,
				     "[account %s]: duplicate section",
				     a->name);
			return;
		}
	}
	if ((a = calloc(1, sizeof(*a))) == NULL ||
	    (a->name = strndup(s, len)) == NULL) {
		if (a != NULL)
			config_account_free(a);
		p->nomem = 1;
		return;
	}
	a->tls_min = 13;
	a->dnssec = DNSSEC_VALIDATE;
	a->keepalive = 90;
	a->chat_states = a->receipts = a->markers = 1;
	*p->tail = a; /* transferred */
	p->tail = &a->next;
	p->acct = a;
	p->sec = SEC_ACCOUNT;
}

/* A "[...]" line; s[0..len) is trimmed. */
static void
config_section(struct config_parser *p, const char *s, size_t len)
{
	config_account_end(p);
	memset(p->seen, 0, sizeof(p->seen));
	p->section_line = p->line;
	p->sec = SEC_BAD;
	if (s[len - 1] != ']') {
		config_error(p, p->line, "section header: ] missing");
		return;
	}
	s++;
	len -= 2;
	while (len > 0 && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 2 && memcmp(s, "ui", 2) == 0) {
		if (p->seen_ui)
			config_error(p, p->line, "[ui]: duplicate section");
		p->seen_ui = 1;
		p->sec = SEC_UI;
	} else if (len == 4 && memcmp(s, "keys", 4) == 0) {
		if (p->seen_keys)
			config_error(p, p->line, "[keys]: duplicate section");
		p->seen_keys = 1;
		p->sec = SEC_KEYS;
	} else if (len == 4 && memcmp(s, "ward", 4) == 0) {
		if (p->seen_ward)
			config_error(p, p->line, "[ward]: duplicate section");
		p->seen_ward = 1;
		p->sec = SEC_WARD;
	} else if (len > 7 && memcmp(s, "account", 7) == 0 &&
		   (s[7] == ' ' || s[7] == '\t')) {
		s += 7;
		len -= 7;
		while (len > 0 && (*s == ' ' || *s == '\t'))
			s++, len--;
		config_account_begin(p, s, len);
	} else if (len == 7 && memcmp(s, "account", 7) == 0)
		config_error(p, p->line, "[account]: NAME missing");
	else
		config_error(
		    p, p->line,
		    "unknown section (expected [ward], [account NAME], [ui] "
		    "or [keys])");
}

/*
 * Unquotes a value: "..." with \" and \\ escapes, or the text as it is.
 * Returns a malloc'd string in *out (the caller wipes and frees it),
 * NULL in *why on success, WARD_ERR_NOMEM.
 */
static int
config_unquote(const char *s, size_t len, char **out, const char **why)
{
	char *v;
	size_t i, n = 0;

	*out = NULL;
	*why = NULL;
	if (len == 0 || s[0] != '"') {
		if ((*out = strndup(s, len)) == NULL)
			return WARD_ERR_NOMEM;
		return WARD_OK;
	}
	if (len < 2 || s[len - 1] != '"') {
		*why = "closing quote missing";
		return WARD_OK;
	}
	if ((v = malloc(len)) == NULL)
		return WARD_ERR_NOMEM;
	for (i = 1; i < len - 1; i++) {
		if (s[i] == '\\' && i + 1 < len - 1 &&
		    (s[i + 1] == '"' || s[i + 1] == '\\'))
			v[n++] = s[++i];
		else if (s[i] == '\\' || s[i] == '"') {
			*why = s[i] == '"'
				   ? "unescaped \" inside quotes (use \\\")"
				   : "only \\\" and \\\\ escapes are allowed";
			explicit_bzero(v, len);
			free(v);
			return WARD_OK;
		} else
			v[n++] = s[i];
	}
	v[n] = '\0';
	*out = v;
	return WARD_OK;
}

/* A "key = value" line; s[0..len) is trimmed. */
static void
config_keyval(struct config_parser *p, const char *s, size_t len)
{
	char key[CONFIG_KEY_MAX + 1], why[CONFIG_WHY_MAX];
	const char *eq = memchr(s, '=', len), *v, *reason;
	size_t kl, vl, i;
	char *value = NULL;
	int k, r;

	if (eq == NULL) {
		config_error(p, p->line, "expected key = value");
		return;
	}
	for (kl = (size_t)(eq - s);
	     kl > 0 && (s[kl - 1] == ' ' || s[kl - 1] == '\t');)
		kl--;
	for (i = 0; i < kl; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_'))
			break;
	if (kl == 0 || i < kl || kl > CONFIG_KEY_MAX) {
		config_error(p, p->line, "bad key name (expected a-z and _)");
		return;
	}
	memcpy(key, s, kl);
	key[kl] = '\0';
	if (p->sec == SEC_BAD)
		return; /* the section header was already reported */
	if (p->sec == SEC_NONE) {
		config_error(
		    p, p->line,
		    "%s: outside a section (put it under [account NAME])", key);
		return;
	}
	for (k = 0; k < K_COUNT; k++)
		if (config_keys[k].section == p->sec &&
		    strcmp(config_keys[k].name, key) == 0)
			break;
	if (k == K_COUNT) {
		config_error(p, p->line, "%s: unknown key in [%s]", key,
			     p->sec == SEC_WARD  ? "ward"
			     : p->sec == SEC_UI ? "ui"
						: "account");
		return;
	}
	if (p->seen[k] && !config_keys[k].repeatable) {
		config_error(p, p->line, "%s: duplicate (first set on line %u)",
			     key, p->seen[k]);
		return;
	}
	v = eq + 1;
	vl = len - (size_t)(v - s);
	while (vl > 0 && (*v == ' ' || *v == '\t'))
		v++, vl--;
	if (config_unquote(v, vl, &value, &reason) != WARD_OK) {
		p->nomem = 1;
		return;
	}
	if (reason != NULL) {
		config_error(p, p->line, "%s: %s", key, reason);
		return;
	}
	if (value[0] == '\0') {
		config_error(p, p->line, "%s: empty value", key);
		free(value);
		return;
	}
	p->seen[k] = p->line;
	why[0] = '\0';
	r = config_keys[k].set(p->cfg, p->acct, value, why);
	if (r == WARD_ERR_NOMEM)
		p->nomem = 1;
	else if (r != WARD_OK)
		config_error(p, p->line, "%s: %s", key, why);
	freezero_str(value);
}

/* One line, without its "\n". */
static void
config_line(struct config_parser *p, const char *s, size_t len)
{
	const char *why;

	if (len > 0 && s[len - 1] == '\r')
		len--;
	if (len > CONFIG_LINE_MAX) {
		config_error(p, p->line, "line longer than %d bytes",
			     CONFIG_LINE_MAX);
		while (len > 0 && (*s == ' ' || *s == '\t'))
			s++, len--;
		if (len > 0 && *s == '[') { /* a section we cannot read */
			config_account_end(p);
			memset(p->seen, 0, sizeof(p->seen));
			p->sec = SEC_BAD;
		}
		return;
	}
	if ((why = config_check_text((const unsigned char *)s, len))) {
		config_error(p, p->line, "%s", why);
		return;
	}
	while (len > 0 && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0 || *s == '#' || *s == ';')
		return;
	if (*s == '[')
		config_section(p, s, len);
	else if (p->sec == SEC_KEYS) {
		char kwhy[CONFIG_WHY_MAX];
		int r;
		kwhy[0] = '\0';
		r = config_keybind_add(p->cfg, p->line, s, len, kwhy);
		if (r == WARD_ERR_NOMEM)
			p->nomem = 1;
		else if (r != WARD_OK)
			config_error(p, p->line, "[keys] %s", kwhy);
	}
	else
		config_keyval(p, s, len);
}

/*
 * The parser behind config_parse_buffer() and config_load(); mode is the
 * file's permission bits or -1.
 */
static int
config_parse_internal(const char *name, const char *text, size_t len, int mode,
		      struct config **out, char **errors)
{
	struct config_parser p;
	const char *nl;
	size_t off = 0;
	int r;

	*out = NULL;
	if (errors != NULL)
		*errors = NULL;
	memset(&p, 0, sizeof(p));
	p.name = name;
	p.mode = mode;
	wbuf_init(&p.err, CONFIG_DUMP_MAX);
	if ((p.cfg = calloc(1, sizeof(*p.cfg))) == NULL ||
	    (p.cfg->log_level = strdup("info")) == NULL ||
	    config_ui_defaults(p.cfg) != WARD_OK) {
		p.nomem = 1;
		goto out;
	}
	p.tail = &p.cfg->accounts;
	if (len > CONFIG_FILE_MAX) {
		config_error(&p, 0, "larger than 1 MiB");
		goto out;
	}
	while (off < len && !p.nomem) {
		p.line++;
		nl = memchr(text + off, '\n', len - off);
		config_line(&p, text + off,
			    nl != NULL ? (size_t)(nl - text - off) : len - off);
		off = nl != NULL ? (size_t)(nl - text) + 1 : len;
	}
	config_account_end(&p);
	if (p.cfg->accounts == NULL && p.nerr == 0)
		config_error(&p, 0, "no [account NAME] section");
	if (p.nerr > CONFIG_ERRORS_MAX) {
		unsigned more = p.nerr - CONFIG_ERRORS_MAX;
		p.nerr = 0; /* let this one line through */
		config_error(&p, 0, "%u more errors not shown", more);
		p.nerr = CONFIG_ERRORS_MAX + more;
	}
out:
	if (p.nomem)
		r = WARD_ERR_NOMEM;
	else if (p.nerr > 0 && len > CONFIG_FILE_MAX)
		r = WARD_ERR_LIMIT;
	else if (p.nerr > 0)
		r = WARD_ERR_INVAL;
	else {
		*out = p.cfg; /* transferred */
		p.cfg = NULL;
		r = WARD_OK;
	}
	config_free(p.cfg);
	if (r != WARD_OK && errors != NULL) {
		if (r == WARD_ERR_NOMEM || wbuf_put(&p.err, "", 1) != WARD_OK)
			*errors = strdup("out of memory\n");
		else {
			*errors = (char *)p.err.data; /* transferred */
			p.err.data = NULL;
		}
	}
	wbuf_free(&p.err);
	return r;
}

int
config_parse_buffer(const char *name, const char *text, size_t len,
		    struct config **out, char **errors)
{
	return config_parse_internal(name, text, len, -1, out, errors);
}

struct account_config *
config_account(struct config *c, const char *name)
{
	struct account_config *a;

	if (c == NULL)
		return NULL;
	if (name == NULL)
		return c->accounts;
	for (a = c->accounts; a != NULL; a = a->next)
		if (strcmp(a->name, name) == 0)
			return a;
	return NULL;
}

/* Sets *errors to "path: reason\n" (malloc'd) when errors is not NULL. */
static void config_load_error(const char *path, char **errors, const char *fmt,
			      ...) __attribute__((format(printf, 3, 4)));
static void
config_load_error(const char *path, char **errors, const char *fmt, ...)
{
	char msg[CONFIG_WHY_MAX];
	va_list ap;

	if (errors == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (asprintf(errors, "%s: %s\n", path, msg) < 0)
		*errors = NULL;
}

/*
 * Refuses a directory others may write into (they could swap the file),
 * unless sticky, or one owned by another user.
 */
static int
config_check_dir(const char *path, char **errors)
{
	char *dir = strdup(path), *slash;
	struct stat st;
	int r = WARD_OK;

	if (dir == NULL)
		return WARD_ERR_NOMEM;
	if ((slash = strrchr(dir, '/')) == NULL)
		strcpy(dir, ".");
	else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	if (stat(dir, &st) != 0) {
		config_load_error(path, errors,
				  "cannot check its directory: %s",
				  strerror(errno));
		r = WARD_ERR_SYSTEM;
	} else if ((st.st_uid != getuid() && st.st_uid != 0) ||
		   ((st.st_mode & 022) != 0 && (st.st_mode & S_ISVTX) == 0)) {
		config_load_error(
		    path, errors,
		    "its directory is writable by others or owned by another "
		    "user; fix the directory's owner and permissions");
		r = WARD_ERR_POLICY;
	}
	free(dir);
	return r;
}

/* Checks the open file: regular, ours or root's, not writable by others. */
static int
config_check_file(const char *path, const struct stat *st, char **errors)
{
	if (!S_ISREG(st->st_mode)) {
		config_load_error(path, errors, "not a regular file");
		return WARD_ERR_POLICY;
	}
	if (st->st_uid != getuid() && st->st_uid != 0) {
		config_load_error(path, errors,
				  "owned by uid %u, not by you or root",
				  (unsigned)st->st_uid);
		return WARD_ERR_POLICY;
	}
	if ((st->st_mode & 022) != 0) {
		config_load_error(
		    path, errors,
		    "writable by group or others (it can run commands: "
		    "password_command); chmod go-w %s",
		    path);
		return WARD_ERR_POLICY;
	}
	if (st->st_size > CONFIG_FILE_MAX) {
		config_load_error(path, errors, "larger than 1 MiB");
		return WARD_ERR_LIMIT;
	}
	return config_check_dir(path, errors);
}

/* Reads at most CONFIG_FILE_MAX bytes of fd into a malloc'd *text. */
static int
config_read(int fd, char **text, size_t *len)
{
	size_t cap = CONFIG_FILE_MAX + 1;
	ssize_t n;

	*len = 0;
	if ((*text = malloc(cap)) == NULL)
		return WARD_ERR_NOMEM;
	for (;;) {
		n = read(fd, *text + *len, cap - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return WARD_ERR_SYSTEM;
		if (n == 0)
			return WARD_OK;
		*len += (size_t)n;
		if (*len > CONFIG_FILE_MAX)
			return WARD_ERR_LIMIT;
	}
}

int
config_load(const char *path, struct config **out, char **errors)
{
	struct stat st;
	char *text = NULL;
	size_t len = 0;
	int fd, r;

	*out = NULL;
	if (errors != NULL)
		*errors = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		config_load_error(path, errors, "cannot open: %s",
				  strerror(errno));
		return WARD_ERR_SYSTEM;
	}
	if (fstat(fd, &st) != 0) {
		config_load_error(path, errors, "cannot stat: %s",
				  strerror(errno));
		r = WARD_ERR_SYSTEM;
		goto out;
	}
	if ((r = config_check_file(path, &st, errors)) != WARD_OK)
		goto out;
	if ((r = config_read(fd, &text, &len)) != WARD_OK) {
		config_load_error(path, errors, "%s",
				  r == WARD_ERR_LIMIT   ? "larger than 1 MiB"
				  : r == WARD_ERR_NOMEM ? "out of memory"
							: strerror(errno));
		goto out;
	}
	r = config_parse_internal(path, text, len, (int)(st.st_mode & 07777),
				  out, errors);
	if (r == WARD_OK) {
		const char *slash = strrchr(path, '/');
		(*out)->dir = slash == NULL ? xstrdup(".")
			      : slash == path
				  ? xstrdup("/")
				  : xstrndup(path, (size_t)(slash - path));
	}
out:
	if (text != NULL) {
		explicit_bzero(text, len);
		free(text);
	}
	close(fd);
	return r;
}
