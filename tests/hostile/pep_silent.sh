#!/bin/bash
# pep_silent: a server that never answers a PEP request. A message promised
# OMEMO waits for the peer's device list, but not for ever: after 30 s the
# list counts as unreadable, the message is refused with omemo-unavailable
# (its text given back), and nothing goes on the wire, neither the text nor
# an encrypted copy. ward stays responsive throughout.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

fake_start pep-silent --cert "$SERVER_CERT" --key "$SERVER_KEY" --password "$ALICE_PW"
ward_setup alice alice@good.test "$ALICE_PW" "server = 127.0.0.1" "port = $FAKE_PORT"
ward_start alice
check "logged in" ward_seen alice '"event":"connected"' 20
check "the server ignores ward's PEP requests" bash -c "grep -q '^PEP-IGNORED' '$FAKE_LOG'"
t0=$(date +%s)
ward_cmd alice "/msg bob@good.test silent-server-secret"
q=$(ward_wait alice '"event":"queued"' 10)
check "queued with OMEMO promised" test "$(json_field "$q" encryption)" = omemo
sleep 2
ward_cmd alice "/security"
check "responsive while the request is out" ward_seen alice '"event":"security"' 5
line=$(ward_wait alice '"code":"omemo-unavailable"' 45)
t1=$(date +%s)
check "refused after the fetch timed out: omemo-unavailable" test -n "$line"
echo "refused $((t1 - t0)) s after /msg"
check "... not before the 30 s timeout" test $((t1 - t0)) -ge 29
check "... naming the chat" test "$(json_field "$line" jid)" = bob@good.test
check "... giving the text back" test "$(json_field "$line" body)" = silent-server-secret
check "logged as a timeout" grep -q 'no reply to IQ .* from bob@good.test in time' "$(ward_dir alice)/data/ward.log"
check "no message reached the server" test "$(grep -c '^MESSAGE' "$FAKE_LOG")" -eq 0
check "no message event" test "$(ward_count alice '"event":"message"')" -eq 0
ward_stop alice
check "no sanitizer report" ward_sanitizer_clean alice
test_exit
