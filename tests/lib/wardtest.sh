# wardtest.sh: sourced by integration and hostile tests. Runs ward
# instances headless, each with its own config dir, data dir and pipe, and
# waits for JSON events. Results: check/pass/fail print one line each and
# the script's exit status says whether everything passed.

WARD_BIN=${WARD_BIN:-$WARD_SRC/build/san/ward}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
TEST_NAME=$(basename "$0" .sh)
TEST_FAILS=0

pass() { echo "PASS: $TEST_NAME: $*"; }
fail() { echo "FAIL: $TEST_NAME: $*"; TEST_FAILS=$((TEST_FAILS + 1)); }
# check DESCRIPTION COMMAND...: pass when COMMAND succeeds.
check() {
	local what=$1; shift
	if "$@"; then pass "$what"; else fail "$what"; fi
}
test_exit() {
	if [ "$TEST_FAILS" -eq 0 ]; then exit 0; fi
	exit 1
}

# ward_setup NAME JID PASSWORD [CONF LINES...]: a ward instance's dirs and
# config. The password goes through password_command (a 0600 file + cat).
ward_setup() {
	local name=$1 jid=$2 pw=$3 d
	shift 3
	d=$WARD_TEST_DIR/ward-$name
	mkdir -p "$d/config" "$d/data"
	chmod 700 "$d" "$d/config" "$d/data"
	printf '%s\n' "$pw" > "$d/password"
	chmod 600 "$d/password"
	{
		echo "[ward]"
		echo "log_level = debug"
		echo "[account $name]"
		echo "jid = $jid"
		echo "password_command = /bin/cat $d/password"
		echo "ca_file = $TEST_CA"
		if [ -n "${DNS_ANCHOR:-}" ]; then
			echo "dns_trust_anchor = $DNS_ANCHOR"
			echo "dns_stub = test. 127.0.0.1@$DNS_PORT"
		fi
		for l in "$@"; do echo "$l"; done
	} > "$d/config/ward.conf"
	chmod 600 "$d/config/ward.conf"
	: > "$d/events.jsonl"
}

ward_dir() { echo "$WARD_TEST_DIR/ward-$1"; }

# ward_start NAME [ARGS...]: starts ward headless in the background.
ward_start() {
	local name=$1 d
	shift
	d=$(ward_dir "$name")
	"$WARD_BIN" --headless -a "$name" --config-dir "$d/config" \
	    --data-dir "$d/data" --pipe "$d/cmd.fifo" "$@" \
	    < /dev/null >> "$d/events.jsonl" 2>> "$d/stderr" &
	echo $! > "$d/pid"
	register_pid "$(cat "$d/pid")"
}

ward_pid() { cat "$(ward_dir "$1")/pid"; }

# ward_cmd NAME LINE: writes a command line into the instance's pipe.
ward_cmd() {
	local d i
	d=$(ward_dir "$1")
	for i in $(seq 1 100); do
		[ -p "$d/cmd.fifo" ] && break
		sleep 0.05
	done
	printf '%s\n' "$2" > "$d/cmd.fifo"
}

# ward_wait NAME FIXED-STRING [SECONDS]: waits for an event line holding
# the string; prints the line. Non-zero on timeout or if ward died.
ward_wait() {
	local d=$(ward_dir "$1") pat=$2 secs=${3:-15} i line
	for i in $(seq 1 $((secs * 20))); do
		line=$(grep -F -- "$pat" "$d/events.jsonl" | head -n 1)
		if [ -n "$line" ]; then
			printf '%s\n' "$line"
			return 0
		fi
		if ! kill -0 "$(ward_pid "$1")" 2>/dev/null; then
			line=$(grep -F -- "$pat" "$d/events.jsonl" | head -n 1)
			[ -n "$line" ] && { printf '%s\n' "$line"; return 0; }
			echo "ward_wait: $1 exited while waiting for $pat" >&2
			return 1
		fi
		sleep 0.05
	done
	echo "ward_wait: $1: no event with $pat after ${secs}s" >&2
	return 1
}

# ward_count NAME FIXED-STRING: number of event lines holding the string.
ward_count() {
	grep -c -F -- "$2" "$(ward_dir "$1")/events.jsonl"
}

# json_field LINE KEY: a string field of one JSON event line.
json_field() {
	printf '%s' "$1" | /usr/bin/python3 -c \
	    'import json,sys; v=json.loads(sys.stdin.read()).get(sys.argv[1]); print("" if v is None else v)' "$2"
}

# ward_stop NAME: /quit, then TERM, then KILL. Returns ward's exit status.
ward_stop() {
	local pid i st
	pid=$(ward_pid "$1")
	kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return $?; }
	ward_cmd "$1" "/quit" 2>/dev/null &
	for i in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	kill -TERM "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	st=$?
	return $st
}

# ward_sanitizer_clean NAME: no ASan/UBSan report in the instance's stderr.
ward_sanitizer_clean() {
	! grep -q -E "ERROR: AddressSanitizer|runtime error:|ERROR: LeakSanitizer" \
	    "$(ward_dir "$1")/stderr"
}

# ward_seen NAME FIXED-STRING [SECONDS]: ward_wait without the output (for check).
ward_seen() {
	ward_wait "$@" > /dev/null
}

# ward_seen_n NAME FIXED-STRING N [SECONDS]: waits until at least N event
# lines hold the string.
ward_seen_n() {
	local i secs=${4:-15}
	for i in $(seq 1 $((secs * 20))); do
		[ "$(ward_count "$1" "$2")" -ge "$3" ] && return 0
		sleep 0.05
	done
	return 1
}

# omemo_ready A PEER: until A knows one of PEER's OMEMO devices (up to 30 s).
# Two new accounts start together: a fetch that comes before the peer's
# first publish is refused (forbidden, to a stranger), and a message then
# would be too; ward asks again 10 s later (OMEMO_EMPTY_LIST_MAX_AGE_MS).
omemo_ready() {
	local i
	for i in $(seq 1 60); do
		ward_cmd "$1" "/chat-security $2"
		sleep 0.5
		grep -q "\"event\":\"chat-security\".*\"jid\":\"$2\".*\"device_list\":\"known\",\"devices\":[1-9]" \
		    "$(ward_dir "$1")/events.jsonl" && return 0
	done
	return 1
}
