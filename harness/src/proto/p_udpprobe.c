/* p_udpprobe.c: UDP service probe builders and the reply identifier (see p_udpprobe.h). */
#include "proto/p_udpprobe.h"

#include <stdio.h>
#include <string.h>

#include "base/rd.h"
#include "proto/p_ascii.h"
#include "proto/p_snmpmsg.h"

/* ---------------------------------------------------------------- table */

static const struct tb_udp_probe_info probes[TB_UDP_NPROTO] = {
	[TB_UDP_GENERIC] = { TB_UDP_GENERIC, "generic", "unknown", { 0 }, 0 },
	[TB_UDP_SNMP1] = { TB_UDP_SNMP1, "snmp-v1", "snmp", { 161, 0 }, 0 },
	[TB_UDP_SNMP2C] = { TB_UDP_SNMP2C, "snmp-v2c", "snmp", { 161, 0 }, 1 },
	[TB_UDP_SNMP3] = { TB_UDP_SNMP3, "snmp-v3", "snmp", { 161, 0 }, 0 },
	[TB_UDP_SSDP] = { TB_UDP_SSDP, "ssdp", "ssdp", { 1900, 0 }, 1 },
	[TB_UDP_MDNS] = { TB_UDP_MDNS, "mdns", "mdns", { 5353, 0 }, 1 },
	[TB_UDP_COAP] = { TB_UDP_COAP, "coap", "coap", { 5683, 0 }, 1 },
	[TB_UDP_NTP] = { TB_UDP_NTP, "ntp", "ntp", { 123, 0 }, 1 },
	[TB_UDP_DNS] = { TB_UDP_DNS, "dns", "dns", { 53, 0 }, 1 },
	[TB_UDP_TFTP] = { TB_UDP_TFTP, "tftp", "tftp", { 69, 0 }, 0 },
	[TB_UDP_WSD] = { TB_UDP_WSD, "ws-discovery", "wsd", { 3702, 0 }, 0 },
	[TB_UDP_NBNS] = { TB_UDP_NBNS, "nbns", "nbns", { 137, 0 }, 0 },
	[TB_UDP_LLMNR] = { TB_UDP_LLMNR, "llmnr", "llmnr", { 5355, 0 }, 0 },
	[TB_UDP_STUN] = { TB_UDP_STUN, "stun", "stun", { 3478, 0 }, 0 },
	[TB_UDP_QUIC] = { TB_UDP_QUIC, "quic", "quic", { 443, 0 }, 0 },
	[TB_UDP_MEMCACHED] = { TB_UDP_MEMCACHED, "memcached", "memcached", { 11211, 0 }, 1 },
};

const struct tb_udp_probe_info *tb_udp_probe_info(enum tb_udp_proto p)
{
	if ((unsigned)p >= TB_UDP_NPROTO)
		return NULL;
	return &probes[p];
}

/* ------------------------------------------------------- shared helpers */

size_t tb_udp_printable(char *dst, size_t cap, const uint8_t *src, size_t n)
{
	size_t o = 0;
	if (cap == 0)
		return 0;
	for (size_t i = 0; src && i < n; i++) {
		char esc[5];
		size_t k;
		if (src[i] == '\\') {
			esc[0] = esc[1] = '\\';
			k = 2;
		} else if (src[i] >= 0x20 && src[i] < 0x7f) {
			esc[0] = (char)src[i];
			k = 1;
		} else {
			snprintf(esc, sizeof esc, "\\x%02x", src[i]);
			k = 4;
		}
		if (o + k >= cap)
			break;
		memcpy(dst + o, esc, k);
		o += k;
	}
	dst[o] = '\0';
	return o;
}

int tb_udp_item_push(struct tb_udp_item *items, size_t max, size_t *nitems, int *truncated,
		     const char *key, const uint8_t *val, size_t vlen)
{
	if (*nitems >= max) {
		*truncated = 1;
		return 0;
	}
	struct tb_udp_item *it = &items[(*nitems)++];
	tb_udp_printable(it->key, sizeof it->key, (const uint8_t *)key, strlen(key));
	tb_udp_printable(it->value, sizeof it->value, val, vlen);
	return 1;
}

static int is_ws(uint8_t c)
{
	return c == ' ' || c == '\t';
}

/* Trim spaces and tabs (and a CR) from both ends of p[0..*n). */
static const uint8_t *trim(const uint8_t *p, size_t *n)
{
	while (*n && is_ws(p[0])) {
		p++;
		(*n)--;
	}
	while (*n && (is_ws(p[*n - 1]) || p[*n - 1] == '\r'))
		(*n)--;
	return p;
}

/* Next line of text[*pos..len) without its CR LF; 0 at the end. */
static int next_line(const uint8_t *text, size_t len, size_t *pos, const uint8_t **line, size_t *llen)
{
	if (*pos >= len)
		return 0;
	const uint8_t *s = text + *pos;
	const uint8_t *nl = memchr(s, '\n', len - *pos);
	size_t n = nl ? (size_t)(nl - s) : len - *pos;
	*pos += n + (nl ? 1 : 0);
	if (n && s[n - 1] == '\r')
		n--;
	*line = s;
	*llen = n;
	return 1;
}

int tb_udp_text_header(const uint8_t *msg, size_t len, const char *name, const uint8_t **val,
		       size_t *vlen)
{
	size_t pos = 0, n;
	const uint8_t *line;
	if (!msg || !next_line(msg, len, &pos, &line, &n)) /* status line */
		return 0;
	while (next_line(msg, len, &pos, &line, &n) && n > 0) {
		const uint8_t *colon = memchr(line, ':', n);
		if (!colon)
			continue;
		size_t klen = (size_t)(colon - line);
		const uint8_t *k = trim(line, &klen);
		if (!tb_ascii_eq_ci(k, klen, name))
			continue;
		size_t l = n - (size_t)(colon + 1 - line);
		*val = trim(colon + 1, &l);
		*vlen = l;
		return 1;
	}
	return 0;
}

static void add_item(struct tb_udp_ident *o, const char *key, const void *val, size_t vlen)
{
	tb_udp_item_push(o->items, TB_UDP_MAX_ITEMS, &o->nitems, &o->items_truncated, key,
			 (const uint8_t *)val, vlen);
}

static void add_item_str(struct tb_udp_ident *o, const char *key, const char *val)
{
	add_item(o, key, val, strlen(val));
}

static void set_product(struct tb_udp_ident *o, const uint8_t *p, size_t n)
{
	if (!o->product[0])
		tb_udp_printable(o->product, sizeof o->product, p, n);
}

/* -------------------------------------------------------------- writer */

struct wr {
	uint8_t *b;
	size_t cap, len;
	int bad;
	size_t open[8]; /* BER: content start of each open constructed value */
	int depth;
};

static void w_bytes(struct wr *w, const void *p, size_t n)
{
	if (w->bad || n > w->cap - w->len) {
		w->bad = 1;
		return;
	}
	memcpy(w->b + w->len, p, n);
	w->len += n;
}

static void w_u8(struct wr *w, uint8_t v)
{
	w_bytes(w, &v, 1);
}

static void w_be16(struct wr *w, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	w_bytes(w, b, 2);
}

static void w_be32(struct wr *w, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
	w_bytes(w, b, 4);
}

static void w_str(struct wr *w, const char *s)
{
	w_bytes(w, s, strlen(s));
}

static size_t w_done(struct wr *w)
{
	return w->bad || w->depth ? 0 : w->len;
}

/* BER: a constructed value is opened with room for a 3-byte length and
 * closed by writing the shortest length form and moving the content down. */
static void ber_open(struct wr *w, uint8_t tag)
{
	uint8_t hdr[4] = { tag, 0x82, 0, 0 };
	w_bytes(w, hdr, 4);
	if (w->depth >= (int)(sizeof w->open / sizeof w->open[0]))
		w->bad = 1;
	if (!w->bad)
		w->open[w->depth++] = w->len;
}

static void ber_close(struct wr *w)
{
	if (w->bad || w->depth == 0) {
		w->bad = 1;
		return;
	}
	size_t start = w->open[--w->depth];
	size_t clen = w->len - start;
	uint8_t *lenp = w->b + start - 3;
	size_t shift;
	if (clen < 0x80) {
		lenp[0] = (uint8_t)clen;
		shift = 2;
	} else if (clen < 0x100) {
		lenp[0] = 0x81;
		lenp[1] = (uint8_t)clen;
		shift = 1;
	} else if (clen < 0x10000) {
		lenp[1] = (uint8_t)(clen >> 8);
		lenp[2] = (uint8_t)clen;
		shift = 0;
	} else {
		w->bad = 1;
		return;
	}
	memmove(w->b + start - shift, w->b + start, clen);
	w->len -= shift;
}

