/* runner.c: run a suite against a device (see runner.h). */
#include "run/runner.h"

#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/text.h"
#include "report/junit.h"
#include "report/report.h"
#include "report/report_load.h"
#include "run/handback.h"
#include "base/mkdirs.h"
#include "net/net.h"
#include "net/net6.h"
#include "capture/priv.h"
#include "run/runcap.h"
#include "net/linkctl.h"
#include "trust/testcerts.h"
#include "run/treerun.h"
#include "check/credphase.h"
#include "check/surface.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
	tb_net_request_stop(); /* every device wait and read in net.c gives up now */
}

int tb_case_gate(const struct tb_ctx *ctx, const struct tb_case *tc, struct tb_result *res)
{
	const struct tb_profile *p = ctx->profile;
	const struct tb_group *g = &ctx->suite->groups[tc->group];
	const struct tb_ics *ic = tb_profile_ics(p, g->provision);
	if (ic && ic->support == TB_SUP_NA) {
		if (tb_status_conditional(g->status)) {
			tb_result_set(res, TB_V_NA,
				      "the supplier declares provision %s not applicable: %s",
				      g->provision,
				      ic->justification ? ic->justification
							: "(no justification given)");
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
				      "applies only when %s is %s; the supplier declares it %s",
				      c->feature, c->value ? "true" : "false",
				      declared ? "true" : "false");
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

/* Create the output directory (and its missing parents) and evidence/.
 * Refuses to replace a report unless --force.  made lists the directories
 * created here, so a run that stops before writing can remove them. */
static int prepare_outdir(const struct tb_run_opts *o, const char *report_path,
			  struct tb_made_dirs *made)
{
	struct tb_diag d = { 0 };
	if (!o->force && access(report_path, F_OK) == 0) {
		fprintf(stderr, "trustbench: %s already exists; choose another --out or pass --force\n",
			report_path);
		return -1;
	}
	if (tb_mkdirs(o->outdir, 0755, made, &d) != TB_OK) {
		fprintf(stderr, "trustbench: %s\n", d.msg);
		return -1;
	}
	char ev[4096];
	snprintf(ev, sizeof ev, "%s/evidence", o->outdir);
	if (mkdir(ev, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "trustbench: cannot create %s: %s\n", ev, strerror(errno));
		tb_made_dirs_undo(made);
		tb_made_dirs_free(made);
		return -1;
	}
	return 0;
}

/* Undo prepare_outdir (and the capture file) for a run that could not
 * start: nothing half-written stays behind. */
static void unprepare_outdir(const struct tb_run_opts *o, struct tb_made_dirs *made,
			     const char *capture_path)
{
	char ev[4096];
	if (capture_path && *capture_path)
		unlink(capture_path);
	snprintf(ev, sizeof ev, "%s/evidence", o->outdir);
	rmdir(ev); /* only if empty, and only what a fresh run would have made */
	tb_made_dirs_undo(made);
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
		if (tc->tree) /* after its own check, if it has one */
			tb_tree_case_run(ctx, tc, r);
		if (!r->reason)
			tb_result_set(r, TB_V_ERROR, "the '%s' check gave no verdict",
				      tc->family->name);
		/* A check cut short by SIGINT/SIGTERM did not finish establishing
		 * its PASS (a FAIL it already found stands). */
		if (tb_net_stop_requested() && r->verdict == TB_V_PASS)
			tb_result_set(r, TB_V_INCONCLUSIVE,
				      "the run was interrupted during this test case, so its checks "
				      "did not all run");
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

/* One line of text that is safe on a terminal (device bytes can reach
 * reasons: control characters become \xNN). */
static void print_clean(const char *s)
{
	char *safe = tb_text_escape((const uint8_t *)s, strlen(s));
	for (char *p = safe; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	fputs(safe, stdout);
	free(safe);
}

static const char *outcome_word(int rc)
{
	switch (rc) {
	case TB_EXIT_PASS: return "pass";
	case TB_EXIT_FAIL: return "fail";
	default: return "undecided";
	}
}

/* The final summary on stdout, for people and scripts: "key: value" lines,
 * the same keys in the same order every time (README "Command line").
 * Only "failed:" repeats, once per FAIL. */
static void print_summary(const struct tb_run_info *ri, const unsigned counts[TB_V_COUNT],
			  const char *report_path, int rc)
{
	printf("outcome: %s\n", outcome_word(rc));
	printf("exit-code: %d\n", rc);
	printf("status: %s\n", ri->complete ? "complete" : "partial (run interrupted)");
	printf("device: ");
	print_clean(ri->profile->manufacturer);
	putchar(' ');
	print_clean(ri->profile->model);
	printf(" (%s)\n", ri->profile->address_text);
	printf("selected: %zu of %zu test cases%s\n", tb_report_selected_count(ri), ri->suite->ncases,
	       ri->selected ? " (--only)" : "");
	printf("completed: %zu\n", ri->nresults);
	for (int v = 0; v < TB_V_COUNT; v++)
		printf("%s: %u\n", tb_verdict_name((enum tb_verdict)v), counts[v]);
	for (size_t i = 0; i < ri->nresults; i++) {
		if (ri->results[i].verdict != TB_V_FAIL)
			continue;
		printf("failed: %s: ", ri->results[i].tc->id);
		print_clean(ri->results[i].reason ? ri->results[i].reason : "");
		putchar('\n');
	}
	printf("report: %s\n", report_path);
	fflush(stdout);
}

/* Mark the selected test cases; NULL when all are (no --only). */
static unsigned char *selection(const struct tb_suite *suite, const struct tb_run_opts *o,
				size_t *total)
{
	*total = 0;
	unsigned char *sel = o->only ? tb_xcalloc(suite->ncases ? suite->ncases : 1, 1) : NULL;
	for (size_t i = 0; i < suite->ncases; i++) {
		int s = selected(o, suite->cases[i].id);
		*total += (size_t)s;
		if (sel)
			sel[i] = (unsigned char)s;
	}
	return sel;
}

/* Does the run have a selected case of this family? */
static int runs_family(const struct tb_suite *suite, const struct tb_run_opts *o, const char *name)
{
	for (size_t i = 0; i < suite->ncases; i++)
		if (strcmp(suite->cases[i].family->name, name) == 0 && selected(o, suite->cases[i].id))
			return 1;
	return 0;
}

/* Read lab.cloud.trusted-ca into ca (nothing when the profile names none),
 * or say in err why it could not be. */
static void load_cloud_ca(const struct tb_profile *p, struct tb_tc_ca *ca, char *err, size_t cap)
{
	struct tb_diag d = { 0 };
	if (!p->cloud.present || !p->cloud.ca_cert || !p->cloud.ca_key)
		return;
	if (tb_tc_ca_load(p->cloud.ca_cert, p->cloud.ca_key, ca, &d) != TB_OK)
		snprintf(err, cap, "%s", d.msg[0] ? d.msg : "the trusted CA could not be read");
}

/* Open IPv6 discovery's socket when the profile asks for discovery, or
 * say in found->how why there is none. */
static void dut6_open(struct tb_net6_disc *s, const struct tb_profile *p, struct tb_net6_found *found)
{
	struct tb_diag d = { 0 };
	if (!p->discover_ipv6)
		snprintf(found->how, sizeof found->how, "not run: %s",
			 tb_scope_has_v6(&p->scope) ? "dut.discover-ipv6 is false"
						    : "lab.scope has no IPv6 prefix");
	else if (tb_net6_disc_open(s, p->interface, &d) != TB_OK)
		snprintf(found->how, sizeof found->how, "not run: %s", d.msg);
}

/* The run itself, in this process. */
static int run_here(const struct tb_suite *suite, const struct tb_profile *profile,
		    const struct tb_decisions *decisions, const struct tb_run_opts *opts)
{
	char report_path[4096], started[32], finished[32];
	struct tb_diag d = { 0 };
	struct tb_made_dirs made = { 0 };
	snprintf(report_path, sizeof report_path, "%s/report.xml", opts->outdir);
	if (prepare_outdir(opts, report_path, &made) != 0)
		return TB_EXIT_USAGE;

	struct tb_ctx ctx = { .suite = suite,
			      .profile = profile,
			      .outdir = opts->outdir,
			      .now = time(NULL) };
	/* Link-local scope entries mean the lab interface's link. */
	ctx.scope = profile->scope;
	tb_scope_bind_zone(&ctx.scope, if_nametoindex(profile->interface));
	tb_net_init(&ctx.net, &ctx.scope, profile->rate_limit, (int)profile->connect_timeout_ms);
	struct tb_surface surface = { 0 };
	ctx.surface = &surface;
	struct tb_credphase *creds = NULL;
	ctx.creds = &creds;
	struct tb_result *results = tb_xcalloc(suite->ncases ? suite->ncases : 1, sizeof *results);
	ctx.decisions = decisions; /* decision trees read these (run/treerun.h) */
	ctx.results = results;
	tb_utc_now(started);
	struct tb_run_info ri = { .suite = suite,
				  .profile = profile,
				  .net = &ctx.net,
				  .started = started,
				  .results = results,
				  .assessor_role = opts->assessor_role,
				  .assessor_name = opts->assessor_name };
	ctx.nresults = &ri.nresults;
	if (decisions) {
		ri.decisions_path = decisions->path;
		memcpy(ri.decisions_sha256, decisions->sha256, 32);
	}
	size_t total;
	unsigned char *sel = selection(suite, opts, &total);
	ri.selected = sel;

	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	stop_requested = 0;

	int rc = TB_EXIT_USAGE;
	/* The exposure case's SYN sweep's raw socket needs CAP_NET_RAW: opened
	 * now, before the drop, or noted as unavailable (the sweep then uses
	 * connect() and its evidence says why). */
	(void)tb_net_open_raw(&ctx.net, profile->address, NULL);
	/* IPv6 discovery's raw ICMPv6 socket needs CAP_NET_RAW too: opened
	 * before the drop, used after the "before" observation window. */
	struct tb_net6_disc disc6 = { .fd = -1 };
	dut6_open(&disc6, profile, &ctx.dut6);
	/* The outage case's link keeper keeps CAP_NET_ADMIN: forked before the
	 * drop, only for a run with an outage case (net/linkctl.h). */
	if (runs_family(suite, opts, "outage"))
		tb_linkctl_run_begin(profile->intrusive,
				     profile->uplink.present ? profile->uplink.interface : NULL,
				     opts->user);
	/* The cloud-identity case's trusted test CA: its key may be readable
	 * by root alone, so it is read now, before the drop. */
	struct tb_tc_ca cloud_ca = { 0 };
	char cloud_ca_error[600] = "";
	if (runs_family(suite, opts, "cloud-identity"))
		load_cloud_ca(profile, &cloud_ca, cloud_ca_error, sizeof cloud_ca_error);
	ctx.cloud_ca = cloud_ca.cert ? &cloud_ca : NULL;
	ctx.cloud_ca_error = cloud_ca_error;
	/* Capture first, then give up privileges, before any device byte. */
	struct tb_runcap rcap;
	if (tb_runcap_begin(&rcap, profile, opts->outdir, opts->user, opts->quiet) != 0) {
		/* a capture file exists only when the capture started */
		unprepare_outdir(opts, &made,
				 rcap.info.status && strcmp(rcap.info.status, "recorded") == 0
					 ? rcap.cap.path
					 : NULL);
		goto out;
	}
	ctx.capture = rcap.cap.active ? &rcap.cap : NULL;
	ri.capture = &rcap.info;
	if (tb_report_write(&ri, report_path, &d) != TB_OK ||
	    tb_junit_write(&ri, opts->junit_path, &d) != TB_OK)
		goto write_failed;
	tb_runcap_observe(&rcap, 0, &stop_requested, opts->quiet);
	tb_net6_find_dut(&disc6, &ctx.net, (int)profile->connect_timeout_ms, profile->address6,
			 profile->naddress6, &ctx.dut6);
	tb_net6_disc_close(&disc6);
	rcap.found6 = &ctx.dut6; /* the report's traffic analysis: the DUT's IPv6 addresses */
	if (!opts->quiet && tb_scope_has_v6(&profile->scope)) {
		char found[1024];
		tb_net6_found_describe(&ctx.dut6, found, sizeof found);
		fprintf(stderr, "trustbench: the device's IPv6 addresses: %s [%s]\n", found,
			ctx.dut6.how);
	}
	unsigned counts[TB_V_COUNT] = { 0 };
	int64_t run_t0 = tb_now_ms();
	/* Three passes: the cases that judge the whole capture come after
	 * the "after" observation window (TB_FAM_AFTER_ACTIVE), and the
	 * decision trees last, since they read the others' results. */
	for (int pass = 0; pass < 3 && !stop_requested; pass++) {
		if (pass == 1)
			tb_runcap_observe(&rcap, 1, &stop_requested, opts->quiet);
		for (size_t i = 0; i < suite->ncases && !stop_requested; i++) {
			const struct tb_case *tc = &suite->cases[i];
			if (tb_case_pass(tc) != pass || !selected(opts, tc->id))
				continue;
			struct tb_result *r = &results[ri.nresults];
			run_case(&ctx, decisions, tc, r);
			ri.nresults++;
			counts[r->verdict]++;
			progress(opts, ri.nresults, total, r, run_t0);
			if (tb_report_write(&ri, report_path, &d) != TB_OK ||
			    tb_junit_write(&ri, opts->junit_path, &d) != TB_OK)
				goto write_failed;
		}
	}
	tb_runcap_end(&rcap);
	ri.traffic = rcap.an;
	ri.complete = !stop_requested;
	tb_utc_now(finished);
	ri.finished = finished;
	if (tb_report_write(&ri, report_path, &d) != TB_OK ||
	    tb_junit_write(&ri, opts->junit_path, &d) != TB_OK)
		goto write_failed;
	if (opts->schema_path && tb_report_load_validate(report_path, opts->schema_path, &d) != TB_OK) {
		char msg[768];
		tb_diag_format(&d, msg, sizeof msg);
		fprintf(stderr, "trustbench: warning: the report does not validate: %s\n", msg);
	}
	rc = tb_exit_code(counts);
	if (!ri.complete && rc == TB_EXIT_PASS)
		rc = TB_EXIT_UNDECIDED; /* an interrupted run never passes */
	print_summary(&ri, counts, report_path, rc);
	goto out;
write_failed : {
	char msg[768];
	tb_diag_format(&d, msg, sizeof msg);
	fprintf(stderr, "trustbench: cannot write the report: %s\n", msg);
	rc = TB_EXIT_USAGE;
}
out:
	tb_runcap_free(&rcap);
	tb_linkctl_run_end(); /* after the capture writer, which holds a copy of its socket */
	tb_tc_ca_free(&cloud_ca);
	tb_surface_free(&surface);
	tb_credphase_free(creds);
	tb_net6_disc_close(&disc6);
	tb_net_close_raw(&ctx.net);
	for (size_t i = 0; i < ri.nresults; i++)
		tb_result_cleanup(&results[i]);
	free(results);
	free(sel);
	tb_made_dirs_free(&made);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	return rc;
}

/* As root, an existing --out must already be the invoker's (or a former
 * run's, left to the drop user): the run lends it to the drop user and the
 * guard gives it to the invoker afterwards, which must not happen to a
 * shared directory such as /tmp. */
static int outdir_lendable(const char *outdir, const struct tb_owner *inv, uid_t drop_uid)
{
	struct stat st;
	if (lstat(outdir, &st) != 0)
		return 1; /* made fresh */
	if (S_ISDIR(st.st_mode) && (st.st_uid == inv->uid || st.st_uid == drop_uid) &&
	    !(st.st_mode & (S_IWOTH | S_ISVTX)))
		return 1;
	fprintf(stderr,
		"trustbench: running as root, --out must be a new directory or one of your own "
		"(uid %u, not world-writable); %s is not\n",
		(unsigned)inv->uid, outdir);
	return 0;
}

/* A rerun (--force) over a former root run's output, which the guard gave
 * to the invoker: the drop user must be able to write into its evidence/
 * subdirectories again.  The guard gives everything back at the end. */
static void lend_evidence(const char *outdir, const struct tb_owner *inv, const struct tb_owner *drop)
{
	char ev[4200];
	struct stat st;
	struct tb_diag d = { 0 };
	snprintf(ev, sizeof ev, "%s/evidence", outdir);
	if (lstat(ev, &st) != 0 || !S_ISDIR(st.st_mode))
		return;
	if (tb_handback_tree(ev, inv->uid, drop, NULL, &d) != TB_OK)
		fprintf(stderr, "trustbench: warning: %s: %s\n", ev, d.msg);
}

/* Real root: the directories are made here, the run happens in a child
 * that drops to --user, and this process (the guard) hands the output
 * back to the invoking user when the child ends (see handback.h). */
static int run_guarded(const struct tb_suite *suite, const struct tb_profile *profile,
		       const struct tb_decisions *decisions, const struct tb_run_opts *opts,
		       const struct tb_owner *drop)
{
	uid_t drop_uid = drop->uid;
	struct tb_owner inv;
	struct tb_diag d = { 0 };
	struct tb_made_dirs made = { 0 };
	tb_invoker(&inv);
	if (!outdir_lendable(opts->outdir, &inv, drop_uid))
		return TB_EXIT_USAGE;
	if (tb_mkdirs(opts->outdir, 0755, &made, &d) != TB_OK) {
		fprintf(stderr, "trustbench: %s\n", d.msg);
		return TB_EXIT_USAGE;
	}
	/* New parents are the invoker's at once; outdir itself goes to the drop user in tb_priv_drop.
	 */
	for (size_t i = 0; i < made.n; i++)
		if (lchown(made.path[i], inv.uid, inv.gid) != 0)
			fprintf(stderr, "trustbench: warning: cannot hand %s to uid %u: %s\n",
				made.path[i], (unsigned)inv.uid, strerror(errno));
	lend_evidence(opts->outdir, &inv, drop);
	char staged[4200];
	snprintf(staged, sizeof staged, "%s/.junit-staged.xml", opts->outdir);
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "trustbench: cannot start the run: %s\n", strerror(errno));
		tb_made_dirs_undo(&made);
		tb_made_dirs_free(&made);
		return TB_EXIT_USAGE;
	}
	if (pid == 0) {
		/* The run: its JUnit file is staged inside outdir, where the drop
		 * user may write, and moved into place by the guard. */
		struct tb_run_opts child = *opts;
		if (opts->junit_path)
			child.junit_path = staged;
		tb_made_dirs_free(&made);
		return run_here(suite, profile, decisions, &child);
	}
	int rc = tb_guard_finish(pid, opts->outdir, drop_uid, &inv, opts->junit_path ? staged : NULL,
				 opts->junit_path);
	if (rc == TB_EXIT_USAGE)
		tb_made_dirs_undo(&made); /* the run refused to start: take back what we made */
	tb_made_dirs_free(&made);
	return rc;
}

int tb_run(const struct tb_suite *suite, const struct tb_profile *profile,
	   const struct tb_decisions *decisions, const struct tb_run_opts *opts)
{
	struct tb_owner drop;
	if (tb_priv_switch_target(opts->user, &drop.uid, &drop.gid))
		return run_guarded(suite, profile, decisions, opts, &drop);
	return run_here(suite, profile, decisions, opts);
}
