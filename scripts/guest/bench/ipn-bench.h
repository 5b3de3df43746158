/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the parts of ipn-bench share: the limits, the transports, the
 * results the receiving processes leave in shared memory, and the
 * helpers.  See ipn-bench.c for the commands.
 */
#ifndef IPN_BENCH_H
#define IPN_BENCH_H

#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <net/ethernet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>
#include <linux/types.h>
#include "../ipn-compat.h"

#define MAXN		256
#define MSGMAX		2048
#define QLEN		128	/* IPN_SO_MSGPOOLSIZE, as unix max_dgram_qlen */
/* IPN_BENCH_QUEUES=default in the environment: the network's own queue */
#define QUEUES_ENV	"IPN_BENCH_QUEUES"
#define IPN_PATH	"/tmp/bench-ipn"
#define UNIX_DIR	"/tmp/bench-unix"
#define VDE_DIR		"/tmp/bench-vde"
#define MCAST_GROUP	"239.255.0.1"
#define MCAST_PORT	9999
#define ETH_P_BENCH	0x88b5	/* IEEE local experimental */
#define RX_TIMEO_US	50000
#define USAGE		-1	/* bad arguments */
#define RX_IDLE_MAX	40	/* lossless: 2 s without a message is a loss */
#define RX_TIMEOUT	-1	/* rx_recv(): nothing came within RX_TIMEO_US */
#define RX_ERROR	-2	/* rx_recv(): an error, kept in the rx_result */
#define UNSUPPORTED	2	/* exit status: this kernel lacks the transport */
#define BATCH_MAX	64	/* messages per sendmmsg()/recvmmsg() */
#define TIPC_GROUP	4711	/* the benchmark's TIPC group (service type) */
#define TIPC_JOIN_S	20	/* seconds the sender waits for the readers */

enum transport { T_IPN, T_IPN_LOSSLESS, T_UDP, T_UNIX, T_VDE, T_TIPC };

struct rx_result {
	unsigned long long count;
	unsigned long long cpu_ns;
	unsigned long long finish_ns;	/* when the last expected one came */
	unsigned long long sleeps;	/* voluntary context switches */
	int err;
};

struct shared {
	unsigned long long sent;
	int done;
	unsigned char mac_a[ETH_ALEN], mac_b[ETH_ALEN];
	struct rx_result rx[MAXN + 1];
};

/*
 * The sender's side of a fan-out: one socket, and where to send; for
 * the batched variant the sendmmsg() vector of one call, @mlen entries
 */
struct tx {
	int fd;
	struct sockaddr_un *unix_to;
	struct sockaddr_in mcast_to;
	struct mmsghdr *mm;
	int mlen;
};

/* util.c: the run's processes, time, /proc and /sys */
extern struct shared *sh;
extern pid_t parent, kids[MAXN + 1];
extern int nkids, report_fd[2];

void die(const char *what) __attribute__((noreturn));
unsigned long long now_ns(void);
unsigned long long cpu_self_ns(void);
unsigned long long sleeps_self(void);
void cpu_total_ns(unsigned long long *busy, unsigned long long *softirq);
unsigned long long cpu_pid_ns(pid_t pid);
long meminfo_kb(const char *key);
void write_file(const char *path, const char *val);
void rm_dir(const char *dir);
void shrink_slabs(void);
void set_int(int fd, int level, int name, int val, const char *what);
ssize_t rx_status(ssize_t n, struct rx_result *r);
ssize_t rx_recv(int fd, void *buf, size_t len, void *from, socklen_t fromlen,
		struct rx_result *r);
void say_ready(int ready);
void read_n(int fd, int n, const char *what);
pid_t fork_kid(void);
struct shared *shared_map(void);

/* transport.c: the sockets of each transport */
extern const char *const tnames[];
extern enum transport tr;
extern int nrx, msize, batch;

enum transport parse_transport(const char *s);
struct sockaddr_un ipn_addr(const char *path);
int ipn_create(int lossless, int numnodes, int poolsize);
int rx_open(int i);
void tx_open(struct tx *tx);
int tx_send(struct tx *tx, const void *buf, int flags);
int lossless(void);

/* batch.c: the batched variant, sendmmsg() and recvmmsg() */
struct mmsghdr *mmsg_new(int vlen, void *buf, size_t len);
int rx_recvm(int fd, struct mmsghdr *mm, int vlen, struct rx_result *r);
void tx_batch_open(struct tx *tx, void *buf);
int tx_sendm(struct tx *tx);

/* uring.c: receivers that drain with io_uring */
struct uring_rx;

int uring_check(void);
struct uring_rx *uring_rx_open(int fd);
int uring_recv(struct uring_rx *u, struct rx_result *r);

/* tipc.c: TIPC communication groups */
int tipc_check(void);
int tipc_rx_open(int i);
int tipc_tx_open(void);

/* vde.c: vde_switch and its datagram protocol */
extern pid_t vde_pid;

int vde_open(int idx);
void vde_start(int ports);
void vde_stop(void);

/* the commands */
int fanout(int argc, char **argv);
int mem(int argc, char **argv);
int grab(int argc, char **argv);
int l2(int argc, char **argv);

#endif /* IPN_BENCH_H */
