# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# scripts/check: static analysis of the sources that needs no build:
# kernel-doc on the touched files, coccicheck on net/ipn.  Sourced, not
# run.

# kernel-doc prints "file.c:123 text": drop the line numbers, which the
# series shifts, so only new warnings differ from the base tree's.
kdoc_lines() {
	sed -E 's#(\.[ch]):[0-9]+:?#\1#' | sort -u
}

check_kdoc() {
	local f rc=0 files

	files=$(touched '*.c' '*.h')
	[ -n "$files" ] || { result "kernel-doc" 0 "no touched files"; return; }
	for f in $files; do
		(cd "$TREE" && git show "base:$f" 2>/dev/null > "$LOGS/kdoc.base.tmp" || : > "$LOGS/kdoc.base.tmp"
		 scripts/kernel-doc -Wall -none "$LOGS/kdoc.base.tmp" 2>&1 | sed "s#$LOGS/kdoc.base.tmp#$f#" ) |
			kdoc_lines > "$LOGS/kdoc.base"
		(cd "$TREE" && scripts/kernel-doc -Wall -none "$f" 2>&1) |
			kdoc_lines > "$LOGS/kdoc.head"
		if [ -n "$(comm -13 "$LOGS/kdoc.base" "$LOGS/kdoc.head")" ]; then
			comm -13 "$LOGS/kdoc.base" "$LOGS/kdoc.head"
			rc=1
		fi
	done
	result "kernel-doc -Wall on $(echo "$files" | wc -w) touched file(s)" $rc
}

check_cocci() {
	local rc=0

	if [ ! -d "$TREE/net/ipn" ]; then
		note "no net/ipn yet: coccicheck skipped"
		return
	fi
	make -C "$TREE" O="$BUILD/bisect" -s coccicheck MODE=report M=net/ipn \
		> "$LOGS/cocci.log" 2>&1 || rc=1
	grep -E '^(net|\./net|.*/net/ipn)/.*(WARNING|ERROR)' "$LOGS/cocci.log" && rc=1
	result "coccicheck MODE=report net/ipn" $rc
}
