#!/bin/bash
# chat_signals: chat states (XEP-0085), delivery receipts (XEP-0184) and
# chat markers (XEP-0333) under the stranger rule (policy_may_signal),
# against the loopback Prosody with independent slixmpp peers
# (tests/net/omemo_peer.py, whose `signal` events are what reached their
# stream). A contact gets all three, and its own are shown (`chatstate`,
# `delivery` events); a stranger and a public room get none even when they
# ask for them, and theirs are not shown; a private room (members-only,
# non-anonymous) gets chat states and markers, and its other occupants'
# are shown (a marker by our message's id or the room's stanza-id for it);
# a receipt or marker counts only from the peer the message went to, and
# is kept (history after a restart); each switch in ward.conf turns its
# signal off.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
. "$(dirname "$0")/../net/omemopeer.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

EV() { echo "$(ward_dir alice)/events.jsonl"; }
PEV() { echo "$(omemo_peer_dir "$1")/events.jsonl"; }
# the peer's signal events from alice (any resource, or a room nick)
signals_from() { grep -F '"event":"signal"' "$(PEV "$1")" | grep -F "\"from\":\"$2"; }
nsignals() { signals_from "$1" "$2" | wc -l; }
barrier() { # ward's TEXT to PEER reached PEER: all sent before it did too
	ward_cmd alice "/msg $1 $2"
	omemo_peer_seen "$3" "\"body\":\"$2\"" 10
}

ward_setup alice alice@good.test "$ALICE_PW"
ward_start alice
check "alice connected" ward_seen alice '"event":"connected"' 20
ward_seen alice '"text":"roster received"' 20
omemo_peer_start bob bob@good.test "$BOB_PW"
omemo_peer_start dave dave@good.test "$DAVE_PW"
omemo_peer_start carol carol@good.test "$CAROL_PW"
for p in bob dave carol; do omemo_peer_online $p > /dev/null; done
# bob and dave become contacts (their peers accept and ask back; ward
# pre-approved them); carol stays a stranger
for p in bob dave; do
	ward_cmd alice "/add $p@good.test"
	check "$p is a contact" ward_seen alice "\"jid\":\"$p@good.test\",\"name\":null,\"subscription\":\"both\"" 15
	ward_cmd alice "/omemo off $p@good.test"
done
ward_cmd alice "/omemo off carol@good.test"
sleep 0.5

# ---- a contact ----
ward_cmd alice "/msg bob@good.test hello bob"
line=$(omemo_peer_wait bob '"event":"signal","from":"alice@good.test' 10)
check "contact: the message carries <active/>" test "$(omemo_peer_field "$line" chatstate)" = active
check "... a receipt request" test "$(omemo_peer_field "$line" request)" = true
check "... and is markable" test "$(omemo_peer_field "$line" markable)" = true
MID=$(omemo_peer_field "$line" id)
ward_cmd alice "/chatstate bob@good.test composing"
check "contact: /chatstate composing reaches bob" \
	omemo_peer_seen bob '"chatstate":"composing"' 10
ward_cmd alice "/chatstate bob@good.test composing"
ward_cmd alice "/chatstate bob@good.test paused"
omemo_peer_seen bob '"chatstate":"paused"' 10
check "... the same state twice is sent once" \
	test "$(grep -c -F '"chatstate":"composing"' "$(PEV bob)")" -eq 1
omemo_peer_cmd bob "sendraw <message to='alice@good.test' type='chat' id='b1'><body>ping me</body><request xmlns='urn:xmpp:receipts'/><markable xmlns='urn:xmpp:chat-markers:0'/></message>"
check "contact: alice shows bob's message" ward_seen alice '"body":"ping me"' 10
check "... and sends bob the receipt he asked for" \
	omemo_peer_seen bob '"received":"b1"' 10
ward_cmd alice "/read bob@good.test"
check "contact: /read marks it displayed" omemo_peer_seen bob '"displayed":"b1"' 10
omemo_peer_cmd bob "sendraw <message to='alice@good.test' type='chat'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>"
check "contact: bob's typing is shown (chatstate event)" \
	ward_seen alice '"event":"chatstate","account":"alice","from":"bob@good.test/bob","state":"composing"' 10
