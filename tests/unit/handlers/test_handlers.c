/*
 * test_handlers.c: the incoming-stanza table (src/feat/handlers.c) run by its
 * dispatcher (src/xmpp/dispatch.c) on a real account with a real store: every
 * row, sent from every sender its rule refuses, is dropped with nothing
 * stored and nothing emitted; the same stanza from a sender the rule
 * allows does take effect; disco#info and the caps hash match the rows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <sqlite3.h>

#include "account.h"
#include "base64.h"
#include "config.h"
#include "core.h"
#include "event.h"
#include "handlers.h"
#include "loop.h"
#include "omemo_im.h"
#include "store.h"
#include "ward.h"

#define ME "me@example.org"
#define ROOM "room@conference.example.org"
#define DEVICELIST "eu.siacs.conversations.axolotl.devicelist"

/* One sample of every kind of sender, and which rules allow it. */
struct sender {
	const char *from; /* NULL: no 'from' */
	unsigned allowed; /* bit per enum handler_from */
};
#define A(r) (1u << (r))
#define ANY A(HANDLER_FROM_ANYONE)
#define BARE A(HANDLER_FROM_CONTACT)
#define ARCHIVE A(HANDLER_FROM_ARCHIVE)
/* no stranger (the roster of setup(): alice "both", bob "to", carol
 * "from", pending "none") */
#define KNOWN A(HANDLER_FROM_KNOWN)
static const struct sender senders[] = {
    {NULL, ANY | A(HANDLER_FROM_ACCOUNT) | A(HANDLER_FROM_SERVER) | BARE |
	       ARCHIVE | KNOWN},
    {ME, ANY | A(HANDLER_FROM_SELF) | A(HANDLER_FROM_ACCOUNT) | BARE |
	     ARCHIVE | KNOWN},
    {"ME@Example.org", ANY | A(HANDLER_FROM_SELF) | A(HANDLER_FROM_ACCOUNT) |
			   BARE | ARCHIVE | KNOWN},
    {ME "/laptop", ANY | KNOWN},
    {"example.org", ANY | A(HANDLER_FROM_SERVER) | BARE | KNOWN},
    {"alice@example.net", ANY | BARE | KNOWN},
    {"alice@example.net/phone", ANY | KNOWN},
    {"bob@example.net/x", ANY | KNOWN},   /* subscription to */
    {"carol@example.net/y", ANY | KNOWN}, /* subscription from */
    /* in the roster, no subscription either way: a stranger */
    {"pending@example.net/z", ANY},
    {"pending@example.net", ANY | BARE},
    {"me@example.net", ANY | BARE}, /* our local part, not our account */
    {ROOM "/bob", ANY | A(HANDLER_FROM_ROOM)},
    {ROOM, ANY | A(HANDLER_FROM_ROOM) | BARE | ARCHIVE},
    {"conference.example.org", ANY | A(HANDLER_FROM_ROOM_SERVICE) | BARE},
    {"other@conference.example.org/x", ANY},
    {"evil.example", ANY | BARE},
    {"a@b@c", ANY}, /* not a JID */
};
#define NSENDERS (sizeof(senders) / sizeof(senders[0]))

struct fixture {
	char dir[64];
	struct loop *loop;
	struct ward *w;
	struct account *a;
	size_t nevents;
	int room_event; /* an event naming a room was emitted */
};

static void
sink(void *arg, const struct event *ev)
{
	struct fixture *f = arg;
	size_t i;

	f->nevents++;
	for (i = 0; i < ev->n; i++)
		if (strcmp(ev->f[i].key, "room") == 0)
			f->room_event = 1;
}

