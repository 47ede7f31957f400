# testnet.sh: sourced (bash) by integration and hostile tests. Brings the
# whole local test network up on loopback (test PKI, Prosody, DNSSEC zones
# under nsd) and starts scripted fake servers on demand.
#
#   . tests/net/testnet.sh
#   testnet_up || exit 1; trap testnet_down EXIT
#   fake_start MODE [fakeserver.py args...]   # sets FAKE_PORT FAKE_LOG FAKE_PID
#   "$PEER" --jid carol@good.test --password "$CAROL_PW" --ca "$TEST_CA" --port "$C2S_PORT" ...
#   peer_as carol [peer.py args...]           # the same, shorter

_testnet_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$_testnet_here/env.sh"
. "$_testnet_here/ca.sh"
. "$_testnet_here/prosody.sh"
if [ -f "$_testnet_here/dns.sh" ]; then
	. "$_testnet_here/dns.sh"
fi

TESTNET_PYTHON=/usr/bin/python3	# the Debian one, which has slixmpp
PEER=$TESTNET_SRC/peer.py
FAKESERVER=$TESTNET_SRC/fakeserver.py
export TESTNET_PYTHON PEER FAKESERVER

# testnet_up: user, work dir, ports, PKI, Prosody, DNS. Exports everything
# (see the report written to $WARD_TEST_DIR/testnet.env) and the timings
# TESTNET_UP_MS, PROSODY_START_MS, PROSODY_READY_MS, DNS_START_MS.
testnet_up() {
	local t0 t1
	t0=$(_now_ms)
	[ -n "${WARD_TEST_DIR:-}" ] && TESTNET_OWN_DIR=0 || TESTNET_OWN_DIR=1
	export TESTNET_OWN_DIR
	testnet_user_setup || return 1
	testnet_workdir || return 1
	testnet_ports || return 1
	ca_make "$WARD_TEST_DIR/ca" || return 1
	prosody_start || return 1
	DNS_START_MS=
	if declare -F dns_start >/dev/null; then
		t1=$(_now_ms)
		dns_start || return 1
		DNS_START_MS=$(( $(_now_ms) - t1 ))
	else
		echo "testnet.sh: warning: tests/net/dns.sh missing, no test DNS" >&2
	fi
	FAKE_NEXT_PORT=$FAKE_PORT_BASE
	TESTNET_UP_MS=$(( $(_now_ms) - t0 ))
	export DNS_START_MS FAKE_NEXT_PORT TESTNET_UP_MS
	_testnet_write_env
}

# _testnet_write_env: every exported test-network variable in a file that a
# person can source to poke at a running network by hand.
_testnet_write_env() {
	local v
	for v in WARD_SRC TESTNET_SRC WARD_TEST_DIR TEST_USER PORT_BASE DNS_PORT \
		C2S_PORT C2S_TLS_PORT FAKE_PORT_BASE CA_DIR TEST_CA TEST_CA_PATH \
		SERVER_CERT SERVER_KEY SERVER_CHAIN OTHER_CERT OTHER_KEY ROGUE_CA \
		ROGUE_CERT ROGUE_KEY UNTRUSTED_CA UNTRUSTED_CERT UNTRUSTED_KEY \
		EXPIRED_CERT EXPIRED_KEY SERVER_SPKI_SHA256 TEST_CA_SPKI_SHA256 \
		ALICE_PW BOB_PW CAROL_PW DAVE_PW TEST_DOMAIN MUC_DOMAIN LOBBY_ROOM \
		NONANON_ROOM PRIVATE_ROOM PROSODY_DIR PROSODY_CFG PROSODY_LOG PROSODY_PID \
		DNS_ANCHOR DNS_STUB TESTNET_PYTHON PEER FAKESERVER \
		DANE_PORT_EE DANE_PORT_WRONG DANE_PORT_BOGUS DANE_PORT_UNSIGNED \
		DANE_PORT_PKIX DANE_PORT_TA DANE_PORT_UNUSABLE \
		SERVER2_CERT SERVER2_KEY SERVER2_CHAIN SERVER2_SPKI_SHA256 \
		PROSODY_START_MS PROSODY_READY_MS DNS_START_MS TESTNET_UP_MS; do
		[ -n "${!v+set}" ] && printf 'export %s=%q\n' "$v" "${!v}"
	done > "$WARD_TEST_DIR/testnet.env"
}

