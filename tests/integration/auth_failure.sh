#!/bin/bash
# auth_failure: a wrong password gives error auth-failed after exactly one
# <auth> (counted in Prosody's log), and ward does not retry with anything.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

auths() { grep -c "Received\[c2s_unauthed\]: <auth" "$PROSODY_LOG"; }
before=$(auths)
ward_setup wrongpw dave@good.test "not-the-password"
ward_start wrongpw
line=$(ward_wait wrongpw '"event":"error"' 20)
check "error auth-failed" test "$(json_field "$line" code)" = auth-failed
sleep 2
check "exactly one <auth> reached the server" test "$(( $(auths) - before ))" -eq 1
check "never connected" test "$(ward_count wrongpw '"event":"connected"')" -eq 0
check "the password is not in ward's log" bash -c "! grep -rq not-the-password '$(ward_dir wrongpw)/data'"
check "ward still runs after the failure" kill -0 "$(ward_pid wrongpw)"
ward_stop wrongpw
check "no sanitizer report" ward_sanitizer_clean wrongpw
test_exit
