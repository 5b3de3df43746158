// SPDX-License-Identifier: GPL-2.0
/*
 * ipn-bench: the batched variant of a fan-out (ipn-bench fanout ...
 * BATCH).  The readers drain their socket with recvmmsg(), up to BATCH
 * messages a call (MSG_WAITFORONE: the first waits, the others do
 * not); the sender sends BATCH messages a sendmmsg() call: to the
 * multicast group for UDP, one entry per message and reader (each with
 * its address) for the AF_UNIX loop, and on the connected or joined
 * socket for AF_IPN, TIPC groups and vde_switch (which itself still
 * forwards one frame at a time).
 */
#include "ipn-bench.h"
#include <limits.h>
#include <sys/uio.h>

/*
 * @vlen headers, each with an iovec of @len bytes: all over @buf when
 * it is given (the sender's one message), else each its own buffer
 */
struct mmsghdr *mmsg_new(int vlen, void *buf, size_t len)
{
	struct mmsghdr *mm = calloc(vlen, sizeof(*mm));
	struct iovec *iov = calloc(vlen, sizeof(*iov));
	char *data = buf ? buf : malloc((size_t)vlen * len);
	int i;

	if (!mm || !iov || !data)
		die("malloc");
	for (i = 0; i < vlen; i++) {
		iov[i].iov_base = buf ? data : data + i * len;
		iov[i].iov_len = len;
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	return mm;
}

/*
 * recvmmsg() on a socket with SO_RCVTIMEO, again when a signal broke
 * in: how many messages came, or RX_TIMEOUT or RX_ERROR (rx_status())
 */
int rx_recvm(int fd, struct mmsghdr *mm, int vlen, struct rx_result *r)
{
	int n;

	do {
		n = recvmmsg(fd, mm, vlen, MSG_WAITFORONE, NULL);
	} while (n < 0 && errno == EINTR);
	return rx_status(n, r);
}

/* The vector of one sendmmsg() call: batch messages to every reader */
void tx_batch_open(struct tx *tx, void *buf)
{
	int i, per = tr == T_UNIX ? nrx : 1;
	struct msghdr *h;

	tx->mlen = batch * per;
	tx->mm = mmsg_new(tx->mlen, buf, msize);
	for (i = 0; i < tx->mlen; i++) {
		h = &tx->mm[i].msg_hdr;
		if (tr == T_UNIX) {
			/* message-major: message k goes to every reader in turn */
			h->msg_name = &tx->unix_to[i % per];
			h->msg_namelen = sizeof(tx->unix_to[0]);
		} else if (tr == T_UDP) {
			h->msg_name = &tx->mcast_to;
			h->msg_namelen = sizeof(tx->mcast_to);
		}
	}
}

/* batch messages to every receiver; 0 or -errno */
int tx_sendm(struct tx *tx)
{
	int off = 0, n;

	/* the kernel takes at most UIO_MAXIOV (IOV_MAX) entries a call */
	while (off < tx->mlen) {
		n = tx->mlen - off;
		n = sendmmsg(tx->fd, tx->mm + off, n < IOV_MAX ? n : IOV_MAX, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		off += n;
	}
	return 0;
}
