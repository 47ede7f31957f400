#!/bin/bash
# history (UI): each window has its own input history: Up walks the
# window's own lines first (newest first), then the lines typed in other
# windows; Down walks back to the line being edited; C-r searches every
# line typed anywhere.
set -u
. "$(dirname "$0")/../lib/uitest.sh"
ui_net_up

ward_setup alice alice@good.test "$ALICE_PW"
ward_setup bob bob@good.test "$BOB_PW"
ward_start bob
check "the UI draws a first frame" ui_start alice
check "alice logged in" ui_wait_for 'TLS ?v?1\.3' 30
check "bob (headless) connected" ward_seen bob '"event":"connected"' 30

ui_line "/query bob@good.test"                  # console
check "bob's window" ui_current_is 'bob@good\.test' 10
ui_line "hist bob one 3391"                      # bob's window
check "bob got it" ward_seen bob 'hist bob one 3391' 20
ui_line "/query dave@good.test"                  # bob's window
check "dave's window" ui_current_is 'dave@good\.test' 10
ui_line "/help win"                              # dave's window
check "the /help output" ui_wait_for '/win' 10

# dave's window: its own line, then the others' (newest first)
ui_keys Up
check "Up in dave's window: its own line first" ui_wait_input '> /help win$' 10
ui_keys Up
check "Up again: the newest line of another window" ui_wait_input '> /query dave@good\.test$' 10
ui_keys Up
check "Up again: an older one" ui_wait_input '> hist bob one 3391$' 10
ui_keys Down Down
check "Down twice: back to dave's own line" ui_wait_input '> /help win$' 10
ui_keys Down
check "Down again: the empty line being edited" ui_wait_input '^> ?$' 10

# bob's window: its own two lines first
ui_keys M-2
check "back in bob's window" ui_current_is 'bob@good\.test' 10
ui_type "draft 8804"
ui_keys Up
check "Up in bob's window: its newest own line" ui_wait_input '> /query dave@good\.test$' 10
ui_keys Up
check "Up again: its older own line" ui_wait_input '> hist bob one 3391$' 10
ui_keys Up
check "Up again: then another window's line" ui_wait_input '> /help win$' 10
ui_keys Down Down Down
check "Down back to the draft being edited" ui_wait_input '> draft 8804$' 10
ui_keys C-u

# C-r finds a line typed in another window
ui_keys M-3
check "dave's window again" ui_current_is 'dave@good\.test' 10
ui_keys C-r
ui_type "bob one"
check "C-r finds bob's window's line from dave's" ui_wait_input 'hist bob one 3391' 10
ui_keys C-g C-u

check "ward still runs" ui_alive
ui_stop; st=$?
check "ward exits 0 on /quit" test "$st" -eq 0
check "no sanitizer report" ward_sanitizer_clean alice
ward_stop bob
test_exit