/* Non-negative INTEGER in its shortest two's complement form. */
static void ber_uint(struct wr *w, uint8_t tag, uint32_t v)
{
	uint8_t b[5];
	size_t n = 0;
	for (int sh = 24; sh >= 0; sh -= 8)
		if (n || (v >> sh) & 0xff || sh == 0)
			b[n++] = (uint8_t)(v >> sh);
	w_u8(w, tag);
	if (b[0] & 0x80) {
		w_u8(w, (uint8_t)(n + 1));
		w_u8(w, 0);
	} else {
		w_u8(w, (uint8_t)n);
	}
	w_bytes(w, b, n);
}

static void ber_octets(struct wr *w, const void *p, size_t n)
{
	w_u8(w, 0x04);
	w_u8(w, (uint8_t)n); /* only short literals are written */
	w_bytes(w, p, n);
}

static void ber_oid(struct wr *w, const uint32_t *arc, size_t n)
{
	uint8_t b[64];
	size_t k = 0;
	for (size_t i = 1; i < n; i++) {
		uint32_t v = i == 1 ? arc[0] * 40 + arc[1] : arc[i];
		uint8_t tmp[5];
		size_t t = 0;
		do {
			tmp[t++] = v & 0x7f;
			v >>= 7;
		} while (v);
		while (t) {
			t--;
			b[k++] = (uint8_t)(tmp[t] | (t ? 0x80 : 0));
		}
	}
	w_u8(w, 0x06);
	w_u8(w, (uint8_t)k);
	w_bytes(w, b, k);
}

/* -------------------------------------------------------------- builders */

static const uint32_t oid_sysdescr[] = { 1, 3, 6, 1, 2, 1, 1, 1, 0 };
static const uint32_t oid_sysname[] = { 1, 3, 6, 1, 2, 1, 1, 5, 0 };
static const uint32_t oid_system[] = { 1, 3, 6, 1, 2, 1, 1 };
static const uint32_t oid_interfaces[] = { 1, 3, 6, 1, 2, 1, 2 };
#define NARC(a) (sizeof(a) / sizeof((a)[0]))

/* SNMP request ids are signed 32-bit INTEGERs: the top bit of txid is dropped. */
static uint32_t snmp_reqid(uint32_t txid)
{
	return txid & 0x7fffffff;
}

/* Max-repetitions of the amplification GetBulk (the reply is about this
 * many varbinds per requested subtree). */
#define SNMP_BULK_REPS 50

static void snmp_varbind_null(struct wr *w, const uint32_t *arc, size_t n)
{
	ber_open(w, 0x30);
	ber_oid(w, arc, n);
	w_u8(w, 0x05);
	w_u8(w, 0x00);
	ber_close(w);
}

static void build_snmp_community(struct wr *w, int version, int bulk, uint32_t txid)
{
	ber_open(w, 0x30);
	ber_uint(w, 0x02, (uint32_t)version);
	ber_octets(w, "public", 6);
	ber_open(w, bulk ? 0xa5 : 0xa0);
	ber_uint(w, 0x02, snmp_reqid(txid));
	ber_uint(w, 0x02, 0);                         /* error-status / non-repeaters */
	ber_uint(w, 0x02, bulk ? SNMP_BULK_REPS : 0); /* error-index / max-repetitions */
	ber_open(w, 0x30);
	if (bulk) {
		snmp_varbind_null(w, oid_system, NARC(oid_system));
		snmp_varbind_null(w, oid_interfaces, NARC(oid_interfaces));
	} else {
		snmp_varbind_null(w, oid_sysdescr, NARC(oid_sysdescr));
		if (version == 1)
			snmp_varbind_null(w, oid_sysname, NARC(oid_sysname));
	}
	ber_close(w);
	ber_close(w);
	ber_close(w);
}

/* RFC 3414 4: discovery is a noAuthNoPriv, reportable request with an
 * empty engine id and user; the agent answers with a Report that carries
 * its snmpEngineID. */
static void build_snmp3(struct wr *w, uint32_t txid)
{
	ber_open(w, 0x30);
	ber_uint(w, 0x02, 3);
	ber_open(w, 0x30); /* msgGlobalData */
	ber_uint(w, 0x02, snmp_reqid(txid));
	ber_uint(w, 0x02, 65507);
	ber_octets(w, "\x04", 1); /* reportable, noAuthNoPriv */
	ber_uint(w, 0x02, 3);     /* USM */
	ber_close(w);
	ber_open(w, 0x04); /* msgSecurityParameters */
	ber_open(w, 0x30);
	ber_octets(w, "", 0);
	ber_uint(w, 0x02, 0);
	ber_uint(w, 0x02, 0);
	ber_octets(w, "", 0);
	ber_octets(w, "", 0);
	ber_octets(w, "", 0);
	ber_close(w);
	ber_close(w);
	ber_open(w, 0x30); /* ScopedPDU */
	ber_octets(w, "", 0);
	ber_octets(w, "", 0);
	ber_open(w, 0xa0);
	ber_uint(w, 0x02, snmp_reqid(txid));
	ber_uint(w, 0x02, 0);
	ber_uint(w, 0x02, 0);
	ber_open(w, 0x30);
	ber_close(w);
	ber_close(w);
	ber_close(w);
	ber_close(w);
}

/* The HOST header names the device; refuse anything that is not an
 * address or host name, so no caller string can add header lines. */
static int dst_ok(const char *dst)
{
	size_t n = strlen(dst);
	if (n == 0 || n > 64)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = dst[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      c == '.' || c == ':' || c == '-' || c == '%'))
			return 0;
	}
	return 1;
}

static void build_ssdp(struct wr *w, int all, const char *dst)
{
	char host[96];
	if (dst && !dst_ok(dst)) {
		w->bad = 1;
		return;
	}
	if (!dst)
		snprintf(host, sizeof host, "239.255.255.250:1900");
	else if (strchr(dst, ':'))
		snprintf(host, sizeof host, "[%s]:1900", dst);
	else
		snprintf(host, sizeof host, "%s:1900", dst);
	w_str(w, "M-SEARCH * HTTP/1.1\r\nHOST: ");
	w_str(w, host);
	w_str(w, "\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\nST: ");
	w_str(w, all ? "ssdp:all" : "upnp:rootdevice");
	w_str(w, "\r\n\r\n");
}

/* A dotted name as DNS labels (literal names only; labels < 64). */
static void dns_qname(struct wr *w, const char *name)
{
	while (*name) {
		const char *dot = strchr(name, '.');
		size_t n = dot ? (size_t)(dot - name) : strlen(name);
		w_u8(w, (uint8_t)n);
		w_bytes(w, name, n);
		name += n + (dot ? 1 : 0);
	}
	w_u8(w, 0);
}

static void build_dns_query(struct wr *w, uint32_t txid, uint16_t flags, const char *name,
			    uint16_t type, int edns)
{
	w_be16(w, (uint16_t)txid);
	w_be16(w, flags);
	w_be16(w, 1);
	w_be16(w, 0);
	w_be16(w, 0);
	w_be16(w, edns ? 1 : 0);
	dns_qname(w, name);
	w_be16(w, type);
	w_be16(w, 1); /* IN */
	if (edns) {   /* OPT: root, type 41, UDP payload 4096, no options */
		static const uint8_t opt[] = { 0, 0, 41, 0x10, 0, 0, 0, 0, 0, 0, 0 };
		w_bytes(w, opt, sizeof opt);
	}
}

#define DNS_ANY 255
#define MDNS_SERVICES "_services._dns-sd._udp.local"

/* NetBIOS first-level encoding of "*" padded with NULs (RFC 1002 4.1). */
static void build_nbns(struct wr *w, uint32_t txid)
{
	w_be16(w, (uint16_t)txid);
	w_be16(w, 0);
	w_be16(w, 1);
	w_be16(w, 0);
	w_be16(w, 0);
	w_be16(w, 0);
	w_u8(w, 32);
	for (int i = 0; i < 16; i++) {
		uint8_t c = i == 0 ? '*' : 0;
		w_u8(w, (uint8_t)('A' + (c >> 4)));
		w_u8(w, (uint8_t)('A' + (c & 0xf)));
	}
	w_u8(w, 0);
	w_be16(w, 0x21); /* NBSTAT */
	w_be16(w, 1);
}

/* CoAP token: the txid, 4 bytes. */
static void build_coap(struct wr *w, uint32_t txid, int amplify)
{
	/* ver 1, CON (identify) or NON (what a reflection attack sends), TKL 4 */
	w_u8(w, amplify ? 0x54 : 0x44);
	w_u8(w, 0x01); /* GET */
	w_be16(w, (uint16_t)txid);
	w_be32(w, txid);
	w_u8(w, 0xbb); /* Uri-Path (11), 11 bytes */
	w_str(w, ".well-known");
	w_u8(w, 0x04); /* Uri-Path, 4 bytes */
	w_str(w, "core");
	if (amplify) {
		w_u8(w, 0x61); /* Block2 (23 = 11 + 12), 1 byte: block 0, szx 6 (1024 bytes) */
		w_u8(w, 0x06);
	}
}

