/*
 * store_roster.c: the roster cache: the items as last received and the
 * server's version string for them (RFC 6121 2.6). Items and version are
 * written in one unit, so a version never stands for items not stored.
 */
#include <stdlib.h>
#include <string.h>

#include "store_priv.h"
#include "ward.h"

/* The version lives in the settings table under this key. */
#define ROSTER_VER_KEY "roster.ver"

static int
roster_set_ver(struct store *st, const char *account, const char *ver)
{
	if (ver == NULL)
		return store_run(st, SQL_KV_DEL, NULL, "tt", account,
				 ROSTER_VER_KEY);
	return store_run(st, SQL_KV_SET, NULL, "ttt", account, ROSTER_VER_KEY,
			 ver);
}

static int
roster_put(struct store *st, const char *account,
	   const struct store_roster_item *it)
{
	STORE_NEED(it->jid);
	STORE_NEED(it->subscription);
	if (strcmp(it->subscription, "remove") == 0)
		return store_run(st, SQL_ROSTER_DEL, NULL, "tt", account,
				 it->jid);
	return store_run(st, SQL_ROSTER_SET, NULL, "ttttt", account, it->jid,
			 it->name, it->subscription, it->groups);
}

int
store_roster_replace(struct store *st, const char *account,
		     const struct store_roster_item *items, size_t n,
		     const char *ver)
{
	size_t i;
	int rc;

	STORE_NEED(st);
	STORE_NEED(account);
	if (n > 0 && items == NULL)
		return WARD_ERR_INVAL;
	if ((rc = store_op_begin(st)) != WARD_OK)
		return rc;
	rc = store_run(st, SQL_ROSTER_CLEAR, NULL, "t", account);
	for (i = 0; rc == WARD_OK && i < n; i++)
		rc = roster_put(st, account, &items[i]);
	if (rc == WARD_OK)
		rc = roster_set_ver(st, account, ver);
	return store_op_end(st, rc);
}

int
store_roster_push(struct store *st, const char *account,
		  const struct store_roster_item *item, const char *ver)
{
	int rc;

	STORE_NEED(st);
	STORE_NEED(account);
	STORE_NEED(item);
	if ((rc = store_op_begin(st)) != WARD_OK)
		return rc;
	rc = roster_put(st, account, item);
	if (rc == WARD_OK)
		rc = roster_set_ver(st, account, ver);
	return store_op_end(st, rc);
}

/* A roster row, its strings malloc'ed (store_read_fn). */
static int
roster_read(sqlite3_stmt *s, void *elem)
{
	struct store_roster_item *it = elem;
	char *jid = NULL, *name = NULL, *sub = NULL, *groups = NULL;
	int rc;

	rc = store_col_dup(s, 0, &jid);
	if (rc == WARD_OK)
		rc = store_col_dup(s, 1, &name);
	if (rc == WARD_OK)
		rc = store_col_dup(s, 2, &sub);
	if (rc == WARD_OK)
		rc = store_col_dup(s, 3, &groups);
	if (rc == WARD_OK && (jid == NULL || sub == NULL))
		rc = WARD_ERR_PARSE;
	if (rc != WARD_OK) {
		free(jid);
		free(name);
		free(sub);
		free(groups);
		return rc;
	}
	it->jid = jid;
	it->name = name;
	it->subscription = sub;
	it->groups = groups;
	return WARD_OK;
}

int
store_roster_each(struct store *st, const char *account,
		  int (*fn)(void *arg, const struct store_roster_item *it),
		  void *arg, size_t *n)
{
	struct store_roster_item *rows;
	sqlite3_stmt *s;
	void *v = NULL;
	size_t got = 0, i;
	int rc, row;

	if (n != NULL)
		*n = 0;
	STORE_NEED(st);
	STORE_NEED(account);
	STORE_NEED(fn);
	rc = store_query(st, SQL_ROSTER_ALL, &s, &row, "t", account);
	if (rc != WARD_OK)
		return rc;
	rc = store_collect(st, SQL_ROSTER_ALL, row, sizeof(*rows), roster_read,
			   &v, &got);
	rows = v;
	for (i = 0; i < got && rc == WARD_OK; i++) {
		if ((rc = fn(arg, &rows[i])) == WARD_OK && n != NULL)
			(*n)++;
	}
	for (i = 0; i < got; i++) {
		free((char *)rows[i].jid);
		free((char *)rows[i].name);
		free((char *)rows[i].subscription);
		free((char *)rows[i].groups);
	}
	free(rows);
	return rc;
}

int
store_roster_ver(struct store *st, const char *account, char **ver)
{
	return store_kv_get(st, account, ROSTER_VER_KEY, ver);
}

int
store_roster_sub(struct store *st, const char *account, const char *jid,
		 char **sub)
{
	sqlite3_stmt *s;
	int rc, row;

	if (sub != NULL)
		*sub = NULL;
	STORE_NEED(st);
	STORE_NEED(account);
	STORE_NEED(jid);
	STORE_NEED(sub);
	rc = store_query(st, SQL_ROSTER_SUB, &s, &row, "tt", account, jid);
	if (rc != WARD_OK)
		return rc;
	rc = row ? store_col_dup(s, 0, sub) : WARD_ERR_NOTFOUND;
	if (rc == WARD_OK && *sub == NULL)
		rc = WARD_ERR_PARSE;
	store_done(s);
	return rc;
}
