/* analyze.h: passive traffic analysis of a DUT's packets.
 *
 * Feeds every captured frame through the pure dissectors in proto/ and
 * keeps bounded tables: flows per peer, service port, protocol and who
 * started them (packets and bytes each way, first and last frame), peer
 * names from the DUT's own DNS answers, cleartext protocols, secrets seen in
 * clear (masked: the value itself is never stored), TLS hellos, and the
 * DUT's outbound volume per minute in the observation windows.  Memory is
 * fixed whatever the capture's size: what does not fit is counted.
 *
 * Frame numbers count from 1 in capture order, as Wireshark shows them.
 */
#ifndef TB_ANALYZE_H
#define TB_ANALYZE_H

#include <stddef.h>
#include <stdint.h>

#include "proto/p_cleartext.h"
#include "tb.h"

#define TB_AN_MAX_FLOWS 4096
#define TB_AN_MAX_SECRETS 64
#define TB_AN_MAX_NAMES 256
#define TB_AN_MAX_WINDOWS 4
#define TB_AN_MAX_MINUTES 60
#define TB_AN_MEMO 256 /* a power of two */

enum tb_app {
	TB_APP_UNKNOWN, TB_APP_TLS, TB_APP_HTTP, TB_APP_MQTT, TB_APP_FTP, TB_APP_TELNET,
	TB_APP_SNMP, TB_APP_COAP, TB_APP_DNS, TB_APP_NTP, TB_APP_COUNT
};
const char *tb_app_name(enum tb_app a);
/* Does the protocol carry its application data in clear? */
int tb_app_cleartext(enum tb_app a);
/* Infrastructure look-ups (DNS, NTP) rather than data to a service. */
int tb_app_infrastructure(enum tb_app a);

enum tb_initiator { TB_INIT_UNKNOWN, TB_INIT_DUT, TB_INIT_PEER };
const char *tb_initiator_name(enum tb_initiator i);

struct tb_flow {
	uint8_t used, proto;       /* IP protocol */
	uint8_t init;              /* enum tb_initiator */
	uint8_t app;               /* enum tb_app */
	uint32_t peer;             /* host byte order */
	uint16_t port;             /* the service (responder's) port */
	uint64_t pkts_out, bytes_out, pkts_in, bytes_in; /* out: sent by the DUT */
	uint64_t payload_out, payload_in;
	uint64_t first_frame, last_frame;
	double first_ts, last_ts;
	/* TLS: the first ClientHello and ServerHello seen */
	uint8_t tls_nversions;
	uint16_t tls_offered[8];
	uint16_t tls_chosen;
	uint64_t tls_client_frame, tls_server_frame;
	char sni[64];
	struct tb_telnet_login tl;
};

enum tb_secret_kind {
	TB_SEC_HTTP_BASIC_USER, TB_SEC_HTTP_BASIC_PASS, TB_SEC_HTTP_TOKEN, TB_SEC_FTP_USER,
	TB_SEC_FTP_PASS, TB_SEC_TELNET_USER, TB_SEC_TELNET_PASS, TB_SEC_MQTT_USER,
	TB_SEC_MQTT_PASS, TB_SEC_SNMP_COMMUNITY
};
const char *tb_secret_kind_name(enum tb_secret_kind k);

struct tb_secret {
	enum tb_secret_kind kind;
	int from_dut;         /* the DUT sent it (else a peer sent it to the DUT) */
	size_t flow;          /* index into flows */
	char masked[8];       /* first character and "***" */
	size_t length;        /* the value's length in bytes */
	uint32_t digest;      /* to count repeats of one value, not to recover it */
	uint64_t first_frame, last_frame, count;
	char where[48];       /* e.g. the header name that carried a token */
};

struct tb_name {
	uint32_t addr;
	char name[64];
	uint64_t frame;
};

struct tb_window {
	char label[16];
	double start, end;          /* epoch seconds; end 0: open */
	uint64_t bytes[TB_AN_MAX_MINUTES], pkts[TB_AN_MAX_MINUTES];
	uint64_t later_bytes, later_pkts; /* beyond TB_AN_MAX_MINUTES */
	uint64_t first_frame, last_frame;
};

