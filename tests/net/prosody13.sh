# prosody13.sh: sourced (bash) after testnet.sh. Runs a Prosody for the
# channel-binding tests: Debian's 0.12 or 13.0.x from bookworm-backports
# (unpacked into a cache, never installed), on a chosen TLS version, with
# its data kept across restarts (the same server, reconfigured).
#
#   cbprosody_start 12|13 1.2|1.3   # sets CBP_PORT (fixed per test), CBP_LOG
#   cbprosody_stop
#   cbprosody_count REGEX           # lines of the current CBP_LOG matching

. "$(dirname "${BASH_SOURCE[0]}")/backports.sh"

# p13_install: unpacks Prosody 13 (once) with launchers whose
# CFG_SOURCEDIR/CFG_PLUGINDIR point into the unpacked tree, ready only once
# it has been seen to start (backports_install; the Lua libraries it loads
# are Prosody 0.12's, from DEPS_TEST). Sets P13_BIN, P13_CTL. Non-zero,
# with the reason on stderr, when it cannot be unpacked or does not start.
p13_install() {
	local root=$WARD_BACKPORTS_CACHE/prosody13
	P13_BIN=$root/prosody.ward
	P13_CTL=$root/prosodyctl.ward
	export P13_BIN P13_CTL
	backports_install "$root" _p13_unpack _p13_check
}

_p13_unpack() {
	local root=$WARD_BACKPORTS_CACHE/prosody13 f
	backports_unpack prosody '13\.' "$root" || return 1
	for f in prosody prosodyctl; do
		sed -e "s|^CFG_SOURCEDIR=.*|CFG_SOURCEDIR='$root/usr/lib/prosody';|" \
		    -e "s|^CFG_PLUGINDIR=.*|CFG_PLUGINDIR='$root/usr/lib/prosody/modules/';|" \
		    -e "s|^CFG_CONFIGDIR=.*|CFG_CONFIGDIR='$root/etc/prosody';|" \
		    "$root/usr/bin/$f" > "$root/$f.ward" && chmod 755 "$root/$f.ward" || return 1
	done
	# the start check's config: nothing to listen on, errors only
	printf 'pidfile = "%s/check.pid"\nlog = { { levels = { min = "error" }, to = "console" } }\n' \
		"$root" > "$root/check.cfg.lua"
}

# _p13_check: its native modules find their libraries, and "prosodyctl
# about" (which loads Prosody and the Lua libraries it needs) runs and says
# Prosody 13.
_p13_check() {
	local root=$WARD_BACKPORTS_CACHE/prosody13 out st
	backports_ldd_check "$root" || {
		echo "prosody13.sh: libraries missing (tests/lib/deps.sh DEPS_TEST installs them)" >&2
		return 1
	}
	out=$(cd / && timeout 20 "$P13_CTL" --config "$root/check.cfg.lua" about 2>&1)
	st=$?
	case $st:$out in
	0:*"Prosody 13."*) return 0 ;;
	esac
	echo "prosody13.sh: $P13_CTL about did not start Prosody 13 (exit $st):" >&2
	printf '%s\n' "$out" | grep -v '^ *$' | head -n 8 | sed 's/^/  /' >&2
	return 1
}

# cbprosody_start VERSION TLS: registers alice (idempotent) and starts the
# server; waits until STARTTLS answers.
cbprosody_start() {
	local ver=$1 tls=$2 bin ctl
	: "${WARD_TEST_DIR:?}" "${SERVER_CERT:?}"
	case $ver in
	12) bin=prosody; ctl=prosodyctl ;;
	13) p13_install || return 1; bin=$P13_BIN; ctl=$P13_CTL ;;
	*) echo "prosody13.sh: version 12 or 13" >&2; return 1 ;;
	esac
	CBP_DIR=$WARD_TEST_DIR/cbprosody
	CBP_CFG=$TESTNET_SRC/prosody-cb.cfg.lua
	if [ -z "${CBP_PORT:-}" ]; then
		CBP_PORT=$(_fake_free_port) || return 1
		FAKE_NEXT_PORT=$((CBP_PORT + 1))
		export FAKE_NEXT_PORT
	fi
	CBP_RUN=$(( ${CBP_RUN:-0} + 1 ))
	CBP_LOG=$CBP_DIR/prosody$ver-tls$tls-run$CBP_RUN.log
	CBP_TLS=$tls
	CBP_EP_HASH=$(openssl x509 -in "$SERVER_CERT" -outform DER | sha256sum | cut -d' ' -f1)
	export CBP_DIR CBP_CFG CBP_PORT CBP_RUN CBP_LOG CBP_TLS CBP_EP_HASH
	mkdir -p "$CBP_DIR/data" "$CBP_DIR/certs"
	[ "$(id -u)" -eq 0 ] && chown -R "$TEST_USER" "$CBP_DIR"
	HOME=$WARD_TEST_DIR as_test_user env CBP_DIR="$CBP_DIR" CBP_PORT="$CBP_PORT" \
		CBP_LOG="$CBP_DIR/register.log" CBP_TLS="$tls" SERVER_CERT="$SERVER_CERT" \
		SERVER_KEY="$SERVER_KEY" "$ctl" --config "$CBP_CFG" register alice good.test \
		"$ALICE_PW" >/dev/null 2>&1 ||
		{ echo "prosody13.sh: cannot register alice (prosody $ver)" >&2; return 1; }
	testnet_spawn "$CBP_DIR/stdout$CBP_RUN.log" "$bin" --config "$CBP_CFG" -F
	CBP_PID=$SPAWNED_PID
	export CBP_PID
	for _ in $(seq 1 200); do
		if ! kill -0 "$CBP_PID" 2>/dev/null; then
			echo "prosody13.sh: prosody $ver exited:" >&2
			tail -n 20 "$CBP_DIR/stdout$CBP_RUN.log" "$CBP_LOG" >&2
			return 1
		fi
		if ss -Hltn "sport = :$CBP_PORT" 2>/dev/null | grep -q . &&
		   tls_probe 127.0.0.1 "$CBP_PORT" good.test starttls; then
			return 0
		fi
		sleep 0.05
	done
	echo "prosody13.sh: prosody $ver not answering on $CBP_PORT" >&2
	return 1
}

# cbprosody_register USER PASSWORD: another account on the running server.
cbprosody_register() {
	HOME=$WARD_TEST_DIR as_test_user env CBP_DIR="$CBP_DIR" CBP_PORT="$CBP_PORT" \
		CBP_LOG="$CBP_DIR/register.log" CBP_TLS="$CBP_TLS" SERVER_CERT="$SERVER_CERT" \
		SERVER_KEY="$SERVER_KEY" CBP_ROOMS="${CBP_ROOMS:-}" CBP_BOOKMARKS="${CBP_BOOKMARKS:-}" CBP_ROOM_MAM="${CBP_ROOM_MAM:-}" "$P13_CTL" \
		--config "$CBP_CFG" register "$1" good.test "$2" >/dev/null 2>&1
}

cbprosody_stop() {
	[ -n "${CBP_PID:-}" ] || return 0
	kill -TERM "$CBP_PID" 2>/dev/null
	for _ in $(seq 1 50); do
		kill -0 "$CBP_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$CBP_PID" 2>/dev/null
	wait "$CBP_PID" 2>/dev/null
	CBP_PID=
}

cbprosody_count() {
	grep -cE -- "$1" "$CBP_LOG" 2>/dev/null || true
}
