#!/bin/bash
# msg_edit: corrections (XEP-0308), retractions (XEP-0424), reactions
# (XEP-0444) and replies (XEP-0461) between two wards through loopback
# Prosody, in an OMEMO chat, a plaintext chat and a room, both ways; and the
# sender rule (msgrule.c): the same changes forged by another JID, by
# another occupant, by the next holder of a nick, or in plaintext for an
# encrypted message (slixmpp peers, tests/net/peer.py) are dropped and
# logged, the stored original unchanged.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
. "$(dirname "$0")/../net/omemopeer.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

f() { json_field "$1" "$2"; }
db() {	# db NAME SQL: the first value, or "" without a row
	/usr/bin/python3 -c 'import sqlite3,sys
r=sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True).execute(sys.argv[2]).fetchone()
print("" if r is None or r[0] is None else r[0])' "$(ward_dir "$1")/data/ward.db" "$2"
}
logged() { grep -c -F -- "$2" "$(ward_dir "$1")/data/ward.log"; }
raw() {	# raw USER PASSWORD XML...: a slixmpp peer sends the stanzas as they are
	local jid=$1 pw=$2 a=()
	shift 2
	for x in "$@"; do a+=(--send-raw "$x"); done
	"$PEER" --jid "$jid" --password "$pw" --ca "$TEST_CA" \
	    --host 127.0.0.1 --port "$C2S_PORT" "${a[@]}" --timeout 10 \
	    > /dev/null 2>&1
}
NS_C=urn:xmpp:message-correct:0
NS_R=urn:xmpp:message-retract:1
NS_E=urn:xmpp:reactions:0

ward_setup alice alice@good.test "$ALICE_PW"
ward_setup bob bob@good.test "$BOB_PW"
ward_start alice
ward_start bob
check "alice connected" ward_seen alice '"event":"connected"' 20
check "bob connected" ward_seen bob '"event":"connected"' 20
check "alice knows bob's OMEMO device" omemo_ready alice bob@good.test
check "bob knows alice's OMEMO device" omemo_ready bob alice@good.test

# ---- an OMEMO chat --------------------------------------------------------
ward_cmd alice "/msg bob@good.test hello wrold"
id1=$(f "$(ward_wait alice '"event":"queued"' 10)" id)
line=$(ward_wait bob '"body":"hello wrold"' 20)
check "bob got alice's message, encrypted" test "$(f "$line" encryption)" = omemo
check "... with the id alice queued" test "$(f "$line" id)" = "$id1"
check "alice's message acknowledged" ward_seen alice "\"id\":\"$id1\",\"to\"" 10
ward_cmd alice "/correct bob@good.test hello world"
line=$(ward_wait bob '"event":"message-edited"' 20)
check "bob: the correction applied to that message" test "$(f "$line" id)" = "$id1"
check "... with the new text" test "$(f "$line" body)" = "hello world"
check "... encrypted" test "$(f "$line" encryption)" = omemo
check "... stored, marked edited" test "$(db bob "select body||'/'||edited from history where stanza_id='$id1'")" = "hello world/1"
check "... the earlier version kept" test "$(db bob "select v.body from history_versions v join history h on h.id=v.msg where h.stanza_id='$id1'")" = "hello wrold"
check "alice: her own copy edited too" ward_seen alice '"event":"message-edited"' 5
check "... stored" test "$(db alice "select body from history where origin_id='$id1'")" = "hello world"
ward_cmd bob "/versions alice@good.test $id1"
line=$(ward_wait bob '"event":"message-version"' 10)
check "/versions: the earlier version first" test "$(f "$line" body)" = "hello wrold"
check "... then the current one" ward_seen bob '"body":"hello world","encryption":"omemo","ts"' 5
# a plaintext correction from alice's own account (another resource)
raw alice@good.test "$ALICE_PW" \
    "<message to='bob@good.test' type='chat' id='forge-plain'><body>plain fix</body><replace xmlns='$NS_C' id='$id1'/></message>"
