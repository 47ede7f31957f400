/*
 * jid.c: XMPP addresses (RFC 7622, a practical subset): split, validate,
 * normalise the domain, and compare senders with the account's own JID.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ward.h"
#include "jid.h"

/*
 * Not a full PRECIS implementation: parts must be valid UTF-8 with no
 * controls; local and domain also refuse spaces and invisible formatting
 * characters (bidi overrides, zero-width), which PRECIS disallows and which
 * make one address look like another. Domains are ASCII letters, digits,
 * '-', '_' and non-ASCII (IDN U-labels) in dot-separated labels, or an IP
 * literal. XXX no Unicode case folding: localparts compare ASCII-folded.
 */

#define JID_LOCAL_FORBIDDEN "\"&'/:<>@"

/* Flags for jid_check_text(). */
#define JID_NO_SPACE 0x1     /* refuse Unicode spaces */
#define JID_NO_INVISIBLE 0x2 /* refuse bidi and zero-width characters */

/*
 * Decodes one UTF-8 sequence at s[*i] (strict: no overlongs, surrogates or
 * values past U+10FFFF). Returns 0 and advances *i, or -1.
 */
static int
jid_utf8_next(const unsigned char *s, size_t len, size_t *i, uint32_t *cp)
{
	unsigned char c = s[*i];
	size_t n, k;
	uint32_t v, min;

	if (c < 0x80) {
		*cp = c;
		(*i)++;
		return 0;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 1;
		v = c & 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 2;
		v = c & 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 3;
		v = c & 0x07;
		min = 0x10000;
	} else
		return -1;
	if (len - *i <= n)
		return -1;
	for (k = 1; k <= n; k++) {
		c = s[*i + k];
		if ((c & 0xc0) != 0x80)
			return -1;
		v = (v << 6) | (c & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return -1;
	*cp = v;
	*i += n + 1;
	return 0;
}

static int
jid_is_control(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0);
}

static int
jid_is_space(uint32_t cp)
{
	return cp == 0x20 || cp == 0xa0 || cp == 0x1680 ||
	       (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 ||
	       cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

/* Bidi controls, zero-width characters, soft hyphen, BOM. */
static int
jid_is_invisible(uint32_t cp)
{
	return cp == 0xad || cp == 0x061c || (cp >= 0x200b && cp <= 0x200f) ||
	       (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2060 && cp <= 0x2064) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff;
}

/* Checks s[0..len) as UTF-8 text; NULL when fine, else a static reason. */
static const char *
jid_check_text(const char *s, size_t len, int flags)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	uint32_t cp;

	while (i < len) {
		if (jid_utf8_next(u, len, &i, &cp) != 0)
			return "not valid UTF-8";
		if (jid_is_control(cp))
			return "control character";
		if ((flags & JID_NO_SPACE) && jid_is_space(cp))
			return "space";
		if ((flags & JID_NO_INVISIBLE) && jid_is_invisible(cp))
			return "invisible formatting character";
	}
	return NULL;
}

static const char *
jid_check_local(const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return "empty localpart";
	if (len > JID_PART_MAX)
		return "localpart too long";
	for (i = 0; i < len; i++)
		if (strchr(JID_LOCAL_FORBIDDEN, s[i]) != NULL)
			return "localpart contains one of \"&'/:<>@";
	return jid_check_text(s, len, JID_NO_SPACE | JID_NO_INVISIBLE);
}

/* Checks one label of a domain name: ASCII [A-Za-z0-9_-] or UTF-8. */
static const char *
jid_check_label(const char *s, size_t len, int *numeric)
{
	size_t i;
	int ascii = 1;

	if (len == 0)
		return "empty label in domain";
	*numeric = 1;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80) {
			ascii = 0;
			*numeric = 0;
			continue;
		}
		if (c < '0' || c > '9')
			*numeric = 0;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return "character not allowed in domain";
	}
	if (ascii && len > 63)
		return "domain label longer than 63 bytes";
	if (!ascii)
		return jid_check_text(s, len, JID_NO_SPACE | JID_NO_INVISIBLE);
	return NULL;
}

