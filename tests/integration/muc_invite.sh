#!/bin/bash
# muc_invite: room invitations both ways against Prosody with slixmpp peers
# (tests/net/peer.py). carol is alice's contact, dave a stranger.
# Incoming: carol's mediated invitation (through the room) is a muc-invite
# prompt naming her and the room, /reject sends a decline through the room
# that reaches her; her direct (XEP-0249) invitation to the non-anonymous
# room, once accepted, still asks the JID-disclosure question and sends no
# presence before that yes; a stranger's invitations say "stranger", never
# join by themselves, and declining one sends nothing; a flood of
# invitations makes at most 16 prompts. Outgoing: /invite of a contact is
# direct, of a stranger through the room (the room names alice); a
# stranger's decline of it is reported.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

MUCNS=http://jabber.org/protocol/muc
T=$WARD_TEST_DIR
peer() { peer_as "$@"; }	# tests/net/testnet.sh
join_xml() { echo "<presence to='$1/$2'><x xmlns='$MUCNS'/></presence>"; }
invite_xml() { echo "<message to='$1'><x xmlns='$MUCNS#user'><invite to='alice@good.test'><reason>$2</reason></invite></x></message>"; }
direct_xml() { echo "<message to='alice@good.test'><x xmlns='jabber:x:conference' jid='$1' reason='$2'/></message>"; }
prompt_for() { grep -F '"kind":"muc-invite"' "$(ward_dir alice)/events.jsonl" | grep -F "\"room\":\"$1\"" | tail -n 1; }
wait_prompt() {
	local i
	for i in $(seq 1 200); do [ -n "$(prompt_for "$1")" ] && return 0; sleep 0.05; done
	return 1
}
# what Prosody received from alice's sessions (ward's caps node marks them)
from_alice() {
	local sids
	sids=$(grep -F "RECV: <presence" "$PROSODY_LOG" | grep -F "node='https://ward.invalid/caps'" | awk '{print $4}' | sort -u)
	grep -F "RECV: <$1" "$PROSODY_LOG" | grep -F -- "$2" | grep -F -w -f <(printf '%s\n' $sids) | grep -c .
}

prosody_roster_mutual alice carol
ward_setup alice alice@good.test "$ALICE_PW"
ward_start alice
check "alice connected" ward_seen alice '"event":"connected"' 20

# --- incoming, mediated, from a contact; declined -----------------------
peer carol --send-raw "$(join_xml "$LOBBY_ROOM" carol)" \
    --send-raw "$(invite_xml "$LOBBY_ROOM" "come in")" \
    --expect-xml "<decline" --timeout 25 > "$T/carol1.out" 2>&1 &
carol1=$!
check "carol's mediated invitation: a muc-invite prompt" wait_prompt "$LOBBY_ROOM"
line=$(prompt_for "$LOBBY_ROOM")
check "... naming carol" test "$(json_field "$line" from)" = carol@good.test
check "... through the room" test "$(json_field "$line" via)" = room
check "... with her reason" test "$(json_field "$line" reason)" = "come in"
check "... in words that say it is the room's word" \
    test "$(json_field "$line" text)" = "The room $LOBBY_ROOM says carol@good.test invites you to it: \"come in\". Join it?"
check "... not from a stranger" test "$(json_field "$line" stranger)" = False
sleep 0.5
check "no join by itself" test "$(from_alice presence "to='$LOBBY_ROOM")" -eq 0
ward_cmd alice "/reject $(json_field "$line" id)"
wait "$carol1"
check "the decline reached carol through the room" test $? -eq 0
check "... naming alice" grep -q 'decline from=\\"alice@good.test' "$T/carol1.out"
check "still no presence to the room" test "$(from_alice presence "to='$LOBBY_ROOM")" -eq 0

