# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# scripts/check: the walk over the series in one build directory: each
# patch built in order (bisect), sparse and smatch on the base tree and
# on the last commit (only new warnings count).  Sourced, not run.

# A source tree for the walk: a detached git worktree of the work tree.
walk_tree() {
	local src=$BUILD/walk

	if [ ! -f "$src/.git" ] || ! git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
		rm -rf "$src"
		git -C "$TREE" worktree prune
		git -C "$TREE" worktree add -q --detach "$src" base
	fi
	echo "$src"
}

# Normalise checker output: drop line/column numbers so shifted lines
# compare equal, keep only warnings and errors.
checker_lines() {
	# This sparse trips over 7.3's container_of() inside every
	# hlist_for_each_entry_rcu() (br_fdb.c and neighbour.h as well):
	# a false positive of the checker, not of the code it checks.
	grep -a -E '(warning|error):' "$1" |
		grep -a -v 'pointer type mismatch in container_of()' |
		sed -E 's#^([^:]*):[0-9]+:[0-9]+:#\1:#; s#^([^:]*):[0-9]+:#\1:#; s#^\.\./##' |
		sed -E "s#$BUILD/walk/##g" | sort -u || true
}

run_checker() {	# run_checker NAME SRC OUT LOG
	local name=$1 src=$2 out=$3 log=$4 tool

	case "$name" in
	sparse) tool=$SPARSE ;;
	smatch) tool="$SMATCH -p=kernel" ;;
	esac
	# C=2 checks every named object, rebuilt or not.  The kernel turns C=1
	# off when it rejects the checker: make that an error, not a pass.
	kmake_in "$src" O="$out" -k W=1 C=2 CHECK="$tool" $(objects) > "$log" 2>&1 || true
	if grep -q 'not available or not up to date' "$log"; then
		die "the kernel rejected $name ($tool): the check would check nothing"
	fi
}

# The walk: the base tree gets the checkers, then each patch is built in
# order in one build directory; the last commit gets the checkers again.
check_walk() {
	local src out=$BUILD/bisect rc commit n=0 total name

	src=$(walk_tree)
	git -C "$src" checkout -q --detach base
	configure "$src" "$out"
	kmake_in "$src" O="$out" prepare >/dev/null 2>&1
	for name in sparse smatch; do
		wanted "$name" && run_checker "$name" "$src" "$out" "$LOGS/$name.base.log"
	done
	total=$(git -C "$TREE" rev-list --count base..HEAD)
	for commit in $(git -C "$TREE" rev-list --reverse base..HEAD); do
		n=$((n + 1))
		git -C "$src" checkout -q --detach "$commit"
		rc=0
		if wanted bisect; then
			make -C "$src" O="$out" -s olddefconfig >/dev/null 2>&1
			kmake_in "$src" O="$out" vmlinux modules > "$LOGS/bisect.$n.log" 2>&1 || rc=1
			[ $rc -eq 0 ] || tail -n 20 "$LOGS/bisect.$n.log"
			result "bisect $n/$total $(git -C "$TREE" log --format=%s -1 "$commit")" $rc
		fi
	done
	make -C "$src" O="$out" -s olddefconfig >/dev/null 2>&1
	for name in sparse smatch; do
		wanted "$name" || continue
		run_checker "$name" "$src" "$out" "$LOGS/$name.log"
		comm -13 <(checker_lines "$LOGS/$name.base.log") <(checker_lines "$LOGS/$name.log") \
			> "$LOGS/$name.new"
		rc=0
		[ -s "$LOGS/$name.new" ] && { rc=1; cat "$LOGS/$name.new"; }
		result "$name W=1 C=2 on $(objects | tr '\n' ' ')" $rc "$(wc -l < "$LOGS/$name.new") new warning(s)"
	done
}
