#!/bin/bash
# muc_own: a room message is ward's own only when ward sent it (its
# occupant-id, or our nick with an origin-id ward sent), never by the nick
# alone: the room's history from an earlier holder of the nick ward now
# uses is shown and stored as someone else's, while ward's own reflected
# message still counts as sent.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

ward_setup alice alice@good.test "$ALICE_PW"
ward_setup bob bob@good.test "$BOB_PW"
ward_start bob
check "bob connected" ward_seen bob '"event":"connected"' 20
ward_cmd bob "/join $LOBBY_ROOM/sam"
check "bob joined as sam" ward_seen bob '"nick":"sam","state":"joined"' 10
ward_cmd bob "/msg $LOBBY_ROOM said by the earlier sam"
check "bob's room message acknowledged" ward_seen bob '"event":"acked"' 10
line=$(ward_wait bob '"body":"said by the earlier sam","' 10)
check "bob's own reflection counts as his" test "$(json_field "$line" outgoing)" = True
ward_cmd bob "/leave $LOBBY_ROOM"
check "bob left" ward_seen bob '"state":"left"' 5

ward_start alice
check "alice connected" ward_seen alice '"event":"connected"' 20
ward_cmd alice "/join $LOBBY_ROOM/sam"
check "alice joined as sam" ward_seen alice '"nick":"sam","state":"joined"' 10
line=$(ward_wait alice '"body":"said by the earlier sam"' 10)
check "the room's history reached alice" test -n "$line"
check "... from the nick she now has" test "$(json_field "$line" from)" = "$LOBBY_ROOM/sam"
check "... not shown as hers" test -z "$(json_field "$line" outgoing)"
dir=$(/usr/bin/python3 - "$(ward_dir alice)/data/ward.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect('file:%s?mode=ro' % sys.argv[1], uri=True)
print(' '.join(r[0] for r in db.execute(
    "SELECT direction FROM history WHERE body = 'said by the earlier sam'")))
PY
)
check "... nor stored as sent" test "$dir" = in
ward_cmd alice "/msg $LOBBY_ROOM said by alice as sam"
# (message events: the body is followed by more fields; the queued
# event, which carries the body too, ends with it)
line=$(ward_wait alice '"body":"said by alice as sam","' 10)
check "alice's own reflected message still counts as hers" test "$(json_field "$line" outgoing)" = True
check "... shown once" test "$(ward_count alice '"body":"said by alice as sam","')" -eq 1

# /nick: the room renames us (XEP-0045 7.6); what we say next is ours
# under the new nick, and a nick someone holds is refused, the old kept
ward_cmd alice "/nick $LOBBY_ROOM samantha"
check "/nick: the room confirmed the new nick" \
    ward_seen alice '"nick":"samantha","state":"nick"' 10
sleep 0.5
check "... no leave or rejoin shown for it" test "$(ward_count alice '"state":"left"')" -eq 0
ward_cmd alice "/msg $LOBBY_ROOM said as samantha"
line=$(ward_wait alice '"body":"said as samantha","' 10)
check "... the reflection comes from the new nick" test "$(json_field "$line" from)" = "$LOBBY_ROOM/samantha"
check "... and is hers" test "$(json_field "$line" outgoing)" = True
ward_cmd bob "/join $LOBBY_ROOM/bobby"
check "bob back as bobby" ward_seen bob '"nick":"bobby","state":"joined"' 10
ward_cmd alice "/nick $LOBBY_ROOM bobby"
check "a nick in use: muc-nick-failed" ward_seen alice '"code":"muc-nick-failed"' 10
ward_cmd alice "/msg $LOBBY_ROOM still samantha"
line=$(ward_wait bob '"body":"still samantha"' 10)
check "... still in the room under the old nick" test "$(json_field "$line" from)" = "$LOBBY_ROOM/samantha"
ward_stop alice
ward_stop bob
check "alice: no sanitizer report" ward_sanitizer_clean alice
check "bob: no sanitizer report" ward_sanitizer_clean bob
test_exit
