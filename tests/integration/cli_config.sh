#!/bin/bash
# shellcheck disable=SC2016 # checks are eval '...' on purpose: they read like the test
# cli_config.sh: ward's command line, ward.conf errors and the command pipe's
# checks, against the real binary and without any server: every ward started
# here runs with --no-connect (or exits before connecting). Covers the exit
# statuses of ward(1), "FILE:LINE: reason" config errors, the password and
# TLS refusals, --check-config's dump -> reparse round trip, the pipe
# refusals of docs/pipe.md, and bad command lines that must give an error
# event and leave ward running.
set -u

REPO=$(cd "$(dirname "$0")/../.." && pwd)
WARD_BIN=${WARD_BIN:-$REPO/build/san/ward}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
TEST_NAME=cli_config
FAILS=0
PY=/usr/bin/python3

pass() { echo "PASS: $TEST_NAME: $*"; }
fail() { echo "FAIL: $TEST_NAME: $*"; FAILS=$((FAILS + 1)); }
# check DESCRIPTION COMMAND...: pass when COMMAND succeeds.
check() {
	local what=$1
	shift
	if "$@"; then pass "$what"; else fail "$what"; fi
}

if [ ! -x "$WARD_BIN" ]; then
	fail "no ward binary at $WARD_BIN (build it, or set WARD_BIN)"
	exit 1
fi

