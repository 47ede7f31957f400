#!/bin/bash
# files_upload_cancel: /cancel of an upload whose PUT is still running.
# The loopback Prosody's XEP-0363 slots point at a relay
# (tests/net/tcpproxy.py RATE) that passes ward's bytes on slowly, so the
# PUT is under way when /cancel comes (once ward has written the whole
# file to the socket, when it gets that far within 8 s: the bytes wait in
# the kernel's buffers). Then: the transfer ends `cancelled`
# and nothing else, no link is sent (no queued event, no message at the
# server), the PUT is cut off (the relay passed on less than the file, and
# ward's connection ended at once instead of draining what it had already
# written), the server keeps no file (complete or partial) and the
# plaintext's last line never reached it; an OMEMO chat's encrypted
# temporary file is gone from the files directory.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

RATE=65536	# bytes a second from ward to the server
f() { json_field "$1" "$2"; }
EV() { echo "$(ward_dir alice)/events.jsonl"; }
tr_state() {	# tr_state ID STATE [SECONDS]: that transfer event
	local i line
	for i in $(seq 1 $((${3:-20} * 20))); do
		line=$(grep -F '"event":"transfer"' "$(EV)" |
		    grep -F "\"id\":$1,\"direction\":\"upload\",\"state\":\"$2\"" |
		    head -n 1)
		[ -n "$line" ] && { printf '%s\n' "$line"; return 0; }
		sleep 0.05
	done
	return 1
}
sent_at_least() {	# sent_at_least ID BYTES [SECONDS]: a progress event says so
	local i n
	for i in $(seq 1 $((${3:-20} * 20))); do
		n=$(grep -F '"event":"transfer"' "$(EV)" |
		    grep -F "\"id\":$1,\"direction\":\"upload\",\"state\":\"progress\"" |
		    sed -n 's/.*"bytes":\([0-9]*\).*/\1/p' | tail -n 1)
		[ "${n:-0}" -ge "$2" ] && return 0
		sleep 0.05
	done
	return 1
}
ends() {	# ends ID: how many end events transfer ID has
	grep -F '"event":"transfer"' "$(EV)" | grep -F "\"id\":$1," |
	    grep -c -E '"state":"(done|failed|cancelled)"'
}
relay_closed() {	# relay_closed N: the N-th relayed upload ended
	local i
	for i in $(seq 1 400); do
		[ "$(grep -c '^CLOSED' "$RELAY_OUT")" -ge "$1" ] && return 0
		sleep 0.05
	done
	return 1
}
stored() {	# the files the upload component keeps (complete or partial)
	find "$PROSODY_DIR/data" -path '*http_file_share*' -type f 2>/dev/null
}
none_stored() {	# the server (soon) keeps no file of any upload
	local i
	for i in $(seq 1 100); do
		[ -z "$(stored)" ] && return 0
		sleep 0.05
	done
	stored >&2
	return 1
}

# the slots' URLs name the relay's port: Prosody again with UPLOAD_PORT
RELAY_PORT=$(_fake_free_port) || fail "a port for the relay"
prosody_stop
export UPLOAD_PORT=$RELAY_PORT
prosody_start || { echo "FAIL: prosody with UPLOAD_PORT"; exit 1; }
RELAY_OUT=$WARD_TEST_DIR/relay.out
testnet_spawn "$RELAY_OUT" "$TESTNET_PYTHON" "$TESTNET_SRC/tcpproxy.py" \
    "$RELAY_PORT" "$HTTPS_PORT" "$RATE"
wait_tcp "$RELAY_PORT" 10 || fail "the relay listens"

ward_setup alice alice@good.test "$ALICE_PW"
ward_setup bob bob@good.test "$BOB_PW"
ward_start alice
ward_start bob
check "alice connected" ward_seen alice '"event":"connected"' 20
check "bob connected" ward_seen bob '"event":"connected"' 20
sleep 1	# device lists published
files=$(ward_dir alice)/data/files

# 1. a plaintext chat: the file's last line is a marker, so a server that
# got all of it would hold it
src=$WARD_TEST_DIR/big-report.pdf
head -c 1000000 /dev/urandom > "$src"
printf 'CANCELLED-UPLOAD-MARKER-%s\n' "$(date +%s%N)" >> "$src"
marker=$(tail -n 1 "$src")
size=$(stat -c %s "$src")
ward_cmd alice "/omemo off carol@good.test"
ward_seen alice '"jid":"carol@good.test","encryption":"none"' 5
ward_cmd alice "/upload $src carol@good.test"
check "plaintext upload: the PUT is under way (200 kB sent)" \
    sent_at_least 1 200000
