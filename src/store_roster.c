/*
 * store_roster.c: the roster cache: the items as last received and the
 * server's version string for them (RFC 6121 2.6). Items and version are
 * written in one unit, so a version never stands for items not stored.
 */
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
	return store_run(st, SQL_ROSTER_SET, NULL, "tttt", account, it->jid,
			 it->name, it->subscription);
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

int
store_roster_each(struct store *st, const char *account,
		  int (*fn)(void *arg, const struct store_roster_item *it),
		  void *arg, size_t *n)
{
	struct store_roster_item it;
	sqlite3_stmt *s;
	int rc, row;

	if (n != NULL)
		*n = 0;
	STORE_NEED(st);
	STORE_NEED(account);
	STORE_NEED(fn);
	rc = store_query(st, SQL_ROSTER_ALL, &s, &row, "t", account);
	if (rc != WARD_OK)
		return rc;
	while (row) {
		it.jid = (const char *)sqlite3_column_text(s, 0);
		it.name = (const char *)sqlite3_column_text(s, 1);
		it.subscription = (const char *)sqlite3_column_text(s, 2);
		if (it.jid == NULL || it.subscription == NULL) {
			rc = WARD_ERR_PARSE;
			break;
		}
		if ((rc = fn(arg, &it)) != WARD_OK)
			break;
		if (n != NULL)
			(*n)++;
		rc = sqlite3_step(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			rc = store_fail(st, rc, SQL_ROSTER_ALL);
			break;
		}
		row = rc == SQLITE_ROW;
		rc = WARD_OK;
	}
	store_done(s);
	return rc;
}

int
store_roster_ver(struct store *st, const char *account, char **ver)
{
	return store_kv_get(st, account, ROSTER_VER_KEY, ver);
}
