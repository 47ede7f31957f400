#!/bin/bash
# sandbox_setup: ./sandbox.sh as a new user meets it, driven by a script in
# headless mode (--headless --no-build, commands on stdin, events on
# stdout): every connection indicator is green (DNSSEC secure, DANE match,
# TLS 1.3, SCRAM-*-PLUS with tls-exporter: Prosody 13), bob and carol are
# mutual contacts and online, `/msg bob@good.test hello` goes out OMEMO-
# encrypted and bob's echo comes back encrypted, carol (plaintext only) is
# refused with omemo-unavailable until `/omemo off carol@good.test`, the
# room joins, and `/quit` stops every server the sandbox started. FAILS
# (never skips) when Prosody 13 or python-omemo cannot be had.
set -u
. "$(dirname "$0")/../net/env.sh"
. "$(dirname "$0")/../lib/wardtest.sh"

T=$(mktemp -d /tmp/ward-test.XXXXXX) || exit 1
chmod 755 "$T"
export WARD_TEST_DIR=$T		# for ward_wait & co.: "ward-sandbox" is ours
SBX=$T/sandbox
W=$(ward_dir sandbox)
mkdir -p "$W"
: > "$W/events.jsonl"
mkfifo "$W/stdin"
sbx_pid=

cleanup() {
	local st=$?
	exec 3>&- 2>/dev/null
	# sandbox.sh stops ward and its servers on SIGTERM; whatever is still
	# listed in its PID file after that is stopped here.
	if [ -n "$sbx_pid" ] && kill -0 "$sbx_pid" 2>/dev/null; then
		kill -TERM "$sbx_pid" 2>/dev/null
		for _ in $(seq 1 100); do
			kill -0 "$sbx_pid" 2>/dev/null || break
			sleep 0.1
		done
	fi
	if [ -f "$SBX/pids" ]; then
		while read -r p; do kill -KILL "$p" 2>/dev/null; done < "$SBX/pids"
	fi
	if [ "$st" -eq 0 ] && [ "$TEST_FAILS" -eq 0 ]; then
		rm -rf "$T"
	else
		echo "sandbox_setup: logs kept in $T" >&2
	fi
}
trap cleanup EXIT

# The peers' own requirement, checked on its own so its failure says so.
check "python-omemo, oldmemo and slixmpp import (bob needs them)" \
	/usr/bin/python3 -W ignore -c 'import slixmpp, omemo, oldmemo, oldmemo.etree'

WARD_SANDBOX_DIR=$SBX "$WARD_SRC/sandbox.sh" --headless --no-build \
	< "$W/stdin" > "$W/events.jsonl" 2> "$W/stderr" &
sbx_pid=$!
echo "$sbx_pid" > "$W/pid"
exec 3> "$W/stdin"
say() { printf '%s\n' "$1" >&3; }

# Start-up: Prosody 13 (unpacked once from bookworm-backports), zones,
# python peers; slow under load.
connected=$(ward_wait sandbox '"event":"connected"' 180)
if [ -z "$connected" ]; then
	fail "the sandbox came up and ward connected; its stderr:"
	sed 's/^/    /' "$W/stderr" | tail -n 20
	test_exit
fi
pass "the sandbox came up and ward connected"
grep -q '^sandbox: up in ' "$W/stderr" &&
	echo "measure: $(grep '^sandbox: up in ' "$W/stderr" | head -n 1)"

# indicators LINE WHAT: the connected/security event is all green.
indicators() {
	local line=$1 what=$2
	check "$what: dnssec secure" test "$(json_field "$line" dnssec)" = secure
	check "$what: dnssec_tlsa secure" test "$(json_field "$line" dnssec_tlsa)" = secure
	check "$what: dane match" test "$(json_field "$line" dane)" = match
	check "$what: TLS 1.3" test "$(json_field "$line" tls)" = TLSv1.3
	check "$what: a SCRAM -PLUS mechanism ($(json_field "$line" sasl))" \
		grep -qE '^SCRAM-SHA-[0-9]+-PLUS$' <<< "$(json_field "$line" sasl)"
	check "$what: channel binding tls-exporter" \
		test "$(json_field "$line" channel_binding)" = tls-exporter
}
indicators "$connected" connected

for who in bob carol; do
	check "$who is a contact with mutual subscription" ward_seen sandbox \
		"\"event\":\"roster\",\"account\":\"alice\",\"jid\":\"$who@good.test\"" 15
	line=$(grep -F "\"jid\":\"$who@good.test\"" "$W/events.jsonl" |
		grep -F '"event":"roster"' | head -n 1)
	check "$who's subscription is both" test "$(json_field "$line" subscription)" = both
	check "$who's roster name says what $who is ($(json_field "$line" name))" \
		grep -qE '^(Bob \(OMEMO echo bot\)|Carol \(plaintext only\))$' <<< "$(json_field "$line" name)"
	check "$who's presence arrives (online)" ward_seen sandbox \
		"\"event\":\"presence\",\"account\":\"alice\",\"from\":\"$who@good.test/" 15
