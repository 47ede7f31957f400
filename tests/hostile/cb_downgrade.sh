#!/bin/bash
# cb_downgrade: the pins. After a login with SCRAM-SHA-256-PLUS and
# tls-server-end-point, a server offering less (no -PLUS, a weaker hash, or
# fewer XEP-0440 types) gets no <auth/>: ward reports sasl-downgrade and
# asks (prompt kind sasl-downgrade). /reject drops the connection; only
# /accept lowers the pin and continues that very login.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

N=dg
EV=

# fake MECHS [ARGS...]: (re)starts the fake server and points the account
# at it; ward's data dir (the pins) stays.
fake() {
	fake_stop
	fake_start normal --mechanisms "$@" || fail "fake server"
	ward_setup "$N" alice@good.test "$ALICE_PW" "server = 127.0.0.1" "port = $FAKE_PORT"
	EV=$(ward_dir "$N")/events.jsonl
}

# nth PATTERN N SECONDS: the Nth event line matching PATTERN (ERE).
nth() {
	local i l
	for i in $(seq 1 $(($3 * 20))); do
		l=$(grep -E -- "$1" "$EV" | sed -n "$2p")
		[ -n "$l" ] && { printf '%s\n' "$l"; return 0; }
		sleep 0.05
	done
	return 1
}

seen() { nth "$@" >/dev/null; }

# 1. The first login pins SCRAM-SHA-256-PLUS + tls-server-end-point.
fake SCRAM-SHA-256-PLUS,SCRAM-SHA-256,SCRAM-SHA-1-PLUS,SCRAM-SHA-1 --cb-types tls-server-end-point
ward_start "$N"
line=$(nth '"event":"connected"' 1 20)
check "pinned: SCRAM-SHA-256-PLUS" test "$(json_field "$line" sasl)" = SCRAM-SHA-256-PLUS
check "pinned: tls-server-end-point" test "$(json_field "$line" channel_binding)" = tls-server-end-point
ward_stop "$N"

# 2. The -PLUS mechanisms are stripped: nothing is sent after the features.
fake SCRAM-SHA-256,SCRAM-SHA-1,PLAIN
ward_start "$N"
err=$(nth '"event":"error"' 1 20)
check "stripped: sasl-downgrade" test "$(json_field "$err" code)" = sasl-downgrade
prompt=$(nth '"event":"prompt"' 1 10)
check "stripped: prompt kind" test "$(json_field "$prompt" kind)" = sasl-downgrade
check "stripped: prompt explains the risk" eval \
    'json_field "$prompt" text | grep -q "man in the middle"'
check "stripped: prompt names the pin" test "$(json_field "$prompt" pinned_channel_binding)" = tls-server-end-point
check "stripped: prompt names the offer" test "$(json_field "$prompt" offered_sasl)" = SCRAM-SHA-256
sleep 1
check "stripped: features were read" test "$(fake_count '^RECV stream .*tls=1')" -ge 1
check "stripped: no <auth> arrived" test "$(fake_count '^RECV auth ')" -eq 0
check "stripped: not connected" test "$(grep -c '"event":"connected"' "$EV")" -eq 0
ward_cmd "$N" "/reject $(json_field "$prompt" id)"
check "stripped: /reject disconnects" seen '"event":"disconnected"' 1 10
sleep 0.5
check "stripped: still no <auth> after /reject" test "$(fake_count '^RECV auth ')" -eq 0

# 3. Again, and /accept: the same login goes on with "y", the pin is lowered.
ward_cmd "$N" "/connect"
prompt=$(nth '"event":"prompt"' 2 20)
check "again: asked again" test -n "$prompt"
ward_cmd "$N" "/accept $(json_field "$prompt" id)"
line=$(nth '"event":"connected"' 1 20)
check "accepted: connected" test -n "$line"
check "accepted: SCRAM-SHA-256" test "$(json_field "$line" sasl)" = SCRAM-SHA-256
check "accepted: channel_binding none" test "$(json_field "$line" channel_binding)" = none
check "accepted: one <auth>, gs2 y" test "$(fake_count '^GS2 flag=y ')" -eq 1
ward_cmd "$N" "/disconnect"
nth '"event":"disconnected"' 2 10 >/dev/null
ward_cmd "$N" "/connect"
check "lowered: next login needs no prompt" seen '"event":"connected"' 2 20
check "lowered: still two prompts only" test "$(grep -c '"event":"prompt"' "$EV")" -eq 2
ward_stop "$N"

# 4. Back up to -PLUS (raises the pin without asking), then a weaker hash.
fake SCRAM-SHA-256-PLUS,SCRAM-SHA-256 --cb-types tls-server-end-point
ward_start "$N"
line=$(nth '"event":"connected"' 1 20)
check "raised: SCRAM-SHA-256-PLUS without a prompt" test "$(json_field "$line" sasl)" = SCRAM-SHA-256-PLUS
ward_stop "$N"
fake SCRAM-SHA-1-PLUS,SCRAM-SHA-1 --cb-types tls-server-end-point
ward_start "$N"
err=$(nth '"event":"error"' 1 20)
check "hash: sasl-downgrade" test "$(json_field "$err" code)" = sasl-downgrade
check "hash: says why" eval 'json_field "$err" text | grep -q "weaker SCRAM hash"'
check "hash: no <auth>" test "$(fake_count '^RECV auth ')" -eq 0
ward_stop "$N"

# 5. XEP-0440 types advertised before are gone (the binding used stays).
fake SCRAM-SHA-256-PLUS,SCRAM-SHA-256 --cb-types tls-server-end-point,tls-unique
ward_start "$N"
check "types: more types advertised, no prompt" seen '"event":"connected"' 1 20
ward_stop "$N"
fake SCRAM-SHA-256-PLUS,SCRAM-SHA-256 --cb-types tls-server-end-point
ward_start "$N"
err=$(nth '"event":"error"' 1 20)
check "types: sasl-downgrade" test "$(json_field "$err" code)" = sasl-downgrade
check "types: says why" eval 'json_field "$err" text | grep -q "XEP-0440"'
check "types: no <auth>" test "$(fake_count '^RECV auth ')" -eq 0
ward_stop "$N"
check "no sanitizer report" ward_sanitizer_clean "$N"
test_exit
