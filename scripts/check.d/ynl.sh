# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# scripts/check: the ipn generic netlink family the way netdev checks
# YNL families.  Sourced, not run.

check_ynl() {
	local log=$LOGS/ynl.log rc before

	# The generated kernel, UAPI and user files match ipn.yaml: the
	# tree's diff is the same after regenerating them.  A stale file
	# is left regenerated, as ynl-regen.sh leaves it.
	rc=0
	before=$(git -C "$TREE" diff | sha1sum)
	"$TREE/tools/net/ynl/ynl-regen.sh" -f -p "$TREE" > "$log" 2>&1 || rc=1
	[ "$(git -C "$TREE" diff | sha1sum)" = "$before" ] || rc=1
	[ $rc -eq 0 ] || { tail -n 20 "$log"; git -C "$TREE" diff --stat; }
	result "ynl-regen.sh -f leaves no diff" $rc

	rc=0
	make -s -C "$TREE/tools/net/ynl" schema_check > "$log" 2>&1 || rc=1
	grep -q '^ok .*ipn\.yaml' "$log" || rc=1
	if grep '^not ok' "$log"; then rc=1; fi
	result "the netlink specs pass the YAML schema check" $rc

	rc=0
	make -s -C "$TREE/tools/net/ynl" distclean > "$log" 2>&1
	make -s -j"$JOBS" -C "$TREE/tools/net/ynl" >> "$log" 2>&1 || rc=1
	[ $rc -eq 0 ] || tail -n 20 "$log"
	make -s -C "$TREE/tools/net/ynl" distclean >/dev/null 2>&1
	result "make -C tools/net/ynl builds with ipn.yaml" $rc
}
