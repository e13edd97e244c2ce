/* p_svcid.c: TCP service identity from banners and probe replies (see p_svcid.h). */
#include "proto/p_svcid.h"

#include <stdio.h>
#include <string.h>

#include "base/rd.h"
#include "proto/p_ascii.h"
#include "proto/p_mqttclient.h"
#include "proto/p_sshkex.h"
#include "proto/p_telnet.h"
#include "proto/p_tls.h"

/* ---------------------------------------------------------------- probes */

const char *tb_svcid_probe_name(enum tb_svc_probe p)
{
	switch (p) {
	case TB_SVC_PASSIVE: return "passive";
	case TB_SVC_HTTP: return "http";
	case TB_SVC_TLS: return "tls";
	case TB_SVC_RTSP: return "rtsp";
	case TB_SVC_MQTT: return "mqtt";
	case TB_SVC_ADB: return "adb";
	case TB_SVC_COAP_TCP: return "coap-tcp";
	default: return "none";
	}
}

struct out {
	uint8_t *b;
	size_t cap, len;
	int bad;
};

static void put(struct out *o, const void *p, size_t n)
{
	if (o->bad || n > o->cap - o->len) {
		o->bad = 1;
		return;
	}
	memcpy(o->b + o->len, p, n);
	o->len += n;
}

static void put_str(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void put_be16(struct out *o, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	put(o, b, 2);
}

static void put_le32(struct out *o, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
	put(o, b, 4);
}

/* A host for a header line: an address or a DNS name, nothing that could
 * end the line. */
static int host_ok(const char *h)
{
	size_t n = strlen(h);
	if (n == 0 || n > 253)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = h[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      c == '.' || c == ':' || c == '-' || c == '%'))
			return 0;
	}
	return 1;
}

/* "host" or "[v6]" for a URL or Host header. */
static void host_text(const char *h, char *out, size_t cap)
{
	snprintf(out, cap, strchr(h, ':') ? "[%s]" : "%s", h);
}

static void build_http(struct out *o, const char *host)
{
	char h[300];
	put_str(o, "GET / HTTP/1.0\r\n");
	if (host) {
		host_text(host, h, sizeof h);
		put_str(o, "Host: ");
		put_str(o, h);
		put_str(o, "\r\n");
	}
	put_str(o, "User-Agent: trustbench/" TB_VERSION "\r\nAccept: */*\r\nConnection: close\r\n\r\n");
}

static void build_rtsp(struct out *o, const char *host)
{
	char h[300];
	put_str(o, "OPTIONS ");
	if (host) {
		host_text(host, h, sizeof h);
		put_str(o, "rtsp://");
		put_str(o, h);
		put_str(o, "/");
	} else {
		put_str(o, "*");
	}
	put_str(o, " RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: trustbench/" TB_VERSION "\r\n\r\n");
}

/* adb (system/core/adb/protocol.txt): a 24-byte little-endian header,
 * command, two arguments, payload length, payload byte sum, command ^ ~0. */
#define ADB_CNXN 0x4e584e43u
#define ADB_AUTH 0x48545541u
#define ADB_STLS 0x534c5453u
static void build_adb(struct out *o)
{
	static const uint8_t payload[] = "host::"; /* with its NUL */
	uint32_t sum = 0;
	for (size_t i = 0; i < sizeof payload; i++)
		sum += payload[i];
	put_le32(o, ADB_CNXN);
	put_le32(o, 0x01000001); /* protocol version */
	put_le32(o, 256 * 1024); /* max payload */
	put_le32(o, (uint32_t)sizeof payload);
	put_le32(o, sum);
	put_le32(o, ADB_CNXN ^ 0xffffffffu);
	put(o, payload, sizeof payload);
}

/* RFC 8323: the Capabilities and Settings Message (7.01) with
 * Max-Message-Size 1152, then at once (5.3 allows it) a GET of
 * /.well-known/core with token "tb", so one round trip names the
 * resources too. */
