#!/bin/bash
# chat_signals (UI): typing, delivered and read in the curses UI with a
# contact (a slixmpp peer, tests/net/omemo_peer.py). The contact's typing
# shows on the conversation line and a message ends it; text typed in the
# window tells the contact "composing" (its stream proves it), and
# clearing the input tells it "active"; looking at a window with the
# contact's markable message sends "displayed"; the contact's receipt turns
# our message's mark from one tick to two. In a private room the other
# occupants' typing shows on the same line ("bob is typing", "bob, carol
# are typing"), ended by paused, a message or leaving; an occupant's displayed marker shows our message read, "read
# by 1".
set -u
. "$(dirname "$0")/../lib/uitest.sh"
. "$(dirname "$0")/../net/omemopeer.sh"
ui_net_up

ward_setup alice alice@good.test "$ALICE_PW"
omemo_peer_start bob bob@good.test "$BOB_PW"
omemo_peer_start carol carol@good.test "$CAROL_PW"
check "the UI draws a first frame" ui_start alice
check "alice logged in (security line)" ui_wait_for 'TLS ?v?1\.3' 30
omemo_peer_online bob > /dev/null
omemo_peer_online carol > /dev/null
ui_line "/add bob@good.test"
# bob's peer approves and asks back; ward pre-approved him: "both"
both() { grep -F 'SEND: <iq' "$PROSODY_LOG" | grep -F 'jabber:iq:roster' | grep -F "jid='bob@good.test'" | grep -qF "subscription='both'"; }
poll() { local i; for i in $(seq 1 150); do "$@" && return 0; sleep 0.1; done; return 1; }
check "bob is a contact (the server's roster push)" poll both
ui_line "/omemo off bob@good.test"
ui_line "/query bob@good.test"
check "bob's window is current" ui_current_is '\[bob@good\.test\]' 10

omemo_peer_cmd bob "sendraw <message to='alice@good.test' type='chat'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>"
check "bob's typing on the conversation line" ui_current_is 'typing' 10
omemo_peer_cmd bob "sendraw <message to='alice@good.test' type='chat' id='bm1'><body>bob says 7701</body><active xmlns='http://jabber.org/protocol/chatstates'/><markable xmlns='urn:xmpp:chat-markers:0'/></message>"
check "bob's message drawn" ui_wait_for 'bob says 7701' 10
check "... it ends the typing" eval 'sleep 0.5; not ui_bottom_has typing'
check "looking at it sends displayed" omemo_peer_seen bob '"displayed":"bm1"' 10

ui_type "draft"
check "typing in the window tells bob composing" \
	omemo_peer_seen bob '"from":"alice@good.test/' 10
omemo_peer_seen bob '"chatstate":"composing"' 5
ui_keys C-u
check "clearing the input tells bob active" omemo_peer_seen bob '"chatstate":"active"' 10

ui_line "sent from the window 7702"
line=$(omemo_peer_wait bob '"body":"sent from the window 7702"' 10)
check "bob got the message" test -n "$line"
MID=$(omemo_peer_field "$line" id)
ui_wait_for 'sent from the window 7702' 10
row() { ui_screen | grep -F 'sent from the window 7702'; }
check "our message drawn, acknowledged: one tick, not two" \
	eval 'sleep 1; row | grep -qF $'"'"'\xe2\x9c\x93'"'"' && ! row | grep -qF $'"'"'\xe2\x9c\x93\xe2\x9c\x93'"'"''
omemo_peer_cmd bob "sendraw <message to='alice@good.test' type='chat'><received xmlns='urn:xmpp:receipts' id='$MID'/></message>"
check "bob's receipt: two ticks on our message" \
	ui_wait_for $'\xe2\x9c\x93\xe2\x9c\x93.*sent from the window 7702' 10

# ---- a private room: its other occupants typing, and reading ours ----
omemo_peer_cmd bob "join $PRIVATE_ROOM bob"
check "bob in the private room" omemo_peer_seen bob '"event":"joined"' 10
# (a nick with controls or bidi the server refuses, "Nickname must pass
# strict validation": ui/room_typing_hostile.sh has a scripted room for it)
omemo_peer_cmd carol "join $PRIVATE_ROOM carol"
check "carol in the private room" omemo_peer_seen carol '"event":"joined"' 10
ui_line "/join $PRIVATE_ROOM"
check "the non-anonymous box appears" ui_wait_for 'Decision needed|is non-anonymous' 20
sleep 1
ui_type "y"
check "the room's window is shown" ui_wait_for 'private@rooms' 15
ui_line "/omemo off $PRIVATE_ROOM"
cs() { omemo_peer_cmd "$1" "sendraw <message to='$PRIVATE_ROOM' type='groupchat'><$2 xmlns='http://jabber.org/protocol/chatstates'/></message>"; }
cs bob composing
check "room: bob's typing on the conversation line" ui_current_is 'bob is typing' 10
cs carol composing
check "... two typing: both nicks" ui_current_is 'bob, carol are typing' 10
cs bob paused
check "bob paused: only carol is typing" ui_current_is '· carol is typing' 10
cs bob composing
check "bob again" ui_current_is 'carol, bob are typing' 10
omemo_peer_cmd bob "sendgroupplain $PRIVATE_ROOM bob says 7703"
check "bob's message drawn" ui_wait_for 'bob says 7703' 10
check "... it ends bob's typing" ui_current_is '· carol is typing' 10
omemo_peer_cmd carol "sendraw <presence to='$PRIVATE_ROOM/carol' type='unavailable'/>"
no_typing() { local i; for i in $(seq 1 50); do ui_bottom_has typing || return 0; sleep 0.2; done; return 1; }
check "carol left the room: nobody is typing" no_typing
ui_line "room words 7704"
line=$(omemo_peer_wait bob '"body":"room words 7704"' 10)
check "bob got alice's room message" test -n "$line"
RID=$(omemo_peer_field "$line" id)
rrow() { ui_screen | grep -F 'room words 7704'; }
check "our room message: not read yet" \
	eval 'sleep 1; ! rrow | grep -qF "read by"'
omemo_peer_cmd bob "sendraw <message to='$PRIVATE_ROOM' type='groupchat'><displayed xmlns='urn:xmpp:chat-markers:0' id='$RID'/></message>"
check "bob's displayed marker: our room message read by 1" \
	ui_wait_for $'\xe2\x9c\x93\xe2\x9c\x93.*room words 7704 \\(read by 1\\)' 10

check "ward still runs" ui_alive
ui_stop; st=$?
check "ward exits 0 on /quit" test "$st" -eq 0
check "alice: no sanitizer report" ward_sanitizer_clean alice
omemo_peer_stop bob
omemo_peer_stop carol
test_exit
