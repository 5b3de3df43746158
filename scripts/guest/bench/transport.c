// SPDX-License-Identifier: GPL-2.0
/*
 * ipn-bench: the transports' sockets.  A receiver opens one with
 * rx_open(), the sender one with tx_open() and sends a message to every
 * receiver with tx_send(): AF_IPN broadcast (lossy or lossless), UDP
 * multicast on lo, AF_UNIX datagrams in a sendto loop, vde_switch
 * (vde.c) or a TIPC communication group (tipc.c).  tx_sendm() (batch.c)
 * is the batched tx_send().
 */
#include "ipn-bench.h"
#include <arpa/inet.h>
#include <net/if.h>

const char *const tnames[] = {
	[T_IPN]		 = "ipn",
	[T_IPN_LOSSLESS] = "ipn-lossless",
	[T_UDP]		 = "udp",
	[T_UNIX]	 = "unix",
	[T_VDE]		 = "vde",
	[T_TIPC]	 = "tipc",
};

enum transport tr;
int nrx, msize, batch = 1;

enum transport parse_transport(const char *s)
{
	unsigned int i;

	for (i = 0; i < sizeof(tnames) / sizeof(tnames[0]); i++)
		if (!strcmp(s, tnames[i]))
			return i;
	fprintf(stderr, "ipn-bench: unknown transport %s\n", s);
	exit(3);
}

struct sockaddr_un ipn_addr(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_IPN };

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	return sun;
}

/*
 * The manager socket that creates the broadcast network, kept open;
 * @poolsize 0 keeps the default queue
 */
int ipn_create(int lossless, int numnodes, int poolsize)
{
	struct sockaddr_un sun = ipn_addr(IPN_PATH);
	int fd = socket(AF_IPN, SOCK_RAW, IPN_BROADCAST);

	if (fd < 0)
		die("socket(AF_IPN)");
	unlink(IPN_PATH);
	set_int(fd, SOL_IPN, IPN_SO_NUMNODES, numnodes, "IPN_SO_NUMNODES");
	if (poolsize)
		set_int(fd, SOL_IPN, IPN_SO_MSGPOOLSIZE, poolsize,
			"IPN_SO_MSGPOOLSIZE");
	set_int(fd, SOL_IPN, IPN_SO_FLAGS, lossless ? IPN_FLAG_LOSSLESS : 0,
		"IPN_SO_FLAGS");
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)))
		die("bind(AF_IPN)");
	return fd;
}

static int ipn_join(void)
{
	struct sockaddr_un sun = ipn_addr(IPN_PATH);
	int fd = socket(AF_IPN, SOCK_RAW, IPN_BROADCAST);

	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)))
		die("connect(AF_IPN)");
	return fd;
}

static struct sockaddr_un unix_addr(int i)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	snprintf(sun.sun_path, sizeof(sun.sun_path), UNIX_DIR "/%d", i);
	return sun;
}

static struct sockaddr_in mcast_addr(void)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(MCAST_PORT),
	};

	inet_pton(AF_INET, MCAST_GROUP, &sin.sin_addr);
	return sin;
}

/* Receiving socket number @i, in the receiving process */
int rx_open(int i)
{
	struct sockaddr_un sun;
	struct sockaddr_in sin;
	struct ip_mreqn mreq;
	int fd;

	switch (tr) {
	case T_IPN:
	case T_IPN_LOSSLESS:
		fd = ipn_join();
		if (shutdown(fd, SHUT_WR))
			die("shutdown");
		return fd;
	case T_UDP:
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		if (fd < 0)
			die("socket(udp)");
		set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR");
		sin = mcast_addr();
		if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)))
			die("bind(udp)");
		memset(&mreq, 0, sizeof(mreq));
		mreq.imr_multiaddr = sin.sin_addr;
		mreq.imr_ifindex = if_nametoindex("lo");
		if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq,
			       sizeof(mreq)))
			die("IP_ADD_MEMBERSHIP");
		return fd;
	case T_UNIX:
		fd = socket(AF_UNIX, SOCK_DGRAM, 0);
		sun = unix_addr(i);
		unlink(sun.sun_path);
		if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)))
			die("bind(unix)");
		return fd;
	case T_VDE:
		return vde_open(i);
	case T_TIPC:
		return tipc_rx_open(i);
	}
	return -1;
}

void tx_open(struct tx *tx)
{
	struct ip_mreqn mreq;
	int i;

	switch (tr) {
	case T_IPN:
	case T_IPN_LOSSLESS:
		tx->fd = ipn_join();
		/* the sender is no reader: it is never a destination */
		if (shutdown(tx->fd, SHUT_RD))
			die("shutdown");
		break;
	case T_UDP:
		tx->fd = socket(AF_INET, SOCK_DGRAM, 0);
		if (tx->fd < 0)
			die("socket(udp)");
		memset(&mreq, 0, sizeof(mreq));
		mreq.imr_ifindex = if_nametoindex("lo");
		if (setsockopt(tx->fd, IPPROTO_IP, IP_MULTICAST_IF, &mreq,
			       sizeof(mreq)))
			die("IP_MULTICAST_IF");
		set_int(tx->fd, IPPROTO_IP, IP_MULTICAST_LOOP, 1,
			"IP_MULTICAST_LOOP");
		tx->mcast_to = mcast_addr();
		break;
	case T_UNIX:
		tx->fd = socket(AF_UNIX, SOCK_DGRAM, 0);
		if (tx->fd < 0)
			die("socket(unix)");
		tx->unix_to = calloc(nrx, sizeof(*tx->unix_to));
		for (i = 0; i < nrx; i++)
			tx->unix_to[i] = unix_addr(i);
		break;
	case T_VDE:
		tx->fd = vde_open(MAXN + 1);
		break;
	case T_TIPC:
		tx->fd = tipc_tx_open();
		break;
	}
}

/* One message to every receiver; 0 or -errno */
int tx_send(struct tx *tx, const void *buf, int flags)
{
	ssize_t n = 0;
	int i;

	switch (tr) {
	case T_UNIX:
		for (i = 0; i < nrx; i++) {
			n = sendto(tx->fd, buf, msize, flags,
				   (struct sockaddr *)&tx->unix_to[i],
				   sizeof(tx->unix_to[i]));
			if (n != msize)
				break;
		}
		break;
	case T_UDP:
		n = sendto(tx->fd, buf, msize, flags,
			   (struct sockaddr *)&tx->mcast_to,
			   sizeof(tx->mcast_to));
		break;
	default:
		n = send(tx->fd, buf, msize, flags);
	}
	return n == msize ? 0 : n < 0 ? -errno : -EIO;
}

int lossless(void)
{
	return tr == T_IPN_LOSSLESS || tr == T_UNIX || tr == T_TIPC;
}
