/*
 * test_config.c: unit tests for src/core/config*.c: every key valid and invalid,
 * file:line errors (all collected), the file permission rules, quoting,
 * limits, and dump -> reparse equality.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "ward.h"
#include "src/core/config.h" /* not "config.h": -I. would find configure's */

#define ACCT "[account a]\njid = alice@example.com\n"

static struct config *cfg;
static char *errs;

static int
teardown(void **state)
{
	config_free(cfg);
	cfg = NULL;
	free(errs);
	errs = NULL;
	return 0;
}

static int
parse(const char *text)
{
	config_free(cfg);
	free(errs);
	cfg = NULL;
	errs = NULL;
	return config_parse_buffer("t.conf", text, strlen(text), &cfg, &errs);
}

/* Parses text, which must fail with an error containing want. */
static void
check_error(const char *text, const char *want)
{
	int r = parse(text);

	if (r == WARD_OK)
		fail_msg("accepted: %s", text);
	assert_int_equal(r, WARD_ERR_INVAL);
	assert_null(cfg);
	assert_non_null(errs);
	if (strstr(errs, want) == NULL)
		fail_msg("error \"%s\" lacks \"%s\"", errs, want);
}

/* Parses ACCT + line, which must be accepted. */
static struct account_config *
parse_ok(const char *text)
{
	int r = parse(text);

	if (r != WARD_OK)
		fail_msg("refused: %s\nerrors: %s", text, errs);
	assert_null(errs);
	assert_non_null(cfg);
	return cfg->accounts;
}

static void
test_minimal_defaults(void **state)
{
	struct account_config *a = parse_ok(ACCT);

	assert_string_equal(a->name, "a");
	assert_string_equal(a->jid, "alice@example.com");
	assert_null(a->password);
	assert_null(a->password_command);
	assert_null(a->resource); /* random at each login */
	assert_null(a->server);
	assert_int_equal(a->port, 0);
	assert_int_equal(a->direct_tls, 0);
	assert_int_equal(a->tls_min, 13);
	assert_null(a->ca_file);
	assert_null(a->dns_trust_anchor);
	assert_int_equal(a->nstubs, 0);
	assert_int_equal(a->dnssec, DNSSEC_VALIDATE);
	/* contacts and private rooms get chat states, receipts, markers */
	assert_int_equal(a->chat_states, 1);
	assert_int_equal(a->receipts, 1);
	assert_int_equal(a->markers, 1);
	assert_null(a->next);
	assert_string_equal(cfg->log_level, "info");
}

/* Each signal switch on its own (policy_may_signal reads them). */
static void
test_signal_switches(void **state)
{
	struct account_config *a;

	(void)state;
	a = parse_ok(ACCT "receipts = no\n");
	assert_int_equal(a->chat_states, 1);
	assert_int_equal(a->receipts, 0);
	assert_int_equal(a->markers, 1);
	a = parse_ok(ACCT "chat_states = no\nmarkers = no\nreceipts = yes\n");
	assert_int_equal(a->chat_states, 0);
	assert_int_equal(a->receipts, 1);
	assert_int_equal(a->markers, 0);
}

static void
test_every_key(void **state)
{
	struct account_config *a =
	    parse_ok("# ward.conf\n"
		     "; another comment\n"
		     "\n"
		     "[ward]\n"
		     "log_level = debug\n"
		     "[account work]\n"
		     "jid = Bob@Example.ORG.\n"
		     "password_command = pass show 'xmpp/work'\n"
		     "resource = laptop\n"
		     "server = XMPP.example.org\n"
		     "port = 5223\n"
		     "direct_tls = yes\n"
		     "tls_min = 1.2\n"
		     "ca_file = /etc/ward/ca.pem\n"
		     "dns_trust_anchor = /etc/ward/anchor.key\n"
		     "dns_stub = example.test. 127.0.0.1@5353\n"
		     "dns_stub = other.test ::1\n"
		     "dnssec = require\n"
		     "[account second]\n"
		     "jid = c@d.example\n");

	assert_string_equal(cfg->log_level, "debug");
	assert_string_equal(a->name, "work");
	assert_string_equal(a->jid, "Bob@example.org");
	assert_string_equal(a->password_command, "pass show 'xmpp/work'");
	assert_string_equal(a->resource, "laptop");
	assert_string_equal(a->server, "xmpp.example.org");
	assert_int_equal(a->port, 5223);
	assert_int_equal(a->direct_tls, 1);
	assert_int_equal(a->tls_min, 12);
	assert_string_equal(a->ca_file, "/etc/ward/ca.pem");
	assert_string_equal(a->dns_trust_anchor, "/etc/ward/anchor.key");
	assert_int_equal(a->nstubs, 2);
	assert_string_equal(a->stubs[0].zone, "example.test");
	assert_string_equal(a->stubs[0].addr, "127.0.0.1");
	assert_int_equal(a->stubs[0].port, 5353);
	assert_string_equal(a->stubs[1].zone, "other.test");
	assert_string_equal(a->stubs[1].addr, "::1");
	assert_int_equal(a->stubs[1].port, 53);
	assert_int_equal(a->dnssec, DNSSEC_REQUIRE);
	assert_non_null(a->next);
	assert_string_equal(a->next->name, "second");
	assert_string_equal(config_account(cfg, "second")->jid, "c@d.example");
	assert_ptr_equal(config_account(cfg, NULL), a);
	assert_null(config_account(cfg, "third"));
}

