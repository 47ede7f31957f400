#!/bin/bash
# terminal_attacks (UI): what a contact can make a terminal do, sent in
# message bodies (plaintext: CR, C1 CSI/OSC, ESC-free OSC 52, bidi
# overrides and isolates, zero-width and separators; OMEMO, which carries
# any byte: ESC sequences for OSC 52, the title, clearing the screen,
# status reports the terminal answers, DCS, and BS, CR, DEL, raw C1), in
# room nicks, room subjects and status texts (a contact's, drawn in the
# contacts pane, and a room occupant's, in the occupants pane, both
# escaped). ward's raw terminal output
# (tmux pipe-pane) must never hold one of them raw, the terminal (tmux)
# must act on none (no title change, no clipboard buffer, no reply typed
# into the input line), and each message changes only its own rows of the
# screen (tests/lib/termcheck.py).
set -u
. "$(dirname "$0")/../lib/uitest.sh"
. "$(dirname "$0")/../net/omemopeer.sh"
TERMCHECK="/usr/bin/python3 $(dirname "$0")/../lib/termcheck.py"
ui_net_up

# a fixed resource (the default is random per login): the status attack
# below sends a directed presence to alice@good.test/ward
ward_setup alice alice@good.test "$ALICE_PW" "resource = ward"
omemo_peer_start carol carol@good.test "$CAROL_PW"
check "the UI draws a first frame" ui_start alice
# a terminal that obeys OSC 52 would fill tmux's buffer list
ui_tmux set-option -g set-clipboard on
check "alice logged in (security line)" ui_wait_for 'TLS ?v?1\.3' 30
check "carol's peer online" omemo_peer_seen carol '"event":"online"' 30
# carol is a stranger: her messages would be held as requests
ward_cmd alice "/accept carol@good.test"
omemo_peer_cmd carol "sendplain alice@good.test hello, a benign first line 0000"
check "carol's window opened" ui_wait_for '\[2 carol' 20
ui_keys M-2
check "carol's first message shown" ui_wait_for 'a benign first line 0000' 15
ui_wait_stable 5
title0=$(ui_tmux display-message -p -t ward '#{pane_title}')
NOTS=()
hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }

# terminal_fine WHAT: the terminal obeyed nothing so far.
terminal_fine() {
	local t
	t=$(ui_tmux display-message -p -t ward '#{pane_title}')
	check "$1: the terminal title is unchanged" test "$t" = "$title0"
	check "$1: no clipboard write reached the terminal" \
	    test -z "$(ui_tmux list-buffers 2> /dev/null)"
	check "$1: no terminal reply became input" \
	    not ui_bottom_has '[0-9]+;[0-9]+R|\?[0-9;]+c|pwn'
	check "$1: ward still runs" ui_alive
}

# attack NAME LTAG RTAG PEER-COMMAND RAW-AFTER-LTAG: carol sends one
# message (LTAG payload RTAG); it must be drawn (both tags), change no
# other row, and LTAG followed by the payload's raw control must never be
# in the raw log.
attack() {
	local name=$1 l=$2 r=$3 cmd=$4 after=$5 d
	d=$WARD_TEST_DIR/attack-$name
	ui_screen > "$d.before"
	omemo_peer_cmd carol "$cmd"
	if ui_wait_for "$r" 20; then
		ui_wait_stable 5
		ui_screen > "$d.after"
		check "$name: drawn, both markers visible" ui_match "$l"
		check "$name: no other row of the screen changed" \
		    $TERMCHECK diff "$d.before" "$d.after" "$l|$r"
	else
		fail "$name: the message was not drawn"
	fi
	NOTS+=(--not "$(hex "$l$after")")
	check "$name: its raw control is not in the terminal output" \
	    $TERMCHECK raw "$(ward_dir alice)/raw.log" --only --not "$(hex "$l$after")"
	terminal_fine "$name"
}

