/* check_outage.c: the outage family's measures of an attempt pattern (peak
 * rate in any 1 s window, intervals, growth, jitter), every branch of the
 * rule table's judge, and the cases where nothing may be cut (no lab.cloud,
 * no link keeper). */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check/chk_outage_internal.h"
#include "check/ctx.h"
#include "check/family.h"
#include "load/profile.h"
#include "load/suite.h"
#include "net/linkctl.h"
#include "result/result.h"
#include "suites.h"

extern const struct tb_check_family tb_check_outage;

START_TEST(a_hammering_pattern_is_measured)
{
	double t[25];
	for (int i = 0; i < 25; i++)
		t[i] = 10.0 + 0.2 * i; /* legacy: every 200 ms */
	struct tb_og_series s = { .port = 443 };
	tb_og_series_stats(t, 25, 3.0, &s);
	ck_assert_uint_eq(s.port, 443);
	ck_assert_uint_eq(s.n, 25);
	ck_assert_uint_eq(s.nint, 24);
	ck_assert_uint_eq(s.peak1, 5);
	ck_assert_uint_eq(s.peakw, 15);
	ck_assert(fabs(s.peak_rate - 5.0) < 1e-9);
	ck_assert(fabs(s.mean_s - 0.2) < 1e-9 && s.jitter_s < 1e-9);
	ck_assert(s.growth_known && !s.grows);
}
END_TEST

START_TEST(a_backing_off_pattern_is_measured)
{
	/* hardened: 1, 2, 4, 8 s with jitter */
	double t[] = { 0.0, 0.8, 2.9, 6.5, 14.2 };
	struct tb_og_series s = { .port = 8883 };
	tb_og_series_stats(t, 5, 3.0, &s);
	ck_assert_uint_eq(s.peak1, 2); /* 0.0 and 0.8 within one second ... */
	ck_assert_uint_eq(s.peakw, 3); /* ... but never more than one a second over 3 s */
	ck_assert(fabs(s.peak_rate - 1.0) < 1e-9);
	struct tb_og_series one = { .port = 1 };
	tb_og_series_stats(t, 5, 1.0, &one); /* peak-window-s 1: the busiest second */
	ck_assert(one.peakw == 2 && fabs(one.peak_rate - 2.0) < 1e-9);
	ck_assert_uint_eq(s.nint, 4);
	ck_assert(fabs(s.min_s - 0.8) < 1e-9 && fabs(s.max_s - 7.7) < 1e-9);
	ck_assert(fabs(s.early_s - 1.45) < 1e-9 && fabs(s.late_s - 5.65) < 1e-9);
	ck_assert(s.growth_known && s.grows);
	ck_assert(s.jitter_s > 2.0);
	/* A window is [t, t + 1): attempts exactly 1 s apart are one per second. */
	double u[] = { 0.0, 1.0, 2.0, 3.0 };
	tb_og_series_stats(u, 4, 3.0, &s);
	ck_assert_uint_eq(s.peak1, 1);
	ck_assert_uint_eq(s.peakw, 3);
	ck_assert(s.growth_known && !s.grows);
	/* Jitter around a constant interval is not growth. */
	double w[] = { 0.0, 1.2, 2.0, 3.25, 4.0 };
	tb_og_series_stats(w, 5, 3.0, &s);
	ck_assert(s.growth_known && !s.grows);
	/* hardened as measured: the back-off plus a second of DNS time-out each. */
	double h[] = { 0.0, 2.32, 4.89, 8.96 };
	tb_og_series_stats(h, 4, 3.0, &s);
	ck_assert(s.growth_known && s.grows);
	ck_assert(fabs(s.first_s - 2.32) < 1e-9 && fabs(s.last_s - 4.07) < 1e-9);
	/* One long pause amid hammering is not growth. */
	double p[] = { 0.0, 0.2, 0.4, 5.4, 5.6, 5.8 };
	tb_og_series_stats(p, 6, 3.0, &s);
	ck_assert(s.growth_known && !s.grows);
	/* Nor a last interval long against a first one short when the later
	 * half is no longer on average. */
	double q[] = { 0.0, 0.5, 3.5, 4.0, 4.5, 5.5 };
	tb_og_series_stats(q, 6, 3.0, &s);
	ck_assert(fabs(s.last_s / s.first_s - 2.0) < 1e-9);
	ck_assert(s.growth_known && !s.grows);
	/* Too few to judge; none at all. */
	tb_og_series_stats(u, 3, 3.0, &s);
	ck_assert(!s.growth_known && !s.grows && s.nint == 2);
	tb_og_series_stats(u, 0, 3.0, &s);
	ck_assert(s.n == 0 && s.peak1 == 0 && s.peakw == 0 && s.nint == 0);
}
END_TEST

