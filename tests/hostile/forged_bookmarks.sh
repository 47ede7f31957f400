#!/bin/bash
# forged_bookmarks: XEP-0402 bookmark pushes are believed only from the
# account's own bare JID (T52): an autojoin bookmark slipped in would make
# ward join a room the attacker watches. A stranger's message dressed as a
# push (from its full JID: the pubsub#event row drops it) and a contact's
# real push of its own bookmarks node (from its bare JID, reaching ward
# through PEP because ward asks for bookmarks +notify: the node's row
# drops it) are logged and change nothing: no bookmark, no join.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT
prosody_roster_mutual alice carol || fail "rosters"

NS=urn:xmpp:bookmarks:1
ward_seen_log() {
	local i
	for i in $(seq 1 200); do
		grep -qF -- "$2" "$(ward_dir "$1")/data/ward.log" && return 0
		sleep 0.05
	done
	return 1
}
publish() { # publish ROOM ACCESS: a raw XEP-0402 publish (autojoin)
	echo "<iq type='set' id='pub$RANDOM'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='$NS'><item id='$1'><conference xmlns='$NS' autojoin='true'><nick>x</nick></conference></item></publish><publish-options><x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'><value>http://jabber.org/protocol/pubsub#publish-options</value></field><field var='pubsub#access_model'><value>$2</value></field></x></publish-options></pubsub></iq>"
}

ward_setup alice alice@good.test "$ALICE_PW" "resource = ward"
ward_start alice
check "alice connected" ward_seen alice '"event":"connected"' 20
check "roster fetched" ward_seen alice 'roster received' 20
sleep 1
# forged: a stranger's message dressed as a bookmarks push, and a
# contact's real push of its own bookmarks (PEP, to our +notify)
forged="<message to='alice@good.test/ward'><event xmlns='http://jabber.org/protocol/pubsub#event'><items node='$NS'><item id='trap@rooms.good.test'><conference xmlns='$NS' autojoin='true'><nick>x</nick></conference></item></items></event></message>"
"$PEER" --jid dave@good.test --password "$DAVE_PW" --ca "$TEST_CA" \
    --host 127.0.0.1 --port "$C2S_PORT" --send-raw "$forged" \
    --send alice@good.test "after the forged push" --timeout 15 > /dev/null 2>&1
check "a live message after the forged push arrived" ward_seen alice 'after the forged push' 15
check "... the forged push was dropped by its row" ward_seen_log alice 'PEP push from dave@good.test/'
"$PEER" --jid carol@good.test --password "$CAROL_PW" --ca "$TEST_CA" \
    --host 127.0.0.1 --port "$C2S_PORT" --send-raw "$(publish carols@rooms.good.test presence)" \
    --timeout 15 > /dev/null 2>&1
check "carol's own bookmarks push reached ward and was dropped (only our own bare JID)" \
    ward_seen_log alice 'bookmarks push from carol@good.test dropped'
check "... no forged bookmark listed" test "$(ward_count alice 'trap@rooms')" -eq 0 -a "$(ward_count alice 'carols@rooms')" -eq 0
check "... no room joined by it" test "$(prosody_count "to='(trap|carols)@rooms.good.test")" -eq 0
# the account's own push does take effect (the rule is not "nobody")
"$PEER" --jid alice@good.test/other --password "$ALICE_PW" --ca "$TEST_CA" \
    --host 127.0.0.1 --port "$C2S_PORT" --send-raw "$(publish "$LOBBY_ROOM" whitelist)" \
    --timeout 15 > /dev/null 2>&1
check "our own account's push is taken" ward_seen alice "\"jid\":\"$LOBBY_ROOM\"" 10
ward_stop alice
check "no sanitizer report" ward_sanitizer_clean alice
test_exit
