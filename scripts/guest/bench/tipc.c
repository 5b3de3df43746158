// SPDX-License-Identifier: GPL-2.0
/*
 * ipn-bench: TIPC communication groups, the lossless peer of AF_IPN
 * lossless.  Every reader and the sender join the group TIPC_GROUP at
 * node scope (TIPC_GROUP_JOIN on a SOCK_RDM socket, reader i as member
 * instance i); the sender's send() without an address broadcasts to
 * every other member, and the group's own flow control (windows that
 * each receiver advertises to each sender) makes the sender wait
 * rather than drop.
 *
 * A member takes another's messages only once it has both seen its
 * binding and had its JOIN message; until then it drops them.  So the
 * sender joins with TIPC_GROUP_MEMBER_EVTS and waits for one member-up
 * event per reader: a reader's JOIN, which makes that event, comes
 * after the reader has taken the sender into its group.
 */
#include "ipn-bench.h"
#include <poll.h>
#include <linux/tipc.h>

/* 1 when the kernel has AF_TIPC, else 0 (and why, on stderr) */
int tipc_check(void)
{
	int fd = socket(AF_TIPC, SOCK_RDM, 0);

	if (fd >= 0) {
		close(fd);
		return 1;
	}
	if (errno != EAFNOSUPPORT)
		die("socket(AF_TIPC)");
	fprintf(stderr, "UNSUPPORTED socket(AF_TIPC): %s\n", strerror(errno));
	return 0;
}

static int tipc_join(unsigned int instance, unsigned int flags)
{
	struct tipc_group_req req = {
		.type = TIPC_GROUP,
		.instance = instance,
		.scope = TIPC_NODE_SCOPE,
		.flags = flags,
	};
	int fd = socket(AF_TIPC, SOCK_RDM, 0);

	if (fd < 0)
		die("socket(AF_TIPC)");
	if (setsockopt(fd, SOL_TIPC, TIPC_GROUP_JOIN, &req, sizeof(req)))
		die("TIPC_GROUP_JOIN");
	return fd;
}

int tipc_rx_open(int i)
{
	return tipc_join(i, 0);
}

/* The sender's member (instance MAXN), once every reader is up */
int tipc_tx_open(void)
{
	unsigned long long deadline = now_ns() + TIPC_JOIN_S * 1000000000ULL;
	int fd = tipc_join(MAXN, TIPC_GROUP_MEMBER_EVTS), up = 0;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct tipc_event ev;
	struct iovec iov = { &ev, sizeof(ev) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	while (up < nrx) {
		if (now_ns() > deadline) {
			errno = ETIMEDOUT;
			fprintf(stderr, "FAIL tipc: %d of %d readers joined\n",
				up, nrx);
			die("waiting for the TIPC group's members");
		}
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		mh.msg_flags = 0;
		if (recvmsg(fd, &mh, MSG_DONTWAIT) < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			die("recvmsg(TIPC member event)");
		}
		/* a member event: MSG_OOB, and MSG_EOR when it left */
		if ((mh.msg_flags & (MSG_OOB | MSG_EOR)) == MSG_OOB)
			up++;
	}
	return fd;
}
