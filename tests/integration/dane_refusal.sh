#!/bin/bash
# dane_refusal: TLSA records that must not let ward log in. A validly
# signed TLSA set naming no key refuses a CA-valid certificate
# (dane-mismatch, nothing sent after the TLS handshake); a BOGUS TLSA
# answer (edited after signing, or its signature expired) means no
# connection at all (dnssec-bogus, no TCP connection reaches the server,
# although SRV and addresses are valid); a TLSA record in an unsigned zone
# vouches for nothing (cert-untrusted for a key from an unknown CA, and no
# TLSA lookup is even made: "dnssec_tlsa":"not-used" for a CA-valid one).
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
. "$(dirname "$0")/../lib/danetest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

# Signed, but the records name no key: a CA-valid certificate is refused.
dane_fake "$DANE_PORT_WRONG" dane-wrong.test "$SERVER_CERT" "$SERVER_KEY"
line=$(dane_attempt wrong alice@dane-wrong.test)
check "wrong TLSA: error dane-mismatch" test "$(json_field "$line" code)" = dane-mismatch
sleep 0.5
check "wrong TLSA: never connected" test "$(ward_count wrong '"event":"connected"')" -eq 0
check "wrong TLSA: TLS handshake done" grep -q '^TLS-OK' "$FAKE_LOG"
check "wrong TLSA: nothing sent after TLS" fake_silent_after_tls "$FAKE_LOG"
check "wrong TLSA: no reconnection attempt" test "$(grep -c '^CONNECT' "$FAKE_LOG")" -eq 1
ward_stop wrong
check "wrong TLSA: no sanitizer report" ward_sanitizer_clean wrong
fake_stop "$FAKE_PID"

# BOGUS TLSA: the server (CA-valid, so PKIX alone would let ward in) never
# sees a TCP connection.
dane_fake "$DANE_PORT_BOGUS" dane-bogus.test "$SERVER_CERT" "$SERVER_KEY"
for zone in dane-bogus dane-expired; do
	line=$(dane_attempt "$zone" "alice@$zone.test")
	check "$zone: error dnssec-bogus" test "$(json_field "$line" code)" = dnssec-bogus
	check "$zone: names the TLSA record" \
		grep -q "_$DANE_PORT_BOGUS._tcp.xmpp.$zone.test TLSA" <<<"$(json_field "$line" text)"
	sleep 0.5
	check "$zone: never connected" test "$(ward_count "$zone" '"event":"connected"')" -eq 0
	check "$zone: no TCP connection reached the server" \
		test "$(grep -c '^CONNECT' "$FAKE_LOG")" -eq 0
	ward_stop "$zone"
	check "$zone: no sanitizer report" ward_sanitizer_clean "$zone"
done
fake_stop "$FAKE_PID"

# An unsigned zone: its TLSA record (for the rogue key) counts for nothing.
dane_fake "$DANE_PORT_UNSIGNED" dane-unsigned.test "$ROGUE_CERT" "$ROGUE_KEY"
line=$(dane_attempt unsigned-rogue alice@dane-unsigned.test)
check "unsigned zone, unknown CA: cert-untrusted" test "$(json_field "$line" code)" = cert-untrusted
check "unsigned zone, unknown CA: nothing sent after TLS" fake_silent_after_tls "$FAKE_LOG"
ward_stop unsigned-rogue
fake_stop "$FAKE_PID"
dane_fake "$DANE_PORT_UNSIGNED" dane-unsigned.test "$SERVER_CERT" "$SERVER_KEY"
line=$(dane_attempt unsigned-ca alice@dane-unsigned.test)
check "unsigned zone, CA-valid: connected" test "$(json_field "$line" event)" = connected
check "unsigned zone: dnssec insecure" test "$(json_field "$line" dnssec)" = insecure
check "unsigned zone: TLSA not looked up" test "$(json_field "$line" dnssec_tlsa)" = not-used
check "unsigned zone: dane none" test "$(json_field "$line" dane)" = none
check "unsigned zone: authenticated by ca" test "$(json_field "$line" authenticated_by)" = ca
ward_stop unsigned-ca
check "unsigned-ca: no sanitizer report" ward_sanitizer_clean unsigned-ca
fake_stop "$FAKE_PID"
test_exit
