/* chk_outage.c: does the device survive a lost uplink, and reconnect
 * politely?  (EN 303 645 5.9-1, 5.9-2, 5.9-3.)
 *
 * Phases, all on one clock (the capture's, wall time):
 *  1. baseline (baseline-s): the device must connect to its cloud (a SYN-ACK
 *     from lab.cloud.address in the capture), else INCONCLUSIVE "never calls
 *     home" and nothing is cut.  The declared TCP services are probed (a TCP
 *     connect through the scoped path): those that answer are the ones
 *     judged during the outage.  The phase ends early once the device has
 *     connected and every service was probed once.
 *  2. outage (outage-s): the link keeper (net/linkctl.h) takes
 *     lab.uplink.interface down; every probe-interval-ms each service is
 *     probed again.
 *  3. restore, always, on every path out of the case (and the keeper
 *     restores the link itself if the harness dies).
 *  4. recovery (at most recovery-window-s): the capture is read every
 *     second; once the device has connected again, the case watches
 *     SETTLE_S more seconds, so the evidence shows the pattern settle, and
 *     stops.
 * The device's SYNs to the cloud during the outage (capture/attempts.h;
 * retransmissions are not new attempts) are measured per cloud port: a
 * device keeps one reconnect loop per cloud service, and each loop is
 * judged on its own (count, intervals, growth, jitter, peak rate: the
 * busiest second, and the rate the rule judges, over peak-window-s).
 * The rule table comes from the suite (tb_og_judge).
 * Intrusive: without lab.intrusive: true the runner leaves it INCONCLUSIVE
 * and no keeper is ever started.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "capture/attempts.h"
#include "capture/capture.h"
#include "check/chk_outage_internal.h"
#include "check/family.h"
#include "load/profile.h"
#include "load/suite.h"
#include "net/linkctl.h"
#include "net/net.h"
#include "result/result.h"

static const struct tb_param_def params[] = {
	{ .name = "baseline-s",
	  .type = TB_P_INT,
	  .min = 1,
	  .max = 600,
	  .help = "before the cut: the device must connect to its cloud within this time",
	  .dflt = "6" },
	{ .name = "outage-s",
	  .type = TB_P_INT,
	  .min = 1,
	  .max = 3600,
	  .help = "how long the uplink stays cut",
	  .dflt = "20" },
	{ .name = "probe-interval-ms",
	  .type = TB_P_INT,
	  .min = 100,
	  .max = 60000,
	  .help = "how often each declared TCP service is probed during the outage",
	  .dflt = "2000" },
	{ .name = "recovery-window-s",
	  .type = TB_P_INT,
	  .min = 1,
	  .max = 3600,
	  .help = "after the restore: how long to wait for the device to connect again",
	  .dflt = "30" },
	{ .name = "max-peak-attempts-per-s",
	  .type = TB_P_INT,
	  .min = 1,
	  .max = 1000,
	  .help = "rule: at most this many attempts per second to one cloud port at peak (over "
		  "peak-window-s)",
	  .dflt = "1" },
	{ .name = "peak-window-s",
	  .type = TB_P_INT,
	  .min = 1,
	  .max = 60,
	  .help = "the peak rate is the most attempts in any window of this many seconds, divided "
		  "by it (1: the busiest single second; a back-off of 1 s +-25% jitter has two "
		  "attempts 0.75 s apart)",
	  .dflt = "3" },
	{ .name = "intervals-must-grow",
	  .type = TB_P_BOOL,
	  .help = "rule: the intervals between attempts must grow during the outage (back-off)",
	  .dflt = "true" },
	{ .name = "max-recovery-s",
	  .type = TB_P_INT,
	  .min = 0,
	  .max = 3600,
	  .help = "rule: the device must connect again within this time after the restore",
	  .dflt = "20" },
	{ .name = "local-services-must-answer",
	  .type = TB_P_BOOL,
	  .help = "rule: the local TCP services that answered before the cut answer every probe "
		  "during it",
	  .dflt = "true" },
};

#define MAX_SERVICES 16
#define MAX_PORTS 16
#define MAX_PROBES 4096
#define SETTLE_S 5.0
#define POLL_MS 1000
#define KEEPER_MS 3000
#define SYNC_MS 2000

/* ---- measures and judge (pure) ------------------------------------------------ */

