/*
 * muc_invite.c: room invitations both ways. Outgoing, /invite ROOM JID
 * [REASON]: a contact gets a direct invitation (XEP-0249) unless the room
 * is members-only, anyone else a mediated one (XEP-0045 7.8.2) through the
 * room. Incoming, mediated (from the room's bare JID, naming the inviter)
 * or direct (from the inviter): a `prompt` of kind `muc-invite`, never a
 * join by itself; a stranger's invitation says so. Accepting joins the
 * room the way /join does (a non-anonymous room still asks); declining a
 * mediated invitation from someone who is no stranger sends a decline
 * through the room (a stranger learns nothing: T48).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "core.h"
#include "event.h"
#include "jid.h"
#include "policy.h"
#include "prompt.h"
#include "stanza.h"
#include "ward.h"

#define NS_MUC_USER "http://jabber.org/protocol/muc#user"
#define NS_CONFERENCE "jabber:x:conference"
#define MUC_INVITES_MAX 16        /* invitations waiting for an answer */
#define MUC_INVITE_REASON_MAX 300 /* bytes of a reason shown */

/* Copies S into BUF (SIZE bytes), cut at a UTF-8 character boundary. */
static void
muc_invite_cut(char *buf, size_t size, const char *s)
{
	size_t n;

	snprintf(buf, size, "%s", s != NULL ? s : "");
	n = strlen(buf);
	if (s == NULL || s[n] == '\0')
		return;
	/* s[n] is the first byte left out: a continuation byte there means
	 * the character before it was cut; drop it whole */
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	buf[n] = '\0';
}

struct muc_invite {
	struct account *a;
	char *room;     /* bare room JID */
	char *inviter;  /* bare JID of who invites (NULL: not said) */
	char *password; /* secret: the room's, if the invitation had it */
	int mediated;   /* through the room (a decline can be sent) */
	int stranger;   /* the inviter is a stranger (policy_is_stranger) */
	struct muc_invite *next;
};

static void
muc_invite_free(struct muc_invite *iv)
{
	free(iv->room);
	free(iv->inviter);
	freezero_str(iv->password);
	free(iv);
}

static void
muc_invite_unlink(struct account *a, struct muc_invite *gone)
{
	struct muc_invite **pp;

	for (pp = &a->invites; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == gone) {
			*pp = gone->next;
			return;
		}
	}
}

/* A mediated decline (XEP-0045 7.8.2): through the room to the inviter. */
static void
muc_invite_decline(struct account *a, const struct muc_invite *iv)
{
	xmpp_stanza_t *m, *x, *d;
	char *id = account_new_id(a);

	m = xmpp_message_new(a->w->ctx, NULL, iv->room, id);
	free(id);
	x = stanza_elem(a->w->ctx, "x", NS_MUC_USER);
	d = stanza_elem(a->w->ctx, "decline", NULL);
	xmpp_stanza_set_attribute(d, "to", iv->inviter);
	xmpp_stanza_add_child(x, d);
	xmpp_stanza_release(d);
	xmpp_stanza_add_child(m, x);
	xmpp_stanza_release(x);
	account_send(a, m);
	xmpp_stanza_release(m);
}

static void
muc_invite_answer(void *arg, int accepted)
{
	struct muc_invite *iv = arg;
	struct account *a = iv->a;

	muc_invite_unlink(a, iv);
	if (accepted) {
		if (a->state == AS_ONLINE)
			muc_join(a, iv->room, NULL, iv->password);
		else
			event_error(
			    a->name, "not-connected",
			    "the invitation "
			    "was accepted offline: /join the room once online");
	} else if (iv->mediated && !iv->stranger && iv->inviter != NULL &&
		   a->state == AS_ONLINE) {
		muc_invite_decline(a, iv);
	}
	muc_invite_free(iv);
}

static int
jid_parse_ok(const char *s)
{
	struct jid j;

	if (jid_parse(s, &j) != WARD_OK)
		return 0;
	jid_clear(&j);
	return 1;
}

/* A valid bare JID with a local part (a room), malloc'd; NULL if not. */
static char *
muc_invite_room_jid(const char *s)
{
	struct jid j;
	char *bare = NULL;

	if (s == NULL || jid_parse(s, &j) != WARD_OK)
		return NULL;
	if (j.local != NULL && j.resource == NULL)
		bare = jid_bare(s);
	jid_clear(&j);
	return bare;
}

