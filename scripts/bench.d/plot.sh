# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # the variables of scripts/bench
# scripts/bench: fanout.png, msgs/s per reader (top) and total CPU per
# delivery (bottom) against N, 64 and 1400 bytes side by side, from the
# fan-out means of raw.sh; the batched variant of each transport dashed
# and the io_uring one dotted, in its colour.  Sourced, not run.

# plot_fanout: the data in one block per size, transport and variant,
# in that order, and the gnuplot script that reads them
plot_fanout() {
	local pdat=$out/.fanout-plot.dat plot=$out/.fanout.gp s t v what col i c line

	: > "$pdat"
	for s in $sizes; do
		for t in $transports; do
			for v in "" +mmsg +uring; do
				awk -v s="$s" -v t="$t$v" '$1 == s && $3 == t { print $2, $4, $8; f = 1 }
					END { if (!f) print "1 NaN NaN" }' "$agg" >> "$pdat"
				printf '\n\n' >> "$pdat"
			done
		done
	done
	{
		echo "set terminal pngcairo size 1200,900 font ',10' noenhanced"
		echo "set output '$out/fanout.png'"
		echo "set multiplot layout 2,2 title 'AF_IPN fan-out 1->N, kernel $(info kernel)$( [ "$(info debug)" = yes ] && echo ' (debug build)'), QEMU TCG, $(info cpus) vCPUs'"
		echo "set logscale x 2"
		echo "set logscale y 10"
		echo "set xlabel 'N readers'"
		echo "set grid"
		echo "set key top right font ',8'"
		for what in "2:msgs/s delivered per reader" "3:total CPU per delivered message (us)"; do
			col=${what%%:*}
			i=0
			for s in $sizes; do
				echo "set title '$s-byte messages (dashed: batched, dotted: io_uring)'"
				echo "set ylabel '${what#*:}'"
				line="plot" c=0
				for t in $transports; do
					c=$((c + 1))
					line+=" '$pdat' index $i using 1:$col with linespoints lc $c title '${tlabel[$t]}',"
					line+=" '$pdat' index $((i + 1)) using 1:$col with linespoints lc $c dt 2 notitle,"
					line+=" '$pdat' index $((i + 2)) using 1:$col with linespoints lc $c dt 3 notitle,"
					i=$((i + 3))
				done
				echo "${line%,}"
			done
		done
		echo "unset multiplot"
	} > "$plot"
	if ! gnuplot "$plot" 2>"$out/gnuplot.err"; then
		cat "$out/gnuplot.err" >&2
		die "gnuplot failed"
	fi
	rm -f "$plot" "$pdat" "$agg" "$out/gnuplot.err"
}
