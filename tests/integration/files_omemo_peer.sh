#!/bin/bash
# files_omemo_peer: OMEMO media sharing (XEP-0454) between ward and an
# implementation that is not ward's: the python OMEMO peer (python-omemo +
# oldmemo) receives ward's /upload as an OMEMO message whose aesgcm:// link,
# fetched from Prosody's upload service and decrypted with python's
# cryptography AES-GCM, gives back the original bytes; and a file the
# python side encrypted, sent as an aesgcm:// link in an OMEMO message,
# becomes an encrypted offer in ward that /download decrypts.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
. "$(dirname "$0")/../net/omemopeer.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

ward_setup alice alice@good.test "$ALICE_PW"
ward_start alice
omemo_peer_start bob bob@good.test "$BOB_PW"
check "alice connected" ward_seen alice '"event":"connected"' 20
check "bob (python-omemo) online" test -n "$(omemo_peer_online bob)"

# ---- ward -> python ------------------------------------------------------
src=$WARD_TEST_DIR/scan.pdf
head -c 150000 /dev/urandom > "$src"
ward_cmd alice "/upload $src bob@good.test"
line=$(omemo_peer_wait bob '"body":"aesgcm://' 30)
check "the python peer got an aesgcm:// link" test -n "$line"
check "... inside an OMEMO message" test "$(omemo_peer_field "$line" encrypted)" = true
link=$(omemo_peer_field "$line" body)
out=$WARD_TEST_DIR/from-ward.bin
"$TESTNET_PYTHON" - "$link" "$TEST_CA" "$HTTPS_PORT" "$out" <<'PY'
import ssl, sys, urllib.request
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
link, ca, port, out = sys.argv[1:5]
rest, frag = link[len('aesgcm://'):].split('#', 1)
raw = bytes.fromhex(frag)
iv, key = raw[:-32], raw[-32:]
host = rest.split('/', 1)[0].split(':')[0]
ctx = ssl.create_default_context(cafile=ca)
# the upload host resolves to 127.0.0.1 in the test zone; connect there
url = 'https://' + rest
req = urllib.request.Request(url.replace(host, '127.0.0.1', 1), headers={'Host': host + ':' + port})
ctx.check_hostname = False   # connecting by address; the CA is still checked
data = urllib.request.urlopen(req, context=ctx).read()
open(out, 'wb').write(AESGCM(key).decrypt(iv, data, None))
PY
check "python fetched and decrypted ward's file to the original" cmp -s "$src" "$out"

# ---- python -> ward ------------------------------------------------------
root=$WARD_TEST_DIR/https-root
mkdir -p "$root"
[ "$(id -u)" -eq 0 ] && chown "$TEST_USER" "$root"
hp=$(_fake_free_port)
hlog=$WARD_TEST_DIR/https.log
: > "$hlog"; [ "$(id -u)" -eq 0 ] && chown "$TEST_USER" "$hlog"
testnet_spawn "$WARD_TEST_DIR/https.out" "$TESTNET_PYTHON" \
    "$WARD_SRC/tests/net/httpsfiles.py" --port "$hp" --cert "$SERVER_CERT" \
    --key "$SERVER_KEY" --log "$hlog" --root "$root"
for _ in $(seq 1 100); do grep -q '^LISTEN' "$hlog" && break; sleep 0.05; done
key=$("$TESTNET_PYTHON" - "$root" <<'PY'
import os, sys
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
iv, key = os.urandom(12), os.urandom(32)
plain = os.urandom(70000)
open(os.path.join(sys.argv[1], 'plain.bin'), 'wb').write(plain)
open(os.path.join(sys.argv[1], 'photo.jpg'), 'wb').write(AESGCM(key).encrypt(iv, plain, None))
print((iv + key).hex())
PY
)
omemo_peer_cmd bob "send alice@good.test aesgcm://xmpp.good.test:$hp/file/photo.jpg#$key"
offer=$(ward_wait alice '"event":"file-offer"' 30)
check "ward: the python peer's link is an encrypted offer" test "$(json_field "$offer" encrypted)" = True
check "... named from the link" test "$(json_field "$offer" name)" = photo.jpg
sleep 1
check "... nothing fetched yet" test "$(grep -c '^GET' "$hlog")" -eq 0
ward_cmd alice "/download $(json_field "$offer" id)"
T=$(ward_wait alice '"direction":"download","state":"done"' 30)
check "ward's /download: done" test -n "$T"
check "... decrypted to the python side's bytes" cmp -s "$root/plain.bin" "$(json_field "$T" path)"

ward_stop alice
check "no sanitizer report" ward_sanitizer_clean alice
test_exit
