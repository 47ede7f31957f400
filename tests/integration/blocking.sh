#!/bin/bash
# blocking: XEP-0191 blocking and XEP-0377 spam reports against the
# loopback Prosody (mod_blocklist) with slixmpp peers. /block JID spam
# sends the block with a spam report (Prosody's log attributes come in
# any order), the server's push confirms it, and
# Prosody drops what the blocked peer sends (its log shows nothing sent to
# alice); /blocked lists it; a forged block list push from a stranger (an
# unblock of the blocked peer, a block of a contact) is dropped and logged;
# blocking a message request's sender drops the request; /unblock lets
# messages through again; the list comes back from the server after a
# restart.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
. "$(dirname "$0")/../net/omemopeer.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

EV() { echo "$(ward_dir alice)/events.jsonl"; }
raw() { echo "sendraw <message to='alice@good.test' type='chat'><body>$1</body></message>"; }
not() { ! "$@"; }
to_alice() { grep -F 'SEND: <message' "$PROSODY_LOG" | grep -F "to='alice@good.test" | grep -qF "$1"; }

ward_setup alice alice@good.test "$ALICE_PW"
ward_start alice
check "alice connected" ward_seen alice '"event":"connected"' 20
ward_seen alice '"text":"roster received"' 20
RES=$(json_field "$(grep -F '"event":"connected"' "$(EV)" | tail -n 1)" jid)
omemo_peer_start bob bob@good.test "$BOB_PW"
omemo_peer_start carol carol@good.test "$CAROL_PW"
for p in bob carol; do omemo_peer_online $p > /dev/null; done
ward_cmd alice "/blocked"
check "/blocked: nothing blocked at first" ward_seen alice '"text":"blocked: 0"' 10

ward_cmd alice "/block bob@good.test spam"
check "/block spam: the server's push confirms it" \
	ward_seen alice '"event":"block","account":"alice","jid":"bob@good.test","state":"blocked"' 10
check "... the request carried a XEP-0377 spam report" \
	eval "grep -F 'RECV: <iq' '$PROSODY_LOG' | grep -F 'urn:xmpp:blocking' | grep -F \"jid='bob@good.test'\" | grep -F '<report ' | grep -F \"xmlns='urn:xmpp:reporting:1'\" | grep -qF \"reason='urn:xmpp:reporting:spam'\""
omemo_peer_cmd bob "$(raw 'from blocked bob 8801')"
omemo_peer_cmd carol "$(raw 'carol after bob 8802')"
ward_seen alice '"body":"carol after bob 8802"' 10
sleep 1
check "Prosody dropped the blocked peer's message: not sent to alice" \
	not to_alice 'from blocked bob 8801'
check "... and ward shows nothing of it" \
	test "$(ward_count alice 'from blocked bob 8801')" -eq 0
ward_cmd alice "/blocked"
check "/blocked lists bob" ward_seen alice '"jid":"bob@good.test","state":"listed"' 10
check "... one in all" ward_seen alice '"text":"blocked: 1"' 10

# forged pushes from a stranger, straight to alice's resource
omemo_peer_cmd carol "sendraw <iq type='set' to='$RES' id='sp1'><unblock xmlns='urn:xmpp:blocking'><item jid='bob@good.test'/></unblock></iq>"
omemo_peer_cmd carol "sendraw <iq type='set' to='$RES' id='sp2'><block xmlns='urn:xmpp:blocking'><item jid='dave@good.test'/></block></iq>"
omemo_peer_cmd carol "sendraw <iq type='set' to='$RES' id='sp3'><unblock xmlns='urn:xmpp:blocking'/></iq>"
omemo_peer_cmd carol ping
omemo_peer_seen carol '"event":"pong"' 10
sleep 1
check "a stranger's forged unblock push: dropped and logged" \
	grep -q "block list push from carol@good.test/carol dropped" "$(ward_dir alice)/data/ward.log"
check "... no unblocked event" test "$(ward_count alice '"state":"unblocked"')" -eq 0
check "... no block of dave" test "$(ward_count alice '"jid":"dave@good.test"')" -eq 0
ward_cmd alice "/blocked"
ward_seen_n alice '"text":"blocked: 1"' 2 10
check "... bob still listed, nobody else" \
	test "$(ward_count alice '"state":"listed"')" -eq 2

# blocking a message request's sender drops the request
omemo_peer_cmd carol "$(raw 'a request from carol 8803')"
ward_seen alice '"jid":"carol@good.test","state":"new"' 10
ward_cmd alice "/block carol@good.test"
check "/block of a request's sender: the request is dropped" \
	ward_seen alice '"jid":"carol@good.test","state":"blocked"' 10
ward_cmd alice "/requests"
check "... /requests is empty" ward_seen alice '"text":"requests: 0"' 10

ward_cmd alice "/unblock bob@good.test"
check "/unblock: the push confirms it" \
	ward_seen alice '"jid":"bob@good.test","state":"unblocked"' 10
omemo_peer_cmd bob "$(raw 'bob unblocked 8804')"
check "... bob's messages come through again" ward_seen alice '"body":"bob unblocked 8804"' 10

ward_stop alice
ward_start alice
ward_seen_n alice '"event":"connected"' 2 20
sleep 1
ward_cmd alice "/blocked"
check "after a restart the list comes from the server: carol" \
	ward_seen alice '"jid":"carol@good.test","state":"listed"' 10

for p in bob carol; do omemo_peer_stop $p; done
ward_stop alice
check "sanitizers clean" ward_sanitizer_clean alice
test_exit