static int
setup(void **state)
{
	static const char conf[] = "[account t]\njid = " ME "\n"
				   "password = x\n";
	struct fixture *f = calloc(1, sizeof(*f));
	struct config *cfg = NULL;
	char *why = NULL;

	if (f == NULL)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/ward-handlers-XXXXXX");
	if (mkdtemp(f->dir) == NULL ||
	    config_parse_buffer("t.conf", conf, strlen(conf), &cfg, &why) !=
		WARD_OK ||
	    (f->loop = loop_new()) == NULL)
		return -1;
	f->w = ward_new(f->loop, cfg, f->dir, &why);
	if (f->w == NULL) {
		fprintf(stderr, "ward_new: %s\n", why ? why : "?");
		return -1;
	}
	f->a = f->w->accounts;
	f->a->state = AS_ONLINE;
	f->a->full_jid = xstrdup(ME "/ward");
	/* a room we are in, as a restart finds it */
	if (store_kv_set(f->w->store, "t", "muc-rooms", ROOM "/me\n") !=
	    WARD_OK)
		return -1;
	muc_online(f->a);
	if (!muc_is_room(f->a, ROOM))
		return -1;
	{
		static const struct store_roster_item roster[] = {
		    {"alice@example.net", "Alice", "both", NULL},
		    {"bob@example.net", NULL, "to", NULL},
		    {"carol@example.net", NULL, "from", NULL},
		    {"pending@example.net", NULL, "none", NULL},
		};
		if (store_roster_replace(f->w->store, "t", roster, 4, NULL) !=
		    WARD_OK)
			return -1;
	}
	event_subscribe(sink, f);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char path[128];

	event_unsubscribe(f);
	ward_free(f->w);
	loop_free(f->loop);
	snprintf(path, sizeof(path), "%s/ward.db", f->dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/ward.db-wal", f->dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/ward.db-shm", f->dir);
	unlink(path);
	rmdir(f->dir);
	free(f);
	return 0;
}

static int
count_cb(void *arg, int n, char **v, char **names)
{
	(void)n;
	(void)names;
	*(long *)arg += v[0] ? atol(v[0]) : 0;
	return 0;
}

/* Rows in every table of ward.db, after committing the open batch. */
static long
stored_rows(struct fixture *f)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	char path[128], *q;
	long total = 0;

	ward_txn_commit(f->w);
	snprintf(path, sizeof(path), "%s/ward.db", f->dir);
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT name FROM sqlite_master "
					    "WHERE type = 'table'",
					    -1, &s, NULL),
			 SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		q = sqlite3_mprintf("SELECT count(*) FROM \"%w\"",
				    sqlite3_column_text(s, 0));
		assert_int_equal(sqlite3_exec(db, q, count_cb, &total, NULL),
				 SQLITE_OK);
		sqlite3_free(q);
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	return total;
}

/*
 * The stanza a row selects, from FROM, carrying what each handler would
 * act on: a body, a forwarded message (carbons, archive results), the
 * query id the account waits for, a roster item and a device list. SEQ
 * keeps ids apart so that the store never sees a duplicate.
 */
static xmpp_stanza_t *
row_stanza(struct fixture *f, const struct handler *h, const char *from,
	   int seq)
{
	char *xml, *child = NULL, *fromattr = NULL;
	const char *kind = h->kind == HANDLER_PRESENCE  ? "presence"
			   : h->kind == HANDLER_MESSAGE ? "message"
							: "iq";
	const char *type = h->kind == HANDLER_IQ_GET   ? "get"
			   : h->kind == HANDLER_IQ_SET ? "set"
						       : h->type;
	xmpp_stanza_t *st;

	if (from != NULL)
		xasprintf(&fromattr, " from='%s'", from);
	if (h->name != NULL)
		xasprintf(&child,
			  "<%s xmlns='%s' queryid='q1' id='arch%d'>"
			  "<forwarded xmlns='urn:xmpp:forward:0'>"
			  "<message %s id='in%d' type='chat'>"
			  "<body>FORGED %d</body></message></forwarded>"
			  "<item jid='mallory%d@example.net' "
			  "subscription='both'/>"
			  "<items node='" DEVICELIST "'><item>"
			  "<list xmlns='eu.siacs.conversations.axolotl'>"
			  "<device id='666'/></list></item></items></%s>",
			  h->name, h->ns, seq,
			  /* a sent carbon's message is ours (im_carbon) */
			  strcmp(h->name, "sent") == 0
			      ? "from='" ME "/phone' to='alice@example.net'"
			      : "from='alice@example.net/phone' to='" ME "/ward'",
			  seq, seq, seq, h->name);
	xasprintf(&xml, "<%s%s to='" ME "/ward' id='st%d'%s%s%s>%s%s</%s>",
		  kind, fromattr ? fromattr : "", seq, type ? " type='" : "",
		  type ? type : "", type ? "'" : "",
		  h->kind == HANDLER_MESSAGE ? "<body>FORGED body</body>" : "",
		  child ? child : "", kind);
	st = xmpp_stanza_new_from_string(f->w->ctx, xml);
	assert_non_null(st);
	free(xml);
	free(child);
	free(fromattr);
	return st;
}

