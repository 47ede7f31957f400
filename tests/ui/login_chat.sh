#!/bin/bash
# login_chat (UI): the real ward UI in tmux logs in and shows the
# connection's security on screen (TLS 1.3, DNSSEC, what vouched for the
# server, the missing channel binding said in words); chats both ways with
# a headless ward (OMEMO): /msg typed, then plain text typed in the chat
# window, and bob's reply drawn; a stranger's message opens no window
# until /accept; the command pipe still works with the UI up.
set -u
. "$(dirname "$0")/../lib/uitest.sh"
ui_net_up

ward_setup alice alice@good.test "$ALICE_PW"
ward_setup bob bob@good.test "$BOB_PW"
ward_start bob
UIEV=$(ward_dir alice)/ui-events.jsonl
check "the UI draws a first frame" ui_start alice --events "$UIEV"
check "bob (headless) connected" ward_seen bob '"event":"connected"' 30

# the connection line: in words, not only colours
check "own JID on screen" ui_wait_for 'alice@good\.test' 30
check "TLS 1.3 shown" ui_wait_for 'TLS ?v?1\.3' 30
check "DNSSEC shown" ui_wait_for 'DNSSEC' 10
check "no channel binding said in words (Prosody 0.12: SCRAM-SHA-1)" \
    ui_wait_for '[Nn]o (channel[- ]binding|CB)|CB[: ]+(none|no|off)|channel[- ]binding[: ]+(none|no|off)|without channel binding' 10
top=$(ui_row 0)
check "the security line is the top row" bash -c "printf '%s' \"\$1\" | grep -qE 'TLS ?v?1\\.3'" _ "$top"

# alice -> bob with /msg typed in the UI
ui_line "/msg bob@good.test hello from the ui <&> grüße"
line=$(ward_wait bob '"event":"message"' 20)
check "bob got the typed /msg" test "$(json_field "$line" body)" = 'hello from the ui <&> grüße'
check "... OMEMO-encrypted" test "$(json_field "$line" encryption)" = omemo
check "a window for bob in the list" ui_wait_for '\[2 bob' 15
ui_keys M-2
check "alice's own message drawn in bob's window" ui_wait_for 'me +hello from the ui <&> grüße' 15

# bob -> alice: drawn in bob's window
ward_cmd bob "/msg alice@good.test reply from bob 7351"
check "bob's reply drawn in his window" ui_wait_for 'reply from bob 7351' 20
check "the conversation line says OMEMO" ui_wait_for 'OMEMO' 5

# plain text typed in bob's window goes to bob
ui_line "typed without a command 9931"
check "typed text goes to the window's contact" ward_seen bob '"body":"typed without a command 9931"' 20

# a stranger's message opens no window: it is held as a request, and
# the window the user looks at says so (tests/ui/requests.sh: the rest)
"$PEER" --jid carol@good.test --password "$CAROL_PW" --ca "$TEST_CA" \
    --host 127.0.0.1 --port "$C2S_PORT" \
    --send alice@good.test "knock knock from carol 4410" --timeout 20 \
    > "$WARD_TEST_DIR/carol.out" 2>&1
check "carol's peer sent" test $? -eq 0
check "the current window says carol is not a contact" \
    ui_wait_for 'carol@good\.test is not a contact' 20
check "bob's window is still shown (no focus stealing)" ui_match 'reply from bob 7351'
check "no window for carol" not ui_match '\[3 carol'
ui_line "/accept carol@good.test"
check "/accept opens carol's window with her message" ui_wait_for 'knock knock from carol 4410' 15
check "the conversation line says PLAINTEXT in words" ui_wait_for '[Pp][Ll][Aa][Ii][Nn][Tt][Ee][Xx][Tt]|[Uu]nencrypted|[Nn]ot encrypted' 5

# the command pipe still works with the UI up
ward_cmd alice "/msg bob@good.test sent through the pipe 5120"
check "a pipe command is run with the UI up" ward_seen bob '"body":"sent through the pipe 5120"' 20
ui_keys M-2
# the queued event carries the body: the line is ours, with its text and
# its delivery state (on the server: a check mark)
check "... and its message drawn in bob's window as ours" \
    ui_wait_for '✓ +me +sent through the pipe 5120' 15
# a message to a contact with no window yet opens one, from the pipe alone
ward_cmd alice "/msg dave@good.test pipe to a new window 6642"
check "a pipe message to a new contact opens its window" ui_wait_for '\[[0-9]+ dave' 15
ui_keys M-4
check "... with the message drawn in it and its state (~ queued, ✓ on the server or ✗ failed)" \
    ui_wait_for '(~|✓|✗) +me +pipe to a new window 6642' 15

# --events FILE: the JSON event log beside the UI
check "--events: bob's reply is in the UI's event log" \
    grep -q -F '"body":"reply from bob 7351"' "$UIEV"
check "--events: the pipe message's queued event with its body" \
    grep -q -F '"event":"queued","account":"alice"' "$UIEV"
check "--events: the log is 0600" test "$(stat -c %a "$UIEV")" = 600

check "ward still runs" ui_alive
ui_stop; st=$?
check "ward exits 0 on /quit" test "$st" -eq 0
check "alice: no sanitizer report" ward_sanitizer_clean alice
ward_stop bob
test_exit
