/*
 * chatsec.c: the `chat-security` event (see chatsec.h). The encryption
 * comes from policy.c (policy_chat_encryption, the one place that
 * decides); the device counts from the session's device list (omemo_dev.c)
 * and the trust kept by crypto/. The last state emitted per chat is kept
 * so that a change is reported once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "chatsec.h"
#include "core.h"
#include "event.h"
#include "jid.h"
#include "muc_members.h"
#include "omemo_im.h"
#include "omemo_priv.h"
#include "policy.h"
#include "ward.h"

#define CHATSEC_MAX_KEPT 4096 /* chats whose last state is remembered */

struct chatsec_state {
	int room, omemo;
	const char *why; /* static */
	const char
	    *list; /* static: "known", "missing", "unknown", "fetching" */
	long long devices, verified, blind, untrusted, undecided;
	long long members; /* rooms: the members messages go to */
};

struct chatsec_kept {
	struct account *a;
	char *jid;
	struct chatsec_state st;
	struct chatsec_kept *next;
};

static struct chatsec_kept *chatsec_kept; /* global: last emitted states */
static size_t chatsec_nkept;

/* Counts the trust of DEVICE of JID into *S. */
static void
chatsec_count(struct omemo *o, const char *jid, uint32_t device,
	      struct chatsec_state *s)
{
	enum omemo_trust t;

	s->devices++;
	if (omemo_trust_get(o, jid, device, &t) != OMEMO_OK)
		t = OMEMO_TRUST_UNDECIDED;
	switch (t) {
	case OMEMO_TRUST_VERIFIED:
		s->verified++;
		break;
	case OMEMO_TRUST_BLIND:
		s->blind++;
		break;
	case OMEMO_TRUST_UNTRUSTED:
		s->untrusted++;
		break;
	case OMEMO_TRUST_UNDECIDED:
		s->undecided++;
		break;
	}
}

/* The device counts of a 1:1 chat, and why OMEMO cannot work if so. */
static void
chatsec_devices(struct account *a, const char *jid, struct chatsec_state *s)
{
	struct omemo *o = omemo_dev_crypto(a);
	struct omemo_contact *c = omemo_dev_contact(a, jid, 0);
	uint32_t *ids = NULL;
	size_t n = 0, i;

	s->list = c == NULL                ? "unknown"
		  : c->list == OL_KNOWN    ? "known"
		  : c->list == OL_MISSING  ? "missing"
		  : c->list == OL_FETCHING ? "fetching"
					   : "unknown";
	if (o == NULL) {
		s->why = "omemo-failed";
		return;
	}
	if (c != NULL && c->list == OL_KNOWN) {
		for (i = 0; i < c->n; i++)
			chatsec_count(o, jid, c->ids[i], s);
	} else if (omemo_known_devices(o, jid, &ids, &n) == OMEMO_OK) {
		for (i = 0; i < n; i++) /* as last seen: the list may differ */
			chatsec_count(o, jid, ids[i], s);
		free(ids);
	}
	/* blind trust before verification: undecided devices of a contact
	 * with no verified device are trusted blindly at first use */
	if (s->verified == 0) {
		s->blind += s->undecided;
		s->undecided = 0;
	}
	if (strcmp(s->list, "missing") == 0 ||
	    (strcmp(s->list, "known") == 0 && s->devices == 0))
		s->why = "no-devices";
	else if (s->devices > 0 && s->verified + s->blind == 0)
		s->why = s->undecided > 0 ? "devices-undecided"
					  : "devices-untrusted";
}

/* A room: plaintext and why, or the devices of all its members (a member
 * without a usable device stops every message: "no-devices"). */
static void
chatsec_room(struct account *a, const char *room, struct chatsec_state *s)
{
	struct chatsec_state m;
	enum muc_members_state ms = muc_members_state(a, room);
	char **jids = NULL;
	size_t n, i;
	int lacking = 0;

	if (!s->omemo) {
		s->why = policy_chat_plaintext(a, room) ? "turned-off"
							: "public-room";
		return;
	}
	if (omemo_dev_crypto(a) == NULL) {
		s->why = "omemo-failed";
		return;
	}
	if (muc_privacy_known(a, room) && !policy_room_is_private(a, room)) {
		s->why = "room-not-private";
		return;
	}
	s->list = ms == MM_KNOWN      ? "known"
		  : ms == MM_FETCHING ? "fetching"
		  : ms == MM_FAILED   ? "missing"
				      : "unknown";
	n = muc_members_jids(a, room, &jids);
	s->members = (long long)n;
	for (i = 0; i < n; i++) {
		memset(&m, 0, sizeof(m));
		chatsec_devices(a, jids[i], &m);
		s->devices += m.devices;
		s->verified += m.verified;
		s->blind += m.blind;
		s->untrusted += m.untrusted;
		s->undecided += m.undecided;
		if (m.why != NULL && strcmp(m.why, "no-devices") == 0)
			lacking = 1;
		else if (m.devices > 0 && m.verified + m.blind == 0 &&
			 m.undecided == 0)
			lacking = 1; /* every device of it refused */
	}
	muc_members_free(jids, n);
	if (lacking)
		s->why = "no-devices";
}

static void
chatsec_compute(struct account *a, const char *jid, struct chatsec_state *s)
{
	memset(s, 0, sizeof(*s));
	s->room = muc_is_room(a, jid);
	s->omemo = policy_chat_encryption(a, jid, s->room) == STORE_ENC_OMEMO;
	s->list = "unknown";
	if (s->room) {
		chatsec_room(a, jid, s);
		return;
	}
	if (!s->omemo)
		s->why = "turned-off";
	chatsec_devices(a, jid, s);
	if (!s->omemo)
		s->why = "turned-off"; /* the user's choice says it all */
}

