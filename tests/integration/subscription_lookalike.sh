#!/bin/bash
# subscription_lookalike: against the loopback Prosody, a subscription
# request from bоb@good.test (a Cyrillic о: an account of its own on the
# server) while bob@good.test is alice's contact is a prompt that names
# bob@good.test as the contact it looks like and says its address mixes
# Latin and Cyrillic; carol's request is a plain prompt. Neither is
# answered by itself. (The same with a scripted server:
# hostile/subscription_lookalike.sh.)
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

LOOK=$'b\u043eb'	# bоb, with U+043E CYRILLIC SMALL LETTER O
check "the look-alike account exists on the server" prosody_register "$LOOK" good.test "$DAVE_PW"

ward_setup alice alice@good.test "$ALICE_PW"
ward_start alice
check "alice connected" ward_seen alice '"event":"connected"' 20
ward_seen alice '"text":"roster received"' 20
ward_cmd alice "/add bob@good.test Bob"
check "bob is alice's contact" ward_seen alice '"jid":"bob@good.test","name":"Bob"' 10

"$PEER" --jid "$LOOK@good.test" --password "$DAVE_PW" --ca "$TEST_CA" \
    --host 127.0.0.1 --port "$C2S_PORT" \
    --send-raw "<presence to='alice@good.test' type='subscribe'/>" --timeout 10 \
    > "$WARD_TEST_DIR/look.out" 2>&1
"$PEER" --jid carol@good.test --password "$CAROL_PW" --ca "$TEST_CA" \
    --host 127.0.0.1 --port "$C2S_PORT" \
    --send-raw "<presence to='alice@good.test' type='subscribe'/>" --timeout 10 \
    > "$WARD_TEST_DIR/carol.out" 2>&1
ev=$(ward_dir alice)/events.jsonl
look=$(ward_wait alice "\"kind\":\"subscription\",\"text\":\"$LOOK@good.test" 15)
check "the look-alike's request is a prompt" test -n "$look"
check "... naming the contact it looks like" test "$(json_field "$look" lookalike)" = bob@good.test
check "... and the scripts its address mixes" test "$(json_field "$look" mixed_scripts)" = Latin+Cyrillic
check "... in words" test -n "$(json_field "$look" text | grep 'WARNING: it looks like your contact bob@good.test')"
plain=$(ward_wait alice '"kind":"subscription","text":"carol@good.test' 15)
check "carol's request is a prompt" test -n "$plain"
check "... with no warning" test -z "$(json_field "$plain" lookalike)$(json_field "$plain" mixed_scripts)"
sleep 1
answers() {	# what alice sent to the two requesters: subscribed or not
	grep -F 'RECV: <presence' "$PROSODY_LOG" | grep -E "type='(un)?subscribed'" |
	    grep -cE "to='(carol|$LOOK)@good.test'"
}
check "the server log shows presences" grep -qF 'RECV: <presence' "$PROSODY_LOG"
check "neither answered by itself" test "$(answers)" -eq 0
ward_stop alice
check "no sanitizer report" ward_sanitizer_clean alice
test_exit
