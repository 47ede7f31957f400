#!/bin/bash
# scroll_moved (UI): lines that arrive one at a time in the open window are
# moved up by the terminal itself (ui/view/draw.c sets a scroll region and
# feeds lines, as curses did, instead of sending every cell again), and
# what the screen shows then is exactly what a full redraw draws: text,
# colours and attributes (tmux capture-pane -e), before and after a resize
# that makes ward paint everything afresh.
set -u
. "$(dirname "$0")/../lib/uitest.sh"
. "$(dirname "$0")/../net/omemopeer.sh"
ui_net_up

ward_setup alice alice@good.test "$ALICE_PW"
omemo_peer_start bob bob@good.test "$BOB_PW"
check "the UI draws a first frame" ui_start alice
check "alice logged in (security line)" ui_wait_for 'TLS ?v?1\.3' 30
check "bob's peer online" omemo_peer_seen bob '"event":"online"' 30
# bob is a stranger: accepted ahead, or his messages would be requests
ward_cmd alice "/accept bob@good.test"
omemo_peer_cmd bob "sendplain alice@good.test arriving line 00"
check "bob's window opened" ui_wait_for '\[2 bob' 20
ui_keys M-2
check "bob's first line" ui_wait_for 'arriving line 00' 15

raw="$(ward_dir "$UI_NAME")/raw.log"
start=$(ui_raw_size)
for i in $(seq -w 1 14); do
	omemo_peer_cmd bob "sendplain alice@good.test arriving line $i"
	ui_wait_for "arriving line $i" 10 || break
	sleep 0.2
done
check "the last line drawn" ui_wait_for 'arriving line 14' 10
ui_wait_stable 2 > /dev/null 2>&1 || sleep 1
# a scroll region other than the whole screen (set, then reset to 1;40)
scrolled() {
	tail -c +"$((start + 1))" "$raw" | grep -aoE $'\e\\[[0-9]+;[0-9]+r' |
	    grep -qv "^"$'\e'"\\[1;${UI_H}r\$"
}
check "the terminal moved the lines up itself (a scroll region)" scrolled
a=$(ui_screen_e)
w0=$UI_W h0=$UI_H # ui_resize sets UI_W and UI_H
ui_resize 100 30
sleep 1
ui_resize "$w0" "$h0"
sleep 1.5
b=$(ui_screen_e)
if [ "$a" != "$b" ]; then
	diff <(printf '%s\n' "$a") <(printf '%s\n' "$b") | head -n 20 >&2
fi
check "the screen is what a full redraw draws (attributes included)" \
    test "$a" = "$b"
check "every line is on the screen once" \
    test "$(ui_screen | grep -c 'arriving line')" -eq 15

check "ward still runs" ui_alive
ui_stop; st=$?
check "ward exits 0 on /quit" test "$st" -eq 0
check "no sanitizer report" ward_sanitizer_clean alice
omemo_peer_stop bob
test_exit
