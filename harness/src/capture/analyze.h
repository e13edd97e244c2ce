/* analyze.h: passive traffic analysis of a DUT's packets.
 *
 * Feeds every captured frame through the pure dissectors in proto/.  Each
 * TCP connection (from its SYN) and each UDP address/port pair is followed
 * on its own, classified from its first payload in each direction and
 * never re-guessed mid-stream; when its start was not captured, the
 * initiator is inferred from well-known server ports and marked so.  When
 * a connection ends it is folded into a group per peer, service port,
 * initiator and protocol (struct tb_flow), or, when it carried no payload
 * at all (the harness's own port sweep), into a per-peer probe count, so
 * that a sweep of 65535 ports never displaces what the device does on its
 * own.  Also: peer names from the DUT's own DNS answers, cleartext
 * protocols, secrets seen in clear (masked: the value itself is never
 * stored), TLS hellos, and the DUT's outbound volume per minute in the
 * observation windows.  Memory is fixed whatever the capture's size; what
 * does not fit is counted in struct tb_analysis_loss, which the traffic check
 * reads before it may say PASS.
 *
 * IPv4 and IPv6 are followed alike.  The DUT has at most one IPv4 address
 * and up to TB_AN_MAX_DUT6 IPv6 ones; a frame to or from any of them is
 * the DUT's.  An IPv6 peer is interned into the analysis's peer table and
 * known by its index there (tb_flow_key.v6 set), so that the connection
 * tables keep their 32-bit peers; tb_analysis_peer_format() writes either
 * back as text.
 *
 * Frame numbers count from 1 in capture order, as Wireshark shows them.
 */
#ifndef TB_ANALYZE_H
#define TB_ANALYZE_H

#include <stddef.h>
#include <stdint.h>

#include "proto/p_cleartext.h"
#include "base/tb.h"

struct tb_mqtt_connect;

#define TB_AN_MAX_CONNS 16384 /* connections tracked at the same time */
#define TB_AN_MAX_FLOWS 4096  /* groups of connections with payload */
#define TB_AN_MAX_PROBES 256  /* groups of connections without payload */
#define TB_AN_MAX_TELNET 256  /* telnet connections whose logins are followed */
#define TB_AN_MAX_SECRETS 64
#define TB_AN_MAX_NAMES 256
#define TB_AN_MAX_WINDOWS 4
#define TB_AN_MAX_MINUTES 60
#define TB_AN_CLOSED_GRACE_S 2.0 /* an ended TCP connection still takes late segments */
#define TB_AN_MAX_DUT6 16        /* the DUT's IPv6 addresses */
#define TB_AN_MAX_PEERS6 4096    /* IPv6 peers (distinct addresses) */

enum tb_app {
	TB_APP_UNKNOWN,
	TB_APP_TLS,
	TB_APP_HTTP,
	TB_APP_MQTT,
	TB_APP_FTP,
	TB_APP_TELNET,
	TB_APP_SNMP,
	TB_APP_COAP,
	TB_APP_DNS,
	TB_APP_NTP,
	TB_APP_SSH,
	TB_APP_COUNT
};
const char *tb_app_name(enum tb_app a);
/* Does the protocol carry its application data in clear? */
int tb_app_cleartext(enum tb_app a);
/* Infrastructure look-ups (DNS, NTP) rather than data to a service. */
int tb_app_infrastructure(enum tb_app a);

enum tb_initiator { TB_INIT_UNKNOWN, TB_INIT_DUT, TB_INIT_PEER };
const char *tb_initiator_name(enum tb_initiator i);

/* Who a connection's endpoints are, as the report names them.  port is the
 * service (responder's) port; for an unknown initiator, the lower port. */
struct tb_flow_key {
	uint32_t peer; /* IPv4: host byte order; IPv6: index into the peer table */
	uint16_t port;
	uint8_t proto; /* IP protocol */
	uint8_t init;  /* enum tb_initiator */
	uint8_t app;   /* enum tb_app */
	uint8_t v6;    /* the peer is IPv6 */
};

/* struct tb_conn.used: the family is part of being in use, so that the hot
 * lookup tests both at once.  With TB_CONN_V6, peer indexes the peer table. */
#define TB_CONN_V4 1
#define TB_CONN_V6 2

/* One connection (TCP: from its SYN to its end; UDP: one address and port
 * pair) while it is being followed.  Classified once, from the first
 * payload in each direction, never from the middle of the stream. */
