#!/bin/bash
# muc_privacy: a room service that will not say whether a room shows our
# JID (disco#info error) gets the JID-disclosure prompt before any presence;
# a room that turns non-anonymous after the join (status 172) asks whether
# to stay, and leaving is one answer away; a logging room (status 170) and
# a room whose anonymity changed (174) are warned about. Uses the scripted
# room service of tests/net/fakeserver.py (Prosody cannot produce these).
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

fake_start muc-privacy --cert "$SERVER_CERT" --key "$SERVER_KEY" --password "$ALICE_PW"
ward_setup w alice@good.test "$ALICE_PW" "server = 127.0.0.1" "port = $FAKE_PORT"
ward_start w
check "connected" ward_seen w '"event":"connected"' 20
joins() { grep -c "ROOM-JOIN to=$1" "$FAKE_LOG"; }

# disco#info error: treated as non-anonymous
ward_cmd w "/join errdisco@rooms.good.test/alice"
line=$(ward_wait w '"kind":"muc-nonanonymous"' 10)
check "disco#info error: the JID-disclosure prompt" test -n "$line"
check "... naming the JID" test "$(json_field "$line" jid_disclosed)" = alice@good.test
sleep 1
check "... no presence to the room while it waits" test "$(joins errdisco@)" -eq 0
ward_cmd w "/reject $(json_field "$line" id)"
check "rejected: not joined" ward_seen w '"state":"not-joined"' 5
sleep 0.5
check "rejected: still no presence to the room" test "$(joins errdisco@)" -eq 0
ward_cmd w "/join errdisco@rooms.good.test/alice"
ward_seen_n w '"kind":"muc-nonanonymous"' 2 10
line=$(grep -F '"kind":"muc-nonanonymous"' "$(ward_dir w)/events.jsonl" | tail -n 1)
ward_cmd w "/accept $(json_field "$line" id)"
check "accepted: joined" ward_seen w '"room":"errdisco@rooms.good.test","nick":"alice","state":"joined"' 10

# status 172 after the join: stay or leave
ward_cmd w "/join turns@rooms.good.test/alice"
check "semi-anonymous room joined" ward_seen w '"room":"turns@rooms.good.test","nick":"alice","state":"joined"' 10
line=$(ward_wait w '"kind":"muc-privacy"' 10)
check "status 172 after the join: a prompt" test -n "$line"
check "... for that room" test "$(json_field "$line" room)" = turns@rooms.good.test
ward_cmd w "/reject $(json_field "$line" id)"
check "answered no: left the room" ward_seen w '"room":"turns@rooms.good.test","nick":"alice","state":"left"' 5
check "... the room got our unavailable presence" bash -c \
    "for i in \$(seq 1 50); do grep -q 'ROOM-LEAVE to=turns@' '$FAKE_LOG' && exit 0; sleep 0.1; done; exit 1"

# status 170 in the self-presence, 174 in a room message: warnings
ward_cmd w "/join logs@rooms.good.test/alice"
line=$(ward_wait w '"code":"muc-logging"' 10)
check "status 170: a logging warning" test -n "$line"
check "... for that room" test "$(json_field "$line" room)" = logs@rooms.good.test
ward_cmd w "/join anon@rooms.good.test/alice"
line=$(ward_wait w '"code":"muc-anonymity-changed"' 10)
check "status 174: an anonymity warning" test -n "$line"
check "... for that room" test "$(json_field "$line" room)" = anon@rooms.good.test
check "a status message is not shown as a message" test "$(ward_count w '"event":"message"')" -eq 0
ward_stop w
check "no sanitizer report" ward_sanitizer_clean w
test_exit
