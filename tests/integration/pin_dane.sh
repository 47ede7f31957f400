#!/bin/bash
# pin_dane: DANE and the key pin together. A key change that a
# DNSSEC-signed TLSA record vouches for needs no decision: ward logs in,
# pins the new key and only reports it (an info event with key_changed).
# A TLSA set that does not match refuses a changed key outright, even a
# CA-valid one (dane-mismatch, no prompt to click through). (That a
# mismatch refuses the pinned key itself too is in tests/unit/serverpin.)
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
. "$(dirname "$0")/../lib/danetest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

W=dpin
JID=alice@dane-ee.test

# run CERT KEY: one ward run (same data dir, so the same pin) against a
# fake server with CERT on the dane-ee.test port; prints the first
# connected or error event.
run() {
	local line
	dane_fake "$DANE_PORT_EE" dane-ee.test "$1" "$2" || return 1
	line=$(dane_attempt $W $JID)
	sleep 0.3
	ward_stop $W
	fake_stop "$FAKE_PID"
	printf '%s\n' "$line"
}

# The rogue key (3 1 1 in the zone) is pinned on first use, via DANE.
line=$(run "$ROGUE_CERT" "$ROGUE_KEY")
check "first run: connected by dane" test "$(json_field "$line" authenticated_by)" = dane
check "first run: key pinned" test "$(json_field "$line" key_pin)" = first-use

# Another key that the zone also lists (3 0 1): no prompt, only a report.
line=$(run "$OTHER_CERT" "$OTHER_KEY")
ev=$(ward_dir $W)/events.jsonl
check "DANE-vouched change: connected" test "$(json_field "$line" event)" = connected
check "DANE-vouched change: no prompt" test "$(ward_count $W '"event":"prompt"')" -eq 0
check "DANE-vouched change: key_pin changed-dane" test "$(json_field "$line" key_pin)" = changed-dane
info=$(grep -F '"key_changed":true' "$ev" | head -n 1)
check "DANE-vouched change: reported" test -n "$info"
check "DANE-vouched change: report names the old key" \
	test "$(json_field "$info" old_spki_sha256)" = "$ROGUE_SPKI_SHA256"
check "DANE-vouched change: report names the new key" \
	test "$(json_field "$info" spki_sha256)" = "$OTHER_SPKI_SHA256"

# The new key is the pin now.
line=$(run "$OTHER_CERT" "$OTHER_KEY")
check "after the DANE-vouched change: key_pin match" test "$(json_field "$line" key_pin)" = match

# A CA-valid key that the TLSA records do not name: refused, never asked.
line=$(run "$SERVER_CERT" "$SERVER_KEY")
check "CA-valid key outside the TLSA set: dane-mismatch" \
	test "$(json_field "$line" code)" = dane-mismatch
check "CA-valid key outside the TLSA set: no prompt" \
	test "$(ward_count $W '"event":"prompt"')" -eq 0
check "no sanitizer report" ward_sanitizer_clean $W
test_exit