sleep 1
check "a plaintext correction of an OMEMO message: dropped" \
    test "$(db bob "select body from history where stanza_id='$id1'")" = "hello world"
check "... and logged" test "$(logged bob 'dropped (a plaintext change of an encrypted message)')" -ge 1
check "... also its carbon at alice" test "$(db alice "select body from history where origin_id='$id1'")" = "hello world"
check "... shown nowhere" test "$(ward_count bob 'plain fix')" -eq 0

# ---- a plaintext chat -----------------------------------------------------
ward_cmd alice "/omemo off bob@good.test"
ward_cmd bob "/omemo off alice@good.test"
ward_cmd bob "/msg alice@good.test plain one"
id2=$(f "$(ward_wait bob '"to":"alice@good.test","encryption":"none"' 10)" id)
check "alice got bob's plaintext message" ward_seen alice '"body":"plain one"' 15
check "bob's message acknowledged" ward_seen bob "\"event\":\"acked\",\"account\":\"bob\",\"id\":\"$id2\"" 10
# carol (another JID) tries all three on bob's message
raw carol@good.test "$CAROL_PW" \
    "<message to='alice@good.test' type='chat' id='c1'><body>carol's text</body><replace xmlns='$NS_C' id='$id2'/></message>" \
    "<message to='alice@good.test' type='chat' id='c2'><retract xmlns='$NS_R' id='$id2'/></message>" \
    "<message to='alice@good.test' type='chat' id='c3'><reactions xmlns='$NS_E' id='$id2'><reaction>💩</reaction></reactions></message>"
sleep 1
check "another JID's correction, retraction, reaction: original unchanged" \
    test "$(db alice "select body||'/'||edited||'/'||retracted from history where stanza_id='$id2'")" = "plain one/0/0"
check "... no reaction stored" test "$(db alice "select count(*) from reactions")" -eq 0
check "... all three logged" test "$(logged alice 'from carol@good.test/')" -ge 3
check "... nothing shown" test "$(ward_count alice 'carol')" -eq 0
# bob's other resource may correct his own message (same bare JID) ...
raw bob@good.test "$BOB_PW" \
    "<message to='alice@good.test' type='chat' id='b1'><body>plain one, fixed</body><replace xmlns='$NS_C' id='$id2'/></message>"
line=$(ward_wait alice '"body":"plain one, fixed"' 10)
check "the sender's other resource: correction applied" test "$(f "$line" event)/$(f "$line" id)" = "message-edited/$id2"
# ... but not alice's
ward_cmd alice "/msg bob@good.test plain two"
ward_seen_n alice '"to":"bob@good.test","encryption":"none"' 1 10
id3=$(f "$(grep -F '"to":"bob@good.test","encryption":"none"' "$(ward_dir alice)/events.jsonl" | grep -F '"event":"queued"' | tail -n 1)" id)
check "alice's message acknowledged" ward_seen alice "\"event\":\"acked\",\"account\":\"alice\",\"id\":\"$id3\"" 10
raw bob@good.test "$BOB_PW" \
    "<message to='alice@good.test' type='chat' id='b2'><retract xmlns='$NS_R' id='$id3'/></message>"
