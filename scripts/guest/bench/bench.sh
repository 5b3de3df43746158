#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the VM for scripts/bench: every transport in one boot,
# in interleaved passes.  The results are printed at the end, one
# "BENCH " line each:
#   I KEY VALUE		about the guest
#   N WHAT TEXT		a note (something not measured, and why)
#   R PASS fanout TRANSPORT N SIZE SENT DELIVERED MIN ELAPSED_NS SENDER_NS RX_NS TOTAL_NS SOFTIRQ_NS BATCH RECEIVE SLEEPS QUEUES
#   R PASS l2 PATH SIZE SENT DELIVERED ELAPSED_NS SENDER_NS RX_NS TOTAL_NS SOFTIRQ_NS
#   R 1 mem TRANSPORT N SIZE QUEUED CHARGED_BYTES KMEM_BYTES
#   L NS ENTRIES		kvde_switch lookup cost, from its KUnit suite
#   F TEXT			a transport did not deliver what was sent
#   T WHAT SECONDS		guest uptime when WHAT started, for the budget
#   S WHAT TEXT			--profile: a line of the profile of WHAT
# Every fan-out point runs one message a system call, and at the N of
# --batch-ns (default all) again with --batch messages a sendmmsg() and
# recvmmsg(), and once more with the receivers on io_uring (BATCH and
# RECEIVE in its R line: 1 recv is the plain variant, then mmsg, uring).
# At the N of --queues-ns, AF_IPN and AF_UNIX run plain and batched once
# more with their default queues (QUEUES default in the R line: AF_IPN's
# IPN_SO_MSGPOOLSIZE and max_dgram_qlen as the kernel set them); UDP and
# TIPC have no queue length of their own here, the same in both.
# Exits 1 when there is an F line.
B=/extra/ipn-bench
IP=/sbin/ip.iproute2
ns="1 2 4 8 16 32 64"
sizes="64 1400"
memsizes="64 1400"
memcount=8192
secs=2
passes=2
profile=
transports="ipn ipn-lossless udp unix vde tipc"
qlen=128
batch=32
batchns=
queuesns=
while [ $# -gt 0 ]; do
	case "$1" in
	--ns) ns=$2; shift ;;
	--sizes) sizes=$2; shift ;;
	--mem-sizes) memsizes=$2; shift ;;
	--mem-count) memcount=$2; shift ;;
	--time) secs=$2; shift ;;
	--passes) passes=$2; shift ;;
	--profile) profile=1 ;;
	--batch) batch=$2; shift ;;
	--batch-ns) batchns=$2; shift ;;
	--queues-ns) queuesns=$2; shift ;;
	*) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done

batchns=${batchns:-$ns}
out=/tmp/bench.out
: > $out
say() { echo "$*" >> $out; }
stamp() { say "T $1 $(cut -d ' ' -f 1 /proc/uptime)"; }

# rec PASS KIND CMD...: one measurement.  Its R line is tagged with PASS
# and KIND at the end; nothing here forks but the measurement, whose
# cost (busybox under TCG on a debug kernel) is not small.
rec() {
	echo "P $1 $2" >> $out
	shift 2
	"$@" >> $out 2>> /tmp/bench.err
	rc=$?
	# 1 comes with a FAIL line on stderr
	[ $rc -le 1 ] || say "F $* exited $rc"
}
: > /tmp/bench.err

stamp setup
say "I kernel $(uname -r)"
cpus=$(grep -c ^processor /proc/cpuinfo)
say "I cpus $cpus"
[ "$cpus" -ge 2 ] ||
	say "N smp the guest has $cpus CPU online ($(dmesg | grep -m 1 -i -E 'brought up|smp:|mptable' | sed 's/^\[[^]]*\] //'))"
if [ -e /sys/kernel/debug/kmemleak ] || dmesg | grep -q KernelAddressSanitizer; then
	say "I debug yes"
else
	say "I debug no"
fi
say "I clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null)"
say "I qlen $qlen"
udefault=$(cat /proc/sys/net/unix/max_dgram_qlen)
say "I unix_qlen_default $udefault"
say "I rcvbuf $(cat /proc/sys/net/core/rmem_default)"
say "I batch $batch"