# --- incoming, direct, from a contact, to a non-anonymous room ----------
peer carol --send-raw "$(direct_xml "$NONANON_ROOM" "our team")" --timeout 10
check "carol's direct invitation: a prompt" wait_prompt "$NONANON_ROOM"
line=$(prompt_for "$NONANON_ROOM")
check "... direct" test "$(json_field "$line" via)" = direct
check "... from carol" test "$(json_field "$line" from)" = carol@good.test
ward_cmd alice "/accept $(json_field "$line" id)"
line=$(ward_wait alice '"kind":"muc-nonanonymous"' 10)
check "accepted: the non-anonymous room still asks about the JID" test -n "$line"
sleep 0.5
check "no presence to the room before that yes" test "$(from_alice presence "to='$NONANON_ROOM")" -eq 0
ward_cmd alice "/accept $(json_field "$line" id)"
check "then joined" ward_seen alice "\"room\":\"$NONANON_ROOM\",\"nick\":\"alice\",\"state\":\"joined\"" 10

# --- incoming from a stranger ------------------------------------------
STRANGE=strange@$MUC_DOMAIN
peer dave --send-raw "$(direct_xml "$STRANGE" "free stuff")" --timeout 10
check "a stranger's direct invitation: a prompt" wait_prompt "$STRANGE"
line=$(prompt_for "$STRANGE")
check "... marked as from a stranger" test "$(json_field "$line" stranger)" = True
check "... in its text" bash -c "printf '%s' '$line' | grep -q 'A stranger'"
sleep 1
check "never joined by itself" test "$(from_alice presence "to='$STRANGE")" -eq 0
ward_cmd alice "/reject $(json_field "$line" id)"
sleep 0.5
check "rejected: nothing sent to the room" test "$(from_alice "" "to='$STRANGE")" -eq 0

DROOM=davesroom@$MUC_DOMAIN
peer dave --send-raw "$(join_xml "$DROOM" dave)" \
    --send-raw "$(invite_xml "$DROOM" "hi")" \
    --expect-xml "<decline" --timeout 8 > "$T/dave1.out" 2>&1 &
dave1=$!
check "a stranger's mediated invitation: a prompt" wait_prompt "$DROOM"
line=$(prompt_for "$DROOM")
check "... from a stranger" test "$(json_field "$line" stranger)" = True
ward_cmd alice "/reject $(json_field "$line" id)"
wait "$dave1"
check "declined: the stranger got no decline" test $? -eq 1
check "... alice sent nothing to that room" test "$(from_alice message "to='$DROOM'")" -eq 0

# a long reason is cut to 300 bytes on a character boundary
long=x$(printf 'é%.0s' $(seq 1 200))	# 401 bytes: 300 would split an é
peer dave --send-raw "$(direct_xml "long@$MUC_DOMAIN" "$long")" --timeout 10
check "an invitation with a 400-byte reason: a prompt" wait_prompt "long@$MUC_DOMAIN"
reason=$(json_field "$(prompt_for "long@$MUC_DOMAIN")" reason)
check "... its reason cut to at most 300 bytes" test "$(printf '%s' "$reason" | wc -c)" -le 300
check "... whole characters only (no U+FFFD)" test "$(printf '%s' "$reason" | grep -c $'\xef\xbf\xbd')" -eq 0
check "... and not empty" test "$(printf '%s' "$reason" | wc -c)" -ge 298
ward_cmd alice "/reject $(json_field "$(prompt_for "long@$MUC_DOMAIN")" id)"

# a flood: one prompt per room, at most 16 waiting
args=()
for i in $(seq 1 30); do args+=(--send-raw "$(direct_xml "flood$i@$MUC_DOMAIN" x)"); done
args+=(--send-raw "$(direct_xml "flood1@$MUC_DOMAIN" again)")
peer dave "${args[@]}" --timeout 10
sleep 2
n=$(grep -F '"kind":"muc-invite"' "$(ward_dir alice)/events.jsonl" | grep -c '"room":"flood')
check "a flood of 31 invitations: 16 prompts ($n)" test "$n" -eq 16

# --- outgoing ------------------------------------------------------------
ward_cmd alice "/join $LOBBY_ROOM"
check "alice in the lobby" ward_seen alice "\"room\":\"$LOBBY_ROOM\",\"nick\":\"alice\",\"state\":\"joined\"" 10
rm -f "$T/carol.ready" "$T/dave.ready"
peer carol --ready-file "$T/carol.ready" --expect-xml "jabber:x:conference" \
    --timeout 20 > "$T/carol2.out" 2>&1 &
