#!/bin/bash
# message_requests: a stranger's 1:1 message is held as a message request
# (events for scripts: the `message` says "request":true, a `request` event
# counts the sender's messages); a contact's message, and a stranger's
# reply to a conversation alice started, are not; a request gets no
# receipt even when asked (the peer's stream proves it); /requests lists
# the senders, /accept JID opens the conversation for good (kept across a
# restart).
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
. "$(dirname "$0")/../net/omemopeer.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

EV() { echo "$(ward_dir alice)/events.jsonl"; }
msg_line() { grep -F '"event":"message"' "$(EV)" | grep -F "\"body\":\"$1\"" | tail -n 1; }
raw() { echo "sendraw <message to='alice@good.test' type='chat' id='$1'><body>$2</body><request xmlns='urn:xmpp:receipts'/></message>"; }

ward_setup alice alice@good.test "$ALICE_PW"
ward_start alice
check "alice connected" ward_seen alice '"event":"connected"' 20
ward_seen alice '"text":"roster received"' 20
omemo_peer_start bob bob@good.test "$BOB_PW"
omemo_peer_start carol carol@good.test "$CAROL_PW"
omemo_peer_start dave dave@good.test "$DAVE_PW"
for p in bob carol dave; do omemo_peer_online $p > /dev/null; done
ward_cmd alice "/add bob@good.test"
check "bob is a contact" ward_seen alice '"jid":"bob@good.test","name":null,"subscription":"both"' 15

omemo_peer_cmd carol "$(raw c1 'carol one')"
omemo_peer_cmd carol "$(raw c2 'carol two')"
check "a stranger's message: stored and reported as a request" \
	ward_seen alice '"body":"carol one"' 10
check "... \"request\":true on the message event" \
	test "$(json_field "$(msg_line 'carol one')" request)" = True
check "... a request event for its sender" \
	ward_seen alice '"event":"request","account":"alice","jid":"carol@good.test","state":"new","count":1' 10
check "... counting its messages" \
	ward_seen alice '"jid":"carol@good.test","state":"new","count":2' 10
check "... saying it is not a contact" \
	ward_seen alice '"text":"carol@good.test is not a contact' 5
omemo_peer_cmd bob "$(raw b1 'bob one')"
check "a contact's message is no request" ward_seen alice '"body":"bob one"' 10
check "... no request field" test -z "$(json_field "$(msg_line 'bob one')" request)"
omemo_peer_seen bob '"received":"b1"' 10
check "... and the contact got its receipt" omemo_peer_seen bob '"received":"b1"' 1
check "the stranger got no receipt for either message" \
	test "$(grep -c -F '"received"' "$(omemo_peer_dir carol)/events.jsonl")" -eq 0

# a conversation alice started is no request
ward_cmd alice "/omemo off dave@good.test"
ward_cmd alice "/msg dave@good.test hello dave"
omemo_peer_seen dave '"body":"hello dave"' 10
omemo_peer_cmd dave "$(raw d1 'dave answers')"
check "a stranger alice wrote to first: its reply is no request" \
	ward_seen alice '"body":"dave answers"' 10
check "... no request field" test -z "$(json_field "$(msg_line 'dave answers')" request)"

ward_cmd alice "/requests"
check "/requests: carol with two messages" \
	ward_seen alice '"jid":"carol@good.test","state":"listed","count":2' 10
check "... one sender in all" ward_seen alice '"text":"requests: 1"' 5
check "... neither bob nor dave" \
	test "$(ward_count alice '"state":"listed"')" -eq 1

ward_cmd alice "/accept carol@good.test"
check "/accept JID: the request accepted, /add offered" \
	ward_seen alice '"jid":"carol@good.test","state":"accepted","count":2,"text":"carol@good.test is not a contact: /add carol@good.test' 10
ward_cmd alice "/requests"
check "... the list is empty" ward_seen alice '"text":"requests: 0"' 10
omemo_peer_cmd carol "$(raw c3 'carol three')"
ward_seen alice '"body":"carol three"' 10
check "carol's next message is no request" \
	test -z "$(json_field "$(msg_line 'carol three')" request)"
check "... still no receipt to a stranger" \
	eval "sleep 1; test \"\$(grep -c -F '\"received\"' '$(omemo_peer_dir carol)/events.jsonl')\" -eq 0"

# kept across a restart
ward_stop alice
ward_start alice
ward_seen_n alice '"event":"connected"' 2 20
omemo_peer_cmd carol "$(raw c4 'carol four')"
ward_seen alice '"body":"carol four"' 10
check "after a restart: carol is still accepted" \
	test -z "$(json_field "$(msg_line 'carol four')" request)"
for p in bob carol dave; do omemo_peer_stop $p; done
ward_stop alice
check "sanitizers clean" ward_sanitizer_clean alice
test_exit
