#!/bin/bash
# audit: `ward audit DOMAIN --json` against the loopback Prosody 0.12
# (tests/net/prosody.cfg.lua) through the DNSSEC-signed test zones. Each
# field is compared with what the config makes true: both SRV records, a
# signed zone, TLSA 3 1 1 of the server key (DNS_GOOD_TLSA=1) matching, the
# zone's signed CAA records with an accounturi, TLS 1.3 and 1.2 accepted
# (1.2 partial) on both targets (STARTTLS and direct TLS, named in one line
# since they agree), 1.0/1.1 refused, SSL 3 unknown
# (not built into Debian's OpenSSL), no RSA key exchange, the test CA's
# certificate valid, STARTTLS required with no SASL before it,
# SCRAM-SHA-256 not offered by 0.12 (SCRAM-SHA-1 only), no -PLUS under TLS
# 1.3 (0.12 has tls-unique only, so partial), no XEP-0478 limits
# (unknown), registration closed, the rules behind a login needing an
# account (no --account here: nothing authenticates; audit_login.sh has
# them, and /audit). A BOGUS zone is a fail naming the record (its CAA
# too); a zone without CAA fails dns.caa; unsigned CAA records pass, said
# unsigned, their bytes escaped; an expired certificate, a TLSA mismatch, a
# server accepting TLS 1.0/1.1 and RSA key exchange, one without STARTTLS,
# and a direct TLS target accepting TLS 1.0/1.1 where the STARTTLS one
# refuses them each fail with the evidence naming the target (exit 1);
# Prosody 13 on TLS 1.3 only; ejabberd 23.01 (-PLUS on TLS 1.3 without
# XEP-0440 types: partial).
set -u
export DNS_GOOD_TLSA=1
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
. "$(dirname "$0")/../lib/danetest.sh"
. "$(dirname "$0")/../lib/audittest.sh"
. "$(dirname "$0")/../net/prosody13.sh"
. "$(dirname "$0")/../net/ejabberd.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap 'st=$?; cbprosody_stop; ejabberd_stop; (exit $st); testnet_down' EXIT

ward_setup auditor alice@good.test "$ALICE_PW"
d=$(ward_dir auditor)
# without --account (the account's resolver and CA given as options): the
# audit never logs in (audit_login.sh tests --account)
outside=(--ca-file "$TEST_CA" --dns-trust-anchor "$DNS_ANCHOR"
	--dns-stub "test. 127.0.0.1@$DNS_PORT")
before=$(grep -c "Client connected" "$PROSODY_LOG")
before_auth=$(grep -cE "RECV: <auth |Authenticated as" "$PROSODY_LOG")
"$WARD_BIN" audit good.test --json "${outside[@]}" \
	> "$d/good.json" 2> "$d/good.err"
status=$?
check "good.test: one JSON object" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$d/good.json"
check "good.test: exit 0 (no MUST observed failed; -PLUS under TLS 1.2 is partial)" test "$status" -eq 0
check "good.test: nothing on stderr (no tty: no progress line)" test ! -s "$d/good.err"
g=$d/good.json
expect "$g" dns.srv-xmpp-client pass "xmpp\.good\.test:$C2S_PORT"
expect "$g" dns.srv-xmpps-client pass "xmpp\.good\.test:$C2S_TLS_PORT"
expect "$g" dns.dnssec pass "SRV secure.*A/AAAA secure"
expect "$g" dns.tlsa pass "_${C2S_PORT}._tcp.xmpp.good.test: published, secure"
expect "$g" dane.match pass "matches 3 1 1"
expect "$g" dns.caa pass '^CAA at good\.test \(signed\): 0 issue "ca\.test; accounturi=https://ca\.test/acme/acct/1"; 0 issuewild ";"; 0 iodef "mailto:security@good\.test"$'
expect "$g" dns.caa-accounturi pass "^1 of 1 issue/issuewild records naming a CA carry one accounturi"
both="xmpp\.good\.test:$C2S_PORT, xmpp\.good\.test:$C2S_TLS_PORT \(direct TLS\)"
expect "$g" tls.v13 pass "^$both: TLSv1\.3 "
expect "$g" tls.v12 partial "^$both: accepted: TLSv1\.2 "
expect "$g" tls.v11-refused pass "^$both: handshake refused"
expect "$g" tls.v10-refused pass "^$both: handshake refused"
expect "$g" tls.ssl3-refused unknown "not built"
expect "$g" tls.forward-secrecy pass "^RSA key exchange offered alone under TLS 1\.2: $both: refused"
expect "$g" tls.certificate pass "xmpp\.good\.test:$C2S_PORT: valid for the domain.*expires.*xmpp\.good\.test:$C2S_TLS_PORT: valid for the domain"
expect "$g" stream.encryption-required pass "<required/>; SASL mechanisms: none"
expect "$g" sasl.no-plain-before-tls pass
expect "$g" sasl.scram fail "SCRAM-SHA-1"
expect "$g" sasl.channel-binding partial "NOT offered under TLSv1.3; offered under TLSv1.2"
expect "$g" sasl.cb-types partial "not advertised"
expect "$g" stream.max-bytes unknown "no XEP-0478"
expect "$g" register.open pass "closed: iq get jabber:iq:register: error service-unavailable"
expect "$g" xep0157.abuse needs-account "give --account"
expect "$g" upload.paths needs-account
expect "$g" upload.username needs-account
expect "$g" stun.ports needs-account
expect "$g" server.password-hashing not-observable
expect "$g" server.auth-limits not-observable
sleep 0.5
check "the audit reached the server" test "$(grep -c "Client connected" "$PROSODY_LOG")" -gt "$before"
check "the audit never authenticated" \
	test "$(grep -cE "RECV: <auth |Authenticated as" "$PROSODY_LOG")" -eq "$before_auth"
