#!/bin/bash
# reconnect_restart: the server is stopped and restarted (same data) again
# and again while two wards keep sending to each other, also while the
# server is down. Every message must arrive exactly once and in order per
# sender, and each ward must be back online within seconds of the server.
# ROUNDS (default 20) sets the number of restarts.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
ROUNDS=${ROUNDS:-20}
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

ward_setup alice alice@good.test "$ALICE_PW"
ward_setup bob bob@good.test "$BOB_PW"
ward_start alice
ward_start bob
check "alice connected" ward_seen alice '"event":"connected"' 20
check "bob connected" ward_seen bob '"event":"connected"' 20
check "alice knows bob's OMEMO device" omemo_ready alice bob@good.test
check "bob knows alice's OMEMO device" omemo_ready bob alice@good.test

now() { date +%s%3N; }
connected_count() { ward_count "$1" '"event":"connected"'; }
# wait_connected NAME N: until NAME has N connected events; prints the time
wait_connected() {
	local i
	for i in $(seq 1 600); do
		[ "$(connected_count "$1")" -ge "$2" ] && { now; return 0; }
		sleep 0.02
	done
	return 1
}

: > "$WARD_TEST_DIR/back.ms"
for r in $(seq 1 "$ROUNDS"); do
	ward_cmd alice "/msg bob@good.test a-$r-live"
	ward_cmd bob "/msg alice@good.test b-$r-live"
	sleep 0.3
	prosody_stop
	ward_cmd alice "/msg bob@good.test a-$r-down"
	ward_cmd bob "/msg alice@good.test b-$r-down"
	sleep 0.5
	( wait_tcp "$C2S_PORT" 30 && now > "$WARD_TEST_DIR/listen.ts" ) &
	poller=$!
	prosody_start > /dev/null || { fail "round $r: prosody did not restart"; break; }
	wait "$poller"
	t_listen=$(cat "$WARD_TEST_DIR/listen.ts")
	ta=$(wait_connected alice $((r + 1))) || { fail "round $r: alice not back"; break; }
	tb=$(wait_connected bob $((r + 1))) || { fail "round $r: bob not back"; break; }
	echo $((ta - t_listen)) >> "$WARD_TEST_DIR/back.ms"
	echo $((tb - t_listen)) >> "$WARD_TEST_DIR/back.ms"
done

# let the last messages arrive
for w in alice bob; do ward_seen "$w" "-$ROUNDS-down" 30; done
sleep 1

# in_order NAME PREFIX: the bodies NAME received from the other side
received() {
	grep '"event":"message"' "$(ward_dir "$1")/events.jsonl" |
	    /usr/bin/python3 -c 'import json,sys
for l in sys.stdin:
    e = json.loads(l)
    if e["body"].startswith(sys.argv[1]): print(e["body"])' "$2"
}
expected() { for r in $(seq 1 "$ROUNDS"); do echo "$1-$r-live"; echo "$1-$r-down"; done; }
received bob a- > "$WARD_TEST_DIR/bob.got"
received alice b- > "$WARD_TEST_DIR/alice.got"
expected a > "$WARD_TEST_DIR/a.want"
expected b > "$WARD_TEST_DIR/b.want"
check "bob got all $((2 * ROUNDS)) of alice's messages exactly once, in order" \
    diff "$WARD_TEST_DIR/a.want" "$WARD_TEST_DIR/bob.got"
check "alice got all $((2 * ROUNDS)) of bob's messages exactly once, in order" \
    diff "$WARD_TEST_DIR/b.want" "$WARD_TEST_DIR/alice.got"
check "all of them OMEMO (encrypted afresh on every resend)" \
    test "$(grep -h '"event":"message"' "$(ward_dir alice)/events.jsonl" "$(ward_dir bob)/events.jsonl" | grep -c -v '"encryption":"omemo"')" -eq 0
check "no decryption error" test "$(cat "$(ward_dir alice)/events.jsonl" "$(ward_dir bob)/events.jsonl" | grep -c '"code":"omemo-decrypt"')" -eq 0
check "alice's outbox is empty" test "$(/usr/bin/python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from outbox").fetchone()[0])' "$(ward_dir alice)/data/ward.db")" -eq 0
median=$(sort -n "$WARD_TEST_DIR/back.ms" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
max=$(sort -n "$WARD_TEST_DIR/back.ms" | tail -n 1)
echo "back online after the server listens: median ${median} ms, max ${max} ms over $(wc -l < "$WARD_TEST_DIR/back.ms") reconnections"
check "back online within 5 s of the server (median ${median} ms)" test "${median:-99999}" -le 5000
ward_stop alice
ward_stop bob
check "alice: no sanitizer report" ward_sanitizer_clean alice
check "bob: no sanitizer report" ward_sanitizer_clean bob
test_exit
