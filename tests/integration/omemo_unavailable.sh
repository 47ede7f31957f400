#!/bin/bash
# omemo_unavailable: a 1:1 message is OMEMO or nothing. To a peer without
# OMEMO (no device list, or an empty one) ward sends nothing at all and says
# omemo-unavailable, naming the JID and /omemo off; the server log shows no
# message and no plaintext. After /omemo off JID (remembered across a
# restart) the chat is plaintext; /omemo on makes it OMEMO-or-nothing again.
# A message queued while OMEMO was promised stays encrypted-or-nothing even
# if the chat is switched to plaintext before it goes out.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
. "$(dirname "$0")/../net/omemopeer.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

db() {	# db SQL: one value from alice's database
	/usr/bin/python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute(sys.argv[2]).fetchone()[0])' \
	    "$(ward_dir alice)/data/ward.db" "$1"
}
seen_by_server() { grep -c -F -- "$1" "$PROSODY_LOG"; }
# messages the server received for JID (from anyone: only ward writes here)
msgs_to() { grep -F "RECV: <message" "$PROSODY_LOG" | grep -c -F "to='$1'"; }

# dave publishes an empty device list (what a client does that has OMEMO
# switched off), then leaves
"$TESTNET_PYTHON" "$TESTNET_SRC/omemo_peer.py" --jid dave@good.test \
    --password "$DAVE_PW" --ca "$TEST_CA" --port "$C2S_PORT" \
    --store "$WARD_TEST_DIR/dave-store" --empty-devicelist \
    > "$WARD_TEST_DIR/dave.out" 2>&1 &
dave=$!

ward_setup alice alice@good.test "$ALICE_PW"
# queued before the connection, with OMEMO promised; then the chat is
# switched to plaintext: the queued message must still not go out plain
ward_start alice --no-connect
ward_cmd alice "/msg carol@good.test queued-encrypted-secret"
q=$(ward_wait alice '"event":"queued"' 10)
check "queued with OMEMO promised" test "$(json_field "$q" encryption)" = omemo
qid=$(json_field "$q" id)
ward_cmd alice "/omemo off carol@good.test"
check "/omemo off confirmed" ward_seen alice '"jid":"carol@good.test","encryption":"none"' 5
ward_cmd alice "/connect"
check "alice connected" ward_seen alice '"event":"connected"' 20
line=$(ward_wait alice '"code":"omemo-unavailable"' 15)
check "the message queued as OMEMO is refused: omemo-unavailable" test -n "$line"
check "... naming the chat" test "$(json_field "$line" jid)" = carol@good.test
check "... and the message" test "$(json_field "$line" id)" = "$qid"
check "... giving its text back (kept nowhere else)" test "$(json_field "$line" body)" = queued-encrypted-secret
check "... telling about /omemo off" eval '[[ $(json_field "$line" text) == *"/omemo off carol@good.test"* ]]'
check "... dropped from the outbox" test "$(db 'select count(*) from outbox')" -eq 0
check "the server never saw it" test "$(seen_by_server queued-encrypted-secret)" -eq 0
ward_cmd alice "/omemo on carol@good.test"
check "/omemo on confirmed" ward_seen alice '"jid":"carol@good.test","encryption":"omemo"' 5

# a peer without any device list
"$PEER" --jid carol@good.test --password "$CAROL_PW" --ca "$TEST_CA" \
    --host 127.0.0.1 --port "$C2S_PORT" --stay --timeout 25 \
    > "$WARD_TEST_DIR/carol.out" 2>&1 &
carol=$!
sleep 1
ward_cmd alice "/msg carol@good.test plain-secret-for-carol"
check "no device list: omemo-unavailable" ward_seen_n alice '"code":"omemo-unavailable"' 2 15
check "nothing reached the server for carol" test "$(msgs_to carol@good.test)" -eq 0
check "the text never reached the server" test "$(seen_by_server plain-secret-for-carol)" -eq 0
check "nothing acknowledged" test "$(ward_count alice '"event":"acked"')" -eq 0

# a peer with an empty device list
wait "$dave"
check "dave published an empty device list" test $? -eq 0
ward_cmd alice "/msg dave@good.test secret-for-dave"
line=$(ward_wait alice '"jid":"dave@good.test","id"' 15)
check "empty device list: omemo-unavailable" test "$(json_field "$line" code)" = omemo-unavailable
check "nothing reached the server for dave" test "$(msgs_to dave@good.test)" -eq 0

# the user's explicit choice: plaintext
ward_cmd alice "/omemo off carol@good.test"
ward_cmd alice "/msg carol@good.test chosen plaintext one"
q=$(ward_wait alice '"to":"carol@good.test","encryption":"none"' 10)
check "after /omemo off: queued as plaintext" test -n "$q"
check "... and acknowledged" ward_seen alice '"event":"acked"' 10
check "carol got the plaintext" eval 'sleep 0.5; grep -q "chosen plaintext one" "$WARD_TEST_DIR/carol.out"'
check "history marks it unencrypted" \
	test "$(db "select encryption from history where body='chosen plaintext one'")" = none
# remembered across a restart
ward_stop alice
ward_start alice
check "alice back" ward_seen_n alice '"event":"connected"' 2 20
ward_cmd alice "/msg carol@good.test chosen plaintext two"
check "the choice survives a restart" ward_seen alice '"to":"carol@good.test","encryption":"none"' 10
check "carol got it" eval 'for i in $(seq 50); do grep -q "chosen plaintext two" "$WARD_TEST_DIR/carol.out" && break; sleep 0.1; done; grep -q "chosen plaintext two" "$WARD_TEST_DIR/carol.out"'
ward_cmd alice "/omemo on carol@good.test"
ward_cmd alice "/msg carol@good.test back-to-omemo-secret"
check "after /omemo on: OMEMO or nothing again" ward_seen_n alice '"code":"omemo-unavailable"' 1 15
check "the server never saw it" test "$(seen_by_server back-to-omemo-secret)" -eq 0
check "bad /omemo usage is an error" eval 'ward_cmd alice "/omemo sideways bob@good.test"; ward_seen alice "usage: /omemo" 5'

ward_stop alice
kill "$carol" 2>/dev/null; wait "$carol" 2>/dev/null
check "no sanitizer report" ward_sanitizer_clean alice
test_exit
