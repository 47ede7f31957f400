#!/bin/bash
# run-fuzz.sh SECONDS: runs every libFuzzer harness in build/fuzz/bin for a
# bounded time over its corpus in tests/fuzz/<name>/corpus (read-only: new
# inputs go to a temporary directory), as many at once as there are cores
# (FUZZ_JOBS), each for the full time; reports in name order. Longer runs:
# see tests/fuzz/README.md.
set -u
cd "$(dirname "$0")/.."
secs=${1:-10}
jobs=${FUZZ_JOBS:-$(nproc)}
pass=0; fail=0
names=(); works=()

# fuzz_one NAME WORK: one harness; its exit status goes to WORK/rc
fuzz_one() {
	local name=$1 work=$2 dict=""
	[ -f "tests/fuzz/$name/$name.dict" ] && dict="-dict=tests/fuzz/$name/$name.dict"
	"build/fuzz/bin/$name" -max_total_time="$secs" -print_final_stats=0 \
	    -artifact_prefix="$work/" $dict "$work" "tests/fuzz/$name/corpus" \
	    > "$work/log" 2>&1
	echo $? > "$work/rc"
}

for bin in build/fuzz/bin/*; do
	[ -x "$bin" ] || continue
	while [ "$(jobs -pr | wc -l)" -ge "$jobs" ]; do wait -n; done
	name=$(basename "$bin")
	work=$(mktemp -d /tmp/ward-fuzz.XXXXXX)
	names+=("$name"); works+=("$work")
	fuzz_one "$name" "$work" &
done
wait

for i in "${!names[@]}"; do
	name=${names[$i]} work=${works[$i]}
	echo "== fuzz: $name (${secs}s)"
	if [ "$(cat "$work/rc" 2>/dev/null)" = 0 ]; then
		pass=$((pass + 1))
		tail -n 1 "$work/log"
		rm -rf "$work"
	else
		fail=$((fail + 1))
		echo "FAIL: fuzz $name"; tail -n 30 "$work/log"
		ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* 2>/dev/null
		# the work dir stays, with the artifact
	fi
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
