/*
 * policy.c: the security decisions of policy.h. Nothing here talks to the
 * network; callers ask, then act.
 */
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "config.h"
#include "core.h"
#include "config.h"
#include "jid.h"
#include "policy.h"
#include "ward.h"

#define POLICY_KV_PLAIN "omemo-off:"
#define POLICY_KV_ACCEPTED "accepted:"
#define POLICY_KV_ROOM_OMEMO "room-omemo:"

static char *
policy_plain_key(const char *peer)
{
	char *k;

	xasprintf(&k, POLICY_KV_PLAIN "%s", peer);
	return k;
}

int
policy_chat_plaintext(struct account *a, const char *peer)
{
	char *k = policy_plain_key(peer), *v = NULL;
	int plain;

	plain = store_kv_get(a->w->store, a->name, k, &v) == WARD_OK &&
		strcmp(v, "1") == 0;
	free(v);
	free(k);
	return plain;
}

int
policy_set_chat_plaintext(struct account *a, const char *peer, int plaintext)
{
	char *k = policy_plain_key(peer);
	int r;

	if (plaintext)
		r = store_kv_set(a->w->store, a->name, k, "1");
	else
		r = store_kv_del(a->w->store, a->name, k);
	free(k);
	return r;
}

enum store_enc
policy_chat_encryption(struct account *a, const char *peer, int groupchat)
{
	if (groupchat)
		return !policy_chat_plaintext(a, peer) &&
			       (policy_room_is_private(a, peer) ||
				policy_room_omemo_expected(a, peer))
			   ? STORE_ENC_OMEMO
			   : STORE_ENC_NONE;
	return policy_chat_plaintext(a, peer) ? STORE_ENC_NONE
					      : STORE_ENC_OMEMO;
}

int
policy_room_pm_allowed(struct account *a, const char *occupant)
{
	/* OMEMO needs the occupant's real JID, which ward does not use for
	 * room private messages: plaintext only when the user chose it for
	 * this occupant (/omemo off ROOM/NICK), never by accident */
	return policy_chat_plaintext(a, occupant);
}

/* 1 when one of JID's devices was verified by the user. */
static int
policy_has_verified(struct omemo *o, const char *jid)
{
	enum omemo_trust t;
	uint32_t *ids = NULL;
	size_t n = 0, i;
	int found = 0;

	if (omemo_known_devices(o, jid, &ids, &n) != OMEMO_OK)
		return 1; /* unknown: the careful answer */
	for (i = 0; i < n && !found; i++)
		found = omemo_trust_get(o, jid, ids[i], &t) == OMEMO_OK &&
			t == OMEMO_TRUST_VERIFIED;
	free(ids);
	return found;
}

enum policy_device
policy_omemo_device(struct omemo *o, const char *jid, uint32_t device)
{
	enum omemo_trust t;

	if (omemo_trust_get(o, jid, device, &t) != OMEMO_OK)
		return POLICY_DEVICE_SKIP;
	switch (t) {
	case OMEMO_TRUST_VERIFIED:
	case OMEMO_TRUST_BLIND:
		return POLICY_DEVICE_USE;
	case OMEMO_TRUST_UNTRUSTED:
		return POLICY_DEVICE_SKIP;
	case OMEMO_TRUST_UNDECIDED:
		break;
	}
	if (policy_has_verified(o, jid))
		return POLICY_DEVICE_ASK;
	if (omemo_trust_set(o, jid, device, OMEMO_TRUST_BLIND) != OMEMO_OK)
		return POLICY_DEVICE_SKIP;
	return POLICY_DEVICE_USE;
}

const char *
policy_trust_name(enum omemo_trust t)
{
	switch (t) {
	case OMEMO_TRUST_VERIFIED:
		return "verified";
	case OMEMO_TRUST_BLIND:
		return "blind";
	case OMEMO_TRUST_UNDECIDED:
	case OMEMO_TRUST_UNTRUSTED:
		break;
	}
	return "untrusted";
}

int
policy_room_is_private(struct account *a, const char *room)
{
	return room != NULL && muc_is_private(a, room);
}

int
policy_room_signals_shown(struct account *a, const char *room)
{
	/* the rooms ward tells its own chat states and markers (both ways
	 * the same rule): a public room's occupants are strangers */
	return policy_room_is_private(a, room);
}

