#!/bin/bash
# sandbox.sh: try ward in a minute. Installs what is missing (as root,
# apt-get; otherwise it says what to install), builds ward, starts a private
# loopback XMPP network and opens ward's UI logged in as alice@good.test:
# Prosody 13 (TLS 1.3, SCRAM-PLUS with tls-exporter, MAM, carbons, the room
# lobby@rooms.good.test) with a self-made CA, nsd serving good.test signed
# with DNSSEC and a TLSA record of the server's key (DANE), and two
# contacts: bob@good.test, an OMEMO echo bot (python-omemo), and
# carol@good.test, a plaintext-only echo bot (slixmpp). Everything stops
# when ward exits. Nothing leaves 127.0.0.1/::1.
set -u
cd "$(dirname "$0")" || exit 1

usage() {
	cat <<'EOF'
usage: ./sandbox.sh [--headless] [--no-build]
  (nothing)    install what is missing, build, start the sandbox, open ward's UI
  --headless   open ward --headless instead: commands on stdin (a terminal or
               a script's pipe), one JSON event a line on stdout; the
               sandbox's own messages go to stderr
  --no-build   install and build nothing: run $WARD_BIN (default ./ward)
Environment: WARD_SANDBOX_DIR (default /tmp/ward-sandbox; emptied at the
start), WARD_BIN (with --no-build), WARD_BACKPORTS_CACHE (where Prosody 13 is
unpacked, see tests/net/backports.sh).
EOF
}

mode=ui
build=1
while [ $# -gt 0 ]; do
	case $1 in
	--headless) mode=headless ;;
	--no-build) build=0 ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done

say() { echo "sandbox: $*" >&2; }
if [ "$mode" = ui ] && ! { [ -t 0 ] && [ -t 1 ]; }; then
	say "the UI needs a terminal on stdin and stdout; scripts: ./sandbox.sh --headless"
	exit 2
fi

if [ "$build" -eq 1 ]; then
	. tests/lib/deps.sh
	deps_install < /dev/null || exit 1
	./configure > /dev/null || exit 1
	make -j"$(nproc)" > /dev/null || { make; exit 1; }
	WARD=./ward
else
	WARD=${WARD_BIN:-./ward}
