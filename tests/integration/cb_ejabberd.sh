#!/bin/bash
# cb_ejabberd: channel binding against a real ejabberd 23.01 (Debian). On
# TLS 1.3 it offers SCRAM-SHA-256-PLUS bound with tls-unique, which RFC 9266
# forbids there: ward refuses with "channel-binding" before any <auth/> (it
# neither binds with tls-unique nor quietly takes the plain mechanism). On
# TLS 1.2 the same server binds with tls-unique and ward logs in with it.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
. "$(dirname "$0")/../net/ejabberd.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap 'st=$?; ejabberd_stop; (exit $st); testnet_down' EXIT

outcome() {	# outcome NAME: the first connected-or-error event line
	local f i l
	f=$(ward_dir "$1")/events.jsonl
	for i in $(seq 1 400); do
		l=$(grep -m1 -E '"event":"(connected|error)"' "$f")
		[ -n "$l" ] && { printf '%s\n' "$l"; return 0; }
		sleep 0.05
	done
	return 1
}

t0=$(_now_ms)
ejabberd_start 1.3 || { fail "ejabberd 23.01 did not start"; test_exit; }
echo "measure: ejabberd start $(( $(_now_ms) - t0 )) ms"
ward_setup ej13 alice@good.test "$ALICE_PW" "server = 127.0.0.1" "port = $EJ_PORT"
ward_start ej13
line=$(outcome ej13)
check "tls13: refused with channel-binding" test "$(json_field "$line" code)" = channel-binding
check "tls13: the error names tls-unique and TLS 1.3" eval \
    'json_field "$line" text | grep -q "tls-unique.*TLS 1.3"'
sleep 1
check "tls13: ejabberd offered SCRAM-SHA-256-PLUS" \
    test "$(ejabberd_count 'Send XML on stream = .*<mechanism>SCRAM-SHA-256-PLUS</mechanism>')" -ge 1
check "tls13: no <auth> in ejabberd's log" test "$(ejabberd_count 'Received XML on stream = <<"<auth')" -eq 0
check "tls13: never connected" test "$(ward_count ej13 '"event":"connected"')" -eq 0
ward_stop ej13
check "tls13: no sanitizer report" ward_sanitizer_clean ej13
ejabberd_stop

ejabberd_start 1.2 || { fail "ejabberd 23.01 (TLS 1.2) did not start"; test_exit; }
ward_setup ej12 alice@good.test "$ALICE_PW" "server = 127.0.0.1" "port = $EJ_PORT" "tls_min = 1.2"
ward_start ej12
line=$(outcome ej12)
check "tls12: connected" test "$(json_field "$line" event)" = connected
check "tls12: TLS 1.2" test "$(json_field "$line" tls)" = TLSv1.2
check "tls12: SCRAM-SHA-256-PLUS" test "$(json_field "$line" sasl)" = SCRAM-SHA-256-PLUS
check "tls12: tls-unique" test "$(json_field "$line" channel_binding)" = tls-unique
echo "measure: ejabberd 23.01 TLS 1.2 $(json_field "$line" sasl) $(json_field "$line" channel_binding) connect_ms=$(json_field "$line" connect_ms)"
ward_stop ej12
check "tls12: no sanitizer report" ward_sanitizer_clean ej12
test_exit
