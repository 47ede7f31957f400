#!/bin/bash
# muc_config: the owner's use cases against Prosody. /room config shows the
# room's configuration form as room-config events (title, fields with type,
# label, value, options); /room set checks a value against the field and
# changes it, /room submit sends it, and a slixmpp peer's disco#info of the
# room shows the change took effect (name, muc_membersonly). /room create
# makes a reserved room and presents its form (nothing else can enter
# until it is submitted); "instant" takes the defaults; a room that exists
# is never "created". /room cancel drops a form; /room destroy ends a room
# (disco#info: item-not-found or gone). A participant's /room config is refused.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

EV() { echo "$(ward_dir "$1")/events.jsonl"; }
# disco ROOM: carol's disco#info of ROOM (one JSON line)
disco() {
	peer_as carol --disco-info "$1" --timeout 15 2>/dev/null |
	    grep '"disco"'
}
# field ROOM VAR [N]: the Nth (default last) room-config field event of VAR
field() { grep -F '"event":"room-config"' "$(EV alice)" | grep -F "\"room\":\"$1\"" | grep -F "\"var\":\"$2\"" | tail -n 1; }

ward_setup alice alice@good.test "$ALICE_PW"
ward_setup bob bob@good.test "$BOB_PW"
ward_start alice
ward_start bob
check "alice connected" ward_seen alice '"event":"connected"' 20
check "bob connected" ward_seen bob '"event":"connected"' 20

