#!/bin/bash
# audit_login: `ward audit DOMAIN --account NAME`, the rules only a logged-in
# client can see (XEP-0157 abuse address, HTTP upload slot paths and the
# username in them, XEP-0215 STUN/TURN ports), over the audit's own login.
# - Prosody 0.12 (tests/net/prosody.cfg.lua, reached through the signed
#   zone with TLSA: DANE verifies the login): no contact form (XEP-0157
#   fail, exit 1), mod_http_file_share (UUID paths: pass, no username), no
#   XEP-0215 (unknown). Its log: one login, one iq set (the bind), no
#   presence, no message, no registration, no PUT; the slot UUIDs and the
#   password in no output.
# - No --account, an account on another domain: needs-account; a wrong
#   password: unknown with the reason, the audit still ends, exit 0.
# - /audit in the pipe passes the account: the same verdicts.
# - Prosody 13 (prosody-cb.cfg.lua with CBP_AUDIT=1): TLS 1.3 only,
#   contact_info and external_services on ports other than 3478/5349:
#   every field compared with that config; the login used SCRAM-SHA-1-PLUS.
# - Scripted servers (fakeserver.py audit-services / audit-silent): the same
#   slot path with the username (both fail), a counter (fail), random paths
#   with the username (paths pass, username fail); STUN on 3478/5349 (fail)
#   and half of them (partial); an abuse address with a bidi override and a
#   C1 control (sanitised); TURN credentials never shown; a server that
#   never answers after bind: unknown within the timeout, no hang.
set -u
export DNS_GOOD_TLSA=1
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
. "$(dirname "$0")/../lib/audittest.sh"
. "$(dirname "$0")/../net/prosody13.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap 'st=$?; cbprosody_stop; (exit $st); testnet_down' EXIT

# fake_no_sasl: the last fake server got no <auth/> and no <response/>
# (the audit's outside probes do open streams over TLS and ask about
# registration, unauthenticated)
fake_no_sasl() {
	! grep -qE '^RECV (auth|response)( |$)' "$FAKE_LOG"
}
# not_in WORD FILE...: WORD (fixed string) is in none of the files
not_in() {
	local w=$1
	shift
	! grep -qF -- "$w" "$@"
}
# run_audit NAME ARGS...: ward audit good.test --json ARGS into $d/NAME.json
# (stderr in $d/NAME.err); sets ST to its exit status
run_audit() {
	local name=$1
	shift
	"$WARD_BIN" audit good.test --json "$@" > "$d/$name.json" 2> "$d/$name.err"
	ST=$?
}

ward_setup auditor alice@good.test "$ALICE_PW"
d=$(ward_dir auditor)
acct=(--account auditor --config-dir "$d/config")

# --- Prosody 0.12 through SRV --------------------------------------------
mark=$(wc -l < "$PROSODY_LOG")
run_audit p12 "${acct[@]}"
g=$d/p12.json
check "0.12: exit 1 (XEP-0157 is a MUST and fails)" test "$ST" -eq 1
check "0.12: one JSON object" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$g"
check "0.12: nothing on stderr (no sanitizer report)" test ! -s "$d/p12.err"
expect "$g" xep0157.abuse fail "no XEP-0157 form \\(FORM_TYPE http://jabber.org/network/serverinfo\\)"
expect "$g" upload.paths pass "^service upload\\.good\\.test, two slots \\(nothing uploaded\\): a random-looking segment differs.*GET https://upload\\.good\\.test:$HTTPS_PORT/file_share/\\[24 chars, 2[0-4] differ\\]/ward-audit-probe\\.txt; PUT the same URL"
expect "$g" upload.username pass "localpart is in neither path"
expect "$g" stun.ports unknown "no STUN/TURN services announced \\(urn:xmpp:extdisco:2: error service-unavailable; urn:xmpp:extdisco:1: error service-unavailable\\)"
# the outside rules as audit.sh has them (the login changes none)
expect "$g" tls.v13 pass "TLSv1.3"
expect "$g" dane.match pass "matches 3 1 1"
expect "$g" sasl.scram fail "SCRAM-SHA-1"
expect "$g" register.open pass "closed"
expect "$g" server.password-hashing not-observable
sleep 0.5
tail -n +"$((mark + 1))" "$PROSODY_LOG" > "$d/p12-prosody.log"
pl=$d/p12-prosody.log
check "0.12: the audit logged in once (SCRAM)" \
	test "$(grep -c "Authenticated as alice@good.test" "$pl")" -eq 1
