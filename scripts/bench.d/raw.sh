# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034,SC2154 # the variables of scripts/bench
# scripts/bench: raw.txt, the one input of the report.  read_raw takes
# the run's parameters from its H lines and the fan-out means over the
# passes; the accessors below give one figure each.  Sourced, not run.

transports="ipn ipn-lossless udp unix vde tipc"
declare -A tlabel=(
	[ipn]="AF_IPN broadcast (lossy)"
	[ipn-lossless]="AF_IPN lossless"
	[udp]="UDP multicast on lo"
	[unix]="AF_UNIX dgram, sendto loop"
	[vde]="vde_switch hub (vde2)"
	[tipc]="TIPC group (node scope)"
)

hinfo() { awk -v k="$1" '$1 == "H" && $2 == k { $1 = $2 = ""; sub(/^ +/, ""); print; exit }' "$raw"; }
info() { awk -v k="$1" '$1 == "I" && $2 == k { $1 = $2 = ""; sub(/^ +/, ""); print; exit }' "$raw"; }

# read_raw RAW: the run's parameters (quick passes secs ns sizes memsizes
# memcount elapsed vrc batch), the fan-out means in $agg, the points
# where the targets are read (target_ns n_lo n_hi) and the count of
# failures.  In $agg the batched variant of TRANSPORT is TRANSPORT+mmsg
# (its R lines end in the batch, > 1, and "mmsg"), and the one with
# io_uring receivers TRANSPORT+uring (the batch, "uring"); raw.txt from
# before the variants has neither field.  A row at the transport's
# default queues (QUEUES "default") gets "@dq" after that.
read_raw() {
	raw=$1
	quick=$(hinfo quick) passes=$(hinfo passes) secs=$(hinfo secs) ns=$(hinfo ns)
	sizes=$(hinfo sizes) memsizes=$(hinfo memsizes) elapsed=$(hinfo elapsed)
	memcount=$(hinfo memcount) batch=$(hinfo batch) queuesns=$(hinfo queuesns)
	vrc=$(hinfo vmrc)
	[ "$quick" = 1 ] || quick=

	# One row per (size, N, transport and variant): the means over the passes.
	agg=$out/.fanout.dat
	awk '$1 == "R" && $3 == "fanout" {
		k = $6 " " $5 " " $4 ($16 == "uring" ? "+uring" : $15 > 1 ? "+mmsg" : "")
		k = k ($18 == "default" ? "@dq" : "")
		if (!(k in n)) order[++nk] = k
		n[k]++; sent[k] += $7; del[k] += $8; el[k] += $10
		tx[k] += $11; rx[k] += $12; tot[k] += $13; sq[k] += $14
		rate[k] += $8 / $5 / ($10 / 1e9)
		ratio[k] += $8 / ($7 * $5)
		if ($17 == "") nosl[k] = 1; else sl[k] += $17
	}
	END {
		for (i = 1; i <= nk; i++) {
			k = order[i]
			split(k, f, " ")
			# size N transport rate/reader delivered% sender rx total
			# softirq processes (us/msg) sleeps/msg of the readers
			printf "%s %s %s %.0f %.1f %.2f %.2f %.2f %.2f %.2f %s\n", f[1], f[2], f[3],
				rate[k] / n[k], 100 * ratio[k] / n[k],
				tx[k] / del[k] / 1e3, rx[k] / del[k] / 1e3,
				tot[k] / del[k] / 1e3, sq[k] / del[k] / 1e3,
				(tx[k] + rx[k]) / del[k] / 1e3,
				k in nosl ? "-" : sprintf("%.3f", sl[k] / del[k])
		}
	}' "$raw" | sort -k1,1n -k2,2n > "$agg"

	# The points where the targets are read: N = 16 and 64, or the largest
	# N measured when the run stopped below them (--quick).
	target_ns=$(for n in 16 64; do grep -qw "$n" <<<"$ns" && echo "$n"; done || true)
	[ -n "$target_ns" ] || target_ns=$(awk '{ print $1; print $NF }' <<<"$ns")
	n_lo=$(head -n 1 <<<"$target_ns")
	n_hi=$(tail -n 1 <<<"$target_ns")

	fails=$(grep -c '^F ' "$raw" || true)
}

# value SIZE N TRANSPORT COLUMN: one number of fanout.dat, or "-"
value() {
	awk -v s="$1" -v n="$2" -v t="$3" -v c="$4" \
		'$1 == s && $2 == n && $3 == t { print $c; f = 1 } END { if (!f) print "-" }' "$agg"
}

# ratio A B: A/B with two decimals, "-" if either is missing
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f\n", a / b }'
}

# verdict VALUE OP TARGET
verdict() {
	awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {
		if (v == "-") { print "not measured"; exit }
		ok = op == "<=" ? v <= t : v >= t
		print ok ? "met" : "**missed**"
	}'
}

l2v() {	# l2v PATH SIZE FIELD: mean over passes of a per-frame figure
	awk -v p="$1" -v s="$2" -v f="$3" '$1 == "R" && $3 == "l2" && $4 == p && $5 == s {
		sent = $6; del = $7; el = $8
		if (f == "rate") v += del / (el / 1e9)
		else if (f == "ratio") v += 100 * del / sent
		else if (f == "total") v += $11 / del / 1e3
		else if (f == "sender") v += $9 / del / 1e3
		n++
	}
	END { if (!n) print "-"; else if (f == "rate") printf "%.0f\n", v / n
	      else printf "%.2f\n", v / n }' "$raw"
}

lookup() {	# lookup ENTRIES: ns per lookup (mean of the lines), or "-"
	awk -v e="$1" '$1 == "L" && $3 == e { v += $2; n++ } END { if (n) printf "%.0f\n", v / n; else print "-" }' "$raw"
}

memv() {	# memv TRANSPORT N SIZE FIELD
	awk -v t="$1" -v n="$2" -v s="$3" -v f="$4" '$1 == "R" && $3 == "mem" && $4 == t && $5 == n && $6 == s {
		v += (f == "charged" ? $8 : $9) / $7; k++
	}
	END { if (k) printf "%.0f\n", v / k; else print "-" }' "$raw"
}

