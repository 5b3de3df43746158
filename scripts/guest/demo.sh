#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the demo VM.
IP=/sbin/ip.iproute2
echo "== $(uname -r)"
/extra/ipn-demo
rc=$?

echo "== two network namespaces on one kvde_switch network"
mkdir -p /run && mount -t tmpfs run /run
for ns in red blue; do
	$IP netns add $ns
	$IP link add ${ns}0 type veth peer name ${ns}1
	$IP link set ${ns}0 netns $ns
	$IP -n $ns link set ${ns}0 up
	$IP link set ${ns}1 up
done
$IP -n red addr add 10.9.0.1/24 dev red0
$IP -n blue addr add 10.9.0.2/24 dev blue0
# this debug kernel runs the switch's KUnit suite when the module loads
modprobe kvde_switch
# the host ends of the veth pairs become ports of one switch network
/extra/ipn-demo grab /tmp/ipn-switch red1 blue1 > /tmp/grab.log &
pid=$!
i=0
while [ $i -lt 100 ] && [ "$(grep -c 'is now a port' /tmp/grab.log)" -lt 2 ] &&
      kill -0 $pid 2>/dev/null; do
	sleep 0.2
	i=$((i + 1))
done
cat /tmp/grab.log
if kill -0 $pid 2>/dev/null; then
	echo "red (10.9.0.1) pings blue (10.9.0.2) through the IPN network:"
	$IP netns exec red ping -c 3 -W 2 10.9.0.2 || rc=1
	kill $pid
	wait $pid 2>/dev/null
	echo "the ports went with the process"
else
	wait $pid
	[ $? -eq 2 ] && echo "(this kernel has no netdev ports)" || rc=1
fi
$IP netns del red
$IP netns del blue

echo "== VDE: two namespaces joined by Debian's vde_plug on one IPN network"
# libvdeplug_ipn.so and the VDE programs, staged by scripts/vde-stage
cp -a /extra/root/. /
export PATH="$PATH:/usr/bin:/usr/sbin"
for ns in green yellow; do
	$IP netns add $ns
done
$IP netns exec green vde_plug ipn:///tmp/vde-net tap://vde0 &
p1=$!
i=0
while [ $i -lt 50 ] && [ ! -S /tmp/vde-net ]; do sleep 0.2; i=$((i + 1)); done
$IP netns exec yellow vde_plug ipn:///tmp/vde-net tap://vde0 &
p2=$!
i=0
while [ $i -lt 50 ] && ! $IP -n yellow link show vde0 >/dev/null 2>&1; do
	sleep 0.2
	i=$((i + 1))
done
$IP -n green addr add 10.9.1.1/24 dev vde0
$IP -n yellow addr add 10.9.1.2/24 dev vde0
$IP -n green link set vde0 up
$IP -n yellow link set vde0 up
echo "green (10.9.1.1) pings yellow (10.9.1.2) through vde_plug ipn:// tap://:"
$IP netns exec green ping -c 3 -W 2 10.9.1.2 || rc=1
echo "/proc/net/ipn of green: its vde_plug is a member (yellow's is in yellow's)"
$IP netns exec green cat /proc/net/ipn
kill $p1 $p2
wait $p1 $p2 2>/dev/null
$IP netns del green
$IP netns del yellow

echo "== kernel log since boot, IPN and port lines:"
dmesg | grep -i -E "ipn|promiscuous"
exit $rc
