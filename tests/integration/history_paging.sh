#!/bin/bash
# history_paging: /history JID [BEFORE] [N] pages back through a chat and
# a room: first from ward.db after a restart (newest page first, each page
# oldest first, cursors leading down to the oldest row and then into the
# server's archive, which says there is nothing older), then, with a fresh
# data dir (nothing stored), from the server's archive (XEP-0313, RSM
# paging backwards), whose results are stored: a restart then pages them
# from ward.db in the same order. A room pages the room's archive below
# what the join's history replay stored. OMEMO messages in the archive that
# were not encrypted for this device are reported as not decryptable.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

EV() { echo "$(ward_dir "$1")/events.jsonl"; }
# page NAME N: the bodies of the history events after the (N-1)-th
# history-end and up to the N-th, space-separated
page() {
	awk -v n="$2" '/"event":"history-end"/ { seen++; next }
		seen == n - 1 && /"event":"history"/ { print }' "$(EV "$1")" |
		/usr/bin/python3 -c 'import json,sys; print(" ".join(json.loads(l)["body"] for l in sys.stdin))'
}
# end NAME N: the N-th history-end line
end() { grep -F '"event":"history-end"' "$(EV "$1")" | sed -n "$2p"; }
# ask NAME N LINE: runs a /history line and waits for its history-end
ask() {
	ward_cmd "$1" "$3"
	ward_seen_n "$1" '"event":"history-end"' "$2" 20
}

ward_setup alice alice@good.test "$ALICE_PW"
ward_start alice
check "alice connected" ward_seen alice '"event":"connected"' 20
ward_cmd alice "/omemo off carol@good.test"
check "/omemo off carol" ward_seen alice '"jid":"carol@good.test","encryption":"none"' 5

# twelve messages: six from carol (slixmpp), six from alice, interleaved
for i in 1 2 3; do
	"$PEER" --jid carol@good.test --password "$CAROL_PW" --ca "$TEST_CA" \
	    --host 127.0.0.1 --port "$C2S_PORT" \
	    --send alice@good.test "c$i-a" --send alice@good.test "c$i-b" \
	    --timeout 20 > /dev/null 2>&1
	ward_seen alice "\"body\":\"c$i-b\"" 10 || fail "carol's c$i-b arrived"
	ward_cmd alice "/msg carol@good.test a$i-a"
	ward_cmd alice "/msg carol@good.test a$i-b"
	ward_seen_n alice '"event":"acked"' $((2 * i)) 10 || fail "a$i acked"
done
# and an OMEMO chat with bob (a ward), for the archive's encrypted copies
ward_setup bob bob@good.test "$BOB_PW"
ward_start bob
check "bob connected" ward_seen bob '"event":"connected"' 20
ward_cmd alice "/msg bob@good.test omemo-hello"
check "bob got alice's OMEMO message" ward_seen bob '"body":"omemo-hello"' 20
ward_cmd bob "/msg alice@good.test omemo-secret"
check "alice got bob's OMEMO answer" ward_seen alice '"body":"omemo-secret"' 20
ward_stop bob
ward_stop alice

# ---- from ward.db, after a restart ----
ward_start alice
check "alice back" ward_seen_n alice '"event":"connected"' 2 20
ask alice 1 "/history carol@good.test 5"
check "newest page: the newest five, oldest first" \
    test "$(page alice 1)" = "a2-b c3-a c3-b a3-a a3-b"
line=$(end alice 1)
check "... from the store" test "$(json_field "$line" source)" = store
check "... not complete" test "$(json_field "$line" complete)" = False
check "... for carol" test "$(json_field "$line" with)" = carol@good.test
cur=$(json_field "$line" cursor)
check "... with a cursor" test -n "$cur"
line=$(grep -F '"body":"a3-b"' "$(EV alice)" | grep -F '"event":"history"' | head -n 1)
check "outgoing rows say so" test "$(json_field "$line" outgoing)" = True
check "... with their delivery state" test "$(json_field "$line" delivery)" = acked
check "... and the id of their queued event" \
    grep -q -F "\"event\":\"queued\",\"account\":\"alice\",\"id\":\"$(json_field "$line" id)\"" "$(EV alice)"
