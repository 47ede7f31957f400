/*
 * config.c: reads ward.conf ([ward] and [account NAME] sections of
 * key = value lines), checks every value, and collects every error as
 * "file:line: reason" before refusing, as OpenSSH's readconf does.
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
#include "jid.h"
#include "password.h"

#define CONFIG_WHY_MAX 256        /* bytes of one reason */
#define CONFIG_KEY_MAX 32         /* bytes of a key name */
#define CONFIG_DUMP_MAX (8 << 20) /* ceiling of the dump and error texts */

enum config_section { SEC_NONE, SEC_WARD, SEC_ACCOUNT, SEC_BAD };

/*
 * A setter checks one value and stores it (copying it). Returns WARD_OK,
 * WARD_ERR_INVAL with a reason in why, or WARD_ERR_NOMEM.
 */
typedef int (*config_setter)(struct config *, struct account_config *,
			     const char *, char *why);

struct config_key {
	const char *name;
	enum config_section section;
	int repeatable;
	config_setter set;
};

/* Indices into config_keys[], for the cross-key checks. */
enum {
	K_LOG_LEVEL,
	K_JID,
	K_PASSWORD_COMMAND,
	K_PASSWORD,
	K_RESOURCE,
	K_SERVER,
	K_PORT,
	K_DIRECT_TLS,
	K_TLS_MIN,
	K_CA_FILE,
	K_DNS_TRUST_ANCHOR,
	K_DNS_STUB,
	K_DNSSEC,
	K_KEEPALIVE,
	K_COUNT
};

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
	int seen_ward;
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

static int
config_set_str(char **dst, const char *v)
{
	char *s = strdup(v);

	if (s == NULL)
		return WARD_ERR_NOMEM;
	freezero_str(*dst);
	*dst = s;
	return WARD_OK;
}

/* Parses a decimal port 1-65535 (digits only). */
static int
config_port(const char *v, unsigned *port)
{
	unsigned long n = 0;
	size_t i;

	if (*v == '\0' || strlen(v) > 5)
		return -1;
	for (i = 0; v[i] != '\0'; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		n = n * 10 + (unsigned long)(v[i] - '0');
	}
	if (n < 1 || n > 65535)
		return -1;
	*port = (unsigned)n;
	return 0;
}

/* An IPv4 or IPv6 literal (no brackets) in canonical text, or -1. */
static int
config_ip(const char *v, char *canon, size_t size)
{
	unsigned char a[16];

	if (inet_pton(AF_INET, v, a) == 1)
		return inet_ntop(AF_INET, a, canon, (socklen_t)size) ? 0 : -1;
	if (inet_pton(AF_INET6, v, a) == 1)
		return inet_ntop(AF_INET6, a, canon, (socklen_t)size) ? 0 : -1;
	return -1;
}

/*
 * Checks a DNS name: labels of 1-63 of [A-Za-z0-9_-], at most 253 bytes,
 * one optional trailing dot, not all-numeric at the end; with allow_root
 * "." is the root. Writes the lowercase name without the trailing dot.
 */
static int
config_dns_name(const char *v, int allow_root, char *canon, size_t size)
{
	size_t len = strlen(v), i, label = 0;
	int numeric = 1;

	if (allow_root && strcmp(v, ".") == 0) {
		snprintf(canon, size, ".");
		return 0;
	}
	if (len > 0 && v[len - 1] == '.')
		len--;
	if (len == 0 || len > 253 || len >= size)
		return -1;
	for (i = 0; i < len; i++) {
		char c = v[i];
		if (c == '.') {
			if (label == 0)
				return -1;
			label = 0;
			numeric = 1;
			canon[i] = c;
			continue;
		}
		if (++label > 63)
			return -1;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c < '0' || c > '9')
			numeric = 0;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return -1;
		canon[i] = c;
	}
	canon[len] = '\0';
	return label == 0 || numeric ? -1 : 0;
}

static int
config_set_log_level(struct config *c, struct account_config *a, const char *v,
		     char *why)
{
	if (strcmp(v, "debug") != 0 && strcmp(v, "info") != 0 &&
	    strcmp(v, "warn") != 0 && strcmp(v, "error") != 0) {
		snprintf(why, CONFIG_WHY_MAX,
			 "must be debug, info, warn or error");
		return WARD_ERR_INVAL;
	}
	return config_set_str(&c->log_level, v);
}