static void
table_is_sane(void **state)
{
	size_t i;

	(void)state;
	assert_true(handlers_n > 0);
	for (i = 0; i < handlers_n; i++) {
		const struct handler *h = &handlers[i];
		assert_non_null(h->fn);
		assert_non_null(h->what);
		assert_true((h->name == NULL) == (h->ns == NULL));
		assert_true(h->from < HANDLER_NFROM);
		/* only a presence is routed by who sent it, and a chat
		 * state (XEP-0085): a stranger's message that carries one
		 * goes on to the message row (message requests) */
		assert_true(!h->pass || h->kind == HANDLER_PRESENCE ||
			    (h->ns != NULL &&
			     strcmp(h->ns, "http://jabber.org/protocol/"
					   "chatstates") == 0));
	}
}

/*
 * The rules that stand between ward and the known spoofing bugs are not
 * weakened (a row open to anyone would pass the walk below unnoticed):
 * carbons (CVE-2017-5589), roster pushes (RFC 6121 2.1.6), archive
 * results, device-list pushes, group chat.
 */
static void
security_rules_pinned(void **state)
{
	static const struct {
		enum handler_kind kind;
		const char *type, *name, *ns;
		enum handler_from from;
	} pinned[] = {
	    {HANDLER_MESSAGE, NULL, "received", "urn:xmpp:carbons:2",
	     HANDLER_FROM_SELF},
	    {HANDLER_MESSAGE, NULL, "sent", "urn:xmpp:carbons:2",
	     HANDLER_FROM_SELF},
	    {HANDLER_IQ_SET, NULL, "query", "jabber:iq:roster",
	     HANDLER_FROM_ACCOUNT},
	    {HANDLER_MESSAGE, NULL, "result", "urn:xmpp:mam:2",
	     HANDLER_FROM_ARCHIVE},
	    {HANDLER_MESSAGE, NULL, "event",
	     "http://jabber.org/protocol/pubsub#event", HANDLER_FROM_CONTACT},
	    {HANDLER_MESSAGE, "groupchat", NULL, NULL, HANDLER_FROM_ROOM},
	    /* the stranger rule: nothing tells a stranger we are online */
	    {HANDLER_IQ_GET, NULL, "ping", "urn:xmpp:ping", HANDLER_FROM_KNOWN},
	    {HANDLER_IQ_GET, NULL, "query",
	     "http://jabber.org/protocol/disco#info", HANDLER_FROM_KNOWN},
	    {HANDLER_IQ_GET, NULL, "query", "jabber:iq:version",
	     HANDLER_FROM_KNOWN},
	    {HANDLER_IQ_GET, NULL, "time", "urn:xmpp:time", HANDLER_FROM_KNOWN},
	    /* T43: block list pushes only from our own account */
	    {HANDLER_IQ_SET, NULL, "block", "urn:xmpp:blocking",
	     HANDLER_FROM_ACCOUNT},
	    {HANDLER_IQ_SET, NULL, "unblock", "urn:xmpp:blocking",
	     HANDLER_FROM_ACCOUNT},
	    /* T41: receipts and markers only from contacts */
	    {HANDLER_MESSAGE, NULL, "received", "urn:xmpp:receipts",
	     HANDLER_FROM_KNOWN},
	    {HANDLER_MESSAGE, NULL, "displayed", "urn:xmpp:chat-markers:0",
	     HANDLER_FROM_KNOWN},
	    /* ... and in a room only from a room we are in (its handler
	     * then wants a private room and another occupant) */
	    {HANDLER_MESSAGE, "groupchat", "displayed",
	     "urn:xmpp:chat-markers:0", HANDLER_FROM_ROOM},
	    {HANDLER_MESSAGE, "groupchat", "composing",
	     "http://jabber.org/protocol/chatstates", HANDLER_FROM_ROOM},
	};
	size_t i, p, found;

	(void)state;
	for (p = 0; p < sizeof(pinned) / sizeof(pinned[0]); p++) {
		found = 0;
		for (i = 0; i < handlers_n; i++) {
			const struct handler *h = &handlers[i];
			if (h->kind != pinned[p].kind ||
			    (h->type == NULL) != (pinned[p].type == NULL) ||
			    (h->type && strcmp(h->type, pinned[p].type)) ||
			    (h->name == NULL) != (pinned[p].name == NULL) ||
			    (h->name && (strcmp(h->name, pinned[p].name) ||
					 strcmp(h->ns, pinned[p].ns))))
				continue;
			assert_int_equal(h->from, pinned[p].from);
			assert_false(h->pass);
			found++;
		}
		assert_int_equal(found, 1);
	}
	/* PEP nodes: our bookmarks only from our own bare JID (T52: a
	 * forged push would make ward join a room); device lists from the
	 * account that owns them */
	for (found = 0, i = 0; i < pep_handlers_n; i++) {
		if (strcmp(pep_handlers[i].node, "urn:xmpp:bookmarks:1") == 0) {
			assert_int_equal(pep_handlers[i].from,
					 HANDLER_FROM_SELF);
			found++;
		} else if (strcmp(pep_handlers[i].node, DEVICELIST) == 0) {
			assert_int_equal(pep_handlers[i].from,
					 HANDLER_FROM_CONTACT);
			found++;
		}
	}
	assert_int_equal(found, 2);
}

