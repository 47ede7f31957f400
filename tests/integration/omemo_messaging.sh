#!/bin/bash
# omemo_messaging: ward and an independent OMEMO implementation
# (tests/net/omemo_peer.py: slixmpp + python-omemo/oldmemo) exchange OMEMO
# 0.3 messages both ways, and the server never sees a plaintext body from
# ward. The session survives a restart of ward on the same data dir;
# messages sent while ward is away come back from the archive decrypted,
# once; another device of ward's own account is encrypted for, and what it
# sends comes to ward as a decrypted carbon.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
. "$(dirname "$0")/../net/omemopeer.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

db() {	# db SQL: one value from alice's database
	/usr/bin/python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute(sys.argv[2]).fetchone()[0])' \
	    "$(ward_dir alice)/data/ward.db" "$1"
}
# what the server received from ward's resource (Prosody logs every stanza)
from_ward() { grep -F "RECV: <message" "$PROSODY_LOG" | grep -F "id='$1'"; }
seen_by_server() { grep -c -F -- "$1" "$PROSODY_LOG"; }

ward_setup alice alice@good.test "$ALICE_PW"
ward_start alice
omemo_peer_start bob bob@good.test "$BOB_PW"
check "alice connected" ward_seen alice '"event":"connected"' 20
b=$(omemo_peer_online bob)
check "bob (python-omemo) online" test -n "$b"
b_dev=$(omemo_peer_field "$b" device)
b_fp=$(omemo_peer_field "$b" fingerprint)
ward_cmd alice "/omemo fingerprints"
own=$(ward_wait alice '"own":true' 10)
a_dev=$(json_field "$own" device)
check "ward has a device id" test -n "$a_dev"
check "ward's fingerprint is 64 hex digits" eval '[[ $(json_field "$own" fingerprint) =~ ^[0-9a-f]{64}$ ]]'

# ---- ward -> python-omemo ----------------------------------------------
ward_cmd alice "/msg bob@good.test secret one, grüße <&>"
q=$(ward_wait alice '"event":"queued"' 10)
check "queued as omemo" test "$(json_field "$q" encryption)" = omemo
id1=$(json_field "$q" id)
line=$(omemo_peer_wait bob 'secret one, grüße <&>' 15)
check "bob decrypted ward's message" test "$(omemo_peer_field "$line" body)" = 'secret one, grüße <&>'
check "bob: it was encrypted" test "$(omemo_peer_field "$line" encrypted)" = true
check "bob: from ward's device" test "$(omemo_peer_field "$line" device)" = "$a_dev"
check "bob: the first message carried the key exchange" test "$(omemo_peer_field "$line" prekey)" = true
check "bob: the fallback body is not the message" \
	eval '[ -n "$(omemo_peer_field "$line" fallback)" ] && [[ "$(omemo_peer_field "$line" fallback)" != *secret* ]]'
check "ward's message acknowledged" ward_seen alice '"event":"acked"' 10
st=$(from_ward "$id1")
check "the server got it from ward: one stanza" test "$(printf '%s\n' "$st" | grep -c .)" -eq 1
check "... with <encrypted/> for bob's device" eval "[[ \$st == *\"<encrypted xmlns='eu.siacs.conversations.axolotl'>\"*\"rid='$b_dev'\"* ]]"
check "... with the EME marker (XEP-0380)" eval "[[ \$st == *\"<encryption \"*\"namespace='eu.siacs.conversations.axolotl'\"* && \$st == *\"xmlns='urn:xmpp:eme:0'\"* ]]"
check "... with a store hint (XEP-0334)" eval '[[ $st == *"urn:xmpp:hints"* ]]'
check "the server never saw the plaintext" test "$(seen_by_server 'secret one')" -eq 0
check "history keeps the plaintext, marked omemo" \
	test "$(db "select count(*) from history where body='secret one, grüße <&>' and encryption='omemo' and direction='out'")" -eq 1