static void build_coap_tcp(struct out *o)
{
	static const uint8_t csm[] = { 0x30, 0xe1, 0x22, 0x04, 0x80 };
	static const uint8_t get[] = { 0xd2, 17 - 13, 0x01, 't', 'b', 0xbb, '.',  'w', 'e', 'l', 'l',
				       '-',  'k',     'n',  'o', 'w', 'n',  0x04, 'c', 'o', 'r', 'e' };
	put(o, csm, sizeof csm);
	put(o, get, sizeof get);
}

/* A ClientHello that any TLS 1.0-1.3 server answers: the hello only names
 * the service and what it chooses, no handshake follows, so the random is
 * a fixed pattern. */
static void tls_ext(struct out *o, uint16_t type, const uint8_t *body, size_t n)
{
	put_be16(o, type);
	put_be16(o, (uint16_t)n);
	put(o, body, n);
}

static int is_address(const char *h)
{
	for (; *h; h++)
		if (!((*h >= '0' && *h <= '9') || *h == '.' || *h == ':' || (*h >= 'a' && *h <= 'f') ||
		      (*h >= 'A' && *h <= 'F') || *h == '%'))
			return 0;
	return 1;
}

static void build_tls(struct out *o, const char *host)
{
	static const uint8_t suites[] = { 0x13, 0x01, 0x13, 0x02, 0x13, 0x03, 0xc0, 0x2b, 0xc0,
					  0x2f, 0xc0, 0x2c, 0xc0, 0x30, 0xcc, 0xa9, 0xcc, 0xa8,
					  0xc0, 0x09, 0xc0, 0x13, 0xc0, 0x0a, 0xc0, 0x14, 0x00,
					  0x9c, 0x00, 0x9d, 0x00, 0x2f, 0x00, 0x35, 0x00, 0x0a };
	static const uint8_t groups[] = { 0, 8, 0, 0x1d, 0, 0x17, 0, 0x18, 0, 0x19 };
	static const uint8_t points[] = { 1, 0 };
	static const uint8_t sigalgs[] = { 0, 16, 4, 3, 5, 3, 8, 4, 8, 5, 4, 1, 5, 1, 2, 1, 2, 3 };
	static const uint8_t versions[] = { 8, 3, 4, 3, 3, 3, 2, 3, 1 };
	static const uint8_t keyshare[] = { 0, 0 }; /* none: a 1.3 server asks (HelloRetryRequest) */
	uint8_t body[600];
	struct out b = { .b = body, .cap = sizeof body };
	struct out ext = { .b = body + 300, .cap = 300 };

	if (host && !is_address(host)) { /* SNI: host names only (RFC 6066 3) */
		uint8_t sni[270];
		size_t hl = strlen(host);
		sni[0] = (uint8_t)((hl + 3) >> 8);
		sni[1] = (uint8_t)(hl + 3);
		sni[2] = 0;
		sni[3] = (uint8_t)(hl >> 8);
		sni[4] = (uint8_t)hl;
		memcpy(sni + 5, host, hl);
		tls_ext(&ext, 0, sni, hl + 5);
	}
	tls_ext(&ext, 10, groups, sizeof groups);
	tls_ext(&ext, 11, points, sizeof points);
	tls_ext(&ext, 13, sigalgs, sizeof sigalgs);
	tls_ext(&ext, 43, versions, sizeof versions);
	tls_ext(&ext, 51, keyshare, sizeof keyshare);
	tls_ext(&ext, 0xff01, (const uint8_t *)"", 1); /* renegotiation_info, empty */

	put_be16(&b, 0x0303);
	for (int i = 0; i < 32; i++) {
		uint8_t r = (uint8_t)(0x74 + i * 7);
		put(&b, &r, 1);
	}
	put(&b, "\0", 1); /* no session id */
	put_be16(&b, sizeof suites);
	put(&b, suites, sizeof suites);
	put(&b, "\1\0", 2); /* compression: null */
	put_be16(&b, (uint16_t)ext.len);
	if (ext.bad || b.len + ext.len > 300) {
		o->bad = 1;
		return;
	}
	memmove(body + b.len, body + 300, ext.len);
	b.len += ext.len;

	uint8_t rec[5] = { 22, 3, 1, (uint8_t)((b.len + 4) >> 8), (uint8_t)(b.len + 4) };
	uint8_t hs[4] = { 1, 0, (uint8_t)(b.len >> 8), (uint8_t)b.len };
	put(o, rec, 5);
	put(o, hs, 4);
	put(o, body, b.len);
}

