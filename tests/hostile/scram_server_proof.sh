#!/bin/bash
# scram_server_proof: a server that cannot prove it knows the password
# (wrong v=, <success/> without v=) or asks for too few PBKDF2 iterations
# is refused with auth-failed; ward never reports connected. A server that
# never answers SASL is left after the 30 s login timeout.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

for mode in bad-server-signature success-without-v low-iterations never-answer-sasl; do
	fake_start "$mode" --cert "$SERVER_CERT" --key "$SERVER_KEY" --password "$ALICE_PW"
	ward_setup "$mode" alice@good.test "$ALICE_PW" "server = 127.0.0.1" "port = $FAKE_PORT"
	ward_start "$mode"
	if [ "$mode" = never-answer-sasl ]; then
		sleep 3
		check "$mode: not connected while the server stalls" \
		    test "$(ward_count "$mode" '"event":"connected"')" -eq 0
		check "$mode: ward still responsive" kill -0 "$(ward_pid "$mode")"
		ward_cmd "$mode" "/security"
		check "$mode: answers commands while waiting" ward_seen "$mode" '"event":"security"' 5
		check "$mode: gives up after the login timeout" ward_seen "$mode" '"code":"timeout"' 40
		check "$mode: disconnected" ward_seen "$mode" '"event":"disconnected"' 5
	else
		line=$(ward_wait "$mode" '"event":"error"' 20)
		check "$mode: auth-failed" test "$(json_field "$line" code)" = auth-failed
		check "$mode: never connected" test "$(ward_count "$mode" '"event":"connected"')" -eq 0
		check "$mode: exactly one <auth>" test "$(grep -c 'RECV auth' "$FAKE_LOG")" -le 1
	fi
	ward_stop "$mode"
	check "$mode: no sanitizer report" ward_sanitizer_clean "$mode"
done
test_exit