check "the audit never sent a registration set" \
	bash -c "! grep -E 'RECV: <iq[^>]*type=.set' '$PROSODY_LOG' | grep -q ward-audit"

# the human table holds the same verdicts
"$WARD_BIN" audit good.test "${outside[@]}" > "$d/good.txt" 2>/dev/null
check "table: a row per check" \
	test "$(grep -cE '^(pass|partial|fail|unknown|not-observable|needs-account) ' "$d/good.txt")" \
	-eq "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["checks"]))' "$g")"
check "table: tls.v12 partial" grep -Eq '^partial +SHOULD +tls\.v12 ' "$d/good.txt"

# a BOGUS zone: the DNSSEC check fails and names the record
before=$(grep -c "Client connected" "$PROSODY_LOG")
"$WARD_BIN" audit bogus.test --json --account auditor \
	--config-dir "$d/config" > "$d/bogus.json" 2>/dev/null
b=$d/bogus.json
expect "$b" dns.dnssec fail "bogus\.test"
expect "$b" dns.srv-xmpp-client fail "BOGUS"
expect "$b" tls.v13 unknown "no server address"
expect "$b" dns.caa fail "BOGUS.*: bogus\.test CAA: "
expect "$b" dns.caa-accounturi fail "BOGUS"
expect "$b" xep0157.abuse needs-account "needs an account on bogus\.test; auditor is on good\.test: no login"
check "bogus.test: no TCP connection to the server" \
	test "$(grep -c "Client connected" "$PROSODY_LOG")" -eq "$before"

# an expired certificate (scripted server on dane-pkix.test's port; not
# dane-ee.test, whose port is Prosody's HTTPS_PORT too): the certificate
# check fails with the reason and the date
dane_fake "$DANE_PORT_PKIX" dane-pkix.test "$EXPIRED_CERT" "$EXPIRED_KEY" ||
	fail "expired: fake server"
"$WARD_BIN" audit dane-pkix.test --json --account auditor \
	--config-dir "$d/config" > "$d/expired.json" 2>/dev/null
check "expired certificate: exit 1 (a MUST failed)" test $? -eq 1
e=$d/expired.json
expect "$e" tls.certificate fail "INVALID, certificate has expired.*expires 2020"
expect "$e" dns.caa fail "^no CAA at dane-pkix\.test or above it up to test: any CA may issue"
expect "$e" dns.caa-accounturi fail "no usable CAA"
kill "$FAKE_PID" 2>/dev/null

# a TLSA mismatch (dane-wrong.test publishes data that matches nothing)
dane_fake "$DANE_PORT_WRONG" dane-wrong.test "$SERVER_CERT" "$SERVER_KEY" ||
	fail "dane-wrong: fake server"
"$WARD_BIN" audit dane-wrong.test --json --account auditor \
	--config-dir "$d/config" > "$d/wrong.json" 2>/dev/null
