#!/bin/bash
# sandbox_ui: ./sandbox.sh as a new user meets it, in its default mode (the
# curses UI), in a tmux of its own: the top line says every indicator in
# words (DNSSEC secure, DANE match, SCRAM-*-PLUS, tls-exporter), the
# contacts pane lists bob and carol online, `/msg bob@good.test hello`
# opens bob's window where the echo comes back marked omemo, carol's chat
# is refused and then PLAIN after `/omemo off`, and `/quit` ends the
# sandbox with every server stopped. FAILS (never skips) when Prosody 13,
# python-omemo or tmux cannot be had.
set -u
. "$(dirname "$0")/../net/env.sh"
. "$(dirname "$0")/../lib/wardtest.sh"

T=$(mktemp -d /tmp/ward-test.XXXXXX) || exit 1
chmod 755 "$T"
SBX=$T/sandbox
TMUX_SOCK=ward-sandbox-ui-$$
tm() { tmux -L "$TMUX_SOCK" "$@"; }

cleanup() {
	local st=$?
	# /quit did not end it: ward, then the servers it started, by PID
	local pid
	pid=$(cat "$SBX/alice/ward.pid" 2>/dev/null)
	[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null
	for _ in $(seq 1 50); do
		[ -f "$SBX/pids" ] || break
		sleep 0.1
	done
	if [ -f "$SBX/pids" ]; then
		while read -r p; do kill -KILL "$p" 2>/dev/null; done < "$SBX/pids"
	fi
	tm kill-server 2>/dev/null
	if [ "$st" -eq 0 ] && [ "$TEST_FAILS" -eq 0 ]; then
		rm -rf "$T"
	else
		echo "sandbox_ui: logs kept in $T" >&2
	fi
}
trap cleanup EXIT

command -v tmux > /dev/null || { fail "tmux is installed"; test_exit; }

tm new-session -d -s sbx -x 120 -y 32 \
	"WARD_SANDBOX_DIR='$SBX' WARD_BIN='$WARD_BIN' '$WARD_SRC/sandbox.sh' --no-build 2> '$T/stderr'; echo \$? > '$T/exit'; sleep 600"

screen() { tm capture-pane -p -t sbx; }
# screen_wait FIXED [SECONDS]: until the screen shows FIXED.
screen_wait() {
	local secs=${2:-15}
	for _ in $(seq 1 $((secs * 10))); do
		screen | grep -qF -- "$1" && return 0
		[ -e "$T/exit" ] && break
		sleep 0.1
	done
	return 1
}

if ! screen_wait 'roster received' 180; then
	fail "the sandbox opened ward's UI and it connected; its stderr and screen:"
	sed 's/^/    /' "$T/stderr" | tail -n 15
	screen | sed 's/^/    /'
	test_exit
fi
pass "the sandbox opened ward's UI and it connected"
top=$(screen | head -n 1)
check "top line: DNSSEC secure" grep -qF 'DNSSEC secure' <<< "$top"
check "top line: DANE match" grep -qF 'DANE match' <<< "$top"
check "top line: TLS 1.3" grep -qF 'TLS1.3' <<< "$top"
check "top line: SCRAM -PLUS" grep -qE 'SCRAM-SHA-[0-9]+-PLUS' <<< "$top"
check "top line: tls-exporter" grep -qF 'tls-exporter' <<< "$top"
check "contacts pane: bob online" screen_wait '● Bob' 15
check "contacts pane: carol online" screen_wait '● Carol' 15

tm send-keys -t sbx '/msg bob@good.test hello' Enter
check "bob's window opens (2 bob in the window list)" screen_wait '2 bob' 10
tm send-keys -t sbx M-2
check "bob's echo comes back in his window" screen_wait 'echo: hello' 30
line=$(screen | grep -F 'echo: hello' | head -n 1)
check "bob's echo is marked omemo" grep -qF 'omemo' <<< "$line"
ev=$(grep -F '"body":"echo: hello"' "$SBX/alice/events.jsonl" 2>/dev/null | head -n 1)
check "the UI's event log (--events) has bob's echo with encryption omemo" \
	test "$(json_field "$ev" encryption)" = omemo
check "bob's window says OMEMO on its security line" \
	bash -c 'tmux -L "$1" capture-pane -p -t sbx | grep -q "^\[bob@good.test\] OMEMO"' _ "$TMUX_SOCK"

tm send-keys -t sbx '/msg carol@good.test hello' Enter
check "carol's message is refused: omemo-unavailable" screen_wait 'omemo-unavailable' 30
tm send-keys -t sbx '/omemo off carol@good.test' Enter
tm send-keys -t sbx '/msg carol@good.test plain hello' Enter
tm send-keys -t sbx M-3
check "after /omemo off, carol's echo comes back" screen_wait 'echo: plain hello' 30
line=$(screen | grep -F 'echo: plain hello' | head -n 1)
check "carol's echo is marked PLAIN" grep -qF 'PLAIN' <<< "$line"

pids=$(sort -u "$SBX/pids" 2>/dev/null | tr '\n' ' ')
tm send-keys -t sbx '/quit' Enter
for _ in $(seq 1 200); do
	[ -s "$T/exit" ] && break
	sleep 0.1
done
check "/quit ends the sandbox with status 0 (got $(cat "$T/exit" 2>/dev/null))" \
	test "$(cat "$T/exit" 2>/dev/null)" = 0
still=""
for p in $pids; do
	kill -0 "$p" 2>/dev/null && still="$still $p"
done
check "every server and bot it started is stopped${still:+ (alive:$still)}" test -z "$still"
check "no sanitizer report" \
	bash -c '! grep -qE "ERROR: AddressSanitizer|runtime error:|ERROR: LeakSanitizer" "$1"' _ "$T/stderr"
test_exit
