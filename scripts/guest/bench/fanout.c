// SPDX-License-Identifier: GPL-2.0
/*
 * ipn-bench fanout TRANSPORT N SIZE SECONDS [BATCH [uring]]: one
 * sender, N receiving processes, what each got and the CPU it cost
 * (see ipn-bench.c); with BATCH > 1 both sides move BATCH messages a
 * system call (batch.c), and with uring the receivers drain with
 * io_uring instead (uring.c).
 */
#include "ipn-bench.h"
#include <signal.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>

static int rx_uring;	/* the receivers drain with io_uring */

/* The next messages: how many (one unless batched), or RX_TIMEOUT/ERROR */
static int rx_next(int fd, char *buf, struct mmsghdr *mm, struct uring_rx *u,
		   struct rx_result *r)
{
	ssize_t n;

	if (u)
		return uring_recv(u, r);
	if (mm)
		return rx_recvm(fd, mm, batch, r);
	n = rx_recv(fd, buf, MSGMAX, NULL, 0, r);
	return n >= 0 ? 1 : n;
}

/* Receiving process @i: count until the sender is done, then report */
static void receiver(int i, int ready, int fin)
{
	struct timeval tv = { 0, RX_TIMEO_US };
	struct mmsghdr *mm = NULL;
	struct rx_result *r = &sh->rx[i];
	struct uring_rx *u = NULL;
	unsigned long long cpu0, sleeps0;
	char buf[MSGMAX];
	int fd, idle = 0, n;

	report_fd[0] = ready;
	report_fd[1] = fin;
	fd = rx_open(i);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		die("SO_RCVTIMEO");
	if (rx_uring)
		u = uring_rx_open(fd);
	else if (batch > 1)
		mm = mmsg_new(batch, NULL, MSGMAX);
	cpu0 = cpu_self_ns();
	sleeps0 = sleeps_self();
	say_ready(ready);
	for (;;) {
		n = rx_next(fd, buf, mm, u, r);
		if (n >= 0) {
			r->count += n;
			idle = 0;
			if (lossless() && __atomic_load_n(&sh->done, __ATOMIC_ACQUIRE) &&
			    r->count >= sh->sent) {
				r->finish_ns = now_ns();
				break;
			}
			continue;
		}
		if (n == RX_ERROR)
			break;
		if (!__atomic_load_n(&sh->done, __ATOMIC_ACQUIRE))
			continue;
		if (!lossless() || r->count >= sh->sent || ++idle > RX_IDLE_MAX)
			break;
	}
	r->cpu_ns = cpu_self_ns() - cpu0;
	r->sleeps = sleeps_self() - sleeps0;
	if (write(fin, "f", 1) != 1)
		die("write");
	/* hold the socket (and the vde port) until the parent is done */
	pause();
	_exit(0);
}

/* Send for a while: four messages, or one batch; 0 or -errno */
static int tx_some(struct tx *tx, const char *buf)
{
	int i, err = 0;

	if (tx->mm) {
		err = tx_sendm(tx);
		if (!err)
			sh->sent += batch;
		return err;
	}
	for (i = 0; i < 4 && !err; i++) {
		err = tx_send(tx, buf, 0);
		if (!err)
			sh->sent++;
	}
	return err;
}

