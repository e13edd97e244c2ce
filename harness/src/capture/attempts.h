/* attempts.h: the device's connection attempts to its cloud, read from the
 * run's capture (the outage check, EN 303 645 5.9).
 *
 * An attempt is a TCP SYN (without ACK) from the device to the cloud's
 * address; a connection made is the cloud's SYN-ACK back.  Retransmitted
 * SYNs (the same device port and initial sequence number) are one attempt,
 * and the same for SYN-ACKs.  The capture is read with libpcap (a BPF
 * filter keeps the device's TCP with the cloud) and each frame is decoded
 * by proto/p_pkt.h; the only bytes read here besides are the TCP header's
 * sequence number, found through the offsets p_pkt has checked (fuzzed by
 * harness/fuzz/fuzz_attempts.c).
 */
#ifndef TB_ATTEMPTS_H
#define TB_ATTEMPTS_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"

#define TB_ATTEMPTS_MAX 100000 /* events kept; the rest are counted in dropped */

enum tb_att_kind { TB_ATT_SYN, TB_ATT_SYNACK };

struct tb_att_event {
	double ts; /* capture time, epoch seconds */
	enum tb_att_kind kind;
	uint16_t dev_port, cloud_port;
	uint32_t seq; /* the SYN's (or SYN-ACK's) sequence number */
};

struct tb_attempts {
	uint32_t dut, cloud; /* IPv4, host byte order */
	double from, to;     /* the time window kept (inclusive) */
	struct tb_att_event *v;
	size_t n, cap;
	unsigned long retransmits; /* SYNs and SYN-ACKs seen again */
	unsigned long dropped;     /* past TB_ATTEMPTS_MAX */
	long offset; /* the file offset after the last record read: the next read resumes there */
};

/* Start an empty list for dut -> cloud in [from, to]. */
void tb_attempts_init(struct tb_attempts *a, uint32_t dut, uint32_t cloud, double from, double to);
void tb_attempts_free(struct tb_attempts *a);
/* Take one captured frame (link type dlt, as pcap_datalink gives it): adds
 * an event when it is a new SYN from the device to the cloud or a new
 * SYN-ACK back, within the window.  Returns 1 when it added one, else 0.
 * Pure; bounds-checked against caplen. */
int tb_attempts_frame(struct tb_attempts *a, int dlt, double ts, const uint8_t *frame, size_t caplen);
/* Read a capture file into a (initialised by tb_attempts_init), from where
 * the last read of it stopped: the outage check reads the growing capture
 * every second, and the whole run's capture may be large.  A record cut
 * short at the end (the writer is still appending) ends the read quietly
 * and is read whole next time; a file that cannot be opened is TB_E_IO. */
TB_WUR enum tb_err tb_attempts_read(const char *pcap_path, struct tb_attempts *a, struct tb_diag *d);
/* How many events of a kind; with cloud_port 0, every port. */
size_t tb_attempts_count(const struct tb_attempts *a, enum tb_att_kind k, uint16_t cloud_port,
			 double from, double to);
/* The first event of a kind at or after from, or NULL. */
const struct tb_att_event *tb_attempts_first(const struct tb_attempts *a, enum tb_att_kind k,
					     double from);

#endif
