#!/bin/bash
# tls_policy: the certificate must name the JID domain and chain to a
# trusted CA (cert-untrusted otherwise); a server that only speaks TLS 1.2
# is refused with default settings (tls-version) and accepted only with
# tls_min = 1.2; SSL_CERT_FILE adds trust anchors. Scripted fake servers on
# loopback play the servers.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

# try NAME MODE CERT KEY EXPECTED-CODE [extra conf] [fake args]
expect_error() {
	local name=$1 code=$2; shift 2
	local line
	line=$(ward_wait "$name" '"event":"error"' 20)
	check "$name: error $code" test "$(json_field "$line" code)" = "$code"
	check "$name: never connected" test "$(ward_count "$name" '"event":"connected"')" -eq 0
	ward_stop "$name"
	check "$name: no sanitizer report" ward_sanitizer_clean "$name"
}

fake_start normal --cert "$OTHER_CERT" --key "$OTHER_KEY" --password "$ALICE_PW"
ward_setup wrongname alice@good.test "$ALICE_PW" "server = 127.0.0.1" "port = $FAKE_PORT"
ward_start wrongname
expect_error wrongname cert-untrusted
check "wrongname: no <auth> sent" bash -c "! grep -q 'RECV auth' '$FAKE_LOG'"

fake_start normal --cert "$UNTRUSTED_CERT" --key "$UNTRUSTED_KEY" --password "$ALICE_PW"
ward_setup unknownca alice@good.test "$ALICE_PW" "server = 127.0.0.1" "port = $FAKE_PORT"
ward_start unknownca
expect_error unknownca cert-untrusted

fake_start tls12-only --cert "$SERVER_CERT" --key "$SERVER_KEY" --password "$ALICE_PW"
ward_setup tls12 alice@good.test "$ALICE_PW" "server = 127.0.0.1" "port = $FAKE_PORT"
ward_start tls12
expect_error tls12 tls-version

ward_setup tls12ok alice@good.test "$ALICE_PW" "server = 127.0.0.1" \
    "port = $FAKE_PORT" "tls_min = 1.2"
ward_start tls12ok
line=$(ward_wait tls12ok '"event":"connected"' 20)
check "tls_min = 1.2: connects to the 1.2-only server" test -n "$line"
check "tls_min = 1.2: reports TLSv1.2" test "$(json_field "$line" tls)" = TLSv1.2
ward_stop tls12ok
check "tls12ok: no sanitizer report" ward_sanitizer_clean tls12ok
# SSL_CERT_FILE adds a bundle of trust anchors (no ca_file here): the
# same server is untrusted without it.
fake_start normal --cert "$SERVER_CERT" --key "$SERVER_KEY" --password "$ALICE_PW"
for name in envca noenvca; do
	ward_setup "$name" alice@good.test "$ALICE_PW" "server = 127.0.0.1" "port = $FAKE_PORT"
	sed -i '/^ca_file = /d' "$(ward_dir "$name")/config/ward.conf"
done
SSL_CERT_FILE=$TEST_CA ward_start envca
line=$(ward_wait envca '"event":"connected"' 20)
check "SSL_CERT_FILE: the test CA is trusted" test -n "$line"
ward_stop envca
check "envca: no sanitizer report" ward_sanitizer_clean envca
ward_start noenvca
expect_error noenvca cert-untrusted

test_exit
