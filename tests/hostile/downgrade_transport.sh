#!/bin/bash
# downgrade_transport: a server (or an attacker in the path) that offers no
# STARTTLS, or only PLAIN, or stalls the TLS handshake gets nothing: no
# <auth>, no password, an error, no session. ward also logs in with every
# SCRAM hash (SHA-512 / -256 / -1) when that is the strongest offered, and
# over direct TLS (XEP-0368).
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

run_fake() {	# run_fake NAME MODE [fake args...]; sets up and starts ward NAME
	local name=$1 mode=$2; shift 2
	fake_start "$mode" --cert "$SERVER_CERT" --key "$SERVER_KEY" --password "$ALICE_PW" "$@"
	ward_setup "$name" alice@good.test "$ALICE_PW" "server = 127.0.0.1" "port = $FAKE_PORT" \
	    ${WARD_EXTRA:+"$WARD_EXTRA"}
	ward_start "$name"
}

run_fake notls no-tls
line=$(ward_wait notls '"event":"error"' 20)
check "no STARTTLS offered: refused" test "$(json_field "$line" code)" = tls-failed
check "no STARTTLS: nothing but the stream header sent" \
    bash -c "! grep -E 'RECV (auth|iq|message|presence|starttls)' '$FAKE_LOG'"
ward_stop notls

run_fake plain plain-only
line=$(ward_wait plain '"event":"error"' 20)
check "PLAIN only: refused" test "$(json_field "$line" code)" = auth-failed
check "PLAIN only: no <auth> at all" bash -c "! grep -q 'RECV auth' '$FAKE_LOG'"
ward_stop plain

run_fake stall stall-tls
sleep 2
ward_cmd stall "/security"
check "stalled handshake: ward stays responsive" ward_seen stall '"event":"security"' 5
line=$(ward_wait stall '"event":"error"' 25)
check "stalled handshake: gives up with tls-failed" test "$(json_field "$line" code)" = tls-failed
ward_stop stall

for mech in SCRAM-SHA-512 SCRAM-SHA-256 SCRAM-SHA-1; do
	n=$(echo "$mech" | tr 'A-Z-' 'a-z_')
	run_fake "$n" normal --mechanisms "PLAIN,SCRAM-SHA-1,$mech"
	line=$(ward_wait "$n" '"event":"connected"' 20)
	check "$mech offered: logs in with it" test "$(json_field "$line" sasl)" = "$mech"
	ward_stop "$n"
done

fake_start normal --cert "$SERVER_CERT" --key "$SERVER_KEY" --password "$ALICE_PW" --direct-tls
ward_setup direct alice@good.test "$ALICE_PW" "server = 127.0.0.1" "port = $FAKE_PORT" "direct_tls = yes"
ward_start direct
line=$(ward_wait direct '"event":"connected"' 20)
check "direct TLS: connected" test "$(json_field "$line" direct_tls)" = True
check "direct TLS: ALPN xmpp-client offered" grep -q 'alpn=xmpp-client' "$FAKE_LOG"
check "direct TLS: SNI is the JID domain" grep -q 'sni=good.test' "$FAKE_LOG"
ward_stop direct

for n in notls plain stall scram_sha_512 scram_sha_256 scram_sha_1 direct; do
	check "$n: no sanitizer report" ward_sanitizer_clean "$n"
done
test_exit
