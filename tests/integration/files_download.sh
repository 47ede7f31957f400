#!/bin/bash
# files_download: a link someone sends is an offer, never a fetch; /download
# fetches it under the transport rules (https only, also after a redirect;
# redirects to the same host only; the host's address from ward's validating
# resolver, a BOGUS one refused; TLS checked with the account's CA; a size
# cap; an interrupted or refused download leaves no file) into
# DATA_DIR/files (0700, files 0600) under a sanitised name; aesgcm:// files
# are decrypted and authenticated, and their key never reaches ward.log;
# the loop keeps answering during a slow transfer. The HTTPS server
# (tests/net/httpsfiles.py) logs every request it gets.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

root=$WARD_TEST_DIR/https-root
mkdir -p "$root"
[ "$(id -u)" -eq 0 ] && chown "$TEST_USER" "$root"
https_start() {	# https_start CERT KEY: the server on the next free port
	local port log
	port=$(_fake_free_port) || return 1
	log=$WARD_TEST_DIR/https-$port.log
	: > "$log"
	[ "$(id -u)" -eq 0 ] && chown "$TEST_USER" "$log"
	testnet_spawn "$WARD_TEST_DIR/https-$port.out" "$TESTNET_PYTHON" \
	    "$WARD_SRC/tests/net/httpsfiles.py" --port "$port" --cert "$1" \
	    --key "$2" --log "$log" --root "$root"
	for _ in $(seq 1 100); do
		grep -q '^LISTEN' "$log" 2>/dev/null && break
		sleep 0.05
	done
	HP=$port HLOG=$log
}
https_start "$SERVER_CERT" "$SERVER_KEY" || { echo "FAIL: https server"; exit 1; }
GOOD_PORT=$HP GOOD_LOG=$HLOG
https_start "$ROGUE_CERT" "$ROGUE_KEY" || { echo "FAIL: rogue https server"; exit 1; }
ROGUE_PORT=$HP ROGUE_LOG=$HLOG
H="https://xmpp.good.test:$GOOD_PORT"
requests() { grep -c -E '^(GET|PUT) ' "${1:-$GOOD_LOG}"; }

ward_setup alice alice@good.test "$ALICE_PW"
ward_start alice
check "alice connected" ward_seen alice '"event":"connected"' 20
# libcurl (and its 28 libraries) is loaded on the first link or transfer,
# never before (src/net/curl_lib.c)
check "libcurl is not in ward's memory before any link or transfer" \
    sh -c "! grep -q libcurl /proc/$(ward_pid alice)/maps"
files=$(ward_dir alice)/data/files
f() { json_field "$1" "$2"; }
tr_end() {	# tr_end ID: the transfer's done/failed/cancelled event
	local i line
	for i in $(seq 1 600); do
		line=$(grep -F '"event":"transfer"' "$(ward_dir alice)/events.jsonl" |
		    grep -F "\"id\":$1,\"direction\":\"download\"" |
		    grep -E '"state":"(done|failed|cancelled)"' | head -n 1)
		[ -n "$line" ] && { printf '%s\n' "$line"; return 0; }
		sleep 0.05
	done
	echo "tr_end: no end of transfer $1" >&2
	return 1
}
last_tr=0
dl() {	# dl ARGS: /download ARGS; sets T (the transfer's last event)
	last_tr=$((last_tr + 1))
	ward_cmd alice "/download $*"
	T=$(tr_end "$last_tr")
}
no_parts() { ! ls -A "$files" 2>/dev/null | grep -q '^\.ward-part'; }

# 1. a stranger's link: an offer, nothing fetched
"$PEER" --jid carol@good.test --password "$CAROL_PW" --ca "$TEST_CA" \
    --host 127.0.0.1 --port "$C2S_PORT" \
    --send alice@good.test "$H/gen/5000/report.pdf" --timeout 10 \
    > "$WARD_TEST_DIR/carol.out" 2>&1
offer=$(ward_wait alice '"event":"file-offer"' 10)
check "a stranger's link becomes a file-offer" test -n "$offer"
check "... named from the link" test "$(f "$offer" name)" = report.pdf
check "... from carol" test "$(f "$offer" peer)" = carol@good.test
sleep 1
check "... and the HTTP server got no request" test "$(requests)" -eq 0