check "0.12: SCRAM-SHA-1, the strongest 0.12 offers under TLS 1.3" \
	grep -qE "RECV: <auth [^>]*mechanism=.SCRAM-SHA-1.[ >]" "$pl"
check "0.12: no presence from the audit" not_in "RECV: <presence" "$pl"
check "0.12: no message from the audit" not_in "RECV: <message" "$pl"
check "0.12: no registration set (only the unauthenticated iq get)" \
	bash -c "! grep 'RECV: <iq' '$pl' | grep 'jabber:iq:register' | grep -q \"type=.set\""
check "0.12: one iq set, the resource binding" \
	test "$(grep 'RECV: <iq' "$pl" | grep -c "type=.set")" -eq 1 -a \
	"$(grep 'RECV: <iq' "$pl" | grep "type=.set" | grep -c 'xmpp-bind')" -eq 1
check "0.12: no roster, no PEP, no carbons asked" \
	bash -c "! grep 'RECV: <iq' '$pl' | grep -qE 'jabber:iq:roster|pubsub|carbons|urn:xmpp:sm'"
check "0.12: two slots asked for" \
	test "$(grep 'RECV: <iq' "$pl" | grep -c 'urn:xmpp:http:upload:0')" -eq 2
check "0.12: nothing uploaded (no PUT)" bash -c "! grep -qE 'PUT /file_share|PUT /' '$pl'"
check "0.12: the stream closed cleanly by the client" \
	grep -qE "c2s stream for alice@good\.test/[^ ]* closed: session closed" "$pl"
# the random part of each slot (24 characters in 0.12's file_share)
uuids=$(grep -oE "url='https://[^']*/file_share/[A-Za-z0-9_-]{24}/" "$pl" |
	sort -u | cut -d/ -f5)
check "0.12: two slot ids seen in Prosody's log" test "$(wc -w <<<"$uuids")" -eq 2
"$WARD_BIN" audit good.test "${acct[@]}" > "$d/p12.txt" 2>&1
check "0.12 table: the four rows" \
	test "$(grep -cE '^(pass|fail|unknown) +(MUST|SHOULD) +(xep0157\.abuse|upload\.paths|upload\.username|stun\.ports) ' "$d/p12.txt")" -eq 4
leak=0
for u in $uuids; do
	grep -qF -- "$u" "$g" "$d/p12.err" "$d/p12.txt" && leak=1
	grep -qF -- "${u:0:8}" "$g" "$d/p12.txt" && leak=1
done
check "0.12: no slot id (nor a piece of one) in --json, the table or stderr" test "$leak" -eq 0
check "0.12: the password in no output" not_in "$ALICE_PW" "$g" "$d/p12.err" "$d/p12.txt"

# --- without an account, another domain's account, a wrong password -----
before_auth=$(grep -c "Authenticated as" "$PROSODY_LOG")
run_audit none --ca-file "$TEST_CA" --dns-trust-anchor "$DNS_ANCHOR" \
	--dns-stub "test. 127.0.0.1@$DNS_PORT"
expect "$d/none.json" upload.paths needs-account "needs a login: give --account NAME"
expect "$d/none.json" stun.ports needs-account "needs a login"
ward_setup elsewhere alice@localhost "$ALICE_PW"
run_audit elsewhere --account elsewhere --config-dir "$(ward_dir elsewhere)/config"
expect "$d/elsewhere.json" xep0157.abuse needs-account "needs an account on good\\.test; elsewhere is on localhost: no login"
check "no login without an account or with one on another domain" \
	test "$(grep -c "Authenticated as" "$PROSODY_LOG")" -eq "$before_auth"
