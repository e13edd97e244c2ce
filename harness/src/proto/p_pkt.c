/* p_pkt.c: frame -> IPv4 -> TCP/UDP decoding (see p_pkt.h). */
#include "proto/p_pkt.h"

#include <string.h>

#include "base/rd.h"

#define ETH_IPV4 0x0800
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

/* Skip the link header; *ethertype gets the network protocol (0x0800 for
 * IPv4), or 0 when the link type has none (raw IP: decide from the version). */
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
	case TB_DLT_NULL: {
		/* A 4-byte address family in the capturing host's byte order:
		 * AF_INET is 2 everywhere. */
		uint32_t af = tb_rd_be32(r);
		*ethertype = (af == 2 || af == 0x02000000) ? ETH_IPV4 : 1;
		break;
	}
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

enum tb_err tb_p_pkt_decode(int dlt, const uint8_t *frame, size_t caplen, struct tb_pkt *o)
{
	struct tb_rd r;
	uint16_t et;
	memset(o, 0, sizeof *o);
	tb_rd_init(&r, frame, caplen);
	enum tb_err e = link_header(dlt, &r, &et);
	if (e)
		return e;
	if (et != 0 && et != ETH_IPV4)
		return TB_OK; /* ARP, IPv6, ...: not ours */
	const uint8_t *ip = r.p + r.off;
	size_t left = tb_rd_left(&r);
	if (left == 0)
		return TB_E_TRUNC;
	if ((ip[0] >> 4) != 4)
		return et ? TB_E_FORMAT : TB_OK; /* raw IPv6 is simply not IPv4 */
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
