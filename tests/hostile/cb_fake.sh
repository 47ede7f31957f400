#!/bin/bash
# cb_fake: channel binding against scripted servers. The strongest binding
# both sides allow is chosen (tls-server-end-point on TLS 1.3, tls-unique on
# TLS 1.2 only), "y" is sent when no -PLUS is offered, tls-unique offered on
# TLS 1.3 is refused before <auth>, and a relayed binding, a wrong server
# signature or a XEP-0474 hash over another offer end the login.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

# first_outcome NAME SECONDS: the first connected or error event line.
first_outcome() {
	local f i l
	f=$(ward_dir "$1")/events.jsonl
	for i in $(seq 1 $(($2 * 20))); do
		l=$(grep -m1 -E '"event":"(connected|error)"' "$f")
		[ -n "$l" ] && { printf '%s\n' "$l"; return 0; }
		sleep 0.05
	done
	return 1
}

# one NAME MODE WARD-CONF-LINE... -- FAKE-ARGS...: a fresh ward against a
# fresh fake server; leaves the first connected or error line in LINE.
one() {
	local name=$1 mode=$2 conf=()
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do conf+=("$1"); shift; done
	shift
	fake_start "$mode" "$@" || { fail "$name: fake server"; return 1; }
	ward_setup "$name" alice@good.test "$ALICE_PW" "server = 127.0.0.1" \
	    "port = $FAKE_PORT" "${conf[@]}"
	ward_start "$name"
	LINE=$(first_outcome "$name" 20)
}

ends() {	# ends NAME: stops ward, checks sanitizers, stops the fake server
	ward_stop "$1"
	check "$1: no sanitizer report" ward_sanitizer_clean "$1"
	fake_stop
}

# TLS 1.3, -PLUS with XEP-0440 types: tls-server-end-point (tls-unique is
# advertised too, but undefined on 1.3); the strongest hash.
one endpoint normal -- --mechanisms SCRAM-SHA-1,SCRAM-SHA-1-PLUS,SCRAM-SHA-256,SCRAM-SHA-256-PLUS,PLAIN \
    --cb-types tls-unique,tls-server-end-point
check "endpoint: connected" test "$(json_field "$LINE" event)" = connected
check "endpoint: SCRAM-SHA-256-PLUS" test "$(json_field "$LINE" sasl)" = SCRAM-SHA-256-PLUS
check "endpoint: tls-server-end-point" test "$(json_field "$LINE" channel_binding)" = tls-server-end-point
check "endpoint: gs2 p=tls-server-end-point" test "$(fake_count '^GS2 flag=p=tls-server-end-point ')" -eq 1
ends endpoint

# TLS 1.2 (allowed by the account), -PLUS without XEP-0440: tls-unique.
one unique12 normal "tls_min = 1.2" -- --tls-max 1.2 --mechanisms SCRAM-SHA-1-PLUS,SCRAM-SHA-1
check "unique12: connected" test "$(json_field "$LINE" event)" = connected
check "unique12: TLS 1.2" test "$(json_field "$LINE" tls)" = TLSv1.2
check "unique12: SCRAM-SHA-1-PLUS" test "$(json_field "$LINE" sasl)" = SCRAM-SHA-1-PLUS
check "unique12: tls-unique" test "$(json_field "$LINE" channel_binding)" = tls-unique
ends unique12

# TLS 1.2 with XEP-0440 offering both: tls-server-end-point beats tls-unique.
one endpoint12 normal "tls_min = 1.2" -- --tls-max 1.2 --mechanisms SCRAM-SHA-1-PLUS,SCRAM-SHA-1 \
    --cb-types tls-unique,tls-server-end-point
check "endpoint12: tls-server-end-point" test "$(json_field "$LINE" channel_binding)" = tls-server-end-point
ends endpoint12

# No -PLUS offered: plain SCRAM with gs2 "y" (ward could bind; the server
# offered none), reported as such.
one yflag normal -- --mechanisms SCRAM-SHA-1,PLAIN
check "yflag: connected" test "$(json_field "$LINE" event)" = connected
check "yflag: SCRAM-SHA-1" test "$(json_field "$LINE" sasl)" = SCRAM-SHA-1
check "yflag: channel_binding none" test "$(json_field "$LINE" channel_binding)" = none
check "yflag: gs2 y" test "$(fake_count '^GS2 flag=y ')" -eq 1
ends yflag

# -PLUS on TLS 1.3 without XEP-0440 means tls-unique (what ejabberd 23.01
# does): refused with a clear error, nothing sent, no silent fallback.
one unique13 normal -- --mechanisms SCRAM-SHA-256-PLUS,SCRAM-SHA-256,PLAIN
check "unique13: refused" test "$(json_field "$LINE" code)" = channel-binding
check "unique13: says why" eval 'json_field "$LINE" text | grep -q "tls-unique"'
check "unique13: no <auth>" test "$(fake_count '^RECV auth ')" -eq 0
check "unique13: never connected" test "$(ward_count unique13 '"event":"connected"')" -eq 0
ends unique13

# A relay: the binding is not checked and v= is signed over another TLS
# channel's binding data. ward's check of v= catches it.
one relay cb-relay -- --mechanisms SCRAM-SHA-1-PLUS,SCRAM-SHA-1 --cb-types tls-server-end-point
check "relay: the server took it" test "$(fake_count '^CB-RELAY ')" -eq 1
check "relay: auth-failed" test "$(json_field "$LINE" code)" = auth-failed
check "relay: never connected" test "$(ward_count relay '"event":"connected"')" -eq 0
ends relay

# A wrong server signature with -PLUS.
one badsig bad-server-signature -- --mechanisms SCRAM-SHA-1-PLUS --cb-types tls-server-end-point
check "badsig: auth-failed" test "$(json_field "$LINE" code)" = auth-failed
check "badsig: never connected" test "$(ward_count badsig '"event":"connected"')" -eq 0
ends badsig

# XEP-0474: a d= over the offer ward saw is verified and the login goes on.
one ssdp normal -- --ssdp --mechanisms SCRAM-SHA-1,SCRAM-SHA-1-PLUS,PLAIN --cb-types tls-server-end-point
check "ssdp: connected" test "$(json_field "$LINE" event)" = connected
check "ssdp: d= sent" test "$(fake_count '^SSDP ')" -eq 1
check "ssdp: verified" grep -q "XEP-0474 downgrade protection verified" "$(ward_dir ssdp)/data/ward.log"
ends ssdp

# XEP-0474: the real server offered -PLUS, a man in the middle stripped it;
# d= hashes the real offer. Refused before the proof is sent.
one ssdpmitm normal -- --ssdp --mechanisms SCRAM-SHA-1 --ssdp-real SCRAM-SHA-1,SCRAM-SHA-1-PLUS
check "ssdpmitm: sasl-downgrade" test "$(json_field "$LINE" code)" = sasl-downgrade
check "ssdpmitm: no proof sent" test "$(fake_count '^RECV response ')" -eq 0
check "ssdpmitm: never connected" test "$(ward_count ssdpmitm '"event":"connected"')" -eq 0
ends ssdpmitm

test_exit
