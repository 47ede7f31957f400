#!/bin/bash
# search (UI): /search lists the stored messages holding the words, as
# numbered lines in the console, and /goto N opens that conversation with
# the hit on screen, however far back it is. bob sends 130 messages while
# the UI runs (one early one holds the word "haystack"), ward restarts (the
# chat window holds only what it pages in), /search haystack finds it,
# /goto 1 opens bob's window and pages back through ward.db until the hit
# is the bottom line of the view.
set -u
. "$(dirname "$0")/../lib/uitest.sh"
ui_net_up

bob_sends() {	# bob_sends FROM TO: "msg-NNN", "needle in the haystack" at 7
	local args=() i
	for i in $(seq "$1" "$2"); do
		if [ "$i" -eq 7 ]; then
			args+=(--send alice@good.test "needle in the haystack")
		else
			args+=(--send alice@good.test "$(printf 'msg-%03d' "$i")")
		fi
	done
	"$PEER" --jid bob@good.test/seed --password "$BOB_PW" --ca "$TEST_CA" \
	    --host 127.0.0.1 --port "$C2S_PORT" "${args[@]}" --timeout 60 \
	    >> "$WARD_TEST_DIR/bob.out" 2>&1
}

ward_setup alice alice@good.test "$ALICE_PW"
check "the UI draws a first frame" ui_start alice
check "alice logged in (security line)" ui_wait_for 'TLS ?v?1\.3' 30
# bob is a stranger: his messages would be held as requests
ward_cmd alice "/accept bob@good.test"
sleep 1
bob_sends 1 130
check "bob sent 130" test $? -eq 0
check "a window for bob" ui_wait_for '\[2 bob' 20
ui_keys M-2
check "the 130th arrived" ui_wait_for 'msg-130' 30
ui_stop; st=$?
check "ward exits 0 on /quit" test "$st" -eq 0

check "the UI starts again" ui_restart alice
check "logged in again" ui_wait_for 'TLS ?v?1\.3' 30
ui_line "/search haystack"
check "the result is listed, numbered, in the console" \
    ui_wait_for '\[1\] .*bob@good\.test.*needle in the' 10
check "... with the count and how to open it" ui_wait_for '1 found; /goto N opens one' 5
ui_line "/search zebracorn"
check "... nothing found" ui_wait_for 'search "zebracorn": nothing found' 5
ui_line "/goto 2"
check "/goto past the results is refused" ui_wait_for 'no such search result' 5
ui_line "/search haystack in bob@good.test"
check "searching one conversation" ui_wait_for 'search "haystack": 1 found' 5
ui_line "/goto 1"
check "/goto opens bob's window" ui_current_is 'bob@good\.test' 10
check "... paged back to the hit" ui_wait_for 'needle in the haystack' 30
# the hit is the bottom message line: the rows above the conversation line
# end with it (nothing newer below it)
hit_at_bottom() {
	ui_screen > "$WARD_TEST_DIR/goto-screen.txt"
	# the last message row, just above the "scrolled up" rule
	grep -B1 'scrolled up' "$WARD_TEST_DIR/goto-screen.txt" | head -n 1 |
	    grep -q 'needle in the haystack'
}
check "... at the bottom of the view" hit_at_bottom
check "... older messages above it" ui_match 'msg-006'
check "... newer ones not below it" not ui_bottom_has 'msg-008'
ui_stop; st=$?
check "ward exits 0 on /quit" test "$st" -eq 0
check "no sanitizer report" ward_sanitizer_clean alice
test_exit
