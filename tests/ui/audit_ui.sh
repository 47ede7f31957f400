#!/bin/bash
# audit_ui (UI): /audit good.test typed in the curses UI runs the audit as
# a child while the UI keeps answering keys; each rule appears in the
# console as a line (verdict, check id, level, evidence) and the outcome
# closes it. The loopback Prosody 0.12 offers -PLUS under TLS 1.2 only:
# that row reads "partial"; SCRAM-SHA-256 is missing: a fail line. The
# child gets the account, logs in on its own and finds no XEP-0157 contact
# form: a MUST fails, and the outcome says so. (The rows come as the child
# measures them; the first ones scroll out of the console by the end, so
# the checks look at the last ones.)
set -u
. "$(dirname "$0")/../lib/uitest.sh"
ui_net_up

ward_setup alice alice@good.test "$ALICE_PW"
ev=$(ward_dir alice)/ui-events.jsonl
check "the UI draws a first frame" ui_start alice --no-connect --events "$ev"
ui_line "/audit good.test"
ui_line "/help audit"
# the audit's rows can scroll the help out of sight before the screen is
# read: the JSON event log (--events) says the order
check "the UI answers while the audit runs (/help audit before audit-end)" \
	python3 -c '
import json,sys,time
for _ in range(900):
    kinds=[]
    for l in open(sys.argv[1]):
        try: kinds.append(json.loads(l).get("event"))
        except ValueError: pass
    if "audit-end" in kinds:
        h=[i for i,k in enumerate(kinds) if k=="help"]
        a=[i for i,k in enumerate(kinds) if k=="audit"]
        sys.exit(0 if h and a and h[0] < kinds.index("audit-end") else 1)
    time.sleep(0.1)
sys.exit(1)' "$ev"
check "a rule line: channel binding partial (-PLUS under TLS 1.2 only)" \
	ui_wait_for 'audit good\.test: partial +sasl\.channel-binding \(MUST\)' 90
check "a rule line with its evidence: registration closed" \
	ui_wait_for 'audit good\.test: pass +register\.open \(SHOULD\): closed' 10
check "a fail line: SCRAM-SHA-256 missing" \
	ui_wait_for 'audit good\.test: fail +sasl\.scram' 10
check "a rule seen after the child's login: no XEP-0157 form" \
	ui_wait_for 'audit good\.test: fail +xep0157\.abuse \(MUST\): no XEP-0157 form' 60
check "a rule seen after the child's login: upload paths random" \
	ui_wait_for 'audit good\.test: pass +upload\.paths \(MUST\)' 10
check "the outcome" ui_wait_for 'audit good\.test: done, a MUST observed failed' 60
check "ward still runs" ui_alive
ui_stop; st=$?
check "ward exits 0 on /quit" test "$st" -eq 0
check "no sanitizer report" ward_sanitizer_clean alice
test_exit
