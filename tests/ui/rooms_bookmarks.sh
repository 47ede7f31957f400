#!/bin/bash
# rooms_bookmarks (UI): the real ward UI in tmux shows what issue 13's
# rooms work added: a message that waited on the server (offline storage)
# is drawn at the sender's time with the delayed mark '~' after it;
# /bookmark add typed in the UI shows the bookmark in the status window
# and its autojoin opens the room's window; /bookmark list lists it.
set -u
. "$(dirname "$0")/../lib/uitest.sh"
ui_net_up

ward_setup alice alice@good.test "$ALICE_PW"
# a contact (a stranger's message would be a held request, no window)
prosody_roster_mutual alice carol || fail "rosters"
# carol writes while alice is not online: kept by the server
"$PEER" --jid carol@good.test --password "$CAROL_PW" --ca "$TEST_CA" \
    --host 127.0.0.1 --port "$C2S_PORT" \
    --send alice@good.test "kept while you were away 6612" --timeout 20 \
    > "$WARD_TEST_DIR/carol.out" 2>&1
check "carol's peer sent" test $? -eq 0
sleep 61	# a minute later: the sender's time differs from the time shown now
UIEV=$(ward_dir alice)/ui-events.jsonl
check "the UI draws a first frame" ui_start alice --events "$UIEV"
check "a window for carol appears" ui_wait_for '\[2 carol' 30
line=$(grep -F '"body":"kept while you were away 6612"' "$UIEV" | head -n 1)
check "the message came delayed" test "$(json_field "$line" delayed)" = True
when=$(date -d "@$(( $(json_field "$line" ts) / 1000 ))" +%H:%M)
ui_keys M-2
check "it is drawn" ui_wait_for 'kept while you were away 6612' 15
check "... at the sender's time ($when), marked delayed with '~'" \
    ui_match "$when~.*kept while you were away 6612"
check "... not at the time it was shown" bash -c "! printf '%s' \"\$1\" | grep -q \"\$(date +%H:%M)~\"" _ "$(ui_screen)"

ui_line "/bookmark add $LOBBY_ROOM autojoin name Lobby nick ali"
check "the room's window opens (autojoin)" ui_wait_for 'lobby' 20
ui_keys M-1
check "the status window shows the bookmark" \
    ui_wait_for 'bookmark added: lobby@rooms\.good\.test "Lobby" as ali \(autojoin\)' 15
ui_line "/bookmark list"
check "/bookmark list shows it" ui_wait_for 'bookmark: lobby@rooms\.good\.test "Lobby" as ali \(autojoin\)' 15

check "ward still runs" ui_alive
ui_stop; st=$?
check "ward exits 0 on /quit" test "$st" -eq 0
check "alice: no sanitizer report" ward_sanitizer_clean alice
test_exit
