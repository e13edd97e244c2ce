/* check_svcid.c: TCP service identity from banners and probe replies (bytes
 * captured from real daemons, and banners as the daemons write them), and
 * the wire format of every probe. */
#include <check.h>
#include <string.h>

#include "proto/p_mqttclient.h"
#include "proto/p_svcid.h"
#include "proto/p_tls.h"
#include "suites.h"

/* captured: OpenSSL 3.0 s_server answering our ClientHello (HelloRetryRequest, TLS 1.3, then
 * ChangeCipherSpec) */
static const uint8_t real_tls13_hrr[] = {
	0x16, 0x03, 0x03, 0x00, 0x38, 0x02, 0x00, 0x00, 0x34, 0x03, 0x03, 0xcf, 0x21, 0xad,
	0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2,
	0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33,
	0x9c, 0x00, 0x13, 0x01, 0x00, 0x00, 0x0c, 0x00, 0x2b, 0x00, 0x02, 0x03, 0x04, 0x00,
	0x33, 0x00, 0x02, 0x00, 0x1d, 0x14, 0x03, 0x03, 0x00, 0x01, 0x01,
};

/* captured: libcoap 4.3 coap-server over TCP, the CSM it sends on connect */
static const uint8_t real_coap_tcp_csm[] = {
	0x50, 0xe1, 0x23, 0x80, 0x01, 0x00, 0x20,
};

/* captured: libcoap coap-server over TCP, 2.05 answer to our GET /.well-known/core */
static const uint8_t real_coap_tcp_get[] = {
	0xd2, 0x8d, 0x45, 0x74, 0x62, 0xc1, 0x28, 0xff, 0x3c, 0x2f, 0x3e, 0x3b, 0x74, 0x69, 0x74, 0x6c,
	0x65, 0x3d, 0x22, 0x47, 0x65, 0x6e, 0x65, 0x72, 0x61, 0x6c, 0x20, 0x49, 0x6e, 0x66, 0x6f, 0x22,
	0x3b, 0x63, 0x74, 0x3d, 0x30, 0x2c, 0x3c, 0x2f, 0x74, 0x69, 0x6d, 0x65, 0x3e, 0x3b, 0x69, 0x66,
	0x3d, 0x22, 0x63, 0x6c, 0x6f, 0x63, 0x6b, 0x22, 0x3b, 0x72, 0x74, 0x3d, 0x22, 0x74, 0x69, 0x63,
	0x6b, 0x73, 0x22, 0x3b, 0x74, 0x69, 0x74, 0x6c, 0x65, 0x3d, 0x22, 0x49, 0x6e, 0x74, 0x65, 0x72,
	0x6e, 0x61, 0x6c, 0x20, 0x43, 0x6c, 0x6f, 0x63, 0x6b, 0x22, 0x3b, 0x63, 0x74, 0x3d, 0x30, 0x3b,
	0x6f, 0x62, 0x73, 0x2c, 0x3c, 0x2f, 0x61, 0x73, 0x79, 0x6e, 0x63, 0x3e, 0x3b, 0x63, 0x74, 0x3d,
	0x30, 0x2c, 0x3c, 0x2f, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x5f, 0x64, 0x61, 0x74, 0x61,
	0x3e, 0x3b, 0x74, 0x69, 0x74, 0x6c, 0x65, 0x3d, 0x22, 0x45, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65,
	0x20, 0x44, 0x61, 0x74, 0x61, 0x22, 0x3b, 0x63, 0x74, 0x3d, 0x30, 0x3b, 0x6f, 0x62, 0x73,
};

