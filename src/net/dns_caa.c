/*
 * dns_caa.c: CAA records (RFC 8659) as `ward audit` reads them: the rdata
 * parsed with every length checked, a presentation form that escapes the
 * untrusted value's bytes, and the issuer and parameters of an issue value
 * (accounturi, RFC 8657). Pure functions; no I/O.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ward.h"
#include "dns.h"

static int
is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

int
dns_caa_parse(const unsigned char *p, size_t len, struct dns_caa *c)
{
	size_t taglen, i;

	memset(c, 0, sizeof(*c));
	if (p == NULL || len < 2)
		return WARD_ERR_PARSE;
	taglen = p[1];
	if (taglen < 1 || taglen > DNS_CAA_TAG_MAX || taglen > len - 2)
		return WARD_ERR_PARSE;
	for (i = 0; i < taglen; i++)
		if (!is_alnum(p[2 + i]))
			return WARD_ERR_PARSE;
	c->len = len - 2 - taglen;
	if ((c->value = malloc(c->len + 1)) == NULL)
		return WARD_ERR_NOMEM;
	if (c->len > 0)
		memcpy(c->value, p + 2 + taglen, c->len);
	c->value[c->len] = '\0';
	memcpy(c->tag, p + 2, taglen);
	c->tag[taglen] = '\0';
	c->flags = p[0];
	return WARD_OK;
}

void
dns_caa_clear(struct dns_caa *c)
{
	if (c == NULL)
		return;
	free(c->value);
	memset(c, 0, sizeof(*c));
}

const char *
dns_caa_text(const struct dns_caa *c, char *out, size_t outlen)
{
	static const char cut[] = "...\"";
	size_t n, i;
	int w;

	if (outlen == 0)
		return out;
	out[0] = '\0';
	w = snprintf(out, outlen, "%u %s \"", (unsigned)c->flags, c->tag);
	if (w < 0 || (size_t)w >= outlen)
		return out;
	n = (size_t)w;
	for (i = 0; i < c->len; i++) {
		unsigned char b = c->value[i];
		char one[5];
		size_t k;

		if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\') {
			one[0] = (char)b;
			k = 1;
		} else {
			snprintf(one, sizeof(one), "\\%03u", (unsigned)b);
			k = 4;
		}
		/* room for this piece and, after it, either the closing
		 * quote or the cut mark */
		if (n + k + sizeof(cut) > outlen) {
			if (n + sizeof(cut) <= outlen)
				memcpy(out + n, cut, sizeof(cut));
			return out;
		}
		memcpy(out + n, one, k);
		n += k;
	}
	if (n + 2 <= outlen) {
		out[n++] = '"';
		out[n] = '\0';
	} else
		out[n] = '\0';
	return out;
}

int
dns_caa_is_issue(const struct dns_caa *c)
{
	return strcasecmp(c->tag, "issue") == 0 ||
	       strcasecmp(c->tag, "issuewild") == 0;
}

static int
is_wsp(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* A run of label characters (letters, digits, inner hyphens) from *i;
 * dots between labels when dots is set. Its length, 0 for none or a
 * malformed one. */
static size_t
caa_word(const struct dns_caa *c, size_t *i, int dots)
{
	size_t start = *i, lab = 0;
	unsigned char prev = '.';

	while (*i < c->len) {
		unsigned char b = c->value[*i];
		if (is_alnum(b)) {
			lab++;
		} else if (b == '-') {
			if (lab == 0)
				return 0; /* a label cannot start with '-' */
		} else if (b == '.' && dots) {
			if (lab == 0 || prev == '-')
				return 0;
			lab = 0;
		} else
			break;
		prev = b;
		(*i)++;
	}
	if (*i > start && (prev == '-' || prev == '.'))
		return 0;
	return *i - start;
}

/*
 * Walks an issue-value (RFC 8659 4.2): the issuer's span into *is, *il and
 * the number of parameters named name (NULL: none counted) into *count.
 * WARD_OK or WARD_ERR_PARSE.
 */
static int
caa_issue_walk(const struct dns_caa *c, size_t *is, size_t *il,
	       const char *name, int *count)
{
	size_t i = 0, t, tl;

	*is = *il = 0;
	*count = 0;
	if (!dns_caa_is_issue(c))
		return WARD_ERR_PARSE;
	while (i < c->len && is_wsp(c->value[i]))
		i++;
	*is = i;
	if (i < c->len && c->value[i] != ';') {
		if ((*il = caa_word(c, &i, 1)) == 0)
			return WARD_ERR_PARSE;
	}
	while (i < c->len && is_wsp(c->value[i]))
		i++;
	if (i == c->len)
		return WARD_OK;
	if (c->value[i++] != ';')
		return WARD_ERR_PARSE;
	while (i < c->len && is_wsp(c->value[i]))
		i++;
	if (i == c->len)
		return WARD_OK; /* ";" alone: no parameters */
	for (;;) {
		t = i;
		if ((tl = caa_word(c, &i, 0)) == 0)
			return WARD_ERR_PARSE;
		while (i < c->len && is_wsp(c->value[i]))
			i++;
		if (i == c->len || c->value[i++] != '=')
			return WARD_ERR_PARSE;
		while (i < c->len && is_wsp(c->value[i]))
			i++;
		/* value = *(%x21-3A / %x3C-7E) */
		while (i < c->len && c->value[i] >= 0x21 &&
		       c->value[i] <= 0x7e && c->value[i] != ';')
			i++;
		if (name != NULL && strlen(name) == tl &&
		    strncasecmp((const char *)c->value + t, name, tl) == 0)
			(*count)++;
		while (i < c->len && is_wsp(c->value[i]))
			i++;
		if (i == c->len)
			return WARD_OK;
		if (c->value[i++] != ';')
			return WARD_ERR_PARSE;
		while (i < c->len && is_wsp(c->value[i]))
			i++;
	}
}

int
dns_caa_issuer(const struct dns_caa *c, char *out, size_t outlen)
{
	size_t is, il;
	int count;

	if (outlen > 0)
		out[0] = '\0';
	if (caa_issue_walk(c, &is, &il, NULL, &count) != WARD_OK ||
	    il >= outlen)
		return WARD_ERR_PARSE;
	memcpy(out, c->value + is, il);
	out[il] = '\0';
	return WARD_OK;
}

int
dns_caa_param_count(const struct dns_caa *c, const char *name)
{
	size_t is, il;
	int count;

	if (caa_issue_walk(c, &is, &il, name, &count) != WARD_OK)
		return -1;
	return count;
}
