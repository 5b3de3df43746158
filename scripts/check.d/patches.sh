# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# scripts/check: the patch files themselves: checkpatch, the MAINTAINERS
# entry, and that they are what the work tree holds.  Sourced, not run.

# checkpatch_findings LOG: the FILE: lines of LOG's warnings, errors and
# checks, but those in generated files (their first line names the spec
# and "YNL-GEN"), and one line per finding that names no file
checkpatch_findings() {
	awk -v tree="$TREE" '
	/^(WARNING|ERROR|CHECK):/ { open = 1; file = ""; next }
	open && /FILE: / {
		file = $0; sub(/.*FILE: /, "", file); sub(/:[0-9]+:.*/, "", file)
		next
	}
	open && /^$/ {
		open = 0
		if (file == "") { print "(no file)"; next }
		cmd = "grep -qs \"YNL-GEN\" " tree "/" file
		if (system(cmd) != 0)
			print file
	}' "$1"
}

check_checkpatch() {
	local p rc=0 extra=() dict log

	dict=$(/usr/bin/python3 -c 'import codespell_lib, os; print(os.path.join(os.path.dirname(codespell_lib.__file__), "data", "dictionary.txt"))' 2>/dev/null || true)
	[ -f "$dict" ] && extra=(--codespell --codespellfile "$dict")
	# New files are checked against MAINTAINERS by the 'maintainers' check,
	# which knows that net/ipn/ covers them; checkpatch only sees one patch.
	extra+=(--ignore FILE_PATH_CHANGES)
	while read -r p; do
		# Debian's python3 has ply (spdxcheck.py) and codespell_lib.
		log=$LOGS/checkpatch.$(basename "$p").log
		PATH=/usr/bin:$PATH "$TREE/scripts/checkpatch.pl" --strict --max-line-length=80 \
			"${extra[@]}" -q --summary-file "$p" > "$log" 2>&1 || true
		# Files that ynl-regen.sh generates are exempt, as upstream's are
		if checkpatch_findings "$log" | grep -q .; then
			rc=1
			cat "$log"
		fi
		result "checkpatch $(basename "$p")" $rc
		rc=0
	done < <(series_files)
}

check_maintainers() {
	local rc=0 f

	if [ ! -d "$TREE/net/ipn" ]; then
		note "no net/ipn yet: MAINTAINERS check skipped"
		return
	fi
	[ -f "$TOP/MAINTAINERS.fragment" ] || die "no MAINTAINERS.fragment"
	# The fragment must appear verbatim in the tree's MAINTAINERS.
	python3 - "$TOP/MAINTAINERS.fragment" "$TREE/MAINTAINERS" <<'PY' || rc=1
import sys
frag = open(sys.argv[1]).read().strip('\n')
tree = open(sys.argv[2]).read()
if frag + '\n' not in tree:
    print('MAINTAINERS.fragment is not an entry of MAINTAINERS')
    sys.exit(1)
PY
	for f in $(git -C "$TREE" diff --name-only --diff-filter=A base..HEAD); do
		(cd "$TREE" && scripts/get_maintainer.pl --no-git --no-rolestats -f "$f" 2>/dev/null) |
			grep -q 'af-ipn@example.org' || { echo "$f: not covered by the IPN entry"; rc=1; }
	done
	result "MAINTAINERS entry covers every new file" $rc
}

check_export() {
	local rc=0

	"$TOP/scripts/export" --check || rc=1
	result "scripts/export --check" $rc
}
