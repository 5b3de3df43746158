// SPDX-License-Identifier: GPL-2.0
/*
 * AF_IPN demo, run inside the test VM by scripts/demo: two processes
 * exchange messages on one broadcast network while a third does not
 * read, and its drop counter rises.
 *
 * "ipn-demo grab PATH DEV..." puts the Ethernet devices DEV into a
 * kvde_switch network at PATH (IPN_NODEFLAG_GRAB) and holds them until
 * it is killed; it exits 2 when the kernel has no netdev ports.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include "ipn-compat.h"

static const char *path = "/tmp/ipn-demo";

static void cat(const char *file)
{
	char line[256];
	FILE *f = fopen(file, "r");

	if (!f)
		return;
	printf("--- %s\n", file);
	while (fgets(line, sizeof(line), f))
		fputs(line, stdout);
	fclose(f);
}

static int no_family(void)
{
	int s = socket(AF_IPN, SOCK_RAW, 0);

	if (s >= 0) {
		close(s);
		return 0;
	}
	printf("socket(AF_IPN, SOCK_RAW, 0): %s (errno %d)\n",
	       strerror(errno), errno);
	if (errno != EAFNOSUPPORT)
		exit(1);
	printf("AF_IPN is number %d, but no family is registered yet\n",
	       AF_IPN);
	return 1;
}

#ifdef IPN_SO_STATS
static int join(int bind_first)
{
	struct sockaddr_un sun = { .sun_family = AF_IPN };
	int s = socket(AF_IPN, SOCK_RAW, IPN_BROADCAST);

	strcpy(sun.sun_path, path);
	if (s < 0) {
		perror("socket");
		exit(1);
	}
	if (bind_first) {
		if (bind(s, (struct sockaddr *)&sun, sizeof(sun)) ||
		    connect(s, NULL, 0)) {
			perror("bind/connect");
			exit(1);
		}
	} else if (connect(s, (struct sockaddr *)&sun, sizeof(sun))) {
		perror("connect");
		exit(1);
	}
	return s;
}

static void say(int s, const char *who, const char *msg)
{
	if (send(s, msg, strlen(msg), 0) < 0) {
		perror("send");
		exit(1);
	}
	printf("%s sent    \"%s\"\n", who, msg);
}

static void hear(int s, const char *who)
{
	char buf[128];
	ssize_t n = recv(s, buf, sizeof(buf) - 1, 0);

	if (n < 0) {
		perror("recv");
		exit(1);
	}
	buf[n] = 0;
	printf("%s received \"%s\"\n", who, buf);
}

static struct ipn_port_stats stats(int s)
{
	struct ipn_port_stats st;
	socklen_t len = sizeof(st);

	if (getsockopt(s, SOL_IPN, IPN_SO_STATS, &st, &len)) {
		perror("IPN_SO_STATS");
		exit(1);
	}
	return st;
}

static int demo(void)
{
	int a, b, c, i, status;
	struct ipn_port_stats st;
	pid_t pid;

	unlink(path);
	a = join(1);
	c = join(0);		/* the third process: it never reads */
	printf("A bound %s and connected; C connected and does not read\n",
	       path);
	pid = fork();
	if (pid == 0) {
		b = join(0);
		printf("B connected\n");
		say(b, "B", "hello from B");
		hear(b, "B");
		exit(0);
	}
	hear(a, "A");
	say(a, "A", "hello from A");
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return 1;

	st = stats(c);
	printf("C: rx_msgs %llu rx_dropped %llu\n",
	       (unsigned long long)st.rx_msgs,
	       (unsigned long long)st.rx_dropped);
	for (i = 0; i < 20; i++)
		send(a, "tick", 4, 0);
	printf("A sent 20 more messages; C's queue holds 8 (IPN_SO_MSGPOOLSIZE)\n");
	st = stats(c);
	printf("C: rx_msgs %llu rx_dropped %llu\n",
	       (unsigned long long)st.rx_msgs,
	       (unsigned long long)st.rx_dropped);
	cat("/proc/net/ipn");
	close(a);
	close(c);
	return st.rx_dropped > 0 ? 0 : 1;
}
#else
static int demo(void)
{
	return 1;
}
#endif

/* Each device becomes a port of a switch network, by a socket of its own */
static int grab(const char *net, int ndev, char **devs)
{
	struct sockaddr_un sun = { .sun_family = AF_IPN };
	struct ifreq ifr;
	int i, s;

	unlink(net);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", net);
	for (i = 0; i < ndev; i++) {
		s = socket(AF_IPN, SOCK_RAW, IPN_VDESWITCH);
		if (s < 0 || bind(s, (struct sockaddr *)&sun, sizeof(sun))) {
			perror("socket/bind");
			return 1;
		}
		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, IFNAMSIZ, "%s", devs[i]);
		ifr.ifr_flags = IPN_NODEFLAG_GRAB;
		if (ioctl(s, IPN_CONN_NETDEV, &ifr)) {
			printf("IPN_CONN_NETDEV %s: %s\n", devs[i], strerror(errno));
			return errno == ENOTTY ? 2 : 1;
		}
		printf("%s is now a port of the switch network %s\n",
		       ifr.ifr_name, net);
	}
	/* the ports go when the sockets close, at exit */
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 3 && !strcmp(argv[1], "grab"))
		return grab(argv[2], argc - 3, argv + 3);
	if (no_family()) {
		cat("/proc/net/protocols");
		return 0;
	}
	return demo();
}
