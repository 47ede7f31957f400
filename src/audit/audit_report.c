/*
 * audit_report.c: the checks of `ward audit` as they are recorded, the rules
 * nobody outside the server can see, and the two outputs (a table for
 * people, one JSON object for scripts) with the exit status.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "json.h"
#include "sanitize.h"
#include "ward.h"

const char *
audit_verdict_name(enum audit_verdict v)
{
	static const char *const names[] = {"pass",           "partial",
					    "fail",           "unknown",
					    "not-observable", "needs-account"};
	return (unsigned)v < sizeof(names) / sizeof(names[0]) ? names[v]
							      : "unknown";
}

static const char *
level_name(enum audit_level l)
{
	return l == AUDIT_MUST ? "MUST" : l == AUDIT_SHOULD ? "SHOULD" : "MAY";
}

void
audit_add(struct audit *au, const char *id, const char *rule,
	  enum audit_level level, enum audit_verdict v, const char *fmt, ...)
{
	struct audit_check *c;
	char raw[AUDIT_EVIDENCE_MAX * 2], *clean;
	va_list ap;

	if (au->nchecks >= AUDIT_MAX_CHECKS)
		return;
	c = &au->checks[au->nchecks++];
	c->id = id;
	c->rule = rule;
	c->level = level;
	c->verdict = v;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	/* evidence quotes the server (names, mechanisms): one safe line */
	clean = sanitize_for_log(raw, strlen(raw), NULL);
	snprintf(c->evidence, sizeof(c->evidence), "%s", clean ? clean : "");
	free(clean);
	if (au->tsv != NULL) {
		fprintf(au->tsv, "check\t%s\t%s\t%s\t%s\t%s\n", c->id,
			level_name(c->level), audit_verdict_name(c->verdict),
			c->rule, c->evidence);
		fflush(au->tsv);
	}
}

const struct audit_check *
audit_find(const struct audit *au, const char *id)
{
	size_t i;

	for (i = 0; i < au->nchecks; i++)
		if (strcmp(au->checks[i].id, id) == 0)
			return &au->checks[i];
	return NULL;
}

void
audit_progress(const struct audit *au, const char *what)
{
	if (au->progress)
		fprintf(stderr, "\r\033[K[audit %s] %s", au->domain, what);
}

void
audit_unobservable(struct audit *au)
{
	audit_add(au, "server.password-hashing",
		  "passwords hashed with a strong mechanism", AUDIT_MUST,
		  AUDIT_NOT_OBSERVABLE,
		  "stored on the server; SCRAM only hints at it");
	audit_add(au, "server.auth-limits",
		  "limits on failed password attempts", AUDIT_MUST,
		  AUDIT_NOT_OBSERVABLE,
		  "seen only by failing logins, which the audit never tries");
	audit_add(au, "server.blocklists", "JID and server blocklists used",
		  AUDIT_SHOULD, AUDIT_NOT_OBSERVABLE, "server-side policy");
	audit_add(au, "server.registration-limits",
		  "registrations limited per IP and time", AUDIT_SHOULD,
		  AUDIT_NOT_OBSERVABLE, "the audit never registers");
}

int
audit_exit_status(const struct audit *au)
{
	size_t i;

	for (i = 0; i < au->nchecks; i++)
		if (au->checks[i].level == AUDIT_MUST &&
		    au->checks[i].verdict == AUDIT_FAIL)
			return 1;
	return 0;
}

void
audit_print_table(const struct audit *au, FILE *out)
{
	size_t i;
	char *dom = sanitize_for_terminal(au->domain, strlen(au->domain), NULL);

	fprintf(out, "ward audit %s\n\n", dom ? dom : "?");
	fprintf(out, "%-15s %-6s %-26s %s\n", "VERDICT", "LEVEL", "CHECK",
		"RULE / EVIDENCE");
	for (i = 0; i < au->nchecks; i++) {
		const struct audit_check *c = &au->checks[i];
		fprintf(out, "%-15s %-6s %-26s %s\n",
			audit_verdict_name(c->verdict), level_name(c->level),
			c->id, c->rule);
		if (c->evidence[0] != '\0')
			fprintf(out, "%-15s %-6s %-26s   %s\n", "", "", "",
				c->evidence);
	}
	fprintf(out, "\n%s\n",
		audit_exit_status(au) == 0 ? "every MUST observed held"
					   : "a MUST observed failed");
	free(dom);
}

int
audit_print_json(const struct audit *au, FILE *out)
{
	struct json j;
	size_t i, len;
	char *s;

	json_begin(&j);
	json_str(&j, "domain", au->domain);
	json_bool(&j, "ok", audit_exit_status(au) == 0);
	json_arr_open(&j, "checks");
	for (i = 0; i < au->nchecks; i++) {
		const struct audit_check *c = &au->checks[i];
		json_obj_open(&j, NULL);
		json_str(&j, "id", c->id);
		json_str(&j, "rule", c->rule);
		json_str(&j, "level", level_name(c->level));
		json_str(&j, "verdict", audit_verdict_name(c->verdict));
		json_str(&j, "evidence", c->evidence);
		json_obj_close(&j);
	}
	json_arr_close(&j);
	s = json_end(&j, &len);
	if (s == NULL)
		return -1;
	fwrite(s, 1, len, out);
	free(s);
	return 0;
}

void
audit_print_tsv(const struct audit *au, FILE *out)
{
	fprintf(out, "end\t%d\n", audit_exit_status(au) == 0);
}
