#!/bin/bash
# bookmarks_0048: bookmarks kept the old way (XEP-0048, storage:bookmarks in
# private XML storage) are read once, at the first login, and moved to the
# XEP-0402 PEP node; then they are bookmarks like any other (listed on
# another device from the node, autojoined). Prosody 13 without its
# bookmarks module, so the two stores stay apart and the move is ward's.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
. "$(dirname "$0")/../net/prosody13.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap 'st=$?; cbprosody_stop; (exit $st); testnet_down' EXIT

export CBP_ROOMS=1 CBP_BOOKMARKS=0
cbprosody_start 13 1.3 || { fail "prosody 13"; test_exit; }
check "the server has no XEP-0402 module" test "$(cbprosody_count 'good.test:bookmarks')" -eq 0

legacy="<iq type='set' id='legacy1'><query xmlns='jabber:iq:private'><storage xmlns='storage:bookmarks'><conference jid='old@rooms.good.test' name='Old room' autojoin='true'><nick>oldnick</nick></conference><conference jid='quiet@rooms.good.test' autojoin='false'/><conference jid='not a jid' autojoin='true'/></storage></query></iq>"
"$PEER" --jid alice@good.test/legacy --password "$ALICE_PW" --ca "$TEST_CA" \
    --host 127.0.0.1 --port "$CBP_PORT" --send-raw "$legacy" --timeout 15 > /dev/null 2>&1
check "the old client stored XEP-0048 bookmarks" test "$(cbprosody_count "storage xmlns='storage:bookmarks'")" -ge 1

ward_setup alice alice@good.test "$ALICE_PW" "server = 127.0.0.1" "port = $CBP_PORT"
ward_start alice
check "alice connected" ward_seen alice '"event":"connected"' 20
check "the XEP-0048 bookmarks moved" ward_seen alice '"text":"2 bookmarks moved from XEP-0048 storage"' 15
l=$(ward_wait alice '"jid":"old@rooms.good.test"' 5)
check "... the room with its name, nick and autojoin" test "$(json_field "$l" name)/$(json_field "$l" nick)/$(json_field "$l" autojoin)" = "Old room/oldnick/True"
check "... published to the XEP-0402 node" test "$(cbprosody_count "<publish node='urn:xmpp:bookmarks:1'>")" -ge 2
check "... the invalid one left out" test "$(ward_count alice 'not a jid')" -eq 0
check "the autojoin one is joined (a new room: asked first)" ward_seen alice '"room":"old@rooms.good.test"' 10
ward_stop alice
mv "$(ward_dir alice)/events.jsonl" "$(ward_dir alice)/events-1.jsonl"
ward_start alice
check "alice back" ward_seen alice '"event":"connected"' 20
check "... the bookmarks from the node" ward_seen alice '"jid":"quiet@rooms.good.test","name":null,"nick":null,"autojoin":false,"status":"listed"' 10
sleep 1
check "... not moved a second time" test "$(ward_count alice 'moved from XEP-0048')" -eq 0
ward_setup phone alice@good.test "$ALICE_PW" "server = 127.0.0.1" "port = $CBP_PORT"
ward_start phone
check "another device lists them from the node" ward_seen phone '"jid":"old@rooms.good.test","name":"Old room","nick":"oldnick","autojoin":true,"status":"listed"' 20
sleep 1
check "... and moves nothing (the node has them)" test "$(ward_count phone 'moved from XEP-0048')" -eq 0
ward_stop phone
ward_stop alice
check "alice: no sanitizer report" ward_sanitizer_clean alice
check "phone: no sanitizer report" ward_sanitizer_clean phone
test_exit
