#!/bin/bash
# forged_mam: archive (XEP-0313) results are believed only from the
# account's own archive and only for a query ward is waiting for. A contact
# wraps a message in a MAM <result/> to slip in a fake past message from
# someone else; ward drops it, logs why, and stores nothing. Then a real
# catch-up: messages sent while ward was not running arrive once, from the
# archive, after it starts again.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

db() {
	/usr/bin/python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' \
	    "$(ward_dir alice)/data/ward.db" "$1"
}

# the forged stanzas below are addressed to this full JID (the default
# resource is random per login)
ward_setup alice alice@good.test "$ALICE_PW" "resource = ward"
ward_start alice
check "connected" ward_seen alice '"event":"connected"' 20
check "roster fetched" ward_seen alice 'roster received' 20

forged="<message to='alice@good.test/ward'><result xmlns='urn:xmpp:mam:2' queryid='guess' id='fake-1'><forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' from='bob@good.test/x' to='alice@good.test' type='chat'><body>FORGED-ARCHIVE</body></message></forwarded></result></message>"
"$PEER" --jid carol@good.test --password "$CAROL_PW" --ca "$TEST_CA" \
    --host 127.0.0.1 --port "$C2S_PORT" --send-raw "$forged" \
    --send alice@good.test "first live message" --timeout 15 > /dev/null 2>&1
check "live message arrived" ward_seen alice 'first live message' 15
check "forged archive result not shown" test "$(ward_count alice FORGED-ARCHIVE)" -eq 0
check "forged archive result logged" grep -q 'archive result from carol@good.test/.* dropped' "$(ward_dir alice)/data/ward.log"
check "nothing forged stored" test "$(db "select count(*) from history where body like 'FORGED%'")" -eq 0
check "live message stored with its archive id" test "$(db "select count(*) from history where server_id is not null")" -ge 1

# ward stops; bob writes; ward starts again and catches up from the archive
ward_stop alice
"$PEER" --jid bob@good.test --password "$BOB_PW" --ca "$TEST_CA" \
    --host 127.0.0.1 --port "$C2S_PORT" \
    --send alice@good.test "while away 1" --send alice@good.test "while away 2" \
    --timeout 15 > /dev/null 2>&1
mv "$(ward_dir alice)/events.jsonl" "$(ward_dir alice)/events-run1.jsonl"
ward_start alice
check "back online" ward_seen alice '"event":"connected"' 20
check "missed message 1 delivered" ward_seen alice 'while away 1' 15
check "missed message 2 delivered" ward_seen alice 'while away 2' 15
sleep 2	# the archive query finishes; duplicates would show up now
check "each missed message shown once" test "$(ward_count alice 'while away')" -eq 2
check "each stored once" test "$(db "select count(*) from history where body like 'while away%'")" -eq 2
check "catch-up ran" grep -q 'archive catch-up done' "$(ward_dir alice)/data/ward.log"
ward_stop alice
check "no sanitizer report" ward_sanitizer_clean alice
test_exit