/*
 * Checks a domainpart (after the trailing dot was removed): an IPv6 literal
 * in brackets, or dot-separated labels whose last label, if all digits,
 * makes the whole an IPv4 address.
 */
static const char *
jid_check_domain(const char *s, size_t len)
{
	char tmp[64];
	unsigned char addr[16];
	size_t start = 0, i;
	const char *why;
	int numeric = 0;

	if (len == 0)
		return "empty domain";
	if (len > JID_PART_MAX)
		return "domain too long";
	if (s[0] == '[') {
		if (len < 3 || s[len - 1] != ']' || len - 2 >= sizeof(tmp))
			return "bad IPv6 literal";
		memcpy(tmp, s + 1, len - 2);
		tmp[len - 2] = '\0';
		if (inet_pton(AF_INET6, tmp, addr) != 1)
			return "bad IPv6 literal";
		return NULL;
	}
	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '.')
			continue;
		if ((why = jid_check_label(s + start, i - start, &numeric)))
			return why;
		start = i + 1;
	}
	if (numeric) {
		if (len >= sizeof(tmp))
			return "bad IPv4 address";
		memcpy(tmp, s, len);
		tmp[len] = '\0';
		if (inet_pton(AF_INET, tmp, addr) != 1)
			return "bad IPv4 address";
	}
	return NULL;
}

int
jid_check_resource(const char *r)
{
	size_t len = strlen(r);

	if (len == 0)
		return WARD_ERR_INVAL;
	if (len > JID_PART_MAX)
		return WARD_ERR_LIMIT;
	if (jid_check_text(r, len, 0) != NULL)
		return WARD_ERR_INVAL;
	return WARD_OK;
}

