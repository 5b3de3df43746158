// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libvdeplug_ipn: a vdeplug4 plugin that joins AF_IPN networks.
 *
 *	ipn:///path/to/network[port=N/descr=TEXT/proto=switch/lossless/
 *			       mode=0660/numnodes=N/mtu=N]
 *
 * vde_open() connects to the network at the path, and creates it with
 * bind() when there is none (a socket file that no live network or
 * AF_UNIX socket owns is replaced).  proto=, lossless, mode=, numnodes=
 * and mtu= configure a network that this call creates; joining an
 * existing one ignores them, except that proto= must match its policy.
 * Each vde_send()/vde_recv() is one Ethernet frame, one message of the
 * socket.  There is no control descriptor.
 *
 * On a lossless network a send waits for room in the other members'
 * queues.  A single-threaded client (vde_plug, QEMU) does not read while
 * it waits, so two of them that send more than they read would wait for
 * each other for ever once both queues are full.  vde_send() therefore
 * waits with poll() and meanwhile moves what arrives into a backlog in
 * the client's memory, which vde_recv() serves first.  The backlog is
 * bounded (IPN_BACKLOG_BYTES): past it, arriving frames are dropped and
 * counted, as a full switch port does, and the count is reported on
 * close.  vde_datafd() is then an epoll descriptor over the socket and
 * an eventfd that stays readable while the backlog holds frames; on a
 * lossy network it is the socket itself.  A connection is used by one
 * thread at a time, as by every vdeplug4 client.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <libvdeplug.h>
#include <libvdeplug_mod.h>

#include "ipn-uapi.h"

#define ETH_HEADER_SIZE		14
/* rounds of connect/bind when other processes race on the same path */
#define IPN_OPEN_TRIES		8
/* frames a blocked lossless send may set aside: a default SO_RCVBUF */
#define IPN_BACKLOG_BYTES	(256 * 1024)
/*
 * A lossless send that found no room retries at least this often: poll()
 * reports room only when every other member has some, a send to one
 * member may find it earlier.
 */
#define IPN_SEND_RETRY_MS	10
/* the largest message a network carries (IPN_SO_MTU's bound) */
#define IPN_FRAME_MAX		65535
/* frames moved aside per wake-up of a waiting send */
#define IPN_DRAIN_BATCH		64

#define EXPORT			__attribute__((visibility("default")))

/* A frame set aside by a blocked lossless send */
struct ipn_frame {
	struct ipn_frame *next;
	size_t len;
	unsigned char data[];
};

/* What a lossless connection receives while its send waits */
struct ipn_backlog {
	struct ipn_frame *head, **tail;
	size_t bytes;
	unsigned long dropped;
	unsigned char *scratch;		/* IPN_FRAME_MAX, for each drain */
	int epfd;			/* the data fd: socket and evfd */
	int evfd;			/* readable while head != NULL */
};

struct ipn_conn {
	void *handle;			/* as struct vdeconn: libvdeplug's */
	struct vdeplug_module *module;
	int fd;
	struct ipn_backlog *backlog;	/* lossless networks only */
};

/* What the URL (and vde_open()'s arguments) ask for */
struct ipn_conf {
	struct sockaddr_un addr;
	int proto;			/* IPN_ANY: join whatever policy */
	int port;			/* IPN_PORTNO_ANY: the lowest free */
	char descr[IPN_DESCRLEN];
	/* for a network that this open creates; 0 or -1: the default */
	int flags;
	int mode;
	int numnodes;
	int mtu;
};

/* The URL's options, NULL when absent, "" when given without a value */
struct ipn_args {
	char *port;
	char *descr;
	char *proto;
	char *lossless;
	char *mode;
	char *numnodes;
	char *mtu;
};

/* Parse a whole number in [min, max]; EINVAL otherwise */
static int parse_num(const char *s, int base, long min, long max, int *val)
{
	char *end;
	long n;

	if (!s || !*s)
		goto inval;
	errno = 0;
	n = strtol(s, &end, base);
	if (errno || *end || n < min || n > max)
		goto inval;
	*val = (int)n;
	return 0;
inval:
	errno = EINVAL;
	return -1;
}