int fanout(int argc, char **argv)
{
	unsigned long long t0, t_end, t_stop, busy0, busy1, soft0, soft1;
	unsigned long long cpu0, cpu_tx, vde0 = 0, delivered = 0, min = ~0ULL;
	unsigned long long finish = 0, rx_cpu = 0, rx_sleeps = 0;
	const char *queues = getenv(QUEUES_ENV);
	int ready[2], fin[2], i, err = 0, bad = 0, mgr = -1, default_queues;
	char buf[MSGMAX], what[32];
	double seconds;
	pid_t pids[MAXN];
	struct tx tx = { .fd = -1 };

	if (argc < 6 || argc > 8)
		return USAGE;
	tr = parse_transport(argv[2]);
	nrx = atoi(argv[3]);
	msize = atoi(argv[4]);
	seconds = atof(argv[5]);
	batch = argc > 6 ? atoi(argv[6]) : 1;
	rx_uring = argc > 7;
	if (nrx < 1 || nrx > MAXN || msize < 14 || msize > MSGMAX ||
	    batch < 1 || batch > BATCH_MAX || (rx_uring && strcmp(argv[7], "uring")))
		return USAGE;
	if ((tr == T_TIPC && !tipc_check()) || (rx_uring && !uring_check()))
		return UNSUPPORTED;
	default_queues = queues && !strcmp(queues, "default");
	snprintf(what, sizeof(what), "%s batch %d%s", tnames[tr], batch,
		 rx_uring ? " io_uring" : "");

	sh = shared_map();
	if (pipe(ready) || pipe(fin))
		die("pipe");
	switch (tr) {
	case T_IPN:
	case T_IPN_LOSSLESS:
		mgr = ipn_create(tr == T_IPN_LOSSLESS, nrx + 8,
				 default_queues ? 0 : QLEN);
		break;
	case T_UNIX:
		mkdir(UNIX_DIR, 0755);
		break;
	case T_VDE:
		vde_start(nrx + 8);
		break;
	default:
		break;
	}
	for (i = 0; i < nrx; i++) {
		pids[i] = fork_kid();
		if (!pids[i]) {
			close(ready[0]);
			close(fin[0]);
			receiver(i, ready[1], fin[1]);
		}
	}
	close(ready[1]);
	close(fin[1]);
	read_n(ready[0], nrx, "a receiver did not start");
	tx_open(&tx);
	memset(buf, 0x5a, sizeof(buf));
	memset(buf, 0xff, 6);	/* an Ethernet broadcast, for vde */
	if (batch > 1)
		tx_batch_open(&tx, buf);

	if (tr == T_VDE)
		vde0 = cpu_pid_ns(vde_pid);
	cpu0 = cpu_self_ns();
	cpu_total_ns(&busy0, &soft0);
	t0 = now_ns();
	t_end = t0;
	t_stop = t0 + (unsigned long long)(seconds * 1e9);
	for (;;) {
		err = tx_some(&tx, buf);
		if (err) {
			errno = -err;
			perror("ipn-bench: send");
			break;
		}
		t_end = now_ns();
		if (t_end >= t_stop)
			break;
	}
	__atomic_store_n(&sh->done, 1, __ATOMIC_RELEASE);
	cpu_tx = cpu_self_ns() - cpu0;
	read_n(fin[0], nrx, "a receiver died");
	cpu_total_ns(&busy1, &soft1);
	if (tr == T_VDE)
		cpu_tx += cpu_pid_ns(vde_pid) - vde0;

	for (i = 0; i < nrx; i++) {
		struct rx_result *r = &sh->rx[i];

		kill(pids[i], SIGKILL);
		waitpid(pids[i], NULL, 0);
		delivered += r->count;
		rx_cpu += r->cpu_ns;
		rx_sleeps += r->sleeps;
		if (r->count < min)
			min = r->count;
		if (r->finish_ns > finish)
			finish = r->finish_ns;
		if (r->err) {
			fprintf(stderr, "FAIL %s N=%d: receiver %d: %s\n",
				what, nrx, i, strerror(r->err));
			bad = 1;
		}
		if (r->count > sh->sent) {
			fprintf(stderr,
				"FAIL %s N=%d: receiver %d got %llu of %llu sent (duplicates)\n",
				what, nrx, i, r->count, sh->sent);
			bad = 1;
		}
		if (lossless() && r->count != sh->sent) {
			fprintf(stderr,
				"FAIL %s N=%d size %d: lossless receiver %d got %llu of %llu\n",
				what, nrx, msize, i, r->count, sh->sent);
			bad = 1;
		}
	}
	if (!delivered || err) {
		fprintf(stderr, "FAIL %s N=%d size %d: %llu sent, %llu delivered%s\n",
			what, nrx, msize, sh->sent, delivered,
			err ? ", send failed" : "");
		bad = 1;
	}
	if (finish < t_end)
		finish = t_end;
	printf("R fanout %s %d %d %llu %llu %llu %llu %llu %llu %llu %llu %d %s %llu %s\n",
	       tnames[tr], nrx, msize, sh->sent, delivered, min, finish - t0,
	       cpu_tx, rx_cpu, busy1 - busy0, soft1 - soft0, batch,
	       rx_uring ? "uring" : batch > 1 ? "mmsg" : "recv", rx_sleeps,
	       default_queues ? "default" : "128");
	fflush(stdout);

	close(tx.fd);
	if (mgr >= 0)
		close(mgr);
	if (tr == T_VDE) {
		vde_stop();
		rm_dir(VDE_DIR);
	}
	if (tr == T_UNIX)
		rm_dir(UNIX_DIR);
	if (tr == T_IPN || tr == T_IPN_LOSSLESS)
		unlink(IPN_PATH);
	return bad;
}
