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
BOX='will see your address|non-anonymous'

# n: refused, nothing sent to the room
ui_line "/join $NONANON_ROOM"
check "the prompt box appears" ui_wait_for "$BOX" 20
check "it names the address the room would learn" ui_match 'alice@good\.test'
sleep 1
ui_type "n"
check "n answers it: the box goes" ui_wait_gone 'will see your address' 10
sleep 1
check "after n: no presence to the room" test "$(ui_prosody_presences "$NONANON_ROOM")" -eq 0

# y typed before the box and until it is seen: not taken
ui_line "/join $NONANON_ROOM"
( for i in $(seq 1 400); do ui_type y 2>/dev/null || exit 0; sleep 0.03; done ) &
hammer=$!
ui_wait_for 'will see your address' 20
seen=$?
kill "$hammer" 2>/dev/null; wait "$hammer" 2>/dev/null
check "the box appears again" test "$seen" -eq 0
sleep 2
check "keys typed before (and as) it appeared did not answer it" ui_match 'will see your address'
check "... no presence to the room" test "$(ui_prosody_presences "$NONANON_ROOM")" -eq 0

# Enter alone never accepts
ui_keys Enter
sleep 1
ui_keys Enter
sleep 2
check "Enter alone sent no presence to the room" test "$(ui_prosody_presences "$NONANON_ROOM")" -eq 0
if ! ui_match 'will see your address'; then
	# Enter closed it without accepting (allowed); ask again
	ui_keys C-u
	ui_line "/join $NONANON_ROOM"
	ui_wait_for 'will see your address' 20
	sleep 1
fi

# y now accepts
ui_type "y"
check "y answers it: the box goes" ui_wait_gone 'will see your address' 10
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