# receipts and markers for alice's message: only bob's count
omemo_peer_cmd dave "sendraw <message to='alice@good.test' type='chat'><received xmlns='urn:xmpp:receipts' id='$MID'/></message>"
omemo_peer_cmd carol "sendraw <message to='alice@good.test' type='chat'><displayed xmlns='urn:xmpp:chat-markers:0' id='$MID'/></message>"
omemo_peer_cmd bob "sendraw <message to='alice@good.test' type='chat'><received xmlns='urn:xmpp:receipts' id='nosuchid'/></message>"
omemo_peer_cmd bob "sendraw <message to='alice@good.test' type='chat'><received xmlns='urn:xmpp:receipts' id='$MID'/></message>"
check "bob's receipt: delivered" \
	ward_seen alice "\"event\":\"delivery\",\"account\":\"alice\",\"from\":\"bob@good.test/bob\",\"id\":\"$MID\",\"state\":\"delivered\"" 10
omemo_peer_cmd bob "sendraw <message to='alice@good.test' type='chat'><displayed xmlns='urn:xmpp:chat-markers:0' id='$MID'/></message>"
check "bob's marker: read" \
	ward_seen alice "\"event\":\"delivery\",\"account\":\"alice\",\"from\":\"bob@good.test/bob\",\"id\":\"$MID\",\"state\":\"read\"" 10
check "a contact's receipt for a message to bob is ignored" \
	test "$(ward_count alice '"event":"delivery","account":"alice","from":"dave@')" -eq 0
check "a stranger's marker for it is ignored" \
	test "$(ward_count alice '"event":"delivery","account":"alice","from":"carol@')" -eq 0
check "a receipt for no message of ours is ignored" \
	test "$(ward_count alice '"id":"nosuchid"')" -eq 0
check "... and logged" grep -q "receipt from bob@good.test/bob dropped" "$(ward_dir alice)/data/ward.log"
check "... the stranger's by its row's sender rule" \
	grep -q "chat marker from carol@good.test/carol dropped (a stranger may not" "$(ward_dir alice)/data/ward.log"

# ---- a stranger ----
omemo_peer_cmd carol "sendraw <message to='alice@good.test' type='chat' id='c1'><body>hi from carol</body><active xmlns='http://jabber.org/protocol/chatstates'/><request xmlns='urn:xmpp:receipts'/><markable xmlns='urn:xmpp:chat-markers:0'/></message>"
omemo_peer_cmd carol "sendraw <message to='alice@good.test' type='chat'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>"
ward_seen alice '"body":"hi from carol"' 10
ward_cmd alice "/read carol@good.test"
ward_cmd alice "/chatstate carol@good.test composing"
barrier carol@good.test "reply to carol" carol
check "stranger: asked for a receipt, a marker, our chat state: got none" \
	test "$(nsignals carol alice@good.test)" -eq 0
check "stranger: carol's typing is not shown" \
	test "$(ward_count alice '"event":"chatstate","account":"alice","from":"carol@')" -eq 0

# ---- a public room (lobby: open, semi-anonymous) ----
ward_cmd alice "/join $LOBBY_ROOM/alice"
check "alice joined the lobby" ward_seen alice "\"room\":\"$LOBBY_ROOM\",\"nick\":\"alice\",\"state\":\"joined\"" 10
omemo_peer_cmd carol "sendraw <presence to='$LOBBY_ROOM/carol'><x xmlns='http://jabber.org/protocol/muc'/></presence>"
check "carol is in the lobby" ward_seen alice "\"room\":\"$LOBBY_ROOM\",\"nick\":\"carol\"" 10
omemo_peer_cmd carol "sendraw <message to='$LOBBY_ROOM' type='groupchat' id='l1'><body>markable in lobby</body><markable xmlns='urn:xmpp:chat-markers:0'/><request xmlns='urn:xmpp:receipts'/></message>"
ward_seen alice '"body":"markable in lobby"' 10
ward_cmd alice "/read $LOBBY_ROOM"
ward_cmd alice "/chatstate $LOBBY_ROOM composing"
barrier "$LOBBY_ROOM" "lobby barrier" carol
check "public room: no chat state, marker or receipt from alice" \
	test "$(nsignals carol "$LOBBY_ROOM/alice")" -eq 0
