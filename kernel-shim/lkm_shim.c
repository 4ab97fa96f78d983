// SPDX-License-Identifier: GPL-2.0
/*
 * The C half of an lkm-pb module: every kernel call whose signature differs
 * between the kernel lines the project supports (6.12 and 7.3), behind a
 * narrow ABI of plain integers and byte buffers that the Rust side
 * (shim.rs, udp.rs) declares.
 *
 * This file is linked into the same .ko as the Rust crate root, so it has no
 * module_init() and no MODULE_LICENSE(): those come from the module! macro.
 * The Kbuild file defines LKMPB_FLAVOUR_UDP or LKMPB_FLAVOUR_NETFILTER to
 * select the parts the module needs.
 *
 * Parts:
 * - the statistics file /sys/kernel/debug/<module>/stats, whose values the
 *   Rust side owns and hands over through lkmpb_stats_read();
 * - (UDP) one kernel socket and one kernel thread that receives datagrams,
 *   hands each to lkmpb_udp_datagram() in Rust and sends back the reply.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/inet.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/net.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/types.h>
#include <linux/uio.h>
#include <linux/version.h>
#include <net/net_namespace.h>
#include <net/sock.h>

/* The number of counters and their names, in the order of lkmpb_stats_read(). */
#define LKMPB_STATS_COUNT 6
static const char *const lkmpb_stats_names[LKMPB_STATS_COUNT] = {
	"received", "decoded", "decode_errors", "accepted", "dropped", "replies",
};

/* Implemented in Rust (shim.rs): copies up to @count counters into @out. */
void lkmpb_stats_read(u64 *out, size_t count);

/* Called from Rust (shim.rs, udp.rs). */
int lkmpb_stats_create(void);
void lkmpb_stats_remove(void);
int lkmpb_udp_start(u16 port);
void lkmpb_udp_stop(void);

static struct dentry *lkmpb_stats_dir;

static int lkmpb_stats_show(struct seq_file *m, void *v)
{
	u64 values[LKMPB_STATS_COUNT] = { 0 };
	int i;

	lkmpb_stats_read(values, LKMPB_STATS_COUNT);
	for (i = 0; i < LKMPB_STATS_COUNT; i++)
		seq_printf(m, "%s %llu\n", lkmpb_stats_names[i], values[i]);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(lkmpb_stats);

/*
 * Creates /sys/kernel/debug/<module>/stats. Returns 0; a kernel without
 * debugfs simply has no statistics file, which is not an error.
 */
int lkmpb_stats_create(void)
{
	lkmpb_stats_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("stats", 0444, lkmpb_stats_dir, NULL,
			    &lkmpb_stats_fops);
	return 0;
}

/* Removes the statistics file; safe to call when it was never created. */
void lkmpb_stats_remove(void)
{
	debugfs_remove_recursive(lkmpb_stats_dir);
	lkmpb_stats_dir = NULL;
}

#ifdef LKMPB_FLAVOUR_UDP

/*
 * The address is a string parameter here because the Rust module! macro
 * takes integer and bool parameters only. The port is a Rust parameter.
 */
static char addr[INET6_ADDRSTRLEN] = "127.0.0.1";
module_param_string(addr, addr, sizeof(addr), 0444);
MODULE_PARM_DESC(addr, "Local IPv4 or IPv6 address to receive on (default 127.0.0.1)");

/* The largest UDP payload, the size of the receive and reply buffers. */
#define LKMPB_UDP_MAX 65535
/* The memory the arena of one datagram's messages lives in. */
#define LKMPB_ARENA_SIZE (64 * 1024)

/*
 * Implemented in Rust (udp.rs): handles one datagram of @len bytes
 * (@truncated when it did not fit the buffer) and returns the number of
 * reply bytes written into @reply, 0 for no reply.
 */
size_t lkmpb_udp_datagram(const u8 *data, size_t len, bool truncated,
			  u8 *arena, size_t arena_cap, u8 *reply,
			  size_t reply_cap);

struct lkmpb_udp_server {
	struct socket *sock;
	struct task_struct *thread;
	u8 *recv_buf;
	u8 *reply_buf;
	u8 *arena;
	bool stopping;
};

static struct lkmpb_udp_server lkmpb_udp;

/* Parses the addr parameter and @port into @sa; returns its length or -EINVAL. */
static int lkmpb_udp_address(struct sockaddr_storage *sa, u16 port)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)sa;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)sa;

	memset(sa, 0, sizeof(*sa));
	if (in4_pton(addr, -1, (u8 *)&sin->sin_addr.s_addr, -1, NULL)) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		return sizeof(*sin);
	}
	if (in6_pton(addr, -1, sin6->sin6_addr.s6_addr, -1, NULL)) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		return sizeof(*sin6);
	}
	return -EINVAL;
}

