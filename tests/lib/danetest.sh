# danetest.sh: sourced by the dane_*, pin_* and report_* integration tests
# after testnet.sh and wardtest.sh. Starts scripted servers on the fixed
# ports that the dane-* zones of tests/net/dns.sh point at, and runs one
# ward attempt against them.

# dane_fake PORT DOMAIN CERT KEY [fakeserver.py args...]: a fake server with
# a real SCRAM login for alice (mode normal unless ARGS say otherwise) on
# PORT. Sets FAKE_LOG and FAKE_PID; waits until it listens.
dane_fake() {
	local port=$1 domain=$2 cert=$3 key=$4 dir=$WARD_TEST_DIR/fake
	shift 4
	mkdir -p "$dir"
	[ "$(id -u)" -eq 0 ] && chown "$TEST_USER" "$dir"
	DANE_FAKE_N=$(( ${DANE_FAKE_N:-0} + 1 ))
	FAKE_LOG=$dir/$port-$DANE_FAKE_N.log
	testnet_spawn "$FAKE_LOG.out" "$TESTNET_PYTHON" "$FAKESERVER" \
		--port "$port" --mode normal --log "$FAKE_LOG" --cert "$cert" \
		--key "$key" --domain "$domain" --password "$ALICE_PW" "$@"
	FAKE_PID=$SPAWNED_PID
	for _ in $(seq 1 200); do
		if grep -q '^LISTEN port=' "$FAKE_LOG" 2>/dev/null &&
		   ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; then
			return 0
		fi
		if ! kill -0 "$FAKE_PID" 2>/dev/null; then
			echo "danetest.sh: fakeserver.py on $port exited:" >&2
			tail -n 5 "$FAKE_LOG.out" >&2
			return 1
		fi
		sleep 0.05
	done
	echo "danetest.sh: fakeserver.py not listening on $port" >&2
	return 1
}

# dane_attempt NAME JID: a fresh ward instance tries to log in once; prints
# the first "connected" or "error" event line (empty after 20 s).
dane_attempt() {
	local name=$1 jid=$2 d line
	ward_setup "$name" "$jid" "$ALICE_PW"
	ward_start "$name"
	d=$(ward_dir "$name")
	for _ in $(seq 1 400); do
		line=$(grep -E '"event":"(connected|error)"' "$d/events.jsonl" |
			head -n 1)
		if [ -n "$line" ]; then
			printf '%s\n' "$line"
			return 0
		fi
		kill -0 "$(ward_pid "$name")" 2>/dev/null || break
		sleep 0.05
	done
	return 1
}

# fake_sent_after_tls [LOG]: true when the client sent anything the server
# parsed after a TLS handshake (a stream header over TLS, SASL, stanzas).
fake_sent_after_tls() {
	grep -qE '^RECV (stream .*tls=1|auth|response|iq|message|presence)' \
		"${1:-$FAKE_LOG}"
}

# fake_silent_after_tls [LOG]: the opposite, for check.
fake_silent_after_tls() {
	! fake_sent_after_tls "$@"
}
