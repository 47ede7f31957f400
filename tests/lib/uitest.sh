# uitest.sh: sourced by tests/ui/*.sh. Brings the loopback test network up
# and runs the REAL ward binary (its terminal UI, not --headless) inside a
# private tmux server, then drives it with send-keys and reads it back with
# capture-pane (and, raw, with pipe-pane). Results are PASS:/FAIL: lines
# as in wardtest.sh (check, pass, fail, test_exit).
#
#   . "$(dirname "$0")/../lib/uitest.sh"
#   ui_net_up                             # testnet_up + the clean-up trap
#   ward_setup alice alice@good.test "$ALICE_PW"   # (wardtest.sh)
#   ui_start alice [ward args...]         # waits for the first frame
#   ui_line "/msg bob@good.test hi"       # types the text literally + Enter
#   ui_keys M-1 C-n PPage                 # tmux key names
#   ui_wait_for 'bob@good\.test' 20       # ERE on the screen, dump on timeout
#   ui_screen                             # the visible screen, plain text
#   ui_resize 20 6
#   ui_record FILE                        # raw bytes ward writes, appended
#   ui_stop                               # /quit, waits; its exit status
#
# One ward UI a test (the tmux session "ward"); peers are headless wards
# (wardtest.sh), tests/net/peer.py and tests/net/omemo_peer.py. Everything
# started is registered by PID (register_pid) and stopped by
# testnet_stop_all; the tmux server is also killed by its socket.

_uitest_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$_uitest_here/../net/testnet.sh"
. "$_uitest_here/wardtest.sh"

UI_SOCK=ward-ui-$$-$RANDOM
UI_W=${UI_W:-120}
UI_H=${UI_H:-40}
UI_NAME=
if infocmp tmux-256color > /dev/null 2>&1; then UI_TERM=tmux-256color
else UI_TERM=screen-256color; fi
export UI_SOCK UI_TERM

# ui_tmux ARGS...: tmux on the test's own server (no user config, never
# the tmux the tests may run inside).
ui_tmux() {
	env -u TMUX tmux -u -L "$UI_SOCK" -f /dev/null "$@"
}

# ui_net_up: the test network, and the trap that stops it and the tmux
# server on exit. Fails the test (exit 1) when the network cannot start or
# tmux is missing: a UI test never skips.
ui_net_up() {
	command -v tmux > /dev/null ||
		{ echo "FAIL: $TEST_NAME: tmux is not installed (tests/lib/deps.sh test)"; exit 1; }
	[ -x "$WARD_BIN" ] ||
		{ echo "FAIL: $TEST_NAME: no ward binary at $WARD_BIN"; exit 1; }
	testnet_up || { echo "FAIL: $TEST_NAME: testnet"; exit 1; }
	trap ui_net_down EXIT
}

ui_net_down() {
	local st=$?
	ui_tmux kill-server > /dev/null 2>&1
	# testnet_down reads $? to decide whether to keep the work dir
	(exit $st)
	testnet_down
}

