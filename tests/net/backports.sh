# backports.sh: sourced (bash). Fetches packages from bookworm-backports
# WITHOUT installing them: a private apt configuration (own sources, lists
# and cache, the system's keyring and dpkg status) downloads the .debs and
# dpkg-deb -x unpacks them into a cache folder. Nothing under /etc changes.
#
#   backports_install DEST UNPACK CHECK   # DEST ready: unpacked AND started
#   backports_unpack PKG VERSION-GLOB DEST    # e.g. prosody '13\.' -> dir
#   backports_unpack_set DEST PKG...
#   backports_ldd_check DIR [LIBPATH]     # no "not found" library under DIR
#
# A DEST/.ok marker means "unpacked and seen to start": only
# backports_install writes it, after CHECK succeeded; the unpack functions
# never do. The libraries the unpacked programs load from the system are
# in DEPS_TEST (tests/lib/deps.sh).
#
# Cache: $WARD_BACKPORTS_CACHE (default /var/cache/ward-tests/backports as
# root, else ~/.cache/ward-tests/backports). Needs network to Debian's
# archive once; later runs use the cache.

WARD_BACKPORTS_CACHE=${WARD_BACKPORTS_CACHE:-$(
	if [ "$(id -u)" -eq 0 ]; then echo /var/cache/ward-tests/backports
	else echo "${XDG_CACHE_HOME:-$HOME/.cache}/ward-tests/backports"; fi)}
export WARD_BACKPORTS_CACHE

# _backports_apt_setup: the private apt tree, with the same archive URI as
# the machine's own Debian entry.
_backports_apt_setup() {
	local c=$WARD_BACKPORTS_CACHE uri
	mkdir -p "$c/apt/etc/sources.list.d" "$c/apt/etc/preferences.d" \
		"$c/apt/etc/apt.conf.d" "$c/apt/lists/partial" \
		"$c/apt/archives/partial" "$c/debs" || return 1
	uri=$(grep -hoE '^URIs:[[:space:]]*[^[:space:]]*debian/?$' \
		/etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1 | awk '{print $2}')
	[ -n "$uri" ] || uri=$(grep -hoE '^deb[[:space:]]+[^[:space:]]*debian/?[[:space:]]' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | head -n 1 | awk '{print $2}')
	[ -n "$uri" ] || uri=http://deb.debian.org/debian
	cat > "$c/apt/etc/sources.list.d/backports.sources" <<EOT
Types: deb
URIs: $uri
Suites: bookworm bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOT
	cat > "$c/apt/apt.conf" <<EOT
Dir::Etc "$c/apt/etc";
Dir::Etc::SourceList "/dev/null";
Dir::Etc::SourceParts "$c/apt/etc/sources.list.d";
Dir::Etc::Preferences "/dev/null";
Dir::Etc::PreferencesParts "$c/apt/etc/preferences.d";
Dir::Etc::Parts "$c/apt/etc/apt.conf.d";
Dir::State "$c/apt";
Dir::State::Lists "$c/apt/lists";
Dir::State::status "/var/lib/dpkg/status";
Dir::Cache "$c/apt";
Dir::Cache::Archives "$c/apt/archives";
Dir::Etc::trusted "/etc/apt/trusted.gpg";
Dir::Etc::trustedparts "/etc/apt/trusted.gpg.d";
APT::Sandbox::User "root";
EOT
}

# backports_apt ARGS...: apt-get with the private configuration.
backports_apt() {
	APT_CONFIG=$WARD_BACKPORTS_CACHE/apt/apt.conf apt-get -q "$@"
}

# backports_unpack PKG VERSION-GLOB DEST: DEST holds the unpacked package
# (emptied first; no marker: see backports_install). The .deb is kept in
# the cache; one that does not unpack is deleted.
backports_unpack() {
	local pkg=$1 glob=$2 dest=$3 deb ver
	_backports_apt_setup || return 1
	ls "$WARD_BACKPORTS_CACHE/debs/${pkg}_"*.deb >/dev/null 2>&1 || {
		backports_apt update >/dev/null 2>&1 ||
			{ echo "backports.sh: apt-get update failed" >&2; return 1; }
		ver=$(APT_CONFIG=$WARD_BACKPORTS_CACHE/apt/apt.conf apt-cache madison "$pkg" |
			awk -F'|' '{gsub(/ /,"",$2); print $2}' | grep -E "^$glob" | head -n 1)
		[ -n "$ver" ] || { echo "backports.sh: no $pkg $glob in bookworm-backports" >&2; return 1; }
		(cd "$WARD_BACKPORTS_CACHE/debs" && backports_apt download "$pkg=$ver" >/dev/null 2>&1) ||
			{ echo "backports.sh: cannot download $pkg=$ver" >&2; return 1; }
	}
	deb=$(ls "$WARD_BACKPORTS_CACHE/debs/${pkg}_"*.deb | head -n 1)
	rm -rf "$dest" && mkdir -p "$dest" || return 1
	dpkg-deb -x "$deb" "$dest" ||
		{ echo "backports.sh: $deb does not unpack (deleted)" >&2; rm -f "$deb"; return 1; }
}