struct tb_an {
	uint32_t dut;
	int link;                   /* link type of the capture */
	uint64_t frames, bytes, dut_frames, other_frames, non_ipv4, undecodable, fragments;
	double first_ts, last_ts;
	int cut_short;              /* the file ends inside a record */
	struct tb_flow *flows;      /* TB_AN_MAX_FLOWS, hash-addressed */
	size_t nflows;
	uint64_t flows_dropped_pkts; /* packets of flows that did not fit */
	struct tb_secret secrets[TB_AN_MAX_SECRETS];
	size_t nsecrets;
	uint64_t secrets_dropped;
	struct tb_name names[TB_AN_MAX_NAMES];
	size_t nnames;
	struct tb_window windows[TB_AN_MAX_WINDOWS];
	size_t nwindows;
	int auto_window;            /* no windows given: one over the whole capture */
	uint32_t *slots;            /* hash slots -> flow index + 1 */
	/* The flow each recent connection (address and port pair) resolved
	 * to, valid while no flow is added: saves the up to three table
	 * look-ups of a packet of a known connection. */
	struct tb_conn_memo {
		uint32_t peer, flows_then, flow;
		uint16_t dut_port, peer_port;
		uint8_t proto, used;
	} memo[TB_AN_MEMO];
};

struct tb_an *tb_an_new(uint32_t dut);
void tb_an_free(struct tb_an *a);
/* Observation window [start, end) in epoch seconds; outbound volume in it is
 * counted per minute.  Without any, one window spans the whole capture. */
void tb_an_add_window(struct tb_an *a, const char *label, double start, double end);
/* One captured frame of link type dlt. */
void tb_an_frame(struct tb_an *a, int dlt, double ts, const uint8_t *p, size_t caplen,
		 size_t wirelen);
/* Read a pcap or pcapng file through libpcap.  TB_E_FORMAT for an
 * unsupported link type, TB_E_IO when the file cannot be read. */
TB_WUR enum tb_err tb_an_read_file(struct tb_an *a, const char *path, struct tb_diag *d);
/* The same, also giving the file's SHA-256 and size (one pass). */
TB_WUR enum tb_err tb_an_read_file_sha256(struct tb_an *a, const char *path, uint8_t sum[32],
					  uint64_t *bytes, struct tb_diag *d);
/* The most frequent IPv4 address among the first frames of a capture
 * (for captures taken elsewhere, without a profile). */
TB_WUR enum tb_err tb_an_guess_dut(const char *path, uint32_t *dut, struct tb_diag *d);

/* SHA-256 and size of a file, read in fixed-size chunks (memory stays flat). */
TB_WUR enum tb_err tb_file_sha256(const char *path, uint8_t sum[32], uint64_t *bytes);

/* Name of a peer from the DUT's DNS answers, or NULL. */
const char *tb_an_peer_name(const struct tb_an *a, uint32_t addr);
/* "peer:port/proto (name)" for messages. */
void tb_an_flow_label(const struct tb_an *a, const struct tb_flow *f, char *out, size_t cap);

/* How the capture was obtained, for the report. */
struct tb_capture_info {
	const char *status;     /* recorded | missing | offline */
	const char *path;       /* relative to OUT (live) or as given (offline) */
	const char *interface;  /* live only */
	const char *filter;
	const char *reason;     /* why missing, NULL otherwise */
	int have_sha;
	uint8_t sha256[32];
	uint64_t bytes;
	int have_stats;
	uint64_t received, dropped; /* kernel counters at the end of the run */
	int privileges_dropped;
	const char *privileges; /* what was done about privileges */
};

/* Append <traffic> (capture facts and, when a is not NULL, the analysis)
 * to parent, an xmlNodePtr. */
void tb_traffic_to_dom(const struct tb_capture_info *ci, const struct tb_an *a, void *parent);
/* Write <traffic> as a standalone XML document (trustbench analyze). */
TB_WUR enum tb_err tb_traffic_write(const struct tb_capture_info *ci, const struct tb_an *a,
				    const char *path, struct tb_diag *d);

#endif