static double mean_of(const double *v, size_t n)
{
	double s = 0;
	for (size_t i = 0; i < n; i++)
		s += v[i];
	return n ? s / (double)n : 0;
}

/* Most of t[0..n) in any window [t, t + w). */
static unsigned most_in_window(const double *t, size_t n, double w)
{
	unsigned most = 0;
	for (size_t i = 0, j = 0; i < n; i++) { /* the window from t[j] holding t[i] */
		while (t[i] - t[j] >= w)
			j++;
		if (i - j + 1 > most)
			most = (unsigned)(i - j + 1);
	}
	return most;
}

void tb_og_series_stats(const double *t, size_t n, double window_s, struct tb_og_series *s)
{
	uint16_t port = s->port;
	memset(s, 0, sizeof *s);
	s->port = port;
	s->n = n;
	if (window_s < 1)
		window_s = 1;
	s->peak1 = most_in_window(t, n, 1.0);
	s->peakw = most_in_window(t, n, window_s);
	s->peak_rate = (double)s->peakw / window_s;
	if (n < 2)
		return;
	s->nint = n - 1;
	double *d = tb_xcalloc(s->nint, sizeof *d);
	for (size_t i = 0; i < s->nint; i++)
		d[i] = t[i + 1] - t[i];
	s->min_s = s->max_s = d[0];
	for (size_t i = 0; i < s->nint; i++) {
		s->min_s = d[i] < s->min_s ? d[i] : s->min_s;
		s->max_s = d[i] > s->max_s ? d[i] : s->max_s;
	}
	s->mean_s = mean_of(d, s->nint);
	double var = 0;
	for (size_t i = 0; i < s->nint; i++)
		var += (d[i] - s->mean_s) * (d[i] - s->mean_s);
	s->jitter_s = sqrt(var / (double)s->nint);
	size_t h = s->nint / 2;
	s->early_s = mean_of(d, h ? h : 1);
	s->late_s = mean_of(d + h, s->nint - h);
	s->growth_known = s->nint >= TB_OG_MIN_INTERVALS;
	s->first_s = d[0];
	s->last_s = d[s->nint - 1];
	s->grows = s->growth_known && s->last_s >= TB_OG_GROWTH * s->first_s && s->late_s > s->early_s;
	free(d);
}

struct text {
	char *p;
	size_t cap, at;
};

static void put(struct text *t, const char *fmt, ...) TB_PRINTF(2, 3);
static void put(struct text *t, const char *fmt, ...)
{
	if (t->at >= t->cap)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(t->p + t->at, t->cap - t->at, fmt, ap);
	va_end(ap);
	t->at = n < 0 ? t->cap : t->at + (size_t)n;
	if (t->at > t->cap)
		t->at = t->cap;
}

/* The rules, each appended to broken or met; returns how many broke and
 * sets *unjudged when a rule could not be judged. */
