# profanity15.sh: sourced (bash) after testnet.sh (and testnet_up). Runs
# profanity 0.15.0 with libstrophe 0.14.0 from bookworm-backports as an
# OMEMO peer: unpacked into a cache with backports.sh (never installed),
# headless in tmux as $TEST_USER with its own HOME and XDG dirs, logged in
# to the test Prosody, OMEMO generated, with blind trust.
#
#   prof15_start NAME JID PASSWORD   # up, logged in, OMEMO published (~2 s)
#                                    # (PROF15_TRACE=1: its steps' times)
#   prof15_send NAME JID TEXT        # OMEMO message to JID (starts OMEMO first)
#   prof15_cmd NAME LINE             # types LINE + Enter (a /command or text)
#   prof15_wait_msg NAME FROM TEXT [SECONDS]
#                                    # waits for a message from bare JID FROM
#                                    # with body TEXT in profanity's history;
#                                    # prints its encryption ("omemo", "none")
#   prof15_messages NAME             # its history, one JSON object a line
#   prof15_screen NAME               # what the current window shows
#   prof15_device NAME / prof15_fingerprint NAME   # own OMEMO id / 64 hex
#   prof15_dir NAME                  # its folder (log: data/profanity/logs/)
#   prof15_stop NAME
#   prof15_omemo_start NAME JID      # what prof15_send does before typing
# NAME's folder is $WARD_TEST_DIR/prof15-NAME; prof15_start on an existing
# folder is a restart with the same OMEMO identity (no new /omemo gen).
#
# What was found (Prosody 0.12.3, Debian 12):
# - Needs libqrencode4, libgtk-3-0, libnotify4, libotr5 and libgpgme11
#   from bookworm besides profanity and libstrophe0 from backports: they
#   are in DEPS_TEST (tests/lib/deps.sh), installed with the test packages.
#   Timings (2 cores under load): tmux + profanity to "logged in" 0.5-0.6
#   s; "/omemo gen" (libsignal, 100 pre-keys) to its bundle published
#   0.7 s; ~2.1 s for prof15_start in all, a restart ~1.2 s. prof15_send
#   with the bug-3 dance ~0.5 s, on a chat with a session ~0.1 s.
# - Reading what it received: its history is an SQLite database,
#   $XDG_DATA_HOME/profanity/database/ACCOUNT/chatlog.db, table ChatLogs,
#   with from_jid, to_jid, message, type, stanza_id and an `encryption`
#   column ("omemo" or "none"), written at once for incoming and outgoing
#   messages, decrypted text included ("/omemo log on", set here). It is
#   more reliable than the screen (no wrapping, no window switching, and
#   says whether a message was encrypted). The text chat logs
#   ($XDG_DATA_HOME/profanity/chatlogs/) are off by default ("/logging chat
#   on").
# - A message it cannot decrypt (spoiled payload or key) is shown AND
#   logged as its plaintext fallback <body>, with encryption "none" - a
#   silent downgrade ward must not copy. So a decryption failure shows up
#   in prof15_messages as the sender's fallback text, unencrypted; the debug
#   log (data/profanity/logs/profanity.log, -l DEBUG) says why. The next
#   good message decrypts again.
# - Its three OMEMO bugs on Prosody 0.12, worked around here:
#   1. No device list is published when the node is missing: an empty,
#      open device list is published for the account before "/omemo gen"
#      (omemo_peer.py --empty-devicelist; a no-op when there is one). gen
#      fetches the own list again, so the list need not be there at login;
#      the helper logs in while profanity starts.
#   2. Its bundle node ends up readable by contacts only (Prosody answers
#      <forbidden/> to anyone else): the same helper run (omemo_peer.py
#      --empty-devicelist --open-nodes --wait-device new|ID, logged in as
#      the same account with another resource and no presence) waits until
#      profanity's device is listed and its bundle is there, then sets every
#      axolotl node to access_model=open (helper.log in its folder).
#   3. The first "/omemo start JID" of a chat with no session fetches no
#      bundle: prof15_send does "/omemo start JID", "/omemo end",
#      "/omemo start JID" and waits until its log says it has JID's device
#      list and sessions.txt has JID's section (the session is built)
#      before typing the text. With a session already there (the peer
#      wrote first), one "/omemo start" is enough.
# - It sends a fallback <body> ("You received a message encrypted with
#   OMEMO but your client doesn't support OMEMO...") and no EME marker.
# - Messages received from a device it has never seen trigger "Blind trust
#   for JID device N" lines on the screen (trustmode blind).
# - tmux needs a shell: $TEST_USER's is nologin, so SHELL=/bin/sh is set
#   for the tmux server. Desktop notifications, version check and chat
#   states are switched off in its profrc.