sleep 1
check "bob cannot retract alice's message" test "$(db alice "select retracted from history where origin_id='$id3'")" = 0
check "... logged" test "$(logged alice 'retraction from bob@good.test/')" -ge 1
# reactions both ways
ward_cmd alice "/react bob@good.test $id2 👍 🎉"
line=$(ward_wait bob '"event":"reactions"' 10)
check "bob sees alice's reactions" test "$(f "$line" reactions)" = "👍 1, 🎉 1"
check "... to his message" test "$(f "$line" id)" = "$id2"
ward_cmd bob "/react alice@good.test $id2 👍"
check "alice sees both" ward_seen alice '"reactions":"👍 2, 🎉 1"' 10
ward_cmd alice "/react bob@good.test $id2 🎉"
check "a new set replaces the reactor's old one" ward_seen_n bob '"reactions":"👍 1, 🎉 1"' 2 10
# reactions that are no emoji (a line break, a C1 control, too many)
many=$(for i in $(seq 1 20); do printf '<reaction>%s</reaction>' "r$i"; done)
raw bob@good.test "$BOB_PW" \
    "<message to='alice@good.test' type='chat' id='b3'><reactions xmlns='$NS_E' id='$id2'><reaction>a&#10;b</reaction></reactions></message>" \
    "<message to='alice@good.test' type='chat' id='b4'><reactions xmlns='$NS_E' id='$id2'><reaction>&#x9b;2J</reaction></reactions></message>" \
    "<message to='alice@good.test' type='chat' id='b5'><reactions xmlns='$NS_E' id='$id2'>$many</reactions></message>" \
    "<message to='alice@good.test' type='chat' id='b6'><body>no id</body><replace xmlns='$NS_C'/></message>"
sleep 1
check "malformed reactions dropped: bob's set unchanged" \
    test "$(db alice "select emojis from reactions where sender='bob@good.test'")" = "👍"
check "... logged" test "$(logged alice 'reactions from bob@good.test/')" -ge 3
check "a correction without an id dropped" test "$(ward_count alice '"body":"no id"')" -eq 0
# a reply quotes the stored original, not the sender's fallback
ward_cmd alice "/reply bob@good.test $id2 agreed"
line=$(ward_wait bob '"body":"agreed"' 10)
check "bob got the reply without the fallback quote" test "$(f "$line" event)" = message
check "... to bob's message" test "$(f "$line" reply_to)" = "$id2"
check "... quoting it as bob stored it" test "$(f "$line" quote)" = "plain one, fixed"
# a retraction by the sender leaves a tombstone
ward_cmd bob "/retract alice@good.test $id2"
line=$(ward_wait alice '"event":"message-retracted"' 10)
check "alice: bob's retraction applied" test "$(f "$line" id)" = "$id2"
check "... text, versions and reactions erased" \
    test "$(db alice "select body||'/'||retracted||'/'||(select count(*) from history_versions v where v.msg=h.id)||'/'||(select count(*) from reactions r where r.msg=h.id) from history h where stanza_id='$id2'")" = "/1/0/0"
check "... the text gone from ward.db" test "$(db alice "select count(*) from history where body like 'plain one%'")" -eq 0

# /search (FTS5) follows: the corrected text found, the replaced one and
# the retracted one not
ward_cmd alice "/search world in bob@good.test"
check "/search finds the corrected text" ward_seen alice '"text":"world","with":"bob@good.test","count":1' 10
ward_cmd alice "/search wrold in bob@good.test"
check "... not the text it replaced" ward_seen alice '"text":"wrold","with":"bob@good.test","count":0' 10
ward_cmd alice "/search fixed in bob@good.test"
check "... nor a retracted message's" ward_seen alice '"text":"fixed","with":"bob@good.test","count":0' 10

# /history says what changed
ward_cmd alice "/history bob@good.test"
check "/history: the page came" ward_seen alice '"event":"history-end"' 10
line=$(grep -F '"event":"history"' "$(ward_dir alice)/events.jsonl" | grep -F "\"id\":\"$id2\"" | head -n 1)
check "... the retracted message as a tombstone" test "$(f "$line" retracted)/$(f "$line" body)" = "True/"
line=$(grep -F '"event":"history"' "$(ward_dir alice)/events.jsonl" | grep -F "\"id\":\"$id1\"" | head -n 1)
check "... the corrected one marked edited" test "$(f "$line" edited)/$(f "$line" body)" = "True/hello world"
line=$(grep -F '"event":"history"' "$(ward_dir alice)/events.jsonl" | grep -F '"body":"agreed"' | head -n 1)
check "... our reply stored without its fallback quote" test -n "$line"
check "... the reply with what it replies to" test "$(f "$line" reply_to)" = "$id2"
check "... quoting the tombstone now" test "$(f "$line" quote)" = "(retracted)"