static unsigned rules(const struct tb_og_rules *r, const struct tb_og_facts *f, struct text *broken,
		      struct text *met, int *unjudged)
{
	unsigned nb = 0;
	size_t total = 0;
	for (size_t i = 0; i < f->nseries; i++) {
		const struct tb_og_series *s = &f->series[i];
		total += s->n;
		if (s->peak_rate > (double)r->max_peak)
			nb++, put(broken,
				  "; peak %.2f attempts/s to tcp/%u (%u in %ld s, %u in 1 s; rule: at "
				  "most %ld/s)",
				  s->peak_rate, s->port, s->peakw, r->window_s, s->peak1, r->max_peak);
		else
			put(met, "; peak %.2f attempts/s to tcp/%u (%u in %ld s; at most %ld/s)",
			    s->peak_rate, s->port, s->peakw, r->window_s, r->max_peak);
		if (!r->must_grow)
			continue;
		if (!s->growth_known)
			put(met, "; %zu attempt(s) to tcp/%u: too few to show growth, none hammering",
			    s->n, s->port);
		else if (!s->grows)
			nb++, put(broken,
				  "; intervals to tcp/%u do not grow (first %.2f s, last %.2f s; "
				  "halves "
				  "%.2f s and %.2f s on average; rule: the last %.1fx the first)",
				  s->port, s->first_s, s->last_s, s->early_s, s->late_s, TB_OG_GROWTH);
		else
			put(met, "; intervals to tcp/%u grow (first %.2f s, last %.2f s)", s->port,
			    s->first_s, s->last_s);
	}
	if (!total)
		put(met, "; no attempt during the outage");
	if (!f->reconnected)
		nb++, put(broken, "; no connection to the cloud within %ld s of the restore",
			  f->window_s);
	else if (f->recovery_s > (double)r->max_recovery_s)
		nb++, put(broken, "; reconnected %.1f s after the restore (rule: within %ld s)",
			  f->recovery_s, r->max_recovery_s);
	else
		put(met, "; reconnected %.1f s after the restore (within %ld s)", f->recovery_s,
		    r->max_recovery_s);
	if (!r->services_must_answer)
		return nb;
	if (!f->services)
		*unjudged = 1;
	else if (f->probes_failed)
		nb++, put(broken, "; %u of %u probes of local services failed during the outage (%s)",
			  f->probes_failed, f->probes,
			  f->first_probe_failure ? f->first_probe_failure : "?");
	else
		put(met, "; %u local service(s) answered all %u probes during the outage", f->services,
		    f->probes);
	if (f->services && f->after_failed)
		nb++, put(broken,
			  "; %u of %u local service(s) did not answer after the recovery: not back in "
			  "its declared state (%s)",
			  f->after_failed, f->after_probes,
			  f->first_after_failure ? f->first_after_failure : "?");
	else if (f->services && f->after_probes)
		put(met,
		    "; back in its declared state: every local service answered after the "
		    "recovery");
	return nb;
}

enum tb_verdict tb_og_judge(const struct tb_og_rules *r, const struct tb_og_facts *f, char *why,
			    size_t cap)
{
	if (f->interrupted) {
		snprintf(why, cap, "run interrupted: the outage case did not finish");
		return TB_V_INCONCLUSIVE;
	}
	if (!f->baseline_connected) {
		snprintf(why, cap,
			 "never calls home: no connection to the cloud before the cut, "
			 "so nothing was cut");
		return TB_V_INCONCLUSIVE;
	}
	char b[2048] = "", m[2048] = "";
	struct text broken = { b, sizeof b, 0 }, met = { m, sizeof m, 0 };
	int unjudged = 0;
	unsigned nb = rules(r, f, &broken, &met, &unjudged);
	if (nb) {
		snprintf(why, cap, "%u rule(s) broken: %s%s", nb, b + 2,
			 f->capture_lost ? " (the capture lost packets: the attempts counted are a "
					   "lower bound)"
					 : "");
		return TB_V_FAIL;
	}
	if (f->capture_lost) {
		snprintf(why, cap,
			 "the capture lost %llu packet(s) during the case, so attempts may be missing "
			 "from the count; the rules hold on what was seen: %s",
			 f->capture_lost, m + 2);
		return TB_V_INCONCLUSIVE;
	}
	if (unjudged) {
		snprintf(why, cap,
			 "no declared local TCP service answered before the cut, so "
			 "local-services-must-answer could not be judged; the other rules hold: %s",
			 m + 2);
		return TB_V_INCONCLUSIVE;
	}
	snprintf(why, cap, "every rule met: %s", m + 2);
	return TB_V_PASS;
}

/* ---- the case ------------------------------------------------------------------ */

struct probe_ev {
	double ts;
	int ok;
	uint16_t port;
};

struct outage {
	struct tb_ctx *ctx;
	struct tb_result *res;
	uint64_t dropped0; /* the capture's kernel drop count at the start of the case */
	struct tb_linkctl *keeper;
	uint32_t cloud;
	long baseline_s, outage_s, probe_ms, window_s;
	struct tb_og_rules rules;
	uint16_t port[MAX_SERVICES];
	int live[MAX_SERVICES]; /* answered before the cut */
	size_t nport;
	struct probe_ev *probes;
	size_t nprobes;
	unsigned outage_probes, outage_failed;
	unsigned after_probes, after_failed; /* once the recovery is over */
	char first_after_failure[160];
	char first_failure[160];
	double t0, t_cut, t_restore, t_end;
	char started[32];
	struct tb_attempts att;
};

