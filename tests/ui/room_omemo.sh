#!/bin/bash
# room_omemo (UI): a private room (members-only and non-anonymous) in the
# curses UI: the conversation security line says OMEMO with the members and
# their devices, a member's group message is tagged as OMEMO on its line,
# and once the room's owner makes it public the line says nothing can be
# sent, the reason is written in the room's window, and a typed message is
# refused (no member gets it).
set -u
. "$(dirname "$0")/../lib/uitest.sh"
. "$(dirname "$0")/../net/omemopeer.sh"
ui_net_up

room=$PRIVATE_ROOM
ward_setup alice alice@good.test "$ALICE_PW"
omemo_peer_start bob bob@good.test "$BOB_PW"
omemo_peer_start carol carol@good.test "$CAROL_PW"
check "the UI draws a first frame" ui_start alice
check "alice logged in (security line)" ui_wait_for 'TLS ?v?1\.3' 30
check "bob's peer online" omemo_peer_seen bob '"event":"online"' 30
check "carol's peer online" omemo_peer_seen carol '"event":"online"' 30
omemo_peer_cmd bob "join $room bob"
omemo_peer_cmd carol "join $room carol"
check "bob in the room" omemo_peer_seen bob '"event":"joined"' 10
check "carol in the room" omemo_peer_seen carol '"event":"joined"' 10

ui_line "/join $room"
check "the non-anonymous box appears" ui_wait_for 'Decision needed|is non-anonymous' 20
sleep 1
ui_type "y"
check "the room's window is shown" ui_wait_for 'private@rooms' 15
check "security line: OMEMO, 2 members and their devices" \
	ui_wait_for 'OMEMO · 2 members, [0-9]+ devices?, 0 verified' 20
check "the room's window says it is private and encrypted" \
	ui_wait_for 'is private \(members-only and non-anonymous\)' 10

ui_line "hello members from the UI"
check "bob decrypted the typed message" omemo_peer_seen bob '"body":"hello members from the UI"' 15
check "carol too" omemo_peer_seen carol '"body":"hello members from the UI"' 15
omemo_peer_cmd bob "sendgroup $room bob's encrypted words"
check "bob's group message shown" ui_wait_for "bob's encrypted words" 15
check "... tagged OMEMO on its line" ui_match "omemo .*bob's encrypted words|bob's encrypted words.*omemo"

omemo_peer_cmd bob "roomconfig $room muc#roomconfig_membersonly=0"
check "bob made the room public" omemo_peer_seen bob '"event":"configured"' 10
check "security line: nothing can be sent, the room is no longer private" \
	ui_wait_for 'NOTHING CAN BE SENT: the room is no longer private' 15
check "the room's window gives the reason" ui_wait_for 'room-not-private: .*no longer private' 10
ui_line "typed after it went public"
check "the typed message is refused in the window" \
	ui_wait_for 'room-not-private: not sent' 10
omemo_peer_cmd carol ping
omemo_peer_seen carol '"event":"pong"' 10
sleep 1
check "bob got nothing of it" test "$(omemo_peer_count bob 'typed after it went public')" -eq 0
check "carol got nothing of it" test "$(omemo_peer_count carol 'typed after it went public')" -eq 0

check "ward still runs" ui_alive
ui_stop; st=$?
check "ward exits 0 on /quit" test "$st" -eq 0
check "no sanitizer report" ward_sanitizer_clean alice
omemo_peer_stop bob
omemo_peer_stop carol
test_exit