int
policy_room_omemo_expected(struct account *a, const char *room)
{
	char *k, *v = NULL;
	int expected;

	xasprintf(&k, POLICY_KV_ROOM_OMEMO "%s", room);
	expected = store_kv_get(a->w->store, a->name, k, &v) == WARD_OK &&
		   strcmp(v, "1") == 0;
	free(v);
	free(k);
	return expected;
}

int
policy_set_room_omemo_expected(struct account *a, const char *room)
{
	char *k;
	int r;

	xasprintf(&k, POLICY_KV_ROOM_OMEMO "%s", room);
	r = store_kv_set(a->w->store, a->name, k, "1");
	free(k);
	return r;
}

int
policy_room_send_refused(struct account *a, const char *room)
{
	return muc_privacy_known(a, room) && !policy_room_is_private(a, room) &&
	       policy_chat_encryption(a, room, 1) == STORE_ENC_OMEMO;
}

int
policy_is_stranger(struct account *a, const char *from)
{
	char *bare, *sub = NULL;
	int stranger = 1;

	if (from == NULL || (bare = jid_bare(from)) == NULL)
		return 1;
	if (jid_bare_equal(bare, a->jid) || jid_bare_equal(bare, a->domain))
		stranger = 0; /* our account, or our server */
	else if (muc_is_room(a, bare))
		stranger = 1; /* an occupant speaks as the room, not itself */
	else if (store_roster_sub(a->w->store, a->name, bare, &sub) == WARD_OK)
		stranger = strcmp(sub, "from") != 0 && strcmp(sub, "to") != 0 &&
			   strcmp(sub, "both") != 0;
	free(sub);
	free(bare);
	return stranger;
}

int
policy_signal_on(const struct account *a, enum policy_signal kind)
{
	const struct account_config *cfg = a != NULL ? a->cfg : NULL;

	if (cfg == NULL)
		return 1;
	switch (kind) {
	case POLICY_SIGNAL_CHAT_STATE:
		return cfg->chat_states;
	case POLICY_SIGNAL_RECEIPT:
		return cfg->receipts;
	case POLICY_SIGNAL_MARKER:
		return cfg->markers;
	}
	return 0;
}

int
policy_feature_on(const struct account *a, const char *feature)
{
	if (strcmp(feature, "http://jabber.org/protocol/chatstates") == 0)
		return policy_signal_on(a, POLICY_SIGNAL_CHAT_STATE);
	if (strcmp(feature, "urn:xmpp:receipts") == 0)
		return policy_signal_on(a, POLICY_SIGNAL_RECEIPT);
	if (strcmp(feature, "urn:xmpp:chat-markers:0") == 0)
		return policy_signal_on(a, POLICY_SIGNAL_MARKER);
	return 1;
}

int
policy_may_signal(struct account *a, const char *to, enum policy_signal kind)
{
	char *bare;
	int may = policy_signal_on(a, kind);

	if (!may || to == NULL || (bare = jid_bare(to)) == NULL)
		return 0;
	if (muc_is_room(a, bare))
		/* the room itself when private; an occupant (ROOM/NICK) is
		 * a stranger whatever the room */
		may = jid_bare_equal(to, bare) && strchr(to, '/') == NULL &&
		      kind != POLICY_SIGNAL_RECEIPT &&
		      policy_room_is_private(a, bare);
	else
		may = !policy_is_stranger(a, to);
	free(bare);
	return may;
}

int
policy_is_request(struct account *a, const char *from)
{
	char *bare, *k, *v = NULL;
	int held;

	if (!policy_is_stranger(a, from))
		return 0;
	if ((bare = jid_bare(from)) == NULL)
		return 1;
	xasprintf(&k, POLICY_KV_ACCEPTED "%s", bare);
	held = store_kv_get(a->w->store, a->name, k, &v) != WARD_OK;
	free(v);
	free(k);
	free(bare);
	return held;
}

int
policy_set_accepted(struct account *a, const char *bare)
{
	char *k, *v = NULL;
	int r = WARD_OK;

	xasprintf(&k, POLICY_KV_ACCEPTED "%s", bare);
	if (store_kv_get(a->w->store, a->name, k, &v) != WARD_OK)
		r = store_kv_set(a->w->store, a->name, k, "1");
	free(v);
	free(k);
	return r;
}

int
policy_auto_download(struct account *a, const char *from, int in_room)
{
	/* a room occupant (message or private message) is a stranger too */
	return a->w->cfg->auto_download > 0 && !in_room &&
	       !policy_is_stranger(a, from);
}
