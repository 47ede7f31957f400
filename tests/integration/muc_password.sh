#!/bin/bash
# muc_password: a password-protected room (XEP-0045 7.2.6). Joining without
# the password is refused with error muc-password-required, which says how
# to give it; a wrong one with muc-password-wrong; the right one joins (the
# presence carried <password/>, as Prosody's log shows). After a reconnect
# the room is rejoined with the password ward kept in memory. Neither
# password is anywhere in ward's files (events, ward.log, the database,
# stderr).
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

ROOM=secret@$MUC_DOMAIN
GOOD=open-sesame-4711
BAD=wrong-guess-0815
out=$(_prosodyctl shell --quiet ">local m = prosody.hosts['$MUC_DOMAIN'].modules.muc local r = m.get_room_from_jid('$ROOM') or m.create_room('$ROOM', { persistent = true }) r:set_password('$GOOD') r:save(true) return 'pw' .. ' set'" 2>&1)
check "a password-protected room on the server" bash -c "case '$out' in *'pw set'*) exit 0;; esac; exit 1"

prosody_roster_mutual alice carol
ward_setup alice alice@good.test "$ALICE_PW"
ward_start alice
check "alice connected" ward_seen alice '"event":"connected"' 20
EV=$(ward_dir alice)/events.jsonl

ward_cmd alice "/join $ROOM"
line=$(ward_wait alice '"code":"muc-password-required"' 10)
check "no password: muc-password-required" test -n "$line"
check "... says how to give it" bash -c "printf '%s' '$line' | grep -q 'password PASSWORD'"
check "not joined" test "$(ward_count alice '"state":"joined"')" -eq 0

ward_cmd alice "/join $ROOM alice password $BAD"
line=$(ward_wait alice '"code":"muc-password-wrong"' 10)
check "a wrong password: muc-password-wrong" test -n "$line"
check "still not joined" test "$(ward_count alice '"state":"joined"')" -eq 0

ward_cmd alice "/join $ROOM alice password $GOOD"
check "the right password joins" ward_seen alice "\"room\":\"$ROOM\",\"nick\":\"alice\",\"state\":\"joined\"" 10
check "the join carried the password (server log)" \
    grep -q "<password>$GOOD</password>" "$PROSODY_LOG"

ward_cmd alice "/join $ROOM alice password too many words"
check "a malformed /join is a usage error" ward_seen alice 'usage: /join' 5

ward_cmd alice "/disconnect"
check "alice offline" ward_seen alice 'disconnected by the user' 5
ward_cmd alice "/connect"
check "rejoined after reconnecting, with the password kept in memory" \
    ward_seen_n alice "\"room\":\"$ROOM\",\"nick\":\"alice\",\"state\":\"joined\"" 2 15
check "no password error on the rejoin" test "$(ward_count alice '"code":"muc-password')" -eq 2

# an invitation carries the password: alice's direct invitation to carol
# (a contact), and carol's to alice, which joins with it once accepted
T=$WARD_TEST_DIR
peer_as carol --ready-file "$T/carol.ready" --expect-xml "jabber:x:conference" \
    --timeout 20 > "$T/carol.out" 2>&1 &
cp=$!
for i in $(seq 1 100); do [ -e "$T/carol.ready" ] && break; sleep 0.1; done
ward_cmd alice "/invite $ROOM carol@good.test"
wait "$cp"
check "alice's direct invitation reached carol" test $? -eq 0
check "... with the room's password" grep -q "password=..$GOOD" "$T/carol.out"
ward_cmd alice "/leave $ROOM"
check "alice left" ward_seen alice '"state":"left"' 5
peer_as carol --timeout 10 \
    --send-raw "<message to='alice@good.test'><x xmlns='jabber:x:conference' jid='$ROOM' password='$GOOD'/></message>"
line=$(ward_wait alice '"kind":"muc-invite"' 10)
check "carol's invitation with the password: a prompt" test -n "$line"
check "... saying a password came" test "$(json_field "$line" password)" = True
ward_cmd alice "/accept $(json_field "$line" id)"
check "accepted: joined with the invitation's password" \
    ward_seen_n alice "\"room\":\"$ROOM\",\"nick\":\"alice\",\"state\":\"joined\"" 3 15

ward_stop alice
d=$(ward_dir alice)
check "the right password is in none of ward's files" \
    test -z "$(grep -r -D skip -l -a -- "$GOOD" "$d")"
check "nor the wrong one" test -z "$(grep -r -D skip -l -a -- "$BAD" "$d")"
check "ward.log exists (the check above looked at it)" test -s "$d/data/ward.log"
check "alice: no sanitizer report" ward_sanitizer_clean alice
test_exit
