/*
 * test_msgrule.c: the sender rule for corrections, retractions and
 * reactions (src/feat/msgrule.c): the original's sender may change it,
 * nobody else: another JID, another resource's impostor under another
 * bare JID, another occupant by occupant-id or nick, the same nick in a
 * later room session, us pretending to be another, another pretending to
 * be us, a plaintext change of an encrypted message, anything to a
 * retracted message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "msgrule.h"

#define ME "alice@good.test"
#define BOB "bob@good.test"
#define ROOM "lobby@muc.good.test"

static struct msgrule_orig
chat_from_bob(void)
{
	struct msgrule_orig o = {BOB, 0, 0, BOB "/phone", NULL, 0, 0, 0, 0};
	return o;
}

static struct msgrule_change
change(const char *from)
{
	struct msgrule_change c = {ME, from, 0, 0, NULL, 0, 0};
	return c;
}

static void
test_chat_same_bare_jid(void **state)
{
	struct msgrule_orig o = chat_from_bob();
	struct msgrule_change c = change(BOB "/laptop");

	(void)state;
	/* another resource of the same account: the same sender */
	assert_null(msgrule_check(MSGRULE_CORRECT, &o, &c));
	assert_null(msgrule_check(MSGRULE_RETRACT, &o, &c));
	c.from = "BOB@good.test/x"; /* local part case-folded */
	assert_null(msgrule_check(MSGRULE_CORRECT, &o, &c));
}

static void
test_chat_other_jid(void **state)
{
	struct msgrule_orig o = chat_from_bob();
	struct msgrule_change c = change("mallory@good.test/phone");

	(void)state;
	assert_non_null(msgrule_check(MSGRULE_CORRECT, &o, &c));
	assert_non_null(msgrule_check(MSGRULE_RETRACT, &o, &c));
	assert_non_null(msgrule_check(MSGRULE_REACT, &o, &c));
	/* we cannot correct bob's message either */
	c.from = ME "/ward";
	assert_non_null(msgrule_check(MSGRULE_CORRECT, &o, &c));
	assert_non_null(msgrule_check(MSGRULE_RETRACT, &o, &c));
	/* ... but may react to it */
	assert_null(msgrule_check(MSGRULE_REACT, &o, &c));
	o.from_jid = NULL;
	c.from = BOB "/phone";
	assert_non_null(msgrule_check(MSGRULE_CORRECT, &o, &c));
}

static void
test_chat_ours(void **state)
{
	struct msgrule_orig o = {BOB, 0, 1, ME "/ward", NULL, 0, 0, 0, 0};
	struct msgrule_change c = change(ME "/other-client");

	(void)state;
	assert_null(msgrule_check(MSGRULE_CORRECT, &o, &c));
	c.from = BOB "/phone";
	assert_non_null(msgrule_check(MSGRULE_CORRECT, &o, &c));
	assert_non_null(msgrule_check(MSGRULE_RETRACT, &o, &c));
	assert_null(msgrule_check(MSGRULE_REACT, &o, &c));
}

static void
test_encrypted_original(void **state)
{
	struct msgrule_orig o = chat_from_bob();
	struct msgrule_change c = change(BOB "/phone");

	(void)state;
	o.encrypted = 1;
	assert_non_null(msgrule_check(MSGRULE_CORRECT, &o, &c));
	assert_non_null(msgrule_check(MSGRULE_RETRACT, &o, &c));
	assert_non_null(msgrule_check(MSGRULE_REACT, &o, &c));
	c.encrypted = 1;
	assert_null(msgrule_check(MSGRULE_CORRECT, &o, &c));
	assert_null(msgrule_check(MSGRULE_RETRACT, &o, &c));
	assert_null(msgrule_check(MSGRULE_REACT, &o, &c));
	/* an encrypted change of a plaintext original is fine */
	o.encrypted = 0;
	assert_null(msgrule_check(MSGRULE_CORRECT, &o, &c));
}

static void
test_retracted(void **state)
{
	struct msgrule_orig o = chat_from_bob();
	struct msgrule_change c = change(BOB "/phone");

	(void)state;
	o.retracted = 1;
	assert_non_null(msgrule_check(MSGRULE_CORRECT, &o, &c));
	assert_non_null(msgrule_check(MSGRULE_RETRACT, &o, &c));
	assert_non_null(msgrule_check(MSGRULE_REACT, &o, &c));
}

