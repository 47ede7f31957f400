#!/bin/bash
# run-integration.sh WARD_BIN: runs every tests/integration/*.sh,
# tests/hostile/*.sh and tests/ui/*.sh (the curses UI driven in tmux)
# alone (each starts its own servers on loopback and stops them by PID),
# each killed after WARD_TEST_TIMEOUT seconds (300; twice that for the UI
# tests, which type, wait for screens and send hundreds of messages), then
# prints "N passed, N failed". A script that prints SKIP fails; one that
# fails prints a FAIL or SKIP line (a FAIL line is added for a script
# killed or dead without one).
set -u
cd "$(dirname "$0")/.."
export WARD_BIN=$(realpath "${1:-build/san/ward}")
export WARD_TEST_CACHE=${WARD_TEST_CACHE:-$(mktemp -d /tmp/ward-cache.XXXXXX)}
chmod 755 "$WARD_TEST_CACHE"
secs=${WARD_TEST_TIMEOUT:-300}
out=$(mktemp /tmp/ward-integration.XXXXXX)
trap 'rm -f "$out"' EXIT
pass=0; fail=0; failed=""
for t in tests/integration/*.sh tests/hostile/*.sh tests/ui/*.sh; do
	[ -f "$t" ] || continue
	echo "== integration: $t"
	start=$(date +%s.%N)
	lim=$secs
	case $t in tests/ui/*) lim=$((secs * 2)) ;; esac
	timeout "$lim" bash "$t" 2>&1 | tee "$out"
	st=${PIPESTATUS[0]}
	# A script that printed SKIP failed (it could not get what it needs;
	# run-tests.sh counts each SKIP line as a failure). One that failed
	# says so in a FAIL line even when it printed none (killed by the
	# timeout, or died): run-tests.sh counts FAIL and SKIP lines.
	if grep -q 'SKIP' "$out"; then
		[ "$st" -eq 0 ] && st=1
	elif [ "$st" -ne 0 ] && ! grep -q '^FAIL' "$out"; then
		if [ "$st" -eq 124 ]; then
			echo "FAIL: $(basename "$t" .sh): killed after ${lim} s (WARD_TEST_TIMEOUT), no FAIL line before"
		else
			echo "FAIL: $(basename "$t" .sh): exited $st without a FAIL line"
		fi
	fi
	if [ "$st" -eq 0 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1)); failed="$failed $t"
	fi
	awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "   (%.1f s)\n", e - s }'
done
[ -n "$failed" ] && echo "failed:$failed"
echo "integration: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