size_t tb_svcid_probe_build(enum tb_svc_probe p, const char *host, uint8_t *buf, size_t cap)
{
	struct out o = { .b = buf, .cap = buf ? cap : 0 };
	if (host && !host_ok(host))
		return 0;
	switch (p) {
	case TB_SVC_HTTP: build_http(&o, host); break;
	case TB_SVC_RTSP: build_rtsp(&o, host); break;
	case TB_SVC_TLS: build_tls(&o, host); break;
	case TB_SVC_MQTT:
		o.len = tb_mqtt_build_connect(buf, o.cap, "trustbench-svcid", 30, NULL, NULL);
		break;
	case TB_SVC_ADB: build_adb(&o); break;
	case TB_SVC_COAP_TCP: build_coap_tcp(&o); break;
	default: return 0;
	}
	return o.bad ? 0 : o.len;
}

/* The probe a port usually wants after its banner, TB_SVC_NONE if none. */
static enum tb_svc_probe port_probe(uint16_t port)
{
	switch (port) {
	case 554:
	case 8554: return TB_SVC_RTSP;
	case 1883: return TB_SVC_MQTT;
	case 5555: return TB_SVC_ADB;
	case 5683: return TB_SVC_COAP_TCP;
	case 443:
	case 465:
	case 636:
	case 993:
	case 995:
	case 5684:
	case 8443:
	case 8883: return TB_SVC_TLS;
	default: return TB_SVC_NONE;
	}
}

enum tb_svc_probe tb_svcid_next_probe(uint16_t port, unsigned tried, const struct tb_svcid *so_far)
{
	enum tb_svc_probe order[4] = { TB_SVC_PASSIVE, port_probe(port), TB_SVC_HTTP, TB_SVC_TLS };
	if (so_far && so_far->identified)
		return TB_SVC_NONE;
	for (size_t i = 0; i < 4; i++)
		if (order[i] != TB_SVC_NONE && !(tried & TB_SVC_PROBE_BIT(order[i])))
			return order[i];
	return TB_SVC_NONE;
}

/* ------------------------------------------------------------- helpers */

static void item(struct tb_svcid *o, const char *key, const void *v, size_t n)
{
	tb_udp_item_push(o->items, TB_UDP_MAX_ITEMS, &o->nitems, &o->items_truncated, key, v, n);
}

static void item_str(struct tb_svcid *o, const char *key, const char *v)
{
	item(o, key, v, strlen(v));
}

static void product(struct tb_svcid *o, const uint8_t *p, size_t n)
{
	if (!o->product[0])
		tb_udp_printable(o->product, sizeof o->product, p, n);
}

static void found(struct tb_svcid *o, const char *proto)
{
	o->protocol = proto;
	o->identified = 1;
}

static int starts(const uint8_t *p, size_t n, const char *lit)
{
	size_t l = strlen(lit);
	return n >= l && memcmp(p, lit, l) == 0;
}

/* Length of the first line of p (without CR LF). */
static size_t line_len(const uint8_t *p, size_t n)
{
	const uint8_t *nl = memchr(p, '\n', n);
	size_t l = nl ? (size_t)(nl - p) : n;
	return l && p[l - 1] == '\r' ? l - 1 : l;
}

/* Case-insensitive search; offset of lit in p or -1. */
static long find_ci(const uint8_t *p, size_t n, const char *lit)
{
	size_t l = strlen(lit);
	for (size_t i = 0; l && i + l <= n; i++)
		if (tb_ascii_eq_ci(p + i, l, lit))
			return (long)i;
	return -1;
}

