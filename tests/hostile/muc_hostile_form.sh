#!/bin/bash
# muc_hostile_form: a room service (tests/net/fakeserver.py, mode
# muc-hostile-form) sends a configuration form built to mislead and to
# overload: 306 fields, a var twice with other values, a type XEP-0004 does
# not define, a nested form, a bidi override and a C1 control in labels, a
# password field with a value. ward keeps 256 fields and says how many it
# dropped; the duplicated var is shown once with its first value and that
# is what is submitted; the unknown type is shown, never changed; nothing of
# the nested form; the controls reach the event stream escaped; the
# password is never in an event. The submission (logged by the server)
# holds exactly the fields shown.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

fake_start muc-hostile-form --cert "$SERVER_CERT" --key "$SERVER_KEY" --password "$ALICE_PW"
ward_setup w alice@good.test "$ALICE_PW" "server = 127.0.0.1" "port = $FAKE_PORT"
ward_start w
check "connected" ward_seen w '"event":"connected"' 20
EV=$(ward_dir w)/events.jsonl
ROOM=evil@rooms.good.test
field() { grep -F '"event":"room-config"' "$EV" | grep -F "\"var\":\"$1\""; }

ward_cmd w "/join $ROOM/alice"
check "joined the hostile room" ward_seen w "\"room\":\"$ROOM\",\"nick\":\"alice\",\"state\":\"joined\"" 10
ward_cmd w "/room config $ROOM"
check "the form comes to an end" ward_seen w "\"room\":\"$ROOM\",\"state\":\"end\"" 10
line=$(grep -F '"state":"form"' "$EV" | head -n 1)
check "256 fields kept" test "$(json_field "$line" fields)" -eq 256
check "50 dropped, and said so" test "$(json_field "$line" dropped)" -eq 50
check "256 field events" test "$(grep -cF '"state":"field"' "$EV")" -eq 256
check "the duplicated var shown once" test "$(field muc#roomconfig_roomname | wc -l)" -eq 1
check "... with its first value" test "$(json_field "$(field muc#roomconfig_roomname)" value)" = shown-name
check "the second value is nowhere" test "$(grep -c hidden-name "$EV")" -eq 0
check "the unknown type is shown as unknown" test "$(json_field "$(field evil_unknown)" type)" = unknown
check "nothing of the nested form" test -z "$(field inner)"
check "the nested field's own value kept" test "$(json_field "$(field nested)" value)" = 0
check "the bidi override in the title is escaped in the stream" grep -qF 'Evil \u202etxt.exe' "$EV"
check "the C1 control in a label is escaped" grep -qF 'Unknown \u009b[2J' "$EV"
check "no raw C1 or bidi byte in the stream" test "$(grep -c $'\xc2\x9b\|\xe2\x80\xae' "$EV")" -eq 0
check "the password field: no value in the event" test -z "$(json_field "$(field muc#roomconfig_roomsecret)" value)"
check "... but said to be set" test "$(json_field "$(field muc#roomconfig_roomsecret)" is_set)" = True
check "... and the secret nowhere in the stream" test "$(grep -c server-side-secret "$EV")" -eq 0

ward_cmd w "/room set $ROOM evil_unknown 2"
check "an unknown type cannot be changed" ward_seen w '"code":"muc-config-invalid"' 5
ward_cmd w "/room set $ROOM inner yes"
check "a nested field does not exist" ward_seen_n w '"code":"muc-config-invalid"' 2 5
ward_cmd w "/room set $ROOM muc#roomconfig_roomname new-name"
ward_cmd w "/room submit $ROOM"
check "submitted: saved" ward_seen w "\"room\":\"$ROOM\",\"state\":\"saved\"" 10
check "the server got the submission" grep -q 'FORM-SUBMIT type=submit' "$FAKE_LOG"
check "... the name once, as set" test "$(grep -c 'FORM-FIELD var=muc#roomconfig_roomname ' "$FAKE_LOG")" -eq 1
check "... new-name" grep -q 'FORM-FIELD var=muc#roomconfig_roomname values=new-name ' "$FAKE_LOG"
check "... exactly the 256 fields shown" \
    test "$(grep -c 'FORM-FIELD ' "$FAKE_LOG")" -eq 256
check "... no dropped filler" test "$(grep -c 'FORM-FIELD var=filler_251 ' "$FAKE_LOG")" -eq 0
check "... the unknown field as it came" grep -q 'FORM-FIELD var=evil_unknown values=1 ' "$FAKE_LOG"
ward_stop w
check "no sanitizer report" ward_sanitizer_clean w
test_exit
