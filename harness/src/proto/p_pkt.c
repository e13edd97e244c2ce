/* p_pkt.c: frame -> IPv4 or IPv6 -> TCP/UDP decoding (see p_pkt.h). */
#include "proto/p_pkt.h"

#include <stddef.h>
#include <string.h>

#include "base/rd.h"

#define ETH_IPV4 0x0800
#define ETH_IPV6 0x86dd
#define ETH_VLAN 0x8100
#define ETH_QINQ 0x88a8
#define MAX_VLAN_TAGS 2

int tb_p_pkt_link_supported(int dlt)
{
	switch (dlt) {
	case TB_DLT_NULL:
	case TB_DLT_EN10MB:
	case TB_DLT_RAW:
	case TB_DLT_RAW_ALT:
	case TB_DLT_RAW_LT:
	case TB_DLT_LINUX_SLL:
	case TB_DLT_IPV4:
	case TB_DLT_LINUX_SLL2: return 1;
	}
	return 0;
}

const char *tb_p_pkt_link_name(int dlt)
{
	switch (dlt) {
	case TB_DLT_NULL: return "NULL";
	case TB_DLT_EN10MB: return "EN10MB";
	case TB_DLT_RAW:
	case TB_DLT_RAW_ALT:
	case TB_DLT_RAW_LT: return "RAW";
	case TB_DLT_LINUX_SLL: return "LINUX_SLL";
	case TB_DLT_IPV4: return "IPV4";
	case TB_DLT_LINUX_SLL2: return "LINUX_SLL2";
	}
	return "?";
}

/* BSD loopback's address family, written in the capturing host's byte
 * order: AF_INET is 2 everywhere, AF_INET6 is 24, 28 or 30 (the BSDs and
 * macOS; see libpcap's LINKTYPE_NULL). */
static uint16_t null_family(uint32_t af)
{
	if (af == 2 || af == 0x02000000)
		return ETH_IPV4;
	switch (af) {
	case 24:
	case 28:
	case 30:
	case 24u << 24:
	case 28u << 24:
	case 30u << 24: return ETH_IPV6;
	default: return 1;
	}
}

/* Skip the link header; *ethertype gets the network protocol (0x0800 for
 * IPv4, 0x86dd for IPv6), or 0 when the link type has none (raw IP: decide
 * from the version). */
static enum tb_err link_header(int dlt, struct tb_rd *r, uint16_t *ethertype)
{
	*ethertype = 0;
	switch (dlt) {
	case TB_DLT_EN10MB:
		tb_rd_skip(r, 12);
		*ethertype = tb_rd_be16(r);
		for (int i = 0; i < MAX_VLAN_TAGS && (*ethertype == ETH_VLAN || *ethertype == ETH_QINQ);
		     i++) {
			tb_rd_skip(r, 2); /* TCI */
			*ethertype = tb_rd_be16(r);
		}
		break;
	case TB_DLT_LINUX_SLL:
		tb_rd_skip(r, 14); /* packet type, ARPHRD, address length, address */
		*ethertype = tb_rd_be16(r);
		break;
	case TB_DLT_LINUX_SLL2:
		*ethertype = tb_rd_be16(r);
		tb_rd_skip(r, 18); /* reserved, ifindex, ARPHRD, type, address length, address */
		break;
	case TB_DLT_NULL: *ethertype = null_family(tb_rd_be32(r)); break;
	case TB_DLT_RAW:
	case TB_DLT_RAW_ALT:
	case TB_DLT_RAW_LT:
	case TB_DLT_IPV4: break;
	default: return TB_E_FORMAT;
	}
	return r->trunc ? TB_E_TRUNC : TB_OK;
}