/* The product a banner names: one of names (given lower case) with the
 * token after it when that token starts with a digit ("ProFTPD 1.3.8").
 * Returns 1 when one was found. */
static int named_product(const uint8_t *p, size_t n, const char *const *names, size_t nnames,
			 struct tb_svcid *o)
{
	for (size_t k = 0; k < nnames; k++) {
		long at = find_ci(p, n, names[k]);
		if (at < 0)
			continue;
		size_t s = (size_t)at, e = s + strlen(names[k]);
		if (e + 1 < n && (p[e] == ' ' || p[e] == '/' || p[e] == '_') && p[e + 1] >= '0' &&
		    p[e + 1] <= '9') {
			e++;
			while (e < n && p[e] != ' ' && p[e] != ')' && p[e] != ';' && p[e] != ',' &&
			       p[e] != ']' && p[e] != '\r' && p[e] != '\n')
				e++;
		}
		char text[128];
		tb_udp_printable(text, sizeof text, p + s, e - s);
		for (char *c = text; *c; c++) /* "dropbear_2022.83" style: a space */
			if (*c == '_')
				*c = ' ';
		product(o, (const uint8_t *)text, strlen(text));
		return 1;
	}
	return 0;
}

/* ------------------------------------------------------------- banners */

static int id_ssh(const uint8_t *p, size_t n, struct tb_svcid *o)
{
	struct tb_ssh_ident id;
	if (!starts(p, n, "SSH-") || tb_p_ssh_ident(p, n, &id) != TB_OK)
		return 0;
	found(o, "ssh");
	char text[128];
	size_t k = tb_udp_printable(text, sizeof text, id.software, id.software_len);
	char *us = memchr(text, '_', k); /* "OpenSSH_9.2p1" -> "OpenSSH 9.2p1" */
	if (us)
		*us = ' ';
	product(o, (const uint8_t *)text, strlen(text));
	const uint8_t *line = id.proto - 4; /* the "SSH-" the parser matched */
	item(o, "banner", line, line_len(line, n - (size_t)(line - p)));
	if (id.comments)
		item(o, "comments", id.comments, id.comments_len);
	return 1;
}

static const char *const ftp_products[] = {
	"vsftpd", "proftpd", "pure-ftpd", "filezilla server", "microsoft ftp service",
	"bftpd",  "wu-ftpd", "busybox"
};
static const char *const smtp_products[] = { "postfix",         "exim",  "sendmail", "opensmtpd",
					     "microsoft esmtp", "qmail", "busybox" };

/* Lines of a reply-code banner ("220-...", "220 ...") as items. */
static void banner_lines(const uint8_t *p, size_t n, struct tb_svcid *o)
{
	size_t pos = 0;
	for (int i = 0; i < 4 && pos < n; i++) {
		size_t l = line_len(p + pos, n - pos);
		if (l)
			item(o, "banner", p + pos, l);
		const uint8_t *nl = memchr(p + pos, '\n', n - pos);
		if (!nl)
			break;
		pos = (size_t)(nl - p) + 1;
	}
}

/* A 220 greeting: FTP (RFC 959) and SMTP (RFC 5321) share it; the text
 * or, failing that, the port tells them apart. */
static int id_220(uint16_t port, const uint8_t *p, size_t n, struct tb_svcid *o)
{
	if (n < 4 || !starts(p, n, "220") || (p[3] != ' ' && p[3] != '-'))
		return 0;
	size_t first = line_len(p, n);
	int smtp = find_ci(p, first, "smtp") >= 0;
	for (size_t k = 0; k < sizeof smtp_products / sizeof smtp_products[0] - 1; k++)
		smtp |= find_ci(p, first, smtp_products[k]) >= 0; /* not busybox: it serves ftp too */
	int ftp = find_ci(p, n, "ftp") >= 0;
	if (!smtp && !ftp) {
		smtp = port == 25 || port == 465 || port == 587;
		ftp = port == 21 || port == 2121;
	}
	if (smtp) {
		found(o, "smtp");
		named_product(p, first, smtp_products, sizeof smtp_products / sizeof smtp_products[0],
			      o);
	} else if (ftp) {
		found(o, "ftp");
		named_product(p, n, ftp_products, sizeof ftp_products / sizeof ftp_products[0], o);
	} else {
		return 0;
	}
	banner_lines(p, n, o);
	return 1;
}