static void find_services(struct outage *o)
{
	const struct tb_profile *p = o->ctx->profile;
	for (size_t i = 0; i < p->nservices && o->nport < MAX_SERVICES; i++) {
		const struct tb_service *s = &p->services[i];
		if ((s->transport && strcmp(s->transport, "tcp") != 0) || s->port < 1 ||
		    s->port > 65535)
			continue;
		o->port[o->nport++] = (uint16_t)s->port;
	}
}

static const char *connect_failure(enum tb_err e)
{
	switch (e) {
	case TB_E_REFUSED: return "connection refused";
	case TB_E_TIMEOUT: return "connect timed out";
	case TB_E_SCOPE: return "refused by the lab scope check";
	default: return "connect failed";
	}
}

enum round { ROUND_BEFORE, ROUND_OUTAGE, ROUND_AFTER };

/* Probe every service once (after the baseline, only those that answered
 * before the cut). */
static void probe_round(struct outage *o, enum round when)
{
	for (size_t i = 0; i < o->nport && !tb_net_stop_requested(); i++) {
		if (when != ROUND_BEFORE && !o->live[i])
			continue;
		struct tb_diag d = { 0 };
		int fd = -1;
		enum tb_err e =
			tb_net_connect(&o->ctx->net, o->ctx->profile->address, o->port[i], &fd, &d);
		tb_net_close(&fd);
		double ts = tb_wall_now();
		if (o->nprobes < MAX_PROBES)
			o->probes[o->nprobes++] = (struct probe_ev){ ts, e == TB_OK, o->port[i] };
		if (when == ROUND_BEFORE) {
			o->live[i] |= e == TB_OK;
			continue;
		}
		if (when == ROUND_AFTER) {
			o->after_probes++;
			if (e != TB_OK && !o->after_failed++)
				snprintf(o->first_after_failure, sizeof o->first_after_failure,
					 "first: tcp/%u: %s", o->port[i], connect_failure(e));
			continue;
		}
		o->outage_probes++;
		if (e != TB_OK && !o->outage_failed++)
			snprintf(o->first_failure, sizeof o->first_failure,
				 "first: tcp/%u at +%.1f s: %s", o->port[i], ts - o->t_cut,
				 connect_failure(e));
	}
}

static void nap_until(double wall_end)
{
	while (!tb_net_stop_requested() && tb_wall_now() < wall_end) {
		double left = wall_end - tb_wall_now();
		long ms = left > 0.1 ? 100 : (long)(left * 1000) + 1;
		struct timespec ts = { 0, ms * 1000000L };
		nanosleep(&ts, NULL);
	}
}

/* Read what the capture gained since the last read (after a sync). */
static enum tb_err reread(struct outage *o, struct tb_diag *d)
{
	(void)tb_capture_sync(o->ctx->capture, SYNC_MS);
	return tb_attempts_read(o->ctx->capture->path, &o->att, d);
}

/* The first connection to the cloud at or after from, or 0. */
static double connected_since(const struct outage *o, double from)
{
	const struct tb_att_event *e = tb_attempts_first(&o->att, TB_ATT_SYNACK, from);
	return e ? e->ts : 0;
}

/* Baseline: 1 when the device connected to its cloud, 0 when it did not,
 * -1 when the capture could not be read (d says why). */
static int baseline(struct outage *o, struct tb_diag *d)
{
	double end = o->t0 + (double)o->baseline_s;
	int probed = 0;
	while (!tb_net_stop_requested()) {
		if (!probed) {
			probe_round(o, ROUND_BEFORE);
			probed = 1;
		}
		if (reread(o, d) != TB_OK)
			return -1;
		if (connected_since(o, o->t0) > 0 || tb_wall_now() >= end)
			break;
		nap_until(tb_wall_now() + POLL_MS / 1000.0 < end ? tb_wall_now() + POLL_MS / 1000.0
								 : end);
	}
	double c = connected_since(o, o->t0);
	unsigned live = 0;
	for (size_t i = 0; i < o->nport; i++)
		live += (unsigned)o->live[i];
	tb_ev_note(o->res, "baseline",
		   "%s; %u of %zu declared TCP service(s) answered a connect before the cut",
		   c > 0 ? "the device connected to its cloud" : "no connection to the cloud", live,
		   o->nport);
	if (c > 0)
		tb_ev_note(o->res, "baseline", "first connection to the cloud %.2f s into the case",
			   c - o->t0);
	return c > 0;
}

