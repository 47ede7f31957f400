/*
 * audit_features.c: what the server's stream offers, read by `ward audit`
 * before and after TLS: encryption required before authentication, the
 * SASL mechanisms (SCRAM-SHA-256 or better, -PLUS, XEP-0440 channel-binding
 * types, PLAIN never before TLS), the XEP-0478 stream limits, and whether
 * in-band registration is open (the feature, or an iq get of
 * jabber:iq:register without submitting anything) and guarded by a captcha
 * or invitations. Nothing is ever submitted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ssl.h>

#include "audit.h"
#include "audit_io.h"
#include "ward.h"

#define NS_CB "urn:xmpp:sasl-cb:0"
#define NS_LIMITS "urn:xmpp:stream-limits:0"
#define NS_REG_FEATURE "http://jabber.org/features/iq-register"
#define NS_REGISTER "jabber:iq:register"
#define NS_IBR_TOKEN "urn:xmpp:ibr-token:0"
#define NS_INVITE "urn:xmpp:invite"
#define NS_CAPTCHA "urn:xmpp:captcha"

/* What one features element says. */
struct offer {
	int have;
	int starttls, starttls_required;
	char mechs[256]; /* "SCRAM-SHA-1 PLAIN" */
	int plain, scram256, plus;
	char cbtypes[128]; /* XEP-0440 */
	long max_bytes;    /* -1: not advertised */
	int reg_feature;   /* in-band registration advertised */
	int token_feature; /* ibr-token / invitations advertised */
	char version[48];  /* TLS version and cipher, "" before TLS */
};

static void
append(char *dst, size_t dstlen, const char *word)
{
	size_t len = strlen(dst);

	if (len + strlen(word) + 2 < dstlen)
		snprintf(dst + len, dstlen - len, "%s%s", len ? " " : "", word);
}

static void
read_offer(xmpp_stanza_t *f, struct offer *o)
{
	xmpp_stanza_t *m, *c;

	memset(o, 0, sizeof(*o));
	o->max_bytes = -1;
	if (f == NULL)
		return;
	o->have = 1;
	if ((c = xmpp_stanza_get_child_by_name_and_ns(f, "starttls",
						      AUDIT_NS_TLS)) != NULL) {
		o->starttls = 1;
		o->starttls_required =
		    xmpp_stanza_get_child_by_name(c, "required") != NULL;
	}
	m = xmpp_stanza_get_child_by_name_and_ns(f, "mechanisms",
						 AUDIT_NS_SASL);
	for (c = m ? xmpp_stanza_get_children(m) : NULL; c;
	     c = xmpp_stanza_get_next(c)) {
		char *t;
		if (!xmpp_stanza_is_tag(c) ||
		    strcmp(xmpp_stanza_get_name(c), "mechanism") != 0 ||
		    (t = xmpp_stanza_get_text(c)) == NULL)
			continue;
		append(o->mechs, sizeof(o->mechs), t);
		if (strcmp(t, "PLAIN") == 0)
			o->plain = 1;
		if (strncmp(t, "SCRAM-SHA-256", 13) == 0 ||
		    strncmp(t, "SCRAM-SHA-512", 13) == 0)
			o->scram256 = 1;
		if (strlen(t) > 5 && strcmp(t + strlen(t) - 5, "-PLUS") == 0)
			o->plus = 1;
		xmpp_free(xmpp_stanza_get_context(c), t);
	}
	m = xmpp_stanza_get_child_by_name_and_ns(f, "sasl-channel-binding",
						 NS_CB);
	for (c = m ? xmpp_stanza_get_children(m) : NULL; c;
	     c = xmpp_stanza_get_next(c)) {
		const char *type = xmpp_stanza_is_tag(c)
				       ? xmpp_stanza_get_attribute(c, "type")
				       : NULL;
		if (type != NULL)
			append(o->cbtypes, sizeof(o->cbtypes), type);
	}
	m = xmpp_stanza_get_child_by_name_and_ns(f, "limits", NS_LIMITS);
	if (m != NULL &&
	    (c = xmpp_stanza_get_child_by_name(m, "max-bytes")) != NULL) {
		char *t = xmpp_stanza_get_text(c), *end;
		if (t != NULL) {
			long v = strtol(t, &end, 10);
			if (end != t && *end == '\0' && v >= 0)
				o->max_bytes = v;
			xmpp_free(xmpp_stanza_get_context(c), t);
		}
	}
	o->reg_feature = xmpp_stanza_get_child_by_name_and_ns(
			     f, "register", NS_REG_FEATURE) != NULL;
	o->token_feature =
	    xmpp_stanza_get_child_by_name_and_ns(f, "register", NS_IBR_TOKEN) !=
		NULL ||
	    xmpp_stanza_get_child_by_name_and_ns(f, "token", NS_IBR_TOKEN) !=
		NULL;
}

