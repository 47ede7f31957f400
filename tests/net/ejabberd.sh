# ejabberd.sh: sourced (bash) after testnet.sh. Runs Debian's ejabberd
# 23.01 (tests/lib/deps.sh installs it, services held back) or 24.12 from
# bookworm-backports (unpacked with its newer Erlang libraries into a
# cache, never installed) from a config of its own under the test
# directory, as the package user, loopback only, no epmd, with a debug log
# of every XML element received.
#
#   ejabberd_start 1.2|1.3 [23|24]  # sets EJ_PORT (fixed per test), EJ_LOG
#   ejabberd_stop
#   ejabberd_count REGEX            # log lines since the last start
#   ejabberd_user NAME PASSWORD     # another account (alice is made)
#   ejabberd_contacts A B           # A and B see each other (both)

. "$(dirname "${BASH_SOURCE[0]}")/backports.sh"
EJ_BIN=/usr/sbin/ejabberdctl

# ej24_install: unpacks ejabberd 24.12 and the backports versions of its
# Erlang libraries with a launcher whose ERL_LIBS points there (before the
# system's older copies), ready only once it has been seen to start
# (backports_install). Sets EJ24_CTL. Non-zero, with the reason on stderr,
# when it cannot be unpacked or does not start.
ej24_install() {
	EJ24_CTL=$WARD_BACKPORTS_CACHE/ejabberd24/ejabberdctl.ward
	backports_install "$WARD_BACKPORTS_CACHE/ejabberd24" _ej24_unpack _ej24_check
}

_ej24_unpack() {
	local root=$WARD_BACKPORTS_CACHE/ejabberd24
	backports_unpack_set "$root" ejabberd erlang-jose erlang-p1-acme \
		erlang-p1-cache-tab erlang-p1-eimp erlang-p1-mqtree erlang-p1-pkix \
		erlang-p1-stringprep erlang-p1-stun erlang-p1-tls erlang-p1-utils \
		erlang-p1-xml erlang-p1-xmpp erlang-p1-yaml erlang-p1-yconf \
		erlang-p1-zlib || return 1
	sed -e "s|^ERL_LIBS=.*|ERL_LIBS='$root/usr/lib/x86_64-linux-gnu:$root/usr/lib/erlang/lib'|" \
		"$root/usr/sbin/ejabberdctl" > "$root/ejabberdctl.ward" &&
		chmod 755 "$root/ejabberdctl.ward"
}

# _ej24_check: its NIFs find their libraries, and the system's Erlang with
# the launcher's ERL_LIBS loads ejabberd 24, every module with a NIF (named
# as its .so; a NIF that does not load only warns at on_load, so each is
# loaded here and must be there), starts the applications with native code
# and parses and decodes a stanza.
_ej24_check() {
	local root=$WARD_BACKPORTS_CACHE/ejabberd24 out st nifs
	backports_ldd_check "$root" || {
		echo "ejabberd.sh: libraries missing (tests/lib/deps.sh DEPS_TEST installs them)" >&2
		return 1
	}
	nifs=$(find "$root/usr/lib/erlang/lib" -path '*/priv/lib/*.so' -printf '%f\n' |
		sed 's/\.so$//' | sort -u | tr '\n' ' ')
	out=$(cd / && EJ24_NIFS=$nifs ERL_LIBS=$root/usr/lib/x86_64-linux-gnu:$root/usr/lib/erlang/lib \
		ERL_CRASH_DUMP_SECONDS=0 timeout 30 erl -noshell -eval '
		ok = application:load(ejabberd),
		{ok, V} = application:get_key(ejabberd, vsn),
		[{N, {module, _}} = {N, code:ensure_loaded(list_to_atom(N))}
		 || N <- string:tokens(os:getenv("EJ24_NIFS"), " ")],
		[{ok, _} = application:ensure_all_started(A) || A <- [fast_tls, xmpp, fast_yaml, ezlib, eimp]],
		El = fxml_stream:parse_element(<<"<message xmlns=\"jabber:client\"/>">>),
		<<"jabber:client">> = xmpp:get_ns(xmpp:decode(El)),
		{ok, _} = fast_yaml:decode(<<"a: 1">>),
		io:format("ejabberd ~s~n", [V]), halt(0).' 2>&1)
	st=$?
	case $st:$out in
	0:*"ejabberd 24."*) return 0 ;;
	esac
	echo "ejabberd.sh: ejabberd 24 does not load with $(command -v erl || echo 'no erl') (exit $st):" >&2
	printf '%s\n' "$out" | grep -v '^ *$' | head -n 10 | cut -c1-300 | sed 's/^/  /' >&2
	return 1
}

# _ejctl ARGS...: ejabberdctl on the test node (as root it switches to the
# ejabberd user by itself).
_ejctl() {
	ERL_DIST_PORT=$EJ_DIST_PORT INET_DIST_INTERFACE=127.0.0.1 \
	"$EJ_BIN" --node "ward@localhost" --config-dir "$EJ_DIR" \
		--config "$EJ_DIR/ejabberd.yml" --logs "$EJ_DIR/logs" \
		--spool "$EJ_DIR/spool" "$@"
}