# backports_unpack_set DEST PKG...: the bookworm-backports version of every
# PKG (those without one: skipped, the system's copy is used), downloaded
# and unpacked together into DEST (emptied first; no marker: see
# backports_install).
backports_unpack_set() {
	local dest=$1 p v list=() debs
	shift
	_backports_apt_setup || return 1
	backports_apt update >/dev/null 2>&1 ||
		{ echo "backports.sh: apt-get update failed" >&2; return 1; }
	for p in "$@"; do
		v=$(APT_CONFIG=$WARD_BACKPORTS_CACHE/apt/apt.conf apt-cache madison "$p" |
			grep bookworm-backports | head -n 1 | awk -F'|' '{gsub(/ /,"",$2); print $2}')
		[ -n "$v" ] && list+=("$p=$v")
	done
	[ ${#list[@]} -gt 0 ] || { echo "backports.sh: none of $* in bookworm-backports" >&2; return 1; }
	debs=$dest.debs
	rm -rf "$debs" "$dest" && mkdir -p "$debs" "$dest" || return 1
	(cd "$debs" && backports_apt download "${list[@]}" >/dev/null 2>&1) ||
		{ echo "backports.sh: cannot download ${list[*]}" >&2; return 1; }
	for p in "$debs"/*.deb; do
		dpkg-deb -x "$p" "$dest" ||
			{ echo "backports.sh: $p does not unpack" >&2; return 1; }
	done
}

# backports_ldd_check DIR [LIBPATH]: every shared object and every program
# in a bin/ folder under DIR finds its libraries (LIBPATH first, then the
# system's). Prints the missing ones ("FILE: libX.so => not found") on
# stderr and returns 1 when there is one.
backports_ldd_check() {
	local dir=$1 libs=${2:-} files miss
	mapfile -t files < <(find "$dir" -type f \( -name '*.so' -o -name '*.so.*' \
		-o -path '*/bin/*' -o -path '*/sbin/*' \))
	[ ${#files[@]} -gt 0 ] || { echo "backports.sh: nothing to run in $dir" >&2; return 1; }
	# one ldd for all: it heads each file's list with "FILE:"
	miss=$(LD_LIBRARY_PATH=$libs ldd "${files[@]}" 2>/dev/null | awk -v d="$dir/" -v f="${files[0]#"$dir"/}" '
		/^[^\t].*:$/ { f = substr($0, 1, length($0) - 1); sub("^" d, "", f); next }
		/not found/ { sub(/^[ \t]+/, ""); print "backports.sh: " f ": " $0 }')
	[ -z "$miss" ] && return 0
	printf '%s\n' "$miss" >&2
	return 1
}

# backports_install DEST UNPACK CHECK: makes DEST ready. UNPACK (a command
# that fills DEST) runs unless DEST/.ok is there; CHECK (a command that runs
# what was unpacked, non-zero with the reason on stderr when it cannot
# start) runs every time, also on a ready DEST (a system library it needs
# may have gone since). DEST/.ok is written only after CHECK succeeded and
# removed when it fails, so a broken unpack is never taken as good: the
# next call unpacks again. Non-zero, with the reason on stderr, when DEST
# is not ready.
backports_install() {
	local dest=$1 name=${1##*/} lock st
	# one unpack at a time per tree (tests may run side by side)
	mkdir -p "$WARD_BACKPORTS_CACHE" || return 1
	exec {lock}> "$WARD_BACKPORTS_CACHE/.lock-$name"
	flock "$lock"
	_backports_install_locked "$@"
	st=$?
	exec {lock}>&-
	return $st
}

_backports_install_locked() {
	local dest=$1 unpack=$2 check=$3 name
	name=${dest##*/}
	if [ -f "$dest/.ok" ]; then
		"$check" && return 0
		rm -f "$dest/.ok"
		echo "backports.sh: $name (ready before, in $dest) does not start any more" >&2
		return 1
	fi
	"$unpack" || { echo "backports.sh: cannot unpack $name into $dest" >&2; return 1; }
	chmod -R a+rX "$dest" 2>/dev/null
	chmod a+rx "$WARD_BACKPORTS_CACHE" 2>/dev/null
	"$check" || {
		echo "backports.sh: $name unpacked into $dest but does not start (not marked ready)" >&2
		return 1
	}
	touch "$dest/.ok"
}
