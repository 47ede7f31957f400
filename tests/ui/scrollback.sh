#!/bin/bash
# scrollback (UI): scrolling back with PgUp never runs out. 150 messages
# from bob reach only the server archive (alice's account had another
# client online then, ward had never run); 150 more arrive while the UI
# runs (so they are in ward.db), ward restarts, and 20 more arrive (in
# memory). PgUp from the bottom must reach every one of the 320 messages,
# in order: past the in-memory lines into ward.db and past that into the
# server archive (XEP-0313 paging backwards). End comes back down.
set -u
. "$(dirname "$0")/../lib/uitest.sh"
. "$(dirname "$0")/../net/omemopeer.sh"
ui_net_up

# bob_sends PREFIX FROM TO: plaintext messages "PREFIX-NNN" from bob
bob_sends() {
	local args=() i
	for i in $(seq "$2" "$3"); do
		args+=(--send alice@good.test "$(printf '%s-%03d' "$1" "$i")")
	done
	"$PEER" --jid bob@good.test/seed --password "$BOB_PW" --ca "$TEST_CA" \
	    --host 127.0.0.1 --port "$C2S_PORT" "${args[@]}" --timeout 60 \
	    >> "$WARD_TEST_DIR/bob.out" 2>&1
}

# phase A: the archive only (another client of alice's is online)
omemo_peer_start aseed alice@good.test "$ALICE_PW"
check "alice's other client online" omemo_peer_seen aseed '"event":"online"' 30
bob_sends arch 1 150
check "bob sent 150 (archive)" test $? -eq 0
check "alice's other client got them" omemo_peer_seen_n aseed '"event":"message"' 150 30
omemo_peer_stop aseed

# phase B: into ward.db while the UI runs
ward_setup alice alice@good.test "$ALICE_PW"
check "the UI draws a first frame" ui_start alice
check "alice logged in (security line)" ui_wait_for 'TLS ?v?1\.3' 30
# bob is a stranger: his messages would be held as requests
ward_cmd alice "/accept bob@good.test"
sleep 1
bob_sends db 1 150
check "bob sent 150 (ward.db)" test $? -eq 0
check "a window for bob" ui_wait_for '\[2 bob' 20
ui_keys M-2
check "the 150th arrived" ui_wait_for 'db-150' 30
ui_stop; st=$?
check "ward exits 0 on /quit" test "$st" -eq 0

# phase C: restart, 20 more in memory
check "the UI starts again" ui_restart alice
check "logged in again" ui_wait_for 'TLS ?v?1\.3' 30
bob_sends mem 1 20
ui_wait_for '\[2 bob' 20
ui_keys M-2
check "the newest message is shown" ui_wait_for 'mem-020' 30

# PgUp until the oldest archived message is on screen
seen=${SCROLL_SEEN:-$WARD_TEST_DIR/scroll-seen.txt}
: > "$seen"
ui_screen >> "$seen"
found=0 still=0
for i in $(seq 1 120); do
	before=$(ui_screen)
	ui_keys PPage
	changed=0
	for j in $(seq 1 50); do
		[ "$(ui_screen)" != "$before" ] && { changed=1; break; }
		sleep 0.1
	done
	ui_screen >> "$seen"
	if ui_match 'arch-001'; then found=1; break; fi
	ui_dead && break
	# five PgUps in a row that changed nothing (5 s each): the top
	if [ $changed -eq 0 ]; then
		still=$((still + 1))
		[ $still -ge 5 ] && { ui_dump "PgUp changes nothing any more"; break; }
	else
		still=0
	fi
done
check "PgUp reaches the server archive's oldest message (arch-001)" test $found -eq 1
check "PgUp went through ward.db (db-001 seen)" grep -q 'db-001' "$seen"
missing=""
for p in arch db; do
	for i in $(seq 1 150); do
		m=$(printf '%s-%03d' $p "$i")
		grep -q -- "$m" "$seen" || missing="$missing $m"
	done
done
for i in $(seq 1 20); do
	m=$(printf 'mem-%03d' "$i")
	grep -q -- "$m" "$seen" || missing="$missing $m"
done
check "all 320 messages were shown on the way up" test -z "$missing"
[ -n "$missing" ] && echo "missing:$(echo "$missing" | head -c 400)" >&2
# order: on every screen captured on the way, the markers top-down are
# in time order (arch < db < mem)
screen_order() {
	python3 - "$seen" "$UI_H" <<'PY'
import re, sys
text = open(sys.argv[1]).read().split("\n")
h = int(sys.argv[2])
def key(m):
    p, n = m.split("-")
    return {"arch": 0, "db": 1000, "mem": 2000}[p] + int(n)
for s in range(0, len(text) - h + 1, h):
    ks = [key(m) for line in text[s:s + h] for m in re.findall(r"(?:arch|db|mem)-\d{3}", line)]
    if ks != sorted(ks):
        print("screen %d out of order: %s" % (s // h, ks[:20]), file=sys.stderr)
        sys.exit(1)
PY
}
# and without a hole: consecutive messages on every screen (the sequence
# is arch-001..150, db-001..150, mem-001..020)
screen_whole() {
	python3 - "$seen" "$UI_H" <<'PY'
import re, sys
text = open(sys.argv[1]).read().split("\n")
h = int(sys.argv[2])
order = ["arch-%03d" % i for i in range(1, 151)] + ["db-%03d" % i for i in range(1, 151)] + \
    ["mem-%03d" % i for i in range(1, 21)]
pos = {m: i for i, m in enumerate(order)}
bad = 0
for s in range(0, len(text) - h + 1, h):
    ks = [pos[m] for line in text[s:s + h] for m in re.findall(r"(?:arch|db|mem)-\d{3}", line)]
    for a, b in zip(ks, ks[1:]):
        if b != a + 1:
            print("screen %d: %s then %s" % (s // h, order[a], order[b]), file=sys.stderr)
            bad = 1
sys.exit(bad)
PY
}
check "every screen on the way shows the messages in time order" screen_order
check "... with none missing between them" screen_whole

ui_keys End
check "End returns to the newest message" ui_wait_for 'mem-020' 10
check "ward still runs" ui_alive
ui_stop; st=$?
check "ward exits 0 on /quit" test "$st" -eq 0
check "no sanitizer report" ward_sanitizer_clean alice
test_exit
