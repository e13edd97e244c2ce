/* ctx.h: the run context every check family receives (struct tb_ctx). */
#ifndef TB_CTX_H
#define TB_CTX_H

#include <time.h>

#include "net/net.h"
#include "net/net6.h"

struct tb_suite;
struct tb_profile;
struct tb_capture;
struct tb_surface;
struct tb_credphase;
struct tb_decisions;
struct tb_result;
struct tb_tc_ca;

/* Built once by the runner; families read it and reach the device only
 * through net (the one scoped, rate-limited connect path). */
struct tb_ctx {
	const struct tb_suite *suite;
	const struct tb_profile *profile;
	struct tb_net net;
	const char *outdir;
	time_t now;                 /* wall-clock time at the start of the run */
	struct tb_capture *capture; /* the run's live capture, NULL when none */
	/* The profile's scope with its link-local zone bound to lab.interface
	 * (net.scope points here), and the DUT's IPv6 addresses, discovered on
	 * the lab link and declared (dut.address6): all inside the scope.
	 * dut6.how says how discovery went (evidence). */
	struct tb_scope scope;
	struct tb_net6_found dut6;
	/* What the exposure sweeps found, for the cases that judge it later
	 * in the run (check/surface.h); NULL outside a run. */
	struct tb_surface *surface;
	/* The run's credential phase once a case ran it (check/credphase.h),
	 * for the cases that judge it later; *creds is NULL until then.
	 * creds itself is NULL outside a run (each case then runs its own). */
	struct tb_credphase **creds;
	/* For decision-tree cases (run/treerun.h): the examiner's decisions
	 * (NULL when none) and the results so far (NULL outside a run). */
	const struct tb_decisions *decisions;
	const struct tb_result *results;
	const size_t *nresults;
	/* The profile's lab.cloud.trusted-ca, read before privileges are
	 * dropped (its key may be readable by root alone) when the run has a
	 * cloud-identity case: the CA, or NULL with the reason it could not be
	 * read in cloud_ca_error ("" when nothing was to be read). */
	const struct tb_tc_ca *cloud_ca;
	const char *cloud_ca_error;
};

#endif
