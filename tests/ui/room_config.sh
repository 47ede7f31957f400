#!/bin/bash
# room_config (UI): in the lobby's window, /room config (the room left
# out) draws the room's configuration form as a box of fields: the title
# line, one line per field with its label, var, type and value (a list's
# options after it), and the commands at the bottom. /room set changes a
# field and draws it again; /room submit saves it (a slixmpp peer's
# disco#info of the room shows the new name). A /join line with a room
# password is not kept in the input history.
set -u
UI_H=${UI_H:-72}	# the whole form fits on the screen
. "$(dirname "$0")/../lib/uitest.sh"
ui_net_up

ward_setup alice alice@good.test "$ALICE_PW"
check "the UI draws a first frame" ui_start alice
check "alice logged in (security line)" ui_wait_for 'TLS ?v?1\.3' 30
ui_line "/join $LOBBY_ROOM"
check "the lobby's window" ui_current_is 'lobby' 15
ui_line "/room config"
check "the form's box: its top line" ui_wait_for 'configuration of lobby@rooms\.good\.test' 15
check "a field: label, var, type, value" ui_wait_for 'Title \(muc#roomconfig_roomname, text-single\): Lobby' 5
check "a list field with its options" ui_match 'muc#roomconfig_whois, list-single\): moderators  \[moderators \| anyone\]'
check "the bottom line says how to change, save or drop it" ui_wait_for '/room set FIELD VALUE to change a field' 5
check "no hidden field drawn" not ui_match 'FORM_TYPE'
ui_line "/room set muc#roomconfig_roomname Tmux Lobby"
check "the changed field drawn again" ui_wait_for 'muc#roomconfig_roomname, text-single\): Tmux Lobby' 10
ui_line "/room submit"
check "saved" ui_wait_for 'configuration of lobby@rooms\.good\.test saved' 10
d=$(peer_as carol --disco-info "$LOBBY_ROOM" --timeout 15 2>/dev/null)
check "disco#info: the room has the new name" bash -c "printf '%s' '$d' | grep -q \"name=..Tmux Lobby\""

# a /join line with a room password is not kept for C-p / Up (T47)
ui_line "/join $LOBBY_ROOM alice password hunter2-secret"
sleep 1
ui_keys Up
sleep 0.5
check "Up recalls the line before the password one" ui_wait_input '/room submit' 5
check "the password line is not in the input history" not ui_match 'hunter2-secret'

check "ward still runs" ui_alive
ui_stop; st=$?
check "ward exits 0 on /quit" test "$st" -eq 0
check "no sanitizer report" ward_sanitizer_clean alice
test_exit
