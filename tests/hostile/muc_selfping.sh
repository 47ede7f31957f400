#!/bin/bash
# muc_selfping: a room service that silently forgot ward (as after its
# restart) is noticed by the self-ping (XEP-0410) ward sends when the link
# has been idle for the keep-alive time, and ward joins the room again.
# A room that answers the ping keeps ward as it is (no needless rejoin).
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

for mode in muc-ghost normal; do
	fake_start "$mode" --cert "$SERVER_CERT" --key "$SERVER_KEY" --password "$ALICE_PW"
	ward_setup "$mode" alice@good.test "$ALICE_PW" "server = 127.0.0.1" \
	    "port = $FAKE_PORT" "keepalive = 5"
	ward_start "$mode"
	check "$mode: connected" ward_seen "$mode" '"event":"connected"' 20
	ward_cmd "$mode" "/join room@rooms.good.test/alice"
	check "$mode: joined" ward_seen "$mode" '"state":"joined"' 10
	check "$mode: self-ping sent after the idle time" bash -c \
	    "for i in \$(seq 1 120); do grep -q SELFPING '$FAKE_LOG' && exit 0; sleep 0.1; done; exit 1"
	sleep 1
	joins=$(grep -c ROOM-JOIN "$FAKE_LOG")
	if [ "$mode" = muc-ghost ]; then
		check "$mode: silent loss noticed: joined again" test "$joins" -ge 2
		check "$mode: logged" grep -q 'self-ping says we left room@rooms.good.test' "$(ward_dir "$mode")/data/ward.log"
	else
		check "$mode: answered ping: no rejoin" test "$joins" -eq 1
	fi
	ward_stop "$mode"
	check "$mode: no sanitizer report" ward_sanitizer_clean "$mode"
done
test_exit