static const struct tb_og_rules defaults = { 1, 3, 1, 20, 1 };

static struct tb_og_series series(uint16_t port, size_t n, unsigned peak, int known, int grows)
{
	return (struct tb_og_series){ .port = port,
				      .n = n,
				      .nint = n ? n - 1 : 0,
				      .peak1 = peak,
				      .peakw = 3 * peak,
				      .peak_rate = peak,
				      .first_s = 0.2,
				      .last_s = 0.22,
				      .growth_known = known,
				      .grows = grows,
				      .early_s = 0.2,
				      .late_s = 0.21 };
}

static struct tb_og_facts polite(const struct tb_og_series *s, size_t ns)
{
	return (struct tb_og_facts){ .baseline_connected = 1,
				     .series = s,
				     .nseries = ns,
				     .reconnected = 1,
				     .recovery_s = 2.5,
				     .window_s = 30,
				     .services = 2,
				     .probes = 20 };
}

START_TEST(judge_passes_a_polite_device_and_lists_the_rules)
{
	struct tb_og_series s[2] = { series(443, 5, 1, 1, 1), series(8883, 2, 1, 0, 0) };
	struct tb_og_facts f = polite(s, 2);
	char why[2048];
	ck_assert_int_eq(tb_og_judge(&defaults, &f, why, sizeof why), TB_V_PASS);
	ck_assert_msg(strstr(why,
			     "every rule met: peak 1.00 attempts/s to tcp/443 (3 in 3 s; at most 1/s)"),
		      "%s", why);
	ck_assert_ptr_nonnull(strstr(why, "intervals to tcp/443 grow"));
	ck_assert_ptr_nonnull(strstr(why, "2 attempt(s) to tcp/8883: too few to show growth"));
	ck_assert_ptr_nonnull(strstr(why, "reconnected 2.5 s after the restore (within 20 s)"));
	ck_assert_ptr_nonnull(strstr(why, "2 local service(s) answered all 20 probes"));
	/* No attempt during the outage at all is polite too. */
	f.nseries = 0;
	ck_assert_int_eq(tb_og_judge(&defaults, &f, why, sizeof why), TB_V_PASS);
	ck_assert_ptr_nonnull(strstr(why, "no attempt during the outage"));
}
END_TEST

START_TEST(judge_fails_a_hammering_device_naming_every_rule)
{
	struct tb_og_series s[1] = { series(443, 60, 5, 1, 0) };
	struct tb_og_facts f = polite(s, 1);
	f.recovery_s = 25.0;
	f.probes_failed = 3;
	f.first_probe_failure = "first: tcp/80 at +2.0 s: connection refused";
	char why[2048];
	ck_assert_int_eq(tb_og_judge(&defaults, &f, why, sizeof why), TB_V_FAIL);
	ck_assert_msg(strstr(why,
			     "4 rule(s) broken: peak 5.00 attempts/s to tcp/443 (15 in 3 s, 5 in "
			     "1 s; rule: at most 1/s)"),
		      "%s", why);
	ck_assert_ptr_nonnull(strstr(why,
				     "intervals to tcp/443 do not grow (first 0.20 s, last 0.22 s; "
				     "halves 0.20 s and 0.21 s on average; rule: the last 1.5x the "
				     "first)"));
	ck_assert_ptr_nonnull(strstr(why, "reconnected 25.0 s after the restore (rule: within 20 s)"));
	ck_assert_ptr_nonnull(strstr(why,
				     "3 of 20 probes of local services failed during the outage "
				     "(first: tcp/80 at +2.0 s: connection refused)"));
	/* Each rule alone. */
	struct tb_og_rules lax = { 10, 3, 0, 60, 0 };
	ck_assert_int_eq(tb_og_judge(&lax, &f, why, sizeof why), TB_V_PASS);
	lax.max_peak = 4;
	ck_assert_int_eq(tb_og_judge(&lax, &f, why, sizeof why), TB_V_FAIL);
	ck_assert_ptr_nonnull(strstr(why, "1 rule(s) broken: peak 5.00"));
	lax = (struct tb_og_rules){ 10, 3, 1, 60, 0 };
	ck_assert_int_eq(tb_og_judge(&lax, &f, why, sizeof why), TB_V_FAIL);
	ck_assert_ptr_nonnull(strstr(why, "1 rule(s) broken: intervals to tcp/443 do not grow"));
	lax = (struct tb_og_rules){ 10, 3, 0, 20, 0 };
	ck_assert_int_eq(tb_og_judge(&lax, &f, why, sizeof why), TB_V_FAIL);
	ck_assert_ptr_nonnull(strstr(why, "1 rule(s) broken: reconnected 25.0 s"));
	lax = (struct tb_og_rules){ 10, 3, 0, 60, 1 };
	ck_assert_int_eq(tb_og_judge(&lax, &f, why, sizeof why), TB_V_FAIL);
	ck_assert_ptr_nonnull(strstr(why, "1 rule(s) broken: 3 of 20 probes"));
}
END_TEST

