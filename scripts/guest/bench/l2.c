// SPDX-License-Identifier: GPL-2.0
/*
 * ipn-bench grab and l2: kvde_switch with two grabbed devices, and raw
 * Ethernet frames from one network namespace to another through it or
 * through a bridge (see ipn-bench.c).
 */
#include "ipn-bench.h"
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <sys/wait.h>

int grab(int argc, char **argv)
{
	struct sockaddr_un sun;
	struct ifreq ifr;
	int i, s;

	if (argc < 4)
		return USAGE;
	unlink(argv[2]);
	sun = ipn_addr(argv[2]);
	for (i = 3; i < argc; i++) {
		s = socket(AF_IPN, SOCK_RAW, IPN_VDESWITCH);
		if (s < 0 || bind(s, (struct sockaddr *)&sun, sizeof(sun)))
			die("socket/bind(IPN_VDESWITCH)");
		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, IFNAMSIZ, "%s", argv[i]);
		ifr.ifr_flags = IPN_NODEFLAG_GRAB;
		if (ioctl(s, IPN_CONN_NETDEV, &ifr)) {
			fprintf(stderr, "ipn-bench: IPN_CONN_NETDEV %s: %s\n",
				argv[i], strerror(errno));
			return errno == ENOTTY ? 2 : 1;
		}
	}
	printf("ready\n");
	fflush(stdout);
	/* the ports go when the sockets close, at exit */
	for (;;)
		pause();
}

static void enter_netns(const char *ns)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	fd = open(path, O_RDONLY);
	if (fd < 0 || setns(fd, CLONE_NEWNET))
		die(path);
	close(fd);
}

/* A packet socket on @dev; @proto 0 receives nothing */
static int packet_open(const char *dev, int proto, unsigned char *mac)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(proto),
	};
	struct ifreq ifr;
	int fd = socket(AF_PACKET, SOCK_RAW, htons(proto));

	if (fd < 0)
		die("socket(AF_PACKET)");
	sll.sll_ifindex = if_nametoindex(dev);
	if (!sll.sll_ifindex || bind(fd, (struct sockaddr *)&sll, sizeof(sll)))
		die(dev);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", dev);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr))
		die("SIOCGIFHWADDR");
	memcpy(mac, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	return fd;
}

static void frame(unsigned char *buf, int size, const unsigned char *dst,
		  const unsigned char *src)
{
	memset(buf, 0x5a, size);
	memcpy(buf, dst, ETH_ALEN);
	memcpy(buf + ETH_ALEN, src, ETH_ALEN);
	buf[12] = ETH_P_BENCH >> 8;
	buf[13] = ETH_P_BENCH & 0xff;
}

static void l2_sink(const char *ns, const char *dev, int ready, int fin)
{
	static const unsigned char bcast[ETH_ALEN] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff
	};
	struct timeval tv = { 0, RX_TIMEO_US };
	struct rx_result *r = &sh->rx[1];
	unsigned long long cpu0;
	struct sockaddr_ll from;
	unsigned char buf[MSGMAX];
	ssize_t n;
	int fd;

	report_fd[0] = ready;
	report_fd[1] = fin;
	enter_netns(ns);
	fd = packet_open(dev, ETH_P_BENCH, sh->mac_b);
	set_int(fd, SOL_SOCKET, SO_RCVBUFFORCE, 4 << 20, "SO_RCVBUFFORCE");
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		die("SO_RCVTIMEO");
	/* one frame from our address, so that the switch learns it */
	frame(buf, 64, bcast, sh->mac_b);
	if (send(fd, buf, 64, 0) != 64)
		die("send(learn)");
	usleep(100000);
	cpu0 = cpu_self_ns();
	say_ready(ready);
	for (;;) {
		n = rx_recv(fd, buf, sizeof(buf), &from, sizeof(from), r);
		if (n >= 0) {
			if (from.sll_pkttype != PACKET_OUTGOING &&
			    !memcmp(buf + ETH_ALEN, sh->mac_a, ETH_ALEN))
				r->count++;
			continue;
		}
		if (n == RX_ERROR || __atomic_load_n(&sh->done, __ATOMIC_ACQUIRE))
			break;
	}
	r->cpu_ns = cpu_self_ns() - cpu0;
	if (write(fin, "f", 1) != 1)
		die("write");
	_exit(0);
}

