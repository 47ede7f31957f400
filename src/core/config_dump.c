/*
 * config_dump.c: a configuration written back as ward.conf text
 * (--check-config) and compared with another.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ward.h"
#include "buf.h"
#include "config_priv.h"

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
	DUMP("chat_states", a->chat_states ? "yes" : "no");
	DUMP("receipts", a->receipts ? "yes" : "no");
	DUMP("markers", a->markers ? "yes" : "no");
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
	if (r == WARD_OK && c->auto_download > 0) {
		char n[32];
		snprintf(n, sizeof(n), "%llu", c->auto_download);
		r = config_dump_kv(&b, "auto_download", n);
	}
	for (a = c->accounts; a != NULL && r == WARD_OK; a = a->next)
		r = config_dump_account(&b, a, show_secrets);
	if (r == WARD_OK)
		r = config_ui_dump(&b, c);
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
	    a->chat_states != b->chat_states || a->receipts != b->receipts ||
	    a->markers != b->markers ||
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
	if (!config_streq(a->log_level, b->log_level) ||
	    a->auto_download != b->auto_download || !config_ui_equal(a, b))
		return 0;
	for (x = a->accounts, y = b->accounts; x != NULL && y != NULL;
	     x = x->next, y = y->next)
		if (!config_account_equal(x, y))
			return 0;
	return x == NULL && y == NULL;
}