START_TEST(judge_fails_a_device_that_never_comes_back)
{
	struct tb_og_series s[1] = { series(443, 3, 1, 0, 0) };
	struct tb_og_facts f = polite(s, 1);
	f.reconnected = 0;
	char why[2048];
	ck_assert_int_eq(tb_og_judge(&defaults, &f, why, sizeof why), TB_V_FAIL);
	ck_assert_ptr_nonnull(
		strstr(why, "1 rule(s) broken: no connection to the cloud within 30 s of the restore"));
}
END_TEST

START_TEST(judge_is_inconclusive_when_it_cannot_tell)
{
	struct tb_og_series s[1] = { series(443, 3, 1, 0, 0) };
	struct tb_og_facts f = polite(s, 1);
	char why[2048];
	f.baseline_connected = 0;
	ck_assert_int_eq(tb_og_judge(&defaults, &f, why, sizeof why), TB_V_INCONCLUSIVE);
	ck_assert_ptr_nonnull(strstr(why, "never calls home"));
	f = polite(s, 1);
	f.interrupted = 1;
	ck_assert_int_eq(tb_og_judge(&defaults, &f, why, sizeof why), TB_V_INCONCLUSIVE);
	ck_assert_ptr_nonnull(strstr(why, "run interrupted"));
	/* No local service to probe: that rule cannot be judged ... */
	f = polite(s, 1);
	f.services = 0;
	f.probes = 0;
	ck_assert_int_eq(tb_og_judge(&defaults, &f, why, sizeof why), TB_V_INCONCLUSIVE);
	ck_assert_ptr_nonnull(strstr(why, "local-services-must-answer could not be judged"));
	/* ... unless the suite does not ask for it, or another rule broke. */
	struct tb_og_rules r = defaults;
	r.services_must_answer = 0;
	ck_assert_int_eq(tb_og_judge(&r, &f, why, sizeof why), TB_V_PASS);
	f.reconnected = 0;
	ck_assert_int_eq(tb_og_judge(&defaults, &f, why, sizeof why), TB_V_FAIL);
}
END_TEST

/* Back in its declared state: the local services answer once the recovery
 * is over, or the rule breaks. */
START_TEST(judge_checks_the_services_after_the_recovery)
{
	struct tb_og_series s[1] = { series(443, 5, 1, 1, 1) };
	struct tb_og_facts f = polite(s, 1);
	char why[2048];
	f.after_probes = 2;
	ck_assert_int_eq(tb_og_judge(&defaults, &f, why, sizeof why), TB_V_PASS);
	ck_assert_ptr_nonnull(strstr(why, "back in its declared state"));
	f.after_failed = 1;
	f.first_after_failure = "first: tcp/80: connection refused";
	ck_assert_int_eq(tb_og_judge(&defaults, &f, why, sizeof why), TB_V_FAIL);
	ck_assert_msg(strstr(why,
			     "1 rule(s) broken: 1 of 2 local service(s) did not answer after "
			     "the recovery: not back in its declared state (first: tcp/80: "
			     "connection refused)"),
		      "%s", why);
}
END_TEST

/* Packets the capture lost could hide attempts: a polite pattern is then no
 * PASS, while a broken rule stands (what was seen is a lower bound). */
