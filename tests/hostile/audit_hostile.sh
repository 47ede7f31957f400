#!/bin/bash
# audit_hostile: ward audit against scripted hostile servers (T60, T62).
# A server whose every stream header comes after a billion-laughs DTD: the
# audit's stream parser refuses it, nothing is expanded, the stream rules
# are "unknown" (never "pass"), and it ends quickly. A server that accepts
# TCP and <starttls/> and then never completes TLS: every probe times out
# (--timeout 1000), the TLS rules are "unknown" or "fail", never "pass", and
# the whole audit ends within its bounds. Two servers that offer
# <starttls/> without <required/>: one with its SASL mechanisms (PLAIN
# among them) before TLS, one with none but in-band registration answering
# in the clear: stream.encryption-required fails for both, naming what is
# reachable, and sasl.no-plain-before-tls for the first; the registration
# is only asked (iq get), never submitted. All exit without a sanitizer
# report.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
. "$(dirname "$0")/../lib/danetest.sh"
. "$(dirname "$0")/../lib/audittest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

ward_setup auditor alice@good.test "$ALICE_PW"
d=$(ward_dir auditor)

dane_fake "$DANE_PORT_UNSIGNED" dane-unsigned.test "$SERVER_CERT" \
	"$SERVER_KEY" --mode billion-laughs || fail "billion-laughs: fake server"
t0=$(date +%s)
"$WARD_BIN" audit dane-unsigned.test --json --account auditor \
	--config-dir "$d/config" --timeout 2000 > "$d/laughs.json" 2> "$d/laughs.err"
st=$?
t1=$(date +%s)
check "billion-laughs: a report (exit $st)" test "$st" -le 1
check "billion-laughs: one JSON object" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$d/laughs.json"
check "billion-laughs: no sanitizer report on stderr" test ! -s "$d/laughs.err"
check "billion-laughs: done within 60 s ($((t1 - t0)) s)" test $((t1 - t0)) -le 60
check "billion-laughs: no stream rule reported as pass" no_pass "$d/laughs.json" \
	stream.encryption-required sasl.no-plain-before-tls sasl.scram \
	sasl.channel-binding tls.v13 tls.certificate
kill "$FAKE_PID" 2>/dev/null

dane_fake "$DANE_PORT_WRONG" dane-wrong.test "$SERVER_CERT" "$SERVER_KEY" \
	--mode stall-tls || fail "stall-tls: fake server"
t0=$(date +%s)
"$WARD_BIN" audit dane-wrong.test --json --account auditor \
	--config-dir "$d/config" --timeout 1000 > "$d/stall.json" 2> "$d/stall.err"
st=$?
t1=$(date +%s)
check "stall-tls: a report (exit $st)" test "$st" -le 1
check "stall-tls: no sanitizer report on stderr" test ! -s "$d/stall.err"
check "stall-tls: done within 60 s ($((t1 - t0)) s)" test $((t1 - t0)) -le 60
check "stall-tls: no TLS rule reported as pass" no_pass "$d/stall.json" \
	tls.v13 tls.v12 tls.v11-refused tls.v10-refused tls.forward-secrecy \
	tls.certificate dane.match sasl.scram sasl.channel-binding
kill "$FAKE_PID" 2>/dev/null

# STARTTLS offered, not required, SASL (SCRAM-SHA-1 and PLAIN) offered
# before it: a client that skips STARTTLS can authenticate in the clear
dane_fake "$DANE_PORT_UNSIGNED" dane-unsigned.test "$SERVER_CERT" \
	"$SERVER_KEY" --mode tls-optional || fail "tls-optional: fake server"
"$WARD_BIN" audit dane-unsigned.test --json --account auditor \
	--config-dir "$d/config" > "$d/optional.json" 2> "$d/optional.err"
check "tls-optional: exit 1 (a MUST failed)" test $? -eq 1
check "tls-optional: no sanitizer report on stderr" test ! -s "$d/optional.err"
o=$d/optional.json
expect "$o" stream.encryption-required fail \
	"starttls offered, not marked required; SASL mechanisms: SCRAM-SHA-1 PLAIN"
expect "$o" sasl.no-plain-before-tls fail "PLAIN offered"
expect "$o" tls.v13 pass "TLSv1\.3"
check "tls-optional: the audit never authenticated" \
	bash -c "! grep -qE '^RECV (auth|response)' '$FAKE_LOG'"
kill "$FAKE_PID" 2>/dev/null

# STARTTLS offered, not required, no SASL before it, but a registration
# form comes back to an iq get in the clear (not advertised as a feature)
dane_fake "$DANE_PORT_UNSIGNED" dane-unsigned.test "$SERVER_CERT" \
	"$SERVER_KEY" --mode tls-optional-register ||
	fail "tls-optional-register: fake server"
"$WARD_BIN" audit dane-unsigned.test --json --account auditor \
	--config-dir "$d/config" > "$d/optreg.json" 2> "$d/optreg.err"
check "tls-optional-register: exit 1 (a MUST failed)" test $? -eq 1
check "tls-optional-register: no sanitizer report on stderr" test ! -s "$d/optreg.err"
r=$d/optreg.json
expect "$r" stream.encryption-required fail \
	"not marked required; SASL mechanisms: none; registration before TLS: iq get jabber:iq:register: a form came back"
expect "$r" sasl.no-plain-before-tls pass "PLAIN not offered"
check "tls-optional-register: the form was asked for in the clear" \
	grep -q "^SENT register-form" "$FAKE_LOG"
check "tls-optional-register: nothing submitted, no login" \
	bash -c "! grep -qE '^RECV (iq type=set|auth|response)' '$FAKE_LOG'"
kill "$FAKE_PID" 2>/dev/null
test_exit
