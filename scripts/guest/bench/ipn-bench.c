// SPDX-License-Identifier: GPL-2.0
/*
 * AF_IPN benchmark, run inside the test VM by scripts/bench through
 * bench.sh.  Each measurement prints one line starting with "R "; a
 * transport that does not deliver what was sent prints "FAIL ..." on
 * stderr and the program exits 1.  It never fails on speed.
 *
 * ipn-bench fanout TRANSPORT N SIZE SECONDS
 *	One sender, N receiving processes, messages of SIZE bytes for
 *	SECONDS.  TRANSPORT: ipn (broadcast, lossy), ipn-lossless, udp
 *	(multicast on lo), unix (AF_UNIX datagram, the sender loops
 *	sendto over the receivers) or vde (vde_switch in hub mode, the
 *	command in $VDE_SWITCH, N+1 clients speaking the vde2 protocol).
 *	R fanout TRANSPORT N SIZE SENT DELIVERED MIN_PER_READER ELAPSED_NS
 *	  SENDER_NS RECEIVERS_NS TOTAL_NS SOFTIRQ_NS
 *	CPU times are getrusage() of the sender (plus vde_switch for vde)
 *	and of the receivers; TOTAL and SOFTIRQ are from /proc/stat over
 *	the run, every CPU, softirq and kernel threads included.
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
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <x86intrin.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/sock_diag.h>
#include <linux/types.h>
#include "../ipn-compat.h"

#ifndef SO_MEMINFO
#define SO_MEMINFO 55
#endif

#define MAXN		256
#define MSGMAX		2048
#define QLEN		128	/* IPN_SO_MSGPOOLSIZE, as unix max_dgram_qlen */
#define IPN_PATH	"/tmp/bench-ipn"
#define UNIX_DIR	"/tmp/bench-unix"
#define VDE_DIR		"/tmp/bench-vde"
#define MCAST_GROUP	"239.255.0.1"
#define MCAST_PORT	9999
#define ETH_P_BENCH	0x88b5	/* IEEE local experimental */
#define RX_TIMEO_US	50000
#define USAGE		-1	/* bad arguments */
#define RX_IDLE_MAX	40	/* lossless: 2 s without a message is a loss */

enum transport { T_IPN, T_IPN_LOSSLESS, T_UDP, T_UNIX, T_VDE };

static const char *const tnames[] = {
	[T_IPN]		 = "ipn",
	[T_IPN_LOSSLESS] = "ipn-lossless",
	[T_UDP]		 = "udp",
	[T_UNIX]	 = "unix",
	[T_VDE]		 = "vde",
};

struct rx_result {
	unsigned long long count;
	unsigned long long cpu_ns;
	unsigned long long finish_ns;	/* when the last expected one came */
	int err;
};

struct shared {
	unsigned long long sent;
	int done;
	unsigned char mac_a[ETH_ALEN], mac_b[ETH_ALEN];
	struct rx_result rx[MAXN + 1];
};

static struct shared *sh;
static enum transport tr;
static int nrx, msize;
static pid_t vde_pid = -1;
static int vde_ctl[MAXN + 2];

/* So that a failure anywhere ends the run instead of hanging it */
static pid_t parent, kids[MAXN + 1];
static int nkids, report_fd[2] = { -1, -1 };

static void die(const char *what)
{
	int i;

	fprintf(stderr, "FAIL ipn-bench: %s: %s\n", what, strerror(errno));
	if (getpid() == parent) {
		for (i = 0; i < nkids; i++)
			kill(kids[i], SIGKILL);
		if (vde_pid > 0)
			kill(vde_pid, SIGTERM);
	} else {
		/* a child: tell the parent, which waits for our byte */
		for (i = 0; i < 2; i++)
			if (report_fd[i] >= 0 && write(report_fd[i], "e", 1) < 0)
				break;
	}
	exit(1);
}

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static unsigned long long cpu_self_ns(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000ULL +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ULL;
}

static unsigned long long tick_ns(void)
{
	return 1000000000ULL / sysconf(_SC_CLK_TCK);
}

