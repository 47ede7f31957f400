#!/bin/bash
# pin_change: the first server key seen (SPKI SHA-256) is pinned. When a
# later run meets another key, the connection stops right after the TLS
# handshake (the server's log shows TLS-OK and nothing parsed after it) and
# a "cert-changed" prompt shows both fingerprints, issuer, validity and who
# vouches for the new key. /reject ends it (error cert-changed, no retry),
# /accept pins the new key and the same connection logs in; an accepted key
# is not asked about again. A key nobody vouches for can be accepted too
# (then authenticated_by "pin"). A prompt whose connection dies is withdrawn.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
. "$(dirname "$0")/../lib/danetest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

W=pin
EV=$(ward_dir $W)/events.jsonl

# run_against PORT: the pin account's config now points at PORT (the data
# dir, and so the pin, stays); starts ward.
run_against() {
	ward_setup $W alice@good.test "$ALICE_PW" "server = 127.0.0.1" "port = $1"
	ward_start $W
}

# tls_conns: the fake server's connections that finished a TLS handshake.
tls_conns() { grep -c '^TLS-OK' "$FAKE_LOG"; }

# last_conn: the number of the fake server's last TLS connection.
last_conn() { grep '^TLS-OK' "$FAKE_LOG" | tail -n 1 | sed -E 's/.* conn=([0-9]+)$/\1/'; }

# parsed_after_tls N: the fake server parsed a stream header over TLS on
# connection N.
parsed_after_tls() { grep -qE "^RECV stream .*tls=1 .*conn=$1\$" "$FAKE_LOG"; }
silent_after_tls() { ! parsed_after_tls "$1" && ! grep -qE "^(RECV (auth|iq|message|presence)|AUTH-OK).* conn=$1\$" "$FAKE_LOG"; }

# --- 1. first use: the CA-valid key is pinned ---------------------------------
fake_start normal --cert "$SERVER_CERT" --key "$SERVER_KEY"
run_against "$FAKE_PORT"
line=$(ward_wait $W '"event":"connected"' 20)
check "first run: connected" test -n "$line"
check "first run: key pinned on first use" test "$(json_field "$line" key_pin)" = first-use
check "first run: authenticated by ca" test "$(json_field "$line" authenticated_by)" = ca
check "first run: spki_sha256 is the server key's" \
	test "$(json_field "$line" spki_sha256)" = "$SERVER_SPKI_SHA256"
ward_stop $W

run_against "$FAKE_PORT"
line=$(ward_wait $W '"event":"connected"' 20)
check "same key again: connected" test -n "$line"
check "same key again: key_pin match" test "$(json_field "$line" key_pin)" = match
check "same key again: no prompt" test "$(ward_count $W '"event":"prompt"')" -eq 0
ward_stop $W
fake_stop

# --- 2. the key changes (CA-valid): prompt, nothing sent, /reject -------------
fake_start normal --cert "$SERVER2_CERT" --key "$SERVER2_KEY"
run_against "$FAKE_PORT"
line=$(ward_wait $W '"event":"prompt"' 20)
check "new key: prompt" test -n "$line"
check "new key: kind cert-changed" test "$(json_field "$line" kind)" = cert-changed
check "new key: old fingerprint" test "$(json_field "$line" old_spki_sha256)" = "$SERVER_SPKI_SHA256"
check "new key: new fingerprint" test "$(json_field "$line" spki_sha256)" = "$SERVER2_SPKI_SHA256"
check "new key: issuer shown" grep -q "ward test CA" <<<"$(json_field "$line" cert_issuer)"
check "new key: validity shown" grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T' <<<"$(json_field "$line" cert_not_after)"
check "new key: a CA vouches" test "$(json_field "$line" vouched_by)" = ca
check "new key: the text names both keys" \
	grep -q "$SERVER_SPKI_SHA256.*$SERVER2_SPKI_SHA256" <<<"$(json_field "$line" text)"
id=$(json_field "$line" id)
sleep 1.5
n=$(last_conn)
check "new key: the TLS handshake happened" test "$(tls_conns)" -eq 1
check "new key: nothing sent over TLS while the prompt waits (server log)" silent_after_tls "$n"
check "new key: not connected while the prompt waits" test "$(ward_count $W '"event":"connected"')" -eq 0
ward_cmd $W "/reject $id"
line=$(ward_wait $W '"event":"error"' 10)
check "/reject: error cert-changed" test "$(json_field "$line" code)" = cert-changed
check "/reject: disconnected" ward_seen $W '"event":"disconnected"' 10
sleep 2
check "/reject: still nothing sent over TLS" silent_after_tls "$n"
check "/reject: no new connection attempt" test "$(grep -c '^CONNECT' "$FAKE_LOG")" -eq 1
check "/reject: never connected" test "$(ward_count $W '"event":"connected"')" -eq 0

