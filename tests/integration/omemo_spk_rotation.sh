#!/bin/bash
# omemo_spk_rotation: ward replaces its OMEMO signed prekey once it is 7
# days old and publishes the new one; a message a contact built on the old
# bundle while ward was away still opens; a new contact uses the new key;
# the replaced key is deleted once its successor is 30 days old; nothing
# changes when nothing is due. Time passes by rewriting the creation time
# inside the stored signed-prekey records (fixed64 field 5 of libsignal's
# SignedPreKeyRecordStructure) while ward is stopped. The contacts are
# python-omemo devices, and the published bundle is read from the server.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
. "$(dirname "$0")/../net/omemopeer.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

DB="$(ward_dir alice)/data/ward.db"

# spk_ids: alice's signed-prekey ids in the database, "1,2"
spk_ids() {
	/usr/bin/python3 -c 'import sqlite3,sys
c = sqlite3.connect(sys.argv[1])
print(",".join(str(r[0]) for r in c.execute(
    "SELECT id FROM omemo_signed_prekey WHERE account = ? ORDER BY id", ("alice",))))' "$DB"
}

# spk_age ID DAYS: signed prekey ID was made DAYS days ago
spk_age() {
	/usr/bin/python3 - "$DB" "$1" "$2" <<'EOF'
import sqlite3, struct, sys, time

def varint(b, i):
    n = shift = 0
    while True:
        c = b[i]; i += 1
        n |= (c & 0x7f) << shift; shift += 7
        if not c & 0x80:
            return n, i

def set_made(rec, ms):
    i = 0
    while i < len(rec):
        key, j = varint(rec, i)
        field, wire = key >> 3, key & 7
        if field == 5 and wire == 1:  # fixed64 timestamp
            return rec[:j] + struct.pack('<Q', ms) + rec[j + 8:]
        if wire == 0:
            _, j = varint(rec, j)
        elif wire == 1:
            j += 8
        elif wire == 2:
            n, j = varint(rec, j); j += n
        elif wire == 5:
            j += 4
        else:
            sys.exit('unexpected wire type %d' % wire)
        i = j
    sys.exit('no timestamp in the record')

db, spk, days = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
c = sqlite3.connect(db)
row = c.execute("SELECT record FROM omemo_signed_prekey WHERE account = 'alice' AND id = ?",
                (spk,)).fetchone()
if row is None:
    sys.exit('no signed prekey %d' % spk)
ms = int((time.time() - days * 86400) * 1000)
c.execute("UPDATE omemo_signed_prekey SET record = ? WHERE account = 'alice' AND id = ?",
          (set_made(bytes(row[0]), ms), spk))
c.commit()
EOF
}

# bundle_of PEER N: the N-th `bundle` event of PEER after asking for one
bundle_of() {
	omemo_peer_cmd "$1" "bundle alice@good.test $a_dev"
	for _ in $(seq 1 250); do
		[ "$(omemo_peer_count "$1" '"event":"bundle"')" -ge "$2" ] && break
		sleep 0.02
	done
	grep -F '"event":"bundle"' "$(omemo_peer_dir "$1")/events.jsonl" | sed -n "$2p"
}

made_log() { grep -c -F "OMEMO signed prekey" "$(ward_dir alice)/data/ward.log"; }

ward_setup alice alice@good.test "$ALICE_PW"
ward_start alice
omemo_peer_start bob bob@good.test "$BOB_PW"
check "alice connected" ward_seen alice '"event":"connected"' 20
omemo_peer_online bob > /dev/null
ward_cmd alice "/omemo fingerprints"
a_dev=$(json_field "$(ward_wait alice '"own":true' 10)" device)
check "ward has a device id" test -n "$a_dev"
b1=$(bundle_of bob 1)
check "the first bundle carries signed prekey 1" \
	test "$(omemo_peer_field "$b1" signed_prekey_id)" = 1
check "... with prekeys" test "$(omemo_peer_field "$b1" prekeys)" -ge 20
check "a fresh account is not rotated" test "$(made_log)" = 0
ward_stop alice

# while ward is away bob starts a session from the bundle with key 1
omemo_peer_cmd bob "send alice@good.test built on the first signed prekey"
check "bob sends a key exchange on the old bundle" omemo_peer_seen bob '"prekey":true' 15

# a week and a day later
spk_age 1 8
ward_start alice
check "alice connected again" ward_seen alice '"event":"connected"' 20
check "ward made signed prekey 2" \
	timeout 10 sh -c "until grep -q -F 'OMEMO signed prekey 2 made, 0 old deleted' '$(ward_dir alice)/data/ward.log'; do sleep 0.05; done"
check "bob's message on the replaced key still opens" \
	ward_seen alice '"body":"built on the first signed prekey"' 15
check "both keys are kept" test "$(spk_ids)" = "1,2"
b2=$(bundle_of bob 2)
check "the published bundle carries signed prekey 2" \
	test "$(omemo_peer_field "$b2" signed_prekey_id)" = 2
check "... which is a new key" \
	test "$(omemo_peer_field "$b2" signed_prekey)" != "$(omemo_peer_field "$b1" signed_prekey)"

# a new contact builds its session on key 2
omemo_peer_start carol carol@good.test "$CAROL_PW"
omemo_peer_online carol > /dev/null
omemo_peer_cmd carol "send alice@good.test built on the second signed prekey"
check "carol's first message opens" \
	ward_seen alice '"body":"built on the second signed prekey"' 15
ward_stop alice

# 40 days on: key 2 is due, and key 1's successor is past the 30-day keep
spk_age 1 47
spk_age 2 40
ward_start alice
check "alice connected a third time" ward_seen_n alice '"event":"connected"' 3 20
check "ward made key 3 and deleted key 1" \
	timeout 10 sh -c "until grep -q -F 'OMEMO signed prekey 3 made, 1 old deleted' '$(ward_dir alice)/data/ward.log'; do sleep 0.05; done"
check "keys 2 and 3 are left" test "$(spk_ids)" = "2,3"
b3=$(bundle_of bob 3)
check "the published bundle carries signed prekey 3" \
	test "$(omemo_peer_field "$b3" signed_prekey_id)" = 3
ward_cmd alice "/msg carol@good.test after the rotations"
check "the sessions go on" omemo_peer_seen carol '"body":"after the rotations"' 15
ward_stop alice

# nothing due: nothing made, nothing deleted
n=$(made_log)
ward_start alice
check "alice connected a fourth time" ward_seen_n alice '"event":"connected"' 4 20
b4=$(bundle_of bob 4)
check "the bundle still carries signed prekey 3" \
	test "$(omemo_peer_field "$b4" signed_prekey_id)" = 3
check "no key made or deleted" test "$(made_log)" = "$n" -a "$(spk_ids)" = "2,3"
ward_stop alice
check "ward exits clean under the sanitizers" ward_sanitizer_clean alice
omemo_peer_stop bob
omemo_peer_stop carol
test_exit