/* Busy and softirq time of every CPU, from the first line of /proc/stat */
static void cpu_total_ns(unsigned long long *busy, unsigned long long *softirq)
{
	unsigned long long v[8] = { 0 };
	FILE *f = fopen("/proc/stat", "r");

	if (!f || fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu",
			 &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
			 &v[7]) < 7)
		die("/proc/stat");
	fclose(f);
	/* user nice system idle iowait irq softirq steal */
	*busy = (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) * tick_ns();
	*softirq = v[6] * tick_ns();
}

/* utime + stime of another process, from /proc/PID/stat */
static unsigned long long cpu_pid_ns(pid_t pid)
{
	unsigned long long ut = 0, st = 0;
	char path[64], buf[1024], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	p = strrchr(buf, ')');
	if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
			&ut, &st) == 2)
		return (ut + st) * tick_ns();
	return 0;
}

static long meminfo_kb(const char *key)
{
	char line[256];
	size_t klen = strlen(key);
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		die("/proc/meminfo");
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			kb = atol(line + klen + 1);
			break;
		}
	fclose(f);
	return kb;
}

static void write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, val, strlen(val)) < 0)
		die(path);
	close(fd);
}

/* rm -rf of a directory of sockets, without a shell */
static void rm_dir(const char *dir)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

/*
 * Give the empty slabs of the caches that sk_buffs come from back to
 * the page allocator (and on a KASAN kernel drain its quarantine of
 * them), so that the next allocations take new slabs rather than
 * objects freed earlier, and Slab: in /proc/meminfo grows with them.
 */
static void shrink_slabs(void)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir("/sys/kernel/slab");
	int fd;

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "skbuff", 6) &&
		    strncmp(de->d_name, "kmalloc", 7))
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink",
			 de->d_name);
		fd = open(path, O_WRONLY);
		if (fd < 0)
			continue;
		if (write(fd, "1", 1) < 0)
			errno = 0;
		close(fd);
	}
	closedir(d);
}

static void set_int(int fd, int level, int name, int val, const char *what)
{
	if (setsockopt(fd, level, name, &val, sizeof(val)))
		die(what);
}

static struct sockaddr_un ipn_addr(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_IPN };

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	return sun;
}

/* The manager socket that creates the broadcast network, kept open */
static int ipn_create(int lossless, int numnodes, int poolsize)
{
	struct sockaddr_un sun = ipn_addr(IPN_PATH);
	int fd = socket(AF_IPN, SOCK_RAW, IPN_BROADCAST);

	if (fd < 0)
		die("socket(AF_IPN)");
	unlink(IPN_PATH);
	set_int(fd, SOL_IPN, IPN_SO_NUMNODES, numnodes, "IPN_SO_NUMNODES");
	set_int(fd, SOL_IPN, IPN_SO_MSGPOOLSIZE, poolsize, "IPN_SO_MSGPOOLSIZE");
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

/*
 * vde2's datagram protocol (libvdeplug): a request on the stream socket
 * DIR/ctl names our datagram socket, the switch answers with the
 * address of the port's datagram socket.  The port lives as long as
 * the stream socket.
 */
#define VDE_MAGIC	0xfeedface
#define VDE_VERSION	3
#define VDE_REQ_NEW_CONTROL 0

struct vde_request {
	__u32 magic;
	__u32 version;
	__u32 type;
	struct sockaddr_un sock;
	char description[128];
} __attribute__((packed));

static int vde_open(int idx)
{
	struct sockaddr_un ctl = { .sun_family = AF_UNIX }, data;
	struct vde_request req;
	int fc, fd;
	size_t len;

	fc = socket(AF_UNIX, SOCK_STREAM, 0);
	snprintf(ctl.sun_path, sizeof(ctl.sun_path), VDE_DIR "/ctl");
	if (fc < 0 || connect(fc, (struct sockaddr *)&ctl, sizeof(ctl)))
		die("connect(vde_switch ctl)");
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	memset(&req, 0, sizeof(req));
	req.magic = VDE_MAGIC;
	req.version = VDE_VERSION;
	req.type = VDE_REQ_NEW_CONTROL;
	req.sock.sun_family = AF_UNIX;
	snprintf(req.sock.sun_path, sizeof(req.sock.sun_path),
		 VDE_DIR "/.bench-%d", idx);
	unlink(req.sock.sun_path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&req.sock, sizeof(req.sock)))
		die("bind(vde data)");
	snprintf(req.description, sizeof(req.description), "ipn-bench %d", idx);
	len = sizeof(req) - sizeof(req.description) + strlen(req.description) + 1;
	if (send(fc, &req, len, 0) != (ssize_t)len)
		die("send(vde request)");
	memset(&data, 0, sizeof(data));
	if (recv(fc, &data, sizeof(data), 0) <= 0) {
		errno = errno ?: ECONNRESET;
		die("recv(vde reply)");
	}
	if (connect(fd, (struct sockaddr *)&data, sizeof(data)))
		die("connect(vde data)");
	vde_ctl[idx] = fc;
	return fd;
}