ward_setup wrongpw alice@good.test "not-$ALICE_PW"
run_audit wrongpw --account wrongpw --config-dir "$(ward_dir wrongpw)/config"
check "wrong password: the audit ends, exit 0 (no MUST observed failed)" test "$ST" -eq 0
check "wrong password: nothing on stderr" test ! -s "$d/wrongpw.err"
for id in xep0157.abuse upload.paths upload.username stun.ports; do
	expect "$d/wrongpw.json" "$id" unknown "login as alice@good\\.test failed: authentication failed: not-authorized"
done
check "wrong password: in no output" not_in "not-$ALICE_PW" "$d/wrongpw.json" "$d/wrongpw.err"

# --- /audit through the pipe: the child gets the account, not the password
ward_start auditor --no-connect
: > "$d/argv.txt"
( for _ in $(seq 1 1200); do
	ps -eo args | grep -F " audit good.test --tsv" | grep -v grep >> "$d/argv.txt"
	sleep 0.1
  done ) &
psloop=$!
ward_cmd auditor "/audit good.test"
end=$(ward_wait auditor '"event":"audit-end"' 180)
kill "$psloop" 2>/dev/null; wait "$psloop" 2>/dev/null
check "/audit: the child was given the account by name and config directory" \
	grep -qF -- "--account auditor --config-dir $d/config" "$d/argv.txt"
check "/audit: the password in no argv" not_in "$ALICE_PW" "$d/argv.txt"
check "/audit: audit-end, complete, not ok (XEP-0157 fails)" \
	test "$(json_field "$end" complete)-$(json_field "$end" ok)" = True-False
ev=$(ward_dir auditor)/events.jsonl
check "/audit: one audit event per check of ward audit --json --account" \
	test "$(grep -c '"event":"audit"' "$ev")" -eq \
	"$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["checks"]))' "$g")"
check "/audit: every verdict the same as ward audit --json --account" python3 -c '
import json,sys
want={c["id"]:c["verdict"] for c in json.load(open(sys.argv[1]))["checks"]}
got={}
for l in open(sys.argv[2]):
    e=json.loads(l)
    if e.get("event")=="audit": got[e["id"]]=e["verdict"]
sys.exit(0 if got==want else 1)' "$g" "$ev"
check "/audit: the password in no event" not_in "$ALICE_PW" "$ev"
ward_stop auditor
check "/audit: no sanitizer report" ward_sanitizer_clean auditor

# --- Prosody 13, TLS 1.3 only, contact info and external services -------
export CBP_AUDIT=1
if cbprosody_start 13 1.3; then
	run_audit p13 "${acct[@]}" --server 127.0.0.1 --port "$CBP_PORT"
	q=$d/p13.json
	check "13: exit 0 (every MUST observed held)" test "$ST" -eq 0
	check "13: nothing on stderr" test ! -s "$d/p13.err"
	expect "$q" dns.srv-xmpp-client pass
	expect "$q" dns.dnssec pass "probing --server 127.0.0.1:$CBP_PORT"
	expect "$q" dns.tlsa unknown "not looked up"
	expect "$q" dane.match unknown "no secure TLSA"
	expect "$q" tls.v13 pass "TLSv1.3"
	expect "$q" tls.v12 pass "refused"
	expect "$q" tls.v11-refused pass
	expect "$q" tls.v10-refused pass
	expect "$q" tls.ssl3-refused unknown "not built"
	expect "$q" tls.forward-secrecy pass "refused"
	expect "$q" tls.certificate pass "valid for the domain"
	expect "$q" stream.encryption-required pass "<required/>; SASL mechanisms: none"
	expect "$q" sasl.no-plain-before-tls pass
	expect "$q" sasl.scram fail "SCRAM-SHA-1-PLUS"
	expect "$q" sasl.channel-binding pass "-PLUS offered under TLSv1.3"
	expect "$q" sasl.cb-types pass "tls-exporter"
	expect "$q" stream.max-bytes pass "max-bytes 262144"
	expect "$q" register.open pass "closed"
	expect "$q" xep0157.abuse pass "^abuse-addresses: mailto:abuse@good\\.test, xmpp:abuse@good\\.test$"
	expect "$q" upload.paths unknown "no HTTP upload service \\(urn:xmpp:http:upload:0\\) on good\\.test nor among its 0 disco#items"
	expect "$q" upload.username unknown "no HTTP upload service"
	expect "$q" stun.ports pass "^0 of 2 on 3478/5349: stun 127\\.0\\.0\\.1:13478/udp, turn 127\\.0\\.0\\.1:13479/udp$"
	check "13: the TURN credentials in no output" bash -c \
		'! grep -qiE "username|password|:alice" <<<"$1" && ! grep -q ward-audit-turn-secret "$2"' \
		_ "$(evidence "$q" stun.ports)" "$q"
	check "13: the login used SCRAM-SHA-1-PLUS (tls-exporter)" \
		test "$(cbprosody_count "RECV: <auth [^>]*mechanism=.SCRAM-SHA-1-PLUS.[ >]")" -eq 1
	check "13: no presence, no message from the audit" \
		test "$(cbprosody_count 'RECV: <(presence|message)')" -eq 0
	check "13: the password in no output" not_in "$ALICE_PW" "$q" "$d/p13.err"
	cbprosody_stop