static void
test_valid_values(void **state)
{
	struct account_config *a;

	a = parse_ok(ACCT "password = s3cret\n");
	assert_string_equal(a->password, "s3cret");
	a = parse_ok(ACCT "server = xmpp.example.com\n");
	assert_int_equal(a->port, 5222); /* default with server */
	assert_int_equal(a->direct_tls, 0);
	a = parse_ok(ACCT
		     "server = [2001:DB8::1]\nport = 1\ndirect_tls = no\n");
	assert_string_equal(a->server, "2001:db8::1");
	assert_int_equal(a->port, 1);
	a = parse_ok(ACCT "server = 192.0.2.1\nport = 65535\n");
	assert_string_equal(a->server, "192.0.2.1");
	assert_int_equal(a->port, 65535);
	a = parse_ok(ACCT "tls_min = 1.3\ndnssec = validate\n");
	assert_int_equal(a->tls_min, 13);
	assert_int_equal(a->dnssec, DNSSEC_VALIDATE);
	a = parse_ok(ACCT "dns_stub = . 192.0.2.53\n");
	assert_string_equal(a->stubs[0].zone, ".");
	a = parse_ok(ACCT "dns_stub = \"Ex_1.TEST\t2001:db8::0:1@53\"\n");
	assert_string_equal(a->stubs[0].zone, "ex_1.test");
	assert_string_equal(a->stubs[0].addr, "2001:db8::1");
	a = parse_ok(ACCT "resource = my phone \xe2\x98\x8e\n");
	assert_string_equal(a->resource, "my phone \xe2\x98\x8e");
	parse_ok("[ ward ]\nlog_level = info\n" ACCT);
	parse_ok("[ward]\nlog_level = warn\n" ACCT);
	parse_ok("[ward]\nlog_level = error\n" ACCT);
	parse_ok("[ account  A-b_c.9 ]\njid = x@y.example\n");
	a = parse_ok(ACCT "password_command = a 'b c' \"d\\\"e\"\n");
	assert_string_equal(a->password_command, "a 'b c' \"d\\\"e\"");
}

