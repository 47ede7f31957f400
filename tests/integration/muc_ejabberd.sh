#!/bin/bash
# muc_ejabberd: the room use cases against ejabberd 23.01 (Debian; TLS 1.2,
# where it binds with tls-unique) with slixmpp peers: carol is alice's
# contact, dave a stranger. /room create makes a reserved room and
# presents its form, the form is changed and submitted and carol's
# disco#info shows the new name; /invite sends carol a direct invitation
# and dave one through the room; carol's mediated invitation to her room
# is declined (the decline reaches her), her direct one accepted (joined);
# a stranger's is marked so; a password set through the form keeps out a
# second ward without it or with a wrong one, lets it in with the right one;
# /room destroy ends the room.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
. "$(dirname "$0")/../net/ejabberd.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap 'st=$?; ejabberd_stop; (exit $st); testnet_down' EXIT

ejabberd_start 1.2 || { fail "ejabberd 23.01 did not start"; test_exit; }
check "carol registered" ejabberd_user carol "$CAROL_PW"
check "dave registered" ejabberd_user dave "$DAVE_PW"
check "alice and carol are contacts" ejabberd_contacts alice carol
MUC=conference.good.test
MUCNS=http://jabber.org/protocol/muc
T=$WARD_TEST_DIR
EV=$(ward_dir alice)/events.jsonl

PEER_PORT=$EJ_PORT	# peer_as (testnet.sh) logs in to ejabberd
peer() { peer_as "$@"; }	# tests/net/testnet.sh
disco() { peer carol --disco-info "$1" --timeout 15 2>/dev/null | grep '"disco"'; }
field() { grep -F '"event":"room-config"' "$EV" | grep -F "\"room\":\"$1\"" | grep -F "\"var\":\"$2\"" | tail -n 1; }
prompt_for() { grep -F '"kind":"muc-invite"' "$EV" | grep -F "\"room\":\"$1\"" | tail -n 1; }
wait_prompt() {
	local i
	for i in $(seq 1 600); do [ -n "$(prompt_for "$1")" ] && return 0; sleep 0.05; done
	return 1
}

ward_setup alice alice@good.test "$ALICE_PW" "server = 127.0.0.1" "port = $EJ_PORT" "tls_min = 1.2"
ward_start alice
check "alice connected to ejabberd" ward_seen alice '"event":"connected"' 30

