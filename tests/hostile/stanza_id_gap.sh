#!/bin/bash
# stanza_id_gap: a <stanza-id/> is believed only from a server that says
# in its disco#info that it stamps them (urn:xmpp:sid:0, or MAM), and the
# archive catch-up never fails silently. fakeserver.py stanza-id sends two
# messages stamped "by" the account:
#  1. its disco#info advertises neither: the ids are not stored (a made-up
#     id would become the place ward catches up from), and there is no
#     catch-up at the next login; a room's stamped message neither, when
#     the room's disco#info does not list them (and, in 2, it does);
#  2. it advertises both: the ids are stored; at the next login the archive
#     refuses the catch-up from the newest one (item-not-found): ward tries
#     again from the one before it, gets the missed message, no warning;
#  3. the archive refuses both: ward tells the user that history may have
#     a gap (error history-gap), and logs it;
#  4. the same account's server then advertises no archive at all: no
#     catch-up can run, and the user is told so too.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

db() {
	/usr/bin/python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' \
	    "$(ward_dir "$1")/data/ward.db" "$2"
}
# session NAME: one login that gets the stamped messages, then a second
run_twice() {
	local name=$1
	ward_setup "$name" alice@good.test "$ALICE_PW" "server = 127.0.0.1" "port = $FAKE_PORT"
	ward_start "$name"
	check "$name: connected" ward_seen "$name" '"event":"connected"' 20
	check "$name: stamped messages arrived" ward_seen "$name" 'after the stamped ones' 15
	ward_stop "$name"
	mv "$(ward_dir "$name")/events.jsonl" "$(ward_dir "$name")/events-1.jsonl"
	ward_start "$name"
	check "$name: connected again" ward_seen "$name" '"event":"connected"' 20
	check "$name: stamped messages again" ward_seen "$name" 'after the stamped ones' 15
}

# 1. no stanza-ids advertised
fake_start stanza-id --cert "$SERVER_CERT" --key "$SERVER_KEY" --password "$ALICE_PW" --after presence
run_twice plain
sleep 1
check "the server was asked what it does" grep -q '^DISCO ' "$FAKE_LOG"
check "stamped messages stored" test "$(db plain "select count(*) from history where body like 'STAMPED%'")" -ge 2
check "... without the ids of a server that does not stamp them" \
    test "$(db plain "select count(*) from history where server_id is not null")" -eq 0
check "... and the ignored ids are logged" \
    grep -q 'stanza-id by alice@good.test ignored' "$(ward_dir plain)/data/ward.log"
check "no catch-up from a server without an archive" test "$(grep -c '^MAM-QUERY' "$FAKE_LOG")" -eq 0
ward_cmd plain "/join lobby@rooms.good.test/alice"
check "plain: a room's stamped message arrived" ward_seen plain ROOM-STAMPED 10
check "... without the id of a room that does not say it stamps them" \
    test "$(db plain "select count(*) from history where body = 'ROOM-STAMPED' and server_id is null")" -eq 1
ward_stop plain
check "plain: no sanitizer report" ward_sanitizer_clean plain

# 2. advertised; the catch-up's anchor refused once: an older one works
fake_start stanza-id --cert "$SERVER_CERT" --key "$SERVER_KEY" --password "$ALICE_PW" \
    --after presence --archive --mam-refuse 1
run_twice rec
check "rec: stamped ids stored" \
    test "$(db rec "select group_concat(server_id) from (select server_id from history where body like 'STAMPED%' order by id)")" = sid-1,sid-2
check "rec: the missed message came from the archive" ward_seen rec RECOVERED-FROM-ARCHIVE 15
check "rec: first asked after the newest id" grep -q '^MAM-QUERY after=sid-2 n=1' "$FAKE_LOG"
check "rec: then after the one before it" grep -q '^MAM-QUERY after=sid-1 n=2' "$FAKE_LOG"
check "rec: the retry is logged" grep -q 'refused the catch-up after sid-2 (item-not-found); trying from the message before it' "$(ward_dir rec)/data/ward.log"
check "rec: no gap reported" test "$(ward_count rec history-gap)" -eq 0
ward_cmd rec "/join lobby@rooms.good.test/alice"
check "rec: a room's stamped message arrived" ward_seen rec ROOM-STAMPED 10
check "... with the id of a room that says it stamps them" \
    test "$(db rec "select server_id || '/' || server_id_by from history where body = 'ROOM-STAMPED'")" = room-sid-1/lobby@rooms.good.test
ward_stop rec
check "rec: no sanitizer report" ward_sanitizer_clean rec

# 3. both anchors refused: the user is told
fake_start stanza-id --cert "$SERVER_CERT" --key "$SERVER_KEY" --password "$ALICE_PW" \
    --after presence --archive --mam-refuse 2
run_twice gap
line=$(ward_wait gap '"code":"history-gap"' 15)
check "gap: an error history-gap event" test -n "$line"
check "... saying messages may be missing" test -n "$(json_field "$line" text | grep 'may be missing')"
check "gap: both anchors were tried" test "$(grep -c '^MAM-QUERY' "$FAKE_LOG")" -eq 2
check "gap: logged" grep -q 'archive catch-up failed (item-not-found): history may have a gap' "$(ward_dir gap)/data/ward.log"
check "gap: nothing recovered" test "$(ward_count gap RECOVERED-FROM-ARCHIVE)" -eq 0
ward_stop gap

# 4. the server no longer advertises an archive (ward has archived ids)
fake_start stanza-id --cert "$SERVER_CERT" --key "$SERVER_KEY" --password "$ALICE_PW" --after presence
ward_setup gap alice@good.test "$ALICE_PW" "server = 127.0.0.1" "port = $FAKE_PORT"
ward_start gap
check "gap, no archive now: connected" ward_seen gap '"event":"connected"' 20
line=$(ward_wait gap '"code":"history-gap"' 15)
check "gap, no archive now: told (history-gap)" test -n "$line"
check "... saying why" test -n "$(json_field "$line" text | grep 'advertises none now')"
check "gap, no archive now: nothing asked" test "$(grep -c '^MAM-QUERY' "$FAKE_LOG")" -eq 0
ward_stop gap
check "gap: no sanitizer report" ward_sanitizer_clean gap
test_exit
