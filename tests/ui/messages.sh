#!/bin/bash
# messages (UI): how a message line reads: a day separator above the
# day's first line; time, delivery mark, sender, text and the encryption
# and trust on every line of a chat; /me drawn as an action ("* me ...")
# and sent as "/me ..."; the "new since you last looked" line above what
# arrived while the window was not shown; a message that cannot go out
# marked failed (✗) with the reason in words in its window.
set -u
. "$(dirname "$0")/../lib/uitest.sh"
ui_net_up

ward_setup alice alice@good.test "$ALICE_PW"
ward_setup bob bob@good.test "$BOB_PW"
ward_start bob
check "the UI draws a first frame" ui_start alice
check "alice logged in" ui_wait_for 'TLS ?v?1\.3' 30
check "bob (headless) connected" ward_seen bob '"event":"connected"' 30

ui_line "/query bob@good.test"
check "bob's window" ui_current_is 'bob@good\.test' 10
# bob's device list and bundle first: a message sent before them waits
# for the fetches (up to 30 s under load), which is not what is tested here
omemo_known() {
	local i
	for i in $(seq 1 30); do
		ui_wait_for 'OMEMO · [1-9][0-9]* devices?' 1 && return 0
		ui_line "/chat-security bob@good.test"
	done
	return 1
}
check "alice knows bob's OMEMO device" omemo_known
ui_line "plain words 1010"
check "the typed line is drawn as ours" ui_wait_for '(~|✓) +me +plain words 1010' 15
check "a day separator above it" ui_match '-- [A-Z][a-z]+day +[0-9]{1,2} [A-Z][a-z]+ [0-9]{4} --'
check "its time in the time column" ui_match '^[0-9]{2}:[0-9]{2} .*plain words 1010'
check "... and its encryption and trust at the right" ui_match 'plain words 1010 +omemo'
check "the server took it (✓)" ui_wait_for '✓ +me +plain words 1010' 30

ui_line "/me waves 2020"
line=$(ward_wait bob 'waves 2020' 20)
check "/me goes out as a /me message" test "$(json_field "$line" body)" = "/me waves 2020"
check "... and is drawn as an action" ui_wait_for '\* me +waves 2020' 10
ward_cmd bob "/msg alice@good.test /me nods 3030"
check "bob's /me drawn as his action" ui_wait_for '\* bob +nods 3030' 15

# every message line of the chat says its encryption
msgs=$(ui_screen | grep -E '^[0-9]{2}:[0-9]{2} ' | grep -vE ' -- ' )
check "every message line says its encryption (omemo)" \
    test -z "$(printf '%s\n' "$msgs" | grep -v 'omemo')"

# the "new since you last looked" line
ui_keys M-1
check "back to the console" ui_current_is '\[console' 10
ward_cmd bob "/msg alice@good.test while you were away 4040"
check "bob's window counts it" ui_wait_for '\[2 bob[^]]*\+?1' 15
ui_keys M-2
check "the new message in bob's window" ui_wait_for 'while you were away 4040' 10
sep=$(ui_screen | grep -n 'new since you last looked' | cut -d: -f1)
new=$(ui_screen | grep -n 'while you were away 4040' | cut -d: -f1)
check "a 'new since you last looked' line" test -n "$sep"
check "... right above the new message" test -n "$sep" -a -n "$new" -a "${sep:-0}" -lt "${new:-0}"
old=$(ui_screen | grep -n 'nods 3030' | cut -d: -f1)
check "... and below what was seen before" test -n "$old" -a "${old:-99}" -lt "${sep:-0}"

# find in the window: an early line scrolled far out of view comes back
for i in $(seq 1 45); do ward_cmd bob "/msg alice@good.test filler line $i"; done
check "the fillers arrived" ui_wait_for 'filler line 45' 60
check "the early line is out of view" ui_wait_gone 'plain words 1010' 10
ui_line "/find plain words"
check "/find brings the early line into view" ui_wait_for 'plain words 1010' 10
check "... the view is locked while reading (the newest is not shown)" not ui_match 'filler line 45'
ui_keys C-End
check "C-End back to the newest" ui_wait_for 'filler line 45' 10
ui_keys C-s
ui_type "waves 20"
ui_keys Enter
check "C-s, a text and Enter find it too" ui_wait_for '\* me +waves 2020' 10
ui_keys C-g C-End
check "C-g ends the find, C-End back to the bottom" ui_wait_for 'filler line 45' 10

# a message that cannot go out: carol has no OMEMO device
ui_line "/query carol@good.test"
check "carol's window" ui_current_is 'carol@good\.test' 10
ui_line "cannot be encrypted 5050"
check "it is marked failed (✗)" ui_wait_for '✗ +me +cannot be encrypted 5050' 30
check "... and the reason is said in words in her window" \
    ui_wait_for '[Oo][Mm][Ee][Mm][Oo].*(unavailable|no device|cannot)|not sent' 10

check "ward still runs" ui_alive
ui_stop; st=$?
check "ward exits 0 on /quit" test "$st" -eq 0
check "no sanitizer report" ward_sanitizer_clean alice
ward_stop bob
test_exit