static void outage_phase(struct outage *o)
{
	double end = o->t_cut + (double)o->outage_s;
	while (!tb_net_stop_requested() && tb_wall_now() < end) {
		double next = tb_wall_now() + (double)o->probe_ms / 1000.0;
		probe_round(o, ROUND_OUTAGE);
		nap_until(next < end ? next : end);
	}
}

/* Put the link back: a few tries.  TB_OK, or the last failure in d. */
static enum tb_err restore(struct outage *o, struct tb_diag *d)
{
	enum tb_err e = TB_E_IO;
	for (int i = 0; i < 3 && e != TB_OK; i++)
		e = tb_linkctl_restore(o->keeper, KEEPER_MS, d);
	return e;
}

static void recovery_phase(struct outage *o)
{
	double end = o->t_restore + (double)o->window_s;
	while (!tb_net_stop_requested() && tb_wall_now() < end) {
		nap_until(tb_wall_now() + POLL_MS / 1000.0);
		struct tb_diag d = { 0 };
		if (reread(o, &d) != TB_OK)
			continue;
		double c = connected_since(o, o->t_restore);
		if (c > 0 && tb_wall_now() >= c + SETTLE_S)
			break;
	}
	/* Back in its declared state: its local services answer too. */
	probe_round(o, ROUND_AFTER);
}

/* The outage's attempts, one series per cloud port. */
static size_t series_of(const struct outage *o, struct tb_og_series *s)
{
	size_t ns = 0;
	double *t = tb_xcalloc(o->att.n ? o->att.n : 1, sizeof *t);
	for (size_t i = 0; i < o->att.n; i++) {
		const struct tb_att_event *e = &o->att.v[i];
		if (e->kind != TB_ATT_SYN || e->ts < o->t_cut || e->ts > o->t_restore)
			continue;
		size_t k = 0;
		while (k < ns && s[k].port != e->cloud_port)
			k++;
		if (k == ns && ns < MAX_PORTS)
			s[ns++].port = e->cloud_port;
	}
	for (size_t k = 0; k < ns; k++) {
		size_t n = 0;
		for (size_t i = 0; i < o->att.n; i++) {
			const struct tb_att_event *e = &o->att.v[i];
			if (e->kind == TB_ATT_SYN && e->cloud_port == s[k].port && e->ts >= o->t_cut &&
			    e->ts <= o->t_restore)
				t[n++] = e->ts;
		}
		tb_og_series_stats(t, n, (double)o->rules.window_s, &s[k]);
	}
	free(t);
	return ns;
}

/* ---- evidence -------------------------------------------------------------------- */

static int64_t ms_of(const struct outage *o, double ts)
{
	return (int64_t)llround((ts - o->t0) * 1000.0);
}

static const char *phase_of(const struct outage *o, double ts)
{
	return ts < o->t_cut || o->t_cut == 0 ? "baseline" : ts <= o->t_restore ? "outage" : "recovery";
}

static void attempt_file(struct outage *o)
{
	size_t cap = 256 + o->att.n * 80, at = 0;
	char *s = tb_xmalloc(cap);
	at += (size_t)snprintf(s, cap,
			       "# the device's TCP SYNs to its cloud and the SYN-ACKs back "
			       "(retransmissions left out: %lu)\n# t-ms\tphase\tkind\tdevice-port\t"
			       "cloud-port\tseq\n",
			       o->att.retransmits);
	for (size_t i = 0; i < o->att.n && at < cap; i++) {
		const struct tb_att_event *e = &o->att.v[i];
		at += (size_t)snprintf(s + at, cap - at, "%lld\t%s\t%s\t%u\t%u\t%u\n",
				       (long long)ms_of(o, e->ts), phase_of(o, e->ts),
				       e->kind == TB_ATT_SYN ? "attempt" : "connected", e->dev_port,
				       e->cloud_port, e->seq);
	}
	if (at >= cap)
		at = cap - 1;
	if (tb_ev_file(o->ctx, o->res, "outage-attempts.tsv", s, at))
		tb_ev_note(o->res, "evidence", "could not write outage-attempts.tsv");
	free(s);
}

