#!/bin/bash
# server_lies: a scripted server that lies after login. Each case: no
# crash, bounded memory and time, no state change, a clear report.
# - invalid UTF-8 in a body, and a raw ESC (not allowed in XML): the
#   stream is cut as not well-formed; nothing of it reaches the events
# - 10,000 presences of room occupants in a burst: handled in bounded time
#   and memory, ward stays responsive
# - IQ results with a guessed id, and one with the right id from another
#   JID: ignored; only the real roster is taken
# - an archive (MAM) result for a query ward never sent: dropped
# - a ping, a roster push and a disco#info query without from= (the server
#   speaking for itself): answered, the push taken
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

hwm_kb() { awk '/VmHWM/ { print $2 }' "/proc/$1/status"; }
start_case() {	# start_case NAME MODE
	fake_start "$2" --cert "$SERVER_CERT" --key "$SERVER_KEY" --password "$ALICE_PW" --after presence
	ward_setup "$1" alice@good.test "$ALICE_PW" "server = 127.0.0.1" "port = $FAKE_PORT"
	ward_start "$1"
	check "$1: logged in" ward_seen "$1" '"event":"connected"' 20
}

for mode in invalid-utf8 raw-escape; do
	start_case "$mode" "$mode"
	line=$(ward_wait "$mode" '"event":"error"' 15)
	check "$mode: cut as not well-formed" grep -q 'not-well-formed' <<<"$line"
	check "$mode: disconnected" ward_seen "$mode" '"event":"disconnected"' 5
	check "$mode: no message event from it" test "$(ward_count "$mode" '"event":"message"')" -eq 0
	check "$mode: no raw ESC in the events" bash -c "! grep -q $'\e' '$(ward_dir "$mode")/events.jsonl'"
	check "$mode: still alive (and will reconnect)" ward_seen "$mode" 'reconnecting' 5
	ward_stop "$mode"
	check "$mode: no sanitizer report" ward_sanitizer_clean "$mode"
done

start_case flood presence-flood
t0=$(date +%s%3N)
check "flood: marker after 10,000 presences arrives" ward_seen flood 'flood done' 60
t1=$(date +%s%3N)
echo "flood: 10,000 presences handled in $((t1 - t0)) ms (ASan build), VmHWM $(hwm_kb "$(ward_pid flood)") kB"
check "flood: every presence reported" test "$(ward_count flood '"event":"presence"')" -ge 10000
check "flood: peak memory bounded" test "$(hwm_kb "$(ward_pid flood)")" -lt 150000
ward_cmd flood "/security"
check "flood: still answers commands" ward_seen flood '"event":"security"' 10
ward_stop flood
check "flood: no sanitizer report" ward_sanitizer_clean flood

start_case forged forged-iq
check "forged: the real roster taken" ward_seen forged '"jid":"bob@good.test"' 10
check "forged: the forged contact not taken" test "$(ward_count forged mallory)" -eq 0
check "forged: roster taken once" test "$(ward_count forged 'roster received')" -eq 1
check "forged: the reply from the wrong JID logged" grep -q 'IQ reply for id .* from an unexpected sender dropped' "$(ward_dir forged)/data/ward.log"
ward_stop forged
check "forged: no sanitizer report" ward_sanitizer_clean forged

start_case mamq mam-wrong-query
check "mam: marker arrives" ward_seen mamq 'after the archive result' 10
check "mam: result for an unknown query not shown" test "$(ward_count mamq FORGED-MAM-QUERY)" -eq 0
check "mam: logged" grep -q 'archive result for an unknown query dropped' "$(ward_dir mamq)/data/ward.log"
ward_stop mamq
check "mam: no sanitizer report" ward_sanitizer_clean mamq

# the server's own requests carry no from= (ward used to answer them with
# libstrophe's xmpp_stanza_reply, which gives NULL then: a crash)
start_case nofrom iq-without-from
check "nofrom: marker arrives" ward_seen nofrom 'after the iqs without from' 10
check "nofrom: the push without from is the account's own: taken" \
	ward_seen nofrom '"jid":"zed@good.test","name":null,"subscription":"both","push":true' 5
for id in nofrom-ping nofrom-push nofrom-disco; do
	check "nofrom: $id answered with a result, addressed to nobody" \
		grep -q "^ANSWER id=$id type=result to=-" "$FAKE_LOG"
done
ward_stop nofrom
check "nofrom: no sanitizer report" ward_sanitizer_clean nofrom
test_exit
