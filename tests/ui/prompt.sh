#!/bin/bash
# prompt (UI): joining a non-anonymous room asks first (a `prompt` of kind
# muc-nonanonymous), drawn as a box that says what the room will learn.
# Answered with n: no presence reaches the room. Then the rules of UI.md:
# 'y' hammered from before the box appeared until the test saw it on screen
# is not taken as the answer; Enter alone does not accept; a 'y' typed
# after that does, and the room is joined. Whether a presence went to the
# room is read from Prosody's log, not from ward's screen.
set -u
. "$(dirname "$0")/../lib/uitest.sh"
ui_net_up

ward_setup alice alice@good.test "$ALICE_PW"
check "the UI draws a first frame" ui_start alice
check "alice logged in (security line)" ui_wait_for 'TLS ?v?1\.3' 30
# the box (its title) or the core's prompt text; the text wraps in the box
BOX='Decision needed|is non-anonymous: every occupant'

# n: refused, nothing sent to the room
ui_line "/join $NONANON_ROOM"
check "the prompt box appears" ui_wait_for "$BOX" 20
check "it names the address the room would learn" ui_match 'address alice@good\.test'
sleep 1
ui_type "n"
check "n answers it: the box goes" ui_wait_gone "$BOX" 10
sleep 1
check "after n: no presence to the room" test "$(ui_prosody_presences "$NONANON_ROOM")" -eq 0

# y typed before the box and until it is seen: not taken. The hammer
# stops as soon as the box's title is in ward's raw output (pipe-pane), a
# few ms after ward wrote it, well inside the time a person needs to see it.
raw=$(ward_dir alice)/raw.log
boxes() { grep -a -o 'Decision needed' "$raw" | wc -l; }
n0=$(boxes)
# the first y goes with the Enter of /join, in one write
ui_tmux send-keys -t ward -l -- "/join $NONANON_ROOM" \; send-keys -t ward Enter \; \
    send-keys -t ward -l y
typed=1
for i in $(seq 1 1000); do
	[ "$(boxes)" -gt "$n0" ] && break
	ui_type y; typed=$((typed + 1))
	sleep 0.01
done
# and one more the moment the box is out (within PROMPTS_GUARD_MS, 300 ms)
ui_type y; typed=$((typed + 1))
check "y was typed while the box was coming ($typed times)" test "$typed" -gt 0
check "the box appears again" ui_wait_for "$BOX" 20
sleep 2
check "keys typed before (and as) it appeared did not answer it" ui_match "$BOX"
check "... no presence to the room" test "$(ui_prosody_presences "$NONANON_ROOM")" -eq 0

# Enter alone never accepts
ui_keys Enter
sleep 1
ui_keys Enter
sleep 2
check "Enter alone sent no presence to the room" test "$(ui_prosody_presences "$NONANON_ROOM")" -eq 0
if ! ui_match "$BOX"; then
	# Enter closed it without accepting (allowed); ask again
	ui_keys C-u
	ui_line "/join $NONANON_ROOM"
	ui_wait_for "$BOX" 20
	sleep 1
fi

# y now accepts
ui_type "y"
check "y answers it: the box goes" ui_wait_gone "$BOX" 10
ok=0
for i in $(seq 1 100); do
	[ "$(ui_prosody_presences "$NONANON_ROOM")" -gt 0 ] && { ok=1; break; }
	sleep 0.1
done
check "after y: the join presence reaches the room" test $ok -eq 1
check "the room's window is shown" ui_wait_for 'nonanon' 15

check "ward still runs" ui_alive
ui_stop; st=$?
check "ward exits 0 on /quit" test "$st" -eq 0
check "no sanitizer report" ward_sanitizer_clean alice
test_exit