static void vde_start(int ports)
{
	char nports[16];
	struct stat st;
	int p[2], i;

	rm_dir(VDE_DIR);
	snprintf(nports, sizeof(nports), "%d", ports);
	if (pipe(p))
		die("pipe");
	vde_pid = fork();
	if (vde_pid < 0)
		die("fork");
	if (!vde_pid) {
		/* its console reads stdin: a pipe we hold open */
		dup2(p[0], 0);
		close(p[1]);
		freopen("/dev/null", "w", stdout);
		freopen("/dev/null", "w", stderr);
		execl("/bin/sh", "sh", "-c",
		      "exec $VDE_SWITCH -x -n \"$1\" -s \"$2\"", "sh", nports,
		      VDE_DIR, (char *)NULL);
		_exit(127);
	}
	close(p[0]);
	for (i = 0; i < 500; i++) {
		if (!stat(VDE_DIR "/ctl", &st))
			return;
		if (waitpid(vde_pid, NULL, WNOHANG) == vde_pid) {
			errno = ENOEXEC;
			die("vde_switch exited (is $VDE_SWITCH right?)");
		}
		usleep(10000);
	}
	errno = ETIMEDOUT;
	die("vde_switch did not create " VDE_DIR "/ctl");
}

static void vde_stop(void)
{
	if (vde_pid <= 0)
		return;
	kill(vde_pid, SIGTERM);
	waitpid(vde_pid, NULL, 0);
	vde_pid = -1;
}

/* Receiving socket number @i, in the receiving process */
static int rx_open(int i)
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
	}
	return -1;
}

struct tx {
	int fd;
	struct sockaddr_un *unix_to;
	struct sockaddr_in mcast_to;
};

static void tx_open(struct tx *tx)
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
	}
}

/* One message to every receiver; 0 or -errno */
static int tx_send(struct tx *tx, const void *buf, int flags)
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

static int lossless(void)
{
	return tr == T_IPN_LOSSLESS || tr == T_UNIX;
}

static void receiver(int i, int ready, int fin)
{
	struct timeval tv = { 0, RX_TIMEO_US };
	struct rx_result *r = &sh->rx[i];
	unsigned long long cpu0;
	char buf[MSGMAX];
	int fd, idle = 0;
	ssize_t n;

	report_fd[0] = ready;
	report_fd[1] = fin;
	fd = rx_open(i);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		die("SO_RCVTIMEO");
	cpu0 = cpu_self_ns();
	report_fd[0] = -1;
	if (write(ready, "r", 1) != 1)
		die("write");
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n >= 0) {
			r->count++;
			idle = 0;
			if (lossless() && __atomic_load_n(&sh->done, __ATOMIC_ACQUIRE) &&
			    r->count >= sh->sent) {
				r->finish_ns = now_ns();
				break;
			}
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN) {
			r->err = errno;
			break;
		}
		if (!__atomic_load_n(&sh->done, __ATOMIC_ACQUIRE))
			continue;
		if (!lossless() || r->count >= sh->sent || ++idle > RX_IDLE_MAX)
			break;
	}
	r->cpu_ns = cpu_self_ns() - cpu0;
	if (write(fin, "f", 1) != 1)
		die("write");
	/* hold the socket (and the vde port) until the parent is done */
	pause();
	_exit(0);
}

static void read_n(int fd, int n, const char *what)
{
	char c;

	while (n > 0) {
		if (read(fd, &c, 1) != 1) {
			errno = errno ?: EPIPE;
			die(what);
		}
		if (c == 'e') {
			errno = EIO;
			die(what);
		}
		n--;
	}
}

static pid_t fork_kid(void)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid > 0)
		kids[nkids++] = pid;
	return pid;
}

