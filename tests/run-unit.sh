#!/bin/sh
# run-unit.sh BUILD_DIR: runs every cmocka unit test binary built under
# BUILD_DIR/tests/unit and prints "N passed, N failed" (one per binary).
set -u
dir=${1:-build/san}/tests/unit
pass=0; fail=0
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
for t in "$dir"/*; do
	[ -x "$t" ] || continue
	echo "== unit: $(basename "$t")"
	if "$t"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAILED: $t"; fi
done
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