static void timeline(struct outage *o)
{
	size_t n = 0, cap = o->att.n + o->nprobes + 1;
	struct tb_tl_event *ev = tb_xcalloc(cap, sizeof *ev);
	char(*what)[16] = tb_xcalloc(cap, sizeof *what);
	size_t ia = 0, ip = 0;
	while (ia < o->att.n || ip < o->nprobes) { /* merged in time order */
		int take_att =
			ip == o->nprobes || (ia < o->att.n && o->att.v[ia].ts <= o->probes[ip].ts);
		if (take_att) {
			const struct tb_att_event *e = &o->att.v[ia++];
			snprintf(what[n], sizeof what[n], "tcp/%u", e->cloud_port);
			ev[n] = (struct tb_tl_event){ ms_of(o, e->ts),
						      e->kind == TB_ATT_SYN ? TB_TL_ATTEMPT
									    : TB_TL_CONNECTED,
						      what[n] };
		} else {
			const struct probe_ev *p = &o->probes[ip++];
			snprintf(what[n], sizeof what[n], "tcp/%u", p->port);
			ev[n] = (struct tb_tl_event){ ms_of(o, p->ts),
						      p->ok ? TB_TL_PROBE_OK : TB_TL_PROBE_FAIL,
						      what[n] };
		}
		n++;
	}
	struct tb_tl_span span = { ms_of(o, o->t_cut), ms_of(o, o->t_restore), "uplink cut" };
	tb_ev_timeline(o->res, "outage timeline", o->started, ms_of(o, o->t_end), &span,
		       o->t_cut > 0 ? 1 : 0, ev, n);
	free(what);
	free(ev);
}

static void summary(struct outage *o, const struct tb_og_series *s, size_t ns,
		    const struct tb_og_facts *f)
{
	struct tb_ev_fact facts[8 + 2 * MAX_PORTS];
	char val[8 + 2 * MAX_PORTS][160], name[2 * MAX_PORTS][48];
	size_t n = 0;
	snprintf(val[n], sizeof val[n], "%s, %ld s", o->keeper->ifname, o->outage_s);
	facts[n] = (struct tb_ev_fact){ "uplink cut", val[n] }, n++;
	snprintf(val[n], sizeof val[n], "%s", f->reconnected ? "" : "none");
	if (f->reconnected)
		snprintf(val[n], sizeof val[n], "%.2f s", f->recovery_s);
	facts[n] = (struct tb_ev_fact){ "restore to first connection", val[n] }, n++;
	snprintf(val[n], sizeof val[n], "%u probes of %u service(s), %u failed", f->probes, f->services,
		 f->probes_failed);
	facts[n] = (struct tb_ev_fact){ "local services during the outage", val[n] }, n++;
	for (size_t k = 0; k < ns; k++) {
		snprintf(name[2 * k], sizeof name[0], "attempts to tcp/%u", s[k].port);
		snprintf(val[n], sizeof val[n], "%zu; peak %u in 1 s, %u in %ld s (%.2f/s)", s[k].n,
			 s[k].peak1, s[k].peakw, o->rules.window_s, s[k].peak_rate);
		facts[n] = (struct tb_ev_fact){ name[2 * k], val[n] }, n++;
		snprintf(name[2 * k + 1], sizeof name[0], "intervals to tcp/%u", s[k].port);
		if (s[k].nint)
			snprintf(val[n], sizeof val[n],
				 "%.2f-%.2f s, mean %.2f s, jitter %.2f s; first %.2f s, last %.2f s; "
				 "halves %.2f s and %.2f s",
				 s[k].min_s, s[k].max_s, s[k].mean_s, s[k].jitter_s, s[k].first_s,
				 s[k].last_s, s[k].early_s, s[k].late_s);
		else
			snprintf(val[n], sizeof val[n], "none");
		facts[n] = (struct tb_ev_fact){ name[2 * k + 1], val[n] }, n++;
	}
	tb_ev_summary(o->res, "outage measures", facts, n);
}