/* Each bad value is reported as t.conf:3: KEY: reason. */
static void
test_invalid_values(void **state)
{
	static const char *cases[][2] = {
	    {"jid = example.com", "t.conf:3: jid: needs a localpart"},
	    {"jid = a@b.example/res", "t.conf:3: jid: must be a bare JID"},
	    {"jid = a b@example.com", "t.conf:3: jid: not a valid JID"},
	    {"jid = a@exa..mple", "t.conf:3: jid: not a valid JID"},
	    {"password_command = pass 'x", "t.conf:3: password_command: "
					   "unbalanced"},
	    {"password_command = pass x\\", "t.conf:3: password_command:"},
	    {"server = bad!host", "t.conf:3: server: must be a host name"},
	    {"server = 999.1.1.1", "t.conf:3: server:"},
	    {"server = ::zz", "t.conf:3: server:"},
	    {"server = a..b", "t.conf:3: server:"},
	    {"server = h\xc3\xa9.example", "t.conf:3: server:"},
	    {"server = x\nport = 0", "t.conf:4: port: must be a number"},
	    {"server = x\nport = 65536", "t.conf:4: port:"},
	    {"server = x\nport = -1", "t.conf:4: port:"},
	    {"server = x\nport = 52x2", "t.conf:4: port:"},
	    {"server = x\nport = 123456", "t.conf:4: port:"},
	    {"server = x\nport = 1\ndirect_tls = true",
	     "t.conf:5: direct_tls: must be yes or no"},
	    {"tls_min = 1.1", "t.conf:3: tls_min: TLS 1.1 is refused"},
	    {"tls_min = 1.0", "t.conf:3: tls_min: TLS 1.0 is refused"},
	    {"tls_min = 1.4", "t.conf:3: tls_min: must be 1.3 or 1.2"},
	    {"tls_min = tls1.3", "t.conf:3: tls_min:"},
	    {"ca_file = certs/ca.pem", "t.conf:3: ca_file: must be an "
				       "absolute path"},
	    {"dns_trust_anchor = ~/k", "t.conf:3: dns_trust_anchor:"},
	    {"dns_stub = example.test", "t.conf:3: dns_stub: must be"},
	    {"dns_stub = a b c", "t.conf:3: dns_stub: must be"},
	    {"dns_stub = ex!mple 192.0.2.1", "t.conf:3: dns_stub: zone"},
	    {"dns_stub = a..b 192.0.2.1", "t.conf:3: dns_stub: zone"},
	    {"dns_stub = x.test 192.0.2.999", "t.conf:3: dns_stub: address"},
	    {"dns_stub = x.test ns.x.test", "t.conf:3: dns_stub: address"},
	    {"dns_stub = x.test [::1]", "t.conf:3: dns_stub: address"},
	    {"dns_stub = x.test 192.0.2.1@0", "t.conf:3: dns_stub: port"},
	    {"dns_stub = x.test 192.0.2.1@65536", "t.conf:3: dns_stub: port"},
	    {"dns_stub = x.test 192.0.2.1@", "t.conf:3: dns_stub: port"},
	    {"dns_stub = x.test 1.2.3.4\ndns_stub = X.test. ::1",
	     "t.conf:4: dns_stub: zone x.test given twice"},
	    {"dnssec = off", "t.conf:3: dnssec: must be validate or require"},
	    {"receipts = off", "t.conf:3: receipts: must be yes or no"},
	    {"chat_states = 1", "t.conf:3: chat_states: must be yes or no"},
	    {"markers = No", "t.conf:3: markers: must be yes or no"},
	    {"resource = \"\"", "t.conf:3: resource: empty value"},
	    {"password =", "t.conf:3: password: empty value"},
	    {"port", "t.conf:3: expected key = value"},
	    {"Port = 1", "t.conf:3: bad key name"},
	    {"= 1", "t.conf:3: bad key name"},
	    {"colour = red", "t.conf:3: colour: unknown key in [account]"},
	    {"log_level = info", "t.conf:3: log_level: unknown key in "
				 "[account]"},
	};
	char text[512];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (strncmp(cases[i][0], "jid", 3) == 0)
			snprintf(text, sizeof(text),
				 "[account a]\nresource = r\n%s\n",
				 cases[i][0]);
		else
			snprintf(text, sizeof(text), ACCT "%s\n", cases[i][0]);
		check_error(text, cases[i][1]);
	}
	check_error(ACCT "jid = b@example.com\n",
		    "t.conf:3: jid: duplicate (first set on line 2)");
	check_error("[ward]\nlog_level = verbose\n" ACCT,
		    "t.conf:2: log_level: must be debug, info, warn or error");
	check_error("[ward]\njid = a@b.c\n" ACCT,
		    "t.conf:2: jid: unknown key in [ward]");
}

static void
test_dns_stub_limit(void **state)
{
	char *text = malloc(64 * (CONFIG_STUBS_MAX + 2) + 64), *p;
	int i;

	assert_non_null(text);
	p = text + sprintf(text, ACCT);
	for (i = 0; i < CONFIG_STUBS_MAX; i++)
		p += sprintf(p, "dns_stub = z%d.test 192.0.2.1\n", i);
	parse_ok(text);
	assert_int_equal(cfg->accounts->nstubs, CONFIG_STUBS_MAX);
	sprintf(p, "dns_stub = last.test 192.0.2.1\n");
	check_error(text, "dns_stub: more than 64 stubs");
	free(text);
}

static void
test_cross_key_rules(void **state)
{
	check_error(ACCT "password = x\npassword_command = pass x\n",
		    "t.conf:4: password and password_command: set only one");
	check_error(ACCT "password_command = pass x\npassword = x\n",
		    "t.conf:4: password and password_command: set only one");
	check_error(ACCT "port = 5222\n", "t.conf:3: port: needs server");
	check_error(ACCT "direct_tls = no\n",
		    "t.conf:3: direct_tls: needs server and port");
	check_error(ACCT "server = x.example\ndirect_tls = yes\n",
		    "t.conf:4: direct_tls: needs an explicit port");
	check_error("[ward]\n[account a]\nresource = r\n",
		    "t.conf:2: account a: jid missing");
	/* the check runs when the next section starts, too */
	check_error("[account a]\n[account b]\njid = b@c.example\n",
		    "t.conf:1: account a: jid missing");
}

