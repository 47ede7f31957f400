#!/bin/bash
# files_upload: /upload through the loopback Prosody's XEP-0363 service
# (mod_http_file_share over HTTPS with the test CA). To a plaintext chat:
# the link arrives with XEP-0066 out-of-band data and serves the file. To
# an OMEMO chat (ward to ward): the file is encrypted first (XEP-0454), the
# server stores only ciphertext under a random name, the aesgcm:// link goes
# inside the OMEMO message, the receiver's /download decrypts it to the
# original bytes, and the key reaches no ward.log. A file over the
# server's limit is refused before any byte is sent.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

f() { json_field "$1" "$2"; }
tr_end() {	# tr_end NAME DIRECTION ID: the transfer's last event
	local i line
	for i in $(seq 1 600); do
		line=$(grep -F '"event":"transfer"' "$(ward_dir "$1")/events.jsonl" |
		    grep -F "\"id\":$3,\"direction\":\"$2\"" |
		    grep -E '"state":"(done|failed|cancelled)"' | head -n 1)
		[ -n "$line" ] && { printf '%s\n' "$line"; return 0; }
		sleep 0.05
	done
	echo "tr_end: no end of $2 $3 on $1" >&2
	return 1
}
puts() { grep -c 'PUT /' "$PROSODY_LOG" 2>/dev/null || true; }

src=$WARD_TEST_DIR/holiday-photo.jpg
head -c 300000 /dev/urandom > "$src"
printf 'UNIQUE-PLAINTEXT-MARKER-%s\n' "$(date +%s%N)" >> "$src"
marker=$(tail -n 1 "$src")

ward_setup alice alice@good.test "$ALICE_PW"
ward_setup bob bob@good.test "$BOB_PW"
ward_start alice
ward_start bob
check "alice connected" ward_seen alice '"event":"connected"' 20
check "bob connected" ward_seen bob '"event":"connected"' 20
sleep 1	# device lists published

# 1. plaintext chat (carol, slixmpp): https link + OOB
ward_cmd alice "/omemo off carol@good.test"
ward_seen alice '"jid":"carol@good.test","encryption":"none"' 5
"$PEER" --jid carol@good.test --password "$CAROL_PW" --ca "$TEST_CA" \
    --host 127.0.0.1 --port "$C2S_PORT" --expect-from alice@good.test \
    --timeout 30 > "$WARD_TEST_DIR/carol.out" 2>&1 &
peer=$!
sleep 2
ward_cmd alice "/upload $src carol@good.test"
T=$(tr_end alice upload 1)
check "upload to a plaintext chat: done" test "$(f "$T" state)" = done
check "... the whole file sent" test "$(f "$T" bytes)" -eq "$(stat -c %s "$src")"
wait "$peer"
check "carol got a message" test $? -eq 0
url=$(grep -o '"body": *"[^"]*"' "$WARD_TEST_DIR/carol.out" | head -n 1 | sed 's/.*"\(https[^"]*\)"/\1/')
check "... whose body is an https link on the upload host" \
    grep -q "^https://upload.good.test:$HTTPS_PORT/" <<< "$url"
check "... with XEP-0066 out-of-band data" \
    grep -q "jabber:x:oob" <(grep 'RECV' "$PROSODY_LOG" | grep -F "$url" | head -n 1)
check "... and the link serves the file" cmp -s "$src" \
    <(curl -s --cacert "$TEST_CA" --resolve "upload.good.test:$HTTPS_PORT:127.0.0.1" "$url")

# 2. OMEMO chat (ward to ward): encrypted first (another file: the first
# one is on the server in plaintext, rightly)
src=$WARD_TEST_DIR/holiday-photo2.jpg
head -c 300000 /dev/urandom > "$src"
printf 'SECOND-PLAINTEXT-MARKER-%s\n' "$(date +%s%N)" >> "$src"
marker=$(tail -n 1 "$src")
ward_cmd alice "/upload $src bob@good.test"
T=$(tr_end alice upload 2)
check "upload to an OMEMO chat: done" test "$(f "$T" state)" = done
check "... the ciphertext is 16 bytes (the tag) longer" \
    test "$(f "$T" bytes)" -eq $(( $(stat -c %s "$src") + 16 ))
check "... the slot asked for a random name, not the file's" \
    test "$(grep -c 'holiday-photo' <(grep RECV "$PROSODY_LOG" | grep 'urn:xmpp:http:upload:0' | tail -n 1))" -eq 0
check "... the server stores no plaintext" \
    test -z "$(grep -rl "$marker" "$PROSODY_DIR/data" 2>/dev/null)"
offer=$(ward_wait bob '"event":"file-offer"' 20)
check "bob: an offer, encrypted" test "$(f "$offer" encrypted)" = True
check "... nothing downloaded by itself" test ! -e "$(ward_dir bob)/data/files"
msg=$(ward_wait bob '"body":"aesgcm://' 5)
check "... the aesgcm:// link came OMEMO-encrypted" test "$(f "$msg" encryption)" = omemo
ward_cmd bob "/download $(f "$offer" id)"
T=$(tr_end bob download 1)
check "bob's /download: done" test "$(f "$T" state)" = done
check "... decrypted to the original bytes" cmp -s "$src" "$(f "$T" path)"
key=$(f "$msg" body); key=${key##*#}
check "the key is in neither ward.log" \
    test "$(cat "$(ward_dir alice)/data/ward.log" "$(ward_dir bob)/data/ward.log" | grep -c "${key:30:30}")" -eq 0

# 3. over the server's limit (1 MiB here): refused before any byte
big=$WARD_TEST_DIR/big.bin
head -c 2000000 /dev/zero > "$big"
n=$(puts)
ward_cmd alice "/upload $big carol@good.test"
T=$(tr_end alice upload 3)
check "a file over the server's limit refused" test "$(f "$T" state)" = failed
check "... saying so" grep -q "server's limit" <<< "$(f "$T" why)"
check "... no slot asked, nothing sent" test "$(puts)" -eq "$n"

# 4. not a file
ward_cmd alice "/upload /nonexistent carol@good.test"
check "a missing file: an error" ward_seen alice '"code":"upload"' 5

ward_stop alice
ward_stop bob
check "no sanitizer report (alice)" ward_sanitizer_clean alice
check "no sanitizer report (bob)" ward_sanitizer_clean bob
test_exit
