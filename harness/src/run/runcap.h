/* runcap.h: the capture's part in a run (used by runner.c).
 *
 * Before the first test case: open the capture, drop privileges, record the
 * "before" observation window (lab.observe-seconds of idle time).  After
 * the last: the "after" window, stop the writer, hash the file and analyze
 * it for the report's <traffic> section.
 */
#ifndef TB_RUNCAP_H
#define TB_RUNCAP_H

#include <signal.h>

#include "capture/analyze.h"
#include "capture/capture.h"
#include "load/profile.h"
#include "net/net6.h"

struct tb_runcap {
	struct tb_capture cap;
	struct tb_capture_info info;
	struct tb_analysis *an; /* the final analysis, NULL until tb_runcap_end */
	uint32_t dut;
	/* The DUT's IPv6 addresses for the analysis: the runner points found6
	 * at what it discovered and declared; until it does (NULL), the
	 * profile's declared dut.address6. */
	const struct tb_net6_found *found6;
	const struct tb_profile *profile;
	long observe_s;
	double win_start[2], win_end[2];
	char privileges[320];
	char path_note[64];
};

/* Returns 0, or -1 when privileges could not be dropped (the run must not
 * go on: the message is on stderr). */
int tb_runcap_begin(struct tb_runcap *rc, const struct tb_profile *p, const char *outdir,
		    const char *user, int quiet);
/* Idle observation: sleep observe_s seconds (window 0 "before" or 1
 * "after"), returning early when *stop becomes set. */
void tb_runcap_observe(struct tb_runcap *rc, int which, volatile sig_atomic_t *stop, int quiet);
/* Stop the capture, hash it and analyze it (every DUT address: IPv4 and
 * IPv6). */
void tb_runcap_end(struct tb_runcap *rc);
void tb_runcap_free(struct tb_runcap *rc);

#endif
