/* p_svcid.h: which service listens on a TCP port, from the bytes it sends.
 *
 * Pure functions over bytes: the caller connects, waits for a banner the
 * service sends unprompted, and if that is not enough sends the probe
 * tb_svcid_next_probe() names (built by tb_svcid_probe_build(), on a new
 * connection each time) and hands the answer to tb_svcid_tcp().  Every byte
 * is hostile: nothing here trusts a length field or reads past a length.
 * Disclosure items use the UDP identifier's item type (p_udpprobe.h) so a
 * check can judge TCP and UDP disclosures alike (EN 303 645 5.6-2-2).
 */
#ifndef TB_P_SVCID_H
#define TB_P_SVCID_H

#include <stddef.h>
#include <stdint.h>

#include "proto/p_udpprobe.h"

/* What the caller sends after connecting.  TB_SVC_PASSIVE sends nothing:
 * the banner is what the service says first. */
enum tb_svc_probe {
	TB_SVC_PASSIVE = 0,
	TB_SVC_HTTP,     /* GET / HTTP/1.0 with Host */
	TB_SVC_TLS,      /* TLS ClientHello (TLS 1.0-1.3 offered) */
	TB_SVC_RTSP,     /* OPTIONS * RTSP/1.0 */
	TB_SVC_MQTT,     /* MQTT 3.1.1 CONNECT, no credentials */
	TB_SVC_ADB,      /* adb CNXN "host::" */
	TB_SVC_COAP_TCP, /* CoAP over TCP (RFC 8323): CSM, then GET /.well-known/core */
	TB_SVC_NPROBE,
	TB_SVC_NONE = -1 /* nothing left to try */
};

#define TB_SVC_PROBE_BIT(p) (1u << (unsigned)(p))

struct tb_svcid {
	/* 1: the bytes parse as the protocol.  The port only settles a bare
	 * "220" greeting (FTP 21 / SMTP 25) and a login prompt without telnet
	 * negotiation (23, 2323); it never names a protocol alone. */
	int identified;
	/* static: "ssh", "ftp", "telnet", "smtp", "pop3", "imap", "http", "upnp",
	 * "rtsp", "mqtt", "tls", "adb", "coap-tcp", "vnc", or "unknown" */
	const char *protocol;
	enum tb_svc_probe by; /* what produced the identification (PASSIVE: the banner) */
	char product[128];    /* "OpenSSH 9.2p1", "vsFTPd 3.0.3", a Server header, ... or "" */
	int needs_auth;       /* answered but wants credentials: HTTP/RTSP 401, MQTT CONNACK 4/5,
			       * adb AUTH, CoAP 4.01/4.03 */
	int status;           /* HTTP/RTSP status, MQTT CONNACK code, TLS alert description; else -1 */
	uint16_t tls_version; /* TLS: version the server chose (0 when it sent an alert) */
	uint16_t tls_cipher;  /* TLS: cipher suite the server chose */
	struct tb_udp_item items[TB_UDP_MAX_ITEMS];
	size_t nitems;
	int items_truncated;
};

/* Short name of a probe, for evidence: "passive", "http", "tls", ... */
const char *tb_svcid_probe_name(enum tb_svc_probe p);

/* Build probe p into buf.  host names the device (HTTP Host and RTSP; the
 * TLS SNI only when host is a name, not an address); NULL is allowed.
 * Returns the length written, or 0 when cap is too small (1024 is always
 * enough) or for TB_SVC_PASSIVE. */
size_t tb_svcid_probe_build(enum tb_svc_probe p, const char *host, uint8_t *buf, size_t cap);

/* The next probe to send to port, given the ones already tried (a mask of
 * TB_SVC_PROBE_BIT) and what has been identified so far (so_far may be
 * NULL).  Order: the passive banner, then the probe the port usually
 * wants (554 RTSP, 1883 MQTT, 5555 adb, 5683 CoAP-TCP, 443/8443/8883/5684
 * TLS, ...), then HTTP GET, then the TLS ClientHello.  TB_SVC_NONE once the
 * service is identified or everything was tried. */
enum tb_svc_probe tb_svcid_next_probe(uint16_t port, unsigned tried, const struct tb_svcid *so_far);

/* Identify the service on port from its banner (what it sent after
 * connect, before we sent anything; may be empty) and its reply to probe
 * sent (may be empty; ignored when sent is TB_SVC_PASSIVE).  Fills *out
 * always (protocol "unknown", identified 0 when nothing parses); unknown
 * banners and replies still become "banner"/"reply" items.  Returns
 * out->identified. */
int tb_svcid_tcp(uint16_t port, const uint8_t *banner, size_t blen, enum tb_svc_probe sent,
		 const uint8_t *reply, size_t rlen, struct tb_svcid *out);

#endif
