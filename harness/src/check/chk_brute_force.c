/* chk_brute_force.c: is repeated guessing of a network login throttled?
 * (EN 303 645 5.1-5; UK CoP 1; OTA 15.)
 *
 * Measured on every login interface the run's credential phase found
 * (check/credphase.h), from the phase's own timed guesses where they
 * suffice, else from a burst of wrong passwords sent here (in parallel
 * across interfaces, each sequential, within the run's rate limit).  The
 * suite's rule table sets the bar: an interface fails when the device
 * evaluated more than max-failures-per-minute wrong guesses in some
 * 60-second window without ever throttling (429/503, FTP 421, MQTT server
 * unavailable, refused connections after failures: a lockout) and without
 * a growing delay (the last answers growth-factor times slower than the
 * first).  Afterwards the declared test credential is tried again: a
 * lockout that also keeps the owner out is noted as a denial of service.
 * Intrusive: without lab.intrusive: true the runner leaves it INCONCLUSIVE.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "check/chk_brute_force_internal.h"
#include "check/credphase.h"
#include "check/family.h"
#include "load/profile.h"
#include "load/suite.h"
#include "result/result.h"

static const struct tb_param_def params[] = {
	TB_CP_PARAM_DEFS,
	{ .name = "max-failures-per-minute",
	  .type = TB_P_INT,
	  .min = 1,
	  .max = 100000,
	  .help = "the bar: most wrong guesses a device may evaluate in any 60 s without "
		  "throttling, locking out or slowing down",
	  .dflt = "10" },
	{ .name = "growth-factor",
	  .type = TB_P_INT,
	  .min = 2,
	  .max = 1000,
	  .help = "a growing delay: the last answers at least this many times slower than the first",
	  .dflt = "2" },
	{ .name = "measure-seconds",
	  .type = TB_P_INT,
	  .min = 10,
	  .max = 3600,
	  .help = "longest burst of wrong guesses per interface",
	  .dflt = "70" },
	{ .name = "recheck-wait-s",
	  .type = TB_P_INT,
	  .min = 0,
	  .max = 3600,
	  .help = "how long the declared test credential may stay locked out after the burst",
	  .dflt = "60" },
};

#define WINDOW_MS 60000
/* A growing delay also has to be worth noticing in absolute terms. */
#define GROWTH_MIN_MS 500

/* What one interface showed. */
struct measure {
	int failures;              /* wrong guesses the device evaluated (explicit refusals) */
	int window_max;            /* most of them in any 60 s */
	int throttled;             /* throttling answers */
	int locked_out;            /* refused or silent after having refused guesses */
	int grew;                  /* growing delay */
	int64_t first_ms, last_ms; /* median answer time, first and last three */
	int64_t span_ms;           /* from the first counted guess to the last */
	int unclear;               /* answers that were neither */
	int trail;                 /* no answer since the last refusal or throttling */
};

static int counted(const struct tb_cp_attempt *a)
{
	return a->kind == TB_CP_GUESS || a->kind == TB_CP_NEGATIVE || a->kind == TB_CP_BURST;
}

static int64_t median3(int64_t a, int64_t b, int64_t c)
{
	if (a > b) {
		int64_t t = a;
		a = b;
		b = t;
	}
	return c < a ? a : c > b ? b : c;
}

/* Median answer time of the refusals idx[from..from+3). */
static int64_t med(const struct tb_cp_iface *f, const size_t *idx, size_t from)
{
	return median3(f->att[idx[from]].took_ms, f->att[idx[from + 1]].took_ms,
		       f->att[idx[from + 2]].took_ms);
}

