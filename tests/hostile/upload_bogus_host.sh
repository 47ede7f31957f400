#!/bin/bash
# upload_bogus_host: an upload service that hands out slots on a host whose
# DNSSEC validation fails (xmpp.bogus.test: records edited after signing)
# gets nothing: ward refuses the PUT before connecting, says why (DNSSEC,
# bogus), sends no link, and the slot URL does not reach ward.log.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
export UPLOAD_HOST=xmpp.bogus.test	# read by tests/net/prosody.cfg.lua
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

ward_setup alice alice@good.test "$ALICE_PW"
ward_start alice
check "alice connected" ward_seen alice '"event":"connected"' 20
ward_cmd alice "/omemo off carol@good.test"
ward_seen alice '"jid":"carol@good.test","encryption":"none"' 5
src=$WARD_TEST_DIR/file.txt
echo "contents" > "$src"
ward_cmd alice "/upload $src carol@good.test"
line=$(ward_wait alice '"direction":"upload","state":"failed"' 30)
check "a slot on a BOGUS-signed host: the upload fails" test -n "$line"
check "... saying DNSSEC failed" grep -q 'DNSSEC validation (bogus)' <<< "$(json_field "$line" why)"
check "... reported as bogus" test "$(json_field "$line" dnssec)" = bogus
check "the service did hand out such a slot" \
    grep -q "xmpp.bogus.test:$HTTPS_PORT/" <(grep 'SEND' "$PROSODY_LOG")
check "... nothing was PUT" test "$(grep -c 'PUT /' "$PROSODY_LOG")" -eq 0
check "... no link sent" test "$(ward_count alice '"event":"queued"')" -eq 0
slot=$(grep -o "xmpp.bogus.test:$HTTPS_PORT/file_share/[^'\"<]*" "$PROSODY_LOG" | head -n 1)
check "... the slot URL is not in ward.log" \
    test "$(grep -c -F "${slot#*file_share/}" "$(ward_dir alice)/data/ward.log")" -eq 0

ward_stop alice
check "no sanitizer report" ward_sanitizer_clean alice
test_exit