static void
test_structure_errors(void **state)
{
	check_error("jid = a@b.example\n" ACCT,
		    "t.conf:1: jid: outside a section");
	check_error("[wardd]\n" ACCT, "t.conf:1: unknown section");
	check_error("[account]\n" ACCT, "t.conf:1: [account]: NAME missing");
	check_error("[account a b]\n" ACCT, "t.conf:1: [account NAME]: NAME");
	check_error("[account a/b]\n" ACCT, "t.conf:1: [account NAME]");
	check_error("[account "
		    "a123456789012345678901234567890123456789012345678901234567"
		    "8901234]\n" ACCT, /* 65 bytes */
		    "t.conf:1: [account NAME]");
	check_error(ACCT "[account a]\njid = b@c.example\n",
		    "t.conf:3: [account a]: duplicate section");
	check_error("[ward\n" ACCT, "t.conf:1: section header: ] missing");
	check_error("[ward]\n[ward]\n" ACCT, "t.conf:2: [ward]: duplicate");
	check_error("", "t.conf: no [account NAME] section");
	check_error("# only a comment\n[ward]\n", "t.conf: no [account NAME]");
	/* keys under a bad section header are not reported again */
	check_error("[bogus]\nfoo = bar\n" ACCT, "t.conf:1: unknown section");
	assert_null(strstr(errs, "foo"));
}

static void
test_name_length_ok(void **state)
{
	parse_ok("[account "
		 "a123456789012345678901234567890123456789012345678901234567"
		 "890123]\njid = x@y.example\n");
	assert_int_equal(strlen(cfg->accounts->name), 64);
}

static void
test_bad_bytes(void **state)
{
	static const char nul[] = ACCT "resource = a\0b\n";
	int r;

	r = config_parse_buffer("t.conf", nul, sizeof(nul) - 1, &cfg, &errs);
	assert_int_equal(r, WARD_ERR_INVAL);
	assert_non_null(strstr(errs, "t.conf:3: NUL byte"));
	free(errs);
	errs = NULL;
	check_error(ACCT "resource = a\x01z\n", "t.conf:3: control character");
	check_error(ACCT "resource = a\xc2\x9bz\n", "t.conf:3: control char");
	check_error(ACCT "resource = \xff\n", "t.conf:3: not valid UTF-8");
	check_error(ACCT "resource = \xc0\xaf\n", "t.conf:3: not valid UTF-8");
	check_error(ACCT "resource = \xe2\x82\n", "t.conf:3: not valid UTF-8");
	check_error(ACCT "resource = a\rb\n", "t.conf:3: control character");
}

/* CRLF line ends and a last line without "\n" are fine. */
static void
test_line_ends(void **state)
{
	struct account_config *a;

	a = parse_ok(
	    "[account a]\r\njid = alice@example.com\r\n"
	    "resource = r\r\n\r\n# c\r\nport = 1\r\nserver = s.example");
	assert_string_equal(a->resource, "r");
	assert_string_equal(a->server, "s.example");
	assert_int_equal(a->port, 1);
}

static void
test_multiple_errors_collected(void **state)
{
	char *p;

	check_error("[account a]\n"
		    "jid = alice@example.com\n"
		    "port = x\n"
		    "\n"
		    "tls_min = 1.0\n"
		    "bogus = 1\n"
		    "dnssec = maybe\n",
		    "t.conf:3: port:");
	p = strstr(errs, "t.conf:3: port:");
	assert_non_null(p = strstr(p, "t.conf:5: tls_min:"));
	assert_non_null(p = strstr(p, "t.conf:6: bogus: unknown key"));
	assert_non_null(p = strstr(p, "t.conf:7: dnssec:"));
}

/* After CONFIG_ERRORS_MAX errors the rest are only counted. */
static void
test_error_cap(void **state)
{
	char *text = malloc(60 * 16 + 64), *p;
	int i, lines = 0;

	assert_non_null(text);
	p = text + sprintf(text, ACCT);
	for (i = 0; i < 60; i++)
		p += sprintf(p, "bad%d = 1\n", i);
	check_error(text, "t.conf: 10 more errors not shown");
	for (p = errs; (p = strchr(p, '\n')) != NULL; p++)
		lines++;
	assert_int_equal(lines, CONFIG_ERRORS_MAX + 1);
	free(text);
}