static int
config_set_jid(struct config *c, struct account_config *a, const char *v,
	       char *why)
{
	struct jid j;
	const char *reason;
	char *bare;

	if (jid_parse_why(v, &j, &reason) != WARD_OK) {
		if (reason == NULL)
			return WARD_ERR_NOMEM;
		snprintf(why, CONFIG_WHY_MAX, "not a valid JID (%s)", reason);
		return WARD_ERR_INVAL;
	}
	if (j.resource != NULL || j.local == NULL) {
		snprintf(why, CONFIG_WHY_MAX, "%s",
			 j.local == NULL ? "needs a localpart (user@domain)"
					 : "must be a bare JID (no /resource)");
		jid_clear(&j);
		return WARD_ERR_INVAL;
	}
	bare = jid_format(&j);
	jid_clear(&j);
	if (bare == NULL)
		return WARD_ERR_NOMEM;
	free(a->jid);
	a->jid = bare;
	return WARD_OK;
}

static int
config_set_password_command(struct config *c, struct account_config *a,
			    const char *v, char *why)
{
	char **argv;
	int r = password_split(v, &argv);

	if (r == WARD_ERR_NOMEM)
		return r;
	if (r != WARD_OK) {
		snprintf(why, CONFIG_WHY_MAX, "%s",
			 r == WARD_ERR_LIMIT
			     ? "longer than 4096 bytes"
			     : "unbalanced quote or trailing backslash");
		return WARD_ERR_INVAL;
	}
	password_argv_free(argv);
	return config_set_str(&a->password_command, v);
}

static int
config_set_password(struct config *c, struct account_config *a, const char *v,
		    char *why)
{
	return config_set_str(&a->password, v);
}

static int
config_set_resource(struct config *c, struct account_config *a, const char *v,
		    char *why)
{
	if (jid_check_resource(v) != WARD_OK) {
		snprintf(why, CONFIG_WHY_MAX,
			 "not a valid resource (too long?)");
		return WARD_ERR_INVAL;
	}
	return config_set_str(&a->resource, v);
}

static int
config_set_server(struct config *c, struct account_config *a, const char *v,
		  char *why)
{
	char canon[256], inner[64];
	size_t len = strlen(v);

	if (len > 2 && v[0] == '[' && v[len - 1] == ']' &&
	    len - 2 < sizeof(inner)) {
		memcpy(inner, v + 1, len - 2);
		inner[len - 2] = '\0';
		v = inner;
	}
	if (config_ip(v, canon, sizeof(canon)) != 0 &&
	    (strchr(v, ':') != NULL ||
	     config_dns_name(v, 0, canon, sizeof(canon)) != 0)) {
		snprintf(
		    why, CONFIG_WHY_MAX,
		    "must be a host name (IDN in punycode) or an IP address");
		return WARD_ERR_INVAL;
	}
	return config_set_str(&a->server, canon);
}

static int
config_set_port(struct config *c, struct account_config *a, const char *v,
		char *why)
{
	if (config_port(v, &a->port) != 0) {
		snprintf(why, CONFIG_WHY_MAX,
			 "must be a number from 1 to 65535");
		return WARD_ERR_INVAL;
	}
	return WARD_OK;
}

static int
config_set_keepalive(struct config *c, struct account_config *a, const char *v,
		     char *why)
{
	unsigned long n;
	char *end;

	if (*v < '0' || *v > '9' || strlen(v) > 4 ||
	    (n = strtoul(v, &end, 10), *end != '\0') || n < 5 || n > 3600) {
		snprintf(why, CONFIG_WHY_MAX,
			 "must be a number of seconds from 5 to 3600");
		return WARD_ERR_INVAL;
	}
	a->keepalive = (unsigned)n;
	return WARD_OK;
}

static int
config_set_direct_tls(struct config *c, struct account_config *a, const char *v,
		      char *why)
{
	if (strcmp(v, "yes") == 0)
		a->direct_tls = 1;
	else if (strcmp(v, "no") == 0)
		a->direct_tls = 0;
	else {
		snprintf(why, CONFIG_WHY_MAX, "must be yes or no");
		return WARD_ERR_INVAL;
	}
	return WARD_OK;
}