# the lobby's occupants are strangers: their typing and read marks are
# not shown either
LID=$(json_field "$(grep -F '"event":"queued"' "$(EV)" | grep -F '"body":"lobby barrier"' | head -n 1)" id)
omemo_peer_cmd carol "sendraw <message to='$LOBBY_ROOM' type='groupchat'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>"
omemo_peer_cmd carol "sendraw <message to='$LOBBY_ROOM' type='groupchat'><displayed xmlns='urn:xmpp:chat-markers:0' id='$LID'/></message>"
omemo_peer_cmd carol "sendraw <message to='$LOBBY_ROOM' type='groupchat'><body>lobby after signals</body></message>"
ward_seen alice '"body":"lobby after signals"' 10
check "public room: an occupant's typing is not shown" \
	test "$(ward_count alice "\"event\":\"chatstate\",\"account\":\"alice\",\"from\":\"$LOBBY_ROOM/")" -eq 0
check "... nor its marker for alice's message" \
	test "$(ward_count alice "\"event\":\"delivery\",\"account\":\"alice\",\"from\":\"$LOBBY_ROOM/")" -eq 0

# ---- a private room (members-only, non-anonymous) ----
ward_cmd alice "/join $PRIVATE_ROOM/alice"
line=$(ward_wait alice '"kind":"muc-nonanonymous"' 10)
[ -n "$line" ] && ward_cmd alice "/accept $(json_field "$line" id)"
check "alice joined the private room" ward_seen alice "\"room\":\"$PRIVATE_ROOM\",\"nick\":\"alice\",\"state\":\"joined\"" 10
omemo_peer_cmd bob "sendraw <presence to='$PRIVATE_ROOM/bob'><x xmlns='http://jabber.org/protocol/muc'/></presence>"
check "bob is in the private room" ward_seen alice "\"room\":\"$PRIVATE_ROOM\",\"nick\":\"bob\"" 10
ward_cmd alice "/chatstate $PRIVATE_ROOM composing"
check "private room: alice's chat state reaches the room" \
	omemo_peer_seen bob "\"event\":\"signal\",\"from\":\"$PRIVATE_ROOM/alice\",\"id\":" 10
# plaintext: group OMEMO (omemo_room.c) is not what this test is about
ward_cmd alice "/omemo off $PRIVATE_ROOM"
ward_cmd alice "/msg $PRIVATE_ROOM to the members"
omemo_peer_seen bob '"body":"to the members"' 10
line=$(signals_from bob "$PRIVATE_ROOM/alice" | grep -F '"markable":true' | head -n 1)
check "private room: the message is markable, with <active/>" \
	test "$(omemo_peer_field "$line" chatstate)" = active
check "... and asks for no receipt (none in rooms)" test -z "$(omemo_peer_field "$line" request)"
omemo_peer_cmd bob "sendraw <message to='$PRIVATE_ROOM' type='groupchat' id='p1'><body>members only</body><markable xmlns='urn:xmpp:chat-markers:0'/></message>"
ward_seen alice '"body":"members only"' 10
ward_cmd alice "/read $PRIVATE_ROOM"
check "private room: /read sends a displayed marker" \
	omemo_peer_seen bob '"type":"groupchat","displayed":"' 10
check "... for the room's stanza-id of bob's message" \
	eval "signals_from bob '$PRIVATE_ROOM/alice' | grep -q '\"displayed\":\"[^\"]'"
# another occupant's typing and read marks are shown in a private room
omemo_peer_cmd bob "sendraw <message to='$PRIVATE_ROOM' type='groupchat'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>"
check "private room: bob's typing is shown (type groupchat)" \
	ward_seen alice "\"event\":\"chatstate\",\"account\":\"alice\",\"from\":\"$PRIVATE_ROOM/bob\",\"state\":\"composing\",\"type\":\"groupchat\"" 10
check "... alice's own, as the room echoes it, is not" \
	test "$(ward_count alice "\"event\":\"chatstate\",\"account\":\"alice\",\"from\":\"$PRIVATE_ROOM/alice\"")" -eq 0
