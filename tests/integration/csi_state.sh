#!/bin/bash
# csi_state: XEP-0352. A headless ward starts its session active (so the
# login's own replies are not held back by the server), says "inactive" a
# minute after the last activity, and "active" again on the next command.
# Checked in Prosody's log of what it received. Takes a little over 60 s.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

inactive() { grep -c "RECV: <inactive .*urn:xmpp:csi:0" "$PROSODY_LOG"; }
active() { grep -c "RECV: <active .*urn:xmpp:csi:0" "$PROSODY_LOG"; }

ward_setup alice alice@good.test "$ALICE_PW"
ward_start alice
check "connected" ward_seen alice '"event":"connected"' 20
check "roster arrives at once (not held back)" ward_seen alice 'roster received' 3
check "not inactive right after login" test "$(inactive)" -eq 0
check "no needless <active/> at login" test "$(active)" -eq 0
sleep 62
check "inactive after a minute without commands" test "$(inactive)" -eq 1
ward_cmd alice "/security"
check "command answered" ward_seen alice '"event":"security"' 5
sleep 1
check "a command makes the session active" test "$(active)" -eq 1
ward_stop alice
check "no sanitizer report" ward_sanitizer_clean alice
test_exit