/* The client's transmit timestamp, echoed as the server's origin. */
static void ntp_stamp(uint32_t txid, uint8_t out[8])
{
	static const uint8_t tail[4] = { 'T', 'B', 'p', 'b' };
	out[0] = (uint8_t)(txid >> 24);
	out[1] = (uint8_t)(txid >> 16);
	out[2] = (uint8_t)(txid >> 8);
	out[3] = (uint8_t)txid;
	memcpy(out + 4, tail, 4);
}

static void build_ntp(struct wr *w, uint32_t txid, int amplify)
{
	if (amplify) { /* mode 6 READVAR, association 0: the system variables */
		w_u8(w, 0x16);
		w_u8(w, 0x02);
		w_be16(w, (uint16_t)txid);
		w_be32(w, 0); /* status, association id */
		w_be32(w, 0); /* offset, count */
		return;
	}
	uint8_t pkt[48] = { 0x23 }; /* LI 0, version 4, mode 3 (client) */
	ntp_stamp(txid, pkt + 40);
	w_bytes(w, pkt, sizeof pkt);
}

static void build_tftp(struct wr *w, uint32_t txid)
{
	char name[48];
	snprintf(name, sizeof name, "trustbench-probe-%08x.absent", (unsigned)txid);
	w_be16(w, 1); /* RRQ */
	w_bytes(w, name, strlen(name) + 1);
	w_bytes(w, "octet", 6);
}

static void wsd_uuid(uint32_t txid, char out[40])
{
	snprintf(out, 40, "%08x-7472-4275-8000-737462656e63", (unsigned)txid);
}

static void build_wsd(struct wr *w, uint32_t txid)
{
	char uuid[40];
	wsd_uuid(txid, uuid);
	w_str(w,
	      "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
	      "<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\""
	      " xmlns:wsa=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\""
	      " xmlns:wsd=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\">"
	      "<soap:Header><wsa:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</wsa:To>"
	      "<wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</wsa:Action>"
	      "<wsa:MessageID>urn:uuid:");
	w_str(w, uuid);
	w_str(w, "</wsa:MessageID></soap:Header><soap:Body><wsd:Probe/></soap:Body></soap:Envelope>");
}

#define STUN_MAGIC 0x2112a442u
static void stun_txn(uint32_t txid, uint8_t out[12])
{
	static const uint8_t tail[8] = { 't', 'r', 'u', 's', 't', 'b', 'n', 'c' };
	out[0] = (uint8_t)(txid >> 24);
	out[1] = (uint8_t)(txid >> 16);
	out[2] = (uint8_t)(txid >> 8);
	out[3] = (uint8_t)txid;
	memcpy(out + 4, tail, 8);
}

static void build_stun(struct wr *w, uint32_t txid)
{
	uint8_t t[12];
	stun_txn(txid, t);
	w_be16(w, 0x0001); /* Binding Request */
	w_be16(w, 0);
	w_be32(w, STUN_MAGIC);
	w_bytes(w, t, sizeof t);
}

/* QUIC: a version of the reserved form 0x?a?a?a?a (RFC 9000 15) forces a
 * Version Negotiation; the datagram is padded to 1200 bytes because a
 * server ignores shorter ones (RFC 9000 14.1). */
#define QUIC_GREASE 0x1a2a3a4au
#define QUIC_MIN 1200
static void quic_cids(uint32_t txid, uint8_t dcid[8], uint8_t scid[8])
{
	uint8_t t[4] = { (uint8_t)(txid >> 24), (uint8_t)(txid >> 16), (uint8_t)(txid >> 8),
			 (uint8_t)txid };
	memcpy(dcid, t, 4);
	memcpy(dcid + 4, "tbqd", 4);
	memcpy(scid, "tbqs", 4);
	memcpy(scid + 4, t, 4);
}

static void build_quic(struct wr *w, uint32_t txid)
{
	uint8_t d[8], s[8];
	quic_cids(txid, d, s);
	w_u8(w, 0xc0);
	w_be32(w, QUIC_GREASE);
	w_u8(w, 8);
	w_bytes(w, d, 8);
	w_u8(w, 8);
	w_bytes(w, s, 8);
	while (!w->bad && w->len < QUIC_MIN)
		w_u8(w, 0);
}

static void build_memcached(struct wr *w, uint32_t txid, int amplify)
{
	w_be16(w, (uint16_t)txid); /* request id */
	w_be16(w, 0);              /* sequence number */
	w_be16(w, 1);              /* datagrams in this message */
	w_be16(w, 0);
	w_str(w, amplify ? "stats\r\n" : "version\r\n");
}

size_t tb_udp_probe_build(enum tb_udp_proto p, enum tb_udp_variant v, uint32_t txid, const char *dst,
			  uint8_t *buf, size_t cap)
{
	struct wr w = { .b = buf, .cap = buf ? cap : 0 };
	int amp = v == TB_UDP_AMPLIFY;
	if ((unsigned)p >= TB_UDP_NPROTO || !buf)
		return 0;
	switch (p) {
	case TB_UDP_GENERIC: w_str(&w, "\r\n\r\n"); break;
	case TB_UDP_SNMP1: build_snmp_community(&w, 0, 0, txid); break;
	case TB_UDP_SNMP2C: build_snmp_community(&w, 1, amp, txid); break;
	case TB_UDP_SNMP3: build_snmp3(&w, txid); break;
	case TB_UDP_SSDP: build_ssdp(&w, amp, dst); break;
	case TB_UDP_MDNS: build_dns_query(&w, txid, 0, MDNS_SERVICES, amp ? DNS_ANY : 12, 0); break;
	case TB_UDP_COAP: build_coap(&w, txid, amp); break;
	case TB_UDP_NTP: build_ntp(&w, txid, amp); break;
	case TB_UDP_DNS:
		if (amp)
			build_dns_query(&w, txid, 0x0100, "", DNS_ANY, 1);
		else
			build_dns_query(&w, txid, 0x0100, "trustbench-probe.invalid", 1, 0);
		break;
	case TB_UDP_TFTP: build_tftp(&w, txid); break;
	case TB_UDP_WSD: build_wsd(&w, txid); break;
	case TB_UDP_NBNS: build_nbns(&w, txid); break;
	case TB_UDP_LLMNR: build_dns_query(&w, txid, 0, "wpad", 1, 0); break;
	case TB_UDP_STUN: build_stun(&w, txid); break;
	case TB_UDP_QUIC: build_quic(&w, txid); break;
	case TB_UDP_MEMCACHED: build_memcached(&w, txid, amp); break;
	default: return 0;
	}
	return w_done(&w);
}

/* ----------------------------------------------------------------- BER */

/* One TLV: single-byte tags, definite lengths of at most 4 bytes, checked
 * against the bytes that are really there. */
static int ber_next(struct tb_rd *r, uint8_t *tag, struct tb_rd *val)
{
	*tag = tb_rd_u8(r);
	uint8_t l = tb_rd_u8(r);
	size_t len = l;
	if (r->trunc || (*tag & 0x1f) == 0x1f || l == 0x80 || l > 0x84)
		return 0;
	if (l & 0x80) {
		len = 0;
		for (int i = 0; i < (l & 0x7f); i++)
			len = len << 8 | tb_rd_u8(r);
	}
	tb_rd_sub(r, len, val);
	return !r->trunc && !val->trunc;
}

static int ber_expect(struct tb_rd *r, uint8_t want, struct tb_rd *val)
{
	uint8_t tag;
	return ber_next(r, &tag, val) && tag == want;
}

/* Signed INTEGER of 1..8 bytes. */
static int ber_int_value(struct tb_rd *v, long long *out)
{
	size_t n = tb_rd_left(v);
	if (n == 0 || n > 8)
		return 0;
	unsigned long long x = (v->p[v->off] & 0x80) ? ~0ULL : 0;
	for (size_t i = 0; i < n; i++)
		x = x << 8 | v->p[v->off + i];
	*out = (long long)x;
	return 1;
}

static int ber_get_int(struct tb_rd *r, long long *out)
{
	struct tb_rd v;
	return ber_expect(r, 0x02, &v) && ber_int_value(&v, out);
}

/* Unsigned application types (Counter32, Gauge32, TimeTicks, Counter64):
 * up to 8 value bytes after an optional leading zero. */