/* Registration as asked without submitting: 1 open, 0 closed, -1 no
 * answer. what gets the evidence; *captcha and *invite what the form
 * says. */
static int
ask_registration(struct aprobe *p, const char *domain, char *what,
		 size_t whatlen, int *captcha, int *invite)
{
	char iq[400];
	xmpp_stanza_t *st, *q, *c;
	const char *type;
	int r = -1;

	snprintf(iq, sizeof(iq),
		 "<iq type='get' id='ward-audit-reg' to='%s'>"
		 "<query xmlns='" NS_REGISTER "'/></iq>",
		 domain);
	if (aprobe_send(p, iq) != 0) {
		snprintf(what, whatlen, "cannot send the iq");
		return -1;
	}
	while ((st = aprobe_next(p)) != NULL) {
		const char *name = xmpp_stanza_get_name(st);
		if (strcmp(name, "iq") != 0 ||
		    (xmpp_stanza_get_id(st) &&
		     strcmp(xmpp_stanza_get_id(st), "ward-audit-reg") != 0)) {
			if (strcmp(name, "error") == 0) {
				xmpp_stanza_t *e = xmpp_stanza_get_children(st);
				while (e && !xmpp_stanza_is_tag(e))
					e = xmpp_stanza_get_next(e);
				snprintf(what, whatlen,
					 "stream error %s: closed",
					 e ? xmpp_stanza_get_name(e) : "?");
				xmpp_stanza_release(st);
				return 0;
			}
			xmpp_stanza_release(st);
			continue;
		}
		type = xmpp_stanza_get_type(st);
		q = xmpp_stanza_get_child_by_name_and_ns(st, "query",
							 NS_REGISTER);
		if (type != NULL && strcmp(type, "result") == 0 && q) {
			r = 1;
			for (c = xmpp_stanza_get_children(q); c;
			     c = xmpp_stanza_get_next(c)) {
				const char *ns = xmpp_stanza_is_tag(c)
						     ? xmpp_stanza_get_ns(c)
						     : NULL;
				if (ns && strstr(ns, NS_CAPTCHA))
					*captcha = 1;
				if (ns && (strstr(ns, NS_IBR_TOKEN) ||
					   strstr(ns, NS_INVITE)))
					*invite = 1;
			}
			if (xmpp_stanza_get_child_by_name_and_ns(
				st, "captcha", NS_CAPTCHA) != NULL)
				*captcha = 1;
			snprintf(what, whatlen, "iq get %s: a form came back",
				 NS_REGISTER);
		} else {
			xmpp_stanza_t *e =
			    xmpp_stanza_get_child_by_name(st, "error");
			xmpp_stanza_t *cond =
			    e ? xmpp_stanza_get_children(e) : NULL;
			while (cond && !xmpp_stanza_is_tag(cond))
				cond = xmpp_stanza_get_next(cond);
			r = 0;
			snprintf(what, whatlen, "iq get %s: error %s",
				 NS_REGISTER,
				 cond ? xmpp_stanza_get_name(cond) : "?");
		}
		xmpp_stanza_release(st);
		return r;
	}
	snprintf(what, whatlen, "iq get %s: %s", NS_REGISTER,
		 p->closed ? "the server closed the stream: closed"
			   : "no answer");
	return p->closed ? 0 : -1;
}

/* Connects to t, TLS at [minv, maxv], reads the features after TLS into
 * *o and, when reg is set, asks about registration. */
static int
after_tls(struct audit *au, const struct audit_target *t, int minv, int maxv,
	  struct offer *o, int reg, int *reg_open, char *reg_what,
	  size_t reg_whatlen, int *captcha, int *invite)
{
	xmpp_ctx_t *xctx = xmpp_ctx_new(NULL, NULL);
	struct aprobe p;
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	xmpp_stanza_t *f;
	char why[256];
	int ok = -1;

	memset(o, 0, sizeof(*o));
	o->max_bytes = -1;
	if (ctx == NULL || xctx == NULL)
		goto out;
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_min_proto_version(ctx, minv);
	SSL_CTX_set_max_proto_version(ctx, maxv);
	if (aprobe_to_tls(&p, xctx, au->domain, t, au->timeout_ms, NULL, why,
			  sizeof(why)) != 0)
		goto out;
	if (aprobe_tls(&p, ctx, au->domain, why, sizeof(why)) == 0 &&
	    (f = aprobe_stream(&p, au->domain)) != NULL) {
		read_offer(f, o);
		xmpp_stanza_release(f);
		snprintf(o->version, sizeof(o->version), "%s",
			 SSL_get_version(p.ssl));
		ok = 0;
		if (reg)
			*reg_open =
			    ask_registration(&p, au->domain, reg_what,
					     reg_whatlen, captcha, invite);
	}
	aprobe_close(&p);
out:
	SSL_CTX_free(ctx);
	xmpp_ctx_free(xctx);
	return ok;
}