static void measure(const struct tb_cp_iface *f, int growth, struct measure *m)
{
	memset(m, 0, sizeof *m);
	size_t *idx = tb_xcalloc(f->natt ? f->natt : 1, sizeof *idx);
	size_t n = 0, lo = 0;
	int64_t first = -1;
	for (size_t i = 0; i < f->natt; i++) {
		const struct tb_cp_attempt *a = &f->att[i];
		if (!counted(a) || a->outcome == TB_LOGIN_ACCEPTED)
			continue;
		if (first < 0)
			first = a->at_ms;
		m->span_ms = a->at_ms + a->took_ms - first;
		if (a->outcome == TB_LOGIN_THROTTLED) {
			m->throttled++;
			m->trail = 0;
		} else if (a->outcome == TB_LOGIN_REJECTED) {
			m->trail = 0;
			idx[n++] = i;
			while (f->att[idx[lo]].at_ms < a->at_ms - WINDOW_MS)
				lo++;
			if ((int)(n - lo) > m->window_max)
				m->window_max = (int)(n - lo);
		} else if (n > 0) {
			m->trail++; /* refusals, then silence or refused connections */
		} else {
			m->unclear++;
		}
	}
	/* Two or more guesses in a row with no answer after the device had been
	 * refusing them: it locked the guesser out (or fell over: the recheck
	 * with the declared credential tells). */
	if (m->trail >= 2)
		m->locked_out = 1;
	else
		m->unclear += m->trail;
	m->failures = (int)n;
	if (n >= 6) {
		m->first_ms = med(f, idx, 0);
		m->last_ms = med(f, idx, n - 3);
		m->grew = m->last_ms >= growth * (m->first_ms > 0 ? m->first_ms : 1) &&
			  m->last_ms - m->first_ms >= GROWTH_MIN_MS;
	}
	free(idx);
}

static int protected_by(const struct measure *m)
{
	return m->throttled || m->locked_out || m->grew;
}

/* ---- the burst ---- */

struct burst {
	struct tb_ctx *ctx;
	struct tb_credphase *p;
	struct tb_cp_iface *f;
	int bar, growth, seconds, recheck_s;
	pthread_t th;
	int started;
	int recheck;             /* -1 not tried, else enum tb_login_outcome of the last recheck */
	int rechecked_with_test; /* the recheck used the declared test credential */
	int64_t locked_for_ms;
};

static const char *burst_user(const struct tb_cp_iface *f)
{
	if (strcmp(f->ifc.drv->service, "snmp") == 0)
		return "";
	if (f->ifc.declared && f->ifc.declared->test_user)
		return f->ifc.declared->test_user; /* lockouts are often per account */
	return strcmp(f->ifc.drv->service, "telnet") == 0 ? "root" : "admin";
}

/* SNMP v1/v2c answers a wrong community with silence: a burst there shows
 * nothing about whether guesses were even evaluated. */
static int silent_refusals(const struct tb_cp_iface *f)
{
	return strcmp(f->ifc.drv->transport, "udp") == 0;
}

/* Enough to judge: a protection seen, or more than the bar in 60 s, or a
 * whole minute of guessing. */
static int judged(const struct burst *b, const struct measure *m, int64_t started)
{
	return protected_by(m) || m->window_max > b->bar || m->unclear >= 3 || m->trail >= 3 ||
	       tb_now_ms() - started >= (int64_t)b->seconds * 1000 ||
	       (m->span_ms >= WINDOW_MS + 5000 && m->failures > b->bar);
}

/* Did the interface answer a login at all (whatever it said)? */
static int answered(int outcome)
{
	return outcome == TB_LOGIN_ACCEPTED || outcome == TB_LOGIN_REJECTED ||
	       outcome == TB_LOGIN_THROTTLED;
}

/* After the burst: the declared test credential again (is the owner locked
 * out?), or, where none is declared and the device went quiet, a wrong one
 * (is the service still alive?), every 5 s until it answers or
 * recheck-wait-s has passed. */
static void recheck(struct burst *b, const struct measure *m)
{
	const struct tb_auth *a = b->f->ifc.declared;
	b->recheck = -1;
	b->rechecked_with_test = a && a->test_user;
	if (!b->rechecked_with_test && !m->locked_out)
		return;
	const char *user = b->rechecked_with_test ? a->test_user : burst_user(b->f);
	const char *pass = b->rechecked_with_test ? a->test_pass : "tb-liveness-check";
	int64_t start = tb_now_ms(), until = start + (int64_t)b->recheck_s * 1000;
	for (;;) {
		enum tb_login_outcome o =
			tb_credphase_guess(b->ctx, b->p, b->f, user, pass, TB_CP_RECHECK);
		b->recheck = (int)o;
		int done = b->rechecked_with_test ? o == TB_LOGIN_ACCEPTED : answered((int)o);
		if (done || tb_now_ms() + 5000 > until || tb_net_stop_requested())
			break;
		for (int64_t end = tb_now_ms() + 5000; !tb_net_deadline_passed(end);) {
			struct timespec ts = { .tv_sec = 0, .tv_nsec = 100 * 1000000L };
			nanosleep(&ts, NULL);
		}
	}
	b->locked_for_ms = tb_now_ms() - start;
}

