/*
 * config_keys.c: every ward.conf key, the check of its value and where it
 * is stored (config_keys[]). A setter copies what it keeps and explains a
 * refusal in why.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ward.h"
#include "config_priv.h"
#include "jid.h"
#include "password.h"

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

/* "yes" or "no" into *flag. */
static int
config_yes_no(int *flag, const char *v, char *why)
{
	if (strcmp(v, "yes") == 0)
		*flag = 1;
	else if (strcmp(v, "no") == 0)
		*flag = 0;
	else {
		snprintf(why, CONFIG_WHY_MAX, "must be yes or no");
		return WARD_ERR_INVAL;
	}
	return WARD_OK;
}

static int
config_set_chat_states(struct config *c, struct account_config *a,
		       const char *v, char *why)
{
	return config_yes_no(&a->chat_states, v, why);
}

static int
config_set_receipts(struct config *c, struct account_config *a, const char *v,
		    char *why)
{
	return config_yes_no(&a->receipts, v, why);
}

static int
config_set_markers(struct config *c, struct account_config *a, const char *v,
		   char *why)
{
	return config_yes_no(&a->markers, v, why);
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

/* auto_download = 0 | N | NK | NM (bytes, KiB, MiB; at most 100M). */
static int
config_set_auto_download(struct config *c, struct account_config *a,
			 const char *v, char *why)
{
	unsigned long long n = 0, mul = 1;
	size_t i, len = strlen(v);

	(void)a;
	if (len > 0 && (v[len - 1] == 'K' || v[len - 1] == 'k'))
		mul = 1024, len--;
	else if (len > 0 && (v[len - 1] == 'M' || v[len - 1] == 'm'))
		mul = 1024 * 1024, len--;
	if (len == 0 || len > 9)
		goto bad;
	for (i = 0; i < len; i++) {
		if (v[i] < '0' || v[i] > '9')
			goto bad;
		n = n * 10 + (unsigned long long)(v[i] - '0');
	}
	n *= mul;
	if (n > 100ULL * 1024 * 1024)
		goto bad;
	c->auto_download = n;
	return WARD_OK;
bad:
	snprintf(why, CONFIG_WHY_MAX,
		 "a size up to 100M: 0 (off), N bytes, NK or NM");
	return WARD_ERR_INVAL;
}

/* In the order of the K_* indices. */
const struct config_key config_keys[K_COUNT] = {
    {"log_level", SEC_WARD, 0, config_set_log_level},
    {"auto_download", SEC_WARD, 0, config_set_auto_download},
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
    {"chat_states", SEC_ACCOUNT, 0, config_set_chat_states},
    {"receipts", SEC_ACCOUNT, 0, config_set_receipts},
    {"markers", SEC_ACCOUNT, 0, config_set_markers},
    {"theme", SEC_UI, 0, config_set_ui_theme},
    {"colours", SEC_UI, 0, config_set_ui_colours},
    {"bell", SEC_UI, 0, config_set_ui_bell},
    {"title", SEC_UI, 0, config_set_ui_title},
    {"pane", SEC_UI, 0, config_set_ui_pane},
    {"time_format", SEC_UI, 0, config_set_ui_time_format},
};
