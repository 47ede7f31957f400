/*
 * audit_account.c: the server rules only a logged-in client can see,
 * checked by `ward audit DOMAIN --account NAME` over one login of its own
 * (audit_login.c): the XEP-0157 abuse address (disco#info of the domain),
 * the HTTP upload slot paths (the XEP-0363 service found by disco, two
 * slots asked for and compared by audit_slots.c; nothing is ever PUT) and
 * the ports of the XEP-0215 STUN/TURN services. Only iq gets and the two
 * slot requests are sent. Without an account, or with one on another
 * domain, they are "needs-account"; a failed login makes them "unknown".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit.h"
#include "audit_login.h"
#include "config.h"
#include "dataform.h"
#include "jid.h"
#include "stanza.h"
#include "ward.h"

#define NS_DISCO_INFO "http://jabber.org/protocol/disco#info"
#define NS_DISCO_ITEMS "http://jabber.org/protocol/disco#items"
#define NS_SERVERINFO "http://jabber.org/network/serverinfo"
#define NS_UPLOAD "urn:xmpp:http:upload:0"
#define NS_EXTDISCO2 "urn:xmpp:extdisco:2"
#define NS_EXTDISCO1 "urn:xmpp:extdisco:1"
#define AUDIT_MAX_ITEMS 16    /* disco#items asked about, at most */
#define AUDIT_MAX_SERVICES 16 /* XEP-0215 services listed, at most */
/* the made-up file both slots are asked for (never uploaded) */
#define PROBE_FILENAME "ward-audit-probe.txt"
#define PROBE_SIZE "16"

static const char RULE_ABUSE[] = "abuse contact published (XEP-0157)";
static const char RULE_PATHS[] = "HTTP upload paths hold a random part";
static const char RULE_USER[] = "HTTP upload paths without the username";
static const char RULE_STUN[] = "STUN/TURN on non-standard ports (XEP-0215)";

/* The four rules with one verdict and one reason (no login, or none
 * possible). */
static void
all_four(struct audit *au, enum audit_verdict v, const char *why)
{
	audit_add(au, "xep0157.abuse", RULE_ABUSE, AUDIT_MUST, v, "%s", why);
	audit_add(au, "upload.paths", RULE_PATHS, AUDIT_MUST, v, "%s", why);
	audit_add(au, "upload.username", RULE_USER, AUDIT_SHOULD, v, "%s", why);
	audit_add(au, "stun.ports", RULE_STUN, AUDIT_SHOULD, v, "%s", why);
}

/* "error CONDITION" of an iq error, for evidence. */
static const char *
iq_error(xmpp_stanza_t *iq)
{
	const char *c = stanza_error_condition(iq);

	return c != NULL ? c : "without a condition";
}

static int
is_result(xmpp_stanza_t *iq)
{
	const char *t = xmpp_stanza_get_type(iq);

	return t != NULL && strcmp(t, "result") == 0;
}

/* An iq get of <name xmlns=ns/> to to: the answer or NULL with why. */
static xmpp_stanza_t *
ask(struct alogin *l, const char *to, const char *name, const char *ns,
    char *why, size_t whylen)
{
	return alogin_iq(l, "get", to, stanza_elem(l->xctx, name, ns), why,
			 whylen);
}

/* XEP-0157: the serverinfo form of the domain's disco#info. */
static void
check_abuse(struct audit *au, struct alogin *l, xmpp_stanza_t *info,
	    const char *why)
{
	xmpp_stanza_t *q, *x;
	struct dataform *form = NULL;
	struct df_field *f;
	char list[AUDIT_EVIDENCE_MAX] = "", vars[200] = "";
	size_t i, len;

	if (info == NULL || !is_result(info)) {
		audit_add(au, "xep0157.abuse", RULE_ABUSE, AUDIT_MUST,
			  AUDIT_UNKNOWN, "disco#info of %s: %s", au->domain,
			  info ? iq_error(info) : why);
		return;
	}
	q = xmpp_stanza_get_child_by_name_and_ns(info, "query", NS_DISCO_INFO);
	for (x = q ? xmpp_stanza_get_children(q) : NULL; x && !form;
	     x = xmpp_stanza_get_next(x)) {
		struct df_field *ft;
		if (!xmpp_stanza_is_tag(x) ||
		    strcmp(xmpp_stanza_get_name(x), "x") != 0 ||
		    (form = dataform_parse(l->xctx, x)) == NULL)
			continue;
		ft = dataform_field(form, "FORM_TYPE");
		if (ft == NULL || ft->nvalues == 0 ||
		    strcmp(ft->values[0], NS_SERVERINFO) != 0) {
			dataform_free(form);
			form = NULL;
		}
	}
	if (form == NULL) {
		audit_add(au, "xep0157.abuse", RULE_ABUSE, AUDIT_MUST,
			  AUDIT_FAIL,
			  "no XEP-0157 form (FORM_TYPE %s) in the disco#info "
			  "of %s",
			  NS_SERVERINFO, au->domain);
		return;
	}
	f = dataform_field(form, "abuse-addresses");
	for (i = 0; f != NULL && i < f->nvalues; i++) {
		if (f->values[i][0] == '\0')
			continue;
		len = strlen(list);
		snprintf(list + len, sizeof(list) - len, "%s%s",
			 len ? ", " : "", f->values[i]);
	}
	for (i = 0; list[0] == '\0' && i < form->nfields; i++) {
		const char *var = form->fields[i].var;
		if (var == NULL || strcmp(var, "FORM_TYPE") == 0 ||
		    form->fields[i].nvalues == 0)
			continue;
		len = strlen(vars);
		snprintf(vars + len, sizeof(vars) - len, "%s%s",
			 len ? ", " : "", var);
	}
	if (list[0] != '\0')
		audit_add(au, "xep0157.abuse", RULE_ABUSE, AUDIT_MUST,
			  AUDIT_PASS, "abuse-addresses: %s", list);
	else
		audit_add(au, "xep0157.abuse", RULE_ABUSE, AUDIT_MUST,
			  AUDIT_FAIL,
			  "no abuse-addresses in the server's contact form "
			  "(it lists: %s)",
			  vars[0] ? vars : "nothing");
	dataform_free(form);
}