# the hard case: ward has written the whole file (it waits in the kernel's
# buffers, the relay passing it on slowly) and says 100 %; a plain close
# would still deliver it and the server would keep the file
if sent_at_least 1 "$size" 8; then
	echo "NOTE: $TEST_NAME: cancelled with the whole file written to the socket" >&2
else
	echo "NOTE: $TEST_NAME: cancelled with part of the file written to the socket" >&2
fi
ward_cmd alice "/cancel 1"
T=$(tr_state 1 cancelled 10)
check "/cancel: the transfer ends cancelled" test -n "$T"
check "the relay saw ward's connection end" relay_closed 1
closed=$(grep '^CLOSED' "$RELAY_OUT" | sed -n 1p)
relayed=$(awk '{ print $2 }' <<< "$closed")
check "... reset by ward: what its kernel still held was dropped, not sent" \
    test "$(awk '{ print $3 }' <<< "$closed")" = reset
check "... mid-way: part of the file, not all, had reached the server ($relayed of $size)" \
    test "${relayed:-0}" -gt 20000 -a "${relayed:-$size}" -lt "$size"
ward_cmd alice "/security"
ward_seen alice '"event":"security"' 5	# a turn of the loop after it
sleep 1
check "... and no other end of it (done or failed)" test "$(ends 1)" -eq 1
check "no link sent: no queued event" \
    test "$(ward_count alice '"event":"queued"')" -eq 0
check "... no message reached the server" \
    test "$(grep 'RECV: <message' "$PROSODY_LOG" | grep -c 'file_share')" -eq 0
check "the server completed no upload" \
    test "$(grep -c 'Upload of .* completed' "$PROSODY_LOG")" -eq 0
check "... and keeps no file of it, not even a partial one" none_stored
check "... the file's last line never reached it" \
    test -z "$(grep -rl "$marker" "$PROSODY_DIR/data" 2>/dev/null)"

# 2. an OMEMO chat (ward to ward): the encrypted copy waits in a hidden
# temporary file, which the cancel removes
src=$WARD_TEST_DIR/big-photo.jpg
head -c 1000000 /dev/urandom > "$src"
size2=$(stat -c %s "$src")
ward_cmd alice "/upload $src bob@good.test"
check "OMEMO upload: the PUT is under way (200 kB sent)" \
    sent_at_least 2 200000
check "... from a hidden temporary file in the files directory" \
    eval "ls -A '$files' | grep -q '^\.ward-part-'"
sent_at_least 2 "$((size2 + 16))" 8
ward_cmd alice "/cancel 2"
T=$(tr_state 2 cancelled 10)
check "/cancel: cancelled" test -n "$T"
check "... the temporary file is gone" \
    test -z "$(ls -A "$files" 2>/dev/null)"
check "... the PUT was cut off" relay_closed 2
closed=$(grep '^CLOSED' "$RELAY_OUT" | sed -n 2p)
relayed=$(awk '{ print $2 }' <<< "$closed")
check "... by a reset" test "$(awk '{ print $3 }' <<< "$closed")" = reset
check "... mid-way ($relayed of $((size2 + 16)))" \
    test "${relayed:-0}" -gt 20000 -a "${relayed:-$size2}" -lt "$((size2 + 16))"
ward_cmd alice "/security"
ward_seen_n alice '"event":"security"' 2 5
sleep 1
check "... no link sent" test "$(ward_count alice '"event":"queued"')" -eq 0
check "... no offer at bob" test "$(ward_count bob '"event":"file-offer"')" -eq 0
check "... the server keeps no file" none_stored

# 3. /cancel of what is not running
ward_cmd alice "/cancel 2"
check "/cancel of an ended transfer: an error" \
    ward_seen alice '"code":"cancel","text":"no such transfer"' 5

# 4. an upload that is not cancelled still goes through the same relay
small=$WARD_TEST_DIR/small.txt
echo "a small file" > "$small"
ward_cmd alice "/upload $small carol@good.test"
T=$(tr_state 3 done 20)
check "an upload left alone: done" test -n "$T"
check "... and its link sent" ward_seen alice '"event":"queued"' 5

ward_stop alice
ward_stop bob
check "no sanitizer report (alice)" ward_sanitizer_clean alice
check "no sanitizer report (bob)" ward_sanitizer_clean bob
test_exit
