#!/bin/bash
# run-fuzz.sh SECONDS: runs every libFuzzer harness in build/fuzz/bin for a
# bounded time over its corpus in tests/fuzz/<name>/corpus (read-only: new
# inputs go to a temporary directory). Longer runs: see tests/fuzz/README.md.
set -u
cd "$(dirname "$0")/.."
secs=${1:-10}
pass=0; fail=0
for bin in build/fuzz/bin/*; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin")
	work=$(mktemp -d /tmp/ward-fuzz.XXXXXX)
	dict=""
	[ -f "tests/fuzz/$name/$name.dict" ] && dict="-dict=tests/fuzz/$name/$name.dict"
	echo "== fuzz: $name (${secs}s)"
	if "$bin" -max_total_time="$secs" -print_final_stats=0 -artifact_prefix="$work/" \
	    $dict "$work" "tests/fuzz/$name/corpus" > "$work/log" 2>&1; then
		pass=$((pass + 1))
		tail -n 1 "$work/log"
	else
		fail=$((fail + 1))
		echo "FAIL: fuzz $name"; tail -n 30 "$work/log"
		ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* 2>/dev/null
		continue	# keep the work dir with the artifact
	fi
	rm -rf "$work"
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
