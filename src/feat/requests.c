/*
 * requests.c: message requests. A 1:1 message from a stranger whose
 * conversation the user has not accepted (policy_is_request) is stored but
 * held: its `message` event says "request":true (no window, no bell, no
 * receipt: the UI opens nothing) and the sender goes into the one requests
 * list, kept in the store (key-value "requests", one bare JID a line, and
 * "request:JID" the number of messages held). /requests lists it, /accept
 * JID opens the conversation (or accepts it ahead, before any request),
 * /block JID blocks the sender and drops it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "core.h"
#include "event.h"
#include "jid.h"
#include "policy.h"
#include "store.h"
#include "ward.h"

#define REQ_KV_LIST "requests"
#define REQ_KV_COUNT "request:"
#define REQ_MAX 256 /* senders kept in the list; the oldest go first */

/* The list (malloc'd, "" when empty). */
static char *
requests_get(struct account *a)
{
	char *v = NULL;

	if (store_kv_get(a->w->store, a->name, REQ_KV_LIST, &v) != WARD_OK)
		return xstrdup("");
	return v;
}

/* The line of LIST that is BARE, or NULL. */
static char *
requests_find(char *list, const char *bare)
{
	size_t n = strlen(bare);
	char *p = list;

	while (*p != '\0') {
		char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len == n && strncmp(p, bare, n) == 0)
			return p;
		p += len + (nl != NULL);
	}
	return NULL;
}

/* Removes BARE's line from LIST (in place); 1 when it was there. */
static int
requests_cut(char *list, const char *bare)
{
	char *p = requests_find(list, bare), *nl;

	if (p == NULL)
		return 0;
	nl = strchr(p, '\n');
	if (nl != NULL)
		memmove(p, nl + 1, strlen(nl + 1) + 1);
	else
		*(p > list ? p - 1 : p) = '\0';
	return 1;
}

static int64_t
requests_count(struct account *a, const char *bare)
{
	char *k, *v = NULL;
	int64_t n = 0;

	xasprintf(&k, REQ_KV_COUNT "%s", bare);
	if (store_kv_get(a->w->store, a->name, k, &v) == WARD_OK)
		n = strtoll(v, NULL, 10);
	free(v);
	free(k);
	return n;
}

static void
requests_emit(struct account *a, const char *bare, const char *state,
	      int64_t count, const char *text)
{
	struct event ev;

	event_init(&ev, EV_REQUEST, a->name);
	event_str(&ev, "jid", bare);
	event_str(&ev, "state", state);
	event_int(&ev, "count", count);
	event_str(&ev, "text", text);
	event_emit(&ev);
}

void
requests_note(struct account *a, const char *from)
{
	char *bare = jid_bare(from), *list, *k, *n, *text;
	int64_t count;
	size_t lines = 0;
	const char *p;

	if (bare == NULL)
		return;
	/* in the message's batch: a stranger's flood costs no commit (no
	 * fsync) per message */
	ward_txn(a->w);
	count = requests_count(a, bare) + 1;
	xasprintf(&k, REQ_KV_COUNT "%s", bare);
	xasprintf(&n, "%lld", (long long)count);
	store_kv_stage(a->w->store, a->name, k, n);
	free(k);
	free(n);
	list = requests_get(a);
	if (requests_find(list, bare) == NULL) {
		for (p = list; *p != '\0'; p++)
			lines += *p == '\n';
		if (*list != '\0' && lines + 1 >= REQ_MAX) {
			/* the oldest sender goes; its messages stay stored */
			char *nl = strchr(list, '\n');
			memmove(list, nl + 1, strlen(nl + 1) + 1);
		}
		xasprintf(&n, "%s%s%s", list, *list ? "\n" : "", bare);
		store_kv_stage(a->w->store, a->name, REQ_KV_LIST, n);
		free(n);
	}
	free(list);
	xasprintf(&text,
		  "%s is not a contact: its message waits in /requests "
		  "(/accept %s opens the chat, /block %s blocks it)",
		  bare, bare, bare);
	requests_emit(a, bare, "new", count, text);
	free(text);
	free(bare);
}

void
requests_list(struct account *a)
{
	char *list = requests_get(a), *p = list, *nl;
	int64_t n = 0;
	char info[64];

	while (*p != '\0') {
		nl = strchr(p, '\n');
		if (nl != NULL)
			*nl = '\0';
		requests_emit(a, p, "listed", requests_count(a, p),
			      "not a contact");
		n++;
		p = nl ? nl + 1 : p + strlen(p);
	}
	free(list);
	snprintf(info, sizeof(info), "requests: %lld", (long long)n);
	event_info(a->name, info);
}

/* Takes BARE out of the list; 1 when it was in it. */
static int
requests_remove(struct account *a, const char *bare)
{
	char *list = requests_get(a), *k;
	int was = requests_cut(list, bare);

	if (was) {
		ward_txn(a->w);
		store_kv_set(a->w->store, a->name, REQ_KV_LIST, list);
		xasprintf(&k, REQ_KV_COUNT "%s", bare);
		store_kv_del(a->w->store, a->name, k);
		free(k);
	}
	free(list);
	return was;
}

int
requests_accept(struct account *a, const char *jid)
{
	char *bare = jid_bare(jid), *text;
	int64_t count;

	if (bare == NULL) {
		event_error(a->name, "invalid-jid", "not a valid JID");
		return WARD_ERR_INVAL;
	}
	/* without a request yet it is accepted ahead: its messages will
	 * not be held */
	count = requests_count(a, bare);
	requests_remove(a, bare);
	ward_txn(a->w);
	policy_set_accepted(a, bare);
	ward_txn_commit(a->w);
	xasprintf(&text,
		  "%s is not a contact: /add %s to add it (and see its "
		  "presence)",
		  bare, bare);
	requests_emit(a, bare, "accepted", count, text);
	free(text);
	free(bare);
	return WARD_OK;
}

void
requests_drop(struct account *a, const char *bare)
{
	if (requests_remove(a, bare))
		requests_emit(a, bare, "blocked", 0, "blocked");
}