# testnet_down: stops everything started. When testnet_up made the work
# directory itself and the caller is exiting with status 0 (as in
# `trap testnet_down EXIT`), removes it; otherwise keeps it and says where.
# WARD_KEEP_TEST_DIR=1 always keeps it.
testnet_down() {
	local status=$?
	testnet_stop_all
	[ -n "${WARD_TEST_DIR:-}" ] || return 0
	if [ "$status" -eq 0 ] && [ "${TESTNET_OWN_DIR:-0}" -eq 1 ] &&
	   [ -z "${WARD_KEEP_TEST_DIR:-}" ] && [ -d "$WARD_TEST_DIR" ]; then
		case $WARD_TEST_DIR in
		/tmp/ward-test.*) rm -rf "$WARD_TEST_DIR" ;;
		esac
	else
		echo "testnet: logs kept in $WARD_TEST_DIR" >&2
	fi
	return 0
}

# peer_as USER [ARGS...]: tests/net/peer.py logged in as USER@good.test
# (alice, bob, carol or dave, with their test passwords) on the test
# Prosody, or on PEER_PORT when set (another server: ejabberd).
peer_as() {
	local who=$1 pw
	shift
	case $who in
	alice) pw=$ALICE_PW ;; bob) pw=$BOB_PW ;;
	carol) pw=$CAROL_PW ;; dave) pw=$DAVE_PW ;;
	*) echo "peer_as: no test account $who" >&2; return 2 ;;
	esac
	"$PEER" --jid "$who@good.test" --password "$pw" --ca "$TEST_CA" \
	    --host 127.0.0.1 --port "${PEER_PORT:-$C2S_PORT}" "$@"
}

# _fake_free_port: the next port of FAKE_PORT_BASE..PORT_BASE+38 that this
# run has not used yet and nothing listens on.
_fake_free_port() {
	local p=${FAKE_NEXT_PORT:-$FAKE_PORT_BASE}
	while [ "$p" -le $((PORT_BASE + 38)) ]; do
		if ! ss -Hltn "sport = :$p" 2>/dev/null | grep -q .; then
			FAKE_NEXT_PORT=$((p + 1))
			echo "$p"
			return 0
		fi
		p=$((p + 1))
	done
	echo "testnet.sh: no free fake-server port left in $FAKE_PORT_BASE..$((PORT_BASE + 38))" >&2
	return 1
}

# fake_start MODE [ARGS...]: starts tests/net/fakeserver.py in MODE as
# $TEST_USER on the next free port, with the trusted server certificate and
# alice's password unless ARGS say otherwise (later options win). Waits
# until it listens. Sets and exports FAKE_PORT, FAKE_LOG (its event log)
# and FAKE_PID. Modes: fakeserver.py --help.
fake_start() {
	local mode=${1:?fake_start MODE [ARGS...]} port dir
	shift
	port=$(_fake_free_port) || return 1
	FAKE_NEXT_PORT=$((port + 1))
	dir=$WARD_TEST_DIR/fake
	mkdir -p "$dir"
	[ "$(id -u)" -eq 0 ] && chown "$TEST_USER" "$dir"
	FAKE_PORT=$port
	FAKE_LOG=$dir/$port-$mode.log
	testnet_spawn "$dir/$port-$mode.out" "$TESTNET_PYTHON" "$FAKESERVER" \
		--port "$port" --mode "$mode" --log "$FAKE_LOG" \
		--cert "$SERVER_CERT" --key "$SERVER_KEY" \
		--domain good.test --password "$ALICE_PW" "$@"
	FAKE_PID=$SPAWNED_PID
	export FAKE_PORT FAKE_LOG FAKE_PID FAKE_NEXT_PORT
	for _ in $(seq 1 200); do
		if grep -q '^LISTEN port=' "$FAKE_LOG" 2>/dev/null &&
		   ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; then
			return 0
		fi
		if ! kill -0 "$FAKE_PID" 2>/dev/null; then
			echo "testnet.sh: fakeserver.py ($mode) exited:" >&2
			tail -n 5 "$dir/$port-$mode.out" >&2
			return 1
		fi
		sleep 0.05
	done
	echo "testnet.sh: fakeserver.py ($mode) not listening on $port" >&2
	return 1
}

# fake_stop [PID]: stops a fake server (default: the last one started).
fake_stop() {
	local pid=${1:-${FAKE_PID:-}}
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null
	for _ in $(seq 1 40); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

# fake_count PATTERN [LOG]: lines of a fake server's event log matching the
# extended regex PATTERN (default log: the last one started), e.g.
# fake_count '^RECV auth ' or fake_count '^CONNECT '.
fake_count() {
	grep -cE -- "$1" "${2:-$FAKE_LOG}" 2>/dev/null || true
}