/* captured: busybox httpd answering our ClientHello with HTTP 400 */
static const uint8_t real_http_to_tls[] = {
	0x48, 0x54, 0x54, 0x50, 0x2f, 0x31, 0x2e, 0x31, 0x20, 0x34, 0x30, 0x30, 0x20, 0x42, 0x61, 0x64,
	0x20, 0x52, 0x65, 0x71, 0x75, 0x65, 0x73, 0x74, 0x0d, 0x0a, 0x44, 0x61, 0x74, 0x65, 0x3a, 0x20,
	0x54, 0x68, 0x75, 0x2c, 0x20, 0x30, 0x33, 0x20, 0x44, 0x65, 0x63, 0x20, 0x32, 0x30, 0x32, 0x36,
	0x20, 0x30, 0x39, 0x3a, 0x32, 0x37, 0x3a, 0x31, 0x34, 0x20, 0x47, 0x4d, 0x54, 0x0d, 0x0a, 0x43,
	0x6f, 0x6e, 0x6e, 0x65, 0x63, 0x74, 0x69, 0x6f, 0x6e, 0x3a, 0x20, 0x63, 0x6c, 0x6f, 0x73, 0x65,
	0x0d, 0x0a, 0x43, 0x6f, 0x6e, 0x74, 0x65, 0x6e, 0x74, 0x2d, 0x74, 0x79, 0x70, 0x65, 0x3a, 0x20,
	0x74, 0x65, 0x78, 0x74, 0x2f, 0x68, 0x74, 0x6d, 0x6c, 0x0d, 0x0a, 0x0d, 0x0a, 0x3c, 0x48, 0x54,
	0x4d, 0x4c, 0x3e, 0x3c, 0x48, 0x45, 0x41, 0x44, 0x3e, 0x3c, 0x54, 0x49, 0x54, 0x4c, 0x45, 0x3e,
	0x34, 0x30, 0x30, 0x20, 0x42, 0x61, 0x64, 0x20, 0x52, 0x65, 0x71, 0x75, 0x65, 0x73, 0x74, 0x3c,
	0x2f, 0x54, 0x49, 0x54, 0x4c, 0x45, 0x3e, 0x3c, 0x2f, 0x48, 0x45, 0x41, 0x44, 0x3e, 0x0a, 0x3c,
	0x42, 0x4f, 0x44, 0x59, 0x3e, 0x3c, 0x48, 0x31, 0x3e, 0x34, 0x30, 0x30, 0x20, 0x42, 0x61, 0x64,
	0x20, 0x52, 0x65, 0x71, 0x75, 0x65, 0x73, 0x74, 0x3c, 0x2f, 0x48, 0x31, 0x3e, 0x0a, 0x55, 0x6e,
	0x73, 0x75, 0x70, 0x70, 0x6f, 0x72, 0x74, 0x65, 0x64, 0x20, 0x6d, 0x65, 0x74, 0x68, 0x6f, 0x64,
	0x0a, 0x3c, 0x2f, 0x42, 0x4f, 0x44, 0x59, 0x3e, 0x3c, 0x2f, 0x48, 0x54, 0x4d, 0x4c, 0x3e, 0x0a,
};

/* captured: mosquitto 2.0.11 with allow_anonymous false: CONNACK 5 */
static const uint8_t real_mqtt_connack5[] = {
	0x20,
	0x02,
	0x00,
	0x05,
};

static struct tb_svcid sv;

static const char *item(const char *key)
{
	for (size_t i = 0; i < sv.nitems; i++)
		if (strcmp(sv.items[i].key, key) == 0)
			return sv.items[i].value;
	return NULL;
}

/* Identify a text banner (nothing sent). */
static int banner(uint16_t port, const char *text)
{
	return tb_svcid_tcp(port, (const uint8_t *)text, strlen(text), TB_SVC_PASSIVE, NULL, 0, &sv);
}

/* Identify the reply to probe p (no banner). */
static int reply(uint16_t port, enum tb_svc_probe p, const void *r, size_t n)
{
	return tb_svcid_tcp(port, NULL, 0, p, r, n, &sv);
}

static int has(const uint8_t *p, size_t n, const char *lit)
{
	size_t l = strlen(lit);
	for (size_t i = 0; i + l <= n; i++)
		if (memcmp(p + i, lit, l) == 0)
			return 1;
	return 0;
}