static void
test_room_occupant_id(void **state)
{
	struct msgrule_orig o = {ROOM, 1, 0, ROOM "/sam", "occ-sam", 7,
				 0,    0, 0};
	struct msgrule_change c = change(ROOM "/sam");

	(void)state;
	c.room_occupant_ids = 1;
	c.room_session = 9; /* a later session: occupant-id still holds */
	c.occupant_id = "occ-sam";
	assert_null(msgrule_check(MSGRULE_CORRECT, &o, &c));
	assert_null(msgrule_check(MSGRULE_RETRACT, &o, &c));
	/* the same nick, another occupant */
	c.occupant_id = "occ-mallory";
	assert_non_null(msgrule_check(MSGRULE_CORRECT, &o, &c));
	assert_non_null(msgrule_check(MSGRULE_RETRACT, &o, &c));
	/* no occupant-id on the change or the original */
	c.occupant_id = NULL;
	assert_non_null(msgrule_check(MSGRULE_CORRECT, &o, &c));
	c.occupant_id = "occ-sam";
	o.occupant_id = NULL;
	assert_non_null(msgrule_check(MSGRULE_CORRECT, &o, &c));
}

static void
test_room_nick_session(void **state)
{
	struct msgrule_orig o = {ROOM, 1, 0, ROOM "/sam", NULL, 7, 0, 0, 0};
	struct msgrule_change c = change(ROOM "/sam");

	(void)state;
	c.room_session = 7;
	assert_null(msgrule_check(MSGRULE_CORRECT, &o, &c));
	assert_null(msgrule_check(MSGRULE_RETRACT, &o, &c));
	/* another nick */
	c.from = ROOM "/mallory";
	assert_non_null(msgrule_check(MSGRULE_CORRECT, &o, &c));
	/* the same nick in a later presence session: maybe another holder */
	c.from = ROOM "/sam";
	c.room_session = 8;
	assert_non_null(msgrule_check(MSGRULE_CORRECT, &o, &c));
	assert_non_null(msgrule_check(MSGRULE_RETRACT, &o, &c));
	/* an original whose session is unknown (from the archive) */
	o.room_session = 0;
	c.room_session = 0;
	assert_non_null(msgrule_check(MSGRULE_CORRECT, &o, &c));
	/* reactions: anyone in the room */
	c.from = ROOM "/mallory";
	assert_null(msgrule_check(MSGRULE_REACT, &o, &c));
	c.from = "other@muc.good.test/sam";
	assert_non_null(msgrule_check(MSGRULE_REACT, &o, &c));
}

static void
test_room_own(void **state)
{
	struct msgrule_orig theirs = {ROOM, 1, 0, ROOM "/sam", NULL, 7,
				      0,    0, 0};
	struct msgrule_orig ours = {ROOM, 1, 1, ROOM "/me", NULL, 0, 0, 0, 0};
	struct msgrule_change c = change(ROOM "/me");

	(void)state;
	c.room_session = 7;
	/* ours by what the room says (muc_is_own), not by the nick */
	assert_non_null(msgrule_check(MSGRULE_CORRECT, &ours, &c));
	c.own = 1;
	assert_null(msgrule_check(MSGRULE_CORRECT, &ours, &c));
	assert_null(msgrule_check(MSGRULE_RETRACT, &ours, &c));
	/* our change cannot touch another's message, even under its nick */
	c.from = ROOM "/sam";
	assert_non_null(msgrule_check(MSGRULE_CORRECT, &theirs, &c));
}

/* A room's private chat (ROOM/NICK): its occupant, not the room's bare
 * JID, is the sender; the nick's next holder is another one. */
static void
test_private_chat(void **state)
{
	struct msgrule_orig o = {ROOM "/sam", 0, 0, ROOM "/sam", NULL, 7,
				 0,           0, 1};
	struct msgrule_change c = change(ROOM "/sam");

	(void)state;
	c.room_session = 7;
	assert_null(msgrule_check(MSGRULE_CORRECT, &o, &c));
	c.room_session = 8; /* sam left, someone took the nick */
	assert_non_null(msgrule_check(MSGRULE_CORRECT, &o, &c));
	assert_non_null(msgrule_check(MSGRULE_RETRACT, &o, &c));
	/* as a plain 1:1 chat (bare JIDs) the same change would pass */
	o.private_chat = 0;
	assert_null(msgrule_check(MSGRULE_CORRECT, &o, &c));
	/* ours, in a private chat: only a copy of what we sent */
	o.private_chat = 1;
	o.outgoing = 1;
	c.from = ME "/ward";
	assert_non_null(msgrule_check(MSGRULE_CORRECT, &o, &c));
	c.own = 1;
	assert_null(msgrule_check(MSGRULE_CORRECT, &o, &c));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_chat_same_bare_jid),
	    cmocka_unit_test(test_chat_other_jid),
	    cmocka_unit_test(test_chat_ours),
	    cmocka_unit_test(test_encrypted_original),
	    cmocka_unit_test(test_retracted),
	    cmocka_unit_test(test_room_occupant_id),
	    cmocka_unit_test(test_room_nick_session),
	    cmocka_unit_test(test_room_own),
	    cmocka_unit_test(test_private_chat),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