# ui_start NAME [ARGS...]: ward's UI for the instance NAME (ward_setup
# first) in a 120x40 tmux window (UI_W, UI_H), with its pipe at
# $(ward_dir NAME)/cmd.fifo and stderr in .../stderr. The window waits for
# a go before exec'ing ward so that the raw recording ($(ward_dir
# NAME)/raw.log, always on) holds every byte from the first. Waits for the
# first frame (anything on the screen); non-zero if ward died or drew
# nothing in 20 s. Sets UI_NAME; $(ward_pid) is ward's own PID (the pane's
# shell is its parent).
ui_start() {
	local name=$1 d cmd tpid ppid i
	shift
	d=$(ward_dir "$name")
	UI_NAME=$name
	: > "$d/raw.log"
	rm -f "$d/go"
	mkfifo -m 600 "$d/go" || return 1
	# ward runs as the shell's child (not exec'd): the shell writes its
	# exit status (128+N for a signal) to DIR/exit. tmux 3.3a here left
	# the exited pane process unreaped (a zombie, no pane_dead_status)
	# for 20 s and more in some runs, so its status cannot be relied on.
	rm -f "$d/exit"
	# UI_ENV: more VAR=VALUE words for ward's environment (EDITOR,
	# NO_COLOR, COLORTERM...); the tmux server's own are cleared of them
	cmd=$(printf 'read -r _ < %q; env -u NO_COLOR -u COLORTERM -u VISUAL -u EDITOR TERM=%q LANG=C.UTF-8 LC_ALL=C.UTF-8 ASAN_OPTIONS=%q UBSAN_OPTIONS=%q' \
	    "$d/go" "$UI_TERM" "$ASAN_OPTIONS" "$UBSAN_OPTIONS")
	for i in ${UI_ENV:-}; do cmd="$cmd $(printf '%q' "$i")"; done
	cmd="$cmd $(printf '%q -a %q --config-dir %q --data-dir %q --pipe %q' \
	    "$WARD_BIN" "$name" "$d/config" "$d/data" "$d/cmd.fifo")"
	# UI_WARD_ARGS: more arguments for every start (by hand: e.g.
	# --headless, to try a test's plumbing without the UI)
	for i in ${UI_WARD_ARGS:-} "$@"; do cmd="$cmd $(printf '%q' "$i")"; done
	cmd="$cmd 2>> $(printf '%q' "$d/stderr"); echo \$? > $(printf '%q' "$d/exit")"
	ui_tmux new-session -d -s ward -x "$UI_W" -y "$UI_H" -c "$d" \
	    -P -F '#{pid} #{pane_pid}' "$cmd" \; \
	    set-option -t ward remain-on-exit on \; \
	    set-option -t ward status off \; \
	    set-option -g window-size manual \; \
	    pipe-pane -o -t ward "cat >> $(printf '%q' "$d/raw.log")" \
	    > "$d/tmux.pids" 2> "$d/tmux.err" ||
		{ echo "uitest.sh: tmux did not start: $(cat "$d/tmux.err")" >&2; return 1; }
	read -r tpid ppid < "$d/tmux.pids"
	register_pid "$tpid"
	register_pid "$ppid"
	echo "$ppid" > "$d/pid"
	echo "$tpid" > "$d/tmux.pid"
	UI_T0=$(date +%s%N)
	echo go > "$d/go"
	# ward's own PID: the shell's child once it has started
	for i in $(seq 1 100); do
		i=$(pgrep -P "$ppid" | head -n 1)
		[ -n "$i" ] && { echo "$i" > "$d/pid"; register_pid "$i"; break; }
		sleep 0.02
	done
	for i in $(seq 1 200); do
		[ -n "$(ui_screen | tr -d ' \n')" ] && return 0
		ui_dead && break
		sleep 0.1
	done
	echo "uitest.sh: ward drew no frame (dead: $(ui_dead && echo yes || echo no))" >&2
	ui_dump
	return 1
}

# ui_dead: ward's pane has exited (or tmux is gone).
ui_dead() {
	local s
	s=$(ui_tmux display-message -p -t ward '#{pane_dead}' 2> /dev/null) || return 0
	[ "$s" = 1 ]
}
ui_alive() { ! ui_dead && kill -0 "$(ward_pid "$UI_NAME")" 2> /dev/null; }

# ui_exit_status: the exit status of a dead pane (empty while it runs).
ui_exit_status() {
	ui_tmux display-message -p -t ward '#{pane_dead_status}' 2> /dev/null
}

# ui_screen: the visible screen as plain text, one line a row (trailing
# blanks trimmed by tmux). ui_screen_e: the same with attributes as SGR
# escapes (capture-pane -e). ui_row N: row N (0 = top).
ui_screen() { ui_tmux capture-pane -p -t ward 2> /dev/null; }
ui_screen_e() { ui_tmux capture-pane -p -e -t ward 2> /dev/null; }
ui_row() { ui_screen | sed -n "$(($1 + 1))p"; }

