/* report.h: the XML report (reports/schema/trustbench-report.xsd).
 *
 * The writer reads only the run's inputs, results and evidence.  It is
 * called after every test case, so the report on disk is always complete
 * XML: status="partial" until the run ends.
 */
#ifndef TB_REPORT_H
#define TB_REPORT_H

#include "result/result.h"

struct tb_capture_info;
struct tb_analysis;

#define TB_REPORT_NS "urn:trustbench:report:1"

struct tb_run_info {
	const struct tb_suite *suite;
	const struct tb_profile *profile;
	const struct tb_net *net;
	const char *started, *finished; /* RFC 3339 UTC; finished NULL while running */
	int complete;
	const char *decisions_path; /* NULL when no examiner decisions file */
	uint8_t decisions_sha256[32];
	const char *assessor_role;       /* vendor, lab; NULL: unspecified */
	const char *assessor_name;       /* NULL when not given */
	const unsigned char *selected;   /* per suite case: 1 when --only chose it; NULL: all */
	const struct tb_result *results; /* in run order */
	size_t nresults;
	const struct tb_capture_info *capture; /* NULL: no <traffic> section */
	const struct tb_analysis *traffic;     /* the capture's analysis, once done */
};

/* Build the report and write it atomically to path. */
TB_WUR enum tb_err tb_report_write(const struct tb_run_info *ri, const char *path, struct tb_diag *d);
/* How many test cases the run was asked to run (all, or those --only chose). */
size_t tb_report_selected_count(const struct tb_run_info *ri);

#endif
