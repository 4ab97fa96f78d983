// SPDX-License-Identifier: GPL-2.0
/*
 * The C half of an lkm-pb module: every kernel call whose signature differs
 * between the kernel lines the project supports (6.12 and 7.3), behind a
 * narrow ABI of plain integers and byte buffers that the Rust side
 * (shim.rs, udp.rs) declares.
 *
 * This file is linked into the same .ko as the Rust crate root, so it has no
 * module_init() and no MODULE_LICENSE(): those come from the module! macro.
 * The module parameters are declared here with module_param(), because the
 * module! macro takes none on 6.12 and takes them differently on 7.3; the
 * start functions below use them directly, and the Rust side reads the one it
 * needs through lkmpb_param_accept_undecodable().
 * The Kbuild file defines LKMPB_FLAVOUR_UDP or LKMPB_FLAVOUR_NETFILTER to
 * select the parts the module needs.
 *
 * Parts:
 * - the statistics file /sys/kernel/debug/<module>/stats, whose values the
 *   Rust side owns and hands over through lkmpb_stats_read();
 * - (UDP) one kernel socket and one kernel thread that receives datagrams,
 *   hands each to lkmpb_udp_datagram() in Rust and sends back the reply;
 * - (netfilter) one hook for IPv4 and one for IPv6 that find the TCP or UDP
 *   payload of packets to the filtered port, read it without linearizing the
 *   skb and hand it to lkmpb_nf_packet() in Rust for a verdict.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bottom_half.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/inet.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <linux/tcp.h>
#include <linux/types.h>
#include <linux/udp.h>
#include <linux/uio.h>
#include <linux/version.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#if IS_ENABLED(CONFIG_NF_DEFRAG_IPV4)
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#endif
#if IS_ENABLED(CONFIG_NF_DEFRAG_IPV6)
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>
#endif
#include <net/sock.h>

/* The number of counters and their names, in the order of lkmpb_stats_read(). */
#define LKMPB_STATS_COUNT 6
static const char *const lkmpb_stats_names[LKMPB_STATS_COUNT] = {
	"received", "decoded", "decode_errors", "accepted", "dropped", "replies",
};

/* Implemented in Rust (shim.rs): copies up to @count counters into @out. */
void lkmpb_stats_read(u64 *out, size_t count);

/* Called from Rust (shim.rs, udp.rs, netfilter.rs). */
bool lkmpb_param_accept_undecodable(void);
int lkmpb_stats_create(void);
void lkmpb_stats_remove(void);
int lkmpb_udp_start(void);
void lkmpb_udp_stop(void);
int lkmpb_nf_start(void);
void lkmpb_nf_stop(void);

MODULE_AUTHOR("lkm-pb");

/* The port to receive on (UDP) or to filter (netfilter); described per flavour below. */
static ushort port = 60001;
module_param(port, ushort, 0444);

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

MODULE_PARM_DESC(port, "UDP port to receive on (the address is the addr parameter)");

static char addr[INET6_ADDRSTRLEN] = "127.0.0.1";
module_param_string(addr, addr, sizeof(addr), 0444);
MODULE_PARM_DESC(addr, "Local IPv4 or IPv6 address to receive on (default 127.0.0.1)");

/* The size of the receive and reply buffers: the UDP length field's largest value. */
#define LKMPB_UDP_MAX 65535
/*
 * The largest reply: a UDP datagram's payload is at most 65535 bytes less the
 * IPv4 and UDP headers, or less the UDP header over IPv6 (without jumbograms).
 */
#define LKMPB_UDP_REPLY_MAX_V4 (65535 - 20 - 8)
#define LKMPB_UDP_REPLY_MAX_V6 (65535 - 8)
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

/*
 * Implemented in Rust (udp.rs): counts a reply datagram as sent (@sent) or
 * as refused by the socket (a full send buffer, an unreachable peer).
 */
void lkmpb_udp_reply_sent(bool sent);

struct lkmpb_udp_server {
	struct socket *sock;
	struct task_struct *thread;
	u8 *recv_buf;
	u8 *reply_buf;
	/* The largest reply for the socket's address family. */
	size_t reply_cap;
	u8 *arena;
	bool stopping;
};

static struct lkmpb_udp_server lkmpb_udp;