START_TEST(ssh_openssh_and_dropbear)
{
	ck_assert_int_eq(banner(22, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"), 1);
	ck_assert_str_eq(sv.protocol, "ssh");
	ck_assert_str_eq(sv.product, "OpenSSH 9.2p1");
	ck_assert_str_eq(item("banner"), "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3");
	ck_assert_str_eq(item("comments"), "Debian-2+deb12u3");
	ck_assert_int_eq(sv.by, TB_SVC_PASSIVE);
	ck_assert_int_eq(banner(2222, "SSH-2.0-dropbear_2022.83\r\n"), 1);
	ck_assert_str_eq(sv.product, "dropbear 2022.83");
	ck_assert_int_eq(banner(22, "SSH-2.0-\r\n"), 0); /* no software version */
	ck_assert_str_eq(sv.protocol, "unknown");
}
END_TEST

START_TEST(ftp_products)
{
	ck_assert_int_eq(banner(2121, "220 (vsFTPd 3.0.3)\r\n"), 1); /* captured from vsftpd 3.0.3 */
	ck_assert_str_eq(sv.protocol, "ftp");
	ck_assert_str_eq(sv.product, "vsFTPd 3.0.3");
	ck_assert_str_eq(item("banner"), "220 (vsFTPd 3.0.3)");
	ck_assert_int_eq(banner(21, "220 ProFTPD 1.3.8 Server (Debian) [198.18.0.5]\r\n"), 1);
	ck_assert_str_eq(sv.product, "ProFTPD 1.3.8");
	ck_assert_int_eq(
		banner(21,
		       "220---------- Welcome to Pure-FTPd [privsep] [TLS] ----------\r\n"
		       "220-You are user number 1 of 50 allowed.\r\n220 This is a private system\r\n"),
		1);
	ck_assert_str_eq(sv.product, "Pure-FTPd");
	ck_assert_uint_eq(sv.nitems, 3);
	ck_assert_int_eq(banner(21, "220 Welcome\r\n"), 1); /* no product: the port says ftp */
	ck_assert_str_eq(sv.protocol, "ftp");
	ck_assert_str_eq(sv.product, "");
	ck_assert_int_eq(banner(9999, "220 Welcome\r\n"), 0);
	ck_assert_str_eq(item("banner"), "220 Welcome\\x0d\\x0a");
}
END_TEST

START_TEST(smtp_products)
{
	ck_assert_int_eq(banner(25, "220 mail.lab ESMTP Postfix (Debian/GNU)\r\n"), 1);
	ck_assert_str_eq(sv.protocol, "smtp");
	ck_assert_str_eq(sv.product, "Postfix");
	ck_assert_int_eq(banner(2525,
				"220 dev.lab ESMTP Exim 4.96 Thu, 03 Dec 2026 09:00:00 +0000\r\n"),
			 1);
	ck_assert_str_eq(sv.protocol, "smtp");
	ck_assert_str_eq(sv.product, "Exim 4.96");
}
END_TEST

START_TEST(telnet_negotiation_and_prompt)
{
	static const uint8_t iac[] = { 0xff, 0xfd, 0x01, 0xff, 0xfd, 0x1f, 0xff, 0xfb, 0x01, 0xff,
				       0xfb, 0x03, '\r', '\n', 'C',  'a',  'm',  'e',  'r',  'a',
				       ' ',  'l',  'o',  'g',  'i',  'n',  ':',  ' ' };
	ck_assert_int_eq(tb_svcid_tcp(2323, iac, sizeof iac, TB_SVC_PASSIVE, NULL, 0, &sv), 1);
	ck_assert_str_eq(sv.protocol, "telnet");
	ck_assert_str_eq(item("banner"), "Camera login: ");
	ck_assert_int_eq(tb_svcid_tcp(2323, iac, 3, TB_SVC_PASSIVE, NULL, 0, &sv), 1);
	ck_assert_int_eq(banner(23, "\r\nBusyBox v1.36.1 built-in shell\r\nlogin: "), 1);
	ck_assert_str_eq(sv.protocol, "telnet");
	ck_assert_int_eq(banner(8000, "login: "),
			 0); /* a prompt alone on another port proves nothing */
}
END_TEST

START_TEST(http_server_headers_and_auth)
{
	static const char r401[] =
		"HTTP/1.1 401 Unauthorized\r\nServer: lighttpd/1.4.59\r\n"
		"WWW-Authenticate: Basic realm=\"cam\"\r\nX-Powered-By: PHP/7.4.33\r\n"
		"Content-Length: 0\r\n\r\n";
	ck_assert_int_eq(reply(80, TB_SVC_HTTP, r401, strlen(r401)), 1);
	ck_assert_str_eq(sv.protocol, "http");
	ck_assert_int_eq(sv.by, TB_SVC_HTTP);
	ck_assert_int_eq(sv.status, 401);
	ck_assert_int_eq(sv.needs_auth, 1);
	ck_assert_str_eq(sv.product, "lighttpd/1.4.59");
	ck_assert_str_eq(item("server"), "lighttpd/1.4.59");
	ck_assert_str_eq(item("x-powered-by"), "PHP/7.4.33");
	ck_assert_str_eq(item("www-authenticate"), "Basic realm=\"cam\"");
	ck_assert_str_eq(item("status"), "HTTP/1.1 401 Unauthorized");
	ck_assert_int_eq(tb_svcid_tcp(8080, (const uint8_t *)"hello\r\n", 7, TB_SVC_HTTP,
				      (const uint8_t *)r401, strlen(r401), &sv),
			 1);
	ck_assert_str_eq(sv.protocol, "http");
	ck_assert_str_eq(item("banner"), "hello\\x0d\\x0a"); /* the unknown banner stays evidence */
	/* captured: busybox httpd answers our ClientHello with a plain 400 */
	ck_assert_int_eq(reply(8080, TB_SVC_TLS, real_http_to_tls, sizeof real_http_to_tls), 1);
	ck_assert_str_eq(sv.protocol, "http");
	ck_assert_int_eq(sv.status, 400);
	ck_assert_int_eq(sv.needs_auth, 0);
}
END_TEST

START_TEST(upnp_is_http_with_upnp_server)
{
	static const char r[] =
		"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n"
		"Server: Linux/5.10 UPnP/1.0 MiniUPnPd/2.3.3\r\nContent-Length: 0\r\n\r\n";
	ck_assert_int_eq(reply(5000, TB_SVC_HTTP, r, strlen(r)), 1);
	ck_assert_str_eq(sv.protocol, "upnp");
	ck_assert_str_eq(sv.product, "Linux/5.10 UPnP/1.0 MiniUPnPd/2.3.3");
}
END_TEST

START_TEST(rtsp_options)
{
	static const char ok[] =
		"RTSP/1.0 200 OK\r\nCSeq: 1\r\nServer: GStreamer RTSP server\r\n"
		"Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN\r\n\r\n";
	static const char no[] =
		"RTSP/1.0 401 Unauthorized\r\nCSeq: 1\r\n"
		"WWW-Authenticate: Digest realm=\"IP Camera\", nonce=\"abc\"\r\n\r\n";
	ck_assert_int_eq(reply(554, TB_SVC_RTSP, ok, strlen(ok)), 1);
	ck_assert_str_eq(sv.protocol, "rtsp");
	ck_assert_str_eq(sv.product, "GStreamer RTSP server");
	ck_assert_str_eq(item("public"), "OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN");
	ck_assert_int_eq(reply(554, TB_SVC_RTSP, no, strlen(no)), 1);
	ck_assert_int_eq(sv.needs_auth, 1);
	ck_assert_int_eq(sv.status, 401);
}
END_TEST

START_TEST(tls_server_hello_alert_and_truncation)
{
	ck_assert_int_eq(reply(4433, TB_SVC_TLS, real_tls13_hrr, sizeof real_tls13_hrr), 1);
	ck_assert_str_eq(sv.protocol, "tls");
	ck_assert_uint_eq(sv.tls_version, 0x0304);
	ck_assert_uint_eq(sv.tls_cipher, 0x1301);
	ck_assert_str_eq(item("tls-version"), "TLS1.3");
	ck_assert_str_eq(item("tls-cipher"), "0x1301");
	ck_assert_str_eq(item("tls-note"), "HelloRetryRequest");
	ck_assert_int_eq(reply(4433, TB_SVC_TLS, real_tls13_hrr, 20), 1); /* cut: TLS, no details */
	ck_assert_str_eq(sv.protocol, "tls");
	ck_assert_uint_eq(sv.tls_version, 0);
	static const uint8_t alert[] = { 0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28 };
	ck_assert_int_eq(reply(8883, TB_SVC_TLS, alert, sizeof alert), 1);
	ck_assert_str_eq(sv.protocol, "tls");
	ck_assert_int_eq(sv.status, 40); /* handshake_failure */
	uint8_t bad[sizeof real_tls13_hrr];
	memcpy(bad, real_tls13_hrr, sizeof bad);
	bad[43] = 0xff; /* session id longer than the whole hello */
	ck_assert_int_eq(reply(4433, TB_SVC_TLS, bad, sizeof bad), 0);
}
END_TEST

START_TEST(mqtt_connack)
{
	ck_assert_int_eq(reply(1883, TB_SVC_MQTT, real_mqtt_connack5, sizeof real_mqtt_connack5), 1);
	ck_assert_str_eq(sv.protocol, "mqtt");
	ck_assert_int_eq(sv.needs_auth, 1);
	ck_assert_int_eq(sv.status, 5);
	static const uint8_t ok[] = { 0x20, 0x02, 0x00, 0x00 };
	ck_assert_int_eq(reply(1883, TB_SVC_MQTT, ok, sizeof ok), 1);
	ck_assert_int_eq(sv.needs_auth, 0);
	static const uint8_t lie[] = { 0x20, 0x05, 0x00, 0x00 };
	ck_assert_int_eq(reply(1883, TB_SVC_MQTT, lie, sizeof lie), 0);
	ck_assert_int_eq(reply(1883, TB_SVC_HTTP, ok, sizeof ok),
			 0); /* 4 bytes prove MQTT only as its answer */
}
END_TEST

START_TEST(adb_cnxn_and_auth)
{
	static const char props[] =
		"device::ro.product.name=sdk_phone;ro.product.model=Pixel 7;"
		"ro.product.device=panther;features=shell_v2,cmd";
	uint8_t r[256] = { 'C', 'N', 'X', 'N', 1, 0, 0, 1, 0, 0, 4, 0 };
	size_t pl = sizeof props; /* with its NUL */
	r[12] = (uint8_t)pl;
	r[20] = 'C' ^ 0xff;
	r[21] = 'N' ^ 0xff;
	r[22] = 'X' ^ 0xff;
	r[23] = 'N' ^ 0xff;
	memcpy(r + 24, props, pl);
	ck_assert_int_eq(reply(5555, TB_SVC_ADB, r, 24 + pl), 1);
	ck_assert_str_eq(sv.protocol, "adb");
	ck_assert_str_eq(sv.product, "Pixel 7");
	ck_assert_str_eq(item("adb-banner"), "device");
	ck_assert_str_eq(item("ro.product.device"), "panther");
	ck_assert_str_eq(item("features"), "shell_v2,cmd");
	ck_assert_int_eq(sv.needs_auth, 0);
	r[12] = 0xff; /* payload length past what arrived: read what is there */
	ck_assert_int_eq(reply(5555, TB_SVC_ADB, r, 24 + pl), 1);
	r[23] ^= 1; /* magic */
	ck_assert_int_eq(reply(5555, TB_SVC_ADB, r, 24 + pl), 0);
	uint8_t auth[24] = { 'A', 'U', 'T', 'H', 1 };
	for (int i = 0; i < 4; i++)
		auth[20 + i] = (uint8_t)(auth[i] ^ 0xff);
	ck_assert_int_eq(reply(5555, TB_SVC_ADB, auth, sizeof auth), 1);
	ck_assert_int_eq(sv.needs_auth, 1);
}
END_TEST

START_TEST(coap_tcp_csm_and_resources)
{
	ck_assert_int_eq(tb_svcid_tcp(5683, real_coap_tcp_csm, sizeof real_coap_tcp_csm,
				      TB_SVC_COAP_TCP, real_coap_tcp_get, sizeof real_coap_tcp_get,
				      &sv),
			 1);
	ck_assert_str_eq(sv.protocol, "coap-tcp");
	ck_assert_str_eq(item("code"), "2.05");
	ck_assert_str_eq(sv.items[1].value, "/");
	ck_assert_str_eq(sv.items[2].value, "/time");
	ck_assert_uint_eq(sv.nitems, 5);
	/* the CSM and the answer in one read */
	uint8_t both[sizeof real_coap_tcp_csm + sizeof real_coap_tcp_get];
	memcpy(both, real_coap_tcp_csm, sizeof real_coap_tcp_csm);
	memcpy(both + sizeof real_coap_tcp_csm, real_coap_tcp_get, sizeof real_coap_tcp_get);
	ck_assert_int_eq(reply(5683, TB_SVC_COAP_TCP, both, sizeof both), 1);
	ck_assert_str_eq(sv.protocol, "coap-tcp");
	ck_assert_str_eq(sv.items[4].value, "/example_data");
	ck_assert_int_eq(reply(5683, TB_SVC_COAP_TCP, real_coap_tcp_get, sizeof real_coap_tcp_get), 1);
	ck_assert_int_eq(reply(5683, TB_SVC_COAP_TCP, real_coap_tcp_csm, 3), 0);
}
END_TEST

START_TEST(unknown_keeps_the_bytes)
{
	static const uint8_t b[] = { 0x00, 0x01, 0x02, 'h', 'i' };
	ck_assert_int_eq(tb_svcid_tcp(7000, b, sizeof b, TB_SVC_HTTP, b, 2, &sv), 0);
	ck_assert_str_eq(sv.protocol, "unknown");
	ck_assert_str_eq(item("banner"), "\\x00\\x01\\x02hi");
	ck_assert_str_eq(item("reply"), "\\x00\\x01");
	ck_assert_int_eq(sv.status, -1);
	ck_assert_int_eq(tb_svcid_tcp(7000, NULL, 0, TB_SVC_NPROBE, b, sizeof b, &sv), 0);
	ck_assert_uint_eq(sv.nitems, 0);
}
END_TEST

START_TEST(probe_wire_formats)
{
	uint8_t b[1024];
	size_t n = tb_svcid_probe_build(TB_SVC_HTTP, "198.18.0.5", b, sizeof b);
	ck_assert(n > 0 && memcmp(b, "GET / HTTP/1.0\r\nHost: 198.18.0.5\r\n", 34) == 0);
	ck_assert(memcmp(b + n - 4, "\r\n\r\n", 4) == 0);
	n = tb_svcid_probe_build(TB_SVC_HTTP, "2001:2::5", b, sizeof b);
	ck_assert(has(b, n, "Host: [2001:2::5]\r\n"));
	ck_assert_uint_eq(tb_svcid_probe_build(TB_SVC_HTTP, "a\r\nX: y", b, sizeof b), 0);
	ck_assert_uint_eq(tb_svcid_probe_build(TB_SVC_HTTP, "198.18.0.5", b, 20), 0);
	ck_assert_uint_eq(tb_svcid_probe_build(TB_SVC_PASSIVE, NULL, b, sizeof b), 0);

	n = tb_svcid_probe_build(TB_SVC_RTSP, "198.18.0.5", b, sizeof b);
	ck_assert(n > 0 && memcmp(b, "OPTIONS rtsp://198.18.0.5/ RTSP/1.0\r\nCSeq: 1\r\n", 46) == 0);

	struct tb_tls_hello h;
	n = tb_svcid_probe_build(TB_SVC_TLS, "cam.lab", b, sizeof b);
	ck_assert_int_eq(tb_p_tls_hello(b, n, &h), TB_OK);
	ck_assert_int_eq(h.type, 1);
	ck_assert_str_eq(h.sni, "cam.lab");
	ck_assert_uint_eq(h.nversions, 4);
	ck_assert_uint_eq(h.versions[0], 0x0304);
	ck_assert_uint_eq(h.versions[3], 0x0301);
	n = tb_svcid_probe_build(TB_SVC_TLS, "198.18.0.5", b, sizeof b);
	ck_assert_int_eq(tb_p_tls_hello(b, n, &h), TB_OK);
	ck_assert_str_eq(h.sni, ""); /* no SNI for an address (RFC 6066 3) */

	n = tb_svcid_probe_build(TB_SVC_MQTT, NULL, b, sizeof b);
	uint8_t type, flags;
	const uint8_t *body;
	size_t blen, used;
	ck_assert_int_eq(tb_p_mqtt_packet(b, n, &type, &flags, &body, &blen, &used), TB_OK);
	ck_assert_uint_eq(type, 1); /* CONNECT */
	ck_assert_uint_eq(used, n);
	ck_assert(memcmp(body, "\x00\x04MQTT\x04", 7) == 0);

	n = tb_svcid_probe_build(TB_SVC_ADB, NULL, b, sizeof b);
	ck_assert_uint_eq(n, 24 + 7);
	ck_assert(memcmp(b, "CNXN\x01\x00\x00\x01\x00\x00\x04\x00\x07\x00\x00\x00", 16) == 0);
	ck_assert_uint_eq(b[16] | b[17] << 8, 'h' + 'o' + 's' + 't' + ':' + ':');
	ck_assert_uint_eq(b[20], 'C' ^ 0xff);
	ck_assert(memcmp(b + 24, "host::\0", 7) == 0);

	n = tb_svcid_probe_build(TB_SVC_COAP_TCP, NULL, b, sizeof b);
	ck_assert_uint_eq(n, 27);
	ck_assert(memcmp(b, "\x30\xe1\x22\x04\x80", 5) == 0); /* CSM, Max-Message-Size 1152 */
	ck_assert(memcmp(b + 5,
			 "\xd2\x04\x01tb\xbb.well-known\x04"
			 "core",
			 22) == 0);
}
END_TEST

START_TEST(next_probe_order)
{
	unsigned tried = 0;
	enum tb_svc_probe want554[] = { TB_SVC_PASSIVE, TB_SVC_RTSP, TB_SVC_HTTP, TB_SVC_TLS,
					TB_SVC_NONE };
	for (size_t i = 0; i < 5; i++) {
		enum tb_svc_probe p = tb_svcid_next_probe(554, tried, NULL);
		ck_assert_int_eq(p, want554[i]);
		if (p != TB_SVC_NONE)
			tried |= TB_SVC_PROBE_BIT(p);
	}
	ck_assert_int_eq(tb_svcid_next_probe(443, TB_SVC_PROBE_BIT(TB_SVC_PASSIVE), NULL), TB_SVC_TLS);
	ck_assert_int_eq(tb_svcid_next_probe(443,
					     TB_SVC_PROBE_BIT(TB_SVC_PASSIVE) |
						     TB_SVC_PROBE_BIT(TB_SVC_TLS),
					     NULL),
			 TB_SVC_HTTP);
	ck_assert_int_eq(tb_svcid_next_probe(2222, TB_SVC_PROBE_BIT(TB_SVC_PASSIVE), NULL),
			 TB_SVC_HTTP);
	ck_assert_int_eq(tb_svcid_next_probe(1883, TB_SVC_PROBE_BIT(TB_SVC_PASSIVE), NULL),
			 TB_SVC_MQTT);
	ck_assert_int_eq(tb_svcid_next_probe(5555, TB_SVC_PROBE_BIT(TB_SVC_PASSIVE), NULL), TB_SVC_ADB);
	ck_assert_int_eq(tb_svcid_next_probe(5683, TB_SVC_PROBE_BIT(TB_SVC_PASSIVE), NULL),
			 TB_SVC_COAP_TCP);
	ck_assert_int_eq(banner(22, "SSH-2.0-OpenSSH_9.2p1\r\n"), 1);
	ck_assert_int_eq(tb_svcid_next_probe(22, TB_SVC_PROBE_BIT(TB_SVC_PASSIVE), &sv), TB_SVC_NONE);
	ck_assert_str_eq(tb_svcid_probe_name(TB_SVC_COAP_TCP), "coap-tcp");
	ck_assert_str_eq(tb_svcid_probe_name(TB_SVC_NONE), "none");
}
END_TEST

START_TEST(every_prefix_and_garbage_is_safe)
{
	static const struct {
		const uint8_t *p;
		size_t n;
		enum tb_svc_probe sent;
	} s[] = {
		{ real_tls13_hrr, sizeof real_tls13_hrr, TB_SVC_TLS },
		{ real_coap_tcp_get, sizeof real_coap_tcp_get, TB_SVC_COAP_TCP },
		{ real_http_to_tls, sizeof real_http_to_tls, TB_SVC_TLS },
		{ real_mqtt_connack5, sizeof real_mqtt_connack5, TB_SVC_MQTT },
	};
	for (size_t k = 0; k < sizeof s / sizeof s[0]; k++)
		for (size_t i = 0; i <= s[k].n; i++) {
			(void)tb_svcid_tcp(80, s[k].p, i, s[k].sent, s[k].p, i, &sv);
			ck_assert_ptr_nonnull(sv.protocol);
			ck_assert_uint_le(sv.nitems, TB_UDP_MAX_ITEMS);
		}
	uint8_t g[300];
	uint32_t x = 88172645u;
	for (int round = 0; round < 300; round++) {
		for (size_t i = 0; i < sizeof g; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			g[i] = (uint8_t)x;
		}
		for (int p = 0; p < TB_SVC_NPROBE; p++)
			(void)tb_svcid_tcp(23, g, (size_t)round, p, g, (size_t)round, &sv);
	}
}
END_TEST

Suite *svcid_suite(void)
{
	Suite *s = suite_create("svcid");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, ssh_openssh_and_dropbear);
	tcase_add_test(tc, ftp_products);
	tcase_add_test(tc, smtp_products);
	tcase_add_test(tc, telnet_negotiation_and_prompt);
	tcase_add_test(tc, http_server_headers_and_auth);
	tcase_add_test(tc, upnp_is_http_with_upnp_server);
	tcase_add_test(tc, rtsp_options);
	tcase_add_test(tc, tls_server_hello_alert_and_truncation);
	tcase_add_test(tc, mqtt_connack);
	tcase_add_test(tc, adb_cnxn_and_auth);
	tcase_add_test(tc, coap_tcp_csm_and_resources);
	tcase_add_test(tc, unknown_keeps_the_bytes);
	tcase_add_test(tc, probe_wire_formats);
	tcase_add_test(tc, next_probe_order);
	tcase_add_test(tc, every_prefix_and_garbage_is_safe);
	suite_add_tcase(s, tc);
	return s;
}