static void
jid_lower_ascii(char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

int
jid_parse_why(const char *s, struct jid *out, const char **why)
{
	const char *slash, *at, *dom, *reason = NULL;
	size_t barelen, domlen;
	struct jid j = {NULL, NULL, NULL};
	int r = WARD_ERR_INVAL;

	memset(out, 0, sizeof(*out));
	if (s == NULL || *s == '\0') {
		reason = "empty JID";
		goto out;
	}
	slash = strchr(s, '/');
	barelen = slash != NULL ? (size_t)(slash - s) : strlen(s);
	at = memchr(s, '@', barelen);
	dom = at != NULL ? at + 1 : s;
	domlen = barelen - (size_t)(dom - s);
	if (at != NULL) {
		if ((reason = jid_check_local(s, (size_t)(at - s))) != NULL) {
			if (at - s > JID_PART_MAX)
				r = WARD_ERR_LIMIT;
			goto out;
		}
	}
	if (domlen > 1 && dom[domlen - 1] == '.')
		domlen--; /* RFC 7622 3.2: strip the final label separator */
	if ((reason = jid_check_domain(dom, domlen)) != NULL) {
		if (domlen > JID_PART_MAX)
			r = WARD_ERR_LIMIT;
		goto out;
	}
	if (slash != NULL) {
		if ((r = jid_check_resource(slash + 1)) != WARD_OK) {
			reason = r == WARD_ERR_LIMIT ? "resource too long"
				 : slash[1] == '\0'  ? "empty resource"
						     : "bad resource";
			goto out;
		}
	}
	r = WARD_ERR_NOMEM;
	reason = "out of memory";
	if (at != NULL && (j.local = strndup(s, (size_t)(at - s))) == NULL)
		goto out;
	if ((j.domain = strndup(dom, domlen)) == NULL)
		goto out;
	jid_lower_ascii(j.domain);
	if (slash != NULL && (j.resource = strdup(slash + 1)) == NULL)
		goto out;
	*out = j; /* transferred */
	j.local = j.domain = j.resource = NULL;
	reason = NULL;
	r = WARD_OK;
out:
	jid_clear(&j);
	if (why != NULL)
		*why = reason;
	return r;
}

int
jid_parse(const char *s, struct jid *out)
{
	return jid_parse_why(s, out, NULL);
}

void
jid_clear(struct jid *j)
{
	if (j == NULL)
		return;
	free(j->local);
	free(j->domain);
	free(j->resource);
	j->local = j->domain = j->resource = NULL;
}

char *
jid_format(const struct jid *j)
{
	size_t ll, dl, rl, n;
	char *s, *p;

	if (j == NULL || j->domain == NULL)
		return NULL;
	ll = j->local != NULL ? strlen(j->local) : 0;
	dl = strlen(j->domain);
	rl = j->resource != NULL ? strlen(j->resource) : 0;
	n = ll + 1 + dl + 1 + rl + 1;
	if ((s = malloc(n)) == NULL)
		return NULL;
	p = s;
	if (j->local != NULL) {
		memcpy(p, j->local, ll);
		p += ll;
		*p++ = '@';
	}
	memcpy(p, j->domain, dl);
	p += dl;
	if (j->resource != NULL) {
		*p++ = '/';
		memcpy(p, j->resource, rl);
		p += rl;
	}
	*p = '\0';
	return s;
}

char *
jid_bare(const char *s)
{
	struct jid j;
	char *res;

	if (jid_parse(s, &j) != WARD_OK)
		return NULL;
	free(j.resource);
	j.resource = NULL;
	res = jid_format(&j);
	jid_clear(&j);
	return res;
}

char *
jid_domain(const char *s)
{
	struct jid j;
	char *res;

	if (jid_parse(s, &j) != WARD_OK)
		return NULL;
	res = j.domain; /* transferred */
	j.domain = NULL;
	jid_clear(&j);
	return res;
}

/* Compares ASCII-case-insensitively, whatever the locale. */
static int
jid_ascii_caseeq(const char *a, const char *b)
{
	unsigned char ca, cb;

	do {
		ca = (unsigned char)*a++;
		cb = (unsigned char)*b++;
		if (ca >= 'A' && ca <= 'Z')
			ca = (unsigned char)(ca - 'A' + 'a');
		if (cb >= 'A' && cb <= 'Z')
			cb = (unsigned char)(cb - 'A' + 'a');
		if (ca != cb)
			return 0;
	} while (ca != '\0');
	return 1;
}

/* Bare-part equality of two parsed JIDs. */
static int
jid_parsed_bare_equal(const struct jid *a, const struct jid *b)
{
	if ((a->local == NULL) != (b->local == NULL))
		return 0;
	if (a->local != NULL && !jid_ascii_caseeq(a->local, b->local))
		return 0;
	return strcmp(a->domain, b->domain) == 0;
}

int
jid_bare_equal(const char *a, const char *b)
{
	struct jid ja, jb;
	int eq = 0;

	if (jid_parse(a, &ja) != WARD_OK)
		return 0;
	if (jid_parse(b, &jb) == WARD_OK) {
		eq = jid_parsed_bare_equal(&ja, &jb);
		jid_clear(&jb);
	}
	jid_clear(&ja);
	return eq;
}

int
jid_equal(const char *a, const char *b)
{
	struct jid ja, jb;
	int eq = 0;

	if (jid_parse(a, &ja) != WARD_OK)
		return 0;
	if (jid_parse(b, &jb) == WARD_OK) {
		eq = jid_parsed_bare_equal(&ja, &jb) &&
		     (ja.resource == NULL) == (jb.resource == NULL) &&
		     (ja.resource == NULL ||
		      strcmp(ja.resource, jb.resource) == 0);
		jid_clear(&jb);
	}
	jid_clear(&ja);
	return eq;
}

int
jid_is_account(const char *from, const char *account)
{
	struct jid jf, ja;
	int ok = 0;

	if (from == NULL || account == NULL)
		return 0;
	if (jid_parse(from, &jf) != WARD_OK)
		return 0;
	if (jf.resource == NULL && jid_parse(account, &ja) == WARD_OK) {
		ok = jid_parsed_bare_equal(&jf, &ja);
		jid_clear(&ja);
	}
	jid_clear(&jf);
	return ok;
}
