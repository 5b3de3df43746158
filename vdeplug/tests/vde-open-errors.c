// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What vde_open("ipn://...") answers, through libvdeplug as every VDE
 * program calls it.  The option errors need no AF_IPN in the kernel;
 * the rest runs where socket(AF_IPN) works (the test VM) and is skipped
 * elsewhere.  Prints TAP.
 *
 * usage: vde-open-errors [DIR]	(DIR: a scratch directory, default /tmp)
 * VDEPLUGIN_PATH=DIR makes libvdeplug take the plugin from DIR.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <libvdeplug.h>

#include "../ipn-uapi.h"

static int ntest, nfail;
/* short enough for every path of the test to fit in sun_path */
static char dir[48];
#define URL_MAX 320

static void tap(int ok, const char *fmt, ...)
{
	va_list ap;

	ntest++;
	if (!ok)
		nfail++;
	printf("%sok %d ", ok ? "" : "not ", ntest);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static void skip(const char *what, const char *why)
{
	printf("ok %d %s # SKIP %s\n", ++ntest, what, why);
}

static char *net(const char *name, const char *opts)
{
	static char url[URL_MAX];

	snprintf(url, sizeof(url), "ipn://%s/%s%s", dir, name, opts);
	return url;
}

static char *path(const char *name)
{
	static char p[sizeof(((struct sockaddr_un *)0)->sun_path)];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return p;
}

/* vde_open() of @url must fail with @err */
static void open_fails(const char *url, int err)
{
	char copy[URL_MAX];
	VDECONN *c;

	snprintf(copy, sizeof(copy), "%s", url);
	errno = 0;
	c = vde_open(copy, "test", NULL);
	tap(!c && errno == err, "vde_open %s: %s (want %s)", url,
	    c ? "opened" : strerror(errno), strerror(err));
	if (c)
		vde_close(c);
}

static VDECONN *open_ok(const char *url)
{
	char copy[URL_MAX];
	VDECONN *c;

	snprintf(copy, sizeof(copy), "%s", url);
	c = vde_open(copy, "test", NULL);
	if (!c)
		printf("# vde_open %s: %s\n", url, strerror(errno));
	return c;
}

static void option_errors(void)
{
	static const char *const bad[] = {
		"[bogus=1]", "[port=abc]", "[70000]", "[port=-2]", "[mode=999]",
		"[mode=rw]", "[numnodes=0]", "[numnodes=65536]", "[mtu=0]",
		"[mtu=70000]", "[proto=bogus]", "[lossless=2]", "[port=]",
	};
	char longname[200];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		open_fails(net("n", bad[i]), EINVAL);
	open_fails("ipn://", EINVAL);
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	open_fails(net(longname, ""), ENAMETOOLONG);
}

static int have_ipn(void)
{
	int fd = socket(AF_IPN, SOCK_RAW, IPN_ANY);

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

/* Bind an AF_UNIX datagram socket at @p; close it to leave a stale file */
static int unix_bind(const char *p)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", p);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		perror("unix bind");
		exit(1);
	}
	return fd;
}

static void path_errors(void)
{
	struct stat st;
	int fd;

	open_fails(net("nodir/n", ""), ENOENT);

	fd = open(path("file"), O_CREAT | O_WRONLY, 0600);
	close(fd);
	open_fails(net("file", ""), EEXIST);
	tap(stat(path("file"), &st) == 0 && S_ISREG(st.st_mode),
	    "a regular file in the way is left alone");

	fd = unix_bind(path("live-unix"));
	open_fails(net("live-unix", ""), EADDRINUSE);
	tap(stat(path("live-unix"), &st) == 0 && S_ISSOCK(st.st_mode),
	    "a live AF_UNIX socket in the way is left alone");
	close(fd);
}

static void stale_and_mode(void)
{
	struct stat st;
	VDECONN *c;
	mode_t old;
	int flags;

	close(unix_bind(path("stale")));
	c = open_ok(net("stale", ""));
	tap(c != NULL, "a stale socket file is replaced by a new network");
	if (c)
		vde_close(c);
	c = open_ok(net("stale", ""));
	tap(c != NULL, "the file of a network that died is replaced too");
	if (c) {
		flags = fcntl(vde_datafd(c), F_GETFD);
		tap(flags >= 0 && (flags & FD_CLOEXEC),
		    "vde_datafd() is close-on-exec");
		tap(vde_ctlfd(c) == -1, "vde_ctlfd() is -1");
		vde_close(c);
	}

	old = umask(077);
	c = open_ok(net("mode", "[mode=0664]"));
	umask(old);
	if (!c || stat(path("mode"), &st) < 0)
		st.st_mode = 0;
	tap((st.st_mode & 07777) == 0664,
	    "mode=0664 under umask 077 gives 0664 (got %o)",
	    (unsigned int)(st.st_mode & 07777));
	if (c)
		vde_close(c);
}

