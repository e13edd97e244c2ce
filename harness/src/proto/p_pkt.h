/* p_pkt.h: decode one captured frame down to its transport payload.
 *
 * Link layers: Ethernet (with up to two 802.1Q/802.1ad tags), Linux cooked
 * capture v1 and v2 (SLL, SLL2), BSD loopback (NULL) and raw IP.  Network:
 * IPv4 and IPv6 (other ethertypes are reported as neither).  IPv6's
 * extension headers are walked (hop-by-hop, routing, destination options,
 * fragment, AH; at most TB_PKT_MAX_EXT of them); ESP and "no next header"
 * end the walk.  Transport: TCP and UDP.  Fragments are not reassembled:
 * they are flagged, and a later fragment has no transport header.  Pure
 * and bounds-checked: every length comes from the frame and is checked
 * against the captured bytes.
 */
#ifndef TB_P_PKT_H
#define TB_P_PKT_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"

/* Link-layer header types (the values libpcap's pcap_datalink() returns). */
#define TB_DLT_NULL 0
#define TB_DLT_EN10MB 1
#define TB_DLT_RAW 12
#define TB_DLT_RAW_ALT 14 /* DLT_RAW on some BSDs */
#define TB_DLT_RAW_LT 101 /* LINKTYPE_RAW as stored in files */
#define TB_DLT_LINUX_SLL 113
#define TB_DLT_IPV4 228
#define TB_DLT_LINUX_SLL2 276

/* IPv6 extension headers walked before giving up on a chain (TB_E_FORMAT). */
#define TB_PKT_MAX_EXT 8

struct tb_pkt {
	int ipv4;          /* the frame carries an IPv4 packet */
	uint32_t src, dst; /* IPv4, host byte order */
	uint8_t proto;     /* IP protocol number (IPv6: the header after the extension headers) */
	uint8_t ipv6;      /* the frame carries an IPv6 packet (then ipv4 is 0) */
	uint32_t iplen; /* the packet's size on the wire: IPv4 total length, IPv6 40 + payload length */
	int fragment;   /* part of a fragmented datagram */
	int later_fragment; /* fragment offset != 0: no transport header */
	int transport;      /* TCP or UDP header decoded */
	uint16_t sport, dport;
	uint8_t tcp_flags;      /* TB_TCP_* */
	const uint8_t *payload; /* transport payload within the frame (may be cut short) */
	size_t paylen;          /* bytes of it captured */
	int cut;                /* the snap length cut the IP packet short */
	/* IPv6 only: the 16-byte addresses within the frame (network byte
	 * order; valid as long as the frame is).  Not set for IPv4: read them
	 * only when ipv6 is set. */
	const uint8_t *src6, *dst6;
};

#define TB_TCP_FIN 0x01
#define TB_TCP_SYN 0x02
#define TB_TCP_RST 0x04
#define TB_TCP_ACK 0x10

/* Is this link type one we decode? */
int tb_p_pkt_link_supported(int dlt);
/* Name of a link type for messages ("EN10MB", ...); "?" when unknown. */
const char *tb_p_pkt_link_name(int dlt);

/* Decode a frame.  TB_OK with out->ipv4 = out->ipv6 = 0 for a well-formed
 * frame of another protocol (ARP, ...); TB_E_TRUNC when the link or IP
 * header is cut short; TB_E_FORMAT for bogus headers (bad version, header
 * length or total length; an IPv6 extension header longer than the payload
 * length says, or a chain of more than TB_PKT_MAX_EXT).  IPv6 extension
 * headers cut short by the snap length are TB_OK with cut set and no
 * transport header, as a transport header cut short is. */
TB_WUR enum tb_err tb_p_pkt_decode(int dlt, const uint8_t *frame, size_t caplen, struct tb_pkt *out);

#endif