/* Every row, from every sender its rule refuses: dropped, nothing stored,
 * nothing emitted. */
static void
refused_senders_are_dropped(void **state)
{
	struct fixture *f = *state;
	size_t i, s, refused = 0;
	int seq = 0;

	for (i = 0; i < handlers_n; i++) {
		const struct handler *h = &handlers[i];
		for (s = 0; s < NSENDERS; s++) {
			xmpp_stanza_t *st;
			enum handler_result r;
			long before;

			if (senders[s].allowed & A(h->from))
				continue;
			assert_false(
			    handlers_sender_ok(f->a, h->from, senders[s].from));
			st = row_stanza(f, h, senders[s].from, ++seq);
			before = stored_rows(f);
			f->nevents = 0;
			f->room_event = 0;
			r = handlers_dispatch(f->a, st);
			event_flush();
			xmpp_stanza_release(st);
			if (h->pass) {
				/* not this row's: a later row takes it */
				assert_int_not_equal(r, HANDLER_DROPPED);
				assert_false(f->room_event);
				continue;
			}
			if (r != HANDLER_DROPPED)
				fail_msg("row %zu (%s) from %s: not dropped", i,
					 h->what,
					 senders[s].from ? senders[s].from
							 : "(none)");
			assert_int_equal(f->nevents, 0);
			assert_int_equal(stored_rows(f), before);
			refused++;
		}
	}
	assert_true(refused > 0);
}

/* The same stanzas from a sender the rule allows take effect: the drops
 * above are the rule's doing, not a stanza no handler would use. */
