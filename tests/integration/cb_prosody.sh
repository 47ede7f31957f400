#!/bin/bash
# cb_prosody: channel binding against real Prosody servers. Prosody 13 (from
# bookworm-backports, unpacked, not installed) on TLS 1.3 binds with
# tls-exporter and on TLS 1.2 with tls-server-end-point (its
# tls_server_end_point_hash set); Prosody 0.12 on TLS 1.2 with tls-unique
# and on TLS 1.3 offers no -PLUS (gs2 "y"). Then the downgrades on one
# account: exporter pinned, the same server restarted on TLS 1.2 (a weaker
# binding) and as Prosody 0.12 on TLS 1.3 (no -PLUS): the server log shows
# the features went out and no <auth> came in; /reject drops, /accept
# lowers the pin and logs in.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
. "$(dirname "$0")/../net/prosody13.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap 'st=$?; cbprosody_stop; (exit $st); testnet_down' EXIT

# outcome NAME [N]: the Nth connected-or-error event line (default 1).
outcome() {
	local f i l
	f=$(ward_dir "$1")/events.jsonl
	for i in $(seq 1 400); do
		# (an OMEMO set-up error after the login decides nothing)
		l=$(grep -E '"event":"(connected|error)"' "$f" |
		    grep -v '"code":"omemo-' | sed -n "${2:-1}p")
		[ -n "$l" ] && { printf '%s\n' "$l"; return 0; }
		sleep 0.05
	done
	return 1
}

# login VER TLS NAME SASL CB: a fresh account logs in and reports SASL/CB.
login() {
	local ver=$1 tls=$2 name=$3 sasl=$4 cb=$5 line
	cbprosody_start "$ver" "$tls" || { fail "$name: prosody $ver on TLS $tls"; return; }
	ward_setup "$name" alice@good.test "$ALICE_PW" "server = 127.0.0.1" \
	    "port = $CBP_PORT" "tls_min = 1.2"
	ward_start "$name"
	line=$(outcome "$name")
	check "$name: connected" test "$(json_field "$line" event)" = connected
	check "$name: TLS $tls" test "$(json_field "$line" tls)" = "TLSv$tls"
	check "$name: $sasl" test "$(json_field "$line" sasl)" = "$sasl"
	check "$name: channel binding $cb" test "$(json_field "$line" channel_binding)" = "$cb"
	check "$name: the server got <auth mechanism='$sasl'>" \
	    test "$(cbprosody_count "RECV: <auth .*mechanism='$sasl'")" -eq 1
	echo "measure: $name prosody $ver TLS $tls $sasl $cb connect_ms=$(json_field "$line" connect_ms)"
	ward_stop "$name"
	check "$name: no sanitizer report" ward_sanitizer_clean "$name"
	cbprosody_stop
}

login 13 1.3 p13tls13 SCRAM-SHA-1-PLUS tls-exporter
check "p13tls13: XEP-0440 advertised" test "$(cbprosody_count "SEND: <stream:features>.*<channel-binding type='tls-exporter'/>")" -ge 1
login 13 1.2 p13tls12 SCRAM-SHA-1-PLUS tls-server-end-point
login 12 1.2 p12tls12 SCRAM-SHA-1-PLUS tls-unique
login 12 1.3 p12tls13 SCRAM-SHA-1 none
# "y": base64 of "y,," starts with "eSws"
check "p12tls13: gs2 flag y" test "$(cbprosody_count "RECV: <auth .*>eSws")" -eq 1

# --- downgrades on one account, one server's data -------------------------
N=dg
EV=
cbprosody_start 13 1.3 || fail "dg: prosody 13"
ward_setup "$N" alice@good.test "$ALICE_PW" "server = 127.0.0.1" \
    "port = $CBP_PORT" "tls_min = 1.2"
EV=$(ward_dir "$N")/events.jsonl
ward_start "$N"
line=$(outcome "$N")
check "dg: pinned tls-exporter" test "$(json_field "$line" channel_binding)" = tls-exporter
ward_stop "$N"
cbprosody_stop

# downgrade PROSODY-VER TLS WHAT: restarts the server so, expects the
# refusal before <auth>; leaves the prompt line in PROMPT.
downgrade() {
	local what=$3 err
	cbprosody_start "$1" "$2" || { fail "$what: prosody $1 on TLS $2"; return; }
	: > "$EV"
	ward_start "$N"
	err=$(outcome "$N")
	check "$what: sasl-downgrade" test "$(json_field "$err" code)" = sasl-downgrade
	PROMPT=$(ward_wait "$N" '"event":"prompt"' 10)
	check "$what: prompt kind sasl-downgrade" test "$(json_field "$PROMPT" kind)" = sasl-downgrade
	sleep 1
	check "$what: the server sent its features" test "$(cbprosody_count 'SEND: <stream:features><mechanisms')" -ge 1
	check "$what: no <auth> in the server log" test "$(cbprosody_count 'RECV: <auth')" -eq 0
}

# Same server, TLS 1.2 only: tls-server-end-point is weaker than exporter.
downgrade 13 1.2 tls12
check "tls12: the prompt offers tls-server-end-point" \
    test "$(json_field "$PROMPT" offered_channel_binding)" = tls-server-end-point
ward_cmd "$N" "/reject $(json_field "$PROMPT" id)"
check "tls12: /reject disconnects" ward_seen "$N" '"event":"disconnected"' 10
sleep 0.5
check "tls12: still no <auth>" test "$(cbprosody_count 'RECV: <auth')" -eq 0
ward_stop "$N"
cbprosody_stop

# Prosody 0.12 on TLS 1.3 (no -PLUS at all), then /accept.
downgrade 12 1.3 noplus
check "noplus: the prompt offers SCRAM-SHA-1" test "$(json_field "$PROMPT" offered_sasl)" = SCRAM-SHA-1
check "noplus: the pin was tls-exporter" test "$(json_field "$PROMPT" pinned_channel_binding)" = tls-exporter
ward_cmd "$N" "/accept $(json_field "$PROMPT" id)"
line=$(outcome "$N" 2)
check "noplus: /accept logs in" test "$(json_field "$line" event)" = connected
check "noplus: SCRAM-SHA-1 without binding" test "$(json_field "$line" channel_binding)" = none
check "noplus: exactly one <auth>" test "$(cbprosody_count 'RECV: <auth')" -eq 1
ward_cmd "$N" "/disconnect"
ward_seen "$N" '"event":"disconnected"' 10
ward_cmd "$N" "/connect"
line=$(outcome "$N" 3)
check "noplus: lowered pin, no new prompt" test "$(json_field "$line" event)" = connected
check "noplus: one prompt in all" test "$(grep -c '"event":"prompt"' "$EV")" -eq 1
ward_stop "$N"
check "dg: no sanitizer report" ward_sanitizer_clean "$N"
cbprosody_stop
test_exit