static int ber_uint_value(const uint8_t *p, size_t n, unsigned long long *out)
{
	if (n > 0 && p[0] == 0) {
		p++;
		n--;
	}
	if (n > 8)
		return 0;
	unsigned long long x = 0;
	for (size_t i = 0; i < n; i++)
		x = x << 8 | p[i];
	*out = x;
	return 1;
}

/* Dotted text of an OBJECT IDENTIFIER; 0 when malformed. */
static int oid_text(const uint8_t *p, size_t n, char *out, size_t cap)
{
	size_t o = 0;
	unsigned long long v = 0;
	int first = 1, bytes = 0;
	if (n == 0 || cap == 0)
		return 0;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (bytes == 0 && p[i] == 0x80)
			return 0; /* non-minimal sub-identifier */
		v = v << 7 | (p[i] & 0x7f);
		if (++bytes > 5 || v > 0xffffffffULL)
			return 0;
		if (p[i] & 0x80)
			continue;
		int k;
		if (first) {
			unsigned a = v < 40 ? 0 : v < 80 ? 1 : 2;
			k = snprintf(out + o, cap - o, "%u.%llu", a, v - 40ULL * a);
			first = 0;
		} else {
			k = snprintf(out + o, cap - o, ".%llu", v);
		}
		if (k < 0 || (size_t)k >= cap - o)
			return 0;
		o += (size_t)k;
		v = 0;
		bytes = 0;
	}
	return bytes == 0; /* the last sub-identifier must be complete */
}

/* ---------------------------------------------------------------- SNMP */

struct oid_name {
	const char *oid, *name;
	int prefix; /* 1: oid is a prefix, the rest is appended as an index */
};

static const struct oid_name oid_names[] = {
	{ "1.3.6.1.2.1.1.1.0", "sysDescr", 0 },
	{ "1.3.6.1.2.1.1.2.0", "sysObjectID", 0 },
	{ "1.3.6.1.2.1.1.3.0", "sysUpTime", 0 },
	{ "1.3.6.1.2.1.1.4.0", "sysContact", 0 },
	{ "1.3.6.1.2.1.1.5.0", "sysName", 0 },
	{ "1.3.6.1.2.1.1.6.0", "sysLocation", 0 },
	{ "1.3.6.1.2.1.1.7.0", "sysServices", 0 },
	{ "1.3.6.1.2.1.2.1.0", "ifNumber", 0 },
	{ "1.3.6.1.2.1.2.2.1.2.", "ifDescr.", 1 },
	{ "1.3.6.1.2.1.2.2.1.6.", "ifPhysAddress.", 1 },
	{ "1.3.6.1.6.3.15.1.1.1.0", "usmStatsUnsupportedSecLevels", 0 },
	{ "1.3.6.1.6.3.15.1.1.2.0", "usmStatsNotInTimeWindows", 0 },
	{ "1.3.6.1.6.3.15.1.1.3.0", "usmStatsUnknownUserNames", 0 },
	{ "1.3.6.1.6.3.15.1.1.4.0", "usmStatsUnknownEngineIDs", 0 },
	{ "1.3.6.1.6.3.15.1.1.5.0", "usmStatsWrongDigests", 0 },
	{ "1.3.6.1.6.3.15.1.1.6.0", "usmStatsDecryptionErrors", 0 },
};

/* The item key of a varbind: a MIB name where known, else the OID text;
 * 0 when the key would not fit (the caller puts the OID in the value). */
static int oid_key(const char *oid, char *key, size_t cap)
{
	for (size_t i = 0; i < sizeof oid_names / sizeof oid_names[0]; i++) {
		const struct oid_name *m = &oid_names[i];
		size_t n = strlen(m->oid);
		if (m->prefix ? strncmp(oid, m->oid, n) == 0 && oid[n] : strcmp(oid, m->oid) == 0) {
			int k = snprintf(key, cap, "%s%s", m->name, m->prefix ? oid + n : "");
			return k > 0 && (size_t)k < cap;
		}
	}
	if (strlen(oid) >= cap)
		return 0;
	snprintf(key, cap, "%s", oid);
	return 1;
}

static int mostly_text(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\r' || p[i] == '\n' || p[i] == '\t')
			continue;
		if (p[i] == 0 && i == n - 1)
			continue; /* a trailing NUL some agents send */
		if (p[i] < 0x20 || p[i] >= 0x7f)
			return 0;
	}
	return 1;
}

static void hex_colon(const uint8_t *p, size_t n, char *out, size_t cap)
{
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n && o + 4 <= cap; i++)
		o += (size_t)snprintf(out + o, cap - o, i ? ":%02x" : "%02x", p[i]);
}

static void hex_plain(const uint8_t *p, size_t n, char *out, size_t cap)
{
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n && o + 3 <= cap; i++)
		o += (size_t)snprintf(out + o, cap - o, "%02x", p[i]);
}

/* Text of a varbind value; 0 for NULL and the v2 exceptions (nothing to
 * disclose) and for malformed values. */
