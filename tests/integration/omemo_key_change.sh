#!/bin/bash
# omemo_key_change: a contact's device that comes back with the same id but
# another identity key (a reinstall that kept its id, or a key swapped by
# a hostile server) gets nothing from ward and its messages are refused,
# until the user says /omemo accept-key JID DEVICE; then its new key is
# used, both ways. The peer is a python-omemo device whose store is wiped
# but for its device id.
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
b=$(omemo_peer_online bob)
b_dev=$(omemo_peer_field "$b" device)
b_fp=$(omemo_peer_field "$b" fingerprint)

ward_cmd alice "/msg bob@good.test before the new key"
check "bob gets the first message" omemo_peer_seen bob '"body":"before the new key"' 15

# bob's device comes back with the same id and a new identity key: a
# fresh python-omemo device (new key, prekeys, another id) is made, and its
# store is then given bob's old device id
omemo_peer_stop bob
omemo_peer_start fresh bob@good.test "$BOB_PW"
f=$(omemo_peer_online fresh)
f_dev=$(omemo_peer_field "$f" device)
new_fp=$(omemo_peer_field "$f" fingerprint)
omemo_peer_stop fresh
"$TESTNET_PYTHON" -c '
import json, sys
src, dst, old, new = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
d = json.load(open(src))
out = {}
for k, v in d.items():
    if "/" + new + "/" in k:
        continue  # what the fresh device knew of the old one
    k = k.replace("/" + old + "/", "/" + new + "/")
    if k == "/own_device_id":
        v = int(new)
    elif k.endswith("/list") or k.endswith("/device_ids"):
        v = json.loads(json.dumps(v).replace(old, new))
    out[k] = v
json.dump(out, open(dst, "w"))
' "$(omemo_peer_dir fresh)/store/omemo.json" "$(omemo_peer_dir bob)/store/omemo.json" "$f_dev" "$b_dev"
omemo_peer_start bob bob@good.test "$BOB_PW"
b2=$(omemo_peer_online bob)
check "bob's device kept its id" test "$(omemo_peer_field "$b2" device)" = "$b_dev"
check "... with another identity key" \
	test "$(omemo_peer_field "$b2" fingerprint)" = "$new_fp" -a "$new_fp" != "$b_fp"

omemo_peer_cmd bob "send alice@good.test under the new key"
check "ward refuses a message under the new key: omemo-decrypt" \
	ward_seen alice '"code":"omemo-decrypt"' 15
check "... and shows nothing of it" \
	test "$(ward_count alice 'under the new key')" -eq 0

ward_cmd alice "/omemo accept-key bob@good.test 12345"
check "accept-key for a device ward does not know: refused" \
	ward_seen alice '"code":"omemo-fingerprint"' 5
ward_cmd alice "/omemo accept-key bob@good.test x$b_dev"
check "accept-key with no device id: usage" ward_seen alice '"code":"command"' 5

ward_cmd alice "/omemo accept-key bob@good.test $b_dev"
check "the new key accepted" ward_seen alice 'the key it shows now will be used' 5
ward_cmd alice "/msg bob@good.test after accepting"
check "bob reads ward's message under his new key" \
	omemo_peer_seen bob '"body":"after accepting"' 15
omemo_peer_cmd bob "send alice@good.test answer under the new key"
line=$(ward_wait alice '"body":"answer under the new key"' 15)
check "ward reads bob's answer under the new key" test -n "$line"
check "... as OMEMO" test "$(json_field "$line" encryption)" = omemo
ward_cmd alice "/omemo fingerprints bob@good.test"
check "ward now knows bob's device by its new fingerprint" \
	ward_seen alice "\"device\":$b_dev,\"fingerprint\":\"$new_fp\"" 5

omemo_peer_stop bob
ward_stop alice
check "no sanitizer report" ward_sanitizer_clean alice
test_exit