struct tb_conn {
	uint32_t next; /* hash chain: index + 1, 0 ends it */
	uint32_t peer;
	uint16_t dut_port, peer_port;
	uint8_t used; /* 0: free; TB_CONN_V4 or TB_CONN_V6: the peer's family */
	uint8_t proto, init, app;
	uint8_t inferred;  /* initiator inferred from well-known ports */
	uint8_t firsts;    /* CONN_FIRST_* bits: first payload seen per direction */
	uint8_t tcp;       /* CONN_* TCP state bits */
	uint8_t truncated; /* a payload was cut short by the snap length */
	uint16_t telnet;   /* index + 1 into the telnet login pool */
	uint8_t tls;       /* its struct tb_conn_tls (same index) is filled in */
	uint32_t gen;      /* which use of this slot (for the closed queue) */
	uint64_t pkts_out, bytes_out, pkts_in, bytes_in; /* out: sent by the DUT */
	uint64_t payload_out, payload_in;
	uint64_t first_frame, last_frame;
	double first_ts, last_ts;
};

/* TLS details of a connection, in an array parallel to the connections
 * (same index), apart so that the table every packet touches stays small. */
struct tb_conn_tls {
	uint8_t nversions;
	uint16_t offered[8];
	uint16_t chosen;
	uint64_t client_frame, server_frame; /* the first ClientHello and ServerHello */
	char sni[64];
};

/* Connections that carried payload, grouped by peer, service port,
 * initiator and protocol (each connection judged alone when folded in). */
struct tb_flow {
	struct tb_flow_key k;
	uint64_t connections;
	uint64_t inferred;  /* connections whose initiator was inferred */
	uint64_t truncated; /* connections with payload cut short */
	uint64_t pkts_out, bytes_out, pkts_in, bytes_in;
	uint64_t payload_out, payload_in;
	uint64_t first_frame, last_frame;
	double first_ts, last_ts;
	/* TLS, over the group's connections */
	uint8_t tls_nversions; /* of the first ClientHello */
	uint16_t tls_offered[8];
	char sni[64];
	uint64_t tls_client_frame;                 /* the first ClientHello */
	uint64_t tls_ok, tls_weak, tls_incomplete; /* connections: >= TLS 1.2, below, no ServerHello */
	uint16_t tls_lowest;                       /* lowest version chosen by a server */
	uint64_t tls_lowest_frame;                 /* its ServerHello */
	uint64_t tls_server_frame;                 /* the first ServerHello */
};

/* Connections that carried no payload either way (port sweeps, refused
 * or unanswered attempts), per peer and initiator. */
struct tb_probe {
	uint32_t peer; /* as in struct tb_flow_key */
	uint8_t proto, init, v6;
	uint16_t port_lo, port_hi;
	uint64_t connections, first_frame, last_frame;
};

enum tb_secret_kind {
	TB_SEC_HTTP_BASIC_USER,
	TB_SEC_HTTP_BASIC_PASS,
	TB_SEC_HTTP_TOKEN,
	TB_SEC_FTP_USER,
	TB_SEC_FTP_PASS,
	TB_SEC_TELNET_USER,
	TB_SEC_TELNET_PASS,
	TB_SEC_MQTT_USER,
	TB_SEC_MQTT_PASS,
	TB_SEC_SNMP_COMMUNITY
};
const char *tb_secret_kind_name(enum tb_secret_kind k);

/* Values shorter than this are masked entirely: showing one character of a
 * short secret gives away too much of it. */
#define TB_SECRET_SHOW_MIN 8

struct tb_secret {
	enum tb_secret_kind kind;
	int from_dut;         /* the DUT sent it (else a peer sent it to the DUT) */
	struct tb_flow_key k; /* the connection that carried it */
	char masked[8];       /* "***", or the first character and "***" */
	size_t length;        /* the value's length in bytes */
	uint32_t digest;      /* to count repeats of one value, not to recover it */
	uint64_t first_frame, last_frame, count;
	char where[48]; /* e.g. the header name that carried a token */
};

struct tb_name {
	uint32_t addr;
	char name[64];
	uint64_t frame;
};

struct tb_window {
	char label[16];
	double start, end; /* epoch seconds; end 0: open */
	uint64_t bytes[TB_AN_MAX_MINUTES], pkts[TB_AN_MAX_MINUTES];
	uint64_t later_bytes, later_pkts; /* beyond TB_AN_MAX_MINUTES */
	uint64_t first_frame, last_frame;
};