else
	fail "Prosody 13 did not start"
fi
unset CBP_AUDIT

# --- scripted servers ---------------------------------------------------
# the same path twice, with the username; STUN on the standard ports; a
# hostile abuse address
# (-PLUS with tls-server-end-point advertised: every other MUST the fake
# shows holds, so the exit status is the upload rule's)
plus=(--mechanisms SCRAM-SHA-256-PLUS,SCRAM-SHA-256 --cb-types tls-server-end-point)
fake_start audit-services "${plus[@]}" || fail "audit-services: fake server"
run_audit same "${acct[@]}" --server 127.0.0.1 --port "$FAKE_PORT" --timeout 3000
s=$d/same.json
check "same path: exit 1 (random upload paths are a MUST)" test "$ST" -eq 1
expect "$s" sasl.channel-binding pass "tls-server-end-point|-PLUS offered"
check "same path: nothing on stderr" test ! -s "$d/same.err"
expect "$s" upload.paths fail "both slots have the same path.*GET https://upload\\.good\\.test/files/<localpart>/ward-audit-probe\\.txt"
expect "$s" upload.username fail "localpart is in the GET paths \\(segment 2\\)"
expect "$s" stun.ports fail "^2 of 2 on 3478/5349: stun turn\\.good\\.test:3478/udp \\(standard port\\), turns turn\\.good\\.test:5349/tcp \\(standard port\\)$"
expect "$s" xep0157.abuse pass "^abuse-addresses: mailto:abuse@good\\.test<U\\+202E><U\\+0085>evil, xmpp:abuse@good\\.test$"
check "hostile abuse address: no bidi override or C1 control in the evidence" python3 -c '
import json,sys
e=next(c["evidence"] for c in json.load(open(sys.argv[1]))["checks"] if c["id"]=="xep0157.abuse")
sys.exit(1 if any(ch in e for ch in "\u202e\u0085") else 0)' "$s"
check "same path: the TURN password in no output" not_in "TURN-SECRET" "$s"
check "same path: the slot URL in no output" \
	not_in "$(grep -m1 -oE 'get=https://[^ ]*' "$FAKE_LOG" | cut -d= -f2)" "$s"
check "fake: no presence, no message" \
	bash -c "! grep -qE '^RECV (presence|message)' '$FAKE_LOG'"
check "fake: one iq set, the bind" \
	test "$(fake_count '^RECV iq type=set ')-$(fake_count '^RECV iq type=set .*child=bind ')" = 1-1
check "fake: the client closed its stream" grep -q '^RECV stream-close' "$FAKE_LOG"
fake_stop

# a counter in the path
fake_start audit-services --slot-path '/f/{n}000/{file}' || fail "counter: fake server"
run_audit counter "${acct[@]}" --server 127.0.0.1 --port "$FAKE_PORT" --timeout 3000
expect "$d/counter.json" upload.paths fail "differ in at most 1 character and.*/f/\\[4 chars, 1 differ\\]/"
expect "$d/counter.json" upload.username pass
fake_stop

