#!/bin/bash
# requests (UI): a stranger's message is a message request: no window
# opens, the terminal bell does not ring (no BEL byte in what ward wrote),
# and the console says once that the sender is not a contact. /requests
# lists it, /accept JID opens the chat with the held messages (paged in
# from the store) and offers /add. A message from someone alice wrote to
# first does ring the bell (the check above can see one).
set -u
. "$(dirname "$0")/../lib/uitest.sh"
ui_net_up

bels() { tr -cd '\007' < "$(ward_dir alice)/raw.log" | wc -c; }
peer_send() { # JID PASSWORD TEXT...
	local jid=$1 pw=$2 args=()
	shift 2
	for t in "$@"; do args+=(--send alice@good.test "$t"); done
	"$PEER" --jid "$jid" --password "$pw" --ca "$TEST_CA" \
	    --host 127.0.0.1 --port "$C2S_PORT" "${args[@]}" --timeout 20 \
	    >> "$WARD_TEST_DIR/peers.out" 2>&1
}

ward_setup alice alice@good.test "$ALICE_PW"
check "the UI draws a first frame" ui_start alice
check "alice logged in (security line)" ui_wait_for 'TLS ?v?1\.3' 30
ui_wait_stable 3
b0=$(bels)

peer_send carol@good.test "$CAROL_PW" "first from carol 6601" "second from carol 6602"
check "the console says carol is not a contact" \
    ui_wait_for 'carol@good\.test is not a contact' 20
check "... once for both messages" \
    test "$(ui_screen | grep -c 'carol@good\.test is not a contact')" -eq 1
check "... how to accept or block it" ui_match 'waits in /requests \(/accept'
sleep 1
check "no window for carol in the window list" not ui_match '\[2 '
check "no message text drawn" not ui_match 'first from carol 6601'
check "no bell rang" test "$(bels)" -eq "$b0"
check "the console is still the current window" ui_match '\[console'

ui_line "/requests"
check "/requests lists carol with two messages held" \
    ui_wait_for 'request: carol@good\.test, 2 messages held' 10

ui_line "/accept carol@good.test"
check "/accept opens carol's window" ui_wait_for '\[carol@good\.test\]' 10
check "... with her held messages" ui_wait_for 'second from carol 6602' 15
check "... both of them" ui_match 'first from carol 6601'
check "... and offers to add her" ui_match '/add carol@good\.test'
ui_line "/requests"
ui_line "/win 1"
check "the requests list is empty now" ui_wait_for 'requests: 0' 10

# the bell does ring for a conversation alice started
ui_line "/msg dave@good.test hello dave"
sleep 1
b1=$(bels)
peer_send dave@good.test "$DAVE_PW" "reply from dave 6603"
check "dave's reply opens his window" ui_wait_for 'dave' 20
check "... and rings the bell" eval 'sleep 1; test "$(bels)" -gt "$b1"'

check "ward still runs" ui_alive
ui_stop; st=$?
check "ward exits 0 on /quit" test "$st" -eq 0
check "alice: no sanitizer report" ward_sanitizer_clean alice
test_exit
