#!/bin/bash
# muc_invite (UI): an invitation is a decision box that names who invites
# to which room (a stranger's says "stranger"); y on a contact's direct
# invitation to the non-anonymous room brings the JID-disclosure box next,
# and only its y sends a presence (Prosody's log); n on a stranger's sends
# nothing. In the room's window, /invite JID (the room left out) reaches
# the invitee as a direct invitation to that room.
set -u
. "$(dirname "$0")/../lib/uitest.sh"
ui_net_up

peer() { peer_as "$@"; }	# tests/net/testnet.sh
direct_xml() { echo "<message to='alice@good.test'><x xmlns='jabber:x:conference' jid='$1' reason='$2'/></message>"; }
BOX='Decision needed'

prosody_roster_mutual alice carol
ward_setup alice alice@good.test "$ALICE_PW"
check "the UI draws a first frame" ui_start alice
check "alice logged in (security line)" ui_wait_for 'TLS ?v?1\.3' 30

# a stranger's invitation: the box says so; n sends nothing
peer dave --send-raw "$(direct_xml "strange@$MUC_DOMAIN" "free stuff")" --timeout 10
check "a stranger's invitation: a decision box" ui_wait_for "$BOX" 20
check "... that says a stranger invites" ui_wait_for 'A stranger' 5
check "... naming dave" ui_match 'dave@good\.test'
check "... and the room" ui_match 'strange@rooms\.good\.test'
sleep 1
ui_type n
check "n answers it: the box goes" ui_wait_gone "$BOX" 10
sleep 1
check "no presence to that room" test "$(ui_prosody_presences "strange@$MUC_DOMAIN")" -eq 0

# a contact's invitation to the non-anonymous room
peer carol --send-raw "$(direct_xml "$NONANON_ROOM" "our team")" --timeout 10
check "carol's invitation: a box" ui_wait_for 'carol@good\.test invites you' 20
check "... naming the room" ui_match 'nonanon@rooms\.good\.test'
sleep 1
ui_type y
check "y: the JID-disclosure box comes next" ui_wait_for 'is non-anonymous: every occupant' 15
sleep 1
check "no presence to the room before that yes" test "$(ui_prosody_presences "$NONANON_ROOM")" -eq 0
ui_type y
ok=0
for i in $(seq 1 100); do
	[ "$(ui_prosody_presences "$NONANON_ROOM")" -gt 0 ] && { ok=1; break; }
	sleep 0.1
done
check "after the second y: the join presence reaches the room" test $ok -eq 1
check "the room's window is shown" ui_wait_for 'nonanon' 15

# /invite in the room's window: the room is implied
T=$WARD_TEST_DIR
peer carol --ready-file "$T/carol.ready" --expect-xml "jabber:x:conference" \
    --timeout 20 > "$T/carol.out" 2>&1 &
carolp=$!
for i in $(seq 1 100); do [ -e "$T/carol.ready" ] && break; sleep 0.1; done
ui_line "/win 2"
check "the room's window is current" ui_current_is 'nonanon'
ui_line "/invite carol@good.test come along"
wait "$carolp"
check "/invite JID in the room's window reached carol" test $? -eq 0
check "... as an invitation to that room" grep -q "jid=..$NONANON_ROOM" "$T/carol.out"

check "ward still runs" ui_alive
ui_stop; st=$?
check "ward exits 0 on /quit" test "$st" -eq 0
check "no sanitizer report" ward_sanitizer_clean alice
test_exit