# a public room's link, an XHTML-IM image, Bits of Binary, an avatar:
# nothing fetched from anyone unasked
ward_setup bob bob@good.test "$BOB_PW"
ward_start bob
check "bob connected" ward_seen bob '"event":"connected"' 20
ward_cmd alice "/join $LOBBY_ROOM"
ward_seen alice '"state":"joined"' 10
ward_cmd bob "/join $LOBBY_ROOM/bobby"
ward_seen bob '"state":"joined"' 10
ward_cmd bob "/msg $LOBBY_ROOM $H/gen/10/room-file.zip"
check "a public room's link is an offer too" ward_seen alice '"name":"room-file.zip"' 15
"$PEER" --jid carol@good.test --password "$CAROL_PW" --ca "$TEST_CA" \
    --host 127.0.0.1 --port "$C2S_PORT" --send-raw \
    "<message to='alice@good.test' type='chat' id='x1'><body>look</body><html xmlns='http://jabber.org/protocol/xhtml-im'><body xmlns='http://www.w3.org/1999/xhtml'><img src='$H/gen/10/xhtml.png'/><img src='cid:sha1+8f35fef110ffc5df08d579a50083ff9308fb6242@bob.xmpp.org'/></body></html><x xmlns='jabber:x:oob'><url>http://xmpp.good.test:$GOOD_PORT/gen/10/oob-http</url></x></message>" \
    --send-raw "<presence to='alice@good.test'><x xmlns='vcard-temp:x:update'><photo>01b87fcd030b72895ff8e88db57ec525450f000d</photo></x></presence>" \
    --timeout 5 > "$WARD_TEST_DIR/carol2.out" 2>&1
check "carol's XHTML message arrived" ward_seen alice '"body":"look"' 10
sleep 1
check "... no request for the room's link, the XHTML image or anything" test "$(requests)" -eq 0
check "... and an http:// OOB link is not even an offer" test "$(ward_count alice 'oob-http')" -eq 0

# 2. /download ID: fetched into DATA_DIR/files, 0700 / 0600
dl "$(f "$offer" id)"
check "/download ID: done" test "$(f "$T" state)" = done
check "... libcurl was loaded for it" grep -q libcurl "/proc/$(ward_pid alice)/maps"
check "... the DNSSEC state is reported (secure)" test "$(f "$T" dnssec)" = secure
check "... the file is where the event says" test "$(f "$T" path)" = "$files/report.pdf"
check "... with the server's bytes" cmp -s "$files/report.pdf" \
    <("$TESTNET_PYTHON" -c 'import sys; sys.stdout.buffer.write((bytes(range(256))*256)[:5000])')
check "... files/ is 0700" test "$(stat -c %a "$files")" = 700
check "... the file is 0600" test "$(stat -c %a "$files/report.pdf")" = 600
check "... one request" test "$(requests)" -eq 1

# 3. a name taken: numbered, never replaced
dl "$H/gen/10/report.pdf"
check "same name again: numbered" test "$(f "$T" path)" = "$files/report (2).pdf"
check "... the first file untouched" test "$(stat -c %s "$files/report.pdf")" -eq 5000

# 4. transport rules: each refused before any byte is fetched
n=$(requests)
dl "http://xmpp.good.test:$GOOD_PORT/gen/10/plain.bin"
check "http:// refused" test "$(f "$T" state)" = failed
check "... saying only https is fetched" grep -q 'only https' <<< "$(f "$T" why)"
dl "ftp://xmpp.good.test/x"
check "ftp:// refused" test "$(f "$T" state)" = failed
check "... nothing requested" test "$(requests)" -eq "$n"
dl "$H/redir?to=http://xmpp.good.test:$GOOD_PORT/gen/10/x.bin"
check "a redirect to http:// refused" test "$(f "$T" state)" = failed
check "... saying so" grep -q 'not https' <<< "$(f "$T" why)"
dl "$H/redir?to=https://xmpp.unsigned.test:$GOOD_PORT/gen/10/y.bin"
check "a redirect to another host refused" test "$(f "$T" state)" = failed
check "... saying so" grep -q 'another host' <<< "$(f "$T" why)"
check "... only the two redirects were requested" test "$(requests)" -eq $((n + 2))
check "... the other host never asked for" test "$(grep -c ' xmpp\.unsigned\.test' "$GOOD_LOG")" -eq 0
dl "$H/redir?to=$H/gen/100/moved.bin"
check "a redirect to the same host followed" test "$(f "$T" state)" = done
check "... the file is there, named from the link" test "$(stat -c %s "$files/redir")" -eq 100
n=$(requests)
dl "https://xmpp.bogus.test:$GOOD_PORT/gen/10/b.bin"
check "a BOGUS host refused" test "$(f "$T" state)" = failed
check "... saying DNSSEC failed" grep -q 'DNSSEC' <<< "$(f "$T" why)"
check "... nothing requested" test "$(requests)" -eq "$n"
dl "https://xmpp.good.test:$ROGUE_PORT/gen/10/rogue.bin"
check "a certificate from another CA refused" test "$(f "$T" state)" = failed
check "... saying so" grep -q 'certificate' <<< "$(f "$T" why)"
check "... no body requested from it" test "$(requests "$ROGUE_LOG")" -eq 0