static int
config_set_tls_min(struct config *c, struct account_config *a, const char *v,
		   char *why)
{
	if (strcmp(v, "1.3") == 0)
		a->tls_min = 13;
	else if (strcmp(v, "1.2") == 0)
		a->tls_min = 12;
	else if (strcmp(v, "1.1") == 0 || strcmp(v, "1.0") == 0 ||
		 strcmp(v, "1") == 0) {
		snprintf(why, CONFIG_WHY_MAX,
			 "TLS %s is refused: it is broken and deprecated (RFC "
			 "8996); "
			 "use 1.2 or 1.3",
			 v);
		return WARD_ERR_INVAL;
	} else {
		snprintf(why, CONFIG_WHY_MAX, "must be 1.3 or 1.2");
		return WARD_ERR_INVAL;
	}
	return WARD_OK;
}

static int
config_set_path(char **dst, const char *v, char *why)
{
	if (v[0] != '/') {
		snprintf(why, CONFIG_WHY_MAX, "must be an absolute path");
		return WARD_ERR_INVAL;
	}
	return config_set_str(dst, v);
}

static int
config_set_ca_file(struct config *c, struct account_config *a, const char *v,
		   char *why)
{
	return config_set_path(&a->ca_file, v, why);
}

static int
config_set_dns_trust_anchor(struct config *c, struct account_config *a,
			    const char *v, char *why)
{
	return config_set_path(&a->dns_trust_anchor, v, why);
}

/* Copies s[0..len) into dst (size bytes); -1 when it does not fit. */
static int
config_copy(char *dst, size_t size, const char *s, size_t len)
{
	if (len >= size)
		return -1;
	memcpy(dst, s, len);
	dst[len] = '\0';
	return 0;
}

/* dns_stub = "ZONE ADDR[@PORT]" */
static int
config_set_dns_stub(struct config *c, struct account_config *a, const char *v,
		    char *why)
{
	char zone[256], addr[64], canon[INET6_ADDRSTRLEN];
	const char *sp, *rest, *at;
	unsigned port = 53;
	struct dns_stub *ns;
	size_t i;

	sp = v + strcspn(v, " \t");
	rest = sp + strspn(sp, " \t");
	if (*sp == '\0' || *rest == '\0' || rest[strcspn(rest, " \t")] != 0) {
		snprintf(why, CONFIG_WHY_MAX,
			 "must be \"ZONE ADDRESS[@PORT]\"");
		return WARD_ERR_INVAL;
	}
	if (config_copy(zone, sizeof(zone), v, (size_t)(sp - v)) != 0 ||
	    config_dns_name(zone, 1, zone, sizeof(zone)) != 0) {
		snprintf(why, CONFIG_WHY_MAX, "zone is not a domain name");
		return WARD_ERR_INVAL;
	}
	at = strchr(rest, '@');
	if (config_copy(addr, sizeof(addr), rest,
			at != NULL ? (size_t)(at - rest) : strlen(rest)) != 0 ||
	    config_ip(addr, canon, sizeof(canon)) != 0) {
		snprintf(why, CONFIG_WHY_MAX,
			 "address must be an IPv4 or IPv6 literal");
		return WARD_ERR_INVAL;
	}
	if (at != NULL && config_port(at + 1, &port) != 0) {
		snprintf(why, CONFIG_WHY_MAX, "port must be from 1 to 65535");
		return WARD_ERR_INVAL;
	}
	for (i = 0; i < a->nstubs; i++) {
		if (strcmp(a->stubs[i].zone, zone) == 0) {
			snprintf(why, CONFIG_WHY_MAX, "zone %.200s given twice",
				 zone);
			return WARD_ERR_INVAL;
		}
	}
	if (a->nstubs >= CONFIG_STUBS_MAX) {
		snprintf(why, CONFIG_WHY_MAX, "more than %d stubs",
			 CONFIG_STUBS_MAX);
		return WARD_ERR_INVAL;
	}
	ns = realloc(a->stubs, (a->nstubs + 1) * sizeof(*ns));
	if (ns == NULL)
		return WARD_ERR_NOMEM;
	a->stubs = ns;
	ns = &a->stubs[a->nstubs];
	ns->zone = strdup(zone);
	ns->addr = strdup(canon);
	ns->port = port;
	if (ns->zone == NULL || ns->addr == NULL) {
		free(ns->zone);
		free(ns->addr);
		return WARD_ERR_NOMEM;
	}
	a->nstubs++;
	return WARD_OK;
}