RID=$(json_field "$(grep -F '"event":"queued"' "$(EV)" | grep -F '"body":"to the members"' | head -n 1)" id)
omemo_peer_cmd bob "sendraw <message to='$PRIVATE_ROOM' type='groupchat'><displayed xmlns='urn:xmpp:chat-markers:0' id='$RID'/></message>"
check "private room: bob's marker for alice's message (by its id): read" \
	ward_seen alice "\"event\":\"delivery\",\"account\":\"alice\",\"from\":\"$PRIVATE_ROOM/bob\",\"id\":\"$RID\",\"state\":\"read\",\"type\":\"groupchat\"" 10
# XEP-0333 in rooms names the message by the stanza-id the room gave it
ward_cmd alice "/msg $PRIVATE_ROOM second to the members"
omemo_peer_seen bob '"body":"second to the members"' 10
RID2=$(json_field "$(grep -F '"event":"queued"' "$(EV)" | grep -F '"body":"second to the members"' | head -n 1)" id)
SID2=$(grep -F 'SEND: <message' "$PROSODY_LOG" | grep -F 'second to the members' |
	grep -F "to='bob@good.test" | head -n 1 | grep -o '<stanza-id [^>]*' |
	sed -n "s/.* id='\([^']*\)'.*/\1/p")
check "... (the room gave alice's second message a stanza-id)" \
	test -n "$SID2" -a "$SID2" != "$RID2"
omemo_peer_cmd bob "sendraw <message to='$PRIVATE_ROOM' type='groupchat'><displayed xmlns='urn:xmpp:chat-markers:0' id='$SID2'/></message>"
check "private room: bob's marker by the room's stanza-id: read, with alice's id" \
	ward_seen alice "\"event\":\"delivery\",\"account\":\"alice\",\"from\":\"$PRIVATE_ROOM/bob\",\"id\":\"$RID2\",\"state\":\"read\",\"type\":\"groupchat\"" 10
omemo_peer_cmd bob "sendraw <message to='$PRIVATE_ROOM' type='groupchat'><displayed xmlns='urn:xmpp:chat-markers:0' id='p1'/></message>"
omemo_peer_cmd bob "sendraw <message to='$PRIVATE_ROOM' type='groupchat'><body>private barrier</body></message>"
ward_seen alice '"body":"private barrier"' 10
check "... a marker for no message of alice's (bob's own) is ignored" \
	test "$(ward_count alice '"event":"delivery","account":"alice","from":"'"$PRIVATE_ROOM"'/bob","id":"p1"')" -eq 0
check "... and logged" \
	grep -q "chat marker from $PRIVATE_ROOM/bob dropped (no message of ours to the room" "$(ward_dir alice)/data/ward.log"

# ---- each switch in ward.conf ----
ward_stop alice
printf '%s\n' "chat_states = no" "receipts = no" "markers = no" >> "$(ward_dir alice)/config/ward.conf"
ward_start alice
ward_seen_n alice '"event":"connected"' 2 20
# what became of alice's message is kept: the history says it after a
# restart (the UI draws the marks from it)
ward_cmd alice "/history bob@good.test"
ward_seen alice '"event":"history-end"' 10
hline=$(grep -F '"event":"history"' "$(EV)" | grep -F "\"id\":\"$MID\"" | tail -n 1)
check "after a restart, /history: bob read alice's message" \
	test "$(json_field "$hline" delivery)" = read
ward_cmd alice "/history carol@good.test"
ward_seen_n alice '"event":"history-end"' 2 10
hline=$(grep -F '"event":"history"' "$(EV)" | grep -F '"body":"reply to carol"' | tail -n 1)
check "... one the stranger said nothing of (none asked) is only acked" \
	test "$(json_field "$hline" delivery)" = acked
before=$(nsignals bob alice@good.test)
omemo_peer_cmd bob "sendraw <message to='alice@good.test' type='chat' id='b2'><body>ping again</body><request xmlns='urn:xmpp:receipts'/><markable xmlns='urn:xmpp:chat-markers:0'/></message>"
ward_seen alice '"body":"ping again"' 10
ward_cmd alice "/read bob@good.test"
ward_cmd alice "/chatstate bob@good.test composing"
barrier bob@good.test "switched off" bob
check "switched off: a contact gets no chat state, receipt or marker" \
	test "$(nsignals bob alice@good.test)" -eq "$before"

for p in bob dave carol; do omemo_peer_stop $p; done
ward_stop alice
check "sanitizers clean" ward_sanitizer_clean alice
test_exit