static void
allowed_senders_take_effect(void **state)
{
	struct fixture *f = *state;
	size_t i, s, checked = 0;
	int seq = 1000;

	for (i = 0; i < handlers_n; i++) {
		const struct handler *h = &handlers[i];
		/* rows open to all (or to any bare JID: device lists take
		 * OMEMO state; hostile/omemo_forged.sh) refuse little */
		if (h->from == HANDLER_FROM_ANYONE ||
		    h->from == HANDLER_FROM_CONTACT)
			continue;
		/* the stranger rule's rows only answer (nothing stored or
		 * emitted): their answers are seen by a peer in
		 * tests/integration/stranger_rule.sh */
		if (h->from == HANDLER_FROM_KNOWN)
			continue;
		/* a correction, retraction or reactions changes only a
		 * stored message of its sender's (msgrule.c, a second rule
		 * after the row's): unit/msgrule, integration/msg_edit.sh */
		if (h->ns != NULL &&
		    (strcmp(h->ns, "urn:xmpp:message-correct:0") == 0 ||
		     strcmp(h->ns, "urn:xmpp:message-retract:1") == 0 ||
		     strcmp(h->ns, "urn:xmpp:reactions:0") == 0))
			continue;
		for (s = 0; s < NSENDERS; s++) {
			xmpp_stanza_t *st;
			long before;

			if (!(senders[s].allowed & A(h->from)))
				continue;
			assert_true(
			    handlers_sender_ok(f->a, h->from, senders[s].from));
			free(f->a->mam_queryid);
			f->a->mam_queryid = xstrdup("q1");
			st = row_stanza(f, h, senders[s].from, ++seq);
			before = stored_rows(f);
			f->nevents = 0;
			assert_int_equal(handlers_dispatch(f->a, st),
					 HANDLER_DONE);
			event_flush();
			xmpp_stanza_release(st);
			/* our catch-up query went to our own archive: a
			 * room's answer to it is bound out by mam_result */
			if (h->from == HANDLER_FROM_ARCHIVE &&
			    muc_is_room(f->a, senders[s].from)) {
				assert_int_equal(f->nevents, 0);
				assert_int_equal(stored_rows(f), before);
				continue;
			}
			if (f->nevents == 0 && stored_rows(f) == before)
				fail_msg("row %zu (%s) from %s: no effect", i,
					 h->what,
					 senders[s].from ? senders[s].from
							 : "(none)");
			checked++;
		}
	}
	assert_true(checked > 0);
}

static void
unmatched_iq(void **state)
{
	struct fixture *f = *state;
	xmpp_stanza_t *st;

	st = xmpp_stanza_new_from_string(
	    f->w->ctx, "<iq type='get' id='x1' from='alice@example.net/p'>"
		       "<query xmlns='jabber:iq:last'/></iq>");
	assert_int_equal(handlers_dispatch(f->a, st), HANDLER_UNMATCHED);
	xmpp_stanza_release(st);
	st = xmpp_stanza_new_from_string(f->w->ctx, "<iq type='get'>"
						    "<ping xmlns='urn:xmpp:"
						    "ping'/></iq>");
	assert_int_equal(handlers_dispatch(f->a, st), HANDLER_IGNORED);
	xmpp_stanza_release(st);
}

/* 1 when FEATURE is named by some row. */
static int
row_feature(const char *feature)
{
	size_t i, j;

	for (i = 0; i < handlers_n; i++)
		for (j = 0; j < HANDLER_MAX_FEATURES &&
			    handlers[i].features[j] != NULL;
		     j++)
			if (strcmp(handlers[i].features[j], feature) == 0)
				return 1;
	return 0;
}

/* disco#info advertises exactly the rows' features, and the caps hash in
 * our presence is the hash of that very list (XEP-0115 5.1). */
static void
disco_matches_table(void **state)
{
	struct fixture *f = *state;
	xmpp_stanza_t *q, *c;
	const char *var, *prev = NULL;
	char *s = xstrdup(""), *t, *ver, *want;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	size_t i, j, n = 0;

	q = disco_query(f->w->ctx, f->a, NULL);
	for (c = xmpp_stanza_get_children(q); c != NULL;
	     c = xmpp_stanza_get_next(c)) {
		if (strcmp(xmpp_stanza_get_name(c), "identity") == 0) {
			xasprintf(&t, "%s%s/%s//%s<", s,
				  xmpp_stanza_get_attribute(c, "category"),
				  xmpp_stanza_get_attribute(c, "type"),
				  xmpp_stanza_get_attribute(c, "name"));
			free(s);
			s = t;
			continue;
		}
		var = xmpp_stanza_get_attribute(c, "var");
		assert_non_null(var);
		if (!row_feature(var))
			fail_msg("disco#info advertises %s, no row's", var);
		/* sorted, each once */
		assert_true(prev == NULL || strcmp(prev, var) < 0);
		prev = var;
		xasprintf(&t, "%s%s<", s, var);
		free(s);
		s = t;
		n++;
	}
	for (i = 0; i < handlers_n; i++)
		for (j = 0; j < HANDLER_MAX_FEATURES &&
			    handlers[i].features[j] != NULL;
		     j++) {
			int found = 0;
			for (c = xmpp_stanza_get_children(q); c != NULL;
			     c = xmpp_stanza_get_next(c)) {
				var = xmpp_stanza_get_attribute(c, "var");
				if (var != NULL &&
				    strcmp(var, handlers[i].features[j]) == 0)
					found = 1;
			}
			if (!found)
				fail_msg("row %zu's %s not advertised", i,
					 handlers[i].features[j]);
		}
	assert_true(n > 0);
	assert_int_equal(EVP_Digest(s, strlen(s), md, &mdlen, EVP_sha1(), NULL),
			 1);
	want = base64_encode(md, mdlen);
	ver = disco_ver(f->a);
	assert_string_equal(ver, want);
	free(ver);
	free(want);
	free(s);
	xmpp_stanza_release(q);
}

