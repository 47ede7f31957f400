#!/bin/bash
# keys_looks (UI): the F1 key overlay (from the key map, closed by F1 or
# Esc), /help CMD from the command table, a [keys] binding of ward.conf
# in effect, M-Enter for a message of two lines, a paste of more than 5
# lines needing Enter twice; the bell (a BEL byte in the raw terminal
# output) on a private message and not with [ui] bell = no; the optional
# terminal title with the unread count ([ui] title = yes: tmux's pane
# title), never anything remote.
set -u
. "$(dirname "$0")/../lib/uitest.sh"
ui_net_up

ward_setup alice alice@good.test "$ALICE_PW"
ward_setup bob bob@good.test "$BOB_PW"
ward_start bob
RAW=$(ward_dir alice)/raw.log
CONF=$(ward_dir alice)/config/ward.conf
printf '\n[keys]\nF5 = key-help\n' >> "$CONF"
bels() { tr -cd '\007' < "$RAW" | wc -c; }

check "the UI draws a first frame" ui_start alice
check "alice logged in" ui_wait_for 'TLS ?v?1\.3' 30
check "bob (headless) connected" ward_seen bob '"event":"connected"' 30

# F1: the key overlay
ui_keys F1
check "F1 opens the key overlay" ui_wait_for 'Keys \(F1 or Esc closes\)' 10
check "... listing M-e and what it does" ui_match 'M-e +Write the message in \$EDITOR'
check "... and C-r" ui_match 'C-r +Search back through input history'
ui_keys F1
check "F1 closes it" ui_wait_gone 'Keys \(F1 or Esc closes\)' 10
ui_keys F5
check "F5, bound to key-help in [keys], opens it" ui_wait_for 'Keys \(F1 or Esc closes\)' 10
check "... showing F5 among key-help's keys" ui_match 'F1, F5 +Show the key bindings'
ui_keys Escape
check "Esc closes it" ui_wait_gone 'Keys \(F1 or Esc closes\)' 10

# /help CMD
ui_line "/help msg"
check "/help msg shows the command's help from the table" ui_wait_for 'Send TEXT to JID' 10

# M-Enter: two lines, one message
ui_line "/query bob@good.test"
check "bob's window" ui_current_is 'bob@good\.test' 10
n0=$(bels)
ui_type "first half 6161"
ui_keys M-Enter
ui_type "second half 6161"
check "the input holds two lines" ui_wait_for '^> first half 6161$' 10
ui_keys Enter
line=$(ward_wait bob 'second half 6161' 20)
check "M-Enter then Enter: one message of two lines" \
    test "$(json_field "$line" body)" = $'first half 6161\nsecond half 6161'

# a paste of 7 lines: Enter once asks, Enter again sends
c0=$(ward_count bob '"event":"message"')
ui_paste $'p1 7272\np2\np3\np4\np5\np6\np7 7272'
check "the paste is in the input" ui_wait_for 'p7 7272' 10
ui_keys Enter
check "Enter once: a long paste is confirmed first" ui_wait_for 'a long paste: press Enter again' 10
sleep 2
check "... and not sent yet" test "$(ward_count bob '"event":"message"')" -eq "$c0"
ui_keys Enter
line=$(ward_wait bob 'p7 7272' 20)
check "Enter again sends it as one message" \
    test "$(json_field "$line" body)" = $'p1 7272\np2\np3\np4\np5\np6\np7 7272'

# the bell on a private message
ui_keys M-1
n0=$(bels)
ward_cmd bob "/msg alice@good.test ring 8383"
check "bob's message listed" ui_wait_for '\[2 bob' 15
sleep 1
check "a private message rings the bell (a BEL byte)" test "$(bels)" -gt "$n0"
ui_stop; st=$?
check "ward exits 0 on /quit" test "$st" -eq 0

# bell = no, title = yes
printf '[ui]\nbell = no\ntitle = yes\n' >> "$CONF"
check "the UI starts again (bell = no, title = yes)" ui_restart alice
check "logged in again" ui_wait_for 'TLS ?v?1\.3' 30
ui_keys M-1
sleep 1
n0=$(bels)
ward_cmd bob "/msg alice@good.test quiet 9494 pwn-title"
check "bob's window counts it" ui_wait_for '\[2 bob[^]]*[0-9]' 15
sleep 1
title=$(ui_tmux display-message -p -t ward '#{pane_title}')
check "the title says ward and the unread count ($title)" \
    bash -c '[[ $1 =~ ^ward\ \([1-9][0-9]*\)$ ]]' _ "$title"
check "the title carries nothing remote" not bash -c '[[ $1 == *pwn* || $1 == *bob* ]]' _ "$title"
# title sequences end in BEL: count BELs outside OSC strings
nb=$(python3 -c 'import re,sys; d=open(sys.argv[1],"rb").read(); d=re.sub(rb"\x1b\][^\x07\x1b]*(\x07|\x1b\\\\)",b"",d); print(d.count(b"\x07"))' "$RAW")
check "bell = no: no bell" test "$nb" -eq 0
ui_keys M-2
check "bob's window" ui_current_is 'bob@good\.test' 10
sleep 1
title=$(ui_tmux display-message -p -t ward '#{pane_title}')
check "read: the title is plain ward again ($title)" test "$title" = ward

check "ward still runs" ui_alive
ui_stop; st=$?
check "ward exits 0 on /quit" test "$st" -eq 0
check "no sanitizer report" ward_sanitizer_clean alice
ward_stop bob
test_exit
