#!/bin/bash
# escapes_in_text: what XML lets a contact send that a terminal would act
# on (8-bit C1 controls such as CSI U+009B, DEL, bidi overrides and
# isolates, line separators) in message bodies, presence status and room
# subjects comes out of ward's event stream escaped as \uXXXX: no raw
# control byte ever reaches stdout, and the text is kept (lossless). Raw
# ESC cannot travel in XML 1.0 at all: a server that sends it is cut off
# as not-well-formed (unit/xmlstream, unit/json cover those bytes).
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

# the forged stanzas below are addressed to this full JID (the default
# resource is random per login)
ward_setup alice alice@good.test "$ALICE_PW" "resource = ward"
ward_start alice
check "connected" ward_seen alice '"event":"connected"' 20

body="del"$'\x7f'" c1"$'\xc2\x9b'"31m nel"$'\xc2\x85'" bidi"$'\xe2\x80\xae'"txt.exe ls"$'\xe2\x80\xa8'"end"
status="away"$'\xc2\x9d'"0;title"$'\xe2\x81\xa6'"x"
"$PEER" --jid carol@good.test --password "$CAROL_PW" --ca "$TEST_CA" \
    --host 127.0.0.1 --port "$C2S_PORT" \
    --send-raw "<presence to='alice@good.test/ward'><status>$status</status></presence>" \
    --send alice@good.test "$body" --timeout 15 > "$WARD_TEST_DIR/carol.out" 2>&1
line=$(ward_wait alice '"event":"message"' 15)
check "message arrived" test -n "$line"
out=$(ward_dir alice)/events.jsonl
check "no raw DEL in the event stream" bash -c "! grep -q $'\x7f' '$out'"
check "no raw NEL in the event stream" bash -c "! grep -q $'\xc2\x85' '$out'"
check "no raw C1 CSI in the event stream" bash -c "! grep -q $'\xc2\x9b' '$out'"
check "no raw RLO in the event stream" bash -c "! grep -q $'\xe2\x80\xae' '$out'"
check "no raw LRI in the event stream" bash -c "! grep -q $'\xe2\x81\xa6' '$out'"
check "DEL escaped as \\u007f" grep -q 'del\\u007f' "$out"
check "line separator escaped as \\u2028" grep -q 'ls\\u2028end' "$out"
check "C1 escaped as \\u009b" grep -q 'c1\\u009b31m' "$out"
check "RLO escaped as \\u202e" grep -q 'bidi\\u202etxt.exe' "$out"
check "presence status escaped too" grep -q 'away\\u009d0;title\\u2066x' "$out"
check "lossless: the body decodes back exactly" test "$(json_field "$line" body)" = "$body"
check "every line is valid JSON" /usr/bin/python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$out"
# a room subject with C1 and bidi controls, set by a second client of
# alice's (the room's owner). (A nick cannot carry them: Prosody's
# resourceprep refuses such a nick with jid-malformed.)
ward_cmd alice "/join $LOBBY_ROOM"
check "alice joined the lobby" ward_seen alice '"state":"joined"' 10
subject="topic"$'\xc2\x9b'"2J"$'\xe2\x80\xae'"gnp.exe"
"$PEER" --jid alice@good.test --password "$ALICE_PW" --ca "$TEST_CA" \
    --host 127.0.0.1 --port "$C2S_PORT" \
    --send-raw "<presence to='$LOBBY_ROOM/mallory'><x xmlns='http://jabber.org/protocol/muc'/></presence>" \
    --send-raw "<message to='$LOBBY_ROOM' type='groupchat'><subject>$subject</subject></message>" \
    --timeout 15 > "$WARD_TEST_DIR/subject.out" 2>&1
line=$(ward_wait alice '"state":"subject","text":"topic' 15)
check "the hostile subject arrived as a room event" test -n "$line"
check "no raw C1 or RLO from it in the event stream" \
    bash -c "! grep -q -e $'\xc2\x9b' -e $'\xe2\x80\xae' '$out'"
check "subject escaped" grep -q 'topic\\u009b2J\\u202egnp.exe' "$out"
check "set by the nick mallory" test "$(json_field "$line" by)" = mallory
check "lossless: the subject decodes back exactly" test "$(json_field "$line" text)" = "$subject"
check "every line is still valid JSON" /usr/bin/python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$out"
ward_stop alice
check "no sanitizer report" ward_sanitizer_clean alice
test_exit
