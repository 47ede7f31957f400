#!/bin/bash
# chat_security: the chat-security event says how new messages to a chat
# travel and why not encrypted (turned off, a room, no devices), with the
# trust in the peer's OMEMO devices; /chat-security JID asks for it, and it
# comes by itself when it changes (device list, /omemo on|off, /omemo
# verify). A message that fails says which one: omemo-unavailable and a
# bounce (message-error) carry the id of its queued event; a bounce forged
# by someone else than the recipient names no message.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

cs() {	# cs NAME JID N: the N-th chat-security event about JID
	grep -F '"event":"chat-security"' "$(ward_dir "$1")/events.jsonl" |
	    grep -F "\"jid\":\"$2\"" | sed -n "${3}p"
}
cs_wait() {	# cs_wait NAME JID N: until there are N such events
	local i
	for i in $(seq 1 200); do [ -n "$(cs "$@")" ] && return 0; sleep 0.05; done
	return 1
}
f() { json_field "$1" "$2"; }

ward_setup alice alice@good.test "$ALICE_PW"
ward_setup bob bob@good.test "$BOB_PW"
ward_start alice
ward_start bob
check "alice connected" ward_seen alice '"event":"connected"' 20
check "bob connected" ward_seen bob '"event":"connected"' 20
sleep 1	# bob's device list and bundle are published

ward_cmd alice "/chat-security bob@good.test"
check "answered at once" cs_wait alice bob@good.test 1
line=$(cs alice bob@good.test 1)
check "... OMEMO by default" test "$(f "$line" encryption)/$(f "$line" room)" = omemo/False
check "... the device list being fetched" test "$(f "$line" device_list)" = fetching
check "when the list arrives, a second event" cs_wait alice bob@good.test 2
line=$(cs alice bob@good.test 2)
check "... one device, trusted blindly (nothing verified yet)" \
    test "$(f "$line" device_list)/$(f "$line" devices)/$(f "$line" blind)/$(f "$line" verified)" = known/1/1/0
check "... nothing wrong" test -z "$(f "$line" why)"

ward_cmd alice "/omemo off bob@good.test"
check "/omemo off: a change" cs_wait alice bob@good.test 3
line=$(cs alice bob@good.test 3)
check "... plaintext, turned off" test "$(f "$line" encryption)/$(f "$line" why)" = none/turned-off
ward_cmd alice "/omemo on bob@good.test"
check "/omemo on: a change back" cs_wait alice bob@good.test 4
check "... OMEMO again" test "$(f "$(cs alice bob@good.test 4)" encryption)" = omemo

ward_cmd bob "/omemo fingerprints"
fpr=$(json_field "$(ward_wait bob '"own":true' 10)" fingerprint)
ward_cmd alice "/omemo verify bob@good.test $fpr"
check "/omemo verify: a change" cs_wait alice bob@good.test 5
line=$(cs alice bob@good.test 5)
check "... the device is verified" test "$(f "$line" verified)/$(f "$line" blind)" = 1/0
ward_cmd alice "/chat-security bob@good.test"
check "asked again: the same state" cs_wait alice bob@good.test 6
check "... (no fetch: the list is known)" \
    test "$(f "$(cs alice bob@good.test 6)" device_list)/$(f "$(cs alice bob@good.test 6)" verified)" = known/1
sleep 0.5
check "no event without a change" test -z "$(cs alice bob@good.test 7)"

ward_cmd alice "/chat-security carol@good.test"
check "carol (no OMEMO): the list arrives" cs_wait alice carol@good.test 2
line=$(cs alice carol@good.test 2)
check "... no devices: OMEMO cannot work" \
    test "$(f "$line" encryption)/$(f "$line" why)/$(f "$line" devices)" = omemo/no-devices/0

ward_cmd alice "/join $LOBBY_ROOM"
check "alice joined the lobby" ward_seen alice '"state":"joined"' 10
ward_cmd alice "/chat-security $LOBBY_ROOM"
check "a room" cs_wait alice "$LOBBY_ROOM" 1
line=$(cs alice "$LOBBY_ROOM" 1)
check "... is not encrypted, and says why (a public room)" \
    test "$(f "$line" room)/$(f "$line" encryption)/$(f "$line" why)" = True/none/public-room

# failures name their message
ward_cmd alice "/msg carol@good.test secret words"
qid=$(json_field "$(ward_wait alice '"to":"carol@good.test","encryption":"omemo"' 5)" id)
line=$(ward_wait alice '"code":"omemo-unavailable"' 40)
check "omemo-unavailable names the message" test "$(f "$line" id)" = "$qid"
check "... and the chat" test "$(f "$line" jid)" = carol@good.test
ward_cmd alice "/omemo off nosuch@good.test"
ward_cmd alice "/msg nosuch@good.test anyone there"
qid=$(json_field "$(ward_wait alice '"to":"nosuch@good.test"' 5)" id)
line=$(ward_wait alice '"code":"message-error"' 10)
check "a bounce names the message" test "$(f "$line" id)" = "$qid"
check "... the JID" test "$(f "$line" jid)" = nosuch@good.test
check "... and the condition" test -n "$(f "$line" condition)"

ward_cmd alice "/msg bob@good.test for bob only"
bid=$(json_field "$(ward_wait alice '"to":"bob@good.test","encryption":"omemo"' 5)" id)
check "bob got it" ward_seen bob '"body":"for bob only"' 15
# alice's resource is random per login: her bound JID from her connected event
ALICE_FULL=$(f "$(grep -F '"event":"connected"' "$(ward_dir alice)/events.jsonl" | tail -n 1)" jid)
"$PEER" --jid carol@good.test --password "$CAROL_PW" --ca "$TEST_CA" \
    --host 127.0.0.1 --port "$C2S_PORT" \
    --send-raw "<message type='error' id='$bid' to='$ALICE_FULL'><error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>" \
    --timeout 10 > /dev/null 2>&1
check "a bounce forged by carol arrives" ward_seen_n alice '"code":"message-error"' 2 10
line=$(grep -F '"code":"message-error"' "$(ward_dir alice)/events.jsonl" | sed -n 2p)
check "... and names no message of ours" test -z "$(f "$line" id)"
check "... but says who sent it" test "$(f "$line" jid)" = carol@good.test

ward_stop alice
ward_stop bob
check "alice: no sanitizer report" ward_sanitizer_clean alice
check "bob: no sanitizer report" ward_sanitizer_clean bob
test_exit