check "TLSA mismatch: exit 1 (a MUST failed)" test $? -eq 1
w=$d/wrong.json
expect "$w" dns.tlsa pass "published, secure"
expect "$w" dane.match fail "no record matches"
expect "$w" tls.certificate pass "valid for the domain"
kill "$FAKE_PID" 2>/dev/null

# a weak scripted server (dane-ta.test's port, a self-signed RSA
# certificate so that RSA key exchange is possible at all): TLS 1.0 and 1.1
# accepted, RSA key exchange accepted, SCRAM-SHA-1 and PLAIN after TLS
rsa=$WARD_TEST_DIR/rsa
mkdir -p "$rsa"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=dane-ta.test \
	-keyout "$rsa/rsa.key" -out "$rsa/rsa.pem" 2>/dev/null ||
	fail "weak: RSA certificate"
[ "$(id -u)" -eq 0 ] && chown -R "$TEST_USER" "$rsa"
dane_fake "$DANE_PORT_TA" dane-ta.test "$rsa/rsa.pem" "$rsa/rsa.key" \
	--tls-min 1.0 --ciphers 'ALL:kRSA:@SECLEVEL=0' ||
	fail "weak: fake server"
"$WARD_BIN" audit dane-ta.test --json --account auditor \
	--config-dir "$d/config" > "$d/weak.json" 2>/dev/null
check "weak server: exit 1" test $? -eq 1
k=$d/weak.json
expect "$k" tls.v10-refused fail "accepted: TLSv1 "
expect "$k" tls.v11-refused fail "accepted: TLSv1.1"
expect "$k" tls.forward-secrecy fail "accepted, TLSv1.2 (AES|CAMELLIA|ARIA)"
expect "$k" tls.v13 pass
expect "$k" tls.certificate fail "INVALID, self-signed certificate"
expect "$k" sasl.scram fail "SCRAM-SHA-1 PLAIN"
kill "$FAKE_PID" 2>/dev/null

# a server that offers no STARTTLS and SASL PLAIN in the clear
# (dane-unsigned.test's port)
dane_fake "$DANE_PORT_UNSIGNED" dane-unsigned.test "$SERVER_CERT" \
	"$SERVER_KEY" --mode no-tls || fail "no-tls: fake server"
"$WARD_BIN" audit dane-unsigned.test --json --account auditor \
	--config-dir "$d/config" > "$d/notls.json" 2>/dev/null
check "no-tls server: exit 1" test $? -eq 1
n=$d/notls.json
expect "$n" stream.encryption-required fail "starttls NOT offered; SASL mechanisms: .*PLAIN"
expect "$n" sasl.no-plain-before-tls fail "PLAIN offered"
expect "$n" tls.v13 unknown "offers no STARTTLS"
expect "$n" dns.dnssec fail "unsigned"
# its CAA records are unsigned: present (pass), said so; the ESC in one
# value comes out as \027, never raw
expect "$n" dns.caa pass '^CAA at dane-unsigned\.test \(NOT signed\): 0 issue "ca\.test"; 0 issue "evil\\027\[2J\.test"$'
expect "$n" dns.caa-accounturi fail "^0 of 2 "
check "no-tls: no raw ESC anywhere in the report" \
	bash -c "! grep -q \$'\\x1b' '$n'"
kill "$FAKE_PID" 2>/dev/null

# XEP-0368 targets that differ: split-tls.test's STARTTLS target (a
# scripted server on DANE_PORT_WRONG, TLS 1.2 and 1.3) refuses TLS 1.0 and
# 1.1, its direct TLS target (DANE_PORT_UNUSABLE, TLS 1.0 and up) accepts
# them: each rule fails naming that target, the rules they agree on name
# both in one line; the zone has no CAA
dane_fake "$DANE_PORT_WRONG" split-tls.test "$SERVER_CERT" "$SERVER_KEY" ||
	fail "split-tls: STARTTLS fake server"
split_starttls_pid=$FAKE_PID
dane_fake "$DANE_PORT_UNUSABLE" split-tls.test "$SERVER_CERT" "$SERVER_KEY" \
	--direct-tls --tls-min 1.0 || fail "split-tls: direct TLS fake server"
split_direct_log=$FAKE_LOG
"$WARD_BIN" audit split-tls.test --json --account auditor \
	--config-dir "$d/config" > "$d/split.json" 2>/dev/null
