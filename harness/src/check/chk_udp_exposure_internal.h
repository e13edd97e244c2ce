/* chk_udp_exposure_internal.h: the UDP sweep as a callable step, shared by
 * the udp-exposure and amplification families (and, later, the TCP exposure
 * check judging TCP and UDP together for 5.6-1-2), and what their unit
 * tests see (TB_UNITTEST in tb.h). */
#ifndef TB_CHK_UDP_EXPOSURE_INTERNAL_H
#define TB_CHK_UDP_EXPOSURE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"
#include "net/scope.h"
#include "net/udp.h"
#include "proto/p_udpprobe.h"

struct tb_ctx;
struct tb_profile;
struct tb_result;
struct tb_params;

enum tb_udp_port_state {
	TB_UDPS_UNPROBED = 0, /* not in the list, or a local error kept it from being probed */
	TB_UDPS_NOANSWER,     /* open|filtered: UDP cannot prove absence */
	TB_UDPS_CLOSED,       /* ICMP port unreachable from the device */
	TB_UDPS_OPEN,         /* the device answered with UDP */
};
const char *tb_udp_state_name(enum tb_udp_port_state s);

/* Bytes kept per open port (replies beyond it are counted, not stored), and
 * over the whole sweep. */
#define TB_UDP_KEEP_PER_PORT (64 * 1024)
#define TB_UDP_KEEP_TOTAL (16 * 1024 * 1024)
/* Open ports that get a full record (identity, reply); a device answering on
 * more is still judged port by port from state[], without the detail. */
#define TB_UDP_MAX_OPEN_RECORDS 1024

struct tb_udp_open_port {
	uint16_t port;
	enum tb_udp_proto proto;   /* the probe whose reply identified it best */
	uint32_t txid;             /* that probe's txid */
	struct tb_udp_ident ident; /* the best identification: protocol "unknown" when none */
	uint8_t *reply;            /* that reply (bounded copy), or the first one */
	size_t reply_len, reply_total;
	unsigned long datagrams; /* replies accepted from this port */
	size_t kept, total;      /* reply bytes stored / received from this port */
	uint32_t sent_mask;      /* probes sent to it (bit per enum tb_udp_proto) */
};

/* The sweep's parameters, shared by the param tables of the families that
 * sweep UDP (udp-exposure, amplification, and exposure, which names its
 * port list udp-ports beside its TCP one). */
/* clang-format off */
#define TB_UDP_SWEEP_PARAMS \
	{ .name = "ports", .type = TB_P_STR, .dflt = "1-65535", \
	  .help = "UDP ports to sweep, e.g. \"1-65535\" or \"53,161,5000-6000\"" }, \
	TB_UDP_SWEEP_TUNING
#define TB_UDP_SWEEP_TUNING \
	{ .name = "settle-ms", .type = TB_P_INT, .min = 20, .max = 30000, .dflt = "1000", \
	  .help = "longest wait for late replies after each round of probes (all of it " \
		  "while the device has answered nothing)" }, \
	{ .name = "min-settle-ms", .type = TB_P_INT, .min = 10, .max = 30000, .dflt = "200", \
	  .help = "shortest wait after each round once the device has answered: the round " \
		  "ends when it has been quiet this long or 4x its slowest answer, " \
		  "whichever is longer" }, \
	{ .name = "deep-probe-budget", .type = TB_P_INT, .min = 0, .max = 65535, .dflt = "1024", \
	  .help = "no-answer ports that also get every protocol probe (ascending order)" }, \
	{ .name = "usual-retries", .type = TB_P_INT, .min = 0, .max = 3, .dflt = "1", \
	  .help = "retransmits of a protocol probe on its usual port" },
/* clang-format on */

struct tb_udp_sweep_params {
	const char *ports; /* port list, as tb_port_list_parse() reads it */
	int settle_ms;     /* longest wait for replies after each round */
	int min_settle_ms; /* shortest, once the device has answered (adaptive) */
	long deep_budget;  /* no-answer ports that also get every protocol probe */
	int usual_retries; /* retransmits of a probe on its usual port */
	/* The address to sweep (one of the device's IPv6 addresses, say);
	 * NULL: the profile's IPv4 address. */
	const struct tb_addr *target;
};
/* Read the sweep's params of a test case: the port list from the parameter
 * named ports_param, the rest (settle-ms, min-settle-ms, deep-probe-budget,
 * usual-retries) by their names in TB_UDP_SWEEP_TUNING. */
void tb_udp_sweep_params_from(const struct tb_params *tp, const char *ports_param,
			      struct tb_udp_sweep_params *p);

