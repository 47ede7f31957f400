#!/bin/bash
# contacts_stranger: issue 14 parts 1-3 against the loopback Prosody with
# independent slixmpp peers (tests/net/omemo_peer.py). The default resource
# is random, new at each login; a stranger's ping, disco#info and version
# queries get service-unavailable while a contact's are answered; /add asks
# the peer for its presence and the roster push carries name and group;
# /rename, /group, /remove round trip; an incoming subscription request is
# a `subscription` prompt, never answered by itself, answered both ways;
# /status is seen by a contact with its text. Prosody's log shows what went
# over the wire.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
. "$(dirname "$0")/../net/omemopeer.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

EV() { echo "$(ward_dir alice)/events.jsonl"; }
# ward's answer (result or error) with id ID as Prosody received it
from_ward() { grep -F "RECV: <$1" "$PROSODY_LOG" | grep -F "id='$2'" | grep -E "type='(result|error)'" | head -n 1; }
# wait up to 10 s for ward's answer to id ID
answer() {
	local i
	for i in $(seq 1 200); do
		[ -n "$(from_ward iq "$1")" ] && { from_ward iq "$1"; return 0; }
		sleep 0.05
	done
	return 1
}
unavailable() { answer "$1" | grep -q "type='error'.*service-unavailable"; }
answered() { answer "$1" | grep -q "type='result'"; }
connected_jid() { grep -F '"event":"connected"' "$(EV)" | sed -n "$1p" | grep -o '"jid":"[^"]*"' | cut -d'"' -f4; }

ward_setup alice alice@good.test "$ALICE_PW"
ward_start alice
check "first login" ward_seen alice '"event":"connected"' 20
ward_seen alice '"text":"roster received"' 20
R1=$(connected_jid 1)
check "the default resource is not 'ward' ($R1)" \
	eval 'case $R1 in alice@good.test/ward|alice@good.test/|"") false ;; alice@good.test/*) true ;; *) false ;; esac'
ward_stop alice
ward_start alice
ward_seen_n alice '"event":"connected"' 2 20
ward_seen_n alice '"text":"roster received"' 2 20
R2=$(connected_jid 2)
check "a second login has another resource ($R2)" test -n "$R2" -a "$R1" != "$R2"

# bob: a stranger to alice
omemo_peer_start bob bob@good.test "$BOB_PW"
omemo_peer_online bob > /dev/null
q() { omemo_peer_cmd bob "sendraw <iq type='get' to='$R2' id='$1'>$2</iq>"; }
q s-ping "<ping xmlns='urn:xmpp:ping'/>"
q s-disco "<query xmlns='http://jabber.org/protocol/disco#info'/>"
q s-version "<query xmlns='jabber:iq:version'/>"
q s-time "<time xmlns='urn:xmpp:time'/>"
check "a stranger's ping: service-unavailable" unavailable s-ping
check "a stranger's disco#info: service-unavailable" unavailable s-disco
check "a stranger's version query: service-unavailable" unavailable s-version
check "a stranger's time query: service-unavailable" unavailable s-time

# /add: bob is asked; the push carries the name and the group
ward_cmd alice "/add bob@good.test Bobby Friends"
check "/add: the roster push with name and group" \
	ward_seen alice '"jid":"bob@good.test","name":"Bobby","subscription":"none","push":true,"groups":"Friends"' 10
# the roster push can come back before Prosody has logged the presence
# that follows it: the log is read until it has it (10 s)
subscribe_logged() {
	local i
	for i in $(seq 1 50); do
		grep -F 'RECV: <presence' "$PROSODY_LOG" | grep -F "to='bob@good.test'" |
			grep -q "type='subscribe'" && return 0
		sleep 0.2
	done
	return 1
}
check "/add: bob's server got alice's subscription request" subscribe_logged
# bob's client approves and asks back; ward pre-approved him (the
# server offers urn:xmpp:features:pre-approval), so no prompt
check "bob approves and asks back, pre-approved: subscription both" \
	ward_seen alice '"jid":"bob@good.test","name":"Bobby","subscription":"both","push":true' 10
