/* login.h: one login attempt on one interface, for every protocol the
 * credential phase (check/credphase.h) tries.
 *
 * A driver knows one protocol (telnet, http, ssh, mqtt, ftp, snmp, rtsp).
 * Its attempt function makes exactly one guess on a fresh connection (or,
 * for SNMP, one request) and says what the device did.  Rules every driver
 * keeps:
 *   - the device is reached only through ctx->net (tb_net_connect, the
 *     scoped, rate-limited path; tb_udp_* for SNMP), every read and write
 *     with a deadline no later than t->deadline_ms;
 *   - ACCEPTED only on positive evidence that the device granted access
 *     (a shell evaluated a command, a 2xx where a 401 was, CONNACK 0 on a
 *     broker that refuses a wrong password, FTP 230 then a working command,
 *     SSH userauth success, an SNMP GetResponse with data), never on the
 *     absence of an error;
 *   - REJECTED only on an explicit refusal (or, for SNMP, the silence the
 *     protocol defines as refusal, on an agent known to answer);
 *   - THROTTLED when the device says "slow down" (429/503, FTP 421, a
 *     lockout message), with Retry-After when it gave one;
 *   - anything else is UNCONFIRMED or NOCONNECT, with the reason in detail;
 *   - when t->secret is set the password is the profile's declared test
 *     credential: it never appears in the log, the detail or anywhere else;
 *   - the functions may run on a worker thread, one interface per thread:
 *     they touch only *t, their interface, ctx->net and their own locals
 *     (no tb_ev_* calls: the phase writes the evidence afterwards).
 */
#ifndef TB_LOGIN_H
#define TB_LOGIN_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"

struct tb_ctx;
struct tb_auth;

enum tb_login_outcome {
	TB_LOGIN_REJECTED,
	TB_LOGIN_ACCEPTED,
	TB_LOGIN_UNCONFIRMED,
	TB_LOGIN_NOCONNECT,
	TB_LOGIN_THROTTLED,
};

const char *tb_login_outcome_name(enum tb_login_outcome o);

/* Bounded plain-ASCII transcript of what went each way, one line per
 * message ("-- ", ">> ", "<< " prefixes); becomes an evidence file. */
#define TB_LOGIN_LOG_MAX (128 * 1024)
struct tb_login_log {
	char *buf;
	size_t len;
	int full;
};
/* Append one line: dir is "--" (a note), ">>" (sent) or "<<" (received);
 * data is escaped to printable ASCII, CRs dropped. */
void tb_login_log_add(struct tb_login_log *l, const char *dir, const void *data, size_t len);
/* printf-style note line ("-- ..."). */
void tb_login_log_note(struct tb_login_log *l, const char *fmt, ...) TB_PRINTF(2, 3);
void tb_login_log_free(struct tb_login_log *l);

/* One login interface: a protocol on a port (and a resource for HTTP and
 * RTSP).  Filled by the phase's discovery; a driver reads it and may keep
 * what it learns across attempts in state/flags (one thread per interface). */
struct tb_login_iface {
	const struct tb_login_driver *drv;
	char name[160]; /* "ssh/22", "https/443/admin", "snmp/161": evidence label */
	uint32_t addr;  /* IPv4, host byte order */
	uint16_t port;
	int tls;                        /* speak TLS (http, mqtt, ftp: implicit TLS) */
	char path[600];                 /* http, rtsp: the resource that asked for credentials */
	int digest;                     /* http, rtsp: the 401 offered Digest only */
	const struct tb_auth *declared; /* the profile's authentication entry, or NULL */
	int found_by_probing;           /* not declared: found by the phase */
	/* Driver-private memory across attempts (e.g. an HTTP moved-to cache);
	 * freed with free() after the last attempt. */
	void *state;
};

/* One guess. */
struct tb_login_try {
	struct tb_ctx *ctx;
	struct tb_login_iface *ifc;
	const char *user, *pass; /* never NULL; "" for an empty one */
	int secret;              /* pass (and user) are the declared test credential */
	int64_t deadline_ms;     /* tb_now_ms() clock: the whole attempt */
	int intrusive_write;     /* lab.intrusive: a driver may test write access (and restore) */
	struct tb_login_log *log;
	/* out */
	char detail[320];              /* why this outcome, one line, no secret */
	int retry_after_s;             /* THROTTLED: what the device asked for; -1 not said */
	char finding[320];             /* ACCEPTED: anything more it established (e.g. "can write
					  sysContact (set and restored)"), else empty */
	int can_write;                 /* ACCEPTED and write access was shown */
	uint8_t sent[2048], got[2048]; /* ACCEPTED: the exchange that proves it (bounded) */
	size_t sentlen, gotlen;
};

struct tb_login_driver {
	const char *service;   /* "telnet", "http", "ssh", "mqtt", "ftp", "snmp", "rtsp" */
	const char *transport; /* "tcp" or "udp" */
	uint16_t default_port;
	/* SNMP has no user: the phase passes user "" and a community (from the
	 * case's community list) as pass.  Every other driver gets the
	 * credential list's user/password pairs. */
	enum tb_login_outcome (*attempt)(struct tb_login_try *t);
};

/* Does device text (an SSH DISCONNECT message, an FTP or telnet refusal)
 * say "slow down": too many failures, a lockout, a rate limit, rather than
 * judging this one guess?  Case-insensitive, anywhere in the text. */
int tb_login_text_throttled(const char *text);

/* Keep at most the bounded copy of an exchange that proves a login. */
void tb_login_keep(uint8_t *dst, size_t *dlen, size_t cap, const void *src, size_t n);

extern const struct tb_login_driver tb_login_telnet, tb_login_http, tb_login_ssh, tb_login_mqtt,
	tb_login_ftp, tb_login_snmp, tb_login_rtsp;

#endif