/* What the analysis could not see or keep, any of which could hide a
 * finding.  The traffic check never gives PASS while one is non-zero. */
struct tb_analysis_loss {
	uint64_t untracked;           /* connections with payload that fit in no group */
	uint64_t evicted_open;        /* open connections with payload dropped from the table */
	uint64_t truncated;           /* frames whose payload the snap length cut short */
	uint64_t telnet_untracked;    /* telnet connections whose logins were not followed */
	uint64_t secrets_dropped;     /* secrets not kept (table full, or the peers' share) */
	uint64_t secrets_dropped_dut; /* of which the DUT sent */
	uint64_t probes_dropped;      /* payload-less connections beyond TB_AN_MAX_PROBES */
	uint64_t peers6_dropped;      /* the DUT's IPv6 frames with a peer beyond TB_AN_MAX_PEERS6 */
	int cut_short;                /* the file ends inside a record */
	uint64_t corrupt_frame;       /* the capture is corrupt at this frame (0: it is not) */
	char corrupt_reason[160];
};

struct tb_analysis {
	uint32_t dut; /* the DUT's IPv4 address (when dut4) */
	int dut4;     /* 0: the DUT is known by IPv6 addresses only */
	/* dut, or 1 << 32 when !dut4: compared with a frame's 32-bit
	 * addresses, it then matches none, at no cost to the IPv4 path. */
	uint64_t dut_match;
	uint8_t dut6[TB_AN_MAX_DUT6][16];
	size_t ndut6;
	int link; /* link type of the capture */
	uint64_t frames, bytes, dut_frames, other_frames, undecodable, fragments;
	uint64_t ipv6;           /* IPv6 frames (decoded like IPv4) */
	uint64_t non_ip;         /* frames of neither IP version (ARP, ...) */
	uint64_t stray;          /* TCP segments of no followed connection, without payload */
	uint64_t bad_timestamps; /* went backwards or were invalid: clamped */
	double first_ts, last_ts;
	struct tb_analysis_loss loss;
	struct tb_conn *conns;          /* TB_AN_MAX_CONNS */
	struct tb_conn_tls *conn_tls;   /* TB_AN_MAX_CONNS, parallel to conns */
	uint32_t *buckets;              /* hash buckets: conn index + 1 */
	uint32_t free_head;             /* free conn list: index + 1 */
	uint32_t clock;                 /* eviction hand */
	size_t nconns;                  /* in use */
	uint64_t connections;           /* every connection seen */
	struct tb_telnet_login *telnet; /* TB_AN_MAX_TELNET */
	uint16_t telnet_free[TB_AN_MAX_TELNET];
	size_t ntelnet_free;
	int finished;         /* tb_analysis_finish() folded every connection */
	struct tb_conn *last; /* the last packet's connection, NULL: none */
	/* The MQTT CONNECT classification parsed in frame mqtt_frame (0: none). */
	struct tb_mqtt_connect *mqtt;
	uint64_t mqtt_frame;
	/* Ended connections in the order they ended, folded once the capture
	 * has moved TB_AN_CLOSED_GRACE_S past their last packet: late
	 * segments still find them, and the table's working set stays small. */
	struct tb_closed {
		uint32_t idx, gen;
	} * closed; /* TB_AN_MAX_CONNS, a ring */
	size_t closed_head, closed_n;
	struct tb_flow *flows; /* TB_AN_MAX_FLOWS */
	size_t nflows;
	uint32_t *flow_slots; /* hash slots -> flow index + 1 */
	struct tb_probe probes[TB_AN_MAX_PROBES];
	size_t nprobes;
	struct tb_secret secrets[TB_AN_MAX_SECRETS];
	size_t nsecrets;
	size_t nsecrets_peer; /* of them sent to the device: at most half the table */
	struct tb_name names[TB_AN_MAX_NAMES];
	size_t nnames;
	struct tb_window windows[TB_AN_MAX_WINDOWS];
	size_t nwindows;
	int auto_window; /* no windows given: one over the whole capture */
	/* IPv6 peers, interned: index -> address, and a hash of the indexes. */
	uint8_t (*peers6)[16]; /* TB_AN_MAX_PEERS6 */
	uint32_t npeers6;
	uint32_t *peer6_slots; /* hash slots -> index + 1 */
};

/* An analysis of the DUT at IPv4 address dut (host byte order). */
struct tb_analysis *tb_analysis_new(uint32_t dut);
/* An analysis of a DUT known only by IPv6 addresses: addr is the first
 * (network byte order); IPv4 frames are then no DUT's. */