static uint16_t be16_at(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* TCP or UDP header at p (n bytes captured within the IP packet).  The
 * fields present are filled even when the header is cut short; transport
 * is set only with the whole header.  Bounds are checked up front rather
 * than per field: this runs for every packet of a capture. */
static void transport(const uint8_t *p, size_t n, struct tb_pkt *o)
{
	size_t hl;
	if (o->proto != 6 && o->proto != 17)
		return;
	o->sport = n >= 2 ? be16_at(p) : 0;
	o->dport = n >= 4 ? be16_at(p + 2) : 0;
	if (o->proto == 6) {
		o->tcp_flags = n >= 14 ? p[13] : 0;
		if (n < 20)
			return;
		hl = (size_t)(p[12] >> 4) * 4;
		if (hl < 20 || hl > n)
			return; /* a bogus offset, or options cut short */
	} else {
		hl = 8;
		if (n < hl)
			return;
	}
	o->transport = 1;
	o->payload = p + hl;
	o->paylen = n - hl;
}

/* IPv6 extension headers we walk: hop-by-hop, routing, destination options. */
static int ext_generic(uint8_t nh)
{
	return nh == 0 || nh == 43 || nh == 60;
}

#define IP6_FRAGMENT 44
#define IP6_AH 51

/* The IPv6 packet at ip (left bytes captured, at least the fixed 40).  The
 * walk over the extension headers stays inside both the payload length and
 * the captured bytes: a header longer than the payload length says is
 * bogus; one the snap length cut short leaves the packet cut, with no
 * transport header. */
static enum tb_err ipv6(const uint8_t *ip, size_t left, struct tb_pkt *o)
{
	size_t body = be16_at(ip + 4), got = left - 40;
	o->ipv6 = 1;
	o->src6 = ip + 8;
	o->dst6 = ip + 24;
	o->iplen = 40 + (uint32_t)body;
	o->cut = got < body;
	if (got > body)
		got = body; /* link-layer padding */
	const uint8_t *p = ip + 40;
	uint8_t nh = ip[6];
	for (int n = 0; ext_generic(nh) || nh == IP6_FRAGMENT || nh == IP6_AH; n++) {
		if (n == TB_PKT_MAX_EXT)
			return TB_E_FORMAT;
		size_t hl;
		if (nh == IP6_FRAGMENT)
			hl = 8;
		else if (got >= 2)
			hl = nh == IP6_AH ? ((size_t)p[1] + 2) * 4 : ((size_t)p[1] + 1) * 8;
		else
			hl = 2; /* its length is not even captured */
		if (hl > body)
			return TB_E_FORMAT; /* longer than the packet */
		if (hl > got) {
			o->proto = nh;
			o->cut = 1;
			return TB_OK;
		}
		if (nh == IP6_FRAGMENT) {
			/* offset in 8-byte units, then 2 reserved bits and M
			 * (more fragments); an atomic fragment (RFC 6946) is
			 * the whole packet, as an IPv4 DF packet is */
			uint16_t off = be16_at(p + 2);
			o->later_fragment = (off & 0xfff8) != 0;
			o->fragment = o->later_fragment || (off & 1);
		}
		nh = p[0];
		p += hl;
		got -= hl;
		body -= hl;
		if (o->later_fragment)
			break;
	}
	o->proto = nh;
	if (!o->later_fragment)
		transport(p, got, o);
	return TB_OK;
}

/* The IP packet after the link header of ethertype et (0: raw, from the
 * version nibble); TB_OK with neither family for another protocol. */
static enum tb_err ip_other(uint16_t et, const uint8_t *ip, size_t left, struct tb_pkt *o)
{
	if (et != 0 && et != ETH_IPV6)
		return TB_OK; /* ARP, ...: not ours */
	if (left == 0)
		return TB_E_TRUNC;
	if ((ip[0] >> 4) != 6)
		return et ? TB_E_FORMAT : TB_OK;
	if (left < 40)
		return TB_E_TRUNC;
	return ipv6(ip, left, o);
}

enum tb_err tb_p_pkt_decode(int dlt, const uint8_t *frame, size_t caplen, struct tb_pkt *o)
{
	struct tb_rd r;
	uint16_t et;
	/* The IPv6 addresses are set only for IPv6: clearing them too would
	 * cost every IPv4 frame. */
	memset(o, 0, offsetof(struct tb_pkt, src6));
	tb_rd_init(&r, frame, caplen);
	enum tb_err e = link_header(dlt, &r, &et);
	if (e)
		return e;
	const uint8_t *ip = r.p + r.off;
	size_t left = tb_rd_left(&r);
	if (et != ETH_IPV4 && (et != 0 || (left && (ip[0] >> 4) != 4)))
		return ip_other(et, ip, left, o);
	if (left == 0)
		return TB_E_TRUNC;
	if ((ip[0] >> 4) != 4)
		return TB_E_FORMAT;
	if (left < 20)
		return TB_E_TRUNC;
	size_t ihl = (size_t)(ip[0] & 15) * 4;
	uint16_t total = be16_at(ip + 2), frag = be16_at(ip + 6);
	if (ihl < 20 || total < ihl)
		return TB_E_FORMAT;
	if (left < ihl)
		return TB_E_TRUNC; /* options cut short */
	o->ipv4 = 1;
	o->src = be32_at(ip + 12);
	o->dst = be32_at(ip + 16);
	o->proto = ip[9];
	o->iplen = total;
	o->fragment = (frag & 0x2000) || (frag & 0x1fff);
	o->later_fragment = (frag & 0x1fff) != 0;
	/* The IP payload ends at the total length, even when the link layer
	 * padded the frame; it may also be cut short by the snap length. */
	size_t body = total - ihl, got = left - ihl;
	o->cut = got < body;
	if (!o->later_fragment)
		transport(ip + ihl, got < body ? got : body, o);
	return TB_OK;
}
