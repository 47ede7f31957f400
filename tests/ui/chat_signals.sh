#!/bin/bash
# chat_signals (UI): typing, delivered and read in the curses UI with a
# contact (a slixmpp peer, tests/net/omemo_peer.py). The contact's typing
# shows on the conversation line and a message ends it; text typed in the
# window tells the contact "composing" (its stream proves it), and
# clearing the input tells it "active"; looking at a window with the
# contact's markable message sends "displayed"; the contact's receipt turns
# our message's mark from one tick to two.
set -u
. "$(dirname "$0")/../lib/uitest.sh"
. "$(dirname "$0")/../net/omemopeer.sh"
ui_net_up

ward_setup alice alice@good.test "$ALICE_PW"
omemo_peer_start bob bob@good.test "$BOB_PW"
check "the UI draws a first frame" ui_start alice
check "alice logged in (security line)" ui_wait_for 'TLS ?v?1\.3' 30
omemo_peer_online bob > /dev/null
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

check "ward still runs" ui_alive
ui_stop; st=$?
check "ward exits 0 on /quit" test "$st" -eq 0
check "alice: no sanitizer report" ward_sanitizer_clean alice
omemo_peer_stop bob
test_exit
