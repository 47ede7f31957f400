/*
 * jid.h: parsing, validating and comparing XMPP addresses (RFC 7622, a
 * practical subset) without a libstrophe context.
 */
#ifndef WARD_JID_H
#define WARD_JID_H

#include <stddef.h>

#define JID_PART_MAX 1023 /* bytes, for each of local, domain, resource */

/*
 * A parsed JID. Every member is malloc'd and owned by the struct (free with
 * jid_clear()); local and resource are NULL when absent. The domain is
 * normalised: ASCII letters lowercased, one trailing dot removed. Local and
 * resource are kept as given.
 */
struct jid {
	char *local;
	char *domain;
	char *resource;
};

/*
 * Parses and validates s into *out. Returns WARD_OK; WARD_ERR_INVAL for a
 * malformed JID, WARD_ERR_LIMIT when a part is longer than JID_PART_MAX,
 * WARD_ERR_NOMEM. *out is cleared on entry and set only on success.
 */
int jid_parse(const char *s, struct jid *out);
/* As jid_parse(); on failure *why (if not NULL) gets a static reason. */
int jid_parse_why(const char *s, struct jid *out, const char **why);
/* Frees the members of j and sets them to NULL (j itself is not freed). */
void jid_clear(struct jid *j);

/*
 * Formats j as local@domain/resource (absent parts left out). Returns a
 * malloc'd string the caller frees, or NULL (no memory, or no domain).
 */
char *jid_format(const struct jid *j);
/* The normalised bare JID (local@domain or domain) of s; malloc'd, caller
 * frees. NULL if s is not a valid JID or memory ran out. */
char *jid_bare(const char *s);
/* The normalised domain of s; malloc'd, caller frees; NULL if invalid. */
char *jid_domain(const char *s);

/*
 * 1 when the bare parts of a and b are the same address: domains compared
 * after normalisation, localparts ASCII-case-insensitively (as servers fold
 * them); resources ignored. 0 when they differ or either is invalid.
 */
int jid_bare_equal(const char *a, const char *b);
/* 1 when a and b are the same full JID (bare parts as jid_bare_equal(),
 * resources byte for byte, both present or both absent); else 0. */
int jid_equal(const char *a, const char *b);
/*
 * 1 when from is exactly the account's bare JID: valid, no resource, and
 * jid_bare_equal() to account. For carbons (XEP-0280) and roster pushes,
 * which are trusted only from there. A missing 'from' (NULL) gives 0: the
 * caller decides what an absent attribute means (RFC 6120 8.1.2.1).
 */
int jid_is_account(const char *from, const char *account);

/* WARD_OK when r is a valid resourcepart; else WARD_ERR_INVAL/LIMIT. */
int jid_check_resource(const char *r);

#endif
