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

echo "== kernel log since boot, IPN and port lines:"
dmesg | grep -i -E "ipn|promiscuous"
exit $rc