# ---- a room ---------------------------------------------------------------
ward_cmd alice "/join $LOBBY_ROOM/al"
ward_cmd bob "/join $LOBBY_ROOM/bo"
check "alice joined" ward_seen alice '"nick":"al","state":"joined"' 10
check "bob joined" ward_seen bob '"nick":"bo","state":"joined"' 10
sleep 0.5
ward_cmd bob "/msg $LOBBY_ROOM room hello"
line=$(ward_wait alice '"body":"room hello"' 10)
rid=$(f "$line" id)
check "alice got bob's room message" test "$(f "$line" from)" = "$LOBBY_ROOM/bo"
ward_cmd bob "/correct $LOBBY_ROOM room hello!"
line=$(ward_wait alice '"body":"room hello!"' 10)
check "the same occupant's correction applied" test "$(f "$line" event)/$(f "$line" id)" = "message-edited/$rid"
check "bob's own reflected correction is no forgery" test "$(logged bob "correction from $LOBBY_ROOM/bo dropped")" -eq 0
check "bob's own copy knows the room's stanza-id (reactions name it)" \
    test -n "$(db bob "select server_id from history where origin_id='$rid'")"
ward_cmd alice "/react $LOBBY_ROOM $rid 🎉"
check "bob sees alice's reaction in the room" ward_seen bob '"reactions":"🎉 1"' 10
check "... once (her reflection is hers)" test "$(db alice "select count(*) from reactions")" -eq 1
# another occupant (Prosody stamps XEP-0421 occupant-ids: the rule tells
# occupants by them; without them, by nick and presence session, which
# tests/unit/msgrule covers)
check "the room advertises occupant-ids, stored with the message" \
    test -n "$(db alice "select occupant_id from history where stanza_id='$rid'")"
raw carol@good.test "$CAROL_PW" \
    "<presence to='$LOBBY_ROOM/mallory'><x xmlns='http://jabber.org/protocol/muc'/></presence>" \
    "<message to='$LOBBY_ROOM' type='groupchat' id='m1'><body>mallory's text</body><replace xmlns='$NS_C' id='$rid'/></message>"
sleep 1
check "another occupant's correction: dropped" \
    test "$(db alice "select body from history where stanza_id='$rid'")" = "room hello!"