/* The XEP-0363 service: the domain itself, or the first disco#items item
 * whose disco#info has the feature. svc gets its JID; why says what was
 * asked when none is found. 1 found, 0 none, -1 could not tell. */
static int
find_upload(struct audit *au, struct alogin *l, xmpp_stanza_t *info, char *svc,
	    size_t svclen, char *why, size_t whylen)
{
	xmpp_stanza_t *items, *q, *it;
	char *jids[AUDIT_MAX_ITEMS];
	size_t n = 0, i;
	int found = 0, unanswered = 0;
	char iwhy[128];

	if (info != NULL && is_result(info) &&
	    stanza_has_child_attr(xmpp_stanza_get_child_by_name_and_ns(
				      info, "query", NS_DISCO_INFO),
				  "feature", "var", NS_UPLOAD)) {
		snprintf(svc, svclen, "%s", au->domain);
		return 1;
	}
	items = ask(l, au->domain, "query", NS_DISCO_ITEMS, iwhy, sizeof(iwhy));
	if (items == NULL) {
		snprintf(why, whylen, "disco#items of %s: %s", au->domain,
			 iwhy);
		return -1;
	}
	if (!is_result(items)) {
		snprintf(why, whylen, "disco#items of %s: error %s", au->domain,
			 iq_error(items));
		xmpp_stanza_release(items);
		return -1;
	}
	q = xmpp_stanza_get_child_by_name_and_ns(items, "query",
						 NS_DISCO_ITEMS);
	for (it = q ? xmpp_stanza_get_children(q) : NULL;
	     it && n < AUDIT_MAX_ITEMS; it = xmpp_stanza_get_next(it)) {
		const char *jid = xmpp_stanza_is_tag(it)
				      ? xmpp_stanza_get_attribute(it, "jid")
				      : NULL;
		if (jid != NULL && strlen(jid) < svclen &&
		    strcmp(xmpp_stanza_get_name(it), "item") == 0)
			jids[n++] = xstrdup(jid);
	}
	xmpp_stanza_release(items);
	for (i = 0; i < n && !found && !l->p.closed; i++) {
		xmpp_stanza_t *ii =
		    ask(l, jids[i], "query", NS_DISCO_INFO, iwhy, sizeof(iwhy));
		if (ii == NULL) {
			unanswered++;
			continue;
		}
		if (is_result(ii) &&
		    stanza_has_child_attr(xmpp_stanza_get_child_by_name_and_ns(
					      ii, "query", NS_DISCO_INFO),
					  "feature", "var", NS_UPLOAD)) {
			snprintf(svc, svclen, "%s", jids[i]);
			found = 1;
		}
		xmpp_stanza_release(ii);
	}
	for (i = 0; i < n; i++)
		free(jids[i]);
	if (found)
		return 1;
	snprintf(why, whylen,
		 "no HTTP upload service (%s) on %s nor among its %zu "
		 "disco#items%s",
		 NS_UPLOAD, au->domain, n,
		 unanswered ? " (some did not answer)" : "");
	return unanswered ? -1 : 0;
}

/* One slot for the probe file: 0 with the URLs (caller frees), or -1
 * with why. */