# random paths that hold the username; one STUN port of two standard (the
# TURN one without a port attribute: its default, 3478)
fake_start audit-services "${plus[@]}" --slot-path '/{user}/{rand}/{file}' \
	--stun 'stun:13478:udp,turn:-:udp' || fail "random+user: fake server"
run_audit ruser "${acct[@]}" --server 127.0.0.1 --port "$FAKE_PORT" --timeout 3000
r=$d/ruser.json
check "random+user: exit 0 (the username is a SHOULD NOT)" test "$ST" -eq 0
check "random+user: the login used SCRAM-SHA-256-PLUS" \
	test "$(fake_count '^RECV auth mechanism=SCRAM-SHA-256-PLUS ')" -eq 1
expect "$r" upload.paths pass "/<localpart>/\\[32 chars, [0-9]+ differ\\]/ward-audit-probe\\.txt"
expect "$r" upload.username fail "segment 1"
expect "$r" stun.ports partial "^1 of 2 on 3478/5349: stun turn\\.good\\.test:13478/udp, turn turn\\.good\\.test:3478/udp \\(standard port\\)$"
leak=0
for u in $(grep -oE '/alice/[0-9a-f]{32}/' "$FAKE_LOG" | cut -d/ -f3); do
	grep -qF -- "${u:0:8}" "$r" "$d/ruser.err" && leak=1
done
check "random+user: no piece of the random part in the report" test "$leak" -eq 0
fake_stop

# never an answer after bind: unknown after the timeout, no hang
fake_start audit-silent || fail "silent: fake server"
t0=$(date +%s)
run_audit silent "${acct[@]}" --server 127.0.0.1 --port "$FAKE_PORT" --timeout 1500
t1=$(date +%s)
check "silent: a report (exit $ST)" test "$ST" -le 1
check "silent: nothing on stderr" test ! -s "$d/silent.err"
check "silent: done within 60 s ($((t1 - t0)) s)" test $((t1 - t0)) -le 60
expect "$d/silent.json" xep0157.abuse unknown "disco#info of good\\.test: no answer within the timeout"
expect "$d/silent.json" upload.paths unknown "no answer within the timeout"
expect "$d/silent.json" stun.ports unknown "no answer within the timeout"
check "silent: the server saw the login and the iqs it ignored" \
	test "$(fake_count '^IQ-IGNORED ')" -ge 3
fake_stop

# the login sends nothing of the account where it cannot be safe: a
# certificate no anchor vouches for, a server without SCRAM; one that never
# answers <auth/> is unknown within the timeout
fake_start audit-services --cert "$UNTRUSTED_CERT" --key "$UNTRUSTED_KEY" ||
	fail "untrusted: fake server"
run_audit untrusted "${acct[@]}" --server 127.0.0.1 --port "$FAKE_PORT" --timeout 1500
expect "$d/untrusted.json" upload.paths unknown "login as alice@good\.test failed: 127\.0\.0\.1:$FAKE_PORT: certificate not valid for good\.test \(.*\): no login"
check "untrusted: no SASL from the audit" fake_no_sasl
fake_stop
fake_start audit-services --mechanisms PLAIN || fail "plain: fake server"
run_audit plain "${acct[@]}" --server 127.0.0.1 --port "$FAKE_PORT" --timeout 1500
expect "$d/plain.json" stun.ports unknown "failed: no SCRAM offered: ward never sends a password otherwise"
check "plain: no <auth/> sent" fake_no_sasl
fake_stop
fake_start never-answer-sasl || fail "no-sasl-answer: fake server"
run_audit nosasl "${acct[@]}" --server 127.0.0.1 --port "$FAKE_PORT" --timeout 1500
expect "$d/nosasl.json" xep0157.abuse unknown "failed: SASL: no answer within the timeout"
check "no-sasl-answer: nothing on stderr" test ! -s "$d/nosasl.err"
fake_stop
test_exit
