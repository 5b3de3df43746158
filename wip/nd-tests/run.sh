#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# AF_IPN netdev port tests, run as root inside the test VM:
#   scripts/vm --add nd-tests -- sh /extra/run.sh
# Needs ipnctl and nd_tap (static) beside this script, iproute2 at
# /sbin/ip.iproute2, busybox ping.
IP=/sbin/ip.iproute2
T=/extra
fails=0
n=0

ok() { n=$((n + 1)); echo "ok $n - $*"; }
no() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
check() { desc=$1; shift; if "$@"; then ok "$desc"; else no "$desc"; fi; }
promisc() { [ $(( $(cat /sys/class/net/$1/flags) & 0x100 )) -ne 0 ]; }
notpromisc() { [ $(( $(cat /sys/class/net/$1/flags) & 0x100 )) -eq 0 ]; }
exists() { [ -e /sys/class/net/$1 ]; }
gone() { ! [ -e /sys/class/net/$1 ]; }
ipnrefs() { awk '$1 == "ipn" { print $3 }' /proc/modules; }

modprobe ipn || { echo "Bail out! no ipn module"; exit 1; }
mkdir -p /run && mount -t tmpfs run /run
cd /tmp

echo "# --- TAP port talks to the host stack"
check "tap: ARP and ping with the host" $T/nd_tap /tmp/tapnet ipnt0
check "tap: deleted with its socket" gone ipnt0
check "tap: rtnl refuses ip link add type ipn" \
	sh -c "! $IP link add foo type ipn 2>/dev/null"

echo "# --- errnos"
$IP link add br0 type bridge
$IP link add vb0 type veth peer name vb1
$IP link set vb0 master br0
$IP link add vx0 type veth peer name vx1
check "errnos" $T/ipnctl /tmp/e1 \
	sock expect ENOTCONN tap - \
	new expect EINVAL grab lo \
	expect ENODEV grab nosuchdev \
	expect ENODEV grab - \
	expect EBUSY grab vb0 \
	expect EEXIST tap lo \
	expect EEXIST tap vx0 \
	expect EINVAL flags 0 x \
	expect EINVAL flags 48 x \
	expect EINVAL persist 1 \
	expect EINVAL setp vx0 \
	expect ENODEV setp nosuchdev \
	tap - port persist 0 \
	expect EISCONN tap - \
	expect EISCONN grab vx0 \
	expect EISCONN connect \
	new tap ipnown \
	new expect EINVAL grab ipnown \
	close close close
check "errnos: no port left behind" gone ipnown
check "errnos: EISCONN on a connected socket" $T/ipnctl /tmp/e2 \
	new connect expect EISCONN tap -
check "errnos: EPERM without CAP_NET_ADMIN" $T/ipnctl /tmp/e3 \
	new uid 65534 expect EPERM tap - expect EPERM grab vx0 \
	expect EPERM persist 1 expect EPERM clrp vx0
check "errnos: name chosen from ipn%d" sh -c \
	"$T/ipnctl /tmp/e4 new tap - new tap 'ipnq%d' | grep -q '^netdev ipnq0'"

echo "# --- GRAB: two namespaces pinging through one network"
$IP netns add ns1
$IP netns add ns2
$IP link add v1a type veth peer name v1b
$IP link add v2a type veth peer name v2b
$IP link set v1a netns ns1
$IP link set v2a netns ns2
$IP -n ns1 addr add 10.1.0.1/24 dev v1a
$IP -n ns2 addr add 10.1.0.2/24 dev v2a
$IP -n ns1 link set v1a up
$IP -n ns2 link set v2a up
$IP -n ns1 link set lo up
$IP -n ns2 link set lo up
$IP link set v1b up
$IP link set v2b up
rm -f /tmp/go1
$T/ipnctl /tmp/g new grab v1b new grab v2b waitfile /tmp/go1 \
	stats close close &
pid=$!
sleep 1
check "grab: v1b promiscuous" promisc v1b
check "grab: v2b promiscuous" promisc v2b
check "grab: ping ns1 -> ns2 through the network" \
	$IP netns exec ns1 ping -c 3 -W 2 10.1.0.2
check "grab: ping ns2 -> ns1 through the network" \
	$IP netns exec ns2 ping -c 2 -W 2 10.1.0.1
