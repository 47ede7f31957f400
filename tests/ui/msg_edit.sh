#!/bin/bash
# msg_edit (UI): corrections, retractions, reactions and replies drawn by
# the real UI in tmux, with a headless ward on the other side: a corrected
# message shows its new text marked "(edited)", a retracted one a
# tombstone line with its text gone, reactions under the message, a reply
# one quoted line above it; /react and /versions typed in the chat window
# name its chat by themselves, and M-Up puts our last message into the
# input as a /correct of it.
set -u
. "$(dirname "$0")/../lib/uitest.sh"
ui_net_up

ward_setup alice alice@good.test "$ALICE_PW"
ward_setup bob bob@good.test "$BOB_PW"
ward_start bob
check "the UI draws a first frame" ui_start alice
check "bob (headless) connected" ward_seen bob '"event":"connected"' 30
check "alice connected" ui_wait_for 'alice@good\.test' 30
ui_line "/omemo off bob@good.test"
# bob is a stranger: accepted ahead, or his messages would be requests
ui_line "/accept bob@good.test"
ward_cmd bob "/omemo off alice@good.test"
sleep 0.5

ward_cmd bob "/msg alice@good.test first from bob 4411"
id1=$(json_field "$(ward_wait bob '"to":"alice@good.test","encryption":"none"' 10)" id)
check "a window for bob" ui_wait_for '\[2 bob' 15
ui_keys M-2
check "bob's message drawn" ui_wait_for 'first from bob 4411' 15
check "... not marked edited yet" not ui_match '\(edited\)'

ward_cmd bob "/correct alice@good.test first from bob, fixed 4411"
check "the correction replaces the text" ui_wait_for 'first from bob, fixed 4411' 15
check "... marked edited" ui_match 'first from bob, fixed 4411 +\(edited\)'
check "... the old text gone from the screen" not ui_match 'first from bob 4411'

ward_cmd bob "/msg alice@good.test second from bob 5522"
check "bob's second message drawn" ui_wait_for 'second from bob 5522' 15
ward_cmd bob "/retract alice@good.test"
check "a retraction leaves a tombstone" ui_wait_for '\(message retracted\)' 15
check "... and the text is gone" ui_wait_gone 'second from bob 5522' 5

# typed in bob's window: the UI names the chat
ui_line "/react $id1 👍"
line=$(ward_wait bob '"event":"reactions"' 15)
check "bob got the reaction typed in the window" test "$(json_field "$line" reactions)" = "👍 1"
check "the reaction is drawn under the message" ui_wait_for '👍 1' 10
n1=$(ui_screen | grep -n 'first from bob, fixed 4411' | head -n 1 | cut -d: -f1)
n2=$(ui_screen | grep -n '👍 1' | head -n 1 | cut -d: -f1)
check "... on the row below it" test "$n2" = "$((n1 + 1))"

ward_cmd bob "/reply alice@good.test $id1 replying to that 6633"
check "a reply is drawn" ui_wait_for 'replying to that 6633' 15
n1=$(ui_screen | grep -n '> first from bob, fixed 4411' | tail -n 1 | cut -d: -f1)
n2=$(ui_screen | grep -n 'replying to that 6633' | tail -n 1 | cut -d: -f1)
check "... with one quoted line above it" test -n "$n1" -a "$n2" = "$((n1 + 1))"
check "... and not the fallback's quote twice" test "$(ui_screen | grep -c '> first from bob')" -eq 1

# ^ names the last message received in the window: bob's reply
ui_line "/react ^ 🎉"
check "/react ^ reacts to the last message received" ward_seen bob '"reactions":"🎉 1"' 15
check "... drawn under the reply" ui_wait_for '🎉 1' 10
n1=$(ui_screen | grep -n 'replying to that 6633' | tail -n 1 | cut -d: -f1)
n2=$(ui_screen | grep -n '🎉 1' | tail -n 1 | cut -d: -f1)
check "... on the row below it" test "$n2" = "$((n1 + 1))"

ui_line "typed by alice 7744"
check "alice's message reached bob" ward_seen bob '"body":"typed by alice 7744"' 15
sleep 0.5
ui_keys M-Up
check "M-Up puts the last own message into the input as /correct" \
    ui_wait_for '/correct typed by alice 7744' 5
ui_type " fixed"
ui_keys Enter
line=$(ward_wait bob '"body":"typed by alice 7744 fixed"' 15)
check "bob got the correction" test "$(json_field "$line" event)" = message-edited
check "alice's line corrected and marked" ui_wait_for 'typed by alice 7744 fixed +\(edited\)' 10

ui_line "/versions $id1"
check "/versions lists the earlier text" ui_wait_for 'earlier: first from bob 4411' 10
check "... and the current one" ui_wait_for 'now: first from bob, fixed 4411' 5

check "ward still runs" ui_alive
ui_stop; st=$?
check "ward exits 0 on /quit" test "$st" -eq 0

# after a restart the window is filled from ward.db: the same marks
check "the UI again" ui_restart alice
check "connected again" ui_wait_for 'alice@good\.test TLS' 30
ui_keys M-2
check "history: the correction marked edited" ui_wait_for 'first from bob, fixed 4411 +\(edited\)' 15
check "... the tombstone" ui_match '\(message retracted\)'
check "... the retracted text nowhere" not ui_match 'second from bob 5522'
check "... the reaction" ui_match '👍 1'
check "... the reply's quote" ui_match '> first from bob, fixed 4411'
check "... the reply's reaction" ui_match '🎉 1'
check "... our own correction marked" ui_match 'typed by alice 7744 fixed +\(edited\)'
ui_stop; st=$?
check "ward exits 0 on /quit again" test "$st" -eq 0
check "alice: no sanitizer report" ward_sanitizer_clean alice
ward_stop bob
test_exit