static char *
line_of(const char *key, const char *pre, size_t total, const char *post)
{
	size_t kl = strlen(key) + strlen(pre), pl = strlen(post);
	char *s = malloc(total + 2);

	assert_non_null(s);
	assert_true(total > kl + pl);
	memcpy(s, key, strlen(key));
	memcpy(s + strlen(key), pre, strlen(pre));
	memset(s + kl, 'x', total - kl - pl);
	memcpy(s + total - pl, post, pl);
	s[total] = '\n';
	s[total + 1] = '\0';
	return s;
}

static void
test_long_line(void **state)
{
	char *ok = line_of("password_command", " = ", CONFIG_LINE_MAX, "");
	char *bad = line_of("password_command", " = ", CONFIG_LINE_MAX + 1, "");
	char text[3 * CONFIG_LINE_MAX];

	snprintf(text, sizeof(text), ACCT "%s", ok);
	parse_ok(text);
	assert_int_equal(strlen(cfg->accounts->password_command),
			 CONFIG_LINE_MAX - 19);
	snprintf(text, sizeof(text), ACCT "%sdnssec = x\n", bad);
	check_error(text, "t.conf:3: line longer than 4096 bytes");
	/* reading goes on after the long line */
	assert_non_null(strstr(errs, "t.conf:4: dnssec:"));
	/* a long section header starts a section nobody can use */
	free(bad);
	bad = line_of("[account ", "", CONFIG_LINE_MAX + 1, "]");
	snprintf(text, sizeof(text), ACCT "%sfoo = 1\n", bad);
	check_error(text, "t.conf:3: line longer");
	assert_null(strstr(errs, "foo"));
	free(ok);
	free(bad);
}

static void
test_quotes(void **state)
{
	struct account_config *a;

	a = parse_ok(ACCT "password = \"a \\\"b\\\" \\\\ c \"\n");
	assert_string_equal(a->password, "a \"b\" \\ c ");
	a = parse_ok(ACCT "resource = \"  padded \"\n");
	assert_string_equal(a->resource, "  padded ");
	a = parse_ok(ACCT "password = \"\ttab\t\"\n");
	assert_string_equal(a->password, "\ttab\t");
	a = parse_ok(ACCT "password = ab\"c\\d\n"); /* unquoted: literal */
	assert_string_equal(a->password, "ab\"c\\d");
	a = parse_ok(ACCT "password = # not a comment\n");
	assert_string_equal(a->password, "# not a comment");
	a = parse_ok(ACCT "tls_min = \"1.2\"\n");
	assert_int_equal(a->tls_min, 12);
	check_error(ACCT "password = \"abc\n", "t.conf:3: password: closing "
					       "quote missing");
	check_error(ACCT "password = \"\n", "t.conf:3: password: closing");
	check_error(ACCT "password = \"a\"b\"\n",
		    "t.conf:3: password: unescaped \"");
	check_error(ACCT "password = \"a\\nb\"\n",
		    "t.conf:3: password: only \\\" and \\\\ escapes");
	check_error(ACCT "password = \"a\" b\n", "t.conf:3: password:");
}

/* Secrets never appear in error text. */
static void
test_errors_hide_secret(void **state)
{
	check_error(ACCT "password = hunter2\npassword = hunter3\n",
		    "t.conf:4: password: duplicate");
	assert_null(strstr(errs, "hunter"));
	check_error(ACCT "password = \"hunter2\n", "t.conf:3: password:");
	assert_null(strstr(errs, "hunter"));
}

static void check_roundtrip(const char *text);

static void
test_auto_download(void **state)
{
	(void)state;
	parse_ok(ACCT);
	assert_int_equal(cfg->auto_download, 0);	/* off by default */
	parse_ok("[ward]\nauto_download = 512K\n" ACCT);
	assert_int_equal(cfg->auto_download, 512 * 1024);
	parse_ok("[ward]\nauto_download = 100M\n" ACCT);
	assert_int_equal(cfg->auto_download, 100ULL * 1024 * 1024);
	parse_ok("[ward]\nauto_download = 1500\n" ACCT);
	assert_int_equal(cfg->auto_download, 1500);
	check_error("[ward]\nauto_download = 101M\n" ACCT, "up to 100M");
	check_error("[ward]\nauto_download = -1\n" ACCT, "up to 100M");
	check_error("[ward]\nauto_download = 5G\n" ACCT, "up to 100M");
	check_error("[ward]\nauto_download = K\n" ACCT, "up to 100M");
	check_roundtrip("[ward]\nauto_download = 2K\n" ACCT);
}

