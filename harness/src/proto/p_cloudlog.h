/* p_cloudlog.h: the lab cloud's control-channel answers (the cloud-identity
 * check is the client; fixtures/refdevice/cloud.c the server).
 *
 * An answer to PRESENT or GENUINE is one line, "OK <epoch>" or
 * "ERR <reason>".  The answer to "LOG <from-seq>" is one line per TLS
 * connection event, then "END <next-seq>":
 *   EV <seq> <epoch> <port> <result> <appbytes> <sni> <detail> <hex> <client>
 * (result: accepted | refused; sni, detail and hex "-" when empty; client
 * the IPv4 address that connected: several devices share a lab cloud), each
 * line at most 1024 bytes.  The cloud is ours, but the SNI, the detail and
 * the hex part relay what the device sent: the bytes are untrusted.  Pure
 * and bounded: every number is range-checked, every token copied into a
 * fixed buffer, anything else refused.
 */
#ifndef TB_P_CLOUDLOG_H
#define TB_P_CLOUDLOG_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"

#define TB_CLOG_LINE_MAX 1024  /* bytes of one line, its '\n' not counted */
#define TB_CLOG_SNI_MAX 255    /* a DNS name at most */
#define TB_CLOG_DETAIL_MAX 127 /* "alert:..." */
#define TB_CLOG_DATA_MAX 256   /* application-data bytes the cloud relays */
#define TB_CLOG_MAX_EVENTS 256 /* the cloud keeps the last 256 */
#define TB_CLOG_ANSWER_MAX 200 /* an OK/ERR line */

enum tb_clog_result { TB_CLOG_REFUSED, TB_CLOG_ACCEPTED };

struct tb_clog_event {
	uint64_t seq;
	uint64_t epoch; /* the certificate epoch in force when the connection was accepted */
	uint16_t port;
	enum tb_clog_result result;
	uint64_t appbytes; /* application-data bytes received after the handshake */
	/* The client's SNI and the cloud's detail; "" for "-".  Bytes other
	 * than printable ASCII are replaced by '?'. */
	char sni[TB_CLOG_SNI_MAX + 1];
	char detail[TB_CLOG_DETAIL_MAX + 1];
	uint8_t data[TB_CLOG_DATA_MAX]; /* the first application-data bytes */
	size_t datalen;
	uint32_t client; /* the connecting address, host byte order */
};

struct tb_clog {
	struct tb_clog_event ev[TB_CLOG_MAX_EVENTS];
	size_t n;
	uint64_t next_seq; /* from END */
};

/* One EV line without its '\n'.  TB_E_FORMAT when it is anything else. */
TB_WUR enum tb_err tb_p_cloudlog_line(const uint8_t *p, size_t n, struct tb_clog_event *ev);
/* A whole LOG answer: EV lines, then "END <next-seq>\n", nothing after.
 * TB_E_TRUNC when END has not arrived yet (more bytes may complete it);
 * TB_E_FORMAT on a bad line (*bad_line, 1-based, says which; may be NULL),
 * more than TB_CLOG_MAX_EVENTS events or bytes after END. */
TB_WUR enum tb_err tb_p_cloudlog(const uint8_t *p, size_t n, struct tb_clog *out, size_t *bad_line);
/* The answer to PRESENT or GENUINE: "OK <epoch>\n" is TB_OK with *epoch;
 * "ERR <reason>\n" is TB_E_REFUSED with the reason (printable ASCII, '?'
 * for any other byte) in why; TB_E_TRUNC without the '\n' (and at most
 * TB_CLOG_ANSWER_MAX bytes so far), TB_E_FORMAT otherwise. */
TB_WUR enum tb_err tb_p_cloud_answer(const uint8_t *p, size_t n, uint64_t *epoch, char *why,
				     size_t whycap);

#endif
