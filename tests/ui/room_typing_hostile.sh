#!/bin/bash
# room_typing_hostile (UI): in a private room, an occupant whose nick holds
# a bidi override (U+202E) and a bidi isolate (U+2066) starts typing: the
# conversation line names it with each shown escaped ("<U+202E>",
# "<U+2066>"), their raw bytes never reach the terminal (ward's raw
# output), and its leaving ends it. Prosody refuses such nicks ("must pass
# strict validation"), so the room is the scripted one of
# tests/net/fakeserver.py (mode muc-typing). A nick with a control never
# gets this far: XML 1.0 has no ESC (not even as a reference) and ward
# refuses a JID with a C0 or C1 control (src/xmpp/jid.c); the typing line
# of one is drawn escaped in unit/ui_model test_room_typing.
set -u
UI_W=160	# the room's security words come first on the line
. "$(dirname "$0")/../lib/uitest.sh"
ui_net_up

ROOM=typing@rooms.good.test
fake_saw() {	# fake_saw PATTERN: the scripted server logged it (10 s)
	local i
	for i in $(seq 1 100); do
		grep -q -- "$1" "$FAKE_LOG" && return 0
		sleep 0.1
	done
	return 1
}
fake_start muc-typing --cert "$SERVER_CERT" --key "$SERVER_KEY" --password "$ALICE_PW"
ward_setup alice alice@good.test "$ALICE_PW" "server = 127.0.0.1" "port = $FAKE_PORT"
check "the UI draws a first frame" ui_start alice
check "alice logged in (security line)" ui_wait_for 'TLS ?v?1\.3' 30
ui_line "/join $ROOM"
check "the non-anonymous box appears" ui_wait_for 'Decision needed|is non-anonymous' 20
sleep 1
ui_type "y"
check "the room's window is shown" ui_wait_for 'typing@rooms' 15
check "... the room is joined" fake_saw "ROOM-JOIN to=$ROOM"
ui_line "/omemo off $ROOM"
sleep 1
ui_line "typing please"
check "the room's occupants started typing" fake_saw TYPING-SENT
check "both typing: the hostile nick escaped on the conversation line" \
	ui_current_is 'm<U\+202E>x<U\+2066>y, bob are typing' 10
raw=$(ward_dir alice)/raw.log
hasbytes() { LC_ALL=C grep -qF -- "$(printf "$1")" "$raw"; }
check "the terminal's raw bytes hold the typing line" hasbytes 'are typing'
check "... but never the raw bidi override (U+202E)" not hasbytes '\342\200\256'
check "... nor the raw bidi isolate (U+2066)" not hasbytes '\342\201\246'

ui_line "hostile leaves"
check "it left: only bob is typing" ui_current_is '· bob is typing' 10
check "ward still runs" ui_alive
ui_stop; st=$?
check "ward exits 0 on /quit" test "$st" -eq 0
check "no sanitizer report" ward_sanitizer_clean alice
test_exit