# plaintext: XML character references (ESC, BS cannot travel in XML 1.0)
plain() { echo "sendraw <message to='alice@good.test' type='chat'><body>$1</body></message>"; }
# (Prosody serialises &#13; as a literal CR, which XML's end-of-line
# handling turns into LF: a line break of the body, drawn with the hanging
# indent, never at the start of a row where the times are)
attack p-cr pcrA pcrZ "$(plain 'pcrA&#13;12:00 bob: pay me pcrZ')" $'\r'
check "p-cr: the forged line does not start a row" not ui_match '^12:00 bob: pay me'
attack p-csi pcsA pcsZ "$(plain 'pcsA&#155;2J&#155;1;1H&#155;31mpwn pcsZ')" $'\xc2\x9b'
attack p-osc posA posZ "$(plain 'posA&#157;0;pwn-title&#156; posZ')" $'\xc2\x9d'
attack p-osc52 p52A p52Z "$(plain 'p52A&#157;52;c;cHduLWNsaXA=&#156; p52Z')" $'\xc2\x9d'
attack p-bidi pbiA pbiZ "$(plain 'pbiA&#8238;exe.txt&#8294;x&#8297;&#8207; pbiZ')" $'\xe2\x80\xae'
check "p-bidi: the override is shown, in words or as a code" ui_match 'pbiA.*(U\+202E|202[Ee]|RLO)'
attack p-zw pzwA pzwZ "$(plain 'pzwA&#8203;&#8204;&#8205;&#8288;&#65279; pzwZ')" $'\xe2\x80\x8b'
attack p-sep pseA pseZ "$(plain 'pseA&#133;&#8232;&#8233;&#127; pseZ')" $'\xc2\x85'

# OMEMO: any byte
attack o-osc52 oA52 oZ52 "send alice@good.test oA52"$'\x1b]52;c;cHduLWNsaXA=\x07'" oZ52" $'\x1b]'
attack o-csi oAcs oZcs "send alice@good.test oAcs"$'\x1b[2J\x1b[H\x1b[31m'"pwn oZcs" $'\x1b[2J'
attack o-title oAti oZti "send alice@good.test oAti"$'\x1b]0;pwn-title\x07\x1b]2;pwn-title\x1b\\'" oZti" $'\x1b]0'
attack o-bs oAbs oZbs "send alice@good.test oAbs"$'\x08\x08\x08\x08'"XXXX oZbs" $'\x08'
check "o-bs: the text before the BS is intact" ui_match 'oAbs'
attack o-cr oAcr oZcr "send alice@good.test oAcr"$'\r'"12:00 bob: pay me oZcr" $'\r'
check "o-cr: the forged line does not start a row" not ui_match '^12:00 bob: pay me'
check "o-cr: the text after CR stays on the message's row" ui_match 'oAcr.{1,16}12:00 bob: pay me'
attack o-dsr oAds oZds "send alice@good.test oAds"$'\x1b[6n\x1b[c\x1b[>c'" oZds" $'\x1b[6n'
attack o-c1 oAc1 oZc1 "send alice@good.test oAc1"$'\xc2\x9b2J\xc2\x9d0;pwn\xc2\x9c'" oZc1" $'\xc2\x9b'
attack o-bidi oAbi oZbi "send alice@good.test oAbi"$'\xe2\x80\xae\xe2\x81\xa6\xe2\x80\x8b'" oZbi" $'\xe2\x80\xae'
attack o-dcs oAdc oZdc "send alice@good.test oAdc"$'\x1bP+q544e\x1b\\\x1b_pwn\x1b\\'" oZdc" $'\x1bP'
attack o-del oAde oZde "send alice@good.test oAde"$'\x7f\x1b'" oZde" $'\x7f'
check "the OMEMO ones came in encrypted (carol's peer encrypted them)" \
    test "$(omemo_peer_count carol '"encrypted":true')" -ge 10

# a status text (directed presence to ward's resource)
st='stA&#13;&#155;2J&#8238;&#8203;&#157;52;c;cHdu&#156;&#157;0;pwn&#156; stZ'
ui_screen > "$WARD_TEST_DIR/attack-status.before"
omemo_peer_cmd carol "sendraw <presence to='alice@good.test/ward'><status>$st</status></presence>"
omemo_peer_cmd carol "ping"
omemo_peer_seen carol '"event":"pong"' 10
sleep 2
ui_wait_stable 5
ui_screen > "$WARD_TEST_DIR/attack-status.after"
# the contacts pane shows it after her name, escaped (and cut to the pane)
check "status: carol's status text is drawn in the contacts pane" ui_match '\|.*carol.*stA'
check "status: its CR (a line break once parsed) is shown escaped" ui_match 'stA(\^M|\^J|<U\+000D>)'
check "status: no other row of the screen changed" \
    $TERMCHECK diff "$WARD_TEST_DIR/attack-status.before" "$WARD_TEST_DIR/attack-status.after" 'stA|stZ|[^[]carol@good'
NOTS+=(--not "$(hex "stA"$'\r')" --not "$(hex $'\xc2\x9b2J')")
terminal_fine status

