#!/bin/bash
# omemo_trust: blind trust before verification. A contact's devices are
# trusted blindly until the user verifies one (/omemo verify JID FPR);
# after that a new device of that contact raises an omemo-device prompt and
# gets nothing from ward until /accept; /reject refuses it for good. The
# question comes back after a restart while it is unanswered. The peers
# are python-omemo devices of one account (bob, bob2, bob3).
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
. "$(dirname "$0")/../net/omemopeer.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

# the key ids ward's message (stanza id $1) was encrypted for
rids_of() {
	grep -F "RECV: <message" "$PROSODY_LOG" | grep -F "id='$1'" |
		grep -o "rid='[0-9]*'" | tr -dc '0-9\n' | sort -u | tr '\n' ' '
}
# sends TEXT to bob and prints the message id once the server has it
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
check "alice connected" ward_seen alice '"event":"connected"' 20
b=$(omemo_peer_online bob)
b_dev=$(omemo_peer_field "$b" device)
b_fp=$(omemo_peer_field "$b" fingerprint)
ward_cmd alice "/omemo fingerprints"
a_dev=$(json_field "$(ward_wait alice '"own":true' 10)" device)
# ward's bundle publications (Prosody logs what it receives)
bundles() { grep -F 'RECV: <iq' "$PROSODY_LOG" | grep -F "<publish node='eu.siacs.conversations.axolotl.bundles:$a_dev'"; }

id=$(send_bob "first, blindly")
check "bob's first device gets the first message" omemo_peer_seen bob '"body":"first, blindly"' 10
check "ward published its bundle once at login" test "$(bundles | grep -c .)" -eq 1
ward_cmd alice "/omemo fingerprints bob@good.test"
line=$(ward_wait alice "\"device\":$b_dev" 10)
check "bob's device is trusted blindly" test "$(json_field "$line" trust)" = blind

ward_cmd alice "/omemo verify bob@good.test 0000000000000000000000000000000000000000000000000000000000000000"
check "a wrong fingerprint verifies nothing" ward_seen alice '"code":"omemo-fingerprint"' 5
ward_cmd alice "/omemo verify bob@good.test not-hex"
check "... nor does something that is no fingerprint" ward_seen_n alice '"code":"omemo-fingerprint"' 2 5
# the way people copy it: upper case, in groups of 8
grouped=$(echo "$b_fp" | tr a-f A-F | sed 's/.\{8\}/& /g')
ward_cmd alice "/omemo verify bob@good.test $grouped"
check "verified by fingerprint" ward_seen alice 'fingerprint is verified' 5
ward_cmd alice "/omemo fingerprints bob@good.test"
check "bob's device is verified" ward_seen alice "\"device\":$b_dev,\"fingerprint\":\"$b_fp\",\"trust\":\"verified\"" 5

# ---- a new device of the verified contact --------------------------------
omemo_peer_start bob2 bob@good.test "$BOB_PW"
b2=$(omemo_peer_online bob2)
b2_dev=$(omemo_peer_field "$b2" device)
b2_fp=$(omemo_peer_field "$b2" fingerprint)
omemo_peer_cmd bob2 "send alice@good.test hello from bob's new device"
line=$(ward_wait alice '"body":"hello from bob'"'"'s new device"' 15)
check "its message is shown..." test -n "$line"
check "... marked untrusted" test "$(json_field "$line" trust)" = untrusted
for i in $(seq 1 50); do [ "$(bundles | grep -c .)" -ge 2 ] && break; sleep 0.1; done
check "bob2's key exchange used a prekey: the bundle is published again" test "$(bundles | grep -c .)" -eq 2
used=$(grep -F "RECV: <message" "$PROSODY_LOG" | grep -F "rid='$a_dev'" | grep -F "prekey='true'" | head -n 1)
check "... (bob2's first message was a prekey message)" test -n "$used"
check "... still with 100 prekeys" test "$(bundles | tail -n 1 | grep -o '<preKeyPublic ' | grep -c .)" -eq 100
p=$(ward_wait alice '"kind":"omemo-device"' 10)
check "an omemo-device prompt" test -n "$p"
check "... naming bob" test "$(json_field "$p" jid)" = bob@good.test
check "... and the new device" test "$(json_field "$p" device)" = "$b2_dev"
check "... with its fingerprint" test "$(json_field "$p" fingerprint)" = "$b2_fp"
pid2=$(json_field "$p" id)

id=$(send_bob "while undecided")
check "bob's verified device still gets messages" omemo_peer_seen bob '"body":"while undecided"' 10
r=$(rids_of "$id")
check "... and the new device gets nothing (keys: $r)" eval "[[ ' $r' == *' $b_dev '* && ' $r' != *' $b2_dev '* ]]"
check "the prompt is not asked twice" test "$(ward_count alice '"kind":"omemo-device"')" -eq 1

ward_cmd alice "/accept $pid2"
check "accepted" ward_seen alice "device $b2_dev of bob@good.test trusted" 5
id=$(send_bob "after accept")
check "the accepted device gets it" omemo_peer_seen bob2 '"body":"after accept"' 10
r=$(rids_of "$id")
check "both devices were encrypted for (keys: $r)" eval "[[ ' $r' == *' $b_dev '* && ' $r' == *' $b2_dev '* ]]"
ward_cmd alice "/omemo fingerprints bob@good.test"
check "accepted is trusted, not verified" ward_seen alice "\"device\":$b2_dev,\"fingerprint\":\"$b2_fp\",\"trust\":\"blind\"" 5

# ---- a third device, asked about again after a restart, then refused ----
omemo_peer_start bob3 bob@good.test "$BOB_PW"
b3=$(omemo_peer_online bob3)
b3_dev=$(omemo_peer_field "$b3" device)
omemo_peer_cmd bob3 "send alice@good.test hello from a third device"
check "a prompt for the third device" ward_seen alice "\"kind\":\"omemo-device\",\"text\"" 10
check "... (the second prompt)" ward_seen_n alice '"kind":"omemo-device"' 2 10
ward_stop alice
ward_start alice
check "alice back" ward_seen_n alice '"event":"connected"' 2 20
id=$(send_bob "after the restart")
check "asked again after the restart" ward_seen_n alice '"kind":"omemo-device"' 3 10
p=$(grep -F '"kind":"omemo-device"' "$(ward_dir alice)/events.jsonl" | tail -n 1)
check "... about the third device" test "$(json_field "$p" device)" = "$b3_dev"
r=$(rids_of "$id")
check "the undecided device got nothing (keys: $r)" eval "[[ ' $r' != *' $b3_dev '* && ' $r' == *' $b2_dev '* ]]"
ward_cmd alice "/reject $(json_field "$p" id)"
check "refused" ward_seen alice "device $b3_dev of bob@good.test refused" 5
id=$(send_bob "after reject")
check "bob's trusted devices get it" omemo_peer_seen bob2 '"body":"after reject"' 10
r=$(rids_of "$id")
check "the refused device gets nothing (keys: $r)" eval "[[ ' $r' != *' $b3_dev '* && ' $r' == *' $b_dev '* ]]"
omemo_peer_cmd bob3 "send alice@good.test refused device speaking"
line=$(ward_wait alice '"body":"refused device speaking"' 10)
check "a refused device's message is marked untrusted" test "$(json_field "$line" trust)" = untrusted
check "no further prompt" test "$(ward_count alice '"kind":"omemo-device"')" -eq 3

ward_stop alice
for p in bob bob2 bob3; do omemo_peer_stop "$p"; done
check "no sanitizer report" ward_sanitizer_clean alice
test_exit
