# backports.sh: sourced (bash). Fetches packages from bookworm-backports
# WITHOUT installing them: a private apt configuration (own sources, lists
# and cache, the system's keyring and dpkg status) downloads the .debs and
# dpkg-deb -x unpacks them into a cache folder. Nothing under /etc changes.
#
#   backports_unpack PKG=VERSION-GLOB DEST   # e.g. prosody '13.*' -> dir
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
# (kept between runs: a DEST/.ok marker says it is complete).
backports_unpack() {
	local pkg=$1 glob=$2 dest=$3 deb ver
	[ -f "$dest/.ok" ] && return 0
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
	rm -rf "$dest" && mkdir -p "$dest" && dpkg-deb -x "$deb" "$dest" &&
		touch "$dest/.ok"
}

# backports_unpack_set DEST PKG...: the bookworm-backports version of every
# PKG (those without one: skipped, the system's copy is used), downloaded
# and unpacked together into DEST (kept between runs, DEST/.ok marker).
backports_unpack_set() {
	local dest=$1 p v list=() debs
	shift
	[ -f "$dest/.ok" ] && return 0
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
		dpkg-deb -x "$p" "$dest" || return 1
	done
	touch "$dest/.ok"
}