# ui_dump [WHY]: the screen on stderr (for a failure), and whether ward
# still runs; the last lines of its stderr.
ui_dump() {
	local d
	d=$(ward_dir "$UI_NAME")
	{
		echo "---- screen (${1:-}) ${UI_W}x${UI_H} dead=$(ui_dead && echo yes || echo no) status=$(ui_exit_status)"
		ui_screen | sed 's/^/| /'
		echo "---- ward stderr (last 5 lines)"
		tail -n 5 "$d/stderr" 2> /dev/null
		echo "----"
	} >&2
}

# ui_keys KEY...: tmux key names (Enter, Escape, M-1, C-n, PPage, BTab...).
ui_keys() { ui_tmux send-keys -t ward "$@"; }
# ui_type TEXT: TEXT literally (UTF-8 is sent as it is).
ui_type() { ui_tmux send-keys -t ward -l -- "$1"; }
# ui_send KEYS...: alias of ui_keys (the brief's name).
ui_send() { ui_keys "$@"; }
# ui_line TEXT: TEXT and Enter, in one tmux command.
ui_line() { ui_tmux send-keys -t ward -l -- "$1" \; send-keys -t ward Enter; }
# ui_bytes HEX...: raw bytes to ward's terminal input (send-keys -H).
ui_bytes() { ui_tmux send-keys -t ward -H "$@"; }
# ui_paste TEXT: TEXT as a bracketed paste (ESC[200~ ... ESC[201~ if ward
# turned the mode on; tmux adds the brackets itself, as a terminal would).
ui_paste() {
	printf '%s' "$1" | ui_tmux load-buffer -b uipaste - &&
		ui_tmux paste-buffer -p -d -b uipaste -t ward
}

# ui_match ERE: the screen matches now.
ui_match() { ui_screen | grep -qE -- "$1"; }

# ui_wait_for ERE [SECONDS]: polls the screen until a line matches the
# extended regex; non-zero, with the screen dumped, on timeout or when ward
# died. Default 20 s (a loaded 2-core machine).
ui_wait_for() {
	local re=$1 secs=${2:-20} i
	for i in $(seq 1 $((secs * 10))); do
		ui_screen | grep -qE -- "$re" && return 0
		if ui_dead; then
			ui_screen | grep -qE -- "$re" && return 0
			break
		fi
		sleep 0.1
	done
	ui_dump "waiting for /$re/"
	return 1
}

# ui_wait_gone ERE [SECONDS]: until no line of the screen matches.
ui_wait_gone() {
	local re=$1 secs=${2:-20} i
	for i in $(seq 1 $((secs * 10))); do
		ui_screen | grep -qE -- "$re" || return 0
		ui_dead && break
		sleep 0.1
	done
	ui_dump "waiting for /$re/ to go"
	return 1
}

# ui_wait_stable [SECONDS]: until two captures 0.3 s apart are equal (the
# screen settled after a burst), at most SECONDS (default 10).
ui_wait_stable() {
	local secs=${1:-10} a b i
	a=$(ui_screen)
	for i in $(seq 1 $((secs * 3))); do
		sleep 0.3
		b=$(ui_screen)
		[ "$a" = "$b" ] && return 0
		a=$b
	done
	return 1
}

# ui_resize W H: the window (and so ward's terminal) becomes W x H.
ui_resize() {
	UI_W=$1 UI_H=$2
	ui_tmux resize-window -t ward -x "$1" -y "$2"
}

# ui_record FILE: appends ward's raw terminal output to FILE from now on
# (besides the always-on $(ward_dir NAME)/raw.log). ui_record_off stops both.
ui_record() { ui_tmux pipe-pane -t ward "cat >> $(printf '%q' "$1")"; }
ui_record_off() { ui_tmux pipe-pane -t ward; }
# ui_raw_size: bytes recorded in raw.log so far.
ui_raw_size() { stat -c %s "$(ward_dir "$UI_NAME")/raw.log"; }

