#!/bin/bash
# muc_omemo: OMEMO in a private room (members-only and non-anonymous,
# Prosody's $PRIVATE_ROOM) with two python-omemo peers (tests/net/
# omemo_peer.py, an independent implementation) as members: ward's group
# message is encrypted to every member's device and each peer decrypts it;
# a peer's group message decrypts in ward with its trust; the server never
# sees a plaintext body, nor does the room's archive; a member added
# mid-session (dave) has its devices picked up; a second ward on the same
# account (another device) reads and is read; the room made public
# (members-only off, by its owner's form) stops encryption with a warning,
# and the next message is refused with the reason, nothing in plaintext on
# the wire (the other occupants' streams and the server's log prove it)
# until the user chooses plaintext for the room; a message queued while ward
# is away from a room made public meanwhile is dropped at the rejoin.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
. "$(dirname "$0")/../net/omemopeer.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

seen_by_server() { grep -c -F -- "$1" "$PROSODY_LOG"; }
room=$PRIVATE_ROOM

ward_setup alice alice@good.test "$ALICE_PW"
ward_start alice
omemo_peer_start bob bob@good.test "$BOB_PW"
omemo_peer_start carol carol@good.test "$CAROL_PW"
check "alice connected" ward_seen alice '"event":"connected"' 20
b=$(omemo_peer_online bob)
c=$(omemo_peer_online carol)
check "bob (python-omemo) online" test -n "$b"
check "carol (python-omemo) online" test -n "$c"
b_dev=$(omemo_peer_field "$b" device)
c_dev=$(omemo_peer_field "$c" device)
omemo_peer_cmd bob "join $room bob"
omemo_peer_cmd carol "join $room carol"
check "bob in the private room" omemo_peer_seen bob '"event":"joined"' 10
check "carol in the private room" omemo_peer_seen carol '"event":"joined"' 10

ward_cmd alice "/join $room/alice"
line=$(ward_wait alice '"kind":"muc-nonanonymous"' 10)
check "non-anonymous: asked before joining" test -n "$line"
ward_cmd alice "/accept $(json_field "$line" id)"
check "alice joined" ward_seen alice '"state":"joined"' 10
check "told the room is private and encrypted" \
	ward_seen alice "\"room\":\"$room\"" 10
check "... an info line saying so" ward_seen alice 'is private (members-only and non-anonymous)' 10
sec=$(ward_wait alice "\"jid\":\"$room\",\"room\":true,\"encryption\":\"omemo\",\"why\":null,\"members\":2,\"device_list\":\"known\"" 15)
check "chat-security: OMEMO, both members, lists known" test -n "$sec"

# ---- ward -> both peers -------------------------------------------------
ward_cmd alice "/msg $room group secret one <&>"
q=$(ward_wait alice '"event":"queued"' 10)
check "queued as omemo" test "$(json_field "$q" encryption)" = omemo
id1=$(json_field "$q" id)
for p in bob carol; do
	line=$(omemo_peer_wait $p '"body":"group secret one <&>"' 15)
	check "$p decrypted ward's group message" test -n "$line"
	check "... a groupchat message" test "$(omemo_peer_field "$line" type)" = groupchat
	check "... encrypted" test "$(omemo_peer_field "$line" encrypted)" = true
	check "... from alice's real JID" test "$(omemo_peer_field "$line" sender)" = alice@good.test
done
check "ward's group message acknowledged" ward_seen alice "\"event\":\"acked\",\"account\":\"alice\",\"id\":\"$id1\"" 10
st=$(grep -F "RECV: <message" "$PROSODY_LOG" | grep -F "id='$id1'")
check "the server got one groupchat stanza from ward" \
	test "$(printf '%s\n' "$st" | grep -c "type='groupchat'")" -eq 1
check "... encrypted for bob's device" eval "[[ \$st == *\"rid='$b_dev'\"* ]]"
check "... and carol's" eval "[[ \$st == *\"rid='$c_dev'\"* ]]"
check "the server never saw the plaintext" test "$(seen_by_server 'group secret one')" -eq 0

# ---- a peer -> ward -----------------------------------------------------
omemo_peer_cmd bob "sendgroup $room from bob to all"
line=$(ward_wait alice '"body":"from bob to all"' 15)
check "ward decrypted bob's group message" test -n "$line"
check "... type groupchat" test "$(json_field "$line" type)" = groupchat
check "... encryption omemo" test "$(json_field "$line" encryption)" = omemo
check "... trust shown (blind)" test "$(json_field "$line" trust)" = blind
check "... from bob's occupant JID" test "$(json_field "$line" from)" = "$room/bob"
check "carol decrypted it too" omemo_peer_seen carol '"body":"from bob to all"' 15
check "no decryption error in ward" test "$(ward_count alice '"code":"omemo-decrypt"')" -eq 0

