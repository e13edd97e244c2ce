/* junit.h: the run's results as JUnit XML, for vendors' CI systems.
 *
 * One <testcase> per suite test case that ran, classname = the test
 * group's EN 303 645 provision (e.g. "5.1-1"), name = "<id> <title>",
 * time = the case's duration in seconds.  Verdicts map as follows; nothing
 * but pass shows as passed:
 *   pass            passed (no child element)
 *   fail            <failure type="fail">
 *   error           <error type="error">
 *   inconclusive    <error type="inconclusive">: the device could not be
 *                   assessed, which CI must treat as a broken test
 *   needs-examiner  <skipped message="needs-examiner: ...">: not decided by
 *                   the harness; a human examiner must decide
 *   not-applicable  <skipped message="not-applicable: ...">
 * The message attribute always starts with the verdict; the element's text
 * is the full reason.  While the run goes on, or when it was interrupted,
 * one extra testcase "run incomplete" carries an <error type="incomplete">,
 * so a partial file never reads as green.
 */
#ifndef TB_JUNIT_H
#define TB_JUNIT_H

#include "report/report.h"

/* Write the results so far to path atomically; with path NULL, do nothing. */
TB_WUR enum tb_err tb_junit_write(const struct tb_run_info *ri, const char *path, struct tb_diag *d);

#endif