# --- the lobby's form (alice owns it) -----------------------------------
ward_cmd alice "/join $LOBBY_ROOM"
check "alice in the lobby" ward_seen alice "\"room\":\"$LOBBY_ROOM\",\"nick\":\"alice\",\"state\":\"joined\"" 10
ward_cmd alice "/room config $LOBBY_ROOM"
check "the form comes" ward_seen alice '"event":"room-config","account":"alice","room":"'"$LOBBY_ROOM"'","state":"end"' 10
line=$(grep -F '"state":"form"' "$(EV alice)" | head -n 1)
check "... with its field count" test "$(json_field "$line" fields)" -gt 5
line=$(field "$LOBBY_ROOM" muc#roomconfig_roomname)
check "the room name field: text-single" test "$(json_field "$line" type)" = text-single
check "... holding Lobby" test "$(json_field "$line" value)" = Lobby
line=$(field "$LOBBY_ROOM" muc#roomconfig_whois)
check "a list field carries its options, one a line" test "$(json_field "$line" options)" = $'moderators\nanyone'
check "... and their labels" test "$(json_field "$line" option_labels)" = $'Moderators only\nAnyone'
check "no hidden FORM_TYPE lost" test -n "$(field "$LOBBY_ROOM" FORM_TYPE)"

ward_cmd alice "/room set $LOBBY_ROOM muc#roomconfig_membersonly maybe"
check "a bad boolean is refused before anything is sent" ward_seen alice '"code":"muc-config-invalid"' 5
ward_cmd alice "/room set $LOBBY_ROOM muc#roomconfig_whois everyone"
check "a value outside a list's options is refused" ward_seen_n alice '"code":"muc-config-invalid"' 2 5
ward_cmd alice "/room set $LOBBY_ROOM no_such_field 1"
check "an unknown field is refused" ward_seen_n alice '"code":"muc-config-invalid"' 3 5
ward_cmd alice "/room set $LOBBY_ROOM muc#roomconfig_roomname The Renamed Lobby"
for i in $(seq 1 50); do [ "$(json_field "$(field "$LOBBY_ROOM" muc#roomconfig_roomname)" value)" = "The Renamed Lobby" ] && break; sleep 0.1; done
check "the changed field is shown again" test "$(json_field "$(field "$LOBBY_ROOM" muc#roomconfig_roomname)" value)" = "The Renamed Lobby"
check "nothing reaches the room before submit" test -z "$(disco "$LOBBY_ROOM" | grep 'The Renamed Lobby')"
ward_cmd alice "/room config $LOBBY_ROOM set muc#roomconfig_membersonly 1"
check "/room config ROOM set FIELD VALUE works too" ward_seen alice '"var":"muc#roomconfig_membersonly","type":"boolean"' 5
ward_cmd alice "/room submit $LOBBY_ROOM"
check "submitted: saved" ward_seen alice '"room":"'"$LOBBY_ROOM"'","state":"saved"' 10
d=$(disco "$LOBBY_ROOM")
check "disco#info: the new name" bash -c "printf '%s' '$d' | grep -q \"name=..The Renamed Lobby\""
check "disco#info: members-only now" bash -c "printf '%s' '$d' | grep -q 'var=..muc_membersonly'"
ward_cmd alice "/room submit $LOBBY_ROOM"
check "no form open after the submit: muc-config-none" ward_seen alice '"code":"muc-config-none"' 5

# cancel
ward_cmd alice "/room config $LOBBY_ROOM"
check "the form again" ward_seen_n alice '"room":"'"$LOBBY_ROOM"'","state":"end"' 2 10
check "... read back from the room: the new name" test "$(json_field "$(field "$LOBBY_ROOM" muc#roomconfig_roomname)" value)" = "The Renamed Lobby"
ward_cmd alice "/room set $LOBBY_ROOM muc#roomconfig_roomname Never Saved"
ward_cmd alice "/room cancel $LOBBY_ROOM"
check "cancelled" ward_seen alice '"state":"cancelled"' 5
sleep 0.5
check "the cancelled change did not take effect" test -z "$(disco "$LOBBY_ROOM" | grep 'Never Saved')"

# a participant may not
ward_cmd bob "/room config $LOBBY_ROOM"
check "bob is not in the room: not-in-room" ward_seen bob '"code":"not-in-room"' 5

# --- create a reserved room with the form --------------------------------
NEW=planning@$MUC_DOMAIN
ward_cmd alice "/room create $NEW"
check "created (status 201)" ward_seen alice "\"room\":\"$NEW\",\"nick\":\"alice\",\"state\":\"created\"" 10
check "... and its form presented" ward_seen alice '"room":"'"$NEW"'","state":"end"' 10
check "no privacy prompt for a room that did not exist" test "$(ward_count alice '"kind":"muc-nonanonymous"')" -eq 0
ward_cmd bob "/join $NEW/bobby"
check "a reserved room is locked until configured: bob cannot enter" ward_seen bob '"code":"muc-join-failed"' 10
ward_cmd alice "/room set $NEW muc#roomconfig_roomname Planning"
ward_cmd alice "/room set $NEW muc#roomconfig_persistentroom 1"
ward_cmd alice "/room submit $NEW"
check "the new room's form saved" ward_seen alice '"room":"'"$NEW"'","state":"saved"' 10
d=$(disco "$NEW")
check "disco#info of the new room: its name" bash -c "printf '%s' '$d' | grep -q \"name=..Planning\""
ward_cmd bob "/join $NEW/bobby"
check "configured: bob enters" ward_seen bob "\"room\":\"$NEW\",\"nick\":\"bobby\",\"state\":\"joined\"" 10

ward_cmd alice "/room create $LOBBY_ROOM"
check "creating a room we are in: muc-room-exists" ward_seen alice '"code":"muc-room-exists"' 5
ward_cmd alice "/room create $NONANON_ROOM"
check "creating a room that exists: muc-room-exists" ward_seen_n alice '"code":"muc-room-exists"' 2 10
sleep 0.5
check "... and no join of it" test "$(grep -c "Received\[c2s\]: <presence.*to='$NONANON_ROOM" "$PROSODY_LOG")" -eq 0

INST=quick@$MUC_DOMAIN
ward_cmd alice "/room create $INST instant"
check "an instant room: created" ward_seen alice "\"room\":\"$INST\",\"nick\":\"alice\",\"state\":\"created\"" 10
check "... with the defaults accepted" ward_seen alice '"room":"'"$INST"'","state":"saved"' 10
check "... and no form shown" test -z "$(grep -F '"room":"'"$INST"'","state":"form"' "$(EV alice)")"

# a plain /join that creates a room says so, and how to unlock it
FRESH=fresh@$MUC_DOMAIN
ward_cmd alice "/join $FRESH"
# (a room that does not exist cannot say it is anonymous: asked first)
line=$(ward_wait alice '"kind":"muc-nonanonymous"' 10)
check "a plain /join of no room: the privacy question first" test -n "$line"
ward_cmd alice "/accept $(json_field "$line" id)"
line=$(ward_wait alice "\"room\":\"$FRESH\",\"nick\":\"alice\",\"state\":\"created\"" 10)
check "a /join that creates a room: created" test -n "$line"
check "... saying it may stay locked until configured" bash -c "printf '%s' '$line' | grep -q 'locked until you configure it'"
check "... then joined" ward_seen alice "\"room\":\"$FRESH\",\"nick\":\"alice\",\"state\":\"joined\"" 10
ward_cmd alice "/room config $FRESH"
check "its form on request" ward_seen alice '"room":"'"$FRESH"'","state":"end"' 10
ward_cmd alice "/room submit $FRESH"
check "submitted as it came: saved" ward_seen alice '"room":"'"$FRESH"'","state":"saved"' 10

# --- destroy ----------------------------------------------------------------
ward_cmd alice "/room destroy $NEW we are done"
check "destroyed" ward_seen alice '"room":"'"$NEW"'","state":"destroyed"' 10
check "bob is told the room was destroyed" ward_seen bob "\"room\":\"$NEW\",\"nick\":\"bobby\",\"state\":\"destroyed\"" 10
d=$(disco "$NEW")
check "disco#info: the room is gone (item-not-found, or gone: Prosody's tombstone)" \
    bash -c "printf '%s' '$d' | grep -qE '\"error\": \"(item-not-found|gone)\"'"
ward_cmd bob "/room destroy $LOBBY_ROOM"
check "outside the room: not-in-room" ward_seen_n bob '"code":"not-in-room"' 2 5

ward_stop alice
ward_stop bob
check "alice: no sanitizer report" ward_sanitizer_clean alice
check "bob: no sanitizer report" ward_sanitizer_clean bob
test_exit
