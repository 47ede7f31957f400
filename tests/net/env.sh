# env.sh: sourced (bash) by everything that runs the local test network.
# Gives a private work directory, an unprivileged user to run servers as,
# loopback port numbers, and stop-by-PID clean-up. Nothing here touches
# system services; every server listens on 127.0.0.1 / ::1 only.

TESTNET_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WARD_SRC=$(cd "$TESTNET_SRC/../.." && pwd)
export TESTNET_SRC WARD_SRC

# The user servers run as: root creates and uses 'wardtest'; anyone else
# runs them as themselves.
testnet_user_setup() {
	if [ "$(id -u)" -eq 0 ]; then
		TEST_USER=wardtest
		if ! id "$TEST_USER" >/dev/null 2>&1; then
			# (another test may be creating it at the same moment)
			useradd --system --no-create-home --shell /usr/sbin/nologin "$TEST_USER" ||
				id "$TEST_USER" >/dev/null 2>&1 ||
				{ echo "env.sh: cannot create user $TEST_USER" >&2; return 1; }
		fi
	else
		TEST_USER=$(id -un)
	fi
	export TEST_USER
}

# as_test_user CMD ARGS...: runs CMD as $TEST_USER.
as_test_user() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u "$TEST_USER" -- "$@"
	else
		"$@"
	fi
}

# A work directory the test user can write to. Reuses $WARD_TEST_DIR if set.
testnet_workdir() {
	if [ -z "${WARD_TEST_DIR:-}" ]; then
		WARD_TEST_DIR=$(mktemp -d /tmp/ward-test.XXXXXX)
	fi
	mkdir -p "$WARD_TEST_DIR"
	chmod 755 "$WARD_TEST_DIR"
	if [ "$(id -u)" -eq 0 ]; then
		chown "$TEST_USER" "$WARD_TEST_DIR"
	fi
	export WARD_TEST_DIR
}

# Picks a base port with 40 free loopback ports above it, below the kernel's
# ephemeral range (ip_local_port_range): a port in that range can be taken at
# any moment by some outgoing connection's local end, which ss -l does not
# show and which makes a later bind() fail (seen in CI: nsd "Address already
# in use"). Every socket state is checked, not only listeners.
testnet_ports() {
	local base try busy eph slots
	eph=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)
	case $eph in ''|*[!0-9]*) eph=32768 ;; esac
	[ "$eph" -gt 12000 ] || eph=61000
	slots=$(( (eph - 10000) / 100 - 1 ))
	# WARD_PORT_LANES tests at once (run-integration.sh -j): lane
	# WARD_PORT_LANE takes only slots N with N % LANES == LANE, so two
	# tests started together never pick the same ports
	local lanes=${WARD_PORT_LANES:-1} lane=${WARD_PORT_LANE:-0}
	for try in $(seq 1 50); do
		base=$(( 10000 + ((RANDOM % (slots / lanes)) * lanes + lane) * 100 ))
		busy=$(ss -Hatun 2>/dev/null | awk -v lo="$base" -v hi=$((base + 39)) '
			{ n = split($5, a, ":"); p = a[n] + 0
			  if (p >= lo && p <= hi) { print "busy"; exit } }')
		[ -z "$busy" ] && break
	done
	PORT_BASE=$base
	DNS_PORT=$base			# nsd, UDP+TCP
	C2S_PORT=$((base + 1))		# Prosody STARTTLS
	C2S_TLS_PORT=$((base + 2))	# Prosody direct TLS (XEP-0368)
	HTTPS_PORT=$((base + 39))	# Prosody HTTPS (XEP-0363 file share)
	FAKE_PORT_BASE=$((base + 10))	# scripted fake servers: +10..+38
	export PORT_BASE DNS_PORT C2S_PORT C2S_TLS_PORT HTTPS_PORT FAKE_PORT_BASE
}

# register_pid PID: stopped by testnet_stop_all.
register_pid() {
	echo "$1" >> "$WARD_TEST_DIR/pids"
}

# Stops everything registered, TERM first, KILL after 3 s.
testnet_stop_all() {
	local pid i
	[ -f "$WARD_TEST_DIR/pids" ] || return 0
	while read -r pid; do
		kill -TERM "$pid" 2>/dev/null
	done < "$WARD_TEST_DIR/pids"
	for i in $(seq 1 30); do
		local alive=0
		while read -r pid; do
			kill -0 "$pid" 2>/dev/null && alive=1
		done < "$WARD_TEST_DIR/pids"
		[ "$alive" -eq 0 ] && break
		sleep 0.1
	done
	while read -r pid; do
		kill -KILL "$pid" 2>/dev/null
	done < "$WARD_TEST_DIR/pids"
	rm -f "$WARD_TEST_DIR/pids"
}

# wait_tcp PORT [SECONDS]: waits until something listens on 127.0.0.1:PORT.
wait_tcp() {
	local port=$1 secs=${2:-10} i
	for i in $(seq 1 $((secs * 20))); do
		ss -Hltn "sport = :$port" 2>/dev/null | grep -q . && return 0
		sleep 0.05
	done
	echo "wait_tcp: nothing listens on port $port after ${secs}s" >&2
	return 1
}