static int
ask_slot(struct alogin *l, const char *svc, char **put, char **get, char *why,
	 size_t whylen)
{
	xmpp_stanza_t *req = stanza_elem(l->xctx, "request", NS_UPLOAD);
	xmpp_stanza_t *res, *slot, *p, *g;
	const char *pu, *gu;

	*put = *get = NULL;
	xmpp_stanza_set_attribute(req, "filename", PROBE_FILENAME);
	xmpp_stanza_set_attribute(req, "size", PROBE_SIZE);
	xmpp_stanza_set_attribute(req, "content-type", "text/plain");
	res = alogin_iq(l, "get", svc, req, why, whylen);
	if (res == NULL)
		return -1;
	slot =
	    is_result(res)
		? xmpp_stanza_get_child_by_name_and_ns(res, "slot", NS_UPLOAD)
		: NULL;
	p = slot ? xmpp_stanza_get_child_by_name(slot, "put") : NULL;
	g = slot ? xmpp_stanza_get_child_by_name(slot, "get") : NULL;
	pu = p ? xmpp_stanza_get_attribute(p, "url") : NULL;
	gu = g ? xmpp_stanza_get_attribute(g, "url") : NULL;
	if (pu == NULL || gu == NULL) {
		snprintf(why, whylen, "the upload service %.200s %s", svc,
			 is_result(res) ? "sent no usable slot"
					: "refused a slot: error");
		if (!is_result(res)) {
			size_t len = strlen(why);
			snprintf(why + len, whylen - len, " %s", iq_error(res));
		}
		xmpp_stanza_release(res);
		return -1;
	}
	*put = xstrdup(pu);
	*get = xstrdup(gu);
	xmpp_stanza_release(res);
	return 0;
}

/* Two slots, compared; the URLs are wiped, never shown. */
static void
check_upload(struct audit *au, struct alogin *l, xmpp_stanza_t *info,
	     const char *local)
{
	char svc[JID_PART_MAX * 3 + 3], why[300];
	char *put[2] = {NULL, NULL}, *get[2] = {NULL, NULL};
	struct audit_slot_verdict v;
	int r, i;

	audit_progress(au, "upload slots");
	r = find_upload(au, l, info, svc, sizeof(svc), why, sizeof(why));
	if (r <= 0) {
		audit_add(au, "upload.paths", RULE_PATHS, AUDIT_MUST,
			  AUDIT_UNKNOWN, "%s", why);
		audit_add(au, "upload.username", RULE_USER, AUDIT_SHOULD,
			  AUDIT_UNKNOWN, "%s", why);
		return;
	}
	for (i = 0; i < 2; i++)
		if (ask_slot(l, svc, &put[i], &get[i], why, sizeof(why)) != 0)
			break;
	if (i < 2) {
		audit_add(au, "upload.paths", RULE_PATHS, AUDIT_MUST,
			  AUDIT_UNKNOWN, "%s", why);
		audit_add(au, "upload.username", RULE_USER, AUDIT_SHOULD,
			  AUDIT_UNKNOWN, "%s", why);
	} else {
		audit_slots_judge(get[0], put[0], get[1], put[1],
				  PROBE_FILENAME, local, &v);
		audit_add(au, "upload.paths", RULE_PATHS, AUDIT_MUST, v.random,
			  "service %s, two slots (nothing uploaded): %s; %s",
			  svc, v.random_why, v.shape);
		audit_add(au, "upload.username", RULE_USER, AUDIT_SHOULD,
			  v.username, "service %s: %s", svc, v.username_why);
	}
	for (i = 0; i < 2; i++) {
		if (put[i] != NULL)
			freezero_str(put[i]);
		if (get[i] != NULL)
			freezero_str(get[i]);
	}
}

/* The XEP-0215 services (extdisco:2, else :1): NULL with why, or the
 * <services/> element's iq (caller releases). */
static xmpp_stanza_t *
ask_services(struct audit *au, struct alogin *l, xmpp_stanza_t **services,
	     int *silent, char *why, size_t whylen)
{
	static const char *const ns[2] = {NS_EXTDISCO2, NS_EXTDISCO1};
	xmpp_stanza_t *res;
	size_t i, len;

	why[0] = '\0';
	*silent = 0;
	for (i = 0; i < 2; i++) {
		char iwhy[128];
		res = ask(l, au->domain, "services", ns[i], iwhy, sizeof(iwhy));
		len = strlen(why);
		if (res == NULL) {
			*silent = 1;
			snprintf(why + len, whylen - len, "%s%s: %s",
				 len ? "; " : "", ns[i], iwhy);
			if (!l->p.closed)
				continue;
			return NULL;
		}
		if (is_result(res) &&
		    (*services = xmpp_stanza_get_child_by_name_and_ns(
			 res, "services", ns[i])) != NULL)
			return res;
		snprintf(why + len, whylen - len, "%s%s: %s%s", len ? "; " : "",
			 ns[i], is_result(res) ? "no <services/>" : "error ",
			 is_result(res) ? "" : iq_error(res));
		xmpp_stanza_release(res);
	}
	return NULL;
}

