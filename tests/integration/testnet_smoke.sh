#!/bin/bash
# testnet_smoke: checks the test network itself, without ward: Prosody
# delivers between two slixmpp peers, serves the right certificate on both
# ports, logs connections and <auth>; the fake server's SCRAM is right.
set -u
. "$(dirname "$0")/../net/testnet.sh"

FAILS=0
pass() { echo "PASS: testnet_smoke: $*"; }
fail() { echo "FAIL: testnet_smoke: $*"; FAILS=$((FAILS + 1)); }
check() {
	local what=$1; shift
	if "$@"; then pass "$what"; else fail "$what"; fi
}

testnet_up || { echo "FAIL: testnet_smoke: testnet_up"; exit 1; }
trap testnet_down EXIT
echo "testnet_smoke: up in ${TESTNET_UP_MS} ms (Prosody to STARTTLS ${PROSODY_START_MS} ms," \
	"with accounts and rooms ${PROSODY_READY_MS} ms; DNS ${DNS_START_MS:-n/a} ms)"

# fingerprint of the certificate a TLS server presents; $1.. = s_client args
presented_fp() {
	timeout 5 openssl s_client "$@" -CAfile "$TEST_CA" < /dev/null 2>/dev/null |
		openssl x509 -noout -fingerprint -sha256 2>/dev/null
}
want_fp=$(openssl x509 -in "$SERVER_CERT" -noout -fingerprint -sha256)
s_client_ok() {	# HOST:PORT DOMAIN [extra]: verified handshake, name checked
	local hp=$1 dom=$2; shift 2
	timeout 5 openssl s_client -brief -connect "$hp" -servername "$dom" \
		-verify_hostname "$dom" -verify_return_error -CAfile "$TEST_CA" "$@" \
		< /dev/null 2>&1 | grep -q '^Verification: OK'
}

# --- Prosody: certificates on both ports, both address families ----------
check "STARTTLS on C2S presents the test server cert" \
	test "$(presented_fp -connect 127.0.0.1:"$C2S_PORT" -starttls xmpp -xmpphost good.test)" = "$want_fp"
check "direct TLS on C2S_TLS presents the test server cert" \
	test "$(presented_fp -connect 127.0.0.1:"$C2S_TLS_PORT" -servername good.test)" = "$want_fp"
for dom in good.test unsigned.test nosrv.test bogus.test expired.test noservice.test localhost; do
	check "STARTTLS verifies for $dom" \
		s_client_ok 127.0.0.1:"$C2S_PORT" "$dom" -starttls xmpp -xmpphost "$dom"
done
check "direct TLS verifies, ALPN xmpp-client" s_client_ok 127.0.0.1:"$C2S_TLS_PORT" good.test -alpn xmpp-client
check "STARTTLS on ::1" s_client_ok "[::1]:$C2S_PORT" good.test -starttls xmpp -xmpphost good.test
check "direct TLS on ::1" s_client_ok "[::1]:$C2S_TLS_PORT" good.test
check "Prosody not on a non-loopback address" \
	bash -c "! ss -Hltn | awk '{print \$4}' | grep -E ':($C2S_PORT|$C2S_TLS_PORT)\$' | grep -vqE '^(127\.0\.0\.1|\[::1\]):'"

# --- Prosody: messages between two slixmpp peers --------------------------
conn0=$(prosody_count $'\tinfo\tClient connected$')
auth0=$(prosody_count 'RECV: <auth ')
"$PEER" --jid dave@good.test --password "$DAVE_PW" --ca "$TEST_CA" --port "$C2S_PORT" \
	--expect-from carol@good.test --expect-body "hello dave" --timeout 15 \
	> "$WARD_TEST_DIR/dave.out" 2> "$WARD_TEST_DIR/dave.err" &
dave=$!
# dave must be online before carol sends (no offline storage assumption)
for _ in $(seq 1 100); do
	grep -q 'Authenticated as dave@good.test' "$PROSODY_LOG" &&
		grep -q "RECV: <presence" "$PROSODY_LOG" && break
	sleep 0.05
done
sleep 0.2
"$PEER" --jid carol@good.test --password "$CAROL_PW" --ca "$TEST_CA" --port "$C2S_PORT" \
	--send dave@good.test "hello dave" --timeout 15 2> "$WARD_TEST_DIR/carol.err"
check "carol logged in and sent" test $? -eq 0
wait "$dave"
check "dave received carol's message" test $? -eq 0
check "dave printed it as JSON" grep -q '"body": "hello dave"' "$WARD_TEST_DIR/dave.out"
"$PEER" --jid carol@good.test --password "$CAROL_PW" --ca "$TEST_CA" --port "$C2S_TLS_PORT" \
	--direct-tls --timeout 15 2>/dev/null