_prof15_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$_prof15_here/backports.sh"

# prof15_install: unpacks profanity 0.15 + libstrophe0 0.14 (backports)
# once into $WARD_BACKPORTS_CACHE/profanity15, ready only once it has been
# seen to start (backports_install); the bookworm libraries it loads
# (libqrencode4, libgtk-3-0, libnotify4, libotr5, libgpgme11, ...) are in
# DEPS_TEST. Sets PROF15_BIN and PROF15_LIBS. Non-zero, with the reason on
# stderr, when it cannot be unpacked or does not start.
prof15_install() {
	local root=$WARD_BACKPORTS_CACHE/profanity15
	PROF15_BIN=$root/usr/bin/profanity
	PROF15_LIBS=$root/usr/lib/x86_64-linux-gnu:$root/usr/lib/profanity
	export PROF15_BIN PROF15_LIBS
	backports_install "$root" _prof15_unpack _prof15_check
}

_prof15_unpack() {
	backports_unpack_set "$WARD_BACKPORTS_CACHE/profanity15" profanity libstrophe0
}

# _prof15_check: every library found, and "profanity --version" runs (in a
# throw-away HOME) and says 0.15.
_prof15_check() {
	local out h
	backports_ldd_check "$WARD_BACKPORTS_CACHE/profanity15" "$PROF15_LIBS" || {
		echo "profanity15.sh: libraries missing (tests/lib/deps.sh DEPS_TEST installs them)" >&2
		return 1
	}
	h=$(mktemp -d /tmp/ward-prof15-check.XXXXXX) || return 1
	out=$(env -i PATH=/usr/bin:/bin HOME="$h" XDG_CONFIG_HOME="$h" XDG_DATA_HOME="$h" \
		LD_LIBRARY_PATH="$PROF15_LIBS" timeout 20 "$PROF15_BIN" --version 2>&1)
	local st=$?
	rm -rf "$h"
	case $st:$out in
	0:*"version 0.15."*) return 0 ;;
	esac
	echo "profanity15.sh: $PROF15_BIN --version did not start (exit $st):" >&2
	printf '%s\n' "$out" | head -n 5 | sed 's/^/  /' >&2
	return 1
}

prof15_dir() { echo "$WARD_TEST_DIR/prof15-$1"; }

# _prof15_tmux NAME ARGS...: tmux on NAME's own server, as $TEST_USER.
_prof15_tmux() {
	local d
	d=$(prof15_dir "$1"); shift
	as_test_user env SHELL=/bin/sh tmux -S "$d/tmux.sock" "$@"
}

# _prof15_py NAME ARGS...: omemo_peer.py one-shot as NAME's account.
_prof15_py() {
	local d
	d=$(prof15_dir "$1"); shift
	HOME=$WARD_TEST_DIR as_test_user "$TESTNET_PYTHON" "$TESTNET_SRC/omemo_peer.py" \
		--jid "$(cat "$d/jid")" --password "$(cat "$d/password")" \
		--ca "$TEST_CA" --port "$C2S_PORT" "$@"
}

