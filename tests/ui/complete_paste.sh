#!/bin/bash
# complete_paste (UI): Tab completes a command (/he -> /help) and a room
# nick (a peer's nick in the lobby); three lines pasted (bracketed paste,
# as tmux's paste-buffer -p sends it) are not sent by themselves, and
# Enter sends them as ONE message of three lines.
set -u
. "$(dirname "$0")/../lib/uitest.sh"
. "$(dirname "$0")/../net/omemopeer.sh"
ui_net_up

ward_setup alice alice@good.test "$ALICE_PW"
ward_setup bob bob@good.test "$BOB_PW"
ward_start bob
omemo_peer_start dave dave@good.test "$DAVE_PW"
check "the UI draws a first frame" ui_start alice
check "alice logged in (security line)" ui_wait_for 'TLS ?v?1\.3' 30
check "bob (headless) connected" ward_seen bob '"event":"connected"' 30

# a command
ui_type "/he"
check "the input line holds /he" ui_wait_input '/he$' 10
ui_keys Tab
check "Tab completes /he to /help on the input line" ui_wait_input '/help' 10
ui_keys C-u

# a nick: dave joins the lobby as zebrafish and speaks
check "dave's peer online" omemo_peer_seen dave '"event":"online"' 30
ui_line "/join $LOBBY_ROOM"
check "alice joined the lobby" ui_wait_for 'lobby' 20
omemo_peer_cmd dave "sendraw <presence to='$LOBBY_ROOM/zebrafish'><x xmlns='http://jabber.org/protocol/muc'/></presence>"
omemo_peer_cmd dave "sendraw <message to='$LOBBY_ROOM' type='groupchat'><body>stripes are in 8812</body></message>"
check "zebrafish's message in the room" ui_wait_for 'stripes are in 8812' 20
ui_type "zebr"
check "the input line holds zebr" ui_wait_input 'zebr$' 10
ui_keys Tab
check "Tab completes the nick zebrafish on the input line" ui_wait_input 'zebrafish' 10
ui_keys C-u

# paste three lines into bob's window
ui_line "/query bob@good.test"
check "bob's window" ui_current_is 'bob@good\.test' 10
n0=$(ward_count bob '"event":"message"')
ui_paste $'paste line one\npaste line two\npaste line three'
check "the pasted text is in the input" ui_wait_input 'paste line (one|three)' 10
sleep 3
check "a paste is not sent by itself" test "$(ward_count bob '"event":"message"')" -eq "$n0"
ui_keys Enter
line=$(ward_wait bob 'paste line one' 20)
check "Enter sends the paste" test -n "$line"
if [ -n "$line" ]; then
	check "as one message of three lines" test "$(json_field "$line" body)" = $'paste line one\npaste line two\npaste line three'
else
	fail "as one message of three lines (nothing arrived)"
fi
sleep 2
check "and only one message" test "$(ward_count bob '"event":"message"')" -eq $((n0 + 1))

check "ward still runs" ui_alive
ui_stop; st=$?
check "ward exits 0 on /quit" test "$st" -eq 0
check "no sanitizer report" ward_sanitizer_clean alice
ward_stop bob
omemo_peer_stop dave
test_exit