static void l2_blaster(const char *ns, const char *dev, int size,
		       double seconds, int ready, int fin)
{
	struct rx_result *r = &sh->rx[0];
	unsigned long long cpu0, t0, t_stop;
	unsigned char buf[MSGMAX];
	int fd, i;

	report_fd[0] = ready;
	enter_netns(ns);
	fd = packet_open(dev, 0, sh->mac_a);
	say_ready(ready);
	/* the go: the parent closes its end of the pipe */
	if (read(fin, buf, 1) < 0)
		die("read");
	frame(buf, size, sh->mac_b, sh->mac_a);
	cpu0 = cpu_self_ns();
	t0 = now_ns();
	t_stop = t0 + (unsigned long long)(seconds * 1e9);
	for (;;) {
		for (i = 0; i < 4; i++) {
			if (send(fd, buf, size, 0) == size) {
				sh->sent++;
			} else if (errno != ENOBUFS && errno != EAGAIN) {
				r->err = errno;
				break;
			}
		}
		r->finish_ns = now_ns();
		if (r->err || r->finish_ns >= t_stop)
			break;
	}
	r->finish_ns -= t0;
	r->cpu_ns = cpu_self_ns() - cpu0;
	_exit(0);
}

int l2(int argc, char **argv)
{
	unsigned long long busy0, busy1, soft0, soft1;
	int ready[2], fin[2], go[2], size, bad = 0;
	pid_t sink, blaster;
	double seconds;

	if (argc != 8)
		return USAGE;
	size = atoi(argv[6]);
	seconds = atof(argv[7]);
	if (size < 60 || size > 1514)
		return USAGE;
	sh = shared_map();
	if (pipe(ready) || pipe(fin))
		die("pipe");
	sink = fork_kid();
	if (!sink)
		l2_sink(argv[4], argv[5], ready[1], fin[1]);
	read_n(ready[0], 1, "the sink did not start");
	/* after the sink's fork: the blaster alone holds its read end */
	if (pipe(go))
		die("pipe");
	blaster = fork_kid();
	if (!blaster) {
		close(go[1]);
		l2_blaster(argv[2], argv[3], size, seconds, ready[1], go[0]);
	}
	close(go[0]);
	read_n(ready[0], 1, "the blaster did not start");
	cpu_total_ns(&busy0, &soft0);
	close(go[1]);
	waitpid(blaster, NULL, 0);
	__atomic_store_n(&sh->done, 1, __ATOMIC_RELEASE);
	close(fin[1]);
	read_n(fin[0], 1, "the sink died");
	cpu_total_ns(&busy1, &soft1);
	waitpid(sink, NULL, 0);

	if (sh->rx[0].err || sh->rx[1].err) {
		fprintf(stderr, "FAIL l2: %s\n",
			strerror(sh->rx[0].err ?: sh->rx[1].err));
		bad = 1;
	}
	if (!sh->rx[1].count || sh->rx[1].count > sh->sent) {
		fprintf(stderr, "FAIL l2 size %d: %llu sent, %llu delivered\n",
			size, sh->sent, sh->rx[1].count);
		bad = 1;
	}
	printf("R l2 %d %llu %llu %llu %llu %llu %llu %llu\n", size, sh->sent,
	       sh->rx[1].count, sh->rx[0].finish_ns, sh->rx[0].cpu_ns,
	       sh->rx[1].cpu_ns, busy1 - busy0, soft1 - soft0);
	fflush(stdout);
	return bad;
}
