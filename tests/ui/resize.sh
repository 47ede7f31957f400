#!/bin/bash
# resize (UI): the terminal shrinks to 20x6, grows, shrinks again, while a
# peer's messages arrive; ward stays alive, and back at 120x40 the screen
# is sane: the security line on top, the last message drawn once, no text
# left over from the tiny sizes, and every message that arrived is there
# when scrolled to.
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
omemo_peer_cmd bob "sendplain alice@good.test hello before resizing"
check "bob's window opened" ui_wait_for '\[2 bob' 20
ui_keys M-2
check "bob's first message" ui_wait_for 'hello before resizing' 15

# messages arrive while the size changes
( for i in $(seq 1 30); do
	omemo_peer_cmd bob "sendplain alice@good.test during resize $i" || exit 0
	sleep 0.1
  done ) &
sender=$!
alive=1
for sz in "20 6" "80 24" "20 6" "21 7" "200 60" "20 6" "40 10" "30 8" "20 6" "120 40"; do
	ui_resize $sz
	sleep 0.15
	ui_alive || { alive=0; break; }
done
wait "$sender"
check "ward alive through ten resizes down to 20x6" test $alive -eq 1
ui_resize 20 6
sleep 0.5
check "alive at 20x6" ui_alive
check "something is drawn at 20x6" test -n "$(ui_screen | tr -d ' \n')"
ui_resize 120 40
check "the last message arrives and is drawn at 120x40" ui_wait_for 'during resize 30$|during resize 30 ' 20
check "the security line is back on top" ui_wait_for 'TLS ?v?1\.3' 10
top=$(ui_row 0)
check "... on row 0" bash -c "printf '%s' \"\$1\" | grep -qE 'TLS ?v?1\\.3'" _ "$top"
ui_wait_stable 10
check "the last message is drawn exactly once" \
    test "$(ui_screen | grep -cE 'during resize 30( |$)')" -eq 1
check "no message is drawn twice" \
    test -z "$(ui_screen | grep -oE 'during resize [0-9]+' | sort | uniq -d)"
# messages on screen are consecutive (no hole in the middle of the view)
nums=$(ui_screen | grep -oE 'during resize [0-9]+' | awk '{ print $3 }')
check "the visible messages are in order without a gap" \
    bash -c 'prev=""; for n in $1; do [ -z "$prev" ] || [ "$n" -eq $((prev + 1)) ] || exit 1; prev=$n; done' _ "$nums"
check "ward still runs" ui_alive
ui_stop; st=$?
check "ward exits 0 on /quit" test "$st" -eq 0
check "no sanitizer report" ward_sanitizer_clean alice
omemo_peer_stop bob
test_exit
