#!/bin/bash
# resume: the connection breaks but the server stays up (a relay in
# between is killed). ward reconnects and resumes the same session
# (XEP-0198): no new bind, messages bob sent meanwhile arrive exactly once,
# and what alice typed during the break goes out exactly once.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

PROXY_PORT=$((FAKE_PORT_BASE + 25))
proxy_start() {
	/usr/bin/python3 "$TESTNET_SRC/tcpproxy.py" "$PROXY_PORT" "$C2S_TLS_PORT" &
	PROXY_PID=$!
	register_pid "$PROXY_PID"
	wait_tcp "$PROXY_PORT" 10
}
binds() { grep -c "RECV: <iq .*urn:ietf:params:xml:ns:xmpp-bind" "$PROSODY_LOG"; }

proxy_start
ward_setup alice alice@good.test "$ALICE_PW" "server = 127.0.0.1" \
    "port = $PROXY_PORT" "direct_tls = yes"
ward_setup bob bob@good.test "$BOB_PW"
ward_start alice
ward_start bob
check "alice connected (through the relay)" ward_seen alice '"event":"connected"' 20
check "bob connected" ward_seen bob '"event":"connected"' 20
check "stream management is resumable" grep -q 'stream management enabled (resumable)' "$(ward_dir alice)/data/ward.log"
ward_cmd alice "/msg bob@good.test before the break"
check "bob got the first message" ward_seen bob 'before the break' 10
binds_before=$(binds)

kill -KILL "$PROXY_PID"; wait "$PROXY_PID" 2>/dev/null
check "alice notices the break" ward_seen alice '"event":"disconnected"' 15
ward_cmd bob "/msg alice@good.test sent during the break"
ward_cmd alice "/msg bob@good.test typed during the break"
check "alice's message queued" ward_seen alice '"event":"queued"' 5
sleep 1
proxy_start
check "alice back" ward_seen_n alice '"event":"connected"' 2 20
line=$(grep '"event":"connected"' "$(ward_dir alice)/events.jsonl" | tail -n 1)
check "the session was resumed" test "$(json_field "$line" resumed)" = True
check "no new resource binding" test "$(binds)" -eq "$binds_before"
check "bob's message from the break delivered" ward_seen alice 'sent during the break' 10
check "alice's message from the break delivered" ward_seen bob 'typed during the break' 10
sleep 2
check "bob's message exactly once" test "$(ward_count alice 'sent during the break')" -eq 1
check "alice's message exactly once" test "$(ward_count bob 'typed during the break')" -eq 1
check "the first message not repeated" test "$(ward_count bob 'before the break')" -eq 1
check "every message was OMEMO (re-encrypted on resend)" \
	test "$(grep -h '"event":"message"' "$(ward_dir alice)/events.jsonl" "$(ward_dir bob)/events.jsonl" | grep -c -v '"encryption":"omemo"')" -eq 0
check "no decryption error" test "$(cat "$(ward_dir alice)/events.jsonl" "$(ward_dir bob)/events.jsonl" | grep -c '"code":"omemo-decrypt"')" -eq 0
check "alice's outbox empty" test "$(/usr/bin/python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from outbox").fetchone()[0])' "$(ward_dir alice)/data/ward.db")" -eq 0
ward_stop alice
ward_stop bob
check "alice: no sanitizer report" ward_sanitizer_clean alice
check "bob: no sanitizer report" ward_sanitizer_clean bob
test_exit