# _prof15_until SECONDS COMMAND...: polls COMMAND every 50 ms.
_prof15_until() {
	local n=$(($1 * 20))
	shift
	_prof15_polls "$n" "$@"
}

# _prof15_polls N COMMAND...: polls COMMAND N times, 50 ms apart.
_prof15_polls() {
	local n=$1 i
	shift
	for i in $(seq 1 "$n"); do
		"$@" && return 0
		sleep 0.05
	done
	"$@"
}

_prof15_log() { echo "$(prof15_dir "$1")/data/profanity/logs/profanity.log"; }

_prof15_logged_in() { grep -q 'logged in successfully' "$(_prof15_log "$1")" 2>/dev/null; }

_prof15_omemo_dir() {
	local d jid
	d=$(prof15_dir "$1"); jid=$(cat "$d/jid")
	echo "$d/data/profanity/omemo/${jid//@/_at_}"
}

# prof15_device NAME: own OMEMO device id (empty before /omemo gen).
prof15_device() {
	sed -n 's/^device_id=//p' "$(_prof15_omemo_dir "$1")/identity.txt" 2>/dev/null
}

_prof15_has_identity() { [ -n "$(prof15_device "$1")" ]; }

# prof15_fingerprint NAME: own identity key as 64 hex digits (the Curve25519
# key without its 05 type byte, as omemo_peer.py prints fingerprints).
prof15_fingerprint() {
	sed -n 's/^identity_key_public=//p' "$(_prof15_omemo_dir "$1")/identity.txt" |
		base64 -d 2>/dev/null | tail -c 32 | od -An -tx1 | tr -d ' \n'
	echo
}

# _prof15_t NAME WHAT: with PROF15_TRACE=1, when each start-up step ended
# (ms since prof15_start began), on stderr.
_prof15_t() {
	[ -n "${PROF15_TRACE:-}" ] &&
		echo "profanity15.sh: $1: $2 at $(( $(date +%s%3N) - _prof15_t0 )) ms" >&2
	return 0
}