# ---- a new member: its devices are picked up ------------------------------
omemo_peer_start dave dave@good.test "$DAVE_PW"
d=$(omemo_peer_online dave)
check "dave (python-omemo) online" test -n "$d"
d_dev=$(omemo_peer_field "$d" device)
omemo_peer_cmd bob "affiliate $room dave@good.test member"
check "bob made dave a member" omemo_peer_seen bob '"event":"affiliated"' 10
check "ward counts dave as a member" \
	ward_seen alice "\"jid\":\"$room\",\"room\":true,\"encryption\":\"omemo\",\"why\":null,\"members\":3" 15
omemo_peer_cmd dave "join $room dave"
check "dave in the room" omemo_peer_seen dave '"event":"joined"' 10
ward_cmd alice "/msg $room group secret two"
line=$(omemo_peer_wait dave '"body":"group secret two"' 15)
check "dave (new member) decrypted ward's message" test -n "$line"
check "... from alice" test "$(omemo_peer_field "$line" sender)" = alice@good.test
check "bob still decrypts" omemo_peer_seen bob '"body":"group secret two"' 15
st=$(grep -F "RECV: <message" "$PROSODY_LOG" | grep -F "rid='$d_dev'" | grep -c "type='groupchat'")
check "ward encrypted for dave's device" test "$st" -ge 1
check "the server never saw it" test "$(seen_by_server 'group secret two')" -eq 0

# ---- a second ward (alice's other device) in the room: own devices -------
ward_setup alice2 alice@good.test "$ALICE_PW" "resource = second"
ward_start alice2
check "the second ward connected" ward_seen alice2 '"event":"connected"' 20
ward_cmd alice2 "/join $room/alice2"
line=$(ward_wait alice2 '"kind":"muc-nonanonymous"' 10)
ward_cmd alice2 "/accept $(json_field "$line" id)"
check "the second ward joined" ward_seen alice2 '"state":"joined"' 10
check "the second ward: OMEMO in the room" \
	ward_seen alice2 "\"jid\":\"$room\",\"room\":true,\"encryption\":\"omemo\",\"why\":null,\"members\":3" 15
# alice learns her new device from her own list (pushed) before writing
check "ward sees its own other device" \
	ward_seen alice '"jid":"alice@good.test","room":false,"encryption":"omemo","why":null,"device_list":"known","devices":2' 15
ward_cmd alice "/msg $room to every device"
line=$(ward_wait alice2 '"body":"to every device"' 15)
check "the second ward decrypted the first one's message" test -n "$line"
check "... as OMEMO" test "$(json_field "$line" encryption)" = omemo
for p in bob carol dave; do
	check "$p decrypted it" omemo_peer_seen $p '"body":"to every device"' 15
done
ward_cmd alice2 "/msg $room from the second ward"
line=$(ward_wait alice '"body":"from the second ward"' 15)
check "the first ward decrypted the second one's message" test -n "$line"
check "... as OMEMO" test "$(json_field "$line" encryption)" = omemo
check "... from its occupant JID" test "$(json_field "$line" from)" = "$room/alice2"
for p in bob carol dave; do
	check "$p decrypted the second ward's message" omemo_peer_seen $p '"body":"from the second ward"' 15
done
ward_stop alice2
check "the second ward: no sanitizer report" ward_sanitizer_clean alice2

# ---- the room's archive (muc_mam) holds the messages, never their text ----
archive="$PROSODY_DIR/data/rooms%2egood%2etest/muc_log/private.list"
check "the room archived the encrypted messages" grep -q 'eu.siacs.conversations.axolotl' "$archive"
for t in 'group secret one' 'group secret two' 'from bob to all' 'to every device' 'from the second ward'; do
	check "the archive has no '$t'" eval "! grep -qF '$t' '$archive'"
done

# ---- the room made public: encryption stops, nothing in plaintext ---------
omemo_peer_cmd bob "roomconfig $room muc#roomconfig_membersonly=0"
check "bob reconfigured the room" omemo_peer_seen bob '"event":"configured"' 10
line=$(ward_wait alice '"code":"room-not-private"' 15)
check "ward warned that OMEMO stopped" test -n "$line"
check "... naming the room" test "$(json_field "$line" room)" = "$room"
check "chat-security: nothing can be sent (room-not-private)" \
	ward_seen alice "\"jid\":\"$room\",\"room\":true,\"encryption\":\"omemo\",\"why\":\"room-not-private\"" 10
