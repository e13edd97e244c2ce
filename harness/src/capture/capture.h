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
