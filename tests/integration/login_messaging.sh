#!/bin/bash
# login_messaging: headless ward logs in through DNSSEC-validated SRV (the
# signed good.test zone), reports "dnssec":"secure", and exchanges messages
# both ways with a second ward (OMEMO, the default) and with a scripted
# slixmpp peer without OMEMO (plaintext after /omemo off).
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

ward_setup alice alice@good.test "$ALICE_PW"
ward_setup bob bob@good.test "$BOB_PW"
ward_start alice
ward_start bob

line=$(ward_wait alice '"event":"connected"' 20)
check "alice connected" test -n "$line"
check "dnssec secure" test "$(json_field "$line" dnssec)" = secure
check "SRV lookup secure" test "$(json_field "$line" dnssec_srv)" = secure
check "TLS 1.3" test "$(json_field "$line" tls)" = TLSv1.3
check "SCRAM used" test "$(json_field "$line" sasl)" = SCRAM-SHA-1
check "certificate verified by CA" test "$(json_field "$line" authenticated_by)" = ca
ALICE_FULL=$(json_field "$line" jid)
# the default resource: 16 random hex digits (contacts_stranger.sh: new at
# each login)
check "full JID bound (random resource)" \
	eval 'printf "%s\n" "$ALICE_FULL" | grep -q -x "alice@good\.test/[0-9a-f]\{16\}"'
check "bob connected" ward_seen bob '"event":"connected"' 20

# ward -> ward, with characters that must survive the trip
ward_cmd alice '/msg bob@good.test hello bob, grüße <&> "q"'
line=$(ward_wait bob '"event":"message"' 15)
check "bob got alice's message" test "$(json_field "$line" body)" = 'hello bob, grüße <&> "q"'
check "from alice's full JID" test "$(json_field "$line" from)" = "$ALICE_FULL"
check "ward to ward is OMEMO-encrypted by default" test "$(json_field "$line" encryption)" = omemo
check "a first device is trusted blindly" test "$(json_field "$line" trust)" = blind
check "alice's message acknowledged by the server" ward_seen alice '"event":"acked"' 10

ward_cmd bob '/msg alice@good.test hi alice'
line=$(ward_wait alice '"body":"hi alice"' 15)
check "alice got bob's reply" test -n "$line"

# /msg -e: a multi-line message on one command line (\n, \\)
ward_cmd bob '/msg -e alice@good.test line one\nline two \\o/'
line=$(ward_wait alice '"body":"line one\u000aline two \\o/"' 15)
check "/msg -e: the line break and the backslash arrive" test -n "$line"
ward_cmd bob '/msg -e alice@good.test bad \q escape'
check "/msg -e: an unknown escape is refused" \
	ward_seen bob 'only \\n and' 5
check "/msg -e: nothing of the refused line was sent" \
	test "$(ward_count alice 'escape"')" -eq 0

# ward <-> slixmpp (no OMEMO): plaintext only once the user chose it
ward_cmd alice "/omemo off carol@good.test"
check "/omemo off confirmed" ward_seen alice '"jid":"carol@good.test","encryption":"none"' 5
"$PEER" --jid "carol@good.test" --password "$CAROL_PW" --ca "$TEST_CA" \
    --host 127.0.0.1 --port "$C2S_PORT" \
    --send alice@good.test "hello from slixmpp" \
    --expect-from alice@good.test --expect-body "hello carol" \
    --timeout 20 > "$WARD_TEST_DIR/carol.out" 2>&1 &
peer=$!
line=$(ward_wait alice '"body":"hello from slixmpp"' 20)
check "alice got carol's (slixmpp) message" test -n "$line"
check "plaintext reported as such" test "$(json_field "$line" encryption)" = none
check "plaintext has no trust" test "$(json_field "$line" trust)" = none
ward_cmd alice "/msg carol@good.test hello carol"
wait "$peer"
check "slixmpp peer got alice's message" test $? -eq 0

# malformed commands: an error event each, ward keeps going
ward_cmd alice "/nosuchcommand"
ward_cmd alice "/msg"
ward_cmd alice "no slash"
check "unknown command reported" ward_seen alice 'unknown command' 5
check "usage reported" ward_seen alice 'usage: /msg' 5
ward_cmd alice "/security"
line=$(ward_wait alice '"event":"security"' 5)
check "/security re-emits the report" test "$(json_field "$line" dnssec)" = secure

ward_stop alice; st=$?
check "alice exits 0 on /quit" test $st -eq 0
ward_stop bob
check "alice: no sanitizer report" ward_sanitizer_clean alice
check "bob: no sanitizer report" ward_sanitizer_clean bob
test_exit