static int lkmpb_bind(struct socket *sock, struct sockaddr_storage *sa, int len)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 19, 0)
	return kernel_bind(sock, (struct sockaddr_unsized *)sa, len);
#else
	return kernel_bind(sock, (struct sockaddr *)sa, len);
#endif
}

/* Waits, after the socket was shut down, until lkmpb_udp_stop() stops the thread. */
static void lkmpb_udp_wait_for_stop(void)
{
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
}

static int lkmpb_udp_thread(void *data)
{
	struct lkmpb_udp_server *srv = data;

	while (!kthread_should_stop()) {
		struct sockaddr_storage peer;
		struct msghdr msg = { .msg_name = &peer, .msg_namelen = sizeof(peer) };
		struct kvec vec = { .iov_base = srv->recv_buf, .iov_len = LKMPB_UDP_MAX };
		size_t reply_len;
		int len;

		len = kernel_recvmsg(srv->sock, &msg, &vec, 1, LKMPB_UDP_MAX, 0);
		if (READ_ONCE(srv->stopping))
			break;
		if (len < 0) {
			/* Transient errors (for example ICMP reports): go on. */
			cond_resched();
			continue;
		}
		reply_len = lkmpb_udp_datagram(srv->recv_buf, len,
					       msg.msg_flags & MSG_TRUNC,
					       srv->arena, LKMPB_ARENA_SIZE,
					       srv->reply_buf, LKMPB_UDP_MAX);
		if (reply_len > 0 && reply_len <= LKMPB_UDP_MAX) {
			struct msghdr out = {
				.msg_name = &peer,
				.msg_namelen = msg.msg_namelen,
				.msg_flags = MSG_DONTWAIT,
			};
			struct kvec rvec = { .iov_base = srv->reply_buf, .iov_len = reply_len };

			kernel_sendmsg(srv->sock, &out, &rvec, 1, reply_len);
		}
		cond_resched();
	}
	lkmpb_udp_wait_for_stop();
	return 0;
}

static void lkmpb_udp_free(struct lkmpb_udp_server *srv)
{
	if (srv->sock)
		sock_release(srv->sock);
	kvfree(srv->recv_buf);
	kvfree(srv->reply_buf);
	kvfree(srv->arena);
	memset(srv, 0, sizeof(*srv));
}

/*
 * Creates and binds the socket to the addr parameter and @port, and starts
 * the receive thread. Never blocks on the network. Returns 0 or -errno.
 */
int lkmpb_udp_start(u16 port)
{
	struct lkmpb_udp_server *srv = &lkmpb_udp;
	struct sockaddr_storage sa;
	int len, err;

	len = lkmpb_udp_address(&sa, port);
	if (len < 0) {
		pr_err("addr=%s is not an IPv4 or IPv6 address\n", addr);
		return len;
	}
	srv->recv_buf = kvmalloc(LKMPB_UDP_MAX, GFP_KERNEL);
	srv->reply_buf = kvmalloc(LKMPB_UDP_MAX, GFP_KERNEL);
	srv->arena = kvmalloc(LKMPB_ARENA_SIZE, GFP_KERNEL);
	if (!srv->recv_buf || !srv->reply_buf || !srv->arena) {
		err = -ENOMEM;
		goto fail;
	}
	err = sock_create_kern(&init_net, sa.ss_family, SOCK_DGRAM, IPPROTO_UDP,
			       &srv->sock);
	if (err) {
		srv->sock = NULL;
		goto fail;
	}
	err = lkmpb_bind(srv->sock, &sa, len);
	if (err) {
		pr_err("cannot bind to %s port %u: %d\n", addr, port, err);
		goto fail;
	}
	srv->thread = kthread_run(lkmpb_udp_thread, srv, "%s", KBUILD_MODNAME);
	if (IS_ERR(srv->thread)) {
		err = PTR_ERR(srv->thread);
		srv->thread = NULL;
		goto fail;
	}
	pr_info("listening on %s port %u\n", addr, port);
	return 0;
fail:
	lkmpb_udp_free(srv);
	return err;
}

/*
 * Stops the receive thread and releases the socket: the shutdown wakes a
 * blocked receive, the thread then waits for kthread_stop(). Safe to call
 * more than once.
 */
void lkmpb_udp_stop(void)
{
	struct lkmpb_udp_server *srv = &lkmpb_udp;

	if (!srv->sock)
		return;
	WRITE_ONCE(srv->stopping, true);
	kernel_sock_shutdown(srv->sock, SHUT_RDWR);
	if (srv->thread)
		kthread_stop(srv->thread);
	lkmpb_udp_free(srv);
}

#endif /* LKMPB_FLAVOUR_UDP */
