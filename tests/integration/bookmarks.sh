#!/bin/bash
# bookmarks: XEP-0402 on Prosody 0.12 (mod_bookmarks). /bookmark add,
# list and remove round-trip through the server; a bookmark set by another
# client appears by a push and autojoins; a fresh ward on another device
# joins the autojoin bookmarks at login; a bookmarked non-anonymous room
# joins only after the JID-disclosure prompt is answered yes (no presence
# before it), remembered across restarts, and a no is remembered too.
# Forged pushes: tests/hostile/forged_bookmarks.sh.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

NS=urn:xmpp:bookmarks:1
# ward_seen_log NAME FIXED-STRING: waits (10 s) for the string in ward.log
ward_seen_log() {
	local i
	for i in $(seq 1 200); do
		grep -qF -- "$2" "$(ward_dir "$1")/data/ward.log" && return 0
		sleep 0.05
	done
	return 1
}
publish() { # publish JID ROOM AUTOJOIN NICK [ACCESS]: a raw XEP-0402 publish as JID
	local acc=${5:-whitelist}
	echo "<iq type='set' id='pub$RANDOM'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='$NS'><item id='$2'><conference xmlns='$NS' name='set elsewhere' autojoin='$3'><nick>$4</nick></conference></item></publish><publish-options><x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'><value>http://jabber.org/protocol/pubsub#publish-options</value></field><field var='pubsub#access_model'><value>$acc</value></field></x></publish-options></pubsub></iq>"
}

ward_setup alice alice@good.test "$ALICE_PW" "resource = ward"
ward_start alice
check "alice connected" ward_seen alice '"event":"connected"' 20
# a non-anonymous room bookmarked with autojoin: asked first, nothing sent
ward_cmd alice "/bookmark add $NONANON_ROOM autojoin name Lobby nick ali"
l=$(ward_wait alice "\"event\":\"bookmark\"" 10)
check "/bookmark add: the server's push came back" test "$(json_field "$l" status)" = added
check "... with its name, nick and autojoin" test "$(json_field "$l" name)/$(json_field "$l" nick)/$(json_field "$l" autojoin)" = "Lobby/ali/True"
check "... published readable only by the account" test "$(prosody_count "<value>whitelist</value>")" -ge 1
l=$(ward_wait alice '"kind":"muc-nonanonymous"' 10)
check "a bookmarked non-anonymous room asks before joining" test -n "$l"
sleep 1
check "... no presence to it before the answer" test "$(prosody_count "<presence[^>]*to='$NONANON_ROOM")" -eq 0
ward_cmd alice "/accept $(json_field "$l" id)"
check "... joined after yes" ward_seen alice "\"room\":\"$NONANON_ROOM\",\"nick\":\"ali\",\"state\":\"joined\"" 10

# another client of the account sets one: it appears and autojoins
"$PEER" --jid alice@good.test/other --password "$ALICE_PW" --ca "$TEST_CA" \
    --host 127.0.0.1 --port "$C2S_PORT" --send-raw "$(publish alice $LOBBY_ROOM true ali)" \
    --timeout 15 > /dev/null 2>&1
check "a bookmark set elsewhere appears" ward_seen alice "\"jid\":\"$LOBBY_ROOM\"" 10
check "... and is joined" ward_seen alice "\"room\":\"$LOBBY_ROOM\",\"nick\":\"ali\",\"state\":\"joined\"" 10
ward_cmd alice "/bookmark list"
check "/bookmark list" ward_seen alice '"status":"listed"' 5
l=$(ward_wait alice '"text":"bookmarks"' 5)
check "... two bookmarks" test "$(json_field "$l" bookmarks)" = 2
ward_cmd alice "/bookmark add extra@rooms.good.test name Extra"
check "a bookmark without autojoin" ward_seen alice '"jid":"extra@rooms.good.test","name":"Extra","nick":null,"autojoin":false,"status":"added"' 10
ward_cmd alice "/bookmark remove extra@rooms.good.test"
check "/bookmark remove: the push says removed" ward_seen alice '"status":"removed"' 10
check "... never joined" test "$(prosody_count "<presence[^>]*to='extra@rooms")" -eq 0

ward_stop alice

# another device (a fresh ward): the bookmarks autojoin at login; the
# non-anonymous one asks (the answer is per device)
ward_setup phone alice@good.test "$ALICE_PW"
ward_start phone
check "phone connected" ward_seen phone '"event":"connected"' 20
check "phone: the lobby joined from the bookmark" ward_seen phone "\"room\":\"$LOBBY_ROOM\",\"nick\":\"ali\",\"state\":\"joined\"" 15
check "phone: the removed bookmark is not joined" test "$(ward_count phone '"room":"extra@rooms.good.test"')" -eq 0
l=$(ward_wait phone '"kind":"muc-nonanonymous"' 10)
check "phone: asked about the non-anonymous room" test -n "$l"
ward_cmd phone "/reject $(json_field "$l" id)"
check "phone: declined" ward_seen phone '"state":"not-joined"' 10
ward_stop phone
mv "$(ward_dir phone)/events.jsonl" "$(ward_dir phone)/events-1.jsonl"
ward_start phone
check "phone restarted" ward_seen phone '"event":"connected"' 20
check "phone: the lobby again" ward_seen phone "\"room\":\"$LOBBY_ROOM\",\"nick\":\"ali\",\"state\":\"joined\"" 15
check "phone: the declined room is not asked again" ward_seen phone "bookmark $NONANON_ROOM not joined" 10
check "... no prompt" test "$(ward_count phone '"kind":"muc-nonanonymous"')" -eq 0
ward_stop phone

# alice again: the non-anonymous room was accepted: joined without asking
mv "$(ward_dir alice)/events.jsonl" "$(ward_dir alice)/events-1.jsonl"
ward_start alice
check "alice back" ward_seen alice '"event":"connected"' 20
check "alice: the accepted room joined without asking" ward_seen alice "\"room\":\"$NONANON_ROOM\",\"nick\":\"ali\",\"state\":\"joined\"" 15
check "... no prompt" test "$(ward_count alice '"kind":"muc-nonanonymous"')" -eq 0
ward_stop alice
check "alice: no sanitizer report" ward_sanitizer_clean alice
check "phone: no sanitizer report" ward_sanitizer_clean phone
test_exit