# prof15_start NAME JID PASSWORD: see the top. Non-zero (with the reason on
# stderr) when it could not log in or publish its OMEMO keys.
prof15_start() {
	local name=$1 jid=$2 pw=$3 d cmd dev helper tpid ppid
	: "${WARD_TEST_DIR:?}" "${C2S_PORT:?}" "${TEST_CA_PATH:?}"
	_prof15_t0=$(date +%s%3N)
	prof15_install || return 1
	d=$(prof15_dir "$name")
	mkdir -p "$d/home" "$d/config/profanity" "$d/data/profanity" "$d/cache" "$d/run"
	printf '%s\n' "$jid" > "$d/jid"
	printf '%s\n' "$pw" > "$d/password"
	cat > "$d/config/profanity/profrc" <<EOF
[connection]
tls.certpath=$TEST_CA_PATH
autoping=0
[ui]
splash=false
vercheck=false
[chatstates]
enabled=false
[notifications]
message=false
room=off
typing=false
sub=false
invite=false
remind=0
[logging]
rotate=false
[omemo]
trustmode=blind
log=on
policy=manual
EOF
	if [ ! -f "$d/data/profanity/accounts" ]; then
		cat > "$d/data/profanity/accounts" <<EOF
[$jid]
enabled=true
jid=$jid
server=127.0.0.1
port=$C2S_PORT
resource=profanity
password=$pw
tls.policy=force
EOF
	else
		sed -i "s/^port=.*/port=$C2S_PORT/" "$d/data/profanity/accounts"
	fi
	chmod 700 "$d" "$d/run"
	chmod 600 "$d/password" "$d/data/profanity/accounts"
	[ "$(id -u)" -eq 0 ] && chown -R "$TEST_USER" "$d"

	# Bugs 1 and 2, one helper login (a Python start is 0.5 s), run while
	# profanity starts: an empty open device list, there before "/omemo
	# gen" (which fetches the own list again: having it at login is not
	# needed); once its device and bundle are published, every axolotl node
	# made open.
	dev=$(prof15_device "$name")
	: > "$d/helper.out"
	_prof15_py "$name" --empty-devicelist --open-nodes \
		--wait-device "${dev:-new}" > "$d/helper.out" 2>> "$d/helper.log" &
	helper=$!

	cmd=$(printf 'exec env HOME=%q XDG_CONFIG_HOME=%q XDG_DATA_HOME=%q XDG_CACHE_HOME=%q XDG_RUNTIME_DIR=%q LD_LIBRARY_PATH=%q %q -a %q -l DEBUG' \
		"$d/home" "$d/config" "$d/data" "$d/cache" "$d/run" "$PROF15_LIBS" "$PROF15_BIN" "$jid")
	# One tmux call: the session, remain-on-exit (a crashed profanity's
	# last screen stays readable), and the server's and profanity's PIDs.
	_prof15_tmux "$name" new-session -d -s prof -x 200 -y 50 -c "$d" \
		-P -F '#{pid} #{pane_pid}' "$cmd" \; set-option -t prof remain-on-exit on \
		> "$d/pids" 2>/dev/null ||
		{ echo "profanity15.sh: $name: tmux did not start" >&2; kill "$helper" 2>/dev/null; return 1; }
	read -r tpid ppid < "$d/pids"
	echo "$ppid" > "$d/pid"
	echo "$tpid" > "$d/tmux.pid"
	[ -n "$ppid" ] && register_pid "$ppid"
	[ -n "$tpid" ] && register_pid "$tpid"
	_prof15_t "$name" "tmux started"

	_prof15_until 15 _prof15_logged_in "$name" || {
		echo "profanity15.sh: $name: not logged in after 15 s" >&2
		prof15_screen "$name" | grep -v '^ *$' | tail -n 5 >&2
		kill "$helper" 2>/dev/null; return 1; }
	_prof15_t "$name" "profanity logged in"
	_prof15_until 15 grep -qx ready "$d/helper.out" || {
		echo "profanity15.sh: $name: the helper login failed:" >&2
		tail -n 2 "$d/helper.log" >&2; kill "$helper" 2>/dev/null; return 1; }
	_prof15_t "$name" "helper logged in, empty device list there"
	# trustmode=blind and log=on come from the profrc.
	[ -n "$dev" ] || prof15_cmd "$name" "/omemo gen"
	wait "$helper" || {
		echo "profanity15.sh: $name: its device was not published/opened:" >&2
		tail -n 2 "$d/helper.log" >&2; return 1; }
	_prof15_t "$name" "its device published, nodes open"
	_prof15_has_identity "$name" ||
		{ echo "profanity15.sh: $name: /omemo gen made no identity" >&2; return 1; }
}

# prof15_cmd NAME LINE: types LINE (literally) and Enter.
prof15_cmd() {
	_prof15_tmux "$1" send-keys -t prof -l -- "$2" \; send-keys -t prof Enter
}

# prof15_screen NAME: the visible screen of its current window.
prof15_screen() {
	_prof15_tmux "$1" capture-pane -p -t prof
}

# _prof15_has_list NAME JID: it has fetched JID's device list (kept in
# memory for the life of the process; later changes come by PEP).
_prof15_has_list() {
	grep -qF "[OMEMO] Setting device list for $2" "$(_prof15_log "$1")" 2>/dev/null
}

# _prof15_ready NAME JID: JID's device list, and a session with one of
# JID's devices (sessions.txt is written as soon as a session is built).
_prof15_ready() {
	_prof15_has_list "$1" "$2" &&
	grep -qxF "[$2]" "$(_prof15_omemo_dir "$1")/sessions.txt" 2>/dev/null
}

