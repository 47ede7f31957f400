#!/bin/bash
# backports_ready: an unpacked peer (tests/net/backports.sh) is marked ready
# only after it has been seen to start, and a broken one never counts as
# good. A program built here against a library of its own plays the peer:
# with the library gone, backports_install fails naming it and writes no
# .ok, a second call unpacks again; with it back the peer is ready and kept;
# a ready peer that stops starting loses its .ok. No network, no servers.
set -u
TEST_NAME=backports_ready
FAILS=0
pass() { echo "PASS: $TEST_NAME: $*"; }
fail() { echo "FAIL: $TEST_NAME: $*"; FAILS=$((FAILS + 1)); }
check() {
	local what=$1
	shift
	if "$@"; then pass "$what"; else fail "$what"; fi
}

T=$(mktemp -d /tmp/ward-backports-ready.XXXXXX) || exit 1
trap 'rm -rf "$T"' EXIT
export WARD_BACKPORTS_CACHE=$T/cache
. "$(dirname "$0")/../net/backports.sh"
DEST=$WARD_BACKPORTS_CACHE/peer

# the peer: bin/peer needs libwardgone.so (kept in $T/lib, outside DEST,
# like a system library); PEER_FAIL=1 makes it exit 3 after loading
mkdir -p "$T/lib" "$T/src" "$WARD_BACKPORTS_CACHE"
printf 'const char *gone_version(void) { return "peer 1.0"; }\n' > "$T/src/gone.c"
printf '#include <stdio.h>\n#include <stdlib.h>\nconst char *gone_version(void);
int main(void) { if (getenv("PEER_FAIL")) return 3; puts(gone_version()); return 0; }\n' \
	> "$T/src/peer.c"
gcc -shared -fPIC -o "$T/lib/libwardgone.so" "$T/src/gone.c" &&
	gcc -o "$T/src/peer" "$T/src/peer.c" -L"$T/lib" -lwardgone ||
	{ fail "cannot build the fake peer with gcc"; exit 1; }

UNPACKS=0
UNPACK_FAILS=0
peer_unpack() {
	UNPACKS=$((UNPACKS + 1))
	[ "$UNPACK_FAILS" -eq 0 ] || { echo "peer: download failed" >&2; return 1; }
	rm -rf "$DEST" && mkdir -p "$DEST/usr/bin" && cp "$T/src/peer" "$DEST/usr/bin/peer"
}
peer_check() {
	local out
	backports_ldd_check "$DEST" "$T/lib" || return 1
	out=$(LD_LIBRARY_PATH=$T/lib "$DEST/usr/bin/peer" 2>&1) || {
		echo "peer: exit $?: $out" >&2
		return 1
	}
	[ "$out" = "peer 1.0" ]
}
# install: backports_install, its stderr in $T/err
install() { backports_install "$DEST" peer_unpack peer_check 2> "$T/err"; }
ready() { [ -f "$DEST/.ok" ]; }
said() { grep -qF -- "$1" "$T/err"; }

# the library missing: fails, says which, no marker; again: unpacked again
mv "$T/lib/libwardgone.so" "$T/lib/away.so"
check "library missing: install fails" eval '! install'
check "... naming the library" said "usr/bin/peer: libwardgone.so => not found"
check "... and that it is not marked ready" said "does not start (not marked ready)"
check "... no .ok marker" eval '! ready'
check "second call: fails again" eval '! install'
check "... unpacking again, not taking the broken unpack as good" test "$UNPACKS" -eq 2
check "... still no .ok marker" eval '! ready'

# the library there: ready, and kept without unpacking again
mv "$T/lib/away.so" "$T/lib/libwardgone.so"
check "library there: install succeeds" install
check "... marked ready" ready
check "ready: the next call does not unpack" eval 'install && [ "$UNPACKS" -eq 3 ]'

# a ready peer that no longer starts: fails and loses its marker
export PEER_FAIL=1
check "ready peer that no longer starts: install fails" eval '! install'
check "... saying so" said "does not start any more"
check "... its .ok marker removed" eval '! ready'
check "loads but exits non-zero: install fails" eval '! install'
check "... with its exit status" said "peer: exit 3"
check "... no .ok marker" eval '! ready'
unset PEER_FAIL

# an unpack that fails: no marker, the reason given
rm -rf "$DEST"
UNPACK_FAILS=1
check "unpack fails: install fails" eval '! install'
check "... with the unpack's reason" eval 'said "peer: download failed" && said "cannot unpack peer"'
check "... no .ok marker" eval '! ready'
UNPACK_FAILS=0
check "then a good unpack: ready" eval 'install && ready'

[ "$FAILS" -eq 0 ]