# ui_stop: asks ward to quit (/quit typed, then the pipe, then TERM) and
# waits for its pane to die; returns ward's exit status (143 for TERM).
ui_stop() {
	local i st
	# the input line may hold text: C-e C-u empties it first
	ui_dead || { ui_keys C-e C-u; ui_line "/quit"; }
	for i in $(seq 1 100); do ui_dead && break; sleep 0.1; done
	if ! ui_dead; then
		echo "uitest.sh: ward did not quit on a typed /quit in 10 s; trying the pipe" >&2
		ui_dump "after /quit"
		ward_cmd "$UI_NAME" "/quit" 2> /dev/null &
		for i in $(seq 1 50); do ui_dead && break; sleep 0.1; done
	fi
	if ! ui_dead; then
		echo "uitest.sh: ward did not quit on /quit in the pipe; TERM" >&2
		kill -TERM "$(ward_pid "$UI_NAME")" 2> /dev/null
		for i in $(seq 1 50); do ui_dead && break; sleep 0.1; done
	fi
	# the shell around ward writes its status once it has reaped it
	for i in $(seq 1 200); do
		st=$(cat "$(ward_dir "$UI_NAME")/exit" 2> /dev/null)
		[ -n "$st" ] && break
		sleep 0.1
	done
	if [ -z "$st" ]; then
		ps -o pid,ppid,stat,wchan:20,args -p "$(ward_pid "$UI_NAME")" >&2
		echo "uitest.sh: no exit status from the shell around ward in 20 s" >&2
	elif [ "$st" -ne 0 ]; then
		echo "uitest.sh: ward's exit status: $st" >&2
	fi
	return "${st:-1}"
}

# ui_restart NAME [ARGS...]: ward's UI again (after ui_stop) in a fresh
# session of the same tmux server.
ui_restart() {
	ui_tmux kill-session -t ward 2> /dev/null
	ui_start "$@"
}

# ui_sane: ward is alive and its screen is not empty.
ui_sane() {
	ui_alive && [ -n "$(ui_screen | tr -d ' \n')" ]
}

# ui_prosody_presences ROOM: presences alice's client sent to ROOM so far,
# as Prosody's debug log shows them (independent of ward's screen).
ui_prosody_presences() {
	grep -c "Received\[c2s\]: <presence.*to='$1" "$PROSODY_LOG"
}

# ui_bottom N: the last N rows of the screen (the input line, the
# conversation line above it, ...).
ui_bottom() {
	ui_screen | tail -n "$1"
}

# ui_current_is ERE [SECONDS]: the current window's conversation line (the
# last 3 rows: conversation line, input, maybe a status row) matches ERE.
ui_current_is() {
	local re=$1 secs=${2:-10} i
	for i in $(seq 1 $((secs * 10))); do
		ui_bottom 3 | grep -qE -- "$re" && return 0
		ui_dead && break
		sleep 0.1
	done
	ui_dump "current window /$re/"
	return 1
}

# not CMD...: succeeds when CMD fails (for check).
not() { ! "$@"; }
# ui_bottom_has ERE: one of the last 3 rows matches now.
ui_bottom_has() { ui_bottom 3 | grep -qE -- "$1"; }

# ui_input: the input line (the screen's last row).
ui_input() { ui_screen | tail -n 1; }
# ui_wait_input ERE [SECONDS]: until the input line matches.
ui_wait_input() {
	local re=$1 secs=${2:-10} i
	for i in $(seq 1 $((secs * 10))); do
		ui_input | grep -qE -- "$re" && return 0
		ui_dead && break
		sleep 0.1
	done
	ui_dump "input line /$re/"
	return 1
}
