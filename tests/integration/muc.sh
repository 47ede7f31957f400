#!/bin/bash
# muc: group chat. A semi-anonymous room is joined at once; a
# non-anonymous one (every occupant sees your JID) only after the user says
# yes to a prompt; until then not a single presence goes to the room. The
# answer is remembered per room. Messages flow both ways, ward's own
# reflected message is shown once, as outgoing, and after a server restart the
# rooms are rejoined by themselves with what was said meanwhile. The room's
# subject comes as a room event (who set it; again at every join); setting
# it works where the room allows it, and its refusal is reported.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

ward_setup alice alice@good.test "$ALICE_PW"
ward_setup bob bob@good.test "$BOB_PW"
ward_start alice
ward_start bob
check "alice connected" ward_seen alice '"event":"connected"' 20
check "bob connected" ward_seen bob '"event":"connected"' 20

ward_cmd alice "/join $LOBBY_ROOM"
line=$(ward_wait alice '"state":"joined"' 10)
check "semi-anonymous room joined without a prompt" test -n "$line"
check "no prompt for it" test "$(ward_count alice '"event":"prompt"')" -eq 0
ward_cmd bob "/join $LOBBY_ROOM/bobby"
check "bob joined as bobby" ward_seen bob '"nick":"bobby","state":"joined"' 10

ward_cmd alice "/msg $LOBBY_ROOM hello room"
line=$(ward_wait bob '"body":"hello room"' 10)
check "bob got alice's room message" test -n "$line"
check "as a groupchat message" test "$(json_field "$line" type)" = groupchat
check "from the room nick" test "$(json_field "$line" from)" = "$LOBBY_ROOM/alice"
check "alice's room message acknowledged" ward_seen alice '"event":"acked"' 10
ward_cmd bob "/msg $LOBBY_ROOM hi alice"
check "alice got bob's room message" ward_seen alice '"body":"hi alice"' 10
sleep 1
# (a message event: its body is followed by more fields; the queued
# event, which carries the body too, ends with it)
line=$(ward_wait alice '"body":"hello room","' 5)
check "alice's own message: the room's reflection shown once" \
    test "$(ward_count alice '"body":"hello room","')" -eq 1
check "... marked as outgoing" test "$(json_field "$line" outgoing)" = True

# the subject: alice (owner) sets it, both see it with who set it; bob (a
# participant) may not, and the room's refusal reaches him; a rejoin
# gets the current subject from the room
ward_cmd alice "/subject $LOBBY_ROOM Release on Friday"
line=$(ward_wait bob '"state":"subject","text":"Release on Friday"' 10)
check "bob sees the new subject" test -n "$line"
check "... set by alice" test "$(json_field "$line" by)" = alice
check "... in the lobby" test "$(json_field "$line" room)" = "$LOBBY_ROOM"
check "alice sees it too" ward_seen alice '"state":"subject","text":"Release on Friday"' 10
check "a subject is not a message" test "$(ward_count bob '"body":"Release on Friday"')" -eq 0
ward_cmd bob "/subject $LOBBY_ROOM bob was here"
check "bob may not change it: the room's error is reported" \
    ward_seen bob '"code":"message-error"' 10
sleep 0.5
check "... and the subject stayed" test "$(ward_count alice 'bob was here')" -eq 0
ward_cmd bob "/leave $LOBBY_ROOM"
check "bob left" ward_seen bob '"state":"left"' 5
ward_cmd bob "/join $LOBBY_ROOM/bobby"
check "bob rejoined" ward_seen_n bob '"nick":"bobby","state":"joined"' 2 10
check "the rejoin brings the subject again" \
    ward_seen_n bob '"state":"subject","text":"Release on Friday"' 2 10
ward_cmd alice "/subject nowhere@rooms.good.test hi"
check "/subject outside a room: not-in-room" ward_seen alice '"code":"not-in-room"' 5

# non-anonymous: ask first, send nothing before the answer
presences() { grep -c "Received\[c2s\]: <presence.*to='$NONANON_ROOM" "$PROSODY_LOG"; }
ward_cmd alice "/join $NONANON_ROOM"
line=$(ward_wait alice '"kind":"muc-nonanonymous"' 10)
check "non-anonymous room: prompt" test -n "$line"
check "the prompt names the JID that would be disclosed" \
    test "$(json_field "$line" jid_disclosed)" = alice@good.test
sleep 1
check "no presence sent to the room while the prompt waits" test "$(presences)" -eq 0
ward_cmd alice "/reject $(json_field "$line" id)"
check "rejected: not joined" ward_seen alice '"state":"not-joined"' 5
sleep 0.5
check "rejected: still no presence to the room" test "$(presences)" -eq 0
ward_cmd alice "/join $NONANON_ROOM"
sleep 1
line=$(grep '"kind":"muc-nonanonymous"' "$(ward_dir alice)/events.jsonl" | tail -n 1)
ward_cmd alice "/accept $(json_field "$line" id)"
check "accepted: joined" ward_seen alice "\"room\":\"$NONANON_ROOM\",\"nick\":\"alice\",\"state\":\"joined\"" 10
ward_cmd alice "/leave $NONANON_ROOM"
check "left" ward_seen alice '"state":"left"' 5
prompts=$(ward_count alice '"kind":"muc-nonanonymous"')
ward_cmd alice "/join $NONANON_ROOM"
sleep 2
check "the yes is remembered: no new prompt" test "$(ward_count alice '"kind":"muc-nonanonymous"')" -eq "$prompts"
check "rejoined the non-anonymous room" test "$(grep -c "\"room\":\"$NONANON_ROOM\",\"nick\":\"alice\",\"state\":\"joined\"" "$(ward_dir alice)/events.jsonl")" -eq 2

# restart the server: rooms come back by themselves
joined_before=$(grep -c "\"room\":\"$LOBBY_ROOM\",\"nick\":\"alice\",\"state\":\"joined\"" "$(ward_dir alice)/events.jsonl")
prosody_stop
prosody_start > /dev/null
check "alice back online" ward_seen alice '"resumed":false' 30
for i in $(seq 1 100); do
	n=$(grep -c "\"room\":\"$LOBBY_ROOM\",\"nick\":\"alice\",\"state\":\"joined\"" "$(ward_dir alice)/events.jsonl")
	[ "$n" -gt "$joined_before" ] && break
	sleep 0.1
done
check "lobby rejoined after the restart" test "$n" -gt "$joined_before"
check "bob's ward rejoined too" ward_seen_n bob '"nick":"bobby","state":"joined"' 2 20

# said while alice was away: arrives once when she is back
ward_cmd alice "/disconnect"
check "alice offline" ward_seen alice 'disconnected by the user' 5
sleep 0.5
ward_cmd bob "/msg $LOBBY_ROOM said while alice was away"
check "bob's message acked" bash -c "for i in \$(seq 1 50); do [ \$(grep -c '\"event\":\"acked\"' '$(ward_dir bob)/events.jsonl') -ge 2 ] && exit 0; sleep 0.1; done; exit 1"
ward_cmd alice "/connect"
check "alice got the message from the room history" ward_seen alice 'said while alice was away' 15
sleep 1
check "exactly once" test "$(ward_count alice 'said while alice was away')" -eq 1
check "earlier room messages not shown again" test "$(ward_count alice '"body":"hi alice"')" -eq 1
ward_stop alice
ward_stop bob
check "alice: no sanitizer report" ward_sanitizer_clean alice
check "bob: no sanitizer report" ward_sanitizer_clean bob
test_exit
