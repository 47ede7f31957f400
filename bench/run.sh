#!/bin/bash
# run.sh [WARD_BIN] [bench.py options...]: `make bench`. Installs what is
# missing (Debian packages), brings the local test network up
# (tests/net/testnet.sh: test CA, signed DNS zone under nsd, Prosody 0.12),
# runs bench/bench.py against ward (headless and its UI), profanity and
# mcabber, then bench/ui_bench.py (the UI's own lines), prints the tables
# and leaves results.json/results.md and ui.json/ui.md in build/bench/
# (docs/performance.md says what each number is). Not a test: it never
# fails on a slow number, only when something could not be measured.
set -u
cd "$(dirname "$0")/.." || exit 1
WARD_BIN=$(realpath "${1:-build/rel/ward}")
shift || true
[ -x "$WARD_BIN" ] || { echo "run.sh: no ward binary at $WARD_BIN (run make)" >&2; exit 1; }

. tests/lib/deps.sh
if [ "${BENCH_UI:-1}" = only ]; then
	deps_install_set test python3 || exit 1
else
	deps_install_set test profanity mcabber python3 || exit 1
fi

# OMEMO's cost per message, crypto/ alone (bench/omemo_cost.c, built by
# make omemo-cost), measured before the test network is up
omemo_bin=$(dirname "$WARD_BIN")/bench/omemo_cost
omemo_arg=()
mkdir -p build/bench
if [ -x "$omemo_bin" ] && "$omemo_bin" -j > build/bench/omemo.json; then
	omemo_arg=(--omemo build/bench/omemo.json)
else
	echo "run.sh: no OMEMO numbers ($omemo_bin; make omemo-cost)" >&2
fi

. tests/net/testnet.sh
testnet_up || { echo "run.sh: the test network did not come up" >&2; exit 1; }
trap testnet_down EXIT

# From here on prosodyctl (and bench.py's restarts) run the test network's
# server quietly: the same config and data without the per-stanza debug log.
PROSODY_QUIET=1
BENCH_PW='bench-Test-pw-9'
export PROSODY_QUIET BENCH_PW WARD_BIN
# the template account every bench account is copied from
prosody_register obs good.test "$BENCH_PW" || exit 1

# BENCH_UI=only: the UI's own lines alone (bench/ui_bench.py); BENCH_UI=0:
# without them. UI_BENCH_ARGS: options for ui_bench.py (e.g. --idle 30).
st=0
if [ "${BENCH_UI:-1}" != only ]; then
	/usr/bin/python3 bench/bench.py --ward "$WARD_BIN" --out build/bench "${omemo_arg[@]}" "$@" || st=$?
fi
if [ "${BENCH_UI:-1}" != 0 ]; then
	# shellcheck disable=SC2086
	/usr/bin/python3 bench/ui_bench.py --ward "$WARD_BIN" --out build/bench ${UI_BENCH_ARGS:-} || st=$?
fi
exit $st