static void
check_roundtrip(const char *text)
{
	struct config *again = NULL;
	char *dump, *e2 = NULL;

	parse_ok(text);
	dump = config_dump(cfg, 1);
	assert_non_null(dump);
	if (config_parse_buffer("dump", dump, strlen(dump), &again, &e2) !=
	    WARD_OK)
		fail_msg("dump does not reparse: %s\n%s", e2, dump);
	assert_true(config_equal(cfg, again));
	config_free(again);
	freezero_str(dump);
}

static void
test_dump_roundtrip(void **state)
{
	char *big, text[3 * CONFIG_LINE_MAX];

	check_roundtrip(ACCT);
	check_roundtrip("[ward]\nlog_level = warn\n"
			"[account work]\n"
			"jid = Bob@Example.ORG.\n"
			"password = \" sp \\\"q\\\" \\\\ # ; [x] \"\n"
			"resource = \"\\\"quoted\"\n"
			"server = [2001:db8::0:1]\n"
			"port = 05223\n"
			"direct_tls = yes\n"
			"tls_min = 1.2\n"
			"ca_file = /c a\n"
			"dns_trust_anchor = /k\n"
			"dns_stub = Z.test. 192.0.2.1\n"
			"dns_stub = . ::1@5353\n"
			"dnssec = require\n"
			"[account b]\n"
			"jid = x@y.example\n"
			"password_command = \"pass show 'a b'\"\n");
	/* a line of exactly CONFIG_LINE_MAX bytes still fits when dumped */
	big = line_of("password=", "\"\\\"", CONFIG_LINE_MAX, "\\\\\"");
	snprintf(text, sizeof(text), ACCT "%s", big);
	check_roundtrip(text);
	free(big);
	big = line_of("password", "=", CONFIG_LINE_MAX, "");
	snprintf(text, sizeof(text), ACCT "%s", big);
	check_roundtrip(text);
	free(big);
}

static void
test_dump_hides_password(void **state)
{
	struct config *again = NULL;
	char *dump, *e2 = NULL;

	parse_ok(ACCT "password = hunter2\n");
	dump = config_dump(cfg, 0);
	assert_non_null(dump);
	assert_null(strstr(dump, "hunter2"));
	assert_non_null(strstr(dump, "# password = (set, not shown)"));
	assert_int_equal(
	    config_parse_buffer("d", dump, strlen(dump), &again, &e2), WARD_OK);
	assert_null(again->accounts->password);
	assert_false(config_equal(cfg, again));
	config_free(again);
	free(dump);
	dump = config_dump(cfg, 1);
	assert_non_null(strstr(dump, "password = hunter2"));
	freezero_str(dump);
}

static void
test_equal(void **state)
{
	struct config *b = NULL;
	char *e = NULL;
	const char *t = ACCT "dns_stub = a.test 192.0.2.1\n";

	parse_ok(t);
	assert_int_equal(config_parse_buffer("x", t, strlen(t), &b, &e),
			 WARD_OK);
	assert_true(config_equal(cfg, b));
	b->accounts->stubs[0].port = 54;
	assert_false(config_equal(cfg, b));
	b->accounts->stubs[0].port = 53;
	b->accounts->tls_min = 12;
	assert_false(config_equal(cfg, b));
	config_free(b);
	assert_false(config_equal(cfg, NULL));
}

static void
test_size_limit(void **state)
{
	size_t n = CONFIG_FILE_MAX + 1;
	char *text = malloc(n);

	assert_non_null(text);
	memset(text, '\n', n);
	memcpy(text, ACCT, strlen(ACCT));
	assert_int_equal(config_parse_buffer("t.conf", text, n, &cfg, &errs),
			 WARD_ERR_LIMIT);
	assert_non_null(strstr(errs, "t.conf: larger than 1 MiB"));
	free(errs);
	errs = NULL;
	assert_int_equal(
	    config_parse_buffer("t.conf", text, n - 1, &cfg, &errs), WARD_OK);
	free(text);
}

/* --- config_load(): files and their permissions --- */

static char tmpdir[64];

static int
setup_dir(void **state)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/ward-config-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	return 0;
}

static int
teardown_dir(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	assert_int_equal(system(cmd), 0);
	return teardown(state);
}

static char *
write_file(const char *name, const char *text, mode_t mode)
{
	static char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
	return path;
}

static int
load(const char *path)
{
	config_free(cfg);
	free(errs);
	cfg = NULL;
	errs = NULL;
	return config_load(path, &cfg, &errs);
}

static void
test_load_ok(void **state)
{
	char *path = write_file("ok.conf", ACCT "password = pw\n", 0600);

	assert_int_equal(load(path), WARD_OK);
	assert_null(errs);
	assert_string_equal(cfg->accounts->password, "pw");
	path = write_file("ro.conf", ACCT "password_command = pass x\n", 0644);
	assert_int_equal(load(path), WARD_OK);
	path = write_file("ro.conf", ACCT "password = pw\n", 0400);
	assert_int_equal(load(path), WARD_OK);
}

