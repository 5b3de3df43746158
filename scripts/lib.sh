# SPDX-License-Identifier: GPL-2.0
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

# Kernel make in the work tree with ccache when available.
kmake() {
	local cc=()

	if command -v ccache >/dev/null 2>&1 && [ -z "${IPN_NO_CCACHE:-}" ]; then
		export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
		export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$TOP}
		cc=(CC="ccache ${IPN_CC:-gcc}")
	fi
	make -C "$TREE" -j"$JOBS" -s "${cc[@]}" "$@"
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
