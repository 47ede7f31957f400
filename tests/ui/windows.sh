#!/bin/bash
# windows (UI): windows opened by incoming messages (bob, carol) and by
# /query (six more, to reach window 9), then every way to switch: M-1..M-9,
# M-Right/M-Left, C-n/C-p, /win N, M-a (the window with new activity),
# /close. The current window is read from the bottom rows of the screen
# (the conversation line above the input names the window's contact).
set -u
. "$(dirname "$0")/../lib/uitest.sh"
. "$(dirname "$0")/../net/omemopeer.sh"
ui_net_up

ward_setup alice alice@good.test "$ALICE_PW"
omemo_peer_start bob bob@good.test "$BOB_PW"
omemo_peer_start carol carol@good.test "$CAROL_PW"
check "the UI draws a first frame" ui_start alice
check "alice logged in (security line)" ui_wait_for 'TLS ?v?1\.3' 30
check "bob's peer online" omemo_peer_seen bob '"event":"online"' 30
check "carol's peer online" omemo_peer_seen carol '"event":"online"' 30

# window 2: bob, window 3: carol (opened by their messages, in that order;
# strangers both: their conversations accepted ahead, or their messages
# would be held as requests)
ward_cmd alice "/accept bob@good.test"
ward_cmd alice "/accept carol@good.test"
omemo_peer_cmd bob "sendplain alice@good.test first from bob 1001"
check "a window for bob" ui_wait_for '\[2 bob' 20
omemo_peer_cmd carol "sendplain alice@good.test first from carol 2002"
check "a window for carol" ui_wait_for '\[3 carol' 20
# windows 4..9 by /query
for n in 4 5 6 7 8 9; do
	ui_line "/query w$n@good.test"
	ui_current_is "w$n@good\\.test" 10 || fail "/query w$n@good.test opens and shows a window"
done

# M-1..M-9
jid_of() {
	case $1 in 1) echo '' ;; 2) echo 'bob@good\.test' ;; 3) echo 'carol@good\.test' ;;
	*) echo "w$1@good\\.test" ;; esac
}
for n in 2 3 4 5 6 7 8 9; do
	ui_keys "M-$n"
	check "M-$n shows window $n" ui_current_is "$(jid_of "$n")" 10
done
ui_keys M-2
check "bob's window shows his message" ui_wait_for 'first from bob 1001' 10
check "... and not carol's" not ui_match 'first from carol 2002'
ui_keys M-1
check "M-1: the console (no chat's contact in the conversation line)" \
    ui_wait_gone 'first from (bob|carol)' 10
check "M-1: no contact named in the bottom rows" \
    not ui_bottom_has '(bob|carol|w[4-9])@good\.test'

# M-Right, M-Left
ui_keys M-Right
check "M-Right: 1 -> 2" ui_current_is 'bob@good\.test' 10
ui_keys M-Right
check "M-Right: 2 -> 3" ui_current_is 'carol@good\.test' 10
ui_keys M-Left
check "M-Left: 3 -> 2" ui_current_is 'bob@good\.test' 10

# C-n, C-p
ui_keys C-n
check "C-n: 2 -> 3" ui_current_is 'carol@good\.test' 10
ui_keys C-n
check "C-n: 3 -> 4" ui_current_is 'w4@good\.test' 10
ui_keys C-p C-p
check "C-p C-p: 4 -> 2" ui_current_is 'bob@good\.test' 10

# /win N
ui_line "/win 7"
check "/win 7" ui_current_is 'w7@good\.test' 10
ui_line "/win 3"
check "/win 3" ui_current_is 'carol@good\.test' 10

# M-a: from window 9, a new message for carol's window (3)
ui_keys M-9
check "back in window 9" ui_current_is 'w9@good\.test' 10
omemo_peer_cmd carol "sendplain alice@good.test activity for carol 3003"
check "carol's peer sent it" omemo_peer_seen_n carol '"event":"sent"' 2 10
ok=0
for i in $(seq 1 20); do
	ui_keys M-a
	sleep 0.5
	if ui_bottom 3 | grep -qE 'carol@good\.test'; then ok=1; break; fi
	if ! ui_bottom 3 | grep -qE 'w9@good\.test'; then
		ui_dump "M-a went elsewhere"; break
	fi
done
check "M-a goes to the window with activity (carol)" test $ok -eq 1
check "... where the new message is shown" ui_wait_for 'activity for carol 3003' 10

# /close: window 9 goes away
ui_keys M-9
check "window 9 again" ui_current_is 'w9@good\.test' 10
ui_line "/close"
check "/close leaves the closed window" ui_wait_gone 'w9@good\.test' 10
ui_keys M-9
sleep 1
check "after /close there is no w9 window for M-9 to show" \
    not ui_match 'w9@good\.test'
ui_keys M-8
check "the others are still there" ui_current_is 'w8@good\.test' 10

# M-0: window 10 (w9 closed: console, bob, carol, w4..w8 are 8; two more)
ui_line "/query w9b@good.test"
ui_line "/query w10@good.test"
check "a tenth window" ui_current_is 'w10@good\.test' 10
ui_keys M-1
check "M-1 to the console first" ui_current_is '\[console' 10
ui_keys M-0
check "M-0 shows window 10" ui_current_is 'w10@good\.test' 10

# the pane toggled off (F2) and the open windows are kept for the next start
check "the contacts pane is shown" ui_match '\|Contacts'
ui_keys F2
check "F2 hides the pane" ui_wait_gone '\|Contacts' 10
check "ward still runs" ui_alive
ui_stop; st=$?
check "ward exits 0 on /quit" test "$st" -eq 0
check "the UI starts again" ui_restart alice
check "logged in again" ui_wait_for 'TLS ?v?1\.3' 30
check "the windows open at exit are back (w10 in the list)" ui_wait_for '\[10 w10' 10
check "... w8 too" ui_match '\[[0-9]+ w8'
check "... and not the closed w9" not ui_match '\[[0-9]+ w9\]'
check "the pane is still hidden, as it was left" not ui_match '\|Contacts'
ui_keys M-0
check "M-0 shows w10 again" ui_current_is 'w10@good\.test' 10
ui_keys F2
check "F2 shows the pane again" ui_wait_for '\|Contacts' 10

check "ward still runs after the restart" ui_alive
ui_stop; st=$?
check "ward exits 0 on /quit (after the restart)" test "$st" -eq 0
check "no sanitizer report" ward_sanitizer_clean alice
omemo_peer_stop bob
omemo_peer_stop carol
test_exit