static int parse_proto(const char *s, int *proto)
{
	if (!strcmp(s, "switch") || !strcmp(s, "kvde_switch"))
		*proto = IPN_VDESWITCH;
	else if (!strcmp(s, "hub") || !strcmp(s, "broadcast"))
		*proto = IPN_BROADCAST;
	else if (!strcmp(s, "any"))
		*proto = IPN_ANY;
	else
		return parse_num(s, 10, 0, INT_MAX, proto);
	return 0;
}

static int parse_flag(const char *s, int bit, int *flags)
{
	int on;

	if (!*s)
		on = 1;
	else if (parse_num(s, 10, 0, 1, &on) < 0)
		return -1;
	if (on)
		*flags |= bit;
	else
		*flags &= ~bit;
	return 0;
}

static int set_path(struct ipn_conf *conf, const char *path)
{
	size_t len = strlen(path);

	if (!len) {
		errno = EINVAL;
		return -1;
	}
	if (len >= sizeof(conf->addr.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	conf->addr.sun_family = AF_IPN;
	memcpy(conf->addr.sun_path, path, len + 1);
	return 0;
}

/* vde_open()'s own arguments: the port, as libvdeplug_vde takes it */
static void conf_defaults(struct ipn_conf *conf, const char *descr,
			  int interface_version, struct vde_open_args *open_args)
{
	memset(conf, 0, sizeof(*conf));
	conf->proto = IPN_ANY;
	conf->port = IPN_PORTNO_ANY;
	conf->mode = -1;
	if (descr)
		strncpy(conf->descr, descr, sizeof(conf->descr) - 1);
	if (open_args && interface_version == 1 && open_args->port > 0)
		conf->port = open_args->port;
}

static int conf_apply(struct ipn_conf *conf, const struct ipn_args *a)
{
	if (a->port && parse_num(a->port, 10, 0, 65535, &conf->port) < 0)
		return -1;
	if (a->descr) {
		memset(conf->descr, 0, sizeof(conf->descr));
		strncpy(conf->descr, a->descr, sizeof(conf->descr) - 1);
	}
	if (a->proto && parse_proto(a->proto, &conf->proto) < 0)
		return -1;
	if (a->lossless &&
	    parse_flag(a->lossless, IPN_FLAG_LOSSLESS, &conf->flags) < 0)
		return -1;
	if (a->mode && parse_num(a->mode, 8, 0, 0777, &conf->mode) < 0)
		return -1;
	if (a->numnodes &&
	    parse_num(a->numnodes, 0, 1, 65535, &conf->numnodes) < 0)
		return -1;
	if (a->mtu && parse_num(a->mtu, 0, 1, 65535, &conf->mtu) < 0)
		return -1;
	return 0;
}

/*
 * Split "path[opt=value/...]" with vdeplug4's parser: a bare value is
 * the port, an unknown key fails with EINVAL.
 */
static int conf_parse(struct ipn_conf *conf, char *url)
{
	struct ipn_args a = { 0 };
	struct vdeparms parms[] = {
		{ "", &a.port },
		{ "port", &a.port },
		{ "descr", &a.descr },
		{ "proto", &a.proto },
		{ "lossless", &a.lossless },
		{ "mode", &a.mode },
		{ "numnodes", &a.numnodes },
		{ "mtu", &a.mtu },
		{ NULL, NULL }
	};

	if (vde_parsepathparms(url, parms) < 0) {
		errno = EINVAL;
		return -1;
	}
	if (conf_apply(conf, &a) < 0)
		return -1;
	return set_path(conf, url);
}

static int setopt_int(int fd, int name, int val)
{
	return setsockopt(fd, SOL_IPN, name, &val, sizeof(val));
}

/* A socket with the port and description asked for, and the options of
 * the network it would create (ignored when it joins one).
 */
static int ipn_socket(const struct ipn_conf *conf)
{
	int fd;

	fd = socket(AF_IPN, SOCK_RAW | SOCK_CLOEXEC, conf->proto);
	if (fd < 0)
		return -1;
	if (conf->port != IPN_PORTNO_ANY &&
	    setopt_int(fd, IPN_SO_PORT, conf->port) < 0)
		goto fail;
	if (conf->descr[0] &&
	    setsockopt(fd, SOL_IPN, IPN_SO_DESCR, conf->descr,
		       strlen(conf->descr) + 1) < 0)
		goto fail;
	if (conf->flags && setopt_int(fd, IPN_SO_FLAGS, conf->flags) < 0)
		goto fail;
	if (conf->mode >= 0 && setopt_int(fd, IPN_SO_MODE, conf->mode) < 0)
		goto fail;
	if (conf->numnodes &&
	    setopt_int(fd, IPN_SO_NUMNODES, conf->numnodes) < 0)
		goto fail;
	if (conf->mtu && setopt_int(fd, IPN_SO_MTU, conf->mtu) < 0)
		goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

static int ipn_connect(int fd, const struct ipn_conf *conf)
{
	return connect(fd, (const struct sockaddr *)&conf->addr,
		       sizeof(conf->addr));
}

/*
 * mode= is the socket file's exact mode, whatever the umask (as
 * vde_switch -m).  A bind that lost a race joins the winner's network:
 * its mode, as asked by its creator, is then left alone unless it is
 * the same.
 */
static int ipn_set_mode(int fd, const struct ipn_conf *conf)
{
	socklen_t len;
	int mode;

	if (conf->mode < 0)
		return 0;
	len = sizeof(mode);
	if (getsockopt(fd, SOL_IPN, IPN_SO_MODE, &mode, &len) < 0)
		return -1;
	if (mode != conf->mode)
		return 0;
	return chmod(conf->addr.sun_path, (mode_t)conf->mode);
}

static int ipn_bind(int fd, const struct ipn_conf *conf)
{
	return bind(fd, (const struct sockaddr *)&conf->addr,
		    sizeof(conf->addr));
}

/* Whether a live AF_UNIX socket (of any type) owns the file at @addr */
static int unix_socket_alive(const struct sockaddr_un *addr)
{
	struct sockaddr_un sun = *addr;
	int fd, ret, err;

	sun.sun_family = AF_UNIX;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	ret = connect(fd, (struct sockaddr *)&sun, sizeof(sun));
	err = errno;
	close(fd);
	return ret == 0 || err == EPROTOTYPE;
}

/*
 * connect() said ECONNREFUSED: nothing live is behind the path.  Remove
 * it if it is a socket file left by a dead network (as libvdeplug_ptp
 * does), and refuse to touch anything else.
 */
static int ipn_remove_stale(const struct sockaddr_un *addr)
{
	const char *path = addr->sun_path;
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode)) {
		errno = EEXIST;
		return -1;
	}
	if (unix_socket_alive(addr)) {
		errno = EADDRINUSE;
		return -1;
	}
	if (unlink(path) < 0 && errno != ENOENT)
		return -1;
	return 0;
}

/*
 * Join the network, creating it if there is none.  When the bind()
 * succeeded and what follows fails, the socket file is left for the
 * next open to replace: that bind may have joined a network that
 * another process created meanwhile, whose file must stay.
 */
static int ipn_open_fd(const struct ipn_conf *conf)
{
	int fd, i, err = EADDRINUSE;

	fd = ipn_socket(conf);
	if (fd < 0)
		return -1;
	for (i = 0; i < IPN_OPEN_TRIES; i++) {
		if (ipn_connect(fd, conf) == 0)
			return fd;
		err = errno;
		if (err == ENOENT) {
			if (ipn_bind(fd, conf) == 0) {
				if (ipn_set_mode(fd, conf) == 0 &&
				    ipn_connect(fd, conf) == 0)
					return fd;
				err = errno;
				break;
			}
			/* EADDRINUSE: another process made a file there */
			err = errno;
			if (err != EADDRINUSE)
				break;
		} else if (err == ECONNREFUSED) {
			if (ipn_remove_stale(&conf->addr) < 0) {
				err = errno;
				break;
			}
		} else {
			break;
		}
	}
	close(fd);
	errno = err;
	return -1;
}

static int ipn_is_lossless(int fd)
{
	socklen_t len = sizeof(int);
	int flags;

	if (getsockopt(fd, SOL_IPN, IPN_SO_FLAGS, &flags, &len) < 0)
		return -1;
	return !!(flags & IPN_FLAG_LOSSLESS);
}

static void backlog_free(struct ipn_backlog *bl)
{
	struct ipn_frame *f;

	while ((f = bl->head)) {
		bl->head = f->next;
		free(f);
	}
	if (bl->epfd >= 0)
		close(bl->epfd);
	if (bl->evfd >= 0)
		close(bl->evfd);
	free(bl->scratch);
	free(bl);
}

static int epoll_add(int epfd, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

static struct ipn_backlog *backlog_new(int fd)
{
	struct ipn_backlog *bl;
	int err;

	bl = calloc(1, sizeof(*bl));
	if (!bl)
		return NULL;
	bl->tail = &bl->head;
	bl->evfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	bl->epfd = epoll_create1(EPOLL_CLOEXEC);
	bl->scratch = malloc(IPN_FRAME_MAX);
	if (bl->evfd < 0 || bl->epfd < 0 || !bl->scratch ||
	    epoll_add(bl->epfd, fd) < 0 || epoll_add(bl->epfd, bl->evfd) < 0) {
		err = errno;
		backlog_free(bl);
		errno = err;
		return NULL;
	}
	return bl;
}

/* Set a frame aside, or count it dropped when the backlog is full */
static void backlog_push(struct ipn_backlog *bl, const void *data, size_t len)
{
	struct ipn_frame *f = NULL;

	if (bl->bytes + len <= IPN_BACKLOG_BYTES)
		f = malloc(sizeof(*f) + len);
	if (!f) {
		bl->dropped++;
		return;
	}
	f->next = NULL;
	f->len = len;
	memcpy(f->data, data, len);
	if (!bl->head)
		eventfd_write(bl->evfd, 1);
	*bl->tail = f;
	bl->tail = &f->next;
	bl->bytes += len;
}

/* The oldest frame set aside, as vde_ipn_recv() returns it */
static ssize_t backlog_pop(struct ipn_backlog *bl, void *buf, size_t len)
{
	struct ipn_frame *f = bl->head;
	ssize_t n = 1;
	eventfd_t events;

	bl->head = f->next;
	if (!bl->head) {
		bl->tail = &bl->head;
		eventfd_read(bl->evfd, &events);
	}
	bl->bytes -= f->len;
	if (f->len <= len) {
		memcpy(buf, f->data, f->len);
		n = (ssize_t)f->len;
	}
	free(f);
	return n;
}

/*
 * Move up to a queue's worth of what the socket holds into the backlog,
 * without waiting, then let the send try again.
 */
static void backlog_drain(struct ipn_conn *conn)
{
	struct ipn_backlog *bl = conn->backlog;
	ssize_t n;
	int i;

	for (i = 0; i < IPN_DRAIN_BATCH; i++) {
		n = recv(conn->fd, bl->scratch, IPN_FRAME_MAX, MSG_DONTWAIT);
		if (n < 0)
			break;
		if (n >= ETH_HEADER_SIZE)
			backlog_push(bl, bl->scratch, (size_t)n);
	}
}

static VDECONN *vde_ipn_open(char *given_vde_url, char *descr,
			     int interface_version,
			     struct vde_open_args *open_args)
{
	struct ipn_conf conf;
	struct ipn_conn *conn;
	int lossless, err;

	conf_defaults(&conf, descr, interface_version, open_args);
	if (conf_parse(&conf, given_vde_url) < 0)
		return NULL;

	conn = calloc(1, sizeof(*conn));
	if (!conn)
		return NULL;
	conn->fd = ipn_open_fd(&conf);
	if (conn->fd < 0)
		goto fail;
	lossless = ipn_is_lossless(conn->fd);
	if (lossless < 0)
		goto fail_close;
	if (lossless) {
		conn->backlog = backlog_new(conn->fd);
		if (!conn->backlog)
			goto fail_close;
	}
	return (VDECONN *)conn;
fail_close:
	err = errno;
	close(conn->fd);
	free(conn);
	errno = err;
	return NULL;
fail:
	err = errno;
	free(conn);
	errno = err;
	return NULL;
}

/*
 * One message, one frame.  What is not an Ethernet frame (shorter than
 * its header, or truncated by a short buffer) is dropped and reported
 * as 1, as libvdeplug(3) specifies; so is a zero-length message, which
 * would otherwise look like an end of file.
 */
static ssize_t vde_ipn_recv(VDECONN *vconn, void *buf, size_t len, int flags)
{
	struct ipn_conn *conn = (struct ipn_conn *)vconn;
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (conn->backlog && conn->backlog->head)
		return backlog_pop(conn->backlog, buf, len);
	n = recvmsg(conn->fd, &msg, flags & MSG_DONTWAIT);
	if (n < 0)
		return n;
	if (n < ETH_HEADER_SIZE || (msg.msg_flags & MSG_TRUNC))
		return 1;
	return n;
}

/*
 * A lossless send that finds no room waits in poll(), and sets aside
 * what arrives meanwhile (see the top of this file).
 */
static ssize_t lossless_send(struct ipn_conn *conn, const void *buf,
			     size_t len, int flags)
{
	struct pollfd pfd = { .fd = conn->fd, .events = POLLIN | POLLOUT };
	ssize_t n;

	for (;;) {
		n = send(conn->fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n >= 0 || errno != EAGAIN || (flags & MSG_DONTWAIT))
			return n;
		if (poll(&pfd, 1, IPN_SEND_RETRY_MS) < 0)
			return -1;
		if (pfd.revents & POLLIN)
			backlog_drain(conn);
	}
}

/* Blocking unless MSG_DONTWAIT */
static ssize_t vde_ipn_send(VDECONN *vconn, const void *buf, size_t len,
			    int flags)
{
	struct ipn_conn *conn = (struct ipn_conn *)vconn;

	if (len < ETH_HEADER_SIZE) {
		errno = EINVAL;
		return -1;
	}
	if (conn->backlog)
		return lossless_send(conn, buf, len, flags);
	return send(conn->fd, buf, len, MSG_NOSIGNAL | (flags & MSG_DONTWAIT));
}

static int vde_ipn_datafd(VDECONN *vconn)
{
	struct ipn_conn *conn = (struct ipn_conn *)vconn;

	return conn->backlog ? conn->backlog->epfd : conn->fd;
}

/* As libvdeplug_tap and _ptp: no control channel to watch */
static int vde_ipn_ctlfd(VDECONN *vconn)
{
	(void)vconn;
	return -1;
}

static int vde_ipn_close(VDECONN *vconn)
{
	struct ipn_conn *conn = (struct ipn_conn *)vconn;
	struct ipn_backlog *bl = conn->backlog;

	if (bl) {
		if (bl->dropped)
			fprintf(stderr,
				"ipn: %lu frames dropped while lossless sends waited\n",
				bl->dropped);
		backlog_free(bl);
	}
	close(conn->fd);
	free(conn);
	return 0;
}

EXPORT struct vdeplug_module vdeplug_ops = {
	.vde_open_real = vde_ipn_open,
	.vde_recv = vde_ipn_recv,
	.vde_send = vde_ipn_send,
	.vde_datafd = vde_ipn_datafd,
	.vde_ctlfd = vde_ipn_ctlfd,
	.vde_close = vde_ipn_close,
};
