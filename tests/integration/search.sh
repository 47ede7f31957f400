#!/bin/bash
# search: /search TEXT finds the current account's stored messages in
# every conversation (received, sent, OMEMO decrypted), newest first, ASCII
# case folded, as search events and a search-end with the count; a match's
# cursor pages /history back from it; LIKE's wildcards are plain text; an
# empty search is refused; nothing is asked of the server (works offline).
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

EV() { echo "$(ward_dir "$1")/events.jsonl"; }
# found NAME N: the bodies of the search events of the N-th search
found() {
	awk -v n="$2" '/"event":"search-end"/ { seen++; next }
		seen == n - 1 && /"event":"search"/ { print }' "$(EV "$1")" |
		/usr/bin/python3 -c 'import json,sys; print("|".join(json.loads(l)["body"] for l in sys.stdin))'
}
end() { grep -F '"event":"search-end"' "$(EV "$1")" | sed -n "$2p"; }

ward_setup alice alice@good.test "$ALICE_PW"
ward_setup bob bob@good.test "$BOB_PW"
ward_start alice
ward_start bob
check "alice connected" ward_seen alice '"event":"connected"' 30
check "bob connected" ward_seen bob '"event":"connected"' 30

ward_cmd bob "/msg alice@good.test The Meeting is at noon"
check "alice got bob's first" ward_seen alice 'The Meeting is at noon' 20
ward_cmd alice "/msg bob@good.test which meeting?"
check "bob got alice's" ward_seen bob 'which meeting?' 20
check "alice's acked" ward_seen alice '"event":"acked"' 20
ward_cmd bob "/msg alice@good.test 100% sure_x, MEETING room 4"
check "alice got bob's second" ward_seen alice 'MEETING room 4' 20
ward_cmd bob "/msg alice@good.test unrelated"
check "alice got bob's third" ward_seen alice '"body":"unrelated"' 20
sleep 1

ward_cmd alice "/search meeting"
check "a search-end came" ward_seen_n alice '"event":"search-end"' 1 10
check "three matches, newest first, either case, sent and received" \
    test "$(found alice 1)" = '100% sure_x, MEETING room 4|which meeting?|The Meeting is at noon'
line=$(end alice 1)
check "search-end counts them" test "$(json_field "$line" count)" = 3
check "... and says there are no more" test "$(json_field "$line" more)" = False
line=$(grep -F '"event":"search"' "$(EV alice)" | head -n 1)
check "a match says its conversation" test "$(json_field "$line" with)" = bob@good.test
check "... how it travelled (OMEMO, decrypted when received)" test "$(json_field "$line" encryption)" = omemo
cursor=$(json_field "$line" cursor)
check "... and has a cursor" test -n "$cursor"
ward_cmd alice "/history bob@good.test $cursor 2"
check "its cursor pages /history back from it" ward_seen alice '"event":"history-end"' 10
hist=$(grep -F '"event":"history"' "$(EV alice)" | /usr/bin/python3 -c 'import json,sys; print("|".join(json.loads(l)["body"] for l in sys.stdin))')
check "... giving the two messages before the match" test "$hist" = 'The Meeting is at noon|which meeting?'

ward_cmd alice "/search %"
check "second search done" ward_seen_n alice '"event":"search-end"' 2 10
check "% is plain text, not a wildcard" test "$(found alice 2)" = '100% sure_x, MEETING room 4'
ward_cmd alice "/search no such words"
check "third search done" ward_seen_n alice '"event":"search-end"' 3 10
check "no match: count 0" test "$(json_field "$(end alice 3)" count)" = 0
n=$(ward_count alice '"event":"search-end"')
ward_cmd alice "/search"
check "an empty /search is refused" ward_seen alice '"code":"command"' 10
sleep 1
check "... with no search-end" test "$(ward_count alice '"event":"search-end"')" -eq "$n"

# offline: only ward.db is searched
ward_cmd alice "/disconnect"
check "alice offline" ward_seen alice '"event":"disconnected"' 10
ward_cmd alice "/search noon"
check "offline search done" ward_seen_n alice '"event":"search-end"' 4 10
check "offline it finds the stored message" test "$(found alice 4)" = 'The Meeting is at noon'

ward_cmd bob "/search MEETING"
check "bob's search done" ward_seen bob '"event":"search-end"' 10
check "bob finds the three in his store" test "$(json_field "$(grep -F '"event":"search-end"' "$(EV bob)" | head -n 1)" count)" = 3

ward_stop alice
ward_stop bob
check "alice: no sanitizer report" ward_sanitizer_clean alice
test_exit
