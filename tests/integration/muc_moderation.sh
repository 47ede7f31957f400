#!/bin/bash
# muc_moderation: /kick, /ban, /role, /voice and /affiliation go to the
# room as XEP-0045 admin IQs; the room decides: a participant is refused
# (muc-admin-refused, with the room's condition), the room's owner kicks
# (the kicked occupant sees state "kicked") and bans (the banned JID can
# no longer join).
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

ward_setup alice alice@good.test "$ALICE_PW"
ward_setup bob bob@good.test "$BOB_PW"
ward_start alice
ward_start bob
check "alice connected" ward_seen alice '"event":"connected"' 20
check "bob connected" ward_seen bob '"event":"connected"' 20
ward_cmd alice "/join $LOBBY_ROOM/alice"
check "alice joined" ward_seen alice '"state":"joined"' 10
ward_cmd bob "/join $LOBBY_ROOM/bobby"
check "bob joined" ward_seen bob '"nick":"bobby","state":"joined"' 10

ward_cmd bob "/kick $LOBBY_ROOM alice"
check "a participant may not kick: the room's refusal" ward_seen bob '"code":"muc-admin-refused"' 10
ward_cmd bob "/role $LOBBY_ROOM alice emperor"
check "an unknown role is refused before anything is sent" ward_seen bob 'unknown role or affiliation' 5
sleep 0.5
check "alice is still in" test "$(ward_count alice '"state":"kicked"')" -eq 0

ward_cmd alice "/voice $LOBBY_ROOM bobby"
check "the owner gives voice" ward_seen alice 'done: bobby role=participant' 10
ward_cmd alice "/kick $LOBBY_ROOM bobby spamming"
check "the owner kicks bobby" ward_seen alice 'done: bobby role=none' 10
check "bob sees he was kicked" ward_seen bob '"nick":"bobby","state":"kicked"' 10
ward_cmd alice "/ban $LOBBY_ROOM bob@good.test"
check "the owner bans bob" ward_seen alice 'done: bob@good.test affiliation=outcast' 10
ward_cmd bob "/join $LOBBY_ROOM/bobby"
line=$(ward_wait bob '"code":"muc-join-failed"' 10)
check "bob banned: his join is refused" test -n "$line"
check "... forbidden" bash -c "printf '%s' '$line' | grep -q forbidden"
ward_cmd alice "/affiliation $LOBBY_ROOM bob@good.test none"
check "the owner lifts the ban" ward_seen alice 'done: bob@good.test affiliation=none' 10
ward_stop alice
ward_stop bob
check "alice: no sanitizer report" ward_sanitizer_clean alice
check "bob: no sanitizer report" ward_sanitizer_clean bob
test_exit