# 5. size cap and interrupted downloads: no file under any name
dl "$H/gen/104858000/big.bin"
check "over the cap (Content-Length) refused" test "$(f "$T" state)" = failed
check "... saying so" grep -q 'size limit' <<< "$(f "$T" why)"
dl "$H/chunked/104858000/big2.bin"
check "over the cap (chunked) refused" test "$(f "$T" state)" = failed
check "... saying so" grep -q 'size limit' <<< "$(f "$T" why)"
dl "$H/cut/100000/cut.bin"
check "a cut transfer fails" test "$(f "$T" state)" = failed
check "... and leaves no file" test ! -e "$files/cut.bin" -a ! -e "$files/big.bin" -a ! -e "$files/big2.bin"
check "... nor a partial one" no_parts

# 6. names from the network are made safe
dl "$H/gen/10/..%2F..%2Fescape"
check "../../ in a name stays in files/" test "$(f "$T" path)" = "$files/_.._escape"
check "... nothing outside" test ! -e "$(ward_dir alice)/escape" -a ! -e "$(ward_dir alice)/data/escape"
dl "$H/gen/10/a%E2%80%AEfdp.exe%1B%5B31m%00"
check "bidi, ESC and NUL in a name: replaced" test "$(f "$T" path)" = "$files/a_fdp.exe_[31m_"
dl "$H/gen/10/.hidden"
check "a leading dot dropped" test "$(f "$T" path)" = "$files/hidden"

# 7. aesgcm:// (XEP-0454): decrypted and authenticated, key never logged
key=$("$TESTNET_PYTHON" - "$root" <<'PY'
import os, sys
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
iv, key = os.urandom(12), os.urandom(32)
plain = b'secret file contents\n' * 100
ct = AESGCM(key).encrypt(iv, plain, None)
open(os.path.join(sys.argv[1], 'enc.bin'), 'wb').write(ct)
bad = bytearray(ct); bad[5] ^= 1
open(os.path.join(sys.argv[1], 'bad.bin'), 'wb').write(bytes(bad))
open(os.path.join(sys.argv[1], 'plain.txt'), 'wb').write(plain)
print((iv + key).hex())
PY
)
dl "aesgcm://xmpp.good.test:$GOOD_PORT/file/enc.bin#$key"
check "aesgcm:// decrypted" test "$(f "$T" state)" = done
check "... to the original bytes" cmp -s "$files/enc.bin" "$root/plain.txt"
dl "aesgcm://xmpp.good.test:$GOOD_PORT/file/bad.bin#$key"
check "an altered aesgcm:// file refused" test "$(f "$T" state)" = failed
check "... no file left" test ! -e "$files/bad.bin"
check "... nor a partial one" no_parts
check "the key is not in ward.log" test "$(grep -c "${key:24:40}" "$(ward_dir alice)/data/ward.log" 2>/dev/null)" -eq 0

# 8. the loop answers during a slow transfer; /cancel leaves nothing
ward_cmd alice "/download $H/slow/40000/slow.bin"
last_tr=$((last_tr + 1))
ward_wait alice "\"id\":$last_tr,\"direction\":\"download\",\"state\":\"started\"" 10 > /dev/null
sleep 0.5
ward_cmd alice "/security"
check "/security answered during a slow download" ward_seen alice '"event":"security"' 3
check "... while it still runs" test "$(ward_count alice "\"id\":$last_tr,\"direction\":\"download\",\"state\":\"done\"")" -eq 0
ward_cmd alice "/cancel $last_tr"
T=$(tr_end "$last_tr")
check "/cancel stops it" test "$(f "$T" state)" = cancelled
check "... no file" test ! -e "$files/slow.bin"
check "... nor a partial one" no_parts

ward_stop alice
ward_stop bob
check "no sanitizer report" ward_sanitizer_clean alice
test_exit
