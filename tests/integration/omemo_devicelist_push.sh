#!/bin/bash
# omemo_devicelist_push: ward subscribes to the device lists it uses
# (XEP-0060 subscribe, not a +notify feature in its caps, which makes
# Prosody look up every contact's device-list node at each login), so a
# contact's new device is pushed to ward and gets the next message without
# a new fetch; ward's own list is subscribed to as well; contacts ward
# never wrote to get no subscription. The contacts are python-omemo
# devices; the server log shows what went over the wire.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
. "$(dirname "$0")/../net/omemopeer.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

NODE=eu.siacs.conversations.axolotl.devicelist
# ward's subscription requests (Prosody logs what it receives)
subscribes() { grep -F "RECV: <iq" "$PROSODY_LOG" | grep -F "<subscribe" | grep -F "node='$NODE'"; }
# device-list pushes the server sent to alice from JID $1
pushes_to_alice() {
	grep -F "SEND: <message" "$PROSODY_LOG" | grep -F "to='alice@good.test" |
		grep -F "from='$1'" | grep -F "node='$NODE'"
}
# the key ids ward's message (stanza id $1) was encrypted for
rids_of() {
	grep -F "RECV: <message" "$PROSODY_LOG" | grep -F "id='$1'" |
		grep -o "rid='[0-9]*'" | tr -dc '0-9\n' | sort -u | tr '\n' ' '
}
send_bob() {
	local n id
	n=$(ward_count alice '"event":"queued"')
	ward_cmd alice "/msg bob@good.test $1"
	ward_seen_n alice '"event":"queued"' $((n + 1)) 10
	id=$(json_field "$(grep -F '"event":"queued"' "$(ward_dir alice)/events.jsonl" | tail -n 1)" id)
	ward_seen alice "\"event\":\"acked\",\"account\":\"alice\",\"id\":\"$id\"" 10
	echo "$id"
}

ward_setup alice alice@good.test "$ALICE_PW"
ward_start alice
omemo_peer_start bob bob@good.test "$BOB_PW"
omemo_peer_start carol carol@good.test "$CAROL_PW"
check "alice connected" ward_seen alice '"event":"connected"' 20
b_dev=$(omemo_peer_field "$(omemo_peer_online bob)" device)
omemo_peer_online carol > /dev/null

# ward's answer to the server's disco#info query about its caps
ward_disco() { grep -F "RECV: <iq" "$PROSODY_LOG" | grep -F "disco#info" | grep -F "node='https://ward.invalid/caps#"; }
check "the server asked ward what its caps mean" \
	timeout 10 sh -c "until grep -F 'RECV: <iq' '$PROSODY_LOG' | grep -F 'disco#info' | grep -q -F \"node='https://ward.invalid/caps#\"; do sleep 0.05; done"
check "... and ward asks for no device-list pushes (+notify) in them (bookmarks +notify only)" \
	test "$(ward_disco | grep -c -F "devicelist+notify")" = 0 -a \
	"$(ward_disco | grep -c -F "urn:xmpp:bookmarks:1+notify")" -ge 1 -a "$(ward_disco | grep -c -F "urn:xmpp:carbons:2")" -ge 1
check "ward subscribed to its own device list" \
	timeout 10 sh -c "until grep -F 'RECV: <iq' '$PROSODY_LOG' | grep -F '<subscribe' | grep -F \"node='$NODE'\" | grep -q -v \"to='\"; do sleep 0.05; done"

id=$(send_bob "before the new device")
check "bob gets the first message" omemo_peer_seen bob '"body":"before the new device"' 10
check "ward subscribed to bob's device list once" \
	test "$(subscribes | grep -c -F "to='bob@good.test'")" = 1
check "... and the server said yes" \
	eval "grep -F 'SEND: <iq' '$PROSODY_LOG' | grep -F \"to='alice@good.test\" | grep -F \"node='$NODE'\" | grep -q -F \"subscription='subscribed'\""
check "ward never subscribed to carol's list (never used)" \
	test "$(subscribes | grep -c -F "to='carol@good.test'")" = 0

# bob's second device announces itself; ward writes no message in between
omemo_peer_start bob2 bob@good.test "$BOB_PW"
b2_dev=$(omemo_peer_field "$(omemo_peer_online bob2)" device)
check "bob2 has its own device id" test -n "$b2_dev" -a "$b2_dev" != "$b_dev"
check "the server pushed bob's new list to ward" \
	timeout 10 sh -c "until grep -F 'SEND: <message' '$PROSODY_LOG' | grep -F \"to='alice@good.test\" | grep -F \"from='bob@good.test'\" | grep -F \"node='$NODE'\" | grep -q -F \"'$b2_dev'\"; do sleep 0.05; done"
fetches_before=$(grep -F "RECV: <iq" "$PROSODY_LOG" | grep -F "to='bob@good.test'" | grep -c -F "<items node='$NODE'")
id=$(send_bob "after the new device")
check "the next message is encrypted for the new device too (keys: $(rids_of "$id"))" \
	eval "[[ ' $(rids_of "$id")' == *' $b2_dev '* && ' $(rids_of "$id")' == *' $b_dev '* ]]"
check "... learnt from the push, not from a new fetch" \
	test "$(grep -F "RECV: <iq" "$PROSODY_LOG" | grep -F "to='bob@good.test'" | grep -c -F "<items node='$NODE'")" = "$fetches_before"
check "bob2 reads it" omemo_peer_seen bob2 '"body":"after the new device"' 10

# carol publishes a new device list too: ward asked for none of it
omemo_peer_start carol2 carol@good.test "$CAROL_PW"
omemo_peer_online carol2 > /dev/null
omemo_peer_cmd bob ping
omemo_peer_seen bob '"event":"pong"' 5
check "no push of carol's list reached ward" test "$(pushes_to_alice carol@good.test | grep -c .)" = 0

ward_stop alice
check "ward exits clean under the sanitizers" ward_sanitizer_clean alice
for p in bob bob2 carol carol2; do omemo_peer_stop "$p"; done
test_exit