/* 1 when Q advertises VAR. */
static int
advertises(xmpp_stanza_t *q, const char *var)
{
	xmpp_stanza_t *c;
	const char *v;

	for (c = xmpp_stanza_get_children(q); c != NULL;
	     c = xmpp_stanza_get_next(c))
		if ((v = xmpp_stanza_get_attribute(c, "var")) != NULL &&
		    strcmp(v, var) == 0)
			return 1;
	return 0;
}

/* Issue 14.10: a signal switched off in ward.conf is not advertised, in
 * disco#info or in the caps hash. */
static void
disco_follows_switches(void **state)
{
	struct fixture *f = *state;
	struct account_config *cfg = (struct account_config *)f->a->cfg;
	xmpp_stanza_t *q;
	char *all, *some;

	q = disco_query(f->w->ctx, f->a, NULL);
	assert_true(advertises(q, "urn:xmpp:receipts"));
	assert_true(advertises(q, "http://jabber.org/protocol/chatstates"));
	assert_true(advertises(q, "urn:xmpp:chat-markers:0"));
	xmpp_stanza_release(q);
	all = disco_ver(f->a);
	cfg->receipts = 0;
	cfg->chat_states = 0;
	q = disco_query(f->w->ctx, f->a, NULL);
	assert_false(advertises(q, "urn:xmpp:receipts"));
	assert_false(advertises(q, "http://jabber.org/protocol/chatstates"));
	assert_true(advertises(q, "urn:xmpp:chat-markers:0"));
	assert_true(advertises(q, "urn:xmpp:ping"));
	xmpp_stanza_release(q);
	some = disco_ver(f->a);
	assert_string_not_equal(all, some);
	cfg->receipts = 1;
	cfg->chat_states = 1;
	free(all);
	free(some);
}

static size_t
hook_at(enum hook_point p, void (*fn)(struct account *))
{
	size_t i;

	for (i = 0; i < hooks_n; i++)
		if (hooks[i].point == p && hooks[i].fn == fn)
			return i;
	fail_msg("hook missing");
	return 0;
}

/* The orders the protocol needs (handlers.c says why). */
static void
hook_order(void **state)
{
	(void)state;
	assert_true(hook_at(HOOK_ONLINE, csi_online) <
		    hook_at(HOOK_ONLINE, roster_request));
	assert_true(hook_at(HOOK_ONLINE, omemo_dev_online) <
		    hook_at(HOOK_ONLINE, im_flush_outbox));
	assert_true(hook_at(HOOK_ONLINE, session_online) <
		    hook_at(HOOK_ONLINE, im_flush_outbox));
	/* our server's disco#info before our presence (offline messages
	 * follow it); its answer starts the catch-up */
	assert_true(hook_at(HOOK_ONLINE, mam_online) <
		    hook_at(HOOK_ONLINE, im_presence_online));
	assert_true(hook_at(HOOK_RESUMED, session_online) <
		    hook_at(HOOK_RESUMED, im_flush_outbox));
	hook_at(HOOK_OFFLINE, im_offline);
	hook_at(HOOK_FREED, muc_free_all);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(table_is_sane),
	    cmocka_unit_test(security_rules_pinned),
	    cmocka_unit_test_setup_teardown(refused_senders_are_dropped, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(allowed_senders_take_effect, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(unmatched_iq, setup, teardown),
	    cmocka_unit_test_setup_teardown(disco_follows_switches, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(disco_matches_table, setup,
					    teardown),
	    cmocka_unit_test(hook_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