T=$(mktemp -d /tmp/ward-cli.XXXXXX) || exit 1
chmod 700 "$T"
PIDS=""
cleanup() {
	local p
	for p in $PIDS; do
		kill -TERM "$p" 2> /dev/null
	done
	for p in $PIDS; do
		wait "$p" 2> /dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT

# Runs of ward leave OUT, ERR and RC here.
OUT=$T/out
ERR=$T/err
RC=0
# run_ward ARGS...: runs ward in the foreground (stdin /dev/null, 20 s at
# most) and sets RC; 124 means it had to be killed.
run_ward() {
	timeout -k 5 20 "$WARD_BIN" "$@" < /dev/null > "$OUT" 2> "$ERR"
	RC=$?
}
err_line() { head -n 1 "$ERR"; }
# stderr holds a fixed string
err_has() { grep -q -F -- "$1" "$ERR"; }
# stderr is exactly one line and no sanitizer report
err_one_line() {
	[ "$(wc -l < "$ERR")" -eq 1 ] &&
	    ! grep -q -E 'Sanitizer|runtime error:' "$ERR"
}
no_sanitizer_report() { ! grep -q -E 'Sanitizer|runtime error:' "$1"; }

# new_conf NAME MODE: an empty config dir $T/NAME/config (0700) whose
# ward.conf (mode MODE) is stdin, and a data dir $T/NAME/data (0700).
new_conf() {
	local d=$T/$1
	mkdir -p "$d/config" "$d/data"
	chmod 700 "$d" "$d/config" "$d/data"
	cat > "$d/config/ward.conf"
	chmod "$2" "$d/config/ward.conf"
}
conf_dir() { echo "$T/$1/config"; }
data_dir() { echo "$T/$1/data"; }

GOOD_CONF='[ward]
log_level = info

[account alice]
jid = alice@good.test
password_command = /bin/echo x
'

# --- the command line -----------------------------------------------------------

run_ward --version
want_version=""
[ -f "$REPO/VERSION" ] && want_version=$(head -n 1 "$REPO/VERSION")
if [ "$RC" -eq 0 ] && head -n 1 "$OUT" | grep -q -E '^ward [0-9]+\.[0-9]+' &&
    { [ -z "$want_version" ] || [ "$(head -n 1 "$OUT")" = "ward $want_version" ]; }; then
	pass "--version exits 0 and prints the version ($(head -n 1 "$OUT"))"
else
	fail "--version: exit $RC, printed '$(head -n 1 "$OUT")' (want 'ward ${want_version:-N.N}')"
fi

run_ward --help
check "--help exits 0 and prints the usage" \
    eval '[ "$RC" -eq 0 ] && grep -q "^usage: ward" "$OUT"'

run_ward --no-such-option
check "an unknown option exits 2 with the usage on stderr (got $RC)" \
    eval '[ "$RC" -eq 2 ] && err_has "usage: ward" && [ ! -s "$OUT" ]'

run_ward --headless stray-argument
check "a stray argument exits 2 (got $RC)" eval '[ "$RC" -eq 2 ]'

run_ward --list-commands
check "--list-commands exits 0 and lists /msg and /quit" \
    eval '[ "$RC" -eq 0 ] && grep -q "^/msg JID TEXT" "$OUT" && grep -q "^/quit" "$OUT"'

# --- ward.conf errors ------------------------------------------------------------

# A bad line among good ones: every error as FILE:LINE:, for --check-config
# and for a real start.
new_conf badline 600 << 'EOF'
[account alice]
jid = alice@good.test
password_command = /bin/echo x
this line has no equals sign
EOF
conf=$(conf_dir badline)/ward.conf
run_ward --check-config --config-dir "$(conf_dir badline)"
check "--check-config with a bad line: non-zero exit and '$conf:4:' on stderr" \
    eval '[ "$RC" -ne 0 ] && [ "$RC" -ne 124 ] && err_has "$conf:4:" && [ ! -s "$OUT" ]'
run_ward --headless --no-connect --config-dir "$(conf_dir badline)" \
    --data-dir "$(data_dir badline)" --pipe "$T/badline/p/cmd"
check "starting with a bad line: non-zero exit and '$conf:4:' on stderr" \
    eval '[ "$RC" -ne 0 ] && [ "$RC" -ne 124 ] && err_has "$conf:4:"'

# Several bad lines: all reported, each with its line.
new_conf badlines 600 << 'EOF'
[account alice]
jid = not a jid
port = 99999
password_command = /bin/echo x
colour = blue
EOF
conf=$(conf_dir badlines)/ward.conf
run_ward --check-config --config-dir "$(conf_dir badlines)"
check "every bad line is reported (lines 2, 3 and 5)" \
    eval '[ "$RC" -ne 0 ] && err_has "$conf:2:" && err_has "$conf:3:" && err_has "$conf:5:"'

# A password in a file others may read: refused, naming chmod, without
# showing the secret.
new_conf pw644 644 << 'EOF'
[account alice]
jid = alice@good.test
password = s3cret-Zebra-42
EOF
run_ward --headless --no-connect --config-dir "$(conf_dir pw644)" \
    --data-dir "$(data_dir pw644)" --pipe "$T/pw644/p/cmd"
check "a password in a 0644 ward.conf is refused with a message naming chmod" \
    eval '[ "$RC" -ne 0 ] && [ "$RC" -ne 124 ] && err_has "chmod" && err_has "$(conf_dir pw644)/ward.conf:3:"'
check "the refusal does not show the password" \
    eval '! grep -q -F s3cret-Zebra-42 "$ERR" "$OUT"'
run_ward --check-config --config-dir "$(conf_dir pw644)"
check "--check-config refuses it too" \
    eval '[ "$RC" -ne 0 ] && err_has "chmod"'

# The same file at 0600 is accepted, and --check-config hides the password.
new_conf pw600 600 << 'EOF'
[account alice]
jid = alice@good.test
password = s3cret-Zebra-42
EOF
run_ward --check-config --config-dir "$(conf_dir pw600)"
check "a password in a 0600 ward.conf is accepted; --check-config does not print it" \
    eval '[ "$RC" -eq 0 ] && ! grep -q -F s3cret-Zebra-42 "$OUT" && grep -q "^# password = " "$OUT"'

# Both password and password_command.
new_conf both 600 << 'EOF'
[account alice]
jid = alice@good.test
password = s3cret-Zebra-42
password_command = /bin/echo x
EOF
run_ward --headless --no-connect --config-dir "$(conf_dir both)" \
    --data-dir "$(data_dir both)" --pipe "$T/both/p/cmd"
check "password and password_command together are refused" \
    eval '[ "$RC" -ne 0 ] && [ "$RC" -ne 124 ] && err_has "password_command" && err_has "$(conf_dir both)/ward.conf:"'

# TLS older than 1.2.
for v in 1.1 1.0; do
	new_conf "tls$v" 600 << EOF
[account alice]
jid = alice@good.test
password_command = /bin/echo x
tls_min = $v
EOF
	run_ward --headless --no-connect --config-dir "$(conf_dir "tls$v")" \
	    --data-dir "$(data_dir "tls$v")" --pipe "$T/tls$v/p/cmd"
	check "tls_min = $v is refused with FILE:LINE: (got exit $RC: $(err_line))" \
	    eval '[ "$RC" -ne 0 ] && [ "$RC" -ne 124 ] && err_has "$(conf_dir "tls$v")/ward.conf:4:" && err_has tls_min'
done

# No [account] section.
new_conf noacct 600 << 'EOF'
[ward]
log_level = debug
EOF
run_ward --headless --no-connect --config-dir "$(conf_dir noacct)" \
    --data-dir "$(data_dir noacct)" --pipe "$T/noacct/p/cmd"
check "a ward.conf without [account NAME] is refused (got exit $RC: $(err_line))" \
    eval '[ "$RC" -ne 0 ] && [ "$RC" -ne 124 ] && err_has "$(conf_dir noacct)/ward.conf" && err_has account'

# No ward.conf at all.
mkdir -m 700 "$T/noconf"
run_ward --headless --no-connect --config-dir "$T/noconf" --data-dir "$T/noconf" \
    --pipe "$T/noconf/cmd"
check "a missing ward.conf is refused, naming the file (got exit $RC)" \
    eval '[ "$RC" -ne 0 ] && [ "$RC" -ne 124 ] && err_has "$T/noconf/ward.conf"'

# A ward.conf others may write is refused even without a password.
printf '%s' "$GOOD_CONF" | new_conf writable 666
run_ward --check-config --config-dir "$(conf_dir writable)"
check "a ward.conf writable by others is refused (got exit $RC)" \
    eval '[ "$RC" -ne 0 ] && err_has "$(conf_dir writable)/ward.conf"'

# An account that does not exist.
printf '%s' "$GOOD_CONF" | new_conf good 600
run_ward --headless --no-connect -a nosuch --config-dir "$(conf_dir good)" \
    --data-dir "$(data_dir good)" --pipe "$T/good/p/cmd"
check "-a nosuch is refused with one line naming it (got exit $RC: $(err_line))" \
    eval '[ "$RC" -ne 0 ] && [ "$RC" -ne 124 ] && err_has nosuch && err_one_line'

# Without --headless (no curses UI in this version): exit 2.
run_ward --config-dir "$(conf_dir good)" --data-dir "$(data_dir good)"
check "without --headless ward exits 2 with a reason (got $RC)" \
    eval '[ "$RC" -eq 2 ] && err_one_line'

# A data directory others may enter is refused.
mkdir -p "$T/opendata"
chmod 755 "$T/opendata"
run_ward --headless --no-connect --config-dir "$(conf_dir good)" \
    --data-dir "$T/opendata" --pipe "$T/good/p/cmd"
check "a data directory of mode 0755 is refused, naming it (got exit $RC: $(err_line))" \
    eval '[ "$RC" -ne 0 ] && [ "$RC" -ne 124 ] && err_has "$T/opendata" && err_one_line'

# --- --check-config round trip -------------------------------------------------

# Every key, values that need quoting, two accounts. The dump, written back
# as ward.conf, must reparse to the same dump.
new_conf dump 600 << 'EOF'
; a comment
[ward]
log_level = debug

[account main]
jid = Alice@Good.Test
password_command = /bin/echo "a \"quoted\" word" 'and more'
resource = "  padded resource  "
server = xmpp.good.test
port = 5223
direct_tls = yes
tls_min = 1.2
ca_file = /etc/ssl/certs/ca-certificates.crt
dns_trust_anchor = /usr/share/dns/root.key
dns_stub = good.test 127.0.0.1@5353
dns_stub = example. ::1
dnssec = require

[account second]
jid = bob@example.org
password_command = pass show xmpp/bob
resource = "\"starts with a quote"
EOF
run_ward --check-config --config-dir "$(conf_dir dump)"
cp "$OUT" "$T/dump1"
if [ "$RC" -ne 0 ]; then
	fail "--check-config of a valid config exits $RC: $(err_line)"
else
	pass "--check-config of a valid config exits 0"
	mkdir -m 700 "$T/redump"
	cp "$T/dump1" "$T/redump/ward.conf"
	chmod 600 "$T/redump/ward.conf"
	run_ward --check-config --config-dir "$T/redump"
	if [ "$RC" -eq 0 ] && cmp -s "$T/dump1" "$OUT"; then
		pass "--check-config's dump, written back as ward.conf, reparses to the same dump"
	else
		fail "--check-config's dump does not reparse to itself (exit $RC: $(err_line)):"
		diff -u "$T/dump1" "$OUT" | sed -n '1,30p' | sed 's/^/    /'
	fi
	check "the dump keeps the quoted values and both accounts" \
	    eval 'grep -q -x -F "resource = \"  padded resource  \"" "$T/dump1" &&
	        grep -q -x -F "[account second]" "$T/dump1" &&
	        grep -q -x -F "dns_stub = example ::1@53" "$T/dump1"'
fi

# --- the command pipe: refusals -------------------------------------------------

# start_with_pipe PATH: ward with the good config and --pipe PATH.
start_with_pipe() {
	run_ward --headless --no-connect --config-dir "$(conf_dir good)" \
	    --data-dir "$(data_dir good)" --pipe "$1"
}

mkdir -m 700 "$T/pipes"

mkfifo -m 600 "$T/pipes/real.fifo"
ln -s "$T/pipes/real.fifo" "$T/pipes/link.cmd"
start_with_pipe "$T/pipes/link.cmd"
check "a pipe path that is a symlink (to a good FIFO) is refused in one line naming it (exit $RC: $(err_line))" \
    eval '[ "$RC" -ne 0 ] && [ "$RC" -ne 124 ] && err_has "$T/pipes/link.cmd" && err_one_line'
check "... and the symlink is left alone" test -L "$T/pipes/link.cmd"

printf 'not a fifo\n' > "$T/pipes/regular.cmd"
chmod 600 "$T/pipes/regular.cmd"
start_with_pipe "$T/pipes/regular.cmd"
check "a pipe path that is a regular file is refused in one line naming it (exit $RC: $(err_line))" \
    eval '[ "$RC" -ne 0 ] && [ "$RC" -ne 124 ] && err_has "$T/pipes/regular.cmd" && err_one_line'
check "... and the file is left alone" \
    eval '[ -f "$T/pipes/regular.cmd" ] && [ "$(cat "$T/pipes/regular.cmd")" = "not a fifo" ]'

mkfifo -m 644 "$T/pipes/open.cmd"
chmod 644 "$T/pipes/open.cmd"
start_with_pipe "$T/pipes/open.cmd"
check "a FIFO of mode 0644 is refused in one line naming it (exit $RC: $(err_line))" \
    eval '[ "$RC" -ne 0 ] && [ "$RC" -ne 124 ] && err_has "$T/pipes/open.cmd" && err_one_line'
check "... and its mode is not changed" \
    eval '[ "$(stat -c %a "$T/pipes/open.cmd")" = 644 ]'

mkdir -m 755 "$T/opendir"
chmod 755 "$T/opendir"
mkfifo -m 600 "$T/opendir/ward.cmd"
start_with_pipe "$T/opendir/ward.cmd"
check "a FIFO in a 0755 directory is refused in one line naming the directory (exit $RC: $(err_line))" \
    eval '[ "$RC" -ne 0 ] && [ "$RC" -ne 124 ] && err_has "$T/opendir" && err_one_line'

mkdir -m 755 "$T/opendir2"
chmod 755 "$T/opendir2"
start_with_pipe "$T/opendir2/ward.cmd"
check "a missing FIFO in a 0755 directory is refused too, and not created (exit $RC)" \
    eval '[ "$RC" -ne 0 ] && [ "$RC" -ne 124 ] && err_has "$T/opendir2" && [ ! -e "$T/opendir2/ward.cmd" ]'

mkdir -m 700 "$T/realdir"
ln -s "$T/realdir" "$T/linkdir"
start_with_pipe "$T/linkdir/ward.cmd"
check "a pipe directory that is a symlink is refused (exit $RC: $(err_line))" \
    eval '[ "$RC" -ne 0 ] && [ "$RC" -ne 124 ] && err_has "$T/linkdir" && err_one_line'

if [ "$(id -u)" -eq 0 ] && id nobody > /dev/null 2>&1; then
	mkfifo -m 600 "$T/pipes/theirs.cmd"
	chown nobody "$T/pipes/theirs.cmd"
	start_with_pipe "$T/pipes/theirs.cmd"
	check "a FIFO owned by another user is refused (exit $RC: $(err_line))" \
	    eval '[ "$RC" -ne 0 ] && [ "$RC" -ne 124 ] && err_has "$T/pipes/theirs.cmd" && err_one_line'
fi

run_ward --headless --no-connect --config-dir "$(conf_dir good)" \
    --data-dir "$(data_dir good)" --pipe ""
check "an empty --pipe is refused (exit $RC)" \
    eval '[ "$RC" -ne 0 ] && [ "$RC" -ne 124 ]'

( unset XDG_RUNTIME_DIR
  timeout -k 5 20 "$WARD_BIN" --headless --no-connect \
      --config-dir "$(conf_dir good)" --data-dir "$(data_dir good)" \
      < /dev/null > "$OUT" 2> "$ERR" )
RC=$?
check "without XDG_RUNTIME_DIR and --pipe ward refuses, pointing at --pipe (exit $RC)" \
    eval '[ "$RC" -ne 0 ] && [ "$RC" -ne 124 ] && err_has "--pipe" && err_one_line'

# --- the command pipe: a running ward -------------------------------------------

# wait_for FILE FIXED-STRING SECONDS [COUNT]: until FILE has COUNT (default 1)
# lines holding the string.
wait_for() {
	local _ n
	for _ in $(seq 1 $(($3 * 20))); do
		n=$(grep -c -F -- "$2" "$1" 2> /dev/null)
		[ "${n:-0}" -ge "${4:-1}" ] && return 0
		sleep 0.05
	done
	return 1
}
# send PIPE: stdin into the FIFO. conv=nocreat: never make a regular file
# if the FIFO has gone (ward died).
send() {
	[ -p "$1" ] || return 1
	timeout 10 dd of="$1" conv=nocreat bs=65536 status=none
}
alive() { kill -0 "$1" 2> /dev/null; }
# stop_wait PID: waits (10 s) for PID to exit; returns its status, 124 if
# it had to be killed.
stop_wait() {
	local _
	for _ in $(seq 1 200); do
		alive "$1" || break
		sleep 0.05
	done
	if alive "$1"; then
		kill -KILL "$1" 2> /dev/null
		wait "$1" 2> /dev/null
		return 124
	fi
	wait "$1"
}
all_json() { "$PY" -c 'import json,sys; [json.loads(l) for l in sys.stdin]' < "$1"; }

P=$T/run/pipe/alice.cmd
mkdir -p "$T/run"
chmod 700 "$T/run"
"$WARD_BIN" --headless --no-connect --config-dir "$(conf_dir good)" \
    --data-dir "$(data_dir good)" --pipe "$P" \
    < /dev/null > "$T/run/events" 2> "$T/run/stderr" &
WPID=$!
PIDS="$PIDS $WPID"
for _ in $(seq 1 200); do
	[ -p "$P" ] && break
	alive "$WPID" || break
	sleep 0.05
done
if [ ! -p "$P" ]; then
	fail "ward did not create its pipe $P: $(head -n 2 "$T/run/stderr")"
else
	pass "ward --headless --no-connect runs with a fine pipe"
	check "it made the pipe directory 0700 and the FIFO 0600" \
	    eval '[ "$(stat -c %a "$T/run/pipe")" = 700 ] && [ "$(stat -c %a "$P")" = 600 ]'

	n=0
	# bad_line DESCRIPTION EXPECTED-TEXT: sends $T/line (not through a
	# pipeline: n and FAILS must stay in this shell); wants one more error
	# event, holding the text, and ward still running.
	bad_line() {
		local what=$1 want=$2
		n=$((n + 1))
		if ! send "$P" < "$T/line"; then
			fail "$what: cannot write to the pipe"
			return
		fi
		if wait_for "$T/run/events" '"event":"error"' 10 "$n" &&
		    grep -F '"event":"error"' "$T/run/events" | sed -n "${n}p" |
		    grep -q -F -- "$want" && alive "$WPID"; then
			pass "$what: an error event ($want), ward keeps running"
		else
			fail "$what: no error event holding '$want' (or ward died); events: $(tail -n 2 "$T/run/events" | tr '\n' ' ')"
		fi
	}
	printf '/nosuch\n' > "$T/line"
	bad_line "/nosuch" "unknown command: /nosuch"
	{ printf '/msg bob@good.test '; head -c 102400 /dev/zero | tr '\0' x
	  printf '\n'; } > "$T/line"
	bad_line "a 100 KB line" "command line too long"
	printf '/msg bob@good.test \xff\xfe\n' > "$T/line"
	bad_line "a line with invalid UTF-8" "not valid UTF-8"
	printf '/msg bob@good.test a\0b\n' > "$T/line"
	bad_line "a line with a NUL byte" "NUL"
	printf '/msg\n' > "$T/line"
	bad_line "/msg without arguments" "usage: /msg JID TEXT"
	printf '/msg bob@good.test \033]52;c;aGk=\a\n' > "$T/line"
	bad_line "a line with terminal escapes" "control character"
	printf 'hello\n' > "$T/line"
	bad_line "a line without /" "not a command"
	printf '/a\n' > "$T/line"
	bad_line "an ambiguous prefix" "ambiguous command"
	printf '/join lobby@rooms.good.test\n' > "$T/line"
	bad_line "/join while offline" '"code":"not-connected"'

	# The line after a too-long one is read normally, and a line split over
	# two writes is one line.
	{ head -c 70000 /dev/zero | tr '\0' y; printf '\n/msg bob@good.test after-long\n'; } | send "$P"
	check "the line after a too-long line runs normally" \
	    wait_for "$T/run/events" '"event":"queued"' 10
	printf '/msg bob@good.test spl' | send "$P"
	sleep 0.2
	printf 'it\r\n' | send "$P"
	check "a line written in two parts, ending in CRLF, is one command" \
	    wait_for "$T/run/events" '"event":"queued"' 10 2
	check "--no-connect: ward did not try to connect" \
	    eval '! grep -q -F "\"text\":\"connecting\"" "$T/run/events"'

	printf '/quit\n' | send "$P"
	stop_wait "$WPID"
	st=$?
	check "/quit through the pipe: exit 0 (got $st)" test "$st" -eq 0
	check "every stdout line is valid JSON" all_json "$T/run/events"
	check "every event has \"event\" and \"account\"" "$PY" -c '
import json, sys
for l in open(sys.argv[1]):
    e = json.loads(l)
    assert list(e)[:2] == ["event", "account"], e
' "$T/run/events"
	check "the FIFO is removed at exit" test ! -e "$P"
	check "no sanitizer report and nothing on stderr" \
	    eval '[ ! -s "$T/run/stderr" ]'
fi

# --- commands on stdin ---------------------------------------------------------------

printf '/nosuch\n/quit\n' | timeout -k 5 20 "$WARD_BIN" --headless --no-connect \
    --config-dir "$(conf_dir good)" --data-dir "$(data_dir good)" \
    --pipe "$T/stdin.cmd" > "$T/stdin.out" 2> "$T/stdin.err"
st=$?
check "commands on stdin: /nosuch gives an error event, /quit exits 0 (got $st)" \
    eval '[ "$st" -eq 0 ] && grep -q -F "unknown command: /nosuch" "$T/stdin.out" && all_json "$T/stdin.out"'
check "... with a clean stderr" eval '[ ! -s "$T/stdin.err" ]'

# --- the XDG defaults of ward(1) FILES ------------------------------------------------

X=$T/xdg
mkdir -p "$X/config/ward" "$X/data" "$X/runtime"
chmod -R 700 "$X"
printf '%s' "$GOOD_CONF" > "$X/config/ward/ward.conf"
chmod 600 "$X/config/ward/ward.conf"
XDG_CONFIG_HOME=$X/config XDG_DATA_HOME=$X/data XDG_RUNTIME_DIR=$X/runtime \
    "$WARD_BIN" --headless --no-connect < /dev/null > "$X/out" 2> "$X/err" &
XPID=$!
PIDS="$PIDS $XPID"
for _ in $(seq 1 200); do
	[ -p "$X/runtime/ward/alice.cmd" ] && break
	alive "$XPID" || break
	sleep 0.05
done
check "with the XDG variables the pipe is \$XDG_RUNTIME_DIR/ward/alice.cmd" \
    test -p "$X/runtime/ward/alice.cmd"
check "... the database and log are in \$XDG_DATA_HOME/ward/" \
    eval '[ -f "$X/data/ward/ward.db" ] && [ -f "$X/data/ward/ward.log" ] && [ "$(stat -c %a "$X/data/ward")" = 700 ]'
printf '/quit\n' | send "$X/runtime/ward/alice.cmd"
stop_wait "$XPID"
st=$?
check "... and /quit exits 0 (got $st)" test "$st" -eq 0
check "... with a clean stderr" no_sanitizer_report "$X/err"

[ "$FAILS" -eq 0 ]