# _ej_config TLS: writes ejabberd.yml (TLS 1.2 only, or 1.2 and 1.3).
_ej_config() {
	local opts='[]'
	[ "$1" = 1.2 ] && opts='["no_tlsv1_3"]'
	cat > "$EJ_DIR/ejabberd.yml" <<EOT
hosts: ["good.test"]
loglevel: debug
certfiles: ["$EJ_DIR/server.pem"]
define_macro: {}
listen:
  - port: $EJ_PORT
    ip: "127.0.0.1"
    module: ejabberd_c2s
    starttls: true
    starttls_required: true
    protocol_options: $opts
auth_method: internal
auth_password_format: scram
auth_scram_hash: sha256
s2s_access: none
acl:
  local:
    user_regexp: ""
access_rules:
  local:
    allow: local
  c2s:
    allow: all
modules:
  mod_disco: {}
  mod_ping: {}
  mod_roster: {}
  # group chat at conference.good.test (the room tests) and the
  # ejabberdctl commands that set up rosters (add_rosteritem)
  mod_muc: {}
  mod_admin_extra: {}
EOT
}

# ejabberd_start TLS [VERSION]: (re)starts the node with that TLS policy and
# registers alice (password scram-hashed with SHA-256). Data is kept.
ejabberd_start() {
	local tls=$1
	: "${WARD_TEST_DIR:?}" "${SERVER_CERT:?}"
	case ${2:-23} in
	23) EJ_BIN=/usr/sbin/ejabberdctl ;;
	24) ej24_install || return 1; EJ_BIN=$EJ24_CTL ;;
	*) echo "ejabberd.sh: version 23 or 24" >&2; return 1 ;;
	esac
	[ -x "$EJ_BIN" ] || { echo "ejabberd.sh: ejabberd not installed (tests/lib/deps.sh test)" >&2; return 1; }
	EJ_DIR=$WARD_TEST_DIR/ejabberd
	if [ -z "${EJ_PORT:-}" ]; then
		EJ_PORT=$(_fake_free_port) || return 1
		FAKE_NEXT_PORT=$((EJ_PORT + 1))
		EJ_DIST_PORT=$(_fake_free_port) || return 1
		FAKE_NEXT_PORT=$((EJ_DIST_PORT + 1))
		export FAKE_NEXT_PORT
	fi
	EJ_LOG=$EJ_DIR/logs/ejabberd.log
	export EJ_DIR EJ_PORT EJ_DIST_PORT EJ_LOG
	# another version starts from an empty database (accounts come back
	# below); the same version keeps its data across restarts
	[ "${EJ_VER:-}" = "${2:-23}" ] || rm -rf "$EJ_DIR/spool"
	EJ_VER=${2:-23}
	export EJ_VER
	mkdir -p "$EJ_DIR/logs" "$EJ_DIR/spool"
	cat "$SERVER_CERT" "$SERVER_KEY" > "$EJ_DIR/server.pem"
	chmod 600 "$EJ_DIR/server.pem"
	printf '{lookup, [file, native]}.\n{hosts_file, "/etc/hosts"}.\n' > "$EJ_DIR/inetrc"
	_ej_config "$tls"
	[ "$(id -u)" -eq 0 ] && chown -R ejabberd "$EJ_DIR"
	EJ_LOG_START=$( (wc -l < "$EJ_LOG") 2>/dev/null || echo 0)
	export EJ_LOG_START
	_ejctl start >"$EJ_DIR/start.out" 2>&1 || { cat "$EJ_DIR/start.out" >&2; return 1; }
	_ejctl started >"$EJ_DIR/started.out" 2>&1 ||
		{ echo "ejabberd.sh: node did not start" >&2; tail -n 30 "$EJ_LOG" >&2; return 1; }
	_ejctl register alice good.test "$ALICE_PW" >/dev/null 2>&1 # may exist
	for _ in $(seq 1 100); do
		tls_probe 127.0.0.1 "$EJ_PORT" good.test starttls && return 0
		sleep 0.1
	done
	echo "ejabberd.sh: STARTTLS not answering on $EJ_PORT" >&2
	return 1
}

ejabberd_stop() {
	[ -n "${EJ_DIR:-}" ] || return 0
	_ejctl stop >/dev/null 2>&1
	_ejctl stopped >/dev/null 2>&1
}

# ejabberd_count REGEX: matching log lines since the last ejabberd_start.
ejabberd_count() {
	tail -n +"$((EJ_LOG_START + 1))" "$EJ_LOG" 2>/dev/null | grep -cE -- "$1" || true
}

# ejabberd_seen REGEX [SECONDS]: waits until the log (written with a delay)
# has a matching line since the last start.
ejabberd_seen() {
	for _ in $(seq 1 $((${2:-5} * 10))); do
		[ "$(ejabberd_count "$1")" -ge 1 ] && return 0
		sleep 0.1
	done
	return 1
}

# ejabberd_user NAME PASSWORD: registers NAME@good.test (may exist).
ejabberd_user() {
	_ejctl register "$1" good.test "$2" >/dev/null 2>&1
	_ejctl check_account "$1" good.test >/dev/null 2>&1
}

# ejabberd_contacts A B: A and B (local parts) in each other's roster with
# subscription both (mod_admin_extra).
ejabberd_contacts() {
	_ejctl add_rosteritem "$1" good.test "$2" good.test "$2" "" both >/dev/null 2>&1 &&
	_ejctl add_rosteritem "$2" good.test "$1" good.test "$1" "" both >/dev/null 2>&1
}