static void
test_load_password_needs_0600(void **state)
{
	char *path = write_file("pw.conf", ACCT "password = pw\n", 0644);
	char want[256];

	assert_int_equal(load(path), WARD_ERR_INVAL);
	assert_null(cfg);
	snprintf(want, sizeof(want),
		 "%s:3: password in a file readable by others; chmod 600 %s or "
		 "use password_command",
		 path, path);
	if (strstr(errs, want) == NULL)
		fail_msg("got: %s", errs);
	assert_null(strstr(errs, ": pw"));
	path = write_file("pw.conf", ACCT "password = pw\n", 0640);
	assert_int_equal(load(path), WARD_ERR_INVAL);
	path = write_file("pw.conf", ACCT "password = pw\n", 0604);
	assert_int_equal(load(path), WARD_ERR_INVAL);
	/* errors are collected with the others */
	path = write_file("pw.conf", ACCT "password = pw\nport = 1\n", 0644);
	assert_int_equal(load(path), WARD_ERR_INVAL);
	assert_non_null(strstr(errs, ":4: port: needs server"));
	assert_non_null(strstr(errs, ":3: password in a file readable"));
}

static void
test_load_refuses_writable(void **state)
{
	char *path = write_file("w.conf", ACCT, 0666);

	assert_int_equal(load(path), WARD_ERR_POLICY);
	assert_non_null(strstr(errs, "writable by group or others"));
	assert_null(cfg);
	path = write_file("w.conf", ACCT, 0620);
	assert_int_equal(load(path), WARD_ERR_POLICY);
	path = write_file("w.conf", ACCT, 0602);
	assert_int_equal(load(path), WARD_ERR_POLICY);
}

static void
test_load_refuses_non_regular(void **state)
{
	char path[128];

	assert_int_equal(load(tmpdir), WARD_ERR_POLICY);
	assert_non_null(strstr(errs, "not a regular file"));
	snprintf(path, sizeof(path), "%s/fifo", tmpdir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(load(path), WARD_ERR_POLICY); /* and does not block */
	assert_int_equal(load("/dev/null"), WARD_ERR_POLICY);
}

static void
test_load_refuses_foreign_owner(void **state)
{
	char *path = write_file("own.conf", ACCT, 0644);

	if (getuid() != 0)
		skip(); /* only root can give a file away */
	assert_int_equal(chown(path, 4242, 4242), 0);
	assert_int_equal(load(path), WARD_ERR_POLICY);
	assert_non_null(strstr(errs, "owned by uid 4242"));
}

static void
test_load_refuses_open_directory(void **state)
{
	char dir[128], path[160];
	int fd;

	snprintf(dir, sizeof(dir), "%s/open", tmpdir);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(chmod(dir, 0777), 0);
	snprintf(path, sizeof(path), "%s/ward.conf", dir);
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, ACCT, strlen(ACCT)), (ssize_t)strlen(ACCT));
	close(fd);
	assert_int_equal(load(path), WARD_ERR_POLICY);
	assert_non_null(strstr(errs, "directory"));
	assert_int_equal(chmod(dir, 01777), 0); /* sticky, like /tmp */
	assert_int_equal(load(path), WARD_OK);
	assert_int_equal(chmod(dir, 0700), 0);
	assert_int_equal(load(path), WARD_OK);
}

static void
test_load_missing_and_big(void **state)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/none.conf", tmpdir);
	assert_int_equal(load(path), WARD_ERR_SYSTEM);
	assert_non_null(strstr(errs, "cannot open"));
	snprintf(path, sizeof(path), "%s/big.conf", tmpdir);
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, CONFIG_FILE_MAX + 1), 0);
	close(fd);
	assert_int_equal(load(path), WARD_ERR_LIMIT);
	assert_non_null(strstr(errs, "larger than 1 MiB"));
}