struct tb_analysis *tb_analysis_new6(const uint8_t addr[16]);
/* Another IPv6 address of the DUT (global or link-local; network byte
 * order).  Returns 0, or -1 when TB_AN_MAX_DUT6 are there already.  Call
 * before the first frame. */
int tb_analysis_add_dut6(struct tb_analysis *a, const uint8_t addr[16]);
void tb_analysis_free(struct tb_analysis *a);
/* Observation window [start, end) in epoch seconds; outbound volume in it is
 * counted per minute.  Without any, one window spans the whole capture. */
void tb_analysis_add_window(struct tb_analysis *a, const char *label, double start, double end);
/* One captured frame of link type dlt. */
void tb_analysis_frame(struct tb_analysis *a, int dlt, double ts, const uint8_t *p, size_t caplen,
		       size_t wirelen);
/* Fold every connection still followed into the groups (flows, probes):
 * call after the last frame, before reading flows.  The readers below do. */
void tb_analysis_finish(struct tb_analysis *a);
/* Describe every loss of information that could hide a finding ("" and 0
 * when there is none); kernel_dropped: the capture's own drop counter. */
size_t tb_analysis_loss_describe(const struct tb_analysis *a, uint64_t kernel_dropped, char *out,
				 size_t cap);
/* Read a pcap or pcapng file through libpcap.  TB_E_FORMAT for an
 * unsupported link type, TB_E_IO when the file cannot be read. */
TB_WUR enum tb_err tb_analysis_read_file(struct tb_analysis *a, const char *path, struct tb_diag *d);
/* The same, also giving the file's SHA-256 and size (one pass). */
TB_WUR enum tb_err tb_analysis_read_file_sha256(struct tb_analysis *a, const char *path,
						uint8_t sum[32], uint64_t *bytes, struct tb_diag *d);
/* The most frequent IPv4 address among the first frames of a capture
 * (for captures taken elsewhere, without a profile). */
TB_WUR enum tb_err tb_analysis_guess_dut(const char *path, uint32_t *dut, struct tb_diag *d);

/* Enough for a peer's text (an IPv6 address in RFC 5952 form). */
#define TB_AN_ADDR_TEXT 46
/* A peer (v6 and peer as in struct tb_flow_key) as text: dotted IPv4, or
 * IPv6 in RFC 5952 form (inet_ntop). */
void tb_analysis_peer_format(const struct tb_analysis *a, int v6, uint32_t peer,
			     char out[TB_AN_ADDR_TEXT]);
/* The DUT's addresses as text, IPv4 first, separated by spaces (cap: at
 * least 16; what does not fit is left out). */
void tb_analysis_dut_format(const struct tb_analysis *a, char *out, size_t cap);
/* Name of a peer from the DUT's DNS answers (A records: IPv4 peers only),
 * or NULL. */
const char *tb_analysis_peer_name(const struct tb_analysis *a, int v6, uint32_t peer);
/* "peer:port/proto (name)" for messages; an IPv6 peer is bracketed:
 * "[2001:2::1]:21/tcp". */
void tb_analysis_flow_label(const struct tb_analysis *a, const struct tb_flow_key *k, char *out,
			    size_t cap);

/* How the capture was obtained, for the report. */
struct tb_capture_info {
	const char *status;    /* recorded | missing | offline */
	const char *path;      /* relative to OUT (live) or as given (offline) */
	const char *interface; /* live only */
	const char *filter;
	const char *reason; /* why missing, NULL otherwise */
	int have_sha;
	uint8_t sha256[32];
	uint64_t bytes;
	int have_stats;
	uint64_t received, dropped; /* kernel counters at the end of the run */
	int privileges_dropped;
	const char *privileges; /* what was done about privileges */
	/* Byte strings (the declared test credentials the harness sends) masked
	 * with '*' in the capture before it was written (capture.h). */
	uint64_t masked_secrets;
};

/* Append <traffic> (capture facts and, when a is not NULL, the analysis)
 * to parent, an xmlNodePtr. */
void tb_traffic_to_dom(const struct tb_capture_info *ci, const struct tb_analysis *a, void *parent);
/* Write <traffic> as a standalone XML document (trustbench analyze). */
TB_WUR enum tb_err tb_traffic_write(const struct tb_capture_info *ci, const struct tb_analysis *a,
				    const char *path, struct tb_diag *d);

#endif
