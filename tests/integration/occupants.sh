#!/bin/bash
# occupants: a room's occupants come as occupant events (joined, changed,
# nick-changed, left, kicked with the reason), with role, affiliation and
# the real JID only where the room shows it (semi-anonymous: to moderators);
# /occupants ROOM lists them again; /roster lists the roster again, also
# offline, with each contact's groups. The older presence and room events are still sent as before.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

occ() { grep -F '"event":"occupant"' "$(ward_dir "$1")/events.jsonl" | grep -F "\"nick\":\"$2\"" | grep -F "\"status\":\"$3\"" | head -n 1; }
has_occ() { [ -n "$(occ "$@")" ]; }
wait_occ() {
	local i
	for i in $(seq 1 200); do has_occ "$@" && return 0; sleep 0.05; done
	return 1
}
peer_room() {	# peer_room JID PASSWORD SECONDS RAW...: a slixmpp client sending raw stanzas
	local jid=$1 pw=$2 secs=$3 a=()
	shift 3
	for x in "$@"; do a+=(--send-raw "$x"); done
	"$PEER" --jid "$jid" --password "$pw" --ca "$TEST_CA" --host 127.0.0.1 \
	    --port "$C2S_PORT" --stay --timeout "$secs" "${a[@]}" > /dev/null 2>&1
}
MUCNS=http://jabber.org/protocol/muc

ward_setup alice alice@good.test "$ALICE_PW"
ward_setup bob bob@good.test "$BOB_PW"
ward_start alice
ward_start bob
check "alice connected" ward_seen alice '"event":"connected"' 20
check "bob connected" ward_seen bob '"event":"connected"' 20

ward_cmd alice "/join $LOBBY_ROOM"
check "alice joined" ward_seen alice '"state":"joined"' 10
line=$(occ alice alice joined)
check "alice's own occupant event" test -n "$line"
check "... self, owner, moderator" \
    test "$(json_field "$line" self)/$(json_field "$line" affiliation)/$(json_field "$line" role)" = True/owner/moderator
check "... in the lobby" test "$(json_field "$line" room)" = "$LOBBY_ROOM"

ward_cmd bob "/join $LOBBY_ROOM/bobby"
check "bob joined" ward_seen bob '"nick":"bobby","state":"joined"' 10
check "alice sees bobby join" wait_occ alice bobby joined
line=$(occ alice bobby joined)
check "... a participant without affiliation" \
    test "$(json_field "$line" role)/$(json_field "$line" affiliation)/$(json_field "$line" self)" = participant/none/False
# bob's resource is random per login: his bound JID from his connected event
bob_full=$(json_field "$(grep -F '"event":"connected"' "$(ward_dir bob)/events.jsonl" | tail -n 1)" jid)
check "... with his JID (alice moderates a semi-anonymous room)" \
    eval '[ -n "$bob_full" ] && [ "$(json_field "$line" jid)" = "$bob_full" ]'
line=$(occ bob alice joined)
check "bob sees alice, without her JID (he does not moderate)" \
    test -n "$line" -a -z "$(json_field "$line" jid)"
check "the presence event is still sent" \
    ward_seen alice "\"from\":\"$LOBBY_ROOM/bobby\",\"room\":\"$LOBBY_ROOM\",\"nick\":\"bobby\"" 5

ward_cmd bob "/occupants $LOBBY_ROOM"
line=$(ward_wait bob '"text":"occupants"' 5)
check "/occupants ends with their number" test "$(json_field "$line" occupants)" = 2
check "... after alice" has_occ bob alice present
check "... and bobby, himself" test "$(json_field "$(occ bob bobby present)" self)" = True
ward_cmd bob "/occupants nowhere@rooms.good.test"
check "/occupants of a room we are not in" ward_seen bob '"code":"not-in-room"' 5

# carol joins, changes her nick, then goes
peer_room carol@good.test "$CAROL_PW" 3 \
    "<presence to='$LOBBY_ROOM/carol'><x xmlns='$MUCNS'/></presence>" \
    "<presence to='$LOBBY_ROOM/carol2'/>"
check "carol joined" wait_occ alice carol joined
line=$(occ alice carol nick-changed)
check "carol changed her nick" test "$(json_field "$line" new_nick)" = carol2
check "carol2 left when her client went" wait_occ alice carol2 left
check "no second join for the new nick" test -z "$(occ alice carol2 joined)"

# another client of alice's (an owner) makes bobby a member, then kicks him
peer_room alice@good.test "$ALICE_PW" 3 \
    "<presence to='$LOBBY_ROOM/boss'><x xmlns='$MUCNS'/></presence>" \
    "<iq type='set' id='aff1' to='$LOBBY_ROOM'><query xmlns='$MUCNS#admin'><item jid='bob@good.test' affiliation='member'/></query></iq>" \
    "<iq type='set' id='kick1' to='$LOBBY_ROOM'><query xmlns='$MUCNS#admin'><item nick='bobby' role='none'><reason>enough now</reason></item></query></iq>"
check "bobby's affiliation change reported" wait_occ alice bobby changed
check "... as member" test "$(json_field "$(occ alice bobby changed)" affiliation)" = member
check "bobby kicked" wait_occ alice bobby kicked
check "... with the reason" test "$(json_field "$(occ alice bobby kicked)" reason)" = "enough now"
check "bob sees himself kicked" wait_occ bob bobby kicked
check "... and the room event too" ward_seen bob '"state":"kicked"' 5
ward_cmd alice "/occupants $LOBBY_ROOM"
line=$(ward_seen_n alice '"text":"occupants"' 1 5; grep -F '"text":"occupants"' "$(ward_dir alice)/events.jsonl" | tail -n 1)
check "alice's list: only herself left" test "$(json_field "$line" occupants)" = 1

# /roster: the stored roster again, online and offline, with groups (set
# here by another client of alice's: the server pushes the change)
peer_room alice@good.test "$ALICE_PW" 2 \
    "<iq type='set' id='r1'><query xmlns='jabber:iq:roster'><item jid='zed@good.test' name='Zed'><group>Friends</group><group>Work</group></item></query></iq>"
line=$(ward_wait alice '"jid":"zed@good.test"' 10)
# a roster item's groups are a set: the server sends them in any order
sorted_groups() { json_field "$1" groups | sort | paste -sd,; }
check "the push arrives with its groups" test "$(sorted_groups "$line")" = Friends,Work
check "... as a push" test "$(json_field "$line" push)" = True
ward_cmd alice "/roster"
line=$(ward_wait alice '"text":"roster"' 5)
check "/roster answers" test -n "$line"
n=$(json_field "$(ward_wait alice '"text":"roster received"' 5)" contacts)
check "... with the contacts of the login and zed" test "$(json_field "$line" contacts)" = "$((n + 1))"
ward_cmd alice "/disconnect"
check "alice offline" ward_seen alice '"event":"disconnected"' 5
ward_cmd alice "/roster"
check "/roster works offline" ward_seen_n alice '"text":"roster"' 2 5
line=$(grep -F '"jid":"zed@good.test"' "$(ward_dir alice)/events.jsonl" | tail -n 1)
check "... with the stored groups" test "$(sorted_groups "$line")/$(json_field "$line" push)" = Friends,Work/False

ward_stop alice
ward_stop bob
check "alice: no sanitizer report" ward_sanitizer_clean alice
check "bob: no sanitizer report" ward_sanitizer_clean bob
test_exit