check "login over direct TLS" test $? -eq 0
"$PEER" --jid carol@good.test --password "$CAROL_PW" --ca "$ROGUE_CA" --port "$C2S_PORT" \
	--timeout 10 2>/dev/null
check "peer.py refuses a server its CA does not vouch for" test $? -eq 2
check "Prosody logged the peers' connections" \
	test "$(prosody_count $'\tinfo\tClient connected$')" -ge $((conn0 + 3))
check "Prosody logged the peers' <auth>" test "$(prosody_count 'RECV: <auth ')" -ge $((auth0 + 3))
rooms_exist() {
	local out
	out=$(_prosodyctl shell --quiet "muc:list('$MUC_DOMAIN')")
	grep -q "$LOBBY_ROOM" <<< "$out" && grep -q "$NONANON_ROOM" <<< "$out"
}
check "MUC rooms exist" rooms_exist

# --- DNS (when dns.sh is there) ----------------------------------------------
if [ -n "${DNS_START_MS:-}" ]; then
	check "DNS: SRV for good.test points at C2S_PORT" bash -c \
		"drill -p '$DNS_PORT' @127.0.0.1 SRV _xmpp-client._tcp.good.test | grep -qE 'SRV[[:space:]]+[0-9]+ [0-9]+ $C2S_PORT '"
fi

# --- fake server: a real SCRAM server --------------------------------------
fake_start normal || fail "fake_start normal"
"$PEER" --jid alice@good.test --password "$ALICE_PW" --ca "$TEST_CA" --port "$FAKE_PORT" \
	--timeout 10 2>/dev/null
check "fake normal: slixmpp logs in with SCRAM-SHA-1" test $? -eq 0
check "fake normal: log shows auth, success, bind" bash -c \
	"grep -q '^RECV auth mechanism=SCRAM-SHA-1 ' '$FAKE_LOG' && grep -q '^AUTH-OK ' '$FAKE_LOG' && grep -q '^BIND ' '$FAKE_LOG'"
"$PEER" --jid alice@good.test --password not-the-password --ca "$TEST_CA" --port "$FAKE_PORT" \
	--timeout 10 2>/dev/null
check "fake normal: a wrong password is refused" test $? -ne 0
check "fake normal: the wrong SCRAM proof was caught" \
	grep -q '^AUTH-FAIL condition=not-authorized reason=bad-credentials' "$FAKE_LOG"

fake_start normal --mechanisms SCRAM-SHA-256-PLUS,SCRAM-SHA-256 --tls-max 1.2 ||
	fail "fake_start normal (PLUS)"
"$PEER" --jid alice@good.test --password "$ALICE_PW" --ca "$TEST_CA" --port "$FAKE_PORT" \
	--timeout 10 2>/dev/null
check "fake normal: SCRAM-SHA-256-PLUS (tls-unique, TLS 1.2) login" bash -c \
	"grep -q '^RECV auth mechanism=SCRAM-SHA-256-PLUS ' '$FAKE_LOG' && grep -q '^BIND ' '$FAKE_LOG'"

fake_start bad-server-signature || fail "fake_start bad-server-signature"
"$PEER" --jid alice@good.test --password "$ALICE_PW" --ca "$TEST_CA" --port "$FAKE_PORT" \
	--timeout 10 2>/dev/null
check "fake bad-server-signature: slixmpp refuses the wrong v=" test $? -ne 0
check "fake bad-server-signature: no bind after the bad <success/>" \
	bash -c "grep -q '^SENT bad-server-signature' '$FAKE_LOG' && ! grep -q '^RECV iq' '$FAKE_LOG'"

fake_start tls12-only --direct-tls || fail "fake_start tls12-only"
check "fake tls12-only: direct TLS is TLS 1.2 with ALPN" bash -c \
	"timeout 5 openssl s_client -brief -connect 127.0.0.1:$FAKE_PORT -servername good.test -alpn xmpp-client -CAfile '$TEST_CA' </dev/null 2>&1 | grep -q 'Protocol version: TLSv1.2'"
check "fake tls12-only: logged SNI and ALPN" \
	grep -q '^TLS-OK version=TLSv1.2 .* sni=good.test alpn=xmpp-client ' "$FAKE_LOG"

fake_start stall-tls || fail "fake_start stall-tls"
timeout 3 openssl s_client -brief -starttls xmpp -xmpphost good.test \
	-connect 127.0.0.1:"$FAKE_PORT" < /dev/null > /dev/null 2>&1
check "fake stall-tls: the handshake never completes" test $? -eq 124
check "fake stall-tls: still running" kill -0 "$FAKE_PID"

# --- clean-up stops everything ------------------------------------------------
pids=$(cat "$WARD_TEST_DIR/pids")
testnet_stop_all
alive=0
for p in $pids; do kill -0 "$p" 2>/dev/null && alive=1; done
check "testnet_stop_all stopped every server" test "$alive" -eq 0

[ "$FAILS" -eq 0 ]
