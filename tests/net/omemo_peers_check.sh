#!/bin/bash
# omemo_peers_check.sh: checks that the OMEMO test peers work, so that a
# failing ward OMEMO test can be blamed on ward and not on the harness. It
# tests other people's software (python-omemo, profanity), so it lives here
# and not in tests/integration/: run it by hand, or from the set-up of
# ward's OMEMO tests (exit status 0 = every check passed).
#
#   bash tests/net/omemo_peers_check.sh     # as root (servers run as wardtest)
#
# On its own test network (Prosody only: testnet_up without the DNS
# zones): two omemo_peer.py instances (alice, bob) exchange OMEMO messages
# both ways, survive a restart with the same identity, shrug off a
# malformed <encrypted/> and report a spoiled one as a decryption error;
# profanity 0.15 (carol) and omemo_peer.py exchange OMEMO messages both
# ways, profanity starting the session with alice (the path of its bug 3)
# and bob starting his with profanity. Prints PASS/FAIL lines and the time
# each part took (VERBOSE=1: profanity's start-up steps too).
#
# Timings (Debian 12, 2 cores shared with other tests' fuzzers and builds,
# load 4-5): 7.5-10 s in all: CA + Prosody 1.1 s; both python peers online
# 1.9 s and profanity 2.2 s after their (parallel) start, 0.7 s of which is
# profanity's own "/omemo gen"; omemo_peer.py both ways with the hostile
# messages 0.7 s; a peer restart 0.8 s; profanity both ways 1.4-2 s (the
# bug-3 dance 0.4 s of it); stopping all 1 s. Under less load it was ~6 s.
# The first run ever also downloads profanity from Debian's backports into
# the cache (~2 s). What was slow and is avoided: signing the DNS zones
# (not needed), a third python peer (each costs ~1 CPU-second, mostly
# imports), waiting for the helper login before starting profanity, a bare
# `wait` (it waits for the servers too) and profanity's slow /quit.
set -u
_here=$(cd "$(dirname "$0")" && pwd)
. "$_here/testnet.sh"
. "$_here/../lib/wardtest.sh"
. "$_here/omemopeer.sh"
. "$_here/profanity15.sh"

t_start=$(_now_ms)
lap() { echo "   ($1: $(( $(_now_ms) - t_lap )) ms)"; t_lap=$(_now_ms); }
t_lap=$t_start

# testnet_up without the DNSSEC zones (signing them is a second of the
# start-up; nothing here resolves names: every peer dials 127.0.0.1).
omemo_check_net_up() {
	[ -n "${WARD_TEST_DIR:-}" ] && TESTNET_OWN_DIR=0 || TESTNET_OWN_DIR=1
	export TESTNET_OWN_DIR
	testnet_user_setup && testnet_workdir && testnet_ports || return 1
	trap testnet_down EXIT
	ca_make "$WARD_TEST_DIR/ca" && prosody_start || return 1
	_testnet_write_env || true
}

prof15_install || { echo "FAIL: $TEST_NAME: cannot unpack profanity 0.15"; exit 1; }
omemo_check_net_up || { echo "FAIL: $TEST_NAME: test network"; exit 1; }
lap "Prosody up"

# Everyone starts at once: the python peers and profanity (whose start runs
# two one-shot python logins of its own).
omemo_peer_start alice alice@good.test "$ALICE_PW"
omemo_peer_start bob bob@good.test "$BOB_PW"
PROF15_TRACE=1 prof15_start carol carol@good.test "$CAROL_PW" > "$WARD_TEST_DIR/prof15-start.log" 2>&1 &
prof_starter=$!
a=$(omemo_peer_online alice)
check "alice (omemo_peer.py) online" test -n "$a"
b=$(omemo_peer_online bob)
check "bob (omemo_peer.py) online" test -n "$b"
t_peers=$(( $(_now_ms) - t_lap ))
wait "$prof_starter"
st=$?
echo "   (omemo_peer.py peers online after $t_peers ms, profanity after $(( $(_now_ms) - t_lap )) ms)"
[ "$st" -ne 0 ] || [ -n "${VERBOSE:-}" ] && cat "$WARD_TEST_DIR/prof15-start.log"
check "carol (profanity 0.15) logged in with OMEMO published" test "$st" -eq 0
a_dev=$(omemo_peer_field "$a" device)
b_dev=$(omemo_peer_field "$b" device)
b_fp=$(omemo_peer_field "$b" fingerprint)
c_dev=$(prof15_device carol)
check "device ids are numbers" test -n "$a_dev" -a -n "$b_dev" -a -n "$c_dev"
check "fingerprint is 64 hex digits" eval '[[ $b_fp =~ ^[0-9a-f]{64}$ ]]'
lap "peers and profanity up"

