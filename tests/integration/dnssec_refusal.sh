#!/bin/bash
# dnssec_refusal: a BOGUS answer (records edited after signing, or expired
# signatures) means ward never connects: error dnssec-bogus naming the
# record, and the server sees no TCP connection (Prosody logs every one).
# An unsigned zone connects with "dnssec":"insecure", unless the account
# says dnssec = require.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

connections() { grep -c "Client connected" "$PROSODY_LOG"; }

for zone in bogus expired; do
	before=$(connections)
	ward_setup "a$zone" "alice@$zone.test" "$ALICE_PW"
	ward_start "a$zone"
	line=$(ward_wait "a$zone" '"event":"error"' 20)
	check "$zone: error dnssec-bogus" test "$(json_field "$line" code)" = dnssec-bogus
	check "$zone: names the record" grep -q "$zone.test" <<<"$(json_field "$line" text)"
	sleep 1
	check "$zone: never connected" test "$(ward_count "a$zone" '"event":"connected"')" -eq 0
	check "$zone: no TCP connection reached the server" test "$(connections)" -eq "$before"
	ward_stop "a$zone"
	check "$zone: no sanitizer report" ward_sanitizer_clean "a$zone"
done

ward_setup insecure alice@unsigned.test "$ALICE_PW"
ward_start insecure
line=$(ward_wait insecure '"event":"connected"' 20)
check "unsigned zone: connected" test -n "$line"
check "unsigned zone: dnssec insecure" test "$(json_field "$line" dnssec)" = insecure
ward_stop insecure

before=$(connections)
ward_setup strict alice@unsigned.test "$ALICE_PW" "dnssec = require"
ward_start strict
line=$(ward_wait strict '"event":"error"' 20)
check "dnssec = require refuses an unsigned zone" test "$(json_field "$line" code)" = dnssec-insecure
sleep 0.5
check "dnssec = require: no TCP connection" test "$(connections)" -eq "$before"
ward_stop strict
check "no sanitizer report" ward_sanitizer_clean strict
test_exit