touch /tmp/go1
wait $pid
check "grab: socket closed cleanly" [ $? -eq 0 ]
check "grab: promiscuity restored on v1b" notpromisc v1b
check "grab: promiscuity restored on v2b" notpromisc v2b
check "grab: no more traffic after release" \
	sh -c "! $IP netns exec ns1 ping -c 1 -W 1 10.1.0.2 >/dev/null"

echo "# --- TAP and GRAB in one network: host <-> ns1"
rm -f /tmp/go2
$T/ipnctl /tmp/m new grab v1b new tap ipnm0 waitfile /tmp/go2 close close &
pid=$!
sleep 1
$IP addr add 10.1.0.9/24 dev ipnm0
$IP link set ipnm0 up
check "mixed: ping host TAP -> ns1 over a grabbed veth" ping -c 2 -W 2 10.1.0.1
touch /tmp/go2
wait $pid
check "mixed: closed" [ $? -eq 0 ]

echo "# --- ip link del of a grabbed device and of a TAP while in use"
$IP link add v3a type veth peer name v3b
rm -f /tmp/go3
$T/ipnctl /tmp/d new grab v3b new tap ipnd0 new connect waitfile /tmp/go3 \
	close expect EINVAL persist 1 tap ipnd1 close \
	expect EINVAL persist 1 grab vx1 close &
pid=$!
sleep 1
$IP link del v3b
$IP link del ipnd0
check "del: grabbed device gone" gone v3b
check "del: TAP gone" gone ipnd0
touch /tmp/go3
wait $pid
check "del: owners left consistent (new ports work)" [ $? -eq 0 ]
check "del: vx1 released" notpromisc vx1

echo "# --- persistence, JOIN, CLRPERSIST"
r0=$(ipnrefs)
check "persist: TAP and GRAB ports made persistent" $T/ipnctl /tmp/p \
	new tap ipnp0 persist 1 new grab vx1 new setp vx1 close close close
check "persist: TAP survives" exists ipnp0
check "persist: grabbed stays promiscuous" promisc vx1
check "persist: module pinned" [ "$(ipnrefs)" -gt "${r0:-0}" ]
check "persist: network alive, JOIN, EBUSY, EPERM" $T/ipnctl /tmp/p \
	new join ipnp0 expect EISCONN join vx1 \
	new expect EBUSY join ipnp0 \
	path /tmp/other new expect EPERM join ipnp0 \
	expect EPERM clrp ipnp0 expect EPERM setp vx1 close \
	close close
check "persist: still there after the joiner closed" exists ipnp0
check "persist: CLRPERSIST on unused ports removes them" $T/ipnctl /tmp/p \
	new clrp ipnp0 clrp vx1 close
check "persist: TAP removed" gone ipnp0
check "persist: vx1 released" notpromisc vx1
check "persist: network gone with its last port" $T/ipnctl /tmp/p \
	expect EADDRINUSE new
check "persist: module unpinned" [ "$(ipnrefs)" -eq "${r0:-0}" ]
check "persist: IPN_SETPERSIST 0 then close removes" $T/ipnctl /tmp/p2 \
	new tap ipnp1 persist 1 persist 0 close
check "persist: ipnp1 removed" gone ipnp1

echo "# --- persistent ports in a namespace that goes away"
$IP netns add ns3
$IP -n ns3 link add v5a type veth peer name v5b
check "netns: persistent GRAB and TAP inside ns3" $IP netns exec ns3 \
	$T/ipnctl /tmp/n3 new grab v5a persist 1 new tap ipnn0 persist 1 \
	close close
check "netns: ports survive" $IP netns exec ns3 sh -c \
	'[ -e /sys/class/net/ipnn0 ] && [ -e /sys/class/net/v5a ]'
check "netns: network alive" $T/ipnctl /tmp/n3 new close
$IP netns del ns3
i=0
while [ $i -lt 30 ] && $T/ipnctl /tmp/n3 new close 2>/dev/null; do
	sleep 1; i=$((i + 1))
done
check "netns: network died with the namespace" $T/ipnctl /tmp/n3 \
	expect EADDRINUSE new

echo "# --- teardown"
$IP netns del ns1
$IP netns del ns2
$IP link del br0
$IP link del vb0
$IP link del vx0
sleep 2
check "module unload" rmmod ipn

echo "# $n tests, $fails failed"
[ $fails -eq 0 ]
