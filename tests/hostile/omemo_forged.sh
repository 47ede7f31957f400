#!/bin/bash
# omemo_forged: hostile OMEMO input. Device-list pushes not from the bare
# JID that owns the list (a contact's client injecting a device into its
# own list, or into ward's own list) are ignored: no bundle is fetched for
# the injected device and nothing is ever encrypted for it. Tampered
# messages (payload, IV or key changed; keys removed), malformed and
# oversized <encrypted/> elements give an omemo-decrypt error and no
# message (never their fallback body); a replayed message gives nothing;
# the session keeps working after all of them.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
. "$(dirname "$0")/../net/omemopeer.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

NS=eu.siacs.conversations.axolotl
ward_setup alice alice@good.test "$ALICE_PW"
ward_start alice
omemo_peer_start bob bob@good.test "$BOB_PW"
omemo_peer_start carol carol@good.test "$CAROL_PW"
check "alice connected" ward_seen alice '"event":"connected"' 20
b=$(omemo_peer_online bob)
c=$(omemo_peer_online carol)
c_dev=$(omemo_peer_field "$c" device)
check "peers online" test -n "$b" -a -n "$c_dev"
ward_cmd alice "/omemo fingerprints"
a_dev=$(json_field "$(ward_wait alice '"own":true' 10)" device)

# ---- forged device-list pushes -------------------------------------------
ward_cmd alice "/msg carol@good.test hello carol"
check "carol got ward's message (ward knows carol's list)" omemo_peer_seen carol '"body":"hello carol"' 15
# carol's client claims a device 4242 in carol's list, and a device 4343
# as the only one of alice's own list
push() {
	omemo_peer_cmd carol "sendraw <message to='alice@good.test' type='headline'><event xmlns='http://jabber.org/protocol/pubsub#event'><items node='$NS.devicelist'><item id='current'><list xmlns='$NS'>$1</list></item></items></event></message>"
}
push "<device id='$c_dev'/><device id='4242'/>"
push "<device id='4343'/>"
omemo_peer_cmd carol ping
omemo_peer_seen carol '"event":"pong"' 5
sleep 0.5
ward_cmd alice "/msg carol@good.test after the forged pushes"
check "carol still gets ward's messages" omemo_peer_seen carol '"body":"after the forged pushes"' 15
check "no bundle asked for the injected device 4242" test "$(grep -c -F "bundles:4242" "$PROSODY_LOG")" -eq 0
check "no bundle asked for the injected own device 4343" test "$(grep -c -F "bundles:4343" "$PROSODY_LOG")" -eq 0
check "nothing ever encrypted for them" test "$(grep -F 'RECV: <message' "$PROSODY_LOG" | grep -c -E "rid='(4242|4343)'")" -eq 0
publishes() { grep -F 'RECV: <iq' "$PROSODY_LOG" | grep -F "$NS.devicelist" | grep -F "<publish" | grep -c -F "$1"; }
check "ward's own device list was not rewritten" test "$(publishes "id='4343'")" -eq 0
check "ward published its own list once, at login" test "$(publishes "id='$a_dev'")" -eq 1
check "ward logged the forgeries" test "$(grep -c -E '(device-list|PEP) push from carol@good.test/.* dropped' "$(ward_dir alice)/data/ward.log")" -eq 2

# ---- tampered and malformed messages -------------------------------------
omemo_peer_cmd bob "send alice@good.test a good start"
check "a good message first" ward_seen alice '"body":"a good start","encryption":"omemo"' 15
errors=0
bad() {	# bad MODE TEXT: a spoiled message; one more omemo-decrypt error
	omemo_peer_cmd bob "sendbad alice@good.test $1 $2"
	errors=$((errors + 1))
	ward_seen_n alice '"code":"omemo-decrypt"' "$errors" 10
}
check "payload changed: omemo-decrypt" bad payload tampered-payload-secret
check "IV changed: omemo-decrypt" bad iv tampered-iv-secret
check "key changed: omemo-decrypt" bad key tampered-key-secret
check "keys removed: omemo-decrypt" bad nokey tampered-nokey-secret
line=$(grep -F '"code":"omemo-decrypt"' "$(ward_dir alice)/events.jsonl" | head -n 1)
check "the error names the sender" eval '[[ $(json_field "$line" jid) == bob@good.test/* ]]'
check "... and says why" eval '[[ $(json_field "$line" text) == *"bob@good.test"*"cannot be decrypted"* ]]'
check "no message from a tampered stanza" test "$(ward_count alice 'tampered-')" -eq 0
check "a fallback body is never shown" test "$(ward_count alice 'I sent you an OMEMO')" -eq 0

raw() {	# raw XML-INSIDE-MESSAGE: a hand-made message from bob with a fallback
	omemo_peer_cmd bob "sendraw <message to='alice@good.test' type='chat' id='$1'>$2<body>FALLBACK-SHOWN</body></message>"
	errors=$((errors + 1))
	ward_seen_n alice '"code":"omemo-decrypt"' "$errors" 10
}
iv="<iv>AAECAwQFBgcICQoL</iv>"
key="<key rid='$a_dev'>AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=</key>"
check "sid not a number: omemo-decrypt" raw m1 "<encrypted xmlns='$NS'><header sid='x'>$key$iv</header></encrypted>"
check "negative sid: omemo-decrypt" raw m2 "<encrypted xmlns='$NS'><header sid='-7'>$key$iv</header></encrypted>"
check "huge rid: omemo-decrypt" raw m3 "<encrypted xmlns='$NS'><header sid='7'><key rid='99999999999'>AAAA</key>$key$iv</header></encrypted>"
check "bad base64: omemo-decrypt" raw m4 "<encrypted xmlns='$NS'><header sid='7'><key rid='$a_dev'>%%%%</key>$iv</header><payload>AAAA</payload></encrypted>"
check "no IV: omemo-decrypt" raw m5 "<encrypted xmlns='$NS'><header sid='7'>$key</header><payload>AAAA</payload></encrypted>"
check "garbage key for us: omemo-decrypt" raw m6 "<encrypted xmlns='$NS'><header sid='7'>$key$iv</header><payload>AAAA</payload></encrypted>"
many=$(for i in $(seq 1 600); do printf "<key rid='%d'>AAAA</key>" $((i + 1000)); done)
check "600 keys: omemo-decrypt" raw m7 "<encrypted xmlns='$NS'><header sid='7'>$many$key$iv</header><payload>AAAA</payload></encrypted>"
line=$(grep -F '"id":"m7"' "$(ward_dir alice)/events.jsonl")
check "... as malformed" eval '[[ $(json_field "$line" text) == *malformed* ]]'
check "the fallback of a broken message is never shown" test "$(ward_count alice FALLBACK-SHOWN)" -eq 0
check "no message event for any of them" test "$(ward_count alice '"event":"message"')" -eq 1

# ---- replay ----------------------------------------------------------------
omemo_peer_cmd bob "send alice@good.test replay me"
check "an ordinary message" ward_seen alice '"body":"replay me"' 10
omemo_peer_cmd bob "sendbad alice@good.test replay"
omemo_peer_cmd bob "send alice@good.test after the replay"
check "the session goes on" ward_seen alice '"body":"after the replay"' 10
check "the replayed message is shown once" test "$(ward_count alice '"body":"replay me"')" -eq 1
check "a replay is not even an error" test "$(ward_count alice '"code":"omemo-decrypt"')" -eq "$errors"
check "ward is still alive" kill -0 "$(ward_pid alice)"

ward_stop alice
omemo_peer_stop bob
omemo_peer_stop carol
check "no sanitizer report" ward_sanitizer_clean alice
test_exit
