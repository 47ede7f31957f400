#!/bin/bash
# valgrind_clean: the release build of ward, under valgrind memcheck, logs
# in, exchanges messages, joins a room and quits with no memory error and
# no definite or indirect leak. (The other tests run the ASan+UBSan build.)
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
make -C "$WARD_SRC" -s > /dev/null 2>&1 || { fail "release build"; test_exit; }
REL=$WARD_SRC/build/rel/ward
testnet_up || { echo "FAIL: testnet"; exit 1; }
trap testnet_down EXIT

ward_setup alice alice@good.test "$ALICE_PW"
ward_setup bob bob@good.test "$BOB_PW"
ward_start bob
d=$(ward_dir alice)
valgrind --quiet --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
    --log-file="$d/valgrind.log" \
    "$REL" --headless -a alice --config-dir "$d/config" --data-dir "$d/data" \
    --pipe "$d/cmd.fifo" < /dev/null >> "$d/events.jsonl" 2>> "$d/stderr" &
echo $! > "$d/pid"
register_pid "$(cat "$d/pid")"
check "connected under valgrind" ward_seen alice '"event":"connected"' 60
check "bob connected" ward_seen bob '"event":"connected"' 20
ward_cmd alice "/msg bob@good.test hello from valgrind"
check "message delivered" ward_seen bob 'hello from valgrind' 30
ward_cmd bob "/msg alice@good.test hello back"
check "reply received" ward_seen alice 'hello back' 30
ward_cmd alice "/join $LOBBY_ROOM"
check "room joined" ward_seen alice '"state":"joined"' 30
ward_cmd alice "/nosuchcommand"
check "bad command reported" ward_seen alice 'unknown command' 10
pid=$(ward_pid alice)
ward_cmd alice "/quit"
for i in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
wait "$pid"; st=$?
check "exit status 0 (99 would mean valgrind found errors)" test "$st" -eq 0
check "valgrind log has no error" bash -c "! grep -q -E 'Invalid|uninitialised|definitely lost|indirectly lost' '$d/valgrind.log'"
[ "$st" -ne 0 ] && head -50 "$d/valgrind.log"
ward_stop bob
test_exit
