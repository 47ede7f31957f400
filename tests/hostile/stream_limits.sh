#!/bin/bash
# stream_limits: after login the fake server sends a stanza over 262,144
# bytes, 100,000 nested elements, a DTD, and entity expansion (billion
# laughs). Each: ward sends a stream error, disconnects, stays alive,
# and its memory stays bounded.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

rss_kb() { awk '/VmHWM/ { print $2 }' "/proc/$1/status"; }

for mode in oversize deep dtd billion-laughs garbage-after-close; do
	fake_start "$mode" --cert "$SERVER_CERT" --key "$SERVER_KEY" --password "$ALICE_PW"
	ward_setup "$mode" alice@good.test "$ALICE_PW" "server = 127.0.0.1" "port = $FAKE_PORT"
	ward_start "$mode"
	pid=$(ward_pid "$mode")
	if [ "$mode" = dtd ] || [ "$mode" = billion-laughs ]; then
		# refused before or at the stream header: no login
		line=$(ward_wait "$mode" '"event":"disconnected"' 20)
		check "$mode: disconnected" test -n "$line"
		check "$mode: restricted XML reported" ward_seen "$mode" 'restricted-xml' 2
	elif [ "$mode" = garbage-after-close ]; then
		check "$mode: logged in" ward_seen "$mode" '"event":"connected"' 20
		check "$mode: disconnected at </stream>" ward_seen "$mode" '"event":"disconnected"' 20
	else
		check "$mode: logged in" ward_seen "$mode" '"event":"connected"' 20
		line=$(ward_wait "$mode" '"event":"disconnected"' 20)
		check "$mode: disconnected" test -n "$line"
		check "$mode: policy-violation reported" ward_seen "$mode" 'policy-violation' 2
	fi
	check "$mode: ward still alive" kill -0 "$pid"
	hwm=$(rss_kb "$pid")
	# an ASan build idles at ~40-60 MB; the attacks are 0.3-1 MB each
	check "$mode: peak memory bounded ($hwm kB)" test "$hwm" -lt 150000
	ward_stop "$mode"
	check "$mode: no sanitizer report" ward_sanitizer_clean "$mode"
done
test_exit