check "... logged" test "$(logged alice "correction from $LOBBY_ROOM/mallory dropped (another occupant")" -ge 1
# the next holder of the nick
ward_cmd bob "/leave $LOBBY_ROOM"
check "bob left" ward_seen bob '"state":"left"' 10
sleep 0.5
raw carol@good.test "$CAROL_PW" \
    "<presence to='$LOBBY_ROOM/bo'><x xmlns='http://jabber.org/protocol/muc'/></presence>" \
    "<message to='$LOBBY_ROOM' type='groupchat' id='m2'><body>not bob</body><replace xmlns='$NS_C' id='$rid'/></message>" \
    "<message to='$LOBBY_ROOM' type='groupchat' id='m3'><retract xmlns='$NS_R' id='$rid'/></message>"
sleep 1
check "the nick's next holder cannot correct or retract: original unchanged" \
    test "$(db alice "select body||'/'||retracted from history where stanza_id='$rid'")" = "room hello!/0"
check "... logged" test "$(logged alice "from $LOBBY_ROOM/bo dropped (another occupant")" -ge 2
# a private message from an occupant: only that occupant may change it
raw carol@good.test "$CAROL_PW" \
    "<presence to='$LOBBY_ROOM/cc'><x xmlns='http://jabber.org/protocol/muc'/></presence>" \
    "<message to='$LOBBY_ROOM/al' type='chat' id='pm1'><body>private from cc</body><x xmlns='http://jabber.org/protocol/muc#user'/></message>" \
    "<presence to='$LOBBY_ROOM/cc' type='unavailable'/>"
line=$(ward_wait alice '"body":"private from cc"' 10)
check "alice got cc's private message" test "$(f "$line" private)" = True
sleep 0.5
raw dave@good.test "$DAVE_PW" \
    "<presence to='$LOBBY_ROOM/cc'><x xmlns='http://jabber.org/protocol/muc'/></presence>" \
    "<message to='$LOBBY_ROOM/al' type='chat' id='pm2'><body>dave as cc</body><replace xmlns='$NS_C' id='pm1'/><x xmlns='http://jabber.org/protocol/muc#user'/></message>"
sleep 1
check "the nick's next holder cannot correct the private message" \
    test "$(db alice "select body from history where stanza_id='pm1'")" = "private from cc"
check "... logged" test "$(logged alice "correction from $LOBBY_ROOM/cc dropped")" -ge 1
# ---- a private room: group OMEMO --------------------------------------------
# carol, the room's third member, publishes an OMEMO device (python-omemo)
# so that group messages can be encrypted to every member
omemo_peer_start carol carol@good.test "$CAROL_PW"
check "carol (python-omemo) online" test -n "$(omemo_peer_online carol)"
for w in alice bob; do
	nick=$([ $w = alice ] && echo al || echo bo)
	ward_cmd $w "/join $PRIVATE_ROOM/$nick"
	line=$(ward_wait $w '"kind":"muc-nonanonymous"' 10)
	ward_cmd $w "/accept $(f "$line" id)"
	check "$w joined the private room" ward_seen_n $w "\"nick\":\"$nick\",\"state\":\"joined\"" 2 10
done
check "bob's room chat is OMEMO" ward_seen bob "\"jid\":\"$PRIVATE_ROOM\",\"room\":true,\"encryption\":\"omemo\"" 15
ward_cmd bob "/msg $PRIVATE_ROOM private secret 8811"
line=$(ward_wait alice '"body":"private secret 8811"' 20)
pid=$(f "$line" id)
check "alice got bob's encrypted room message" test "$(f "$line" encryption)" = omemo
ward_cmd bob "/correct $PRIVATE_ROOM private secret 8812"
line=$(ward_wait alice '"body":"private secret 8812"' 20)
check "an encrypted room correction applied" test "$(f "$line" event)/$(f "$line" id)/$(f "$line" encryption)" = "message-edited/$pid/omemo"
check "... the server never saw its text" test "$(grep -c -F 'private secret 8812' "$PROSODY_LOG")" -eq 0
# bob's own account under another nick (the same occupant-id), in plaintext
raw bob@good.test "$BOB_PW" \
    "<presence to='$PRIVATE_ROOM/bo2'><x xmlns='http://jabber.org/protocol/muc'/></presence>" \
    "<message to='$PRIVATE_ROOM' type='groupchat' id='pf'><body>plain over omemo</body><replace xmlns='$NS_C' id='$pid'/></message>"
sleep 1
check "a plaintext correction of a group OMEMO message: dropped" \
    test "$(db alice "select body from history where stanza_id='$pid'")" = "private secret 8812"
check "... logged" test "$(logged alice "correction from $PRIVATE_ROOM/bo2 dropped (a plaintext change of an encrypted message)")" -ge 1

omemo_peer_stop carol
check "ward.log stays one line per entry" test "$(grep -c -v -E '^[0-9]+\.[0-9]{3} ' "$(ward_dir alice)/data/ward.log")" -eq 0

ward_stop alice
ward_stop bob
check "alice: no sanitizer report" ward_sanitizer_clean alice
check "bob: no sanitizer report" ward_sanitizer_clean bob
test_exit