done

say /security
line=$(ward_wait sandbox '"event":"security"' 15)
indicators "$line" /security

# --- bob: OMEMO both ways --------------------------------------------------
say '/msg bob@good.test hello'
line=$(ward_wait sandbox '"event":"queued","account":"alice","id"' 15)
check "the message to bob is queued with encryption omemo" \
	test "$(json_field "$line" encryption)" = omemo
line=$(ward_wait sandbox '"body":"echo: hello"' 30)
check "bob's echo comes back" test -n "$line"
check "bob's echo came OMEMO-encrypted" test "$(json_field "$line" encryption)" = omemo
check "bob's echo is from bob" grep -q '^bob@good.test/' <<< "$(json_field "$line" from)"
BOB_EVENTS=$SBX/omemo-bob/events.jsonl
bob_got=$(grep -F '"event":"message"' "$BOB_EVENTS" 2>/dev/null | grep -F '"body":"hello"' | head -n 1)
check "bob (python-omemo) decrypted ward's message" \
	test "$(json_field "$bob_got" encrypted)" = True
check "bob answered encrypted" \
	grep -q '"event":"sent".*"encrypted":true.*"echo":true' "$BOB_EVENTS"

# bob answers plaintext in plaintext (omemo_peer.py --echo), once the chat
# is made plaintext by the user; then back to OMEMO.
say '/omemo off bob@good.test'
say '/msg bob@good.test plain to bob'
line=$(ward_wait sandbox '"body":"echo: plain to bob"' 30)
check "after /omemo off bob, bob's echo is plaintext" \
	test "$(json_field "$line" encryption)" = none
say '/omemo on bob@good.test'
say '/msg bob@good.test encrypted again'
line=$(ward_wait sandbox '"body":"echo: encrypted again"' 30)
check "after /omemo on bob, bob's echo is OMEMO again" \
	test "$(json_field "$line" encryption)" = omemo

# --- carol: plaintext only -------------------------------------------------
say '/msg carol@good.test hello carol'
line=$(ward_wait sandbox '"code":"omemo-unavailable"' 30)
check "the message to carol is refused with omemo-unavailable" test -n "$line"
check "the refusal names carol" test "$(json_field "$line" jid)" = carol@good.test
check "nothing reached carol in plaintext" \
	bash -c '! grep -qF "hello carol" "$1"' _ "$SBX/carol.log"
say '/omemo off carol@good.test'
say '/msg carol@good.test plain hello'
line=$(ward_wait sandbox '"body":"echo: plain hello"' 30)
check "after /omemo off, carol's echo comes back" test -n "$line"
check "carol's echo is plaintext" test "$(json_field "$line" encryption)" = none

# --- the room --------------------------------------------------------------
say '/join lobby@rooms.good.test'
check "the room lobby@rooms.good.test joins" ward_seen sandbox \
	'"room":"lobby@rooms.good.test","nick":"alice","state":"joined"' 20

# --- /quit stops everything ----------------------------------------------------
# Everything the sandbox started, as registered by it (testnet.sh's PID
# file: Prosody, nsd, bob, carol), and ward.
pids=$(sort -u "$SBX/pids" 2>/dev/null | tr '\n' ' ')
ward_pid=$(cat "$SBX/alice/ward.pid" 2>/dev/null)
alive=0
for p in $pids $ward_pid; do kill -0 "$p" 2>/dev/null && alive=$((alive + 1)); done
check "ward, Prosody, nsd, bob and carol run ($alive PIDs alive)" test "$alive" -ge 5
say /quit
exec 3>&-
st=
for _ in $(seq 1 200); do
	kill -0 "$sbx_pid" 2>/dev/null || { wait "$sbx_pid"; st=$?; break; }
	sleep 0.1
done
check "/quit ends the sandbox with status 0 (got ${st:-still running})" test "${st:-x}" = 0
still=""
for p in $pids $ward_pid; do
	kill -0 "$p" 2>/dev/null && still="$still $p"
done
check "every server and bot it started is stopped${still:+ (alive:$still)}" test -z "$still"
check "no sanitizer report" \
	bash -c '! grep -qE "ERROR: AddressSanitizer|runtime error:|ERROR: LeakSanitizer" "$1"' _ "$W/stderr"
test_exit