# prof15_omemo_start NAME JID: opens the chat with JID and starts OMEMO in
# it, waiting until it has JID's device list and a session with one of
# JID's devices (typing before that sends to none of JID's devices). When
# the first start builds no session (bug 3: it fetched the list but no
# bundle), "/omemo end" and "/omemo start" again.
prof15_omemo_start() {
	local name=$1 jid=$2 d
	d=$(prof15_dir "$name")
	prof15_cmd "$name" "/msg $jid"
	if grep -qxF "$jid" "$d/omemo_started" 2>/dev/null && _prof15_ready "$name" "$jid"; then
		return 0
	fi
	prof15_cmd "$name" "/omemo start $jid"
	_prof15_until 10 _prof15_has_list "$name" "$jid" ||
		{ echo "profanity15.sh: $name: no device list of $jid" >&2; return 1; }
	if ! _prof15_polls 6 _prof15_ready "$name" "$jid"; then
		prof15_cmd "$name" "/omemo end"
		prof15_cmd "$name" "/omemo start $jid"
		_prof15_until 10 _prof15_ready "$name" "$jid" ||
			{ echo "profanity15.sh: $name: no OMEMO session with $jid" >&2; return 1; }
	fi
	echo "$jid" >> "$d/omemo_started"
}

# prof15_send NAME JID TEXT: TEXT to JID, OMEMO-encrypted.
prof15_send() {
	prof15_omemo_start "$1" "$2" || return 1
	prof15_cmd "$1" "$3"
}

# prof15_messages NAME: every message of its history as a JSON line
# (from, to, body, type, encryption, id, time).
prof15_messages() {
	local d jid
	d=$(prof15_dir "$1"); jid=$(cat "$d/jid")
	"$TESTNET_PYTHON" - "$d/data/profanity/database/${jid//@/_at_}/chatlog.db" <<'EOF'
import json, sqlite3, sys, os
if not os.path.exists(sys.argv[1]):
    sys.exit(0)
db = sqlite3.connect('file:%s?mode=ro' % sys.argv[1], uri=True, timeout=2)
for r in db.execute('SELECT from_jid, to_jid, message, type, encryption, stanza_id, timestamp '
                    'FROM ChatLogs ORDER BY id'):
    print(json.dumps(dict(zip(('from', 'to', 'body', 'type', 'encryption', 'id', 'time'), r)),
                     ensure_ascii=False, separators=(',', ':')))
EOF
}

# prof15_wait_msg NAME FROM TEXT [SECONDS]: see the top.
prof15_wait_msg() {
	local name=$1 from=$2 text=$3 secs=${4:-10} i enc
	for i in $(seq 1 $((secs * 10))); do
		enc=$(prof15_messages "$name" | "$TESTNET_PYTHON" -c '
import json, sys
for l in sys.stdin:
    m = json.loads(l)
    if m["from"] == sys.argv[1] and m["body"] == sys.argv[2]:
        print(m["encryption"] or "none"); break' "$from" "$text")
		if [ -n "$enc" ]; then
			echo "$enc"
			return 0
		fi
		sleep 0.1
	done
	echo "prof15_wait_msg: $name: nothing from $from saying '$text' after ${secs}s" >&2
	return 1
}

# prof15_stop NAME: /quit, and the tmux server goes after 1 s at most
# (profanity's /quit can take seconds; all its state is on disk already).
prof15_stop() {
	local d pid
	d=$(prof15_dir "$1")
	[ -S "$d/tmux.sock" ] || return 0
	prof15_cmd "$1" "/quit" 2>/dev/null
	pid=$(cat "$d/pid" 2>/dev/null)
	[ -n "$pid" ] && _prof15_until 1 _prof15_gone "$pid"
	_prof15_tmux "$1" kill-server 2>/dev/null
	for pid in $(cat "$d/pid" "$d/tmux.pid" 2>/dev/null); do
		kill -TERM "$pid" 2>/dev/null
	done
	return 0
}

_prof15_gone() { ! kill -0 "$1" 2>/dev/null; }