check "... ward sent the pre-approval" \
	eval "grep -F 'RECV: <presence' '$PROSODY_LOG' | grep -F \"to='bob@good.test'\" | grep -q \"type='subscribed'\""
check "... and no prompt" test "$(ward_count alice '"kind":"subscription"')" = 0
q c-ping "<ping xmlns='urn:xmpp:ping'/>"
q c-disco "<query xmlns='http://jabber.org/protocol/disco#info'/>"
q c-version "<query xmlns='jabber:iq:version'/>"
check "a contact's ping is answered" answered c-ping
check "a contact's disco#info is answered" answered c-disco
check "a contact's version query: ward, no OS" \
	eval "answer c-version | grep -q '<name>ward</name>' && ! answer c-version | grep -q '<os>'"

ward_cmd alice "/rename bob@good.test Robert"
check "/rename: pushed, the group kept" \
	ward_seen alice '"jid":"bob@good.test","name":"Robert","subscription":"both","push":true,"groups":"Friends"' 10
ward_cmd alice "/group bob@good.test Work"
check "/group: pushed, the name kept" \
	ward_seen alice '"jid":"bob@good.test","name":"Robert","subscription":"both","push":true,"groups":"Work"' 10

ward_cmd alice "/status away out for lunch"
poll() { local i; for i in $(seq 1 100); do "$@" && return 0; sleep 0.1; done; return 1; }
away_to_bob() { grep -F 'SEND: <presence' "$PROSODY_LOG" | grep -F "to='bob@good.test" | grep -F '<show>away</show>' | grep -q 'out for lunch'; }
check "/status away: bob gets the presence with its text" poll away_to_bob

# carol and dave ask: prompts, never answered by themselves
omemo_peer_start carol carol@good.test "$CAROL_PW"
omemo_peer_start dave dave@good.test "$DAVE_PW"
omemo_peer_online carol > /dev/null
omemo_peer_online dave > /dev/null
omemo_peer_cmd carol "subscribe alice@good.test"
omemo_peer_cmd dave "subscribe alice@good.test"
check "carol's request is a subscription prompt" \
	ward_seen alice '"kind":"subscription","text":"carol@good.test' 10
check "dave's request is a subscription prompt" \
	ward_seen alice '"kind":"subscription","text":"dave@good.test' 10
sleep 2
sent_to() { grep -F 'RECV: <presence' "$PROSODY_LOG" | grep -F "to='$1'" | grep -q "type='$2'"; }
check "... not answered by themselves" \
	eval "! sent_to carol@good.test subscribed && ! sent_to dave@good.test subscribed && ! sent_to dave@good.test unsubscribed"
idc=$(json_field "$(grep -F '"kind":"subscription","text":"carol@' "$(EV)" | head -n 1)" id)
idd=$(json_field "$(grep -F '"kind":"subscription","text":"dave@' "$(EV)" | head -n 1)" id)
ward_cmd alice "/accept $idc"
ward_cmd alice "/reject $idd"
sleep 2
check "/accept: subscribed sent to carol" sent_to carol@good.test subscribed
check "... and asked back (subscribe)" sent_to carol@good.test subscribe
check "/reject: unsubscribed sent to dave" sent_to dave@good.test unsubscribed
check "... and nothing else" eval "! sent_to dave@good.test subscribed"

ward_cmd alice "/remove bob@good.test"
check "/remove: pushed as remove" \
	ward_seen alice '"jid":"bob@good.test","name":null,"subscription":"remove","push":true' 10
omemo_peer_stop bob
omemo_peer_stop carol
omemo_peer_stop dave
ward_stop alice
check "sanitizers clean" ward_sanitizer_clean alice
test_exit
