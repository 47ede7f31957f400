#!/bin/bash
# forged_history: a /history page from the server's archive (XEP-0313) is
# believed only from the archive asked (our own account for a chat, the
# room's bare JID for a room), only about the conversation asked for, only
# as many results as asked; a time in the future cannot lift an archived
# message above the newest. A fake server answers the archive queries with
# such forgeries around real results: only the real ones are shown and
# stored.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

db() {
	/usr/bin/python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' \
	    "$(ward_dir alice)/data/ward.db" "$1"
}
hist() { grep -F '"event":"history"' "$(ward_dir alice)/events.jsonl"; }

fake_start mam-history-forged --cert "$SERVER_CERT" --key "$SERVER_KEY" --password "$ALICE_PW"
ward_setup alice alice@good.test "$ALICE_PW" "server = 127.0.0.1" "port = $FAKE_PORT"
ward_start alice
check "connected" ward_seen alice '"event":"connected"' 20

ward_cmd alice "/history bob@good.test 3"
line=$(ward_wait alice '"event":"history-end"' 10)
check "the archive page ended" test -n "$line"
check "... from the archive, complete" \
    test "$(json_field "$line" source)/$(json_field "$line" complete)" = archive/True
check "a result from bob (not our archive) is dropped" test "$(hist | grep -c FORGED-FROM-BOB)" -eq 0
check "... and logged" grep -q 'archive result from bob@good.test/x dropped' "$(ward_dir alice)/data/ward.log"
check "a result about another chat is dropped" test "$(hist | grep -c FORGED-OTHER-CHAT)" -eq 0
check "a real result from our bare JID is shown" test "$(hist | grep -c LEGIT-OLD)" -eq 1
check "a real result without from is shown" test "$(hist | grep -c LEGIT-FUTURE)" -eq 1
check "no more results than asked for" test "$(hist | grep -c EXTRA-BEYOND-MAX)" -eq 0
line=$(hist | grep -F LEGIT-OLD)
check "... with the archive's time" test "$(json_field "$line" time)" = 2020-01-01T00:00:02.000Z
now=$(( $(date +%s) * 1000 + 5000 ))
line=$(hist | grep -F LEGIT-FUTURE)
check "a time in the future is not believed" test "$(json_field "$line" ts)" -le "$now"
check "nothing forged stored" test "$(db "select count(*) from history where body like 'FORGED%' or body like 'EXTRA%'")" -eq 0
check "the real ones stored once, with their archive id" \
    test "$(db "select count(*) from history where server_id in ('c-3','c-4') and server_id_by = 'alice@good.test'")" -eq 2

ward_cmd alice "/join lobby@rooms.good.test/alice"
check "joined the (fake) room" ward_seen alice '"state":"joined"' 10
ward_cmd alice "/history lobby@rooms.good.test 5"
check "room page ended" ward_seen_n alice '"event":"history-end"' 2 10
check "room: a result from our own JID (not the room's archive) is dropped" \
    test "$(hist | grep -c FORGED-ROOM-FROM-OWN)" -eq 0
check "room: a result from another room is dropped" test "$(hist | grep -c FORGED-ROOM-OTHER)" -eq 0
line=$(hist | grep -F LEGIT-ROOM)
check "room: the real one is shown" test -n "$line"
check "... as groupchat from the room nick" \
    test "$(json_field "$line" type)/$(json_field "$line" from)" = groupchat/lobby@rooms.good.test/carol
check "the archive query went to the room" grep -q 'SENT mam-history-forged to=lobby@rooms.good.test' "$FAKE_LOG"
check "room: nothing forged stored" test "$(db "select count(*) from history where body like 'FORGED-ROOM%'")" -eq 0
ward_stop alice
check "no sanitizer report" ward_sanitizer_clean alice
test_exit