static struct shared *shared_map(void)
{
	struct shared *s = mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (s == MAP_FAILED)
		die("mmap");
	return s;
}

static enum transport parse_transport(const char *s)
{
	unsigned int i;

	for (i = 0; i < sizeof(tnames) / sizeof(tnames[0]); i++)
		if (!strcmp(s, tnames[i]))
			return i;
	fprintf(stderr, "ipn-bench: unknown transport %s\n", s);
	exit(3);
}

static int fanout(int argc, char **argv)
{
	unsigned long long t0, t_end, t_stop, busy0, busy1, soft0, soft1;
	unsigned long long cpu0, cpu_tx, vde0 = 0, delivered = 0, min = ~0ULL;
	unsigned long long finish = 0, rx_cpu = 0;
	int ready[2], fin[2], i, err = 0, bad = 0, mgr = -1;
	char buf[MSGMAX];
	double seconds;
	pid_t pids[MAXN];
	struct tx tx;

	if (argc != 6)
		return USAGE;
	tr = parse_transport(argv[2]);
	nrx = atoi(argv[3]);
	msize = atoi(argv[4]);
	seconds = atof(argv[5]);
	if (nrx < 1 || nrx > MAXN || msize < 14 || msize > MSGMAX)
		return USAGE;

	sh = shared_map();
	if (pipe(ready) || pipe(fin))
		die("pipe");
	switch (tr) {
	case T_IPN:
	case T_IPN_LOSSLESS:
		mgr = ipn_create(tr == T_IPN_LOSSLESS, nrx + 8, QLEN);
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

	if (tr == T_VDE)
		vde0 = cpu_pid_ns(vde_pid);
	cpu0 = cpu_self_ns();
	cpu_total_ns(&busy0, &soft0);
	t0 = now_ns();
	t_end = t0;
	t_stop = t0 + (unsigned long long)(seconds * 1e9);
	for (;;) {
		for (i = 0; i < 4 && !err; i++) {
			err = tx_send(&tx, buf, 0);
			if (!err)
				sh->sent++;
		}
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
		if (r->count < min)
			min = r->count;
		if (r->finish_ns > finish)
			finish = r->finish_ns;
		if (r->err) {
			fprintf(stderr, "FAIL %s N=%d: receiver %d: %s\n",
				tnames[tr], nrx, i, strerror(r->err));
			bad = 1;
		}
		if (r->count > sh->sent) {
			fprintf(stderr,
				"FAIL %s N=%d: receiver %d got %llu of %llu sent (duplicates)\n",
				tnames[tr], nrx, i, r->count, sh->sent);
			bad = 1;
		}
		if (lossless() && r->count != sh->sent) {
			fprintf(stderr,
				"FAIL %s N=%d size %d: lossless receiver %d got %llu of %llu\n",
				tnames[tr], nrx, msize, i, r->count, sh->sent);
			bad = 1;
		}
	}
	if (!delivered || err) {
		fprintf(stderr, "FAIL %s N=%d size %d: %llu sent, %llu delivered%s\n",
			tnames[tr], nrx, msize, sh->sent, delivered,
			err ? ", send failed" : "");
		bad = 1;
	}
	if (finish < t_end)
		finish = t_end;
	printf("R fanout %s %d %d %llu %llu %llu %llu %llu %llu %llu %llu\n",
	       tnames[tr], nrx, msize, sh->sent, delivered, min, finish - t0,
	       cpu_tx, rx_cpu, busy1 - busy0, soft1 - soft0);
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

/* Kernel memory of COUNT messages queued on N readers that do not read */
static int mem(int argc, char **argv)
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

static int grab(int argc, char **argv)
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
	socklen_t alen;
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
	report_fd[0] = -1;
	if (write(ready, "r", 1) != 1)
		die("write");
	for (;;) {
		alen = sizeof(from);
		if (recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			     &alen) >= 0) {
			if (from.sll_pkttype != PACKET_OUTGOING &&
			    !memcmp(buf + ETH_ALEN, sh->mac_a, ETH_ALEN))
				r->count++;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN) {
			r->err = errno;
			break;
		}
		if (__atomic_load_n(&sh->done, __ATOMIC_ACQUIRE))
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
	report_fd[0] = -1;
	if (write(ready, "r", 1) != 1)
		die("write");
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

static int l2(int argc, char **argv)
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