fi
[ -x "$WARD" ] || { say "no ward binary at $WARD"; exit 1; }
case $WARD in /*) ;; *) WARD=$PWD/$WARD ;; esac

export WARD_TEST_DIR=${WARD_SANDBOX_DIR:-/tmp/ward-sandbox}
# Emptied at every start, but only a folder an earlier sandbox made (the
# marker, or the test network's testnet.env of sandboxes before it).
if [ -e "$WARD_TEST_DIR" ] && [ ! -e "$WARD_TEST_DIR/.ward-sandbox" ] &&
	[ ! -e "$WARD_TEST_DIR/testnet.env" ] &&
	[ -n "$(ls -A "$WARD_TEST_DIR" 2>/dev/null)" ]; then
	say "$WARD_TEST_DIR exists and is not a sandbox folder; not touching it"
	exit 1
fi
# ... and not while a sandbox in it still runs.
if [ -f "$WARD_TEST_DIR/pids" ]; then
	while read -r pid; do
		if kill -0 "$pid" 2>/dev/null; then
			say "a sandbox in $WARD_TEST_DIR is still running (PID $pid): /quit it first, or set WARD_SANDBOX_DIR"
			exit 1
		fi
	done < "$WARD_TEST_DIR/pids"
fi
rm -rf "$WARD_TEST_DIR"
mkdir -p "$WARD_TEST_DIR" && touch "$WARD_TEST_DIR/.ward-sandbox" || exit 1

. tests/net/testnet.sh
. tests/net/prosody13.sh
. tests/net/omemopeer.sh
me=$WARD_TEST_DIR/alice

# ward_run ARGS...: ward in the foreground (it may own the terminal), its
# PID in $me/ward.pid while it runs, so that sandbox_down can stop it when
# the sandbox itself is told to stop (SIGTERM, SIGHUP).
ward_run() {
	local st
	( echo "$BASHPID" > "$me/ward.pid"; exec "$WARD" "$@" )
	st=$?
	rm -f "$me/ward.pid"
	return "$st"
}

# sandbox_down: ward (if still running), then every server and bot, by PID.
sandbox_down() {
	local pid
	pid=$(cat "$me/ward.pid" 2>/dev/null)
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null
		for _ in $(seq 1 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null
	fi
	testnet_down
}
trap sandbox_down EXIT

# sandbox_up: the servers, the accounts' rosters, bob and carol, alice's
# ward.conf. Output: progress on stderr.
sandbox_up() {
	local t0 t1 t2
	t0=$(_now_ms)
	"$TESTNET_PYTHON" -c 'import slixmpp, omemo, oldmemo, oldmemo.etree' 2>/dev/null || {
		say "python-omemo is missing (python3-omemo python3-oldmemo python3-xmlschema python3-slixmpp)"
		return 1
	}
	p13_install || {
		say "cannot get Prosody 13 from bookworm-backports (into $WARD_BACKPORTS_CACHE)"
		return 1
	}
	# Prosody 13 on the test network's config (0.12 cannot bind a TLS 1.3
	# session: no tls-exporter), and a TLSA record for it in good.test.
	PROSODY_BIN=$P13_BIN PROSODYCTL_BIN=$P13_CTL DNS_GOOD_TLSA=1
	DNS_ONLY_CHILDREN=good
	export PROSODY_BIN PROSODYCTL_BIN DNS_GOOD_TLSA DNS_ONLY_CHILDREN
	testnet_up || { say "the test network did not start"; return 1; }
	prosody_roster_mutual alice=Alice 'bob=Bob (OMEMO echo bot)' \
		'carol=Carol (plaintext only)' || return 1
	t1=$(_now_ms)

	# Both bots start together. bob: an OMEMO echo bot (python-omemo,
	# independent of ward's libsignal OMEMO); his bundle and device list
	# are published before he says "online". carol: plaintext only
	# (slixmpp, no OMEMO at all).
	omemo_peer_start bob bob@good.test "$BOB_PW" --echo
	testnet_spawn "$WARD_TEST_DIR/carol.log" "$TESTNET_PYTHON" "$PEER" \
		--jid carol@good.test/echo --password "$CAROL_PW" --ca "$TEST_CA" \
		--host 127.0.0.1 --port "$C2S_PORT" --echo --timeout 86400 \
		--ready-file "$WARD_TEST_DIR/carol.ready"
	omemo_peer_online bob 60 > /dev/null || { say "bob did not come online"; return 1; }
	t2=$(_now_ms)
	for _ in $(seq 1 1200); do
		[ -e "$WARD_TEST_DIR/carol.ready" ] && break
		kill -0 "$SPAWNED_PID" 2>/dev/null || break
		sleep 0.05
	done
	[ -e "$WARD_TEST_DIR/carol.ready" ] ||
		{ say "carol did not come online"; tail -n 5 "$WARD_TEST_DIR/carol.log" >&2; return 1; }

	mkdir -p "$me/config" "$me/data"
	chmod 700 "$me" "$me/config" "$me/data"
	printf '%s\n' "$ALICE_PW" > "$me/password"
	chmod 600 "$me/password"
	cat > "$me/config/ward.conf" <<CONF
# The sandbox's account: alice@good.test on the loopback Prosody 13.
# good.test is DNSSEC-signed (with a TLSA record of the server's key); ward
# validates it from this trust anchor.
[account alice]
jid = alice@good.test
password_command = /bin/cat $me/password
ca_file = $TEST_CA
dns_trust_anchor = $DNS_ANCHOR
dns_stub = test. 127.0.0.1@$DNS_PORT
CONF
	chmod 600 "$me/config/ward.conf"
	say "up in $(( $(_now_ms) - t0 )) ms: PKI, Prosody 13 on 127.0.0.1:$C2S_PORT, rosters and the signed zone good.test on 127.0.0.1:$DNS_PORT $((t1 - t0)) ms (of which Prosody ready $PROSODY_READY_MS, DNS ${DNS_START_MS:-?}), bob online $((t2 - t1)) ms, carol $(( $(_now_ms) - t1 )) ms"
}

sandbox_up < /dev/null || exit 1

args=(-a alice --config-dir "$me/config" --data-dir "$me/data"
	--pipe "$me/cmd.fifo")
if [ "$mode" = ui ]; then
	# The same events as --headless, as JSON lines, for a look afterwards.
	ward_run "${args[@]}" --events "$me/events.jsonl"
	exit $?
fi

cat >&2 <<MSG
ward sandbox is up. You are alice@good.test; your contacts:
  bob@good.test    echoes with OMEMO (the first message is encrypted both ways)
  carol@good.test  echoes in plaintext only: ward refuses until /omemo off
Type commands (events come back as JSON lines), for example:
  /msg bob@good.test hello
  /msg carol@good.test hello      (refused: omemo-unavailable)
  /omemo off carol@good.test
  /join lobby@rooms.good.test
  /security
  /quit
The command pipe is $me/cmd.fifo (scripts: printf '/msg ...\\n' > it).
MSG
if [ -t 0 ]; then
	# ward --headless reads commands only from a stdin that is not a
	# terminal: hand it the terminal's lines through cat, which is ended
	# with ward (it would otherwise keep the next line typed).
	exec 3< <(cat)
	catpid=$!
	ward_run --headless "${args[@]}" <&3
	status=$?
	exec 3<&-
	kill "$catpid" 2>/dev/null
else
	ward_run --headless "${args[@]}"
	status=$?
fi
exit "$status"