static void frames(void)
{
	unsigned char frame[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
				    0x02, 0, 0, 0, 0, 1, 0x08, 0x00 };
	struct pollfd pfd = { .events = POLLIN };
	unsigned char buf[2048];
	VDECONN *a, *b;
	ssize_t n;

	a = open_ok(net("frames", "[mtu=100]"));
	b = open_ok(net("frames", ""));
	if (!a || !b) {
		tap(0, "two ends on one network");
		goto out;
	}
	pfd.fd = vde_datafd(b);
	tap(poll(&pfd, 1, 0) == 0, "an idle member's data fd polls quiet (no POLLHUP)");
	n = vde_send(a, frame, sizeof(frame), 0);
	tap(n == sizeof(frame), "vde_send of a 60-byte frame: %zd", n);
	tap(poll(&pfd, 1, 5000) == 1 && pfd.revents == POLLIN,
	    "vde_datafd() polls POLLIN with a frame queued");
	n = vde_recv(b, buf, sizeof(buf), 0);
	tap(n == sizeof(frame) && !memcmp(buf, frame, n),
	    "vde_recv gets that frame whole: %zd", n);
	errno = 0;
	n = vde_send(a, frame, 13, 0);
	tap(n == -1 && errno == EINVAL, "a 13-byte send is EINVAL");
	errno = 0;
	n = vde_send(a, buf, 101, 0);
	tap(n == -1 && errno == EMSGSIZE, "mtu=100: a 101-byte send is EMSGSIZE");
	n = vde_send(a, frame, sizeof(frame), 0);
	n = vde_recv(b, buf, 20, 0);
	tap(n == 1, "a frame truncated by a short buffer is dropped: %zd", n);
out:
	if (a)
		vde_close(a);
	if (b)
		vde_close(b);
}

/* Whether /proc/net/ipn has a socket of the network @name described @d */
static int descr_shown(const char *name, const char *d)
{
	char line[512], want[256];
	int found = 0;
	FILE *f;

	snprintf(want, sizeof(want), " %s %s", path(name), d);
	f = fopen("/proc/net/ipn", "r");
	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, want) != NULL;
	fclose(f);
	return found;
}

static void descr(void)
{
	VDECONN *a, *b;

	a = open_ok(net("descr", ""));
	b = open_ok(net("descr", "[descr=hello]"));
	tap(a && descr_shown("descr", "test\\040user="),
	    "the description defaults to vde_open()'s");
	tap(b && descr_shown("descr", "hello\n"), "descr=hello");
	if (a)
		vde_close(a);
	if (b)
		vde_close(b);
}

/* A zero-length message from a raw member is not an end of file */
static void zero_length(void)
{
	struct sockaddr_un sun = { .sun_family = AF_IPN };
	unsigned char buf[64];
	VDECONN *a;
	ssize_t n;
	int fd;

	a = open_ok(net("zero", ""));
	fd = socket(AF_IPN, SOCK_RAW, IPN_ANY);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path("zero"));
	if (!a || fd < 0 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		tap(0, "a raw member joins a plugin's network");
		goto out;
	}
	n = send(fd, buf, 0, 0);
	n = vde_recv(a, buf, sizeof(buf), 0);
	tap(n == 1, "a zero-length message reads as a dropped packet: %zd", n);
out:
	if (fd >= 0)
		close(fd);
	if (a)
		vde_close(a);
}

static void ports_and_policy(void)
{
	VDECONN *a, *b, *c;

	open_fails(net("ports", "[numnodes=2/5]"), EADDRNOTAVAIL);
	a = open_ok(net("ports", "[numnodes=8/5]"));
	tap(a != NULL, "port 5 of an 8-port network");
	open_fails(net("ports", "[port=5]"), EADDRINUSE);
	open_fails(net("ports", "[proto=switch]"), EPROTOTYPE);
	if (a)
		vde_close(a);

	a = open_ok(net("full", "[numnodes=2]"));
	b = open_ok(net("full", ""));
	tap(a && b, "two members of a 2-port network");
	open_fails(net("full", ""), EADDRNOTAVAIL);
	if (a)
		vde_close(a);
	if (b)
		vde_close(b);

	c = open_ok(net("sw", "[proto=switch]"));
	tap(c != NULL, "proto=switch creates a kvde_switch network");
	if (c)
		vde_close(c);
}