/* Asks the user about one invitation (the strings are checked here). */
static void
muc_invite_ask(struct account *a, const char *room_s, const char *inviter_s,
	       const char *reason, const char *password, int mediated)
{
	struct muc_invite *iv, *p;
	struct event_field f[6];
	char *room, *inviter = NULL, *text, cut[MUC_INVITE_REASON_MAX + 1];
	size_t n = 0;

	if ((room = muc_invite_room_jid(room_s)) == NULL) {
		log_info("%s: an invitation to an invalid room JID ignored",
			 a->name);
		return;
	}
	/* a semi-anonymous room names an occupant (ROOM/NICK), not a JID */
	if (inviter_s != NULL && jid_parse_ok(inviter_s))
		inviter = jid_bare_equal(inviter_s, room) ? xstrdup(inviter_s)
							  : jid_bare(inviter_s);
	for (p = a->invites; p != NULL; p = p->next, n++)
		if (jid_bare_equal(p->room, room))
			break;
	if (p != NULL || n >= MUC_INVITES_MAX || muc_is_room(a, room)) {
		/* one question per room; a flood costs nothing */
		log_info("%s: invitation to %s ignored (%s)", a->name, room,
			 p != NULL              ? "one is waiting"
			 : n >= MUC_INVITES_MAX ? "too many waiting"
						: "already in it");
		free(room);
		free(inviter);
		return;
	}
	iv = xcalloc(1, sizeof(*iv));
	iv->a = a;
	iv->room = room;
	iv->inviter = inviter;
	iv->password =
	    password != NULL && password[0] != '\0' ? xstrdup(password) : NULL;
	iv->mediated = mediated;
	iv->stranger = inviter == NULL || jid_bare_equal(inviter, room) ||
		       policy_is_stranger(a, inviter);
	iv->next = a->invites;
	a->invites = iv;
	muc_invite_cut(cut, sizeof(cut), reason);
	/* a mediated invitation names the inviter as the room says: a
	 * hostile room service can name anyone, so the text says whose word
	 * it is */
	if (mediated)
		xasprintf(
		    &text,
		    "The room %s says %s%s invites you to it%s%s%s. "
		    "Join it?%s",
		    room,
		    iv->stranger ? "a stranger (not in your contacts), " : "",
		    inviter != NULL ? inviter : "someone it does not name",
		    cut[0] != '\0' ? ": \"" : "", cut,
		    cut[0] != '\0' ? "\"" : "",
		    iv->stranger ? " Declining tells them nothing." : "");
	else
		xasprintf(&text,
			  "%s%s invites you to the room %s%s%s%s. Join "
			  "it?%s",
			  iv->stranger ? "A stranger (not in your contacts), "
				       : "",
			  inviter != NULL ? inviter : "someone", room,
			  cut[0] != '\0' ? ": \"" : "", cut,
			  cut[0] != '\0' ? "\"" : "",
			  iv->stranger ? " Declining tells them nothing." : "");
	memset(f, 0, sizeof(f));
	f[0].key = "room";
	f[0].type = EF_STR;
	f[0].s = room;
	f[1].key = "from";
	f[1].type = EF_STR;
	f[1].s = inviter;
	f[2].key = "reason";
	f[2].type = EF_STR;
	f[2].s = cut[0] != '\0' ? cut : NULL;
	f[3].key = "via";
	f[3].type = EF_STR;
	f[3].s = mediated ? "room" : "direct";
	f[4].key = "stranger";
	f[4].type = EF_BOOL;
	f[4].i = iv->stranger;
	f[5].key = "password"; /* whether one came, never the password */
	f[5].type = EF_BOOL;
	f[5].i = iv->password != NULL;
	prompt_ask(a->w, a->name, "muc-invite", text, f, 6, muc_invite_answer,
		   iv);
	free(text);
}

/* XEP-0045 7.8.2: <x muc#user><invite from=INVITER><reason/></invite>
 * <password/></x> from a room (a bare JID); a decline of one of ours comes
 * the same way from a room we are in. Anything else that carries the x (an
 * occupant's private message, a room's status codes) is a plain message. */
