# prosody.sh: sourced (bash) after env.sh and ca.sh. Runs the test network's
# Prosody 0.12 (config: tests/net/prosody.cfg.lua) as $TEST_USER on loopback,
# with fixed test accounts and two MUC rooms, and stops it by PID.
# PROSODY_BIN / PROSODYCTL_BIN run another Prosody on the same config (the
# sandbox: Prosody 13 from tests/net/prosody13.sh's p13_install).

# Test accounts. Fixed strings: this server only ever listens on loopback.
ALICE_PW='alice-Test-pw-1'
BOB_PW='bob-Test-pw-2'
CAROL_PW='carol-Test-pw-3'
DAVE_PW='dave-Test-pw-4'
TEST_DOMAIN=good.test
MUC_DOMAIN=rooms.good.test
LOBBY_ROOM=lobby@rooms.good.test		# semi-anonymous (whois = moderators)
NONANON_ROOM=nonanon@rooms.good.test	# non-anonymous (whois = anyone)
# private: members-only and non-anonymous; owners alice and bob, member carol
PRIVATE_ROOM=private@rooms.good.test
# alice exists on these domains as well (same password):
ALICE_OTHER_DOMAINS="unsigned.test nosrv.test bogus.test expired.test noservice.test"
export ALICE_PW BOB_PW CAROL_PW DAVE_PW TEST_DOMAIN MUC_DOMAIN LOBBY_ROOM \
	NONANON_ROOM PRIVATE_ROOM ALICE_OTHER_DOMAINS

# _now_ms: milliseconds since the epoch.
_now_ms() {
	echo $(( $(date +%s%N) / 1000000 ))
}

# testnet_spawn OUTFILE CMD ARGS...: starts CMD in the background as
# $TEST_USER (exec'ed, so the PID is the server's own, not a wrapper's),
# stdout+stderr to OUTFILE, registers the PID and leaves it in SPAWNED_PID.
testnet_spawn() {
	local out=$1; shift
	if [ "$(id -u)" -eq 0 ]; then
		HOME=$WARD_TEST_DIR setpriv --reuid="$TEST_USER" \
			--regid="$(id -g "$TEST_USER")" --init-groups \
			-- "$@" > "$out" 2>&1 < /dev/null &
	else
		"$@" > "$out" 2>&1 < /dev/null &
	fi
	SPAWNED_PID=$!
	register_pid "$SPAWNED_PID"
}

# _prosodyctl ARGS...: prosodyctl on the test config, as $TEST_USER.
_prosodyctl() {
	HOME=$WARD_TEST_DIR as_test_user "${PROSODYCTL_BIN:-prosodyctl}" \
		--config "$PROSODY_CFG" "$@"
}

# prosody_register USER DOMAIN PASSWORD: creates (or resets) an account.
# Works with the server stopped or running.
prosody_register() {
	_prosodyctl register "$1" "$2" "$3" >/dev/null 2>&1 ||
		{ echo "prosody.sh: cannot register $1@$2" >&2; return 1; }
}

# _prosody_register_all: the fixed test accounts, registered in parallel
# (one prosodyctl each; each account is its own file).
_prosody_register_all() {
	local pids=() pid d failed=0
	prosody_register alice good.test "$ALICE_PW" & pids+=($!)
	prosody_register bob good.test "$BOB_PW" & pids+=($!)
	prosody_register carol good.test "$CAROL_PW" & pids+=($!)
	prosody_register dave good.test "$DAVE_PW" & pids+=($!)
	for d in $ALICE_OTHER_DOMAINS; do
		prosody_register alice "$d" "$ALICE_PW" & pids+=($!)
	done
	for pid in "${pids[@]}"; do
		wait "$pid" || failed=1
	done
	return "$failed"
}

# tls_probe HOST PORT DOMAIN [starttls|direct]: true when a TLS handshake
# with a certificate valid for DOMAIN under $TEST_CA succeeds.
tls_probe() {
	local host=$1 port=$2 domain=$3 kind=${4:-starttls}
	local args=(-brief -connect "$host:$port" -servername "$domain"
		-verify_hostname "$domain" -verify_return_error -CAfile "$TEST_CA")
	if [ "$kind" = starttls ]; then
		args+=(-starttls xmpp -xmpphost "$domain")
	else
		args+=(-alpn xmpp-client)
	fi
	timeout 5 openssl s_client "${args[@]}" < /dev/null 2>&1 |
		grep -q '^Verification: OK'
}

# _prosody_wait_ready SECONDS: until STARTTLS answers on C2S_PORT.
_prosody_wait_ready() {
	local secs=$1
	for _ in $(seq 1 $((secs * 20))); do
		if ! kill -0 "$PROSODY_PID" 2>/dev/null; then
			echo "prosody.sh: prosody exited during start-up:" >&2
			tail -n 20 "$PROSODY_DIR/stdout.log" "$PROSODY_LOG" >&2
			return 1
		fi
		if ss -Hltn "sport = :$C2S_PORT" 2>/dev/null | grep -q . &&
		   tls_probe 127.0.0.1 "$C2S_PORT" good.test starttls; then
			return 0
		fi
		sleep 0.05
	done
	echo "prosody.sh: STARTTLS not answering on $C2S_PORT after ${secs}s" >&2
	tail -n 20 "$PROSODY_LOG" >&2
	return 1
}

