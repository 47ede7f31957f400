#!/bin/bash
# run-tests.sh: the whole test suite on a Debian 12 machine. Installs what
# is missing (as root, apt-get; otherwise it says what to install), builds,
# runs the unit tests under ASan+UBSan, the integration and hostile-server
# tests against real servers on loopback, and every fuzzer for a bounded
# time. Ends with one line: "N passed, N failed" (a skipped test counts as
# failed).
set -u
cd "$(dirname "$0")"
FUZZ_SECONDS=${FUZZ_SECONDS:-15}
log=$(mktemp /tmp/ward-tests.XXXXXX)

. tests/lib/deps.sh
deps_install || exit 1
./configure > /dev/null || exit 1
make -j"$(nproc)" > /dev/null || { echo "build failed"; make; exit 1; }
make -j"$(nproc)" VARIANT=san build/san/ward unit-build > /dev/null || {
	echo "sanitizer build failed"; make VARIANT=san build/san/ward unit-build; exit 1; }

tests/run-unit.sh build/san 2>&1 | tee -a "$log"
tests/run-integration.sh build/san/ward 2>&1 | tee -a "$log"
if make -j"$(nproc)" fuzz-build > /dev/null 2>&1; then
	tests/run-fuzz.sh "$FUZZ_SECONDS" 2>&1 | tee -a "$log"
else
	echo "FAIL: fuzz harnesses do not build" | tee -a "$log"
fi

# totals: cmocka tests, integration checks, fuzz targets
cm_pass=$(grep -E '^\[  PASSED  \] [0-9]+ test' "$log" | awk '{ s += $4 } END { print s + 0 }')
cm_fail=$(grep -E '^\[  FAILED  \] [0-9]+ test' "$log" | awk '{ s += $4 } END { print s + 0 }')
it_pass=$(grep -c '^PASS: ' "$log")
it_fail=$(grep -c '^FAIL: ' "$log")
crashed=$(grep -c '^FAILED: ' "$log")   # a unit binary that died before its summary
fz=$(grep '^fuzz: ' "$log" | tail -n 1)
fz_pass=$(echo "$fz" | awk '{ print $2 + 0 }')
fz_fail=$(echo "$fz" | awk '{ print $4 + 0 }')
it_runs_failed=$(grep '^integration: ' "$log" | awk '{ print $4 + 0 }')   # empty: no summary
# A skip is a failure: a test that cannot get what it needs fails. Every
# line with SKIP in it counts once, except cmocka's "[  SKIPPED ]" lines:
# there each test reported as skipped counts (its summary line's number).
skip_lines=$(grep -v '^\[  SKIPPED \]' "$log" | grep -c 'SKIP')
cm_skip=$(grep -E '^\[  SKIPPED \] [0-9]+ test' "$log" | awk '{ s += $4 } END { print s + 0 }')
if [ $((skip_lines + cm_skip)) -gt 0 ]; then
	echo "skipped, counted as failed:"
	grep -E 'SKIP' "$log" | grep -vE '^\[  SKIPPED \] [0-9]+ test' | sed 's/^/  /'
fi
passed=$((cm_pass + it_pass + fz_pass))
failed=$((cm_fail + it_fail + fz_fail + skip_lines + cm_skip))
# an integration script that failed printed a FAIL or SKIP line (or
# run-integration.sh printed one for it: killed, died); a run that ended
# without its summary line counts once
if [ -z "$it_runs_failed" ]; then failed=$((failed + 1)); fi
if [ "$crashed" -gt "$cm_fail" ]; then failed=$((failed + crashed - cm_fail)); fi
rm -f "$log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