/* lossless: a peer that does not read stops a non-blocking sender */
static void lossless(void)
{
	unsigned char frame[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
				    0x02, 0, 0, 0, 0, 2, 0x08, 0x00 };
	VDECONN *a, *b;
	ssize_t n = 0;
	int i;

	a = open_ok(net("lossless", "[lossless]"));
	b = open_ok(net("lossless", ""));
	if (!a || !b) {
		tap(0, "two members of a lossless network");
		goto out;
	}
	for (i = 0; i < 100000; i++) {
		n = vde_send(a, frame, sizeof(frame), MSG_DONTWAIT);
		if (n < 0)
			break;
	}
	tap(n < 0 && errno == EAGAIN,
	    "lossless: MSG_DONTWAIT sends stop with EAGAIN after %d", i);
out:
	if (a)
		vde_close(a);
	if (b)
		vde_close(b);
}

/*
 * One of two members of a lossless network that send @n frames each
 * before reading any: the other's queue fills (past its soft limit), and
 * each send must set aside what arrives while it waits, or both wait for
 * ever.  Returns how many checks failed.
 */
static int crossed_member(VDECONN *c, unsigned char id, unsigned int n)
{
	unsigned char frame[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
				    0x02, 0, 0, 0, 0, id, 0x88, 0xb5 };
	struct pollfd pfd = { .fd = vde_datafd(c), .events = POLLIN };
	unsigned char buf[2048];
	unsigned int i, seq;
	ssize_t len;

	for (i = 0; i < n; i++) {
		memcpy(frame + 14, &i, sizeof(i));
		if (vde_send(c, frame, sizeof(frame), 0) != sizeof(frame)) {
			printf("# member %u: send %u: %s\n", id, i, strerror(errno));
			return 1;
		}
	}
	for (i = 0; i < n; i++) {
		if (poll(&pfd, 1, 10000) != 1) {
			printf("# member %u: no frame %u polled\n", id, i);
			return 1;
		}
		len = vde_recv(c, buf, sizeof(buf), 0);
		memcpy(&seq, buf + 14, sizeof(seq));
		if (len != sizeof(frame) || buf[11] == id || seq != i) {
			printf("# member %u: frame %u: length %zd, seq %u\n",
			       id, i, len, seq);
			return 1;
		}
	}
	return 0;
}

static void lossless_crossed(void)
{
	const unsigned int n = 1000;
	struct timespec t0, t1;
	VDECONN *a, *b;
	int status = -1, failed = 1;
	pid_t pid;

	a = open_ok(net("crossed", "[lossless]"));
	b = open_ok(net("crossed", ""));
	if (!a || !b)
		goto out;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		alarm(60);
		_exit(crossed_member(b, 2, n));
	}
	if (pid < 0)
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	alarm(60);
	failed = crossed_member(a, 1, n);
	alarm(0);
	waitpid(pid, &status, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("# crossed: %u frames each way in %ld ms\n", n,
	       (t1.tv_sec - t0.tv_sec) * 1000 +
	       (t1.tv_nsec - t0.tv_nsec) / 1000000);
out:
	tap(!failed && status == 0,
	    "lossless: two members that each send %u frames before reading get all of them, in order",
	    n);
	if (a)
		vde_close(a);
	if (b)
		vde_close(b);
}

static int rm_entry(const char *p, const struct stat *st, int type,
		    struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(p);
}

int main(int argc, char **argv)
{
	char tmpl[PATH_MAX];

	snprintf(tmpl, sizeof(tmpl), "%s/vde-open-XXXXXX",
		 argc > 1 ? argv[1] : "/tmp");
	if (strlen(tmpl) >= sizeof(dir)) {
		fprintf(stderr, "%s: too long a directory name\n", tmpl);
		return 1;
	}
	if (!mkdtemp(tmpl)) {
		perror(tmpl);
		return 1;
	}
	snprintf(dir, sizeof(dir), "%s", tmpl);

	option_errors();
	if (have_ipn()) {
		path_errors();
		stale_and_mode();
		frames();
		descr();
		zero_length();
		ports_and_policy();
		lossless();
		lossless_crossed();
	} else {
		skip("vde_open on AF_IPN networks", strerror(errno));
	}
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	printf("1..%d\n", ntest);
	printf("# %d passed, %d failed\n", ntest - nfail, nfail);
	return nfail != 0;
}