/* XEP-0215: every STUN/TURN service's port against 3478 and 5349. */
static void
check_stun(struct audit *au, struct alogin *l)
{
	xmpp_stanza_t *res, *services = NULL, *s;
	char list[AUDIT_EVIDENCE_MAX] = "", why[300];
	size_t n = 0, standard = 0, listed = 0, len;
	int silent;

	audit_progress(au, "STUN/TURN services");
	res = ask_services(au, l, &services, &silent, why, sizeof(why));
	if (res == NULL) {
		audit_add(au, "stun.ports", RULE_STUN, AUDIT_SHOULD,
			  AUDIT_UNKNOWN,
			  silent ? "XEP-0215 not answered (%s)"
				 : "no STUN/TURN services announced (%s); one "
				   "the server runs without announcing it "
				   "cannot be seen",
			  why);
		return;
	}
	for (s = xmpp_stanza_get_children(services); s != NULL;
	     s = xmpp_stanza_get_next(s)) {
		const char *type, *host, *port, *tr;
		unsigned long pn;
		char *end;
		int secure, std;

		if (!xmpp_stanza_is_tag(s) ||
		    strcmp(xmpp_stanza_get_name(s), "service") != 0 ||
		    (type = xmpp_stanza_get_attribute(s, "type")) == NULL)
			continue;
		if (strcmp(type, "stun") && strcmp(type, "stuns") &&
		    strcmp(type, "turn") && strcmp(type, "turns"))
			continue;
		secure = type[4] == 's';
		host = xmpp_stanza_get_attribute(s, "host");
		port = xmpp_stanza_get_attribute(s, "port");
		tr = xmpp_stanza_get_attribute(s, "transport");
		/* no port: the type's default (RFC 7064/7065), standard */
		pn = port ? strtoul(port, &end, 10) : (secure ? 5349 : 3478);
		if (port != NULL && (*end != '\0' || pn == 0 || pn > 65535))
			continue; /* not a port: not judged */
		n++;
		std = pn == 3478 || pn == 5349;
		standard += std;
		/* credentials (username, password) are never shown */
		if (listed < AUDIT_MAX_SERVICES) {
			len = strlen(list);
			snprintf(list + len, sizeof(list) - len,
				 "%s%s %.80s:%lu/%s%s", len ? ", " : "", type,
				 host ? host : "?", pn, tr ? tr : "udp",
				 std ? " (standard port)" : "");
			listed++;
		}
	}
	if (n == 0)
		audit_add(au, "stun.ports", RULE_STUN, AUDIT_SHOULD,
			  AUDIT_UNKNOWN,
			  "XEP-0215 answered with no STUN/TURN service; one "
			  "the server runs without announcing it cannot be "
			  "seen");
	else
		audit_add(au, "stun.ports", RULE_STUN, AUDIT_SHOULD,
			  standard == 0   ? AUDIT_PASS
			  : standard == n ? AUDIT_FAIL
					  : AUDIT_PARTIAL,
			  "%zu of %zu on 3478/5349: %s", standard, n, list);
	xmpp_stanza_release(res);
}

void
audit_account(struct audit *au)
{
	const struct account_config *ac = au->account;
	struct alogin l;
	struct jid j;
	xmpp_stanza_t *info;
	char why[300];

	if (ac == NULL) {
		all_four(au, AUDIT_NEEDS_ACCOUNT,
			 "needs a login: give --account NAME (an account on "
			 "this server)");
		return;
	}
	if (jid_parse(ac->jid, &j) != WARD_OK) {
		all_four(au, AUDIT_UNKNOWN, "the account's jid cannot be read");
		return;
	}
	if (strcasecmp(j.domain, au->domain) != 0) {
		snprintf(why, sizeof(why),
			 "needs an account on %s; %s is on %s: no login",
			 au->domain, au->account_name, j.domain);
		all_four(au, AUDIT_NEEDS_ACCOUNT, why);
		jid_clear(&j);
		return;
	}
	audit_progress(au, "logging in");
	if (alogin_open(&l, au, ac, why, sizeof(why)) != 0) {
		char text[400];
		snprintf(text, sizeof(text), "login as %s failed: %s", ac->jid,
			 why);
		all_four(au, AUDIT_UNKNOWN, text);
		jid_clear(&j);
		return;
	}
	audit_progress(au, "contact addresses");
	info = ask(&l, au->domain, "query", NS_DISCO_INFO, why, sizeof(why));
	check_abuse(au, &l, info, why);
	check_upload(au, &l, info, j.local);
	if (info != NULL)
		xmpp_stanza_release(info);
	check_stun(au, &l);
	alogin_close(&l);
	jid_clear(&j);
}
