#!/bin/bash
# muc_archive: a room with an archive (XEP-0313 on the room, Prosody's
# mod_muc_mam) gives its history from the archive, not <history since>:
# ward joins with <history maxstanzas='0'/> and catches up from the last
# archive id it has, after every rejoin (a ward restart, 20 server restarts),
# with every message missed once, in order, at the sender's time, and
# nothing seen before again. A first join takes the last page; /history in
# the room pages further back into the room's archive. A forged archive
# result for the room, from someone other than the room, is dropped (T51).
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

ROOM=$LOBBY_ROOM
db() {
	/usr/bin/python3 -c 'import sqlite3,sys; print(" ".join(str(r[0]) for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2])))' \
	    "$(ward_dir "$1")/data/ward.db" "$2"
}
now_ms() { date +%s%3N; }
# say N TEXT: bob says TEXT in the room and waits for its reflection
say() {
	ward_cmd bob "/msg $ROOM $1"
	ward_seen bob "\"body\":\"$1\",\"encryption\"" 10 || echo "bob's '$1' did not come back" >&2
}
newrun() { mv "$(ward_dir "$1")/events.jsonl" "$(ward_dir "$1")/events-$2.jsonl"; : > "$(ward_dir "$1")/events.jsonl"; }

ward_setup alice alice@good.test "$ALICE_PW" "resource = ward"
ward_setup bob bob@good.test "$BOB_PW"
ward_start bob
check "bob connected" ward_seen bob '"event":"connected"' 20
ward_cmd bob "/join $ROOM/bob"
check "bob joined" ward_seen bob '"nick":"bob","state":"joined"' 10
for i in $(seq 1 25); do say "early $i"; done

# a first join: the room's last page from its archive, none of the
# room's own <history/>
ward_start alice
check "alice connected" ward_seen alice '"event":"connected"' 20
ward_cmd alice "/join $ROOM/alice"
check "alice joined" ward_seen alice '"nick":"alice","state":"joined"' 10
check "the join asked the room for no history of its own" \
    test "$(prosody_count "<history maxstanzas='0'")" -ge 1
check "the last page came from the archive" ward_seen alice '"body":"early 25"' 10
sleep 1
check "... 20 messages of it" test "$(ward_count alice '"body":"early ')" -eq 20
check "... early 6 the oldest" test "$(ward_count alice '"body":"early 5"')" -eq 0
l=$(ward_wait alice '"body":"early 6"' 1)
check "... delayed, at the sender's time" test "$(json_field "$l" delayed)" = True
check "catch-up logged" grep -q "caught up from its archive" "$(ward_dir alice)/data/ward.log"

# older pages on demand: the store's 20, then the room's archive
ward_cmd alice "/history $ROOM 50"
check "/history: a page from the store" ward_seen alice '"source":"store"' 10
cur=$(json_field "$(ward_wait alice '"event":"history-end"' 5)" cursor)
ward_cmd alice "/history $ROOM $cur 50"
check "/history: the next page from the room's archive" ward_seen alice '"source":"archive"' 10
check "... with the 5 older ones" test "$(grep -F '"event":"history"' "$(ward_dir alice)/events.jsonl" | grep -c '"body":"early [1-5]"')" -eq 5
check "... stored once each" test "$(db alice "select count(*) from history where body like 'early %'")" -eq 25

# a live message, then alice goes away; what bob says meanwhile comes
# from the archive at the next start, once, in order
say "live 1"
check "alice got the live one" ward_seen alice '"body":"live 1"' 10
ward_stop alice
newrun alice 1
sent=$(now_ms)
for i in 1 2 3; do say "away $i"; sleep 1.1; done
start=$(now_ms)
ward_start alice
check "alice back" ward_seen alice '"event":"connected"' 20
check "... rejoined" ward_seen alice '"nick":"alice","state":"joined"' 10
check "... the missed messages came" ward_seen alice '"body":"away 3"' 10
sleep 1
check "... each once" test "$(ward_count alice '"body":"away ')" -eq 3
check "... nothing seen before again" test "$(ward_count alice '"body":"early ')" -eq 0 -a "$(ward_count alice '"body":"live 1"')" -eq 0
l1=$(ward_wait alice '"body":"away 1"' 1); l3=$(ward_wait alice '"body":"away 3"' 1)
check "... delayed" test "$(json_field "$l1" delayed)" = True
t1=$(json_field "$l1" ts); t3=$(json_field "$l3" ts)
check "... at the sender's time" test "${t1:-0}" -ge $((sent - 1000)) -a "${t3:-0}" -lt "$start"
check "... in order" test "${t1:-0}" -lt "${t3:-0}"
check "the history holds each once, ordered by the sender's time" \
    test "$(db alice "select body from history where body like 'away %' or body = 'live 1' order by ts, id")" = "live 1 away 1 away 2 away 3"

# a server restart: both come back; what bob says after it reaches alice
# once, live or from the catch-up, and the gap-free place stays right
prosody_stop
prosody_start || fail "prosody restart"
check "bob back after the restart" ward_seen_n bob '"event":"connected"' 2 40
check "alice back after the restart" ward_seen_n alice '"event":"connected"' 2 40
ward_seen_n bob '"nick":"bob","state":"joined"' 2 15
for i in 1 2 3; do say "restart $i"; done
check "alice rejoined" ward_seen_n alice '"nick":"alice","state":"joined"' 2 15
check "alice got what bob said after the restart" ward_seen alice '"body":"restart 3"' 15
sleep 1.5
check "... each once" test "$(ward_count alice '"body":"restart ')" -eq 3
check "... and nothing twice" test "$(ward_count alice '"body":"away ')" -eq 3
check "stored once each" test "$(db alice "select count(*) from history where peer = '$ROOM'")" -eq 32