# --- 3. /connect: asked again (nothing was pinned), /accept -------------------
ward_cmd $W "/connect"
for _ in $(seq 1 200); do
	[ "$(ward_count $W '"event":"prompt"')" -ge 2 ] && break
	sleep 0.05
done
line=$(grep -F '"event":"prompt"' "$EV" | tail -n 1)
id2=$(json_field "$line" id)
check "asked again after /reject" test -n "$id2" -a "$id2" != "$id"
sleep 1
n=$(last_conn)
check "second prompt: nothing sent over TLS yet" silent_after_tls "$n"
ward_cmd $W "/accept $id2"
line=$(ward_wait $W '"event":"connected"' 20)
check "/accept: connected" test -n "$line"
check "/accept: new key in the report" test "$(json_field "$line" spki_sha256)" = "$SERVER2_SPKI_SHA256"
check "/accept: key_pin accepted" test "$(json_field "$line" key_pin)" = accepted
check "/accept: authenticated by ca" test "$(json_field "$line" authenticated_by)" = ca
check "/accept: the held connection went on (stream header on conn $n)" parsed_after_tls "$n"
check "/accept: logged in on that connection" grep -qE "^AUTH-OK .*conn=$n\$" "$FAKE_LOG"
ward_stop $W

run_against "$FAKE_PORT"
line=$(ward_wait $W '"event":"connected"' 20)
check "accepted key: connected next time" test -n "$line"
check "accepted key: not asked again" test "$(ward_count $W '"event":"prompt"')" -eq 0
check "accepted key: key_pin match" test "$(json_field "$line" key_pin)" = match
ward_stop $W
check "no sanitizer report (CA-valid change)" ward_sanitizer_clean $W
fake_stop

# --- 4. a key nobody vouches for: the prompt says so; /accept pins it ---------
fake_start normal --cert "$ROGUE_CERT" --key "$ROGUE_KEY"
run_against "$FAKE_PORT"
line=$(ward_wait $W '"event":"prompt"' 20)
check "unvouched key: prompt" test "$(json_field "$line" kind)" = cert-changed
check "unvouched key: vouched_by none" test "$(json_field "$line" vouched_by)" = none
check "unvouched key: ca_valid false" test "$(json_field "$line" ca_valid)" = False
check "unvouched key: old fingerprint is the accepted one" \
	test "$(json_field "$line" old_spki_sha256)" = "$SERVER2_SPKI_SHA256"
ward_cmd $W "/accept $(json_field "$line" id)"
line=$(ward_wait $W '"event":"connected"' 20)
check "unvouched key accepted: connected" test -n "$line"
check "unvouched key accepted: authenticated by pin" test "$(json_field "$line" authenticated_by)" = pin
ward_stop $W
run_against "$FAKE_PORT"
line=$(ward_wait $W '"event":"connected"' 20)
check "pinned unvouched key: connected without a prompt" \
	test -n "$line" -a "$(ward_count $W '"event":"prompt"')" -eq 0
check "pinned unvouched key: authenticated by pin" test "$(json_field "$line" authenticated_by)" = pin
ward_stop $W
fake_stop

# --- 5. the connection dies while the prompt waits: the prompt is withdrawn ---
fake_start normal --cert "$SERVER_CERT" --key "$SERVER_KEY" --idle-timeout 2
run_against "$FAKE_PORT"
line=$(ward_wait $W '"event":"prompt"' 20)
id=$(json_field "$line" id)
check "dying connection: prompt" test -n "$id"
check "dying connection: disconnected when the server gives up" \
	ward_seen $W '"event":"disconnected"' 10
ward_cmd $W "/accept $id"
line=$(ward_wait $W '"code":"no-prompt"' 10)
check "dying connection: the old prompt is gone (no-prompt)" test -n "$line"
check "dying connection: never logged in" test "$(ward_count $W '"event":"connected"')" -eq 0
check "dying connection: nothing sent over TLS on any connection" \
	bash -c "! grep -qE '^(RECV stream .*tls=1|RECV auth|AUTH-OK)' '$FAKE_LOG'"
ward_stop $W
check "no sanitizer report" ward_sanitizer_clean $W
fake_stop
test_exit