static void
chatsec_emit(struct account *a, const char *jid, const struct chatsec_state *s)
{
	struct event ev;

	event_init(&ev, EV_CHAT_SECURITY, a->name);
	event_str(&ev, "jid", jid);
	event_bool(&ev, "room", s->room);
	event_str(&ev, "encryption", s->omemo ? "omemo" : "none");
	event_str(&ev, "why", s->why);
	if (s->room && s->omemo)
		event_int(&ev, "members", s->members);
	if (!s->room || s->omemo) {
		event_str(&ev, "device_list", s->list);
		event_int(&ev, "devices", s->devices);
		event_int(&ev, "verified", s->verified);
		event_int(&ev, "blind", s->blind);
		event_int(&ev, "untrusted", s->untrusted);
		event_int(&ev, "undecided", s->undecided);
	}
	event_emit(&ev);
}

static struct chatsec_kept *
chatsec_find(struct account *a, const char *jid)
{
	struct chatsec_kept *k;

	for (k = chatsec_kept; k != NULL; k = k->next)
		if (k->a == a && strcmp(k->jid, jid) == 0)
			return k;
	return NULL;
}

static void
chatsec_keep(struct account *a, const char *jid, const struct chatsec_state *s)
{
	struct chatsec_kept *k = chatsec_find(a, jid);

	if (k == NULL) {
		if (chatsec_nkept >= CHATSEC_MAX_KEPT)
			return; /* then every change is reported */
		k = xcalloc(1, sizeof(*k));
		k->a = a;
		k->jid = xstrdup(jid);
		k->next = chatsec_kept;
		chatsec_kept = k;
		chatsec_nkept++;
	}
	k->st = *s;
}

static int
chatsec_same(const struct chatsec_state *x, const struct chatsec_state *y)
{
	return x->room == y->room && x->omemo == y->omemo &&
	       (x->why == y->why ||
		(x->why && y->why && strcmp(x->why, y->why) == 0)) &&
	       strcmp(x->list, y->list) == 0 && x->devices == y->devices &&
	       x->verified == y->verified && x->blind == y->blind &&
	       x->untrusted == y->untrusted && x->undecided == y->undecided &&
	       x->members == y->members;
}

void
chatsec_changed(struct account *a, const char *jid)
{
	struct chatsec_state s;
	struct chatsec_kept *k;
	char *bare = jid_bare(jid);

	if (bare == NULL)
		return;
	chatsec_compute(a, bare, &s);
	k = chatsec_find(a, bare);
	if (k == NULL || !chatsec_same(&k->st, &s)) {
		chatsec_keep(a, bare, &s);
		chatsec_emit(a, bare, &s);
	}
	free(bare);
}

int
chatsec_command(struct account *a, const char *jid)
{
	struct chatsec_state s;
	struct omemo_contact *c;
	char *bare;

	if (a == NULL) {
		event_error(NULL, "command", "no account configured");
		return WARD_ERR_NOTFOUND;
	}
	bare = jid_bare(jid);
	if (bare == NULL) {
		event_error(a->name, "invalid-jid", "not a valid JID");
		return WARD_ERR_INVAL;
	}
	/* not fetched this session, or empty or unreadable a while ago: ask,
	 * the answer comes as a change */
	if (a->state == AS_ONLINE && !muc_is_room(a, bare) &&
	    policy_chat_encryption(a, bare, 0) == STORE_ENC_OMEMO &&
	    omemo_dev_crypto(a) != NULL &&
	    (c = omemo_dev_contact(a, bare, 1)) != NULL &&
	    (c->list == OL_UNKNOWN ||
	     ((c->n == 0 || c->list == OL_MISSING) &&
	      omemo_dev_list_stale(c))))
		omemo_dev_fetch_list(a, c);
	chatsec_compute(a, bare, &s);
	chatsec_keep(a, bare, &s);
	chatsec_emit(a, bare, &s);
	free(bare);
	return WARD_OK;
}

void
chatsec_forget(struct account *a)
{
	struct chatsec_kept **pp = &chatsec_kept, *k;

	while ((k = *pp) != NULL) {
		if (k->a != a) {
			pp = &k->next;
			continue;
		}
		*pp = k->next;
		free(k->jid);
		free(k);
		chatsec_nkept--;
	}
}

void
chatsec_room_gone(struct account *a, const char *room)
{
	struct chatsec_kept **pp = &chatsec_kept, *k;
	struct chatsec_state s;

	memset(&s, 0, sizeof(s));
	s.room = 1;
	s.why = "not-in-room";
	s.list = "unknown";
	chatsec_emit(a, room, &s);
	for (; (k = *pp) != NULL; pp = &k->next)
		if (k->a == a && jid_bare_equal(k->jid, room)) {
			*pp = k->next;
			free(k->jid);
			free(k);
			chatsec_nkept--;
			return;
		}
}

void
chatsec_rooms_changed(struct account *a)
{
	struct chatsec_kept *k;
	struct chatsec_state s;

	for (k = chatsec_kept; k != NULL; k = k->next) {
		if (k->a != a || !k->st.room || !k->st.omemo)
			continue;
		chatsec_compute(a, k->jid, &s);
		if (!chatsec_same(&k->st, &s)) {
			k->st = s;
			chatsec_emit(a, k->jid, &s);
		}
	}
}