/* Telnet: the server opens with option negotiation (IAC WILL/DO ...), or
 * with a plain login prompt. */
static int id_telnet(uint16_t port, const uint8_t *p, size_t n, struct tb_svcid *o)
{
	struct tb_telnet_state st;
	uint8_t text[512], reply[256];
	size_t tl = 0, rl = 0;
	int iac = n >= 3 && p[0] == 0xff && p[1] >= 0xfb && p[1] <= 0xfe;
	tb_p_telnet_init(&st);
	if (tb_p_telnet_filter(&st, p, n, text, sizeof text, &tl, reply, sizeof reply, &rl) != TB_OK &&
	    !iac)
		return 0;
	if (!iac) {
		enum tb_telnet_prompt pr = tb_p_telnet_prompt(text, tl);
		if ((pr != TB_TN_LOGIN && pr != TB_TN_PASSWORD) || (port != 23 && port != 2323))
			return 0;
	}
	found(o, "telnet");
	size_t s = 0;
	while (s < tl && (text[s] == '\r' || text[s] == '\n' || text[s] == ' '))
		s++;
	if (s < tl)
		banner_lines(text + s, tl - s, o);
	return 1;
}

static int id_mail_read(const uint8_t *p, size_t n, struct tb_svcid *o)
{
	static const char *const names[] = { "dovecot", "courier", "cyrus" };
	if (starts(p, n, "+OK"))
		found(o, "pop3");
	else if (starts(p, n, "* OK"))
		found(o, "imap");
	else
		return 0;
	named_product(p, line_len(p, n), names, 3, o);
	banner_lines(p, n, o);
	return 1;
}

static int id_vnc(const uint8_t *p, size_t n, struct tb_svcid *o)
{
	if (n < 12 || !starts(p, n, "RFB ") || p[7] != '.' || p[11] != '\n')
		return 0;
	found(o, "vnc");
	item(o, "banner", p, 11);
	return 1;
}

/* --------------------------------------------------------------- replies */

static int status_line(const uint8_t *p, size_t n, const char *proto, int *status)
{
	size_t l = strlen(proto);
	if (n < l + 4 || memcmp(p, proto, l) != 0 || p[l] != ' ')
		return 0;
	*status = 0;
	for (size_t i = l + 1; i < l + 4; i++) {
		if (p[i] < '0' || p[i] > '9')
			return 0;
		*status = *status * 10 + (p[i] - '0');
	}
	return n == l + 4 || p[l + 4] == ' ' || p[l + 4] == '\r' || p[l + 4] == '\n';
}

static void header_items(const uint8_t *p, size_t n, struct tb_svcid *o, const char *const *names,
			 size_t k)
{
	for (size_t i = 0; i < k; i++) {
		const uint8_t *v;
		size_t vl;
		if (tb_udp_text_header(p, n, names[i], &v, &vl))
			item(o, names[i], v, vl);
	}
}

/* HTTP/1.x or RTSP/1.0: status, Server (the product), and the headers
 * that say what runs behind it. */
static int id_http_like(const uint8_t *p, size_t n, struct tb_svcid *o)
{
	static const char *const names[] = { "server", "x-powered-by", "www-authenticate", "public" };
	int status;
	const uint8_t *v;
	size_t vl;
	if (status_line(p, n, "HTTP/1.0", &status) || status_line(p, n, "HTTP/1.1", &status))
		found(o, "http");
	else if (status_line(p, n, "RTSP/1.0", &status) || status_line(p, n, "RTSP/2.0", &status))
		found(o, "rtsp");
	else
		return 0;
	o->status = status;
	if (status == 401 || status == 407)
		o->needs_auth = 1;
	if (tb_udp_text_header(p, n, "server", &v, &vl)) {
		product(o, v, vl);
		if (o->protocol[0] == 'h' && tb_mem_contains(v, vl, (const uint8_t *)"UPnP/1.", 7))
			o->protocol = "upnp";
	}
	item(o, "status", p, line_len(p, n));
	header_items(p, n, o, names, o->protocol[0] == 'r' ? 4 : 3);
	return 1;
}