check "rows have a time" eval "json_field '$line' time | grep -q -E '^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{3}Z$'"
check "... and a cursor" test -n "$(json_field "$line" cursor)"
line=$(grep -F '"body":"c3-b"' "$(EV alice)" | grep -F '"event":"history"' | head -n 1)
check "received rows are not outgoing" test "$(json_field "$line" outgoing)" = False
check "... from carol" test "$(json_field "$line" from)" = carol@good.test/"$(json_field "$line" from | cut -d/ -f2)"
check "... plaintext" test "$(json_field "$line" encryption)/$(json_field "$line" trust)" = none/none

ask alice 2 "/history carol@good.test $cur 5"
check "second page: the five before" test "$(page alice 2)" = "a1-a a1-b c2-a c2-b a2-a"
cur=$(json_field "$(end alice 2)" cursor)
ask alice 3 "/history carol@good.test $cur 5"
check "third page: the oldest two (a short page)" test "$(page alice 3)" = "c1-a c1-b"
cur=$(json_field "$(end alice 3)" cursor)
ask alice 4 "/history carol@good.test $cur 5"
line=$(end alice 4)
check "below the oldest stored row the archive is asked" \
    test "$(json_field "$line" source)" = archive
check "... which has nothing older: complete" \
    test "$(json_field "$line" complete)/$(json_field "$line" cursor)" = True/
check "... and no row is shown twice" test -z "$(page alice 4)"
check "the archive query went to our own archive, with carol" \
    eval "grep -F 'RECV: <iq' '$PROSODY_LOG' | grep -F 'urn:xmpp:mam:2' | grep -q -F 'carol@good.test'"

# bad arguments
ward_cmd alice "/history carol@good.test 0"
check "N must be 1..500" ward_seen alice 'N must be 1 to 500' 5
ward_cmd alice "/history carol@good.test x123.4"
check "a made-up cursor is refused" ward_seen alice 'not a cursor' 5
ward_cmd alice "/history not@@ajid"
check "an invalid JID is refused" ward_seen alice '"code":"invalid-jid"' 5
# no JID: the pipe has no window to take one from (the UI's chat window
# puts its own in); each form says what is missing, and no page is read
ends=$(ward_count alice '"event":"history-end"')
ward_cmd alice "/history"
check "/history without a JID: an error saying to give one" \
    ward_seen_n alice '"code":"command","text":"give a JID: /history JID [BEFORE] [N]' 1 5
ward_cmd alice "/history 20"
check "... /history N (a page size, no JID) too" \
    ward_seen_n alice '"text":"give a JID: /history JID' 2 5
ward_cmd alice "/history $cur"
check "... /history CURSOR (a cursor first) too" \
    ward_seen_n alice '"text":"give a JID: /history JID' 3 5
check "... and none of them read a page" \
    test "$(ward_count alice '"event":"history-end"')" -eq "$ends"

# a message still queued (offline) ends the newest page
ward_cmd alice "/disconnect"
check "alice offline" ward_seen alice '"event":"disconnected"' 5
ward_cmd alice "/msg carol@good.test queued-one"
check "queued" ward_seen alice '"event":"queued"' 5
ask alice 5 "/history carol@good.test 3"
check "newest page offline: the stored rows, then the queued one" \
    test "$(page alice 5)" = "c3-b a3-a a3-b queued-one"
line=$(grep -F '"body":"queued-one"' "$(EV alice)" | grep -F '"event":"history"' | head -n 1)
check "... delivery queued, no cursor" \
    test "$(json_field "$line" delivery)/$(json_field "$line" cursor)" = queued/
ward_stop alice

# ---- a fresh data dir: everything from the archive ----
ward_setup alice2 alice@good.test "$ALICE_PW" "resource = fresh"
ward_start alice2
check "alice (fresh) connected" ward_seen alice2 '"event":"connected"' 20
ask alice2 1 "/history carol@good.test 5"
check "fresh: the newest five come from the archive" \
    test "$(page alice2 1)" = "a2-b c3-a c3-b a3-a a3-b"
line=$(end alice2 1)
check "... source archive" test "$(json_field "$line" source)" = archive
check "... more to come" test "$(json_field "$line" complete)" = False
cur=$(json_field "$line" cursor)
ask alice2 2 "/history carol@good.test $cur 5"
check "fresh: the five before, from the archive" \
    test "$(page alice2 2)" = "a1-a a1-b c2-a c2-b a2-a"
cur=$(json_field "$(end alice2 2)" cursor)
ask alice2 3 "/history carol@good.test $cur 5"
check "fresh: the oldest two, from the archive" test "$(page alice2 3)" = "c1-a c1-b"
check "... and the archive is complete" \
    test "$(json_field "$(end alice2 3)" complete)" = True