void
audit_features(struct audit *au)
{
	const struct audit_target *t = NULL;
	struct offer pre, best, v12;
	xmpp_ctx_t *xctx;
	xmpp_stanza_t *f = NULL;
	struct aprobe p;
	char why[256] = "", reg_what[256] = "no answer";
	int reg_open = -1, captcha = 0, invite = 0, have_best, have12;
	int plus13_usable;
	size_t i;

	for (i = 0; i < au->ntargets; i++)
		if (au->targets[i].have_addr && !au->targets[i].direct_tls) {
			t = &au->targets[i];
			break;
		}
	for (i = 0; t == NULL && i < au->ntargets; i++)
		if (au->targets[i].have_addr)
			t = &au->targets[i];
	if (t == NULL) {
		audit_add(au, "stream.encryption-required",
			  "encryption required before authentication",
			  AUDIT_MUST, AUDIT_UNKNOWN,
			  "no server address usable");
		return;
	}

	/* before TLS */
	audit_progress(au, "stream features before TLS");
	memset(&pre, 0, sizeof(pre));
	if (!t->direct_tls) {
		xctx = xmpp_ctx_new(NULL, NULL);
		if (aprobe_connect(&p, xctx, t, au->timeout_ms, why,
				   sizeof(why)) == 0) {
			f = aprobe_stream(&p, au->domain);
			read_offer(f, &pre);
			if (f != NULL)
				xmpp_stanza_release(f);
			aprobe_close(&p);
		}
		xmpp_ctx_free(xctx);
	}
	if (t->direct_tls)
		audit_add(au, "stream.encryption-required",
			  "encryption required before authentication",
			  AUDIT_MUST, AUDIT_PASS, "%s:%u: direct TLS only",
			  t->host, t->port);
	else if (!pre.have)
		audit_add(au, "stream.encryption-required",
			  "encryption required before authentication",
			  AUDIT_MUST, AUDIT_UNKNOWN,
			  "%s:%u: no stream features (%s)", t->host, t->port,
			  why[0] ? why : "nothing read");
	else
		audit_add(
		    au, "stream.encryption-required",
		    "encryption required before authentication", AUDIT_MUST,
		    pre.starttls_required && pre.mechs[0] == '\0' ? AUDIT_PASS
		    : pre.mechs[0] == '\0' && pre.starttls ? AUDIT_PARTIAL
							   : AUDIT_FAIL,
		    "%s:%u before TLS: starttls %s; SASL mechanisms: %s",
		    t->host, t->port,
		    !pre.starttls           ? "NOT offered"
		    : pre.starttls_required ? "offered, <required/>"
					    : "offered, not marked required",
		    pre.mechs[0] ? pre.mechs : "none");
	if (!pre.have && !t->direct_tls)
		audit_add(au, "sasl.no-plain-before-tls", "no PLAIN before TLS",
			  AUDIT_MUST, AUDIT_UNKNOWN,
			  "no stream features before TLS");
	else if (t->direct_tls)
		audit_add(au, "sasl.no-plain-before-tls", "no PLAIN before TLS",
			  AUDIT_MUST, AUDIT_PASS, "direct TLS only");
	if (pre.have)
		audit_add(au, "sasl.no-plain-before-tls", "no PLAIN before TLS",
			  AUDIT_MUST, pre.plain ? AUDIT_FAIL : AUDIT_PASS,
			  "before TLS: %s",
			  pre.plain ? "PLAIN offered" : "PLAIN not offered");

	/* after TLS, the best version; then TLS 1.2 for -PLUS there */
	audit_progress(au, "stream features after TLS");
	have_best =
	    after_tls(au, t, TLS1_2_VERSION, 0, &best, 1, &reg_open, reg_what,
		      sizeof(reg_what), &captcha, &invite) == 0;
	audit_progress(au, "stream features after TLS 1.2");
	have12 = after_tls(au, t, TLS1_2_VERSION, TLS1_2_VERSION, &v12, 0, NULL,
			   NULL, 0, NULL, NULL) == 0;
	if (!have_best) {
		audit_add(au, "sasl.scram", "SCRAM-SHA-256 or better offered",
			  AUDIT_SHOULD, AUDIT_UNKNOWN, "no features after TLS");
		audit_add(au, "sasl.channel-binding",
			  "channel binding offered (-PLUS)", AUDIT_MUST,
			  AUDIT_UNKNOWN, "no features after TLS");
		audit_add(au, "sasl.cb-types",
			  "channel-binding types advertised (XEP-0440)",
			  AUDIT_SHOULD, AUDIT_UNKNOWN, "no features after TLS");
		audit_add(au, "stream.max-bytes",
			  "stanza size limit at most 2,097,152 bytes",
			  AUDIT_MUST, AUDIT_UNKNOWN, "no features after TLS");
		audit_add(
		    au, "register.open",
		    "public registration guarded (captcha or invitations)",
		    AUDIT_SHOULD, AUDIT_UNKNOWN, "no features after TLS");
		return;
	}
	audit_add(au, "sasl.scram", "SCRAM-SHA-256 or better offered",
		  AUDIT_SHOULD, best.scram256 ? AUDIT_PASS : AUDIT_FAIL,
		  "after %s: %s", best.version,
		  best.mechs[0] ? best.mechs : "none");
	/* -PLUS under TLS 1.3 is usable only with tls-exporter or
	 * tls-server-end-point (tls-unique is undefined there, RFC 9266):
	 * without XEP-0440 types the binding cannot be seen, so partial */
	plus13_usable =
	    best.plus && (strcmp(best.version, "TLSv1.3") != 0 ||
			  strstr(best.cbtypes, "tls-exporter") ||
			  strstr(best.cbtypes, "tls-server-end-point"));
	audit_add(au, "sasl.channel-binding", "channel binding offered (-PLUS)",
		  AUDIT_MUST,
		  plus13_usable                       ? AUDIT_PASS
		  : best.plus || (have12 && v12.plus) ? AUDIT_PARTIAL
						      : AUDIT_FAIL,
		  "-PLUS %s under %s%s%s%s",
		  best.plus ? "offered" : "NOT offered", best.version,
		  best.plus && !plus13_usable
		      ? " but no XEP-0440 type usable there (tls-exporter, "
			"tls-server-end-point): the binding cannot be seen"
		      : "",
		  have12 && !best.plus
		      ? (v12.plus ? "; offered under TLSv1.2"
				  : "; not under TLSv1.2 either")
		      : "",
		  !best.plus && have12 && v12.plus ? " only (tls-unique)" : "");
	audit_add(au, "sasl.cb-types",
		  "channel-binding types advertised (XEP-0440)", AUDIT_SHOULD,
		  best.cbtypes[0] ? AUDIT_PASS : AUDIT_PARTIAL, "%s%s",
		  best.cbtypes[0] ? "types: " : "not advertised", best.cbtypes);
	if (best.max_bytes < 0)
		audit_add(
		    au, "stream.max-bytes",
		    "stanza size limit at most 2,097,152 bytes", AUDIT_MUST,
		    AUDIT_UNKNOWN,
		    "no XEP-0478 limits advertised: the limit cannot be seen");
	else
		audit_add(au, "stream.max-bytes",
			  "stanza size limit at most 2,097,152 bytes",
			  AUDIT_MUST,
			  best.max_bytes > 2097152  ? AUDIT_FAIL
			  : best.max_bytes > 262144 ? AUDIT_PARTIAL
						    : AUDIT_PASS,
			  "XEP-0478 max-bytes %ld%s", best.max_bytes,
			  best.max_bytes > 2097152 ? " (over 2,097,152)"
			  : best.max_bytes > 262144
			      ? " (over the 262,144 recommended)"
			      : "");
	if (best.token_feature)
		invite = 1;
	if (reg_open == 1 || best.reg_feature)
		audit_add(
		    au, "register.open",
		    "public registration guarded (captcha or invitations)",
		    AUDIT_SHOULD, captcha || invite ? AUDIT_PASS : AUDIT_FAIL,
		    "open (%s%s)%s%s",
		    best.reg_feature ? "feature advertised; " : "", reg_what,
		    captcha ? "; captcha" : "",
		    invite ? "; invitations (XEP-0401 / ibr-token)" : "");
	else
		audit_add(
		    au, "register.open",
		    "public registration guarded (captcha or invitations)",
		    AUDIT_SHOULD, reg_open == 0 ? AUDIT_PASS : AUDIT_UNKNOWN,
		    "%s%s", reg_open == 0 ? "closed: " : "", reg_what);
}
