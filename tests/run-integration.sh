#!/bin/bash
# run-integration.sh WARD_BIN: runs every tests/integration/*.sh,
# tests/hostile/*.sh and tests/ui/*.sh (the curses UI driven in tmux)
# alone (each starts its own servers on loopback and stops them by PID),
# then prints "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
export WARD_BIN=$(realpath "${1:-build/san/ward}")
export WARD_TEST_CACHE=${WARD_TEST_CACHE:-$(mktemp -d /tmp/ward-cache.XXXXXX)}
chmod 755 "$WARD_TEST_CACHE"
pass=0; fail=0; failed=""
for t in tests/integration/*.sh tests/hostile/*.sh tests/ui/*.sh; do
	[ -f "$t" ] || continue
	echo "== integration: $t"
	start=$(date +%s.%N)
	# the UI tests type, wait for screens and send hundreds of messages
	lim=300
	case $t in tests/ui/*) lim=600 ;; esac
	if timeout "$lim" bash "$t"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1)); failed="$failed $t"
	fi
	awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "   (%.1f s)\n", e - s }'
done
[ -n "$failed" ] && echo "failed:$failed"
echo "integration: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
