/*
 * muc_members.c: the members of a room (see muc_members.h). The lists are
 * asked with three muc#admin queries; their answers, the room's
 * affiliation-change messages and the occupants' presences keep one set
 * of bare JIDs per account and room.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "account.h"
#include "chatsec.h"
#include "core.h"
#include "jid.h"
#include "muc_members.h"
#include "muc_occ.h"
#include "stanza.h"
#include "ward.h"

#define NS_MUC_ADMIN "http://jabber.org/protocol/muc#admin"
#define MUC_MEMBERS_MAX 2000 /* members kept per room */
#define MUC_MEMBERS_TIMEOUT_MS 30000

struct muc_members {
	struct account *a;
	char *room;
	char **jids; /* bare */
	size_t n;
	enum muc_members_state state;
	int pending;  /* lists not answered yet */
	unsigned gen; /* a new fetch makes older answers void */
	struct muc_members *next;
};

static struct muc_members *muc_members_all; /* global: every account's */

static struct muc_members *
mm_find(struct account *a, const char *room, int create)
{
	struct muc_members *m;

	for (m = muc_members_all; m != NULL; m = m->next)
		if (m->a == a && jid_bare_equal(m->room, room))
			return m;
	if (!create)
		return NULL;
	m = xcalloc(1, sizeof(*m));
	m->a = a;
	if ((m->room = jid_bare(room)) == NULL) {
		free(m);
		return NULL;
	}
	m->next = muc_members_all;
	muc_members_all = m;
	return m;
}

/* Two bare JIDs as jid_bare() writes them (domain normalised): equal when
 * jid_bare_equal says so (local parts compared ignoring ASCII case),
 * without parsing both again: rooms can be big. */
static int
mm_same(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

static size_t
mm_index(const struct muc_members *m, const char *bare)
{
	size_t i;

	for (i = 0; i < m->n && !mm_same(m->jids[i], bare); i++)
		;
	return i;
}

static void
mm_add(struct muc_members *m, const char *jid)
{
	char *bare = jid_bare(jid);

	if (bare == NULL || mm_index(m, bare) < m->n ||
	    m->n >= MUC_MEMBERS_MAX) {
		free(bare);
		return;
	}
	m->jids = xrealloc(m->jids, (m->n + 1) * sizeof(*m->jids));
	m->jids[m->n++] = bare;
}

static void
mm_del(struct muc_members *m, const char *jid)
{
	char *bare = jid_bare(jid);
	size_t i;

	if (bare != NULL && (i = mm_index(m, bare)) < m->n) {
		free(m->jids[i]);
		m->jids[i] = m->jids[--m->n];
	}
	free(bare);
}

static int
mm_is_member(const char *affiliation)
{
	return affiliation != NULL && (strcmp(affiliation, "member") == 0 ||
				       strcmp(affiliation, "admin") == 0 ||
				       strcmp(affiliation, "owner") == 0);
}

void
muc_members_set(struct account *a, const char *room, const char *jid,
		const char *affiliation)
{
	struct muc_members *m;

	if (jid == NULL || (m = mm_find(a, room, 1)) == NULL)
		return;
	if (mm_is_member(affiliation))
		mm_add(m, jid);
	else
		mm_del(m, jid);
}

struct mm_req {
	char *room;
	unsigned gen;
};

static void
mm_reply(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	struct mm_req *q = arg;
	struct muc_members *m = mm_find(a, q->room, 0);
	xmpp_stanza_t *query, *item;
	const char *type;

	if (m == NULL || m->gen != q->gen)
		goto out;
	type = reply ? xmpp_stanza_get_type(reply) : NULL;
	query = reply ? xmpp_stanza_get_child_by_name_and_ns(reply, "query",
							     NS_MUC_ADMIN)
		      : NULL;
	if (type == NULL || strcmp(type, "result") != 0 || query == NULL) {
		log_info("%s: %s did not give its affiliation list", a->name,
			 m->room);
		m->state = MM_FAILED;
	} else {
		for (item = xmpp_stanza_get_children(query); item != NULL;
		     item = xmpp_stanza_get_next(item))
			if (xmpp_stanza_is_tag(item) &&
			    strcmp(xmpp_stanza_get_name(item), "item") == 0 &&
			    mm_is_member(
				xmpp_stanza_get_attribute(item, "affiliation")))
				mm_add(m,
				       xmpp_stanza_get_attribute(item, "jid"));
	}
	if (m->pending > 0 && --m->pending == 0 && m->state == MM_FETCHING)
		m->state = MM_KNOWN;
	if (m->pending == 0) {
		chatsec_changed(a, m->room);
		im_flush_outbox(a);
	}
out:
	free(q->room);
	free(q);
}

void
muc_members_fetch(struct account *a, const char *room)
{
	static const char *const lists[] = {"member", "admin", "owner"};
	struct muc_members *m = mm_find(a, room, 1);
	xmpp_stanza_t *iq, *query, *item;
	struct mm_req *q;
	char *id;
	size_t i;

	if (m == NULL || a->state != AS_ONLINE)
		return;
	m->gen++;
	m->state = MM_FETCHING;
	m->pending = 0;
	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		id = account_new_id(a);
		iq = xmpp_iq_new(a->w->ctx, "get", id);
		free(id);
		xmpp_stanza_set_to(iq, m->room);
		query = stanza_elem(a->w->ctx, "query", NS_MUC_ADMIN);
		item = stanza_elem(a->w->ctx, "item", NULL);
		xmpp_stanza_set_attribute(item, "affiliation", lists[i]);
		stanza_adopt(query, item);
		stanza_adopt(iq, query);
		q = xcalloc(1, sizeof(*q));
		q->room = xstrdup(m->room);
		q->gen = m->gen;
		if (account_send_iq_timeout(a, iq, mm_reply, q,
					    MUC_MEMBERS_TIMEOUT_MS) ==
		    WARD_OK) {
			m->pending++;
		} else {
			free(q->room);
			free(q);
			m->state = MM_FAILED;
		}
		xmpp_stanza_release(iq);
	}
	if (m->pending == 0 && m->state == MM_FETCHING)
		m->state = MM_FAILED;
}

