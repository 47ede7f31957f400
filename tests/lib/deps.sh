#!/bin/bash
# deps.sh: installs the Debian packages ward needs to build and to run its
# tests, without letting the distro's prosody/nsd services start.
#   as a script:  tests/lib/deps.sh [build|test|all] [extra packages...]
#   sourced:      deps_install [extra packages...]      (build + test)
#                 deps_install_set build|test|all [extra packages...]
#                 deps_missing PKG...                    (prints the missing ones)
# Not root: prints what is missing and the apt-get command, returns 1.

DEPS_BUILD="gcc make pkg-config libstrophe-dev libexpat1-dev libssl-dev
libunbound-dev libsqlite3-dev libncurses-dev libcurl4-openssl-dev
libgcrypt20-dev libsignal-protocol-c-dev libcmocka-dev dns-root-data libevent-dev"
# DEPS_TEST: ncurses-term for tmux-direct (the UI's direct colour,
# tests/ui/colours.sh); the servers, peers and tools of the tests, and the bookworm
# libraries of the peers unpacked from bookworm-backports (never installed,
# tests/net/backports.sh): profanity 0.15 (tests/net/profanity15.sh) loads
# the libraries of its Depends line below; Prosody 13 (prosody13.sh) those
# of Prosody 0.12 (prosody); ejabberd 24 (ejabberd.sh) the Erlang of
# ejabberd 23 (ejabberd). Each unpacked peer is checked to start before it
# is used: a library missing here makes its test FAIL, naming it.
DEPS_TEST="prosody lua-unbound nsd ldnsutils python3-slixmpp openssl tmux ncurses-term
clang libclang-rt-14-dev valgrind iproute2 util-linux groff-base ejabberd lua5.4
python3-omemo python3-oldmemo python3-xmlschema python3-cryptography
libcurl3-gnutls libgcrypt20 libgdk-pixbuf-2.0-0 libglib2.0-0 libgpgme11
libgtk-3-0 libncursesw6 libnotify4 libotr5 libpython3.11 libqrencode4
libreadline8 libsignal-protocol-c2.3.2 libsqlite3-0 libtinfo6 libx11-6 libxss1"

# deps_missing PKG...: prints the packages that are not installed.
deps_missing() {
	local p
	for p in "$@"; do
		case $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) in
		"install ok installed") ;;
		*) echo "$p" ;;
		esac
	done
}

# _deps_service_pids: PIDs of distro-style prosody/nsd daemons, i.e. those
# running without a config of their own or with one under /etc (test
# instances pass --config / -c with a path of their own). Used only to tell
# what an install started.
_deps_service_pids() {
	local pid cmd
	for pid in /proc/[0-9]*; do
		pid=${pid#/proc/}
		cmd=$( { tr '\0' ' ' < "/proc/$pid/cmdline"; } 2>/dev/null) || continue
		case $cmd in
		*prosodyctl*) ;;
		*/usr/bin/prosody*)
			case $cmd in
			*"--config /etc/"*|*"--config=/etc/"*) echo "$pid" ;;
			*--config*) ;;
			*) echo "$pid" ;;
			esac ;;
		/usr/sbin/nsd*|nsd\ *)
			case $cmd in
			*" -c /etc/"*) echo "$pid" ;;
			*" -c "*) ;;
			*) echo "$pid" ;;
			esac ;;
		esac
	done
}

# _deps_apt_install PKG...: as root; a temporary policy-rc.d keeps the
# packages' services from starting; anything of prosody/nsd that started
# anyway during this install is stopped again (by PID; nothing else).
_deps_apt_install() {
	local made_policy=0 before after pid rc
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\n# temporary, from ward tests/lib/deps.sh\nexit 101\n' \
			> /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && made_policy=1
	fi
	before=" $(_deps_service_pids | tr '\n' ' ') "
	echo "deps: apt-get update" >&2
	if apt-get update -qq; then
		echo "deps: installing $*" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends "$@"
		rc=$?
	else
		echo "deps: apt-get update failed" >&2
		rc=1
	fi
	after=$(_deps_service_pids)
	for pid in $after; do
		case $before in
		*" $pid "*) ;;
		*)
			echo "deps: stopping a service daemon the install started (PID $pid: $(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null))" >&2
			kill -TERM "$pid" 2>/dev/null
			;;
		esac
	done
	[ "$made_policy" -eq 1 ] && rm -f /usr/sbin/policy-rc.d
	return "$rc"
}

# deps_install_set build|test|all [EXTRA...]: installs what is missing.
deps_install_set() {
	local set=${1:-all} want missing
	shift
	case $set in
	build) want="$DEPS_BUILD" ;;
	test) want="$DEPS_TEST" ;;
	all) want="$DEPS_BUILD $DEPS_TEST" ;;
	*) echo "deps: unknown set '$set' (build, test or all)" >&2; return 2 ;;
	esac
	# shellcheck disable=SC2086
	missing=$(deps_missing $want "$@" | tr '\n' ' ')
	missing=${missing% }
	if [ -z "$missing" ]; then
		echo "deps: everything for '$set' is installed" >&2
		return 0
	fi
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps: missing packages: $missing" >&2
		echo "deps: as root, run:" >&2
		echo "  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing" >&2
		return 1
	fi
	# shellcheck disable=SC2086
	_deps_apt_install $missing || return 1
	# shellcheck disable=SC2086
	missing=$(deps_missing $missing | tr '\n' ' ')
	if [ -n "$missing" ]; then
		echo "deps: still missing after install: $missing" >&2
		return 1
	fi
	return 0
}

# deps_install [EXTRA...]: everything to build and test ward, plus EXTRA.
deps_install() {
	deps_install_set all "$@"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	case ${1:-all} in
	build|test|all) deps_install_set "${1:-all}" "${@:2}"; exit $? ;;
	-h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "usage: $0 [build|test|all] [extra packages...]" >&2; exit 2 ;;
	esac
fi