# _prosody_make_rooms: creates the persistent rooms through the admin shell
# (no-op for a room that exists from an earlier start with the same data).
_prosody_make_rooms() {
	local lua
	lua="local function mk(j, c) if not prosody.hosts['$MUC_DOMAIN'].modules.muc.get_room_from_jid(j) then local r = assert(prosody.hosts['$MUC_DOMAIN'].modules.muc.create_room(j, c)); r:set_affiliation(true, 'alice@good.test', 'owner'); r:save(true) end end"
	lua="$lua mk('$LOBBY_ROOM', { persistent = true; hidden = false; name = 'Lobby'; whois = 'moderators' })"
	lua="$lua mk('$NONANON_ROOM', { persistent = true; hidden = false; name = 'Non-anonymous'; whois = 'anyone' })"
	lua="$lua mk('$PRIVATE_ROOM', { persistent = true; hidden = true; name = 'Private'; whois = 'anyone'; members_only = true })"
	lua="$lua local p = prosody.hosts['$MUC_DOMAIN'].modules.muc.get_room_from_jid('$PRIVATE_ROOM'); p:set_affiliation(true, 'bob@good.test', 'owner'); p:set_affiliation(true, 'carol@good.test', 'member'); p:save(true)"
	lua="$lua return 'rooms' .. ' created'"	# not the literal the check looks for
	local out
	out=$(_prosodyctl shell --quiet ">$lua" 2>&1)
	case $out in
	*"rooms created"*) return 0 ;;
	esac
	echo "prosody.sh: creating the MUC rooms failed: $out" >&2
	return 1
}

# prosody_start: registers the accounts, starts Prosody, waits for STARTTLS
# and direct TLS, creates the rooms. Needs testnet_user_setup,
# testnet_workdir, testnet_ports and ca_make first.
# Exports PROSODY_DIR PROSODY_CFG PROSODY_LOG PROSODY_PID,
# PROSODY_START_MS (launch to STARTTLS answering) and PROSODY_READY_MS
# (accounts + launch + rooms).
prosody_start() {
	local t0 t1 t2 d
	: "${WARD_TEST_DIR:?}" "${C2S_PORT:?}" "${C2S_TLS_PORT:?}" "${SERVER_CERT:?}"
	PROSODY_DIR=$WARD_TEST_DIR/prosody
	PROSODY_CFG=$TESTNET_SRC/prosody.cfg.lua
	PROSODY_LOG=$PROSODY_DIR/prosody.log
	export PROSODY_DIR PROSODY_CFG PROSODY_LOG
	mkdir -p "$PROSODY_DIR/data" "$PROSODY_DIR/certs"
	[ "$(id -u)" -eq 0 ] && chown -R "$TEST_USER" "$PROSODY_DIR"
	chmod 755 "$PROSODY_DIR"

	t0=$(_now_ms)
	_prosody_register_all || return 1

	t1=$(_now_ms)
	testnet_spawn "$PROSODY_DIR/stdout.log" \
		"${PROSODY_BIN:-prosody}" --config "$PROSODY_CFG" -F
	PROSODY_PID=$SPAWNED_PID
	export PROSODY_PID
	_prosody_wait_ready 15 || return 1
	t2=$(_now_ms)
	PROSODY_START_MS=$((t2 - t1))
	tls_probe 127.0.0.1 "$C2S_TLS_PORT" good.test direct ||
		{ echo "prosody.sh: direct TLS not answering on $C2S_TLS_PORT" >&2; return 1; }
	_prosody_make_rooms || return 1
	PROSODY_READY_MS=$(( $(_now_ms) - t0 ))
	export PROSODY_START_MS PROSODY_READY_MS
}

# prosody_roster_mutual USER[=NAME]...: makes every USER@good.test a contact
# of every other one, with mutual subscription ("both") and NAME as the
# contact's name when given, written into their rosters by the running
# server (admin shell). For accounts that should see each other's presence
# from the first login (the sandbox).
prosody_roster_mutual() {
	local lua a b u v name out
	lua="local rm = require 'core.rostermanager'"
	lua="$lua local function add(u, v, n) local r = assert(rm.load_roster(u, '$TEST_DOMAIN')); r[v .. '@$TEST_DOMAIN'] = { subscription = 'both'; groups = {}; name = n }; assert(rm.save_roster(u, '$TEST_DOMAIN', r)) end"
	for a in "$@"; do
		u=${a%%=*}
		for b in "$@"; do
			v=${b%%=*}
			[ "$u" = "$v" ] && continue
			name=nil
			case $b in
			*=*) name="'$(printf '%s' "${b#*=}" | tr -d "'\\\\")'" ;;
			esac
			lua="$lua add('$u', '$v', $name)"
		done
	done
	lua="$lua return 'rosters' .. ' written'"
	out=$(_prosodyctl shell --quiet ">$lua" 2>&1)
	case $out in
	*"rosters written"*) return 0 ;;
	esac
	echo "prosody.sh: writing the rosters failed: $out" >&2
	return 1
}

# prosody_stop: stops the test Prosody (TERM, KILL after 5 s). Data stays, so
# prosody_start brings the same server back (a "server reboot").
prosody_stop() {
	[ -n "${PROSODY_PID:-}" ] || return 0
	kill -TERM "$PROSODY_PID" 2>/dev/null
	for _ in $(seq 1 50); do
		kill -0 "$PROSODY_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$PROSODY_PID" 2>/dev/null
	wait "$PROSODY_PID" 2>/dev/null
	PROSODY_PID=
}

# prosody_count PATTERN: number of lines in the Prosody log matching the
# extended regex PATTERN (e.g. prosody_count 'RECV: <auth ').
prosody_count() {
	grep -cE -- "$1" "$PROSODY_LOG" 2>/dev/null || true
}