/* [ui] and [keys]: defaults, values, refusals, and the dump reads back. */
static void
test_ui_keys(void **state)
{
	char *dump, *e2 = NULL;
	struct config *again = NULL;

	(void)state;
	assert_int_equal(parse(ACCT), WARD_OK);
	assert_string_equal(cfg->ui_theme, "dark");
	assert_string_equal(cfg->ui_time_format, "%H:%M");
	assert_int_equal(cfg->ui_bell, 1);
	assert_int_equal(cfg->ui_pane_set, 0);
	assert_int_equal(cfg->nkeys, 0);
	assert_int_equal(parse(ACCT "[ui]\ntheme = mono\nbell = no\n"
			       "pane = yes\ntime_format = \"%I:%M %p\"\n"
			       "[keys]\nM-n = next-window\nC-x = none\n"),
			 WARD_OK);
	assert_string_equal(cfg->ui_theme, "mono");
	assert_int_equal(cfg->ui_bell, 0);
	assert_int_equal(cfg->ui_pane, 1);
	assert_int_equal(cfg->ui_pane_set, 1);
	assert_string_equal(cfg->ui_time_format, "%I:%M %p");
	assert_int_equal(cfg->nkeys, 2);
	assert_string_equal(cfg->keys[0].key, "M-n");
	assert_string_equal(cfg->keys[0].action, "next-window");
	assert_int_equal(cfg->keys[1].line, 10);
	dump = config_dump(cfg, 0);
	assert_non_null(dump);
	assert_int_equal(config_parse_buffer("dump", dump, strlen(dump),
					     &again, &e2),
			 WARD_OK);
	assert_true(config_equal(cfg, again));
	config_free(again);
	free(dump);
	/* the brief's names: default, light, monochrome; truecolor */
	assert_int_equal(parse(ACCT "[ui]\ntheme = monochrome\n"
				    "colours = truecolor\n"),
			 WARD_OK);
	assert_string_equal(cfg->ui_theme, "monochrome");
	assert_string_equal(cfg->ui_colours, "truecolor");
	assert_int_equal(parse(ACCT "[ui]\ntheme = default\n"), WARD_OK);
	assert_string_equal(cfg->ui_theme, "default");
	assert_int_equal(parse(ACCT "[ui]\ntheme = light\n"), WARD_OK);
	check_error(ACCT "[ui]\ntheme = pink\n", "theme: must be");
	check_error(ACCT "[ui]\ncolours = 88\n", "colours: must be");
	check_error(ACCT "[ui]\nbell = maybe\n", "bell: must be yes or no");
	check_error(ACCT "[ui]\ntime_format = %Y\n", "time_format:");
	check_error(ACCT "[ui]\ntime_format = %H\033[2J\n", "control");
	check_error(ACCT "[ui]\nnosuch = 1\n", "nosuch: unknown key in [ui]");
	check_error(ACCT "[keys]\nM-n\n", "expected KEY = ACTION");
	check_error(ACCT "[keys]\nM n = x\n", "names like");
	check_error(ACCT "[keys]\nM-n = a\nM-n = b\n", "duplicate");
	check_error(ACCT "[ui]\n[ui]\n", "[ui]: duplicate section");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_minimal_defaults, teardown),
	    cmocka_unit_test_teardown(test_every_key, teardown),
	    cmocka_unit_test_teardown(test_signal_switches, teardown),
	    cmocka_unit_test_teardown(test_valid_values, teardown),
	    cmocka_unit_test_teardown(test_invalid_values, teardown),
	    cmocka_unit_test_teardown(test_dns_stub_limit, teardown),
	    cmocka_unit_test_teardown(test_cross_key_rules, teardown),
	    cmocka_unit_test_teardown(test_structure_errors, teardown),
	    cmocka_unit_test_teardown(test_name_length_ok, teardown),
	    cmocka_unit_test_teardown(test_bad_bytes, teardown),
	    cmocka_unit_test_teardown(test_line_ends, teardown),
	    cmocka_unit_test_teardown(test_multiple_errors_collected, teardown),
	    cmocka_unit_test_teardown(test_error_cap, teardown),
	    cmocka_unit_test_teardown(test_long_line, teardown),
	    cmocka_unit_test_teardown(test_quotes, teardown),
	    cmocka_unit_test_teardown(test_errors_hide_secret, teardown),
	    cmocka_unit_test_teardown(test_dump_roundtrip, teardown),
	    cmocka_unit_test_teardown(test_auto_download, teardown),
	    cmocka_unit_test_teardown(test_dump_hides_password, teardown),
	    cmocka_unit_test_teardown(test_equal, teardown),
	    cmocka_unit_test_teardown(test_size_limit, teardown),
	    cmocka_unit_test_teardown(test_ui_keys, teardown),
	    cmocka_unit_test_setup_teardown(test_load_ok, setup_dir,
					    teardown_dir),
	    cmocka_unit_test_setup_teardown(test_load_password_needs_0600,
					    setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_load_refuses_writable,
					    setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_load_refuses_non_regular,
					    setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_load_refuses_foreign_owner,
					    setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_load_refuses_open_directory,
					    setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_load_missing_and_big,
					    setup_dir, teardown_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
