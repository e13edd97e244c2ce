/* synscan.c: half-open TCP SYN sweep through the raw socket (see synscan.h). */
#define _GNU_SOURCE /* recvmmsg */
#include "net/synscan.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/clock.h"

/* Packets read per drain: a flood cannot keep the sender from its work. */
#define DRAIN_MAX 1024
/* Packets per recvmmsg, and the bytes kept of each: IPv4 and TCP headers
 * with options fit; a SYN-ACK or RST carries nothing more we need. */
#define RECV_BATCH 64
#define RECV_KEEP 128
/* SYNs per sendmmsg. */
#define SEND_BATCH 64
/* Tries without progress while the kernel's queue is full (ENOBUFS). */
#define SEND_TRIES 8

static uint64_t rotl(uint64_t x, int b)
{
	return (x << b) | (x >> (64 - b));
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static void sip_round(uint64_t v[4])
{
	v[0] += v[1];
	v[1] = rotl(v[1], 13) ^ v[0];
	v[0] = rotl(v[0], 32);
	v[2] += v[3];
	v[3] = rotl(v[3], 16) ^ v[2];
	v[0] += v[3];
	v[3] = rotl(v[3], 21) ^ v[0];
	v[2] += v[1];
	v[1] = rotl(v[1], 17) ^ v[2];
	v[2] = rotl(v[2], 32);
}

static void sip_block(uint64_t v[4], uint64_t m)
{
	v[3] ^= m;
	sip_round(v);
	sip_round(v);
	v[0] ^= m;
}

uint64_t tb_siphash24(const uint8_t key[16], const uint8_t *msg, size_t len)
{
	uint64_t k0 = le64(key), k1 = le64(key + 8);
	uint64_t v[4] = { k0 ^ 0x736f6d6570736575ull, k1 ^ 0x646f72616e646f6dull,
			  k0 ^ 0x6c7967656e657261ull, k1 ^ 0x7465646279746573ull };
	size_t full = len - len % 8;
	for (size_t i = 0; i < full; i += 8)
		sip_block(v, le64(msg + i));
	uint64_t last = (uint64_t)(len & 0xff) << 56;
	for (size_t i = 0; i < len % 8; i++)
		last |= (uint64_t)msg[full + i] << (8 * i);
	sip_block(v, last);
	v[2] ^= 0xff;
	for (int i = 0; i < 4; i++)
		sip_round(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

uint32_t tb_syn_cookie(const uint8_t key[16], uint32_t src, uint32_t dst, uint16_t sport,
		       uint16_t dport)
{
	uint8_t m[12];
	put32(m, src);
	put32(m + 4, dst);
	put16(m + 8, sport);
	put16(m + 10, dport);
	return (uint32_t)tb_siphash24(key, m, sizeof m);
}

uint16_t tb_tcp_checksum(uint32_t src, uint32_t dst, const uint8_t *seg, size_t len)
{
	uint64_t sum = (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + IPPROTO_TCP +
		       (uint64_t)len;
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += get16(seg + i);
	if (len & 1)
		sum += (uint64_t)seg[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

void tb_syn_build(uint8_t out[TB_SYN_LEN], uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
		  uint32_t seq)
{
	memset(out, 0, TB_SYN_LEN);
	put16(out, sport);
	put16(out + 2, dport);
	put32(out + 4, seq);
	out[12] = (TB_SYN_LEN / 4) << 4; /* data offset, in 32-bit words */
	out[13] = TB_TCP_SYN;
	put16(out + 14, 1024); /* window */
	out[20] = 2;           /* MSS option: kind 2, length 4, 1460 */
	out[21] = 4;
	put16(out + 22, 1460);
	put16(out + 16, tb_tcp_checksum(src, dst, out, TB_SYN_LEN));
}

enum tb_err tb_syn_parse(const uint8_t *pkt, size_t len, struct tb_syn_reply *r)
{
	memset(r, 0, sizeof *r);
	if (len < 20)
		return TB_E_TRUNC;
	size_t ihl = (size_t)(pkt[0] & 0x0f) * 4, total = get16(pkt + 2);
	if (pkt[0] >> 4 != 4 || ihl < 20 || pkt[9] != IPPROTO_TCP)
		return TB_E_FORMAT;
	/* A fragment (offset or more-fragments set) is never reassembled here. */
	if ((get16(pkt + 6) & 0x3fff) != 0)
		return TB_E_FORMAT;
	if (total < ihl + 20)
		return TB_E_FORMAT; /* the stated length cannot hold a TCP header */
	if (len < ihl + 20)
		return TB_E_TRUNC;
	const uint8_t *t = pkt + ihl;
	size_t doff = (size_t)(t[12] >> 4) * 4;
	if (doff < 20 || ihl + doff > total)
		return TB_E_FORMAT;
	r->src = get32(pkt + 12);
	r->dst = get32(pkt + 16);
	r->sport = get16(t);
	r->dport = get16(t + 2);
	r->seq = get32(t + 4);
	r->ack = get32(t + 8);
	r->flags = t[13];
	return TB_OK;
}

enum tb_syn_answer tb_syn_judge(const struct tb_syn_reply *r, const uint8_t key[16], uint32_t me,
				uint32_t dut, uint16_t my_port)
{
	if (r->src != dut || r->dst != me || r->dport != my_port || r->sport == 0)
		return TB_SYN_IGNORE;
	if (!(r->flags & TB_TCP_ACK) || r->ack != tb_syn_cookie(key, me, dut, my_port, r->sport) + 1)
		return TB_SYN_IGNORE;
	if (r->flags & TB_TCP_RST)
		return TB_SYN_CLOSED;
	if (r->flags & TB_TCP_SYN)
		return TB_SYN_OPEN;
	return TB_SYN_IGNORE;
}

void tb_synscan_absorb(struct tb_synscan *s, const uint8_t *pkt, size_t len)
{
	struct tb_syn_reply r;
	s->replies++;
	if (tb_syn_parse(pkt, len, &r) != TB_OK) {
		s->ignored++;
		return;
	}
	enum tb_syn_answer a = tb_syn_judge(&r, s->key, s->me, s->dut, s->my_port);
	uint8_t *st = &s->state[r.sport];
	if (a == TB_SYN_IGNORE || (*st != TB_SYNP_SENT && *st != TB_SYNP_RESENT)) {
		s->ignored++; /* forged, stray, or a port already settled */
		return;
	}
	*st = a == TB_SYN_OPEN ? TB_SYNP_OPEN : TB_SYNP_CLOSED;
	s->waiting--;
	if (a == TB_SYN_CLOSED) {
		s->closed++;
		return;
	}
	s->open++;
	if (s->hooks && s->hooks->on_open)
		s->hooks->on_open(s->hooks->arg, r.sport);
}

static void tick(struct tb_synscan *s)
{
	if (s->hooks && s->hooks->tick)
		s->hooks->tick(s->hooks->arg);
}

/* Read what is queued, at most DRAIN_MAX packets, without waiting. */
static void drain(struct tb_synscan *s)
{
	uint8_t buf[RECV_BATCH][RECV_KEEP];
	struct mmsghdr m[RECV_BATCH];
	struct iovec iov[RECV_BATCH];
	for (int round = 0; round < DRAIN_MAX / RECV_BATCH; round++) {
		for (int i = 0; i < RECV_BATCH; i++) {
			iov[i] = (struct iovec){ .iov_base = buf[i], .iov_len = RECV_KEEP };
			m[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iov[i], .msg_iovlen = 1 } };
		}
		int r = recvmmsg(s->net->raw_fd, m, RECV_BATCH, MSG_DONTWAIT, NULL);
		if (r <= 0)
			return;
		for (int i = 0; i < r; i++)
			tb_synscan_absorb(s, buf[i],
					  m[i].msg_len < RECV_KEEP ? m[i].msg_len : RECV_KEEP);
		if (r < RECV_BATCH)
			return;
	}
}

/* Wait up to ms for replies (or the caller's fd) and read them. */
static void wait_replies(struct tb_synscan *s, int ms)
{
	struct pollfd p[2] = { { .fd = s->net->raw_fd, .events = POLLIN },
			       { .fd = s->hooks ? s->hooks->fd : -1, .events = POLLIN } };
	if (poll(p, 2, ms) <= 0)
		return;
	if (p[0].revents)
		drain(s);
	if (p[1].revents)
		tick(s);
}

/* Until every sent port has its answer or the deadline (ms from now). */
static void collect(struct tb_synscan *s, int ms)
{
	int64_t deadline = tb_now_ms() + ms;
	while (s->waiting > 0 && !tb_net_deadline_passed(deadline)) {
		int64_t left = deadline - tb_now_ms();
		wait_replies(s, left > TB_NET_POLL_SLICE_MS ? TB_NET_POLL_SLICE_MS : (int)left);
	}
}

/* Wait, reading replies meanwhile, until the rate limit has a token. */
static void await_token(struct tb_synscan *s)
{
	int64_t w;
	while ((w = tb_net_rate_wait_us(s->net)) > 0 && !tb_net_stop_requested())
		wait_replies(s, (int)((w + 999) / 1000));
}

/* Send the SYNs of one batch (ports[i], segs[i]) as the tokens allow,
 * moving each port sent from `from` to `to`. */
static void send_batch(struct tb_synscan *s, const uint16_t *ports, const uint8_t *segs, size_t count,
		       enum tb_syn_state from, enum tb_syn_state to)
{
	size_t done = 0;
	int tries = 0;
	while (done < count) {
		struct tb_diag d = { .msg = "" };
		size_t sent = 0, k = count - done;
		await_token(s);
		if (s->net->tokens >= 1.0 && (double)k > s->net->tokens)
			k = (size_t)s->net->tokens; /* never sleep inside the send */
		enum tb_err e =
			tb_net_raw_send_many(s->net, s->dut, ports + done, segs + done * TB_SYN_LEN,
					     TB_SYN_LEN, k, &sent, &d);
		for (size_t i = done; i < done + sent; i++)
			s->state[ports[i]] = (uint8_t)to;
		s->sent += sent;
		if (from == TB_SYNP_TODO)
			s->waiting += sent;
		else
			s->resent += sent;
		done += sent;
		tries = sent ? 0 : tries + 1;
		drain(s);
		tick(s);
		if (e == TB_OK || (e == TB_E_TOOBIG && tries < SEND_TRIES)) {
			if (e)
				wait_replies(s, 1); /* the queue drains meanwhile */
			continue;
		}
		snprintf(s->error, sizeof s->error, "port %u: %s", ports[done], d.msg);
		for (; done < count; done++)
			if (from == TB_SYNP_TODO) { /* a failed retry stays SENT: no answer */
				s->state[ports[done]] = TB_SYNP_UNPROBED;
				s->unprobed++;
			}
	}
}

/* Send a SYN to every port in state `from`, moving it to `to`. */
static void send_pass(struct tb_synscan *s, enum tb_syn_state from, enum tb_syn_state to)
{
	uint16_t ports[SEND_BATCH];
	uint8_t segs[SEND_BATCH * TB_SYN_LEN];
	size_t k = 0;
	for (long port = 1; port <= 65535; port++) {
		if (s->state[port] != from)
			continue;
		tb_syn_build(segs + k * TB_SYN_LEN, s->me, s->dut, s->my_port, (uint16_t)port,
			     tb_syn_cookie(s->key, s->me, s->dut, s->my_port, (uint16_t)port));
		ports[k++] = (uint16_t)port;
		if (k == SEND_BATCH) {
			send_batch(s, ports, segs, k, from, to);
			k = 0;
		}
	}
	if (k)
		send_batch(s, ports, segs, k, from, to);
}

/* Our address toward dut (a connected UDP socket sends nothing) and a local
 * port reserved by a bound TCP socket that never listens: the kernel gives
 * the port to no one else and resets every SYN-ACK sent to it. */
static enum tb_err local_endpoint(struct tb_synscan *s, int *hold, struct tb_diag *d)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(s->dut) };
	socklen_t sl = sizeof sa;
	int u = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (u < 0 || connect(u, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    getsockname(u, (struct sockaddr *)&sa, &sl) != 0) {
		int err = errno;
		if (u >= 0)
			close(u);
		return tb_diag_set(d, TB_E_IO, "no local address toward the device: %s", strerror(err));
	}
	close(u);
	s->me = ntohl(sa.sin_addr.s_addr);
	sa.sin_port = 0;
	*hold = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	sl = sizeof sa;
	if (*hold < 0 || bind(*hold, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    getsockname(*hold, (struct sockaddr *)&sa, &sl) != 0) {
		int err = errno;
		if (*hold >= 0)
			close(*hold);
		*hold = -1;
		return tb_diag_set(d, TB_E_IO, "no local port for the SYN sweep: %s", strerror(err));
	}
	s->my_port = ntohs(sa.sin_port);
	return TB_OK;
}

static void settle_unanswered(struct tb_synscan *s)
{
	for (long port = 1; port <= 65535; port++)
		if (s->state[port] == TB_SYNP_SENT || s->state[port] == TB_SYNP_RESENT) {
			s->state[port] = TB_SYNP_NOANSWER;
			s->noanswer++;
		}
	s->waiting = 0;
}

enum tb_err tb_synscan_run(struct tb_synscan *s, struct tb_net *net, uint32_t dut,
			   const uint8_t map[8192], const struct tb_synscan_hooks *hooks,
			   struct tb_diag *d)
{
	char text[16];
	int hold = -1;
	memset(s, 0, sizeof *s);
	s->net = net;
	s->hooks = hooks;
	s->dut = dut;
	if (!net->have_raw)
		return tb_diag_set(d, TB_E_IO, "%s", net->raw_note);
	if (!tb_scope_contains(net->scope, dut)) {
		tb_net_count_refusal(net);
		tb_ipv4_format(dut, text);
		return tb_diag_set(d, TB_E_SCOPE, "refused to sweep %s: outside the lab scope", text);
	}
	if (getrandom(s->key, sizeof s->key, 0) != (ssize_t)sizeof s->key)
		return tb_diag_set(d, TB_E_IO, "getrandom: %s", strerror(errno));
	enum tb_err e = local_endpoint(s, &hold, d);
	if (e)
		return e;
	for (long port = 1; port <= 65535; port++)
		if (map[port >> 3] & (1u << (port & 7)))
			s->state[port] = TB_SYNP_TODO;
	tb_net_raw_listen(net, 1);
	drain(s); /* anything queued before our first SYN is no answer of ours */
	s->replies = s->ignored = 0;
	send_pass(s, TB_SYNP_TODO, TB_SYNP_SENT);
	collect(s, net->connect_timeout_ms);
	if (s->waiting > 0) {
		send_pass(s, TB_SYNP_SENT, TB_SYNP_RESENT);
		collect(s, net->connect_timeout_ms);
	}
	settle_unanswered(s);
	tb_net_raw_listen(net, 0);
	drain(s); /* leave the queue empty: late packets are no longer ours */
	close(hold);
	return TB_OK;
}