carol2=$!
peer dave --ready-file "$T/dave.ready" --expect-xml "<invite" \
    --timeout 20 > "$T/dave2.out" 2>&1 &
dave2=$!
for i in $(seq 1 100); do [ -e "$T/carol.ready" ] && [ -e "$T/dave.ready" ] && break; sleep 0.1; done
ward_cmd alice "/invite $LOBBY_ROOM carol@good.test see you there"
ward_cmd alice "/invite $LOBBY_ROOM dave@good.test hello dave"
wait "$carol2"
check "carol (a contact) got a direct invitation" test $? -eq 0
check "... from alice herself, not through the room" grep -q '"from": "alice@good.test/' "$T/carol2.out"
check "... to the lobby" grep -q "jid=..$LOBBY_ROOM" "$T/carol2.out"
check "... with the reason" grep -q 'reason=..see you there' "$T/carol2.out"
wait "$dave2"
check "dave (a stranger) got one through the room" test $? -eq 0
check "... from the room, naming alice (as the semi-anonymous room's occupant)" \
    grep -q "\"from\": \"$LOBBY_ROOM\".*invite from=..$LOBBY_ROOM/alice" "$T/dave2.out"
check "... with the reason" grep -q "<reason>hello dave</reason>" "$T/dave2.out"
check "ward says what it sent" ward_seen alice 'invited dave@good.test to '"$LOBBY_ROOM"' (through the room)' 5
peer dave --send-raw "<message to='$LOBBY_ROOM'><x xmlns='$MUCNS#user'><decline to='alice@good.test'><reason>busy</reason></decline></x></message>" --timeout 10
check "dave's decline is reported" ward_seen alice 'dave@good.test declined the invitation to '"$LOBBY_ROOM"': busy' 10
# a members-only room: even a contact gets the invitation through the room
# (which makes the invitee a member); carol then gets in
MO=members@$MUC_DOMAIN
ward_cmd alice "/room create $MO"
check "a room to make members-only" ward_seen alice '"room":"'"$MO"'","state":"end"' 10
ward_cmd alice "/room set $MO muc#roomconfig_membersonly 1"
ward_cmd alice "/room set $MO muc#roomconfig_persistentroom 1"
ward_cmd alice "/room submit $MO"
check "saved members-only" ward_seen alice '"room":"'"$MO"'","state":"saved"' 10
ward_cmd alice "/leave $MO"
ward_cmd alice "/join $MO"
check "rejoined (its disco#info now says members-only)" \
    ward_seen_n alice "\"room\":\"$MO\",\"nick\":\"alice\",\"state\":\"joined\"" 2 10
rm -f "$T/carol.ready"
peer carol --ready-file "$T/carol.ready" --expect-xml "<invite" \
    --timeout 20 > "$T/carol3.out" 2>&1 &
carol3=$!
for i in $(seq 1 100); do [ -e "$T/carol.ready" ] && break; sleep 0.1; done
ward_cmd alice "/invite $MO carol@good.test"
wait "$carol3"
check "members-only: carol (a contact) invited through the room" test $? -eq 0
check "... from the room" grep -q "\"from\": \"$MO\"" "$T/carol3.out"
check "ward said so" ward_seen alice "invited carol@good.test to $MO (through the room)" 5
peer carol --send-raw "$(join_xml "$MO" carol)" --expect-xml "never" --timeout 4 > /dev/null 2>&1
tocarol() { grep -F "SEND: <presence" "$PROSODY_LOG" | grep -F "to='carol@good.test/" | grep -F "from='$MO/carol'"; }
check "... and the room let her in as a member (her self-presence)" test "$(tocarol | grep -vc "type='error'")" -ge 1
check "... with no join error" test "$(tocarol | grep -c "type='error'")" -eq 0

ward_cmd alice "/invite nowhere@$MUC_DOMAIN carol@good.test"
check "/invite outside a room: not-in-room" ward_seen alice '"code":"not-in-room"' 5
ward_cmd alice "/invite $LOBBY_ROOM not a jid"
check "/invite of an invalid JID: invalid-jid" ward_seen alice '"code":"invalid-jid"' 5

ward_stop alice
check "alice: no sanitizer report" ward_sanitizer_clean alice
test_exit
