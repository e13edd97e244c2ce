/* verdict.h: the verdict vocabulary and how verdicts combine. */
#ifndef TB_VERDICT_H
#define TB_VERDICT_H

/* Ordered from least to most severe: combining takes the most severe. */
enum tb_verdict {
	TB_V_NA = 0,       /* not applicable (declared, with the reason) */
	TB_V_PASS,         /* the check ran and the device conforms */
	TB_V_EXAMINER,     /* a human examiner must decide */
	TB_V_INCONCLUSIVE, /* the check ran but could not decide */
	TB_V_ERROR,        /* the harness could not run the check */
	TB_V_FAIL,         /* the device does not conform */
	TB_V_COUNT
};

/* Report spelling: "pass", "fail", "not-applicable", "inconclusive", "error",
 * "needs-examiner". */
const char *tb_verdict_name(enum tb_verdict v);
/* Parse a report spelling; returns -1 when unknown. */
int tb_verdict_parse(const char *s);
/* The verdict of two results taken together (e.g. the test cases of one
 * provision): FAIL beats ERROR beats INCONCLUSIVE beats needs-examiner beats
 * PASS beats not-applicable.  PASS needs at least one PASS: a provision whose
 * every case is not applicable stays not applicable. */
enum tb_verdict tb_verdict_combine(enum tb_verdict a, enum tb_verdict b);

/* Process exit codes. */
enum {
	TB_EXIT_PASS = 0,      /* every applicable test case passed */
	TB_EXIT_USAGE = 1,     /* bad usage or bad input files */
	TB_EXIT_FAIL = 2,      /* at least one FAIL */
	TB_EXIT_UNDECIDED = 3, /* no FAIL, but inconclusive/error/needs-examiner */
};
/* Exit code for a run with these verdict counts (indexed by enum tb_verdict). */
int tb_exit_code(const unsigned counts[TB_V_COUNT]);

#endif
