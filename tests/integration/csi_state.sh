#!/bin/bash
# csi_state: XEP-0352. A headless ward that has had no command for a minute
# (or never had one) tells the server it is inactive; a command makes it
# active again. Checked in Prosody's log of what it received.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

ward_setup alice alice@good.test "$ALICE_PW"
ward_start alice
check "connected" ward_seen alice '"event":"connected"' 20
sleep 1
check "inactive sent at login (no command yet)" \
    grep -q "<inactive xmlns='urn:xmpp:csi:0'" "$PROSODY_LOG"
check "not active yet" bash -c "! grep -q \"<active xmlns='urn:xmpp:csi:0'\" '$PROSODY_LOG'"
ward_cmd alice "/security"
check "command answered" ward_seen alice '"event":"security"' 5
sleep 1
check "a command makes the session active" \
    grep -q "<active xmlns='urn:xmpp:csi:0'" "$PROSODY_LOG"
ward_stop alice
check "no sanitizer report" ward_sanitizer_clean alice
test_exit
