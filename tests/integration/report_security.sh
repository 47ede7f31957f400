#!/bin/bash
# report_security: the connection security report. Against the test
# Prosody through the signed good.test zone, "connected" and the answer to
# /security carry, with values checked against the test PKI and the zones:
# encrypted, authenticated_by, TLS version and cipher, certificate subject,
# issuer, validity, SPKI and certificate SHA-256, the DNSSEC state of the
# SRV, address and TLSA lookups, DANE state, the key pin, SASL mechanism and
# channel binding. A DANE login reports the matching record; /security
# while offline says so.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
. "$(dirname "$0")/../lib/danetest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

# iso_date WHICH CERT: notBefore/notAfter of CERT as the report writes it.
iso_date() {
	local d
	d=$(openssl x509 -in "$2" -noout "-$1" | cut -d= -f2)
	date -u -d "$d" +%Y-%m-%dT%H:%M:%SZ
}
cert_sha256=$(openssl x509 -in "$SERVER_CERT" -outform DER |
	openssl dgst -sha256 -r | cut -d' ' -f1)

# fields LINE WHAT: every field of the report, checked.
fields() {
	local l=$1 w=$2
	check "$w: encrypted" test "$(json_field "$l" encrypted)" = True
	check "$w: authenticated by ca" test "$(json_field "$l" authenticated_by)" = ca
	check "$w: ca_valid" test "$(json_field "$l" ca_valid)" = True
	check "$w: TLS 1.3" test "$(json_field "$l" tls)" = TLSv1.3
	check "$w: a TLS 1.3 cipher" grep -qE '^TLS_(AES|CHACHA20)' <<<"$(json_field "$l" cipher)"
	check "$w: certificate subject" grep -q 'CN *= *good.test' <<<"$(json_field "$l" cert_subject)"
	check "$w: certificate issuer" grep -q 'CN *= *ward test CA' <<<"$(json_field "$l" cert_issuer)"
	check "$w: valid from" test "$(json_field "$l" cert_not_before)" = "$(iso_date startdate "$SERVER_CERT")"
	check "$w: valid until" test "$(json_field "$l" cert_not_after)" = "$(iso_date enddate "$SERVER_CERT")"
	check "$w: SPKI SHA-256" test "$(json_field "$l" spki_sha256)" = "$SERVER_SPKI_SHA256"
	check "$w: certificate SHA-256" test "$(json_field "$l" cert_sha256)" = "$cert_sha256"
	check "$w: dnssec secure" test "$(json_field "$l" dnssec)" = secure
	check "$w: SRV secure" test "$(json_field "$l" dnssec_srv)" = secure
	check "$w: addresses secure" test "$(json_field "$l" dnssec_addr)" = secure
	check "$w: TLSA lookup secure (no records)" test "$(json_field "$l" dnssec_tlsa)" = secure
	check "$w: no TLSA records" test "$(json_field "$l" tlsa_records)" = 0
	check "$w: dane none" test "$(json_field "$l" dane)" = none
	check "$w: key pinned on first use" test "$(json_field "$l" key_pin)" = first-use
	check "$w: SASL mechanism" grep -q '^SCRAM-' <<<"$(json_field "$l" sasl)"
	check "$w: channel binding stated" test -n "$(json_field "$l" channel_binding)"
	check "$w: target from SRV" grep -qxE "xmpp.good.test:($C2S_PORT|$C2S_TLS_PORT)" <<<"$(json_field "$l" target)"
}

ward_setup rep alice@good.test "$ALICE_PW"
ward_start rep
line=$(ward_wait rep '"event":"connected"' 20)
check "connected" test -n "$line"
fields "$line" connected
ward_cmd rep /security
line=$(ward_wait rep '"event":"security"' 10)
check "/security answered" test -n "$line"
fields "$line" /security
ward_cmd rep /disconnect
ward_seen rep '"event":"disconnected"' 10
ward_cmd rep /security
sleep 0.5
line=$(grep -F '"event":"security"' "$(ward_dir rep)/events.jsonl" | tail -n 1)
check "/security offline: state offline" test "$(json_field "$line" state)" = offline
ward_stop rep
check "no sanitizer report" ward_sanitizer_clean rep

# A DANE login: the record, the TLSA state, authenticated_by dane.
dane_fake "$DANE_PORT_EE" dane-ee.test "$ROGUE_CERT" "$ROGUE_KEY"
line=$(dane_attempt drep alice@dane-ee.test)
check "DANE: connected" test "$(json_field "$line" event)" = connected
ward_cmd drep /security
line=$(ward_wait drep '"event":"security"' 10)
check "DANE /security: authenticated by dane" test "$(json_field "$line" authenticated_by)" = dane
check "DANE /security: dane match" test "$(json_field "$line" dane)" = match
check "DANE /security: matching record" grep -q '^3 1 1 ' <<<"$(json_field "$line" dane_record)"
check "DANE /security: ca_valid false" test "$(json_field "$line" ca_valid)" = False
check "DANE /security: TLSA secure" test "$(json_field "$line" dnssec_tlsa)" = secure
check "DANE /security: TLSA records counted" test "$(json_field "$line" tlsa_records)" = 4
check "DANE /security: usable ones counted" test "$(json_field "$line" tlsa_usable)" = 3
check "DANE /security: issuer is the unknown CA" grep -q 'rogue CA' <<<"$(json_field "$line" cert_issuer)"
ward_stop drep
check "DANE: no sanitizer report" ward_sanitizer_clean drep
fake_stop "$FAKE_PID"
test_exit