line=$(grep -F '"body":"a1-a"' "$(EV alice2)" | grep -F '"event":"history"' | head -n 1)
check "archived outgoing rows are outgoing" test "$(json_field "$line" outgoing)" = True
# the resource is random per login: the sender is one of alice's own
# bound JIDs (her connected events), not alice2's "fresh"
alice_jids=$(grep -F '"event":"connected"' "$(EV alice)" |
    while IFS= read -r l; do json_field "$l" jid; done)
check "... from the other resource" \
    eval 'printf "%s\n" "$alice_jids" | grep -q -x -F -e "$(json_field "$line" from)"'
# OMEMO copies in the archive were not encrypted for this new device:
# reported as not decryptable, never shown or stored as text
ask alice2 4 "/history bob@good.test 5"
check "fresh, OMEMO: bob's message reported as not decryptable" \
    ward_seen alice2 '"code":"omemo-decrypt","text":"an OMEMO message from bob@good.test/' 10
check "... no history row with its text" test "$(grep -F '"event":"history"' "$(EV alice2)" | grep -c omemo-secret)" = 0
check "... nor with alice's own" test "$(grep -F '"event":"history"' "$(EV alice2)" | grep -c omemo-hello)" = 0
check "... and the page still ends" test "$(json_field "$(end alice2 4)" with)" = bob@good.test
ward_stop alice2
ward_start alice2
check "alice (fresh) back" ward_seen_n alice2 '"event":"connected"' 2 20
ask alice2 5 "/history carol@good.test 20"
check "what the archive gave was stored, in order" \
    test "$(page alice2 5)" = "c1-a c1-b a1-a a1-b c2-a c2-b a2-a a2-b c3-a c3-b a3-a a3-b"
check "... from the store" test "$(json_field "$(end alice2 5)" source)" = store
ward_stop alice2

# ---- a room: the join's replay, then the room's archive ----
ward_start bob
check "bob connected" ward_seen_n bob '"event":"connected"' 2 20
ward_cmd bob "/join $LOBBY_ROOM/bobby"
check "bob joined" ward_seen bob '"nick":"bobby","state":"joined"' 10
for i in $(seq 1 25); do ward_cmd bob "/msg $LOBBY_ROOM r$i"; done
check "bob's 25 room messages acked" ward_seen_n bob '"event":"acked"' 25 15
ward_setup alice3 alice@good.test "$ALICE_PW" "resource = room"
ward_start alice3
check "alice (room) connected" ward_seen alice3 '"event":"connected"' 20
ward_cmd alice3 "/join $LOBBY_ROOM"
check "alice joined the room" ward_seen alice3 '"state":"joined"' 10
check "the join replayed some history" ward_seen alice3 '"body":"r25"' 10
sleep 0.5
replayed=$(ward_count alice3 '"event":"message"')
ask alice3 1 "/history $LOBBY_ROOM 100"
check "room: the replayed messages come from the store" \
    test "$(page alice3 1 | wc -w)" = "$replayed"
check "... ending with r25" test "$(page alice3 1 | awk '{print $NF}')" = r25
cur=$(json_field "$(end alice3 1)" cursor)
ask alice3 2 "/history $LOBBY_ROOM $cur 100"
want=$(seq 1 $((25 - replayed)) | sed 's/^/r/' | tr '\n' ' ' | sed 's/ $//')
check "room: the older ones from the room's archive" test "$(page alice3 2)" = "$want"
line=$(end alice3 2)
check "... source archive, complete" \
    test "$(json_field "$line" source)/$(json_field "$line" complete)" = archive/True
line=$(grep -F '"body":"r1"' "$(EV alice3)" | grep -F '"event":"history"' | head -n 1)
check "... groupchat rows from the room nick" \
    test "$(json_field "$line" type)/$(json_field "$line" from)" = "groupchat/$LOBBY_ROOM/bobby"
check "the query went to the room" \
    eval "grep -F 'RECV: <iq' '$PROSODY_LOG' | grep -F 'urn:xmpp:mam:2' | grep -q -F \"to='$LOBBY_ROOM'\""
ward_stop alice3
ward_stop bob

for w in alice alice2 alice3 bob; do
	check "$w: no sanitizer report" ward_sanitizer_clean $w
done
test_exit
