#!/bin/bash
# delayed_ts: XEP-0203. Messages that reach ward late carry the sender's
# time: offline storage (our server's <delay/>) and the archive catch-up
# (the archive's). The `message` event has that time as `ts` with
# `delayed`, and the history is stored and ordered by it. A <delay/> from
# anyone else (the sender itself, or a stamp a live message makes up) is
# not believed (T50): ts is then the time of receipt.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

db() {
	/usr/bin/python3 -c 'import sqlite3,sys; print(" ".join(str(r[0]) for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2])))' \
	    "$(ward_dir alice)/data/ward.db" "$1"
}
now_ms() { date +%s%3N; }

ward_setup alice alice@good.test "$ALICE_PW" "resource = ward"
ward_start alice
check "connected" ward_seen alice '"event":"connected"' 20
check "roster fetched" ward_seen alice 'roster received' 20
ward_stop alice

# bob writes while alice is away, a few seconds apart
sent1=$(now_ms)
"$PEER" --jid bob@good.test --password "$BOB_PW" --ca "$TEST_CA" \
    --host 127.0.0.1 --port "$C2S_PORT" --send alice@good.test "away one" \
    --timeout 15 > /dev/null 2>&1
sleep 2.2
"$PEER" --jid bob@good.test --password "$BOB_PW" --ca "$TEST_CA" \
    --host 127.0.0.1 --port "$C2S_PORT" --send alice@good.test "away two" \
    --timeout 15 > /dev/null 2>&1
sleep 2.2
start=$(now_ms)
mv "$(ward_dir alice)/events.jsonl" "$(ward_dir alice)/events-run1.jsonl"
ward_start alice
check "back online" ward_seen alice '"event":"connected"' 20
l1=$(ward_wait alice '"body":"away one"' 15)
l2=$(ward_wait alice '"body":"away two"' 15)
check "the first missed message is delayed" test "$(json_field "$l1" delayed)" = True
check "... the second too" test "$(json_field "$l2" delayed)" = True
ts1=$(json_field "$l1" ts)
ts2=$(json_field "$l2" ts)
check "its ts is the sender's time, not the time ward got it" \
    test "${ts1:-0}" -lt "$start" -a "${ts1:-0}" -ge $((sent1 - 1000))
check "... and the second's is later by the time between them" \
    test $((ts2 - ts1)) -ge 1000 -a "${ts2:-0}" -lt "$start"
sleep 1.5	# the archive's copy comes too; it must not show twice
check "each shown once" test "$(ward_count alice '"body":"away ')" -eq 2
check "stored with the sender's time, in that order" \
    test "$(db "select body from history where body like 'away %' order by ts, id")" = "away one away two"
check "... marked delayed" test "$(db "select sum(delayed) from history where body like 'away %'")" -eq 2
check "... at the ts the event said" test "$(db "select ts from history where body = 'away one'")" = "$ts1"

# a live message with a made-up <delay/>: from the sender, and one that
# claims to be our server's, stamped long ago
before=$(now_ms)
f1="<message to='alice@good.test/ward' type='chat' id='fd1'><body>forged delay one</body><delay xmlns='urn:xmpp:delay' from='carol@good.test' stamp='2001-02-03T04:05:06Z'/></message>"
f2="<message to='alice@good.test/ward' type='chat' id='fd2'><body>forged delay two</body><delay xmlns='urn:xmpp:delay' stamp='2002-02-03T04:05:06Z'/></message>"
"$PEER" --jid carol@good.test --password "$CAROL_PW" --ca "$TEST_CA" \
    --host 127.0.0.1 --port "$C2S_PORT" --send-raw "$f1" --send-raw "$f2" \
    --timeout 15 > /dev/null 2>&1
l=$(ward_wait alice '"body":"forged delay one"' 15)
check "a delay from the sender is not believed" test "$(json_field "$l" delayed)" = False
check "... its ts is the time of receipt" test "$(json_field "$l" ts)" -ge "$before"
l=$(ward_wait alice '"body":"forged delay two"' 15)
check "a delay without a from is not believed" test "$(json_field "$l" delayed)" = False
check "... its ts is the time of receipt" test "$(json_field "$l" ts)" -ge "$before"
check "... stored as received now" test "$(db "select count(*) from history where body like 'forged delay%' and ts >= $before and delayed = 0")" -eq 2
ward_stop alice
check "no sanitizer report" ward_sanitizer_clean alice
test_exit