grep -q ' /run ' /proc/mounts || mount -t tmpfs run /run
echo $qlen > /proc/sys/net/unix/max_dgram_qlen
$IP link set lo multicast on
modprobe ipn
# loading kvde_switch runs its KUnit suite, which times lookups
modprobe kvde_switch
dmesg | sed -n 's/.*lookup: \([0-9]*\) ns at \([0-9]*\) entries.*/L \1 \2/p' >> $out
grep -q '^L ' $out || say "N lookup this kernel's kvde_switch KUnit suite prints no 'lookup: N ns at M entries' lines"

# vde_switch: a quick probe, so that one that cannot run is said once
if [ -z "${VDE_SWITCH:-}" ]; then
	say "N vde no vde_switch in the VM (vde2 not installed on the host?)"
	transports=$(echo $transports | sed 's/ vde//')
elif ! $B fanout vde 1 64 0.2 > /dev/null 2> /tmp/vde.err; then
	say "N vde vde_switch does not run in the VM: $(tail -n 1 /tmp/vde.err | sed 's/^FAIL //')"
	transports=$(echo $transports | sed 's/ vde//')
fi

# TIPC groups: a kernel without AF_TIPC (a kernel built before
# scripts/configs had CONFIG_TIPC=y) skips them, said once; any other
# failure of the probe is one
modprobe tipc 2> /dev/null
$B fanout tipc 1 64 0.2 > /dev/null 2> /tmp/tipc.err
rc=$?
if [ $rc = 2 ]; then
	say "N tipc TIPC groups not measured: this kernel has no AF_TIPC ($(sed -n 's/^UNSUPPORTED //p' /tmp/tipc.err | tail -n 1)); scripts/configs/vm.config and bench.config have CONFIG_TIPC=y: rebuild the kernel (scripts/build vm or vm-bench)"
elif [ $rc != 0 ]; then
	say "F tipc: the TIPC group probe failed (exit $rc): $(tail -n 1 /tmp/tipc.err)"
fi
[ $rc = 0 ] || transports=$(echo $transports | sed 's/ tipc//')

# io_uring: a kernel without it skips the io_uring receivers, said once
$B fanout udp 1 64 0.2 $batch uring > /dev/null 2> /tmp/uring.err
rc=$?
uring=0
if [ $rc = 0 ]; then
	uring=1
elif [ $rc = 2 ]; then
	say "N uring io_uring receivers not measured: this kernel has no io_uring ($(sed -n 's/^UNSUPPORTED //p' /tmp/uring.err | tail -n 1)); scripts/configs/vm.config and bench.config have CONFIG_IO_URING=y: rebuild the kernel (scripts/build vm or vm-bench)"
else
	say "F uring: the io_uring probe failed (exit $rc): $(tail -n 1 /tmp/uring.err)"
fi

# batched N: whether the batched variants run at N
batched() {
	case " $batchns " in *" $1 "*) return 0 ;; esac
	return 1
}

# two namespaces, each with a veth pair whose host end is a switch port
for s in a b; do
	$IP netns add bench$s
	$IP link add veth${s}0 type veth peer name veth${s}1
	$IP link set veth${s}0 netns bench$s
	$IP -n bench$s link set veth${s}0 up
	$IP link set veth${s}1 up
done
kvde=1

# l2_bridge SIZE RUN...: frames through a bridge, measured by "RUN...
# ipn-bench l2 ..." (rec PASS bridge, or profile WHAT); l2_kvde the same
# through kvde_switch
l2_bridge() {
	$IP link add br0 type bridge forward_delay 0
	$IP link set vetha1 master br0
	$IP link set vethb1 master br0
	$IP link set br0 up
	sleep 0.5
	l2size=$1
	shift
	"$@" $B l2 bencha vetha0 benchb vethb0 $l2size $secs
	$IP link del br0
}