static int snmp_value_text(uint8_t tag, const uint8_t *p, size_t n, char *out, size_t cap)
{
	struct tb_rd v;
	long long i;
	unsigned long long u;
	tb_rd_init(&v, p, n);
	switch (tag) {
	case 0x02:
		if (!ber_int_value(&v, &i))
			return 0;
		snprintf(out, cap, "%lld", i);
		return 1;
	case 0x04:
		if (mostly_text(p, n))
			tb_udp_printable(out, cap, p, n && p[n - 1] == 0 ? n - 1 : n);
		else
			hex_colon(p, n, out, cap);
		return 1;
	case 0x06: return oid_text(p, n, out, cap);
	case 0x40:
		if (n != 4)
			return 0;
		snprintf(out, cap, "%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
		return 1;
	case 0x41:
	case 0x42:
	case 0x43:
	case 0x46:
		if (!ber_uint_value(p, n, &u))
			return 0;
		snprintf(out, cap, "%llu", u);
		return 1;
	default: return 0;
	}
}

/* Every varbind of the list becomes an item; 0 when the list is malformed. */
static int snmp_varbinds(struct tb_rd *list, struct tb_udp_ident *o)
{
	while (tb_rd_left(list) > 0) {
		struct tb_rd vb, oidv, val;
		uint8_t vtag;
		char oid[128], key[TB_UDP_ITEM_KEY] = "", text[TB_UDP_ITEM_VAL];
		if (!ber_expect(list, 0x30, &vb) || !ber_expect(&vb, 0x06, &oidv) ||
		    !ber_next(&vb, &vtag, &val))
			return 0;
		if (!oid_text(oidv.p + oidv.off, tb_rd_left(&oidv), oid, sizeof oid))
			return 0;
		if (!snmp_value_text(vtag, val.p + val.off, tb_rd_left(&val), text, sizeof text))
			continue;
		if (oid_key(oid, key, sizeof key)) {
			add_item_str(o, key, text);
		} else {
			char both[TB_UDP_ITEM_VAL];
			snprintf(both, sizeof both, "%s = %s", oid, text);
			add_item_str(o, "varbind", both);
		}
		if (strcmp(key, "sysDescr") == 0 && !o->product[0])
			snprintf(o->product, sizeof o->product, "%s", text);
	}
	return 1;
}

/* The PDU of a reply: a Response (0xa2) or Report (0xa8), never a request
 * (a UDP echo service sends our own GetRequest back). */
static int snmp_pdu(struct tb_rd *r, int check_id, uint32_t txid, struct tb_udp_ident *o,
		    int *is_report)
{
	uint8_t tag;
	struct tb_rd pdu, list;
	long long reqid, err, idx;
	if (!ber_next(r, &tag, &pdu) || (tag != 0xa2 && tag != 0xa8))
		return 0;
	if (!ber_get_int(&pdu, &reqid) || !ber_get_int(&pdu, &err) || !ber_get_int(&pdu, &idx) ||
	    !ber_expect(&pdu, 0x30, &list))
		return 0;
	if (check_id && reqid != (long long)snmp_reqid(txid))
		return 0;
	*is_report = tag == 0xa8;
	if (err != 0) {
		add_item_str(o, "error-status", tb_snmp_error_name(err));
		if (err == 6 || err == 16) /* noAccess, authorizationError */
			o->needs_auth = 1;
	}
	return snmp_varbinds(&list, o);
}

/* An snmpEngineID (RFC 3411): hex, and the enterprise and MAC address when
 * the engine id is in the enterprise/MAC format. */
static void snmp_engine_items(const uint8_t *p, size_t n, struct tb_udp_ident *o)
{
	char text[TB_UDP_ITEM_VAL];
	hex_plain(p, n, text, sizeof text);
	add_item_str(o, "engineID", text);
	if (n >= 5 && (p[0] & 0x80)) {
		uint32_t ent = ((uint32_t)(p[0] & 0x7f) << 24) | (uint32_t)p[1] << 16 |
			       (uint32_t)p[2] << 8 | p[3];
		snprintf(text, sizeof text, "%u", (unsigned)ent);
		add_item_str(o, "engineEnterprise", text);
		if (p[4] == 3 && n == 11) {
			hex_colon(p + 5, 6, text, sizeof text);
			add_item_str(o, "engineMAC", text);
		}
	}
}

static int snmp_v3(struct tb_rd *msg, int check_id, uint32_t txid, struct tb_udp_ident *o)
{
	struct tb_rd gd, flags, secp, usm, eng, scoped, tmp;
	long long msgid, maxsize, model, boots, etime;
	uint8_t tag;
	if (!ber_expect(msg, 0x30, &gd) || !ber_get_int(&gd, &msgid) || !ber_get_int(&gd, &maxsize) ||
	    !ber_expect(&gd, 0x04, &flags) || !ber_get_int(&gd, &model))
		return 0;
	if (check_id && msgid != (long long)snmp_reqid(txid))
		return 0;
	if (!ber_expect(msg, 0x04, &secp) || !ber_next(msg, &tag, &scoped))
		return 0;
	if (model == 3) {
		if (!ber_expect(&secp, 0x30, &usm) || !ber_expect(&usm, 0x04, &eng) ||
		    !ber_get_int(&usm, &boots) || !ber_get_int(&usm, &etime) ||
		    !ber_expect(&usm, 0x04, &tmp))
			return 0;
		snmp_engine_items(eng.p + eng.off, tb_rd_left(&eng), o);
		char num[32];
		snprintf(num, sizeof num, "%lld", boots);
		add_item_str(o, "engineBoots", num);
		snprintf(num, sizeof num, "%lld", etime);
		add_item_str(o, "engineTime", num);
	}
	if (tag == 0x04) { /* encrypted ScopedPDU: an answer we cannot read */
		o->needs_auth = 1;
		return 1;
	}
	int report = 0;
	if (tag != 0x30 || !ber_expect(&scoped, 0x04, &tmp) || !ber_expect(&scoped, 0x04, &tmp) ||
	    !snmp_pdu(&scoped, 0, txid, o, &report))
		return 0;
	if (report) /* usmStats*: the agent wants a known engine and user first */
		o->needs_auth = 1;
	return 1;
}

static int id_snmp(uint32_t txid, int check_id, const uint8_t *p, size_t n, struct tb_udp_ident *o)
{
	struct tb_rd r, msg, comm;
	long long version;
	tb_rd_init(&r, p, n);
	if (!ber_expect(&r, 0x30, &msg) || !ber_get_int(&msg, &version))
		return 0;
	if (version == 3) {
		o->snmp_version = 3;
		return snmp_v3(&msg, check_id, txid, o);
	}
	if (version != 0 && version != 1)
		return 0;
	o->snmp_version = (int)version;
	int report = 0;
	if (!ber_expect(&msg, 0x04, &comm))
		return 0;
	return snmp_pdu(&msg, check_id, txid, o, &report);
}

/* ------------------------------------------------------------ DNS family */

#define DNS_HOPS 16

/* Read the name at off into out (dotted, printable); *next is the offset
 * after it in the record.  0 when malformed: a bad label type, a name
 * longer than 255 bytes, more than DNS_HOPS pointers, or past the end. */
static int dns_name(const uint8_t *m, size_t len, size_t off, char *out, size_t cap, size_t *next)
{
	size_t o = 0, wire = 0;
	int hops = 0, jumped = 0;
	out[0] = '\0';
	for (;;) {
		if (off >= len)
			return 0;
		uint8_t l = m[off];
		if ((l & 0xc0) == 0xc0) {
			if (off + 1 >= len || ++hops > DNS_HOPS)
				return 0;
			if (!jumped)
				*next = off + 2;
			jumped = 1;
			off = (size_t)(l & 0x3f) << 8 | m[off + 1];
			continue;
		}
		if (l & 0xc0)
			return 0;
		if (l == 0)
			break;
		if (l > len - off - 1 || (wire += (size_t)l + 1) > 255)
			return 0;
		if (o && o + 1 < cap)
			out[o++] = '.';
		o += tb_udp_printable(out + o, cap - o, m + off + 1, l);
		off += (size_t)l + 1;
	}
	if (!jumped)
		*next = off + 1;
	if (o == 0 && cap > 1)
		snprintf(out, cap, ".");
	return 1;
}

struct dns_hdr {
	uint16_t id, flags, qd, an, ns, ar;
};

/* The items a DNS-SD/DNS record discloses. */
static void dns_record_items(const uint8_t *m, size_t len, const char *owner, uint16_t type, size_t rd,
			     size_t rdlen, struct tb_udp_ident *o)
{
	char name[256], text[TB_UDP_ITEM_VAL];
	size_t next;
	const uint8_t *p = m + rd;
	switch (type) {
	case 1:
		if (rdlen == 4) {
			snprintf(text, sizeof text, "%s=%u.%u.%u.%u", owner, p[0], p[1], p[2], p[3]);
			add_item_str(o, "a", text);
		}
		break;
	case 28:
		if (rdlen == 16) {
			char hex[40];
			hex_plain(p, 16, hex, sizeof hex);
			snprintf(text, sizeof text, "%s=%s", owner, hex);
			add_item_str(o, "aaaa", text);
		}
		break;
	case 12:
		if (dns_name(m, len, rd, name, sizeof name, &next))
			add_item_str(o, "ptr", name);
		break;
	case 33:
		if (rdlen > 6 && dns_name(m, len, rd + 6, name, sizeof name, &next)) {
			snprintf(text, sizeof text, "%s:%u", name, (unsigned)(p[4] << 8 | p[5]));
			add_item_str(o, "srv", text);
		}
		break;
	case 16:
		for (size_t i = 0; i < rdlen;) {
			size_t sl = p[i];
			if (sl > rdlen - i - 1)
				break;
			if (sl)
				add_item(o, "txt", p + i + 1, sl);
			i += sl + 1;
		}
		break;
	case 13: add_item(o, "hinfo", p, rdlen); break;
	default: break;
	}
}

/* Parse a whole DNS response (header, questions, every counted record);
 * items from the records.  0 when anything is malformed or the message is
 * not a standard-query response. */
static int dns_response(const uint8_t *m, size_t len, struct dns_hdr *h, struct tb_udp_ident *o)
{
	struct tb_rd r;
	char name[256];
	size_t off;
	tb_rd_init(&r, m, len);
	h->id = tb_rd_be16(&r);
	h->flags = tb_rd_be16(&r);
	h->qd = tb_rd_be16(&r);
	h->an = tb_rd_be16(&r);
	h->ns = tb_rd_be16(&r);
	h->ar = tb_rd_be16(&r);
	if (r.trunc || !(h->flags & 0x8000) || ((h->flags >> 11) & 0xf) != 0)
		return 0;
	off = 12;
	for (unsigned i = 0; i < h->qd; i++) {
		if (!dns_name(m, len, off, name, sizeof name, &off) || len - off < 4)
			return 0;
		off += 4;
	}
	unsigned total = (unsigned)h->an + h->ns + h->ar;
	for (unsigned i = 0; i < total; i++) {
		if (!dns_name(m, len, off, name, sizeof name, &off) || len - off < 10)
			return 0;
		uint16_t type = (uint16_t)(m[off] << 8 | m[off + 1]);
		size_t rdlen = (size_t)(m[off + 8] << 8 | m[off + 9]);
		off += 10;
		if (rdlen > len - off)
			return 0;
		if (type != 41) /* OPT carries no disclosure */
			dns_record_items(m, len, name, type, off, rdlen, o);
		off += rdlen;
	}
	return 1;
}

static const char *rcode_name(unsigned rc)
{
	static const char *const names[] = { "NOERROR",  "FORMERR", "SERVFAIL",
					     "NXDOMAIN", "NOTIMP",  "REFUSED" };
	return rc < 6 ? names[rc] : "other";
}

static int id_dns(enum tb_udp_proto sent, uint32_t txid, int check_id, const uint8_t *p, size_t n,
		  struct tb_udp_ident *o)
{
	struct dns_hdr h;
	if (!dns_response(p, n, &h, o) || (check_id && h.id != (uint16_t)txid))
		return 0;
	if (sent == TB_UDP_DNS) {
		unsigned rc = h.flags & 0xf;
		add_item_str(o, "rcode", rcode_name(rc));
		if (h.flags & 0x0080)
			add_item_str(o, "recursion", "available");
		if (rc == 5)
			o->needs_auth = 1; /* REFUSED: answers, but not to us */
	}
	return 1;
}

/* NBSTAT reply (RFC 1002 4.2.18): the node's names and its MAC address. */
static int id_nbns(uint32_t txid, const uint8_t *m, size_t len, struct tb_udp_ident *o)
{
	struct tb_rd r;
	char name[256];
	size_t off = 12;
	tb_rd_init(&r, m, len);
	uint16_t id = tb_rd_be16(&r), flags = tb_rd_be16(&r), qd = tb_rd_be16(&r), an = tb_rd_be16(&r);
	if (r.trunc || id != (uint16_t)txid || !(flags & 0x8000) || ((flags >> 11) & 0xf) != 0 ||
	    an < 1)
		return 0;
	for (unsigned i = 0; i < qd; i++) {
		if (!dns_name(m, len, off, name, sizeof name, &off) || len - off < 4)
			return 0;
		off += 4;
	}
	if (!dns_name(m, len, off, name, sizeof name, &off) || len - off < 10)
		return 0;
	uint16_t type = (uint16_t)(m[off] << 8 | m[off + 1]);
	size_t rdlen = (size_t)(m[off + 8] << 8 | m[off + 9]);
	off += 10;
	if (type != 0x21 || rdlen > len - off || rdlen < 1)
		return 0;
	const uint8_t *rd = m + off;
	size_t count = rd[0];
	if (1 + count * 18 > rdlen)
		return 0;
	for (size_t i = 0; i < count; i++) {
		const uint8_t *e = rd + 1 + i * 18;
		size_t nl = 15;
		char text[64], nm[64];
		while (nl && e[nl - 1] == ' ')
			nl--;
		tb_udp_printable(nm, sizeof nm, e, nl);
		snprintf(text, sizeof text, "%s<%02x>%s", nm, e[15], (e[16] & 0x80) ? " group" : "");
		add_item_str(o, "name", text);
	}
	const uint8_t *mac = rd + 1 + count * 18;
	if (rdlen >= 1 + count * 18 + 6) {
		static const uint8_t zero[6];
		if (memcmp(mac, zero, 6) != 0) {
			char text[24];
			hex_colon(mac, 6, text, sizeof text);
			add_item_str(o, "mac", text);
		}
	}
	return 1;
}

/* ---------------------------------------------------------------- CoAP */

void tb_udp_coap_links(const uint8_t *p, size_t n, struct tb_udp_item *items, size_t max,
		       size_t *nitems, int *truncated)
{
	size_t i = 0;
	while (i < n) {
		const uint8_t *lt = memchr(p + i, '<', n - i);
		if (!lt)
			break;
		size_t s = (size_t)(lt - p) + 1;
		const uint8_t *gt = memchr(p + s, '>', n - s);
		if (!gt)
			break;
		tb_udp_item_push(items, max, nitems, truncated, "resource", p + s,
				 (size_t)(gt - (p + s)));
		i = (size_t)(gt - p) + 1;
		/* skip this link's attributes up to the next ',' outside quotes */
		int q = 0;
		while (i < n && (q || p[i] != ',')) {
			if (p[i] == '"')
				q = !q;
			i++;
		}
	}
}

/* Option delta or length nibble with its extension bytes (RFC 7252 3.1). */
static int coap_ext(struct tb_rd *r, unsigned nib, size_t *out)
{
	if (nib < 13)
		*out = nib;
	else if (nib == 13)
		*out = 13u + tb_rd_u8(r);
	else if (nib == 14)
		*out = 269u + tb_rd_be16(r);
	else
		return 0;
	return !r->trunc;
}

struct coap_msg {
	unsigned type, tkl, code;
	uint16_t mid;
	const uint8_t *token;
	const uint8_t *payload;
	size_t plen;
};

/* Options are walked for their framing only; 0 when malformed. */
static int coap_options(struct tb_rd *r, struct coap_msg *c)
{
	while (tb_rd_left(r) > 0) {
		uint8_t b = tb_rd_u8(r);
		size_t delta, olen;
		if (b == 0xff) {
			c->plen = tb_rd_left(r);
			tb_rd_bytes(r, c->plen, &c->payload);
			return c->plen > 0; /* a marker before nothing is a format error */
		}
		if (!coap_ext(r, b >> 4, &delta) || !coap_ext(r, b & 0xf, &olen))
			return 0;
		tb_rd_skip(r, olen);
		if (r->trunc)
			return 0;
	}
	return 1;
}

static int coap_parse(const uint8_t *p, size_t n, struct coap_msg *c)
{
	struct tb_rd r;
	memset(c, 0, sizeof *c);
	tb_rd_init(&r, p, n);
	uint8_t b0 = tb_rd_u8(&r);
	c->code = tb_rd_u8(&r);
	c->mid = tb_rd_be16(&r);
	c->type = (b0 >> 4) & 3;
	c->tkl = b0 & 0xf;
	if (r.trunc || (b0 >> 6) != 1 || c->tkl > 8)
		return 0;
	tb_rd_bytes(&r, c->tkl, &c->token);
	if (r.trunc)
		return 0;
	if (c->code == 0) /* Empty message: nothing may follow the header */
		return c->tkl == 0 && tb_rd_left(&r) == 0;
	return coap_options(&r, c);
}

static int id_coap(uint32_t txid, const uint8_t *p, size_t n, struct tb_udp_ident *o)
{
	struct coap_msg c;
	uint8_t tok[4] = { (uint8_t)(txid >> 24), (uint8_t)(txid >> 16), (uint8_t)(txid >> 8),
			   (uint8_t)txid };
	if (!coap_parse(p, n, &c))
		return 0;
	unsigned cls = c.code >> 5;
	if (c.code != 0 && cls != 2 && cls != 4 && cls != 5)
		return 0; /* a request (our own, echoed) or a reserved class */
	if (c.code == 0 && c.type < 2)
		return 0; /* an empty CON/NON is not an answer */
	if (c.type >= 2 && c.mid != (uint16_t)txid)
		return 0; /* ACK and RST carry our message id */
	if (c.code != 0 && (c.tkl != 4 || memcmp(c.token, tok, 4) != 0))
		return 0; /* a response carries our token */
	if (c.type == 3) {
		add_item_str(o, "reset", "RST");
		return 1;
	}
	if (c.code == 0)
		return 1; /* empty ACK: the response comes separately */
	char code[8];
	snprintf(code, sizeof code, "%u.%02u", cls, c.code & 0x1f);
	add_item_str(o, "code", code);
	if (c.code == 0x81 || c.code == 0x83) /* 4.01 Unauthorized, 4.03 Forbidden */
		o->needs_auth = 1;
	if (cls == 2 && c.payload)
		tb_udp_coap_links(c.payload, c.plen, o->items, TB_UDP_MAX_ITEMS, &o->nitems,
				  &o->items_truncated);
	return 1;
}

/* ----------------------------------------------------------------- SSDP */

static int http_status_line(const uint8_t *p, size_t n, int *status)
{
	if (n < 12 || memcmp(p, "HTTP/1.", 7) != 0 || p[7] < '0' || p[7] > '9' || p[8] != ' ')
		return 0;
	for (int i = 9; i < 12; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	*status = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
	return n == 12 || p[12] == ' ' || p[12] == '\r' || p[12] == '\n';
}

static int header_item(const uint8_t *p, size_t n, const char *lname, const char *key,
		       struct tb_udp_ident *o)
{
	const uint8_t *v;
	size_t vl;
	if (!tb_udp_text_header(p, n, lname, &v, &vl))
		return 0;
	add_item(o, key, v, vl);
	return 1;
}

/* An M-SEARCH response (UPnP Device Architecture 1.1, 1.3.3): HTTP/1.1 200
 * over UDP with the SSDP headers. */
static int id_ssdp(const uint8_t *p, size_t n, struct tb_udp_ident *o)
{
	int status;
	const uint8_t *v;
	size_t vl;
	if (!http_status_line(p, n, &status) || status != 200)
		return 0;
	if (!tb_udp_text_header(p, n, "st", &v, &vl) && !tb_udp_text_header(p, n, "usn", &v, &vl))
		return 0;
	if (tb_udp_text_header(p, n, "server", &v, &vl))
		set_product(o, v, vl);
	header_item(p, n, "server", "SERVER", o);
	header_item(p, n, "location", "LOCATION", o);
	header_item(p, n, "usn", "USN", o);
	header_item(p, n, "st", "ST", o);
	return 1;
}

/* ------------------------------------------------------------------ NTP */

/* "name=value" pairs of a mode 6 reply, comma separated, values may be
 * quoted; the ones that say what the server is become items. */
static void ntp_vars(const uint8_t *p, size_t n, struct tb_udp_ident *o)
{
	static const char *const keep[] = { "version", "processor", "system", "refid", "stratum" };
	size_t i = 0;
	while (i < n) {
		size_t s = i;
		int q = 0;
		while (i < n && (q || p[i] != ',')) {
			if (p[i] == '"')
				q = !q;
			i++;
		}
		size_t len = i - s;
		const uint8_t *f = p + s;
		i++;
		while (len && (f[0] == ' ' || f[0] == '\r' || f[0] == '\n')) {
			f++;
			len--;
		}
		const uint8_t *eq = memchr(f, '=', len);
		if (!eq)
			continue;
		size_t kl = (size_t)(eq - f), vl = len - kl - 1;
		const uint8_t *v = trim(eq + 1, &vl);
		while (vl && (v[vl - 1] == '\n' || v[vl - 1] == '\r'))
			vl--;
		if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
			v++;
			vl -= 2;
		}
		for (size_t k = 0; k < sizeof keep / sizeof keep[0]; k++) {
			if (!tb_ascii_eq_ci(f, kl, keep[k]))
				continue;
			add_item(o, keep[k], v, vl);
			if (k == 0) { /* "ntpd 4.2.8p15@1.3728-o ..." -> "ntpd 4.2.8p15" */
				size_t pl = 0, sp = 0;
				while (pl < vl && v[pl] != '@' && (v[pl] != ' ' || ++sp < 2))
					pl++;
				set_product(o, v, pl);
			}
		}
	}
}

static int id_ntp_control(uint32_t txid, const uint8_t *p, size_t n, struct tb_udp_ident *o)
{
	if (n < 12 || !(p[1] & 0x80) || (p[1] & 0x1f) != 2)
		return 0;
	uint16_t seq = (uint16_t)(p[2] << 8 | p[3]);
	size_t count = (size_t)(p[10] << 8 | p[11]);
	if (seq != (uint16_t)txid || count > n - 12)
		return 0;
	if (p[1] & 0x40) { /* error bit; the code is the status's high byte */
		char text[16];
		snprintf(text, sizeof text, "%u", p[4]);
		add_item_str(o, "error", text);
		if (p[4] == 1 || p[4] == 7) /* authentication failure, prohibited */
			o->needs_auth = 1;
		return 1;
	}
	ntp_vars(p + 12, count, o);
	return 1;
}

static int id_ntp(uint32_t txid, const uint8_t *p, size_t n, struct tb_udp_ident *o)
{
	if (n < 1)
		return 0;
	unsigned vn = (p[0] >> 3) & 7, mode = p[0] & 7;
	if (vn < 1 || vn > 4)
		return 0;
	if (mode == 6)
		return id_ntp_control(txid, p, n, o);
	uint8_t stamp[8];
	ntp_stamp(txid, stamp);
	if (mode != 4 || n < 48 || memcmp(p + 24, stamp, 8) != 0)
		return 0;
	char text[32];
	snprintf(text, sizeof text, "%u", p[1]);
	add_item_str(o, "stratum", text);
	if (p[1] <= 1) { /* a source name or a kiss code: four ASCII bytes */
		size_t k = 4;
		while (k && p[12 + k - 1] == 0)
			k--;
		add_item(o, "refid", p + 12, k);
		if (p[1] == 0 && (memcmp(p + 12, "DENY", 4) == 0 || memcmp(p + 12, "RSTR", 4) == 0))
			o->needs_auth = 1;
	} else { /* the upstream's IPv4 address (for an IPv6 upstream, a hash of it) */
		snprintf(text, sizeof text, "%u.%u.%u.%u", p[12], p[13], p[14], p[15]);
		add_item_str(o, "refid", text);
	}
	return 1;
}

/* ----------------------------------------------------------------- TFTP */

static int id_tftp(const uint8_t *p, size_t n, struct tb_udp_ident *o)
{
	if (n < 4 || p[0] != 0)
		return 0;
	if (p[1] == 5) { /* ERROR: code, NUL-terminated message */
		unsigned code = (unsigned)(p[2] << 8 | p[3]);
		const uint8_t *nul = memchr(p + 4, 0, n - 4);
		if (code > 8 || !nul)
			return 0;
		char msg[TB_UDP_ITEM_VAL], text[TB_UDP_ITEM_VAL];
		tb_udp_printable(msg, sizeof msg, p + 4, (size_t)(nul - (p + 4)));
		snprintf(text, sizeof text, "%u %s", code, msg);
		add_item_str(o, "error", text);
		return 1;
	}
	if (p[1] == 3 && p[2] == 0 && p[3] == 1 && n <= 4 + 512) { /* DATA block 1: the file exists */
		char text[32];
		snprintf(text, sizeof text, "%zu bytes", n - 4);
		add_item_str(o, "data", text);
		return 1;
	}
	if (p[1] == 6 && p[n - 1] == 0) { /* OACK */
		add_item_str(o, "oack", "options acknowledged");
		return 1;
	}
	return 0;
}

/* ------------------------------------------------------------------ WSD */

/* Content of the first element with local name lname (any prefix). */
static int xml_element(const uint8_t *p, size_t n, const char *lname, const uint8_t **val, size_t *vlen)
{
	size_t ln = strlen(lname);
	for (size_t i = 0; i + 1 < n; i++) {
		if (p[i] != '<' || p[i + 1] == '/')
			continue;
		size_t s = i + 1, e = s;
		while (e < n && p[e] != '>' && p[e] != ' ' && p[e] != '/' && p[e] != '\t' &&
		       p[e] != '\r' && p[e] != '\n')
			e++;
		const uint8_t *colon = memchr(p + s, ':', e - s);
		size_t ns = colon ? (size_t)(colon - p) + 1 : s;
		if (e - ns != ln || memcmp(p + ns, lname, ln) != 0)
			continue;
		const uint8_t *gt = memchr(p + e, '>', n - e);
		if (!gt || gt[-1] == '/')
			return 0;
		size_t cs = (size_t)(gt - p) + 1;
		const uint8_t *lt = memchr(p + cs, '<', n - cs);
		if (!lt)
			return 0;
		*vlen = (size_t)(lt - (p + cs));
		*val = trim(p + cs, vlen);
		return 1;
	}
	return 0;
}

static int id_wsd(uint32_t txid, const uint8_t *p, size_t n, struct tb_udp_ident *o)
{
	const uint8_t *v;
	size_t vl;
	char uuid[40];
	wsd_uuid(txid, uuid);
	if (!xml_element(p, n, "ProbeMatches", &v, &vl))
		return 0;
	if (!xml_element(p, n, "RelatesTo", &v, &vl) ||
	    !tb_mem_contains(v, vl, (const uint8_t *)uuid, strlen(uuid)))
		return 0;
	static const char *const keep[] = { "Types", "XAddrs", "Scopes" };
	for (size_t k = 0; k < 3; k++)
		if (xml_element(p, n, keep[k], &v, &vl))
			add_item(o, keep[k], v, vl);
	return 1;
}

/* ----------------------------------------------------------------- STUN */

static void stun_address(const uint8_t *v, size_t vl, int xored, const char *key,
			 struct tb_udp_ident *o)
{
	if (vl != 8 || v[1] != 1)
		return; /* IPv4 only: the lab's family */
	uint8_t a[4];
	unsigned port = (unsigned)(v[2] << 8 | v[3]);
	for (int i = 0; i < 4; i++)
		a[i] = (uint8_t)(v[4 + i] ^ (xored ? (STUN_MAGIC >> (24 - 8 * i)) & 0xff : 0));
	if (xored)
		port ^= STUN_MAGIC >> 16;
	char text[32];
	snprintf(text, sizeof text, "%u.%u.%u.%u:%u", a[0], a[1], a[2], a[3], port);
	add_item_str(o, key, text);
}

static int id_stun(uint32_t txid, const uint8_t *p, size_t n, struct tb_udp_ident *o)
{
	struct tb_rd r, attrs;
	uint8_t want[16] = { 0x21, 0x12, 0xa4, 0x42 };
	stun_txn(txid, want + 4);
	tb_rd_init(&r, p, n);
	uint16_t type = tb_rd_be16(&r), mlen = tb_rd_be16(&r);
	if (r.trunc || n < 20 || (type != 0x0101 && type != 0x0111) || (mlen & 3) ||
	    memcmp(p + 4, want, 16))
		return 0;
	tb_rd_skip(&r, 16);
	tb_rd_sub(&r, mlen, &attrs);
	if (attrs.trunc)
		return 0;
	while (tb_rd_left(&attrs) > 0) {
		uint16_t at = tb_rd_be16(&attrs), al = tb_rd_be16(&attrs);
		const uint8_t *v;
		tb_rd_bytes(&attrs, al, &v);
		tb_rd_skip(&attrs, (4 - (al & 3)) & 3);
		if (attrs.trunc)
			return 0;
		if (at == 0x8022) {
			add_item(o, "SOFTWARE", v, al);
			set_product(o, v, al);
		} else if (at == 0x0020) {
			stun_address(v, al, 1, "mapped", o);
		} else if (at == 0x802c || at == 0x802b) {
			stun_address(v, al, 0, at == 0x802c ? "other-address" : "response-origin", o);
		} else if (at == 0x0009 && al >= 4) {
			unsigned code = (v[2] & 7) * 100u + v[3];
			char text[TB_UDP_ITEM_VAL], reason[TB_UDP_ITEM_VAL];
			tb_udp_printable(reason, sizeof reason, v + 4, al - 4u);
			snprintf(text, sizeof text, "%u %s", code, reason);
			add_item_str(o, "error", text);
			if (code == 401)
				o->needs_auth = 1;
		}
	}
	return 1;
}

/* ----------------------------------------------------------------- QUIC */

static void quic_version_name(uint32_t v, char *out, size_t cap)
{
	if (v == 1)
		snprintf(out, cap, "v1");
	else if (v == 0x6b3343cf)
		snprintf(out, cap, "v2");
	else if ((v >> 8) == 0xff0000)
		snprintf(out, cap, "draft-%u", (unsigned)(v & 0xff));
	else
		snprintf(out, cap, "0x%08x", (unsigned)v);
}

/* Version Negotiation (RFC 9000 17.2.1): our connection ids swapped, then
 * the versions the server supports. */
static int id_quic(uint32_t txid, const uint8_t *p, size_t n, struct tb_udp_ident *o)
{
	struct tb_rd r;
	uint8_t d[8], s[8];
	const uint8_t *dcid, *scid;
	quic_cids(txid, d, s);
	tb_rd_init(&r, p, n);
	uint8_t b0 = tb_rd_u8(&r);
	uint32_t ver = tb_rd_be32(&r);
	uint8_t dl = tb_rd_u8(&r);
	tb_rd_bytes(&r, dl, &dcid);
	uint8_t sl = tb_rd_u8(&r);
	tb_rd_bytes(&r, sl, &scid);
	if (r.trunc || !(b0 & 0x80) || ver != 0 || dl != 8 || sl != 8 || memcmp(dcid, s, 8) ||
	    memcmp(scid, d, 8))
		return 0;
	size_t left = tb_rd_left(&r);
	if (left == 0 || left % 4)
		return 0;
	char list[128] = "";
	size_t ll = 0;
	while (tb_rd_left(&r) >= 4) {
		uint32_t v = tb_rd_be32(&r);
		char name[24];
		if ((v & 0x0f0f0f0f) == 0x0a0a0a0a)
			continue; /* greased */
		quic_version_name(v, name, sizeof name);
		add_item_str(o, "version", name);
		int k = snprintf(list + ll, sizeof list - ll, "%s%s", ll ? "," : "", name);
		if (k > 0 && (size_t)k < sizeof list - ll)
			ll += (size_t)k;
	}
	snprintf(o->product, sizeof o->product, "QUIC %s", list);
	return 1;
}

/* ------------------------------------------------------------ memcached */

static int text_only(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((p[i] < 0x20 || p[i] >= 0x7f) && p[i] != '\r' && p[i] != '\n')
			return 0;
	return n > 0;
}

static int starts(const uint8_t *p, size_t n, const char *lit)
{
	size_t l = strlen(lit);
	return n >= l && memcmp(p, lit, l) == 0;
}

static void memcached_lines(const uint8_t *p, size_t n, struct tb_udp_ident *o)
{
	static const char *const keep[] = { "version", "libevent", "pointer_size", "threads" };
	size_t pos = 0, ll;
	const uint8_t *line;
	while (next_line(p, n, &pos, &line, &ll)) {
		if (starts(line, ll, "VERSION ")) {
			char prod[96], v[64];
			tb_udp_printable(v, sizeof v, line + 8, ll - 8);
			snprintf(prod, sizeof prod, "memcached %s", v);
			set_product(o, (const uint8_t *)prod, strlen(prod));
			add_item(o, "version", line + 8, ll - 8);
			continue;
		}
		if (!starts(line, ll, "STAT "))
			continue;
		const uint8_t *name = line + 5, *sp = memchr(name, ' ', ll - 5);
		if (!sp)
			continue;
		size_t nl = (size_t)(sp - name), vl = ll - 5 - nl - 1;
		for (size_t k = 0; k < sizeof keep / sizeof keep[0]; k++) {
			if (!tb_ascii_eq_ci(name, nl, keep[k]))
				continue;
			add_item(o, keep[k], sp + 1, vl);
			if (k == 0) {
				char prod[96], v[64];
				tb_udp_printable(v, sizeof v, sp + 1, vl);
				snprintf(prod, sizeof prod, "memcached %s", v);
				set_product(o, (const uint8_t *)prod, strlen(prod));
			}
		}
	}
}

static int id_memcached(uint32_t txid, const uint8_t *p, size_t n, struct tb_udp_ident *o)
{
	if (n < 9)
		return 0;
	uint16_t id = (uint16_t)(p[0] << 8 | p[1]), seq = (uint16_t)(p[2] << 8 | p[3]);
	uint16_t total = (uint16_t)(p[4] << 8 | p[5]);
	const uint8_t *t = p + 8;
	size_t tl = n - 8;
	if (id != (uint16_t)txid || total == 0 || seq >= total || p[6] || p[7] || !text_only(t, tl))
		return 0;
	if (seq == 0 && !starts(t, tl, "VERSION ") && !starts(t, tl, "STAT ") &&
	    !starts(t, tl, "ERROR") && !starts(t, tl, "CLIENT_ERROR") &&
	    !starts(t, tl, "SERVER_ERROR") && !starts(t, tl, "END"))
		return 0;
	memcached_lines(t, tl, o);
	return 1;
}

/* -------------------------------------------------------------- generic */

static void ident_reset(struct tb_udp_ident *o)
{
	memset(o, 0, sizeof *o);
	o->protocol = "unknown";
	o->snmp_version = -1;
}

/* The generic probe has no id, so its reply is matched only when it parses
 * as a protocol on its own (no id to check), or repeats the probe (a UDP
 * echo service).  Anything else stays unmatched: the datagram still proves
 * the port open, and the sweep keeps its bytes; a guess here would outrank
 * a protocol probe's own answer (a CoAP 4.01, a DNS REFUSED). */
static int id_generic(const uint8_t *p, size_t n, struct tb_udp_ident *o)
{
	static const uint8_t probe[] = "\r\n\r\n";
	int status;
	if (id_snmp(0, 0, p, n, o)) {
		o->protocol = "snmp";
		return 1;
	}
	ident_reset(o);
	if (id_ssdp(p, n, o)) {
		o->protocol = "ssdp";
		return 1;
	}
	ident_reset(o);
	if (http_status_line(p, n, &status)) {
		o->protocol = "http";
		header_item(p, n, "server", "SERVER", o);
		return 1;
	}
	if (n == sizeof probe - 1 && memcmp(p, probe, n) == 0) {
		o->protocol = "echo";
		add_item_str(o, "echo", "the reply repeats the request");
		return 1;
	}
	return 0;
}

/* -------------------------------------------------------------- dispatch */

int tb_udp_identify(enum tb_udp_proto sent, uint32_t txid, const uint8_t *reply, size_t len,
		    struct tb_udp_ident *out)
{
	int ok = 0;
	ident_reset(out);
	if (!reply || len == 0 || (unsigned)sent >= TB_UDP_NPROTO)
		return 0;
	switch (sent) {
	case TB_UDP_GENERIC:
		if (!id_generic(reply, len, out)) {
			ident_reset(out);
			return 0;
		}
		return out->matched = 1;
	case TB_UDP_SNMP1:
	case TB_UDP_SNMP2C:
	case TB_UDP_SNMP3: ok = id_snmp(txid, 1, reply, len, out); break;
	case TB_UDP_SSDP: ok = id_ssdp(reply, len, out); break;
	case TB_UDP_MDNS:
	case TB_UDP_DNS:
	case TB_UDP_LLMNR: ok = id_dns(sent, txid, 1, reply, len, out); break;
	case TB_UDP_COAP: ok = id_coap(txid, reply, len, out); break;
	case TB_UDP_NTP: ok = id_ntp(txid, reply, len, out); break;
	case TB_UDP_TFTP: ok = id_tftp(reply, len, out); break;
	case TB_UDP_WSD: ok = id_wsd(txid, reply, len, out); break;
	case TB_UDP_NBNS: ok = id_nbns(txid, reply, len, out); break;
	case TB_UDP_STUN: ok = id_stun(txid, reply, len, out); break;
	case TB_UDP_QUIC: ok = id_quic(txid, reply, len, out); break;
	case TB_UDP_MEMCACHED: ok = id_memcached(txid, reply, len, out); break;
	default: break;
	}
	if (!ok) {
		ident_reset(out); /* nothing from a reply we could not read */
		return 0;
	}
	out->protocol = probes[sent].protocol;
	out->matched = 1;
	return 1;
}
