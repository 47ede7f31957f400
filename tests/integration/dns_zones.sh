#!/bin/bash
# dns_zones.sh: starts the DNSSEC test zones (tests/net/dns.sh) and checks,
# through ward's own resolver (src/net/dns.c via tests/tools/dnsprobe.c), that
# each comes out as designed: SECURE, BOGUS (edited, expired), INSECURE,
# RFC 6120 fallback and "service not offered"; good.test's CAA records
# secure, bogus.test's edited one BOGUS, none at nosrv.test. One PASS/FAIL
# line a check.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../net/env.sh"
. "$here/../net/dns.sh"

fail=0
own_dir=0
[ -z "${WARD_TEST_DIR:-}" ] && own_dir=1
testnet_user_setup || exit 1
testnet_workdir || exit 1
testnet_ports || exit 1
trap 'testnet_stop_all; [ "$own_dir" -eq 1 ] && [ "$fail" -eq 0 ] && rm -rf "$WARD_TEST_DIR"' EXIT

pass() { echo "PASS dns_zones: $1"; }
failed() { echo "FAIL dns_zones: $1"; fail=1; }

probe=$WARD_TEST_DIR/dnsprobe
# shellcheck disable=SC2046
if ! cc -std=c11 -D_GNU_SOURCE -O1 -g -I"$WARD_SRC" -I"$WARD_SRC/src/core" -I"$WARD_SRC/src/net" -o "$probe" \
	"$WARD_SRC/tests/tools/dnsprobe.c" "$WARD_SRC/src/net/dns.c" \
	"$WARD_SRC/src/net/dns_answer.c" "$WARD_SRC/src/net/dns_caa.c" \
	"$WARD_SRC/src/net/dns_link.c" \
	"$WARD_SRC/src/net/dns_helper.c" "$WARD_SRC/src/net/dns_wire.c" \
	"$WARD_SRC/src/net/dns_sandbox.c" \
	"$WARD_SRC/src/core/buf.c" "$WARD_SRC/src/core/util.c" \
	"$WARD_SRC/src/core/sanitize.c" \
	$(pkg-config --cflags libunbound); then
	failed "build dnsprobe"
	exit 1
fi

t0=$(date +%s%N)
if ! dns_start; then
	failed "nsd did not start"
	exit 1
fi
t1=$(date +%s%N)
echo "dns_zones: zones signed and nsd answering in $(( (t1 - t0) / 1000000 )) ms"

# check NAME EXPECTED-REGEX ARGS...: runs the probe, matches all its output.
check() {
	local name=$1 want=$2 out
	shift 2
	out=$("$probe" -t -a "$DNS_ANCHOR" -s "$DNS_STUB" "$@" 2>"$WARD_TEST_DIR/probe.time")
	if printf '%s\n' "$out" | tr '\n' '|' | grep -q -E "^($want)\$"; then
		pass "$name ($(cat "$WARD_TEST_DIR/probe.time"))"
	else
		failed "$name: got: $(printf '%s' "$out" | tr '\n' '|')"
	fi
}

T="target xmpp.good.test"
check "good.test SRV secure" \
	"secure\|($T $C2S_PORT starttls 0 5\|$T $C2S_TLS_PORT tls 0 5|$T $C2S_TLS_PORT tls 0 5\|$T $C2S_PORT starttls 0 5)\|" \
	srv good.test
check "bogus.test SRV bogus, no targets" \
	"bogus\|why _xmpps?-client\._tcp\.bogus\.test SRV: [^|]*\|" \
	srv bogus.test
check "expired.test SRV bogus (signature expired)" \
	"bogus\|why _xmpps?-client\._tcp\.expired\.test SRV: [^|]*expired[^|]*\|" \
	srv expired.test
T="target xmpp.unsigned.test"
check "unsigned.test SRV insecure" \
	"insecure\|($T $C2S_PORT starttls 0 5\|$T $C2S_TLS_PORT tls 0 5|$T $C2S_TLS_PORT tls 0 5\|$T $C2S_PORT starttls 0 5)\|" \
	srv unsigned.test
check "nosrv.test SRV secure fallback to nosrv.test:5222" \
	"secure fallback\|target nosrv\.test 5222 starttls 0 0\|" \
	srv nosrv.test
check "noservice.test SRV secure no_service" \
	"secure no_service\|" \
	srv noservice.test
check "xmpp.good.test A/AAAA secure" \
	"secure\|addr ::1 5222\|addr 127\.0\.0\.1 5222\|" \
	addr xmpp.good.test 5222
check "xmpp.bogus.test A/AAAA bogus, no addresses" \
	"bogus\|why xmpp\.bogus\.test A(AAA)?: [^|]*\|" \
	addr xmpp.bogus.test 5222
check "xmpp.unsigned.test A/AAAA insecure" \
	"insecure\|addr ::1 5222\|addr 127\.0\.0\.1 5222\|" \
	addr xmpp.unsigned.test 5222
C='caa 0 issue "ca\.test; accounturi=https://ca\.test/acme/acct/1"'
W='caa 0 issuewild ";"'
I='caa 0 iodef "mailto:security@good\.test"'
check "good.test CAA secure, three records" \
	"secure\|(($C|$W|$I)\|){3}" \
	caa good.test
check "bogus.test CAA bogus (edited after signing), no records" \
	"bogus\|why bogus\.test CAA: [^|]*\|" \
	caa bogus.test
check "nosrv.test CAA secure, none" "secure\|" caa nosrv.test
# Without the anchor nothing can be secure, and nothing is bogus either.
out=$("$probe" -s "$DNS_STUB" srv good.test | head -1)
if [ "$out" = insecure ]; then
	pass "good.test without trust anchor is insecure"
else
	failed "good.test without trust anchor: got $out"
fi

# A second opinion from unbound-host (package unbound-host), when present.
if command -v unbound-host >/dev/null 2>&1; then
	cat >"$WARD_TEST_DIR/unbound-host.conf" <<EOF
server:
	do-not-query-localhost: no
	local-zone: "test." transparent
	trust-anchor-file: "$DNS_ANCHOR"
	username: ""
	chroot: ""
	directory: ""
stub-zone:
	name: "test."
	stub-addr: 127.0.0.1@$DNS_PORT
EOF
	for z in good:secure bogus:BOGUS expired:BOGUS unsigned:insecure; do
		out=$(unbound-host -C "$WARD_TEST_DIR/unbound-host.conf" -v \
			-t SRV "_xmpp-client._tcp.${z%%:*}.test" 2>&1 | head -1)
		case $out in
		*"(${z#*:}"*) pass "unbound-host agrees: ${z%%:*}.test ${z#*:}" ;;
		*) failed "unbound-host ${z%%:*}.test: $out" ;;
		esac
	done
fi

exit "$fail"
