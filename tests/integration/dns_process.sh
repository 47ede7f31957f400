#!/bin/bash
# dns_process: DNS runs in a resolver process of its own (src/net/dns_helper.c),
# under a seccomp filter once its first query is out (src/net/dns_sandbox.c).
# Once connected, ward has no libunbound mapped and the resolver process is
# gone; a reconnect starts a new one. A resolver that dies in the middle of
# a lookup fails that lookup at once (not after the 10 s timeout), ward
# reports it, stays alive and tries again with a new process.
set -u
. "$(dirname "$0")/../net/testnet.sh"
. "$(dirname "$0")/../lib/wardtest.sh"
testnet_up || { echo "FAIL: testnet"; exit 1; }

exe=$(readlink -f "$WARD_BIN")
silent_pid=""
cleanup() {
	[ -n "$silent_pid" ] && kill "$silent_pid" 2>/dev/null
	testnet_down
}
trap cleanup EXIT

# resolvers: pids of running resolver processes of this ward binary.
resolvers() {
	local d p
	for d in /proc/[0-9]*; do
		p=${d#/proc/}
		[ "$(readlink -f "$d/exe" 2>/dev/null)" = "$exe" ] || continue
		tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null |
			grep -q -- '--dns-resolver-process' && echo "$p"
	done
}
wait_resolver() { # wait_resolver [NOT-PID]: the pid of a (new) one
	local i p
	for i in $(seq 1 200); do
		for p in $(resolvers); do
			[ "$p" != "${1:-}" ] && { echo "$p"; return 0; }
		done
		sleep 0.05
	done
	return 1
}
no_resolver() {
	local i
	for i in $(seq 1 40); do
		[ -z "$(resolvers)" ] && return 0
		sleep 0.05
	done
	return 1
}

# 1. A normal login: afterwards no resolver and no libunbound in ward.
ward_setup alice alice@good.test "$ALICE_PW"
ward_start alice
check "connected" ward_seen alice '"event":"connected"' 20
pid=$(ward_pid alice)
check "no libunbound mapped in ward once connected" \
	bash -c "! grep -q libunbound /proc/$pid/maps"
check "the resolver process is gone once connected" no_resolver
check "the resolver process was not left a zombie" \
	bash -c "! ps -o stat= --ppid $pid | grep -q Z"
log=$(ward_dir alice)/data/ward.log
check "it was started and let go" \
	bash -c "grep -q 'resolver process started' '$log' && grep -q 'resolver process let go' '$log'"
ward_stop alice
check "alice: no sanitizer report" ward_sanitizer_clean alice

# 2. A zone whose server never answers keeps the lookup waiting; the
# resolver is killed in the middle of it.
port=$(_fake_free_port) || { echo "FAIL: no port"; exit 1; }
"$TESTNET_PYTHON" -c '
import socket, sys, time
p = int(sys.argv[1])
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", p))
t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(("127.0.0.1", p)); t.listen(8)
time.sleep(600)
' "$port" &
silent_pid=$!
register_pid "$silent_pid"
ward_setup silent alice@silent.test "$ALICE_PW" \
	"dns_stub = silent.test. 127.0.0.1@$port"
ward_start silent
r1=$(wait_resolver) || r1=""
check "a resolver process runs during the lookup" test -n "$r1"
sleep 0.5
check "it runs under its seccomp filter" \
	grep -q -P '^Seccomp:\t2$' "/proc/$r1/status"
check "... with no new privileges" grep -q -P '^NoNewPrivs:\t1$' "/proc/$r1/status"
check "... in all its threads" \
	bash -c "for t in /proc/$r1/task/*; do grep -q -P '^Seccomp:\t2\$' \$t/status || exit 1; done"
check "the lookup is still waiting" \
	test "$(ward_count silent '"event":"error"')" -eq 0
t0=$(date +%s%N)
[ -n "$r1" ] && kill -KILL "$r1"
line=$(ward_wait silent '"code":"dns-failed"' 5)
t1=$(date +%s%N)
check "the killed resolver fails the lookup: dns-failed" test -n "$line"
echo "dns_process: lookup failed $(((t1 - t0) / 1000000)) ms after the resolver was killed"
slog=$(ward_dir silent)/data/ward.log
check "ward says the resolver process ended" grep -q "resolver process: ended" "$slog"
r2=$(wait_resolver "$r1") || r2=""
check "the next try starts a new resolver process" test -n "$r2"
check "ward is still alive" kill -0 "$(ward_pid silent)"
ward_stop silent
check "no resolver left after ward quits" no_resolver
check "silent: no sanitizer report" ward_sanitizer_clean silent
test_exit