/* The random of a HelloRetryRequest: SHA-256 of "HelloRetryRequest". */
static const uint8_t hrr_random[32] = { 0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11,
					0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
					0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e,
					0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c };

/* ServerHello: version (supported_versions when present) and cipher. */
static int id_tls(const uint8_t *p, size_t n, struct tb_svcid *o)
{
	if (n >= 7 && p[0] == 21 && p[1] == 3 && p[2] <= 4 && p[3] == 0 && p[4] == 2 && p[5] <= 2) {
		char text[32];
		found(o, "tls");
		o->status = p[6];
		snprintf(text, sizeof text, "level %u description %u", p[5], p[6]);
		item_str(o, "tls-alert", text);
		return 1;
	}
	if (!tb_p_tls_looks_like(p, n) || n < 6 || p[5] != 2)
		return 0;
	struct tb_tls_hello h;
	enum tb_err e = tb_p_tls_hello(p, n, &h);
	if (e == TB_E_TRUNC) { /* a ServerHello cut by our read: TLS, details unknown */
		found(o, "tls");
		return 1;
	}
	if (e != TB_OK || h.type != 2 || h.nversions != 1)
		return 0;
	found(o, "tls");
	o->tls_version = h.versions[0];
	struct tb_rd r;
	tb_rd_init(&r, p, n);
	tb_rd_skip(&r, 5 + 4 + 2 + 32);
	tb_rd_skip(&r, tb_rd_u8(&r));
	o->tls_cipher = tb_rd_be16(&r);
	if (memcmp(p + 11, hrr_random, 32) == 0) /* RFC 8446 4.1.3: a 1.3 server wants a key share */
		item_str(o, "tls-note", "HelloRetryRequest");
	char v[8], text[40];
	tb_p_tls_version_name(o->tls_version, v);
	item_str(o, "tls-version", v);
	snprintf(text, sizeof text, "0x%04x", (unsigned)o->tls_cipher);
	item_str(o, "tls-cipher", text);
	return 1;
}