static void *run_burst(void *arg)
{
	struct burst *b = arg;
	struct tb_cp_iface *f = b->f;
	struct measure m;
	int64_t started = tb_now_ms();
	measure(f, b->growth, &m);
	unsigned long k = 0;
	while (!f->random_accepted && !silent_refusals(f) && !judged(b, &m, started) &&
	       !tb_net_stop_requested()) {
		char pass[48];
		snprintf(pass, sizeof pass, "tb-wrong-%lu-%lld", ++k, (long long)tb_now_ms() % 100000);
		tb_credphase_guess(b->ctx, b->p, f, burst_user(f), pass, TB_CP_BURST);
		measure(f, b->growth, &m);
	}
	recheck(b, &m);
	return NULL;
}

/* ---- judging ---- */

static const char *protection_text(const struct measure *m, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s%s%s", m->throttled ? "throttles (asks to slow down)" : "",
		 m->locked_out ? (m->throttled ? ", locks out" : "locks out") : "",
		 m->grew ? (m->throttled || m->locked_out ? ", answers more and more slowly"
							  : "answers more and more slowly")
			 : "");
	return buf;
}

TB_UNITTEST int tb_bf_judge(const struct tb_cp_iface *f, int bar, int growth, int recheck_outcome,
			    char *item, size_t cap)
{
	struct measure m;
	char how[128];
	measure(f, growth, &m);
	if (f->random_accepted) {
		snprintf(item, cap, "%s: not measured, it accepts any credential", f->ifc.name);
		return -1;
	}
	if (silent_refusals(f)) {
		snprintf(item, cap,
			 "%s: not measured: a wrong SNMP community gets silence, so nothing shows "
			 "whether guesses were evaluated (communities are judged by 5.1-1-2)",
			 f->ifc.name);
		return 2;
	}
	/* Going quiet after refusals is a lockout only if the service is seen
	 * alive afterwards: a device that crashed under the burst is quiet too. */
	if (m.locked_out && !m.throttled && !m.grew &&
	    (recheck_outcome < 0 || !answered(recheck_outcome))) {
		snprintf(item, cap,
			 "%s stopped answering after %d refused guesses and did not answer a login "
			 "again afterwards (%s): a lockout cannot be told from a crashed service",
			 f->ifc.name, m.failures,
			 recheck_outcome < 0
				 ? "not rechecked"
				 : tb_login_outcome_name((enum tb_login_outcome)recheck_outcome));
		return -1;
	}
	if (protected_by(&m)) {
		snprintf(item, cap, "%s %s after %d wrong guesses (%d evaluated in the busiest minute)",
			 f->ifc.name, protection_text(&m, how, sizeof how), m.failures, m.window_max);
		return 0;
	}
	if (m.window_max > bar) {
		snprintf(item, cap,
			 "%s evaluated %d wrong guesses in one minute (bar: %d) with no throttling, "
			 "lockout or growing delay (answers in %lld ms at first, %lld ms at the end)",
			 f->ifc.name, m.window_max, bar, (long long)m.first_ms, (long long)m.last_ms);
		return 1;
	}
	if (m.span_ms >= WINDOW_MS && m.unclear < 3) {
		snprintf(item, cap, "%s evaluated at most %d wrong guesses in any minute (bar: %d)",
			 f->ifc.name, m.window_max, bar);
		return 0;
	}
	snprintf(item, cap, "%s: not enough clear answers to measure (%d refusals, %d unclear)",
		 f->ifc.name, m.failures, m.unclear);
	return -1;
}

static void note_recheck(struct tb_result *res, const struct burst *b)
{
	if (b->recheck < 0)
		return;
	if (!b->rechecked_with_test)
		tb_ev_note(res, b->f->ifc.name,
			   "liveness after the burst (no test credential declared): a wrong "
			   "credential %s %.0f s later",
			   answered(b->recheck) ? "was answered again" : "still got no answer",
			   (double)b->locked_for_ms / 1000.0);
	else if (b->recheck == TB_LOGIN_ACCEPTED)
		tb_ev_note(res, b->f->ifc.name,
			   "the declared test credential logged in after the burst (%.1f s): the owner "
			   "is not locked out",
			   (double)b->locked_for_ms / 1000.0);
	else
		tb_ev_note(res, b->f->ifc.name,
			   "the declared test credential still did not log in %.0f s after the burst "
			   "(%s): a lockout that keeps the owner out too is a denial of service",
			   (double)b->locked_for_ms / 1000.0,
			   tb_login_outcome_name((enum tb_login_outcome)b->recheck));
}

