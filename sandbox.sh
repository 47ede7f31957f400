#!/bin/bash
# sandbox.sh: try ward in a minute. Installs what is missing (as root,
# apt-get; otherwise it says what to install), builds ward, starts a private
# loopback XMPP network (Prosody with TLS and a self-made CA, a
# DNSSEC-signed test zone served by nsd, accounts, a room) and opens ward
# logged in as alice@good.test. bob@good.test is a bot that echoes what you
# send. Everything stops when ward exits. Nothing leaves 127.0.0.1/::1.
set -u
cd "$(dirname "$0")"

. tests/lib/deps.sh
deps_install || exit 1
./configure > /dev/null || exit 1
make -j"$(nproc)" > /dev/null || { make; exit 1; }

export WARD_TEST_DIR=${WARD_SANDBOX_DIR:-/tmp/ward-sandbox}
rm -rf "$WARD_TEST_DIR"
. tests/net/testnet.sh
testnet_up || { echo "sandbox: the test network did not start" >&2; exit 1; }
trap testnet_down EXIT

# bob: an echo bot (an independent client: slixmpp)
"$PEER" --jid bob@good.test --password "$BOB_PW" --ca "$TEST_CA" \
    --host 127.0.0.1 --port "$C2S_PORT" --echo --timeout 86400 \
    > "$WARD_TEST_DIR/bob.log" 2>&1 &
register_pid $!

me=$WARD_TEST_DIR/alice
mkdir -p "$me/config" "$me/data"
chmod 700 "$me" "$me/config" "$me/data"
printf '%s\n' "$ALICE_PW" > "$me/password"
chmod 600 "$me/password"
cat > "$me/config/ward.conf" <<CONF
# The sandbox's account: alice@good.test on the loopback Prosody.
# good.test is DNSSEC-signed; ward validates it from this trust anchor.
[account alice]
jid = alice@good.test
password_command = /bin/cat $me/password
ca_file = $TEST_CA
dns_trust_anchor = $DNS_ANCHOR
dns_stub = test. 127.0.0.1@$DNS_PORT
CONF
chmod 600 "$me/config/ward.conf"

cat <<MSG
ward sandbox is up (Prosody on 127.0.0.1:$C2S_PORT, signed zone good.test on
127.0.0.1:$DNS_PORT). You are alice@good.test; bob@good.test echoes.
Type commands (events come back as JSON lines), for example:
  /msg bob@good.test hello
  /security
  /help
  /quit
The command pipe is $me/cmd.fifo (scripts: printf '/msg ...\\n' > it).
MSG
# stdin through cat: ward --headless reads commands from a non-terminal stdin
cat | ./ward --headless -a alice --config-dir "$me/config" \
    --data-dir "$me/data" --pipe "$me/cmd.fifo"
