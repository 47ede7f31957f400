#!/bin/bash
# muc_private: /msg ROOM/NICK is a private message to that occupant, never
# a room message: it reaches only that occupant (a third occupant's stream
# proves it got nothing), goes as type chat with the MUC user <x/>, and both
# sides store it as its own conversation (peer room/nick), reported with
# "private":true. It cannot be OMEMO (ward does not know the occupant's
# address), so it is refused until the user chose plaintext for that
# occupant with /omemo off ROOM/NICK.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

ward_setup alice alice@good.test "$ALICE_PW"
ward_setup bob bob@good.test "$BOB_PW"
ward_setup carol carol@good.test "$CAROL_PW"
for w in alice bob carol; do
	ward_start $w
	check "$w connected" ward_seen $w '"event":"connected"' 20
done
ward_cmd alice "/join $LOBBY_ROOM/alice"
ward_cmd bob "/join $LOBBY_ROOM/bobby"
ward_cmd carol "/join $LOBBY_ROOM/carol"
for w in alice bob carol; do
	check "$w joined" ward_seen $w '"state":"joined"' 10
done

# history peers of a body, from the instance's store
peers() {
	/usr/bin/python3 - "$(ward_dir "$1")/data/ward.db" "$2" <<'PY'
import sqlite3, sys
db = sqlite3.connect('file:%s?mode=ro' % sys.argv[1], uri=True)
print(' '.join(r[0] for r in db.execute(
    'SELECT peer FROM history WHERE body = ? ORDER BY id', (sys.argv[2],))))
PY
}

ward_cmd alice "/msg $LOBBY_ROOM/bobby secret one"
check "plaintext not chosen: refused with a clear error" \
    ward_seen alice '"code":"muc-pm-unencrypted"' 5
sleep 1
check "... nothing reached bob" test "$(ward_count bob 'secret one')" -eq 0
check "... nothing reached carol" test "$(ward_count carol 'secret one')" -eq 0
check "... nothing queued" test "$(ward_count alice '"event":"queued"')" -eq 0

ward_cmd alice "/omemo off $LOBBY_ROOM/bobby"
check "/omemo off ROOM/NICK: plaintext chosen for that occupant" \
    ward_seen alice "\"jid\":\"$LOBBY_ROOM/bobby\",\"encryption\":\"none\"" 5
ward_cmd alice "/msg $LOBBY_ROOM/bobby secret two"
line=$(ward_wait bob '"body":"secret two"' 10)
check "bob got the private message" test -n "$line"
check "... as a chat message" test "$(json_field "$line" type)" = chat
check "... from alice's occupant JID" test "$(json_field "$line" from)" = "$LOBBY_ROOM/alice"
check "... marked private" test "$(json_field "$line" private)" = True
check "alice's private message acknowledged" ward_seen alice '"event":"acked"' 10
sleep 1
check "carol got nothing" test "$(ward_count carol 'secret two')" -eq 0
check "the room got nothing (bob saw it once, not as groupchat)" \
    test "$(ward_count bob 'secret two')" -eq 1
check "sent with the MUC user <x/> to bobby" grep -q \
    "RECV: <message.*to='$LOBBY_ROOM/bobby'.*http://jabber.org/protocol/muc#user" "$PROSODY_LOG"
check "alice stored it under the occupant, not the room" \
    test "$(peers alice 'secret two')" = "$LOBBY_ROOM/bobby"
check "bob stored it under the occupant, not the room" \
    test "$(peers bob 'secret two')" = "$LOBBY_ROOM/alice"
# room messages still go to the room
ward_cmd alice "/msg $LOBBY_ROOM for everyone"
check "a room message still reaches carol" ward_seen carol '"body":"for everyone"' 10
for w in alice bob carol; do
	ward_stop $w
	check "$w: no sanitizer report" ward_sanitizer_clean $w
done
test_exit