check "split-tls: exit 1 (a MUST failed on one target)" test $? -eq 1
x=$d/split.json
st="xmpp\.split-tls\.test:$DANE_PORT_WRONG"
dt="xmpp\.split-tls\.test:$DANE_PORT_UNUSABLE \(direct TLS\)"
expect "$x" dns.srv-xmpps-client pass "xmpp\.split-tls\.test:$DANE_PORT_UNUSABLE"
expect "$x" tls.v10-refused fail "^$st: handshake refused[^;]*; $dt: accepted: TLSv1 "
expect "$x" tls.v11-refused fail "^$st: handshake refused[^;]*; $dt: accepted: TLSv1\.1 "
expect "$x" tls.v13 pass "^$st, $dt: TLSv1\.3 "
expect "$x" tls.v12 partial "^$st, $dt: accepted: TLSv1\.2 "
expect "$x" tls.certificate pass "$st: valid for the domain.*xmpp\.split-tls\.test:$DANE_PORT_UNUSABLE: valid for the domain"
expect "$x" dns.caa fail "^no CAA at split-tls\.test or above it up to test"
check "split-tls: the direct TLS probes offered ALPN xmpp-client" \
	grep -q "^TLS-OK .*alpn=xmpp-client" "$split_direct_log"
kill "$split_starttls_pid" "$FAKE_PID" 2>/dev/null

# Prosody 13 on TLS 1.3 only (tests/net/prosody-cb.cfg.lua), reached with
# --server: TLS 1.2 refused, -PLUS under TLS 1.3 (tls-exporter) with the
# XEP-0440 types, XEP-0478 max-bytes 262144, SCRAM-SHA-1 only
# (internal_hashed), registration closed
if cbprosody_start 13 1.3; then
	"$WARD_BIN" audit good.test --json "${outside[@]}" \
		--server 127.0.0.1 --port "$CBP_PORT" > "$d/p13.json" 2>/dev/null
	q=$d/p13.json
	expect "$q" dns.dnssec pass "probing --server 127.0.0.1:$CBP_PORT"
	expect "$q" stream.max-bytes pass "max-bytes 262144"
	expect "$q" dns.tlsa unknown "not looked up"
	expect "$q" sasl.scram fail "SCRAM-SHA-1-PLUS"  # internal_hashed: SHA-1 only
	expect "$q" tls.v13 pass "TLSv1.3"
	expect "$q" tls.v12 pass "refused"
	expect "$q" tls.v11-refused pass
	expect "$q" tls.certificate pass "valid for the domain"
	expect "$q" stream.encryption-required pass
	expect "$q" sasl.channel-binding pass "-PLUS offered under TLSv1.3"
	expect "$q" sasl.cb-types pass "tls-exporter"
	expect "$q" register.open pass "closed"
	cbprosody_stop
else
	fail "Prosody 13 did not start"
fi

# ejabberd 23.01 (tests/net/ejabberd.sh: starttls_required, SCRAM-SHA-256,
# no mod_register, TLS 1.2 and 1.3): -PLUS is offered under TLS 1.3 with
# no XEP-0440 types (23.01 binds with tls-unique there, which RFC 9266
# forbids): partial, with the reason; registration closed (the unauthed
# iq gets a stream error)
if ejabberd_start 1.3; then
	"$WARD_BIN" audit good.test --json "${outside[@]}" \
		--server 127.0.0.1 --port "$EJ_PORT" > "$d/ej.json" 2>/dev/null
	check "ejabberd: exit 0 (no MUST observed failed)" test $? -eq 0
	j=$d/ej.json
	expect "$j" tls.v13 pass "TLSv1.3"
	expect "$j" tls.v12 partial "accepted: TLSv1.2"
	expect "$j" tls.v10-refused pass
	expect "$j" stream.encryption-required pass "<required/>; SASL mechanisms: none"
	expect "$j" sasl.scram pass "SCRAM-SHA-256"
	expect "$j" sasl.channel-binding partial "offered under TLSv1.3 but no XEP-0440 type"
	expect "$j" sasl.cb-types partial "not advertised"
	expect "$j" register.open pass "closed"
	ejabberd_stop
else
	fail "ejabberd did not start"
fi

"$WARD_BIN" audit 'bad domain!' >/dev/null 2>&1
check "a bad domain is a usage error (2)" test $? -eq 2
test_exit