void
muc_invite_mediated(struct account *a, xmpp_stanza_t *m, xmpp_stanza_t *x)
{
	const char *from = xmpp_stanza_get_from(m), *who;
	xmpp_stanza_t *inv = xmpp_stanza_get_child_by_name(x, "invite");
	xmpp_stanza_t *dec = xmpp_stanza_get_child_by_name(x, "decline");
	char text[800], cut[MUC_INVITE_REASON_MAX + 1], *bare = NULL;

	if (from == NULL || (inv == NULL && dec == NULL) ||
	    strchr(from, '/') != NULL) {
		im_chat(a, m, NULL);
		return;
	}
	if (inv != NULL) {
		muc_invite_ask(a, from, xmpp_stanza_get_attribute(inv, "from"),
			       stanza_child_text(inv, "reason"),
			       stanza_child_text(x, "password"), 1);
		return;
	}
	if (!muc_is_room(a, from))
		return; /* a decline only of a room we invited to */
	who = xmpp_stanza_get_attribute(dec, "from");
	if (who != NULL && jid_parse_ok(who))
		bare = jid_bare(who);
	muc_invite_cut(cut, sizeof(cut), stanza_child_text(dec, "reason"));
	snprintf(text, sizeof(text),
		 "%.200s declined the invitation to "
		 "%.200s%s%s",
		 bare != NULL ? bare : "someone", from,
		 cut[0] != '\0' ? ": " : "", cut);
	event_info(a->name, text);
	free(bare);
}

/* XEP-0249: <x xmlns='jabber:x:conference' jid=ROOM reason= password=/>
 * from the inviter itself (anyone: the stranger rule is in the prompt). */
void
muc_invite_direct(struct account *a, xmpp_stanza_t *m, xmpp_stanza_t *x)
{
	const char *from = xmpp_stanza_get_from(m);

	if (from == NULL)
		return;
	muc_invite_ask(a, xmpp_stanza_get_attribute(x, "jid"), from,
		       xmpp_stanza_get_attribute(x, "reason"),
		       xmpp_stanza_get_attribute(x, "password"), 0);
}

int
muc_invite_send(struct account *a, const char *room, const char *jid,
		const char *reason)
{
	xmpp_stanza_t *m, *x, *inv;
	char *id, *who, *text;
	const char *password;
	int direct;

	if (!muc_is_room(a, room) || strchr(room, '/') != NULL) {
		event_error(a->name, "not-in-room", "not in that room");
		return WARD_ERR_NOTFOUND;
	}
	if ((who = muc_invite_room_jid(jid)) == NULL) {
		event_error(a->name, "invalid-jid",
			    "invite a bare JID "
			    "(user@domain)");
		return WARD_ERR_INVAL;
	}
	/* a contact directly (our full JID is no secret to it), unless the
	 * room is members-only (the room makes the invitee a member only
	 * when it carries the invitation) */
	direct = !policy_is_stranger(a, who) && !muc_is_members_only(a, room);
	id = account_new_id(a);
	m = xmpp_message_new(a->w->ctx, NULL, direct ? who : room, id);
	free(id);
	if (direct) {
		x = stanza_elem(a->w->ctx, "x", NS_CONFERENCE);
		xmpp_stanza_set_attribute(x, "jid", room);
		if (reason != NULL && reason[0] != '\0')
			xmpp_stanza_set_attribute(x, "reason", reason);
		if ((password = muc_password(a, room)) != NULL)
			xmpp_stanza_set_attribute(x, "password", password);
	} else {
		x = stanza_elem(a->w->ctx, "x", NS_MUC_USER);
		inv = stanza_elem(a->w->ctx, "invite", NULL);
		xmpp_stanza_set_attribute(inv, "to", who);
		if (reason != NULL && reason[0] != '\0')
			stanza_add_text_child(inv, "reason", reason);
		xmpp_stanza_add_child(x, inv);
		xmpp_stanza_release(inv);
	}
	xmpp_stanza_add_child(m, x);
	xmpp_stanza_release(x);
	account_send(a, m);
	xmpp_stanza_release(m);
	xasprintf(&text, "invited %s to %s (%s)", who, room,
		  direct ? "direct invitation" : "through the room");
	event_info(a->name, text);
	free(text);
	free(who);
	return WARD_OK;
}

void
muc_invite_free_all(struct account *a)
{
	struct muc_invite *iv;

	while ((iv = a->invites) != NULL) {
		a->invites = iv->next;
		prompt_cancel_arg(a->w, iv);
		muc_invite_free(iv);
	}
}
