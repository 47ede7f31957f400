# omemopeer.sh: sourced (bash) after testnet.sh (and testnet_up). Runs
# tests/net/omemo_peer.py instances (python-omemo/oldmemo OMEMO 0.3 peers)
# as $TEST_USER, each with its own folder, command FIFO and event log:
#
#   omemo_peer_start NAME JID PASSWORD [omemo_peer.py ARGS...]
#                                         # (resource NAME unless JID has one)
#   omemo_peer_online NAME [SECONDS]      # waits for "online"; prints it
#   omemo_peer_cmd NAME LINE              # e.g. "send bob@good.test hi"
#   omemo_peer_wait NAME FIXED [SECONDS]  # first event line holding FIXED
#   omemo_peer_seen NAME FIXED [SECONDS]  # the same, quiet (for check)
#   omemo_peer_seen_n NAME FIXED N [SECONDS]
#   omemo_peer_count NAME FIXED
#   omemo_peer_field LINE KEY             # a field of one event line
#   omemo_peer_stop NAME                  # quit, TERM after 2 s
#   omemo_peer_dir NAME                   # events.jsonl (since the last
#                                         # start; older: events.prev),
#                                         # stderr, store/
#
# The store (OMEMO identity, sessions) is $WARD_TEST_DIR/omemo-NAME/store:
# omemo_peer_stop + omemo_peer_start with the same NAME is the same device.
# Commands and events: the comment at the top of omemo_peer.py.
#
# Found while writing it: start-up to "online" is ~0.7 s (0.5 s of it is
# Python importing slixmpp, omemo and xmlschema); two or three peers started
# together are online in about the same time.

omemo_peer_dir() { echo "$WARD_TEST_DIR/omemo-$1"; }

omemo_peer_start() {
	local name=$1 jid=$2 pw=$3 d
	shift 3
	# Resource NAME: two peers on one account are two devices, not a
	# resource conflict.
	case $jid in */*) ;; *) jid=$jid/$name ;; esac
	: "${WARD_TEST_DIR:?}" "${C2S_PORT:?}" "${TEST_CA:?}"
	d=$(omemo_peer_dir "$name")
	mkdir -p "$d/store"
	[ -p "$d/cmd.fifo" ] || mkfifo -m 600 "$d/cmd.fifo" || return 1
	# A restart starts a new event log; the old one goes on in events.prev.
	[ -s "$d/events.jsonl" ] && cat "$d/events.jsonl" >> "$d/events.prev"
	: > "$d/events.jsonl"
	chmod 700 "$d" "$d/store"
	[ "$(id -u)" -eq 0 ] && chown -R "$TEST_USER" "$d"
	if [ "$(id -u)" -eq 0 ]; then
		HOME=$WARD_TEST_DIR setpriv --reuid="$TEST_USER" \
			--regid="$(id -g "$TEST_USER")" --init-groups -- \
			"$TESTNET_PYTHON" "$TESTNET_SRC/omemo_peer.py" --jid "$jid" \
			--password "$pw" --ca "$TEST_CA" --port "$C2S_PORT" \
			--store "$d/store" --fifo "$d/cmd.fifo" "$@" \
			>> "$d/events.jsonl" 2>> "$d/stderr" < /dev/null &
	else
		"$TESTNET_PYTHON" "$TESTNET_SRC/omemo_peer.py" --jid "$jid" \
			--password "$pw" --ca "$TEST_CA" --port "$C2S_PORT" \
			--store "$d/store" --fifo "$d/cmd.fifo" "$@" \
			>> "$d/events.jsonl" 2>> "$d/stderr" < /dev/null &
	fi
	echo $! > "$d/pid"
	register_pid $!
}

omemo_peer_pid() { cat "$(omemo_peer_dir "$1")/pid"; }

# omemo_peer_cmd NAME LINE: one command. A FIFO nobody reads blocks its
# writer, so a peer that died makes this fail after 5 s instead of hanging.
omemo_peer_cmd() {
	timeout 5 sh -c 'printf "%s\n" "$1" > "$2"' _ "$2" "$(omemo_peer_dir "$1")/cmd.fifo" ||
		{ echo "omemo_peer_cmd: $1 does not read its commands (exited?)" >&2; return 1; }
}

omemo_peer_count() {
	grep -c -F -- "$2" "$(omemo_peer_dir "$1")/events.jsonl"
}

omemo_peer_wait() {
	local d pat=$2 secs=${3:-10} i line
	d=$(omemo_peer_dir "$1")
	for i in $(seq 1 $((secs * 50))); do
		line=$(grep -F -m 1 -- "$pat" "$d/events.jsonl")
		if [ -n "$line" ]; then
			printf '%s\n' "$line"
			return 0
		fi
		if ! kill -0 "$(omemo_peer_pid "$1")" 2>/dev/null; then
			line=$(grep -F -m 1 -- "$pat" "$d/events.jsonl")
			[ -n "$line" ] && { printf '%s\n' "$line"; return 0; }
			echo "omemo_peer_wait: $1 exited while waiting for $pat:" >&2
			tail -n 3 "$d/stderr" >&2
			return 1
		fi
		sleep 0.02
	done
	echo "omemo_peer_wait: $1: no event with $pat after ${secs}s" >&2
	return 1
}

# omemo_peer_seen NAME FIXED [SECONDS]: omemo_peer_wait without output.
omemo_peer_seen() {
	omemo_peer_wait "$@" > /dev/null
}

omemo_peer_seen_n() {
	local i secs=${4:-10}
	for i in $(seq 1 $((secs * 50))); do
		[ "$(omemo_peer_count "$1" "$2")" -ge "$3" ] && return 0
		sleep 0.02
	done
	return 1
}

omemo_peer_online() {
	omemo_peer_wait "$1" '"event":"online"' "${2:-15}"
}

# omemo_peer_field LINE KEY: KEY's value in the JSON object LINE (lists,
# objects and booleans as JSON: [1,2], true); empty when missing or null,
# or when LINE is empty or not JSON.
omemo_peer_field() {
	printf '%s' "$1" | "$TESTNET_PYTHON" -c '
import json, sys
try:
    v = json.loads(sys.stdin.read()).get(sys.argv[1])
except Exception:
    v = None
print("" if v is None else (json.dumps(v, ensure_ascii=False, separators=(",", ":"))
      if isinstance(v, (list, dict, bool)) else v))' "$2"
}

omemo_peer_stop() {
	local pid i
	pid=$(omemo_peer_pid "$1" 2>/dev/null) || return 0
	if kill -0 "$pid" 2>/dev/null; then
		omemo_peer_cmd "$1" quit 2>/dev/null
		for i in $(seq 1 100); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.02
		done
		kill -TERM "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
	return 0
}
