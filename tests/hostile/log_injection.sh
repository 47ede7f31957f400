#!/bin/bash
# log_injection: ward.log stays one line per entry whatever remote text an
# entry quotes. A fake server (fakeserver.py log-injection) makes ward drop
# and log stanzas from JIDs holding LF, CR, TAB, C1 (U+0085, U+009B), bidi
# (U+202E, U+2028) and zero-width (U+200B) characters, a body holding them,
# and ends the stream with an error text holding them (TAB shows as a
# space, as on the terminal). Every line of
# ward.log must start like an entry ward wrote, and no such byte may be in
# the file; the characters show escaped (^J, <U+202E>, ...).
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

fake_start log-injection --cert "$SERVER_CERT" --key "$SERVER_KEY" --password "$ALICE_PW" --after presence
ward_setup alice alice@good.test "$ALICE_PW" "server = 127.0.0.1" "port = $FAKE_PORT"
ward_start alice
check "connected" ward_seen alice '"event":"connected"' 20
check "marker after the injections" ward_seen alice 'after the log injections' 15
check "the server sent them" grep -q 'SENT log-injection' "$FAKE_LOG"
log=$(ward_dir alice)/data/ward.log
for _ in $(seq 1 50); do	# the stream error ends the session
	grep -q 'stream error: conflict' "$log" && break
	sleep 0.1
done
ward_stop alice

logcheck() {
	/usr/bin/python3 - "$log" "$1" <<'PY'
import re, sys
data = open(sys.argv[1], 'rb').read()
what = sys.argv[2]
lines = data.split(b'\n')
if what == 'entries':
    # every line (the last is empty: the file ends with '\n') is an entry
    entry = re.compile(rb'^\d+\.\d{3} (debug|info|warn|error) [a-z_0-9]+: ')
    bad = [l for l in lines[:-1] if not entry.match(l)]
    sys.exit(1 if bad or lines[-1] != b'' else 0)
if what == 'bytes':
    text = data.decode('utf-8')
    bad = [c for c in text if (ord(c) < 0x20 and c != '\n') or 0x7f <= ord(c) <= 0x9f
           or c in '\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e'
                   '\u2066\u2067\u2068\u2069\u200b\u200c\u200d\u2060\ufeff']
    sys.exit(1 if bad else 0)
if what == 'injected':
    # the fake entry text is inside a real entry, never at a line start
    sys.exit(1 if any(l.startswith(b'1700000000.000') for l in lines) else 0)
PY
}
check "the quoting entries were written" test "$(grep -c INJECTED-LF "$log")" -ge 3
check "every line of ward.log is one entry" logcheck entries
check "no CR, C0, C1, bidi or zero-width byte in ward.log" logcheck bytes
check "the injected entry text never starts a line" logcheck injected
check "the dropped carbon's JID is quoted, escaped" \
    grep -qF 'carbon from mallory@evil.test/x^J1700000000.000 warn fake: INJECTED-LF^MINJECTED-CR <U+0085>NEL' "$log"
check "bidi, line separator, C1 CSI and zero-width shown as code points" \
    grep -qF '<U+009B>2J<U+202E>RLO<U+2028>LS<U+200B>ZW' "$log"
check "the roster push's JID is quoted, escaped" grep -qF 'roster push from bob@good.test/^J1700000000' "$log"
check "the sent carbon of a stranger is quoted, escaped" grep -qF 'sent carbon of a message from mallory@evil.test/^J' "$log"
check "no sanitizer report" ward_sanitizer_clean alice
test_exit
