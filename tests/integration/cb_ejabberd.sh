#!/bin/bash
# cb_ejabberd: channel binding against real ejabberd servers. 23.01
# (Debian) on TLS 1.3 offers SCRAM-SHA-256-PLUS bound with tls-unique, which
# RFC 9266 forbids there: ward refuses with "channel-binding" before any
# <auth/> (it neither binds with tls-unique nor quietly takes the plain
# mechanism); on TLS 1.2 it binds with tls-unique. 24.12 (bookworm-
# backports, unpacked) advertises XEP-0440 types: tls-exporter on TLS 1.3,
# tls-server-end-point over tls-unique on 1.2.
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
check "tls13: ejabberd offered SCRAM-SHA-256-PLUS" \
    ejabberd_seen 'Send XML on stream = .*<mechanism>SCRAM-SHA-256-PLUS</mechanism>'
sleep 1	# the log is written with a delay: anything after the features too
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
ejabberd_stop

# ejabberd 24.12 on VERSION TLS: NAME SASL CB
ej24() {
	local tls=$1 name=$2 sasl=$3 cb=$4 line
	ejabberd_start "$tls" 24 || { fail "$name: ejabberd 24.12 did not start"; return; }
	ward_setup "$name" alice@good.test "$ALICE_PW" "server = 127.0.0.1" \
	    "port = $EJ_PORT" "tls_min = 1.2"
	ward_start "$name"
	line=$(outcome "$name")
	check "$name: connected" test "$(json_field "$line" event)" = connected
	check "$name: TLS $tls" test "$(json_field "$line" tls)" = "TLSv$tls"
	check "$name: $sasl" test "$(json_field "$line" sasl)" = "$sasl"
	check "$name: $cb" test "$(json_field "$line" channel_binding)" = "$cb"
	check "$name: XEP-0440 advertised" \
	    ejabberd_seen "Send XML on stream = .*<sasl-channel-binding xmlns='urn:xmpp:sasl-cb:0'>"
	echo "measure: ejabberd 24.12 TLS $tls $(json_field "$line" sasl) $(json_field "$line" channel_binding) connect_ms=$(json_field "$line" connect_ms)"
	ward_stop "$name"
	check "$name: no sanitizer report" ward_sanitizer_clean "$name"
	ejabberd_stop
}
ej24 1.3 ej24tls13 SCRAM-SHA-256-PLUS tls-exporter
ej24 1.2 ej24tls12 SCRAM-SHA-256-PLUS tls-server-end-point
test_exit