enum muc_members_state
muc_members_state(struct account *a, const char *room)
{
	struct muc_members *m = mm_find(a, room, 0);

	return m != NULL ? m->state : MM_UNKNOWN;
}

struct mm_collect {
	struct account *a;
	char **v;
	size_t n;
};

static void
mm_collect_one(const char *jid, void *arg)
{
	struct mm_collect *c = arg;
	char *bare = jid_bare(jid);
	size_t i;

	if (bare == NULL || jid_bare_equal(bare, c->a->jid)) {
		free(bare);
		return;
	}
	for (i = 0; i < c->n; i++)
		if (mm_same(c->v[i], bare)) {
			free(bare);
			return;
		}
	c->v = xrealloc(c->v, (c->n + 1) * sizeof(*c->v));
	c->v[c->n++] = bare;
}

size_t
muc_members_jids(struct account *a, const char *room, char ***out)
{
	struct muc_members *m = mm_find(a, room, 0);
	struct mm_collect c = {a, NULL, 0};
	size_t i;

	for (i = 0; m != NULL && i < m->n; i++)
		mm_collect_one(m->jids[i], &c);
	muc_occ_each_jid(a, room, mm_collect_one, &c);
	*out = c.v;
	return c.n;
}

void
muc_members_free(char **jids, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(jids[i]);
	free(jids);
}

void
muc_members_forget(struct account *a, const char *room)
{
	struct muc_members **pp = &muc_members_all, *m;

	while ((m = *pp) != NULL) {
		if (m->a != a ||
		    (room != NULL && !jid_bare_equal(m->room, room))) {
			pp = &m->next;
			continue;
		}
		*pp = m->next;
		muc_members_free(m->jids, m->n);
		free(m->room);
		free(m);
	}
}
