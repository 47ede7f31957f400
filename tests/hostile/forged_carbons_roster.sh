#!/bin/bash
# forged_carbons_roster: carbons (XEP-0280) are believed only from the
# account's own bare JID and roster pushes only from the account itself
# (CVE-2017-5589 family). A contact sends both, wrapped to look like they
# come from someone else; ward drops them, logs why, and changes nothing.
# A genuine carbon from alice's other session still shows up.
# Then a misbehaving server (fakeserver.py forged-carbons) sends carbons
# from the account itself whose inner message is not ours: a <sent/> from
# a stranger and a <received/> between two other people. ward drops and
# logs both (XEP-0280 section 11); genuine ones from the same server show.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

# the forged stanzas below are addressed to this full JID (the default
# resource is random per login)
ward_setup alice alice@good.test "$ALICE_PW" "resource = ward"
ward_start alice
check "connected" ward_seen alice '"event":"connected"' 20
check "roster fetched" ward_seen alice 'roster received' 20

carbon="<message to='alice@good.test/ward' type='chat'><received xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' from='bob@good.test/evil' to='alice@good.test/ward' type='chat'><body>FORGED-CARBON</body></message></forwarded></received></message>"
sent_carbon="<message to='alice@good.test/ward' type='chat'><sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' from='alice@good.test/other' to='bob@good.test' type='chat'><body>FORGED-SENT</body></message></forwarded></sent></message>"
push="<iq type='set' id='evilpush' to='alice@good.test/ward'><query xmlns='jabber:iq:roster'><item jid='mallory@evil.test' subscription='both' name='mallory'/></query></iq>"
"$PEER" --jid carol@good.test --password "$CAROL_PW" --ca "$TEST_CA" \
    --host 127.0.0.1 --port "$C2S_PORT" \
    --send-raw "$carbon" --send-raw "$sent_carbon" --send-raw "$push" \
    --send alice@good.test "marker after the forgeries" --timeout 15 \
    > "$WARD_TEST_DIR/carol.out" 2>&1
check "marker arrived (the forgeries were processed before it)" \
    ward_seen alice 'marker after the forgeries' 15
check "forged received-carbon not shown" test "$(ward_count alice FORGED-CARBON)" -eq 0
check "forged sent-carbon not shown" test "$(ward_count alice FORGED-SENT)" -eq 0
check "forged roster push not applied" test "$(ward_count alice mallory@evil.test)" -eq 0
log=$(ward_dir alice)/data/ward.log
check "dropped carbons are logged" test "$(grep -c 'carbon from carol@good.test/.* dropped' "$log")" -eq 2
check "dropped roster push is logged" grep -q 'roster push from carol@good.test/.* dropped' "$log"
check "nothing forged reached the history" test "$(/usr/bin/python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from history where body like \"FORGED%\"").fetchone()[0])' "$log/../ward.db")" -eq 0

# a genuine carbon: alice's second session (slixmpp) writes to bob
"$PEER" --jid alice@good.test/other --password "$ALICE_PW" --ca "$TEST_CA" \
    --host 127.0.0.1 --port "$C2S_PORT" --send bob@good.test "GENUINE-SENT-CARBON" \
    --timeout 15 > "$WARD_TEST_DIR/alice2.out" 2>&1
line=$(ward_wait alice GENUINE-SENT-CARBON 10)
check "genuine sent carbon shown" test -n "$line"
check "marked as sent from another session" test "$(json_field "$line" outgoing)" = True
ward_stop alice
check "no sanitizer report" ward_sanitizer_clean alice

fake_start forged-carbons --cert "$SERVER_CERT" --key "$SERVER_KEY" --password "$ALICE_PW"
ward_setup fake alice@good.test "$ALICE_PW" "server = 127.0.0.1" "port = $FAKE_PORT"
ward_start fake
check "fake: connected" ward_seen fake '"event":"connected"' 20
check "fake: marker after the carbons" ward_seen fake 'after the carbons' 15
check "fake: the server sent them" grep -q 'SENT forged-carbons' "$FAKE_LOG"
check "sent carbon of a stranger's message not shown" \
    test "$(ward_count fake FORGED-SENT-BY-STRANGER)" -eq 0
check "received carbon of a message to someone else not shown" \
    test "$(ward_count fake FORGED-RECEIVED-BY-OTHER)" -eq 0
flog=$(ward_dir fake)/data/ward.log
check "sent carbon logged as dropped" \
    grep -q 'sent carbon of a message from mallory@evil.test/x dropped (not our account)' "$flog"
check "received carbon logged as dropped" \
    grep -q 'received carbon of a message to carol@good.test/y dropped (not our account)' "$flog"
line=$(ward_wait fake GENUINE-SENT 5)
check "genuine sent carbon from the same server shown, as outgoing" \
    test "$(json_field "$line" outgoing)" = True
check "genuine received carbon shown" ward_seen fake GENUINE-RECEIVED 5
check "fake: nothing forged stored" test "$(/usr/bin/python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from history where body like \"FORGED%\"").fetchone()[0])' "$(ward_dir fake)/data/ward.db")" -eq 0
ward_stop fake
check "fake: no sanitizer report" ward_sanitizer_clean fake
test_exit
