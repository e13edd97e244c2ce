/* runner.c: run a suite against a device (see runner.h). */
#include "runner.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "junit.h"
#include "report.h"
#include "runcap.h"
#include "runcap.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

void tb_utc_now(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int tb_case_gate(const struct tb_ctx *ctx, const struct tb_case *tc, struct tb_result *res)
{
	const struct tb_profile *p = ctx->profile;
	const struct tb_group *g = &ctx->suite->groups[tc->group];
	const struct tb_ics *ic = tb_profile_ics(p, g->provision);
	if (ic && ic->support == TB_SUP_NA) {
		if (tb_status_conditional(g->status)) {
			tb_result_set(res, TB_V_NA, "the supplier declares provision %s not applicable: %s",
				      g->provision,
				      ic->justification ? ic->justification : "(no justification given)");
			return 1;
		}
		tb_ev_note(res, "applicability",
			   "the ICS declares %s not applicable, but its status %s has no condition: "
			   "the test case runs",
			   g->provision, g->status);
	}
	for (size_t i = 0; i < tc->nconds; i++) {
		const struct tb_cond *c = &tc->conds[i];
		int declared = tb_profile_feature(p, c->feature);
		if (declared < 0) {
			tb_ev_note(res, "applicability",
				   "feature '%s' is not declared: the test case is assumed to apply",
				   c->feature);
		} else if (declared != c->value) {
			tb_result_set(res, TB_V_NA,
				      "applies only when %s is %s; the supplier declares it %s", c->feature,
				      c->value ? "true" : "false", declared ? "true" : "false");
			return 1;
		}
	}
	if ((tc->family->flags & TB_FAM_INTRUSIVE) && !p->intrusive) {
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "not run: the '%s' check is intrusive and the profile does not consent "
			      "(lab.intrusive: false)",
			      tc->family->name);
		return 1;
	}
	return 0;
}

static int selected(const struct tb_run_opts *o, const char *id)
{
	if (!o->only)
		return 1;
	for (size_t i = 0; i < o->nonly; i++)
		if (strcmp(o->only[i], id) == 0)
			return 1;
	return 0;
}

static int prepare_outdir(const struct tb_run_opts *o, const char *report_path)
{
	if (mkdir(o->outdir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "trustbench: cannot create %s: %s\n", o->outdir, strerror(errno));
		return -1;
	}
	if (!o->force && access(report_path, F_OK) == 0) {
		fprintf(stderr,
			"trustbench: %s already exists; choose another --out or pass --force\n",
			report_path);
		return -1;
	}
	char ev[4096];
	snprintf(ev, sizeof ev, "%s/evidence", o->outdir);
	if (mkdir(ev, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "trustbench: cannot create %s: %s\n", ev, strerror(errno));
		return -1;
	}
	return 0;
}

static void apply_decision(const struct tb_decisions *ds, struct tb_result *r)
{
	const struct tb_decision *x = tb_decision_for(ds, r->tc->id);
	if (!x || r->verdict != TB_V_EXAMINER)
		return;
	tb_result_set(r, x->verdict, "decided by examiner %s on %s: %s", x->examiner, x->date,
		      x->rationale);
	r->examiner = tb_xstrdup(x->examiner);
	r->decided_on = tb_xstrdup(x->date);
	r->rationale = tb_xstrdup(x->rationale);
}

static void run_case(struct tb_ctx *ctx, const struct tb_decisions *ds, const struct tb_case *tc,
		     struct tb_result *r)
{
	memset(r, 0, sizeof *r);
	r->tc = tc;
	r->verdict = TB_V_ERROR;
	tb_utc_now(r->started);
	int64_t t0 = tb_now_ms();
	if (!tb_case_gate(ctx, tc, r)) {
		tc->family->run(ctx, tc, r);
		if (!r->reason)
			tb_result_set(r, TB_V_ERROR, "the '%s' check gave no verdict", tc->family->name);
	}
	apply_decision(ds, r);
	r->duration_ms = tb_now_ms() - t0;
}

static void progress(const struct tb_run_opts *o, size_t i, size_t n, const struct tb_result *r,
		     int64_t run_t0)
{
	if (o->quiet)
		return;
	fprintf(stderr, "[%3zu/%zu] %-10s %-20s %-15s %6.1fs  (elapsed %.1fs)\n", i, n, r->tc->id,
		r->tc->family->name, tb_verdict_name(r->verdict), (double)r->duration_ms / 1000.0,
		(double)(tb_now_ms() - run_t0) / 1000.0);
}

