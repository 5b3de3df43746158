// SPDX-License-Identifier: GPL-2.0
/*
 * nd_tap: a TAP port talks to the host stack.
 *
 *   nd_tap PATH IFNAME
 *
 * Socket A binds PATH (a new network) and becomes a TAP port IFNAME;
 * the host gets 10.9.0.1/24 on it.  Socket B connects to the network
 * as 10.9.0.2 and ARPs and pings the host: frames go both ways.  Then
 * B sends a runt that the TAP must drop and count.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>
#include <linux/ipn.h>

#ifndef AF_IPN
#define AF_IPN 46
#endif
#ifndef SOL_IPN
#define SOL_IPN 288
#endif

#define IP "/sbin/ip.iproute2"

static const unsigned char mymac[6] = { 0x02, 0, 0, 0, 0, 0x02 };
static const unsigned char bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static unsigned char hostmac[6];
static const unsigned char myip[4] = { 10, 9, 0, 2 };
static const unsigned char hostip[4] = { 10, 9, 0, 1 };

#define fail(...) do { fprintf(stderr, "FAIL: " __VA_ARGS__); exit(1); } while (0)

static unsigned short csum(const void *p, int len)
{
	const unsigned char *b = p;
	unsigned int sum = 0;
	int i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (b[i] << 8) | b[i + 1];
	if (len & 1)
		sum += b[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons(~sum);
}

static int arp(unsigned char *f, int op, const unsigned char *dmac,
	       const unsigned char *tmac, const unsigned char *tip)
{
	memcpy(f, dmac, 6);
	memcpy(f + 6, mymac, 6);
	f[12] = 0x08; f[13] = 0x06;
	f[14] = 0; f[15] = 1; f[16] = 0x08; f[17] = 0; f[18] = 6; f[19] = 4;
	f[20] = 0; f[21] = op;
	memcpy(f + 22, mymac, 6);
	memcpy(f + 28, myip, 4);
	memcpy(f + 32, tmac, 6);
	memcpy(f + 38, tip, 4);
	return 42;
}

static int echo(unsigned char *f)
{
	unsigned char *ip = f + 14, *icmp = f + 34;

	memcpy(f, hostmac, 6);
	memcpy(f + 6, mymac, 6);
	f[12] = 0x08; f[13] = 0x00;
	memset(ip, 0, 20);
	ip[0] = 0x45; ip[3] = 20 + 8 + 32; ip[8] = 64; ip[9] = 1;
	memcpy(ip + 12, myip, 4);
	memcpy(ip + 16, hostip, 4);
	*(unsigned short *)(ip + 10) = csum(ip, 20);
	memset(icmp, 0, 8 + 32);
	icmp[0] = 8; icmp[5] = 0x42; icmp[7] = 1;
	memset(icmp + 8, 'x', 32);
	*(unsigned short *)(icmp + 2) = csum(icmp, 8 + 32);
	return 14 + 20 + 8 + 32;
}

static long sysfs(const char *ifname, const char *what)
{
	char p[256], buf[64];
	FILE *f;

	snprintf(p, sizeof(p), "/sys/class/net/%s/%s", ifname, what);
	f = fopen(p, "r");
	if (!f || !fgets(buf, sizeof(buf), f))
		fail("read %s\n", p);
	fclose(f);
	return strtol(buf, NULL, 0);
}

/* Wait for a frame matching want(); answer ARP requests for myip */
static int wait_for(int s, int (*want)(const unsigned char *, int))
{
	unsigned char f[2048], r[64];
	int i, n;

	for (i = 0; i < 50; i++) {
		n = recv(s, f, sizeof(f), 0);
		if (n < 0) {
			if (errno == EAGAIN)
				continue;
			fail("recv: %s\n", strerror(errno));
		}
		if (n >= 42 && f[12] == 8 && f[13] == 6 && f[21] == 1 &&
		    !memcmp(f + 38, myip, 4)) {
			n = arp(r, 2, f + 6, f + 6, f + 28);
			if (send(s, r, n, 0) != n)
				fail("send arp reply\n");
			continue;
		}
		if (want(f, n))
			return 0;
	}
	return -1;
}

static int is_arp_reply(const unsigned char *f, int n)
{
	if (n < 42 || f[12] != 8 || f[13] != 6 || f[21] != 2 ||
	    memcmp(f + 28, hostip, 4) || memcmp(f, mymac, 6))
		return 0;
	memcpy(hostmac, f + 22, 6);
	return 1;
}