static int id_mqtt(const uint8_t *p, size_t n, struct tb_svcid *o)
{
	uint8_t type, flags;
	const uint8_t *body;
	size_t blen, used;
	if (tb_p_mqtt_packet(p, n, &type, &flags, &body, &blen, &used) != TB_OK || type != 2 ||
	    flags != 0 || blen < 2 || body[0] > 1)
		return 0;
	found(o, "mqtt");
	o->status = body[1];
	char text[40];
	snprintf(text, sizeof text, "return code %u", body[1]);
	item_str(o, "connack", text);
	/* 3.1.1: 4 bad user name or password, 5 not authorized; 5.0: 0x86, 0x87 */
	if (body[1] == 4 || body[1] == 5 || body[1] == 0x86 || body[1] == 0x87)
		o->needs_auth = 1;
	return 1;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* CNXN payload "device::key=value;key=value;...": every property an item. */
static void adb_props(const uint8_t *p, size_t n, struct tb_svcid *o)
{
	static const uint8_t sep[] = "::";
	size_t i = 0;
	while (i + 1 < n && memcmp(p + i, sep, 2) != 0)
		i++;
	item(o, "adb-banner", p, i);
	i += 2;
	while (i < n) {
		size_t s = i;
		while (i < n && p[i] != ';' && p[i] != 0)
			i++;
		const uint8_t *eq = memchr(p + s, '=', i - s);
		if (eq) {
			char key[TB_UDP_ITEM_KEY];
			tb_udp_printable(key, sizeof key, p + s, (size_t)(eq - (p + s)));
			item(o, key, eq + 1, i - (size_t)(eq + 1 - p));
			if (strcmp(key, "ro.product.model") == 0)
				product(o, eq + 1, i - (size_t)(eq + 1 - p));
		}
		if (i < n && p[i] == 0)
			break;
		i++;
	}
}

static int id_adb(const uint8_t *p, size_t n, struct tb_svcid *o)
{
	if (n < 24)
		return 0;
	uint32_t cmd = le32(p), len = le32(p + 12), magic = le32(p + 20);
	if (magic != (cmd ^ 0xffffffffu) || (cmd != ADB_CNXN && cmd != ADB_AUTH && cmd != ADB_STLS))
		return 0;
	found(o, "adb");
	if (cmd == ADB_AUTH) {
		o->needs_auth = 1; /* the device wants our RSA key accepted first */
		item_str(o, "adb", "AUTH");
	} else if (cmd == ADB_STLS) {
		item_str(o, "adb", "STLS");
	} else {
		adb_props(p + 24, len < n - 24 ? len : n - 24, o);
	}
	return 1;
}

/* One CoAP-over-TCP message (RFC 8323 3.2); 0 when malformed or cut. */
struct coap_tcp {
	uint8_t code;
	size_t tkl;
	const uint8_t *token;
	const uint8_t *opts; /* options and payload */
	size_t olen, used;
};

static int coap_tcp_msg(const uint8_t *p, size_t n, struct coap_tcp *m)
{
	struct tb_rd r;
	tb_rd_init(&r, p, n);
	uint8_t b0 = tb_rd_u8(&r);
	size_t len = b0 >> 4, tkl = b0 & 0xf;
	if (len == 13)
		len = 13u + tb_rd_u8(&r);
	else if (len == 14)
		len = 269u + tb_rd_be16(&r);
	else if (len == 15)
		len = 65805u + tb_rd_be32(&r);
	m->code = tb_rd_u8(&r);
	m->tkl = tkl;
	tb_rd_bytes(&r, tkl, &m->token);
	tb_rd_bytes(&r, len, &m->opts);
	if (r.trunc || tkl > 8)
		return 0;
	m->olen = len;
	m->used = r.off;
	return 1;
}

/* Payload of a CoAP message body (after the options), or NULL. */
static const uint8_t *coap_payload(const uint8_t *p, size_t n, size_t *plen)
{
	size_t i = 0;
	while (i < n) {
		uint8_t b = p[i++];
		if (b == 0xff) {
			*plen = n - i;
			return i < n ? p + i : NULL;
		}
		size_t ext[2] = { b >> 4, b & 0xf };
		for (int k = 0; k < 2; k++) {
			if (ext[k] == 13 && i < n)
				ext[k] = 13u + p[i++];
			else if (ext[k] == 14 && i + 1 < n) {
				ext[k] = 269u + (size_t)(p[i] << 8 | p[i + 1]);
				i += 2;
			} else if (ext[k] >= 13)
				return NULL;
		}
		if (ext[1] > n - i)
			return NULL;
		i += ext[1];
	}
	return NULL;
}

/* The responses among the messages of p[off..n): code, and the link-format
 * resources of a 2.xx answer to our GET. */
static void coap_tcp_responses(const uint8_t *p, size_t n, size_t off, struct tb_svcid *o)
{
	struct coap_tcp m;
	for (int i = 0; i < 4 && off < n && coap_tcp_msg(p + off, n - off, &m); i++) {
		off += m.used;
		unsigned cls = m.code >> 5;
		if (cls != 2 && cls != 4 && cls != 5)
			continue;
		char code[8];
		snprintf(code, sizeof code, "%u.%02u", cls, m.code & 0x1f);
		item_str(o, "code", code);
		if (m.code == 0x81 || m.code == 0x83) /* 4.01 Unauthorized, 4.03 Forbidden */
			o->needs_auth = 1;
		size_t pl;
		const uint8_t *pay = coap_payload(m.opts, m.olen, &pl);
		if (cls == 2 && pay)
			tb_udp_coap_links(pay, pl, o->items, TB_UDP_MAX_ITEMS, &o->nitems,
					  &o->items_truncated);
	}
}

/* A CoAP-over-TCP peer opens with its CSM (7.01), often before it has read
 * anything; a banner is taken only when it is whole messages, CSM first. */
static int id_coap_tcp_banner(const uint8_t *p, size_t n, struct tb_svcid *o)
{
	struct coap_tcp m;
	size_t off = 0;
	if (!coap_tcp_msg(p, n, &m) || m.code != 0xe1)
		return 0;
	while (off < n && coap_tcp_msg(p + off, n - off, &m))
		off += m.used;
	if (off != n)
		return 0;
	found(o, "coap-tcp");
	coap_tcp_responses(p, n, 0, o);
	return 1;
}

/* The answer to our CSM + GET: signalling first (7.01 CSM .. 7.05 Abort),
 * or, when the CSM came as the banner, the response with our token. */
static int id_coap_tcp(const uint8_t *p, size_t n, struct tb_svcid *o)
{
	struct coap_tcp m;
	if (!coap_tcp_msg(p, n, &m))
		return 0;
	unsigned cls = m.code >> 5;
	int ours = (cls == 2 || cls == 4 || cls == 5) && m.tkl == 2 && memcmp(m.token, "tb", 2) == 0;
	if ((m.code < 0xe1 || m.code > 0xe5) && !ours)
		return 0;
	found(o, "coap-tcp");
	coap_tcp_responses(p, n, 0, o);
	return 1;
}

/* Text a service sends first, or in answer to anything. */
static int id_text(uint16_t port, const uint8_t *p, size_t n, struct tb_svcid *o)
{
	return id_ssh(p, n, o) || id_220(port, p, n, o) || id_telnet(port, p, n, o) ||
	       id_mail_read(p, n, o) || id_vnc(p, n, o) || id_coap_tcp_banner(p, n, o);
}

static int id_reply(uint16_t port, enum tb_svc_probe sent, const uint8_t *p, size_t n,
		    struct tb_svcid *o)
{
	if (id_tls(p, n, o) || id_http_like(p, n, o))
		return 1;
	if ((sent == TB_SVC_MQTT && id_mqtt(p, n, o)) || (sent == TB_SVC_ADB && id_adb(p, n, o)) ||
	    (sent == TB_SVC_COAP_TCP && id_coap_tcp(p, n, o)))
		return 1;
	return id_text(port, p, n, o);
}

static void reset(struct tb_svcid *o)
{
	memset(o, 0, sizeof *o);
	o->protocol = "unknown";
	o->status = -1;
}

int tb_svcid_tcp(uint16_t port, const uint8_t *banner, size_t blen, enum tb_svc_probe sent,
		 const uint8_t *reply, size_t rlen, struct tb_svcid *out)
{
	reset(out);
	if (!banner)
		blen = 0;
	if (!reply || sent == TB_SVC_PASSIVE || (unsigned)sent >= TB_SVC_NPROBE)
		rlen = 0;
	if (blen && id_text(port, banner, blen, out)) {
		out->by = TB_SVC_PASSIVE;
		if (strcmp(out->protocol, "coap-tcp") == 0 && sent == TB_SVC_COAP_TCP && rlen)
			coap_tcp_responses(reply, rlen, 0, out); /* the answer to our GET */
		return 1;
	}
	reset(out);
	if (rlen && id_reply(port, sent, reply, rlen, out)) {
		out->by = sent;
		if (blen) /* what it said first is evidence too */
			item(out, "banner", banner, blen < 96 ? blen : 96);
		return 1;
	}
	reset(out);
	if (blen)
		item(out, "banner", banner, blen < 96 ? blen : 96);
	if (rlen)
		item(out, "reply", reply, rlen < 96 ? rlen : 96);
	return 0;
}