# a room: subject, bodies and nicks (as far as the server lets them
# through: Prosody's resourceprep refuses nicks with C1 or bidi overrides)
ui_line "/join $LOBBY_ROOM"
check "alice joined the lobby" ui_wait_for 'lobby' 20
check "the room's window is the current one" ui_current_is 'lobby@rooms\.good\.test' 10
sleep 1
top0=$(ui_row 0)
rb='rbA&#13;&#155;2J&#8238;&#157;52;c;cHdu&#156; rbZ'
rs='rsA&#13;&#155;2J&#8238;&#8203;&#157;0;pwn&#156; rsZ'
raws=(--send-raw "<presence to='$LOBBY_ROOM/mallory'><x xmlns='http://jabber.org/protocol/muc'/><status>rpA&#155;2J&#8238; rpZ</status></presence>"
      --send-raw "<message to='$LOBBY_ROOM' type='groupchat'><body>$rb</body></message>"
      --send-raw "<message to='$LOBBY_ROOM' type='groupchat'><subject>$rs</subject></message>")
nicks=('nk1A&#8294;x&#8297;nk1Z' 'nk2A&#8203;x nk2Z' 'nk3A&#8238;x nk3Z' 'nk4A&#155;x nk4Z' 'nk5A&#13;x nk5Z' 'nk6A&#173;x&#65279;nk6Z')
for n in "${nicks[@]}"; do
	raws+=(--send-raw "<presence to='$LOBBY_ROOM/$n'/>"
	       --send-raw "<message to='$LOBBY_ROOM' type='groupchat'><body>said by ${n%%A*} nkmsg</body></message>")
done
"$PEER" --jid alice@good.test/evil --password "$ALICE_PW" --ca "$TEST_CA" \
    --host 127.0.0.1 --port "$C2S_PORT" "${raws[@]}" --stay --timeout 6 \
    > "$WARD_TEST_DIR/evil.out" 2>&1 &
evil=$!
check "the hostile room body is drawn" ui_wait_for 'rbA' 20
check "the hostile subject is drawn" ui_wait_for 'rsA' 20
wait "$evil"
ui_wait_stable 5
check "room: the top row is unchanged" test "$(ui_row 0)" = "$top0"
nk_seen=$(ui_screen | grep -oE 'nk[0-9]A' | sort -u | tr '\n' ' ')
echo "NOTE: $TEST_NAME: nicks the server let through and ward drew: ${nk_seen:-none}" >&2
check "at least one hostile nick reached the screen" test -n "$nk_seen"
NOTS+=(--not "$(hex "rbA"$'\r')" --not "$(hex "rsA"$'\r')" --not "$(hex "rpA"$'\xc2\x9b')")
for n in 1 2 3 4 5 6; do
	NOTS+=(--not "$(hex "nk${n}A"$'\xe2\x81\xa6')" --not "$(hex "nk${n}A"$'\xe2\x80\x8b')" \
	       --not "$(hex "nk${n}A"$'\r')")
done
terminal_fine room

# an occupant's status text, in the occupants pane (carol joins as statusy)
rq='rqA&#13;&#155;2J&#8238;&#8203;&#157;52;c;cHdu&#156;&#157;0;pwn&#156; rqZ'
omemo_peer_cmd carol "sendraw <presence to='$LOBBY_ROOM/statusy'><x xmlns='http://jabber.org/protocol/muc'/><status>$rq</status></presence>"
check "room: an occupant's status text is drawn in the occupants pane" ui_wait_for '\|.*statusy.*rqA' 20
check "room: its CR (a line break once parsed) is shown escaped" ui_match 'rqA(\^M|\^J|<U\+000D>)'
NOTS+=(--not "$(hex "rqA"$'\r')" --not "$(hex "rqA"$'\n')")
terminal_fine occupant-status

# resize after all of it: the escaped text is wrapped and drawn again
ui_resize 30 10
sleep 1
ui_resize 120 40
ui_wait_stable 5
check "after a resize the room is drawn again" ui_wait_for 'rbA|rsA|nkmsg' 10
terminal_fine resize

check "the whole raw terminal output holds none of it" \
    $TERMCHECK raw "$(ward_dir alice)/raw.log" "${NOTS[@]}"
ui_stop; st=$?
check "ward exits 0 on /quit" test "$st" -eq 0
check "no sanitizer report" ward_sanitizer_clean alice
omemo_peer_stop carol
test_exit
