#!/bin/bash
# files_auto: auto_download (opt-in, off by default) fetches files from
# contacts only, up to its own cap; a stranger's link, a public room's link
# and a contact's file over the cap are never fetched by themselves. The
# HTTPS server's request log is the proof.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

root=$WARD_TEST_DIR/https-root
mkdir -p "$root"
[ "$(id -u)" -eq 0 ] && chown "$TEST_USER" "$root"
hp=$(_fake_free_port)
hlog=$WARD_TEST_DIR/https.log
: > "$hlog"; [ "$(id -u)" -eq 0 ] && chown "$TEST_USER" "$hlog"
testnet_spawn "$WARD_TEST_DIR/https.out" "$TESTNET_PYTHON" \
    "$WARD_SRC/tests/net/httpsfiles.py" --port "$hp" --cert "$SERVER_CERT" \
    --key "$SERVER_KEY" --log "$hlog" --root "$root"
for _ in $(seq 1 100); do grep -q '^LISTEN' "$hlog" && break; sleep 0.05; done
H="https://xmpp.good.test:$hp"
asked() { grep -c "^GET /gen/[0-9]*/$1 " "$hlog"; }

check "alice and bob are contacts" prosody_roster_mutual alice bob
ward_setup alice alice@good.test "$ALICE_PW"
sed -i 's/^\[ward\]$/[ward]\nauto_download = 2K/' "$(ward_dir alice)/config/ward.conf"
ward_setup bob bob@good.test "$BOB_PW"
ward_start alice
ward_start bob
check "alice connected" ward_seen alice '"event":"connected"' 20
check "bob connected" ward_seen bob '"event":"connected"' 20
ward_cmd bob "/omemo off alice@good.test"
ward_seen bob '"encryption":"none"' 5

ward_cmd bob "/msg alice@good.test $H/gen/1500/small.txt"
check "a contact's file under the cap: fetched by itself" \
    ward_seen alice '"state":"done","name":"small.txt"' 20
check "... one request" test "$(asked small.txt)" -eq 1
ward_cmd bob "/msg alice@good.test $H/gen/5000/large.txt"
check "a contact's file over the cap: refused" \
    ward_seen alice '"state":"failed","name":"large.txt"' 20
check "... no file" test ! -e "$(ward_dir alice)/data/files/large.txt"

"$PEER" --jid carol@good.test --password "$CAROL_PW" --ca "$TEST_CA" \
    --host 127.0.0.1 --port "$C2S_PORT" \
    --send alice@good.test "$H/gen/100/stranger.txt" --timeout 10 \
    > "$WARD_TEST_DIR/carol.out" 2>&1
check "a stranger's link: an offer" ward_seen alice '"name":"stranger.txt"' 15
ward_cmd alice "/join $LOBBY_ROOM"
ward_seen alice '"state":"joined"' 10
ward_cmd bob "/join $LOBBY_ROOM/bobby"
ward_seen bob '"state":"joined"' 10
ward_cmd bob "/msg $LOBBY_ROOM $H/gen/100/inroom.txt"
check "a room link (from a contact!): an offer" ward_seen alice '"name":"inroom.txt"' 15
sleep 1
check "... neither fetched" test "$(asked stranger.txt)/$(asked inroom.txt)" = 0/0

ward_stop alice
ward_stop bob
check "no sanitizer report" ward_sanitizer_clean alice
test_exit