static void evidence(struct outage *o, const struct tb_og_facts *f, const struct tb_og_series *s,
		     size_t ns)
{
	tb_ev_note(o->res, "outage",
		   "%s taken down at +%.2f s for %ld s; %u probe(s) of the local services, %u failed",
		   o->keeper->ifname, o->t_cut - o->t0, o->outage_s, o->outage_probes,
		   o->outage_failed);
	for (size_t k = 0; k < ns; k++)
		tb_ev_note(o->res, "outage",
			   "tcp/%u: %zu attempt(s); intervals %.2f-%.2f s (mean %.2f, jitter %.2f), "
			   "first %.2f s, last %.2f s, halves %.2f s and %.2f s%s; peak %u in 1 s, "
			   "%u in %ld s",
			   s[k].port, s[k].n, s[k].min_s, s[k].max_s, s[k].mean_s, s[k].jitter_s,
			   s[k].first_s, s[k].last_s, s[k].early_s, s[k].late_s,
			   !s[k].growth_known ? " (too few to judge growth)"
			   : s[k].grows       ? " (growing)"
					      : " (not growing)",
			   s[k].peak1, s[k].peakw, o->rules.window_s);
	if (f->reconnected)
		tb_ev_note(o->res, "recovery", "restored at +%.2f s; first connection %.2f s later",
			   o->t_restore - o->t0, f->recovery_s);
	else
		tb_ev_note(o->res, "recovery", "restored at +%.2f s; no connection within %ld s",
			   o->t_restore - o->t0, o->window_s);
	summary(o, s, ns, f);
	attempt_file(o);
	timeline(o);
}

/* ---- run ---------------------------------------------------------------------------- */

static void init(struct outage *o, struct tb_ctx *ctx, const struct tb_case *tc, struct tb_result *res)
{
	const struct tb_params *pp = &tc->params;
	memset(o, 0, sizeof *o);
	o->ctx = ctx;
	o->res = res;
	o->baseline_s = (long)tb_param_int(pp, "baseline-s");
	o->outage_s = (long)tb_param_int(pp, "outage-s");
	o->probe_ms = (long)tb_param_int(pp, "probe-interval-ms");
	o->window_s = (long)tb_param_int(pp, "recovery-window-s");
	o->rules = (struct tb_og_rules){ (long)tb_param_int(pp, "max-peak-attempts-per-s"),
					 (long)tb_param_int(pp, "peak-window-s"),
					 (int)tb_param_int(pp, "intervals-must-grow"),
					 (long)tb_param_int(pp, "max-recovery-s"),
					 (int)tb_param_int(pp, "local-services-must-answer") };
	o->probes = tb_xcalloc(MAX_PROBES, sizeof *o->probes);
}

/* Why the case cannot cut anything, or NULL. */
static const char *precondition(struct outage *o, char *buf, size_t cap)
{
	const struct tb_profile *p = o->ctx->profile;
	const char *why = NULL;
	if (!p->cloud.present)
		return "the profile declares no lab.cloud: the device's cloud traffic cannot be told "
		       "apart, nothing was cut";
	o->cloud = p->cloud.address;
	o->keeper = tb_linkctl_run(&why);
	if (!o->keeper) {
		snprintf(buf, cap, "no link keeper (%s): nothing was cut", why);
		return buf;
	}
	if (!o->ctx->capture)
		return "no capture this run: the device's attempts cannot be seen, nothing was cut";
	return NULL;
}