/* The attempts as a table, for the evidence. */
static void write_timeline(struct tb_ctx *ctx, struct tb_result *res, const struct tb_credphase *p)
{
	size_t cap = 64 * 1024, len = 0;
	char *buf = tb_xmalloc(cap);
	len += (size_t)snprintf(buf, cap,
				"interface\tseq\tat_ms\ttook_ms\tkind\toutcome\tretry_after_s\n");
	for (size_t i = 0; i < p->n && len < cap; i++)
		for (size_t k = 0; k < p->v[i].natt && len < cap; k++) {
			const struct tb_cp_attempt *a = &p->v[i].att[k];
			static const char *const kinds[] = { "control", "random", "guess", "burst",
							     "recheck" };
			len += (size_t)snprintf(buf + len, cap - len, "%s\t%zu\t%lld\t%d\t%s\t%s\t%d\n",
						p->v[i].ifc.name, k + 1, (long long)a->at_ms,
						a->took_ms, kinds[a->kind % 5],
						tb_login_outcome_name(
							(enum tb_login_outcome)a->outcome),
						a->retry_after_s);
		}
	if (len >= cap)
		len = cap - 1;
	if (tb_ev_file(ctx, res, "attempts.tsv", buf, len) != TB_OK)
		tb_ev_note(res, "attempts", "could not write attempts.tsv");
	free(buf);
}

static void run(struct tb_ctx *ctx, const struct tb_case *tc, struct tb_result *res)
{
	int mine;
	struct tb_credphase *p = tb_credphase_get(ctx, tc, res, &mine);
	if (!p)
		return;
	struct burst *b = tb_xcalloc(p->n ? p->n : 1, sizeof *b);
	for (size_t i = 0; i < p->n; i++) {
		b[i] = (struct burst){ .ctx = ctx,
				       .p = p,
				       .f = &p->v[i],
				       .bar = (int)tb_param_int(&tc->params, "max-failures-per-minute"),
				       .growth = (int)tb_param_int(&tc->params, "growth-factor"),
				       .seconds = (int)tb_param_int(&tc->params, "measure-seconds"),
				       .recheck_s = (int)tb_param_int(&tc->params, "recheck-wait-s") };
		b[i].started = pthread_create(&b[i].th, NULL, run_burst, &b[i]) == 0;
		if (!b[i].started)
			run_burst(&b[i]);
	}
	for (size_t i = 0; i < p->n; i++)
		if (b[i].started)
			pthread_join(b[i].th, NULL);
	char fails[1536] = "", passes[1536] = "", unsure[1536] = "", item[512];
	size_t skipped = 0;
	for (size_t i = 0; i < p->n; i++) {
		int v = tb_bf_judge(b[i].f, b[i].bar, b[i].growth, b[i].recheck, item, sizeof item);
		tb_ev_note(res, p->v[i].ifc.name, "%s", item);
		note_recheck(res, &b[i]);
		if (v != 2)
			tb_cp_list_add(v == 1 ? fails : v == 0 ? passes : unsure, sizeof fails, item);
		else
			skipped++;
	}
	write_timeline(ctx, res, p);
	if (fails[0])
		tb_result_set(res, TB_V_FAIL, "guessing is not throttled: %s", fails);
	else if (tb_net_stop_requested())
		tb_result_set(res, TB_V_INCONCLUSIVE, "the run was interrupted during the measurement");
	else if (p->n == skipped)
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "no login interface was found on the device whose answers to wrong "
			      "guesses can be measured");
	else if (unsure[0])
		tb_result_set(res, TB_V_INCONCLUSIVE, "%s", unsure);
	else
		tb_result_set(res, TB_V_PASS, "every login interface resists guessing: %s", passes);
	free(b);
	if (mine)
		tb_credphase_free(p);
}

const struct tb_check_family tb_check_brute_force = {
	.name = "brute-force",
	.summary =
		"measures how each login interface answers repeated wrong guesses (throttling, "
		"lockout, growing delay) against the suite's bar",
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.flags = TB_FAM_INTRUSIVE,
	.run = run,
	.prepare = tb_credphase_prepare,
	.unprepare = tb_credphase_unprepare,
};