# ---- omemo_peer.py <-> omemo_peer.py ------------------------------------
omemo_peer_cmd alice "send bob@good.test hello bob, grüße <&>"
line=$(omemo_peer_wait bob '"body":"hello bob, grüße <&>"' 10)
check "alice -> bob: decrypted" test -n "$line"
check "alice -> bob: marked encrypted" test "$(omemo_peer_field "$line" encrypted)" = true
check "alice -> bob: from alice's device" test "$(omemo_peer_field "$line" device)" = "$a_dev"
check "alice -> bob: first message carried the key exchange" test "$(omemo_peer_field "$line" prekey)" = true
check "alice: key exchange completed by bob (empty message)" omemo_peer_seen_n alice '"event":"empty"' 1 5
omemo_peer_cmd bob "send alice@good.test hi alice"
line=$(omemo_peer_wait alice '"body":"hi alice"' 10)
check "bob -> alice: decrypted" test "$(omemo_peer_field "$line" encrypted)" = true
check "bob -> alice: no error" test -z "$(omemo_peer_field "$line" error)"
omemo_peer_cmd bob "devices alice@good.test"
line=$(omemo_peer_wait bob '"event":"devices"' 5)
check "bob sees alice's device" test "$(omemo_peer_field "$line" devices)" = "[$a_dev]"
check "bob's fingerprint of alice matches alice's own" \
	eval '[[ $line == *"$(omemo_peer_field "$a" fingerprint)"* ]]'
omemo_peer_cmd bob "sendplain alice@good.test plain words"
line=$(omemo_peer_wait alice '"body":"plain words"' 5)
check "plaintext is reported as not encrypted" test "$(omemo_peer_field "$line" encrypted)" = false

# Hostile input: a malformed <encrypted/> and a spoiled payload. The peer
# must report them and keep going.
omemo_peer_cmd bob "sendraw <message to='alice@good.test' type='chat' id='bad1'><encrypted xmlns='eu.siacs.conversations.axolotl'><header sid='x'><iv>!</iv></header></encrypted></message>"
line=$(omemo_peer_wait alice '"id":"bad1"' 5)
check "malformed <encrypted/>: reported with an error" test -n "$(omemo_peer_field "$line" error)"
omemo_peer_cmd bob "sendbad alice@good.test payload tampered"
check "spoiled payload: a decryption error" omemo_peer_seen alice 'DecryptionFailed' 5
omemo_peer_cmd alice ping
check "alice still answers after both" omemo_peer_seen alice '"event":"pong"' 5
omemo_peer_cmd bob "send alice@good.test after the bad ones"
check "the session survives a spoiled message" omemo_peer_seen alice '"body":"after the bad ones"' 5
lap "omemo_peer.py both ways"

# Restart bob with the same store: the same device, the session goes on.
omemo_peer_stop bob
omemo_peer_start bob bob@good.test "$BOB_PW"
line=$(omemo_peer_online bob)
check "bob restarted: same device id" test "$(omemo_peer_field "$line" device)" = "$b_dev"
check "bob restarted: same fingerprint" test "$(omemo_peer_field "$line" fingerprint)" = "$b_fp"
omemo_peer_cmd alice "send bob@good.test after the restart"
line=$(omemo_peer_wait bob '"body":"after the restart"' 10)
check "alice -> restarted bob: decrypted, no new key exchange" test "$(omemo_peer_field "$line" prekey)" = false
lap "restart with the same identity"

# ---- profanity 0.15 <-> omemo_peer.py -----------------------------------
# profanity starts the session with alice (no session on either side yet:
# the path of its bug 3).
prof15_send carol alice@good.test "hello alice, from profanity"
line=$(omemo_peer_wait alice '"body":"hello alice, from profanity"' 10)
check "profanity -> omemo_peer.py: decrypted" test "$(omemo_peer_field "$line" encrypted)" = true
check "profanity -> omemo_peer.py: from profanity's device" test "$(omemo_peer_field "$line" device)" = "$c_dev"
check "profanity's fallback body came along, not as the message" \
	test -n "$(omemo_peer_field "$line" fallback)"
enc=$(prof15_messages carol | grep -F '"body":"hello alice, from profanity"' | head -n 1)
check "profanity logged its message as sent with OMEMO" \
	test "$(omemo_peer_field "$enc" encryption)" = omemo
omemo_peer_cmd alice "send carol@good.test hello carol, from python-omemo"
enc=$(prof15_wait_msg carol alice@good.test "hello carol, from python-omemo" 10)
check "omemo_peer.py -> profanity: decrypted, marked omemo" test "$enc" = omemo
omemo_peer_cmd alice "devices carol@good.test"
line=$(omemo_peer_wait alice '"jid":"carol@good.test","devices"' 5)
check "profanity's bundle is readable by a non-contact, fingerprint matches" \
	eval '[[ $line == *"$(prof15_fingerprint carol)"* ]]'
# bob starts the session with profanity; profanity answers on it.
omemo_peer_cmd bob "send carol@good.test bob to carol first"
enc=$(prof15_wait_msg carol bob@good.test "bob to carol first" 10)
check "new omemo_peer.py -> profanity (the peer starts the session)" test "$enc" = omemo
prof15_send carol bob@good.test "profanity answers bob"
check "profanity -> omemo_peer.py on the peer's session" \
	omemo_peer_seen bob '"body":"profanity answers bob"' 10
lap "profanity both ways"

# In parallel; a bare `wait` would also wait for the servers.
stoppers=()
prof15_stop carol & stoppers+=($!)
for p in alice bob; do omemo_peer_stop "$p" & stoppers+=($!); done
wait "${stoppers[@]}"
for p in alice bob; do
	check "$p: no crash trace" eval "! grep -q Traceback '$(omemo_peer_dir "$p")/stderr'"
done
echo "   (total: $(( $(_now_ms) - t_start )) ms)"
test_exit