static void print_summary(const struct tb_run_info *ri, const unsigned counts[TB_V_COUNT],
			  const char *report_path)
{
	fprintf(stderr, "\n%s %s (%s): %zu test cases%s\n", ri->profile->manufacturer,
		ri->profile->model, ri->profile->address_text, ri->nresults,
		ri->complete ? "" : " (run interrupted: the report is partial)");
	for (int v = TB_V_COUNT - 1; v >= 0; v--)
		if (counts[v])
			fprintf(stderr, "  %-15s %u\n", tb_verdict_name((enum tb_verdict)v), counts[v]);
	for (size_t i = 0; i < ri->nresults; i++)
		if (ri->results[i].verdict == TB_V_FAIL)
			fprintf(stderr, "  FAIL %s: %s\n", ri->results[i].tc->id, ri->results[i].reason);
	fprintf(stderr, "report: %s\n", report_path);
}

int tb_run(const struct tb_suite *suite, const struct tb_profile *profile,
	   const struct tb_decisions *decisions, const struct tb_run_opts *opts)
{
	char report_path[4096], started[32], finished[32];
	struct tb_diag d = { 0 };
	snprintf(report_path, sizeof report_path, "%s/report.xml", opts->outdir);
	if (prepare_outdir(opts, report_path) != 0)
		return TB_EXIT_USAGE;

	struct tb_ctx ctx = { .suite = suite, .profile = profile, .outdir = opts->outdir,
			      .now = time(NULL) };
	tb_net_init(&ctx.net, &profile->scope, profile->rate_limit, (int)profile->connect_timeout_ms);
	struct tb_result *results = tb_xcalloc(suite->ncases, sizeof *results);
	tb_utc_now(started);
	struct tb_run_info ri = { .suite = suite, .profile = profile, .net = &ctx.net,
				  .started = started, .results = results,
				  .assessor_role = opts->assessor_role,
				  .assessor_name = opts->assessor_name };
	if (decisions) {
		ri.decisions_path = decisions->path;
		memcpy(ri.decisions_sha256, decisions->sha256, 32);
	}
	size_t total = 0;
	for (size_t i = 0; i < suite->ncases; i++)
		total += selected(opts, suite->cases[i].id);

	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	stop_requested = 0;

	int rc = TB_EXIT_USAGE;
	/* Capture first, then give up privileges, before any device byte. */
	struct tb_runcap rcap;
	if (tb_runcap_begin(&rcap, profile, opts->outdir, opts->user, opts->quiet) != 0)
		goto out;
	ctx.capture = rcap.cap.active ? &rcap.cap : NULL;
	ri.capture = &rcap.info;
	if (tb_report_write(&ri, report_path, &d) != TB_OK ||
	    tb_junit_write(&ri, opts->junit_path, &d) != TB_OK)
		goto write_failed;
	tb_runcap_observe(&rcap, 0, &stop_requested, opts->quiet);
	unsigned counts[TB_V_COUNT] = { 0 };
	int64_t run_t0 = tb_now_ms();
	for (size_t i = 0; i < suite->ncases && !stop_requested; i++) {
		if (!selected(opts, suite->cases[i].id))
			continue;
		struct tb_result *r = &results[ri.nresults];
		run_case(&ctx, decisions, &suite->cases[i], r);
		ri.nresults++;
		counts[r->verdict]++;
		progress(opts, ri.nresults, total, r, run_t0);
		if (tb_report_write(&ri, report_path, &d) != TB_OK ||
		    tb_junit_write(&ri, opts->junit_path, &d) != TB_OK)
			goto write_failed;
	}
	tb_runcap_observe(&rcap, 1, &stop_requested, opts->quiet);
	tb_runcap_end(&rcap);
	ri.traffic = rcap.an;
	ri.complete = !stop_requested;
	tb_utc_now(finished);
	ri.finished = finished;
	if (tb_report_write(&ri, report_path, &d) != TB_OK ||
	    tb_junit_write(&ri, opts->junit_path, &d) != TB_OK)
		goto write_failed;
	if (opts->schema_path && tb_report_validate(report_path, opts->schema_path, &d) != TB_OK) {
		char msg[768];
		tb_diag_format(&d, msg, sizeof msg);
		fprintf(stderr, "trustbench: warning: the report does not validate: %s\n", msg);
	}
	print_summary(&ri, counts, report_path);
	rc = tb_exit_code(counts);
	if (!ri.complete && rc == TB_EXIT_PASS)
		rc = TB_EXIT_UNDECIDED; /* an interrupted run never passes */
	goto out;
write_failed: {
	char msg[768];
	tb_diag_format(&d, msg, sizeof msg);
	fprintf(stderr, "trustbench: cannot write the report: %s\n", msg);
	rc = TB_EXIT_USAGE;
}
out:
	tb_runcap_free(&rcap);
	for (size_t i = 0; i < ri.nresults; i++)
		tb_result_cleanup(&results[i]);
	free(results);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	return rc;
}
