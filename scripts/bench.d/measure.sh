# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # the variables of scripts/bench
# scripts/bench: the measurement.  Build the guest side (the static
# ipn-bench, bench.sh, vde_switch and perf with their libraries), boot
# the VM once and keep the BENCH lines in $out/raw.txt.  Sourced, not run.

# copy_program PATH DIR VAR: PATH and its shared libraries into the
# guest's DIR, run through their own loader by the command in $VAR
copy_program() {
	local ld

	copy_with_libs "$1" "$guest/$2/" "$guest/$2/lib" flat
	ld=$(cd "$guest/$2/lib" && ls ld-linux*.so.* 2>/dev/null | head -n 1)
	[ -z "$ld" ] ||
		guest_env+=" $3='/extra/$2/lib/$ld --library-path /extra/$2/lib /extra/$2/${1##*/}'"
}

# Boot the VM once, run every measurement, write $out/raw.txt
measure() {
	local hdr inc=() vde npoints timeout start need=() khz batchns queuesns

	[ "$passes" -ge 1 ] 2>/dev/null || die "--passes needs a number"
	{ [ "$batch" -ge 2 ] && [ "$batch" -le 64 ]; } 2>/dev/null ||
		die "--batch needs a number from 2 to 64"
	kdir=$(cd "$kdir" 2>/dev/null && pwd) || die "no kernel directory $kdir"
	[ -f "$kdir/arch/x86/boot/bzImage" ] ||
		die "no kernel at $kdir/arch/x86/boot/bzImage (run scripts/build vm)"
	sizes="64 1400"
	# the batched variant at every N, but only at the largest in --quick
	if [ -n "$profile" ]; then
		ns="16 64" sizes=64 secs=${secs:-2} memsizes= memcount=0 passes=1
		batchns=$ns queuesns=
	elif [ -n "$quick" ]; then
		ns="1 2 4 8" secs=${secs:-0.5} memsizes=1400 memcount=2048
		batchns=8 queuesns=8
	else
		ns="1 2 4 8 16 32 64" secs=${secs:-2} memsizes="64 1400" memcount=8192
		batchns=$ns queuesns="16 64"
	fi

	# Beyond scripts/deps: vde2 for vde_switch (a vde_switch that is
	# missing or does not run in the VM is said in the results), and
	# liburing for the io_uring receivers.
	command -v vde_switch >/dev/null 2>&1 || need+=(vde2)
	command -v gcc >/dev/null 2>&1 || need+=(build-essential)
	[ -f /usr/include/liburing.h ] || need+=(liburing-dev)
	[ -z "$profile" ] || command -v perf >/dev/null 2>&1 || need+=(linux-perf)
	apt_install "${need[@]}" || note "apt-get install ${need[*]} failed"

	# The guest side: the static benchmark program, the script, and
	# vde_switch with its shared libraries, run through their own loader.
	guest=$BUILD/bench-guest guest_env=
	rm -rf "$guest"
	mkdir -p "$guest"
	hdr=$kdir/usr/include
	[ -f "$hdr/linux/ipn.h" ] || hdr=$BUILD/vm/usr/include
	[ -d "$hdr" ] && inc=(-isystem "$hdr")
	gcc -static -O2 -Wall "${inc[@]}" -o "$guest/ipn-bench" \
		"$TOP"/scripts/guest/bench/*.c -luring || die "building ipn-bench failed"
	cp "$TOP/scripts/guest/bench/bench.sh" "$guest/"
	# Without HPET or ACPI the guest cannot calibrate its TSC and keeps
	# time in jiffies (4 ms); under TCG its TSC is the host's.  Not for
	# the debug kernel: once in two boots with it, KASAN reported a wild
	# access in an early interrupt (handle_edge_irq during
	# identify_cpu), before any IPN code ran.
	khz=
	grep -q '^CONFIG_KASAN=y' "$kdir/.config" 2>/dev/null ||
		khz=$("$guest/ipn-bench" tsc-khz 2>/dev/null) || khz=
	vde=$(command -v vde_switch || true)
	[ -z "$vde" ] || copy_program "$vde" vde VDE_SWITCH
	[ -z "$profile" ] || copy_program "$(command -v perf)" perf PERF

	# Budget: per pass, 6 transports x (|N| + 2 x |batched N|) x 2 sizes
	# fan-out points, 3 x 2 x |queues N| x 2 sizes at default queues and
	# 4 switching runs, each with some setup; the memory runs, and the boot.
	npoints=$(( ($(wc -w <<<"$ns") + 2 * $(wc -w <<<"$batchns")) * 2 * 6 +
		    $(wc -w <<<"$queuesns") * 12 + 4 ))
	timeout=$(( 900 + passes * npoints * (${secs%.*} + 6) ))
	mkdir -p "$BUILD/logs" "$out"
	log=$BUILD/logs/bench-$(date +%Y%m%d-%H%M%S).log
	note "booting $kdir (N = $ns, batched at $batchns, $secs s per point, $passes passes); log in $log"
	start=$(date +%s)
	vrc=0
	# scripts/vm gives each vCPU a socket of its own, so that the guest
	# (no ACPI, CPUs from the MP table) brings both up.
	"$TOP/scripts/vm" --kernel "$kdir" --add "$guest" --timeout "$timeout" \
		--smp 2 --append "${khz:+tsc_early_khz=$khz tsc=reliable}" -- \
		"$guest_env sh /extra/bench.sh --ns '$ns' --sizes '$sizes'" \
		"--mem-sizes '$memsizes' --mem-count $memcount --time $secs --passes $passes" \
		"--batch $batch --batch-ns '$batchns' --queues-ns '$queuesns'" \
		"${profile:+--profile}" \
		> "$log" 2>&1 || vrc=$?
	{
		echo "H quick ${quick:-0}"
		echo "H passes $passes"
		echo "H secs $secs"
		echo "H ns $ns"
		echo "H sizes $sizes"
		echo "H batch $batch"
		echo "H batchns $batchns"
		echo "H queuesns $queuesns"
		echo "H memsizes $memsizes"
		echo "H memcount $memcount"
		echo "H elapsed $(( $(date +%s) - start ))"
		echo "H vmrc $vrc"
		echo "H date $(date -u +%Y-%m-%d)"
		echo "H cores $(nproc)"
		echo "H hostcpu $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
		echo "H qemu $(qemu-system-x86_64 --version | head -n 1)"
		sed -n 's/^BENCH //p' "$log" | tr -d '\r'
	} > "$out/raw.txt"
	grep -q '^[RN] ' "$out/raw.txt" ||
		{ tail -n 30 "$log" >&2; die "the VM printed no results (exit $vrc), see $log"; }
}
