#!/bin/bash
# catchup_retry: the archive catch-up against the loopback Prosody (mod_mam)
# when the id it starts from is not the archive's (an expired or made-up
# anchor): Prosody answers item-not-found; ward starts again from the
# stored archive id before it and gets what it missed, once (Prosody's
# offline storage may deliver it first: it is still shown once). When the one
# before is refused too, the user is told that history may have a gap
# (error history-gap). The made-up anchors are rows written into ward.db
# while ward is stopped (so the search index, which misses them, is also
# rebuilt at the next start).
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

DB() { echo "$(ward_dir alice)/data/ward.db"; }
sql() {
	/usr/bin/python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); r=c.execute(sys.argv[2]).fetchone(); c.commit(); print(r[0] if r else "")' "$(DB)" "$1"
}
# fake_anchor ID TS_OFFSET: a row with archive id ID, newer than every row
fake_anchor() {
	sql "insert into history (account, peer, direction, type, from_jid, server_id, server_id_by, body, encryption, ts) select 'alice', 'bob@good.test', 'in', 'chat', 'bob@good.test/x', '$1', 'alice@good.test', 'ANCHOR $1', 'none', max(ts) + $2 from history"
}
bob_says() {
	"$PEER" --jid bob@good.test --password "$BOB_PW" --ca "$TEST_CA" \
	    --host 127.0.0.1 --port "$C2S_PORT" --send alice@good.test "$1" \
	    --timeout 15 > /dev/null 2>&1
}
log() { echo "$(ward_dir alice)/data/ward.log"; }
# log_has ERE [SECONDS]: until ward.log has a line matching
log_has() {
	local i
	for i in $(seq 1 $((${2:-15} * 10))); do
		grep -qE -- "$1" "$(log)" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

ward_setup alice alice@good.test "$ALICE_PW"
ward_start alice
check "connected" ward_seen alice '"event":"connected"' 20
ward_cmd alice "/omemo off bob@good.test"
bob_says "first"
bob_says "second"
check "bob's messages arrived" ward_seen alice '"body":"second"' 15
ward_stop alice
check "they were stored with Prosody's archive ids" \
    test "$(sql "select count(*) from history where server_id is not null and server_id_by = 'alice@good.test'")" -ge 2

# 1. the newest anchor is not the archive's: the one before it works
fake_anchor expired-1 1000
bob_says "while away 1"
mv "$(ward_dir alice)/events.jsonl" "$(ward_dir alice)/events-1.jsonl"
ward_start alice
check "back online" ward_seen alice '"event":"connected"' 20
check "the missed message arrived" ward_seen alice '"body":"while away 1"' 15
check "Prosody refused the made-up anchor; ward retried" \
    log_has 'refused the catch-up after expired-1 \(item-not-found\); trying from the message before it'
check "the retry finished the catch-up" log_has 'archive catch-up done'
sleep 1
check "each missed message shown once" test "$(ward_count alice 'while away 1')" -eq 1
check "no gap reported" test "$(ward_count alice history-gap)" -eq 0
ward_cmd alice "/search away"
check "/search finds the caught-up message" ward_seen alice '"body":"while away 1","encryption"' 10
ward_cmd alice "/search anchor"
check "the row written past the index was indexed at start" ward_seen alice '"body":"ANCHOR expired-1"' 10
ward_stop alice

# 2. the two newest anchors are not the archive's: the user is told
fake_anchor expired-2 2000
fake_anchor expired-3 3000
mv "$(ward_dir alice)/events.jsonl" "$(ward_dir alice)/events-2.jsonl"
ward_start alice
check "online again" ward_seen alice '"event":"connected"' 20
line=$(ward_wait alice '"code":"history-gap"' 15)
check "history-gap after both anchors were refused" test -n "$line"
check "... logged" log_has 'archive catch-up failed \(item-not-found\): history may have a gap'
ward_stop alice
check "no sanitizer report" ward_sanitizer_clean alice
test_exit
