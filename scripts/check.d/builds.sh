# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# scripts/check: the builds beside the walk: clang and i386 W=1 builds
# of the touched objects, the UAPI header test.  Sourced, not run.

check_build_variant() {	# NAME make-args...
	local name=$1 out=$BUILD/check-$1 rc=0
	shift

	configure "$TREE" "$out" "$@"
	make -C "$TREE" O="$out" -j"$JOBS" -s "$@" W=1 prepare >/dev/null 2>&1
	make -C "$TREE" O="$out" -j"$JOBS" -s "$@" W=1 $(objects) > "$LOGS/$name.log" 2>&1 || rc=1
	# Every touched object must build; warnings count in the files the
	# series adds (net/ipn, the UAPI header).  The files it only edits
	# get one table entry each, and their W=1 output is compared with
	# the base tree's by the sparse and smatch walk.
	if grep -a -E '(warning|error):' "$LOGS/$name.log" |
	   grep -a -q -E 'net/ipn/|linux/ipn\.h'; then
		rc=1
	fi
	[ $rc -eq 0 ] || grep -a -E '(warning|error):' "$LOGS/$name.log" | head -n 20
	result "$name W=1 build of $(objects | tr '\n' ' ')" $rc
}

check_uapi() {
	local out=$BUILD/bisect rc=0

	make -C "$TREE" O="$out" -j"$JOBS" -s headers > "$LOGS/uapi.log" 2>&1 || rc=1
	make -C "$TREE" O="$out" -j"$JOBS" -s usr/ >> "$LOGS/uapi.log" 2>&1 || rc=1
	[ $rc -eq 0 ] || tail -n 20 "$LOGS/uapi.log"
	result "UAPI header test" $rc
}