struct tb_udp_sweep_result {
	struct tb_addr target;         /* the address swept */
	long nports;                   /* ports in the list */
	uint8_t *state;                /* 65536 entries of enum tb_udp_port_state */
	struct tb_udp_open_port *open; /* in port order, at most TB_UDP_MAX_OPEN_RECORDS */
	size_t nopen;
	unsigned long nopen_ports; /* open ports, with or without a record */
	unsigned long unrecorded;  /* open ports beyond the records' cap */
	unsigned long closed, noanswer, unprobed;
	unsigned long deep_probed;  /* no-answer ports that got every protocol probe */
	unsigned long deep_skipped; /* no-answer ports left out by the budget */
	unsigned long sent, foreign, truncated, scope_refusals, send_errors, icmp_other;
	size_t bytes_dropped; /* reply bytes counted but not stored (caps) */
	struct tb_udp_icmp_rate icmp;
	double send_rate;   /* datagrams per second achieved */
	int64_t max_rtt_ms; /* slowest answer seen (reply or ICMP), -1: none */
	int64_t duration_ms;
	char error[512]; /* why ports stayed unprobed, "" when none did */
};

/* Sweep the DUT's UDP ports: protocol probes on their usual ports (with
 * retransmits), a generic probe to every port, then every protocol probe to
 * each port that answered and to up to deep_budget no-answer ports.  Fills
 * *out (free it with tb_udp_sweep_result_free).  TB_OK, or TB_E_CONFIG for
 * a bad port list / TB_E_IO / TB_E_SCOPE with the reason in out->error
 * (nothing was probed then). */
enum tb_err tb_udp_exposure_sweep(struct tb_ctx *ctx, const struct tb_udp_sweep_params *p,
				  struct tb_udp_sweep_result *out);
void tb_udp_sweep_result_free(struct tb_udp_sweep_result *r);

/* Record the open ports (protocol, product, needs-auth and what each
 * disclosed) in the run's attack surface (check/surface.h) as endpoints
 * "udp" on addr, and name case_id as the case that swept UDP.  Only ports
 * with a record (at most TB_UDP_MAX_OPEN_RECORDS) are added. */
struct tb_surface;
/* Keep a finished sweep in the run's surface (ctx->surface, when there is
 * one) for the families that judge it later; takes *r over (r is left
 * empty).  Records its open ports as endpoints too. */
void tb_udp_sweep_keep(struct tb_ctx *ctx, const char *case_id, const char *ports,
		       struct tb_udp_sweep_result *r);
/* The sweep an earlier case of this run made over exactly these ports, or NULL. */
const struct tb_udp_sweep_result *tb_udp_sweep_kept(const struct tb_ctx *ctx, const char *ports,
						    const char **case_id);
void tb_udp_sweep_to_surface(const struct tb_udp_sweep_result *r, const char *addr, const char *case_id,
			     struct tb_surface *s);

/* The port's open record, or NULL. */
const struct tb_udp_open_port *tb_udp_sweep_find(const struct tb_udp_sweep_result *r, uint16_t port);

/* Judge the open ports against the profile's `transport: udp` services:
 * writes the ports that fail ("161 (undeclared snmp)", ...) into bad (""
 * when none).  Returns how many fail. */
size_t tb_udp_exposure_undeclared(const struct tb_profile *p, const struct tb_udp_sweep_result *r,
				  char *bad, size_t badlen);
/* Judge the open ports of a sweep of another of the device's addresses
 * (r6, over IPv6) against the sweep of its IPv4 address (r4): a port open
 * only in r6 that is undeclared, or speaks another protocol than declared,
 * is appended to bad ("5353 (undeclared mdns, IPv6 only, at ADDR)", comma
 * separated after what bad already holds).  Returns how many. */
size_t tb_udp_exposure_only_there(const struct tb_profile *p, const struct tb_udp_sweep_result *r6,
				  const struct tb_udp_sweep_result *r4, char *bad, size_t badlen);
/* Evidence for a sweep: udp-ports.tsv, a note per open port, the sweep
 * summary with the ICMP rate, and declared services that were not found. */
void tb_udp_exposure_evidence(struct tb_ctx *ctx, struct tb_result *res,
			      const struct tb_udp_sweep_result *r);
/* The same for a sweep of an IPv6 address: the port table in tsv_name,
 * the notes name the address, and declared services that did not answer
 * there are not listed (a service may listen on IPv4 only). */
void tb_udp_exposure_evidence_as(struct tb_ctx *ctx, struct tb_result *res,
				 const struct tb_udp_sweep_result *r, const char *tsv_name);

/* The amplification arithmetic: bytes returned per byte sent. */
double tb_amp_ratio(size_t sent, size_t returned);
/* 1 when a measurement is above either limit of the rule table. */
int tb_amp_over_limits(size_t sent, size_t returned, unsigned long packets, double max_ratio,
		       long max_packets);

#endif
