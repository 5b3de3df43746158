// SPDX-License-Identifier: GPL-2.0
/*
 * ipn-bench: what every command needs: failing without leaving processes
 * behind, time and CPU time, /proc and /sys, the receiving processes'
 * handshake with the parent and the memory they share with it.
 */
#include "ipn-bench.h"
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>

struct shared *sh;

/* So that a failure anywhere ends the run instead of hanging it */
pid_t parent, kids[MAXN + 1];
int nkids, report_fd[2] = { -1, -1 };

void die(const char *what)
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

unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

unsigned long long cpu_self_ns(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000ULL +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ULL;
}

/* How often this process went to sleep: one per wake-up it needed */
unsigned long long sleeps_self(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_nvcsw;
}

static unsigned long long tick_ns(void)
{
	return 1000000000ULL / sysconf(_SC_CLK_TCK);
}

/* Busy and softirq time of every CPU, from the first line of /proc/stat */
void cpu_total_ns(unsigned long long *busy, unsigned long long *softirq)
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
unsigned long long cpu_pid_ns(pid_t pid)
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

long meminfo_kb(const char *key)
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

void write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, val, strlen(val)) < 0)
		die(path);
	close(fd);
}

/* rm -rf of a directory of sockets, without a shell */
void rm_dir(const char *dir)
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
void shrink_slabs(void)
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

void set_int(int fd, int level, int name, int val, const char *what)
{
	if (setsockopt(fd, level, name, &val, sizeof(val)))
		die(what);
}

/*
 * What a receive call on a socket with SO_RCVTIMEO returned: @n when it
 * is no error, RX_TIMEOUT when nothing came in time, or RX_ERROR with
 * the error kept in @r->err
 */
ssize_t rx_status(ssize_t n, struct rx_result *r)
{
	if (n >= 0)
		return n;
	if (errno == EAGAIN)
		return RX_TIMEOUT;
	r->err = errno;
	return RX_ERROR;
}

/*
 * recvfrom() on a socket with SO_RCVTIMEO, again when a signal broke
 * in: the message's length, or RX_TIMEOUT or RX_ERROR (rx_status()).
 * @from may be NULL.
 */
ssize_t rx_recv(int fd, void *buf, size_t len, void *from, socklen_t fromlen,
		struct rx_result *r)
{
	socklen_t alen;
	ssize_t n;

	do {
		alen = fromlen;
		n = recvfrom(fd, buf, len, 0, from, from ? &alen : NULL);
	} while (n < 0 && errno == EINTR);
	return rx_status(n, r);
}

/* A child is set up: tell the parent, which waits for our byte */
void say_ready(int ready)
{
	report_fd[0] = -1;
	if (write(ready, "r", 1) != 1)
		die("write");
}

void read_n(int fd, int n, const char *what)
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

pid_t fork_kid(void)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid > 0)
		kids[nkids++] = pid;
	return pid;
}

struct shared *shared_map(void)
{
	struct shared *s = mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (s == MAP_FAILED)
		die("mmap");
	return s;
}
