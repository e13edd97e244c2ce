/* p_udpprobe.h: UDP service probes, pure functions over bytes.
 *
 * One builder per protocol IoT devices really run over UDP, and one
 * identifier that reads what a device sent back.  Nothing here touches a
 * socket: the sweep (check/chk_udp_exposure.c) sends what these build and
 * hands every reply to tb_udp_identify().  Every reply byte is hostile:
 * the identifier never trusts a length field and never reads past len.
 */
#ifndef TB_P_UDPPROBE_H
#define TB_P_UDPPROBE_H

#include <stddef.h>
#include <stdint.h>

enum tb_udp_proto {
	TB_UDP_GENERIC = 0, /* a few bytes that many services answer with an error */
	TB_UDP_SNMP1,       /* SNMPv1 GetRequest sysDescr.0, community "public" */
	TB_UDP_SNMP2C,      /* SNMPv2c GetRequest sysDescr.0 + sysName.0, "public" */
	TB_UDP_SNMP3,       /* SNMPv3 engine discovery (noAuthNoPriv, empty user) */
	TB_UDP_SSDP,        /* M-SEARCH ssdp:all to the device's own address */
	TB_UDP_MDNS,        /* unicast query PTR _services._dns-sd._udp.local */
	TB_UDP_COAP,        /* CON GET /.well-known/core */
	TB_UDP_NTP,         /* NTPv4 client request (mode 3) */
	TB_UDP_DNS,         /* recursion-desired query, A for a name under .invalid */
	TB_UDP_TFTP,        /* RRQ for a file that does not exist, octet mode */
	TB_UDP_WSD,         /* WS-Discovery SOAP Probe */
	TB_UDP_NBNS,        /* NetBIOS name service node status "*" */
	TB_UDP_LLMNR,       /* LLMNR query for the name "wpad" */
	TB_UDP_STUN,        /* STUN Binding Request (RFC 5389 magic cookie) */
	TB_UDP_QUIC,        /* QUIC long header with an unsupported version:
			     * a server answers Version Negotiation */
	TB_UDP_MEMCACHED,   /* memcached UDP frame header + "version\r\n" */
	TB_UDP_NPROTO
};

/* What a probe is for: identifying the service, or measuring how much it
 * sends back for one request (the requests a reflection attack uses: SSDP
 * ssdp:all, SNMP GetBulk with many repetitions, CoAP /.well-known/core,
 * mDNS/DNS ANY, NTP mode 6 readvar, memcached "stats"). */
enum tb_udp_variant { TB_UDP_IDENTIFY = 0, TB_UDP_AMPLIFY = 1 };

struct tb_udp_probe_info {
	enum tb_udp_proto proto;
	const char *name;        /* "snmp-v2c", "ssdp", ...: used in evidence */
	const char *protocol;    /* the service it finds: "snmp", "ssdp", ... */
	uint16_t usual_ports[4]; /* 0-terminated; the generic probe has none */
	int has_amplify;         /* 1 when TB_UDP_AMPLIFY builds a different request */
};

/* The table of probes, indexed by enum tb_udp_proto. */
const struct tb_udp_probe_info *tb_udp_probe_info(enum tb_udp_proto p);

/* Build the request for proto/variant into buf.  txid is the caller's
 * per-probe number, put where the protocol echoes it (request id, DNS id,
 * CoAP message id and token, STUN transaction id, ...), so that a reply
 * can be matched to its request.  dst is the device's address as text (SSDP
 * HOST header, WS-Discovery), may be NULL.  Returns the length written, or 0
 * when cap is too small (1500 is always enough). */
size_t tb_udp_probe_build(enum tb_udp_proto p, enum tb_udp_variant v, uint32_t txid, const char *dst,
			  uint8_t *buf, size_t cap);

/* One thing the device disclosed without authentication. */
#define TB_UDP_ITEM_KEY 32
#define TB_UDP_ITEM_VAL 192
struct tb_udp_item {
	char key[TB_UDP_ITEM_KEY];   /* "sysDescr", "SERVER", "LOCATION", "txt", "resource", ... */
	char value[TB_UDP_ITEM_VAL]; /* printable ASCII, truncated, never NUL inside */
};

#define TB_UDP_MAX_ITEMS 24
struct tb_udp_ident {
	int matched;          /* 1: this reply answers the probe (ids match where the
			       * protocol has them, and the reply parses as that protocol) */
	const char *protocol; /* static string: "snmp", "ssdp", "coap", ..., or "unknown" */
	char product[128];    /* product/version where the reply says so, else "" */
	int needs_auth;       /* 1: the service answered but refused without
			       * credentials (SNMPv3 report, CoAP 4.01, v2c
			       * authorizationError, ...) */
	int snmp_version;     /* 0 (v1), 1 (v2c), 3; -1 when not SNMP */
	struct tb_udp_item items[TB_UDP_MAX_ITEMS];
	size_t nitems;
	int items_truncated; /* more items than fit */
};

/* Read one reply from the device to a probe of kind sent with txid.
 * Fills *out (always: protocol "unknown" and matched 0 when the reply is
 * not recognised).  Returns out->matched. */
int tb_udp_identify(enum tb_udp_proto sent, uint32_t txid, const uint8_t *reply, size_t len,
		    struct tb_udp_ident *out);

/* Added by the implementation (helpers p_svcid.c shares; above, only
 * clang-format whitespace changed, no name or field). */

/* Copy src[0..n) into dst as printable ASCII: bytes 0x20..0x7e stay (a
 * backslash becomes "\\"), any other byte becomes "\xNN".  Never splits an
 * escape, always NUL-terminates (cap >= 1).  Returns the length written. */
size_t tb_udp_printable(char *dst, size_t cap, const uint8_t *src, size_t n);

/* Append one item (key copied and truncated, value made printable) to
 * items[0..max).  When full, sets *truncated and returns 0; else 1. */
int tb_udp_item_push(struct tb_udp_item *items, size_t max, size_t *nitems, int *truncated,
		     const char *key, const uint8_t *val, size_t vlen);

/* In an HTTP-like text message (status line, then "Name: value" lines up
 * to a blank line or the end of msg), find the first header called name
 * (given in lower case, matched case-insensitively).  Returns 1 with a
 * view of the value (spaces and tabs trimmed), 0 when absent. */
int tb_udp_text_header(const uint8_t *msg, size_t len, const char *name, const uint8_t **val,
		       size_t *vlen);

/* CoAP link format (RFC 6690): every "<uri>" of p[0..n) becomes a
 * "resource" item (CoAP over UDP here, over TCP in p_svcid.c). */
void tb_udp_coap_links(const uint8_t *p, size_t n, struct tb_udp_item *items, size_t max,
		       size_t *nitems, int *truncated);

#endif
