/* p_pkt.c: frame -> IPv4 -> TCP/UDP decoding (see p_pkt.h). */
#include "p_pkt.h"

#include <string.h>

#include "rd.h"

#define ETH_IPV4 0x0800
#define ETH_VLAN 0x8100
#define ETH_QINQ 0x88a8
#define MAX_VLAN_TAGS 2

int tb_p_pkt_link_supported(int dlt)
{
	switch (dlt) {
	case TB_DLT_NULL: case TB_DLT_EN10MB: case TB_DLT_RAW: case TB_DLT_RAW_ALT:
	case TB_DLT_RAW_LT: case TB_DLT_LINUX_SLL: case TB_DLT_IPV4: case TB_DLT_LINUX_SLL2:
		return 1;
	}
	return 0;
}

const char *tb_p_pkt_link_name(int dlt)
{
	switch (dlt) {
	case TB_DLT_NULL: return "NULL";
	case TB_DLT_EN10MB: return "EN10MB";
	case TB_DLT_RAW: case TB_DLT_RAW_ALT: case TB_DLT_RAW_LT: return "RAW";
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
	case TB_DLT_RAW: case TB_DLT_RAW_ALT: case TB_DLT_RAW_LT: case TB_DLT_IPV4:
		break;
	default:
		return TB_E_FORMAT;
	}
	return r->trunc ? TB_E_TRUNC : TB_OK;
}

static void transport(struct tb_rd *r, struct tb_pkt *o)
{
	if (o->proto == 6) {
		o->sport = tb_rd_be16(r);
		o->dport = tb_rd_be16(r);
		tb_rd_skip(r, 8); /* sequence and acknowledgement numbers */
		uint8_t off = tb_rd_u8(r);
		o->tcp_flags = tb_rd_u8(r);
		tb_rd_skip(r, 6);
		size_t hl = (size_t)(off >> 4) * 4;
		if (r->trunc || hl < 20)
			return;
		tb_rd_skip(r, hl - 20); /* options */
	} else if (o->proto == 17) {
		o->sport = tb_rd_be16(r);
		o->dport = tb_rd_be16(r);
		tb_rd_skip(r, 4);
	} else {
		return;
	}
	if (r->trunc)
		return;
	o->transport = 1;
	o->payload = r->p + r->off;
	o->paylen = tb_rd_left(r);
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
	int v = tb_rd_peek(&r);
	if (v < 0)
		return TB_E_TRUNC;
	if ((v >> 4) != 4)
		return et ? TB_E_FORMAT : TB_OK; /* raw IPv6 is simply not IPv4 */
	uint8_t vihl = tb_rd_u8(&r);
	tb_rd_skip(&r, 1);
	uint16_t total = tb_rd_be16(&r);
	tb_rd_skip(&r, 2);
	uint16_t frag = tb_rd_be16(&r);
	tb_rd_skip(&r, 1);
	uint8_t proto = tb_rd_u8(&r);
	tb_rd_skip(&r, 2);
	uint32_t src = tb_rd_be32(&r), dst = tb_rd_be32(&r);
	size_t ihl = (size_t)(vihl & 15) * 4;
	if (r.trunc)
		return TB_E_TRUNC;
	if (ihl < 20 || total < ihl)
		return TB_E_FORMAT;
	tb_rd_skip(&r, ihl - 20);
	if (r.trunc)
		return TB_E_TRUNC;
	o->ipv4 = 1;
	o->src = src;
	o->dst = dst;
	o->proto = proto;
	o->iplen = total;
	o->fragment = (frag & 0x2000) || (frag & 0x1fff);
	o->later_fragment = (frag & 0x1fff) != 0;
	/* The IP payload ends at the total length, even when the link layer
	 * padded the frame; it may also be cut short by the snap length. */
	size_t body = total - ihl;
	struct tb_rd ip;
	tb_rd_init(&ip, r.p + r.off, tb_rd_left(&r) < body ? tb_rd_left(&r) : body);
	if (!o->later_fragment)
		transport(&ip, o);
	return TB_OK;
}
