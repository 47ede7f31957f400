#!/bin/bash
# muc_occupant_id: XEP-0421 on Prosody 13, whose rooms stamp every message
# with the sender's occupant-id. ward stores it with each room message
# (ties messages to occupants across nick changes) and knows its own
# messages by it: the room's archive holds a message by an earlier holder
# of the nick ward now has, shown and stored as someone else's; ward's own
# reflected message counts as sent, once.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
. "$(dirname "$0")/../net/prosody13.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap 'st=$?; cbprosody_stop; (exit $st); testnet_down' EXIT

export CBP_ROOMS=1
cbprosody_start 13 1.3 || { fail "prosody 13 with rooms"; test_exit; }
cbprosody_register bob "$BOB_PW" || fail "register bob"
ROOM=oid@rooms.good.test
db() {
	/usr/bin/python3 -c 'import sqlite3,sys; print(" ".join(str(r[0]) for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2])))' \
	    "$(ward_dir "$1")/data/ward.db" "$2"
}

ward_setup alice alice@good.test "$ALICE_PW" "server = 127.0.0.1" "port = $CBP_PORT"
ward_setup bob bob@good.test "$BOB_PW" "server = 127.0.0.1" "port = $CBP_PORT"
ward_start bob
check "bob connected" ward_seen bob '"event":"connected"' 20
ward_cmd bob "/join $ROOM/sam"
# a room that does not exist yet cannot say whether it is anonymous
check "bob is asked about the new room" ward_seen bob '"kind":"muc-nonanonymous"' 10
ward_cmd bob "/accept 1"
check "bob joined as sam" ward_seen bob '"nick":"sam","state":"joined"' 10
check "the room advertises occupant-id" test "$(cbprosody_count "urn:xmpp:occupant-id:0")" -ge 1
ward_cmd bob "/msg $ROOM said by the earlier sam"
l=$(ward_wait bob '"body":"said by the earlier sam","encryption"' 10)
check "bob's reflection is his (by his occupant-id)" test "$(json_field "$l" outgoing)" = True
ward_cmd bob "/leave $ROOM"
check "bob left" ward_seen bob '"state":"left"' 10
ward_cmd bob "/join $ROOM/bobby"
check "bob is back as bobby" ward_seen bob '"nick":"bobby","state":"joined"' 10

ward_start alice
check "alice connected" ward_seen alice '"event":"connected"' 20
ward_cmd alice "/join $ROOM/sam"
check "alice joined as sam" ward_seen alice '"nick":"sam","state":"joined"' 10
l=$(ward_wait alice '"body":"said by the earlier sam"' 10)
check "the archive's message by the earlier sam reached alice" test -n "$l"
check "... not shown as hers" test -z "$(json_field "$l" outgoing)"
check "... stored as received" test "$(db alice "select direction from history where body = 'said by the earlier sam'")" = in
bob_oid=$(db alice "select occupant_id from history where body = 'said by the earlier sam'")
check "... with the sender's occupant-id" test -n "$bob_oid" -a "$bob_oid" != None
ward_cmd alice "/msg $ROOM said by alice as sam"
l=$(ward_wait alice '"body":"said by alice as sam","encryption"' 10)
check "alice's reflection is hers" test "$(json_field "$l" outgoing)" = True
sleep 0.5
check "... shown once" test "$(ward_count alice '"body":"said by alice as sam","encryption"')" -eq 1
alice_oid=$(db alice "select occupant_id from history where body = 'said by alice as sam'")
check "... stored with her own occupant-id" test -n "$alice_oid" -a "$alice_oid" != None -a "$alice_oid" != "$bob_oid"
ward_cmd bob "/msg $ROOM said by bobby"
l=$(ward_wait alice '"body":"said by bobby"' 10)
check "bobby's message reached alice" test -n "$l"
check "... its event names the occupant-id" test "$(json_field "$l" occupant_id)" = "$bob_oid"
check "... with the same occupant-id as sam's earlier one (one occupant)" \
    test "$(db alice "select occupant_id from history where body = 'said by bobby'")" = "$bob_oid"
check "alice's view of bob's id is the one bob's own ward stored" \
    test "$(db bob "select occupant_id from history where body = 'said by bobby'")" = "$bob_oid"
ward_stop alice
ward_stop bob
check "alice: no sanitizer report" ward_sanitizer_clean alice
check "bob: no sanitizer report" ward_sanitizer_clean bob
test_exit
