#!/bin/bash
# idle_quiet: a connected, idle ward does not busy-wait. Over 20 s without
# traffic (keep-alives come every 90 s) every thread of the process
# together makes at most a handful of context switches. A loop that polls
# with a short timeout, or spins, makes hundreds.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

switches() {	# all context switches of every thread of PID
	cat /proc/"$1"/task/*/status 2>/dev/null |
	    awk '/^(non)?voluntary_ctxt_switches/ { s += $2 } END { print s + 0 }'
}

ward_setup alice alice@good.test "$ALICE_PW"
ward_start alice
check "connected" ward_seen alice '"event":"connected"' 20
check "roster fetched" ward_seen alice 'roster received' 20
sleep 3
pid=$(ward_pid alice)
before=$(switches "$pid")
sleep 20
after=$(switches "$pid")
n=$((after - before))
echo "idle 20 s: $n context switches"
check "at most 4 context switches in 20 s idle (saw $n)" test "$n" -le 4
ward_stop alice
check "no sanitizer report" ward_sanitizer_clean alice
test_exit
