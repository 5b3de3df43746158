# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Common settings for the AF_IPN series scripts.  Sourced, not run.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${IPN_BUILD_DIR:-$TOP/build}
TREE=$BUILD/linux
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/ipn
TOOLS=$CACHE/tools
JOBS=${IPN_JOBS:-$(nproc)}
SHARED=${IPN_SHARED:-$TOP/../shared}

die() {
	echo "${0##*/}: error: $*" >&2
	exit 1
}

note() {
	echo "${0##*/}: $*" >&2
}

# usage TEXT: print TEXT and exit when the first argument is --help/-h.
want_help() {
	case "${1:-}" in
	-h|--help) return 0 ;;
	esac
	return 1
}

need_tree() {
	[ -d "$TREE/.git" ] || die "no work tree at $TREE (run scripts/base first)"
}

# The patch files listed in 'series', one path per line.
series_files() {
	[ -f "$TOP/series" ] || return 0
	grep -v '^[[:space:]]*\(#\|$\)' "$TOP/series" | while read -r p; do
		echo "$TOP/$p"
	done
}

# ccache_env: when ccache is installed and IPN_NO_CCACHE is not set,
# point it at its cache in $CACHE/ccache, with $TOP as its base
# directory, and succeed; fail otherwise.
ccache_env() {
	command -v ccache >/dev/null 2>&1 && [ -z "${IPN_NO_CCACHE:-}" ] || return 1
	export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
	export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$TOP}
}

# kmake_in SRC [make args...]: kernel make in the source tree SRC,
# through ccache when ccache_env allows it.
kmake_in() {
	local src=$1 cc=()
	shift

	if ccache_env; then
		cc=(CC="ccache ${IPN_CC:-gcc}")
	fi
	make -C "$src" -j"$JOBS" -s "${cc[@]}" "$@"
}

# Kernel make in the work tree with ccache when available.
kmake() {
	kmake_in "$TREE" "$@"
}

# apt_install PACKAGE...: install, as root and quietly, those of the
# Debian packages that are not installed yet.  Dies when some are missing
# and this is not root, or when apt-get update fails; returns apt-get
# install's status.
apt_install() {
	local p missing=()

	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -gt 0 ] || return 0
	[ "$(id -u)" -eq 0 ] || die "missing packages (${missing[*]}) and not root"
	note "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >/dev/null || die "apt-get update failed"
	apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

# copy_with_libs BIN DEST LIBROOT [flat]: copy the program BIN to DEST (a
# file name, or a directory to copy it into) and every shared library ldd
# lists for it, the dynamic loader included, below LIBROOT: each at its
# own path (LIBROOT/lib/x86_64-linux-gnu/libc.so.6, for a root file
# system where BIN runs as it is), or with "flat" all in LIBROOT itself
# (to run BIN through the loader there with --library-path LIBROOT).  A
# static BIN gets no libraries.
copy_with_libs() {
	local bin=$1 dest=$2 libroot=$3 flat=${4:-} lib

	mkdir -p "$libroot"
	cp "$bin" "$dest"
	for lib in $(ldd "$bin" 2>/dev/null | grep -o '/[^ ]*' || true); do
		if [ -n "$flat" ]; then
			cp -L "$lib" "$libroot/"
		else
			mkdir -p "$libroot$(dirname "$lib")"
			cp -L "$lib" "$libroot$lib"
		fi
	done
}

# The first Debian mirror of this machine's own apt sources (both
# formats), or IPN_DEBIAN_MIRROR.
debian_mirror() {
	local f

	if [ -n "${IPN_DEBIAN_MIRROR:-}" ]; then
		echo "$IPN_DEBIAN_MIRROR"
		return
	fi
	{
		for f in /etc/apt/sources.list.d/*.sources; do
			[ -f "$f" ] || continue
			awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }' "$f"
		done
		for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
			[ -f "$f" ] || continue
			awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/ && $i !~ /=/) { print $i; break } }' "$f"
		done
	} | grep -v -e security -e '^cdrom:' | grep '/debian/\?$' | head -n 1
}

# backports_apt ARGS...: apt-get, or apt-cache when the first argument
# is "cache", through a private configuration that sees only
# trixie-backports of this machine's mirror, in $CACHE/apt.  The package
# lists are fetched once per day.
backports_apt() {
	local apt=$CACHE/apt mirror tool=apt-get opts

	if [ "${1:-}" = cache ]; then
		tool="apt-cache"
		shift
	fi
	opts=(-o Dir::Etc::SourceList="$apt/sources.list"
	      -o Dir::Etc::SourceParts="$apt/parts"
	      -o Dir::Etc::Preferences="$apt/prefs/none"
	      -o Dir::Etc::PreferencesParts="$apt/prefs"
	      -o Dir::State::Lists="$apt/lists"
	      -o Dir::State::status="$apt/status"
	      -o Dir::Cache="$apt"
	      -o Debug::NoLocking=1
	      -o APT::Sandbox::User=root
	      -o APT::Get::List-Cleanup=0
	      -q)
	if [ -z "$(find "$apt/lists" -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null)" ]; then
		mirror=$(debian_mirror) || true
		[ -n "$mirror" ] || die "no Debian mirror found in /etc/apt sources (set IPN_DEBIAN_MIRROR)"
		mkdir -p "$apt"/{lists/partial,archives/partial,parts,prefs}
		echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie-backports main" \
			> "$apt/sources.list"
		: > "$apt/status"
		note "fetching the trixie-backports package lists"
		apt-get "${opts[@]}" update >&2 ||
			die "apt-get update through the private configuration failed"
	fi
	"$tool" "${opts[@]}" "$@"
}

# debian_download PACKAGE: download PACKAGE from trixie-backports into
# $CACHE/deb (once) and print the path of its .deb.
debian_download() {
	local dir=$CACHE/deb debs

	mkdir -p "$dir"
	debs=("$dir/$1"_*.deb)
	if [ ! -f "${debs[0]}" ]; then
		note "downloading $1"
		(cd "$dir" && backports_apt download "$1" >&2) ||
			die "apt-get download $1 failed"
		debs=("$dir/$1"_*.deb)
		[ -f "${debs[0]}" ] || die "apt-get download gave no $1 package"
	fi
	echo "${debs[0]}"
}

# The one author identity every patch of the series carries.  The
# submitter's own identity is added by scripts/mail, never here.
IPN_AUTHOR_NAME="AF_IPN developers"
IPN_AUTHOR_EMAIL="af-ipn@example.org"

# Git in the work tree, committing as the project identity.
tgit() {
	git -C "$TREE" -c user.name="$IPN_AUTHOR_NAME" -c user.email="$IPN_AUTHOR_EMAIL" \
		-c core.abbrev=12 "$@"
}
