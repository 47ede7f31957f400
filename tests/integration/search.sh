#!/bin/bash
# search: /search TEXT [in JID] over every stored message (SQLite FTS5).
# bob and carol (slixmpp) write to alice; alice writes back. /search finds
# a word in any conversation, newest first, ignoring case and accents;
# "in JID" keeps to one conversation; FTS5 syntax is text; a result's
# context cursor gives the /history page that ends with it. After a
# restart, offline, the same search finds the same rows, and /history
# still pages the chat.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

EV() { echo "$(ward_dir alice)/events.jsonl"; }
# results N: the bodies of the search-result events before the N-th
# search-end and after the one before it, one a line
results() {
	awk -v n="$1" '/"event":"search-end"/ { seen++; next }
		seen == n - 1 && /"event":"search-result"/ { print }' "$(EV)" |
		/usr/bin/python3 -c 'import json,sys; [print(json.loads(l)["body"]) for l in sys.stdin]'
}
search() {	# search N LINE: runs /search, waits for the N-th search-end
	ward_cmd alice "/search $2"
	ward_seen_n alice '"event":"search-end"' "$1" 10
}

ward_setup alice alice@good.test "$ALICE_PW"
ward_start alice
check "alice connected" ward_seen alice '"event":"connected"' 20
ward_cmd alice "/omemo off bob@good.test"
ward_cmd alice "/omemo off carol@good.test"
"$PEER" --jid bob@good.test --password "$BOB_PW" --ca "$TEST_CA" \
    --host 127.0.0.1 --port "$C2S_PORT" \
    --send alice@good.test "Lunch at the Café tomorrow?" \
    --send alice@good.test "the station at half past twelve" \
    --send alice@good.test 'say "NEAR(" OR body:x' --timeout 20 > /dev/null 2>&1
check "bob's messages arrived" ward_seen alice 'body:x' 15
"$PEER" --jid carol@good.test --password "$CAROL_PW" --ca "$TEST_CA" \
    --host 127.0.0.1 --port "$C2S_PORT" \
    --send alice@good.test "lunch was good, thanks" --timeout 20 > /dev/null 2>&1
check "carol's message arrived" ward_seen alice 'lunch was good' 15
ward_cmd alice "/msg bob@good.test see you at lunch then"
check "alice's answer acked" ward_seen alice '"event":"acked"' 10

check "search ended" search 1 "LUNCH"
check "a word in every conversation, newest first, sent ones too" \
    test "$(results 1 | tr '\n' '|')" = "see you at lunch then|lunch was good, thanks|Lunch at the Café tomorrow?|"
end=$(grep -F '"event":"search-end"' "$(EV)" | sed -n 1p)
check "search-end counts them" test "$(json_field "$end" count)/$(json_field "$end" more)" = 3/False
check "accents ignored" search 2 "cafe"
check "... found" test "$(results 2)" = "Lunch at the Café tomorrow?"
check "in JID: one conversation" search 3 "lunch in carol@good.test"
check "... only carol's" test "$(results 3)" = "lunch was good, thanks"
end=$(grep -F '"event":"search-end"' "$(EV)" | sed -n 3p)
check "... search-end says which" test "$(json_field "$end" with)/$(json_field "$end" text)" = carol@good.test/lunch
check "prefix" search 4 "stat*"
check "... found" test "$(results 4)" = "the station at half past twelve"
check "FTS5 syntax is text" search 5 '"NEAR(" OR body:x'
check "... the message holding it found" test "$(results 5)" = 'say "NEAR(" OR body:x'
check "no error from it" test "$(ward_count alice '"event":"error"')" -eq 0
check "nothing found" search 6 "zebracorn"
check "... zero results" test -z "$(results 6)"

# the hit's context: the /history page that ends with it
hit=$(grep -F '"event":"search-result"' "$(EV)" | grep -F 'Café' | head -n 1)
ctx=$(json_field "$hit" context)
check "a result has a context cursor" test -n "$ctx"
ward_cmd alice "/history bob@good.test $ctx 5"
check "the context page ended" ward_seen alice '"event":"history-end"' 10
last=$(grep -F '"event":"history"' "$(EV)" | tail -n 1)
check "... and ends with the hit" test "$(json_field "$last" body)" = "Lunch at the Café tomorrow?"

ward_cmd alice "/search lunch in @good.test"
check "a search in a JID that is none is refused" ward_seen alice 'not a valid JID after' 5
ward_cmd alice "/search 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17"
check "more than 16 words refused" ward_seen alice 'at most 16 words' 5
ward_stop alice

# offline (no server), after a restart: the same rows, /history still pages
mv "$(EV)" "$(ward_dir alice)/events-run1.jsonl"
ward_setup alice alice@good.test "$ALICE_PW" "server = 127.0.0.1" "port = 1"
ward_start alice
check "offline search ended" search 1 "lunch"
check "... same rows" test "$(results 1 | wc -l)" -eq 3
ward_cmd alice "/history bob@good.test 10"
check "/history still pages the chat" ward_seen alice '"event":"history-end"' 10
check "... with every message" test "$(grep -cF '"event":"history","account":"alice","with":"bob@good.test"' "$(EV)")" -eq 4
ward_stop alice
check "no sanitizer report" ward_sanitizer_clean alice
test_exit
