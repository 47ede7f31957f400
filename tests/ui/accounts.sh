#!/bin/bash
# accounts (UI): with two accounts in ward.conf, each window says which
# account it belongs to (the conversation line reads [ACCOUNT: JID]); the
# same contact writing to both accounts opens two windows, and text typed
# in each goes out from that window's account.
set -u
. "$(dirname "$0")/../lib/uitest.sh"
ui_net_up

ward_setup alice alice@good.test "$ALICE_PW"
ward_setup bob bob@good.test "$BOB_PW"
d=$(ward_dir alice)
printf '%s\n' "$DAVE_PW" > "$d/password-dave"
chmod 600 "$d/password-dave"
{
	echo "[account second]"
	echo "jid = dave@good.test"
	echo "password_command = /bin/cat $d/password-dave"
	echo "ca_file = $TEST_CA"
	if [ -n "${DNS_ANCHOR:-}" ]; then
		echo "dns_trust_anchor = $DNS_ANCHOR"
		echo "dns_stub = test. 127.0.0.1@$DNS_PORT"
	fi
} >> "$d/config/ward.conf"
ward_start bob
check "the UI draws a first frame" ui_start alice
check "alice logged in" ui_wait_for 'TLS ?v?1\.3' 30
check "bob (headless) connected" ward_seen bob '"event":"connected"' 30
ui_line "/connect second"
check "the second account (dave) connected" ui_wait_for 'second.*connected|connected.*dave|dave@good\.test' 30
# bob is a stranger to both accounts: accepted ahead in each, or his
# messages would be held as requests
ward_cmd alice "/accept bob@good.test"
ward_cmd alice "/account second"
ward_cmd alice "/accept bob@good.test"
ward_cmd alice "/account alice"
sleep 2

ward_cmd bob "/msg alice@good.test to alice 1188"
check "bob's message to alice listed" ui_wait_for '\[2 bob' 20
ward_cmd bob "/msg dave@good.test to dave 2299"
check "bob's message to dave opens a second window" ui_wait_for '\[3 bob' 20
ui_keys M-2
check "window 2 is alice's chat with bob, and says so" ui_current_is '\[alice: bob@good\.test\]' 10
check "... with the message to alice" ui_wait_for 'to alice 1188' 10
ui_line "reply from alice 3377"
line=$(ward_wait bob 'reply from alice 3377' 20)
check "text typed there goes out from alice" \
    bash -c '[[ $1 == alice@good.test/* ]]' _ "$(json_field "$line" from)"
ui_keys M-3
check "window 3 is the second account's chat with bob, and says so" ui_current_is '\[second: bob@good\.test\]' 10
check "... with the message to dave" ui_wait_for 'to dave 2299' 10
ui_line "reply from dave 4466"
line=$(ward_wait bob 'reply from dave 4466' 20)
check "text typed there goes out from the second account (dave)" \
    bash -c '[[ $1 == dave@good.test/* ]]' _ "$(json_field "$line" from)"
ui_keys M-2
ui_line "again from alice 5588"
line=$(ward_wait bob 'again from alice 5588' 20)
check "and back in window 2, from alice again" \
    bash -c '[[ $1 == alice@good.test/* ]]' _ "$(json_field "$line" from)"

check "ward still runs" ui_alive
ui_stop; st=$?
check "ward exits 0 on /quit" test "$st" -eq 0
check "no sanitizer report" ward_sanitizer_clean alice
ward_stop bob
test_exit
