#!/bin/bash
# omemo_profanity: ward and profanity 0.15 (libsignal-protocol-c as well,
# but its own XMPP side: tests/net/profanity15.sh) exchange OMEMO messages
# both ways, each starting a session once; profanity's fallback body is
# never shown by ward, and profanity logs ward's messages as OMEMO.
# A second profanity (dave) starts a session with ward.
# Fails (never skips) when profanity 0.15 cannot be unpacked (no network to
# Debian's backports and nothing cached) or does not start (a library of
# DEPS_TEST missing), with the reason in the FAIL line.
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

ward_setup alice alice@good.test "$ALICE_PW"
ward_start alice
prof15_start dave dave@good.test "$DAVE_PW" > "$WARD_TEST_DIR/prof15-dave.log" 2>&1 &
dave=$!
prof15_start carol carol@good.test "$CAROL_PW" > "$WARD_TEST_DIR/prof15-start.log" 2>&1
st=$?
[ "$st" -ne 0 ] && cat "$WARD_TEST_DIR/prof15-start.log"
check "profanity 0.15 logged in with OMEMO published" test "$st" -eq 0
wait "$dave"
st=$?
[ "$st" -ne 0 ] && cat "$WARD_TEST_DIR/prof15-dave.log"
check "a second profanity logged in" test "$st" -eq 0
check "alice connected" ward_seen alice '"event":"connected"' 20
c_dev=$(prof15_device carol)
c_fp=$(prof15_fingerprint carol)
ward_cmd alice "/omemo fingerprints"
a_dev=$(json_field "$(ward_wait alice '"own":true' 10)" device)

# ward starts the session
ward_cmd alice "/msg carol@good.test hello profanity, from ward"
check "ward's message acknowledged" ward_seen alice '"event":"acked"' 15
enc=$(prof15_wait_msg carol alice@good.test "hello profanity, from ward" 15)
check "profanity decrypted ward's message (logged as omemo)" test "$enc" = omemo
st=$(grep -F "RECV: <message" "$PROSODY_LOG" | grep -F "to='carol@good.test'" | grep -F "sid='$a_dev'" | head -n 1)
check "... which was encrypted for profanity's device" eval "[[ \$st == *\"rid='$c_dev'\"* ]]"
check "the server never saw the text" test "$(grep -c -F 'hello profanity' "$PROSODY_LOG")" -eq 0

# profanity answers in that session
prof15_send carol alice@good.test "hello ward, from profanity"
line=$(ward_wait alice '"body":"hello ward, from profanity"' 15)
check "ward decrypted profanity's message" test "$(json_field "$line" encryption)" = omemo
check "... from a blindly trusted device" test "$(json_field "$line" trust)" = blind
check "profanity's fallback body is never shown" test "$(ward_count alice 'encrypted with OMEMO')" -eq 0
ward_cmd alice "/omemo fingerprints carol@good.test"
line=$(ward_wait alice '"jid":"carol@good.test","device"' 10)
check "ward's fingerprint of profanity's device is profanity's own" test "$(json_field "$line" fingerprint)" = "$c_fp"

ward_cmd alice "/msg carol@good.test second from ward"
enc=$(prof15_wait_msg carol alice@good.test "second from ward" 15)
check "ward -> profanity again" test "$enc" = omemo

# profanity starts the session (its key exchange, ward's prekeys)
prof15_send dave alice@good.test "profanity speaks first"
line=$(ward_wait alice '"body":"profanity speaks first"' 15)
check "ward decrypted a session started by profanity" test "$(json_field "$line" encryption)" = omemo
ward_cmd alice "/msg dave@good.test ward answers"
enc=$(prof15_wait_msg dave alice@good.test "ward answers" 15)
check "... and answers in it" test "$enc" = omemo
check "no decryption error" test "$(ward_count alice '"code":"omemo-decrypt"')" -eq 0

prof15_stop carol
prof15_stop dave
ward_stop alice
check "no sanitizer report" ward_sanitizer_clean alice
test_exit
