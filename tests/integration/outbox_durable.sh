#!/bin/bash
# outbox_durable: a message typed while offline is written to the SQLite
# outbox before ward says "queued", survives kill -9, goes out once when
# ward is back online, and leaves the outbox only when the server has
# acknowledged it.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

db() {	# db SQL: one value from alice's database
	/usr/bin/python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute(sys.argv[2]).fetchone()[0])' \
	    "$(ward_dir alice)/data/ward.db" "$1"
}

ward_setup alice alice@good.test "$ALICE_PW"
ward_start alice --no-connect
ward_cmd alice "/omemo off bob@good.test"	# bob's peer has no OMEMO
ward_cmd alice "/msg bob@good.test typed while offline"
check "queued event" ward_seen alice '"event":"queued"' 10
kill -KILL "$(ward_pid alice)"
wait "$(ward_pid alice)" 2>/dev/null
check "the message is in the outbox after kill -9" test "$(db 'select count(*) from outbox')" -eq 1
check "the outbox file is private (0600)" test "$(stat -c %a "$(ward_dir alice)/data/ward.db")" = 600
check "the data directory is private (0700)" test "$(stat -c %a "$(ward_dir alice)/data")" = 700

"$PEER" --jid bob@good.test --password "$BOB_PW" --ca "$TEST_CA" \
    --host 127.0.0.1 --port "$C2S_PORT" --stay --timeout 12 \
    > "$WARD_TEST_DIR/bob.out" 2>&1 &
bob=$!
sleep 1.5	# bob online first, so the message is delivered live
ward_start alice
check "alice connected" ward_seen alice '"event":"connected"' 20
check "acked by the server" ward_seen alice '"event":"acked"' 10
ward_stop alice
check "outbox empty once acknowledged" test "$(db 'select count(*) from outbox')" -eq 0
check "sent message in history" test "$(db "select count(*) from history where direction='out' and body='typed while offline'")" -eq 1
wait "$bob"
check "bob received it exactly once" test "$(grep -c 'typed while offline' "$WARD_TEST_DIR/bob.out")" -eq 1
check "no sanitizer report" ward_sanitizer_clean alice
test_exit
