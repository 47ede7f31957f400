#!/bin/bash
# run-integration.sh WARD_BIN: runs every tests/integration/*.sh,
# tests/hostile/*.sh and tests/ui/*.sh (the curses UI driven in tmux),
# each with its own servers on loopback (stopped by PID), each killed after
# WARD_TEST_TIMEOUT seconds (300; twice that for the UI tests, which type,
# wait for screens and send hundreds of messages), then prints "N passed,
# N failed" (WARD_TEST_ONLY=REGEX: only the scripts matching). WARD_TEST_JOBS (default 2 with two cores or more) scripts run side by side, each in a
# port lane of its own (tests/net/env.sh testnet_ports); a script's output
# is printed whole when it ends. A script that prints SKIP fails; one that
# fails prints a FAIL or SKIP line (a FAIL line is added for a script
# killed or dead without one).
set -u
cd "$(dirname "$0")/.."
export WARD_BIN=$(realpath "${1:-build/san/ward}")
export WARD_TEST_CACHE=${WARD_TEST_CACHE:-$(mktemp -d /tmp/ward-cache.XXXXXX)}
chmod 755 "$WARD_TEST_CACHE"
secs=${WARD_TEST_TIMEOUT:-300}
# two at a time on two cores or more: most scripts wait on servers and
# timers, so two share the machine well (CI stays under 20 minutes)
jobs=${WARD_TEST_JOBS:-$( [ "$(nproc)" -ge 2 ] && echo 2 || echo 1 )}
work=$(mktemp -d /tmp/ward-integration.XXXXXX)
trap 'rm -rf "$work"' EXIT
export WARD_PORT_LANES=$jobs
# the servers' user, made once before scripts start side by side
. tests/net/env.sh
testnet_user_setup > /dev/null || exit 1

# run_one N SCRIPT LANE: one script; its output in work/N.out, its status
# (after the SKIP/FAIL rules) in work/N.st
run_one() {
	local n=$1 t=$2 lane=$3 lim=$secs st start
	local out=$work/$n.out
	case $t in tests/ui/*) lim=$((secs * 2)) ;; esac
	start=$(date +%s.%N)
	{
		echo "== integration: $t"
		WARD_PORT_LANE=$lane timeout "$lim" bash "$t" 2>&1
		echo "st=$?" > "$work/$n.rc"
	} > "$out" 2>&1
	st=$(sed 's/st=//' "$work/$n.rc")
	# A script that printed SKIP failed (it could not get what it needs;
	# run-tests.sh counts each SKIP line as a failure). One that failed
	# says so in a FAIL line even when it printed none (killed by the
	# timeout, or died): run-tests.sh counts FAIL and SKIP lines.
	if grep -q 'SKIP' "$out"; then
		[ "$st" -eq 0 ] && st=1
	elif [ "$st" -ne 0 ] && ! grep -q '^FAIL' "$out"; then
		if [ "$st" -eq 124 ]; then
			echo "FAIL: $(basename "$t" .sh): killed after ${lim} s (WARD_TEST_TIMEOUT), no FAIL line before" >> "$out"
		else
			echo "FAIL: $(basename "$t" .sh): exited $st without a FAIL line" >> "$out"
		fi
	fi
	awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "   (%.1f s)\n", e - s }' >> "$out"
	echo "$st" > "$work/$n.st"
}

scripts=()
for t in tests/integration/*.sh tests/hostile/*.sh tests/ui/*.sh; do
	[ -f "$t" ] || continue
	# WARD_TEST_ONLY: an extended regex of scripts to run (default all)
	[[ -n "${WARD_TEST_ONLY:-}" && ! "$t" =~ $WARD_TEST_ONLY ]] && continue
	scripts+=("$t")
done
declare -A lane_of	# pid -> lane
free_lanes=()
for ((l = 0; l < jobs; l++)); do free_lanes+=("$l"); done
printed=0
print_done() {	# prints finished outputs in order, as far as they go
	while [ "$printed" -lt "${#scripts[@]}" ] && [ -f "$work/$printed.st" ]; do
		cat "$work/$printed.out"
		printed=$((printed + 1))
	done
}
for i in "${!scripts[@]}"; do
	while [ "${#free_lanes[@]}" -eq 0 ]; do
		wait -n
		for pid in "${!lane_of[@]}"; do
			if ! kill -0 "$pid" 2>/dev/null; then
				free_lanes+=("${lane_of[$pid]}")
				unset "lane_of[$pid]"
			fi
		done
		print_done
	done
	lane=${free_lanes[0]}
	free_lanes=("${free_lanes[@]:1}")
	run_one "$i" "${scripts[$i]}" "$lane" &
	lane_of[$!]=$lane
done
wait
print_done

pass=0; fail=0; failed=""
for i in "${!scripts[@]}"; do
	if [ "$(cat "$work/$i.st" 2>/dev/null)" = 0 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1)); failed="$failed ${scripts[$i]}"
	fi
done
[ -n "$failed" ] && echo "failed:$failed"
echo "integration: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
