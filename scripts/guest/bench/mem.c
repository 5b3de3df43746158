// SPDX-License-Identifier: GPL-2.0
/*
 * ipn-bench mem TRANSPORT N SIZE COUNT: what COUNT messages queued on N
 * readers cost, charged and really used (see ipn-bench.c).
 */
#include "ipn-bench.h"
#include <linux/sock_diag.h>
#include <sys/stat.h>

#ifndef SO_MEMINFO
#define SO_MEMINFO 55
#endif

/* Kernel memory of COUNT messages queued on N readers that do not read */
int mem(int argc, char **argv)
{
	unsigned long long queued = 0, charged = 0;
	int count, i, fds[MAXN], mgr = -1, bad = 0;
	long slab0, slab1;
	char buf[MSGMAX], qlen[32], oldqlen[32] = "";
	__u32 mi[SK_MEMINFO_VARS];
	socklen_t len;
	struct tx tx;
	ssize_t n;
	FILE *f;

	if (argc != 6)
		return USAGE;
	tr = parse_transport(argv[2]);
	nrx = atoi(argv[3]);
	msize = atoi(argv[4]);
	count = atoi(argv[5]);
	if (nrx < 1 || nrx > MAXN || msize < 14 || msize > MSGMAX ||
	    count < 1 || tr == T_VDE || tr == T_IPN_LOSSLESS)
		return USAGE;

	switch (tr) {
	case T_IPN:
		mgr = ipn_create(0, nrx + 8, count + 1);
		break;
	case T_UNIX:
		mkdir(UNIX_DIR, 0755);
		f = fopen("/proc/sys/net/unix/max_dgram_qlen", "r");
		if (f && fgets(oldqlen, sizeof(oldqlen), f))
			oldqlen[strcspn(oldqlen, "\n")] = 0;
		if (f)
			fclose(f);
		snprintf(qlen, sizeof(qlen), "%d", count + 1);
		write_file("/proc/sys/net/unix/max_dgram_qlen", qlen);
		break;
	default:
		break;
	}
	for (i = 0; i < nrx; i++) {
		fds[i] = rx_open(i);
		set_int(fds[i], SOL_SOCKET, SO_RCVBUFFORCE, 256 << 20,
			"SO_RCVBUFFORCE");
	}
	tx_open(&tx);
	set_int(tx.fd, SOL_SOCKET, SO_SNDBUFFORCE, 256 << 20, "SO_SNDBUFFORCE");
	memset(buf, 0x5a, sizeof(buf));

	usleep(200000);
	shrink_slabs();
	slab0 = meminfo_kb("Slab");
	for (i = 0; i < count; i++)
		if (tx_send(&tx, buf, MSG_DONTWAIT)) {
			perror("ipn-bench: send");
			bad = 1;
			break;
		}
	usleep(200000);	/* let loopback's softirq finish */
	slab1 = meminfo_kb("Slab");

	len = sizeof(mi);
	if (!getsockopt(tx.fd, SOL_SOCKET, SO_MEMINFO, mi, &len))
		charged += mi[SK_MEMINFO_WMEM_ALLOC];
	for (i = 0; i < nrx; i++) {
		len = sizeof(mi);
		if (getsockopt(fds[i], SOL_SOCKET, SO_MEMINFO, mi, &len))
			die("SO_MEMINFO");
		charged += mi[SK_MEMINFO_RMEM_ALLOC];
	}
	for (i = 0; i < nrx; i++)
		while ((n = recv(fds[i], buf, sizeof(buf), MSG_DONTWAIT)) >= 0)
			queued++;
	if (queued != (unsigned long long)count * nrx) {
		fprintf(stderr, "FAIL mem %s N=%d size %d: %llu of %llu queued\n",
			tnames[tr], nrx, msize, queued,
			(unsigned long long)count * nrx);
		bad = 1;
	}
	printf("R mem %s %d %d %llu %llu %lld\n", tnames[tr], nrx, msize,
	       queued, charged, (long long)(slab1 - slab0) * 1024);
	fflush(stdout);

	for (i = 0; i < nrx; i++)
		close(fds[i]);
	close(tx.fd);
	if (mgr >= 0) {
		close(mgr);
		unlink(IPN_PATH);
	}
	if (tr == T_UNIX) {
		if (oldqlen[0])
			write_file("/proc/sys/net/unix/max_dgram_qlen", oldqlen);
		rm_dir(UNIX_DIR);
	}
	return bad;
}