/* Parses the addr and port parameters into @sa; returns its length or -EINVAL. */
static int lkmpb_udp_address(struct sockaddr_storage *sa)
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
					       srv->reply_buf, srv->reply_cap);
		if (reply_len > 0 && reply_len <= srv->reply_cap) {
			struct msghdr out = {
				.msg_name = &peer,
				.msg_namelen = msg.msg_namelen,
				.msg_flags = MSG_DONTWAIT,
			};
			struct kvec rvec = { .iov_base = srv->reply_buf, .iov_len = reply_len };
			int sent;

			sent = kernel_sendmsg(srv->sock, &out, &rvec, 1, reply_len);
			lkmpb_udp_reply_sent(sent >= 0 && (size_t)sent == reply_len);
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
 * Creates and binds the socket to the addr and port parameters, and starts
 * the receive thread. Never blocks on the network. Returns 0 or -errno.
 */
int lkmpb_udp_start(void)
{
	struct lkmpb_udp_server *srv = &lkmpb_udp;
	struct sockaddr_storage sa;
	int len, err;

	len = lkmpb_udp_address(&sa);
	if (len < 0) {
		pr_err("addr=%s is not an IPv4 or IPv6 address\n", addr);
		return len;
	}
	srv->reply_cap = sa.ss_family == AF_INET ? LKMPB_UDP_REPLY_MAX_V4 :
						   LKMPB_UDP_REPLY_MAX_V6;
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

#ifdef LKMPB_FLAVOUR_NETFILTER

MODULE_PARM_DESC(port, "TCP and UDP destination port to filter (see also the hook parameter)");

static bool accept_undecodable;
module_param(accept_undecodable, bool, 0444);
MODULE_PARM_DESC(accept_undecodable, "Accept packets whose payload does not decode (default: drop them)");

/* Returns the accept_undecodable parameter. */
bool lkmpb_param_accept_undecodable(void)
{
	return accept_undecodable;
}

static char hook[16] = "local_in";
module_param_string(hook, hook, sizeof(hook), 0444);
MODULE_PARM_DESC(hook, "Hook point: pre_routing, local_in (default), forward, local_out, post_routing, or its number 0-4");

/* The largest payload inspected; a longer one counts as undecodable. */
#define LKMPB_NF_PAYLOAD_MAX 65535
/* The memory the arena of one packet's messages lives in. */
#define LKMPB_ARENA_SIZE (64 * 1024)

/*
 * Implemented in Rust (netfilter.rs): decides on the @len payload bytes at
 * @data (NULL, or @unreadable, when they could not be read) with @arena as
 * scratch memory. Returns true to accept the packet, false to drop it.
 */
bool lkmpb_nf_packet(const u8 *data, size_t len, bool unreadable, u8 *arena,
		     size_t arena_cap);

/* The scratch memory of one CPU, allocated at start so that the hook never allocates. */
struct lkmpb_nf_buffers {
	u8 *payload;
	u8 *arena;
};

static struct lkmpb_nf_buffers __percpu *lkmpb_nf_buffers;
static __be16 lkmpb_nf_port;
static bool lkmpb_nf_registered;
static bool lkmpb_nf_defrag_ipv4;
static bool lkmpb_nf_defrag_ipv6;

/* The hook points by name, indexed by enum nf_inet_hooks. */
static const char *const lkmpb_nf_hook_names[] = {
	[NF_INET_PRE_ROUTING] = "pre_routing",
	[NF_INET_LOCAL_IN] = "local_in",
	[NF_INET_FORWARD] = "forward",
	[NF_INET_LOCAL_OUT] = "local_out",
	[NF_INET_POST_ROUTING] = "post_routing",
};

/* Returns the hook point the hook parameter names, or -EINVAL. */
static int lkmpb_nf_hook_number(void)
{
	unsigned int number;
	int i;

	for (i = 0; i < ARRAY_SIZE(lkmpb_nf_hook_names); i++)
		if (sysfs_streq(hook, lkmpb_nf_hook_names[i]))
			return i;
	if (kstrtouint(hook, 0, &number) == 0 &&
	    number < ARRAY_SIZE(lkmpb_nf_hook_names))
		return number;
	return -EINVAL;
}

/*
 * Finds the transport header of @skb: its protocol in @proto and its offset
 * in @thoff; @partial is set for the first fragment of a fragmented datagram,
 * whose payload is incomplete. Returns false for a packet without a transport
 * header, such as a fragment other than the first: later fragments carry no
 * port, so they go on unfiltered (without their first fragment they are never
 * reassembled). With the kernel's defragmentation on (lkmpb_nf_start), the
 * hook points see whole datagrams and no fragments at all.
 */
static bool lkmpb_nf_transport(const struct sk_buff *skb, u8 pf, u8 *proto,
			       int *thoff, bool *partial)
{
	int nhoff = skb_network_offset(skb);

	if (pf == NFPROTO_IPV4) {
		struct iphdr _iph;
		const struct iphdr *iph;

		iph = skb_header_pointer(skb, nhoff, sizeof(_iph), &_iph);
		if (!iph || iph->ihl < 5 || (iph->frag_off & htons(IP_OFFSET)))
			return false;
		*proto = iph->protocol;
		*thoff = nhoff + iph->ihl * 4;
		*partial = iph->frag_off & htons(IP_MF);
		return true;
	}
	if (pf == NFPROTO_IPV6) {
		struct ipv6hdr _ip6h;
		const struct ipv6hdr *ip6h;
		__be16 frag_off = 0;
		u8 nexthdr;

		ip6h = skb_header_pointer(skb, nhoff, sizeof(_ip6h), &_ip6h);
		if (!ip6h)
			return false;
		nexthdr = ip6h->nexthdr;
		*thoff = ipv6_skip_exthdr(skb, nhoff + sizeof(_ip6h), &nexthdr,
					  &frag_off);
		if (*thoff < 0 || (frag_off & htons(IP6_OFFSET)))
			return false;
		*proto = nexthdr;
		*partial = frag_off & htons(IP6_MF);
		return true;
	}
	return false;
}

/*
 * Returns true when @skb is TCP or UDP to the filtered port, with the offset
 * and length of its payload in @offset and @len. @unreadable is set when the
 * payload is not whole: the first fragment of a fragmented datagram (see
 * lkmpb_nf_transport()), or a UDP datagram whose length field is shorter than
 * its header or longer than the packet, which the UDP layer discards.
 *
 * The payload of a UDP datagram ends where its length field says, as for the
 * UDP layer, which trims the bytes after it; a length of 0 (IPv6 jumbograms,
 * aggregated packets) means the rest of the packet. A TCP segment's payload
 * starts after its options and runs to the end of the packet; a segment whose
 * data offset is shorter than the TCP header or longer than the packet is not
 * inspected, and the TCP layer discards it.
 */
static bool lkmpb_nf_match(const struct sk_buff *skb, u8 pf, int *offset,
			   unsigned int *len, bool *unreadable)
{
	unsigned int end = skb->len;
	int thoff, hlen;
	u8 proto;

	if (!lkmpb_nf_transport(skb, pf, &proto, &thoff, unreadable))
		return false;
	if (proto == IPPROTO_TCP) {
		struct tcphdr _th;
		const struct tcphdr *th;

		th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);
		if (!th || th->dest != lkmpb_nf_port)
			return false;
		hlen = th->doff * 4;
		if (hlen < sizeof(_th))
			return false;
	} else if (proto == IPPROTO_UDP) {
		struct udphdr _uh;
		const struct udphdr *uh;
		unsigned int ulen;

		uh = skb_header_pointer(skb, thoff, sizeof(_uh), &_uh);
		if (!uh || uh->dest != lkmpb_nf_port)
			return false;
		hlen = sizeof(_uh);
		ulen = ntohs(uh->len);
		if (ulen != 0 && (ulen < sizeof(_uh) || ulen > skb->len - thoff)) {
			*offset = thoff + hlen;
			*len = 0;
			*unreadable = true;
			return true;
		}
		if (ulen != 0)
			end = thoff + ulen;
	} else {
		return false;
	}
	/* A header longer than the packet: the transport layer discards it. */
	if (thoff + hlen > end)
		return false;
	*offset = thoff + hlen;
	*len = end - *offset;
	return true;
}

/*
 * The hook: runs in softirq context (or with bottom halves disabled on the
 * way out), so it neither sleeps nor allocates. The payload is read with
 * skb_header_pointer(): a pointer into the skb when the bytes are linear,
 * otherwise a copy into this CPU's buffer; the skb itself is never changed.
 * Bottom halves stay disabled while the buffers are in use, so that no other
 * packet on this CPU (a softirq interrupting a local_out hook) shares them.
 */
static unsigned int lkmpb_nf_hook(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	struct lkmpb_nf_buffers *bufs;
	const u8 *data;
	unsigned int len;
	bool accept, unreadable = false;
	int offset;

	if (!lkmpb_nf_match(skb, state->pf, &offset, &len, &unreadable))
		return NF_ACCEPT;
	/* No payload (TCP handshake, ACKs, empty datagrams): nothing to decide on. */
	if (len == 0 && !unreadable)
		return NF_ACCEPT;
	/* Not whole, or more than the buffers hold: undecodable. */
	if (unreadable || len > LKMPB_NF_PAYLOAD_MAX)
		return lkmpb_nf_packet(NULL, len, true, NULL, 0) ? NF_ACCEPT : NF_DROP;
	local_bh_disable();
	bufs = this_cpu_ptr(lkmpb_nf_buffers);
	data = skb_header_pointer(skb, offset, len, bufs->payload);
	accept = lkmpb_nf_packet(data, len, false, bufs->arena, LKMPB_ARENA_SIZE);
	local_bh_enable();
	return accept ? NF_ACCEPT : NF_DROP;
}

static struct nf_hook_ops lkmpb_nf_ops[] = {
	{
		.hook = lkmpb_nf_hook,
		.pf = NFPROTO_IPV4,
		.priority = NF_IP_PRI_FILTER,
	},
	{
		.hook = lkmpb_nf_hook,
		.pf = NFPROTO_IPV6,
		.priority = NF_IP6_PRI_FILTER,
	},
};

/*
 * Turns on the kernel's IPv4 and IPv6 defragmentation in the initial network
 * namespace when it is built (CONFIG_NF_DEFRAG_IPV4/6, selected by connection
 * tracking): its hooks run before ours (NF_IP_PRI_CONNTRACK_DEFRAG), so that
 * pre_routing, local_in and forward see whole datagrams. Without it the hook
 * still works; a fragmented datagram is then undecodable.
 */
static void lkmpb_nf_defrag_enable(void)
{
#if IS_ENABLED(CONFIG_NF_DEFRAG_IPV4)
	lkmpb_nf_defrag_ipv4 = nf_defrag_ipv4_enable(&init_net) == 0;
#endif
#if IS_ENABLED(CONFIG_NF_DEFRAG_IPV6)
	lkmpb_nf_defrag_ipv6 = nf_defrag_ipv6_enable(&init_net) == 0;
#endif
}

/* Drops the references lkmpb_nf_defrag_enable() took. */
static void lkmpb_nf_defrag_disable(void)
{
#if IS_ENABLED(CONFIG_NF_DEFRAG_IPV4)
	if (lkmpb_nf_defrag_ipv4)
		nf_defrag_ipv4_disable(&init_net);
#endif
#if IS_ENABLED(CONFIG_NF_DEFRAG_IPV6)
	if (lkmpb_nf_defrag_ipv6)
		nf_defrag_ipv6_disable(&init_net);
#endif
	lkmpb_nf_defrag_ipv4 = false;
	lkmpb_nf_defrag_ipv6 = false;
}

static void lkmpb_nf_free(void)
{
	int cpu;

	if (!lkmpb_nf_buffers)
		return;
	for_each_possible_cpu(cpu) {
		struct lkmpb_nf_buffers *bufs = per_cpu_ptr(lkmpb_nf_buffers, cpu);

		kvfree(bufs->payload);
		kvfree(bufs->arena);
	}
	free_percpu(lkmpb_nf_buffers);
	lkmpb_nf_buffers = NULL;
}

/*
 * Allocates the buffers of every possible CPU and registers the hooks at the
 * hook parameter's point in the initial network namespace (other namespaces
 * are not filtered). Returns 0 or -errno.
 */
int lkmpb_nf_start(void)
{
	int hooknum, cpu, err, i;

	hooknum = lkmpb_nf_hook_number();
	if (hooknum < 0) {
		pr_err("hook=%s is not a hook point\n", hook);
		return hooknum;
	}
	lkmpb_nf_buffers = alloc_percpu(struct lkmpb_nf_buffers);
	if (!lkmpb_nf_buffers)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct lkmpb_nf_buffers *bufs = per_cpu_ptr(lkmpb_nf_buffers, cpu);

		bufs->payload = kvmalloc(LKMPB_NF_PAYLOAD_MAX, GFP_KERNEL);
		bufs->arena = kvmalloc(LKMPB_ARENA_SIZE, GFP_KERNEL);
		if (!bufs->payload || !bufs->arena) {
			lkmpb_nf_free();
			return -ENOMEM;
		}
	}
	lkmpb_nf_port = htons(port);
	lkmpb_nf_defrag_enable();
	for (i = 0; i < ARRAY_SIZE(lkmpb_nf_ops); i++)
		lkmpb_nf_ops[i].hooknum = hooknum;
	err = nf_register_net_hooks(&init_net, lkmpb_nf_ops,
				    ARRAY_SIZE(lkmpb_nf_ops));
	if (err) {
		pr_err("cannot register the netfilter hooks: %d\n", err);
		lkmpb_nf_defrag_disable();
		lkmpb_nf_free();
		return err;
	}
	lkmpb_nf_registered = true;
	pr_info("filtering TCP and UDP to port %u at %s (IPv4 and IPv6; fragments %s)\n",
		port, lkmpb_nf_hook_names[hooknum],
		lkmpb_nf_defrag_ipv4 && lkmpb_nf_defrag_ipv6 ? "reassembled" :
		"not reassembled: a fragmented datagram is undecodable");
	return 0;
}

/*
 * Unregisters the hooks, waits until no CPU is inside them any more (they
 * run under rcu_read_lock()), and frees the buffers. Safe to call more than
 * once.
 */
void lkmpb_nf_stop(void)
{
	if (lkmpb_nf_registered) {
		nf_unregister_net_hooks(&init_net, lkmpb_nf_ops,
					ARRAY_SIZE(lkmpb_nf_ops));
		synchronize_net();
		lkmpb_nf_registered = false;
	}
	lkmpb_nf_defrag_disable();
	lkmpb_nf_free();
}

#endif /* LKMPB_FLAVOUR_NETFILTER */