queued=$(ward_count alice '"event":"queued"')
ward_cmd alice "/msg $room after it went public"
check "the next message is refused with the reason" \
	ward_seen_n alice '"code":"room-not-private"' 2 10
check "... nothing queued" test "$(ward_count alice '"event":"queued"')" -eq "$queued"
omemo_peer_cmd carol ping
omemo_peer_seen carol '"event":"pong"' 10
sleep 1
for p in bob carol dave; do
	check "$p got nothing of it" test "$(omemo_peer_count $p 'after it went public')" -eq 0
done
check "the server never saw it" test "$(seen_by_server 'after it went public')" -eq 0

# the user's explicit choice: plaintext from now on
ward_cmd alice "/omemo off $room"
check "chat-security: plaintext chosen" \
	ward_seen alice "\"jid\":\"$room\",\"room\":true,\"encryption\":\"none\",\"why\":\"turned-off\"" 10
ward_cmd alice "/msg $room plain by choice"
line=$(omemo_peer_wait carol '"body":"plain by choice"' 15)
check "after /omemo off the room gets plaintext" test "$(omemo_peer_field "$line" encrypted)" = false

# ---- private again; made public while ward is away: what was queued for
# OMEMO meanwhile is dropped at the rejoin, never sent in plaintext --------
ward_cmd alice "/omemo on $room"
on_pat="\"jid\":\"$room\",\"room\":true,\"encryption\":\"omemo\",\"why\":null"
on_n=$(ward_count alice "$on_pat")
omemo_peer_cmd bob "roomconfig $room muc#roomconfig_membersonly=1"
check "private again: OMEMO back on" ward_seen_n alice "$on_pat" $((on_n + 1)) 15
# semi-anonymous (status 173): not private either
warn_n=$(ward_count alice '"code":"room-not-private"')
omemo_peer_cmd bob "roomconfig $room muc#roomconfig_whois=moderators"
check "semi-anonymous: OMEMO stops again, with the warning" \
	ward_seen_n alice '"code":"room-not-private"' $((warn_n + 1)) 15
ward_cmd alice "/msg $room while semi-anonymous"
check "... and the next message is refused" \
	ward_seen_n alice '"code":"room-not-private"' $((warn_n + 2)) 10
on_n=$(ward_count alice "$on_pat")
omemo_peer_cmd bob "roomconfig $room muc#roomconfig_whois=anyone"
check "non-anonymous again (status 172): OMEMO back on" ward_seen_n alice "$on_pat" $((on_n + 1)) 15
ward_cmd alice "/disconnect"
check "alice offline" ward_seen alice '"event":"disconnected"' 10
omemo_peer_cmd bob "roomconfig $room muc#roomconfig_membersonly=0"
check "bob made it public again" omemo_peer_seen_n bob '"event":"configured"' 5 10
queued=$(ward_count alice '"event":"queued"')
ward_cmd alice "/msg $room queued while away"
ward_seen_n alice '"event":"queued"' $((queued + 1)) 10
q=$(grep -F '"event":"queued"' "$(ward_dir alice)/events.jsonl" | tail -n 1 |
	grep -F '"to":"'"$room"'","encryption":"omemo"')
check "queued while away: promised OMEMO (the room was private)" test -n "$q"
qid=$(json_field "$q" id)
ward_cmd alice "/connect"
line=$(ward_wait alice "\"code\":\"room-not-private\",\"text\":\"message to $room" 30)
check "at the rejoin the queued message is dropped with the reason" test -n "$line"
check "... naming it" test "$(json_field "$line" id)" = "$qid"
omemo_peer_cmd carol ping
omemo_peer_seen_n carol '"event":"pong"' 2 10
sleep 1
for p in bob carol dave; do
	check "$p never got the queued message" test "$(omemo_peer_count $p 'queued while away')" -eq 0
done
check "the server never saw it" test "$(seen_by_server 'queued while away')" -eq 0
check "nor the semi-anonymous one" test "$(seen_by_server 'while semi-anonymous')" -eq 0

ward_stop alice
check "alice: no sanitizer report" ward_sanitizer_clean alice
for p in bob carol dave; do omemo_peer_stop $p; done
test_exit
