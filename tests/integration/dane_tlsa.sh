#!/bin/bash
# dane_tlsa: DANE (RFC 6698/7671/7673) against scripted servers reached
# through the DNSSEC-signed dane-* zones (tests/net/dns.sh). A secure TLSA
# match connects even without a CA (DANE-EE: name and validity are not
# checked; DANE-TA: the name is), "dane":"match" and authenticated_by dane;
# a secure TLSA set that does not match refuses a CA-valid certificate
# (dane-mismatch) before anything is sent over TLS; PKIX-TA/PKIX-EE records
# need a CA and the name as well; a zone of unusable records means PKIX.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
. "$(dirname "$0")/../lib/danetest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

# connects NAME ZONE PORT CERT KEY RECORD CA_VALID: ward logs in through
# DANE; the matching record starts with RECORD ("3 1 1").
connects() {
	local name=$1 zone=$2 port=$3 cert=$4 key=$5 rec=$6 ca=$7 line
	dane_fake "$port" "$zone" "$cert" "$key" || { fail "$name: fake server"; return; }
	line=$(dane_attempt "$name" "alice@$zone")
	check "$name: connected" test "$(json_field "$line" event)" = connected
	check "$name: dane match" test "$(json_field "$line" dane)" = match
	check "$name: authenticated by dane" \
		test "$(json_field "$line" authenticated_by)" = dane
	check "$name: matching record $rec" \
		grep -q "^$rec " <<<"$(json_field "$line" dane_record)"
	check "$name: TLSA lookup secure" \
		test "$(json_field "$line" dnssec_tlsa)" = secure
	check "$name: ca_valid $ca" test "$(json_field "$line" ca_valid)" = "$ca"
	check "$name: SPKI of the presented key" \
		test "$(json_field "$line" spki_sha256)" = "$(ca_tlsa_data "$cert" 1 1)"
	ward_stop "$name"
	check "$name: no sanitizer report" ward_sanitizer_clean "$name"
	fake_stop "$FAKE_PID"
}

# refused NAME ZONE PORT CERT KEY CODE: no login; CODE; nothing sent after TLS.
refused() {
	local name=$1 zone=$2 port=$3 cert=$4 key=$5 code=$6 line
	dane_fake "$port" "$zone" "$cert" "$key" || { fail "$name: fake server"; return; }
	line=$(dane_attempt "$name" "alice@$zone")
	check "$name: error $code" test "$(json_field "$line" code)" = "$code"
	sleep 0.5
	check "$name: never connected" \
		test "$(ward_count "$name" '"event":"connected"')" -eq 0
	check "$name: the TLS handshake happened" grep -q '^TLS-OK' "$FAKE_LOG"
	check "$name: nothing sent over TLS" fake_silent_after_tls "$FAKE_LOG"
	ward_stop "$name"
	check "$name: no sanitizer report" ward_sanitizer_clean "$name"
	fake_stop "$FAKE_PID"
}

# DANE-EE(3): SPKI SHA-256 of a key from an unknown CA.
connects ee-rogue dane-ee.test "$DANE_PORT_EE" "$ROGUE_CERT" "$ROGUE_KEY" "3 1 1" False
# DANE-EE, selector 0: a certificate for other.test only (names not checked).
connects ee-othername dane-ee.test "$DANE_PORT_EE" "$OTHER_CERT" "$OTHER_KEY" "3 0 1" False
# DANE-EE, matching type 0 (full SPKI): a certificate that expired in 2020.
connects ee-expired dane-ee.test "$DANE_PORT_EE" "$EXPIRED_CERT" "$EXPIRED_KEY" "3 1 0" False
# A CA-valid certificate whose key no record names.
refused ee-notlisted dane-ee.test "$DANE_PORT_EE" "$SERVER_CERT" "$SERVER_KEY" dane-mismatch

# DANE-TA(2) 2 1 1: the test CA's key (CA-valid as well) ...
connects ta-testca dane-ta.test "$DANE_PORT_TA" "$SERVER_CHAIN" "$SERVER_KEY" "2 1 1" True
# ... and the key of a CA nobody trusts: DANE alone authenticates.
connects ta-rogueca dane-ta.test "$DANE_PORT_TA" "$ROGUE_CHAIN" "$ROGUE_KEY" "2 1 1" False
# DANE-TA checks the name: the test CA's certificate for other.test.
refused ta-wrongname dane-ta.test "$DANE_PORT_TA" "$OTHER_CHAIN" "$OTHER_KEY" dane-mismatch

# PKIX-TA(0) 0 1 1 test CA: CA-valid chain with the right name.
connects pkix-ta dane-pkix.test "$DANE_PORT_PKIX" "$SERVER_CHAIN" "$SERVER_KEY" "0 1 1" True
# PKIX-EE(1), selector 0, matching type 2 (SHA-512), no chain sent.
connects pkix-ee dane-pkix.test "$DANE_PORT_PKIX" "$SERVER2_CERT" "$SERVER2_KEY" "1 0 2" True
# PKIX-EE(1) 1 1 1 names other.test's key, but PKIX needs the name too.
refused pkix-wrongname dane-pkix.test "$DANE_PORT_PKIX" "$OTHER_CHAIN" "$OTHER_KEY" dane-mismatch
# An unknown CA under PKIX usages.
refused pkix-rogue dane-pkix.test "$DANE_PORT_PKIX" "$ROGUE_CHAIN" "$ROGUE_KEY" dane-mismatch

# Unusable records only: ignored, PKIX decides.
dane_fake "$DANE_PORT_UNUSABLE" dane-unusable.test "$SERVER_CERT" "$SERVER_KEY"
line=$(dane_attempt unusable-ca alice@dane-unusable.test)
check "unusable records: connected with a CA-valid certificate" \
	test "$(json_field "$line" event)" = connected
check "unusable records: dane none" test "$(json_field "$line" dane)" = none
check "unusable records: authenticated by ca" \
	test "$(json_field "$line" authenticated_by)" = ca
check "unusable records: 6 found" test "$(json_field "$line" tlsa_records)" = 6
check "unusable records: none usable" test "$(json_field "$line" tlsa_usable)" = 0
ward_stop unusable-ca
fake_stop "$FAKE_PID"
refused unusable-rogue dane-unusable.test "$DANE_PORT_UNUSABLE" "$ROGUE_CERT" "$ROGUE_KEY" cert-untrusted
test_exit