static int is_echo_reply(const unsigned char *f, int n)
{
	return n >= 42 && f[12] == 8 && f[13] == 0 && f[23] == 1 &&
	       f[34] == 0 && !memcmp(f + 26, hostip, 4) &&
	       !memcmp(f, mymac, 6);
}

int main(int argc, char **argv)
{
	struct timeval tv = { .tv_sec = 0, .tv_usec = 200000 };
	struct sockaddr_un sun = { .sun_family = AF_IPN };
	struct ipn_port_stats st;
	unsigned char f[128];
	struct ifreq ifr;
	char cmd[256];
	socklen_t len;
	int a, b, n;
	long v;

	if (argc != 3)
		fail("usage: nd_tap PATH IFNAME\n");
	setvbuf(stdout, NULL, _IONBF, 0);
	strncpy(sun.sun_path, argv[1], sizeof(sun.sun_path) - 1);

	a = socket(AF_IPN, SOCK_RAW, IPN_BROADCAST);
	if (a < 0 || bind(a, (struct sockaddr *)&sun, sizeof(sun)))
		fail("socket/bind: %s\n", strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, argv[2], IFNAMSIZ - 1);
	ifr.ifr_flags = IPN_NODEFLAG_TAP;
	if (ioctl(a, IPN_CONN_NETDEV, &ifr))
		fail("IPN_CONN_NETDEV: %s\n", strerror(errno));
	printf("tap %s\n", ifr.ifr_name);

	v = sysfs(argv[2], "mtu");
	if (v != 1500)
		fail("mtu %ld, expected 1500\n", v);
	v = sysfs(argv[2], "addr_assign_type");
	if (v != 1)
		fail("addr_assign_type %ld, expected 1 (random)\n", v);
	snprintf(cmd, sizeof(cmd), IP " addr add 10.9.0.1/24 dev %s && "
		 IP " link set %s up", argv[2], argv[2]);
	if (system(cmd))
		fail("%s\n", cmd);

	b = socket(AF_IPN, SOCK_RAW, IPN_ANY);
	if (b < 0 || connect(b, (struct sockaddr *)&sun, sizeof(sun)))
		fail("socket/connect: %s\n", strerror(errno));
	setsockopt(b, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));

	n = arp(f, 1, bcast, (const unsigned char *)"\0\0\0\0\0\0", hostip);
	if (send(b, f, n, 0) != n)
		fail("send arp: %s\n", strerror(errno));
	if (wait_for(b, is_arp_reply))
		fail("no ARP reply from the host\n");
	printf("ok: ARP reply from the host stack\n");

	n = echo(f);
	if (send(b, f, n, 0) != n)
		fail("send echo: %s\n", strerror(errno));
	if (wait_for(b, is_echo_reply))
		fail("no echo reply from the host\n");
	printf("ok: ICMP echo reply from the host stack\n");

	/* a runt: the TAP drops it and counts it */
	v = sysfs(argv[2], "statistics/rx_dropped");
	if (send(b, f, 5, 0) != 5)
		fail("send runt: %s\n", strerror(errno));
	if (sysfs(argv[2], "statistics/rx_dropped") != v + 1)
		fail("runt not counted in rx_dropped\n");
	printf("ok: runt dropped and counted\n");

	if (sysfs(argv[2], "statistics/rx_packets") < 2 ||
	    sysfs(argv[2], "statistics/tx_packets") < 2)
		fail("device counters\n");
	printf("ok: rx_packets %ld tx_packets %ld\n",
	       sysfs(argv[2], "statistics/rx_packets"),
	       sysfs(argv[2], "statistics/tx_packets"));

	len = sizeof(st);
	if (getsockopt(a, SOL_IPN, IPN_SO_STATS, &st, &len))
		fail("IPN_SO_STATS on the TAP's socket: %s\n", strerror(errno));
	printf("port stats: rx %llu dropped %llu tx %llu\n",
	       (unsigned long long)st.rx_msgs,
	       (unsigned long long)st.rx_dropped,
	       (unsigned long long)st.tx_msgs);
	if (st.rx_msgs < 2 || st.tx_msgs < 2 || st.rx_dropped < 1)
		fail("port stats\n");

	close(b);
	close(a);
	/* closing the controlling socket deletes the TAP */
	if (!access("/sys/class/net/ipnt0", F_OK) && !strcmp(argv[2], "ipnt0"))
		fail("TAP still there after close\n");
	printf("ok: TAP deleted on close\n");
	return 0;
}