l2_kvde() {
	[ $kvde = 1 ] || return 0
	l2size=$1
	shift
	$B grab /tmp/bench-kvde vetha1 vethb1 > /tmp/grab.out 2>&1 &
	gpid=$!
	i=0
	while [ $i -lt 50 ] && ! grep -q ready /tmp/grab.out; do
		kill -0 $gpid 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	if ! grep -q ready /tmp/grab.out; then
		kill $gpid 2>/dev/null
		wait $gpid
		grc=$?
		kvde=0
		if [ $grc -eq 2 ]; then
			say "N kvde kvde_switch with netdev ports: not supported by this kernel ($(tail -n 1 /tmp/grab.out))"
		else
			say "F kvde_switch: grabbing vetha1 and vethb1 failed: $(tail -n 1 /tmp/grab.out)"
		fi
		return
	fi
	"$@" $B l2 bencha vetha0 benchb vethb0 $l2size $secs
	kill $gpid
	wait $gpid 2>/dev/null
	rm -f /tmp/bench-kvde
}

# profile WHAT CMD...: CMD under a system-wide perf (cpu-clock: TCG has
# no PMU), the hottest symbols as S lines
profile() {
	what=$1
	shift
	$PERF record -q -a -e cpu-clock -F 2000 -o /tmp/perf.data -- "$@" \
		>> $out 2>> /tmp/bench.err || say "F profile $what: perf record failed"
	$PERF report -q -i /tmp/perf.data --stdio --no-children --sort sym \
		--percent-limit 0.7 2> /dev/null | grep '%' | head -n 40 |
		sed "s/^ */S $what /" >> $out
	rm -f /tmp/perf.data
}

if [ -n "$profile" ]; then
	[ -n "${PERF:-}" ] || { echo "bench.sh: --profile needs PERF" >&2; exit 2; }
	echo 0 > /proc/sys/kernel/kptr_restrict
	echo -1 > /proc/sys/kernel/perf_event_paranoid
	for size in $sizes; do
		for n in $ns; do
			for t in $transports; do
				profile "fanout-$t-$n-$size" $B fanout $t $n $size $secs
				batched $n || continue
				profile "fanout-$t-batch$batch-$n-$size" $B fanout $t $n $size $secs $batch
				[ $uring = 1 ] || continue
				profile "fanout-$t-uring-$n-$size" $B fanout $t $n $size $secs $batch uring
			done
		done
		l2_bridge $size profile "l2-bridge-$size"
		l2_kvde $size profile "l2-kvde-$size"
	done
	passes=0 memsizes=
fi

p=1
while [ $p -le $passes ]; do
	stamp fanout-$p
	for size in $sizes; do
		for n in $ns; do
			for t in $transports; do
				rec $p "" $B fanout $t $n $size $secs
				batched $n || continue
				rec $p "" $B fanout $t $n $size $secs $batch
				[ $uring = 1 ] || continue
				rec $p "" $B fanout $t $n $size $secs $batch uring
			done
		done
	done
	if [ -n "$queuesns" ]; then
		stamp queues-$p
		echo $udefault > /proc/sys/net/unix/max_dgram_qlen
		export IPN_BENCH_QUEUES=default
		for size in $sizes; do
			for n in $queuesns; do
				for t in ipn ipn-lossless unix; do
					rec $p "" $B fanout $t $n $size $secs
					rec $p "" $B fanout $t $n $size $secs $batch
				done
			done
		done
		unset IPN_BENCH_QUEUES
		echo $qlen > /proc/sys/net/unix/max_dgram_qlen
	fi
	stamp switching-$p
	for size in $sizes; do
		# the order alternates from pass to pass
		if [ $((p % 2)) = 1 ]; then
			l2_bridge $size rec $p bridge; l2_kvde $size rec $p kvde
		else
			l2_kvde $size rec $p kvde; l2_bridge $size rec $p bridge
		fi
	done
	p=$((p + 1))
done

# memory is no speed: one pass; N x COUNT = memcount messages queued
stamp memory
for size in $memsizes; do
	for n in 1 64; do
		for t in ipn udp unix; do
			rec 1 "" $B mem $t $n $size $((memcount / n))
		done
	done
done

for s in a b; do
	$IP netns del bench$s
done
stamp end
sed -n 's/^FAIL /F /p' /tmp/bench.err >> $out
# console messages may still come: let them pass before the results
sleep 1
awk '$1 == "P" { p = $2; k = $3; next }
$1 == "R" {
	t = $2; $1 = $2 = ""; sub(/^ +/, "")
	print "BENCH R " p " " t " " (k != "" ? k " " : "") $0
	next
}
{ print "BENCH " $0 }' $out
! grep -q '^F ' $out