# 19 more server restarts (20 in all): bob speaks as soon as he is back, while alice
# rejoins and catches up; every message once, in order
N=19
for i in $(seq 1 $N); do
	prosody_stop
	prosody_start || fail "prosody restart $i"
	ward_seen_n bob '"nick":"bob","state":"joined"' $((i + 2)) 30 || fail "bob rejoin $i"
	say "loop $i"
	ward_seen_n alice '"nick":"alice","state":"joined"' $((i + 2)) 30 || fail "alice rejoin $i"
done
check "after $N more restarts alice has every message" ward_seen alice "\"body\":\"loop $N\"" 15
sleep 1.5
check "... each once" test "$(ward_count alice '"body":"loop ')" -eq $N
check "... stored once each, in order" \
    test "$(db alice "select body from history where body like 'loop %' order by ts, id")" = "$(for i in $(seq 1 $N); do printf 'loop %s ' "$i"; done | sed 's/ $//')"

# a longer absence: 150 messages while away, timed
ward_stop alice
newrun alice 2
for i in $(seq 1 150); do ward_cmd bob "/msg $ROOM bulk $i"; done
ward_seen bob '"body":"bulk 150","encryption"' 60 || fail "bob's bulk"
ward_start alice
check "alice back for the bulk" ward_seen alice '"nick":"alice","state":"joined"' 20
t0=$(now_ms)
check "... the 150 missed messages came" ward_seen alice '"body":"bulk 150"' 60
echo "MEASURED: muc_archive: 150 room messages caught up from the archive in $(( $(now_ms) - t0 )) ms after the join was confirmed"
sleep 1
check "... each once" test "$(ward_count alice '"body":"bulk ')" -eq 150
check "... in order" test "$(db alice "select group_concat(body, ',') from (select body from history where body like 'bulk %' order by ts, id)")" = "$(seq -f 'bulk %g' 1 150 | paste -sd,)"

# the place is gone from the archive (expired, or not the archive's):
# said with history-gap, and the catch-up takes the archive's last page
ward_stop alice
newrun alice 3
/usr/bin/python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("update kv set value = ? where key = ?", ("no-such-archive-id", "muc-mam-last:" + sys.argv[2])); c.commit(); print(c.total_changes)' \
    "$(ward_dir alice)/data/ward.db" "$ROOM" > /dev/null
say "after the gap 1"
ward_start alice
check "an archive without our place: history-gap for the room" ward_seen alice '"code":"history-gap"' 20
l=$(ward_wait alice '"code":"history-gap"' 1)
check "... naming the room" test "$(json_field "$l" room)" = "$ROOM"
check "... and the last page came instead" ward_seen alice '"body":"after the gap 1"' 15

# a forged archive result for the room, from a contact (not the room)
q=$(grep -o "catching up $ROOM" "$(ward_dir alice)/data/ward.log" | head -1)
forged="<message to='alice@good.test/ward'><result xmlns='urn:xmpp:mam:2' queryid='x' id='forged-1'><forwarded xmlns='urn:xmpp:forward:0'><delay xmlns='urn:xmpp:delay' stamp='2001-01-01T00:00:00Z'/><message xmlns='jabber:client' from='$ROOM/bob' type='groupchat'><body>FORGED-ROOM-ARCHIVE</body></message></forwarded></result></message>"
"$PEER" --jid carol@good.test --password "$CAROL_PW" --ca "$TEST_CA" \
    --host 127.0.0.1 --port "$C2S_PORT" --send-raw "$forged" \
    --send alice@good.test "after the forgery" --timeout 15 > /dev/null 2>&1
check "a live message after it arrived" ward_seen alice 'after the forgery' 15
check "the forged room archive result is not shown" test "$(ward_count alice FORGED-ROOM-ARCHIVE)" -eq 0
check "... nor stored" test "$(db alice "select count(*) from history where body like 'FORGED%'")" -eq 0
# XEP-0421: the room stamps occupant-ids (Prosody replaces whatever the
# sender put there); a made-up one is not what ward stores
madeup="$(db alice "select occupant_id from history limit 1")x"
join="<presence to='$ROOM/mallory'><x xmlns='http://jabber.org/protocol/muc'><history maxstanzas='0'/></x></presence>"
said="<message to='$ROOM' type='groupchat' id='oid1'><body>with a made-up occupant-id</body><occupant-id xmlns='urn:xmpp:occupant-id:0' id='$madeup'/></message>"
"$PEER" --jid carol@good.test --password "$CAROL_PW" --ca "$TEST_CA" \
    --host 127.0.0.1 --port "$C2S_PORT" --send-raw "$join" --send-raw "$said" \
    --timeout 15 > /dev/null 2>&1
check "mallory's message reached alice" ward_seen alice 'with a made-up occupant-id' 15
oid=$(db alice "select occupant_id from history where body = 'with a made-up occupant-id'")
check "... stored with the room's occupant-id for mallory, not the made-up one" \
    test -n "$oid" -a "$oid" != None -a "$oid" != "$madeup"
check "... bob's messages all under one occupant-id" \
    test "$(db alice "select count(distinct occupant_id) from history where from_jid = '$ROOM/bob'")" -eq 1
ward_stop alice
ward_stop bob
check "alice: no sanitizer report" ward_sanitizer_clean alice
check "bob: no sanitizer report" ward_sanitizer_clean bob
test_exit
