// SPDX-License-Identifier: GPL-2.0
/*
 * ipn-bench: readers that drain with io_uring (ipn-bench fanout ...
 * BATCH uring).  One multishot receive (IORING_OP_RECV with
 * IORING_RECV_MULTISHOT) stays armed on the socket and takes its
 * buffers from a ring of URING_NBUF provided buffers; each completion
 * is one message, and a reader takes every completion that has come
 * per wake-up.  The sender is the batched one (batch.c).
 */
#include "ipn-bench.h"
#include <liburing.h>
#include <sys/mman.h>

#define URING_NBUF	64	/* provided buffers, a power of 2 */
#define URING_BGID	1

struct uring_rx {
	struct io_uring ring;
	struct io_uring_buf_ring *br;
	char *bufs;
	int fd;
};

/* 1 when the kernel has io_uring, else 0 (and why, on stderr) */
int uring_check(void)
{
	struct io_uring ring;
	int ret = io_uring_queue_init(4, &ring, 0);

	if (!ret) {
		io_uring_queue_exit(&ring);
		return 1;
	}
	errno = -ret;
	if (ret != -ENOSYS)
		die("io_uring_queue_init");
	fprintf(stderr, "UNSUPPORTED io_uring_setup: %s\n", strerror(errno));
	return 0;
}

static void uring_arm(struct uring_rx *u)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&u->ring);

	io_uring_prep_recv_multishot(sqe, u->fd, NULL, 0, 0);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = URING_BGID;
	if (io_uring_submit(&u->ring) != 1) {
		errno = EIO;
		die("io_uring_submit");
	}
}

/* Buffer @bid back into the ring, as the @k-th of those given back */
static void uring_give(struct uring_rx *u, int bid, int k)
{
	io_uring_buf_ring_add(u->br, u->bufs + (size_t)bid * MSGMAX, MSGMAX,
			      bid, io_uring_buf_ring_mask(URING_NBUF), k);
}

struct uring_rx *uring_rx_open(int fd)
{
	struct io_uring_buf_reg reg = { .ring_entries = URING_NBUF,
					.bgid = URING_BGID };
	struct uring_rx *u = calloc(1, sizeof(*u));
	int ret, i;

	if (!u)
		die("malloc");
	ret = io_uring_queue_init(URING_NBUF, &u->ring, 0);
	u->br = mmap(NULL, URING_NBUF * sizeof(struct io_uring_buf),
		     PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	u->bufs = malloc((size_t)URING_NBUF * MSGMAX);
	if (ret || u->br == MAP_FAILED || !u->bufs) {
		errno = ret ? -ret : ENOMEM;
		die("io_uring set-up");
	}
	reg.ring_addr = (unsigned long)u->br;
	ret = io_uring_register_buf_ring(&u->ring, &reg, 0);
	if (ret) {
		errno = -ret;
		die("io_uring_register_buf_ring");
	}
	io_uring_buf_ring_init(u->br);
	for (i = 0; i < URING_NBUF; i++)
		uring_give(u, i, i);
	io_uring_buf_ring_advance(u->br, URING_NBUF);
	u->fd = fd;
	uring_arm(u);
	return u;
}

/*
 * The messages that have come, waiting up to RX_TIMEO_US for the
 * first: how many, or RX_TIMEOUT or RX_ERROR as rx_status()
 */
int uring_recv(struct uring_rx *u, struct rx_result *r)
{
	struct __kernel_timespec ts = { 0, RX_TIMEO_US * 1000L };
	struct io_uring_cqe *cqe, *cqes[URING_NBUF];
	int ret, got = 0, back = 0, rearm = 0;
	unsigned int i, n;

	ret = io_uring_wait_cqe_timeout(&u->ring, &cqe, &ts);
	if (ret == -ETIME || ret == -EINTR)
		return RX_TIMEOUT;
	if (ret < 0) {
		r->err = -ret;
		return RX_ERROR;
	}
	n = io_uring_peek_batch_cqe(&u->ring, cqes, URING_NBUF);
	for (i = 0; i < n; i++) {
		cqe = cqes[i];
		if (cqe->flags & IORING_CQE_F_BUFFER) {
			uring_give(u, cqe->flags >> IORING_CQE_BUFFER_SHIFT, back++);
			got++;
		} else if (cqe->res < 0 && cqe->res != -ENOBUFS) {
			/* out of buffers only ends the multishot receive */
			r->err = -cqe->res;
		}
		if (!(cqe->flags & IORING_CQE_F_MORE))
			rearm = 1;
	}
	io_uring_buf_ring_advance(u->br, back);
	io_uring_cq_advance(&u->ring, n);
	if (r->err)
		return RX_ERROR;
	if (rearm)
		uring_arm(u);
	return got;
}