START_TEST(judge_does_not_pass_on_a_capture_that_lost_packets)
{
	struct tb_og_series s[1] = { series(443, 5, 1, 1, 1) };
	struct tb_og_facts f = polite(s, 1);
	char why[2048];
	f.capture_lost = 7;
	ck_assert_int_eq(tb_og_judge(&defaults, &f, why, sizeof why), TB_V_INCONCLUSIVE);
	ck_assert_ptr_nonnull(strstr(why, "the capture lost 7 packet(s) during the case"));
	struct tb_og_series h[1] = { series(443, 60, 5, 1, 0) };
	f = polite(h, 1);
	f.capture_lost = 7;
	ck_assert_int_eq(tb_og_judge(&defaults, &f, why, sizeof why), TB_V_FAIL);
	ck_assert_ptr_nonnull(strstr(why, "the attempts counted are a lower bound"));
}
END_TEST

START_TEST(the_family_is_intrusive_with_its_rule_table)
{
	ck_assert(tb_check_outage.flags & TB_FAM_INTRUSIVE);
	const char *want[] = { "baseline-s",
			       "outage-s",
			       "probe-interval-ms",
			       "recovery-window-s",
			       "max-peak-attempts-per-s",
			       "peak-window-s",
			       "intervals-must-grow",
			       "max-recovery-s",
			       "local-services-must-answer" };
	const char *dflt[] = { "6", "20", "2000", "30", "1", "3", "true", "20", "true" };
	ck_assert_uint_eq(tb_check_outage.nparams, 9);
	for (size_t i = 0; i < 9; i++) {
		ck_assert_str_eq(tb_check_outage.params[i].name, want[i]);
		ck_assert_str_eq(tb_check_outage.params[i].dflt, dflt[i]);
	}
}
END_TEST

/* The case with nothing it may cut: INCONCLUSIVE with the reason. */
static void run_case(struct tb_profile *p, struct tb_result *r)
{
	static struct tb_case tc = { .id = "5.9-3-2", .family = &tb_check_outage };
	struct tb_ctx ctx = { .profile = p };
	memset(r, 0, sizeof *r);
	r->tc = &tc;
	tb_check_outage.run(&ctx, &tc, r);
}

START_TEST(nothing_is_cut_without_a_cloud_or_a_keeper)
{
	struct tb_profile p;
	struct tb_result r;
	memset(&p, 0, sizeof p);
	p.address = 0xc6120a0a;
	run_case(&p, &r);
	ck_assert_int_eq(r.verdict, TB_V_INCONCLUSIVE);
	ck_assert_ptr_nonnull(strstr(r.reason, "no lab.cloud"));
	tb_result_cleanup(&r);
	/* A cloud, but the run has no keeper (here: the uplink undeclared). */
	p.cloud.present = 1;
	p.cloud.address = 0xc6120901;
	tb_linkctl_run_begin(1, NULL, NULL);
	run_case(&p, &r);
	ck_assert_int_eq(r.verdict, TB_V_INCONCLUSIVE);
	ck_assert_msg(strstr(r.reason,
			     "no link keeper (the profile declares no "
			     "lab.uplink.interface: nothing to cut): nothing was cut"),
		      "%s", r.reason);
	tb_result_cleanup(&r);
	tb_linkctl_run_begin(0, "tb-cld0", NULL);
	run_case(&p, &r);
	ck_assert_int_eq(r.verdict, TB_V_INCONCLUSIVE);
	ck_assert_ptr_nonnull(strstr(r.reason, "lab.intrusive is false"));
	tb_result_cleanup(&r);
	tb_linkctl_run_end();
}
END_TEST

Suite *outage_suite(void)
{
	Suite *s = suite_create("outage");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, a_hammering_pattern_is_measured);
	tcase_add_test(tc, a_backing_off_pattern_is_measured);
	tcase_add_test(tc, judge_passes_a_polite_device_and_lists_the_rules);
	tcase_add_test(tc, judge_fails_a_hammering_device_naming_every_rule);
	tcase_add_test(tc, judge_fails_a_device_that_never_comes_back);
	tcase_add_test(tc, judge_is_inconclusive_when_it_cannot_tell);
	tcase_add_test(tc, judge_does_not_pass_on_a_capture_that_lost_packets);
	tcase_add_test(tc, judge_checks_the_services_after_the_recovery);
	tcase_add_test(tc, the_family_is_intrusive_with_its_rule_table);
	tcase_add_test(tc, nothing_is_cut_without_a_cloud_or_a_keeper);
	suite_add_tcase(s, tc);
	return s;
}
