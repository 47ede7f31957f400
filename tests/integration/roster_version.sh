#!/bin/bash
# roster_version: ward keeps the roster with the server's version of it
# (RFC 6121 2.6). A login with an unchanged roster gets no item from the
# server and reports the stored copy; a roster changed while ward was away
# comes in full and replaces it (a removed contact is gone from the next
# cached login too); a push while online is stored with its version. The
# roster is written into Prosody's storage while alice is offline
# (bench/provision.py); the server log shows what went over the wire.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
. "$(dirname "$0")/../net/omemopeer.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

HOST_DATA="$PROSODY_DIR/data/good%2etest"
# provision VERSION ITEMS-JSON: alice's roster in the server's storage
provision() {
	printf '{"domain": "good.test", "accounts": [], "rosters": {"alice": %s}, "roster_versions": {"alice": %s}}\n' \
		"$2" "$1" > "$WARD_TEST_DIR/roster-spec.json"
	/usr/bin/python3 "$(dirname "$0")/../../bench/provision.py" "$PROSODY_DIR/data" \
		"$HOST_DATA/accounts/alice.dat" "$WARD_TEST_DIR/roster-spec.json" > /dev/null
}
# ward's roster requests, as the server received them
requests() { grep -F "RECV: <iq" "$PROSODY_LOG" | grep -F "jabber:iq:roster" | grep -F "type='get'"; }
# the JIDs of the roster events of login N (not pushes: the events after
# the (N-1)-th "roster received" and up to the N-th), sorted
login_jids() {
	awk -v n="$1" '/"text":"roster received"/ { seen++; next }
		seen == n - 1 && /"event":"roster"/ && /"push":false/ { print }' "$(ward_dir alice)/events.jsonl" |
		grep -o '"jid":"[^"]*"' | cut -d'"' -f4 | sort | tr '\n' ' '
}
received() { grep -F '"text":"roster received"' "$(ward_dir alice)/events.jsonl" | sed -n "$1p"; }
login() {
	ward_start alice
	ward_seen_n alice '"text":"roster received"' "$1" 20
}

ward_setup alice alice@good.test "$ALICE_PW"
provision 7 '[["bob", "both", "Bob"], ["carol", "to", null], ["dave", "none", "Dave"]]'

check "first login: the roster arrives" login 1
check "... in full (3 items, not from the store)" \
	test "$(json_field "$(received 1)" contacts)/$(json_field "$(received 1)" cached)" = "3/False"
check "... asked for with an empty version" test "$(requests | grep -c -F "ver=''")" = 1
check "... bob, carol and dave" test "$(login_jids 1)" = "bob@good.test carol@good.test dave@good.test "
ward_stop alice

check "second login: the roster arrives" login 2
check "... asked for with version 7" test "$(requests | grep -c -F "ver='7'")" = 1
id=$(requests | grep -F "ver='7'" | grep -o " id='[^']*'" | head -n 1 | cut -d"'" -f2)
check "... the server sent no item back" \
	eval "grep -F 'SEND: <iq' '$PROSODY_LOG' | grep -F \"id='$id'\" | grep -q -v -F '<query'"
check "... so it came from the store (3 items, cached)" \
	test "$(json_field "$(received 2)" contacts)/$(json_field "$(received 2)" cached)" = "3/True"
check "... the same three contacts" test "$(login_jids 2)" = "bob@good.test carol@good.test dave@good.test "
check "... with their names and subscriptions" \
	grep -q -F '"jid":"dave@good.test","name":"Dave","subscription":"none","push":false' "$(ward_dir alice)/events.jsonl"
ward_stop alice

# bob removed and erin added while ward is away
provision 8 '[["carol", "to", null], ["dave", "none", "Dave"], ["erin", "both", "Erin"]]'
check "third login: the changed roster comes in full" login 3
check "... (not from the store)" test "$(json_field "$(received 3)" cached)" = False
check "... without bob, with erin" test "$(login_jids 3)" = "carol@good.test dave@good.test erin@good.test "
ward_stop alice
check "fourth login: from the store again" login 4
check "... asked for with version 8" test "$(requests | grep -c -F "ver='8'")" = 1
check "... cached, and bob is gone from the store" \
	test "$(json_field "$(received 4)" cached)/$(login_jids 4)" = "True/carol@good.test dave@good.test erin@good.test "

# a push while online: another resource of alice asks frank for his presence
omemo_peer_start alice2 alice@good.test "$ALICE_PW"
omemo_peer_online alice2 > /dev/null
omemo_peer_cmd alice2 "subscribe frank@good.test"
check "the push reaches ward" \
	ward_seen alice '"jid":"frank@good.test","name":null,"subscription":"none","push":true' 10
omemo_peer_stop alice2
ward_stop alice
pushed_ver=$(grep -F "SEND: <iq" "$PROSODY_LOG" | grep -F "jabber:iq:roster" | grep -F "frank@good.test" |
	grep -o "ver='[^']*'" | tail -n 1 | cut -d"'" -f2)
check "the push carried a new version" test -n "$pushed_ver" -a "$pushed_ver" != 8
check "fifth login: asked for with the pushed version" login 5
check "... sent as $pushed_ver" test "$(requests | grep -c -F "ver='$pushed_ver'")" = 1
check "... cached, frank included" \
	test "$(json_field "$(received 5)" cached)/$(login_jids 5)" = "True/carol@good.test dave@good.test erin@good.test frank@good.test "
ward_stop alice
check "ward exits clean under the sanitizers" ward_sanitizer_clean alice
test_exit
