// SPDX-License-Identifier: GPL-2.0
/*
 * ipnctl: drive AF_IPN netdev port ioctls from shell scripts.
 *
 *   ipnctl PATH OP [ARG] [OP [ARG]] ...
 *
 * Operations act on the "current" socket:
 *   new            socket(AF_IPN) + bind(PATH): creates or joins as manager
 *   sock           socket(AF_IPN) only (not bound)
 *   path P         use P as the path for the next new/connect
 *   connect        connect() the current socket to PATH
 *   tap NAME|-     IPN_CONN_NETDEV with IPN_NODEFLAG_TAP ("-": empty name)
 *   grab NAME      IPN_CONN_NETDEV with IPN_NODEFLAG_GRAB
 *   flags N NAME   IPN_CONN_NETDEV with raw ifr_flags N
 *   persist 0|1    IPN_SETPERSIST
 *   setp NAME      IPN_SETPERSIST_NETDEV
 *   clrp NAME      IPN_CLRPERSIST_NETDEV
 *   join NAME      IPN_JOIN_NETDEV
 *   port           print IPN_SO_PORT
 *   stats          print IPN_SO_STATS
 *   close          close the current socket (the previous one becomes current)
 *   uid N          setresuid(N) (drops CAP_NET_ADMIN)
 *   sleep SEC      sleep
 *   waitfile F     wait until file F exists
 *   expect ERR     the next operation must fail with ERR (EINVAL, ... or 0)
 *
 * Exit status 0 when every operation gave the expected result.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <linux/ipn.h>

#ifndef AF_IPN
#define AF_IPN 46
#endif
#ifndef SOL_IPN
#define SOL_IPN 288
#endif

static const struct { const char *name; int err; } errs[] = {
	{ "0", 0 }, { "EPERM", EPERM }, { "ENOENT", ENOENT },
	{ "ENODEV", ENODEV }, { "EEXIST", EEXIST }, { "EINVAL", EINVAL },
	{ "EBUSY", EBUSY }, { "ENOTCONN", ENOTCONN }, { "EISCONN", EISCONN },
	{ "EADDRINUSE", EADDRINUSE }, { "EFAULT", EFAULT },
	{ "ENOTTY", ENOTTY }, { "EOPNOTSUPP", EOPNOTSUPP },
	{ "ECONNREFUSED", ECONNREFUSED }, { "EADDRNOTAVAIL", EADDRNOTAVAIL },
};

static int errno_of(const char *s)
{
	unsigned int i;

	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++)
		if (!strcmp(errs[i].name, s))
			return errs[i].err;
	fprintf(stderr, "unknown errno name %s\n", s);
	exit(2);
}

static int socks[64], nsocks;
static const char *path;

static int cur(void)
{
	if (!nsocks) {
		fprintf(stderr, "no current socket\n");
		exit(2);
	}
	return socks[nsocks - 1];
}

static struct sockaddr_un addr(socklen_t *len)
{
	struct sockaddr_un sun = { .sun_family = AF_IPN };

	strncpy(sun.sun_path, path, sizeof(sun.sun_path) - 1);
	*len = sizeof(sun);
	return sun;
}

static int do_conn(int flags, const char *name)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	if (strcmp(name, "-"))
		strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
	ifr.ifr_flags = flags;
	if (ioctl(cur(), IPN_CONN_NETDEV, &ifr))
		return -1;
	printf("netdev %s\n", ifr.ifr_name);
	return 0;
}

static int do_byname(unsigned long cmd, const char *name)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
	if (ioctl(cur(), cmd, &ifr))
		return -1;
	if (cmd == IPN_JOIN_NETDEV)
		printf("joined %s\n", ifr.ifr_name);
	return 0;
}

int main(int argc, char **argv)
{
	int expect = 0, have_expect = 0;
	int i, ret, fd, val;

	if (argc < 2) {
		fprintf(stderr, "usage: ipnctl PATH OP...\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	path = argv[1];
	for (i = 2; i < argc; i++) {
		const char *op = argv[i];
		const char *arg = i + 1 < argc ? argv[i + 1] : "";
		struct sockaddr_un sun;
		socklen_t len;

		errno = 0;
		ret = 0;
		if (!strcmp(op, "expect")) {
			expect = errno_of(arg);
			have_expect = 1;
			i++;
			continue;
		} else if (!strcmp(op, "new") || !strcmp(op, "sock")) {
			fd = socket(AF_IPN, SOCK_RAW, IPN_ANY);
			if (fd < 0) {
				perror("socket");
				return 1;
			}
			socks[nsocks++] = fd;
			if (!strcmp(op, "new")) {
				sun = addr(&len);
				ret = bind(fd, (struct sockaddr *)&sun, len);
			}
		} else if (!strcmp(op, "path")) {
			path = arg;
			i++;
			continue;
		} else if (!strcmp(op, "connect")) {
			sun = addr(&len);
			ret = connect(cur(), (struct sockaddr *)&sun, len);
		} else if (!strcmp(op, "tap")) {
			ret = do_conn(IPN_NODEFLAG_TAP, arg);
			i++;
		} else if (!strcmp(op, "grab")) {
			ret = do_conn(IPN_NODEFLAG_GRAB, arg);
			i++;
		} else if (!strcmp(op, "flags")) {
			ret = do_conn(atoi(arg), argv[i + 2]);
			i += 2;
		} else if (!strcmp(op, "persist")) {
			ret = ioctl(cur(), IPN_SETPERSIST, atol(arg));
			i++;
		} else if (!strcmp(op, "setp")) {
			ret = do_byname(IPN_SETPERSIST_NETDEV, arg);
			i++;
		} else if (!strcmp(op, "clrp")) {
			ret = do_byname(IPN_CLRPERSIST_NETDEV, arg);
			i++;
		} else if (!strcmp(op, "join")) {
			ret = do_byname(IPN_JOIN_NETDEV, arg);
			i++;
		} else if (!strcmp(op, "port")) {
			len = sizeof(val);
			ret = getsockopt(cur(), SOL_IPN, IPN_SO_PORT, &val, &len);
			if (!ret)
				printf("port %d\n", val);
		} else if (!strcmp(op, "stats")) {
			struct ipn_port_stats st;

			len = sizeof(st);
			ret = getsockopt(cur(), SOL_IPN, IPN_SO_STATS, &st, &len);
			if (!ret)
				printf("stats rx %llu/%llu drop %llu tx %llu/%llu drop %llu\n",
				       (unsigned long long)st.rx_msgs,
				       (unsigned long long)st.rx_bytes,
				       (unsigned long long)st.rx_dropped,
				       (unsigned long long)st.tx_msgs,
				       (unsigned long long)st.tx_bytes,
				       (unsigned long long)st.tx_dropped);
		} else if (!strcmp(op, "close")) {
			ret = close(cur());
			nsocks--;
		} else if (!strcmp(op, "uid")) {
			val = atoi(arg);
			ret = setresuid(val, val, val);
			i++;
		} else if (!strcmp(op, "sleep")) {
			sleep(atoi(arg));
			i++;
		} else if (!strcmp(op, "waitfile")) {
			struct stat stb;

			while (stat(arg, &stb))
				usleep(100000);
			i++;
		} else {
			fprintf(stderr, "unknown op %s\n", op);
			return 2;
		}

		if (ret && !have_expect) {
			fprintf(stderr, "FAIL: %s %s: %s\n", op, arg,
				strerror(errno));
			return 1;
		}
		if (have_expect && (ret ? errno : 0) != expect) {
			fprintf(stderr, "FAIL: %s %s: got %s, expected %s\n",
				op, arg, ret ? strerror(errno) : "success",
				strerror(expect));
			return 1;
		}
		if (have_expect)
			printf("ok: %s %s -> %s\n", op, arg,
			       ret ? strerror(errno) : "success");
		have_expect = 0;
	}
	return 0;
}
