// SPDX-License-Identifier: GPL-2.0
/*
 * ipn-bench: userland vde_switch in hub mode (Debian's vde2, the command
 * in $VDE_SWITCH), the transport AF_IPN replaces, and its clients.
 */
#include "ipn-bench.h"
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

pid_t vde_pid = -1;
static int vde_ctl[MAXN + 2];

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

int vde_open(int idx)
{
	struct sockaddr_un ctl = { .sun_family = AF_UNIX }, data;
	struct vde_request req;
	int fc, fd, i;
	size_t len;

	fc = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fc < 0)
		die("socket(AF_UNIX)");
	snprintf(ctl.sun_path, sizeof(ctl.sun_path), VDE_DIR "/ctl");
	/*
	 * vde_start() saw ctl appear at the switch's bind(); until its
	 * listen() a connect is refused, and on a loaded machine that
	 * window is wide enough to hit
	 */
	for (i = 0; connect(fc, (struct sockaddr *)&ctl, sizeof(ctl)); i++) {
		if (errno != ECONNREFUSED || i >= 500)
			die("connect(vde_switch ctl)");
		usleep(10000);
	}
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

void vde_start(int ports)
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

void vde_stop(void)
{
	if (vde_pid <= 0)
		return;
	kill(vde_pid, SIGTERM);
	waitpid(vde_pid, NULL, 0);
	vde_pid = -1;
}
