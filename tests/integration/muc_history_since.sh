#!/bin/bash
# muc_history_since: a room without an archive (no urn:xmpp:mam:2 in its
# disco#info; Prosody 13 without mod_muc_mam) keeps XEP-0045 join history:
# the rejoin asks for <history since='the last message stored'/> and no
# archive query goes to the room; what was said while away arrives once,
# at the time the room stamped (its <delay from='ROOM'/>, believed only
# during the join, before the subject), in order.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
. "$(dirname "$0")/../net/prosody13.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap 'st=$?; cbprosody_stop; (exit $st); testnet_down' EXIT

export CBP_ROOMS=1 CBP_ROOM_MAM=0
cbprosody_start 13 1.3 || { fail "prosody 13 with rooms"; test_exit; }
cbprosody_register bob "$BOB_PW" || fail "register bob"
ROOM=plain@rooms.good.test
db() {
	/usr/bin/python3 -c 'import sqlite3,sys; print(" ".join(str(r[0]) for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2])))' \
	    "$(ward_dir "$1")/data/ward.db" "$2"
}
now_ms() { date +%s%3N; }
say() {
	ward_cmd bob "/msg $ROOM $1"
	ward_seen bob "\"body\":\"$1\",\"encryption\"" 10 || echo "bob's '$1' did not come back" >&2
}

ward_setup alice alice@good.test "$ALICE_PW" "server = 127.0.0.1" "port = $CBP_PORT" "resource = ward"
ward_setup bob bob@good.test "$BOB_PW" "server = 127.0.0.1" "port = $CBP_PORT"
ward_start bob
check "bob connected" ward_seen bob '"event":"connected"' 20
ward_cmd bob "/join $ROOM/bob"
check "bob is asked about the new room" ward_seen bob '"kind":"muc-nonanonymous"' 10
ward_cmd bob "/accept 1"
check "bob joined" ward_seen bob '"nick":"bob","state":"joined"' 10
ward_start alice
check "alice connected" ward_seen alice '"event":"connected"' 20
ward_cmd alice "/join $ROOM/alice"
check "alice joined" ward_seen alice '"nick":"alice","state":"joined"' 10
say "before"
check "alice got it live" ward_seen alice '"body":"before"' 10
ward_stop alice
mv "$(ward_dir alice)/events.jsonl" "$(ward_dir alice)/events-1.jsonl"
sent=$(now_ms)
say "away 1"; sleep 1.1; say "away 2"; sleep 1.1
start=$(now_ms)
ward_start alice
check "alice back" ward_seen alice '"nick":"alice","state":"joined"' 20
check "the rejoin asked for the history since the last message" \
    test "$(cbprosody_count "<history since='")" -ge 1
l1=$(ward_wait alice '"body":"away 1"' 10); l2=$(ward_wait alice '"body":"away 2"' 10)
check "what was said while away came" test -n "$l1" -a -n "$l2"
check "... delayed, at the room's time" test "$(json_field "$l1" delayed)" = True -a "$(json_field "$l1" ts)" -ge $((sent - 1000)) -a "$(json_field "$l2" ts)" -lt "$start"
check "... in order" test "$(json_field "$l1" ts)" -lt "$(json_field "$l2" ts)"
sleep 1
check "... once each, and not what alice had" test "$(ward_count alice '"body":"away ')" -eq 2 -a "$(ward_count alice '"body":"before"')" -eq 0
check "no archive query went to the room" \
    test "$(grep -F 'RECV: <iq' "$CBP_LOG" | grep -F "to='$ROOM'" | grep -c -F 'urn:xmpp:mam:2')" -eq 0
say "live after"
l=$(ward_wait alice '"body":"live after"' 10)
check "a live message after the join is not delayed" test "$(json_field "$l" delayed)" = False
check "stored in order" test "$(db alice "select body from history where peer = '$ROOM' order by ts, id")" = "before away 1 away 2 live after"
ward_stop alice
ward_stop bob
check "alice: no sanitizer report" ward_sanitizer_clean alice
check "bob: no sanitizer report" ward_sanitizer_clean bob
test_exit
