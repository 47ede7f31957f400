#!/bin/bash
# muc_omemo_profanity: OMEMO in a private room between ward and profanity
# 0.15 (its own XMPP side for group OMEMO; tests/net/profanity15.sh): ward's
# group message decrypts in profanity, profanity's in ward, and the server
# never sees either text. bob (a python-omemo peer, the room's owner) is a
# member who is not in the room: ward encrypts for him too.
# Found: profanity 0.15 encrypts a room message twice for a device whose JID
# it lists both as occupant and as member (two <key rid/> for one device,
# consecutive ratchet steps); ward takes the first (omemo_xml.c).
# Fails (never skips) when profanity 0.15 cannot be unpacked or started.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
. "$(dirname "$0")/../net/omemopeer.sh"
. "$(dirname "$0")/../net/profanity15.sh"
why=$(mktemp /tmp/ward-prof15-why.XXXXXX)
if ! prof15_install 2> "$why"; then
	echo "FAIL: $TEST_NAME: profanity 0.15 cannot be unpacked or does not start: $(paste -sd';' "$why")"
	rm -f "$why"
	exit 1
fi
rm -f "$why"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

seen_by_server() { grep -c -F -- "$1" "$PROSODY_LOG"; }
room=$PRIVATE_ROOM

ward_setup alice alice@good.test "$ALICE_PW"
ward_start alice
omemo_peer_start bob bob@good.test "$BOB_PW"
prof15_start carol carol@good.test "$CAROL_PW" > "$WARD_TEST_DIR/prof15-start.log" 2>&1
st=$?
[ "$st" -ne 0 ] && cat "$WARD_TEST_DIR/prof15-start.log"
check "profanity 0.15 logged in with OMEMO published" test "$st" -eq 0
check "bob (python-omemo, a member not in the room) online" \
	eval 'omemo_peer_online bob > /dev/null'
check "alice connected" ward_seen alice '"event":"connected"' 20
c_dev=$(prof15_device carol)

prof15_cmd carol "/join $room nick carol"
ward_cmd alice "/join $room/alice"
line=$(ward_wait alice '"kind":"muc-nonanonymous"' 10)
ward_cmd alice "/accept $(json_field "$line" id)"
check "alice joined" ward_seen alice '"state":"joined"' 10
check "ward: OMEMO, two members (bob, carol)" \
	ward_seen alice "\"jid\":\"$room\",\"room\":true,\"encryption\":\"omemo\",\"why\":null,\"members\":2" 15
prof15_cmd carol "/omemo start"
check "profanity started OMEMO in the room (fetched alice's devices)" \
	_prof15_until 15 _prof15_has_list carol alice@good.test

ward_cmd alice "/msg $room hello profanity, from ward"
enc=$(prof15_wait_msg carol "$room" "hello profanity, from ward" 20)
check "profanity decrypted ward's group message" test -n "$enc"
check "... and logged it as OMEMO" test "$enc" = omemo
st=$(grep -F "RECV: <message" "$PROSODY_LOG" | grep -F "type='groupchat'" | grep -c "rid='$c_dev'")
check "ward encrypted for profanity's device" test "$st" -ge 1
check "the server never saw ward's text" test "$(seen_by_server 'hello profanity')" -eq 0

prof15_cmd carol "hello ward, from profanity"
line=$(ward_wait alice '"body":"hello ward, from profanity"' 20)
check "ward decrypted profanity's group message" test -n "$line"
check "... as OMEMO" test "$(json_field "$line" encryption)" = omemo
check "... with its trust" test "$(json_field "$line" trust)" = blind
check "... from carol's occupant JID" test "$(json_field "$line" from)" = "$room/carol"
check "the server never saw profanity's text" test "$(seen_by_server 'hello ward, from')" -eq 0
if [ "$TEST_FAILS" -ne 0 ]; then
	prof15_messages carol | tail -n 5
	prof15_screen carol | tail -n 15
fi

ward_stop alice
check "alice: no sanitizer report" ward_sanitizer_clean alice
prof15_stop carol
omemo_peer_stop bob
test_exit