# --- create with the form --------------------------------------------------
TEAM=team@$MUC
ward_cmd alice "/room create $TEAM"
check "created (status 201)" ward_seen alice "\"room\":\"$TEAM\",\"nick\":\"alice\",\"state\":\"created\"" 15
check "... its form presented" ward_seen alice '"room":"'"$TEAM"'","state":"end"' 10
line=$(field "$TEAM" muc#roomconfig_roomname)
check "the form has the room name field" test "$(json_field "$line" type)" = text-single
ward_cmd alice "/room set $TEAM muc#roomconfig_roomname Team Room"
ward_cmd alice "/room set $TEAM muc#roomconfig_persistentroom 1"
for i in $(seq 1 50); do [ "$(json_field "$(field "$TEAM" muc#roomconfig_roomname)" value)" = "Team Room" ] && break; sleep 0.1; done
ward_cmd alice "/room submit $TEAM"
check "submitted: saved" ward_seen alice '"room":"'"$TEAM"'","state":"saved"' 10
d=$(disco "$TEAM")
check "carol's disco#info: the new name" bash -c "printf '%s' '$d' | grep -q \"name=..Team Room\""
check "... persistent" bash -c "printf '%s' '$d' | grep -q 'var=..muc_persistent'"
ward_cmd alice "/room config $TEAM"
check "the form read back" ward_seen_n alice '"room":"'"$TEAM"'","state":"end"' 2 10
check "... with the new name" test "$(json_field "$(field "$TEAM" muc#roomconfig_roomname)" value)" = "Team Room"
ward_cmd alice "/room cancel $TEAM"
check "cancelled" ward_seen alice '"state":"cancelled"' 5

# --- outgoing invitations -------------------------------------------------
rm -f "$T/carol.ready" "$T/dave.ready"
peer carol --ready-file "$T/carol.ready" --expect-xml "jabber:x:conference" \
    --timeout 20 > "$T/carol1.out" 2>&1 &
p1=$!
peer dave --ready-file "$T/dave.ready" --expect-xml "<invite" \
    --timeout 20 > "$T/dave1.out" 2>&1 &
p2=$!
for i in $(seq 1 150); do [ -e "$T/carol.ready" ] && [ -e "$T/dave.ready" ] && break; sleep 0.1; done
ward_cmd alice "/invite $TEAM carol@good.test join us"
ward_cmd alice "/invite $TEAM dave@good.test hello"
wait "$p1"
check "carol (a contact) got a direct invitation" test $? -eq 0
check "... from alice herself, not through the room" grep -q '"from": "alice@good.test/' "$T/carol1.out"
check "... to the team room" grep -q "jid=..$TEAM" "$T/carol1.out"
wait "$p2"
check "dave (a stranger) got one through the room" test $? -eq 0
check "... from the room" grep -q "\"from\": \"$TEAM\"" "$T/dave1.out"
check "... with the reason" grep -q "<reason>hello</reason>" "$T/dave1.out"

# --- incoming invitations ---------------------------------------------------
CROOM=carols@$MUC
instant="<iq type='set' to='$CROOM' id='inst1'><query xmlns='$MUCNS#owner'><x xmlns='jabber:x:data' type='submit'/></query></iq>"
peer carol --send-raw "<presence to='$CROOM/carol'><x xmlns='$MUCNS'/></presence>" \
    --send-raw "$instant" \
    --send-raw "<message to='$CROOM'><x xmlns='$MUCNS#user'><invite to='alice@good.test'><reason>come in</reason></invite></x></message>" \
    --expect-xml "<decline" --timeout 25 > "$T/carol2.out" 2>&1 &
p3=$!
check "carol's mediated invitation: a prompt" wait_prompt "$CROOM"
line=$(prompt_for "$CROOM")
check "... through the room" test "$(json_field "$line" via)" = room
check "... from carol, a contact" bash -c "[ '$(json_field "$line" from)' = carol@good.test ] && [ '$(json_field "$line" stranger)' = False ]"
ward_cmd alice "/reject $(json_field "$line" id)"
wait "$p3"
check "declined: the decline reached carol" test $? -eq 0

peer carol --send-raw "<presence to='$CROOM/carol'><x xmlns='$MUCNS'/></presence>" \
    --send-raw "<message to='alice@good.test'><x xmlns='jabber:x:conference' jid='$CROOM' reason='again'/></message>" \
    --stay --timeout 12 > /dev/null 2>&1 &
p4=$!
for i in $(seq 1 200); do [ "$(grep -F '"kind":"muc-invite"' "$EV" | grep -cF "\"room\":\"$CROOM\"")" -ge 2 ] && break; sleep 0.05; done
line=$(prompt_for "$CROOM")
check "carol's direct invitation: a prompt" test "$(json_field "$line" via)" = direct
ward_cmd alice "/accept $(json_field "$line" id)"
check "accepted: joined carol's room" ward_seen alice "\"room\":\"$CROOM\",\"nick\":\"alice\",\"state\":\"joined\"" 15
wait "$p4"

peer dave --send-raw "<message to='alice@good.test'><x xmlns='jabber:x:conference' jid='odd@$MUC'/></message>" --timeout 10
check "a stranger's invitation: a prompt" wait_prompt "odd@$MUC"
check "... marked as from a stranger" test "$(json_field "$(prompt_for "odd@$MUC")" stranger)" = True

# --- a password set through the form; bob joins with none, a wrong and the
# right one ------------------------------------------------------------------
VAULT=vault@$MUC
PW=vault-pw-5521
check "bob registered" ejabberd_user bob "$BOB_PW"
ward_cmd alice "/room create $VAULT"
check "the vault created, its form shown" ward_seen alice '"room":"'"$VAULT"'","state":"end"' 15
ward_cmd alice "/room set $VAULT muc#roomconfig_passwordprotectedroom 1"
ward_cmd alice "/room set $VAULT muc#roomconfig_roomsecret $PW"
for i in $(seq 1 50); do [ "$(json_field "$(field "$VAULT" muc#roomconfig_roomsecret)" is_set)" = True ] && break; sleep 0.1; done
check "the password field set (its value never in an event)" \
    test "$(json_field "$(field "$VAULT" muc#roomconfig_roomsecret)" is_set)" = True
ward_cmd alice "/room submit $VAULT"
check "the vault saved" ward_seen alice '"room":"'"$VAULT"'","state":"saved"' 10
ward_setup bob bob@good.test "$BOB_PW" "server = 127.0.0.1" "port = $EJ_PORT" "tls_min = 1.2"
ward_start bob
check "bob connected" ward_seen bob '"event":"connected"' 30
ward_cmd bob "/join $VAULT bob"
check "no password: muc-password-required" ward_seen bob '"code":"muc-password-required"' 10
ward_cmd bob "/join $VAULT bob password wrong-one"
check "a wrong one: muc-password-wrong" ward_seen bob '"code":"muc-password-wrong"' 10
ward_cmd bob "/join $VAULT bob password $PW"
check "the right one: joined" ward_seen bob "\"room\":\"$VAULT\",\"nick\":\"bob\",\"state\":\"joined\"" 10
ward_stop bob
check "the password in none of alice's or bob's files" \
    test -z "$(grep -r -D skip -l -a -- "$PW" "$(ward_dir alice)" "$(ward_dir bob)")"
check "bob: no sanitizer report" ward_sanitizer_clean bob

# --- destroy ---------------------------------------------------------------
ward_cmd alice "/room destroy $TEAM bye"
check "destroyed" ward_seen alice '"room":"'"$TEAM"'","state":"destroyed"' 10
d=$(disco "$TEAM")
check "carol's disco#info: the room is gone" bash -c "printf '%s' '$d' | grep -qE '\"error\": \"(item-not-found|gone)\"'"

ward_stop alice
check "alice: no sanitizer report" ward_sanitizer_clean alice
test_exit