/* Cut, watch, restore (always), recover; the verdict. */
static void cut_and_judge(struct outage *o)
{
	struct tb_diag d = { 0 };
	o->t_cut = tb_wall_now();
	if (tb_linkctl_cut(o->keeper, KEEPER_MS, &d) != TB_OK) {
		struct tb_diag d2 = { 0 };
		(void)restore(o, &d2); /* whatever state the cut left */
		o->t_cut = 0;
		tb_result_set(o->res, TB_V_ERROR, "could not cut the uplink: %s", d.msg);
		return;
	}
	tb_ev_note(o->res, "outage", "%s is down", o->keeper->ifname);
	outage_phase(o);
	enum tb_err re = restore(o, &d);
	o->t_restore = tb_wall_now();
	if (re != TB_OK) {
		tb_result_set(o->res, TB_V_ERROR,
			      "could not restore the uplink %s: %s (the link keeper restores it when "
			      "the run ends)",
			      o->keeper->ifname, d.msg);
		return;
	}
	int interrupted = tb_net_stop_requested();
	if (!interrupted)
		recovery_phase(o);
	interrupted |= tb_net_stop_requested();
	struct tb_diag d3 = { 0 };
	if (reread(o, &d3) != TB_OK) {
		tb_result_set(o->res, TB_V_ERROR, "the capture could not be read: %s", d3.msg);
		return;
	}
	o->t_end = tb_wall_now();
	struct tb_og_series s[MAX_PORTS];
	memset(s, 0, sizeof s);
	size_t ns = series_of(o, s);
	double c = connected_since(o, o->t_restore);
	int within = c > 0 && c <= o->t_restore + (double)o->window_s;
	struct tb_og_facts f = { .interrupted = interrupted,
				 .baseline_connected = 1,
				 .series = s,
				 .nseries = ns,
				 .reconnected = within,
				 .recovery_s = within ? c - o->t_restore : 0,
				 .window_s = o->window_s,
				 .probes = o->outage_probes,
				 .probes_failed = o->outage_failed,
				 .first_probe_failure = o->first_failure[0] ? o->first_failure : NULL,
				 .after_probes = o->after_probes,
				 .after_failed = o->after_failed,
				 .first_after_failure =
					 o->first_after_failure[0] ? o->first_after_failure : NULL,
				 /* reread() synced the capture's counters just now */
				 .capture_lost = o->ctx->capture->dropped - o->dropped0 };
	for (size_t i = 0; i < o->nport; i++)
		f.services += (unsigned)o->live[i];
	evidence(o, &f, s, ns);
	char why[4096];
	enum tb_verdict v = tb_og_judge(&o->rules, &f, why, sizeof why);
	tb_result_set(o->res, v, "%s", why);
}

static void run(struct tb_ctx *ctx, const struct tb_case *tc, struct tb_result *res)
{
	struct outage o;
	char buf[400];
	init(&o, ctx, tc, res);
	const char *no = precondition(&o, buf, sizeof buf);
	if (no) {
		tb_result_set(res, TB_V_INCONCLUSIVE, "%s", no);
		free(o.probes);
		return;
	}
	struct tb_diag d = { 0 };
	int up = 0;
	enum tb_err se = tb_linkctl_state(o.keeper, &up, KEEPER_MS, &d);
	if (se != TB_OK || !up) {
		if (se != TB_OK)
			tb_result_set(res, TB_V_ERROR, "cannot read the state of the uplink %s: %s",
				      o.keeper->ifname, d.msg);
		else
			tb_result_set(res, TB_V_ERROR,
				      "the uplink %s is down before the case: nothing was cut",
				      o.keeper->ifname);
		free(o.probes);
		return;
	}
	find_services(&o);
	(void)tb_capture_sync(ctx->capture, SYNC_MS);
	o.dropped0 = ctx->capture->dropped;
	o.t0 = tb_wall_now();
	tb_utc_now(o.started);
	tb_attempts_init(&o.att, ctx->profile->address, o.cloud, o.t0, 1e18);
	int b = baseline(&o, &d);
	char host[16];
	tb_ipv4_format(o.cloud, host);
	if (b < 0)
		tb_result_set(res, TB_V_ERROR, "the capture could not be read: %s; nothing was cut",
			      d.msg);
	else if (tb_net_stop_requested())
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "run interrupted before the cut: nothing was cut");
	else if (!b)
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "never calls home: no connection to the cloud (%s) within %ld s, so "
			      "nothing was cut",
			      host, o.baseline_s);
	if (b > 0 && !tb_net_stop_requested()) {
		cut_and_judge(&o);
	} else { /* the timeline of the baseline alone */
		o.t_end = tb_wall_now();
		timeline(&o);
	}
	tb_attempts_free(&o.att);
	free(o.probes);
}

const struct tb_check_family tb_check_outage = {
	.name = "outage",
	.summary =
		"cuts the device's uplink to its cloud for a while, probing its local services, "
		"then restores it: judges the reconnection attempts (peak rate, growing "
		"intervals) and the time to reconnect",
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.flags = TB_FAM_INTRUSIVE,
	.run = run,
};