# ---- python-omemo -> ward ----------------------------------------------
omemo_peer_cmd bob "send alice@good.test secret two from python"
line=$(ward_wait alice '"body":"secret two from python"' 15)
check "ward decrypted bob's message" test -n "$line"
check "ward: encryption omemo" test "$(json_field "$line" encryption)" = omemo
check "ward: bob's only device trusted blindly" test "$(json_field "$line" trust)" = blind
check "ward: from bob" eval '[[ $(json_field "$line" from) == bob@good.test/* ]]'
check "ward never shows a fallback body" test "$(ward_count alice 'OMEMO-encrypted')" -eq 0
check "received history row marked omemo" \
	test "$(db "select count(*) from history where body='secret two from python' and encryption='omemo' and direction='in'")" -eq 1
ward_cmd alice "/omemo fingerprints bob@good.test"
line=$(ward_wait alice '"jid":"bob@good.test","device"' 10)
check "ward shows bob's fingerprint as python-omemo does" test "$(json_field "$line" fingerprint)" = "$b_fp"
check "... with its trust" test "$(json_field "$line" trust)" = blind

# ---- restart ward on the same data dir: the session goes on ------------
ward_stop alice
ward_start alice
check "alice back" ward_seen_n alice '"event":"connected"' 2 20
ward_cmd alice "/msg bob@good.test after the restart"
line=$(omemo_peer_wait bob '"body":"after the restart"' 15)
check "bob decrypted the message after ward's restart" test -n "$line"
check "... from the same device" test "$(omemo_peer_field "$line" device)" = "$a_dev"
check "... without a new key exchange" test "$(omemo_peer_field "$line" prekey)" = false
omemo_peer_cmd bob "send alice@good.test reply after the restart"
check "ward decrypts after its restart" ward_seen alice '"body":"reply after the restart","encryption":"omemo"' 15

# ---- while ward is away: the archive, decrypted once ----------------------
ward_stop alice
omemo_peer_cmd bob "send alice@good.test sent while ward was away"
omemo_peer_cmd bob ping
omemo_peer_seen bob '"event":"pong"' 10
ward_start alice
line=$(ward_wait alice '"body":"sent while ward was away"' 20)
check "archived OMEMO message decrypted at catch-up" test "$(json_field "$line" encryption)" = omemo
sleep 1
check "... shown once" test "$(ward_count alice '"body":"sent while ward was away"')" -eq 1
check "no decryption error so far" test "$(ward_count alice '"code":"omemo-decrypt"')" -eq 0

# ---- another device of ward's own account --------------------------------
omemo_peer_start alice2 alice@good.test "$ALICE_PW"
a2=$(omemo_peer_online alice2)
a2_dev=$(omemo_peer_field "$a2" device)
check "alice's second device (python-omemo) online, ward's device kept in the list" \
	eval '[[ $(omemo_peer_field "$a2" devices) == *"$a_dev"* ]]'
sleep 0.5	# the device-list push reaches ward
ward_cmd alice "/msg bob@good.test to bob and my other device"
q=$(ward_wait alice '"event":"queued","account":"alice","id"' 10)
check "bob got it" omemo_peer_seen bob '"body":"to bob and my other device"' 15
st=$(grep -F "RECV: <message" "$PROSODY_LOG" | grep -F "rid='$a2_dev'" | grep -F "sid='$a_dev'")
check "ward encrypted it for its own other device too" test -n "$st"
omemo_peer_cmd alice2 "send bob@good.test from my other device"
line=$(ward_wait alice '"body":"from my other device"' 15)
check "ward decrypted the carbon of its other device's message" test "$(json_field "$line" encryption)" = omemo
check "... marked outgoing" test "$(json_field "$line" outgoing)" = True
check "... to bob" test "$(json_field "$line" to)" = bob@good.test
omemo_peer_cmd bob "send alice@good.test to both of alice's devices"
check "ward got bob's message" ward_seen alice '"body":"to both of alice'"'"'s devices"' 15
check "alice's other device got it too" omemo_peer_seen alice2 "to both of alice's devices" 15

check "never a decryption error" test "$(ward_count alice '"code":"omemo-decrypt"')" -eq 0
ward_stop alice
omemo_peer_stop alice2
omemo_peer_stop bob
check "no sanitizer report" ward_sanitizer_clean alice
test_exit
