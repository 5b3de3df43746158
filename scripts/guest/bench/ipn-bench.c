// SPDX-License-Identifier: GPL-2.0
/*
 * AF_IPN benchmark, run inside the test VM by scripts/bench through
 * bench.sh.  Each measurement prints one line starting with "R "; a
 * transport that does not deliver what was sent prints "FAIL ..." on
 * stderr and the program exits 1.  It never fails on speed.
 *
 * ipn-bench fanout TRANSPORT N SIZE SECONDS [BATCH [uring]]
 *	One sender, N receiving processes, messages of SIZE bytes for
 *	SECONDS.  TRANSPORT: ipn (broadcast, lossy), ipn-lossless, udp
 *	(multicast on lo), unix (AF_UNIX datagram, the sender loops
 *	sendto over the receivers), vde (vde_switch in hub mode, the
 *	command in $VDE_SWITCH, N+1 clients speaking the vde2 protocol)
 *	or tipc (a TIPC communication group at node scope, lossless).
 *	With BATCH (2 to 64) the receivers drain with recvmmsg() and the
 *	sender sends BATCH messages a sendmmsg() call (batch.c); with
 *	uring too, the receivers drain with an io_uring multishot
 *	receive instead (uring.c).
 *	R fanout TRANSPORT N SIZE SENT DELIVERED MIN_PER_READER ELAPSED_NS
 *	  SENDER_NS RECEIVERS_NS TOTAL_NS SOFTIRQ_NS BATCH RECEIVE SLEEPS
 *	  QUEUES
 *	RECEIVE is how the receivers read: recv, mmsg or uring.  SLEEPS
 *	counts the receivers' voluntary context switches (getrusage()'s
 *	ru_nvcsw), one per wake-up they needed.  QUEUES is 128 (AF_IPN
 *	networks get IPN_SO_MSGPOOLSIZE 128) or, with IPN_BENCH_QUEUES=default
 *	in the environment, default (the network's own).
 *	CPU times are getrusage() of the sender (plus vde_switch for vde)
 *	and of the receivers; TOTAL and SOFTIRQ are from /proc/stat over
 *	the run, every CPU, softirq and kernel threads included.  Exits 2
 *	when the kernel has no AF_TIPC (tipc) or no io_uring (uring).
 *
 * ipn-bench mem TRANSPORT N SIZE COUNT
 *	COUNT messages queued on N readers that do not read (ipn, udp,
 *	unix), then drained and counted.
 *	R mem TRANSPORT N SIZE QUEUED CHARGED_BYTES KMEM_BYTES
 *	CHARGED is SO_MEMINFO (receivers' rmem_alloc plus the sender's
 *	wmem_alloc), KMEM the growth of Slab: in /proc/meminfo, from
 *	caches shrunk first (the data of these sizes is slab memory).
 *
 * ipn-bench grab PATH DEV...
 *	Put DEV... into a kvde_switch network at PATH (IPN_NODEFLAG_GRAB),
 *	print "ready" and hold them until killed; exit 2 when the kernel
 *	has no netdev ports.
 *
 * ipn-bench l2 NS_A DEV_A NS_B DEV_B SIZE SECONDS
 *	Raw Ethernet frames of SIZE bytes from DEV_A in network namespace
 *	NS_A to the MAC address of DEV_B in NS_B, counted there.
 *	R l2 SIZE SENT DELIVERED ELAPSED_NS SENDER_NS RECEIVER_NS TOTAL_NS
 *	  SOFTIRQ_NS
 *
 * ipn-bench tsc-khz
 *	On the host: the frequency of its TSC, which a TCG guest reads
 *	as its own (the guest cannot calibrate it without HPET or ACPI).
 *
 * The commands live in fanout.c, mem.c and l2.c (grab and l2); the
 * transports' sockets in transport.c, vde.c and tipc.c, the batched
 * variants in batch.c and uring.c; what they share in util.c and
 * ipn-bench.h.  scripts/bench builds them together, static.
 */
#include "ipn-bench.h"
#include <signal.h>
#include <x86intrin.h>

static int tsc_khz(void)
{
	unsigned long long t0, t1, c0, c1;

	t0 = now_ns();
	c0 = __rdtsc();
	usleep(200000);
	t1 = now_ns();
	c1 = __rdtsc();
	printf("%llu\n", (c1 - c0) * 1000000ULL / (t1 - t0));
	return 0;
}

int main(int argc, char **argv)
{
	int rc = USAGE;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	parent = getpid();
	if (argc > 1 && !strcmp(argv[1], "fanout"))
		rc = fanout(argc, argv);
	else if (argc > 1 && !strcmp(argv[1], "mem"))
		rc = mem(argc, argv);
	else if (argc > 1 && !strcmp(argv[1], "grab"))
		rc = grab(argc, argv);
	else if (argc > 1 && !strcmp(argv[1], "l2"))
		rc = l2(argc, argv);
	else if (argc > 1 && !strcmp(argv[1], "tsc-khz"))
		rc = tsc_khz();
	if (rc == USAGE) {
		fprintf(stderr, "usage: see the comment at the top of ipn-bench.c\n");
		rc = 3;
	}
	return rc;
}
