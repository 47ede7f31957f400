#!/bin/bash
# subscription_lookalike: a subscription request whose JID looks like a
# contact's (the same Unicode TS #39 skeleton, other text: "bоb" with a
# Cyrillic о beside the contact "bob"), or mixes scripts never written
# together ("pаypal", Latin with a Cyrillic а), says so in its prompt
# (text and fields) and in ward.log; an ordinary stranger's request does
# not. The check is the core's (src/core/skeleton.c, shared with the UI).
# fakeserver.py subscribe-lookalike sends the three requests after the
# roster (which holds bob@good.test).
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

fake_start subscribe-lookalike --cert "$SERVER_CERT" --key "$SERVER_KEY" --password "$ALICE_PW" --after roster
ward_setup alice alice@good.test "$ALICE_PW" "server = 127.0.0.1" "port = $FAKE_PORT"
ward_start alice
check "connected" ward_seen alice '"event":"connected"' 20
check "marker after the requests" ward_seen alice 'after the requests' 15
ev=$(ward_dir alice)/events.jsonl
prompt() { grep -F '"kind":"subscription"' "$ev" | grep -F "\"jid\":\"$1\"" | head -n 1; }
look=$(prompt $'b\u043eb@good.test')
check "the look-alike's request is a prompt" test -n "$look"
check "... naming the contact it looks like" test "$(json_field "$look" lookalike)" = bob@good.test
check "... in its text" test -n "$(json_field "$look" text | grep 'WARNING: it looks like your contact bob@good.test but is another address')"
check "... and its mixed scripts" test "$(json_field "$look" mixed_scripts)" = Latin+Cyrillic
mixed=$(prompt $'p\u0430ypal@good.test')
check "the mixed-script request is a prompt" test -n "$mixed"
check "... with no contact it looks like" test -z "$(json_field "$mixed" lookalike)"
check "... saying it mixes scripts" test -n "$(json_field "$mixed" text | grep 'mixes Latin+Cyrillic letters')"
plain=$(prompt carol@good.test)
check "an ordinary request is a prompt" test -n "$plain"
check "... with no warning" test "$(json_field "$plain" text)" = "carol@good.test asks to see your presence (accept: they see it, and are asked back)"
check "... and no look-alike fields" test -z "$(json_field "$plain" lookalike)$(json_field "$plain" mixed_scripts)"
check "the warnings are logged" test "$(grep -c 'subscription request from .*WARNING\|subscription request from .*mixes' "$(ward_dir alice)/data/ward.log")" -eq 2
check "nothing answered by itself" test "$(grep -c '^RECV presence type=subscribed\|^RECV presence type=unsubscribed' "$FAKE_LOG")" -eq 0
ward_stop alice
check "no sanitizer report" ward_sanitizer_clean alice
test_exit