static int
config_set_dnssec(struct config *c, struct account_config *a, const char *v,
		  char *why)
{
	if (strcmp(v, "validate") == 0)
		a->dnssec = DNSSEC_VALIDATE;
	else if (strcmp(v, "require") == 0)
		a->dnssec = DNSSEC_REQUIRE;
	else {
		snprintf(why, CONFIG_WHY_MAX, "must be validate or require");
		return WARD_ERR_INVAL;
	}
	return WARD_OK;
}

/* In the order of the K_* indices. */
static const struct config_key config_keys[K_COUNT] = {
    {"log_level", SEC_WARD, 0, config_set_log_level},
    {"jid", SEC_ACCOUNT, 0, config_set_jid},
    {"password_command", SEC_ACCOUNT, 0, config_set_password_command},
    {"password", SEC_ACCOUNT, 0, config_set_password},
    {"resource", SEC_ACCOUNT, 0, config_set_resource},
    {"server", SEC_ACCOUNT, 0, config_set_server},
    {"port", SEC_ACCOUNT, 0, config_set_port},
    {"direct_tls", SEC_ACCOUNT, 0, config_set_direct_tls},
    {"tls_min", SEC_ACCOUNT, 0, config_set_tls_min},
    {"ca_file", SEC_ACCOUNT, 0, config_set_ca_file},
    {"dns_trust_anchor", SEC_ACCOUNT, 0, config_set_dns_trust_anchor},
    {"dns_stub", SEC_ACCOUNT, 1, config_set_dns_stub},
    {"dnssec", SEC_ACCOUNT, 0, config_set_dnssec},
    {"keepalive", SEC_ACCOUNT, 0, config_set_keepalive},
};

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
	    (a->name = strndup(s, len)) == NULL ||
	    (a->resource = strdup("ward")) == NULL) {
		if (a != NULL)
			config_account_free(a);
		p->nomem = 1;
		return;
	}
	a->tls_min = 13;
	a->dnssec = DNSSEC_VALIDATE;
	a->keepalive = 90;
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
	if (len == 4 && memcmp(s, "ward", 4) == 0) {
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
		    "unknown section (expected [ward] or [account NAME])");
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
			     p->sec == SEC_WARD ? "ward" : "account");
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
	    (p.cfg->log_level = strdup("info")) == NULL) {
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

/*
 * Writes "key = value": quoted (escaping " and \) only when the text would
 * not read back as it is, and without the spaces around '=' when they
 * would push the line past CONFIG_LINE_MAX (the parsed line fitted, so
 * the dumped one does too).
 */
static int
config_dump_kv(struct wbuf *b, const char *key, const char *v)
{
	size_t len = strlen(v), extra = 0, i;
	int quote, r;

	quote = len == 0 || v[0] == '"' || v[0] == ' ' || v[0] == '\t' ||
		v[len - 1] == ' ' || v[len - 1] == '\t';
	if (quote)
		for (i = 0, extra = 2; i < len; i++)
			extra += v[i] == '"' || v[i] == '\\';
	if ((r = wbuf_puts(b, key)) != WARD_OK ||
	    (r = wbuf_puts(b, strlen(key) + 3 + len + extra > CONFIG_LINE_MAX
				  ? "="
				  : " = ")) != WARD_OK)
		return r;
	if (!quote)
		r = wbuf_puts(b, v);
	else {
		r = wbuf_put(b, "\"", 1);
		for (i = 0; i < len && r == WARD_OK; i++) {
			if (v[i] == '"' || v[i] == '\\')
				r = wbuf_put(b, "\\", 1);
			if (r == WARD_OK)
				r = wbuf_put(b, &v[i], 1);
		}
		if (r == WARD_OK)
			r = wbuf_put(b, "\"", 1);
	}
	if (r == WARD_OK)
		r = wbuf_put(b, "\n", 1);
	return r;
}

static int
config_dump_account(struct wbuf *b, const struct account_config *a,
		    int show_secrets)
{
	char tmp[512];
	size_t i;
	int r = WARD_OK;

#define DUMP(key, val)                                                         \
	do {                                                                   \
		if (r == WARD_OK && (val) != NULL)                             \
			r = config_dump_kv(b, key, val);                       \
	} while (0)
	r = wbuf_puts(b, "\n[account ");
	if (r == WARD_OK)
		r = wbuf_puts(b, a->name);
	if (r == WARD_OK)
		r = wbuf_puts(b, "]\n");
	DUMP("jid", a->jid);
	DUMP("password_command", a->password_command);
	if (a->password != NULL && show_secrets)
		DUMP("password", a->password);
	else if (a->password != NULL && r == WARD_OK)
		r = wbuf_puts(b, "# password = (set, not shown)\n");
	DUMP("resource", a->resource);
	if (a->server != NULL) {
		DUMP("server", a->server);
		snprintf(tmp, sizeof(tmp), "%u", a->port);
		DUMP("port", tmp);
		DUMP("direct_tls", a->direct_tls ? "yes" : "no");
	}
	DUMP("tls_min", a->tls_min == 12 ? "1.2" : "1.3");
	snprintf(tmp, sizeof(tmp), "%u", a->keepalive);
	DUMP("keepalive", tmp);
	DUMP("ca_file", a->ca_file);
	DUMP("dns_trust_anchor", a->dns_trust_anchor);
	for (i = 0; i < a->nstubs; i++) {
		snprintf(tmp, sizeof(tmp), "%s %s@%u", a->stubs[i].zone,
			 a->stubs[i].addr, a->stubs[i].port);
		DUMP("dns_stub", tmp);
	}
	DUMP("dnssec", a->dnssec == DNSSEC_REQUIRE ? "require" : "validate");
#undef DUMP
	return r;
}

char *
config_dump(const struct config *c, int show_secrets)
{
	const struct account_config *a;
	struct wbuf b;
	char *s = NULL;
	int r;

	wbuf_init(&b, CONFIG_DUMP_MAX);
	b.secret = show_secrets;
	r = wbuf_puts(&b, "[ward]\n");
	if (r == WARD_OK && c->log_level != NULL)
		r = config_dump_kv(&b, "log_level", c->log_level);
	for (a = c->accounts; a != NULL && r == WARD_OK; a = a->next)
		r = config_dump_account(&b, a, show_secrets);
	if (r == WARD_OK)
		r = wbuf_put(&b, "", 1);
	if (r == WARD_OK) {
		s = (char *)b.data; /* transferred */
		b.data = NULL;
	}
	wbuf_free(&b);
	return s;
}

static int
config_streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static int
config_account_equal(const struct account_config *a,
		     const struct account_config *b)
{
	size_t i;

	if (!config_streq(a->name, b->name) || !config_streq(a->jid, b->jid) ||
	    !config_streq(a->password_command, b->password_command) ||
	    !config_streq(a->password, b->password) ||
	    !config_streq(a->resource, b->resource) ||
	    !config_streq(a->server, b->server) || a->port != b->port ||
	    a->direct_tls != b->direct_tls || a->tls_min != b->tls_min ||
	    a->keepalive != b->keepalive ||
	    !config_streq(a->ca_file, b->ca_file) ||
	    !config_streq(a->dns_trust_anchor, b->dns_trust_anchor) ||
	    a->nstubs != b->nstubs || a->dnssec != b->dnssec)
		return 0;
	for (i = 0; i < a->nstubs; i++)
		if (!config_streq(a->stubs[i].zone, b->stubs[i].zone) ||
		    !config_streq(a->stubs[i].addr, b->stubs[i].addr) ||
		    a->stubs[i].port != b->stubs[i].port)
			return 0;
	return 1;
}

int
config_equal(const struct config *a, const struct config *b)
{
	const struct account_config *x, *y;

	if (a == NULL || b == NULL)
		return a == b;
	if (!config_streq(a->log_level, b->log_level))
		return 0;
	for (x = a->accounts, y = b->accounts; x != NULL && y != NULL;
	     x = x->next, y = y->next)
		if (!config_account_equal(x, y))
			return 0;
	return x == NULL && y == NULL;
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
out:
	if (text != NULL) {
		explicit_bzero(text, len);
		free(text);
	}
	close(fd);
	return r;
}
