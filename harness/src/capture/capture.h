/* capture.h: the live capture kept for a whole run.
 *
 * tb_capture_start() opens a libpcap handle on the profile's lab interface,
 * filtered to the DUT's IPv4 address and all IPv6 (the DUT's IPv6 addresses
 * are found later), and creates OUT/evidence/capture.pcap; then
 * it forks a writer process that copies packets from the handle into the
 * file and flushes after every batch (at least every 100 ms), so a run that
 * is killed still leaves a capture that reads up to its last moments.
 *
 * Why a child process rather than a thread: the writer keeps draining the
 * kernel ring while the harness blocks in a check, and it does not share the
 * harness's fate: if the harness crashes or is killed, the writer sees its
 * control pipe close, flushes and exits.  The writer only copies bytes; it
 * never parses them, and it gives up privileges too (priv.h).
 *
 * When the interface cannot be opened (no permission, no such interface)
 * the run goes on: the capture is recorded as missing, with the reason.
 */
#ifndef TB_CAPTURE_H
#define TB_CAPTURE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/tb.h"

#define TB_CAPTURE_REL "evidence/capture.pcap"

struct tb_capture {
	int active; /* the writer is running */
	pid_t pid;
	int cmd_fd, ack_fd; /* pipes to and from the writer */
	char path[4096];    /* OUT/evidence/capture.pcap */
	char filter[64];
	char ifname[32];
	char reason[512]; /* why there is no capture ("" when there is one) */
	int have_stats;
	uint64_t received, dropped;
};

/* The harness's own secrets in the capture: the credential phase sends the
 * profile's declared test credentials to the device, in clear over telnet,
 * FTP and MQTT and as base64 in HTTP and RTSP Basic.  Each byte string
 * registered here before tb_capture_start() is overwritten with '*' (same
 * length) in every packet before the writer stores it, so the evidence
 * never holds them; the report says the capture is masked.  Strings
 * shorter than TB_CAPTURE_REDACT_MIN (they would mask ordinary bytes) or
 * longer than 256 bytes, and more than 32 of them, are refused (-1). */
#define TB_CAPTURE_REDACT_MIN 4
int tb_capture_redact(const void *secret, size_t n);
/* How many strings are registered. */
size_t tb_capture_redactions(void);
/* Mask every registered string in buf (pure; what the writer does to each
 * packet).  Returns the number of occurrences masked. */
size_t tb_capture_mask(uint8_t *buf, size_t len);

/* Open the capture.  Returns TB_OK with c->active set, or an error with
 * c->reason filled (the run goes on without a capture).  user: whom the
 * writer drops to (see priv.h). */
enum tb_err tb_capture_start(struct tb_capture *c, const char *ifname, uint32_t dut, const char *outdir,
			     const char *user);
/* Make the file hold every packet captured so far (deadline timeout_ms),
 * and update the kernel's counters (received, dropped) to this moment. */
enum tb_err tb_capture_sync(struct tb_capture *c, int timeout_ms);
/* Stop the writer after a final drain (until the kernel has nothing left,
 * block timeouts included), and collect the kernel's counters read after
 * it: received minus dropped is the number of packets in the file. */
void tb_capture_stop(struct tb_capture *c);

#endif
